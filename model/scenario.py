"""Scenario files: TOML, validated against one schema, able to extend one another.

A scenario is data. ``SCHEMA`` lists every key with its type, bounds, default and meaning;
anything else is refused with a message naming the file, the key and what is allowed. A file
may say ``extends = "baseline"`` (a file name beside it) and override a few values.
"""

from __future__ import annotations

import copy
import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model import params

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class ScenarioError(ValueError):
    """A scenario file that cannot be run; the message names the file and the key."""


@dataclass(frozen=True)
class Key:
    type: type
    meaning: str
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    year_month: bool = False

    def allowed(self) -> str:
        if self.year_month:
            return "a date 'YYYY-MM'"
        text = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}[self.type]
        if self.minimum is not None and self.maximum is not None:
            text += f" from {self.minimum} to {self.maximum}"
        elif self.minimum is not None:
            text += f" of at least {self.minimum}"
        return text + (f" ({self.unit})" if self.unit else "")


def _demography_default(key: str) -> Any:
    return params.value("demography", key)


SCHEMA: dict[str, dict[str, Key]] = {
    "scenario": {
        "name": Key(str, "short name used in results"),
        "description": Key(str, "what the scenario represents", default=""),
        "extends": Key(str, "scenario file (beside this one) whose values this one overrides"),
    },
    "period": {
        "start": Key(str, "first simulated month; the population is the census one", "2020-11", year_month=True),
        "end": Key(str, "last simulated month (inclusive)", "2035-12", year_month=True),
    },
    "run": {
        "scale": Key(float, "agents per person (1 = the whole city)", 0.01, 1e-5, 1.0),
        "seeds": Key(int, "number of replicate runs", 1, 1, 10_000),
        "seed": Key(int, "first seed; replicates use seed, seed+1, ...", 0, 0, 2**63 - 1),
    },
    "demography": {
        "tfr": Key(float, "total fertility rate", _demography_default("tfr"), 0.0, 8.0, "children per woman"),
        "e0_male": Key(float, "male life expectancy at birth", _demography_default("e0_male"), 30.0, 100.0, "years"),
        "e0_female": Key(
            float, "female life expectancy at birth", _demography_default("e0_female"), 30.0, 100.0, "years"
        ),
        "srb": Key(float, "sex ratio at birth", _demography_default("srb"), 80.0, 130.0, "males per 100 females"),
    },
}
CENSUS_MONTH = params.value("population", "census_date")


def month_index(text: str) -> int:
    """Months since year 0 for a 'YYYY-MM' string."""
    year, month = (int(x) for x in YEAR_MONTH.match(text).groups())
    return year * 12 + month - 1


@dataclass
class Scenario:
    name: str
    path: Path | None
    values: dict[str, dict[str, Any]]
    chain: list[str] = field(default_factory=list)

    def __getitem__(self, section: str) -> dict[str, Any]:
        return self.values[section]

    @property
    def start(self) -> str:
        return self.values["period"]["start"]

    @property
    def end(self) -> str:
        return self.values["period"]["end"]

    @property
    def months(self) -> int:
        return month_index(self.end) - month_index(self.start) + 1

    def with_overrides(self, overrides: dict[str, dict[str, Any]], origin: str = "command line") -> Scenario:
        merged = copy.deepcopy(self.values)
        for section, entries in overrides.items():
            for key, value in entries.items():
                if value is not None:
                    merged.setdefault(section, {})[key] = value
        return Scenario(self.name, self.path, validate(merged, origin), self.chain)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path) if self.path else None,
            "extends_chain": self.chain,
            **self.values,
        }


def _suggest(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def validate(raw: dict[str, Any], origin: str) -> dict[str, dict[str, Any]]:
    """Check every key of a merged scenario; fill defaults. ``origin`` names the file."""
    out: dict[str, dict[str, Any]] = {}
    for section, entries in raw.items():
        if section not in SCHEMA:
            raise ScenarioError(
                f"{origin}: unknown section [{section}]{_suggest(section, list(SCHEMA))}; "
                f"allowed sections: {', '.join(SCHEMA)}"
            )
        if not isinstance(entries, dict):
            raise ScenarioError(f"{origin}: '{section}' must be a table [{section}]")
        for key, value in entries.items():
            if value is None:  # TOML has no null: only an unset value passed from code
                continue
            spec = SCHEMA[section].get(key)
            if spec is None:
                allowed = list(SCHEMA[section])
                raise ScenarioError(
                    f"{origin}: unknown key '{section}.{key}'{_suggest(key, allowed)}; "
                    f"allowed keys in [{section}]: {', '.join(allowed)}"
                )
            out.setdefault(section, {})[key] = _check_value(spec, value, f"{origin}: key '{section}.{key}'")
    for section, keys in SCHEMA.items():
        for key, spec in keys.items():
            out.setdefault(section, {}).setdefault(key, spec.default)
    start, end = out["period"]["start"], out["period"]["end"]
    if month_index(end) < month_index(start):
        raise ScenarioError(
            f"{origin}: key 'period.end' ({end}) is before 'period.start' ({start}); end must be on or after start"
        )
    if start != CENSUS_MONTH:
        raise ScenarioError(
            f"{origin}: key 'period.start' is {start}; runs start from the census population, "
            f"so the allowed start is {CENSUS_MONTH}"
        )
    if out["scenario"]["name"] is None:
        raise ScenarioError(f"{origin}: key 'scenario.name' is missing; give the scenario a short name")
    return out


def _check_value(spec: Key, value: Any, where: str) -> Any:
    ok = isinstance(value, spec.type) and not (spec.type is not bool and isinstance(value, bool))
    if spec.type is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise ScenarioError(f"{where} is {value!r} ({type(value).__name__}); allowed: {spec.allowed()}")
    if spec.year_month:
        match = YEAR_MONTH.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ScenarioError(f"{where} is {value!r}; allowed: {spec.allowed()}")
    if (spec.minimum is not None and value < spec.minimum) or (spec.maximum is not None and value > spec.maximum):
        raise ScenarioError(f"{where} is {value!r}; allowed: {spec.allowed()}")
    return value


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file") from None
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{path}: not valid TOML ({err})") from None


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for section, entries in over.items():
        if isinstance(entries, dict) and isinstance(merged.get(section), dict):
            merged[section].update(entries)
        else:
            merged[section] = copy.deepcopy(entries)
    return merged


def resolve_path(name_or_path: str | Path) -> Path:
    """A scenario given by path, or by name in scenarios/."""
    path = Path(name_or_path)
    if path.suffix != ".toml" and not path.exists():
        path = SCENARIO_DIR / f"{name_or_path}.toml"
    return path


def _load_raw(path: Path, seen: tuple[Path, ...]) -> tuple[dict[str, Any], list[str]]:
    path = path.resolve()
    if path in seen:
        cycle = " -> ".join(p.name for p in (*seen, path))
        raise ScenarioError(f"{path}: key 'scenario.extends' makes a cycle: {cycle}")
    raw = _read(path)
    validate(raw, str(path))  # each file must be valid on its own, so errors name the right file
    parent_name = raw.get("scenario", {}).get("extends")
    if parent_name is None:
        return raw, [str(path)]
    parent_path = path.parent / (parent_name if parent_name.endswith(".toml") else f"{parent_name}.toml")
    if not parent_path.exists():
        raise ScenarioError(f"{path}: key 'scenario.extends' names '{parent_name}', but {parent_path} does not exist")
    parent, chain = _load_raw(parent_path, (*seen, path))
    child = copy.deepcopy(raw)
    child["scenario"].pop("extends")
    child["scenario"].setdefault("description", "")
    return _merge(parent, child), [*chain, str(path)]


def load(name_or_path: str | Path) -> Scenario:
    """Load, merge along ``extends`` and validate a scenario."""
    path = resolve_path(name_or_path)
    raw, chain = _load_raw(path, ())
    values = validate(raw, str(path))
    values["scenario"]["extends"] = None
    return Scenario(values["scenario"]["name"], path, values, chain)
