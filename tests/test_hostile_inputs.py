"""Hostile inputs (issue 13): each is refused with one line naming the file or option, the key and
what is allowed; nothing is written outside ``--out``; the CLI exits 2 without a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from model.experiments import run_dir_for
from model.experiments.spec import load_experiment
from model.runs.results import new_run_dir
from model.scenario import SCENARIO_DIR, ScenarioError, load

ROOT = Path(__file__).resolve().parent.parent
GOOD = '[scenario]\nname = "case"\n'


def refused(path: Path | str, *fragments: str) -> str:
    with pytest.raises(ScenarioError) as err:
        load(path)
    message = str(err.value)
    assert "\n" not in message, message
    for fragment in fragments:
        assert fragment in message, message
    return message


# --- 1. names and extends -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../x", "/tmp/abs", "a/b", ".hidden", "x" * 65, "x\\u0000y", "", "名字", "x y", "x\\n"],
)
def test_unsafe_scenario_names_are_refused(write_scenario, name):
    refused(write_scenario(f'[scenario]\nname = "{name}"\n'), "case.toml", "scenario.name", "at most 64")


def test_safe_names_load(write_scenario):
    assert load(write_scenario('[scenario]\nname = "ok_name-2.v1"\n')).name == "ok_name-2.v1"


@pytest.mark.parametrize("name", ["../escape", "/tmp/abs", ".", "", "a/b"])
def test_results_directories_stay_inside_out(tmp_path, name):
    with pytest.raises(ScenarioError, match="letters, digits"):
        new_run_dir(tmp_path / "out", name)
    assert not (tmp_path / "escape").exists()


def test_experiment_name_is_checked(tmp_path):
    path = tmp_path / "exp.toml"
    path.write_text(
        '[experiment]\nname = "../../evil"\nscenario = "policy_2022"\n'
        '[levers]\n"measures.H3.loan_limit_single" = [300000, 400000]\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match=r"experiment\.name.*letters, digits"):
        load_experiment(path)
    exp = load_experiment("loans_and_rental")
    exp.name = "../evil"
    with pytest.raises(ScenarioError, match="experiment.name"):
        run_dir_for(exp, tmp_path)


def test_extends_is_confined_to_its_folder_and_scenarios(tmp_path, write_scenario):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.toml").write_text('[scenario]\nname = "secret"\n[run]\nscale = 99.0\n', encoding="utf-8")
    for target in (str(outside / "secret.toml"), "elsewhere/secret", "../elsewhere/secret", "/etc/passwd"):
        message = refused(write_scenario(GOOD + f'extends = "{target}"\n'), "scenario.extends", "no folders")
        assert "99.0" not in message
    # A plain name is looked up beside the file, then in the shipped scenarios/.
    s = load(write_scenario(GOOD + 'extends = "policy_2022"\n'))
    assert s.chain[0] == str(SCENARIO_DIR / "baseline.toml")
    # A link beside the file may not lead out of the two folders.
    (tmp_path / "link.toml").symlink_to(outside / "secret.toml")
    refused(write_scenario(GOOD + 'extends = "link"\n'), "scenario.extends", "link leading outside")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_not_read(tmp_path, write_scenario):
    os.mkfifo(tmp_path / "pipe.toml")
    refused(write_scenario(GOOD + 'extends = "pipe"\n'), "pipe.toml", "not a regular file")
    refused(tmp_path / "pipe.toml", "not a regular file")


# --- 2. numbers that used to pass and give wrong numbers --------------------------------------


@pytest.mark.parametrize(
    "text, fragments",
    [
        ("[demography]\ntfr = nan\n", ["demography.tfr", "nan", "from 0.0 to 8.0"]),
        ("[measures.H3]\nloan_limit_single = nan\n", ["measures.H3.loan_limit_single", "nan", "finite"]),
        ("[measures.H3]\nloan_limit_single = inf\n", ["measures.H3.loan_limit_single", "inf", "finite"]),
        ("[behaviour]\nmove_constant = -inf\n", ["behaviour.move_constant", "-inf", "from -10 to 10"]),
        ("[behaviour]\nbeta_income = inf\n", ["behaviour.beta_income", "finite"]),
        ("[behaviour]\nbeta_income = true\n", ["behaviour.beta_income", "True", "a number"]),
        ("[measures.H1]\nunits = false\n", ["measures.H1.units", "a whole number"]),
        ("[behaviour]\noutside_consider_rate = [0.1, nan, 0.1]\n", ["behaviour.outside_consider_rate", "list"]),
        ("[behaviour]\noutside_consider_rate = [0.1, true, 0.1]\n", ["behaviour.outside_consider_rate", "list"]),
        ("[behaviour]\nnest_lambda = 0\n", ["behaviour.nest_lambda", "above 0 and at most 1"]),
        ("[behaviour]\nnest_lambda = 1.5\n", ["behaviour.nest_lambda", "above 0 and at most 1"]),
        ("[behaviour]\nmale_share_by_kind = [5, 0.5, 0.5]\n", ["behaviour.male_share_by_kind", "from 0 to 1"]),
        ("[behaviour]\ngraduation_month = 13\n", ["behaviour.graduation_month", "whole number from 1 to 12"]),
        ("[behaviour]\ngraduation_month = 6.5\n", ["behaviour.graduation_month", "whole number"]),
        ("[behaviour]\nintake_month = 0\n", ["behaviour.intake_month", "from 1 to 12"]),
        ("[behaviour]\ntalent_age_range = [60, 30]\n", ["behaviour.talent_age_range", "not in order", "(low, high)"]),
        ("[behaviour]\ncandidate_age_range = [16, 640]\n", ["behaviour.candidate_age_range", "from 0 to 120"]),
        ("[measures.J1]\nage_range = [50, 22]\n", ["measures.J1.age_range", "in order"]),
        ("[measures.H1]\nunits = 1e12\n", ["measures.H1.units", "whole number from 0 to 1000000"]),
        ("[measures.H1]\nunits = 30.5\n", ["measures.H1.units", "whole number"]),
        ("[behaviour]\nstudent_intake = 1e9\n", ["behaviour.student_intake", "whole number"]),
        ("[behaviour]\nfertility_multiplier_bound = 0\n", ["behaviour.fertility_multiplier_bound", "from 1 to 10"]),
        (
            "[behaviour]\nfertility_multiplier_bound = 1.01\n[measures.F1]\nenabled = true\n",
            ["measures.F1.fertility_multiplier", "above 'behaviour.fertility_multiplier_bound'", "raise the bound"],
        ),
        (
            "[behaviour]\nhukou_takeup_rate_bound = 0.01\n",
            ["behaviour.hukou_takeup_rate", "above 'behaviour.hukou_takeup_rate_bound'"],
        ),
        ('[policy]\nstart = "２０２２-１０-２７"\n', ["policy.start", "YYYY-MM-DD"]),
        ('[policy]\nstart = "2022-W43-4"\n', ["policy.start", "YYYY-MM-DD"]),
        ('[policy]\nstart = "20221027"\n', ["policy.start", "YYYY-MM-DD"]),
        ('[measures.K1]\nstart = "2022-10-27\\n"\n', ["measures.K1.start", "YYYY-MM-DD"]),
        ('[period]\nend = "２０３０-１２"\n', ["period.end", "YYYY-MM"]),
        ('[period]\nend = "2030-12\\n"\n', ["period.end", "YYYY-MM"]),
        ("[run]\nscale = nan\n", ["run.scale", "nan"]),
        ("[run]\nseeds = 1e400\n", ["run.seeds", "an integer"]),
    ],
)
def test_hostile_values_are_refused(write_scenario, text, fragments):
    refused(write_scenario(GOOD + text), "case.toml", *fragments)


def test_every_number_has_a_domain_and_its_default_is_in_it():
    """Each data entry declares nothing unknown, and each default passes its own check."""
    from model.scenario import KINDS, check_value, measure_specs, schema

    keys = [(f"{s}.{k}", spec) for s, section in schema().items() for k, spec in section.items()]
    keys += [(f"measures.{m}.{k}", spec) for m, t in measure_specs().items() for k, spec in t["keys"].items()]
    for label, spec in keys:
        assert spec.kind in ("", "year_month", "date", "name", *KINDS), label
        if spec.default is not None:
            check_value(spec, spec.default, label)
        if spec.type is float and spec.kind in ("count", "month"):
            assert spec.maximum is not None and spec.integer, label


def test_shipped_numbers_are_unchanged_by_the_domains():
    """The domains refuse values; they do not change those that pass (kept as floats)."""
    s = load("policy_2022")
    assert s["measures"]["H1"]["units"] == 3000.0 and isinstance(s["measures"]["H1"]["units"], float)
    assert s["behaviour"]["talent_age_range"] == [28.0, 50.0]


# --- 4. experiments vary only what a run uses ---------------------------------------------------

EXPERIMENT = '[experiment]\nname = "e"\nscenario = "policy_2022"\n{head}[levers]\n{levers}\n'


@pytest.mark.parametrize(
    "head, levers, fragments",
    [
        ("", '"run.scale" = [0.01, 0.02]', ["levers.run.scale", "cannot vary", "allowed: keys in demography"]),
        ("", '"period.end" = [2030, 2035]', ["levers.period.end", "cannot vary"]),
        ("", '"run.seeds" = [1, 2]', ["levers.run.seeds", "cannot vary"]),
        ("", '"scenario.name" = [1, 2]', ["levers.scenario.name", "cannot vary"]),
        ("", '"measures.H3.enabled" = [0, 1]', ["measures.H3.enabled", "only single numbers may vary"]),
        ("", '"behaviour.talent_age_range" = [1, 2]', ["talent_age_range", "only single numbers"]),
        ("", '"policy.start" = [1, 2]', ["policy.start", "only single numbers"]),
        ("", '"measures.H1.rent_discount" = [0.5, 5.0]', ["measures.H1.rent_discount", "5.0", "from 0 to 1"]),
        ("", '"measures.H1.units" = [10.5]', ["measures.H1.units", "whole number"]),
        ("", '"demography.tfr" = [nan]', ["demography.tfr", "nan"]),
        ("", '"measures.H3.loan_limit_single" = [inf]', ["loan_limit_single", "inf", "finite"]),
        ("", '"measures.H3.loan_limit_single" = [true]', ["loan_limit_single", "a list of numbers"]),
        ('design = "latin_hypercube"\n', '"behaviour.nest_lambda" = [0.0, 1.0]', ["nest_lambda", "above 0"]),
        ('design = "latin_hypercube"\n', '"behaviour.nest_lambda" = [nan, 1.0]', ["nest_lambda", "low < high"]),
        ("scale = nan\n", '"demography.tfr" = [1.0]', ["experiment.scale", "nan", "finite number"]),
        ("scale = inf\n", '"demography.tfr" = [1.0]', ["experiment.scale", "inf"]),
        ("seeds = true\n", '"demography.tfr" = [1.0]', ["experiment.seeds", "an integer"]),
        ("seeds = 2.5\n", '"demography.tfr" = [1.0]', ["experiment.seeds", "an integer"]),
    ],
)
def test_hostile_experiments_are_refused(tmp_path, head, levers, fragments):
    path = tmp_path / "exp.toml"
    path.write_text(EXPERIMENT.format(head=head, levers=levers), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_experiment(path)
    message = str(err.value)
    assert "\n" not in message and "exp.toml" in message, message
    for fragment in fragments:
        assert fragment in message, message


# --- 3. one line, exit code 2, no traceback -----------------------------------------------------


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "model", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )


def hostile_files(tmp_path: Path) -> dict[str, tuple[Path, list[str]]]:
    """Files no scenario load should trip over, with the words their one line must hold."""
    files = {}

    def put(name: str, data: bytes, *words: str) -> None:
        path = tmp_path / f"{name}.toml"
        path.write_bytes(data)
        files[name] = (path, [path.name, *words])

    put("gbk", '[scenario]\nname = "包头"\n'.encode("gbk"), "not UTF-8")
    put("utf16", '[scenario]\nname = "x"\n'.encode("utf-16"), "not UTF-8")
    put("binary", bytes(range(256)) * 4, "not UTF-8")
    put("nul_name", b'[scenario]\nname = "a\\u0000b"\n', "scenario.name", "letters, digits")
    put("slash_name", b'[scenario]\nname = "a/b"\n', "scenario.name", "letters, digits")
    put("long_name", b'[scenario]\nname = "' + b"x" * 300 + b'"\n', "scenario.name", "at most 64")
    put("bound", b'[scenario]\nname = "b"\n[behaviour]\nfertility_multiplier_bound = 0\n', "from 1 to 10")
    put("nan", b'[scenario]\nname = "n"\n[demography]\ntfr = nan\n', "demography.tfr", "nan")
    # A chain of extends deeper than allowed (each file extends the next).
    for k in range(40):
        (tmp_path / f"deep{k}.toml").write_text(f'[scenario]\nname = "d{k}"\nextends = "deep{k + 1}"\n')
    (tmp_path / "deep40.toml").write_text('[scenario]\nname = "d40"\n')
    files["deep"] = (tmp_path / "deep0.toml", ["deep0.toml", "scenario.extends", "at most 16"])
    (tmp_path / "folder.toml").mkdir()
    files["directory"] = (tmp_path / "folder.toml", ["folder.toml", "is a directory"])
    return files


CASES = ["gbk", "utf16", "binary", "nul_name", "slash_name", "long_name", "bound", "nan", "deep", "directory"]


@pytest.mark.parametrize("case", CASES)
def test_hostile_files_are_refused_in_one_line(tmp_path, case):
    path, words = hostile_files(tmp_path)[case]
    refused(path, *words)


@pytest.mark.parametrize("case", ["gbk", "binary", "long_name", "deep", "directory"])
def test_cli_refuses_hostile_files_in_one_line(tmp_path, case):
    path, words = hostile_files(tmp_path)[case]
    done = cli("run", str(path), "--quiet", "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and all(w in lines[0] for w in words), done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "args, words",
    [
        (["run", "baseline", "--scale", "nan"], ["--scale", "nan", "finite"]),
        (["run", "baseline", "--scale", "inf"], ["--scale", "inf"]),
        (["run", "baseline", "--seeds", "0"], ["--seeds", "at least 1"]),
        (["run", "baseline", "--end", "2030-13"], ["period.end", "YYYY-MM"]),
        (["run", "baseline", "--end", "２０３０-１２"], ["period.end", "YYYY-MM"]),
        (["compare", "policy_2022", "--scale", "nan"], ["--scale", "nan"]),
        (["experiment", "loans_and_rental", "--workers", "-1"], ["--workers", "at least 1"]),
        (["experiment", "loans_and_rental", "--workers", "0"], ["--workers", "at least 1"]),
        (["calibrate", "--scale", "nan"], ["--scale", "nan"]),
        (["calibrate", "--seeds", "1"], ["--seeds", "at least 2"]),
        (["run", "a" * 300], ["cannot read", "File name too long"]),
        (["run", "../x"], ["no such scenario file"]),
        (["experiment", str(ROOT / "scenarios")], ["is a directory"]),
        (["run"], ["required: scenario"]),
        (["frobnicate"], ["invalid choice"]),
    ],
)
def test_cli_refuses_bad_options_in_one_line(tmp_path, args, words):
    done = cli(*args, "--quiet", cwd=tmp_path) if args[0] in ("run", "compare", "experiment") else cli(*args)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and all(w in lines[0] for w in words), done.stderr


# --- 5. what the rest of issue 13 named -----------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "a = " + "[" * 10_000 + "]" * 10_000,  # the parser would recurse 10,000 deep
        "[behaviour]\nx = " + "{a = " * 3_000 + "1" + "}" * 3_000,  # inline tables
        "[" + ".".join(["t"] * 5_000) + "]\nv = 1",  # nested tables, parsed without recursion
        "[behaviour]\nx = " + "[" * 20 + "]" * 20,  # shallow enough to parse, too deep to be a key
    ],
)
def test_deeply_nested_toml_is_one_line_not_a_recursion_error(write_scenario, tmp_path, body):
    path = write_scenario(GOOD + body + "\n")
    refused(path, "case.toml", "nested too deeply", "at most 8 levels")
    exp = tmp_path / "exp.toml"
    exp.write_text('[experiment]\nname = "e"\nscenario = "baseline"\n' + body + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="nested too deeply"):
        load_experiment(exp)


@pytest.mark.parametrize(
    "end, words",
    [
        ('"2035-13"', ["experiment.end", "'2035-13'", "YYYY-MM"]),
        ('"２０３５-１２"', ["experiment.end", "YYYY-MM"]),
        ('"2035-12-31"', ["experiment.end", "YYYY-MM"]),
        ('"2019-12"', ["experiment.end", "before the first month 2020-11"]),
        ("2035", ["experiment.end", "a string"]),
    ],
)
def test_an_experiments_end_is_checked_on_load(tmp_path, end, words):
    path = tmp_path / "exp.toml"
    path.write_text(EXPERIMENT.format(head=f"end = {end}\n", levers='"demography.tfr" = [1.0]'), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_experiment(path)
    message = str(err.value)
    assert "\n" not in message and "exp.toml" in message, message
    assert all(w in message for w in words), message


def test_a_compare_label_longer_than_a_name_is_shortened_safely(tmp_path, write_scenario):
    from model.runs.compare import compare, label_for
    from model.scenario import NAME_MAX, check_name

    long_a, long_b = "a" * NAME_MAX, "b" * NAME_MAX
    label = label_for(long_a, long_b)
    assert len(label) == NAME_MAX and check_name(label, "label") and label.startswith("a" * 40)
    assert label != label_for(long_a, "c" * NAME_MAX) and label == label_for(long_a, long_b)
    assert label_for("policy_2022", "baseline") == "policy_2022-vs-baseline"
    # Two valid scenarios of 64-character names compare to the end, under the short label.
    a = load(write_scenario(f'[scenario]\nname = "{long_a}"\nextends = "policy_2022"\n', "a"))
    b = load(write_scenario(f'[scenario]\nname = "{long_b}"\nextends = "baseline"\n', "b"))
    settings = {"run": {"scale": 0.002, "seeds": 1, "posterior_draws": 0}, "period": {"end": "2020-12"}}
    run_dir = compare(a.with_overrides(settings), b.with_overrides(settings), tmp_path / "out", progress=False)
    assert run_dir.parent == tmp_path / "out" and run_dir.name.startswith(label)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["label"] == label
    assert manifest["scenario"]["name"] == long_a and manifest["against"]["name"] == long_b


@pytest.mark.parametrize(
    "command", [["run", "polcy_2022"], ["compare", "polcy_2022"], ["experiment", "loans_and_rentl"]]
)
def test_an_unknown_name_gets_did_you_mean_and_the_list(tmp_path, command):
    done = cli(*command, "--quiet", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    (line,) = done.stderr.strip().splitlines()
    close = "loans_and_rental" if command[0] == "experiment" else "policy_2022"
    folder = ROOT / "scenarios" / ("experiments" if command[0] == "experiment" else "")
    listed = ", ".join(sorted(f.stem for f in folder.glob("*.toml")))
    assert f"did you mean '{close}'?" in line and f"available: {listed}" in line, line


def test_an_unknown_counterfactual_is_named_as_the_option(tmp_path):
    with pytest.raises(ScenarioError, match="did you mean 'baseline'"):
        load("baselin")
    done = cli("compare", "policy_2022", "--against", "baselin", "--quiet", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.startswith("error: --against: no scenario named 'baselin'")


def test_compare_takes_start_like_run_and_checks_it(tmp_path):
    for command in ("run", "compare"):
        for start, words in (("2021-01", ["period.start", "allowed start is 2020-11"]), ("2020-13", ["YYYY-MM"])):
            done = cli(command, "policy_2022", "--start", start, "--quiet", cwd=tmp_path)
            assert done.returncode == 2, done.stderr
            (line,) = done.stderr.strip().splitlines()
            assert all(w in line for w in words), line
    out = tmp_path / "out"
    args = ["compare", "policy_2022", "--start", "2020-11", "--end", "2020-12", "--scale", "0.002", "--seeds", "1"]
    args += ["--draws", "0"]
    done = cli(*args, "--quiet", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (run_dir,) = out.iterdir()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["scenario"]["period"]["start"] == manifest["against"]["period"]["start"] == "2020-11"


@pytest.mark.parametrize(
    "key, inside, outside",
    [
        ("beta_hukou", -0.5, -11),
        ("baotou_constant", -1.0, 10.5),
        ("home_constant", -2.0, -10.5),
        ("graduate_stay_constant", -0.3, 11),
        ("move_constant", -3.0, -12),
        ("talent_accept_constant", 1.0, 20),
    ],
)
def test_utility_constants_may_be_negative_within_their_declared_domain(write_scenario, key, inside, outside):
    """Constants of either sign (defaults 0 or more among them) declare their floor in
    behaviour.toml instead of getting the floor 0 of a number without one."""
    assert load(write_scenario(GOOD + f"[behaviour]\n{key} = {inside}\n"))["behaviour"][key] == inside
    refused(write_scenario(GOOD + f"[behaviour]\n{key} = {outside}\n"), f"behaviour.{key}", "from -10 to 10")


def test_growth_rates_take_their_domain_from_the_data_file(write_scenario):
    from model import params

    entry = params.load("behaviour")["house_price_growth"]
    assert entry["value"] == 0 and entry["min"] < 0  # defaults to 0, may fall
    assert load(write_scenario(GOOD + "[conditions]\nhouse_price_growth = -0.2\n"))["conditions"][
        "house_price_growth"
    ] == pytest.approx(-0.2)
    refused(write_scenario(GOOD + "[conditions]\nwage_growth_baotou = -0.6\n"), "conditions.wage_growth_baotou")


def test_every_default_zero_number_says_whether_it_may_be_negative():
    """A number without a declared floor gets 0 as floor when its default is 0 or more; a key
    defaulting to exactly 0 must say so explicitly (``min``), since 0 is often the middle of
    its range rather than its end."""
    from model import params

    for file in ("behaviour", "demography"):
        for key, entry in params.load(file).items():
            value = entry.get("value")
            if isinstance(value, bool) or not isinstance(value, int | float) or value != 0:
                continue
            assert "min" in entry or "above" in entry or entry.get("kind") in ("share", "count"), f"{file}.{key}"
