"""The package's API for notebooks and scripts: run, compare, read the calibration and the
experiments, get observed figures. Everything returns pandas tables in the output contract's
units (persons at full scale, yuan, percent), so notebooks never reach into files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from model.calibration.draws import posterior_draws, replicates
from model.runs.compare import draws_table, summarise
from model.runs.effect import effects_for_seed
from model.runs.runner import run_pair, run_seed, with_draw
from model.runs.uncertainty import EFFECT, default_threshold
from model.scenario import Scenario, load


def scenario(
    name: str, seeds: int = 3, scale: float = 0.01, end: str | None = None, draws: int = 0, **sections
) -> Scenario:
    """A scenario by name with run settings (and any section overrides, e.g. behaviour={...}).
    ``draws``: parameter sets from the calibration's posterior, each run over ``seeds`` seeds
    (0: the calibrated point estimates, chance alone)."""
    run_settings = {"seeds": seeds, "scale": scale, "posterior_draws": draws, **sections.pop("run", {})}
    return load(name).with_overrides(
        {"run": run_settings, "period": {"end": end}, **sections}, origin="model.api arguments"
    )


@dataclass
class Run:
    indicators: pd.DataFrame  # scenario, seed, year, indicator, value
    pyramids: pd.DataFrame

    def series(self, indicator: str, whole_years: bool = False) -> pd.DataFrame:
        """One indicator by year and seed (columns: seeds); ``whole_years``: only the years
        simulated in full (a flow of the census year covers November and December only)."""
        rows = self.indicators[self.indicators.indicator == indicator]
        table = rows.pivot_table(index="year", columns="seed", values="value")
        if whole_years:
            months = self.indicators[self.indicators.indicator == "months"].groupby("year").value.max()
            table = table[table.index.isin(months.index[months >= 12])]
        return table


def run(
    name: str = "baseline", seeds: int = 3, scale: float = 0.01, end: str | None = None, draws: int = 0, **sections
) -> Run:
    """Run a scenario over seeds (and posterior draws: ``scenario``) in memory."""
    s = scenario(name, seeds, scale, end, draws, **sections)
    reps = replicates(s["run"])
    parts = [run_seed(with_draw(s, reps, seed), seed) for seed in reps.seeds]
    return Run(pd.concat([p[0] for p in parts], ignore_index=True), pd.concat([p[1] for p in parts], ignore_index=True))


@dataclass
class Comparison:
    scenario: Run
    against: Run
    effects: pd.DataFrame  # per replicate: scenario, seed, year, indicator, value
    summary: pd.DataFrame  # indicator, year, mean, p05, p95, seeds (the number of replicates)
    uncertainty: str  # what the interval includes (parameters and chance, or chance alone)
    draws: pd.DataFrame  # seed -> draw, particle and parameter values (empty without draws)

    def effect(self, indicator: str) -> pd.DataFrame:
        return self.summary[self.summary.indicator == indicator].set_index("year")[["mean", "p05", "p95"]]

    def probability_above(
        self, indicator: str = EFFECT, year: int | None = None, threshold: float | None = None
    ) -> float:
        """The share of replicates whose ``indicator`` at the end of ``year`` exceeds ``threshold``
        (defaults: extra residents, 1万 by 2025, model/data/report.toml)."""
        default, by = default_threshold()
        year = by if year is None else year
        rows = self.effects[(self.effects.indicator == indicator) & (self.effects.year == year)]
        if rows.empty:
            raise ValueError(f"no {indicator} for {year}; the years run are {sorted(self.effects.year.unique())}")
        return float((rows.value > (default if threshold is None else threshold)).mean())


def compare(
    name: str = "policy_2022",
    against: str = "baseline",
    seeds: int = 3,
    scale: float = 0.01,
    end: str | None = None,
    draws: int = 0,
    **sections,
) -> Comparison:
    """A scenario against a counterfactual with the same seeds (common random numbers), each seed's
    counterfactual first (``model.runs.runner.run_pair``); with ``draws``, each of that many
    parameter sets from the posterior is run over the seeds, the counterfactual with the same
    draw. The effects are defined in ``model.runs.effect`` (the difference in cost over the
    difference in residents, and the finance view), and both runs' indicators carry their
    books' rows."""
    s, b = scenario(name, seeds, scale, end, draws, **sections), scenario(against, seeds, scale, end, draws, **sections)
    reps = replicates(s["run"])
    parts = [run_pair(with_draw(s, reps, seed), with_draw(b, reps, seed), seed) for seed in reps.seeds]
    per_seed = []
    for seed, (ind_a, _, ind_b, _) in zip(reps.seeds, parts, strict=True):
        eff = effects_for_seed(ind_a, ind_b)
        eff.insert(0, "seed", seed)
        eff.insert(0, "scenario", f"{name}-vs-{against}")
        per_seed.append(eff)
    effects = pd.concat(per_seed, ignore_index=True)
    runs = [
        Run(
            pd.concat([p[k] for p in parts], ignore_index=True), pd.concat([p[k + 1] for p in parts], ignore_index=True)
        )
        for k in (0, 2)
    ]
    table = draws_table(reps) if reps.draws else pd.DataFrame()
    return Comparison(runs[0], runs[1], effects, summarise(effects), reps.describe(), table)


def calibration() -> dict[str, pd.DataFrame | pd.Series]:
    """The committed calibration: estimates, fit to every target, the out-of-sample check."""
    import tomllib

    from model.calibration import CALIBRATED_FILE

    with CALIBRATED_FILE.open("rb") as fh:
        cal = tomllib.load(fh)
    return {
        "method": pd.Series(cal["method"]),
        "estimates": pd.DataFrame(cal["estimates"]).T,
        "fit": pd.DataFrame(cal["fit"]).T,
        "out_of_sample": pd.DataFrame(cal.get("out_of_sample", {})).T,
    }


def observed(indicator: str, region: str = "baotou") -> pd.Series:
    """An observed series from model/data/observed.csv (value by year, in the file's unit)."""
    from model import params

    table = pd.read_csv(params.DATA_DIR / "observed.csv")
    rows = table[(table.region == region) & (table.indicator == indicator)]
    return rows.set_index("year").value.sort_index()


@dataclass
class ExperimentResults:
    directory: Path
    summary: pd.DataFrame
    outcomes: pd.DataFrame
    sensitivity: pd.DataFrame | None


def load_experiment(file: str | Path):  # -> model.experiments.spec.Experiment
    """An experiment file with its posterior draws resolved (``experiment.posterior_draws``: each
    point is run with that many parameter sets from the calibration's posterior, each over the
    seeds, and its counterfactual with the same set; a varied parameter the posterior sets is
    refused)."""
    from dataclasses import replace

    from model.experiments.spec import load_experiment as read
    from model.experiments.spec import validate

    exp = read(file)
    return validate(replace(exp, draws=posterior_draws(exp.posterior_draws)), str(exp.path))


def experiment(file: str, out: Path | None = None, executor: str = "processes", **settings) -> ExperimentResults:
    """Run (or resume, or just read) an experiment and return its tables.

    ``settings`` override the file's [experiment] values (e.g. samples=8, scale=0.002) for quick
    looks; a different setting is a different experiment with its own results directory.
    """
    from dataclasses import fields, replace

    from model.experiments import run_experiment
    from model.experiments.spec import validate
    from model.runs.results import RESULTS_DIR

    exp = load_experiment(file)
    known = {f.name for f in fields(exp)} - {"path", "name", "draws"}
    unknown = set(settings) - known
    if unknown:
        raise ValueError(f"unknown experiment settings {sorted(unknown)}; allowed: {', '.join(sorted(known))}")
    exp = replace(exp, **settings)
    exp = validate(replace(exp, draws=posterior_draws(exp.posterior_draws)), f"{exp.path} (with {settings})")
    directory = run_experiment(exp, out or RESULTS_DIR, executor=executor)
    sens = directory / "sensitivity.csv"
    return ExperimentResults(
        directory,
        pd.read_csv(directory / "summary.csv"),
        pd.read_csv(directory / "outcomes.csv"),
        pd.read_csv(sens) if sens.exists() else None,
    )


@dataclass
class OptimisationResults:
    directory: Path
    front: pd.DataFrame  # the mixes within budget that no other beats (cost against robust extra residents)
    chosen: pd.DataFrame  # the best mix within each share of the budget, with its 5-95 % range
    evaluated: pd.DataFrame  # every mix the search asked for, by generation
    figure: Path


def _optimisation(file: str, settings: dict):
    from dataclasses import fields, replace

    from model.optimise.spec import load_optimisation, validate

    opt = load_optimisation(file)
    known = {f.name for f in fields(opt)} - {"path", "name", "levers", "always_on", "discovery"}
    unknown = set(settings) - known
    if unknown:
        raise ValueError(f"unknown optimisation settings {sorted(unknown)}; allowed: {', '.join(sorted(known))}")
    return validate(replace(opt, **settings), f"{opt.path} (with {settings})")


def optimise(file: str, out: Path | None = None, executor: str = "processes", **settings) -> OptimisationResults:
    """Run (or resume, or just read) an optimisation and return its front and chosen mixes.

    ``settings`` override the file's values (e.g. population=8, generations=3, scale=0.002) for
    quick looks; different settings are a different optimisation with its own results directory.
    """
    from model.optimise import run_optimisation
    from model.runs.results import RESULTS_DIR

    opt = _optimisation(file, settings)
    directory = run_optimisation(opt, out or RESULTS_DIR, executor=executor)

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(directory / name) if (directory / name).stat().st_size > 1 else pd.DataFrame()

    return OptimisationResults(
        directory, read("front.csv"), read("chosen.csv"), read("evaluated.csv"), directory / "front.png"
    )


@dataclass
class DiscoveryResults:
    directory: Path
    boxes: pd.DataFrame  # per box (pays_off, does_not_pay_off): each condition it restricts, its limits
    runs: pd.DataFrame  # per run: the conditions, cost per additional resident, whether it pays off
    figure: Path


def discover(
    file: str, out: Path | None = None, executor: str = "processes", samples: int | None = None, **settings
) -> DiscoveryResults:
    """Scenario discovery (PRIM) for the mix an optimisation chose for its whole budget (the
    optimisation is run or resumed first, with the same ``settings``); ``samples`` overrides
    the file's [discovery] samples."""
    from dataclasses import replace

    from model.optimise import run_optimisation
    from model.optimise.discover import discover as run_discovery
    from model.runs.results import RESULTS_DIR

    opt = _optimisation(file, settings)
    if samples is not None and opt.discovery is not None:
        if not isinstance(samples, int) or samples < 2:
            raise ValueError(f"samples is {samples!r}; allowed: a whole number of at least 2")
        opt = replace(opt, discovery=replace(opt.discovery, samples=samples))
    run_optimisation(opt, out or RESULTS_DIR, executor=executor)
    directory = run_discovery(opt, out or RESULTS_DIR, executor=executor)
    return DiscoveryResults(
        directory,
        pd.read_csv(directory / "discovery.csv"),
        pd.read_csv(directory / "discovery_runs.csv"),
        directory / "discovery.png",
    )
