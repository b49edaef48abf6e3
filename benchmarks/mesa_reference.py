"""The demography written the idiomatic Mesa way: one ``mesa.Agent`` per person with its own
``step``, stepped with ``shuffle_do``. Kept in ``benchmarks/`` only, as the yardstick for the
columnar model.

It applies the same rules as ``model/demography.py`` to the same census population (same keys,
same event clocks): each month every person uses up their death clock (and women of
childbearing age their birth clock), babies join their mother's household, everyone ages a
month. Migration is off in both, so the two must give the same numbers
(``tests/test_mesa_reference.py``). Run the timing: ``python benchmarks/mesa_reference.py``.
"""

from __future__ import annotations

import argparse
import time

import mesa
import numpy as np

from model.categories import Sex
from model.model import BaotouModel
from model.rng import derive_keys, exponential, salt, uniform
from model.scenario import load


class Person(mesa.Agent):
    def __init__(
        self,
        model: ReferenceModel,
        key: int,
        age_months: int,
        sex: int,
        household: int,
        death_clock: float,
        birth_clock: float,
    ) -> None:
        super().__init__(model)
        self.key, self.age_months, self.sex, self.household = key, age_months, sex, household
        self.death_clock, self.birth_clock = np.float32(death_clock), np.float32(birth_clock)

    def step(self) -> None:
        m = self.model
        age = min(self.age_months // 12, m.rates.max_age)
        self.death_clock -= m.rates.death[self.sex, age]
        if self.death_clock <= 0:
            m.deaths += 1
            self.remove()
            return
        if self.sex == Sex.FEMALE and m.rates.birth[age] > 0:
            self.birth_clock -= m.rates.birth[age]
            if self.birth_clock <= 0:
                keys = np.array([self.key], dtype=np.uint64)
                self.birth_clock = exponential(keys, m.seed, "birth_clock", m.month)[0]
                m.newborns.append((self.key, self.household))
        self.age_months += 1


class ReferenceModel(mesa.Model):
    """Start from the columnar model's census population, then step agent by agent."""

    def __init__(self, scale: float, seed: int) -> None:
        super().__init__(rng=seed)
        scenario = load("baseline").with_overrides({"run": {"scale": scale, "migration": False}})
        columnar = BaotouModel(scenario, seed=seed)
        self.rates, self.seed, self.month, self.weight = columnar.rates, seed, columnar.month, columnar.weight
        p = columnar.people
        for i in range(len(p)):
            Person(
                self,
                int(p.key[i]),
                int(p.age_months[i]),
                int(p.sex[i]),
                int(p.household_id[i]),
                p.death_clock[i],
                p.birth_clock[i],
            )
        self.deaths = 0
        self.births = 0
        self.newborns: list[tuple[int, int]] = []

    def step(self) -> None:
        self.newborns = []
        self.agents.shuffle_do("step")
        if self.newborns:  # babies are born in the month and are a month old at its end
            mothers = np.array([k for k, _ in self.newborns], dtype=np.uint64)
            keys = derive_keys(mothers, salt(self.seed, "newborn", self.month))
            male = uniform(keys, self.seed, "sex_at_birth") < self.rates.male_share_of_births
            deaths, births = exponential(keys, self.seed, "death_clock"), exponential(keys, self.seed, "birth_clock")
            for j, (_, household) in enumerate(self.newborns):
                Person(self, int(keys[j]), 1, Sex.MALE if male[j] else Sex.FEMALE, household, deaths[j], births[j])
            self.births += len(self.newborns)
        self.month += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.002)
    parser.add_argument("--months", type=int, default=182)
    args = parser.parse_args()
    scenario = load("baseline").with_overrides({"run": {"scale": args.scale, "migration": False}})
    ref = ReferenceModel(args.scale, seed=0)
    t1 = time.perf_counter()
    agent_months = 0
    for _ in range(args.months):
        agent_months += len(ref.agents)
        ref.step()
    t2 = time.perf_counter()
    col = BaotouModel(scenario, seed=0)
    t3 = time.perf_counter()
    for _ in range(args.months):
        col.step()
    t4 = time.perf_counter()
    person_years = agent_months / 12
    per_ref, per_col = 1e6 * (t2 - t1) / person_years, 1e6 * (t4 - t3) / person_years
    print(f"scale {args.scale}, {args.months} months, {person_years:,.0f} agent-years, demography only")
    print(f"idiomatic Mesa (Agent per person, shuffle_do): {t2 - t1:7.2f} s  {per_ref:8.2f} us per person-year")
    print(f"columnar model (this project):                 {t4 - t3:7.2f} s  {per_col:8.2f} us per person-year")
    print(f"ratio: {per_ref / per_col:.0f} times faster per person-year")


if __name__ == "__main__":
    main()
