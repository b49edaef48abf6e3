"""Saved runs that every refactoring must reproduce exactly: the baseline and the 2022 package
as issued, seeds 0 and 1, at 1:50, 2020-11 to 2035-12.

``python tests/regression.py`` rewrites ``tests/data/regression_indicators.csv`` (only when a
change of numbers is intended, in its own commit, saying why); ``tests/test_regression.py``
checks the code still gives those numbers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

SCENARIOS = ("baseline", "policy_2022")
SEEDS = (0, 1)
SCALE = 0.02
SAVED = Path(__file__).parent / "data" / "regression_indicators.csv"


def indicators() -> pd.DataFrame:
    from model.api import run

    tables = [run(name, seeds=len(SEEDS), scale=SCALE).indicators for name in SCENARIOS]
    table = pd.concat(tables, ignore_index=True)
    return table.sort_values(["scenario", "seed", "year", "indicator"], ignore_index=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    SAVED.parent.mkdir(exist_ok=True)
    indicators().to_csv(SAVED, index=False, float_format="%.17g")
    print(f"wrote {SAVED}")
