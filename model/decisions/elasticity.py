"""The model's own elasticities of inflow: how the number of people elsewhere who choose Baotou
responds to Baotou's wage, its distance and its rent, measured on the choice code itself.

Each is a central finite difference in logs, ln(N(1 + h) / N(1 - h)) / ln((1 + h) / (1 - h)),
of the expected number choosing Baotou, N = the sum of their chances of Baotou, for the same
candidates with the same offers at every point (common random numbers: only the one condition
moves). These are the figures a gravity model estimates, so they are what the evidence's
ranges (``model/data/elasticities.toml``) are compared with.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from model.decisions import choice
from model.measures.offer import Offer
from model.people.choosers import Choosers
from model.world.conditions import BAOTOU, MonthConditions

# What moves, as measured: the wage and rent a newcomer meets in Baotou, and the distance to it.
RESPONSES = ("wage", "distance", "rent")


def expected_inflow(
    ch: Choosers,
    now: MonthConditions,
    beh: Mapping[str, Any],
    offer: Offer,
    network: np.ndarray,
    distance_cut: np.ndarray,
) -> float:
    """Expected number of these outside candidates choosing Baotou (the nested logit of
    ``decide``, with its offers and distance cut)."""
    v_baotou, _ = choice.baotou_utility(ch, now, beh, offer, network, distance_cut)
    return float(choice.Alternatives.of(ch, now, beh).probabilities(v_baotou).baotou(ch).sum())


def _scaled(now: MonthConditions, field: str, factor: float) -> MonthConditions:
    values = getattr(now, field).copy()
    values[BAOTOU] *= factor
    return dataclasses.replace(now, **{field: values})


def elasticities(
    ch: Choosers,
    now: MonthConditions,
    beh: Mapping[str, Any],
    offer: Offer,
    network: np.ndarray,
    distance_cut: np.ndarray,
    step: float,
) -> dict[str, tuple[float, float]]:
    """For each of ``RESPONSES``: the expected inflow at 1 - ``step`` and 1 + ``step`` times the
    condition (the distance to Baotou scaled through the same cut the transport lines use)."""
    if ch.in_baotou.any():
        raise ValueError("elasticities of inflow are measured on people elsewhere only")
    out = {}
    for name in RESPONSES:
        points = []
        for factor in (1 - step, 1 + step):
            if name == "distance":
                # km x (1 - cut) x factor = km x (1 - cut'), so cut' = 1 - (1 - cut) x factor.
                points.append(expected_inflow(ch, now, beh, offer, network, 1 - (1 - distance_cut) * factor))
            else:
                points.append(expected_inflow(ch, _scaled(now, name, factor), beh, offer, network, distance_cut))
        out[name] = (points[0], points[1])
    return out


def log_slope(low: float, high: float, step: float) -> float:
    """The elasticity from the inflows at 1 - ``step`` and 1 + ``step``."""
    return math.log(high / low) / math.log((1 + step) / (1 - step))
