"""Students and graduates of Baotou's universities and colleges: intake each September,
graduation each July with a stay-or-leave decision (measures H4, E4, J2 act on it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from model.categories import Education, Kind, Origin, Role, Sex, Tenure
from model.context import Month
from model.decisions.decide import decide
from model.draws.keyed import derive_keys, salt
from model.ledger import Ledger
from model.measures.package import Package
from model.people import households
from model.people.choosers import Choosers
from model.people.store import People
from model.stages.arrivals import clocks, work_values
from model.stages.departures import leave
from model.world.outside import degree


def study_months(beh: Mapping[str, Any], from_month: int) -> int:
    """Months from a September intake to graduation after ``study_years``."""
    return int((beh["study_years"] - 1) * 12 + (beh["graduation_month"] - from_month) % 12)


def local_enrolment_rate(people: People, beh: Mapping[str, Any], agents_per_person: float) -> float:
    """The chance that a Baotou 18-year-old enters a local university, fixed at the start from
    the census cohort, so that each young person's enrolment is their own draw (common random
    numbers) rather than a share of whoever is in the cohort that year."""
    cohort = np.count_nonzero(people.hukou & (people.age_years() == int(beh["student_entry_age"])))
    local = beh["student_intake"] * (1 - beh["student_intake_non_hukou_share"]) * agents_per_person
    return min(1.0, local / cohort) if cohort else 0.0


def intake(people: People, month: Month, package: Package, ledger: Ledger, local_rate: float) -> None:
    """New students (in the intake month): most come from outside (in-migration), the rest are
    Baotou 18-year-olds (``local_rate``)."""
    beh = month.behaviour
    if month.calendar_month != beh["intake_month"]:
        return
    entry_age = int(beh["student_entry_age"])
    months = study_months(beh, beh["intake_month"])
    pool = np.flatnonzero(people.alive & people.hukou & (people.age_years() == entry_age) & (people.study_months < 0))
    enrol = pool[month.draw(people.key[pool], "enrol") < local_rate]
    people.study_months[enrol] = months  # they stay in their households and keep their kind
    people.education[enrol] = Education.SENIOR_SECONDARY

    multiplier = package.intake_multiplier(month)
    expected = beh["student_intake"] * beh["student_intake_non_hukou_share"] * month.agents_per_person
    base = month.streams["students"].poisson(expected)
    # E4's extra places are drawn from their own stream, so the base intake is the same in every run.
    extra = month.streams["students_extra"].poisson(expected * (multiplier - 1)) if multiplier > 1 else 0
    keys = np.concatenate(
        [
            derive_keys(np.arange(base, dtype=np.uint64), salt(month.seed, "student", month.index)),
            derive_keys(np.arange(extra, dtype=np.uint64), salt(month.seed, "student_extra", month.index)),
        ]
    )
    n = keys.size
    if n == 0:
        return
    shares = np.asarray(month.population["origin_shares_non_hukou"]["value"])
    origin = 1 + np.searchsorted(np.cumsum(shares / shares.sum()), month.draw(keys, "student_origin"))
    sex = np.where(month.draw(keys, "student_sex") < beh["student_male_share"], Sex.MALE, Sex.FEMALE)
    rows = people.add(
        n,
        key=keys,
        age_months=entry_age * 12 + (month.draw(keys, "birth_month") * 12).astype(np.int64),
        sex=sex,
        household_id=people.new_household_ids(n),
        role=Role.HEAD,
        hukou=False,
        kind=Kind.GRADUATE,
        education=Education.SENIOR_SECONDARY,
        tenure=Tenure.DORMITORY,
        urban=True,
        origin=np.minimum(origin, Origin.REST_OF_CHINA).astype(np.int8),
        study_months=months,
        arrived=True,
        **clocks(month, keys),
    )
    ledger.arrived(people, np.arange(rows.start, rows.stop))


def graduation(people: People, month: Month, package: Package, ledger: Ledger) -> None:
    """Students whose studies end this month take a degree and decide to stay or leave; those
    who stay start work like any newcomer (measures' job-finding gains and S1 included)."""
    grads = np.flatnonzero(people.alive & (people.study_months == 0))
    if grads.size == 0:
        return
    beh = month.behaviour
    people.study_months[grads] = -1
    people.education[grads] = degree(beh, month.draw(people.key[grads], "degree"))
    ch = Choosers.of(people, grads, graduate=True)
    # Graduates leave the dormitory: staying means renting.
    ch.tenure = np.where(ch.tenure == Tenure.DORMITORY, Tenure.RENT, ch.tenure)
    decision = decide(ch, "graduate_choice", month, package, people, ledger.network())
    staying = decision.choice < 0
    stay, gone = grads[staying], grads[~staying]
    ledger.count("graduates", grads.size)
    ledger.count("graduates_stayed", stay.size)
    leave(people, ledger, gone, decision.choice[~staying])
    # A graduate who headed a household leaves alone; the others get a new head.
    households.replace_heads(people, people.household_id[gone[people.role[gone] == Role.HEAD]])
    if stay.size == 0:
        return
    sub = ch.subset(np.flatnonzero(staying))
    gain = package.offers(sub, month, people)[0].job_finding
    values = work_values(
        month,
        package,
        people.key[stay],
        sub.age,
        people.sex[stay],
        sub.education,
        sub.kind,
        np.ones(stay.size, bool),
        gain,
    )
    for column, value in values.items():
        people.column(column)[stay] = value
    people.tenure[stay] = np.where(people.tenure[stay] == Tenure.DORMITORY, Tenure.RENT, people.tenure[stay])
    package.on_arrival(stay, month, people, graduate=True)
