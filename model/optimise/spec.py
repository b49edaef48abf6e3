"""Optimisation files: which measures may vary and how, the yearly budget, the objective, the
robustness rule and the scenario discovery, validated like scenario and experiment files.

An optimisation is data (TOML in ``scenarios/optimisations/``)::

    [optimisation]
    name = "budget_2030"
    scenario = "baseline"          # the mix's base: measures not listed below stay as there
    against = "baseline"           # the counterfactual, same draws and seeds
    end = "2030-12"                # the horizon
    population = 24                # NSGA-II: candidates a generation
    generations = 12

    [budget]
    yearly = 5.0e8                 # yuan a year
    rule = "every_year"            # every_year | average

    [objective]
    outcome = "extra_population"   # extra_population | discounted_resident_years
    robustness = "quantile"        # mean | quantile | worst
    quantile = 0.1

    [measures.H1]                  # may be switched on (optional = false: always on)
    units = [0, 20000]             # an amount between the bounds
    renewed_until = [2023, 2030]   # the last year it takes new beneficiaries

    [discovery]                    # scenario discovery for the chosen mix (--discover)
    samples = 64
    pays_off_below = 200000        # yuan per additional resident

    [discovery.uncertain]
    "behaviour.policy_response" = [0.0, 2.0]

Mistakes are refused with one line naming the file, the key and what is allowed; every bound
must lie in the scenario schema's domain of its key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model.calendar import CENSUS_MONTH, month_index
from model.experiments.spec import check_numbers, check_path
from model.optimise.mix import RENEWAL, Lever, overrides
from model.scenario import (
    NAME,
    SCENARIO_DIR,
    ScenarioError,
    check_name,
    check_value,
    load,
    measure_specs,
    read_toml,
    resolve_path,
    schema,
    unknown_name,
)

FOLDER = SCENARIO_DIR / "optimisations"
OUTCOMES = ("extra_population", "discounted_resident_years")
ROBUSTNESS = ("mean", "quantile", "worst")
BUDGET_RULES = ("every_year", "average")
MEASURE_CHOICES = ("optional", RENEWAL)

# Each section's keys: type, default (None: required), and for numbers the allowed range
# (lowest, highest, whether the lowest is excluded).
Number = tuple[type, Any, float | None, float | None, bool]
SECTIONS: dict[str, dict[str, Number]] = {
    "optimisation": {
        "name": (str, None, None, None, False),
        "description": (str, "", None, None, False),
        "scenario": (str, None, None, None, False),
        "against": (str, "baseline", None, None, False),
        "end": (str, "2030-12", None, None, False),
        "scale": (float, 0.01, 0, 1, True),
        "seeds": (int, 1, 1, None, False),
        "seed": (int, 0, 0, None, False),
        "posterior_draws": (int, 0, 0, None, False),
        "population": (int, 24, 4, None, False),
        "generations": (int, 12, 1, None, False),
        "search_seed": (int, 0, 0, None, False),
    },
    "budget": {
        "yearly": (float, None, 0, None, True),
        "rule": (str, "every_year", None, None, False),
        "quantile": (float, 0.9, 0, 1, False),
        "shares": (list, [0.25, 0.5, 0.75, 1.0], None, None, False),
    },
    "objective": {
        "outcome": (str, "extra_population", None, None, False),
        "year": (int, 0, None, None, False),  # 0: the horizon's last year
        "robustness": (str, "quantile", None, None, False),
        "quantile": (float, 0.1, 0, 1, False),
    },
    "discovery": {
        "samples": (int, 64, 2, None, False),
        "seeds": (int, 1, 1, None, False),
        "seed": (int, 0, 0, None, False),
        "pays_off_below": (float, None, 0, None, True),
        "threshold": (float, 0.8, 0, 1, True),
        "peel_alpha": (float, 0.05, 0, 0.5, True),
        "uncertain": (dict, None, None, None, False),
    },
}


@dataclass
class Discovery:
    samples: int
    seeds: int
    seed: int
    pays_off_below: float
    threshold: float
    peel_alpha: float
    uncertain: dict[str, list[float]]


@dataclass
class Optimisation:
    name: str
    path: Path
    scenario: str
    against: str
    end: str
    scale: float
    seeds: int
    seed: int
    posterior_draws: int
    population: int
    generations: int
    search_seed: int
    budget: float
    budget_rule: str
    budget_quantile: float
    shares: list[float]
    outcome: str
    year: int
    robustness: str
    quantile: float
    levers: list[Lever]
    always_on: list[str] = field(default_factory=list)
    discovery: Discovery | None = None
    description: str = ""

    @property
    def objective_year(self) -> int:
        """The year the objective is read in: ``year``, or (0) the horizon's last year."""
        return self.year or int(self.end[:4])

    @property
    def draws(self) -> int:
        """Parameter draws each candidate is run with (1 with no posterior draws: the estimates)."""
        return max(self.posterior_draws, 1)

    def content(self) -> dict[str, Any]:
        """Everything the file says (for the manifest and the results directory's hash)."""
        out = {k: v for k, v in self.__dict__.items() if k not in ("path", "levers", "discovery")}
        out["levers"] = [lever.__dict__ for lever in self.levers]
        out["discovery"] = self.discovery.__dict__ if self.discovery else None
        return out


def _section(raw: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    """One section's values with its defaults, each checked against ``SECTIONS``."""
    table = raw.get(name, {})
    if not isinstance(table, dict):
        raise ScenarioError(f"{where}: '{name}' must be a table [{name}]")
    keys = SECTIONS[name]
    out = {}
    for key, value in table.items():
        if key not in keys:
            raise ScenarioError(f"{where}: unknown key '{name}.{key}'; allowed: {', '.join(keys)}")
        typ, _, low, high, open_low = keys[key]
        number = isinstance(value, int | float) and not isinstance(value, bool)
        ok = (
            (typ is float and number)
            or (typ is int and isinstance(value, int) and not isinstance(value, bool))
            or (typ in (str, list, dict) and isinstance(value, typ))
        )
        if ok and number:
            ok = math.isfinite(value) and not (
                (low is not None and (value <= low if open_low else value < low)) or (high is not None and value > high)
            )
        if not ok:
            kind = {int: "a whole number", float: "a number", str: "a string", list: "a list", dict: "a table"}[typ]
            if low is not None:
                kind += f" {'above' if open_low else 'of at least'} {low:g}"
            if high is not None:
                kind += f" and at most {high:g}"
            raise ScenarioError(f"{where}: key '{name}.{key}' is {value!r}; allowed: {kind}")
        out[key] = float(value) if typ is float else value
    for key, (_, default, *_rest) in keys.items():
        if key not in out:
            if default is None and name != "discovery":
                raise ScenarioError(f"{where}: key '{name}.{key}' is missing")
            out[key] = default
    return out


def _choice(value: str, allowed: tuple[str, ...], label: str, where: str) -> str:
    if value not in allowed:
        raise ScenarioError(f"{where}: key '{label}' is {value!r}; allowed: {', '.join(allowed)}")
    return value


def _levers(measures: Any, base_start_year: int, where: str) -> tuple[list[Lever], list[str]]:
    """The search's decisions from [measures.<id>]: a switch unless ``optional = false``, an
    amount for each ``key = [low, high]`` (in the key's domain), a renewal year range."""
    if not isinstance(measures, dict) or not measures:
        raise ScenarioError(f"{where}: nothing to choose; give at least one [measures.<id>]")
    specs = measure_specs()
    levers, always_on = [], []
    for mid, table in measures.items():
        if mid not in specs:
            raise ScenarioError(
                f"{where}: unknown measure id '{mid}' in [measures.{mid}]; allowed ids: {', '.join(specs)}"
            )
        if not isinstance(table, dict):
            raise ScenarioError(f"{where}: 'measures.{mid}' must be a table [measures.{mid}]")
        optional = table.get("optional", True)
        if not isinstance(optional, bool):
            raise ScenarioError(f"{where}: key 'measures.{mid}.optional' is {optional!r}; allowed: true or false")
        if optional:
            levers.append(Lever(f"measures.{mid}.enabled", "switch"))
        else:
            always_on.append(mid)
        for key, value in table.items():
            label = f"measures.{mid}.{key}"
            if key == "optional":
                continue
            if key == RENEWAL:
                if (
                    not isinstance(value, list)
                    or len(value) != 2
                    or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
                    or not base_start_year <= value[0] < value[1]
                ):
                    raise ScenarioError(
                        f"{where}: key '{label}' is {value!r}; allowed: [first, last] whole years with "
                        f"{base_start_year} (the package's start) <= first < last"
                    )
                levers.append(Lever(label, "integer", float(value[0]), float(value[1])))
                continue
            if key in ("enabled", "start", "end"):
                amounts = ", ".join(k for k in specs[mid]["keys"] if k not in ("enabled", "start", "end"))
                raise ScenarioError(
                    f"{where}: key '{label}' cannot be chosen; allowed: 'optional', '{RENEWAL}' and the "
                    f"measure's amounts ({amounts})"
                )
            spec = check_path(label, f"{where}: key '{label}'")
            low, high = check_numbers(value, f"{where}: key '{label}'", True, spec)
            if spec.integer and (low != int(low) or high != int(high)):
                raise ScenarioError(
                    f"{where}: key '{label}' is {value!r}; allowed: whole-number bounds ({spec.allowed()})"
                )
            levers.append(Lever(label, "integer" if spec.integer else "real", low, high))
    return levers, always_on


def _discovery(table: Any, where: str) -> Discovery | None:
    if table is None:
        return None
    values = _section({"discovery": table}, "discovery", where)
    if values["pays_off_below"] is None:
        raise ScenarioError(f"{where}: key 'discovery.pays_off_below' is missing (yuan per additional resident)")
    uncertain = values["uncertain"]
    if not uncertain:
        raise ScenarioError(f"{where}: key 'discovery.uncertain' is missing; give [discovery.uncertain] ranges")
    checked = {}
    for key, value in uncertain.items():
        label = f"{where}: key 'discovery.uncertain.{key}'"
        if key.startswith("measures."):
            raise ScenarioError(
                f"{label}: the mix's measures are chosen, not uncertain; allowed: keys of "
                "demography, behaviour, conditions"
            )
        checked[key] = check_numbers(value, label, True, check_path(key, label))
    return Discovery(**{**values, "uncertain": checked})


def validate(opt: Optimisation, where: str) -> Optimisation:
    """Checks that do not depend on how the optimisation was written (file or API settings)."""
    check_name(opt.name, f"{where}: key 'optimisation.name'")
    end = check_value(schema()["period"]["end"], opt.end, f"{where}: key 'optimisation.end'")
    if month_index(end) < month_index(CENSUS_MONTH):
        raise ScenarioError(
            f"{where}: key 'optimisation.end' is {end}, before the first month {CENSUS_MONTH}; "
            f"allowed: a month 'YYYY-MM' from {CENSUS_MONTH}"
        )
    if opt.name == opt.against:
        raise ScenarioError(f"{where}: key 'optimisation.name' must differ from 'optimisation.against' ({opt.against})")
    if not (0 < opt.scale <= 1 and opt.seeds >= 1 and opt.population >= 4 and opt.generations >= 1):
        raise ScenarioError(
            f"{where}: scale must be in (0, 1], seeds and generations at least 1, population at least 4"
        )
    horizon = int(opt.end[:4])
    start_year = int(load(opt.scenario)["policy"]["start"][:4])
    if not start_year <= opt.objective_year <= horizon:
        raise ScenarioError(
            f"{where}: key 'objective.year' is {opt.objective_year}; allowed: a year from {start_year} (the package's "
            f"start) to {horizon} (the horizon, optimisation.end)"
        )
    if not opt.shares or not all(isinstance(s, float) and 0 < s <= 1 for s in opt.shares):
        raise ScenarioError(
            f"{where}: key 'budget.shares' is {opt.shares!r}; allowed: a list of shares above 0 and at most 1"
        )
    return opt


def _base(name: str, key: str, where: str) -> str:
    """A shipped scenario's name: the chosen mixes are written as files that extend it."""
    if not isinstance(name, str) or not NAME.match(name) or not resolve_path(name).exists():
        raise ScenarioError(
            f"{where}: key 'optimisation.{key}' is {name!r}; allowed: the name of a scenario in {SCENARIO_DIR}"
        )
    try:
        load(name)
    except ScenarioError as err:
        raise ScenarioError(f"{where}: key 'optimisation.{key}': {err}") from None
    return name


def _check_extremes(opt: Optimisation, where: str) -> None:
    """Every lever at its low and at its high bound, all measures on, makes a valid scenario
    (keys bounded by others, as a rate by its bound, are checked together here)."""
    for end in ("low", "high"):
        values = {lever.path: (1.0 if lever.kind == "switch" else getattr(lever, end)) for lever in opt.levers}
        try:
            load(opt.scenario).with_overrides(
                overrides(opt, values), origin=f"{where} (every lever at its {end} bound)"
            )
        except ScenarioError as err:
            raise ScenarioError(str(err)) from None


def load_optimisation(path: str | Path) -> Optimisation:
    """Read and check an optimisation file (a path, or a name in scenarios/optimisations/)."""
    original = path = Path(path)
    try:
        if NAME.match(str(path)) and path.suffix != ".toml" and not path.exists():
            path = FOLDER / f"{path}.toml"
    except (OSError, ValueError):  # a null byte or an over-long name: read_toml says so
        pass
    if path != original and not path.exists():
        raise unknown_name(str(original), FOLDER, "optimisation")
    raw = read_toml(path, "optimisation")
    where = str(path)
    allowed = ("optimisation", "budget", "objective", "measures", "discovery")
    for section in raw:
        if section not in allowed:
            raise ScenarioError(f"{where}: unknown section [{section}]; allowed sections: {', '.join(allowed)}")
    head = _section(raw, "optimisation", where)
    check_name(head["name"], f"{where}: key 'optimisation.name'")
    for key in ("scenario", "against"):
        _base(head[key], key, where)
    budget = _section(raw, "budget", where)
    objective = _section(raw, "objective", where)
    _choice(budget["rule"], BUDGET_RULES, "budget.rule", where)
    _choice(objective["outcome"], OUTCOMES, "objective.outcome", where)
    _choice(objective["robustness"], ROBUSTNESS, "objective.robustness", where)
    start_year = int(load(head["scenario"])["policy"]["start"][:4])
    levers, always_on = _levers(raw.get("measures"), start_year, where)
    end = check_value(schema()["period"]["end"], head["end"], f"{where}: key 'optimisation.end'")
    opt = Optimisation(
        name=head["name"],
        path=path,
        scenario=head["scenario"],
        against=head["against"],
        end=end,
        scale=head["scale"],
        seeds=head["seeds"],
        seed=head["seed"],
        posterior_draws=head["posterior_draws"],
        population=head["population"],
        generations=head["generations"],
        search_seed=head["search_seed"],
        budget=budget["yearly"],
        budget_rule=budget["rule"],
        budget_quantile=budget["quantile"],
        shares=[float(s) if isinstance(s, int | float) and not isinstance(s, bool) else s for s in budget["shares"]],
        outcome=objective["outcome"],
        year=objective["year"],
        robustness=objective["robustness"],
        quantile=objective["quantile"],
        levers=levers,
        always_on=always_on,
        discovery=_discovery(raw.get("discovery"), where),
        description=head["description"],
    )
    validate(opt, where)
    _check_extremes(opt, where)
    return opt
