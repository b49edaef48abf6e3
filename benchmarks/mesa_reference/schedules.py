"""The age schedule of moving, shared by residents (considering a move) and people elsewhere
(who among them weighs Baotou)."""

from __future__ import annotations

import math


def rogers_castro(age: float, beh: dict) -> float:
    """The Rogers–Castro schedule with labour-peak height 1 (as the project's ``rogers_castro``)."""
    alpha, lam = beh["rc_alpha"], beh["rc_lambda"]

    def labour(x: float) -> float:
        return math.exp(-alpha * x - math.exp(-lam * x))

    peak = labour(math.log(lam / alpha) / lam)
    return labour(age - beh["rc_mu"]) / peak + beh["rc_child"] * math.exp(-alpha * age) + beh["rc_constant"]
