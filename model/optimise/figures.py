"""The optimisation's figures: the front of cost against extra residents with the chosen mixes,
and the scenario discovery's boxes. Units on every axis: 亿 (10^8) yuan a year, 万 (10^4) persons."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd

from model.optimise.mix import RENEWAL
from model.optimise.spec import Optimisation
from model.plots import WAN

YI = 100_000_000  # 亿, the unit Chinese budgets are stated in
OBJECTIVE_LABELS = {
    "extra_population": "extra residents in {year}, wan (10,000 persons)",
    "discounted_resident_years": "discounted additional resident-years to {year}, wan (10,000 person-years)",
}


def describe(opt: Optimisation, row: pd.Series) -> str:
    """A mix in words: each measure on, with its amounts and renewal year."""
    parts = []
    measures = dict.fromkeys([lever.measure for lever in opt.levers] + opt.always_on)
    for mid in measures:
        switch = f"measures.{mid}.enabled"
        if switch in row and not row[switch] == 1:
            continue
        bits = []
        for lever in opt.levers:
            if lever.measure == mid and lever.kind != "switch" and pd.notna(row.get(lever.path)):
                value = row[lever.path]
                bits.append(f"to {int(value)}" if lever.key == RENEWAL else f"{lever.key} {value:,.0f}")
        parts.append(f"{mid} " + ", ".join(bits) if bits else mid)
    return "; ".join(parts) or "no measure"


def front(opt: Optimisation, evaluated: pd.DataFrame, front: pd.DataFrame, chosen: pd.DataFrame) -> plt.Figure:
    """Every mix evaluated (hollow: over budget), the front within budget and the chosen mixes
    with the 5-95 % range of their runs (parameter draws x seeds)."""
    fig, (ax, words) = plt.subplots(
        1, 2, figsize=(13, 5.5), gridspec_kw={"width_ratios": [3, 2]}, constrained_layout=True
    )
    unique = evaluated.drop_duplicates("mix")
    over = unique.within_budget == 0
    rule = {"mean": "mean", "worst": "worst run", "quantile": f"{opt.quantile:.0%} quantile"}[opt.robustness]
    ax.scatter(unique.cost[~over] / YI, unique.objective[~over] / WAN, s=12, color="0.6", label="mixes evaluated")
    ax.scatter(
        unique.cost[over] / YI,
        unique.objective[over] / WAN,
        s=12,
        facecolors="none",
        edgecolors="0.6",
        label="over budget",
    )
    if len(front):
        ax.plot(front.cost / YI, front.objective / WAN, "-o", color="tab:blue", ms=4, label="Pareto front")
    for _, same in chosen.groupby("mix", sort=False):
        row = same.iloc[-1]
        ax.errorbar(
            row.cost / YI,
            row.objective / WAN,
            yerr=[[max(row.objective - row.residents_p05, 0) / WAN], [max(row.residents_p95 - row.objective, 0) / WAN]],
            xerr=[[max(row.cost - row.cost_p05, 0) / YI], [max(row.cost_p95 - row.cost, 0) / YI]],
            fmt="s",
            color="tab:red",
            ms=6,
            capsize=3,
        )
        shares = ", ".join(f"{share:.0%}" for share in same.share)
        ax.annotate(
            shares, (row.cost / YI, row.objective / WAN), xytext=(5, 5), textcoords="offset points", color="tab:red"
        )
    ax.axvline(opt.budget / YI, color="tab:red", ls="--", lw=1, label="yearly budget")
    cost_rule = "largest yearly net cost" if opt.budget_rule == "every_year" else "average yearly net cost"
    ax.set_xlabel(f"{cost_rule} ({opt.budget_quantile:.0%} quantile of runs), yi (10^8 yuan) a year")
    ax.set_ylabel(OBJECTIVE_LABELS[opt.outcome].format(year=opt.objective_year) + f", {rule}")
    ax.set_title(f"{opt.name}: {len(unique)} mixes, {opt.draws * opt.seeds} runs each (draws x seeds)")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3)
    words.axis("off")
    lines = ["Chosen mixes (red squares: 5-95 % of runs)", ""]
    for _, row in chosen.iterrows():
        lines.append(f"{row.share:.0%} of the budget ({row.cost / YI:.2f} yi a year): {row.objective / WAN:.2f} wan")
        lines.append("   " + describe(opt, row))
    if chosen.empty:
        lines.append("no mix evaluated is within the budget")
    words.text(0, 1, "\n".join(lines), va="top", fontsize=8, wrap=True, family="monospace")
    return fig


def boxes(
    x: pd.DataFrame,
    pays: np.ndarray,
    limits: dict[str, tuple[float, float]],
    chosen: tuple[float, float],
    trajectory: pd.DataFrame,
    title: str,
    labels: dict[str, str],
) -> plt.Figure:
    """PRIM's peeling trajectory (coverage against density, the ``chosen`` box's marked) and the
    runs in the two conditions the box (``limits``) restricts most (or the first two), with it."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.5), constrained_layout=True)
    t = trajectory
    sc = left.scatter(t.coverage, t.density, c=t.res_dim, cmap="viridis", s=15)
    bar = fig.colorbar(sc, ax=left, label="conditions restricted (count)")
    bar.locator = matplotlib.ticker.MaxNLocator(integer=True)
    bar.update_ticks()
    left.scatter([chosen[0]], [chosen[1]], s=90, facecolors="none", edgecolors="tab:red", label="chosen box")
    left.set_xlabel("coverage (share of the paying runs inside the box)")
    left.set_ylabel("density (share of the runs inside the box that pay off)")
    left.set_title("PRIM peeling trajectory")
    left.legend(fontsize=8)
    # The most restricted first: the narrowest box limits relative to the sampled range.
    width = {c: (limits[c][1] - limits[c][0]) / (x[c].max() - x[c].min()) for c in limits}
    dims = (sorted(width, key=width.__getitem__) + [c for c in x.columns if c not in width])[:2]
    if len(dims) == 2:
        a, b = dims
        right.scatter(x[a][pays], x[b][pays], s=12, color="tab:green", label="pays off")
        right.scatter(x[a][~pays], x[b][~pays], s=12, color="0.6", label="does not pay off")
        lo = [limits.get(c, (x[c].min(), x[c].max())) for c in (a, b)]
        right.add_patch(
            plt.Rectangle(
                (lo[0][0], lo[1][0]),
                lo[0][1] - lo[0][0],
                lo[1][1] - lo[1][0],
                fill=False,
                color="tab:red",
                lw=1.5,
                label="PRIM box",
            )
        )
        right.set_xlabel(labels.get(a, a))
        right.set_ylabel(labels.get(b, b))
        right.legend(fontsize=8)
    right.set_title(textwrap.fill(title, 80), fontsize=9)
    return fig
