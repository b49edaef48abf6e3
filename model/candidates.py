"""People elsewhere who consider moving: a gravity-sized monthly flow by origin group, with ages
from a Rogers–Castro schedule, and event-driven job offers to high-level talent.

Only those who choose Baotou become agents; the rest of the world is not simulated person by
person. Candidates are drawn from their own stream before any measure acts, so the same
candidates face every scenario run with the same seed (common random numbers).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import params
from model.categories import Education, Kind, Sex
from model.choosers import Choosers, outside
from model.conditions import BAOTOU
from model.consideration import rogers_castro
from model.households import _band_value
from model.migration import MAX_KIDS, Family, arrive, combined_offer, decide
from model.rng import derive_keys, salt
from model.synthesis import _education, single_year_shape

if TYPE_CHECKING:
    from model.model import BaotouModel


def candidate_ages(beh: dict) -> np.ndarray:
    lo, hi = beh["candidate_age_range"]
    return np.arange(int(lo), int(hi) + 1)


class OutsideWorld:
    """Origin pools (populations) and the monthly flow of people considering a move."""

    def __init__(self, model: BaotouModel) -> None:
        regions = params.load("regions")
        beh = model.beh
        # The pools that generate candidates follow their own trend only, so the candidates are the
        # same whatever Baotou does; what Baotou gains or sends back is kept apart (``exchange``).
        self.pool_2020 = np.asarray(regions["origin_population_2020"]["value"], dtype=float)
        self.exchange = np.zeros(self.pool_2020.size)  # persons gone from each origin to Baotou, net
        self.growth = np.asarray(regions["origin_population_growth"]["value"])
        self.start = model.month
        self.month = model.month
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

    @property
    def pool(self) -> np.ndarray:
        return self.pool_at(self.month)

    def step(self, month: int) -> None:
        self.month = month

    def expected_candidates(self, month: int, agents_per_person: float) -> np.ndarray:
        return self.pool_at(month) * self.rate * self.peak_share / 12 * agents_per_person


def _family(rng: np.random.Generator, model: BaotouModel, age: np.ndarray) -> Family:
    beh, pop = model.beh, model.pop_params
    n = age.size
    partnered = _band_value(pop["partnered_share_by_age"]["value"], age) * beh["candidate_partnered_factor"]
    couple = rng.random(n) < partnered
    n_kids = np.where(couple, np.minimum(rng.poisson(beh["children_per_family"], n), MAX_KIDS), 0)
    oldest = np.clip(age - beh["parent_age_at_first_child"], 0, beh["child_age_max"])
    kids = (rng.random((n, MAX_KIDS)) * (oldest[:, None] + 1)).astype(np.int64)
    kids[np.arange(MAX_KIDS)[None, :] >= n_kids[:, None]] = -1
    sex = np.where(rng.random(n) < beh["male_share_of_candidates"], Sex.MALE, Sex.FEMALE)
    return Family(sex, couple, kids)


def degree(model: BaotouModel, u: np.ndarray) -> np.ndarray:
    """A graduate's degree from a uniform draw, with the shares of ``graduate_degree_shares``."""
    shares = np.asarray(model.beh["graduate_degree_shares"])
    levels = np.array([Education.COLLEGE, Education.BACHELOR, Education.POSTGRADUATE], dtype=np.int8)
    return levels[np.minimum(np.searchsorted(np.cumsum(shares / shares.sum()), u), len(levels) - 1)]


@dataclass
class Candidates:
    """One month's outside candidates: who they are and who would come with them."""

    choosers: Choosers
    family: Family


def generate(model: BaotouModel, month: int) -> Candidates:
    """The candidates of ``month``, from the candidates stream only (nothing Baotou does changes
    them), so they can be drawn ahead of time."""
    rng, beh, world = model.streams["candidates"], model.beh, model.world
    counts = rng.poisson(world.expected_candidates(month, model.agents_per_person))
    n = int(counts.sum())
    origin = np.repeat(np.arange(1, counts.size + 1), counts).astype(np.int8)
    age = world.ages[np.minimum(np.searchsorted(world.age_cdf, rng.random(n), side="right"), world.ages.size - 1)]
    family = _family(rng, model, age)
    education = _education(age, np.zeros(n, bool), rng)
    lo, hi = beh["graduate_age_range"]
    graduate = (age >= lo) & (age <= hi) & (rng.random(n) < beh["graduate_share_of_candidates"])
    education[graduate] = degree(model, rng.random(int(graduate.sum())))
    kind = np.where(graduate, Kind.GRADUATE, Kind.MIGRANT_WORKER).astype(np.int8)
    keys = derive_keys(np.arange(n, dtype=np.uint64), salt(model.seed, "candidate", month))
    ch = outside(
        keys, age, education, kind, origin, family.couple, family.kids_ages, beh["main_urban_share_of_newcomers"]
    )
    return Candidates(ch, family)


class CandidateFeed:
    """Hands out each month's candidates, drawing next month's on a second thread meanwhile.

    The draws do not depend on the state of the simulation (``generate``) and come from their
    own stream in month order, so the numbers are the same as drawing them in turn; the second
    thread only lets a two-core machine draw them while the other stages run.
    """

    def __init__(self, model: BaotouModel) -> None:
        self.model = model
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="candidates")
        self._next: tuple[int, Future] | None = None

    def take(self, month: int) -> Candidates:
        if self._next is not None and self._next[0] == month:
            out = self._next[1].result()
        else:
            out = generate(self.model, month)
        if month < self.model.last_month:
            self._next = (month + 1, self._pool.submit(generate, self.model, month + 1))
        else:
            self._next = None
            self._pool.shutdown(wait=False)
        return out


def outside_arrivals(model: BaotouModel) -> None:
    """This month's outside candidates choose among Baotou and the other destinations."""
    candidates = model.candidate_feed.take(model.month)
    n = len(candidates.choosers)
    model.flows["candidates"] += n
    if n == 0:
        return
    decision = decide(model, candidates.choosers, "candidate_choice")
    _settle_arrivals(model, candidates.choosers, candidates.family, decision.choice == BAOTOU)


def _settle_arrivals(model: BaotouModel, ch, family: Family, chosen: np.ndarray) -> np.ndarray:
    """Those who chose Baotou arrive; a share bring their family at once (T5 adds to it)."""
    sel = np.flatnonzero(chosen)
    if sel.size == 0:
        return sel
    sub = ch.subset(sel)
    fam = Family(family.head_sex[sel], family.couple[sel], family.kids_ages[sel])
    gain = combined_offer(model, sub)[0].job_finding
    extra = sum((m.bring_family_gain(sub) for m in model.measures.values()), np.zeros(sel.size))
    bring_now = model.uniform(sub.key, "bring_family") < model.beh["bring_family_share"] + extra
    heads = arrive(model, sub, fam, gain, bring_now)
    model.arrived(heads)
    return heads


def _talent_candidates(rng: np.random.Generator, model: BaotouModel, n: int):
    shares = np.asarray(model.beh["talent_origin_shares"])
    lo, hi = model.beh["talent_age_range"]
    age = rng.integers(int(lo), int(hi) + 1, n)
    origin = (1 + rng.choice(shares.size, n, p=shares / shares.sum())).astype(np.int8)
    return age, origin, _family(rng, model, age)


def talent_offers(model: BaotouModel) -> None:
    """Job offers to high-level talent elsewhere (with T2's extra posts); accept or not, with family.

    The base offers and T2's extra ones come from separate streams, so the base offers are the
    same in every run with the same seed.
    """
    beh = model.beh
    extra = sum(m.extra_talent_offers() for m in model.measures.values())
    n_base = model.streams["talent"].poisson(beh["talent_offers_per_year"] * model.agents_per_person / 12)
    n_extra = model.streams["talent_extra"].poisson(extra * model.agents_per_person / 12) if extra else 0
    parts = [_talent_candidates(model.streams["talent"], model, n_base)]
    if n_extra:
        parts.append(_talent_candidates(model.streams["talent_extra"], model, n_extra))
    n = n_base + n_extra
    if n == 0:
        return
    age = np.concatenate([p[0] for p in parts])
    origin = np.concatenate([p[1] for p in parts])
    family = Family(*(np.concatenate([getattr(p[2], f) for p in parts]) for f in ("head_sex", "couple", "kids_ages")))
    keys = derive_keys(np.arange(n, dtype=np.uint64), salt(model.seed, "talent", model.month))
    keys[n_base:] = derive_keys(np.arange(n_extra, dtype=np.uint64), salt(model.seed, "talent_extra", model.month))
    kind = np.full(n, Kind.TALENT, dtype=np.int8)
    education = np.full(n, Education.POSTGRADUATE, dtype=np.int8)
    ch = outside(
        keys, age, education, kind, origin, family.couple, family.kids_ages, beh["main_urban_share_of_newcomers"]
    )
    decision = decide(model, ch, "talent_choice", only_baotou=True, constant=beh["talent_accept_constant"])
    accepted = decision.choice == BAOTOU
    heads = _settle_arrivals(model, ch, family, accepted)
    if n_extra and "T2" in model.measures:
        from_extra = np.flatnonzero(accepted) >= n_base  # heads come in the order of the accepted offers
        model.measures["T2"].record_filled(heads[from_extra])
