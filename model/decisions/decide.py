"""The one decide step: every location decision goes through ``decide``.

The offers of the measures in force this month are added to Baotou's alternative, the nested
logit gives the probabilities, the chooser's own draws pick one, and the difference the
package's levers made to the chance of living in Baotou is attributed to them in proportion to
the utility each added. What happens anyway (N1, not a lever) stays in the "without": no
resident is attributed to it. The behaviour key ``policy_response`` scales the utility the
levers add to Baotou (1 = as the coefficients imply; the posterior calibration estimates it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from model import coefficients
from model.context import Month
from model.decisions import choice
from model.measures.offer import Offer, school_place_before_2022
from model.measures.package import Package
from model.people.choosers import Choosers
from model.people.store import People
from model.world.conditions import BAOTOU


@dataclass
class Decision:
    choice: np.ndarray  # destination index, -1 = stay
    p_baotou: np.ndarray  # chance of living in Baotou after deciding, with the measures
    p_baotou_without: np.ndarray  # the same with no lever of the package (what happens anyway stays)


def _contributions(
    beh: Mapping[str, Any],
    month: Month,
    ch: Choosers,
    total: Offer,
    parts: dict[str, Offer],
    income: np.ndarray,
) -> dict[str, np.ndarray]:
    """Utility each measure adds to Baotou: the utility lost if it alone were taken away."""
    b_y = beh["beta_income"]
    wage = month.now.wage[BAOTOU] * choice.EDUCATION_PREMIUM[ch.education]
    floor = beh["income_floor_share"] * wage
    old_rule = school_place_before_2022(ch.hukou, ch.social_insurance_months, beh)
    school = beh["school_access_value"] * b_y * ch.school_children * ~old_rule
    job_ok = ~(ch.in_baotou & ch.employed)  # the employed in Baotou already have a job
    if not parts:
        return {}
    # School access without one measure: the chance none of the others gives a place, as the
    # product of those before it and those after it (prefix and suffix products, not M^2 work),
    # over the few measures that give any access (the others' factors are exactly 1).
    giving = [bool(offer.school_access.any()) for offer in parts.values()]
    no_access = np.array(
        [1 - offer.school_access for offer, g in zip(parts.values(), giving, strict=True) if g]
    ).reshape(-1, len(ch))
    ones = np.ones((1, len(ch)))
    before = np.cumprod(np.vstack([ones, no_access]), axis=0)  # before[k]: the first k givers
    after = np.cumprod(np.vstack([ones, no_access[::-1]]), axis=0)[::-1]  # after[k]: givers k on
    out = {}
    k = 0  # givers seen so far
    # The school term of a measure that gives no access depends only on how many givers came
    # before it: worked out once for each such count.
    school_without_none: dict[int, np.ndarray] = {}
    log_income: np.ndarray | None = None
    for (mid, offer), gives in zip(parts.items(), giving, strict=True):
        if gives or k not in school_without_none:
            access_without = 1 - before[k] * after[k + 1 if gives else k]
            term = school * (total.school_access - access_without)
            if not gives:
                school_without_none[k] = term
        else:
            term = school_without_none[k]
        k += int(gives)
        out[mid] = offer.utility + term
        if offer.money.any() or offer.job_finding.any():  # otherwise income without it is the same
            without = np.maximum(income - offer.money - offer.job_finding * job_ok * wage, floor)
            log_income = np.log(income) if log_income is None else log_income
            out[mid] += b_y * (log_income - np.log(without))
    return out


def decide(
    ch: Choosers,
    name: str,
    month: Month,
    package: Package,
    people: People,
    network: np.ndarray,
    only_baotou: bool = False,
    constant: float = 0.0,
) -> Decision:
    """Choose for every chooser; ``name`` keys the random draws of this kind of decision.

    ``network``: persons in Baotou by origin group (the ledger's); ``only_baotou``: Baotou or
    stay (talent offers); ``constant``: added to Baotou's utility.
    """
    beh = month.behaviour
    offer, parts = package.offers(ch, month, people)
    cut, cuts = package.distance_cuts(ch, month)
    others = choice.Alternatives.of(ch, month.now, beh, only_baotou)

    def utility(o: Offer, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        v, income = choice.baotou_utility(ch, month.now, beh, o, network, c)
        return v + constant, income

    v_with, income = utility(offer, cut)
    levers = package.levers()
    anyway_cut = sum((c for mid, c in cuts.items() if mid not in levers), np.zeros(len(ch)))
    anyway_offers = any(mid not in levers for mid in parts)
    parts = {mid: part for mid, part in parts.items() if mid in levers}
    cuts = {mid: part for mid, part in cuts.items() if mid in levers}
    if parts or cuts:
        # "Without" the package: what happens anyway still acts.
        anyway = package.offers(ch, month, people, anyway_only=True)[0] if anyway_offers else Offer.empty(len(ch))
        v_without = utility(anyway, anyway_cut)[0]
        response = beh["policy_response"]
        if response != 1.0:  # at 1 the levers' utility is taken as it is (no rounding of v_with)
            # The policy response scales what the levers add to Baotou's utility: 0 = they change
            # no decision, 1 = what the coefficients imply (docs/what-the-data-can-tell.md).
            v_with = v_without + response * (v_with - v_without)
    with_measures = others.probabilities(v_with)
    u_move = month.draw(ch.key, f"{name}_move")
    moving = np.flatnonzero(u_move >= with_measures.stay)
    u_where = np.zeros(len(ch))  # only movers need the second draw
    u_where[moving] = month.draw(ch.key[moving], f"{name}_where")
    chosen = choice.draw(with_measures, u_move, u_where)
    p_with = with_measures.baotou(ch)
    if parts or cuts:
        p_without = others.probabilities(v_without).baotou(ch)
        contributions = _contributions(beh, month, ch, offer, parts, income)
        for mid, own_cut in cuts.items():
            # A shorter distance is worth what the move alternative's distance term gains.
            contributions[mid] = coefficients.distance_coefficient(beh) * -np.log1p(-own_cut) * ~ch.in_baotou
        _attribute(package, month, ch, contributions, p_with - p_without)
    else:
        p_without = p_with
    return Decision(chosen, p_with, p_without)


def _attribute(
    package: Package, month: Month, ch: Choosers, contributions: dict[str, np.ndarray], extra: np.ndarray
) -> None:
    """Share each chooser's extra chance of living in Baotou among the measures, in proportion to
    the utility each added."""
    if not contributions:
        return
    stacked = np.maximum(np.array(list(contributions.values())), 0.0)
    total = stacked.sum(axis=0)
    share = np.divide(stacked, total, out=np.zeros_like(stacked), where=total > 0)
    persons = extra * ch.household_size * month.weight
    for mid, s in zip(contributions, share, strict=True):
        package.attribute(mid, float((persons * s).sum()))
