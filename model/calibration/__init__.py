"""Calibration: targets, the method of simulated moments, and the committed estimates.

``calibrated_defaults()`` gives the estimates in ``calibrated.toml`` as scenario defaults (by
section and key); the file is written only by ``python -m model calibrate``.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

CALIBRATED_FILE = Path(__file__).with_name("calibrated.toml")


@cache
def calibrated_defaults() -> dict[tuple[str, str], float]:
    """(section, key) -> estimated value, from calibrated.toml (empty if there is none)."""
    if not CALIBRATED_FILE.exists():
        return {}
    with CALIBRATED_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    return {(s, k): float(v) for s, keys in data.get("defaults", {}).items() for k, v in keys.items()}
