"""Which results directory an experiment's runs belong to: a hash of everything that decides
their numbers, so a rerun resumes and any change starts afresh."""

from __future__ import annotations

import hashlib
import json

from model.experiments.design import points
from model.experiments.spec import Experiment
from model.runs.results import code_digest
from model.scenario import load


def digest(exp: Experiment) -> str:
    """A short hash of everything that decides the runs' numbers: the design's points in order,
    the seeds, scale and period, the fully resolved scenarios (calibrated defaults included)
    and the model's code and data. The same experiment gets the same results directory, so a
    rerun resumes; any change gets a new one, so nothing earlier is mixed in or overwritten.
    Outcomes and the description are computed or shown from the runs, so they are left out."""
    decides = {
        "names": list(exp.parameters),
        "points": points(exp).round(12).tolist(),
        "design": exp.design,
        "seeds": exp.seeds,
        "seed": exp.seed,
        "scale": exp.scale,
        "end": exp.end,
        "scenario": load(exp.scenario).values,
        "against": load(exp.against).values if exp.against else None,
        "uncertain": list(exp.uncertain),
        # The posterior's parameter sets, if any (a new posterior is a new experiment).
        "draws": [[d.particle, dict(d.values)] for d in exp.draws],
        "code": code_digest(),
    }
    return hashlib.sha256(json.dumps(decides, sort_keys=True, default=str).encode()).hexdigest()[:8]
