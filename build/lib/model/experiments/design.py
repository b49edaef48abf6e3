"""Sampling designs: full factorial, Latin hypercube, Sobol (Saltelli) and Morris (SALib)."""

from __future__ import annotations

import itertools

import numpy as np
from scipy.stats import qmc

from model.experiments.spec import Experiment


def problem(exp: Experiment) -> dict:
    """The SALib problem: every varied parameter with its range."""
    names = list(exp.parameters)
    return {"num_vars": len(names), "names": names, "bounds": [exp.parameters[n] for n in names]}


def points(exp: Experiment) -> np.ndarray:
    """The design's points, one row per point, columns in ``problem(exp)['names']`` order."""
    prob = problem(exp)
    if exp.design == "full_factorial":
        return np.array(list(itertools.product(*(exp.parameters[n] for n in prob["names"]))), dtype=float)
    lo = np.array([b[0] for b in prob["bounds"]])
    hi = np.array([b[1] for b in prob["bounds"]])
    if exp.design == "latin_hypercube":
        unit = qmc.LatinHypercube(d=prob["num_vars"], seed=exp.seed).random(exp.samples)
        return lo + unit * (hi - lo)
    if exp.design == "sobol":
        from SALib.sample import sobol

        return sobol.sample(prob, exp.samples, calc_second_order=False, seed=exp.seed)
    from SALib.sample import morris

    return morris.sample(prob, exp.samples, num_levels=exp.levels, seed=exp.seed)


def overrides(names: list[str], values: np.ndarray) -> dict:
    """Scenario overrides for one point: 'behaviour.beta_income' -> {'behaviour': {'beta_income': v}}."""
    out: dict = {}
    for name, value in zip(names, values, strict=True):
        node = out
        *parents, leaf = name.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = float(value)
    return out
