"""Yearly indicators: the output contract's names, definitions and units.

Every count is in persons at full scale (agents × persons per agent); shares are percent.
Flows are summed over the calendar year (the first year only from the start month).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.categories import Sex

if TYPE_CHECKING:
    from model.model import BaotouModel


@dataclass(frozen=True)
class Indicator:
    unit: str
    meaning: str
    compute: Callable[[BaotouModel], float]


def _share(model: BaotouModel, mask_fn: Callable[[BaotouModel], np.ndarray]) -> float:
    alive = model.people.alive
    return 100.0 * np.count_nonzero(mask_fn(model) & alive) / max(np.count_nonzero(alive), 1)


def _age_share(lo: int, hi: int) -> Callable[[BaotouModel], float]:
    def compute(model: BaotouModel) -> float:
        return _share(model, lambda m: (m.people.age_months >= lo * 12) & (m.people.age_months < hi * 12))

    return compute


def _flow(name: str) -> Callable[[BaotouModel], float]:
    return lambda model: model.flows[name] * model.weight


def _sex_ratio(model: BaotouModel) -> float:
    alive = model.people.alive
    males = np.count_nonzero(alive & (model.people.sex == Sex.MALE))
    return 100.0 * males / max(np.count_nonzero(alive) - males, 1)


INDICATORS: dict[str, Indicator] = {
    "population": Indicator(
        "persons", "resident population at the end of the year", lambda m: m.people.n_alive * m.weight
    ),
    "births": Indicator("persons", "live births in the year", _flow("births")),
    "deaths": Indicator("persons", "deaths in the year", _flow("deaths")),
    "in_migration": Indicator("persons", "people who moved to Baotou in the year", _flow("in_migration")),
    "out_migration": Indicator("persons", "people who left Baotou in the year", _flow("out_migration")),
    "net_migration": Indicator(
        "persons",
        "in_migration - out_migration",
        lambda m: (m.flows["in_migration"] - m.flows["out_migration"]) * m.weight,
    ),
    "share_0_14": Indicator("percent", "share of the population aged 0-14", _age_share(0, 15)),
    "share_15_64": Indicator("percent", "share aged 15-64", _age_share(15, 65)),
    "share_65plus": Indicator("percent", "share aged 65 and over", _age_share(65, 10_000)),
    "sex_ratio": Indicator("males per 100 females", "sex ratio of the population", _sex_ratio),
    "non_hukou_share": Indicator(
        "percent", "share without Baotou hukou", lambda m: _share(m, lambda x: ~x.people.hukou)
    ),
    "urbanization_rate": Indicator(
        "percent", "share living in urban places", lambda m: _share(m, lambda x: x.people.urban)
    ),
    "months": Indicator("months", "months of the year that were simulated", lambda m: m.flows["months"]),
}

FLOWS = ("births", "deaths", "in_migration", "out_migration", "months")
