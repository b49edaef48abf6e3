"""The what-if page: Solara components for the form, the run and the answer.

``solara run model.app.page`` serves ``Page``; in Jupyter, ``WhatIf()`` shows the same. The
form is checked as its scenario file on every change (``form.check``), so a bad input is refused
with the scenario validation's own message before anything runs; the run happens in a thread
(``use_task``) while a progress bar shows. Elements a test or a planner's script may look for
carry ``what-if-*`` classes, and every number in the tables its exact value in ``data-value``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable

import solara
from solara.lab import use_task

from model.app import charts
from model.app import form as forms
from model.app import labels as say
from model.app.run import Answer, run
from model.scenario import ScenarioError, measure_specs

CELL = "padding: 2px 10px; border-bottom: 1px solid #ddd"


def _cell(value: float, digits: int, unit: float = 1.0, **where: str) -> str:
    """A table cell: the number rounded for reading, its exact value (persons, yuan) kept."""
    attributes = "".join(f' data-{k}="{html.escape(str(v))}"' for k, v in where.items())
    text = "–" if not math.isfinite(value) else f"{value / unit:,.{digits}f}"
    return f'<td style="{CELL}; text-align:right" data-value="{value!r}"{attributes}>{text}</td>'


def _per_year(indicator: str, stat: str) -> tuple[str, str, str]:
    return indicator, stat, f"{indicator}_{stat}"


def headline_html(answer: Answer) -> str:
    """By year: extra residents (mean, 5 %, 95 %), cumulative net cost, cost per additional resident."""
    columns: list[tuple[str, int, float, tuple[str, str, str]]] = [
        (f"{say.word('extra_residents')} ({say.word('mean')})", 0, 1.0, _per_year("extra_population", "mean")),
        ("5 %", 0, 1.0, _per_year("extra_population", "p05")),
        ("95 %", 0, 1.0, _per_year("extra_population", "p95")),
        (
            f"{say.word('net_cost')} ({say.word('yi_yuan')})",
            2,
            charts.YI,
            _per_year("cumulative_net_cost_total", "mean"),
        ),
        (
            f"{say.word('cost_per_resident')} ({say.word('yuan_per_person')})",
            0,
            1.0,
            _per_year("cost_per_additional_resident", "mean"),
        ),
    ]
    rows = []
    for record in answer.headline.to_dict("records"):
        year = str(record["year"])
        cells = [
            _cell(float(record[column]), digits, unit, indicator=indicator, stat=stat, year=year)
            for _, digits, unit, (indicator, stat, column) in columns
        ]
        rows.append(f'<tr><td style="{CELL}">{year}</td>{"".join(cells)}</tr>')
    return _table("what-if-headline", [say.word("year"), *(c[0] for c in columns)], rows)


def by_measure_html(answer: Answer) -> str:
    """By measure: cumulative net cost, attributed extra residents, cost per attributed resident."""
    specs = measure_specs()
    columns = [
        (f"{say.word('net_cost')} ({say.word('yi_yuan')})", 2, charts.YI, "net_cost"),
        (f"{say.word('attributed')} ({say.word('persons')})", 0, 1.0, "attributed"),
        (f"{say.word('cost_per_attributed')} ({say.word('yuan_per_person')})", 0, 1.0, "cost_per_attributed_resident"),
    ]
    rows = []
    for record in answer.by_measure.to_dict("records"):
        mid = str(record["id"])
        cells = [_cell(float(record[f]), digits, unit, measure=mid, figure=f) for _, digits, unit, f in columns]
        name = html.escape(say.measure(mid, specs[mid]["name"]))
        rows.append(f'<tr><td style="{CELL}">{name}</td>{"".join(cells)}</tr>')
    return _table("what-if-by-measure", [say.word("measures"), *(c[0] for c in columns)], rows)


def _table(name: str, head: list[str], rows: list[str]) -> str:
    header = "".join(f'<th style="{CELL}">{html.escape(h)}</th>' for h in head)
    return f'<table class="{name}" style="border-collapse:collapse"><tr>{header}</tr>{"".join(rows)}</table>'


@solara.component
def Field(label: str, text: str, on_text: Callable[[str], None], name: str, hint: str = "") -> None:
    solara.InputText(
        label, value=text, on_value=on_text, continuous_update=False, classes=[f"what-if-{name}"], message=hint
    )


@solara.component
def RunSettings(form: solara.Reactive[forms.Form]) -> None:
    f = form.value

    def setter(attribute: str) -> Callable[[str], None]:
        return lambda text: form.set(form.value.with_setting(attribute, text))

    solara.Markdown(f"**{say.word('run_settings')}**")
    Field(say.word("scenario_name"), f.name, setter("name"), "name")
    Field(say.word("scale"), f.scale, setter("scale"), "scale")
    Field(say.word("seeds"), f.seeds, setter("seeds"), "seeds")
    Field(say.word("draws"), f.draws, setter("draws"), "draws", say.word("draws_hint"))
    Field(say.word("end") + " (YYYY-MM)", f.end, setter("end"), "end")
    solara.Markdown(f"**{say.word('policy')}**")
    Field(say.word("policy_start") + " (YYYY-MM-DD)", f.policy_start, setter("policy_start"), "policy-start")
    Field(say.word("policy_end") + " (YYYY-MM-DD)", f.policy_end, setter("policy_end"), "policy-end")
    as_issued = say.word("as_issued")
    issued_end = forms.initial().policy_end
    try:
        years = [str(y) for y in range(int(issued_end[:4]) + 1, int(f.end[:4]) + 1)]
    except ValueError:  # a last month not yet a month: the validation says so
        years = []
    chosen = as_issued if f.policy_end == issued_end else f.policy_end[:4]

    def renew(choice: str | None) -> None:
        if choice == as_issued or not choice:
            form.set(form.value.with_setting("policy_end", issued_end))
        else:
            form.set(form.value.renewed_to(int(choice)))

    solara.Select(say.word("renewed_to"), values=[as_issued, *years], value=chosen, on_value=renew)


@solara.component
def MeasureChoice(form: solara.Reactive[forms.Form], mid: str, spec: dict) -> None:
    f = form.value
    on = mid in f.enabled
    solara.Checkbox(
        label=f"{say.measure(mid, spec['name'])}: {spec['title']}",
        value=on,
        on_value=lambda v: form.set(form.value.switched(mid, v)),
    )
    if not on:
        return
    with solara.Column(style={"padding-left": "2em"}):

        def setter(key: str) -> Callable[[str], None]:
            return lambda text: form.set(form.value.with_text(mid, key, text))

        for key, key_spec in forms.amounts(mid).items():
            Field(key, f.text(mid, key), setter(key), f"{mid}-{key}", key_spec.unit)
        for key, word in (("start", "measure_start"), ("end", "measure_end")):
            Field(
                f"{say.word(word)} (YYYY-MM-DD)",
                f.text(mid, key),
                setter(key),
                f"{mid}-{key}",
                say.word("policy_dates"),
            )


@solara.component
def Measures(form: solara.Reactive[forms.Form]) -> None:
    solara.Markdown(f"**{say.word('measures')}**")
    for group, measures in forms.levers().items():
        chosen = sum(mid in form.value.enabled for mid in measures)
        with solara.Details(summary=f"{say.group(group)} ({chosen}/{len(measures)})", expand=chosen > 0):
            for mid, spec in measures.items():
                MeasureChoice(form, mid, spec)


@solara.component
def AnswerView(answer: Answer) -> None:
    settings = answer.scenario["run"]
    solara.Markdown(
        f"**{say.word('answer')}**: {answer.label}, {answer.replicates} replicate(s) "
        f"({settings['posterior_draws']} posterior draw(s) x {settings['seeds']} seed(s)) at scale "
        f"{settings['scale']}, to {answer.scenario.end}."
    )
    solara.HTML(
        tag="p",
        unsafe_innerHTML=f"{html.escape(say.word('interval'))}: {html.escape(answer.uncertainty)}",
        classes=["what-if-uncertainty"],
    )
    if answer.probability:
        threshold, year, share = answer.probability
        text = f"{say.word('probability')} {threshold:,.0f} {say.word('persons')} ({year}): "
        solara.HTML(
            tag="p",
            unsafe_innerHTML=f'{html.escape(text)}<b data-value="{share!r}">{share:.0%}</b>',
            classes=["what-if-probability"],
        )
    # Drawn once per answer, not again each time the form changes.
    images = solara.use_memo(
        lambda: {
            chart.__name__: charts.png(chart, answer)
            for chart in (charts.extra_residents, charts.cost_by_measure, charts.who_comes, charts.pyramid)
            if chart is not charts.cost_by_measure or len(answer.by_measure)
        },
        dependencies=[answer],
    )
    solara.HTML(tag="div", unsafe_innerHTML=headline_html(answer))
    solara.Image(images["extra_residents"])
    if len(answer.by_measure):
        solara.HTML(tag="div", unsafe_innerHTML=by_measure_html(answer))
        solara.Image(images["cost_by_measure"])
    solara.Image(images["who_comes"])
    solara.Image(images["pyramid"])


@solara.component
def WhatIf() -> None:
    """The page: the form on the left, the answer on the right."""
    form = solara.use_reactive(forms.initial())
    task = use_task(run, dependencies=None, raise_error=False)

    def refusal() -> str | None:
        try:
            forms.check(form.value)
        except ScenarioError as err:
            return str(err)
        return None

    refused = solara.use_memo(refusal, dependencies=[forms.toml(form.value)])
    solara.Title(say.word("title"))
    with solara.Columns([1, 2]):
        with solara.Column():
            solara.Markdown(f"## {say.word('title')}\n{say.word('subtitle')}")
            RunSettings(form)
            Measures(form)
        with solara.Column():
            with solara.Row():
                solara.Button(
                    say.word("run"),
                    on_click=lambda: task(form.value),
                    disabled=bool(refused) or task.pending,
                    color="primary",
                    classes=["what-if-run"],
                )
                if not refused:
                    solara.FileDownload(
                        forms.toml(form.value),
                        filename=forms.file_name(form.value),
                        mime_type="application/toml",
                        children=[
                            solara.Button(say.word("download"), icon_name="mdi-download", classes=["what-if-download"])
                        ],
                    )
            if refused:
                solara.Error(f"{say.word('refused')}: {refused}", classes=["what-if-refused"])
            if task.pending:
                solara.ProgressLinear(True, classes=["what-if-progress"])
                solara.Text(f"{say.word('running')} …")
            elif task.error:
                solara.Error(str(task.exception), classes=["what-if-failed"])
            elif task.finished and task.value is not None:
                if task.value.toml != forms.toml(form.value):
                    solara.Info(say.word("changed"), classes=["what-if-changed"])
                AnswerView(task.value)


Page = WhatIf
