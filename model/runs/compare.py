"""A scenario against a counterfactual with the same seeds (common random numbers).

Per seed and year it computes the differences a planner asks for (``model.runs.effect``, the one
definition of them): extra population, extra arrivals and fewer departures (in total and by
agent kind), the fiscal cost of each measure and its net cost against the counterfactual, the
expected extra residents attributed to each measure, and the cost per additional resident, with
the finance view (discounted cost per discounted resident-year, movers and births, deadweight,
text-given and assumed amounts); then their mean and 90 % interval over the replicates
(effects.csv), by measure and year the finance view's means (costs.csv), and by year the
probability that the extra population exceeds a threshold (probabilities.csv). With
``[run] posterior_draws`` the replicates are parameter sets from the calibration's posterior,
each over the seeds (``model.calibration.draws``), so the interval carries parameter uncertainty
and chance; without, it shows chance alone (the calibrated point, different seeds).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from model import plots
from model.runs import interrupt, uncertainty
from model.runs.effect import MEASURES, discount_base_year, effects_for_seed, social_discount_rate
from model.runs.replicates import Replicates, at_point
from model.runs.results import RESULTS_DIR, atomic_write_csv, open_run
from model.runs.runner import collect_seeds, run_pair, with_draw, write_outputs
from model.scenario import NAME_MAX, Scenario


def summarise(effects: pd.DataFrame) -> pd.DataFrame:
    """Mean and 90 % interval over the replicates (seeds, or posterior draws x seeds), by year and
    indicator (``seeds``: how many replicates)."""
    grouped = effects.groupby(["indicator", "year"]).value
    return pd.DataFrame(
        {
            "mean": grouped.mean(),
            "median": grouped.median(),
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
    threshold: float | None = None,
    reps: Replicates | None = None,
) -> Path:
    """Run both scenarios with the same seeds and parameter sets (``reps``: the posterior draws,
    ``model.runs.replicates``; default the seeds at the calibrated point); write the run
    directory and return it. With ``resume`` (an interrupted or failed comparison of the same
    two scenarios and settings), the seeds stored there are reused and only the others run.
    ``threshold``: the extra residents probabilities.csv is about (default
    ``model/data/report.toml``)."""
    reps = at_point(scenario["run"]) if reps is None else reps
    seeds = reps.seeds
    label = label_for(scenario.name, against.name)
    manifest = {
        "scenario": scenario.to_dict(),
        "against": against.to_dict(),
        "seeds": seeds,
        "scale": scenario["run"]["scale"],
        "kind": "compare",
        "label": label,
        **reps.manifest(),
    }
    writer, done = open_run(Path(out), label, manifest, resume)
    run_dir = writer.dir
    todo = len([s for s in seeds if s not in done])
    bar = tqdm(total=2 * scenario.months * todo, unit="month", desc=label, disable=not progress, leave=False)

    def on_month() -> None:
        interrupt.check()
        bar.update(1)

    def one_seed(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        s, b = with_draw(scenario, reps, seed), with_draw(against, reps, seed)
        ind_s, pyr_s, ind_b, pyr_b = run_pair(s, b, seed, on_month=on_month)
        eff = effects_for_seed(ind_s, ind_b)
        eff.insert(0, "seed", seed)
        eff.insert(0, "scenario", label)
        return pd.concat([ind_b, ind_s, eff], ignore_index=True), pd.concat([pyr_b, pyr_s], ignore_index=True)

    indicators, pyramids = collect_seeds(writer, seeds, bar, one_seed, done)
    table = pd.concat(indicators, ignore_index=True)
    summary = summarise(table[table.scenario == label])
    draw_of = {s: d.number for s in seeds if (d := reps.draw_of(s)) is not None}
    chances = uncertainty.probabilities(
        table[table.scenario == label], uncertainty.default_threshold()[0] if threshold is None else threshold, draw_of
    )

    def write() -> None:
        atomic_write_csv(run_dir / "effects.csv", summary)
        atomic_write_csv(run_dir / "probabilities.csv", chances)
        if reps.draws:
            atomic_write_csv(run_dir / "draws.csv", draws_table(reps))
        atomic_write_csv(run_dir / "costs.csv", costs(summary))
        writer.tables(table, pd.concat(pyramids, ignore_index=True))
        plots.save_compare_figures(run_dir, table, summary, scenario.name, against.name)

    write_outputs(writer, write)
    return run_dir


def draws_table(reps: Replicates) -> pd.DataFrame:
    """The parameter values each replicate ran with (draws.csv)."""
    rows = []
    for seed in reps.seeds:
        d = reps.draw_of(seed)
        assert d is not None  # only called with draws
        rows.append({"seed": seed, "draw": d.number, "particle": d.particle, **d.values})
    return pd.DataFrame(rows)


# What the printed table shows: (indicator, column heading, unit divisor, digits).
PRINTED = (
    ("extra_population", "extra residents", 1.0, 0),
    ("extra_in_migration", "extra arrivals", 1.0, 0),
    ("fewer_departures", "fewer departures", 1.0, 0),
    ("cumulative_net_cost_total", "net cost, yi yuan", 1e8, 2),
    ("cost_per_additional_resident", "yuan per resident", 1.0, 0),
)


def format_effects(summary: pd.DataFrame, describe: str | None = None) -> str:
    """A plain table of the main effects by year, narrow enough for a terminal: the median and,
    under it, the 5-95 % range over the replicates (the median, since with parameter uncertainty
    a ratio such as cost per resident has a long tail; ``describe`` says what they include; by
    default seeds alone: chance only). ``effects.csv`` has every indicator."""
    seeds = int(summary.seeds.max())
    width = 20  # room for a range such as "206,000 to 210,000"
    describe = describe or f"{seeds} seed(s) at the calibrated point estimates: chance only"
    lines = [
        f"Effect against the counterfactual: median, and under it the 5-95 % range over {seeds} replicate(s):",
        f"  {describe};",
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
            means.append(f"{row['median'] / unit:>{width},.{digits}f}")
            ranges.append(f"{row.p05 / unit:,.{digits}f} to {row.p95 / unit:,.{digits}f}".rjust(width))
        lines.append(f"{year:>4}" + "".join(means))
        lines.append(" " * 4 + "".join(ranges))
    return "\n".join(lines)


# costs.csv: by measure (and "total") and year, the means over seeds of effects.csv's figures.
COSTS = {
    "spending": "cost",
    "spending_text": "text_cost",
    "spending_assumed": "assumed_cost",
    "net_cost": "net_cost",
    "net_cost_assumed": "net_assumed_cost",
    "discounted_net_cost": "discounted_net_cost",
    "transfers": "transfers",
    "deadweight": "deadweight",
    "deadweight_share": "deadweight_share",
    "attributed": "attributed",
    "extra_population": "extra_population",
}
TOTAL = "total"
WIDTH = 105  # the printed finance view's widest line
# effects.csv's names of the totals, where they are not "<figure>_total"; None: blank.
TOTAL_NAMES = {"deadweight_share": "deadweight_share", "attributed": None, "extra_population": "extra_population"}


def amounts_label(text: float, assumed: float) -> str:
    """Where a measure's spending went: all on amounts the text gives, all assumed, both, or none."""
    if text > 0 and assumed > 0:
        return "mixed"
    return "text" if text > 0 else "assumed" if assumed > 0 else "none"


def costs(summary: pd.DataFrame) -> pd.DataFrame:
    """The finance view by measure and year (``costs.csv``): spending (on text-given and assumed
    amounts), net cost, discounted net cost (cumulative), transfers and deadweight, attributed
    residents (measures; the total row has the extra population at year end instead), the means
    over seeds; ``amounts`` labels
    the measure by where its spending to the last year went (``amounts_label``)."""
    mean = summary.set_index(["indicator", "year"])["mean"]
    years = sorted(summary.year.unique())
    rows = []
    for mid in [*MEASURES, TOTAL]:
        names = {
            column: (None if figure == "extra_population" else f"{figure}_{mid}")
            if mid != TOTAL
            else TOTAL_NAMES.get(figure, f"{figure}_total")
            for column, figure in COSTS.items()
        }
        table = pd.DataFrame(
            {column: [mean.get((name, y), np.nan) if name else np.nan for y in years] for column, name in names.items()}
        )
        table.insert(0, "year", years)
        label = amounts_label(table.spending_text.sum(), table.spending_assumed.sum())
        table.insert(0, "amounts", label)
        table.insert(0, "measure", mid)
        rows.append(table)
    return pd.concat(rows, ignore_index=True)


def format_finance(summary: pd.DataFrame) -> str:
    """The finance view to the last year, by measure and in total, narrow enough for a terminal
    (means over seeds; costs.csv has it by year, effects.csv with intervals)."""
    table = costs(summary)
    year = int(table.year.max())
    mean = summary.set_index(["indicator", "year"])["mean"]
    get = lambda name: float(mean.get((name, year), np.nan))  # noqa: E731
    median = summary.set_index(["indicator", "year"])["median"]
    mid_value = lambda name: float(median.get((name, year), np.nan))  # noqa: E731
    rate, base = social_discount_rate(), discount_base_year()
    head = (
        f"{'':6}{'amounts':>8}{'spent':>9}{'net':>9}{'net disc':>10}{'transfers':>10}{'dead%':>7}"
        f"{'attributed':>11}{'per disc yr':>12}"
    )
    lines = [
        f"Finance view to {year} (means over replicates): yuan in yi (1 yi = 100 million), cumulated from the start;",
        f"'net disc': net cost discounted at {rate * 100:g} % to {base} yuan; 'dead%': share of transfers to people in",
        "Baotou in the counterfactual too (deadweight); 'attributed': residents attributed to the measure",
        "(total: the extra population); 'per disc yr': discounted net cost per discounted resident-year (yuan).",
        head,
    ]

    def cell(value: float, width: int, digits: int, unit: float = 1.0) -> str:
        return f"{'-':>{width}}" if not np.isfinite(value) else f"{value / unit:>{width},.{digits}f}"

    for mid, rows in table.groupby("measure", sort=False):
        spent, net = rows.spending.sum(), rows.net_cost.sum()
        attributed = rows.attributed.sum() if mid != TOTAL else rows.extra_population.iloc[-1]
        if mid != TOTAL and spent == 0 and net == 0 and attributed == 0:
            continue
        per = get(
            "discounted_cost_per_additional_resident_year"
            if mid == TOTAL
            else f"discounted_cost_per_attributed_resident_year_{mid}"
        )
        last = rows[rows.year == year].iloc[0]
        lines.append(
            f"{mid:<6}{rows.amounts.iloc[0]:>8}{cell(spent, 9, 2, 1e8)}{cell(net, 9, 2, 1e8)}"
            f"{cell(last.discounted_net_cost, 10, 2, 1e8)}{cell(rows.transfers.sum(), 10, 2, 1e8)}"
            f"{cell(last.deadweight_share, 7, 0)}{cell(attributed, 11, 0)}{cell(per, 12, 0)}"
        )
    movers, births, deaths = get("extra_movers"), get("cumulative_extra_births"), get("cumulative_extra_deaths")
    lines += [
        f"Extra residents at the end of {year}: {get('extra_population'):,.0f} = movers {movers:,.0f} "
        f"+ births {births:,.0f} - deaths {deaths:,.0f}",
        f"Net cost to {year}: {get('cumulative_net_cost_total') / 1e8:,.2f} yi yuan, "
        f"{get('assumed_share_of_net_cost'):.0f} % of it on assumed amounts "
        f"(text-given {rows_sum(table, 'net_cost', 'net_cost_assumed'):,.2f} yi)",
        f"Per additional resident (medians over replicates): {mid_value('cost_per_additional_resident'):,.0f} "
        f"yuan (extra residents at the {year} year end);",
        f"per additional resident-year: {mid_value('cost_per_additional_resident_year'):,.0f} yuan undiscounted, "
        f"{mid_value('discounted_cost_per_additional_resident_year'):,.0f} discounted",
    ]
    total = table[table.measure == TOTAL]
    by_year = [f"{int(y)} {v / 1e8:,.2f}" for y, v in zip(total.year, total.net_cost, strict=True) if round(v / 1e8, 2)]
    line = "Net cost by year, yi yuan:"
    for item in by_year:
        if len(line) + len(item) + 2 > WIDTH:
            lines.append(line)
            line = " "
        line += f" {item},"
    lines.append(line.rstrip(","))
    return "\n".join(lines)


def rows_sum(table: pd.DataFrame, total: str, part: str) -> float:
    """The total row's ``total`` less its ``part``, summed over the years (yi yuan)."""
    rows = table[table.measure == TOTAL]
    return float((rows[total] - rows[part]).sum()) / 1e8
