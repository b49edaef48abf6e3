"""Settling in: non-hukou households take Baotou hukou (K1 removes the conditions), renters buy a
first home (H2, H3, H4 make it cheaper)."""

from __future__ import annotations

import numpy as np

from model.categories import Role, Tenure
from model.context import Month
from model.draws import thinning
from model.ledger import Ledger
from model.measures.package import Package
from model.people import households
from model.people.choosers import Choosers
from model.people.store import People


def hukou_takeup(people: People, month: Month, package: Package, ledger: Ledger) -> None:
    """Non-hukou households take Baotou hukou: under the old rules if they own a home or have
    paid social insurance long enough, or with no conditions while K1 is on. Drawn by thinning
    (``model/draws/thinning.py``) at the highest rate allowed, so only a few households are looked at."""
    beh = month.behaviour
    free = package.hukou_takeup_rate(month)
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

    settle = thinning.events_this_month(people, "hukou", month.seed, month.index, hazard, bound)
    rows = people.members_of(people.household_id[settle])
    people.hukou[rows] = True
    ledger.count("hukou_settlements", rows.size)


def home_purchases(people: People, month: Month, package: Package, ledger: Ledger) -> None:
    """Renting households with a job buy a first home; measures' savings raise the hazard (up to
    ``purchase_multiplier_cap`` times). Drawn by thinning at the capped rate."""
    beh = month.behaviour
    cap = beh["purchase_multiplier_cap"]
    givers = package.in_force(month)  # incentives end with the measure

    def hazard(rows: np.ndarray) -> np.ndarray:
        renting = (people.tenure[rows] != Tenure.OWN) & people.employed[rows] & (people.study_months[rows] < 0)
        heads = people.alive[rows] & (people.role[rows] == Role.HEAD) & renting
        out = np.where(heads, beh["home_purchase_rate"] / 12, 0.0)
        if givers and heads.any():
            ch = Choosers.of(people, rows[heads])
            incentive = package.purchase_incentive(ch, month)
            multiplier = np.minimum(1 + beh["purchase_incentive_elasticity"] * incentive / month.now.home_price, cap)
            out[heads] *= multiplier
        return out

    def bound(rows: np.ndarray) -> np.ndarray:
        # Owners never go back to renting; only heads buy (a new head's moments are drawn afresh).
        could_buy = (people.role[rows] == Role.HEAD) & (people.tenure[rows] != Tenure.OWN)
        return np.where(could_buy, beh["home_purchase_rate"] * cap / 12, 0.0)

    bought = thinning.events_this_month(people, "purchase", month.seed, month.index, hazard, bound)
    if bought.size == 0:
        return
    package.on_purchase(Choosers.of(people, bought), month)
    households.set_tenure(people, people.household_id[bought], Tenure.OWN)
    ledger.count("home_purchases", int(bought.size))
