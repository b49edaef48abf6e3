"""Hostile inputs (issue 13): each is refused with one line naming the file or option, the key and
what is allowed; nothing is written outside ``--out``; the CLI exits 2 without a traceback."""

from __future__ import annotations

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
