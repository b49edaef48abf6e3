"""A scenario against a counterfactual with the same seeds (common random numbers).

Per seed and year it computes the differences a planner asks for (``model.runs.effect``, the one
definition of them): extra population, extra arrivals and fewer departures (in total and by
agent kind), the fiscal cost of each measure and its net cost against the counterfactual, the
expected extra residents attributed to each measure, and the cost per additional resident; then
their mean and 90 % interval over seeds. The interval shows chance alone (the same parameters,
different seeds), not uncertainty in the parameters.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from model import plots
from model.runs import interrupt
from model.runs.effect import effects_for_seed
from model.runs.results import RESULTS_DIR, atomic_write_csv, open_run
from model.runs.runner import collect_seeds, run_seed, write_outputs
from model.scenario import NAME_MAX, Scenario


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


def label_for(scenario: str, against: str) -> str:
    """The comparison's name in results (``<scenario>-vs-<against>``). Two names of up to 64
    characters can make a longer one than a results name may be (``NAME_MAX``): it is then cut
    and ended by a hash of the whole, so it stays safe and different comparisons stay apart."""
    label = f"{scenario}-vs-{against}"
    if len(label) <= NAME_MAX:
        return label
    tag = hashlib.sha256(label.encode()).hexdigest()[:8]
    return f"{label[: NAME_MAX - len(tag) - 1]}-{tag}"


def compare(
    scenario: Scenario,
    against: Scenario,
    out: Path = RESULTS_DIR,
    progress: bool = True,
    resume: Path | None = None,
) -> Path:
    """Run both scenarios with the same seeds; write the run directory and return it. With
    ``resume`` (an interrupted or failed comparison of the same two scenarios and settings),
    the seeds stored there are reused and only the others run."""
    first, n = scenario["run"]["seed"], scenario["run"]["seeds"]
    seeds = list(range(first, first + n))
    label = label_for(scenario.name, against.name)
    manifest = {
        "scenario": scenario.to_dict(),
        "against": against.to_dict(),
        "seeds": seeds,
        "scale": scenario["run"]["scale"],
        "kind": "compare",
        "label": label,
    }
    writer, done = open_run(Path(out), label, manifest, resume)
    run_dir = writer.dir
    todo = len([s for s in seeds if s not in done])
    bar = tqdm(total=2 * scenario.months * todo, unit="month", desc=label, disable=not progress, leave=False)

    def on_month() -> None:
        interrupt.check()
        bar.update(1)

    def one_seed(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        ind_b, pyr_b = run_seed(against, seed, on_month=on_month)
        ind_s, pyr_s = run_seed(scenario, seed, on_month=on_month)
        eff = effects_for_seed(ind_s, ind_b)
        eff.insert(0, "seed", seed)
        eff.insert(0, "scenario", label)
        return pd.concat([ind_b, ind_s, eff], ignore_index=True), pd.concat([pyr_b, pyr_s], ignore_index=True)

    indicators, pyramids = collect_seeds(writer, seeds, bar, one_seed, done)
    table = pd.concat(indicators, ignore_index=True)
    summary = summarise(table[table.scenario == label])

    def write() -> None:
        atomic_write_csv(run_dir / "effects.csv", summary)
        writer.tables(table, pd.concat(pyramids, ignore_index=True))
        plots.save_compare_figures(run_dir, table, summary, scenario.name, against.name)

    write_outputs(writer, write)
    return run_dir


# What the printed table shows: (indicator, column heading, unit divisor, digits).
PRINTED = (
    ("extra_population", "extra residents", 1.0, 0),
    ("extra_in_migration", "extra arrivals", 1.0, 0),
    ("fewer_departures", "fewer departures", 1.0, 0),
    ("cumulative_net_cost_total", "net cost, yi yuan", 1e8, 2),
    ("cost_per_additional_resident", "yuan per resident", 1.0, 0),
)


def format_effects(summary: pd.DataFrame) -> str:
    """A plain table of the main effects by year, narrow enough for a terminal: the mean and,
    under it, the 5-95 % range over seeds (chance only). ``effects.csv`` has every indicator."""
    seeds = int(summary.seeds.max())
    width = 20  # room for a range such as "206,000 to 210,000"
    lines = [
        f"Effect against the counterfactual: mean, and under it the 5-95 % range over {seeds} seed(s);",
        "net cost cumulative to the year end (1 yi = 100 million yuan), per extra resident at that year end",
        f"{'year':>4}" + "".join(f"{heading:>{width}}" for _, heading, _, _ in PRINTED),
    ]
    for year, rows in summary.groupby("year"):
        means, ranges = [], []
        for name, _, unit, digits in PRINTED:
            r = rows[rows.indicator == name]
            if r.empty or np.isnan(r["mean"].iloc[0]):
                means.append(f"{'-':>{width}}")
                ranges.append(" " * width)
                continue
            row = r.iloc[0]
            means.append(f"{row['mean'] / unit:>{width},.{digits}f}")
            ranges.append(f"{row.p05 / unit:,.{digits}f} to {row.p95 / unit:,.{digits}f}".rjust(width))
        lines.append(f"{year:>4}" + "".join(means))
        lines.append(" " * 4 + "".join(ranges))
    return "\n".join(lines)
