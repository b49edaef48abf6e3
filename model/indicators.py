"""Yearly indicators: the output contract's names, definitions and units.

Every count is in persons at full scale (agents × persons per agent); shares are percent;
costs in yuan. Flows are summed over the calendar year (the first year only from the start
month).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from model.categories import Division, Sex, Tenure
from model.ledger import COMPARISON_CITIES, KINDS, Ledger
from model.measures import MEASURE_CLASSES
from model.measures.package import Package
from model.people import divisions, households
from model.people.store import People
from model.scenario import measure_specs
from model.world.outside import OutsideWorld


class ModelState(Protocol):
    """What the indicators read of the model's state at the end of a year."""

    people: People
    ledger: Ledger
    package: Package
    world: OutsideWorld
    weight: float
    month: int


@dataclass(frozen=True)
class Indicator:
    unit: str
    meaning: str
    compute: Callable[[ModelState], float]


def _share(model: ModelState, mask_fn: Callable[[ModelState], np.ndarray]) -> float:
    alive = model.people.alive
    return 100.0 * np.count_nonzero(mask_fn(model) & alive) / max(int(np.count_nonzero(alive)), 1)


def _age_share(lo: int, hi: int) -> Callable[[ModelState], float]:
    def compute(model: ModelState) -> float:
        return _share(model, lambda m: (m.people.age_months >= lo * 12) & (m.people.age_months < hi * 12))

    return compute


def _flow(name: str) -> Callable[[ModelState], float]:
    return lambda model: model.ledger.flows[name] * model.weight


def _sex_ratio(model: ModelState) -> float:
    alive = model.people.alive
    males = np.count_nonzero(alive & (model.people.sex == Sex.MALE))
    return 100.0 * males / max(int(np.count_nonzero(alive) - males), 1)


def _cost(mid: str) -> Callable[[ModelState], float]:
    return lambda model: model.package[mid].spent if mid in model.package else 0.0


def _attributed(mid: str) -> Callable[[ModelState], float]:
    return lambda model: model.package[mid].attributed if mid in model.package else 0.0


def _reported(mid: str, name: str) -> Callable[[ModelState], float]:
    return lambda model: model.package[mid].report()[name] if mid in model.package else 0.0


def _tenure_households(tenure: Tenure) -> Callable[[ModelState], float]:
    def compute(model: ModelState) -> float:
        heads = households.head_rows(model.people)
        return np.count_nonzero(model.people.tenure[heads] == tenure) * model.weight

    return compute


def _unemployment(model: ModelState) -> float:
    p = model.people
    unemployed = np.count_nonzero(p.alive & p.unemployed)
    return 100.0 * unemployed / max(int(unemployed + np.count_nonzero(p.alive & p.employed)), 1)


def _division_population(code: int) -> Callable[[ModelState], float]:
    def compute(model: ModelState) -> float:
        p = model.people
        return np.count_nonzero(p.alive & (p.division == code)) * model.weight

    return compute


def _imar(model: ModelState) -> float:
    return model.world.pool_at(model.month)[0] - model.ledger.exchange[0] + model.people.n_alive * model.weight


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
        lambda m: (m.ledger.flows["in_migration"] - m.ledger.flows["out_migration"]) * m.weight,
    ),
    **{
        f"in_migration_{k}": Indicator(
            "persons", f"arrivals of kind {k} (with their dependants)", _flow(f"in_migration_{k}")
        )
        for k in KINDS
    },
    **{
        f"out_migration_{k}": Indicator(
            "persons", f"departures of kind {k} (with their dependants)", _flow(f"out_migration_{k}")
        )
        for k in KINDS
    },
    **{
        f"moved_to_{c}": Indicator(
            "persons",
            f"movers the model follows who went to {c.capitalize()} in the year: outside candidates"
            " who chose it (with the household that would come) and Baotou's leavers",
            _flow(f"moved_to_{c}"),
        )
        for c in COMPARISON_CITIES
    },
    **{
        f"population_{d.name.lower()}": Indicator(
            "persons",
            f"resident population of {zh} at the end of the year (county-level division)",
            _division_population(d),
        )
        for d, zh in zip(Division, divisions.table()["divisions"]["names"], strict=True)
    },
    "within_city_moves": Indicator(
        "persons",
        "people who moved from the county, banners and outlying districts to the urban districts in the year",
        _flow("within_city_moves"),
    ),
    "share_0_14": Indicator("percent", "share of the population aged 0-14", _age_share(0, 15)),
    "share_15_64": Indicator("percent", "share aged 15-64", _age_share(15, 65)),
    "share_65plus": Indicator("percent", "share aged 65 and over", _age_share(65, 10_000)),
    "sex_ratio": Indicator("males per 100 females", "sex ratio of the population", _sex_ratio),
    "non_hukou_share": Indicator(
        "percent", "share without Baotou hukou", lambda m: _share(m, lambda x: ~x.people.hukou)
    ),
    "urbanization_rate": Indicator(
        "percent",
        "share living in towns (the census's urban population: the urban districts' towns and the county towns)",
        lambda m: _share(m, lambda x: x.people.urban),
    ),
    "unemployment_rate": Indicator(
        "percent", "unemployed / (employed + unemployed) among people in Baotou", _unemployment
    ),
    "imar_population": Indicator("persons", "Inner Mongolia: Baotou plus the rest of the region (origin side)", _imar),
    "baotou_share_of_imar": Indicator(
        "percent",
        "Baotou's share of Inner Mongolia's population",
        lambda m: 100.0 * m.people.n_alive * m.weight / _imar(m),
    ),
    "candidates": Indicator(
        "persons", "people elsewhere who considered a move and weighed Baotou", _flow("candidates")
    ),
    "graduates": Indicator("persons", "graduates of Baotou's universities and colleges", _flow("graduates")),
    "graduates_stayed": Indicator("persons", "graduates who stayed in Baotou", _flow("graduates_stayed")),
    "graduate_retention": Indicator(
        "percent",
        "graduates_stayed / graduates",
        lambda m: 100.0 * m.ledger.flows["graduates_stayed"] / max(m.ledger.flows["graduates"], 1),
    ),
    "hukou_settlements": Indicator("persons", "people who took Baotou hukou", _flow("hukou_settlements")),
    "home_purchases": Indicator("households", "households that bought a first home", _flow("home_purchases")),
    "families_joined": Indicator("persons", "family members who joined a mover later", _flow("families_joined")),
    "public_rental_households": Indicator(
        "households", "households in public rental housing at year end", _tenure_households(Tenure.PUBLIC_RENTAL)
    ),
    "talent_apartment_households": Indicator(
        "households", "households in talent apartments at year end", _tenure_households(Tenure.TALENT_APARTMENT)
    ),
    **{
        f"cost_{mid}": Indicator("yuan", f"fiscal cost of {mid} ({spec['name']}) in the year", _cost(mid))
        for mid, spec in measure_specs().items()
    },
    "cost_total": Indicator("yuan", "fiscal cost of all measures in the year", lambda m: m.package.cost()),
    **{
        f"attributed_{mid}": Indicator(
            "persons",
            f"expected extra residents from {mid}'s effect on decisions in the year "
            "(arrivals gained and departures averted)",
            _attributed(mid),
        )
        for mid in measure_specs()
    },
    **{
        name: Indicator(unit, meaning, _reported(mid, name))
        for mid, cls in MEASURE_CLASSES.items()
        for name, (unit, meaning) in cls.reports.items()
    },
    "months": Indicator("months", "months of the year that were simulated", lambda m: m.ledger.flows["months"]),
}


def _book(mid: str, figure: str) -> Callable[[ModelState], float]:
    def compute(model: ModelState) -> float:
        if figure == "deadweight" and model.package.counterfactual is None:
            return float("nan")  # no counterfactual to tell
        return float(getattr(model.package[mid], figure)) if mid in model.package else 0.0

    return compute


# The measures' books (``model/measures/base.py``), yuan in the year: read at the end of each year
# like the indicators but kept apart from them (``BaotouModel.books``), as `compare` and
# ``model.api.compare`` add them to each run's rows. <id> is every measure.
BOOKS: dict[str, Indicator] = {
    **{
        f"text_cost_{mid}": Indicator(
            "yuan",
            f"{mid}'s spending in the year whose amounts the text gives (each a `source` in measures.toml)",
            _book(mid, "spent_text"),
        )
        for mid in measure_specs()
    },
    **{
        f"assumed_cost_{mid}": Indicator(
            "yuan",
            f"{mid}'s spending in the year whose amounts rest on an assumption (or a scenario's number)",
            _book(mid, "spent_assumed"),
        )
        for mid in measure_specs()
    },
    **{
        f"transfers_{mid}": Indicator(
            "yuan",
            f"{mid}'s spending in the year paid to identified persons (not a budget or a building share)",
            _book(mid, "transfers"),
        )
        for mid in measure_specs()
    },
    **{
        f"deadweight_{mid}": Indicator(
            "yuan",
            f"of {mid}'s transfers in the year, those paid to persons who were in Baotou at the end of that month "
            "in the counterfactual run too (NaN in a run without one)",
            _book(mid, "deadweight"),
        )
        for mid in measure_specs()
    },
}
