"""Settling in: non-hukou households take Baotou hukou (K1 removes the conditions), renters buy a
first home (H2, H3, H4 make it cheaper)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model import thinning
from model.categories import Role, Tenure

if TYPE_CHECKING:
    from model.model import BaotouModel


def hukou_takeup(model: BaotouModel) -> None:
    """Non-hukou households take Baotou hukou: under the old rules if they own a home or have
    paid social insurance long enough, or with no conditions while K1 is on. Drawn by thinning
    (``model/thinning.py``) at the highest rate allowed, so only a few households are looked at."""
    people, beh = model.people, model.beh
    free = max((m.hukou_takeup_rate() for m in model.measures.values()), default=0.0)
    ceiling = beh["hukou_takeup_rate_bound"]
    if max(free, beh["hukou_takeup_rate"]) > ceiling:
        raise ValueError(
            f"hukou take-up rate {max(free, beh['hukou_takeup_rate'])} per year is above "
            f"behaviour.hukou_takeup_rate_bound ({ceiling}); raise the bound"
        )

    def hazard(rows: np.ndarray) -> np.ndarray:
        heads = people.alive[rows] & (people.role[rows] == Role.HEAD) & ~people.hukou[rows]
        meets_old_rules = (people.tenure[rows] == Tenure.OWN) | (
            people.social_insurance_months[rows] >= beh["hukou_conditions_months"]
        )
        return np.maximum(np.where(meets_old_rules, beh["hukou_takeup_rate"], 0.0), free) / 12 * heads

    def bound(rows: np.ndarray) -> np.ndarray:
        # Hukou is never given up; only heads decide (a new head's moments are drawn afresh).
        return np.where(people.hukou[rows] | (people.role[rows] != Role.HEAD), 0.0, ceiling / 12)

    settle = thinning.events_this_month(people, "hukou", model.seed, model.month, hazard, bound)
    rows = model.members_of(people.household_id[settle])
    people.hukou[rows] = True
    model.flows["hukou_settlements"] += rows.size


def home_purchases(model: BaotouModel) -> None:
    """Renting households with a job buy a first home; measures' savings raise the hazard (up to
    ``purchase_multiplier_cap`` times). Drawn by thinning at the capped rate."""
    people, beh = model.people, model.beh
    cap = beh["purchase_multiplier_cap"]

    def hazard(rows: np.ndarray) -> np.ndarray:
        renting = (people.tenure[rows] != Tenure.OWN) & people.employed[rows] & (people.study_months[rows] < 0)
        heads = people.alive[rows] & (people.role[rows] == Role.HEAD) & renting
        out = np.where(heads, beh["home_purchase_rate"] / 12, 0.0)
        givers = [m for m in model.measures.values() if m.active()]  # incentives end with the measure
        if givers and heads.any():
            ch = model.choosers_of(rows[heads])
            incentive = sum((m.purchase_incentive(ch) for m in givers), np.zeros(len(ch)))
            multiplier = np.minimum(1 + beh["purchase_incentive_elasticity"] * incentive / model.now.home_price, cap)
            out[heads] *= multiplier
        return out

    def bound(rows: np.ndarray) -> np.ndarray:
        # Owners never go back to renting; only heads buy (a new head's moments are drawn afresh).
        could_buy = (people.role[rows] == Role.HEAD) & (people.tenure[rows] != Tenure.OWN)
        return np.where(could_buy, beh["home_purchase_rate"] * cap / 12, 0.0)

    bought = thinning.events_this_month(people, "purchase", model.seed, model.month, hazard, bound)
    if bought.size == 0:
        return
    buyers = model.choosers_of(bought)
    for measure in model.measures.values():
        measure.on_purchase(buyers)
    model.set_household_tenure(people.household_id[bought], Tenure.OWN)
    model.flows["home_purchases"] += int(bought.size)
