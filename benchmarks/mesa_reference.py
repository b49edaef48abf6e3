"""The model written the idiomatic Mesa way: one ``mesa.Agent`` per person with its own ``step``,
stepped with ``shuffle_do``. Kept in ``benchmarks/`` only, as the yardstick for the columnar model.

Two modes, both starting from the columnar model's synthetic census population (same people,
same households):

- ``ReferenceModel(scale, seed)``: the demography only (migration off), ``Person`` agents. Each
  month every person uses up their death exposure, women of childbearing age may give birth,
  babies join their mother's household, everyone ages a month. It uses the project's keyed
  draws, so it gives exactly the columnar model's numbers (``tests/test_mesa_reference.py``).
- ``ReferenceModel(scale, seed, migration=True)``: every stage of the baseline scenario (no
  measure on) with ``[run] migration = true``, ``Resident`` agents (the census people's
  attributes and households; their event clocks are fresh draws). Each person is an agent whose
  ``step`` applies, in plain Python, the rules of ``model/demography/events.py`` (deaths, births,
  ageing), ``model/stages/labour.py`` (jobs lost and found), ``model/stages/students.py`` (graduation with its
  stay-or-leave choice, local enrolment), ``model/stages/migration.py`` (the consideration hazard of
  heads and adult children, the choice of ``decide``, leaving with the household) and
  ``model/stages/settlement.py`` (hukou, home purchase) to itself. Households are not agents: a
  ``Household`` is a plain list of its members, as in the project, where the head decides for
  the household. The model does what ``model/model.py`` and ``model/world/outside.py`` do outside
  the people: this month's conditions, the outside world's pools, outside candidates and talent
  offers (drawn, weighed one by one; only those who come become agents), the student intake from
  outside, families joining later (``PendingFamilies``), head replacement, the same-origin
  network counts. The nested logit of ``model/decisions/choice.py`` is written out per chooser. Draws are
  Mesa's own (``self.random``), not the project's keyed draws: the two agree statistically, not
  draw for draw. What the baseline does not use is left out: measures' offers, deliveries and
  costs, the attribution of effects to measures, and chooser fields only measures read (couple,
  household size, young children, elders, provident-fund months).

Every number comes from the project's parameters (the scenario's ``[behaviour]``, the data
files, ``model/decisions/choice.py``'s tables, the monthly conditions). Differences of order within a
month, because agents step one after another instead of stage by stage, are listed at
``ReferenceModel._step_migration``.

Timing, side by side with the project in one run:
``PYTHONPATH=. python benchmarks/mesa_reference.py --mode migration --scale 0.005``.
"""

from __future__ import annotations

import argparse
import bisect
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import mesa
import numpy as np
from mesa.agentset import AgentSet

from model import params
from model.calendar import month_index
from model.categories import Area, Education, Kind, Origin, Role, Sex, Tenure
from model.census.synthesis import single_year_shape
from model.decisions import choice
from model.draws.keyed import derive_keys, exponential, salt, uniform
from model.ledger import FLOWS, IMAR_DESTINATIONS
from model.model import BaotouModel
from model.people.choosers import MAX_KIDS
from model.scenario import Scenario, load
from model.world.conditions import BAOTOU, DESTINATIONS, HOME

# Categories as plain ints: agents compare them every month.
MALE, FEMALE = int(Sex.MALE), int(Sex.FEMALE)
HEAD, SPOUSE, CHILD = int(Role.HEAD), int(Role.SPOUSE), int(Role.CHILD)
OWN, RENT, DORMITORY = int(Tenure.OWN), int(Tenure.RENT), int(Tenure.DORMITORY)
MIGRANT_WORKER, GRADUATE, TALENT = int(Kind.MIGRANT_WORKER), int(Kind.GRADUATE), int(Kind.TALENT)
FROM_BAOTOU = int(Origin.BAOTOU)
N_DEST = len(DESTINATIONS)
N_ORIGIN_GROUPS = len(Origin) - 1  # the outside origin groups (Origin 1..3)
KIND_NAMES = [k.name.lower() for k in Kind]
BAOTOU_ROW = N_ORIGIN_GROUPS  # DISTANCE_KM's last row: from Baotou itself


def scenario_for(scale: float, migration: bool, months: int | None = None) -> Scenario:
    """The baseline at ``scale``, with or without migration (and ``months`` long if given)."""
    base = load("baseline")
    overrides: dict = {"run": {"scale": scale, "migration": migration}}
    if months is not None:
        last = month_index(base.start) + months - 1
        overrides["period"] = {"end": f"{last // 12:04d}-{last % 12 + 1:02d}"}
    return base.with_overrides(overrides)


# ----------------------------------------------------------------------------- demography only


UNSCHEDULED = -1.0  # a candidate birth moment not drawn yet (model/draws/thinning.py)


class Person(mesa.Agent):
    """A person under the demography only, with the project's own draws, so that the numbers are
    exactly the columnar model's.

    Death: the person's Exp(1) exposure (``death_clock`` of the store, or the newborn's keyed
    draw) is worn down by the monthly hazard; they die in the month it runs out (the project
    finds that month at once from the cumulative hazard, the same event). Birth: women have
    candidate moments at a rate no lower than their hazard from now on, each kept with chance
    hazard / rate (thinning), with the project's keyed draws (``model/draws/thinning.py``); this
    mirrors the project's draw scheme and must follow it if that changes.
    """

    def __init__(
        self, model: ReferenceModel, key: int, age_months: int, sex: int, household: int, death: float
    ) -> None:
        super().__init__(model)
        self.key, self.age_months, self.sex, self.household = key, age_months, sex, household
        self.death_clock = float(death)
        self.birth_at, self.birth_rate = UNSCHEDULED, np.float32(0.0)

    def step(self) -> None:
        m = self.model
        age = min(self.age_months // 12, m.max_age)
        self.death_clock -= m.death_rate[self.sex][age]
        if self.death_clock <= 0:
            m.deaths += 1
            self.remove()
            return
        if self.sex == FEMALE and self.gives_birth(age):
            m.newborns.append((self.key, self.household))
        self.age_months += 1

    def gives_birth(self, age: int) -> bool:
        """This month's candidate moments (numpy float32 scalars where the project's columns are)."""
        m = self.model
        if self.birth_at == UNSCHEDULED:  # the first month: moments start now
            self.birth_rate = m.rates.birth_from[age] * m.fertility_bound
            with np.errstate(divide="ignore"):  # past childbearing the bound is 0: no moments
                self.birth_at = float(m.month + self.draw(exponential, "birth_first", m.month) / self.birth_rate)
        born, k = False, 0
        while self.birth_at < m.month + 1:
            if not born:
                born = bool(self.draw(uniform, f"birth_keep_{k}", m.month) * self.birth_rate < m.rates.birth[age])
            self.birth_rate = m.rates.birth_from[age] * m.fertility_bound
            with np.errstate(divide="ignore"):
                self.birth_at += float(self.draw(exponential, f"birth_next_{k}", m.month) / self.birth_rate)
            k += 1
        return born

    def draw(self, kind: Callable, name: str, month: int) -> np.floating:
        """This person's keyed draw (``model.draws.keyed``), as the project makes it."""
        return kind(np.array([self.key], dtype=np.uint64), self.model.seed, name, month)[0]


# ------------------------------------------------------------------------- with migration


class Household:
    """People sharing a home. Not an agent: its head decides for it, as in the project."""

    __slots__ = ("members",)

    def __init__(self) -> None:
        self.members: list[Resident] = []


@dataclass(slots=True)
class Chooser:
    """What the destination choice looks at (``model/people/choosers.py``; the baseline uses no more)."""

    in_baotou: bool
    origin: int
    education: int
    school_children: bool  # children 6-15 in the household (heads and outsiders only)
    employed: bool = False
    tenure: int = RENT
    hukou: bool = False
    social_insurance_months: int = 0
    graduate: bool = False  # deciding at graduation from a Baotou university


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
        return Chooser(False, self.origin, self.education, any(6 <= k <= 15 for k in self.kids))


@dataclass(slots=True)
class PendingFamily:
    """A family left behind by an arriving head, due to join later (``PendingFamilies``)."""

    decided: int
    due: int
    head: Resident
    candidate: Candidate


class Resident(mesa.Agent):
    """A person in Baotou. ``step`` runs one month of their life, in the project's stage order."""

    def __init__(
        self,
        model: ReferenceModel,
        household: Household,
        *,
        age_months: int,
        sex: int,
        role: int,
        hukou: bool,
        kind: int,
        education: int,
        tenure: int,
        area: int,
        origin: int,
        urban: bool = True,
        employed: bool = False,
        unemployed: bool = False,
        income: float = 0.0,
        months_in_baotou: int = 0,
        social_insurance: bool = False,
        social_insurance_months: int = 0,
        provident_fund: bool = False,
        provident_fund_months: int = 0,
        study_months: int = -1,
    ) -> None:
        super().__init__(model)
        self.household = household
        household.members.append(self)
        self.here = True  # alive and in Baotou
        self.age_months, self.sex, self.role, self.hukou, self.kind = age_months, sex, role, hukou, kind
        self.education, self.tenure, self.area, self.origin, self.urban = education, tenure, area, origin, urban
        self.employed, self.unemployed, self.income = employed, unemployed, income
        self.months_in_baotou, self.study_months = months_in_baotou, study_months
        self.social_insurance, self.social_insurance_months = social_insurance, social_insurance_months
        self.provident_fund, self.provident_fund_months = provident_fund, provident_fund_months
        # Event clocks: Exp(1) exposures that the monthly hazards use up (the event happens when
        # one runs out), drawn afresh for everyone, census people included.
        self.death_clock = self.random.expovariate(1.0)
        self.birth_clock = self.random.expovariate(1.0)
        self.move_clock = self.random.expovariate(1.0)

    # ---------------------------------------------------------------- the month
    def step(self) -> None:
        m = self.model
        age = min(self.age_months // 12, m.max_age)
        self.death_clock -= m.death_rate[self.sex][age]
        if self.death_clock <= 0:
            m.died(self)
            return
        if self.sex == FEMALE:
            rate = m.birth_rate[age]
            if rate > 0.0:
                self.birth_clock -= rate
                if self.birth_clock <= 0:
                    self.birth_clock = self.random.expovariate(1.0)
                    m.born(self)
        self.change_job()
        if self.study_months == 0:
            if not self.graduate():
                return
        elif m.intake_month and self.study_months < 0 and self.hukou and self.age_months // 12 == m.entry_age:
            self.maybe_enrol()
        if self.study_months < 0 and self.decides(age) and self.consider_moving(age):
            return
        self.finish_month()

    def finish_month(self) -> None:
        """Settling (heads) and ageing: the end of everyone's month, newcomers' included."""
        if self.role == HEAD:
            self.settle()
        self.age_months += 1
        self.months_in_baotou += 1
        if self.study_months > 0:
            self.study_months -= 1  # students count down to graduation (0)
        # A month without contributions breaks continuity.
        self.social_insurance_months = self.social_insurance_months + 1 if self.social_insurance else 0
        self.provident_fund_months = self.provident_fund_months + 1 if self.provident_fund else 0

    # ---------------------------------------------------------------- the rules
    def change_job(self) -> None:
        """``labour.labour_force_by_age`` on birthdays, then ``labour.job_turnover``: the employed
        may lose their job, the unemployed find one."""
        m = self.model
        if self.age_months % 12 == 0 and self.age_months > 0 and self.study_months < 0:
            age = self.age_months // 12
            now, before = m.employment_rate(age, self.sex, self.hukou), m.employment_rate(age - 1, self.sex, self.hukou)
            in_force = self.employed or self.unemployed
            u = self.random.random()
            if not in_force and now > before and u * (1 - before) < now - before:
                self.income = m.wage_draw(self.education)
                self.social_insurance = self.random.random() < m.social_insurance_coverage[self.kind]
                self.provident_fund = self.random.random() < m.provident_fund_coverage[self.kind]
                self.employed, self.unemployed = True, False
                return
            if in_force and now < before and u * before < before - now:
                self.employed = self.unemployed = False
                self.income = 0.0
                self.social_insurance = self.provident_fund = False
                return
        if self.employed:
            if self.random.random() < m.p_job_loss:
                self.employed, self.unemployed, self.income = False, True, 0.0
                self.social_insurance = self.provident_fund = False  # contributions stop with the job
        elif self.unemployed and self.random.random() < m.p_reemployment:
            self.income = m.wage_draw(self.education)
            self.social_insurance = self.random.random() < m.social_insurance_coverage[self.kind]
            self.provident_fund = self.random.random() < m.provident_fund_coverage[self.kind]
            self.employed, self.unemployed = True, False

    def graduate(self) -> bool:
        """``students.graduation``: take a degree, stay or leave; False if they left."""
        m = self.model
        self.study_months = -1
        self.education = m.degree(self.random.random())
        m.flows["graduates"] += 1
        if self.tenure == DORMITORY:
            self.tenure = RENT  # graduates leave the dormitory: staying means renting
        where = m.choose(self.chooser(graduate=True))
        if where != BAOTOU:
            m.depart([self], where)  # alone, even a head: the others get a new head
            if self.role == HEAD:
                m.replace_head(self.household)
            return False
        m.flows["graduates_stayed"] += 1
        m.start_work(self, came_to_work=True)
        return True

    def maybe_enrol(self) -> None:
        """``students.intake``: a Baotou 18-year-old may enter a local university."""
        m = self.model
        if self.random.random() < m.local_enrolment_rate:
            self.study_months = m.study_length
            self.education = int(Education.SENIOR_SECONDARY)

    def decides(self, age: int) -> bool:
        """Adult heads and adult children decide on moves (students do not; checked by the caller)."""
        m = self.model
        return (self.role == HEAD and age >= m.adult_child_lo) or (
            self.role == CHILD and m.adult_child_lo <= age <= m.adult_child_hi
        )

    def consider_moving(self, age: int) -> bool:
        """The consideration hazard (``consideration.hazard``) uses up this person's clock; when it runs
        out they choose (``decide``). True if they left."""
        m = self.model
        rate = m.consider_by_age[age] * m.kind_multiplier[self.kind]
        if self.tenure == OWN:
            rate *= m.owner_multiplier
        if not self.hukou and age > m.return_age:
            rate *= m.return_multiplier
        if self.unemployed:
            rate *= m.job_loss_multiplier
        rate *= (1.0 + self.months_in_baotou / 12) ** -m.duration_inertia
        if self.role == HEAD and any(72 <= p.age_months < 84 for p in self.household.members):
            rate *= m.school_age_multiplier  # a child turns six this year
        self.move_clock -= rate
        if self.move_clock > 0:
            return False
        self.move_clock = self.random.expovariate(1.0)
        where = m.choose(self.chooser())
        if where == BAOTOU:
            return False
        # A head takes the household along; an adult child leaves alone.
        m.depart(list(self.household.members) if self.role == HEAD else [self], where)
        return True

    def chooser(self, graduate: bool = False) -> Chooser:
        """This person facing a decision (``choosers.from_people``): children count for heads only."""
        school = self.role == HEAD and any(6 <= p.age_months // 12 <= 15 for p in self.household.members)
        return Chooser(
            True,
            self.origin,
            self.education,
            school,
            self.employed,
            self.tenure,
            self.hukou,
            self.social_insurance_months,
            graduate,
        )

    def settle(self) -> None:
        """``settlement``: a non-hukou head may take hukou for the household (pre-2022 conditions);
        a renting head with a job may buy a home."""
        m = self.model
        if not self.hukou:
            meets_old_rules = self.tenure == OWN or self.social_insurance_months >= m.hukou_conditions_months
            if meets_old_rules and self.random.random() < m.p_hukou:
                for p in self.household.members:
                    p.hukou = True
                m.flows["hukou_settlements"] += len(self.household.members)
        if self.tenure != OWN and self.employed and self.study_months < 0 and self.random.random() < m.p_purchase:
            for p in self.household.members:
                p.tenure = OWN
            m.flows["home_purchases"] += 1

    def leave(self) -> None:
        self.here = False
        self.remove()


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson count: events of a unit-rate process before time ``mean``."""
    n, t = 0, rng.expovariate(1.0)
    while t < mean:
        n += 1
        t += rng.expovariate(1.0)
    return n


def logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def rogers_castro(age: float, beh: dict) -> float:
    """The Rogers–Castro schedule with labour-peak height 1 (as the project's ``rogers_castro``)."""
    alpha, lam = beh["rc_alpha"], beh["rc_lambda"]

    def labour(x: float) -> float:
        return math.exp(-alpha * x - math.exp(-lam * x))

    peak = labour(math.log(lam / alpha) / lam)
    return labour(age - beh["rc_mu"]) / peak + beh["rc_child"] * math.exp(-alpha * age) + beh["rc_constant"]


# --------------------------------------------------------------------------------- the model


class ReferenceModel(mesa.Model):
    """Start from the columnar model's census population, then step agent by agent.

    ``migration=False``: the demography only, ``Person`` agents, exact agreement.
    ``migration=True``: the baseline's every stage, ``Resident`` agents; yearly indicators in
    ``self.years`` (agents; the unemployment rate in December only) and ``self.table()``
    (persons, as the project reports them).
    """

    def __init__(self, scale: float, seed: int, migration: bool = False) -> None:
        super().__init__(rng=seed)
        scenario = scenario_for(scale, migration)
        columnar = BaotouModel(scenario, seed=seed)
        self.rates, self.seed, self.month, self.weight = columnar.rates, seed, columnar.month, columnar.weight
        self.migration = migration
        if migration:
            if columnar.package:
                raise ValueError("the reference covers the baseline only: no measure may be on")
            self._set_up_migration(columnar)
            return
        self.max_age = self.rates.max_age
        self.death_rate = self.rates.death.astype(float).tolist()  # float64, as the project's cumulative table
        # The rate of candidate birth moments, as demography.births sets it (no measure is on).
        beh, tfr = columnar.beh, 12 * float(self.rates.birth.sum())
        self.fertility_bound = beh["fertility_multiplier_bound"] * max(1.0, beh["birth_moments_tfr"] / tfr)
        p = columnar.people
        for i in range(len(p)):
            Person(self, int(p.key[i]), int(p.age_months[i]), int(p.sex[i]), int(p.household_id[i]), p.death_clock[i])
        self.deaths = 0
        self.births = 0
        self.newborns: list[tuple[int, int]] = []

    def step(self) -> None:
        if self.migration:
            self._step_migration()
        else:
            self._step_demography()

    def _step_demography(self) -> None:
        self.newborns = []
        self.agents.shuffle_do("step")
        if self.newborns:  # babies are born in the month and are a month old at its end
            mothers = np.array([k for k, _ in self.newborns], dtype=np.uint64)
            keys = derive_keys(mothers, salt(self.seed, "newborn", self.month))
            male = uniform(keys, self.seed, "sex_at_birth") < self.rates.male_share_of_births
            deaths = exponential(keys, self.seed, "death_clock")
            for j, (_, household) in enumerate(self.newborns):
                Person(self, int(keys[j]), 1, Sex.MALE if male[j] else Sex.FEMALE, household, deaths[j])
            self.births += len(self.newborns)
        self.month += 1

    # ------------------------------------------------------------------ setting up
    def _set_up_migration(self, columnar: BaotouModel) -> None:
        """Parameters as Python numbers, from the same places as the project; then the census people."""
        beh, pop = columnar.beh, columnar.pop_params
        self.beh, self.conditions, self.agents_per_person = beh, columnar.conditions, 1.0 / self.weight
        self.max_age = self.rates.max_age
        self.death_rate = self.rates.death.astype(float).tolist()
        self.birth_rate = self.rates.birth.astype(float).tolist()
        self.male_share_of_births = float(self.rates.male_share_of_births)
        # Jobs (labour.py) and starting work (migration.work_values).
        self.p_job_loss = -math.expm1(-beh["job_loss_rate"] / 12)
        self.p_reemployment = -math.expm1(-beh["reemployment_rate"] / 12)
        self.wage_sigma = float(pop["wage_dispersion"]["value"])
        self.social_insurance_coverage = list(pop["social_insurance_coverage"]["value"])
        self.provident_fund_coverage = list(pop["provident_fund_coverage"]["value"])
        self.migrant_uplift = pop["migrant_employment_uplift"]["value"]
        self.migrant_uplift_cap = pop["migrant_employment_uplift"]["cap"]
        self.employment_bands = [
            (list(pop[f"employment_rate_{s}"]["bands"]), list(pop[f"employment_rate_{s}"]["value"]))
            for s in ("male", "female")
        ]
        assert [Sex.MALE, Sex.FEMALE] == [0, 1]
        # Considering a move: the residents' consideration hazard (migration.py, consideration.py).
        self.consider_by_age = [
            beh["resident_consider_rate"] / 12 * rogers_castro(float(a), beh) for a in range(self.max_age + 1)
        ]
        self.kind_multiplier = list(beh["consider_multiplier_by_kind"])
        self.owner_multiplier = beh["owner_consider_multiplier"]
        self.return_age, self.return_multiplier = math.floor(beh["return_age"]), beh["return_multiplier"]
        self.job_loss_multiplier = beh["job_loss_event_multiplier"]
        self.duration_inertia = beh["duration_inertia"]
        self.school_age_multiplier = beh["school_age_event_multiplier"]
        lo, hi = beh["adult_child_decider_ages"]
        self.adult_child_lo, self.adult_child_hi = math.ceil(lo), math.floor(hi)
        # The destination choice (choice.py).
        self.premium = choice.EDUCATION_PREMIUM.astype(float).tolist()
        self.distance = choice.DISTANCE_KM.tolist()
        self.log_population = [math.log(max(x, 1.0) / 1e6) for x in choice.POPULATION.tolist()]
        self.log_origin_population = [math.log(x / 1e6) for x in choice.ORIGIN_POPULATION.tolist()]
        self.network_stock = choice.NETWORK.tolist()
        self.job_finding = choice.JOB_FINDING.tolist()
        self.stay_rent_share = list(beh["stay_rent_share_by_tenure"])
        # Settling (settlement.py).
        self.p_hukou = -math.expm1(-beh["hukou_takeup_rate"] / 12)
        self.hukou_conditions_months = beh["hukou_conditions_months"]
        # No measure offers anything in the baseline, so the purchase multiplier is 1.
        self.p_purchase = -math.expm1(-beh["home_purchase_rate"] / 12)
        # Students (students.py).
        self.entry_age = int(beh["student_entry_age"])
        self.study_length = int((beh["study_years"] - 1) * 12 + (beh["graduation_month"] - beh["intake_month"]) % 12)
        shares = beh["graduate_degree_shares"]
        self.degree_cum = list(np.cumsum(np.asarray(shares) / sum(shares)))
        self.degree_levels = [int(Education.COLLEGE), int(Education.BACHELOR), int(Education.POSTGRADUATE)]
        origin_shares = pop["origin_shares_non_hukou"]["value"]
        self.student_origin_cum = list(np.cumsum(np.asarray(origin_shares) / sum(origin_shares)))
        # The outside world (candidates.OutsideWorld): pools grow on their own trend.
        self.pool = choice.ORIGIN_POPULATION.astype(float).tolist()
        self.pool_growth = [(1 + g) ** (1 / 12) for g in params.value("regions", "origin_population_growth")]
        self.exchange = [0.0] * N_ORIGIN_GROUPS  # agents gone from each origin group to Baotou, net
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

        self.pending: list[PendingFamily] = []
        self.newcomers: list[Resident] = []
        self.years: dict[int, dict[str, float]] = {}
        self.flows = self._flows_of(self.month // 12)
        self.network = [0] * len(Origin)  # agents in Baotou by origin group
        self._census(columnar)
        self.local_enrolment_rate = self._local_enrolment_rate()

    def _census(self, columnar: BaotouModel) -> None:
        """The columnar model's census people, as agents, with their households (fresh clocks)."""
        p = columnar.people
        alive = p.alive
        cols = {name: p.column(name)[alive].tolist() for name in ("household_id", *_CENSUS_COLUMNS)}
        households: dict[int, Household] = {}
        for i, hh in enumerate(cols["household_id"]):
            household = households.get(hh)
            if household is None:
                household = households[hh] = Household()
            Resident(self, household, **{name: cols[name][i] for name in _CENSUS_COLUMNS})
            self.network[cols["origin"][i]] += 1

    def _local_enrolment_rate(self) -> float:
        """``students.LocalEnrolment``: fixed at the start from the census cohort of 18-year-olds."""
        cohort = sum(1 for a in self.agents if a.hukou and a.age_months // 12 == self.entry_age)
        beh = self.beh
        local = beh["student_intake"] * (1 - beh["student_intake_non_hukou_share"]) * self.agents_per_person
        return min(1.0, local / cohort) if cohort else 0.0

    def _flows_of(self, year: int) -> dict[str, float]:
        return self.years.setdefault(year, {**dict.fromkeys(FLOWS, 0), "population": 0, "unemployment_rate": 0.0})

    # ------------------------------------------------------------------ the month
    def _step_migration(self) -> None:
        """One month. Agents step in random order, each through the project's stage order for
        themselves; what is not anyone's own doing runs at model level.

        Differences of order from the project, where each stage runs for everyone before the
        next: a person whose household leaves earlier in the loop does not die, give birth or
        lose a job that month; a head sees children turning six a month early if they stepped
        first; residents' choices see the same-origin network as it changes within the month
        instead of as it was at the start of the stage; a head replaced at death decides that
        month only if the new head steps later. Newcomers (arrivals, new students, families
        joining, newborns) settle and age at the end of the month, as in the project.
        """
        self.observe(self.month)
        self.pool = [p * g for p, g in zip(self.pool, self.pool_growth, strict=True)]
        self.flows = self._flows_of(self.month // 12)
        self.intake_month = self.month % 12 + 1 == self.beh["intake_month"]
        self.newcomers = []

        self.agents.shuffle_do("step")

        if self.intake_month:
            self._student_intake()
        self._outside_candidates()
        self._talent_offers()
        self._families_join()
        newcomers = [a for a in self.newcomers if a.here]
        if newcomers:
            AgentSet(newcomers, random=self.random).shuffle_do("finish_month")

        self.flows["months"] += 1
        self.flows["population"] = len(self.agents)
        if self.month % 12 == 11:  # December: the year-end state
            working = sum(1 for a in self.agents if a.employed)
            jobless = sum(1 for a in self.agents if a.unemployed)
            self.flows["unemployment_rate"] = 100.0 * jobless / max(jobless + working, 1)
        self.month += 1

    def observe(self, month: int) -> None:
        """This month's conditions (wages, rents, newcomers' chance of a job) as Python numbers."""
        now = self.conditions.at(month)
        self.wage, self.home_wage, self.rent = now.wage.tolist(), now.home_wage.tolist(), now.rent.tolist()
        self.newcomer_job_finding = min(max(self.job_finding[BAOTOU] + now.job_finding_shift, 0.0), 1.0)

    # ------------------------------------------------------------- life events
    def died(self, p: Resident) -> None:
        self.flows["deaths"] += 1
        self.network[p.origin] -= 1
        p.household.members.remove(p)
        if p.role == HEAD:
            self.replace_head(p.household)
        p.leave()

    def replace_head(self, household: Household) -> None:
        """``BaotouModel.replace_heads``: the oldest remaining member becomes head at once."""
        members = household.members
        if members:
            oldest = members[0]
            for q in members:
                if q.age_months > oldest.age_months:
                    oldest = q
            oldest.role = HEAD

    def born(self, mother: Resident) -> None:
        """A baby joins the mother's household with her registration, kind, housing and place."""
        sex = MALE if self.random.random() < self.male_share_of_births else FEMALE
        baby = Resident(
            self,
            mother.household,
            age_months=0,
            sex=sex,
            role=CHILD,
            hukou=mother.hukou,
            kind=mother.kind,
            education=int(Education.PRIMARY_OR_LESS),
            tenure=mother.tenure,
            area=mother.area,
            origin=mother.origin,
            urban=mother.urban,
        )
        self.flows["births"] += 1
        self.network[baby.origin] += 1
        self.newcomers.append(baby)

    def depart(self, people: list[Resident], where: int) -> None:
        """``BaotouModel.depart``: they leave for destination ``where``."""
        for p in people:
            self.flows["out_migration"] += 1
            self.flows[f"out_migration_{KIND_NAMES[p.kind]}"] += 1
            self.network[p.origin] -= 1
            # Those going home, or to Hohhot or Ordos (the rest of Inner Mongolia), rejoin an origin.
            if where == HOME and p.origin != FROM_BAOTOU:
                self.exchange[p.origin - 1] -= 1
            elif where in IMAR_DESTINATIONS:
                self.exchange[0] -= 1
            p.household.members.remove(p)
            p.leave()

    def count_in(self, p: Resident) -> None:
        """``BaotouModel.count_in``: a newcomer is counted and taken from their origin."""
        self.flows["in_migration"] += 1
        self.flows[f"in_migration_{KIND_NAMES[p.kind]}"] += 1
        if p.origin != FROM_BAOTOU:
            self.exchange[p.origin - 1] += 1
        self.network[p.origin] += 1
        self.newcomers.append(p)

    # ------------------------------------------------------------- draws from the rules
    def wage_draw(self, education: int) -> float:
        """Today's Baotou wage for this education, with log-normal dispersion of mean 1."""
        sigma = self.wage_sigma
        return self.wage[BAOTOU] * self.premium[education] * math.exp(sigma * self.random.gauss() - sigma**2 / 2)

    def start_work(self, p: Resident, came_to_work: bool) -> None:
        """``migration.work_values``: those who came to work find a job at Baotou's newcomer rate,
        others (spouses, children) work at the usual rate for their age and sex."""
        age = p.age_months // 12
        bands, rates = self.employment_bands[p.sex]
        if came_to_work:
            chance = self.newcomer_job_finding
        else:
            band = bisect.bisect_right(bands, age) - 1
            chance = rates[band] if band >= 0 else 0.0
        of_age = age >= self.employment_bands[MALE][0][0]
        p.employed = self.random.random() < chance and of_age
        p.unemployed = came_to_work and of_age and not p.employed  # came to work, found none yet
        p.income = self.wage_draw(p.education) if p.employed else 0.0
        p.social_insurance = p.employed and self.random.random() < self.social_insurance_coverage[p.kind]
        p.provident_fund = p.employed and self.random.random() < self.provident_fund_coverage[p.kind]

    def employment_rate(self, age: int, sex: int, hukou: bool) -> float:
        """``labour.employment_rate``: share in work by age band and sex, raised without hukou."""
        bands, rates = self.employment_bands[sex]
        band = bisect.bisect_right(bands, age) - 1
        rate = rates[band] if band >= 0 else 0.0
        return rate if hukou else min(rate * self.migrant_uplift, self.migrant_uplift_cap)

    def degree(self, u: float) -> int:
        """``candidates.degree``: a graduate's degree from a uniform draw."""
        at = bisect.bisect_left(self.degree_cum, u)
        return self.degree_levels[min(at, len(self.degree_levels) - 1)]

    def education_at(self, age: int) -> int:
        """Education of someone elsewhere (not a student), as the census synthesis draws it."""
        row = min(max(bisect.bisect_right(self.education_bands, max(age, 25)) - 1, 0), len(self.education_cum) - 1)
        u = self.random.random()
        level = min(sum(1 for c in self.education_cum[row] if u > c), len(Education) - 1)
        if age < 22:
            level = int(Education.PRIMARY_OR_LESS)
        if 15 <= age < 22:
            level = int(Education.JUNIOR_SECONDARY)
        if 18 <= age < 22 and self.random.random() < self.senior_share:
            level = int(Education.SENIOR_SECONDARY)
        return level

    # ------------------------------------------------------------- the destination choice
    def probabilities(self, c: Chooser, only_baotou: bool = False, constant: float = 0.0) -> list[float]:
        """Nested logit (``choice.py``): P of each destination; the chooser's stay alternative
        (Baotou for residents, home for others) holds P(stay)."""
        beh = self.beh
        b_y = beh["beta_income"]
        premium = self.premium[c.education]
        g = min(max(c.origin - 1, 0), N_ORIGIN_GROUPS - 1)
        from_baotou = c.origin == FROM_BAOTOU
        school = beh["school_access_value"] * b_y if c.school_children else 0.0
        floor = beh["income_floor_share"]
        v = [0.0] * N_DEST
        for j in range(N_DEST):
            if j == BAOTOU:
                wage = self.wage[BAOTOU]
                p_job = 1.0 if c.in_baotou and c.employed else self.newcomer_job_finding
                # Staying residents keep their housing: owners pay no rent, public and talent tenants less.
                rent = self.rent[BAOTOU] * (self.stay_rent_share[c.tenure] if c.in_baotou else 1.0)
                income = max(p_job * wage * premium - rent, floor * wage * premium)
                u = b_y * math.log(income)
                # Before the package, non-hukou children needed a parent with months of insurance.
                if c.hukou or c.social_insurance_months >= beh["school_access_months_pre_2022"]:
                    u += school
                u += beh["beta_population"] * self.log_population[BAOTOU]
                u += beh["beta_network"] * math.log1p(self.network[c.origin] * self.weight / 1e6)
                u += beh["baotou_constant"] + constant
                if c.graduate:
                    u += beh["graduate_stay_constant"]
            elif j == HOME:
                wage = self.wage[BAOTOU] if from_baotou else self.home_wage[g]
                income = max(self.job_finding[j] * wage * premium - self.rent[j], floor * wage * premium)
                # Children can always go to school where the family is registered.
                u = b_y * math.log(income) + school + beh["beta_population"] * self.log_origin_population[g]
                u += beh["home_constant"]  # home attachment, not a migrant network
            else:
                wage = self.wage[j]
                income = max(self.job_finding[j] * wage * premium - self.rent[j], floor * wage * premium)
                u = b_y * math.log(income) + beh["beta_population"] * self.log_population[j]
                if not from_baotou:  # no data on Baotou people elsewhere
                    u += beh["beta_network"] * math.log1p(self.network_stock[g][j] / 1e6)
            v[j] = u
        stay = BAOTOU if c.in_baotou else HOME
        movable = []
        for j in range(N_DEST):
            if j == stay or (only_baotou and j != BAOTOU) or (j == HOME and c.in_baotou and from_baotou):
                continue
            if c.in_baotou:  # home for a non-hukou resident is as far as Baotou is from their origin
                km = self.distance[g][BAOTOU] if j == HOME else self.distance[BAOTOU_ROW][j]
            else:
                km = self.distance[g][j]
            relative_km = math.log1p(km) - math.log1p(beh["reference_distance_km"])
            v[j] += -beh["distance_income_ratio"] * b_y * relative_km + beh["move_constant"]
            movable.append(j)
        out = [0.0] * N_DEST
        if movable:
            lam = beh["nest_lambda"]
            top = max(v[j] / lam for j in movable)
            weights = [math.exp(v[j] / lam - top) for j in movable]
            total = sum(weights)
            p_move = logistic(lam * (top + math.log(total)) - v[stay])
            for j, w in zip(movable, weights, strict=True):
                out[j] = p_move * w / total
            out[stay] = 1.0 - p_move
        else:
            out[stay] = 1.0
        return out

    def choose(self, c: Chooser) -> int:
        """A resident's (or graduate's) destination; BAOTOU means staying."""
        u = self.random.random()
        probs = self.probabilities(c)
        for j, p in enumerate(probs):
            u -= p
            if u < 0:
                return j
        return max(range(N_DEST), key=probs.__getitem__)  # rounding at the top end

    # ------------------------------------------------------------- arrivals
    def _student_intake(self) -> None:
        """``students.intake``: new students from outside, each in a household of their own."""
        beh = self.beh
        expected = beh["student_intake"] * beh["student_intake_non_hukou_share"] * self.agents_per_person
        for _ in range(poisson(self.random, expected)):
            origin = min(1 + bisect.bisect_left(self.student_origin_cum, self.random.random()), N_ORIGIN_GROUPS)
            sex = MALE if self.random.random() < beh["student_male_share"] else FEMALE
            student = Resident(
                self,
                Household(),
                age_months=self.entry_age * 12 + int(self.random.random() * 12),
                sex=sex,
                role=HEAD,
                hukou=False,
                kind=GRADUATE,
                education=int(Education.SENIOR_SECONDARY),
                tenure=DORMITORY,
                area=int(Area.MAIN_URBAN),  # the store's default: intake sets no area
                origin=origin,
                study_months=self.study_length,
            )
            self.count_in(student)

    def _family(self, origin: int, age: int, education: int, kind: int) -> Candidate:
        """``candidates._family``: partner, children and the head's sex of someone elsewhere."""
        beh, rng = self.beh, self.random
        partnered = self.partnered[min(age // 10, len(self.partnered) - 1)] * beh["candidate_partnered_factor"]
        couple = rng.random() < partnered
        kids = []
        if couple:
            oldest = min(max(age - beh["parent_age_at_first_child"], 0), beh["child_age_max"])
            n_kids = min(poisson(rng, beh["children_per_family"]), MAX_KIDS)
            kids = [int(rng.random() * (oldest + 1)) for _ in range(n_kids)]
        sex = MALE if rng.random() < beh["male_share_of_candidates"] else FEMALE
        return Candidate(origin, age, education, kind, sex, couple, kids)

    def _outside_candidates(self) -> None:
        """``candidates.outside_arrivals``: this month's people elsewhere weigh Baotou against the
        other destinations; those who choose Baotou arrive."""
        beh, rng = self.beh, self.random
        lo, hi = beh["graduate_age_range"]
        for g in range(N_ORIGIN_GROUPS):
            expected = self.pool[g] * self.candidate_rate[g] * self.peak_share / 12 * self.agents_per_person
            for _ in range(poisson(rng, expected)):
                self.flows["candidates"] += 1
                age = rng.choices(self.candidate_ages, cum_weights=self.candidate_age_cum)[0]
                education, kind = self.education_at(age), MIGRANT_WORKER
                if lo <= age <= hi and rng.random() < beh["graduate_share_of_candidates"]:
                    education, kind = self.degree(rng.random()), GRADUATE
                candidate = self._family(g + 1, age, education, kind)
                if rng.random() < self.probabilities(candidate.chooser())[BAOTOU]:
                    self._arrive(candidate)

    def _talent_offers(self) -> None:
        """``candidates.talent_offers``: offers to high-level talent elsewhere, accepted or not."""
        beh, rng = self.beh, self.random
        lo, hi = beh["talent_age_range"]
        origins = list(range(1, N_ORIGIN_GROUPS + 1))
        for _ in range(poisson(rng, beh["talent_offers_per_year"] * self.agents_per_person / 12)):
            age = rng.randint(int(lo), int(hi))
            origin = rng.choices(origins, weights=beh["talent_origin_shares"])[0]
            candidate = self._family(origin, age, int(Education.POSTGRADUATE), TALENT)
            p = self.probabilities(candidate.chooser(), only_baotou=True, constant=beh["talent_accept_constant"])
            if rng.random() < p[BAOTOU]:
                self._arrive(candidate)

    def _arrive(self, c: Candidate) -> None:
        """``migration.arrive``: the head founds a household; the family comes now or later."""
        beh, rng = self.beh, self.random
        bring_now = rng.random() < beh["bring_family_share"]
        area = int(Area.MAIN_URBAN) if rng.random() < beh["main_urban_share_of_newcomers"] else int(Area.OUTER)
        dormitory = c.kind == MIGRANT_WORKER and rng.random() < beh["dormitory_share_of_migrant_workers"]
        tenure = DORMITORY if dormitory else RENT
        household = Household()
        head = self._newcomer(household, c.age, c.head_sex, c.education, c.kind, HEAD, tenure, area, c.origin, True)
        if bring_now:
            self._bring_family(household, c, 0, tenure, area)
        elif c.couple or c.kids:
            delay = int(1 + rng.expovariate(1.0) * beh["family_join_months"])
            self.pending.append(PendingFamily(self.month, self.month + delay, head, c))

    def _newcomer(
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
        p = Resident(
            self,
            household,
            age_months=age * 12 + int(self.random.random() * 12),
            sex=sex,
            role=role,
            hukou=hukou,
            kind=kind,
            education=education,
            tenure=tenure,
            area=area,
            origin=origin,
        )
        self.start_work(p, came_to_work)
        self.count_in(p)
        return p

    def _bring_family(
        self, household: Household, c: Candidate, years: int, tenure: int, area: int, hukou: bool = False
    ) -> int:
        """Spouse and children join ``household``, ``years`` older than when the head decided,
        with the household's housing, place and hukou."""
        beh = self.beh
        n = 0
        if c.couple:
            sex = FEMALE if c.head_sex == MALE else MALE
            gap = beh["spouse_age_gap"] * (1 if sex == MALE else -1)
            age = max(c.age + years + gap, beh["legal_marriage_age"])
            self._newcomer(household, int(age), sex, c.education, c.kind, SPOUSE, tenure, area, c.origin, False, hukou)
            n += 1
        for kid_age in c.kids:
            sex = MALE if self.random.random() < self.male_share_of_births else FEMALE
            edu = int(Education.PRIMARY_OR_LESS)
            self._newcomer(household, kid_age + years, sex, edu, c.kind, CHILD, tenure, area, c.origin, False, hukou)
            n += 1
        return n

    def _families_join(self) -> None:
        """``migration.families_join``: families left behind join heads still in Baotou."""
        due = [f for f in self.pending if f.due <= self.month]
        if not due:
            return
        self.pending = [f for f in self.pending if f.due > self.month]
        for f in due:
            head = f.head
            if head.here:  # otherwise they stay away
                years = (self.month - f.decided) // 12
                joined = self._bring_family(head.household, f.candidate, years, head.tenure, head.area, head.hukou)
                self.flows["families_joined"] += joined

    # ------------------------------------------------------------- results
    def table(self) -> dict[int, dict[str, float]]:
        """Yearly indicators in persons at full scale (rates and shares as they are)."""
        return {
            year: {k: v if k == "unemployment_rate" else v * self.weight for k, v in row.items() if k != "months"}
            for year, row in self.years.items()
        }

    def imar_population(self) -> float:
        """Inner Mongolia: Baotou plus the rest of the region (``indicators._imar``), persons."""
        return self.pool[0] - self.exchange[0] * self.weight + len(self.agents) * self.weight


_CENSUS_COLUMNS = (
    "age_months",
    "sex",
    "role",
    "hukou",
    "kind",
    "education",
    "tenure",
    "area",
    "origin",
    "urban",
    "employed",
    "unemployed",
    "income",
    "months_in_baotou",
    "social_insurance",
    "social_insurance_months",
    "provident_fund",
    "provident_fund_months",
    "study_months",
)  # event clocks are the reference's own draws (the project's may be kept differently)


# ------------------------------------------------------------------------------- timing


def timed_months(step: Callable[[], None], count: Callable[[], int], months: int) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds (all threads of the process) spent stepping ``months`` months,
    and the agent-months stepped (agents at each month's start; counting is outside the timers)."""
    wall, cpu, agent_months = 0.0, 0.0, 0
    for _ in range(months):
        agent_months += count()
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
    return wall, cpu, agent_months


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("demography", "migration"), default="demography")
    parser.add_argument("--scale", type=float, default=0.002)
    parser.add_argument("--months", type=int, default=182, help="from the census month 2020-11 (182: to 2035-12)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    migration = args.mode == "migration"

    ref = ReferenceModel(args.scale, seed=args.seed, migration=migration)
    ref_wall, ref_cpu, ref_months = timed_months(ref.step, lambda: len(ref.agents), args.months)
    col = BaotouModel(scenario_for(args.scale, migration, args.months), seed=args.seed)
    col_wall, col_cpu, col_months = timed_months(col.step, lambda: col.people.n_alive, args.months)

    what = "baseline with migration" if migration else "demography only"
    print(f"scale {args.scale}, {args.months} months from 2020-11, seed {args.seed}, {what}")
    print(f"{'':48}{'wall':>9}{'cpu':>9}{'agent-years':>13}{'us per person-year':>20}")
    per = {}
    for label, wall, cpu, months in (
        ("idiomatic Mesa (Agent per person, shuffle_do)", ref_wall, ref_cpu, ref_months),
        ("columnar model (this project)", col_wall, col_cpu, col_months),
    ):
        per[label] = (1e6 * wall / (months / 12), 1e6 * cpu / (months / 12))
        print(f"{label:48}{wall:8.2f}s{cpu:8.2f}s{months / 12:13,.0f}{per[label][0]:13.2f} (cpu {per[label][1]:.2f})")
    (ref_per, ref_per_cpu), (col_per, col_per_cpu) = per.values()
    print(
        f"ratio: the project is {ref_per / col_per:.1f} times faster per person-year "
        f"(cpu time: {ref_per_cpu / col_per_cpu:.1f} times)"
    )
    if migration:
        ref_table = ref.table()
        col_table = col.datacollector.get_model_vars_dataframe().set_index("year").to_dict("index")
        print("\nthis one run, persons over the period (one seed each: chance differences are expected)")
        print(f"{'':16}{'reference':>12}{'project':>12}")
        for name in ("births", "deaths", "in_migration", "out_migration"):
            totals = [sum(row[name] for row in table.values()) for table in (ref_table, col_table)]
            print(f"{name:16}{totals[0]:12,.0f}{totals[1]:12,.0f}")
        last = max(ref_table)
        ends = [table[last]["population"] for table in (ref_table, col_table)]
        print(f"{f'population {last}':16}{ends[0]:12,.0f}{ends[1]:12,.0f}")


if __name__ == "__main__":
    main()
