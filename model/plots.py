"""Figures shared by command-line runs and notebooks: one style, units in every title."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import cast

import matplotlib
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

WAN = 10_000  # 万, the unit Chinese statistics report population in


def _band(ax, frame: pd.DataFrame, name: str, label: str, color: str, scale: float = WAN) -> None:
    """Mean and 90 % band over seeds by year. For flows, years not simulated in full (the
    census year from November) are drawn as hollow points apart from the line, so that two
    months do not read as a ramp-up."""
    rows = frame[frame.indicator == name].groupby("year").value
    years = np.array(sorted(frame.year.unique()))
    mean = rows.mean().reindex(years) / scale
    low, high = rows.quantile(0.05).reindex(years) / scale, rows.quantile(0.95).reindex(years) / scale
    months = frame[frame.indicator == "months"].groupby("year").value.max().reindex(years)
    flow = name != "population" and months.notna().any()
    full = (months >= 12).to_numpy() if flow else np.ones(years.size, dtype=bool)
    ax.plot(years[full], mean[full], color=color, label=label, lw=2)
    if (~full).any():
        ax.plot(years[~full], mean[~full], "o", mfc="none", color=color)
    if frame.seed.nunique() > 1:
        ax.fill_between(years[full], low[full], high[full], color=color, alpha=0.25, lw=0)


def population_components(indicators: pd.DataFrame) -> plt.Figure:
    """Year-end population and its components (births, deaths, migration), 90 % bands over seeds."""
    scenario = indicators.scenario.iloc[0]
    n = indicators.seed.nunique()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 7), sharex=True, constrained_layout=True)
    _band(top, indicators, "population", "population (year end)", "tab:blue")
    top.set_ylabel("wan (10,000 persons)")
    top.set_title(f"Baotou resident population, {scenario} (mean and 90 % band over {n} replicates)")
    for name, color in (
        ("births", "tab:green"),
        ("deaths", "tab:red"),
        ("in_migration", "tab:purple"),
        ("out_migration", "tab:orange"),
        ("net_migration", "black"),
    ):
        _band(bottom, indicators, name, name.replace("_", " "), color)
    bottom.axhline(0, color="grey", lw=0.5)
    bottom.set_ylabel("wan (10,000 persons) per year")
    bottom.set_title("Components of change (hollow points: a year simulated in part, from the census month)")
    bottom.set_xlabel("year")
    bottom.legend(ncol=3, fontsize=8)
    return fig


def pyramid(pyramids: pd.DataFrame) -> plt.Figure:
    """Population pyramids by five-year age group, first and last month, mean over seeds."""
    scenario = pyramids.scenario.iloc[0]
    frame = pyramids.assign(group=np.minimum(pyramids.age // 5, 20))
    mean = (
        frame.groupby(["when", "date", "sex", "group", "seed"])
        .persons.sum()
        .groupby(["when", "date", "sex", "group"])
        .mean()
    )
    fig, ax = plt.subplots(figsize=(8, 7), constrained_layout=True)
    labels = [f"{5 * g}-{5 * g + 4}" for g in range(20)] + ["100+"]
    for when, style in (
        ("start", dict(color="lightgrey", edgecolor="grey")),
        ("end", dict(fill=False, edgecolor="black")),
    ):
        sub = mean.loc[when]
        date = sub.index.get_level_values("date")[0]
        males = sub.xs("male", level="sex").droplevel("date").reindex(range(21), fill_value=0) / WAN
        females = sub.xs("female", level="sex").droplevel("date").reindex(range(21), fill_value=0) / WAN
        ax.barh(range(21), -males.values, height=0.9, label=f"{date}", **style)
        ax.barh(range(21), females.values, height=0.9, **style)
    ax.set_yticks(range(21), labels, fontsize=7)
    ax.axvline(0, color="black", lw=0.5)
    ticks = ax.get_xticks()
    ax.set_xticks(ticks, [f"{abs(t):g}" for t in ticks])
    ax.set_xlabel("wan (10,000 persons): men left, women right")
    ax.set_title(f"Baotou population pyramid, {scenario}: first and last month")
    ax.legend()
    return fig


def save_run_figures(run_dir: Path, indicators: pd.DataFrame, pyramids: pd.DataFrame) -> list[Path]:
    """Write the run's figures next to its tables."""
    paths = []
    for name, fig in (
        ("population_components.png", population_components(indicators)),
        ("pyramid.png", pyramid(pyramids)),
    ):
        path = Path(run_dir) / name
        fig.savefig(path, dpi=120)
        plt.close(fig)
        paths.append(path)
    return paths


def extra_population(summary: pd.DataFrame, scenario: str, against: str) -> plt.Figure:
    """Extra residents over time (scenario minus counterfactual), mean and 90 % interval over seeds."""
    rows = summary[summary.indicator == "extra_population"].sort_values("year")
    fig, ax = plt.subplots(figsize=(8, 4.5), constrained_layout=True)
    ax.plot(rows.year, rows["mean"] / WAN, color="tab:blue", lw=2, label="mean")
    ax.fill_between(
        rows.year, rows.p05 / WAN, rows.p95 / WAN, color="tab:blue", alpha=0.25, lw=0, label="90 % interval"
    )
    ax.axhline(0, color="grey", lw=0.5)
    ax.set_ylabel("wan (10,000 persons)")
    ax.set_xlabel("year (population at year end)")
    ax.set_title(f"Extra residents of Baotou: {scenario} minus {against} (same seeds and parameter draws)")
    ax.legend()
    return fig


def _ranked(ax, values: pd.Series, low: pd.Series, high: pd.Series, highlight: frozenset[str] = frozenset()) -> None:
    """Horizontal bars ranked by value with 90 % whiskers and the value printed at each bar; a
    log axis when the values differ by more than ``LOG_AXIS_SPREAD`` times."""
    order = values.sort_values(ascending=False).index  # the cheapest at the top
    values, low, high = values[order], low[order], high[order]
    y = np.arange(len(values))
    err = np.vstack([values - low, high - values]).clip(min=0)
    colors = ["tab:blue" if name in highlight else "tab:orange" for name in values.index]
    ax.barh(y, values, xerr=err, color=colors, ecolor="black", capsize=2)
    ax.set_yticks(y, values.index)
    positive = values[values > 0]
    if len(positive) > 1 and positive.max() / positive.min() > LOG_AXIS_SPREAD:
        ax.set_xscale("log")
    for i, (v, h) in enumerate(zip(values, high, strict=True)):
        ax.annotate(f" {v:,.0f}", (max(v, h), i), va="center", fontsize=7)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: _compact(x)))
    ax.margins(x=0.15)


def _compact(x: float) -> str:
    """Axis numbers short enough not to collide: 3,000, 30k, 3M."""
    for at_least, size, suffix in ((1e9, 1e9, "bn"), (1e6, 1e6, "M"), (1e4, 1e3, "k")):
        if abs(x) >= at_least:
            return f"{x / size:,.3g}{suffix}"
    return f"{x:,.0f}"


LOG_AXIS_SPREAD = 20  # values further apart than this share a log axis, so the small ones show


def cost_per_resident(summary: pd.DataFrame, scenario: str, against: str = "the counterfactual") -> plt.Figure:
    """What the package and each measure cost per additional resident, to the last year.

    The package's own figure (cumulative net cost over the extra residents, ``model.runs.effect``)
    comes first; each measure's is its net cost over the residents attributed to it (an
    accounting device, not additive). Measures that book no fiscal cost, and measures to which no
    resident is attributed, are named below the bars instead of drawn as the cheapest or left out.
    Means over the seeds that gained residents (the ratio has no value for the others)."""
    last = summary.year.max()
    at = summary[summary.year == last].set_index("indicator")
    totals = summary.groupby("indicator")["mean"].sum()
    ids = [i.removeprefix("net_cost_") for i in at.index if i.startswith("net_cost_") and i != "net_cost_total"]
    no_cost = [m for m in ids if totals.get(f"net_cost_{m}", 0.0) == 0]
    ratios = {m: at.loc[f"cost_per_additional_resident_{m}"] for m in ids if m not in no_cost}
    no_residents = [m for m, r in ratios.items() if not np.isfinite(r["mean"])]
    shown = {m: r for m, r in ratios.items() if np.isfinite(r["mean"])}
    label = f"package (all measures; {int(at.loc['cost_per_additional_resident', 'seeds'])} replicates)"
    rows = pd.DataFrame(shown).T
    if "cost_per_additional_resident" in at.index and np.isfinite(at.loc["cost_per_additional_resident", "mean"]):
        rows.loc[label] = at.loc["cost_per_additional_resident"]
    fig, ax = plt.subplots(figsize=(9, max(3.0, 0.3 * len(rows) + 2.2)), constrained_layout=True)
    if rows.empty:
        ax.text(0.5, 0.5, "no measure attracted residents", ha="center", va="center", transform=ax.transAxes)
    else:
        _ranked(ax, rows["mean"], rows.p05, rows.p95, highlight=frozenset({label}))
    notes = []
    if no_cost:
        notes.append("no fiscal cost booked in these runs (paid by others, unpriced or unused): " + ", ".join(no_cost))
    if no_residents:
        notes.append("cost, but no resident attributed: " + ", ".join(no_residents))
    ax.set_xlabel(
        "yuan of net fiscal cost per additional resident, cumulative to the last year"
        + "".join("\n" + textwrap.fill(note, 100) for note in notes)
    )
    ax.set_title(
        f"Cost per additional resident to {last}, {scenario} against {against}\n(90 % interval over replicates)"
    )
    return fig


def people_and_cost(summary: pd.DataFrame, scenario: str, against: str) -> plt.Figure:
    """People and cost side by side: extra residents and the cumulative net fiscal cost by year,
    each with its 90 % interval over seeds (chance only)."""
    fig, (people, cost) = plt.subplots(1, 2, figsize=(11, 4.5), constrained_layout=True)
    for ax, name, scale, unit, color in (
        (people, "extra_population", WAN, "wan (10,000 persons) at year end", "tab:blue"),
        (cost, "cumulative_net_cost_total", 1e8, "yi (100 million yuan), cumulative", "tab:orange"),
    ):
        rows = summary[summary.indicator == name].sort_values("year")
        ax.plot(rows.year, rows["mean"] / scale, color=color, lw=2)
        ax.fill_between(rows.year, rows.p05 / scale, rows.p95 / scale, color=color, alpha=0.25, lw=0)
        ax.axhline(0, color="grey", lw=0.5)
        ax.set_ylabel(unit)
        ax.set_xlabel("year")
    people.set_title("Extra residents")
    cost.set_title("Net fiscal cost")
    fig.suptitle(f"{scenario} against {against}: what it brings and what it costs (same seeds and parameter draws)")
    return fig


def share_axes(figures: list[plt.Figure]) -> None:
    """Give the same panels of several figures the same vertical range, so that the runs they
    show can be compared by eye."""
    for panel in range(min(len(f.axes) for f in figures)):
        axes = [f.axes[panel] for f in figures]
        low, high = min(ax.get_ylim()[0] for ax in axes), max(ax.get_ylim()[1] for ax in axes)
        for ax in axes:
            ax.set_ylim(low, high)


def save_compare_figures(
    run_dir: Path, indicators: pd.DataFrame, summary: pd.DataFrame, scenario: str, against: str
) -> list[Path]:
    paths = []
    figures = [
        ("extra_population.png", extra_population(summary, scenario, against)),
        ("people_and_cost.png", people_and_cost(summary, scenario, against)),
        ("cost_per_additional_resident.png", cost_per_resident(summary, scenario, against)),
    ]
    components = [
        (f"population_components_{name}.png", population_components(indicators[indicators.scenario == name]))
        for name in (scenario, against)
    ]
    share_axes([fig for _, fig in components])
    for name, fig in [*figures, *components]:
        path = Path(run_dir) / name
        fig.savefig(path, dpi=120)
        plt.close(fig)
        paths.append(path)
    return paths


def sweep(per_run: pd.DataFrame, names: list[str], outcomes: list[str], title: str) -> plt.Figure:
    """Each outcome against the first lever, one line per value of the second (mean and 90 %
    interval over seeds)."""
    first = names[0]
    second = names[1] if len(names) > 1 else None
    fig, axes = plt.subplots(len(outcomes), 1, figsize=(8, 3.2 * len(outcomes)), constrained_layout=True, squeeze=False)
    for ax, outcome in zip(axes[:, 0], outcomes, strict=True):
        groups = per_run.groupby(second) if second else [(None, per_run)]
        for value, rows in groups:
            stats = rows.groupby(first)[outcome]
            mean, lo, hi = stats.mean(), stats.quantile(0.05), stats.quantile(0.95)
            # A lever's values are numbers (pandas types a group key as any scalar, bytes included).
            label = f"{second.split('.')[-1]} = {cast(float, value):,.6g}" if second else None
            ax.plot(mean.index, mean.values, marker="o", label=label)
            ax.fill_between(mean.index, lo.values, hi.values, alpha=0.2)
        unit = "yuan" if outcome.startswith("cost") else "percent" if "share" in outcome else "persons"
        ax.set_ylabel(f"{outcome} ({unit})", fontsize=8)
        ax.set_xlabel(first)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        if second:
            ax.legend(fontsize=7)
    fig.suptitle(f"Sweep {title}: outcomes by lever (mean and 90 % interval over seeds)")
    return fig


def sensitivity(indices: pd.DataFrame, title: str, method: str) -> plt.Figure:
    """Sensitivity indices by parameter for each outcome, with their 95 % confidence intervals."""
    outcomes = list(indices.outcome.unique())
    kinds = ["S1", "ST"] if method == "sobol" else ["mu_star"]
    if not outcomes:
        fig, ax = plt.subplots(figsize=(8, 2))
        ax.text(0.5, 0.5, "no outcome was defined at every point", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    fig, axes = plt.subplots(
        len(outcomes),
        1,
        figsize=(8, 2.2 + 0.35 * indices.parameter.nunique() * len(outcomes)),
        constrained_layout=True,
        squeeze=False,
    )
    for ax, outcome in zip(axes[:, 0], outcomes, strict=True):
        rows = indices[indices.outcome == outcome]
        params = list(dict.fromkeys(rows.parameter))
        y = np.arange(len(params))
        for k, kind in enumerate(kinds):
            sub = rows[rows["index"] == kind].set_index("parameter").reindex(params)
            ax.barh(y + 0.38 * k, sub["value"], height=0.36, xerr=sub["conf"], label=kind, capsize=2)
        ax.set_yticks(y + 0.19 * (len(kinds) - 1), params, fontsize=7)
        ax.set_title(outcome, fontsize=9)
        ax.legend(fontsize=7)
    fig.suptitle(f"{method.title()} sensitivity, {title} (bars: 95 % confidence intervals)")
    return fig


def summary_bands(series: dict[str, pd.DataFrame], title: str, ylabel: str, scale: float = WAN) -> plt.Figure:
    """Lines with 90 % bands from summary tables (index year; columns mean, p05, p95)."""
    fig, ax = plt.subplots(figsize=(8, 4.5), constrained_layout=True)
    for i, (label, table) in enumerate(series.items()):
        color = f"C{i}"
        ax.plot(table.index, table["mean"] / scale, color=color, lw=2, label=label)
        ax.fill_between(table.index, table.p05 / scale, table.p95 / scale, color=color, alpha=0.2, lw=0)
    # A zero line only where the values reach it: levels far from zero keep an axis that shows
    # their differences.
    if min(float(t.p05.min()) for t in series.values()) <= 0:
        ax.axhline(0, color="grey", lw=0.5)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("year")
    ax.legend(fontsize=8)
    return fig


def seed_bands(tables: dict[str, pd.DataFrame], title: str, ylabel: str, scale: float = WAN) -> plt.Figure:
    """Lines with 90 % bands from per-seed tables (index year, one column per seed)."""
    summaries = {
        k: pd.DataFrame({"mean": t.mean(axis=1), "p05": t.quantile(0.05, axis=1), "p95": t.quantile(0.95, axis=1)})
        for k, t in tables.items()
    }
    return summary_bands(summaries, title, ylabel, scale)


def ranked_bars(values: pd.DataFrame, title: str, xlabel: str) -> plt.Figure:
    """Horizontal bars ranked by mean, with 90 % interval whiskers (columns mean, p05, p95) and
    the value printed; a log axis when the values differ by orders of magnitude; rows with no
    value are named under the axis rather than left out."""
    missing = [str(i) for i in values.index[~np.isfinite(values["mean"])]]
    values = values[np.isfinite(values["mean"])]
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(values) + 2.0), constrained_layout=True)
    _ranked(ax, values["mean"], values.p05, values.p95)
    ax.set_xlabel(xlabel + (f"\nno value (nothing attributed or no cost): {', '.join(missing)}" if missing else ""))
    ax.set_title(title)
    return fig


def calibration_fit(fit: pd.DataFrame, title: str = "Calibration: simulated against observed") -> plt.Figure:
    """Each target's miss in units of its tolerance (the band is within tolerance)."""
    z = (fit.simulated.astype(float) - fit.observed.astype(float)) / fit.tolerance.astype(float)
    held = fit.held_out.astype(bool)
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(fit) + 1.6), constrained_layout=True)
    ax.axvspan(-1, 1, color="0.9", label="within tolerance")
    y = np.arange(len(fit))
    ax.scatter(z, y, c=np.where(held, "tab:orange", "tab:blue"), zorder=3)
    ax.set_yticks(y, [f"{n}{' (held out)' if h else ''}" for n, h in zip(fit.index, held, strict=True)], fontsize=8)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_xlabel("(simulated - observed) / tolerance")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return fig
