"""Experiment files: which scenario to vary, the levers and uncertain parameters, the design.

An experiment is data, like a scenario (TOML in ``scenarios/experiments/``)::

    [experiment]
    name = "loans_and_rental"
    scenario = "policy_2022"      # what each point modifies
    against = "baseline"          # counterfactual with the same seeds (optional)
    design = "full_factorial"     # full_factorial | latin_hypercube | sobol | morris
    seeds = 2
    scale = 0.01
    end = "2035-12"

    [levers]                      # lists of values (factorial) or [low, high] ranges (sampled)
    "measures.H3.loan_limit_single" = [300000, 400000, 500000]

    [uncertain]                   # [low, high] ranges
    "behaviour.beta_income" = [1.0, 2.5]

Every parameter path is checked against the scenario schema; mistakes are refused with the file,
the key and what is allowed.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model.calendar import CENSUS_MONTH, month_index
from model.runs.replicates import Draw, Replicates
from model.scenario import (
    NAME,
    SCENARIO_DIR,
    Key,
    ScenarioError,
    check_name,
    check_value,
    load,
    measure_specs,
    read_toml,
    schema,
    unknown_name,
)

DESIGNS = ("full_factorial", "latin_hypercube", "sobol", "morris")
OUTCOMES = (
    "population_2030",
    "population_2035",
    "extra_population_2030",
    "extra_population_2035",
    "cost_2035",
    "cost_per_additional_resident_2035",
    "cost_per_discounted_resident_year_2035",
    "deadweight_share_2035",
)
EXPERIMENT_KEYS = {
    "name": str,
    "description": str,
    "scenario": str,
    "against": str,
    "design": str,
    "samples": int,
    "seeds": int,
    "seed": int,
    "scale": float,
    "end": str,
    "outcomes": list,
    "levels": int,
    "posterior_draws": int,
}


# As many parameter sets as a scenario's run.posterior_draws allows.
MAX_DRAWS = int(schema()["run"]["posterior_draws"].maximum or 0)


@dataclass
class Experiment:
    name: str
    path: Path
    scenario: str
    against: str | None
    design: str
    seeds: int
    seed: int
    scale: float
    end: str
    samples: int
    levels: int
    outcomes: list[str]
    levers: dict[str, list[float]] = field(default_factory=dict)
    uncertain: dict[str, list[float]] = field(default_factory=dict)
    description: str = ""
    # Parameter sets from the calibration's posterior each point is run with, over the seeds;
    # ``draws`` are those sets, resolved by the caller (model.api.load_experiment).
    posterior_draws: int = 0
    draws: tuple[Draw, ...] = ()

    @property
    def parameters(self) -> dict[str, list[float]]:
        """Every varied parameter path with its values (factorial) or range (sampled)."""
        return {**self.levers, **self.uncertain}

    def content(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("path", "draws")}

    def replicates(self) -> Replicates:
        """The seeds of every point, and the parameter set each runs with (model.runs.replicates)."""
        if len(self.draws) != self.posterior_draws:
            raise ValueError(
                f"experiment {self.name}: posterior_draws is {self.posterior_draws} but {len(self.draws)} draws are "
                "resolved; load it with model.api.load_experiment"
            )
        return Replicates(self.seed, self.seeds, self.draws)


def validate(exp: Experiment, where: str) -> Experiment:
    """Checks that do not depend on how the experiment was written (file or API)."""
    check_name(exp.name, f"{where}: key 'experiment.name'")
    if exp.design not in DESIGNS:
        raise ScenarioError(f"{where}: key 'experiment.design' is {exp.design!r}; allowed: {', '.join(DESIGNS)}")
    end = check_value(schema()["period"]["end"], exp.end, f"{where}: key 'experiment.end'")
    if month_index(end) < month_index(CENSUS_MONTH):
        raise ScenarioError(
            f"{where}: key 'experiment.end' is {end}, before the first month {CENSUS_MONTH}; "
            f"allowed: a month 'YYYY-MM' from {CENSUS_MONTH}"
        )
    if exp.seeds < 1 or not 0 < exp.scale <= 1 or exp.samples < 1 or exp.levels < 2 or exp.seed < 0:
        raise ScenarioError(
            f"{where}: seeds and samples must be at least 1, levels at least 2, seed at least 0 and scale in (0, 1]"
        )
    if not 0 <= exp.posterior_draws <= MAX_DRAWS:
        raise ScenarioError(
            f"{where}: key 'experiment.posterior_draws' is {exp.posterior_draws}; allowed: 0 to {MAX_DRAWS}"
        )
    drawn = {f"{section}.{key}" for d in exp.draws[:1] for section, keys in d.settings.items() for key in keys}
    drawn_and_varied = sorted(drawn & set(exp.parameters))
    if drawn_and_varied:
        raise ScenarioError(
            f"{where}: {', '.join(drawn_and_varied)} is varied and also set by the posterior draws; allowed: vary "
            "only parameters the posterior does not estimate (its own move along the posterior), or posterior_draws = 0"
        )
    if exp.design == "sobol" and exp.samples & (exp.samples - 1):
        raise ScenarioError(f"{where}: key 'experiment.samples' is {exp.samples}; a Sobol design needs a power of 2")
    if any(o.startswith(("extra", "cost", "deadweight")) for o in exp.outcomes) and not exp.against:
        raise ScenarioError(f"{where}: outcomes about extra residents, cost or deadweight need 'experiment.against'")
    if exp.against and exp.against == exp.scenario:
        raise ScenarioError(f"{where}: 'experiment.against' must differ from 'experiment.scenario'")
    for table, name in ((exp.levers, "levers"), (exp.uncertain, "uncertain")):
        for key, value in table.items():
            spec = check_path(key, f"{where}: key '{name}.{key}'")
            check_numbers(
                value, f"{where}: key '{name}.{key}'", exp.design != "full_factorial" or name == "uncertain", spec
            )
    both = set(exp.levers) & set(exp.uncertain)
    if both:
        raise ScenarioError(f"{where}: {', '.join(sorted(both))} is both a lever and uncertain; give it once")
    for name in exp.outcomes:
        if name not in OUTCOMES:
            raise ScenarioError(f"{where}: key 'experiment.outcomes' has {name!r}; allowed: {', '.join(OUTCOMES)}")
    return exp


# Sections a run takes from its scenario and that an experiment may vary; [run] and [period] come
# from the experiment itself (seeds, scale, end) and [scenario] only names it.
VARIABLE_SECTIONS = ("demography", "behaviour", "conditions", "policy", "measures")


def check_path(path: str, where: str) -> Key:
    """The scenario key a lever or uncertain parameter names; only numbers a run uses may vary."""
    parts = path.split(".")
    sch = schema()
    if parts[0] in sch and parts[0] not in VARIABLE_SECTIONS:
        raise ScenarioError(
            f"{where}: '{path}' cannot vary (the experiment sets [{parts[0]}] itself: seeds, scale, end); "
            f"allowed: keys in {', '.join(VARIABLE_SECTIONS)}"
        )
    if parts[0] == "measures":
        specs = measure_specs()
        if len(parts) != 3 or parts[1] not in specs or parts[2] not in specs[parts[1]]["keys"]:
            allowed = (
                ", ".join(specs) if len(parts) < 2 or parts[1] not in specs else ", ".join(specs[parts[1]]["keys"])
            )
            raise ScenarioError(
                f"{where}: '{path}' is not a measure parameter; allowed: measures.<id>.<key> with {allowed}"
            )
        spec = specs[parts[1]]["keys"][parts[2]]
    elif len(parts) != 2 or parts[0] not in sch or parts[1] not in sch[parts[0]]:
        section = sch.get(parts[0], {})
        allowed = ", ".join(f"{parts[0]}.{k}" for k in section) if section else ", ".join(VARIABLE_SECTIONS)
        raise ScenarioError(f"{where}: '{path}' is not a scenario key; allowed: {allowed}")
    else:
        spec = sch[parts[0]][parts[1]]
    if spec.type is not float:
        raise ScenarioError(f"{where}: '{path}' is {spec.allowed()}; allowed: only single numbers may vary")
    return spec


def check_numbers(value: Any, where: str, pair: bool, spec: Key) -> list[float]:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise ScenarioError(f"{where} is {value!r}; allowed: a list of numbers")
    if pair and (len(value) != 2 or not value[0] < value[1]):
        raise ScenarioError(f"{where} is {value!r}; allowed: a range [low, high] with low < high")
    # Every value (or both ends of a range) must be in the key's domain; a sampled range of a
    # whole-number key is drawn from, so only its ends' bounds are checked.
    check = dataclasses.replace(spec, integer=False) if pair else spec
    for v in value:
        check_value(check, v, where)
    return [float(v) for v in value]


def load_experiment(path: str | Path) -> Experiment:
    original = path = Path(path)
    try:
        if NAME.match(str(path)) and path.suffix != ".toml" and not path.exists():
            path = SCENARIO_DIR / "experiments" / f"{path}.toml"
    except (OSError, ValueError):  # a null byte or an over-long name: read_toml says so
        pass
    if path != Path(original) and not path.exists():
        raise unknown_name(str(original), SCENARIO_DIR / "experiments", "experiment")
    raw = read_toml(path, "experiment")
    for section in raw:
        if section not in ("experiment", "levers", "uncertain"):
            raise ScenarioError(f"{path}: unknown section [{section}]; allowed sections: experiment, levers, uncertain")
    head = raw.get("experiment", {})
    for key, value in head.items():
        if key not in EXPERIMENT_KEYS:
            raise ScenarioError(f"{path}: unknown key 'experiment.{key}'; allowed: {', '.join(EXPERIMENT_KEYS)}")
        typ = EXPERIMENT_KEYS[key]
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if (
            (typ in (int, float) and not number)
            or (typ is int and not isinstance(value, int))
            or (typ not in (int, float) and not isinstance(value, typ))
            or (number and not math.isfinite(value))
        ):
            allowed = {int: "an integer", float: "a finite number", str: "a string", list: "a list"}[typ]
            raise ScenarioError(f"{path}: key 'experiment.{key}' is {value!r}; allowed: {allowed}")
    for key in ("name", "scenario"):
        if key not in head:
            raise ScenarioError(f"{path}: key 'experiment.{key}' is missing")
    check_name(head["name"], f"{path}: key 'experiment.name'")
    design = head.get("design", "full_factorial")
    if design not in DESIGNS:
        raise ScenarioError(f"{path}: key 'experiment.design' is {design!r}; allowed: {', '.join(DESIGNS)}")
    outcomes = head.get("outcomes", list(OUTCOMES))
    for name in outcomes:
        if name not in OUTCOMES:
            raise ScenarioError(f"{path}: key 'experiment.outcomes' has {name!r}; allowed: {', '.join(OUTCOMES)}")
    levers, uncertain = raw.get("levers", {}), raw.get("uncertain", {})
    sampled = design != "full_factorial"
    for table, name in ((levers, "levers"), (uncertain, "uncertain")):
        for key, value in table.items():
            spec = check_path(key, f"{path}: key '{name}.{key}'")
            table[key] = check_numbers(value, f"{path}: key '{name}.{key}'", sampled or name == "uncertain", spec)
    if design == "full_factorial" and uncertain:
        raise ScenarioError(
            f"{path}: [uncertain] needs a sampling design (latin_hypercube, sobol or morris), not full_factorial"
        )
    if not levers and not uncertain:
        raise ScenarioError(f"{path}: nothing to vary; give [levers] or [uncertain]")
    for key in ("scenario", "against"):
        if head.get(key):
            try:
                load(head[key])  # a missing or bad scenario is refused here, before any run
            except ScenarioError as err:
                raise ScenarioError(f"{path}: key 'experiment.{key}': {err}") from None
    exp = Experiment(
        name=head["name"],
        path=path,
        scenario=head["scenario"],
        against=head.get("against"),
        design=design,
        seeds=head.get("seeds", 1),
        seed=head.get("seed", 0),
        scale=float(head.get("scale", 0.01)),
        end=head.get("end", "2035-12"),
        samples=head.get("samples", 16),
        levels=head.get("levels", 4),
        outcomes=list(outcomes),
        levers=levers,
        uncertain=uncertain,
        description=head.get("description", ""),
        posterior_draws=head.get("posterior_draws", 0),
    )
    return validate(exp, str(path))
