"""The Mesa model: Baotou's people, stepped month by month."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

import mesa
import numpy as np

from model import candidates, demography, labour, migration, params, settlement, students, thinning
from model import measures as measures_mod
from model.categories import Kind, Role
from model.choosers import Choosers, from_people
from model.conditions import DESTINATIONS, HOME, Conditions
from model.indicators import FLOWS, INDICATORS
from model.population import People, Person
from model.rng import Streams, uniform
from model.scenario import Scenario, month_index
from model.schedules import MonthlyRates
from model.synthesis import synthesize

IMAR_DESTINATIONS = [DESTINATIONS.index("hohhot"), DESTINATIONS.index("ordos")]


class BaotouModel(mesa.Model):
    """Baotou's resident population from the 2020 census, one step per month.

    ``step()`` runs these stages in this order:

    1. conditions: this month's wages, rents and house prices; origins' populations
    2. deaths (each person's death month, found once)
    3. births, babies joining their mother's household (drawn by thinning; F1)
    4. jobs: on their birthday some join or leave the labour force (the employment rate by
       age); some of the employed lose their job, some of the unemployed find one; then
       graduation (in July): graduates of Baotou's universities stay or leave
    5. student intake (in September)
    6. residents consider moving (drawn by thinning) and choose; leavers take their household
    7. outside candidates choose among destinations; those choosing Baotou arrive, some with
       family; talent offers are accepted or not
    8. families left behind join
    9. settling: hukou take-up (K1), home purchase (H2, H3, H4)
    10. measures deliver (places, payments) and book their costs
    11. ageing: age, months in Baotou, months of contributions, months of study
    12. calendar: in December (and the last month) the year's indicators are recorded and the
        dead and departed are dropped once they are a sixteenth of the rows (a household whose head
        dies gets a new head at once)

    Stages 4-9 run only when ``[run] migration`` is true. People are rows of a columnar store
    (``self.people``); ``self.person(id)`` shows one as an agent. Counts are reported in
    persons: each agent stands for ``self.weight`` persons.
    """

    def __init__(self, scenario: Scenario, seed: int = 0) -> None:
        super().__init__(rng=seed)
        self.scenario = scenario
        self.seed = seed
        self.streams = Streams(seed)
        self.beh = scenario["behaviour"]
        self.pop_params = params.load("population")
        demo = scenario["demography"]
        self.rates = MonthlyRates.from_levels(demo["tfr"], demo["e0_male"], demo["e0_female"], demo["srb"])
        self.people: People
        self.people, self.weight = synthesize(scenario["run"]["scale"], demo, self.streams["synthesis"], seed)
        self.agents_per_person = 1.0 / self.weight
        self.month = month_index(scenario.start)  # months since year 0 of the month being simulated
        self.last_month = month_index(scenario.end)
        self.migration = scenario["run"]["migration"]
        self.conditions = Conditions(scenario)
        self.now = self.conditions.at(self.month)
        self.measures = measures_mod.build(scenario, self)
        self.world = candidates.OutsideWorld(self)
        self.candidate_feed = candidates.CandidateFeed(self)
        self.pending = migration.PendingFamilies()
        self.local_enrolment = students.LocalEnrolment(self)
        self.population_start = self.people.n_alive * self.weight
        labour.census_unemployment(self)
        # Agents in Baotou by origin group, kept up to date as people are born, die, come and go.
        self._by_origin = np.bincount(self.people.origin[self.people.alive], minlength=4).astype(float)
        self.flows = dict.fromkeys(FLOWS, 0)
        self.births_this_month = 0
        self._version = 0
        self._cache: dict[str, tuple[int, object]] = {}
        reporters = {name: ind.compute for name, ind in INDICATORS.items()}
        self.datacollector = mesa.DataCollector(model_reporters={"year": lambda m: m.year, **reporters})
        self.pyramids = {"start": self.age_sex_counts()}
        self.stage_seconds: dict[str, float] = defaultdict(float)  # where the time goes, for benchmarks

    # ------------------------------------------------------------------ the step
    @property
    def year(self) -> int:
        return self.month // 12

    @property
    def calendar_month(self) -> int:
        return self.month % 12 + 1

    def step(self) -> None:
        """One month; see the class docstring for the stage order."""
        people = self.people
        stages: list[tuple[str, Callable[[], None]]] = [
            ("conditions", self._conditions),
            ("deaths", self._deaths),
            ("births", self._births),
        ]
        if self.migration:
            stages += [
                ("jobs", lambda: (labour.labour_force_by_age(self), labour.job_turnover(self))),
                ("graduation", lambda: students.graduation(self)),
                ("intake", lambda: students.intake(self)),
                ("departures", lambda: migration.resident_departures(self)),
                ("arrivals", lambda: (candidates.outside_arrivals(self), candidates.talent_offers(self))),
                ("families", lambda: migration.families_join(self)),
                ("settling", lambda: (settlement.hukou_takeup(self), settlement.home_purchases(self))),
            ]
        stages += [
            ("measures", self._deliver),
            ("ageing", lambda: demography.age_one_month(people)),
            ("calendar", self._calendar),
        ]
        for name, stage in stages:
            t0 = time.perf_counter()
            stage()
            self.stage_seconds[name] += time.perf_counter() - t0
        self.month += 1

    def _conditions(self) -> None:
        self.now = self.conditions.at(self.month)
        self.world.step(self.month)

    def _deaths(self) -> None:
        died = demography.deaths(self.people, self.rates, self.month)
        self.flows["deaths"] += died.size
        self._by_origin -= np.bincount(self.people.origin[died], minlength=4)
        self._changed()
        self.replace_heads(self.people.household_id[died[self.people.role[died] == Role.HEAD]])

    def _births(self) -> None:
        multiplier = float(np.prod([m.fertility_multiplier() for m in self.measures.values()]))
        self.births_this_month = demography.births(
            self.people,
            self.rates,
            self.seed,
            self.month,
            multiplier,
            self.beh["fertility_multiplier_bound"],
            self.beh["birth_moments_tfr"],
        )
        self.flows["births"] += self.births_this_month
        if self.births_this_month:
            self._by_origin += np.bincount(self.people.origin[-self.births_this_month :], minlength=4)
        self._changed()

    def _deliver(self) -> None:
        for measure in self.measures.values():
            measure.monthly()

    def _calendar(self) -> None:
        self.flows["months"] += 1
        if self.calendar_month == 12 or self.month == self.last_month:
            self.datacollector.collect(self)
            self.flows = dict.fromkeys(FLOWS, 0)
            for measure in self.measures.values():
                measure.end_of_year()
            # Drop the dead and departed once they are a sixteenth of the rows: copying every
            # column costs more than carrying a few idle rows for a while.
            if len(self.people) - self.people.n_alive > len(self.people) // 16:
                self.people.compact()
            self._changed()
        if self.month == self.last_month:
            self.pyramids["end"] = self.age_sex_counts()
            self.running = False

    def replace_heads(self, household_ids: np.ndarray) -> None:
        """Households whose head died (or left alone, as a graduate may) get the oldest remaining
        member as head."""
        if household_ids.size == 0:
            return
        people = self.people
        members = self.members_of(household_ids)
        if members.size:
            hh = people.household_id[members]
            order = members[np.lexsort((-people.age_months[members], hh))]
            first = order[np.r_[True, people.household_id[order][1:] != people.household_id[order][:-1]]]
            people.role[first] = Role.HEAD
            thinning.reschedule(people, first, ("consider", "hukou", "purchase"))
        self._changed()

    def run(self, on_month: Callable[[], None] | None = None) -> None:
        """Step to the scenario's last month."""
        while self.running:
            self.step()
            if on_month:
                on_month()

    # -------------------------------------------------------- helpers for the stages
    def uniform(self, keys: np.ndarray, name: str) -> np.ndarray:
        """This month's draw for decision ``name``, one per person key."""
        return uniform(keys, self.seed, name, self.month)

    def _changed(self) -> None:
        self._version += 1

    def _cached(self, name: str, compute: Callable[[], object]):
        hit = self._cache.get(name)
        if hit is None or hit[0] != self._version:
            hit = (self._version, compute())
            self._cache[name] = hit
        return hit[1]

    def household_capacity(self) -> int:
        return self.people.next_household_id

    def alive_households(self) -> np.ndarray:
        def compute() -> np.ndarray:
            out = np.zeros(self.household_capacity(), dtype=bool)
            out[self.people.household_id[self.people.alive]] = True
            return out

        return self._cached("alive_households", compute)

    def head_rows(self) -> np.ndarray:
        return self._cached("head_rows", lambda: np.flatnonzero(self.people.alive & (self.people.role == Role.HEAD)))

    def head_of(self, household_ids: np.ndarray) -> np.ndarray:
        """Row of each household's head (-1 where there is none)."""
        household_ids = np.asarray(household_ids)
        if household_ids.size > len(self.people) // 64:  # many households: one pass over everyone
            lookup = np.full(self.household_capacity(), -1, dtype=np.int64)
            heads = self.head_rows()
            lookup[self.people.household_id[heads]] = heads
            return lookup[household_ids]
        rows = self.members_of(household_ids)
        heads = rows[self.people.role[rows] == Role.HEAD]
        if heads.size == 0:
            return np.full(household_ids.size, -1, dtype=np.int64)
        hh = self.people.household_id[heads]
        order = np.argsort(hh, kind="stable")
        hh, heads = hh[order], heads[order]
        at = np.minimum(np.searchsorted(hh, household_ids), hh.size - 1)
        return np.where(hh[at] == household_ids, heads[at], -1)

    def members_of(self, household_ids: np.ndarray) -> np.ndarray:
        """Rows of the living members of these households, in row order."""
        return self.people.members_of(household_ids)

    def rows_of_ids(self, person_ids: np.ndarray) -> np.ndarray:
        """Rows of people still here (-1 for those who died or left)."""
        ids = self.people.person_id
        rows = np.minimum(np.searchsorted(ids, person_ids), max(len(ids) - 1, 0))
        ok = (ids[rows] == person_ids) & self.people.alive[rows] if len(ids) else np.zeros(len(person_ids), bool)
        return np.where(ok, rows, -1)

    def choosers_of(self, rows: np.ndarray, graduate: bool = False) -> Choosers:
        return from_people(self.people, rows, graduate)

    def set_household_tenure(self, household_ids: np.ndarray, tenure: int) -> None:
        self.people.tenure[self.members_of(household_ids)] = tenure

    def new_household_ids(self, count: int) -> np.ndarray:
        return self.people.new_household_ids(count)

    def baotou_network(self) -> np.ndarray:
        """Persons in Baotou by origin group (index ``Origin``)."""
        return self._by_origin * self.weight

    def count_in(self, rows: np.ndarray) -> None:
        """People in ``rows`` have just arrived: count them, and take them from their origin."""
        people = self.people
        self.flows["in_migration"] += rows.size
        for kind in Kind:
            self.flows[f"in_migration_{kind.name.lower()}"] += int(np.count_nonzero(people.kind[rows] == kind))
        origin = people.origin[rows]
        self.world.exchange += np.bincount(origin[origin > 0] - 1, minlength=3) * self.weight
        self._by_origin += np.bincount(origin, minlength=4)
        self._changed()

    def depart(self, rows: np.ndarray, destination: np.ndarray) -> None:
        """People in ``rows`` leave Baotou for ``destination`` (index of DESTINATIONS)."""
        people = self.people
        people.alive[rows] = False
        self._by_origin -= np.bincount(people.origin[rows], minlength=4)
        self.flows["out_migration"] += rows.size
        for kind in Kind:
            self.flows[f"out_migration_{kind.name.lower()}"] += int(np.count_nonzero(people.kind[rows] == kind))
        # Those going home, or to Hohhot or Ordos (the rest of Inner Mongolia), rejoin an origin.
        origin = people.origin[rows].astype(int)
        group = np.where(destination == HOME, origin - 1, -1)
        group = np.where(np.isin(destination, IMAR_DESTINATIONS), 0, group)
        self.world.exchange -= np.bincount(group[group >= 0], minlength=3) * self.weight
        self._changed()

    def arrived(self, rows: np.ndarray, graduate: bool = False) -> None:
        """Tell the measures who arrived (heads) or stayed on after graduating this month."""
        if rows.size == 0:
            return
        ch = self.choosers_of(rows, graduate)
        for measure in self.measures.values():
            measure.on_arrival(rows, ch)

    # ------------------------------------------------------------------ looking at it
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
