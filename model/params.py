"""Sourced parameter files: every number carries a unit and a source or an assumption.

Files in ``model/data/*.toml`` hold one table per parameter::

    [tfr]
    value = 0.80
    unit = "children per woman"
    source = "..."          # or: assumption = "..."

Other keys in a table (``ages``, ``bands``, ``groups``) describe the value's axes. A coefficient
worked out from other entries says how with ``derived = "..."`` instead of a ``value``
(``model/coefficients.py``); its value is then None here.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"


class ParameterFileError(ValueError):
    """A data file entry lacks a value, a unit or a source/assumption."""


@cache
def load(name: str) -> dict[str, dict[str, Any]]:
    """Read ``model/data/<name>.toml`` and check that every entry is sourced."""
    path = DATA_DIR / f"{name}.toml"
    with path.open("rb") as fh:
        tables = tomllib.load(fh)
    for key, entry in tables.items():
        if not isinstance(entry, dict) or ("value" not in entry and "derived" not in entry):
            raise ParameterFileError(f"{path}: [{key}] needs a 'value' (or 'derived', saying how it is worked out)")
        if "unit" not in entry:
            raise ParameterFileError(f"{path}: [{key}] needs a 'unit'")
        if "source" not in entry and "assumption" not in entry:
            raise ParameterFileError(f"{path}: [{key}] needs a 'source' or an 'assumption'")
    return tables


def value(name: str, key: str) -> Any:
    """The value of one entry of a data file (None for a derived one)."""
    return load(name)[key].get("value")


MEASURE_METADATA = ("name", "group", "title")


@cache
def load_measures() -> dict[str, dict[str, Any]]:
    """``model/data/measures.toml``: per measure id, its metadata and sourced parameters."""
    path = DATA_DIR / "measures.toml"
    with path.open("rb") as fh:
        tables = tomllib.load(fh)
    out = {}
    for mid, table in tables.items():
        missing = [k for k in MEASURE_METADATA if k not in table]
        if missing:
            raise ParameterFileError(f"{path}: [{mid}] needs {', '.join(missing)}")
        entries = {k: v for k, v in table.items() if k not in MEASURE_METADATA}
        for key, entry in entries.items():
            where = f"{path}: [{mid}.{key}]"
            if not isinstance(entry, dict) or "value" not in entry or "unit" not in entry:
                raise ParameterFileError(f"{where} needs a 'value' and a 'unit'")
            if "source" not in entry and "assumption" not in entry:
                raise ParameterFileError(f"{where} needs a 'source' or an 'assumption'")
        out[mid] = {**{k: table[k] for k in MEASURE_METADATA}, "params": entries}
    return out


# The committed estimates of ``python -m model calibrate`` (model/calibration/), which scenarios
# take as the defaults of the parameters estimated.
CALIBRATED_FILE = Path(__file__).parent / "calibration" / "calibrated.toml"


@cache
def calibrated_defaults() -> dict[tuple[str, str], float]:
    """(section, key) -> estimated value, from calibrated.toml (empty if there is none)."""
    if not CALIBRATED_FILE.exists():
        return {}
    with CALIBRATED_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    return {(s, k): float(v) for s, keys in data.get("defaults", {}).items() for k, v in keys.items()}
