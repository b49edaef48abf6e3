"""One run of an experiment: a point's scenario (and its counterfactual, same seed) to outcomes.

``run_task`` is a plain top-level function of plain data, so every executor (serial, local
processes, Dask) runs exactly the same code and gets exactly the same numbers. It never raises:
a failure comes back as a record with the error and the task's parameters.
"""

from __future__ import annotations

import json
import traceback
from collections import OrderedDict
from typing import Any

import numpy as np
import pandas as pd

from model.ledger import Presence
from model.model import BaotouModel
from model.runs import effect
from model.scenario import Scenario, load


def _indicators(
    scenario: Scenario, seed: int, label: str, counterfactual: Presence | None = None
) -> tuple[pd.DataFrame, Presence]:
    """A run's indicators (with its books' rows, labelled ``label``) and who was in Baotou when
    in it, run against ``counterfactual``'s presence."""
    model = BaotouModel(scenario, seed=seed, counterfactual=counterfactual)
    model.run()
    table = pd.DataFrame(model.indicators() + model.books())
    table.insert(0, "scenario", label)
    return table, model.ledger.presence()


# A worker's last few counterfactual runs, by everything that decides them (the resolved
# scenario and the seed). An optimisation's candidates share their counterfactuals (the same
# draws and seeds for every candidate), so each is run once per worker rather than once per
# candidate; a run is a pure function of these, so the numbers are the same either way.
_COUNTERFACTUALS: OrderedDict[str, tuple[pd.DataFrame, Presence]] = OrderedDict()
_COUNTERFACTUALS_KEPT = 8


def _counterfactual(scenario: Scenario, seed: int, label: str) -> tuple[pd.DataFrame, Presence]:
    key = json.dumps([scenario.values, seed, label], sort_keys=True, default=str)
    if key not in _COUNTERFACTUALS:
        _COUNTERFACTUALS[key] = _indicators(scenario, seed, label)
        while len(_COUNTERFACTUALS) > _COUNTERFACTUALS_KEPT:
            _COUNTERFACTUALS.popitem(last=False)
    _COUNTERFACTUALS.move_to_end(key)
    table, presence = _COUNTERFACTUALS[key]
    return table.copy(), presence


def outcomes(scenario: pd.DataFrame, against: pd.DataFrame | None) -> dict[str, float]:
    """Population in 2030 and 2035 and, against the counterfactual (``model.runs.effect``, as in
    `compare`): extra residents in 2030 and 2035, the net fiscal cost to 2035 (the scenario's
    minus the counterfactual's), the cost per additional resident in 2035 (that net cost / the
    extra residents), the discounted cost per discounted additional resident-year to 2035 and
    the deadweight share of transfers to 2035. NaN where the run does not reach the year, there
    are no extra residents or there is no counterfactual."""
    s = effect.wide(scenario)
    get = lambda series, year: float(series.loc[year]) if year in series.index else np.nan  # noqa: E731
    out = {"population_2030": get(s.population, 2030), "population_2035": get(s.population, 2035)}
    if against is not None:
        e = effect.yearly(s, effect.wide(against))
        for year in (2030, 2035):
            out[f"extra_population_{year}"] = get(e.extra_population, year)
        out["cost_2035"] = get(e.cumulative_net_cost_total, 2035)
        out["cost_per_additional_resident_2035"] = get(e.cost_per_additional_resident, 2035)
        out["cost_per_discounted_resident_year_2035"] = get(e.discounted_cost_per_additional_resident_year, 2035)
        out["deadweight_share_2035"] = get(e.deadweight_share, 2035)
    return out


def run_task(task: dict[str, Any]) -> dict[str, Any]:
    """Run one (point, seed); return outcomes and the yearly indicators, or the error."""
    record = {"task": task["task"], "point": task["point"], "seed": task["seed"], "parameters": task["parameters"]}
    try:
        ov = {
            **task["overrides"],
            "run": {"scale": task["scale"], "seeds": 1, "seed": task["seed"]},
            "period": {"end": task["end"]},
        }
        # The counterfactual first: the scenario's books check its payments against who was there.
        against = None
        if task["against"]:
            ov_against = {**task["against_overrides"], "run": ov["run"], "period": ov["period"]}
            base = load(task["against"]).with_overrides(task.get("draw_settings", {}), origin="posterior draw")
            against = _counterfactual(base.with_overrides(ov_against), task["seed"], task["against"])
        # An optimisation labels its candidates' runs apart from the counterfactual, which may be their base.
        label = task.get("label", task["scenario"])
        scenario = load(task["scenario"]).with_overrides(task.get("draw_settings", {}), origin="posterior draw")
        scenario = scenario.with_overrides(ov)
        tables = [_indicators(scenario, task["seed"], label, against[1] if against else None)[0]]
        if against:
            tables.append(against[0])
        result = outcomes(tables[0], tables[1] if task["against"] else None)
        indicators = pd.concat(tables, ignore_index=True)
        indicators.insert(0, "seed", task["seed"])
        indicators.insert(0, "point", task["point"])
        return {**record, "status": "ok", "outcomes": result, "indicators": indicators}
    except Exception as err:  # reported with the task's parameters; the other runs go on
        return {
            **record,
            "status": "failed",
            "error": f"{type(err).__name__}: {err}",
            "traceback": traceback.format_exc(),
        }
