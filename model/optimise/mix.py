"""A mix of measures: the search's decisions as scenario overrides, a stable name, a scenario file.

A candidate's decisions (``Lever`` values) become the overrides of its base scenario: each
listed measure switched on or off, its amounts, and the day it stops taking new beneficiaries
(31 December of its renewal year; the as-issued end when that is the year the package ends).
A measure that is off has no amounts, so two candidates that differ only in the amounts of a
measure they both leave off are the same mix, with the same name and the same stored runs.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from pymoo.core.variable import Binary, Integer, Real, Variable

from model.scenario import load

Mix = dict[str, float]  # lever path -> value, only the levers that apply
RENEWAL = "renewed_until"  # a measure's years in force: the last year it takes new beneficiaries


@dataclass(frozen=True)
class Lever:
    """One decision of the search: a measure switched on or off, an amount, or a renewal year."""

    path: str  # "measures.H1.enabled", "measures.H1.units" or "measures.H1.renewed_until"
    kind: str  # "switch", "integer" or "real"
    low: float = 0.0
    high: float = 1.0

    @property
    def measure(self) -> str:
        return self.path.split(".")[1]

    @property
    def key(self) -> str:
        return self.path.split(".")[2]


class Optimisation(Protocol):
    """What a mix needs of an optimisation (``model.optimise.spec.Optimisation``)."""

    name: str
    scenario: str
    levers: list[Lever]
    always_on: list[str]


def variables(opt: Optimisation) -> dict[str, Variable]:
    """pymoo's mixed variables for the levers: switches, whole numbers (counts, years), reals."""
    out: dict[str, Variable] = {}
    for lever in opt.levers:
        if lever.kind == "switch":
            out[lever.path] = Binary()
        elif lever.kind == "integer":
            out[lever.path] = Integer(bounds=(int(lever.low), int(lever.high)))
        else:
            out[lever.path] = Real(bounds=(lever.low, lever.high))
    return out


def _on(opt: Optimisation, values: dict[str, Any], mid: str) -> bool:
    return mid in opt.always_on or bool(values.get(f"measures.{mid}.enabled", False))


def measures(opt: Optimisation) -> list[str]:
    """The measures the optimisation chooses about, in the file's order."""
    return list(dict.fromkeys(lever.measure for lever in opt.levers) | dict.fromkeys(opt.always_on))


def canonical(opt: Optimisation, values: dict[str, Any]) -> Mix:
    """The levers that apply (a measure off has no amounts), as plain floats, whole numbers rounded."""
    out: Mix = {}
    for lever in opt.levers:
        if lever.kind == "switch":
            out[lever.path] = float(bool(values[lever.path]))
        elif _on(opt, values, lever.measure):
            value = float(values[lever.path])
            out[lever.path] = float(round(value)) if lever.kind == "integer" else value
    return out


def name(mix: Mix) -> str:
    """A short stable name for a mix: a hash of its levers (the runs' file names start with it)."""
    return "m" + hashlib.sha256(json.dumps(mix, sort_keys=True).encode()).hexdigest()[:12]


def renewal_end(year: int, as_issued: str) -> str:
    """The last day a measure renewed to ``year`` takes new beneficiaries."""
    return as_issued if int(as_issued[:4]) == year else f"{year}-12-31"


def overrides(opt: Optimisation, values: dict[str, Any]) -> dict[str, Any]:
    """Scenario overrides of the base for one mix: [measures.<id>] enabled, amounts, end."""
    base = load(opt.scenario)
    out: dict[str, dict[str, Any]] = {}
    for mid in measures(opt):
        cfg: dict[str, Any] = {"enabled": _on(opt, values, mid)}
        if cfg["enabled"]:
            for lever in opt.levers:
                if lever.measure != mid or lever.kind == "switch":
                    continue
                value = float(values[lever.path])
                if lever.key == RENEWAL:
                    cfg["end"] = renewal_end(int(round(value)), base.measure(mid)["end"])
                else:
                    cfg[lever.key] = float(round(value)) if lever.kind == "integer" else value
        out[mid] = cfg
    return {"measures": out}


def from_pymoo(opt: Optimisation, x: dict[str, Any]) -> Mix:
    """A pymoo individual's values (numpy scalars) as a mix."""
    return canonical(opt, {k: (v.item() if isinstance(v, np.generic) else v) for k, v in x.items()})


def scenario_file(opt: Optimisation, mix: Mix, scenario_name: str, comment: str) -> str:
    """The mix as a scenario file extending the base, which `python -m model compare` accepts."""
    lines = [f"# {line}" for line in comment.splitlines()]
    lines += [
        "",
        "[scenario]",
        f'name = "{scenario_name}"',
        f'extends = "{opt.scenario}"',
        f'description = "A mix chosen by the optimisation {opt.name} ({name(mix)})"',
    ]
    for mid, cfg in overrides(opt, mix)["measures"].items():
        lines += ["", f"[measures.{mid}]"]
        for key, value in cfg.items():
            if isinstance(value, bool):
                lines.append(f"{key} = {str(value).lower()}")
            elif isinstance(value, str):
                lines.append(f'{key} = "{value}"')
            else:
                lines.append(f"{key} = {int(value) if value == int(value) else repr(value)}")
    return "\n".join(lines) + "\n"
