"""The migration yardstick: every stage of the baseline scenario (no measure on) with
``[run] migration = true``, one ``Resident`` agent per person, with Mesa's own draws.

The model does what ``model/model.py`` does outside the people: this month's conditions, the
outside world (``arrivals.py``), deaths' and departures' bookkeeping, head replacement, the
same-origin network counts (recent arrivals, each month), the yearly indicators. The people's
own rules are in ``residents.py``, the destination choice in ``choice.py``.
"""

from __future__ import annotations

import bisect
import math

import numpy as np
from mesa.agentset import AgentSet

from .arrivals import OutsideWorld
from .census import FromCensus
from .choice import Chooser, DestinationChoice
from .project import (
    BAOTOU,
    CHILD,
    FEMALE,
    FLOWS,
    FROM_BAOTOU,
    HEAD,
    HOME,
    IMAR_DESTINATIONS,
    KIND_NAMES,
    MALE,
    N_ORIGINS,
    BaotouModel,
    Education,
    choice_tables,
    lines,
)
from .residents import Household, Resident
from .schedules import rogers_castro

CENSUS_COLUMNS = (
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
    "arrived",
    "social_insurance",
    "social_insurance_months",
    "provident_fund",
    "provident_fund_months",
    "study_months",
)  # event clocks are the reference's own draws (the project's may be kept differently)
DECEMBER = 12


class MigrationReference(FromCensus):
    """The baseline's every stage, ``Resident`` agents; yearly indicators in ``self.years``
    (agents; the unemployment rate in December only) and ``self.table()`` (persons, as the
    project reports them)."""

    migration = True

    # ------------------------------------------------------------------ setting up
    def set_up(self, columnar: BaotouModel) -> None:
        """Parameters as Python numbers, from the same places as the project; then the census people."""
        if columnar.package.levers():
            raise ValueError("the reference covers the baseline only: no measure of the package may be on")
        # What happens anyway (N1): each line built regardless brings its origin groups nearer
        # from its opening month (environment.py's transport lines).
        self.lines_anyway = (
            [(line.opening, line.distance_cut.tolist()) for line in lines() if line.built_anyway]
            if "N1" in columnar.package
            else []
        )
        beh, pop = columnar.beh, columnar.pop_params
        self.beh, self.conditions = beh, columnar.conditions
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
        ]  # indexed by sex (MALE, FEMALE)
        self.working_age = self.employment_bands[MALE][0][0]  # no one younger works
        # Considering a move: the residents' consideration hazard (consideration.py).
        self.consider_by_age = [
            beh["resident_consider_rate"] / 12 * rogers_castro(float(a), beh) for a in range(self.max_age + 1)
        ]
        self.kind_multiplier = list(beh["consider_multiplier_by_kind"])
        self.owner_multiplier = beh["owner_consider_multiplier"]
        self.return_age, self.return_multiplier = math.floor(beh["return_age"]), beh["return_multiplier"]
        self.job_loss_multiplier = beh["job_loss_event_multiplier"]
        self.duration_inertia = beh["duration_inertia"]
        self.newcomer_leaving_excess = beh["newcomer_leaving_excess"]
        self.newcomer_excess_years = beh["newcomer_excess_years"]
        self.school_age_multiplier = beh["school_age_event_multiplier"]
        lo, hi = beh["adult_child_decider_ages"]
        self.adult_child_lo, self.adult_child_hi = math.ceil(lo), math.floor(hi)
        # The destination choice (choice.py).
        tables = choice_tables()
        self.choice = DestinationChoice(beh, tables, self.weight)
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
        # The outside world (candidates.py): pools, candidates, talent offers, families joining.
        self.outside = OutsideWorld(self, beh, pop, tables["origin_population"])

        self.newcomers: list[Resident] = []
        self.years: dict[int, dict[str, float]] = {}
        self.flows = self._flows_of(self.month // 12)
        # The same-origin network: agents in Baotou by origin group who arrived within its span,
        # counted at the start of each month (``count_network``).
        self.network_months = round(12 * beh["network_recent_years"])
        self._census(columnar)
        self.count_network()
        self.local_enrolment_rate = self._local_enrolment_rate()

    def _census(self, columnar: BaotouModel) -> None:
        """The columnar model's census people, as agents, with their households (fresh clocks)."""
        p = columnar.people
        alive = p.alive
        cols = {name: p.column(name)[alive].tolist() for name in ("household_id", *CENSUS_COLUMNS)}
        households: dict[int, Household] = {}
        for i, hh in enumerate(cols["household_id"]):
            household = households.get(hh)
            if household is None:
                household = households[hh] = Household()
            Resident(self, household, **{name: cols[name][i] for name in CENSUS_COLUMNS})

    def count_network(self) -> None:
        """``model/ledger.py::recent_arrivals``: who moved here (not born here) within the
        network's span, by origin group."""
        network = [0] * N_ORIGINS
        for a in self.agents:
            if a.arrived and a.months_in_baotou <= self.network_months:
                network[a.origin] += 1
        self.network = network

    def _local_enrolment_rate(self) -> float:
        """``students.LocalEnrolment``: fixed at the start from the census cohort of 18-year-olds."""
        cohort = sum(1 for a in self.agents if a.hukou and a.age_months // 12 == self.entry_age)
        beh = self.beh
        local = beh["student_intake"] * (1 - beh["student_intake_non_hukou_share"]) * self.agents_per_person
        return min(1.0, local / cohort) if cohort else 0.0

    def _flows_of(self, year: int) -> dict[str, float]:
        return self.years.setdefault(year, {**dict.fromkeys(FLOWS, 0), "population": 0, "unemployment_rate": 0.0})

    # ------------------------------------------------------------------ the month
    def step(self) -> None:
        """One month. Agents step in random order, each through the project's stage order for
        themselves; what is not anyone's own doing runs at model level.

        Differences of order from the project, where each stage runs for everyone before the
        next: a person whose household leaves earlier in the loop does not die, give birth or
        lose a job that month; a head sees children turning six a month early if they stepped
        first; a head replaced at death decides that month only if the new head steps later.
        The same-origin network is counted at the start of the month, as in the project.
        Newcomers (arrivals, new students, families joining, newborns) settle and age at the end
        of the month, as in the project.
        """
        self.observe(self.month)
        self.birth_rate = self.rates_by_year.at(self.month // 12).birth.astype(float).tolist()  # the year's TFR
        self.outside.grow()
        self.flows = self._flows_of(self.month // 12)
        self.intake_month = self.month % 12 + 1 == self.beh["intake_month"]
        self.newcomers = []
        self.count_network()

        self.agents.shuffle_do("step")

        self.outside.arrivals()
        newcomers = [a for a in self.newcomers if a.here]
        if newcomers:
            AgentSet(newcomers, random=self.random).shuffle_do("finish_month")

        self.flows["months"] += 1
        self.flows["population"] = len(self.agents)
        if self.month % 12 + 1 == DECEMBER:  # the year-end state
            working = sum(1 for a in self.agents if a.employed)
            jobless = sum(1 for a in self.agents if a.unemployed)
            self.flows["unemployment_rate"] = 100.0 * jobless / max(jobless + working, 1)
        self.month += 1

    def observe(self, month: int) -> None:
        """This month's conditions (wages, rents, newcomers' chance of a job)."""
        now = self.conditions.at(month)
        cut = [0.0] * N_ORIGINS
        for opening, by_origin in self.lines_anyway:
            if month >= opening:
                cut = [c + d for c, d in zip(cut, by_origin, strict=True)]
        self.choice.observe(now, cut)
        self.p_reemployment = -math.expm1(-self.beh["reemployment_rate"] * now.reemployment_factor / 12)

    # ------------------------------------------------------------- life events
    def gone(self, p: Resident) -> None:
        """``p`` is no longer in Baotou (died or left): out of the counts and the household."""
        p.household.members.remove(p)
        p.leave()

    def died(self, p: Resident) -> None:
        self.flows["deaths"] += 1
        self.gone(p)
        if p.role == HEAD:
            self.replace_head(p.household)

    def replace_head(self, household: Household) -> None:
        """``model/people/households.py::replace_heads``: the oldest remaining member becomes head at once."""
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
        self.newcomers.append(baby)

    def depart(self, people: list[Resident], where: int) -> None:
        """``model/stages/departures.py::leave``: they leave for destination ``where``."""
        exchange = self.outside.exchange
        for p in people:
            self.flows["out_migration"] += 1
            self.flows[f"out_migration_{KIND_NAMES[p.kind]}"] += 1
            # Those going home, or to Hohhot or Ordos (the rest of Inner Mongolia), rejoin an origin.
            if where == HOME and p.origin != FROM_BAOTOU:
                exchange[p.origin - 1] -= 1
            elif where in IMAR_DESTINATIONS:
                exchange[0] -= 1
            self.gone(p)

    def count_in(self, p: Resident) -> None:
        """``model/ledger.py::Ledger.arrived``: a newcomer is counted and taken from their origin."""
        self.flows["in_migration"] += 1
        self.flows[f"in_migration_{KIND_NAMES[p.kind]}"] += 1
        if p.origin != FROM_BAOTOU:
            self.outside.exchange[p.origin - 1] += 1
        self.newcomers.append(p)

    # ------------------------------------------------------------- draws from the rules
    def wage_draw(self, education: int) -> float:
        """Today's Baotou wage for this education, with log-normal dispersion of mean 1."""
        sigma = self.wage_sigma
        wage = self.choice.wage[BAOTOU] * self.choice.premium[education]
        return wage * math.exp(sigma * self.random.gauss() - sigma**2 / 2)

    def band_rate(self, age: int, sex: int) -> float:
        """Share in work by age band and sex (``population.toml``), 0 below the first band."""
        bands, rates = self.employment_bands[sex]
        band = bisect.bisect_right(bands, age) - 1
        return rates[band] if band >= 0 else 0.0

    def employment_rate(self, age: int, sex: int, hukou: bool) -> float:
        """``labour.employment_rate``: the band's share in work, raised without hukou."""
        rate = self.band_rate(age, sex)
        return rate if hukou else min(rate * self.migrant_uplift, self.migrant_uplift_cap)

    def start_work(self, p: Resident, came_to_work: bool) -> None:
        """``migration.work_values``: those who came to work find a job at Baotou's newcomer rate,
        others (spouses, children) work at the usual rate for their age and sex."""
        age = p.age_months // 12
        chance = self.choice.newcomer_job_finding if came_to_work else self.band_rate(age, p.sex)
        of_age = age >= self.working_age
        if self.random.random() < chance and of_age:
            p.start_job()
        else:
            p.stop_work(searching=came_to_work and of_age)  # came to work, found none yet

    def degree(self, u: float) -> int:
        """``candidates.degree``: a graduate's degree from a uniform draw."""
        at = bisect.bisect_left(self.degree_cum, u)
        return self.degree_levels[min(at, len(self.degree_levels) - 1)]

    # ------------------------------------------------------------- the destination choice
    def probabilities(self, c: Chooser, only_baotou: bool = False, constant: float = 0.0) -> list[float]:
        """P of each destination for ``c`` (``DestinationChoice.probabilities``), this month."""
        return self.choice.probabilities(c, self.network, only_baotou, constant)

    def choose(self, c: Chooser) -> int:
        """A resident's (or graduate's) destination; BAOTOU means staying."""
        return self.choice.choose(c, self.network, self.random)

    # ------------------------------------------------------------- results
    def table(self) -> dict[int, dict[str, float]]:
        """Yearly indicators in persons at full scale (rates and shares as they are)."""
        return {
            year: {k: v if k == "unemployment_rate" else v * self.weight for k, v in row.items() if k != "months"}
            for year, row in self.years.items()
        }

    def imar_population(self) -> float:
        """Inner Mongolia: Baotou plus the rest of the region (``indicators._imar``), persons."""
        outside = self.outside
        return outside.pool[0] - outside.exchange[0] * self.weight + len(self.agents) * self.weight
