"""People elsewhere who consider moving: a gravity-sized monthly flow by origin group, with ages
from a Rogers–Castro schedule, and the pools they come from.

Only those who choose Baotou become agents; the rest of the world is not simulated person by
person. Candidates are drawn from their own stream before any measure acts, so the same
candidates face every scenario run with the same seed (common random numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from model import params
from model.categories import Education, Kind, Sex
from model.census.households import band_value
from model.census.synthesis import education_for_age, single_year_shape
from model.demography.migration_schedule import rogers_castro
from model.draws.keyed import derive_keys, salt
from model.draws.streams import Streams
from model.people.choosers import MAX_KIDS, Choosers, Family, outside


def candidate_ages(beh: Mapping[str, Any]) -> np.ndarray:
    lo, hi = beh["candidate_age_range"]
    return np.arange(int(lo), int(hi) + 1)


class OutsideWorld:
    """Origin pools (populations) and the monthly flow of people considering a move.

    The pools that generate candidates follow their own trend only, so the candidates are the
    same whatever Baotou does; what Baotou gains from or sends back to them is the ledger's
    ``exchange``.
    """

    def __init__(self, beh: Mapping[str, Any], start_month: int) -> None:
        regions = params.load("regions")
        self.pool_2020 = np.asarray(regions["origin_population_2020"]["value"], dtype=float)
        self.growth = np.asarray(regions["origin_population_growth"]["value"])
        self.start = start_month
        self.ages = candidate_ages(beh)
        shape = single_year_shape()[self.ages]
        weights = shape * rogers_castro(self.ages.astype(float), beh)
        self.age_cdf = np.cumsum(weights / weights.sum())
        # Share of an origin's population that considers a move in a year, per unit of the peak rate.
        self.peak_share = weights.sum() / single_year_shape().sum()
        self.rate = np.asarray(beh["outside_consider_rate"]) * beh["candidate_flow_scale"]

    def pool_at(self, month: int) -> np.ndarray:
        """Origin populations in ``month`` (their own trend, from the 2020 census on)."""
        return self.pool_2020 * (1 + self.growth) ** ((month - self.start + 1) / 12)

    def expected_candidates(self, month: int, agents_per_person: float) -> np.ndarray:
        return self.pool_at(month) * self.rate * self.peak_share / 12 * agents_per_person


def by_kind(beh: Mapping[str, Any], key: str, kind: np.ndarray) -> np.ndarray:
    """A ``*_by_kind`` parameter (given for migrant workers, graduates, talent) for movers of ``kind``."""
    return np.asarray(beh[key], dtype=float)[np.asarray(kind) - Kind.MIGRANT_WORKER]


def family(
    rng: np.random.Generator, beh: Mapping[str, Any], pop: Mapping[str, Any], age: np.ndarray, kind: np.ndarray
) -> Family:
    """Who would come with movers of these ages and kinds: a partner, children; and the mover's
    sex (men are the larger share of labour migrants)."""
    n = age.size
    partnered = band_value(pop["partnered_share_by_age"]["value"], age) * beh["candidate_partnered_factor"]
    couple = rng.random(n) < partnered
    n_kids = np.where(couple, np.minimum(rng.poisson(beh["children_per_family"], n), MAX_KIDS), 0)
    oldest = np.clip(age - beh["parent_age_at_first_child"], 0, beh["child_age_max"])
    kids = (rng.random((n, MAX_KIDS)) * (oldest[:, None] + 1)).astype(np.int64)
    kids[np.arange(MAX_KIDS)[None, :] >= n_kids[:, None]] = -1
    sex = np.where(rng.random(n) < by_kind(beh, "male_share_by_kind", kind), Sex.MALE, Sex.FEMALE)
    return Family(sex, couple, kids)


def degree(beh: Mapping[str, Any], u: np.ndarray) -> np.ndarray:
    """A graduate's degree from a uniform draw, with the shares of ``graduate_degree_shares``."""
    shares = np.asarray(beh["graduate_degree_shares"])
    levels = np.array([Education.COLLEGE, Education.BACHELOR, Education.POSTGRADUATE], dtype=np.int8)
    return levels[np.minimum(np.searchsorted(np.cumsum(shares / shares.sum()), u), len(levels) - 1)]


@dataclass
class Candidates:
    """One month's outside candidates: who they are and who would come with them."""

    choosers: Choosers
    family: Family


@dataclass(frozen=True)
class Draw:
    """What drawing a month's candidates needs (nothing that Baotou's state changes)."""

    world: OutsideWorld
    streams: Streams
    behaviour: Mapping[str, Any]
    population: Mapping[str, Any]
    seed: int
    agents_per_person: float


def generate(d: Draw, month: int) -> Candidates:
    """The candidates of ``month``, from the candidates stream only (nothing Baotou does changes
    them), so they can be drawn ahead of time."""
    rng, beh, world = d.streams["candidates"], d.behaviour, d.world
    counts = rng.poisson(world.expected_candidates(month, d.agents_per_person))
    n = int(counts.sum())
    origin = np.repeat(np.arange(1, counts.size + 1), counts).astype(np.int8)
    age = world.ages[np.minimum(np.searchsorted(world.age_cdf, rng.random(n), side="right"), world.ages.size - 1)]
    lo, hi = beh["graduate_age_range"]
    graduate = (age >= lo) & (age <= hi) & (rng.random(n) < beh["graduate_share_of_candidates"])
    kind = np.where(graduate, Kind.GRADUATE, Kind.MIGRANT_WORKER).astype(np.int8)
    fam = family(rng, beh, d.population, age, kind)
    education = education_for_age(age, np.zeros(n, bool), rng)
    education[graduate] = degree(beh, rng.random(int(graduate.sum())))
    keys = derive_keys(np.arange(n, dtype=np.uint64), salt(d.seed, "candidate", month))
    ch = outside(keys, age, education, kind, origin, fam.couple, fam.kids_ages, beh["main_urban_share_of_newcomers"])
    return Candidates(ch, fam)


# Candidates a month from which drawing the next month's on a second thread pays (the measurement
# is in model/data/run.toml).
DRAW_AHEAD_FROM: int = params.value("run", "draw_ahead_from")


class CandidateFeed:
    """Hands out each month's candidates, drawing next month's on a second thread meanwhile when
    there are many (``DRAW_AHEAD_FROM``).

    The draws do not depend on the state of the simulation (``generate``) and come from their
    own stream in month order, so the numbers are the same as drawing them in turn; the second
    thread only lets a two-core machine draw them while the other stages run.
    """

    def __init__(self, draw: Draw, last_month: int) -> None:
        self.draw = draw
        self.last_month = last_month
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="candidates")
        self._next: tuple[int, Future[Candidates]] | None = None

    def take(self, month: int) -> Candidates:
        if self._next is not None and self._next[0] == month:
            out = self._next[1].result()
        else:
            out = generate(self.draw, month)
        self._next = None
        if month >= self.last_month:
            self._pool.shutdown(wait=False)
        elif len(out.choosers) >= DRAW_AHEAD_FROM:
            self._next = (month + 1, self._pool.submit(generate, self.draw, month + 1))
        return out
