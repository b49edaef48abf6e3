"""The same numbers: the indicators of a fixed set of saved runs (``tests/regression.py``)."""

import numpy as np
import pandas as pd
from regression import SAVED, indicators


def test_saved_runs_give_identical_indicators():
    saved = pd.read_csv(SAVED)
    now = indicators()
    assert list(now.columns) == list(saved.columns)
    key = ["scenario", "seed", "year", "indicator"]
    merged = saved.merge(now, on=key, how="outer", suffixes=("_saved", "_now"), indicator=True)
    missing = merged[merged["_merge"] != "both"]
    assert missing.empty, f"indicators added or lost:\n{missing[key + ['_merge']].head(20)}"
    same = np.isclose(merged.value_now, merged.value_saved, rtol=1e-12, atol=1e-9, equal_nan=True)
    diff = merged.loc[~same, [*key, "value_saved", "value_now"]]
    assert diff.empty, f"{len(diff)} indicators changed, e.g.:\n{diff.head(20).to_string()}"
