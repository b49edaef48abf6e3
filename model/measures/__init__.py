"""Every measure of the 2022 package, one class each, by id (H1 ... C3), and what happens anyway
(N1: not a lever of the package; every scenario switches it on, the baseline included).

``build(scenario, weight)`` makes the package of the enabled ones. ``MEASURE_CLASSES`` maps id
to class; the ids, names, groups and parameters are those of ``model/data/measures.toml``. A new
measure is a class in one of the group modules and an entry in that file.
"""

from __future__ import annotations

from model.ledger import Presence
from model.measures import environment, family, housing, jobs, social, talent
from model.measures.base import Measure
from model.measures.package import Package
from model.scenario import Scenario, measure_specs

MEASURE_CLASSES: dict[str, type[Measure]] = {
    cls.id: cls
    for module in (housing, family, social, jobs, talent, environment)
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, Measure) and cls.id
}
assert set(MEASURE_CLASSES) == set(measure_specs()), "every measure in data/measures.toml needs a class, and back"


def build(scenario: Scenario, weight: float, counterfactual: Presence | None = None) -> Package:
    """The package of the measures the scenario switches on, in the scenario's order; with
    ``counterfactual`` (who was in Baotou when in the counterfactual run with the same seed),
    their books tell the deadweight of each transfer."""
    measures = {mid: MEASURE_CLASSES[mid](cfg, weight) for mid, cfg in scenario.enabled_measures().items()}
    return Package(measures, counterfactual)


LEVERS = [mid for mid in measure_specs() if MEASURE_CLASSES[mid].lever]  # the package's measures
ANYWAY = [mid for mid in measure_specs() if not MEASURE_CLASSES[mid].lever]  # in every scenario


def groups() -> dict[str, list[str]]:
    """The package's measure ids (levers) by group, in the order of the data file."""
    out: dict[str, list[str]] = {}
    for mid in LEVERS:
        out.setdefault(measure_specs()[mid]["group"], []).append(mid)
    return out
