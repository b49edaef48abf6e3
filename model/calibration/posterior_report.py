"""Writing the posterior calibration: the summary file and the figure (docs/posterior.png).

``posterior_summary.toml`` is written only by ``python -m model calibrate --posterior``: the
run's settings and time, each parameter's posterior quantiles next to its prior, the fit of the
posterior predictive to every target, the predictive of 2023 and the package's effect by year.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Mapping, Sequence
from importlib.metadata import version
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from model.calibration import posterior as P  # noqa: E402
from model.calibration.posterior import EFFECT_YEARS, Design, Posterior  # noqa: E402
from model.runs.results import atomic_write_text, git_commit  # noqa: E402

QS = (0.05, 0.5, 0.95)
THRESHOLD = 10_000  # a planner's threshold: 1万 more residents (issue 15)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _num(x: float) -> str:
    return f"{x:.10g}"


def _column(rows: Sequence[Mapping[str, float]], key: str) -> np.ndarray:
    return np.array([r[key] for r in rows], dtype=float)


def summary(post: Posterior, rows: Sequence[Mapping[str, float]], design: Design, seconds: float) -> str:
    r = design.run
    lines = [
        "# Written by `python -m model calibrate --posterior`; do not edit by hand (rerun the command instead).",
        "",
        "[method]",
        f"name = {_q('approximate Bayesian computation, sequential Monte Carlo (pyabc ' + version('pyabc') + ')')}",
        f"scenario = {_q(r['scenario'])}",
        f"counterfactual = {_q(r['counterfactual'])}",
        f"scale = {r['scale']}",
        f"population_size = {r['population_size']}",
        f"generations = {len(post.epsilons)}",
        f"epsilons = [{', '.join(_num(e) for e in post.epsilons)}]",
        f"simulations = {post.simulations}",
        f"abc_seconds = {post.seconds:.0f}",
        f"seconds = {seconds:.0f}",
        f"processes = {r['processes']}",
        f"seed = {r['seed']}",
        f"predictive_draws = {len(rows)}",
        f"date = {_q(dt.date.today().isoformat())}",
        f"git_commit = {_q(str(git_commit()))}",
        "",
    ]
    for p in design.parameters:
        if p.name not in post.names:
            continue
        q05, q50, q95 = post.quantiles(p.name, QS)
        mean = float(np.average(post.draws[:, post.names.index(p.name)], weights=post.weights))
        lines += [
            f"[posterior.{p.name}]",
            f"q05 = {_num(q05)}",
            f"median = {_num(q50)}",
            f"q95 = {_num(q95)}",
            f"mean = {_num(mean)}",
            f"prior = [{p.lo}, {p.hi}]",
            "",
        ]
    for t in design.targets:
        sim = _column(rows, f"sim_{t.name}")
        q05, q50, q95 = np.quantile(sim, QS)
        lines += [
            f"[fit.{t.name}]",
            f"observed = {_num(t.observed)}",
            f"tolerance = {_num(t.sigma)}",
            f"predictive_q05 = {_num(q05)}",
            f"predictive_median = {_num(q50)}",
            f"predictive_q95 = {_num(q95)}",
            f"median_within_tolerance = {str(abs(q50 - t.observed) <= t.sigma).lower()}",
            "",
        ]
    pop = _column(rows, "population_2023")
    q05, q50, q95 = np.quantile(pop, QS)
    lines += [
        "[predictive_2023]",
        f"population_q05 = {_num(q05)}",
        f"population_median = {_num(q50)}",
        f"population_q95 = {_num(q95)}",
        "",
    ]
    for year in EFFECT_YEARS:
        eff = _column(rows, f"effect_{year}")
        q05, q50, q95 = np.quantile(eff, QS)
        lines += [
            f"[effect.y{year}]",
            'unit = "residents with the package minus without, end of year"',
            f"q05 = {_num(q05)}",
            f"median = {_num(q50)}",
            f"q95 = {_num(q95)}",
            f"mean = {_num(float(eff.mean()))}",
            f"p_above_zero = {_num(float((eff > 0).mean()))}",
            f"p_above_{THRESHOLD} = {_num(float((eff > THRESHOLD).mean()))}",
            "",
        ]
    return "\n".join(lines)


def write_summary(
    post: Posterior, rows: Sequence[Mapping[str, float]], design: Design, seconds: float, path: Path
) -> None:
    atomic_write_text(path, summary(post, rows, design, seconds))


def figure(post: Posterior, rows: Sequence[Mapping[str, float]], design: Design, path: Path) -> None:
    """Marginal posteriors against their priors; the package's effect by year."""
    k = len(post.names)
    fig, axes = plt.subplots(2, (k + 2) // 2, figsize=(3.2 * ((k + 2) // 2), 6.2))
    axes = axes.ravel()
    priors = {p.name: (p.lo, p.hi) for p in design.parameters}
    for ax, name in zip(axes, post.names, strict=False):
        lo, hi = priors[name]
        ax.hist(
            post.draws[:, post.names.index(name)],
            bins=20,
            range=(lo, hi),
            weights=post.weights,
            density=True,
            color="tab:blue",
            alpha=0.7,
            label="posterior",
        )
        ax.axhline(1 / (hi - lo), color="grey", ls="--", label="prior")
        ax.set_title(name, fontsize=9)
    axes[0].legend(fontsize=7)
    ax = axes[k]
    years = sorted(int(key.split("_")[1]) for key in rows[0] if key.startswith("effect_"))
    eff = np.array([[r[f"effect_{y}"] for y in years] for r in rows]) / 1e4
    lo, mid, hi = np.quantile(eff, QS, axis=0)
    ax.fill_between(years, lo, hi, alpha=0.3, label="90 %")
    ax.plot(years, mid, "o-", label="median")
    ax.axhline(0, color="k", lw=0.5)
    ax.set_title("package's effect (10,000 residents)", fontsize=9)
    ax.legend(fontsize=7)
    for extra in axes[k + 1 :]:
        extra.axis("off")
    fig.suptitle(f"ABC-SMC posterior: {post.simulations} simulations at scale {design.run['scale']}", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def run(progress: Callable[[str], None] = print) -> tuple[Posterior, list[dict[str, float]]]:
    """The whole command: posterior, predictive, files and figure (``python -m model calibrate --posterior``)."""
    design = P.load_design()
    r = design.run
    began = time.perf_counter()
    progress(
        f"ABC-SMC: {len(design.parameters)} parameters, {len(design.targets)} targets, "
        f"scale {r['scale']}, {r['population_size']} particles, up to {r['max_generations']} generations"
    )
    post = P.abc_smc(
        design,
        P.observed_values(design),
        r["scale"],
        r["population_size"],
        r["max_generations"],
        r["walltime_minutes"],
        r["processes"],
        r["seed"],
    )
    progress(f"  {len(post.epsilons)} generations, {post.simulations} simulations, {post.seconds:.0f} s")
    rows = P.predictive(post, design, r["scale"], r["predictive_draws"], r["predictive_end"], r["processes"], r["seed"])
    seconds = time.perf_counter() - began
    P.write_draws(post)
    P.write_predictive(rows)
    write_summary(post, rows, design, seconds, P.SUMMARY_FILE)
    figure(post, rows, design, P.HERE.parent.parent / "docs" / "posterior.png")
    return post, rows
