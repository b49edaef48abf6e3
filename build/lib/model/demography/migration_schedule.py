"""The age schedule of migration: Rogers and Castro's model migration schedule (1981)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np


def rogers_castro(age: np.ndarray, beh: Mapping[str, Any]) -> np.ndarray:
    """Rogers–Castro migration schedule, labour peak height 1 (plus child and constant terms)."""
    x = age - beh["rc_mu"]
    labour = np.exp(-beh["rc_alpha"] * x - np.exp(-beh["rc_lambda"] * x))
    peak_x = np.log(beh["rc_lambda"] / beh["rc_alpha"]) / beh["rc_lambda"]
    peak = np.exp(-beh["rc_alpha"] * peak_x - np.exp(-beh["rc_lambda"] * peak_x))
    return labour / peak + beh["rc_child"] * np.exp(-beh["rc_alpha"] * age) + beh["rc_constant"]
