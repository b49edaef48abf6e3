"""Scenario files: TOML, validated against one schema, able to extend one another.

A scenario is data. ``schema()`` lists every key with its type, bounds, default and meaning;
anything else is refused with one line naming the file, the key and what is allowed. A file may
say ``extends = "baseline"`` (a file beside it) and override a few values. Defaults come from
the sourced data files (``model/data/*.toml``), so a number lives in one place.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import difflib
import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from model import coefficients, params
from model.calendar import CENSUS_MONTH, month_index

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})\Z", re.ASCII)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z", re.ASCII)
# Names go into results paths: letters, digits, '_', '-' and '.', not starting with '.'.
NAME_MAX = 64
NAME = re.compile(rf"[A-Za-z0-9_-][A-Za-z0-9_.-]{{0,{NAME_MAX - 1}}}\Z", re.ASCII)
NAME_RULE = f"letters, digits, '_', '-' and '.' (not first), at most {NAME_MAX} characters"
EXTENDS_DEPTH = 16  # the longest chain of ``extends``
DESTINATIONS = params.value("regions", "destinations")


def check_name(name: Any, where: str) -> str:
    """A name safe to put in a results path (``NAME_RULE``), or a ``ScenarioError``."""
    if not isinstance(name, str) or not NAME.match(name):
        shown = repr(name) if len(repr(name)) <= 80 else repr(name)[:77] + "..."
        raise ScenarioError(f"{where} is {shown}; allowed: {NAME_RULE}")
    return name


class ScenarioError(ValueError):
    """A scenario file that cannot be run; the message names the file and the key."""


# Domains a data-file entry may declare with ``kind = ...`` (next to its ``value``); ``min``,
# ``max``, ``above`` (a strict lower bound), ``integer = true`` and ``at_most = "<section>.<key>"``
# (no more than another key's value) may be given too, and win over the kind's own bounds.
KINDS: dict[str, dict[str, Any]] = {
    "share": {"minimum": 0, "maximum": 1},
    "month": {"minimum": 1, "maximum": 12, "integer": True},
    "count": {"minimum": 0, "integer": True},  # needs a "max" of its own: a plausible bound
    "range": {"ordered": True},  # a [low, high] list with low <= high
}


@dataclass(frozen=True)
class Key:
    type: type
    meaning: str
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    kind: str = ""  # "year_month", "date", a data kind (KINDS) or ""
    length: int = 0  # for lists, the length
    above: float | None = None  # strict lower bound
    integer: bool = False  # whole numbers only (kept as floats, as 3000.0)
    ordered: bool = False  # lists: each item at least the one before
    at_most: str = ""  # "<section>.<key>": no more than that key's value

    def allowed(self) -> str:
        if self.kind == "year_month":
            return "a month 'YYYY-MM'"
        if self.kind == "date":
            return "a date 'YYYY-MM-DD'"
        if self.kind == "name":
            return NAME_RULE
        number = "a whole number" if self.integer else "a number"
        base = {bool: "true or false", int: "an integer", float: number, str: "a string", list: "a list"}[self.type]
        if self.type is list:
            base = f"a list of {self.length} {'whole numbers' if self.integer else 'numbers'}"
            if self.ordered:
                base += " in order (low, high)"
        if self.above is not None and self.maximum is not None:
            base += f" above {self.above} and at most {self.maximum}"
        elif self.above is not None:
            base += f" above {self.above}"
        elif self.minimum is not None and self.maximum is not None:
            base += f" from {self.minimum} to {self.maximum}"
        elif self.minimum is not None:
            base += f" of at least {self.minimum}"
        elif self.maximum is not None:
            base += f" of at most {self.maximum}"
        if self.at_most:
            base += f", no more than '{self.at_most}'"
        if self.type in (int, float, list) and self.maximum is None:
            base += ", finite"
        return base + (f" ({self.unit})" if self.unit else "")


DOMAIN_FIELDS = ("kind", "min", "max", "above", "integer", "at_most")


def _sourced_key(entry: dict[str, Any], meaning: str, where: str = "") -> Key:
    if "derived" in entry:
        # Unset (None) unless a scenario sets it: then ``coefficients.resolve`` works it out.
        floor = {"minimum": entry.get("min", 0)} if "above" not in entry else {"above": entry["above"]}
        return Key(
            float,
            f"{meaning} (unset: derived, {entry['derived']})",
            None,
            unit=entry["unit"],
            maximum=entry.get("max"),
            **floor,
        )
    value = entry["value"]
    if isinstance(value, bool):
        return Key(bool, meaning, value, unit=entry["unit"])
    kind = entry.get("kind", "")
    if kind and kind not in KINDS:
        raise ScenarioError(f"{where}: 'kind' is {kind!r}; allowed: {', '.join(KINDS)}")
    if kind == "count" and "max" not in entry:
        raise ScenarioError(f"{where}: a count needs a 'max' (a plausible bound)")
    domain = {**KINDS.get(kind, {})}
    if "min" in entry:
        domain["minimum"] = entry["min"]
    if "max" in entry:
        domain["maximum"] = entry["max"]
    for name, field_name in (("above", "above"), ("integer", "integer"), ("at_most", "at_most")):
        if name in entry:
            domain[field_name] = entry[name]
    if "minimum" not in domain and "above" not in domain:
        # Without a declared floor, constants that may be negative have none; others are >= 0.
        negative = any(v < 0 for v in value) if isinstance(value, list) else value < 0
        domain["minimum"] = None if negative else 0
    if isinstance(value, list):
        return Key(list, meaning, value, unit=entry["unit"], kind=kind, length=len(value), **domain)
    # Amounts, counts and months alike accept any number (500000 or 5e5), kept as floats.
    return Key(float, meaning, float(value), unit=entry["unit"], kind=kind, **domain)


@cache
def measure_specs() -> dict[str, dict[str, Any]]:
    """Per measure id: its name, group, title and parameter keys (from data/measures.toml)."""
    out = {}
    for mid, table in params.load_measures().items():
        keys = {
            "enabled": Key(bool, "switch the measure on", False),
            "start": Key(str, "first day new beneficiaries are taken (default: [policy] start)", None, kind="date"),
            "end": Key(str, "last day new beneficiaries are taken (default: [policy] end)", None, kind="date"),
        }
        for name, entry in table["params"].items():
            keys[name] = _sourced_key(
                entry, entry.get("source") or entry.get("assumption", ""), f"model/data/measures.toml: [{mid}.{name}]"
            )
        out[mid] = {"name": table["name"], "group": table["group"], "title": table["title"], "keys": keys}
    return out


@cache
def schema() -> dict[str, dict[str, Key]]:
    behaviour = {
        k: _sourced_key(e, e.get("source") or e.get("assumption", ""), f"model/data/behaviour.toml: [{k}]")
        for k, e in params.load("behaviour").items()
    }
    demo = params.load("demography")
    growth = behaviour.pop("wage_growth")
    house = behaviour.pop("house_price_growth")
    # The growth rates' domain is declared with them in behaviour.toml (they may be negative).
    lo, hi = growth.minimum, growth.maximum
    conditions = {
        f"wage_growth_{d}": Key(
            float,
            f"nominal wage growth in {d} after 2020, except in the years labour_demand.csv gives",
            growth.default,
            lo,
            hi,
            growth.unit,
        )
        for d in DESTINATIONS
        if d != "home"
    }
    conditions["wage_growth_home"] = Key(
        float,
        "nominal wage growth in the origins, except in the years labour_demand.csv gives",
        growth.default,
        lo,
        hi,
        "per year",
    )
    conditions["house_price_growth"] = Key(
        float, house.meaning, house.default, house.minimum, house.maximum, house.unit
    )
    # Labour demand after labour_demand.csv ends (model/world/conditions.py): jobs grow by
    # destination, by default as fast as the labour force, so unemployment stays where it was.
    labour_force = params.load("regions")["labour_force_growth"]
    for d, growth_default in zip(DESTINATIONS, labour_force["value"], strict=True):
        conditions[f"job_growth_{d}"] = Key(
            float,
            f"growth of the number of jobs in {d} after the observed labour demand (2023-12); "
            "against the labour force's growth it sets unemployment, job finding and wages",
            float(growth_default),
            labour_force["min"],
            labour_force["max"],
            "per year",
        )
    conditions["job_growth_change_from"] = Key(
        str, "first month of the changed job growth (job_growth_after_change_<destination>)", None, kind="year_month"
    )
    for d in DESTINATIONS:
        conditions[f"job_growth_after_change_{d}"] = Key(
            float,
            f"growth of the number of jobs in {d} from job_growth_change_from on (unset: unchanged)",
            None,
            labour_force["min"],
            labour_force["max"],
            "per year",
        )
    out = {
        "scenario": {
            "name": Key(str, "short name used in results", kind="name"),
            "description": Key(str, "what the scenario represents", ""),
            "extends": Key(
                str, "name of the scenario (beside this file, else in scenarios/) whose values this one overrides"
            ),
        },
        "period": {
            "start": Key(
                str, "first simulated month; the population is the census one", CENSUS_MONTH, kind="year_month"
            ),
            "end": Key(str, "last simulated month (inclusive)", "2035-12", kind="year_month"),
        },
        "run": {
            "scale": Key(float, "agents per person (1 = the whole city)", 0.01, 1e-5, 1.0),
            "seeds": Key(int, "number of replicate runs", 1, 1, 10_000),
            "seed": Key(int, "first seed; replicates use seed, seed+1, ...", 0, 0, 2**63 - 1),
            "posterior_draws": Key(
                int,
                "parameter sets drawn from the calibration's posterior (model/calibration/posterior.csv), "
                "each run over `seeds` seeds, so intervals carry parameter uncertainty and chance; "
                "0: the calibrated point estimates only (chance alone)",
                0,
                0,
                10_000,
            ),
            "migration": Key(
                bool, "people move in and out (false: a closed population, as the demography check)", True
            ),
        },
        "demography": {
            k: Key(float, demo[k]["unit"], demo[k]["value"], lo, hi, demo[k]["unit"])
            for k, lo, hi in (
                ("tfr", 0.0, 8.0),
                ("e0_male", 30.0, 100.0),
                ("e0_female", 30.0, 100.0),
                ("srb", 80.0, 130.0),
                ("tfr_yearly_change", demo["tfr_yearly_change"]["min"], demo["tfr_yearly_change"]["max"]),
            )
        },
        "behaviour": behaviour,
        "conditions": conditions,
        "policy": {
            "start": Key(
                str,
                "the package takes effect (measures take new beneficiaries from this day)",
                params.value("policy", "in_force_from"),
                kind="date",
            ),
            "end": Key(
                str,
                "the package's last day (as issued: valid one year)",
                params.value("policy", "valid_until"),
                kind="date",
            ),
        },
    }
    # Estimates from the committed calibration replace the priors as defaults.
    for (section, key), value in params.calibrated_defaults().items():
        if key not in out.get(section, {}):
            raise ScenarioError(
                f"model/calibration/calibrated.toml: key 'defaults.{section}.{key}' is not a scenario "
                "key; rerun `python -m model calibrate`"
            )
        spec = out[section][key]
        out[section][key] = dataclasses.replace(spec, meaning=spec.meaning + " (calibrated)", default=value)
    return out


@dataclass
class Scenario:
    """A validated scenario. ``values`` hold what its files and overrides set (derived keys left
    unset stay None, so that an override of what they derive from is followed); reading a
    section (``scenario["behaviour"]``) gives it with the derived keys worked out."""

    name: str
    path: Path | None
    values: dict[str, Any]
    chain: list[str] = field(default_factory=list)

    def __getitem__(self, section: str) -> dict[str, Any]:
        if section == "behaviour":
            return self.behaviour
        return self.values[section]

    @cached_property
    def behaviour(self) -> dict[str, Any]:
        """[behaviour] with the derived coefficients (``model/coefficients.py``)."""
        return coefficients.resolve(self.values["behaviour"])

    @property
    def start(self) -> str:
        return self.values["period"]["start"]

    @property
    def end(self) -> str:
        return self.values["period"]["end"]

    @property
    def months(self) -> int:
        return month_index(self.end) - month_index(self.start) + 1

    def measure(self, mid: str) -> dict[str, Any]:
        """One measure's parameters, with its dates: its own, or else those of [policy]."""
        cfg = dict(self.values["measures"][mid])
        policy = self.values["policy"]
        cfg["start"], cfg["end"] = cfg["start"] or policy["start"], cfg["end"] or policy["end"]
        return cfg

    def enabled_measures(self) -> dict[str, dict[str, Any]]:
        """The measures switched on, by id, each with its dates resolved (``measure``)."""
        return {mid: self.measure(mid) for mid, cfg in self.values["measures"].items() if cfg["enabled"]}

    def with_overrides(self, overrides: dict[str, Any], origin: str = "command line") -> Scenario:
        merged = _merge(self.values, _drop_none(overrides))
        return Scenario(
            self.name if "scenario" not in overrides else merged["scenario"]["name"],
            self.path,
            validate(merged, origin),
            self.chain,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path) if self.path else None,
            "extends_chain": self.chain,
            **self.values,
            "behaviour": self.behaviour,
        }


def _drop_none(tree: dict[str, Any]) -> dict[str, Any]:
    return {k: _drop_none(v) if isinstance(v, dict) else v for k, v in tree.items() if v is not None}


def _suggest(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def check_value(spec: Key, value: Any, where: str) -> Any:
    def refuse(detail: str = "") -> ScenarioError:
        shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
        return ScenarioError(f"{where} is {shown}{detail}; allowed: {spec.allowed()}")

    if spec.type is float:
        if not _is_number(value):
            raise refuse(f" ({type(value).__name__})")
        items = [value]
    elif spec.type is list:
        if not isinstance(value, list) or len(value) != spec.length or not all(_is_number(v) for v in value):
            raise refuse()
        items = value
    else:
        ok = isinstance(value, spec.type) and not (spec.type is not bool and isinstance(value, bool))
        if not ok:
            raise refuse(f" ({type(value).__name__})")
        items = [value] if spec.type is int else []
    for v in items:
        if not math.isfinite(v):
            raise refuse()
        if (
            (spec.minimum is not None and v < spec.minimum)
            or (spec.maximum is not None and v > spec.maximum)
            or (spec.above is not None and v <= spec.above)
            or (spec.integer and v != int(v))
        ):
            raise refuse()
    if spec.ordered and any(b < a for a, b in zip(items, items[1:], strict=False)):
        raise refuse(" (not in order)")
    if spec.kind == "year_month":
        match = YEAR_MONTH.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise refuse()
    if spec.kind == "date":
        try:
            assert DATE.match(value)
            dt.date.fromisoformat(value)
        except (ValueError, AssertionError):
            raise refuse() from None
    if spec.type is float:
        return float(value)
    return [float(v) for v in value] if spec.type is list else value


def _validate_keys(entries: Any, keys: dict[str, Key], label: str, origin: str) -> dict[str, Any]:
    if not isinstance(entries, dict):
        raise ScenarioError(f"{origin}: '{label}' must be a table [{label}]")
    out = {}
    for key, value in entries.items():
        if value is None:  # TOML has no null: only an unset default carried over from a merge
            continue
        spec = keys.get(key)
        if spec is None:
            allowed = list(keys)
            raise ScenarioError(
                f"{origin}: unknown key '{label}.{key}'{_suggest(key, allowed)}; allowed keys in [{label}]: "
                + ", ".join(allowed)
            )
        out[key] = check_value(spec, value, f"{origin}: key '{label}.{key}'")
    for key, spec in keys.items():
        out.setdefault(key, spec.default)
    return out


def _check_window(start: str, end: str, label: str, origin: str) -> None:
    if dt.date.fromisoformat(end) < dt.date.fromisoformat(start):
        raise ScenarioError(
            f"{origin}: key '{label}.end' ({end}) is before '{label}.start' ({start}); end must be on or after start"
        )


def _check_at_most(
    out: dict[str, Any], sch: dict[str, dict[str, Key]], specs: dict[str, dict[str, Any]], origin: str
) -> None:
    """Keys declared ``at_most`` another (a rate and its bound) stay at or below it; a measure's
    keys only while the measure is on."""
    checks = [(f"{s}.{k}", spec, out[s][k]) for s, keys in sch.items() for k, spec in keys.items() if spec.at_most]
    for mid, measure in specs.items():
        if out["measures"][mid]["enabled"]:
            checks += [
                (f"measures.{mid}.{k}", key, out["measures"][mid][k])
                for k, key in measure["keys"].items()
                if key.at_most
            ]
    for label, key_spec, value in checks:
        section, name = key_spec.at_most.split(".")
        bound = out[section][name]
        if value > bound:
            raise ScenarioError(
                f"{origin}: key '{label}' is {value!r}, above '{key_spec.at_most}' ({bound!r}); "
                f"allowed: at most '{key_spec.at_most}' (raise the bound, or lower the value)"
            )


def _check_job_growth_change(conditions: dict[str, Any], origin: str) -> None:
    """A changed job growth needs the month it starts."""
    changed = [k for k, v in conditions.items() if k.startswith("job_growth_after_change_") and v is not None]
    if changed and conditions["job_growth_change_from"] is None:
        raise ScenarioError(
            f"{origin}: key 'conditions.{changed[0]}' is set but 'conditions.job_growth_change_from' is not; "
            "allowed: give the month the change starts ('YYYY-MM')"
        )


def validate(raw: dict[str, Any], origin: str, whole: bool = True) -> dict[str, Any]:
    """Check every key of a scenario; fill defaults. ``origin`` names the file; ``whole``: the
    scenario is complete (not one file of an ``extends`` chain), so keys that need each other
    are checked together."""
    sch = schema()
    allowed_sections = [*sch, "measures"]
    for section in raw:
        if section not in allowed_sections:
            raise ScenarioError(
                f"{origin}: unknown section [{section}]{_suggest(section, allowed_sections)}; "
                f"allowed sections: {', '.join(allowed_sections)}"
            )
    out: dict[str, Any] = {s: _validate_keys(raw.get(s, {}), keys, s, origin) for s, keys in sch.items()}
    specs = measure_specs()
    measures_raw = raw.get("measures", {})
    if not isinstance(measures_raw, dict):
        raise ScenarioError(f"{origin}: 'measures' must hold tables [measures.<id>]")
    for mid in measures_raw:
        if mid not in specs:
            raise ScenarioError(
                f"{origin}: unknown measure id '{mid}' in [measures.{mid}]{_suggest(mid, list(specs))}; "
                f"allowed ids: {', '.join(specs)}"
            )
    out["measures"] = {}
    policy = out["policy"]
    _check_window(policy["start"], policy["end"], "policy", origin)
    for mid, spec in specs.items():
        cfg = _validate_keys(measures_raw.get(mid, {}), spec["keys"], f"measures.{mid}", origin)
        # A measure without dates of its own follows [policy] (resolved in ``enabled_measures``,
        # so that a later override of [policy] moves it too).
        _check_window(cfg["start"] or policy["start"], cfg["end"] or policy["end"], f"measures.{mid}", origin)
        out["measures"][mid] = cfg
    _check_at_most(out, sch, specs, origin)
    if whole:
        _check_job_growth_change(out["conditions"], origin)
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
    check_name(out["scenario"]["name"], f"{origin}: key 'scenario.name'")
    return out


def read_toml(path: Path, what: str = "scenario") -> dict[str, Any]:
    """A TOML file's tables, or one ``ScenarioError`` line (missing, not a regular file, not
    UTF-8, not TOML). Only regular files are opened, so a FIFO or a device cannot hang a load."""
    shown = repr(str(path)) if "\0" in str(path) or len(str(path)) > 200 else str(path)
    article = "an" if what[:1] in "aeiou" else "a"
    if len(shown) > 200:
        shown = shown[:197] + "..."
    try:
        if not path.exists():
            raise ScenarioError(f"{shown}: no such {what} file")
        if path.is_dir():
            raise ScenarioError(f"{shown}: is a directory; allowed: {article} {what} .toml file")
        if not path.is_file():
            raise ScenarioError(f"{shown}: not a regular file; allowed: {article} {what} .toml file")
        data = path.read_bytes()
    except (OSError, ValueError) as err:  # a null byte or an over-long name, a permission
        if isinstance(err, ScenarioError):
            raise
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err) or type(err).__name__
        raise ScenarioError(f"{shown}: cannot read the {what} file ({reason})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError(
            f"{shown}: not UTF-8 text (byte {err.start}); allowed: a TOML file saved as UTF-8"
        ) from None
    try:
        tables = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{shown}: not valid TOML ({str(err).splitlines()[0]})") from None
    except RecursionError:  # the parser recurses once per level of nested arrays or inline tables
        raise ScenarioError(f"{shown}: {TOO_DEEP}") from None
    if _depth(tables) > TOML_DEPTH:
        raise ScenarioError(f"{shown}: {TOO_DEEP}")
    return tables


# Tables and arrays nested deeper than any scenario or experiment needs (measures.H3.key = [..]
# is 4) are refused before anything walks them recursively (merging, copying, JSON).
TOML_DEPTH = 8
TOO_DEEP = f"tables or arrays nested too deeply; allowed: at most {TOML_DEPTH} levels"


def _depth(tree: Any) -> int:
    """How deeply ``tree``'s tables and arrays nest (without recursion: it may be very deep)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            if deepest > TOML_DEPTH:
                return deepest
            stack.extend((child, level + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Deep merge: tables merge key by key, other values replace."""
    merged = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def resolve_path(name_or_path: str | Path) -> Path:
    """A scenario given by path, or by name in scenarios/."""
    path = Path(name_or_path)
    try:
        if path.suffix != ".toml" and not path.exists() and NAME.match(str(name_or_path)):
            path = SCENARIO_DIR / f"{name_or_path}.toml"
    except (OSError, ValueError):  # a null byte or an over-long name: read_toml says so
        pass
    return path


def _extends_path(path: Path, parent_name: str) -> Path:
    """The file ``extends`` names: beside the extending file, or else in the shipped scenarios/.
    Only a plain name (``NAME_RULE``, with or without ``.toml``) is allowed: no folders."""
    stem = parent_name.removesuffix(".toml")
    if not NAME.match(stem):
        raise ScenarioError(
            f"{path}: key 'scenario.extends' is {parent_name[:80]!r}; allowed: the name of a scenario beside "
            f"this file or in {SCENARIO_DIR} ({NAME_RULE}; no folders)"
        )
    for folder in (path.parent, SCENARIO_DIR):
        candidate = folder / f"{stem}.toml"
        if candidate.exists() or candidate.is_symlink():
            # A link may not lead out of the two folders either.
            if candidate.resolve().parent not in (path.parent, SCENARIO_DIR.resolve()):
                raise ScenarioError(
                    f"{path}: key 'scenario.extends' names '{stem}', a link leading outside {folder}; "
                    f"allowed: a scenario file beside this file or in {SCENARIO_DIR}"
                )
            return candidate
    raise ScenarioError(
        f"{path}: key 'scenario.extends' names '{parent_name}', but {path.parent / (stem + '.toml')} does not exist "
        f"(nor in {SCENARIO_DIR})"
    )


def _load_raw(path: Path, seen: tuple[Path, ...]) -> tuple[dict[str, Any], list[str]]:
    try:
        path = path.resolve()
    except (OSError, ValueError, RuntimeError):  # a null byte, a link loop: read_toml says so
        pass
    if path in seen:
        cycle = " -> ".join(p.name for p in (*seen, path))
        raise ScenarioError(f"{path}: key 'scenario.extends' makes a cycle: {cycle}")
    if len(seen) >= EXTENDS_DEPTH:
        raise ScenarioError(
            f"{seen[0]}: key 'scenario.extends' leads through more than {EXTENDS_DEPTH} files; "
            f"allowed: a chain of at most {EXTENDS_DEPTH}"
        )
    raw = read_toml(path)
    validate(raw, str(path), whole=False)  # each file must be valid on its own, so errors name the right file
    parent_name = raw.get("scenario", {}).get("extends")
    if parent_name is None:
        return raw, [str(path)]
    parent_path = _extends_path(path, parent_name)
    parent, chain = _load_raw(parent_path, (*seen, path))
    child = copy.deepcopy(raw)
    child["scenario"].pop("extends")
    child["scenario"].setdefault("description", "")
    return _merge(parent, child), [*chain, str(path)]


def unknown_name(name: str, folder: Path, what: str) -> ScenarioError:
    """A name with no file in ``folder``: the closest names and every one available."""
    available = sorted(p.stem for p in folder.glob("*.toml"))
    return ScenarioError(
        f"no {what} named {name!r} in {folder}{_suggest(name, available)}; "
        f"available: {', '.join(available) or 'none'} (or give the path to a .toml file)"
    )


def load(name_or_path: str | Path) -> Scenario:
    """Load, merge along ``extends`` and validate a scenario."""
    path = resolve_path(name_or_path)
    if path != Path(name_or_path) and not path.exists():
        raise unknown_name(str(name_or_path), SCENARIO_DIR, "scenario")
    raw, chain = _load_raw(path, ())
    values = validate(raw, str(path))
    values["scenario"]["extends"] = None
    return Scenario(values["scenario"]["name"], path, values, chain)
