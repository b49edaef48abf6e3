"""Monthly demographic events on the population store: deaths, births, ageing.

Deaths and births are event times, not a draw per person per month, and each person's draws
come from their own key, whatever happens to others (common random numbers). Death hazards
depend on age and sex only, so each person's death month is found once from an Exp(1)
exposure. Birth hazards change with the measures (F1), so births are drawn by thinning
(``model/draws/thinning.py``). Both give each month's event the chance ``1 - exp(-hazard)``.
"""

from __future__ import annotations

import numpy as np

from model.categories import Education, Role, Sex
from model.compiled import ENABLED, kernel
from model.demography.schedules import MonthlyRates
from model.draws import thinning
from model.draws.keyed import derive_keys, exponential, salt, uniform
from model.people.store import People

INHERITED_AT_BIRTH = ("household_id", "hukou", "kind", "tenure", "urban", "area", "division", "origin")


def capped_age(people: People, rates: MonthlyRates) -> np.ndarray:
    """Completed years of age, with the open age group at ``rates.max_age``, as indices into
    the rate tables (numpy gathers fastest with platform integers)."""
    return np.minimum(people.age_months // 12, rates.max_age).astype(np.intp)


def deaths(people: People, rates: MonthlyRates, month: int) -> np.ndarray:
    """Rows of the people who die this month (they are marked not alive).

    Each person's death month is worked out once, from their Exp(1) exposure, the first month
    they are here (see ``MonthlyRates.death_month``); after that a month costs one comparison.
    """
    scheduled = people.death_month
    # Those dying this month and those not scheduled yet (-1), from the calendar of death months
    # (``thinning.due``) rather than a pass over every row.
    due = thinning.due(people, "death", scheduled, month)
    new = due[scheduled[due] < 0]
    scheduled[new] = rates.death_month(people.sex[new], people.age_months[new], people.death_clock[new], month)
    thinning.file(people, "death", new, scheduled, month + 1)
    die = due[(scheduled[due] == month) & people.alive[due]]
    people.alive[die] = False
    people.changed()
    return die


def births(
    people: People,
    rates: MonthlyRates,
    seed: int,
    month: int,
    fertility_multiplier: float = 1.0,
    multiplier_bound: float = 1.0,
    tfr_bound: float = 0.0,
) -> int:
    """Women give birth at the schedule's hazard (times the measures' ``fertility_multiplier``);
    each baby joins its mother's household.

    Drawn by thinning (``model/draws/thinning.py``): candidate moments at the highest hazard a woman
    can have from her present age on, with the multiplier at ``multiplier_bound`` and the TFR at
    ``tfr_bound`` (or the TFR, if higher), so only a few women are looked at each month and the
    moments do not move when the TFR or the measures do.
    """
    if fertility_multiplier > multiplier_bound:
        raise ValueError(
            f"fertility multiplier {fertility_multiplier} is above behaviour.fertility_multiplier_bound "
            f"({multiplier_bound}); raise the bound"
        )
    female = Sex.FEMALE

    def hazard(rows: np.ndarray) -> np.ndarray:
        age = np.minimum(people.age_months[rows] // 12, rates.max_age)
        woman = (people.sex[rows] == female) & people.alive[rows]
        return rates.birth[age] * fertility_multiplier * woman

    def bound(rows: np.ndarray) -> np.ndarray:
        age = np.minimum(people.age_months[rows] // 12, rates.max_age)
        return rates.birth_from[age] * level * (people.sex[rows] == female)

    tfr = 12 * float(rates.birth.sum())  # the schedule sums to the TFR over single years of age
    level = multiplier_bound * max(1.0, tfr_bound / tfr) if tfr > 0 else multiplier_bound

    mothers = thinning.events_this_month(people, "birth", seed, month, hazard, bound)
    n = mothers.size
    if n == 0:
        return 0
    mother_keys = people.key[mothers]
    keys = derive_keys(mother_keys, salt(seed, "newborn", month))
    male = uniform(keys, seed, "sex_at_birth") < rates.male_share_of_births
    people.add(
        n,
        key=keys,
        sex=np.where(male, Sex.MALE, Sex.FEMALE),
        role=Role.CHILD,
        education=Education.PRIMARY_OR_LESS,
        death_clock=exponential(keys, seed, "death_clock"),
        **{name: people.column(name)[mothers] for name in INHERITED_AT_BIRTH},
    )
    return n


@kernel
def _age_kernel(
    age: np.ndarray,
    in_baotou: np.ndarray,
    study: np.ndarray,
    si_months: np.ndarray,
    si: np.ndarray,
    pf_months: np.ndarray,
    pf: np.ndarray,
) -> None:
    """``age_one_month`` in one pass over the rows (the compiled twin of the numpy path)."""
    for i in range(age.size):
        age[i] += 1
        in_baotou[i] += 1
        if study[i] > 0:
            study[i] -= 1
        si_months[i] = (si_months[i] + 1) * si[i]
        pf_months[i] = (pf_months[i] + 1) * pf[i]


def age_one_month(people: People) -> None:
    """Everyone is a month older, with a month more in Baotou, of contributions and of study.

    Rows of the dead are updated too: they are dropped at the next compaction, and skipping
    them would cost a masked write per column.
    """
    if ENABLED:
        _age_kernel(
            people.age_months,
            people.months_in_baotou,
            people.study_months,
            people.social_insurance_months,
            people.social_insurance,
            people.provident_fund_months,
            people.provident_fund,
        )
        return
    people.age_months += 1
    people.months_in_baotou += 1
    study = people.study_months
    study -= study > 0  # students count down to graduation (0); -1 means not studying
    for flag in ("social_insurance", "provident_fund"):
        months = people.column(f"{flag}_months")
        months += 1
        months *= people.column(flag)  # a month without contributions breaks continuity
