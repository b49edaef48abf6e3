"""The Mesa model: Baotou's people, stepped month by month."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

import mesa
import numpy as np

from model import measures, params
from model.calendar import month_index, month_of_year, year_of
from model.census.synthesis import single_year_shape, synthesize
from model.context import Month
from model.decisions import choice
from model.decisions.consideration import HazardTables
from model.demography import events
from model.demography.schedules import RatesByYear
from model.draws.streams import Streams
from model.indicators import BOOKS, INDICATORS
from model.ledger import Ledger, Presence
from model.people.store import People, Person
from model.scenario import Scenario
from model.stages import arrivals, departures, labour, settlement, students, vital_events, within_city
from model.stages.families import PendingFamilies
from model.world.conditions import Conditions
from model.world.outside import CandidateFeed, Draw, OutsideWorld


class BaotouModel(mesa.Model):
    """Baotou's resident population from the 2020 census, one step per month.

    ``step()`` runs these stages in this order (measure hooks, ``model/measures/base.py``, in
    brackets; each is asked only while its measure is in force, offers and distance cuts also of
    lasting measures after their window, unless marked *every month*):

    1. conditions: this month's wages, job-finding chances, rents and house prices (the month's context)
    2. deaths (each person's death month, found once); households that lost their head get one
    3. births, babies joining their mother's household (drawn by thinning)
       [fertility_multiplier, on_births]
    4. jobs: on their birthday some join or leave the labour force (the employment rate by
       age); some of the employed lose their job, some of the unemployed find one
    5. graduation (in July): graduates of Baotou's universities stay or leave
       [offer, distance_cut, social_insurance_coverage, on_arrival]
    6. student intake (in September) [intake_multiplier]
    7. residents consider moving (drawn by thinning) and choose; leavers take their household
       [offer, distance_cut]
    8. outside candidates choose among destinations; those choosing Baotou arrive, some with
       family; talent offers are accepted or not [offer, distance_cut, bring_family_gain,
       social_insurance_coverage, on_arrival, extra_talent_offers, on_extra_talent]
    9. families left behind join [social_insurance_coverage]
    10. moves within the city: households of the county, banners and outlying districts move to
        the urban districts (Rogers–Castro age schedule, ``within_city_move_rate``)
    11. settling: hukou take-up, home purchase [hukou_takeup_rate, purchase_incentive, on_purchase]
    12. measures, one after another: benefits that ran out end [expire, every month], the
        measure delivers places and payments [deliver], what runs is paid for [upkeep, every month]
    13. ageing: age, months in Baotou, months of contributions, months of study
    14. calendar: in December (and the last month) the year's indicators are recorded [report,
        end_of_year] and the dead and departed are dropped once they are a sixteenth of the rows

    Stages 4-11 run only when ``[run] migration`` is true. Each stage is a function of what it
    uses: the month's context (``model/context.py``), the people store, the package of measures
    and the ledger of flows. People are rows of a columnar store (``self.people``);
    ``self.person(id)`` shows one as an agent. Counts are reported in persons: each agent stands
    for ``self.weight`` persons.

    ``counterfactual``: who was in Baotou when in the counterfactual run with the same seed
    (``Ledger.presence`` of that run), for the books' deadweight (``books``); it changes nothing
    in this run.
    """

    def __init__(self, scenario: Scenario, seed: int = 0, counterfactual: Presence | None = None) -> None:
        super().__init__(rng=seed)
        self.scenario = scenario
        self.seed = seed
        self.streams = Streams(seed)
        self.beh = scenario["behaviour"]
        self.pop_params = params.load("population")
        demo = scenario["demography"]
        self.month = month_index(scenario.start)  # months since year 0 of the month being simulated
        self.last_month = month_index(scenario.end)
        # Fertility follows the TFR of each year (the period trend); mortality is the same every year.
        self.rates_by_year = RatesByYear(demo, single_year_shape())
        self.rates = self.rates_by_year.base
        self.people: People
        self.people, self.weight = synthesize(scenario["run"]["scale"], demo, self.streams["synthesis"], seed)
        self.migration = scenario["run"]["migration"]
        self.conditions = Conditions(scenario)
        self.context = self._context()
        self.package = measures.build(scenario, self.weight, counterfactual)
        self.world = OutsideWorld(self.beh, self.month)
        self.candidate_feed = CandidateFeed(
            Draw(self.world, self.streams, self.beh, self.pop_params, seed, self.context.agents_per_person),
            self.last_month,
        )
        self.pending = PendingFamilies()
        self.local_enrolment_rate = students.local_enrolment_rate(self.people, self.beh, self.context.agents_per_person)
        self.consider_tables = HazardTables.of(self.beh, self.rates.max_age)
        self.population_start = self.people.n_alive * self.weight
        labour.census_unemployment(self.people, self.context)
        self.ledger = Ledger(self.people, self.weight, choice.network_months(self.beh), self.month)
        self.books_by_year: list[dict[str, float]] = []
        reporters = {name: ind.compute for name, ind in INDICATORS.items()}
        self.datacollector = mesa.DataCollector(model_reporters={"year": lambda m: m.year, **reporters})
        self.pyramids = {"start": self.age_sex_counts()}
        self.stage_seconds: dict[str, float] = defaultdict(float)  # where the time goes, for benchmarks

    @property
    def year(self) -> int:
        return year_of(self.month)

    @property
    def calendar_month(self) -> int:
        return month_of_year(self.month)

    def _context(self) -> Month:
        return Month(
            index=self.month,
            last=self.last_month,
            seed=self.seed,
            weight=self.weight,
            now=self.conditions.at(self.month),
            behaviour=self.beh,
            population=self.pop_params,
            rates=self.rates_by_year.at(year_of(self.month)),
            streams=self.streams,
        )

    # ------------------------------------------------------------------ the step
    def step(self) -> None:
        """One month; see the class docstring for the stage order."""
        people, package, ledger = self.people, self.package, self.ledger
        t0 = time.perf_counter()
        self.context = m = self._context()
        ledger.new_month(people, m.index)
        self.stage_seconds["conditions"] += time.perf_counter() - t0
        stages: list[tuple[str, Callable[[], None]]] = [
            ("deaths", lambda: vital_events.deaths(people, m, ledger)),
            ("births", lambda: vital_events.births(people, m, package, ledger)),
        ]
        if self.migration:

            def jobs() -> None:
                labour.labour_force_by_age(people, m)
                labour.job_turnover(people, m)

            def arriving() -> None:
                arrivals.outside_arrivals(people, m, package, ledger, self.pending, self.candidate_feed)
                arrivals.talent_offers(people, m, package, ledger, self.pending)

            def settling() -> None:
                settlement.hukou_takeup(people, m, package, ledger)
                settlement.home_purchases(people, m, package, ledger)

            stages += [
                ("jobs", jobs),
                ("graduation", lambda: students.graduation(people, m, package, ledger)),
                ("intake", lambda: students.intake(people, m, package, ledger, self.local_enrolment_rate)),
                (
                    "departures",
                    lambda: departures.resident_departures(people, m, package, ledger, self.consider_tables),
                ),
                ("arrivals", arriving),
                ("families", lambda: arrivals.families_join(people, m, package, ledger, self.pending)),
                ("within_city", lambda: within_city.moves_to_urban_districts(people, m, ledger)),
                ("settling", settling),
            ]
        stages += [
            ("measures", lambda: package.monthly(m, people)),
            ("ageing", lambda: events.age_one_month(people)),
            ("calendar", self._calendar),
        ]
        for name, stage in stages:
            t0 = time.perf_counter()
            stage()
            self.stage_seconds[name] += time.perf_counter() - t0
        self.month += 1

    def _calendar(self) -> None:
        self.ledger.count("months", 1)
        if self.calendar_month == 12 or self.month == self.last_month:
            self.datacollector.collect(self)
            self.books_by_year.append({"year": self.year, **{k: b.compute(self) for k, b in BOOKS.items()}})
            self.ledger.close_year()
            self.package.end_of_year()
            # Drop the dead and departed once they are a sixteenth of the rows: copying every
            # column costs more than carrying a few idle rows for a while.
            if len(self.people) - self.people.n_alive > len(self.people) // 16:
                self.people.compact()
        if self.month == self.last_month:
            self.pyramids["end"] = self.age_sex_counts()
            self.running = False

    def run(self, on_month: Callable[[], None] | None = None) -> None:
        """Step to the scenario's last month."""
        while self.running:
            self.step()
            if on_month:
                on_month()

    # ------------------------------------------------------------------ looking at it
    def person(self, person_id: int) -> Person:
        """One person as an agent (read-only), for teaching and debugging."""
        return self.people.person(person_id)

    def age_sex_counts(self) -> np.ndarray:
        """Persons by [sex, single year of age 0..max_age] (open last age)."""
        alive = self.people.alive
        age = events.capped_age(self.people, self.rates)[alive]
        sex = self.people.sex[alive]
        counts = np.zeros((2, self.rates.max_age + 1))
        np.add.at(counts, (sex, age), self.weight)
        return counts

    def indicators(self) -> list[dict]:
        """Yearly indicators as long rows ``year, indicator, value`` (plus the start population)."""
        table = self.datacollector.get_model_vars_dataframe()
        rows = [{"year": int(self.scenario.start[:4]), "indicator": "population_start", "value": self.population_start}]
        for record in table.to_dict("records"):
            year = int(record.pop("year"))
            rows.extend({"year": year, "indicator": k, "value": float(v)} for k, v in record.items())
        return rows

    def books(self) -> list[dict]:
        """The measures' books by year (``model.indicators.BOOKS``) as long rows ``year, indicator, value``."""
        return [
            {"year": int(record["year"]), "indicator": k, "value": float(v)}
            for record in self.books_by_year
            for k, v in record.items()
            if k != "year"
        ]
