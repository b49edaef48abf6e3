"""Everything the reference takes from the project's ``model`` package, and the only module of
the reference that imports it.

The reference writes the rules out again; from the project it takes only what is not a rule:
the census population to start from, parameters and tables, the monthly conditions, the
indicators' names, the keyed draws (demography mode, to match draw for draw) and the columnar
model itself (its census, and the side-by-side timing). When a module moves inside ``model/``,
this file is the one to re-wire.
"""

from __future__ import annotations

from model import coefficients, params
from model.calendar import month_index
from model.categories import Area, Education, Kind, Origin, Role, Sex, Tenure
from model.census.synthesis import single_year_shape
from model.decisions import choice
from model.draws.keyed import derive_keys, exponential, salt, uniform
from model.ledger import FLOWS, IMAR_DESTINATIONS
from model.measures.environment import lines
from model.model import BaotouModel
from model.people.choosers import MAX_KIDS
from model.scenario import Scenario, load
from model.world.conditions import BAOTOU, DESTINATIONS, HOME, MonthConditions

__all__ = [
    "BAOTOU",
    "BAOTOU_ROW",
    "CHILD",
    "DESTINATIONS",
    "DORMITORY",
    "FEMALE",
    "FLOWS",
    "FROM_BAOTOU",
    "GRADUATE",
    "HEAD",
    "HOME",
    "IMAR_DESTINATIONS",
    "KIND_NAMES",
    "MAIN_URBAN",
    "MALE",
    "MAX_KIDS",
    "MIGRANT_WORKER",
    "N_DEST",
    "N_ORIGINS",
    "N_ORIGIN_GROUPS",
    "OUTER",
    "OWN",
    "RENT",
    "SPOUSE",
    "TALENT",
    "BaotouModel",
    "Education",
    "MonthConditions",
    "census",
    "choice_tables",
    "derive_keys",
    "exponential",
    "lines",
    "origin_population_growth",
    "salt",
    "scenario_for",
    "single_year_shape",
    "uniform",
]

# Categories as plain ints: agents compare them every month.
MALE, FEMALE = int(Sex.MALE), int(Sex.FEMALE)
HEAD, SPOUSE, CHILD = int(Role.HEAD), int(Role.SPOUSE), int(Role.CHILD)
OWN, RENT, DORMITORY = int(Tenure.OWN), int(Tenure.RENT), int(Tenure.DORMITORY)
MIGRANT_WORKER, GRADUATE, TALENT = int(Kind.MIGRANT_WORKER), int(Kind.GRADUATE), int(Kind.TALENT)
MAIN_URBAN, OUTER = int(Area.MAIN_URBAN), int(Area.OUTER)
FROM_BAOTOU = int(Origin.BAOTOU)
N_DEST = len(DESTINATIONS)
N_ORIGINS = len(Origin)  # Baotou (0) and the outside origin groups
N_ORIGIN_GROUPS = N_ORIGINS - 1  # the outside origin groups (Origin 1..3)
KIND_NAMES = [k.name.lower() for k in Kind]
BAOTOU_ROW = N_ORIGIN_GROUPS  # DISTANCE_KM's last row: from Baotou itself
assert [Sex.MALE, Sex.FEMALE] == [0, 1]  # the reference indexes its tables by sex


def scenario_for(scale: float, migration: bool, months: int | None = None) -> Scenario:
    """The baseline at ``scale``, with or without migration (and ``months`` long if given)."""
    base = load("baseline")
    overrides: dict = {"run": {"scale": scale, "migration": migration}}
    if months is not None:
        last = month_index(base.start) + months - 1
        overrides["period"] = {"end": f"{last // 12:04d}-{last % 12 + 1:02d}"}
    return base.with_overrides(overrides)


def census(scale: float, seed: int, migration: bool) -> BaotouModel:
    """The columnar model at its first month: the synthetic census people, their households and
    every parameter, as the project sets them up for this seed."""
    return BaotouModel(scenario_for(scale, migration), seed=seed)


def choice_tables() -> dict[str, list]:
    """The destination choice's tables (``model/decisions/choice.py``) as Python lists."""
    return {
        "premium": choice.EDUCATION_PREMIUM.astype(float).tolist(),
        "distance": choice.DISTANCE_KM.tolist(),
        "population": choice.POPULATION.tolist(),
        "origin_population": choice.ORIGIN_POPULATION.astype(float).tolist(),
        "network": choice.NETWORK.tolist(),
        "mean_stay_years": float(params.value("population", "non_hukou_years_in_baotou")),
        "gross_to_net": coefficients.gross_to_net(),
    }


def origin_population_growth() -> list[float]:
    """Yearly growth of each outside origin group's population (``regions.toml``)."""
    return list(params.value("regions", "origin_population_growth"))
