"""The Mesa model: Baotou's people, stepped month by month."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

import mesa
import numpy as np

from model import demography
from model.indicators import FLOWS, INDICATORS
from model.population import People, Person
from model.rng import Streams
from model.scenario import Scenario, month_index
from model.schedules import MonthlyRates
from model.synthesis import synthesize


class BaotouModel(mesa.Model):
    """Baotou's resident population from the 2020 census, one step per month.

    ``step()`` runs these stages in this order:

    1. deaths (each person's death clock)
    2. births, babies joining their mother's household (each woman's birth clock)
    3. ageing: age, months in Baotou, months of continuous contributions
    4. calendar: in December the year's indicators are recorded and the dead are dropped

    People are rows of a columnar store (``self.people``); ``self.person(id)`` shows one as an
    agent. Counts are reported in persons: each agent stands for ``self.weight`` persons.
    """

    def __init__(self, scenario: Scenario, seed: int = 0) -> None:
        super().__init__(rng=seed)
        self.scenario = scenario
        self.seed = seed
        self.streams = Streams(seed)
        demo = scenario["demography"]
        self.rates = MonthlyRates.from_levels(demo["tfr"], demo["e0_male"], demo["e0_female"], demo["srb"])
        self.people: People
        self.people, self.weight = synthesize(scenario["run"]["scale"], demo, self.streams["synthesis"], seed)
        self.month = month_index(scenario.start)  # months since year 0 of the month being simulated
        self.last_month = month_index(scenario.end)
        self.population_start = self.people.n_alive * self.weight
        self.flows = dict.fromkeys(FLOWS, 0)
        reporters = {name: ind.compute for name, ind in INDICATORS.items()}
        self.datacollector = mesa.DataCollector(model_reporters={"year": lambda m: m.year, **reporters})
        self.pyramids = {"start": self.age_sex_counts()}
        self.stage_seconds: dict[str, float] = defaultdict(float)  # where the time goes, for benchmarks

    @property
    def year(self) -> int:
        return self.month // 12

    @property
    def calendar_month(self) -> int:
        return self.month % 12 + 1

    def step(self) -> None:
        """One month; see the class docstring for the stage order."""
        people, clock = self.people, time.perf_counter
        t0 = clock()
        age = demography.capped_age(people, self.rates)
        self.flows["deaths"] += demography.deaths(people, age, self.rates).size
        t1 = clock()
        self.flows["births"] += demography.births(people, age, self.rates, self.seed, self.month)
        t2 = clock()
        demography.age_one_month(people)
        self.flows["months"] += 1
        t3 = clock()
        if self.calendar_month == 12 or self.month == self.last_month:
            self.datacollector.collect(self)
            self.flows = dict.fromkeys(FLOWS, 0)
            people.compact()
        t4 = clock()
        for stage, seconds in (("deaths", t1 - t0), ("births", t2 - t1), ("ageing", t3 - t2), ("calendar", t4 - t3)):
            self.stage_seconds[stage] += seconds
        if self.month == self.last_month:
            self.pyramids["end"] = self.age_sex_counts()
            self.running = False
        self.month += 1

    def run(self, on_month: Callable[[], None] | None = None) -> None:
        """Step to the scenario's last month."""
        while self.running:
            self.step()
            if on_month:
                on_month()

    def person(self, person_id: int) -> Person:
        """One person as an agent (read-only), for teaching and debugging."""
        return self.people.person(person_id)

    def age_sex_counts(self) -> np.ndarray:
        """Persons by [sex, single year of age 0..max_age] (open last age)."""
        alive = self.people.alive
        age = demography.capped_age(self.people, self.rates)[alive]
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
