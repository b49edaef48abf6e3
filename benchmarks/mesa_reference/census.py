"""Where both modes start: the columnar model's synthetic census (same people, same households)."""

from __future__ import annotations

import mesa

from .project import BaotouModel, census


class FromCensus(mesa.Model):
    """A Mesa model set up from the project's census for ``seed``; subclasses make their agents
    from it in ``set_up`` (the columnar model is not kept: only what the rules read)."""

    migration: bool

    def __init__(self, scale: float, seed: int) -> None:
        super().__init__(rng=seed)
        columnar = census(scale, seed, self.migration)
        self.seed, self.month, self.weight = seed, columnar.month, columnar.weight
        self.agents_per_person = 1.0 / self.weight
        self.rates_by_year = columnar.rates_by_year  # births follow the TFR of each year
        self.rates = columnar.rates_by_year.at(self.month // 12)
        self.max_age = self.rates.max_age
        self.death_rate = self.rates.death.astype(float).tolist()  # float64, as the project's cumulative table
        self.set_up(columnar)

    def set_up(self, columnar: BaotouModel) -> None:
        raise NotImplementedError
