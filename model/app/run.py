"""One run of the page: the form's scenario file through ``model.api.compare``, and the answer
a planner reads from it (tables in the output contract's units: persons at full scale, yuan).

The answer is a pure function of the comparison (``answer``), so the page shows what
``model.api`` gives for the same file, seeds and scale, and nothing of its own making.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from model import api
from model.app import form as forms
from model.indicators import KINDS
from model.runs.compare import label_for
from model.runs.uncertainty import EFFECT, default_threshold
from model.scenario import Scenario, load

# The headline table, by year: the effect figures of model/runs/effect.py a planner reads first.
HEADLINE = ("extra_population", "cumulative_net_cost_total", "cost_per_additional_resident")
AGE_GROUP_YEARS = 5  # the census's five-year age groups
OPEN_AGE_GROUP = 20  # the last group is open: 100 and over


@dataclass(eq=False)  # one answer is itself only (its tables do not compare as a whole)
class Answer:
    scenario: Scenario
    against: str
    label: str
    replicates: int  # posterior draws x seeds (seeds alone without draws)
    uncertainty: str  # what the interval includes (model.api's words)
    probability: tuple[float, int, float] | None  # threshold, year, share of replicates above it
    headline: pd.DataFrame  # year; <indicator>_mean, _p05, _p95 for HEADLINE
    by_measure: pd.DataFrame  # id; net_cost (cumulative, yuan), attributed (cumulative, persons), cost per one
    by_kind: pd.DataFrame  # kind; arrivals, fewer_departures (cumulative to the last year, persons)
    pyramids: pd.DataFrame  # age_group, sex; scenario, against, extra (persons at the last year end)
    toml: str  # the scenario file that was run


def run(form: forms.Form) -> Answer:
    """Check the form as its scenario file, run that file against the counterfactual."""
    scenario = forms.check(form)
    against = forms.app_default("against")
    with tempfile.TemporaryDirectory(prefix="what-if-") as tmp:
        path = forms.write(form, Path(tmp))
        settings = scenario["run"]
        comparison = api.compare(
            str(path),
            against,
            seeds=settings["seeds"],
            scale=settings["scale"],
            end=scenario.end,
            draws=settings["posterior_draws"],
        )
    return answer(comparison, scenario, against, forms.toml(form))


def answer(comparison: api.Comparison, scenario: Scenario, against: str, toml: str) -> Answer:
    summary = comparison.summary
    replicates = int(comparison.effects.seed.nunique())
    headline = pd.DataFrame(index=sorted(summary.year.unique()))
    for name in HEADLINE:
        rows = comparison.effect(name)
        for stat in ("mean", "p05", "p95"):
            headline[f"{name}_{stat}"] = rows[stat]
    headline.index.name = "year"
    last = int(headline.index.max())

    def total(indicator: str) -> float:
        """An indicator summed over the years (mean over seeds: the mean of the seeds' sums)."""
        return float(summary.loc[summary.indicator == indicator, "mean"].sum())

    def at_last(indicator: str) -> float:
        rows = summary[(summary.indicator == indicator) & (summary.year == last)]
        return float(rows["mean"].iloc[0]) if len(rows) else float("nan")

    measures = list(scenario.enabled_measures())
    anyway = set(load(against).enabled_measures())
    by_measure = pd.DataFrame({"id": [m for m in measures if m not in anyway]})
    by_measure["net_cost"] = [total(f"net_cost_{m}") for m in by_measure.id]
    by_measure["attributed"] = [total(f"attributed_{m}") for m in by_measure.id]
    by_measure["cost_per_attributed_resident"] = [at_last(f"cost_per_additional_resident_{m}") for m in by_measure.id]
    by_kind = pd.DataFrame(
        {
            "kind": KINDS,
            "arrivals": [total(f"extra_in_migration_{k}") for k in KINDS],
            "fewer_departures": [total(f"fewer_departures_{k}") for k in KINDS],
        }
    )
    return Answer(
        scenario,
        against,
        label_for(scenario.name, against),
        replicates,
        comparison.uncertainty,
        probability(comparison, last),
        headline.reset_index(),
        by_measure,
        by_kind,
        pyramids(comparison),
        toml,
    )


def probability(comparison: api.Comparison, last: int) -> tuple[float, int, float] | None:
    """The share of replicates with more extra residents than the planners' threshold by its
    year (model/data/report.toml), when the run reaches that year."""
    threshold, year = default_threshold()
    if year > last:
        return None
    return float(threshold), int(year), comparison.probability_above(EFFECT, year, threshold)


def _end_groups(pyramids: pd.DataFrame) -> pd.Series:
    """Persons at the last month by age group and sex, mean over seeds."""
    end = pyramids[pyramids["when"] == "end"]
    groups = end.assign(age_group=np.minimum(end.age // AGE_GROUP_YEARS, OPEN_AGE_GROUP))
    return groups.groupby(["age_group", "sex", "seed"]).persons.sum().groupby(["age_group", "sex"]).mean()


def pyramids(comparison: api.Comparison) -> pd.DataFrame:
    """The two runs' populations at the last month by age group and sex, and the difference:
    who the scenario adds, by age (persons, mean over seeds)."""
    table = pd.DataFrame(
        {"scenario": _end_groups(comparison.scenario.pyramids), "against": _end_groups(comparison.against.pyramids)}
    ).fillna(0.0)
    table["extra"] = table.scenario - table.against
    return table.reset_index()


def age_label(group: int) -> str:
    """``20-24``, and ``100+`` for the open group."""
    low = group * AGE_GROUP_YEARS
    return f"{low}+" if group >= OPEN_AGE_GROUP else f"{low}-{low + AGE_GROUP_YEARS - 1}"
