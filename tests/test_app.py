"""The what-if page (model/app): its scenario files, and the page itself in a real browser.

The browser test serves the page with ``solara run`` on a free port, drives it in Debian's
chromium through Playwright (no browser download), refuses a bad amount with the scenario
file's own message, changes two measures, runs, and checks every number shown against the same
scenario run through ``model.api`` in this process; the scenario it downloads runs with
``python -m model compare FILE --against baseline`` to the same figures. It writes the
screenshot the README shows (results/app.png). In CI (``CI`` set) a missing browser fails the
test; elsewhere it is skipped, and says so.
"""

from __future__ import annotations

import math
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from model import api
from model.app import form as forms
from model.scenario import ScenarioError, load

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "results" / "app.png"
# Chromium here runs as root with no network (issue 16).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A small, quick comparison: 1:1000, two parameter sets from the posterior with one seed each, to
# the end of 2025 (the year of the planners' threshold, model/data/report.toml).
SCALE, SEEDS, DRAWS, END = "0.001", "1", "2", "2025-12"
# The planner's change: twice H1's flats (model/data/measures.toml: 3000) and H3 kept to 2025's end.
H1_UNITS, H3_END = "6000", "2025-12-31"
SERVER_START = 120  # seconds: the first start imports and compiles the model
RUN_WAIT = 300_000  # milliseconds a run may take on a loaded two-core machine


def _scenario_error(text: str, folder: Path, name: str = "what_if.toml") -> str:
    """The message ``load`` gives a scenario file with this text, without its folder."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load(path)
    return str(err.value).replace(str(folder.resolve()) + "/", "").replace(str(folder) + "/", "")


HAND_WRITTEN = f"""
[scenario]
name = "what_if"
extends = "baseline"

[measures.H1]
enabled = true
units = {H1_UNITS}

[measures.H3]
enabled = true
end = "{H3_END}"
"""


# ------------------------------------------------------------------ the form and its files


def test_the_forms_file_is_the_scenario_a_planner_would_write(tmp_path):
    form = forms.initial().with_text("H1", "units", H1_UNITS).with_text("H3", "end", H3_END)
    built = forms.check(form)
    by_hand = load(_write(tmp_path / "by_hand.toml", HAND_WRITTEN + f'[period]\nend = "{form.end}"\n'))
    assert built["measures"] == by_hand["measures"]
    assert built["policy"] == by_hand["policy"]
    assert built.enabled_measures()["H3"]["end"] == H3_END
    assert built["measures"]["H1"]["units"] == float(H1_UNITS)


@pytest.mark.parametrize(
    "mid, key, typed, in_a_file",
    [
        ("H1", "units", "-5", "-5"),
        ("H1", "units", "lots", '"lots"'),
        ("H3", "end", "2030-13-01", '"2030-13-01"'),
        ("J1", "age_range", "[50, 22]", "[50, 22]"),
    ],
)
def test_a_bad_input_gets_the_scenario_files_message(tmp_path, mid, key, typed, in_a_file):
    form = forms.initial().switched(mid, True).with_text(mid, key, typed)
    with pytest.raises(ScenarioError) as err:
        forms.check(form)
    expected = _scenario_error(
        f'[scenario]\nname = "what_if"\nextends = "baseline"\n[measures.{mid}]\nenabled = true\n{key} = {in_a_file}\n',
        tmp_path,
    )
    assert str(err.value) == expected
    assert f"what_if.toml: key 'measures.{mid}.{key}' is" in expected


def test_run_settings_are_checked_as_in_a_file():
    for attribute, typed, key in (
        ("scale", "2", "run.scale"),
        ("seeds", "1.5", "run.seeds"),
        ("draws", "-1", "run.posterior_draws"),
        ("end", "2030", "period.end"),
    ):
        with pytest.raises(ScenarioError, match=rf"what_if\.toml: key '{key}' is"):
            forms.check(forms.initial().with_setting(attribute, typed))


def test_a_typed_line_cannot_add_tables_to_the_file():
    form = forms.initial().with_text("H1", "units", '1\n[policy]\nend = "2035-12-31"')
    with pytest.raises(ScenarioError, match=r"key 'measures\.H1\.units' is .* \(str\)"):
        forms.check(form)


def test_the_component_renders_for_a_notebook():
    """``WhatIf()`` builds its widgets outside a server, as in a Jupyter output cell."""
    solara = pytest.importorskip("solara")
    from model.app import WhatIf

    box, rc = solara.render(WhatIf(), handle_error=False)
    try:
        assert rc.find(v_model=forms.initial().scale).widgets  # the scale's input, as typed
    finally:
        rc.close()


# ------------------------------------------------------------------------ in a real browser


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _browser() -> str:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "the playwright package (pip install -e '.[test]')"
    else:
        missing = "" if Path(chromium).exists() else "Debian's chromium (apt-get install chromium; .ci/run does)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"the page test needs {missing}")
        pytest.skip(f"NOT IN CI: skipped, the page test needs {missing}")
    return chromium


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    log = (tmp_path / "server.log").open("wb")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "solara",
            "run",
            "model.app.page",
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
            "--production",
            "--no-open",
        ],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + SERVER_START
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"solara did not serve the page: {(tmp_path / 'server.log').read_text()[-2000:]}")
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _fill(page, name: str, text: str) -> None:
    """Type into one of the form's inputs and leave it, as a planner does (the form takes a
    value when its input changes)."""
    field = page.locator(f".what-if-{name} input")
    field.fill(text)
    field.press("Enter")


def _shown(page, table: str) -> pd.DataFrame:
    """The numbers a table of the page shows, with their exact values and their labels."""
    cells = page.locator(f".{table} td[data-value]")
    rows = cells.evaluate_all("cells => cells.map(c => Object.assign({text: c.innerText}, c.dataset))")
    frame = pd.DataFrame(rows)
    frame["value"] = frame["value"].astype(float)
    return frame


def _same(shown: float, expected: float) -> bool:
    if math.isnan(expected):
        return math.isnan(shown)
    return shown == pytest.approx(expected, rel=1e-12, abs=1e-9)


def test_the_page_answers_in_a_browser_as_the_api_does(server, tmp_path):
    from playwright.sync_api import sync_playwright

    chromium = _browser()
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"),  # a fresh --user-data-dir
            executable_path=chromium,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1500, "height": 2600},
            accept_downloads=True,
        )
        try:
            page = browser.new_page()
            page.goto(server, timeout=SERVER_START * 1000)
            page.wait_for_selector(".what-if-run", timeout=SERVER_START * 1000)
            for name, text in (("scale", SCALE), ("seeds", SEEDS), ("draws", DRAWS), ("end", END)):
                _fill(page, name, text)

            # A bad amount: refused with the scenario file's message, and nothing runs.
            _fill(page, "H1-units", "-5")
            refused = page.locator(".what-if-refused")
            refused.wait_for(timeout=30_000)
            expected = _scenario_error(HAND_WRITTEN.replace(f"units = {H1_UNITS}", "units = -5"), tmp_path)
            assert expected in refused.inner_text()
            assert page.locator(".what-if-run").is_disabled()

            # The planner's change, then the run: a progress bar while it runs, then the answer.
            _fill(page, "H1-units", H1_UNITS)
            _fill(page, "H3-end", H3_END)
            refused.wait_for(state="detached", timeout=30_000)
            page.click(".what-if-run")
            page.wait_for_selector(".what-if-progress", timeout=30_000)
            page.wait_for_selector(".what-if-headline", timeout=RUN_WAIT)
            headline, by_measure = _shown(page, "what-if-headline"), _shown(page, "what-if-by-measure")
            uncertainty = page.locator(".what-if-uncertainty").inner_text()
            above = float(page.locator(".what-if-probability b").get_attribute("data-value") or "nan")
            with page.expect_download() as download:
                page.click(".what-if-download")
            downloaded = tmp_path / "downloaded" / download.value.suggested_filename
            download.value.save_as(downloaded)
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()

    # The same scenario, written by hand, through model.api with the same seeds and scale.
    by_hand = _write(tmp_path / "what_if.toml", HAND_WRITTEN)
    comparison = api.compare(
        str(by_hand), "baseline", seeds=int(SEEDS), scale=float(SCALE), end=END, draws=int(DRAWS)
    )
    assert comparison.uncertainty in uncertainty and "posterior" in uncertainty  # the page says what it carries
    assert above == comparison.probability_above()
    summary = comparison.summary.set_index(["indicator", "year"])
    assert len(headline) == 5 * summary.loc["extra_population"].shape[0]
    for row in headline.itertuples():
        assert _same(row.value, summary.loc[(row.indicator, int(row.year)), row.stat]), row
    assert set(by_measure.measure) == {"H1", "H3"}
    last = int(comparison.summary.year.max())
    for row in by_measure.itertuples():
        if row.figure == "cost_per_attributed_resident":
            expected = summary.loc[(f"cost_per_additional_resident_{row.measure}", last), "mean"]
        else:
            name = "net_cost" if row.figure == "net_cost" else "attributed"
            expected = summary.loc[f"{name}_{row.measure}", "mean"].sum()
        assert _same(row.value, expected), row
    extra = headline[(headline.indicator == "extra_population") & (headline.stat == "mean")]
    assert extra.value.iloc[-1] > 0, "twice the flats and H3 to 2025 bring no one: the check would prove little"
    assert extra.text.iloc[-1] == f"{extra.value.iloc[-1]:,.0f}"  # what a planner reads is that number

    # The downloaded file is a scenario the command line runs, to the same figures.
    assert (
        load(downloaded)["measures"]
        == load(by_hand).with_overrides({"run": {"scale": float(SCALE), "seeds": int(SEEDS)}, "period": {"end": END}})[
            "measures"
        ]
    )
    out = tmp_path / "cli"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "model",
            "compare",
            str(downloaded),
            "--against",
            "baseline",
            "--quiet",
            "--out",
            str(out),
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    effects = pd.read_csv(next(out.glob("*/effects.csv"))).set_index(["indicator", "year"])
    for row in headline[headline.indicator == "extra_population"].itertuples():
        assert _same(row.value, effects.loc[("extra_population", int(row.year)), row.stat]), row
