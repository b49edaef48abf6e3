"""The method of simulated moments with common random numbers.

The simulated moment of each target is its mean over a fixed set of seeds (the same seeds for
every parameter value, so the objective does not jump with the draws). The objective is
``J(theta) = sum_k ((m_k(theta) - d_k) / sigma_k)^2`` with sigma_k the target's tolerance.
Nelder–Mead searches the prior box (through a logistic transform); the covariance of the
estimate is the sandwich ``(G'WG)^-1 G'W V W G (G'WG)^-1`` with G the Jacobian of the moments
(central differences), W = diag(1 / sigma^2) and V the tolerances squared plus the simulation
variance of the seed mean. A parameter whose interval covers most of its prior box is reported
as not identified by these targets.
"""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize
from scipy.stats import norm

from model import params
from model.calibration.targets import Target
from model.model import BaotouModel
from model.scenario import load

FREE_FILE = Path(__file__).with_name("free.toml")
Z90 = float(norm.ppf(0.95))


@dataclass(frozen=True)
class FreeParameter:
    name: str
    sets: tuple[tuple[str, str], ...]
    shift: bool
    lo: float
    hi: float
    source: str

    def overrides(self, value: float) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for section, key in self.sets:
            base = params.value("demography", key) if self.shift else 0.0
            out.setdefault(section, {})[key] = float(base + value) if self.shift else float(value)
        return out


def free_parameters() -> list[FreeParameter]:
    with FREE_FILE.open("rb") as fh:
        raw = tomllib.load(fh)
    return [_free_parameter(n, t) for n, t in raw.items()]


def _free_parameter(name: str, entry: Mapping[str, Any]) -> FreeParameter:
    lo, hi = entry["prior"]
    sets = tuple(tuple(x) for x in entry["set"])
    return FreeParameter(name, sets, entry.get("shift", False), lo, hi, entry["source"])


@dataclass
class Setting:
    """Where and how the moments are simulated."""

    scenario: str = "policy_2022"  # the package was in force from 2022-10-27
    end: str = "2023-12"  # the last month simulated at the estimate (held-out targets included)
    scale: float = 0.02
    seeds: tuple[int, ...] = (0, 1, 2, 3)


def overrides_for(theta: Sequence[float] | np.ndarray, free: Sequence[FreeParameter], setting: Setting) -> dict:
    merged: dict = {"run": {"scale": setting.scale, "seeds": 1}, "period": {"end": setting.end}}
    for p, value in zip(free, theta, strict=True):
        for section, keys in p.overrides(value).items():
            merged.setdefault(section, {}).update(keys)
    return merged


def simulate(
    theta: Sequence[float] | np.ndarray, free: Sequence[FreeParameter], targets: Sequence[Target], setting: Setting
) -> np.ndarray:
    """Moments per seed: array (seeds, targets)."""
    scenario = load(setting.scenario).with_overrides(overrides_for(theta, free, setting))
    out = np.empty((len(setting.seeds), len(targets)))
    for i, seed in enumerate(setting.seeds):
        model = BaotouModel(scenario, seed=seed)
        model.run()
        table = model.datacollector.get_model_vars_dataframe().set_index("year")
        out[i] = [table.loc[t.year, t.indicator] if t.year in table.index else np.nan for t in targets]
    return out


@dataclass
class Result:
    names: list[str]
    theta: np.ndarray
    se: np.ndarray
    identified: np.ndarray
    objective: float
    simulated: np.ndarray  # seed means at the estimate, per target
    simulated_sd: np.ndarray  # across seeds
    evaluations: int
    seconds: float
    setting: Setting
    free: list[FreeParameter] = field(default_factory=list)

    @property
    def lo90(self) -> np.ndarray:
        return np.maximum(self.theta - Z90 * self.se, [p.lo for p in self.free])

    @property
    def hi90(self) -> np.ndarray:
        return np.minimum(self.theta + Z90 * self.se, [p.hi for p in self.free])


def _to_theta(z: np.ndarray, free: Sequence[FreeParameter]) -> np.ndarray:
    lo, hi = np.array([p.lo for p in free]), np.array([p.hi for p in free])
    return lo + (hi - lo) / (1 + np.exp(-z))


def calibrate(
    targets: Sequence[Target],
    setting: Setting,
    free: Sequence[FreeParameter] | None = None,
    observed: np.ndarray | None = None,
    max_evaluations: int = 120,
    on_evaluation: Callable[[float], None] | None = None,
) -> Result:
    """Estimate the free parameters from the targets that are not held out.

    ``observed`` replaces the targets' observed values (for the recovery test on simulated data).
    """
    began = time.perf_counter()
    if len(setting.seeds) < 2:
        raise ValueError("calibration needs at least two seeds (the simulation variance comes from them)")
    free = list(free or free_parameters())
    data = np.array([t.observed for t in targets]) if observed is None else np.asarray(observed, float)
    sigma = np.array([t.tolerance * abs(d) if t.relative else t.tolerance for t, d in zip(targets, data, strict=True)])
    fitted = np.array([not t.held_out for t in targets])
    evaluations = 0

    # Fit on runs that stop at the last fitted year; predict held-out years once, at the end.
    fit_setting = replace(setting, end=f"{max(t.year for t in targets if not t.held_out)}-12")

    def moments(theta: np.ndarray, full: bool = False) -> np.ndarray:
        nonlocal evaluations
        evaluations += 1
        return simulate(theta, free, targets, setting if full else fit_setting)

    def objective(z: np.ndarray) -> float:
        m = moments(_to_theta(z, free)).mean(axis=0)
        value = float(np.sum(((m - data) / sigma)[fitted] ** 2))
        if on_evaluation:
            on_evaluation(value)
        return value

    # A wide first simplex: the objective is flat over tiny steps (agents are whole people).
    k = len(free)
    simplex = np.vstack([np.zeros(k), 0.8 * np.eye(k)])
    fit = minimize(
        objective,
        np.zeros(k),
        method="Nelder-Mead",
        options={"maxfev": max_evaluations, "xatol": 0.02, "fatol": 0.01, "initial_simplex": simplex},
    )
    theta = _to_theta(fit.x, free)
    per_seed = moments(theta, full=True)
    m = per_seed.mean(axis=0)

    # Jacobian of the moments by central differences (common random numbers keep it smooth).
    jac = np.empty((len(targets), len(free)))
    for j, p in enumerate(free):
        h = 0.1 * (p.hi - p.lo)  # wide enough that whole-agent steps do not dominate the slope
        up, down = theta.copy(), theta.copy()
        up[j], down[j] = min(theta[j] + h, p.hi), max(theta[j] - h, p.lo)
        jac[:, j] = (moments(up).mean(axis=0) - moments(down).mean(axis=0)) / (up[j] - down[j])
    g, s = jac[fitted], sigma[fitted]
    w = np.diag(1 / s**2)
    v = np.diag(s**2) + np.cov(per_seed[:, fitted], rowvar=False) / len(setting.seeds)
    # A direction the targets do not move (a flat column, or a rank-deficient G'WG) is not
    # identified: its standard error is infinite, not the zero a pseudo-inverse would give.
    info = g.T @ w @ g
    scaled = np.abs(g / s[:, None]).sum(axis=0) * np.array([p.hi - p.lo for p in free])
    flat = scaled < 1e-9
    se = np.full(len(free), np.inf)
    ok = ~flat
    if ok.any() and np.linalg.cond(info[np.ix_(ok, ok)]) < 1e12:
        bread = np.linalg.inv(info[np.ix_(ok, ok)])
        go = g[:, ok]
        cov = bread @ go.T @ w @ v @ w @ go @ bread
        se[ok] = np.sqrt(np.maximum(np.diag(cov), 0))
    width = np.array([p.hi - p.lo for p in free])
    identified = np.isfinite(se) & (2 * Z90 * se < 0.8 * width)
    return Result(
        [p.name for p in free],
        theta,
        se,
        identified,
        float(np.sum(((m - data) / sigma)[fitted] ** 2)),
        m,
        per_seed.std(axis=0, ddof=1),
        evaluations,
        time.perf_counter() - began,
        setting,
        free,
    )
