"""Calibration: targets, the method of simulated moments, and the committed estimates.

``calibrated_defaults()`` gives the estimates in ``calibrated.toml`` as scenario defaults (by
section and key); the file is written only by ``python -m model calibrate``. The reading lives
with the other data files (``model/params.py``), since scenarios take these defaults.
"""

from __future__ import annotations

from model.params import CALIBRATED_FILE, calibrated_defaults

__all__ = ["CALIBRATED_FILE", "calibrated_defaults"]
