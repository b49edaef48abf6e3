"""Students and graduates of Baotou's universities and colleges: intake each September,
graduation each July with a stay-or-leave decision (measures H4, E4, J2 act on it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.candidates import degree
from model.categories import Education, Kind, Role, Sex, Tenure
from model.migration import clocks, combined_offer, decide, work_values
from model.rng import derive_keys, salt

if TYPE_CHECKING:
    from model.model import BaotouModel


def study_months(beh: dict, from_month: int) -> int:
    """Months from a September intake to graduation after ``study_years``."""
    return int((beh["study_years"] - 1) * 12 + (beh["graduation_month"] - from_month) % 12)


class LocalEnrolment:
    """The chance that a Baotou 18-year-old enters a local university, fixed at the start from
    the census cohort, so that each young person's enrolment is their own draw (common random
    numbers) rather than a share of whoever is in the cohort that year."""

    def __init__(self, model: BaotouModel) -> None:
        beh, people = model.beh, model.people
        cohort = np.count_nonzero(people.hukou & (people.age_years() == int(beh["student_entry_age"])))
        local = beh["student_intake"] * (1 - beh["student_intake_non_hukou_share"]) * model.agents_per_person
        self.rate = min(1.0, local / cohort) if cohort else 0.0


def intake(model: BaotouModel) -> None:
    """New students: most come from outside (in-migration), the rest are Baotou 18-year-olds."""
    beh = model.beh
    if model.calendar_month != beh["intake_month"]:
        return
    entry_age = int(beh["student_entry_age"])
    months = study_months(beh, beh["intake_month"])
    people = model.people
    pool = np.flatnonzero(people.alive & people.hukou & (people.age_years() == entry_age) & (people.study_months < 0))
    enrol = pool[model.uniform(people.key[pool], "enrol") < model.local_enrolment.rate]
    people.study_months[enrol] = months  # they stay in their households and keep their kind
    people.education[enrol] = Education.SENIOR_SECONDARY

    multiplier = float(np.prod([m.intake_multiplier() for m in model.measures.values()]))
    expected = beh["student_intake"] * beh["student_intake_non_hukou_share"] * model.agents_per_person
    base = model.streams["students"].poisson(expected)
    # E4's extra places are drawn from their own stream, so the base intake is the same in every run.
    extra = model.streams["students_extra"].poisson(expected * (multiplier - 1)) if multiplier > 1 else 0
    keys = np.concatenate(
        [
            derive_keys(np.arange(base, dtype=np.uint64), salt(model.seed, "student", model.month)),
            derive_keys(np.arange(extra, dtype=np.uint64), salt(model.seed, "student_extra", model.month)),
        ]
    )
    n = keys.size
    if n == 0:
        return
    shares = np.asarray(model.pop_params["origin_shares_non_hukou"]["value"])
    origin = 1 + np.searchsorted(np.cumsum(shares / shares.sum()), model.uniform(keys, "student_origin"))
    sex = np.where(model.uniform(keys, "student_sex") < beh["student_male_share"], Sex.MALE, Sex.FEMALE)
    rows = people.add(
        n,
        key=keys,
        age_months=entry_age * 12 + (model.uniform(keys, "birth_month") * 12).astype(np.int64),
        sex=sex,
        household_id=model.new_household_ids(n),
        role=Role.HEAD,
        hukou=False,
        kind=Kind.GRADUATE,
        education=Education.SENIOR_SECONDARY,
        tenure=Tenure.DORMITORY,
        urban=True,
        origin=np.minimum(origin, 3).astype(np.int8),
        study_months=months,
        **clocks(model, keys),
    )
    model.count_in(np.arange(rows.start, rows.stop))


def graduation(model: BaotouModel) -> None:
    """Students whose studies end this month take a degree and decide to stay or leave; those
    who stay start work like any newcomer (measures' job-finding gains and S1 included)."""
    people = model.people
    grads = np.flatnonzero(people.alive & (people.study_months == 0))
    if grads.size == 0:
        return
    people.study_months[grads] = -1
    people.education[grads] = degree(model, model.uniform(people.key[grads], "degree"))
    ch = model.choosers_of(grads, graduate=True)
    # Graduates leave the dormitory: staying means renting.
    ch.tenure = np.where(ch.tenure == Tenure.DORMITORY, Tenure.RENT, ch.tenure)
    decision = decide(model, ch, "graduate_choice")
    staying = decision.choice < 0
    stay, leave = grads[staying], grads[~staying]
    model.flows["graduates"] += grads.size
    model.flows["graduates_stayed"] += stay.size
    model.depart(leave, decision.choice[~staying])
    # A graduate who headed a household leaves alone; the others get a new head.
    model.replace_heads(people.household_id[leave[people.role[leave] == Role.HEAD]])
    if stay.size == 0:
        return
    sub = ch.subset(np.flatnonzero(staying))
    gain = combined_offer(model, sub)[0].job_finding
    values = work_values(
        model, people.key[stay], sub.age, people.sex[stay], sub.education, sub.kind, np.ones(stay.size, bool), gain
    )
    for column, value in values.items():
        people.column(column)[stay] = value
    people.tenure[stay] = np.where(people.tenure[stay] == Tenure.DORMITORY, Tenure.RENT, people.tenure[stay])
    model.arrived(stay, graduate=True)
