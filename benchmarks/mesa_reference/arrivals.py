"""The outside world and who comes from it (``model/world/outside.py``, ``model/stages/students.py``,
``migration.arrive`` and ``migration.families_join``): origins' populations on their own
trend, outside candidates and talent offers weighed one by one (only those who come become
agents), the student intake from outside, and families left behind joining later."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .choice import SCHOOL_AGES, Chooser
from .project import (
    BAOTOU,
    CHILD,
    DORMITORY,
    FEMALE,
    GRADUATE,
    HEAD,
    MAIN_URBAN,
    MALE,
    MAX_KIDS,
    MIGRANT_WORKER,
    N_ORIGIN_GROUPS,
    OUTER,
    RENT,
    SPOUSE,
    TALENT,
    Education,
    origin_population_growth,
    single_year_shape,
)
from .residents import Household, Resident
from .schedules import rogers_castro

if TYPE_CHECKING:
    from .migration import MigrationReference

DECADE = 10  # partnered shares are by ten-year age group (``population.toml``)
# Ages at which schooling ends, as the census synthesis has them (``synthesis.py``, not parameters).
JUNIOR_DONE, SENIOR_DONE, STUDIES_DONE = 15, 18, 22


@dataclass(slots=True)
class Candidate:
    """Someone elsewhere weighing a move to Baotou, and who would come with them."""

    origin: int
    age: int
    education: int
    kind: int
    head_sex: int
    couple: bool
    kids: list[int] = field(default_factory=list)  # ages

    def chooser(self) -> Chooser:
        lo, hi = SCHOOL_AGES
        return Chooser(False, self.origin, self.education, any(lo <= k <= hi for k in self.kids))


@dataclass(slots=True)
class PendingFamily:
    """A family left behind by an arriving head, due to join later (``PendingFamilies``)."""

    decided: int
    due: int
    head: Resident
    candidate: Candidate


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson count: events of a unit-rate process before time ``mean``."""
    n, t = 0, rng.expovariate(1.0)
    while t < mean:
        n += 1
        t += rng.expovariate(1.0)
    return n


class OutsideWorld:
    """Everyone not in Baotou, and their ways in."""

    def __init__(self, model: MigrationReference, beh: dict, pop: dict, origin_population: list[float]) -> None:
        self.model, self.beh = model, beh
        # Pools grow on their own trend (``candidates.OutsideWorld``); ``exchange``: agents gone
        # from each origin group to Baotou, net.
        self.pool = list(origin_population)
        self.pool_growth = [(1 + g) ** (1 / 12) for g in origin_population_growth()]
        self.exchange = [0.0] * N_ORIGIN_GROUPS
        self.candidate_rate = [r * beh["candidate_flow_scale"] for r in beh["outside_consider_rate"]]
        ages_lo, ages_hi = beh["candidate_age_range"]
        self.candidate_ages = list(range(int(ages_lo), int(ages_hi) + 1))
        shape = single_year_shape().tolist()
        weights = [shape[a] * rogers_castro(float(a), beh) for a in self.candidate_ages]
        self.candidate_age_cum = list(np.cumsum(weights))
        self.peak_share = sum(weights) / sum(shape)
        edu = pop["education_by_age"]
        self.education_bands = list(edu["bands"])
        self.education_cum = np.cumsum(np.asarray(edu["value"]), axis=1).tolist()
        self.senior_share = pop["senior_secondary_share_18_21"]["value"]
        self.partnered = list(pop["partnered_share_by_age"]["value"])
        origin_shares = pop["origin_shares_non_hukou"]["value"]
        self.student_origin_cum = list(np.cumsum(np.asarray(origin_shares) / sum(origin_shares)))
        self.pending: list[PendingFamily] = []

    def grow(self) -> None:
        """A month of the origins' own population trend."""
        self.pool = [p * g for p, g in zip(self.pool, self.pool_growth, strict=True)]

    def arrivals(self) -> None:
        """This month's arrivals, in the project's stage order."""
        if self.model.intake_month:
            self.student_intake()
        self.outside_candidates()
        self.talent_offers()
        self.families_join()

    # ------------------------------------------------------------- who comes
    def student_intake(self) -> None:
        """``students.intake``: new students from outside, each in a household of their own."""
        m, beh = self.model, self.beh
        expected = beh["student_intake"] * beh["student_intake_non_hukou_share"] * m.agents_per_person
        for _ in range(poisson(m.random, expected)):
            origin = min(1 + bisect.bisect_left(self.student_origin_cum, m.random.random()), N_ORIGIN_GROUPS)
            sex = MALE if m.random.random() < beh["student_male_share"] else FEMALE
            student = Resident(
                m,
                Household(),
                age_months=m.entry_age * 12 + int(m.random.random() * 12),
                sex=sex,
                role=HEAD,
                hukou=False,
                kind=GRADUATE,
                education=int(Education.SENIOR_SECONDARY),
                tenure=DORMITORY,
                area=MAIN_URBAN,  # the store's default: intake sets no area
                origin=origin,
                study_months=m.study_length,
                arrived=True,
            )
            m.count_in(student)

    def outside_candidates(self) -> None:
        """``candidates.outside_arrivals``: this month's people elsewhere weigh Baotou against the
        other destinations; those who choose Baotou arrive."""
        m, beh, rng = self.model, self.beh, self.model.random
        lo, hi = beh["graduate_age_range"]
        for g in range(N_ORIGIN_GROUPS):
            expected = self.pool[g] * self.candidate_rate[g] * self.peak_share / 12 * m.agents_per_person
            for _ in range(poisson(rng, expected)):
                m.flows["candidates"] += 1
                age = rng.choices(self.candidate_ages, cum_weights=self.candidate_age_cum)[0]
                education, kind = self.education_at(age), MIGRANT_WORKER
                if lo <= age <= hi and rng.random() < beh["graduate_share_of_candidates"]:
                    education, kind = m.degree(rng.random()), GRADUATE
                candidate = self.family(g + 1, age, education, kind)
                if rng.random() < m.probabilities(candidate.chooser())[BAOTOU]:
                    self.arrive(candidate)

    def talent_offers(self) -> None:
        """``candidates.talent_offers``: offers to high-level talent elsewhere, accepted or not."""
        m, beh, rng = self.model, self.beh, self.model.random
        lo, hi = beh["talent_age_range"]
        origins = list(range(1, N_ORIGIN_GROUPS + 1))
        for _ in range(poisson(rng, beh["talent_offers_per_year"] * m.agents_per_person / 12)):
            age = rng.randint(int(lo), int(hi))
            origin = rng.choices(origins, weights=beh["talent_origin_shares"])[0]
            candidate = self.family(origin, age, int(Education.POSTGRADUATE), TALENT)
            p = m.probabilities(candidate.chooser(), only_baotou=True, constant=beh["talent_accept_constant"])
            if rng.random() < p[BAOTOU]:
                self.arrive(candidate)

    def education_at(self, age: int) -> int:
        """Education of someone elsewhere (not a student), as the census synthesis draws it."""
        rng = self.model.random
        # The young take the first band's row (they get a level fitting their age below).
        band = bisect.bisect_right(self.education_bands, max(age, self.education_bands[0])) - 1
        row = min(max(band, 0), len(self.education_cum) - 1)
        u = rng.random()
        level = min(sum(1 for c in self.education_cum[row] if u > c), len(Education) - 1)
        if age < STUDIES_DONE:
            level = int(Education.PRIMARY_OR_LESS)
        if JUNIOR_DONE <= age < STUDIES_DONE:
            level = int(Education.JUNIOR_SECONDARY)
        if SENIOR_DONE <= age < STUDIES_DONE and rng.random() < self.senior_share:
            level = int(Education.SENIOR_SECONDARY)
        return level

    def family(self, origin: int, age: int, education: int, kind: int) -> Candidate:
        """``candidates._family``: partner, children and the head's sex of someone elsewhere."""
        beh, rng = self.beh, self.model.random
        partnered = self.partnered[min(age // DECADE, len(self.partnered) - 1)] * beh["candidate_partnered_factor"]
        couple = rng.random() < partnered
        kids = []
        if couple:
            oldest = min(max(age - beh["parent_age_at_first_child"], 0), beh["child_age_max"])
            n_kids = min(poisson(rng, beh["children_per_family"]), MAX_KIDS)
            kids = [int(rng.random() * (oldest + 1)) for _ in range(n_kids)]
        sex = MALE if rng.random() < beh["male_share_by_kind"][kind - MIGRANT_WORKER] else FEMALE
        return Candidate(origin, age, education, kind, sex, couple, kids)

    # ------------------------------------------------------------- coming
    def arrive(self, c: Candidate) -> None:
        """``migration.arrive``: the head founds a household; the family comes now or later."""
        m, beh, rng = self.model, self.beh, self.model.random
        bring_now = rng.random() < beh["bring_family_share_by_kind"][c.kind - MIGRANT_WORKER]
        area = MAIN_URBAN if rng.random() < beh["main_urban_share_of_newcomers"] else OUTER
        dormitory = c.kind == MIGRANT_WORKER and rng.random() < beh["dormitory_share_of_migrant_workers"]
        tenure = DORMITORY if dormitory else RENT
        household = Household()
        head = self.newcomer(household, c.age, c.head_sex, c.education, c.kind, HEAD, tenure, area, c.origin, True)
        if bring_now:
            self.bring_family(household, c, 0, tenure, area)
        elif c.couple or c.kids:
            delay = int(1 + rng.expovariate(1.0) * beh["family_join_months_by_kind"][c.kind - MIGRANT_WORKER])
            self.pending.append(PendingFamily(m.month, m.month + delay, head, c))

    def newcomer(
        self,
        household: Household,
        age: int,
        sex: int,
        education: int,
        kind: int,
        role: int,
        tenure: int,
        area: int,
        origin: int,
        came_to_work: bool,
        hukou: bool = False,
    ) -> Resident:
        """One person arriving, ``age`` in whole years (the months within the year drawn)."""
        m = self.model
        p = Resident(
            m,
            household,
            age_months=age * 12 + int(m.random.random() * 12),
            sex=sex,
            role=role,
            hukou=hukou,
            kind=kind,
            education=education,
            tenure=tenure,
            area=area,
            origin=origin,
            arrived=True,
        )
        m.start_work(p, came_to_work)
        m.count_in(p)
        return p

    def bring_family(
        self, household: Household, c: Candidate, years: int, tenure: int, area: int, hukou: bool = False
    ) -> int:
        """Spouse and children join ``household``, ``years`` older than when the head decided,
        with the household's housing, place and hukou; returns how many came."""
        m, beh = self.model, self.beh
        n = 0
        if c.couple:
            sex = FEMALE if c.head_sex == MALE else MALE
            gap = beh["spouse_age_gap"] * (1 if sex == MALE else -1)
            age = max(c.age + years + gap, beh["legal_marriage_age"])
            self.newcomer(household, int(age), sex, c.education, c.kind, SPOUSE, tenure, area, c.origin, False, hukou)
            n += 1
        for kid_age in c.kids:
            sex = MALE if m.random.random() < m.male_share_of_births else FEMALE
            edu = int(Education.PRIMARY_OR_LESS)
            self.newcomer(household, kid_age + years, sex, edu, c.kind, CHILD, tenure, area, c.origin, False, hukou)
            n += 1
        return n

    def families_join(self) -> None:
        """``migration.families_join``: families left behind join heads still in Baotou."""
        m = self.model
        due = [f for f in self.pending if f.due <= m.month]
        if not due:
            return
        self.pending = [f for f in self.pending if f.due > m.month]
        for f in due:
            head = f.head
            if head.here:  # otherwise they stay away
                years = (m.month - f.decided) // 12
                joined = self.bring_family(head.household, f.candidate, years, head.tenure, head.area, head.hukou)
                m.flows["families_joined"] += joined
