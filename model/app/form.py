"""The planner's choices on the page, and the scenario file they make.

What a planner types is kept as text, as in a scenario file: an amount is read as a TOML value
(``6000``, ``6e3``, ``[22, 50]``), dates and names as strings, and anything else goes into the
file as a string, so the scenario validation (``model.scenario``) refuses it with the message a
scenario file would get. The page runs the very file it offers for download: ``check`` loads it
the way ``python -m model compare FILE`` does.
"""

from __future__ import annotations

import json
import re
import tempfile
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from model import params
from model.scenario import NAME, Key, Scenario, ScenarioError, load, measure_specs, schema

APP = "app"  # model/data/app.toml: what the page shows before anything is changed
DATES = ("start", "end")  # a measure's own window; blank: the package's ([policy])
SETTINGS = ("name", "scale", "seeds", "draws", "end", "policy_start", "policy_end")  # the form's text fields
DAY_OF_RENEWAL = "12-31"  # a renewal runs to the end of a year, as the shipped scenarios do


def app_default(key: str) -> Any:
    return params.value(APP, key)


@dataclass(frozen=True)
class Form:
    """Everything the page's form holds, as typed."""

    name: str
    scale: str
    seeds: str
    draws: str  # run.posterior_draws
    end: str
    policy_start: str
    policy_end: str
    enabled: frozenset[str]
    typed: dict[tuple[str, str], str] = field(default_factory=dict)  # (measure id, key) -> text

    def text(self, mid: str, key: str) -> str:
        """What the input of one measure's key shows: what was typed, else the default."""
        if (mid, key) in self.typed:
            return self.typed[(mid, key)]
        return "" if key in DATES else shown(measure_specs()[mid]["keys"][key].default)

    def with_setting(self, attribute: str, text: str) -> Form:
        """One of the run settings or the package's dates, as typed."""
        if attribute not in SETTINGS:
            raise ValueError(f"not a setting of the form: {attribute!r}; allowed: {', '.join(SETTINGS)}")
        return replace(self, **{attribute: text})  # type: ignore[arg-type]  # a text field, checked above

    def with_text(self, mid: str, key: str, text: str) -> Form:
        return replace(self, typed={**self.typed, (mid, key): text})

    def switched(self, mid: str, on: bool) -> Form:
        return replace(self, enabled=self.enabled | {mid} if on else self.enabled - {mid})

    def renewed_to(self, year: int) -> Form:
        """The package kept in force to the end of ``year``."""
        return replace(self, policy_end=f"{year}-{DAY_OF_RENEWAL}")


def initial() -> Form:
    """The form as the page opens (model/data/app.toml, the policy's dates)."""
    policy = schema()["policy"]
    return Form(
        name=app_default("scenario_name"),
        scale=shown(app_default("scale")),
        seeds=shown(app_default("seeds")),
        draws=shown(app_default("draws")),
        end=app_default("end"),
        policy_start=policy["start"].default,
        policy_end=policy["end"].default,
        enabled=frozenset(app_default("measures")),
    )


def levers() -> dict[str, dict[str, Any]]:
    """The measures a planner may pick, by group: those of the package, not what the
    counterfactual has anyway (its measures, N1, stay as they are)."""
    anyway = set(load(app_default("against")).enabled_measures())
    groups: dict[str, dict[str, Any]] = {}
    for mid, spec in measure_specs().items():
        if mid not in anyway:
            groups.setdefault(spec["group"], {})[mid] = spec
    return groups


def amounts(mid: str) -> dict[str, Key]:
    """A measure's keys a planner sets (its amounts), without the switch and the dates."""
    return {k: v for k, v in measure_specs()[mid]["keys"].items() if k not in ("enabled", *DATES)}


def shown(value: Any) -> str:
    """A value as a planner would type it: 3000, not 3000.0."""
    if isinstance(value, list):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def literal(text: str, key: Key) -> str | None:
    """The TOML for what was typed into one key: None when blank (the default stands)."""
    text = text.strip()
    if not text:
        return None
    if key.type in (float, int, list, bool) and not re.search(r"[\r\n]", text):
        try:
            tomllib.loads(f"v = {text}")
            return text  # a TOML value as typed; the validation judges its type and domain
        except tomllib.TOMLDecodeError:
            pass
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string


def _default_literal(key: Key) -> str:
    return shown(key.default)


def toml(form: Form) -> str:
    """The scenario file the form makes (what the page runs and offers for download)."""
    sections = schema()
    chosen = sorted(form.enabled, key=list(measure_specs()).index)
    lines = [
        "# Built on the what-if page (model/app). Run it with",
        f"#   python -m model compare {form.name}.toml --against {app_default('against')}",
        "",
        "[scenario]",
        f"name = {json.dumps(form.name, ensure_ascii=False)}",
        f"extends = {json.dumps(app_default('against'))}",
        f"description = {json.dumps(describe(form), ensure_ascii=False)}",
        "",
        "[period]",
        f"end = {literal(form.end, sections['period']['end']) or json.dumps('')}",
        "",
        "[run]",
    ]
    for key, text in (("scale", form.scale), ("seeds", form.seeds), ("posterior_draws", form.draws)):
        value = literal(text, sections["run"][key])
        if value is not None:
            lines.append(f"{key} = {value}")
    lines += ["", "[policy]"]
    for key, text in (("start", form.policy_start), ("end", form.policy_end)):
        value = literal(text, sections["policy"][key])
        if value is not None:
            lines.append(f"{key} = {value}")
    specs = measure_specs()
    for mid in chosen:
        spec = specs[mid]
        lines += ["", f"[measures.{mid}]  # {spec['name']}: {spec['title']}", "enabled = true"]
        for key, key_spec in spec["keys"].items():
            if key == "enabled" or (mid, key) not in form.typed:
                continue
            value = literal(form.typed[(mid, key)], key_spec)
            if value is not None and value != _default_literal(key_spec):
                lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


def describe(form: Form) -> str:
    """One line naming the measures on, and the dates of those with their own."""
    parts = []
    for mid in sorted(form.enabled, key=list(measure_specs()).index):
        dates = [form.typed.get((mid, k), "").strip() for k in DATES]
        parts.append(f"{mid} ({dates[0] or 'package start'} to {dates[1] or 'package end'})" if any(dates) else mid)
    return f"What-if page: {', '.join(parts) or 'no measure'} against {app_default('against')}"


def file_name(form: Form) -> str:
    """The downloaded file's name: the scenario's, when it is a safe one."""
    return f"{form.name if NAME.match(form.name) else app_default('scenario_name')}.toml"


def write(form: Form, folder: Path) -> Path:
    path = folder / file_name(form)
    path.write_text(toml(form), encoding="utf-8")
    return path


def check(form: Form) -> Scenario:
    """The form's scenario, loaded and validated as its downloaded file would be, or the
    ``ScenarioError`` that file would get (naming the file without the page's folder)."""
    with tempfile.TemporaryDirectory(prefix="what-if-") as tmp:
        folder = Path(tmp)
        path = write(form, folder)
        try:
            return load(path)
        except ScenarioError as err:
            message = str(err)
            for prefix in {str(folder.resolve()), str(folder)}:
                message = message.replace(prefix + "/", "")
            raise ScenarioError(message) from None
