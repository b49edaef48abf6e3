"""Sensitivity indices from an experiment's outcomes: Sobol (first and total order, with
confidence intervals) and Morris (mu*, sigma), through SALib."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.experiments.design import problem
from model.experiments.spec import Experiment


def analyse(exp: Experiment, x: np.ndarray, y: pd.DataFrame) -> pd.DataFrame:
    """Long table ``outcome, parameter, index, value, conf`` (conf: half-width of the 95 % interval).

    ``x``: the design's points in order; ``y``: outcome means over seeds, one row per point.
    Outcomes that are not finite at every point are skipped.
    """
    prob = problem(exp)
    rows = []
    for outcome in y.columns:
        values = y[outcome].to_numpy(float)
        if not np.isfinite(values).all():
            continue
        if exp.design == "sobol":
            from SALib.analyze import sobol

            res = sobol.analyze(prob, values, calc_second_order=False, seed=exp.seed)
            for i, name in enumerate(prob["names"]):
                rows += [
                    (outcome, name, "S1", res["S1"][i], res["S1_conf"][i]),
                    (outcome, name, "ST", res["ST"][i], res["ST_conf"][i]),
                ]
        elif exp.design == "morris":
            from SALib.analyze import morris

            res = morris.analyze(prob, x, values, num_levels=exp.levels, seed=exp.seed)
            for i, name in enumerate(prob["names"]):
                rows += [
                    (outcome, name, "mu_star", res["mu_star"][i], res["mu_star_conf"][i]),
                    (outcome, name, "sigma", res["sigma"][i], np.nan),
                ]
    return pd.DataFrame(rows, columns=["outcome", "parameter", "index", "value", "conf"])
