"""Parameter sets drawn from the posterior, for planners' runs (issue 15).

The Bayesian calibration (``posterior.py``) leaves weighted particles in ``posterior.csv``. A run
with ``[run] posterior_draws = D`` and ``seeds = S`` has D x S replicates: replicate r (seed
``seed + r``) runs with draw ``r // S``, so every draw is run over S seeds and its counterfactual
with the same draw and seed (common random numbers). The draws are a systematic resample of the
particles by weight from a fixed stream (``draw_seed`` in ``posterior_priors.toml`` [run]), so
the same D gives the same parameter sets everywhere (a larger D is a new resample, not an
extension of a smaller one).
The 5-95 % range over the replicates then carries both parameter uncertainty (as far as the
data narrow it) and chance.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from model.calibration.posterior import DRAWS_FILE, PRIORS_FILE, load_design, read_draws
from model.runs.replicates import Draw, Replicates


def draw_seed() -> int:
    """The stream the draws are resampled from (``posterior_priors.toml`` [run] draw_seed)."""
    with PRIORS_FILE.open("rb") as fh:
        return int(tomllib.load(fh)["run"]["draw_seed"])


@cache
def posterior_draws(n: int, path: Path = DRAWS_FILE) -> tuple[Draw, ...]:
    """``n`` parameter sets: a systematic resample of the posterior's particles by weight (each
    particle appears about n x weight times; less noise than drawing them independently)."""
    if n < 1:
        return ()
    names, particles, weights = read_draws(path)
    rng = np.random.default_rng(draw_seed())
    points = (rng.random() + np.arange(n)) / n
    picks = np.minimum(np.searchsorted(np.cumsum(weights), points), len(weights) - 1)
    # Shuffled, so that the first draws of a run are not all the lightest particles.
    picks = rng.permutation(picks)
    design = load_design()
    expected = [p.name for p in design.parameters]
    if names != expected:
        raise ValueError(
            f"{path}: its parameters are {', '.join(names)} but {PRIORS_FILE.name} has {', '.join(expected)}; "
            "rerun python -m model calibrate --posterior"
        )

    def draw(number: int, particle: int) -> Draw:
        values = dict(zip(names, map(float, particles[particle]), strict=True))
        settings: dict[str, dict[str, Any]] = {}
        for p in design.parameters:
            for section, keys in p.overrides(values[p.name]).items():
                settings.setdefault(section, {}).update(keys)
        return Draw(number, particle, values, settings, path.name)

    return tuple(draw(i, int(p)) for i, p in enumerate(picks))


def fingerprint(path: Path = DRAWS_FILE) -> str:
    """A hash of the posterior file the draws come from (recorded in run manifests)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def replicates(run: Mapping[str, Any], path: Path = DRAWS_FILE) -> Replicates:
    """The replicates a scenario's [run] section asks for (``model.runs.replicates``)."""
    draws = posterior_draws(int(run.get("posterior_draws", 0)), path)
    provenance = {"posterior_file": path.name, "posterior_sha256": fingerprint(path)} if draws else {}
    return Replicates(int(run["seed"]), int(run["seeds"]), draws, provenance)
