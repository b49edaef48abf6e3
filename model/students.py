"""Students and graduates of Baotou's universities and colleges: intake each September,
graduation each July with a stay-or-leave decision (measures H4, E4, J2 act on it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model import choice
from model.candidates import degree
from model.categories import Education, Kind, Origin, Role, Sex, Tenure
from model.conditions import BAOTOU
from model.migration import decide
from model.rng import derive_keys, exponential, salt

if TYPE_CHECKING:
    from model.model import BaotouModel


def study_months(beh: dict, from_month: int) -> int:
    """Months from a September intake to graduation after ``study_years``."""
    return int((beh["study_years"] - 1) * 12 + (beh["graduation_month"] - from_month) % 12)


def intake(model: BaotouModel) -> None:
    """New students: most come from outside (in-migration), the rest are Baotou 18-year-olds."""
    beh = model.beh
    if model.calendar_month != beh["intake_month"]:
        return
    rng = model.streams["students"]
    multiplier = np.prod([m.intake_multiplier() for m in model.measures.values()])
    base = rng.poisson(beh["student_intake"] * model.agents_per_person)
    more = beh["student_intake"] * model.agents_per_person * max(multiplier - 1, 0.0)
    extra = model.streams["students_extra"].poisson(more) if more else 0
    base_outside = rng.binomial(base, beh["student_intake_non_hukou_share"])
    local = base - base_outside
    from_outside = base_outside + extra  # E4's extra places go to students from outside
    months = study_months(beh, beh["intake_month"])
    people = model.people
    # Local students: Baotou 18-year-olds at home become students.
    pool = np.flatnonzero(people.alive & people.hukou & (people.age_years() == 18) & (people.study_months < 0))
    chosen = pool[np.argsort(model.uniform(people.key[pool], "enrol"))[: min(local, pool.size)]]
    people.kind[chosen] = Kind.GRADUATE
    people.study_months[chosen] = months
    people.education[chosen] = Education.SENIOR_SECONDARY
    if from_outside == 0:
        return
    keys = derive_keys(np.arange(from_outside, dtype=np.uint64), salt(model.seed, "student", model.month))
    shares = np.asarray(model.pop_params["origin_shares_non_hukou"]["value"])
    origin = 1 + np.searchsorted(np.cumsum(shares / shares.sum()), model.uniform(keys, "student_origin"))
    sex = np.where(model.uniform(keys, "student_sex") < beh["student_male_share"], Sex.MALE, Sex.FEMALE)
    rows = people.add(
        from_outside,
        key=keys,
        age_months=18 * 12 + (model.uniform(keys, "birth_month") * 12).astype(np.int64),
        sex=sex,
        household_id=model.new_household_ids(from_outside),
        role=Role.HEAD,
        hukou=False,
        kind=Kind.GRADUATE,
        education=Education.SENIOR_SECONDARY,
        tenure=Tenure.DORMITORY,
        urban=True,
        origin=origin.astype(np.int8),
        study_months=months,
        death_clock=exponential(keys, model.seed, "death_clock"),
        birth_clock=exponential(keys, model.seed, "birth_clock"),
        move_clock=exponential(keys, model.seed, "move_clock"),
    )
    model.count_in(np.arange(rows.start, rows.stop))


def graduation(model: BaotouModel) -> None:
    """Students whose studies end this month take a degree and decide to stay or leave."""
    people = model.people
    grads = np.flatnonzero(people.alive & (people.study_months == 0))
    if grads.size == 0:
        return
    people.study_months[grads] = -1
    people.education[grads] = degree(model, model.uniform(people.key[grads], "degree"))
    ch = model.choosers_of(grads, graduate=True)
    decision = decide(model, ch, "graduate_choice")
    stay, leave = grads[decision.choice < 0], grads[decision.choice >= 0]
    model.flows["graduates"] += grads.size
    model.flows["graduates_stayed"] += stay.size
    model.depart(leave, decision.choice[decision.choice >= 0])
    # Those who stay start work: a job, an income, insurance; dormitory students rent.
    keys = people.key[stay]
    p_job = np.clip(choice.JOB_FINDING[BAOTOU], 0, 1)
    employed = model.uniform(keys, "job") < p_job
    people.employed[stay] = employed
    sigma = model.pop_params["wage_dispersion"]["value"]
    from scipy.special import ndtri

    noise = np.exp(sigma * ndtri(model.uniform(keys, "wage")) - sigma**2 / 2)
    people.income[stay] = np.where(
        employed, model.now.wage[BAOTOU] * choice.EDUCATION_PREMIUM[people.education[stay]] * noise, 0
    )
    coverage = np.asarray(model.pop_params["social_insurance_coverage"]["value"])[Kind.GRADUATE]
    people.social_insurance[stay] = employed & (model.uniform(keys, "social_insurance") < coverage)
    pf = np.asarray(model.pop_params["provident_fund_coverage"]["value"])[Kind.GRADUATE]
    people.provident_fund[stay] = employed & (model.uniform(keys, "provident_fund") < pf)
    people.tenure[stay] = np.where(people.tenure[stay] == Tenure.DORMITORY, Tenure.RENT, people.tenure[stay])
    model.arrived(stay)


assert Origin.BAOTOU == 0
