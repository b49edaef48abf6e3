"""Grouping the synthetic population into households.

People are grouped within strata (hukou × urban), so that a household shares its registration
and place: couples paired by age rank, children placed with a woman of a plausible mother's
age, some unpartnered young adults with a parent, some elderly with an adult child, everyone
else alone. Shares come from data/population.toml.
"""

from __future__ import annotations

import numpy as np

from model import params
from model.categories import Role, Sex
from model.demography.schedules import asfr
from model.unique import unique

UNASSIGNED = -1


def band_value(values: list[float], ages: np.ndarray) -> np.ndarray:
    """Look up a per-10-year-band list (0-9, ..., 90+) for each age."""
    return np.asarray(values)[np.minimum(ages // 10, len(values) - 1)]


def _mother_age_gap(rng: np.random.Generator, size: int) -> np.ndarray:
    """Mother's age at the child's birth, drawn from the fertility schedule's shape."""
    shape = asfr(1.0)
    return rng.choice(shape.size, size=size, p=shape / shape.sum())


class _Grouping:
    def __init__(self, age: np.ndarray, sex: np.ndarray, stratum: np.ndarray) -> None:
        self.age = age
        self.sex = sex
        self.stratum = stratum
        self.household = np.full(age.size, UNASSIGNED, dtype=np.int32)
        self.role = np.full(age.size, Role.HEAD, dtype=np.int8)
        self.next_id = 0

    def new_households(self, heads: np.ndarray) -> None:
        self.household[heads] = np.arange(self.next_id, self.next_id + heads.size, dtype=np.int32)
        self.role[heads] = Role.HEAD
        self.next_id += heads.size

    def pick_by_age(
        self, rng: np.random.Generator, pool: np.ndarray, target_age: np.ndarray, stratum: np.ndarray
    ) -> np.ndarray:
        """For each target, a random member of ``pool`` with that stratum and age, or -1."""
        key_pool = self.stratum[pool].astype(np.int64) * 256 + self.age[pool]
        # Keys below 2**15 are sorted as 16-bit integers: numpy then sorts by radix, the same
        # stable order, several times faster on the full city.
        small = key_pool.astype(np.int16) if key_pool.size and key_pool.max() < 2**15 else key_pool
        order = np.argsort(small, kind="stable")
        sorted_pool, sorted_keys = pool[order], key_pool[order]
        key = stratum.astype(np.int64) * 256 + np.clip(target_age, 0, 255)
        lo = np.searchsorted(sorted_keys, key, side="left")
        hi = np.searchsorted(sorted_keys, key, side="right")
        count = hi - lo
        pick = lo + np.floor(rng.random(key.size) * count).astype(np.int64)
        return np.where(count > 0, sorted_pool[np.minimum(pick, sorted_pool.size - 1)], -1)

    def attach(self, rng: np.random.Generator, members: np.ndarray, hosts_of, role: Role) -> None:
        """Attach ``members`` to a host found by ``hosts_of(members) -> host or -1``.

        Up to five draws per member; a member with no host found lives alone.
        """
        pending = members
        for _ in range(5):
            if pending.size == 0:
                return
            host = hosts_of(pending)
            found = host >= 0
            homeless_hosts = unique(host[found][self.household[host[found]] == UNASSIGNED])
            self.new_households(homeless_hosts)
            self.household[pending[found]] = self.household[host[found]]
            self.role[pending[found]] = role
            pending = pending[~found]


def form_households(
    age: np.ndarray,
    sex: np.ndarray,
    stratum: np.ndarray,
    living_alone: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Household id and role for each person. ``living_alone`` marks students in dormitories."""
    pop = params.load("population")
    g = _Grouping(age, sex, stratum)
    everyone = np.arange(age.size)

    # Couples: partnered adults, paired by age rank within each stratum.
    partnered_share = band_value(pop["partnered_share_by_age"]["value"], age)
    partnered = (age >= 18) & ~living_alone & (rng.random(age.size) < partnered_share)
    for s in unique(stratum):
        women = everyone[partnered & (sex == Sex.FEMALE) & (stratum == s)]
        men = everyone[partnered & (sex == Sex.MALE) & (stratum == s)]
        n = min(women.size, men.size)
        women = np.sort(rng.choice(women, n, replace=False)) if women.size > n else women
        men = np.sort(rng.choice(men, n, replace=False)) if men.size > n else men
        women = women[np.argsort(age[women], kind="stable")]
        men = men[np.argsort(age[men], kind="stable")]
        g.new_households(men)
        g.household[women] = g.household[men]
        g.role[women] = Role.SPOUSE
    in_couple = g.household != UNASSIGNED

    possible_mothers = everyone[(sex == Sex.FEMALE) & (age >= 18) & (age <= 70) & ~living_alone]

    def mother_of(members: np.ndarray) -> np.ndarray:
        target = age[members] + _mother_age_gap(rng, members.size)
        return g.pick_by_age(rng, possible_mothers, target, stratum[members])

    children = everyone[(age < 18) & ~living_alone]
    g.attach(rng, children, mother_of, Role.CHILD)

    young = everyone[(age >= 18) & (age < 30) & ~in_couple & ~living_alone & (g.household == UNASSIGNED)]
    young = young[rng.random(young.size) < pop["young_adult_with_parents"]["value"]]
    g.attach(rng, young, mother_of, Role.CHILD)

    elderly = everyone[(age >= 65) & ~in_couple & (g.household == UNASSIGNED)]
    elderly = elderly[rng.random(elderly.size) < pop["elderly_with_children"]["value"]]

    def child_of(members: np.ndarray) -> np.ndarray:
        heads = everyone[(g.role == Role.HEAD) & (g.household != UNASSIGNED) & (age >= 25)]
        target = age[members] - _mother_age_gap(rng, members.size)
        return g.pick_by_age(rng, heads, target, stratum[members])

    g.attach(rng, elderly, child_of, Role.PARENT)

    g.new_households(everyone[g.household == UNASSIGNED])
    return g.household, g.role
