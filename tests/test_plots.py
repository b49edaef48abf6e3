"""Figures that answer the planner's question honestly: the package's own cost per resident is
shown, measures that book no cost or attract no one are named instead of drawn as the best or
left out, scales that differ by orders of magnitude share a log axis, levels far from zero keep
an axis that shows their differences, and two runs compared share their axes."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from model import plots  # noqa: E402


def _summary(rows: dict[str, float], year: int = 2030) -> pd.DataFrame:
    return pd.DataFrame(
        [{"indicator": k, "year": year, "mean": v, "p05": v * 0.9, "p95": v * 1.1, "seeds": 3} for k, v in rows.items()]
    )


def test_cost_per_resident_shows_the_package_and_names_free_and_idle_measures():
    summary = _summary(
        {
            "cost_per_additional_resident": 30_000.0,
            "net_cost_total": 1e9,
            "net_cost_H1": 5e8,
            "cost_per_additional_resident_H1": 20_000.0,
            "net_cost_T1": 4e8,
            "cost_per_additional_resident_T1": 3e8,
            "net_cost_C3": 0.0,
            "cost_per_additional_resident_C3": np.nan,
            "net_cost_F1": 1e8,
            "cost_per_additional_resident_F1": np.nan,
        }
    )
    fig = plots.cost_per_resident(summary, "policy", "baseline")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any(label.startswith("package") for label in labels)
    assert {"H1", "T1"} <= set(labels) and "C3" not in labels and "F1" not in labels
    assert "no fiscal cost booked" in ax.get_xlabel() and "C3" in ax.get_xlabel()
    assert "no resident attributed" in ax.get_xlabel() and "F1" in ax.get_xlabel()
    assert ax.get_xscale() == "log"  # 20,000 against 300 million


def test_levels_far_from_zero_get_no_zero_line():
    years = pd.Index([2021, 2022, 2023], name="year")
    level = pd.DataFrame({"mean": [271e4, 272e4, 273e4], "p05": [270e4] * 3, "p95": [274e4] * 3}, index=years)
    fig = plots.summary_bands({"population": level}, "t", "wan")
    assert fig.axes[0].get_ylim()[0] > 200  # wan: the axis does not start at zero
    change = level - 272e4
    fig = plots.summary_bands({"extra": change}, "t", "wan")
    assert fig.axes[0].get_ylim()[0] < 0 < fig.axes[0].get_ylim()[1]


def test_compared_runs_share_their_axes(tmp_path):
    rows = []
    for scenario, level in (("a", 280e4), ("b", 270e4)):
        for year in (2020, 2021, 2022):
            for indicator, value in (
                ("population", level + year),
                ("births", 1e4),
                ("deaths", 2e4),
                ("in_migration", 5e4),
                ("out_migration", 3e4),
                ("net_migration", 2e4),
                ("months", 2 if year == 2020 else 12),
            ):
                rows.append({"scenario": scenario, "seed": 0, "year": year, "indicator": indicator, "value": value})
    indicators = pd.DataFrame(rows)
    summary = _summary({"extra_population": 1e4, "cumulative_net_cost_total": 1e9, "cost_per_additional_resident": 1e5})
    paths = plots.save_compare_figures(tmp_path, indicators, summary, "a", "b")
    assert {p.name for p in paths} >= {"people_and_cost.png", "population_components_a.png"}
    a = plots.population_components(indicators[indicators.scenario == "a"])
    b = plots.population_components(indicators[indicators.scenario == "b"])
    plots.share_axes([a, b])
    assert a.axes[0].get_ylim() == b.axes[0].get_ylim() and a.axes[1].get_ylim() == b.axes[1].get_ylim()
    # The partial census year is drawn apart from the lines (a hollow point), not as a ramp-up.
    lines = [line for line in a.axes[1].get_lines() if line.get_label() == "births"]
    assert 2020 not in set(lines[0].get_xdata())
