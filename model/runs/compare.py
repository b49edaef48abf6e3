"""A scenario against a counterfactual with the same seeds (common random numbers).

Per seed and year it computes the differences a planner asks for: extra population, extra
arrivals and fewer departures (in total and by agent kind), the fiscal cost of each measure,
the expected extra residents attributed to each measure, and the cost per additional resident;
then their mean and 90 % interval over seeds. The interval shows chance alone (the same
parameters, different seeds), not uncertainty in the parameters.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from model import plots
from model.indicators import KINDS
from model.runs.results import RESULTS_DIR, RunWriter, atomic_write_csv, new_run_dir
from model.runs.runner import collect_seeds, run_seed
from model.scenario import Scenario, measure_specs

MEASURES = list(measure_specs())

# What `compare` writes for each seed and year (scenario "<scenario>-vs-<against>"), and summarises
# in effects.csv. <kind> is resident, migrant_worker, graduate or talent; <id> a measure.
EFFECTS = {
    "extra_population": "population at year end, scenario minus counterfactual (persons)",
    "extra_in_migration": "arrivals, scenario minus counterfactual (persons)",
    "fewer_departures": "departures, counterfactual minus scenario (persons)",
    "extra_births": "births, scenario minus counterfactual (persons)",
    "extra_in_migration_<kind>": "arrivals of one kind, with their dependants (persons)",
    "fewer_departures_<kind>": "departures of one kind avoided (persons)",
    "cost_total": "fiscal cost of all measures in the year (yuan)",
    "cumulative_cost_total": "fiscal cost since the start (yuan)",
    "cost_per_additional_resident": "cumulative cost / extra population (yuan per person; blank if no extra)",
    "cost_<id>": "fiscal cost of one measure in the year (yuan)",
    "attributed_<id>": "expected extra residents from one measure's effect on decisions in the year (persons)",
    "cost_per_additional_resident_<id>": "cumulative cost of a measure / its cumulative attributed residents (yuan)",
}


def effects_for_seed(scenario: pd.DataFrame, against: pd.DataFrame) -> pd.DataFrame:
    """Differences for one seed: long rows ``year, indicator, value``."""
    s = scenario.pivot_table(index="year", columns="indicator", values="value")
    b = against.pivot_table(index="year", columns="indicator", values="value")
    out = pd.DataFrame(index=s.index)
    out["extra_population"] = s.population - b.population
    out["extra_in_migration"] = s.in_migration - b.in_migration
    out["fewer_departures"] = b.out_migration - s.out_migration
    out["extra_births"] = s.births - b.births
    for k in KINDS:
        out[f"extra_in_migration_{k}"] = s[f"in_migration_{k}"] - b[f"in_migration_{k}"]
        out[f"fewer_departures_{k}"] = b[f"out_migration_{k}"] - s[f"out_migration_{k}"]
    out["cost_total"] = s.cost_total
    out["cumulative_cost_total"] = s.cost_total.cumsum()
    extra = out.extra_population.where(out.extra_population > 0)
    out["cost_per_additional_resident"] = out.cumulative_cost_total / extra
    for mid in MEASURES:
        out[f"cost_{mid}"] = s[f"cost_{mid}"]
        out[f"attributed_{mid}"] = s[f"attributed_{mid}"]
        cumulative = s[f"attributed_{mid}"].cumsum()
        out[f"cost_per_additional_resident_{mid}"] = s[f"cost_{mid}"].cumsum() / cumulative.where(cumulative > 0)
    long = out.reset_index().melt(id_vars="year", var_name="indicator", value_name="value")
    return long


def summarise(effects: pd.DataFrame) -> pd.DataFrame:
    """Mean and 90 % interval over seeds, by year and indicator."""
    grouped = effects.groupby(["indicator", "year"]).value
    return pd.DataFrame(
        {
            "mean": grouped.mean(),
            "p05": grouped.quantile(0.05),
            "p95": grouped.quantile(0.95),
            "seeds": grouped.count(),
        }
    ).reset_index()


def compare(scenario: Scenario, against: Scenario, out: Path = RESULTS_DIR, progress: bool = True) -> Path:
    """Run both scenarios with the same seeds; write the run directory and return it."""
    first, n = scenario["run"]["seed"], scenario["run"]["seeds"]
    seeds = list(range(first, first + n))
    label = f"{scenario.name}-vs-{against.name}"
    run_dir = new_run_dir(Path(out), label)
    writer = RunWriter(
        run_dir,
        {
            "scenario": scenario.to_dict(),
            "against": against.to_dict(),
            "seeds": seeds,
            "scale": scenario["run"]["scale"],
            "kind": "compare",
        },
    )
    bar = tqdm(total=2 * scenario.months * n, unit="month", desc=label, disable=not progress, leave=False)

    def one_seed(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        ind_b, pyr_b = run_seed(against, seed, on_month=lambda: bar.update(1))
        ind_s, pyr_s = run_seed(scenario, seed, on_month=lambda: bar.update(1))
        eff = effects_for_seed(ind_s, ind_b)
        eff.insert(0, "seed", seed)
        eff.insert(0, "scenario", label)
        return pd.concat([ind_b, ind_s, eff], ignore_index=True), pd.concat([pyr_b, pyr_s], ignore_index=True)

    indicators, pyramids = collect_seeds(writer, seeds, bar, one_seed)
    table = pd.concat(indicators, ignore_index=True)
    summary = summarise(table[table.scenario == label])
    atomic_write_csv(run_dir / "effects.csv", summary)
    writer.finish(table, pd.concat(pyramids, ignore_index=True))
    plots.save_compare_figures(run_dir, table, summary, scenario.name, against.name)
    return run_dir


def format_effects(summary: pd.DataFrame) -> str:
    """A plain table of the main effects by year: mean [5 %, 95 %]."""
    names = [
        "extra_population",
        "extra_in_migration",
        "fewer_departures",
        "cumulative_cost_total",
        "cost_per_additional_resident",
    ]
    seeds = int(summary.seeds.max())
    lines = [f"Effect against the counterfactual, mean [5%, 95%] over {seeds} seed(s); persons, yuan"]
    lines.append(f"{'year':>4}  " + "  ".join(f"{n:>34}" for n in names))
    for year, rows in summary.groupby("year"):
        cells = []
        for name in names:
            r = rows[rows.indicator == name]
            if r.empty or np.isnan(r["mean"].iloc[0]):
                cells.append(f"{'-':>34}")
                continue
            r = r.iloc[0]
            cells.append(f"{r['mean']:>14,.0f} [{r.p05:,.0f}, {r.p95:,.0f}]".rjust(34))
        lines.append(f"{year:>4}  " + "  ".join(cells))
    return "\n".join(lines)
