"""Monthly demographic events on the population store: deaths, births, ageing.

Rates come from ``model.schedules``; each event draws from its own random stream.
"""

from __future__ import annotations

import numpy as np

from model.categories import Education, Role, Sex
from model.population import People
from model.schedules import MonthlyRates


def deaths(people: People, age: np.ndarray, rates: MonthlyRates, rng: np.random.Generator) -> int:
    """Each living person dies this month with the probability of their sex and age.

    ``age`` is completed years, capped at the open age group (``capped_age``).
    """
    p = rates.death[people.sex, age]
    die = (rng.random(len(people), dtype=np.float32) < p) & people.alive
    people.alive[die] = False
    return int(np.count_nonzero(die))


def births(people: People, age: np.ndarray, rates: MonthlyRates, rng: np.random.Generator) -> int:
    """Women give birth with their age's monthly rate; each baby joins its mother's household."""
    fertile_ages = np.flatnonzero(rates.birth > 0)
    candidates = np.flatnonzero(
        people.alive & (people.sex == Sex.FEMALE) & (age >= fertile_ages[0]) & (age <= fertile_ages[-1])
    )
    p = rates.birth[age[candidates]]
    mothers = candidates[rng.random(candidates.size) < p]
    n = mothers.size
    if n:
        sex = np.where(rng.random(n) < rates.male_share_of_births, Sex.MALE, Sex.FEMALE)
        inherited = ("household_id", "hukou", "kind", "tenure", "urban", "area", "origin")
        people.add(
            n,
            sex=sex,
            role=Role.CHILD,
            education=Education.PRIMARY_OR_LESS,
            **{name: people.column(name)[mothers] for name in inherited},
        )
    return n


def capped_age(people: People, rates: MonthlyRates) -> np.ndarray:
    """Completed years of age, with the open age group at ``rates.max_age``."""
    return np.minimum(people.age_years(), rates.max_age)


def age_one_month(people: People) -> None:
    """Everyone is a month older, with a month more in Baotou and of continuous contributions.

    Rows of the dead are updated too: they are dropped at the next compaction, and skipping
    them would cost a masked write per column.
    """
    people.age_months += 1
    people.months_in_baotou += 1
    for flag in ("social_insurance", "provident_fund"):
        months = people.column(f"{flag}_months")
        months += 1
        months *= people.column(flag)  # a month without contributions breaks continuity
