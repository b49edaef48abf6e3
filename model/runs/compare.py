"""A scenario against a counterfactual with the same seeds (common random numbers).

Per seed and year it computes the differences a planner asks for (``model.runs.effect``, the one
definition of them): extra population, extra arrivals and fewer departures (in total and by
agent kind), the fiscal cost of each measure and its net cost against the counterfactual, the
expected extra residents attributed to each measure, and the cost per additional resident; then
their mean and 90 % interval over seeds. The interval shows chance alone (the same parameters,
different seeds), not uncertainty in the parameters.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from model import plots
from model.runs.effect import effects_for_seed
from model.runs.results import RESULTS_DIR, RunWriter, atomic_write_csv, new_run_dir
from model.runs.runner import collect_seeds, run_seed
from model.scenario import Scenario


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
    try:
        atomic_write_csv(run_dir / "effects.csv", summary)
        writer.tables(table, pd.concat(pyramids, ignore_index=True))
        plots.save_compare_figures(run_dir, table, summary, scenario.name, against.name)
    except BaseException:
        writer.close("failed while writing the effects, tables or figures (every seed finished: see seeds/)")
        raise
    writer.close("complete")
    return run_dir


def format_effects(summary: pd.DataFrame) -> str:
    """A plain table of the main effects by year: mean [5 %, 95 %]."""
    names = [
        "extra_population",
        "extra_in_migration",
        "fewer_departures",
        "cumulative_net_cost_total",
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
            row = r.iloc[0]
            cells.append(f"{row['mean']:>14,.0f} [{row.p05:,.0f}, {row.p95:,.0f}]".rjust(34))
        lines.append(f"{year:>4}  " + "  ".join(cells))
    return "\n".join(lines)
