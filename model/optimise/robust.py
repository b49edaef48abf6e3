"""What a mix achieves and costs, run by run, and the robustness rule over draws and seeds.

Each mix is run with every (parameter draw, seed) of the optimisation and against the
counterfactual with the same draw and seed (common random numbers): the same pairs for every
mix, so that two mixes differ by what they do, not by chance. Each run's figures come from
``model.runs.effect``, as `compare`'s do:

- the objective's figure in the objective year: ``extra_population`` (residents, the mix minus
  the counterfactual, at year end) or ``discounted_resident_years`` (the extra residents'
  years lived from the start, discounted at finance.toml's social discount rate);
- the budget's figure over the horizon: ``every_year``, the largest yearly net cost (the mix's
  fiscal cost minus the counterfactual's); ``average``, the cumulative net cost over the years
  from the package's start to the horizon's end.

Over a mix's runs, its objective is the mean, the ``quantile`` (e.g. the 10th percentile: what
it achieves in nine draws out of ten) or the worst; its cost is the budget's ``quantile`` of the
runs' budget figures (e.g. the 90th: within budget in nine draws out of ten).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from model.calendar import month_index
from model.optimise.spec import Optimisation
from model.runs import effect
from model.scenario import load

LABEL = "mix"  # the candidates' runs in the stored tables (their base may be the counterfactual)
BANDS = (0.05, 0.5, 0.95)  # the interval reported with every chosen mix


def draw_overrides(opt: Optimisation) -> list[dict[str, Any]]:
    """The scenario sections of each parameter draw (one draw with none: the estimates)."""
    if not opt.posterior_draws:
        return [{}]
    from model.calibration.draws import posterior_draws

    # The same parameter sets as compare's and the page's with as many draws (model/calibration/draws.py).
    return [{k: dict(v) for k, v in draw.settings.items()} for draw in posterior_draws(opt.posterior_draws)]


def _years_in_force(opt: Optimisation) -> float:
    start = load(opt.scenario)["policy"]["start"][:7]
    return (month_index(opt.end) - month_index(start) + 1) / 12


def run_figures(indicators: pd.DataFrame, opt: Optimisation) -> dict[str, float]:
    """One run's figures (the mix labelled ``LABEL`` against the counterfactual, same seed)."""
    a = effect.wide(indicators[indicators.scenario == LABEL])
    b = effect.wide(indicators[indicators.scenario == opt.against])
    year = opt.objective_year
    extra = effect.extra_residents(a, b)
    yearly_cost = effect.net_cost(a, b)
    cumulative_cost = effect.cumulative(yearly_cost)
    resident_years = effect.discounted(effect.resident_years(extra, a.months))
    if opt.budget_rule == "every_year":
        budget = float(yearly_cost.max())
    else:
        budget = float(cumulative_cost.iloc[-1]) / _years_in_force(opt)
    out = {
        "extra_population": float(extra.loc[year]),
        "discounted_resident_years": float(resident_years.loc[year]),
        "budget_cost": budget,
        "cumulative_net_cost": float(cumulative_cost.iloc[-1]),
        "cost_per_additional_resident": float(effect.per_resident(cumulative_cost, extra).loc[year]),
    }
    out["residents"] = out[opt.outcome]
    return out


def robust_objective(values: np.ndarray, opt: Optimisation) -> float:
    """The robustness rule over a mix's runs."""
    if opt.robustness == "mean":
        return float(values.mean())
    if opt.robustness == "worst":
        return float(values.min())
    return float(np.quantile(values, opt.quantile))


def summarise(runs: list[dict[str, float]], opt: Optimisation) -> dict[str, float]:
    """A mix over its runs: the robust objective, the cost the budget is checked on, and the
    mean and 5-50-95 % points of both."""
    residents = np.array([r["residents"] for r in runs])
    cost = np.array([r["budget_cost"] for r in runs])
    out = {
        "objective": robust_objective(residents, opt),
        "cost": float(np.quantile(cost, opt.budget_quantile)),
        "runs": float(len(runs)),
        "residents_mean": float(residents.mean()),
        "cost_mean": float(cost.mean()),
    }
    for q in BANDS:
        out[f"residents_p{round(q * 100):02d}"] = float(np.quantile(residents, q))
        out[f"cost_p{round(q * 100):02d}"] = float(np.quantile(cost, q))
    out["within_budget"] = float(out["cost"] <= opt.budget)
    return out


def non_dominated(objective: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """Which points no other beats: at least as many residents for no more cost, better in one."""
    keep = np.ones(objective.size, bool)
    for i in range(objective.size):
        better = (objective >= objective[i]) & (cost <= cost[i]) & ((objective > objective[i]) | (cost < cost[i]))
        keep[i] = not better.any()
    return keep
