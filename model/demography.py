"""Monthly demographic events on the population store: deaths, births, ageing.

Deaths and births use event-time clocks: each person carries an Exp(1) exposure that the
month's hazard uses up; the event happens when it runs out. This is exact for hazards constant
within a month, costs no random draw per person per month, and gives each person the same
draws whatever happens to others (common random numbers).
"""

from __future__ import annotations

import numpy as np

from model.categories import Education, Role, Sex
from model.population import People
from model.rng import derive_keys, exponential, salt, uniform
from model.schedules import MonthlyRates

INHERITED_AT_BIRTH = ("household_id", "hukou", "kind", "tenure", "urban", "area", "origin")


def capped_age(people: People, rates: MonthlyRates) -> np.ndarray:
    """Completed years of age, with the open age group at ``rates.max_age``, as indices into
    the rate tables (numpy gathers fastest with platform integers)."""
    return np.minimum(people.age_months // 12, rates.max_age).astype(np.intp)


def deaths(people: People, age: np.ndarray, rates: MonthlyRates) -> np.ndarray:
    """Rows of the people who die this month (they are marked not alive)."""
    clock = people.death_clock
    clock -= rates.death.ravel()[people.sex.astype(np.intp) * (rates.max_age + 1) + age]
    die = np.flatnonzero((clock <= 0) & people.alive)
    people.alive[die] = False
    return die


def births(
    people: People, age: np.ndarray, rates: MonthlyRates, seed: int, month: int, fertility_multiplier: float = 1.0
) -> int:
    """Women give birth when their birth clock runs out; each baby joins its mother's household."""
    # Whole columns: cheaper than gathering the women of fertile age; everyone else's rate is 0.
    rate = rates.birth[age] * np.float32(fertility_multiplier)
    rate *= (people.sex == Sex.FEMALE) & people.alive
    clock = people.birth_clock
    clock -= rate
    mothers = np.flatnonzero((clock <= 0) & (rate > 0))
    n = mothers.size
    if n == 0:
        return 0
    mother_keys = people.key[mothers]
    clock[mothers] = exponential(mother_keys, seed, "birth_clock", month)
    keys = derive_keys(mother_keys, salt(seed, "newborn", month))
    male = uniform(keys, seed, "sex_at_birth") < rates.male_share_of_births
    people.add(
        n,
        key=keys,
        sex=np.where(male, Sex.MALE, Sex.FEMALE),
        role=Role.CHILD,
        education=Education.PRIMARY_OR_LESS,
        death_clock=exponential(keys, seed, "death_clock"),
        birth_clock=exponential(keys, seed, "birth_clock"),
        **{name: people.column(name)[mothers] for name in INHERITED_AT_BIRTH},
    )
    return n


def age_one_month(people: People) -> None:
    """Everyone is a month older, with a month more in Baotou, of contributions and of study.

    Rows of the dead are updated too: they are dropped at the next compaction, and skipping
    them would cost a masked write per column.
    """
    people.age_months += 1
    people.months_in_baotou += 1
    study = people.study_months
    study -= study > 0  # students count down to graduation (0); -1 means not studying
    for flag in ("social_insurance", "provident_fund"):
        months = people.column(f"{flag}_months")
        months += 1
        months *= people.column(flag)  # a month without contributions breaks continuity
