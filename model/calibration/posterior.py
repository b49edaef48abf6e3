"""A Bayesian calibration: approximate Bayesian computation by sequential Monte Carlo (pyabc).

The parameters of ``posterior_priors.toml`` (the policy response among them) get uniform priors;
each simulation runs the package scenario to the last target year with a fresh seed and returns
the targets' indicators; the distance is ``sqrt(sum_k ((s_k - d_k) / sigma_k)^2)`` with sigma_k the
target's tolerance; pyabc's SMC lowers the acceptance threshold generation by generation (the
median of the last generation's distances). The last generation's weighted particles are the
posterior draws. For a subsample of them the package scenario and its counterfactual are run to
``predictive_end`` with the same seed (common random numbers): the posterior predictive of every
target and of 2023, and the package's effect (residents with the package minus without) by year.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import multiprocessing
import tempfile
import time
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from model.calendar import month_index, year_of
from model.calibration.smm import FreeParameter, _free_parameter
from model.calibration.targets import Target, _observed, load_targets, observed_table
from model.ledger import COMPARISON_CITIES
from model.model import BaotouModel
from model.params import ParameterFileError
from model.scenario import load

HERE = Path(__file__).parent
PRIORS_FILE = HERE / "posterior_priors.toml"
DRAWS_FILE = HERE / "posterior.csv"
PREDICTIVE_FILE = HERE / "posterior_predictive.csv"
SUMMARY_FILE = HERE / "posterior_summary.toml"
with PRIORS_FILE.open("rb") as _fh:
    EFFECT_YEARS: tuple[int, ...] = tuple(tomllib.load(_fh)["run"]["effect_years"])


@dataclass(frozen=True)
class PosteriorTarget:
    """A target of the posterior: an indicator in a year, or its change over the year before, or
    (``comparison``, a city of ``model.ledger.COMPARISON_CITIES``) a difference-in-differences."""

    name: str
    indicator: str
    year: int
    observed: float
    sigma: float
    change: bool
    reason: str
    comparison: str | None = None

    def simulated(self, table: Mapping[tuple[str, int], float]) -> float:
        if self.comparison is not None:
            # The comparison city's part the model has: the change in its inflow from the movers
            # it follows (the second difference of its population, if the rest of its change
            # kept last year's pace; what did not is the target's tolerance).
            inflow = f"moved_to_{self.comparison}"
            return second_difference(table, self.indicator, self.year) - (
                table[(inflow, self.year)] - table[(inflow, self.year - 1)]
            )
        value = table[(self.indicator, self.year)]
        return value - table[(self.indicator, self.year - 1)] if self.change else value


def second_difference(table: Mapping[tuple[str, int], float], indicator: str, year: int) -> float:
    """This year's change minus last year's: ``x[y] - 2 x[y-1] + x[y-2]``."""
    return table[(indicator, year)] - 2 * table[(indicator, year - 1)] + table[(indicator, year - 2)]


def observed_difference_in_differences(spec: Mapping[str, Any], comparison: str) -> float:
    """Baotou's observed second difference minus the comparison city's (``observed.csv``)."""
    indicator, year, scale = spec["indicator"], spec["year"], spec["scale"]
    baotou, city = observed_table(), observed_table(comparison)
    return scale * (second_difference(baotou, indicator, year) - second_difference(city, indicator, year))


@dataclass(frozen=True)
class Design:
    parameters: tuple[FreeParameter, ...]
    targets: tuple[PosteriorTarget, ...]
    run: Mapping[str, Any]


def _from_target(t: Target) -> PosteriorTarget:
    return PosteriorTarget(t.name, t.indicator, t.year, t.observed, t.sigma, False, t.reason)


def load_design(path: Path = PRIORS_FILE) -> Design:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    parameters = tuple(_free_parameter(n, e) for n, e in raw["parameters"].items())
    by_name = {t.name: t for t in load_targets()}
    spec = dict(raw["targets"])
    targets = [_from_target(by_name[n]) for n in spec.pop("from_targets_toml")]
    start = load(raw["run"]["scenario"]).start if any("comparison" in t for t in spec.values()) else ""
    for name, t in spec.items():
        # A change target reads the level indicator of the model ("population") year on year; a
        # difference-in-differences also reads the comparison city's inflow.
        comparison = t.get("comparison")
        if comparison is not None:
            _check_comparison(path, name, t, comparison, start)
        observed = (
            _observed(t["observed"])
            if comparison is None
            else observed_difference_in_differences(t["observed"], comparison)
        )
        targets.append(
            PosteriorTarget(
                name,
                "population",
                t["observed"]["year"],
                observed,
                float(t["tolerance"]),
                True,
                t["reason"],
                comparison,
            )
        )
    return Design(parameters, tuple(targets), raw["run"])


def _check_comparison(path: Path, name: str, t: Mapping[str, Any], comparison: str, start: str) -> None:
    """One line naming the key when a difference-in-differences target cannot be formed."""
    where = f"{path}: targets.{name}"
    if comparison not in COMPARISON_CITIES:
        raise ParameterFileError(f"{where}.comparison = {comparison!r}; allowed: {', '.join(COMPARISON_CITIES)}")
    spec = t.get("observed", {})
    missing = [k for k in ("indicator", "year", "scale") if k not in spec]
    if missing:
        raise ParameterFileError(f"{where}.observed lacks {', '.join(missing)} (needs indicator, year and scale)")
    year, first_full_year = int(spec["year"]), year_of(month_index(start) + 11)  # the first January from start
    if year - 1 < first_full_year:
        raise ParameterFileError(
            f"{where}.observed.year = {year}; allowed: {first_full_year + 1} or later (the inflow's change"
            f" needs two whole simulated years, and the run starts {start})"
        )
    for region in ("baotou", comparison):
        gaps = [y for y in (year - 2, year - 1, year) if (spec["indicator"], y) not in observed_table(region)]
        if gaps:
            raise ParameterFileError(
                f"{where}: observed.csv has no {spec['indicator']} for {region} in {', '.join(map(str, gaps))}"
                " (a difference-in-differences needs the year and the two before)"
            )


def overrides(theta: Mapping[str, float], design: Design, scale: float, end: str) -> dict:
    merged: dict = {"run": {"scale": scale, "seeds": 1}, "period": {"end": end}}
    for p in design.parameters:
        for section, keys in p.overrides(theta[p.name]).items():
            merged.setdefault(section, {}).update(keys)
    return merged


def run_table(
    scenario: str, theta: Mapping[str, float], design: Design, scale: float, end: str, seed: int
) -> dict[tuple[str, int], float]:
    """One run: every indicator by (name, year)."""
    model = BaotouModel(load(scenario).with_overrides(overrides(theta, design, scale, end)), seed=seed)
    model.run()
    table = model.datacollector.get_model_vars_dataframe().set_index("year")
    return {
        (col, int(year)): float(v)
        for col in table.columns
        for year, v in table[col].items()
        if isinstance(v, int | float)
    }


def seed_of(theta: Mapping[str, float], salt: int) -> int:
    """A seed from the parameter values (the same particle is the same run)."""
    text = repr(sorted((k, float(v)) for k, v in theta.items())) + str(salt)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little") % 2**31


class Simulator:
    """The model as pyabc sees it: parameters in, the targets' simulated values out."""

    def __init__(self, design: Design, scale: float, salt: int) -> None:
        self.design, self.scale, self.salt = design, scale, salt
        self.end = f"{max(t.year for t in design.targets)}-12"

    def __call__(self, theta: Mapping[str, float]) -> dict[str, float]:
        theta = {p.name: float(theta[p.name]) for p in self.design.parameters}
        table = run_table(
            self.design.run["scenario"], theta, self.design, self.scale, self.end, seed_of(theta, self.salt)
        )
        return {t.name: t.simulated(table) for t in self.design.targets}


class Distance:
    def __init__(self, design: Design) -> None:
        self.sigma = {t.name: t.sigma for t in design.targets}

    def __call__(self, x: Mapping[str, float], x0: Mapping[str, float]) -> float:
        return float(np.sqrt(sum(((x[k] - x0[k]) / s) ** 2 for k, s in self.sigma.items())))


@dataclass
class Posterior:
    names: list[str]
    draws: np.ndarray  # (particles, parameters)
    weights: np.ndarray  # sum to 1
    distances: np.ndarray
    epsilons: list[float]
    simulations: int
    seconds: float

    def quantiles(self, name: str, qs: Sequence[float] = (0.05, 0.5, 0.95)) -> list[float]:
        return weighted_quantiles(self.draws[:, self.names.index(name)], self.weights, qs)


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs: Sequence[float]) -> list[float]:
    order = np.argsort(values)
    v, w = np.asarray(values, float)[order], np.asarray(weights, float)[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return [float(np.interp(q, cdf, v)) for q in qs]


def abc_smc(
    design: Design,
    observed: Mapping[str, float],
    scale: float,
    population_size: int,
    max_generations: int,
    walltime_minutes: float,
    processes: int,
    seed: int,
    fixed: Mapping[str, float] | None = None,
    initial_epsilon: float | None = None,
) -> Posterior:
    """Run ABC-SMC; ``fixed`` parameters are held at a value (the recovery test frees only some);
    ``initial_epsilon``: the first generation's threshold (default: from a sample of the prior)."""
    import pyabc  # optional dependency: only the posterior needs it

    began = time.perf_counter()
    np.random.seed(seed)  # pyabc draws from numpy's global generator
    free = [p for p in design.parameters if not fixed or p.name not in fixed]
    prior = pyabc.Distribution(**{p.name: pyabc.RV("uniform", p.lo, p.hi - p.lo) for p in free})
    simulator = Simulator(design, scale, seed)

    def model(theta: Mapping[str, float]) -> dict[str, float]:
        return simulator({**(fixed or {}), **dict(theta)})

    sampler = (
        pyabc.sampler.SingleCoreSampler()
        if processes <= 1
        else pyabc.sampler.MulticoreEvalParallelSampler(n_procs=processes)
    )
    eps = pyabc.epsilon.QuantileEpsilon(initial_epsilon="from_sample" if initial_epsilon is None else initial_epsilon)
    abc = pyabc.ABCSMC(model, prior, Distance(design), population_size=population_size, sampler=sampler, eps=eps)
    with tempfile.TemporaryDirectory() as tmp:
        abc.new(f"sqlite:///{tmp}/abc.db", dict(observed))
        history = abc.run(max_nr_populations=max_generations, max_walltime=dt.timedelta(minutes=walltime_minutes))
        frame, weights = history.get_distribution(m=0, t=history.max_t)
        distances = history.get_weighted_distances(t=history.max_t)["distance"].to_numpy()
        epsilons = [float(e) for e in history.get_all_populations()["epsilon"].to_numpy()[1:]]
        simulations = int(history.total_nr_simulations)
    names = [p.name for p in free]
    return Posterior(
        names,
        frame[names].to_numpy(float),
        np.asarray(weights, float) / np.sum(weights),
        distances,
        epsilons,
        simulations,
        time.perf_counter() - began,
    )


# --- the posterior predictive and the package's effect -------------------------------------------


def _predict(args: tuple[dict[str, float], Design, float, str, int]) -> dict[str, float]:
    theta, design, scale, end, seed = args
    with_package = run_table(design.run["scenario"], theta, design, scale, end, seed)
    without = run_table(design.run["counterfactual"], theta, design, scale, end, seed)
    out = {f"sim_{t.name}": t.simulated(with_package) for t in design.targets}
    last = int(end[:4])
    for year in range(2021, last + 1):
        out[f"population_{year}"] = with_package[("population", year)]
        out[f"effect_{year}"] = with_package[("population", year)] - without[("population", year)]
    return out


def predictive(
    posterior: Posterior, design: Design, scale: float, draws: int, end: str, processes: int, seed: int
) -> list[dict[str, float]]:
    """Resample ``draws`` particles by weight; run each with and without the package (same seed)."""
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(posterior.weights), size=draws, p=posterior.weights)
    jobs = []
    for i, row in enumerate(pick):
        theta = dict(zip(posterior.names, map(float, posterior.draws[row]), strict=True))
        jobs.append((theta, design, scale, end, seed_of(theta, seed + i)))
    if processes <= 1:
        results = [_predict(j) for j in jobs]
    else:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            results = pool.map(_predict, jobs)
    return [{**jobs[i][0], "seed": jobs[i][4], **r} for i, r in enumerate(results)]


# --- files ------------------------------------------------------------------------------------------


def write_draws(posterior: Posterior, path: Path = DRAWS_FILE) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["particle", "weight", "distance", *posterior.names])
        for i, (row, weight, d) in enumerate(zip(posterior.draws, posterior.weights, posterior.distances, strict=True)):
            w.writerow([i, repr(float(weight)), repr(float(d)), *(repr(float(x)) for x in row)])


def read_draws(path: Path = DRAWS_FILE) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Parameter names, draws (particles, parameters) and weights (summing to 1) of the file."""
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names = [k for k in rows[0] if k not in ("particle", "weight", "distance")]
    draws = np.array([[float(r[n]) for n in names] for r in rows])
    weights = np.array([float(r["weight"]) for r in rows])
    return names, draws, weights / weights.sum()


def write_predictive(rows: Sequence[Mapping[str, float]], path: Path = PREDICTIVE_FILE) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({k: repr(float(v)) for k, v in r.items()})


def observed_values(design: Design) -> dict[str, float]:
    return {t.name: t.observed for t in design.targets}
