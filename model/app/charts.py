"""The page's figures, from an ``Answer``: each with its units on every axis, in Chinese and
English where the fonts allow (``labels``). Figures are built without pyplot, and drawn to PNG
(``png``) under the page's font settings: matplotlib picks the fonts when it draws, from its
global settings, so one figure at a time is drawn while they hold (the page's server draws in
its threads)."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from model.app import labels as say
from model.app.run import OPEN_AGE_GROUP, Answer, age_label
from model.plots import WAN
from model.scenario import measure_specs

YI = 100_000_000  # 亿, the unit Chinese budgets report yuan in
SPREAD_FOR_LOG = 100  # ratios differing by more than this factor are drawn on a log axis
SIZE = (6.4, 3.6)  # inches, one panel of the page


DPI = 110  # dots per inch of the page's images
_DRAWING = threading.Lock()


@contextmanager
def style() -> Iterator[None]:
    """The CJK font first (where there is one), then matplotlib's own for Latin glyphs."""
    font = say.cjk_font()
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    with _DRAWING, matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": families, "font.size": 9}):
        yield


def png(chart: Callable[[Answer], Figure], answer: Answer) -> bytes:
    """One of the figures below, drawn."""
    buffer = io.BytesIO()
    with style():
        chart(answer).savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _measure_name(mid: str) -> str:
    return say.measure(mid, measure_specs()[mid]["name"])


def extra_residents(answer: Answer) -> Figure:
    """Extra residents at each year end, mean and interval."""
    fig = Figure(figsize=SIZE, layout="constrained")
    ax = fig.subplots()
    rows = answer.headline
    ax.plot(rows.year, rows.extra_population_mean, color="tab:blue", lw=2, label=say.word("mean"))
    ax.fill_between(
        rows.year,
        rows.extra_population_p05,
        rows.extra_population_p95,
        color="tab:blue",
        alpha=0.25,
        lw=0,
        label=say.word("interval") + " 5-95 %",
    )
    ax.axhline(0, color="grey", lw=0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(say.word("year"))
    ax.set_ylabel(say.with_unit("extra_residents", "persons"))
    ax.set_title(f"{say.word('extra_residents')}: {answer.label}")
    ax.legend(fontsize=8)
    return fig


def cost_by_measure(answer: Answer) -> Figure:
    """Each measure's cumulative net cost to the last year, and its cost per attributed resident."""
    table = answer.by_measure.iloc[::-1]
    names = [_measure_name(m) for m in table.id]
    fig = Figure(figsize=(SIZE[0] * 1.6, max(SIZE[1], 0.35 * len(names) + 1.5)), layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True)
    left.barh(names, table.net_cost / YI, color="tab:orange")
    left.set_xlabel(say.with_unit("net_cost", "yi_yuan"))
    left.set_title(f"{say.word('net_cost')}, {say.word('by_measure')}")
    ratio = table.cost_per_attributed_resident.where(table.attributed > 0)
    shown = ratio[ratio > 0]
    right.barh(names, ratio.fillna(0.0), color="tab:green")
    if len(shown) and shown.max() / shown.min() > SPREAD_FOR_LOG:
        right.set_xscale("log")
    right.set_xlabel(say.with_unit("cost_per_attributed", "yuan_per_person"))
    right.set_title(say.word("cost_per_attributed"))
    nobody = [m for m, a in zip(table.id, table.attributed, strict=True) if not a > 0]
    if nobody:
        right.text(
            0.99,
            0.01,
            f"{say.word('none_attracted')}: {', '.join(nobody)}",
            transform=right.transAxes,
            ha="right",
            va="bottom",
            fontsize=7,
        )
    return fig


def who_comes(answer: Answer) -> Figure:
    """Extra arrivals and fewer departures by kind (cumulative), and the extra residents at the
    last year end by age group and sex."""
    fig = Figure(figsize=(SIZE[0] * 1.6, SIZE[1]), layout="constrained")
    kinds, ages = fig.subplots(1, 2, width_ratios=[1, 1.4])
    x = np.arange(len(answer.by_kind))
    width = 0.4
    kinds.bar(x - width / 2, answer.by_kind.arrivals, width, label=say.word("arrivals"), color="tab:purple")
    kinds.bar(
        x + width / 2, answer.by_kind.fewer_departures, width, label=say.word("fewer_departures"), color="tab:olive"
    )
    kinds.set_xticks(x, [say.kind(k).replace(" ", "\n", 1) for k in answer.by_kind.kind], fontsize=7)
    kinds.axhline(0, color="grey", lw=0.5)
    kinds.set_xlabel(say.word("by_kind"))
    kinds.set_ylabel(say.with_unit("who_comes", "persons"))
    kinds.set_title(f"{say.word('who_comes')}: {say.word('by_kind')}")
    kinds.legend(fontsize=7)
    pyr = answer.pyramids.pivot_table(index="age_group", columns="sex", values="extra")
    pyr = pyr.reindex(range(OPEN_AGE_GROUP + 1), fill_value=0.0)
    groups = np.arange(len(pyr))
    ages.bar(groups - width / 2, pyr.get("male", 0.0), width, label=say.word("men"), color="tab:blue")
    ages.bar(groups + width / 2, pyr.get("female", 0.0), width, label=say.word("women"), color="tab:red")
    ages.set_xticks(groups, [age_label(int(g)) for g in groups], rotation=90, fontsize=6)
    ages.axhline(0, color="grey", lw=0.5)
    ages.set_xlabel(say.with_unit("age_group", "years_of_age"))
    ages.set_ylabel(say.with_unit("extra_residents", "persons"))
    ages.set_title(f"{say.word('who_comes')}: {say.word('by_age')}, {answer.scenario.end}")
    ages.legend(fontsize=7)
    return fig


def pyramid(answer: Answer) -> Figure:
    """The scenario's and the counterfactual's populations at the last month."""
    table = answer.pyramids.pivot_table(index="age_group", columns="sex", values=["scenario", "against"])
    table = table.reindex(range(OPEN_AGE_GROUP + 1), fill_value=0.0) / WAN
    groups = np.arange(len(table))
    fig = Figure(figsize=(SIZE[0], SIZE[1] * 1.4), layout="constrained")
    ax = fig.subplots()
    for run, kw, name in (
        ("against", dict(color="lightgrey", edgecolor="grey"), say.word("counterfactual")),
        ("scenario", dict(fill=False, edgecolor="black"), say.word("scenario")),
    ):
        ax.barh(groups, -table[(run, "male")], height=0.9, label=name, **kw)
        ax.barh(groups, table[(run, "female")], height=0.9, **kw)
    ax.set_yticks(groups, [age_label(int(g)) for g in groups], fontsize=6)
    ax.axvline(0, color="black", lw=0.5)
    ticks = ax.get_xticks()
    ax.set_xticks(ticks, [f"{abs(t):g}" for t in ticks])
    ax.set_xlabel(f"{say.word('wan_persons')}: {say.word('men')} ←, → {say.word('women')}")
    ax.set_ylabel(say.with_unit("age_group", "years_of_age"))
    ax.set_title(f"{say.word('pyramid')}, {answer.scenario.end}")
    ax.legend(fontsize=7)
    return fig
