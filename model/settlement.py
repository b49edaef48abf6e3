"""Settling in: non-hukou households take Baotou hukou (K1 removes the conditions), renters buy a
first home (H2, H3, H4 make it cheaper)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.categories import Tenure

if TYPE_CHECKING:
    from model.model import BaotouModel


def hukou_takeup(model: BaotouModel) -> None:
    people, beh = model.people, model.beh
    heads = model.head_rows()
    heads = heads[~people.hukou[heads]]
    if heads.size == 0:
        return
    meets_old_rules = (people.tenure[heads] == Tenure.OWN) | (
        people.social_insurance_months[heads] >= beh["hukou_conditions_months"]
    )
    free = max((m.hukou_takeup_rate() for m in model.measures.values()), default=0.0)
    rate = np.maximum(np.where(meets_old_rules, beh["hukou_takeup_rate"], 0.0), free)
    settle = heads[model.uniform(people.key[heads], "hukou") < -np.expm1(-rate / 12)]
    rows = model.members_of(people.household_id[settle])
    people.hukou[rows] = True
    model.flows["hukou_settlements"] += rows.size


def home_purchases(model: BaotouModel) -> None:
    people, beh = model.people, model.beh
    heads = model.head_rows()
    heads = heads[(people.tenure[heads] != Tenure.OWN) & people.employed[heads] & (people.study_months[heads] < 0)]
    if heads.size == 0:
        return
    # Thinning: draw against the largest possible hazard, then look closely only at those below it.
    cap = beh["purchase_multiplier_cap"]
    u = model.uniform(people.key[heads], "home_purchase")
    maybe = u < -np.expm1(-beh["home_purchase_rate"] * cap / 12)
    heads, u = heads[maybe], u[maybe]
    if heads.size == 0:
        return
    ch = model.choosers_of(heads)
    incentive = sum((m.purchase_incentive(ch) for m in model.measures.values()), np.zeros(heads.size))
    multiplier = np.minimum(1 + beh["purchase_incentive_elasticity"] * incentive / model.now.home_price, cap)
    buy = u < -np.expm1(-beh["home_purchase_rate"] * multiplier / 12)
    if not buy.any():
        return
    buyers = ch.subset(np.flatnonzero(buy))
    for measure in model.measures.values():
        measure.on_purchase(buyers)
    model.set_household_tenure(people.household_id[heads[buy]], Tenure.OWN)
    model.flows["home_purchases"] += int(buy.sum())
