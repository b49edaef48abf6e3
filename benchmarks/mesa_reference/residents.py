"""People in Baotou: ``Resident`` agents, whose ``step`` applies a month of the rules to
themselves, and their households (plain lists: the head decides for the household)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa

from .choice import SCHOOL_AGES, Chooser
from .project import BAOTOU, CHILD, DORMITORY, FEMALE, HEAD, OWN, RENT, Education

if TYPE_CHECKING:
    from .migration import MigrationReference

# A head's consideration hazard is raised in the year a child turns six (``consideration.py``).
STARTING_SCHOOL_MONTHS = (12 * SCHOOL_AGES[0], 12 * (SCHOOL_AGES[0] + 1))  # from, to (excluded)


class Household:
    """People sharing a home. Not an agent: its head decides for it, as in the project."""

    __slots__ = ("members",)

    def __init__(self) -> None:
        self.members: list[Resident] = []


class Resident(mesa.Agent):
    """A person in Baotou. ``step`` runs one month of their life, in the project's stage order:
    deaths and births (``model/demography/events.py``), jobs (``model/stages/labour.py``), graduation and
    local enrolment (``model/stages/students.py``), considering a move and choosing
    (``model/decisions/consideration.py``, ``model/decisions/decide.py``,
    ``model/stages/departures.py``), then ``finish_month``: settling
    (``model/stages/settlement.py``) and ageing."""

    model: MigrationReference

    def __init__(
        self,
        model: MigrationReference,
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
        arrived: bool = False,
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
        self.arrived = arrived  # moved here from elsewhere (the network counts recent arrivals)
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

    # ---------------------------------------------------------------- jobs
    def start_job(self) -> None:
        """A job at today's wage for their education, insurance at their kind's coverage."""
        m = self.model
        self.income = m.wage_draw(self.education)
        self.social_insurance = self.random.random() < m.social_insurance_coverage[self.kind]
        self.provident_fund = self.random.random() < m.provident_fund_coverage[self.kind]
        self.employed, self.unemployed = True, False

    def stop_work(self, searching: bool) -> None:
        """Out of work, looking for another job (``searching``) or out of the labour force;
        contributions stop with the job."""
        self.employed, self.unemployed, self.income = False, searching, 0.0
        self.social_insurance = self.provident_fund = False

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
                self.start_job()
                return
            if in_force and now < before and u * before < before - now:
                self.stop_work(searching=False)
                return
        if self.employed:
            if self.random.random() < m.p_job_loss:
                self.stop_work(searching=True)
        elif self.unemployed and self.random.random() < m.p_reemployment:
            self.start_job()

    # ---------------------------------------------------------------- students
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

    # ---------------------------------------------------------------- moving
    def decides(self, age: int) -> bool:
        """Adult heads and adult children decide on moves (students do not; checked by the caller)."""
        m = self.model
        return (self.role == HEAD and age >= m.adult_child_lo) or (
            self.role == CHILD and m.adult_child_lo <= age <= m.adult_child_hi
        )

    def consider_moving(self, age: int) -> bool:
        """The consideration hazard (``consideration.hazard``) uses up this person's clock; when it
        runs out they choose (``decide``). True if they left."""
        m = self.model
        rate = m.consider_by_age[age] * m.kind_multiplier[self.kind]
        if self.tenure == OWN:
            rate *= m.owner_multiplier
        if not self.hukou and age > m.return_age:
            rate *= m.return_multiplier
        if self.unemployed:
            rate *= m.job_loss_multiplier
        years = self.months_in_baotou / 12
        rate *= (1.0 + years) ** -m.duration_inertia
        rate *= 1.0 + m.newcomer_leaving_excess * math.exp(-years / m.newcomer_excess_years)
        six, seven = STARTING_SCHOOL_MONTHS
        if self.role == HEAD and any(six <= p.age_months < seven for p in self.household.members):
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
        lo, hi = SCHOOL_AGES
        school = self.role == HEAD and any(lo <= p.age_months // 12 <= hi for p in self.household.members)
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

    # ---------------------------------------------------------------- settling
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
        """Gone from Baotou (dead or departed): out of the model."""
        self.here = False
        self.remove()
