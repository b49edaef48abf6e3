"""Demography only (migration off): the exact oracle. ``Person`` agents wear down their death
exposure, women may give birth, babies join their mother's household, everyone ages a month,
all with the project's keyed draws, so the numbers are exactly the columnar model's."""

from __future__ import annotations

from collections.abc import Callable

import mesa
import numpy as np

from .census import FromCensus
from .project import FEMALE, MALE, BaotouModel, derive_keys, exponential, salt, uniform

UNSCHEDULED = -1.0  # a candidate birth moment not drawn yet (model/draws/thinning.py)


class Person(mesa.Agent):
    """A person under the demography only, with the project's own draws.

    Death: the person's Exp(1) exposure (``death_clock`` of the store, or the newborn's keyed
    draw) is worn down by the monthly hazard; they die in the month it runs out (the project
    finds that month at once from the cumulative hazard, the same event). Birth: women have
    candidate moments at a rate no lower than their hazard from now on, each kept with chance
    hazard / rate (thinning), with the project's keyed draws (``model/draws/thinning.py``); this
    mirrors the project's draw scheme and must follow it if that changes.
    """

    def __init__(
        self, model: DemographyReference, key: int, age_months: int, sex: int, household: int, death: float
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


class DemographyReference(FromCensus):
    """The demography only, one ``Person`` per census person; ``deaths`` and ``births`` count the
    agents that died and were born since the start."""

    migration = False

    def set_up(self, columnar: BaotouModel) -> None:
        self.beh = columnar.beh
        self.year_rates()
        p = columnar.people
        for i in range(len(p)):
            Person(self, int(p.key[i]), int(p.age_months[i]), int(p.sex[i]), int(p.household_id[i]), p.death_clock[i])
        self.deaths = 0
        self.births = 0
        self.newborns: list[tuple[int, int]] = []  # this month's (mother's key, household)

    def year_rates(self) -> None:
        """This month's rates (its year's TFR) and the rate of candidate birth moments, as
        demography.births sets it (no measure is on)."""
        self.rates = self.rates_by_year.at(self.month // 12)
        beh, tfr = self.beh, 12 * float(self.rates.birth.sum())
        self.fertility_bound = beh["fertility_multiplier_bound"] * max(1.0, beh["birth_moments_tfr"] / tfr)

    def step(self) -> None:
        self.year_rates()
        self.newborns = []
        self.agents.shuffle_do("step")
        if self.newborns:  # babies are born in the month and are a month old at its end
            mothers = np.array([k for k, _ in self.newborns], dtype=np.uint64)
            keys = derive_keys(mothers, salt(self.seed, "newborn", self.month))
            male = uniform(keys, self.seed, "sex_at_birth") < self.rates.male_share_of_births
            deaths = exponential(keys, self.seed, "death_clock")
            for j, (_, household) in enumerate(self.newborns):
                Person(self, int(keys[j]), 1, MALE if male[j] else FEMALE, household, deaths[j])
            self.births += len(self.newborns)
        self.month += 1
