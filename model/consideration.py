"""When residents consider moving: the consideration hazard and its thinning schedule.

Adult heads and adult children consider a move at a monthly hazard: a Rogers–Castro age schedule
times multipliers for kind, owning a home, being past the return age without hukou, being out
of work, a child about to start school (heads), and duration dependence on months in Baotou.

The hazard changes every month (age, duration, jobs), so it is drawn by thinning
(``model/thinning.py``): candidate moments at a rate that bounds the person's hazard from then
on (``bound``), each kept with chance hazard / rate. Only people with a candidate moment in the
month are looked at.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from model import thinning
from model.categories import Kind, Role, Tenure

if TYPE_CHECKING:
    from model.model import BaotouModel


def rogers_castro(age: np.ndarray, beh: dict) -> np.ndarray:
    """Rogers–Castro migration schedule, labour peak height 1 (plus child and constant terms)."""
    x = age - beh["rc_mu"]
    labour = np.exp(-beh["rc_alpha"] * x - np.exp(-beh["rc_lambda"] * x))
    peak_x = np.log(beh["rc_lambda"] / beh["rc_alpha"]) / beh["rc_lambda"]
    peak = np.exp(-beh["rc_alpha"] * peak_x - np.exp(-beh["rc_lambda"] * peak_x))
    return labour / peak + beh["rc_child"] * np.exp(-beh["rc_alpha"] * age) + beh["rc_constant"]


def hazard_tables(model: BaotouModel) -> dict[str, np.ndarray]:
    """Lookup tables for the parts of the monthly hazard: by whole years of age, by whole months
    in Baotou, and by kind x owning x past the return age without hukou x unemployed."""
    tables = getattr(model, "_consider_tables", None)
    if tables is None:
        beh = model.beh
        ages = np.arange(model.rates.max_age + 1)
        months = np.arange(12 * (model.rates.max_age + 1) + 1)
        kind = np.asarray(beh["consider_multiplier_by_kind"], dtype=float)
        own = np.array([1.0, beh["owner_consider_multiplier"]])
        returning = np.array([1.0, beh["return_multiplier"]])
        unemployed = np.array([1.0, beh["job_loss_event_multiplier"]])
        circumstance = kind[:, None, None, None] * own[:, None, None] * returning[:, None] * unemployed
        tables = {
            "age": beh["resident_consider_rate"] / 12 * rogers_castro(ages, beh),
            "duration": (1 + months / 12) ** -beh["duration_inertia"],
            "circumstance": circumstance.reshape(len(Kind), -1),
        }
        # Highest value from each age (months) on, for the bound on future hazards.
        tables["age_from"] = thinning.highest_from(tables["age"])
        tables["duration_from"] = thinning.highest_from(tables["duration"])
        model._consider_tables = tables
    return tables


def bound(model: BaotouModel, rows: np.ndarray) -> np.ndarray:
    """A rate no lower than the person's hazard now or at any later time while they keep their
    role: the highest multipliers of their kind, and the highest age and duration parts from
    their present age and months in Baotou on (both only grow)."""
    t = hazard_tables(model)
    people = model.people
    age = np.minimum(people.age_months[rows] // 12, model.rates.max_age)
    months = np.minimum(people.months_in_baotou[rows], t["duration"].size - 1)
    school = max(model.beh["school_age_event_multiplier"], 1.0)
    # Spouses, parents and children past the adult-child ages never decide unless they become
    # head, when their moments are drawn afresh (``thinning.reschedule``).
    role = people.role[rows]
    could_decide = (role == Role.HEAD) | (
        (role == Role.CHILD) & (age <= math.floor(model.beh["adult_child_decider_ages"][1]))
    )
    per_kind = t["circumstance"].max(axis=1)[people.kind[rows]]
    return t["age_from"][age] * t["duration_from"][months] * per_kind * school * could_decide


def hazard(model: BaotouModel, rows: np.ndarray) -> np.ndarray:
    """This month's hazard of considering a move for ``rows`` (0 for those who do not decide)."""
    people, beh = model.people, model.beh
    t = hazard_tables(model)
    age = np.minimum(people.age_months[rows] // 12, model.rates.max_age)
    role = people.role[rows]
    lo, hi = beh["adult_child_decider_ages"]
    adult = age >= math.ceil(lo)
    adult_child = (role == Role.CHILD) & adult & (age <= math.floor(hi))
    # A child left heading a household (their parents died) does not move it on their own.
    decides = people.alive[rows] & (people.study_months[rows] < 0) & (((role == Role.HEAD) & adult) | adult_child)
    returning = ~people.hukou[rows] & (age > math.floor(beh["return_age"]))
    code = people.tenure[rows] == Tenure.OWN
    code = code * 4 + returning * 2 + people.unemployed[rows]
    rate = t["age"][age] * t["circumstance"][people.kind[rows], code]
    rate *= t["duration"][np.minimum(people.months_in_baotou[rows], t["duration"].size - 1)]
    is_head = role == Role.HEAD
    starting_school = is_head & np.isin(people.household_id[rows], school_starters(model, rows[is_head]))
    rate *= np.where(starting_school, beh["school_age_event_multiplier"], 1.0)
    return rate * decides


def school_starters(model: BaotouModel, heads: np.ndarray) -> np.ndarray:
    """Households of these heads with a member aged six (72-83 months), about to start school."""
    people = model.people
    members = model.members_of(people.household_id[heads])
    age = people.age_months[members]
    return np.unique(people.household_id[members[(age >= 72) & (age < 84)]])


def considering(model: BaotouModel) -> np.ndarray:
    """Rows of the people who consider moving this month."""
    return thinning.events_this_month(
        model.people,
        "consider",
        model.seed,
        model.month,
        lambda rows: hazard(model, rows),
        lambda rows: bound(model, rows),
    )
