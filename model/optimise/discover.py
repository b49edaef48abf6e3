"""Scenario discovery for a chosen mix: under which uncertain conditions it pays off, or not.

The mix (a chosen mix's scenario file, against the optimisation's counterfactual) is run over a
Latin hypercube of the ``[discovery.uncertain]`` ranges, each point with the same values in the
mix and its counterfactual (an experiment, on the experiments' executors and store). A run pays
off when its cost per additional resident in the objective year (cumulative net cost / extra
residents, ``model.runs.effect``) is at most ``pays_off_below`` with some extra residents at all.
PRIM (the Patient Rule Induction Method, ``ema_workbench.analysis.prim``) then finds the box of
conditions where it pays off (and, apart, where it does not): it peels the ranges a step at a
time, and the box kept is the one with the most coverage (share of the paying runs inside it)
among those at least ``threshold`` dense (share of the runs inside that pay).
"""

from __future__ import annotations

import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from model.experiments import run_experiment
from model.experiments.spec import OUTCOMES, Experiment
from model.optimise import CHOSEN, run_dir_for
from model.optimise.spec import Discovery, Optimisation
from model.runs import effect
from model.runs.results import RESULTS_DIR, atomic_write_csv
from model.scenario import ScenarioError, schema


@dataclass
class Box:
    """A PRIM box: the limits of each condition it restricts, and how good it is."""

    limits: dict[str, tuple[float, float]]
    coverage: float
    density: float
    mass: float
    trajectory: pd.DataFrame


def find_box(x: pd.DataFrame, y: np.ndarray, threshold: float, peel_alpha: float = 0.05) -> Box:
    """PRIM on ``x`` (one column per condition) for the runs where ``y`` is true: the box with the
    most coverage among those at least ``threshold`` dense (else the densest)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ema_workbench warns about optional parts it does not need here
        from ema_workbench.analysis import prim

        found = prim.Prim(x.reset_index(drop=True), np.asarray(y, bool), peel_alpha=peel_alpha).find_box()
    trajectory = found.peeling_trajectory.reset_index(drop=True)
    dense = trajectory[trajectory.density >= threshold]
    # The most coverage, then the most density (peeling further at the same coverage only helps).
    pick = dense if len(dense) else trajectory[trajectory.density == trajectory.density.max()]
    i = int(pick.sort_values(["coverage", "density"], kind="stable").index[-1])
    found.select(i)
    first, lims = found.box_lims[0], found.box_lims[i]
    limits = {
        str(c): (float(lims[c].iloc[0]), float(lims[c].iloc[1]))
        for c in x.columns
        if lims[c].iloc[0] > first[c].iloc[0] or lims[c].iloc[1] < first[c].iloc[1]
    }
    row = trajectory.loc[i]
    return Box(limits, float(row.coverage), float(row.density), float(row["mass"]), trajectory.assign(chosen=False))


def experiment(opt: Optimisation, mix_file: Path) -> Experiment:
    """The discovery's runs, as an experiment: a Latin hypercube of the uncertain conditions."""
    d = opt.discovery
    assert d is not None
    return Experiment(
        name=f"{opt.name}-discovery",
        path=opt.path,
        scenario=str(mix_file),
        against=opt.against,
        design="latin_hypercube",
        seeds=d.seeds,
        seed=d.seed,
        scale=opt.scale,
        end=opt.end,
        samples=d.samples,
        levels=4,
        # The experiment's own outcomes in the years the horizon reaches (the pay-off is computed here).
        outcomes=[o for o in OUTCOMES if int(o[-4:]) <= int(opt.end[:4])] or ["population_2030"],
        uncertain=dict(d.uncertain),
    )


def pays_off(runs: pd.DataFrame, exp: Experiment, year: int, below: float) -> pd.DataFrame:
    """Per (point, seed): cost per additional resident in ``year`` and whether it pays off."""
    rows = []
    for (point, seed), table in runs.groupby(["point", "seed"]):
        a, b = effect.wide(table[table.scenario == exp.scenario]), effect.wide(table[table.scenario == exp.against])
        extra = effect.extra_residents(a, b)
        per = effect.per_resident(effect.cumulative(effect.net_cost(a, b)), extra)
        value = float(per.loc[year])
        rows.append(
            {
                "point": point,
                "seed": seed,
                "extra_population": float(extra.loc[year]),
                "cost_per_additional_resident": value,
                "pays_off": bool(value <= below),
            }
        )  # NaN: no extra residents
    return pd.DataFrame(rows)


def _table(boxes: dict[str, Box], d: Discovery) -> pd.DataFrame:
    rows = []
    for question, box in boxes.items():
        for name, (low, high) in (box.limits or {"(no condition restricted)": (np.nan, np.nan)}).items():
            lo, hi = d.uncertain.get(name, [np.nan, np.nan])
            rows.append(
                {
                    "box": question,
                    "condition": name,
                    "low": low,
                    "high": high,
                    "range_low": lo,
                    "range_high": hi,
                    "coverage": box.coverage,
                    "density": box.density,
                    "mass": box.mass,
                }
            )
    return pd.DataFrame(rows)


def discover(
    opt: Optimisation,
    out: Path = RESULTS_DIR,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    on_result=None,
    share: float | None = None,
) -> Path:
    """Run the discovery for the chosen mix at ``share`` of the budget (default: the largest
    share with a chosen mix); writes discovery.csv, discovery_runs.csv and discovery.png into
    the experiment's directory, which it returns."""
    from model.optimise import figures

    if opt.discovery is None:
        raise ScenarioError(f"{opt.path}: no [discovery] section; give one to run the scenario discovery")
    d = opt.discovery
    opt_dir = run_dir_for(opt, out)
    chosen_csv = opt_dir / "chosen.csv"
    if not chosen_csv.exists():
        raise ScenarioError(f"{opt.path}: the optimisation has not finished ({opt_dir}); run it first")
    chosen = pd.read_csv(chosen_csv)
    if chosen.empty:
        raise ScenarioError(f"{opt.path}: no mix within the budget was found, so there is none to discover for")
    pick = chosen.share.max() if share is None else share
    if not (chosen.share == pick).any():
        raise ScenarioError(f"share {pick!r} has no chosen mix; allowed: {', '.join(map(str, chosen.share))}")
    mix_file = opt_dir / CHOSEN.format(share=round(pick * 100))
    exp = experiment(opt, mix_file)
    run_dir = run_experiment(exp, out, executor, workers, scheduler, on_result)
    points = pd.read_csv(run_dir / "points.csv")
    result = pays_off(pd.read_parquet(run_dir / "runs.parquet"), exp, opt.objective_year, d.pays_off_below)
    runs = result.merge(points, on="point")
    names = list(d.uncertain)
    atomic_write_csv(run_dir / "discovery_runs.csv", runs)
    pays = runs.pays_off.to_numpy(bool)
    found = {}
    for question, y in (("pays_off", pays), ("does_not_pay_off", ~pays)):
        if y.any() and (~y).any():  # PRIM needs runs of both kinds
            found[question] = find_box(runs[names], y, d.threshold, d.peel_alpha)
    atomic_write_csv(run_dir / "discovery.csv", _table(found, d))
    main = found.get("pays_off")
    title = (
        f"{opt.name}, mix for {pick:.0%} of the budget: pays off (at most {d.pays_off_below:,.0f} yuan per "
        f"additional resident in {opt.objective_year}) in {pays.mean():.0%} of {len(runs)} runs"
    )
    if main is not None:
        labels = {k: _label(k) for k in names}
        fig = figures.boxes(
            runs[names], pays, main.limits, (main.coverage, main.density), main.trajectory, title, labels
        )
        tmp = run_dir / ".discovery.png.tmp.png"
        fig.savefig(tmp, dpi=120)
        figures.plt.close(fig)
        tmp.replace(run_dir / "discovery.png")
    return run_dir


def _label(path: str) -> str:
    """An axis label: the key and its unit, shortened."""
    section, key = path.split(".")
    unit = schema()[section][key].unit
    return f"{path} ({textwrap.shorten(unit, 40, placeholder='...')})" if unit else path
