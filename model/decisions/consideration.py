"""When residents consider moving: the consideration hazard and its thinning schedule.

Adult heads and adult children consider a move at a monthly hazard: a Rogers–Castro age schedule
times multipliers for kind, owning a home, being past the return age without hukou, being out
of work, a child about to start school (heads), and duration dependence on months in Baotou
(cumulative inertia, and newcomers' extra leaving in their first years: ``duration_part``).

The hazard changes every month (age, duration, jobs), so it is drawn by thinning
(``model/draws/thinning.py``): candidate moments at a rate that bounds the person's hazard from
then on (``bound``), each kept with chance hazard / rate. Only people with a candidate moment in
the month are looked at.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from model.categories import Kind, Role, Tenure
from model.context import Month
from model.demography.migration_schedule import rogers_castro
from model.draws import thinning
from model.people.life_stages import SCHOOL_START
from model.people.store import People
from model.unique import isin, unique


def duration_part(years: np.ndarray, beh: Mapping[str, Any]) -> np.ndarray:
    """The duration part of the hazard: cumulative inertia, (1 + years)^-duration_inertia, times
    newcomers' extra leaving (return migration), 1 + excess x exp(-years / decay), which is high
    in the first years after arrival and falls with time."""
    newcomer = 1 + beh["newcomer_leaving_excess"] * np.exp(-years / beh["newcomer_excess_years"])
    return (1 + years) ** -beh["duration_inertia"] * newcomer


@dataclass(frozen=True)
class HazardTables:
    """Lookup tables for the parts of the monthly hazard: by whole years of age, by whole months
    in Baotou, and by kind x owning x past the return age without hukou x unemployed; and the
    highest value of the age and duration parts from each age (months) on, for the bound."""

    age: np.ndarray
    duration: np.ndarray
    circumstance: np.ndarray
    age_from: np.ndarray
    duration_from: np.ndarray

    @classmethod
    def of(cls, beh: Mapping[str, Any], max_age: int) -> HazardTables:
        ages = np.arange(max_age + 1)
        months = np.arange(12 * (max_age + 1) + 1)
        kind = np.asarray(beh["consider_multiplier_by_kind"], dtype=float)
        own = np.array([1.0, beh["owner_consider_multiplier"]])
        returning = np.array([1.0, beh["return_multiplier"]])
        unemployed = np.array([1.0, beh["job_loss_event_multiplier"]])
        circumstance = kind[:, None, None, None] * own[:, None, None] * returning[:, None] * unemployed
        age = beh["resident_consider_rate"] / 12 * rogers_castro(ages, beh)
        duration = duration_part(months / 12, beh)
        return cls(
            age=age,
            duration=duration,
            circumstance=circumstance.reshape(len(Kind), -1),
            age_from=thinning.highest_from(age),
            duration_from=thinning.highest_from(duration),
        )


def bound(people: People, rows: np.ndarray, beh: Mapping[str, Any], t: HazardTables) -> np.ndarray:
    """A rate no lower than the person's hazard now or at any later time while they keep their
    role: the highest multipliers of their kind, and the highest age and duration parts from
    their present age and months in Baotou on (both only grow)."""
    max_age = t.age.size - 1
    age = np.minimum(people.age_months[rows] // 12, max_age)
    months = np.minimum(people.months_in_baotou[rows], t.duration.size - 1)
    school = max(beh["school_age_event_multiplier"], 1.0)
    # Spouses, parents and children past the adult-child ages never decide unless they become
    # head, when their moments are drawn afresh (``thinning.reschedule``).
    role = people.role[rows]
    could_decide = (role == Role.HEAD) | (
        (role == Role.CHILD) & (age <= math.floor(beh["adult_child_decider_ages"][1]))
    )
    per_kind = t.circumstance.max(axis=1)[people.kind[rows]]
    return t.age_from[age] * t.duration_from[months] * per_kind * school * could_decide


def hazard(people: People, rows: np.ndarray, beh: Mapping[str, Any], t: HazardTables) -> np.ndarray:
    """This month's hazard of considering a move for ``rows`` (0 for those who do not decide)."""
    max_age = t.age.size - 1
    age = np.minimum(people.age_months[rows] // 12, max_age)
    role = people.role[rows]
    lo, hi = beh["adult_child_decider_ages"]
    adult = age >= math.ceil(lo)
    adult_child = (role == Role.CHILD) & adult & (age <= math.floor(hi))
    # A child left heading a household (their parents died) does not move it on their own.
    decides = people.alive[rows] & (people.study_months[rows] < 0) & (((role == Role.HEAD) & adult) | adult_child)
    returning = ~people.hukou[rows] & (age > math.floor(beh["return_age"]))
    code = people.tenure[rows] == Tenure.OWN
    code = code * 4 + returning * 2 + people.unemployed[rows]
    rate = t.age[age] * t.circumstance[people.kind[rows], code]
    rate *= t.duration[np.minimum(people.months_in_baotou[rows], t.duration.size - 1)]
    is_head = role == Role.HEAD
    starting_school = is_head & isin(people.household_id[rows], school_starters(people, rows[is_head]))
    rate *= np.where(starting_school, beh["school_age_event_multiplier"], 1.0)
    return rate * decides


def school_starters(people: People, heads: np.ndarray) -> np.ndarray:
    """Households of these heads with a child of the age at which school starts (about to start)."""
    members = people.members_of(people.household_id[heads])
    return unique(people.household_id[members[SCHOOL_START.months(people.age_months[members])]])


def considering(people: People, month: Month, t: HazardTables) -> np.ndarray:
    """Rows of the people who consider moving this month."""
    beh = month.behaviour
    return thinning.events_this_month(
        people,
        "consider",
        month.seed,
        month.index,
        lambda rows: hazard(people, rows, beh, t),
        lambda rows: bound(people, rows, beh, t),
    )
