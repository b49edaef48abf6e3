"""Scenario files: valid ones load and extend; bad ones are refused naming file and key."""

import pytest

from model.calibration import calibrated_defaults
from model.scenario import ScenarioError, load, schema

GOOD = """
[scenario]
name = "case"
[run]
scale = 0.01
"""


def test_shipped_baseline_loads():
    s = load("baseline")
    assert s.name == "baseline" and s.start == "2020-11" and s.end == "2035-12"
    # The default is the committed calibration's estimate, or the prior in model/data/demography.toml.
    assert s["demography"]["tfr"] == pytest.approx(calibrated_defaults().get(("demography", "tfr"), 0.8))


def test_defaults_fill_missing_keys(write_scenario):
    s = load(write_scenario(GOOD))
    assert set(s.values) == set(schema()) | {"measures"}
    assert s["run"]["seeds"] == schema()["run"]["seeds"].default


def test_extends_overrides_only_what_it_names(write_scenario):
    write_scenario(GOOD + "seeds = 4\n[demography]\ntfr = 1.1\n", name="parent")
    child = load(write_scenario('[scenario]\nname = "child"\nextends = "parent"\n[demography]\nsrb = 105.0\n'))
    assert child.name == "child"
    assert child["demography"]["tfr"] == 1.1 and child["demography"]["srb"] == 105.0
    assert child["run"]["seeds"] == 4 and child["run"]["scale"] == 0.01
    assert [p.rsplit("/", 1)[-1] for p in child.chain] == ["parent.toml", "case.toml"]


@pytest.mark.parametrize(
    "text, fragments",
    [
        (GOOD + "scael = 0.1\n", ["case.toml", "run.scael", "did you mean 'scale'", "allowed keys in [run]"]),
        (GOOD + "[demografy]\ntfr = 1.0\n", ["case.toml", "[demografy]", "allowed sections"]),
        (GOOD.replace("0.01", '"0.01"'), ["case.toml", "run.scale", "a number"]),
        (GOOD.replace("0.01", "-0.5"), ["case.toml", "run.scale", "-0.5", "from 1e-05 to 1.0"]),
        (GOOD + "seeds = 2.5\n", ["run.seeds", "an integer"]),
        (GOOD + "seeds = true\n", ["run.seeds", "an integer"]),
        (GOOD + '[period]\nend = "2019-12"\n', ["case.toml", "period.end", "before"]),
        (GOOD + '[period]\nend = "2030-13"\n', ["period.end", "YYYY-MM"]),
        (GOOD + '[period]\nstart = "2022-01"\n', ["period.start", "2020-11"]),
        (GOOD + "[demography]\ntfr = -1.0\n", ["demography.tfr", "from 0.0 to 8.0"]),
        ("[run]\nscale = 0.1\n", ["scenario.name", "missing"]),
        ('[scenario]\nname = "x"\nextends = "nowhere"\n', ["scenario.extends", "nowhere", "does not exist"]),
        ("[scenario\nname=", ["case.toml", "not valid TOML"]),
        (GOOD + "[measures.H9]\nenabled = true\n", ["case.toml", "unknown measure id 'H9'", "allowed ids: H1, H2"]),
        (
            GOOD + "[measures.H3]\nloan_limit_singel = 500000\n",
            ["measures.H3.loan_limit_singel", "did you mean 'loan_limit_single'"],
        ),
        (GOOD + "[measures.H3]\nloan_limit_single = -1\n", ["measures.H3.loan_limit_single", "of at least 0"]),
        (GOOD + '[measures.H3]\nloan_limit_single = "40万"\n', ["measures.H3.loan_limit_single", "a number", "yuan"]),
        (GOOD + "[measures.H1]\nrent_discount = 50\n", ["measures.H1.rent_discount", "from 0 to 1.0", "share"]),
        (GOOD + '[measures.K1]\nstart = "2023-01-01"\nend = "2022-12-31"\n', ["measures.K1.end", "before"]),
        (GOOD + '[policy]\nstart = "2022-10-27"\nend = "2022-01-01"\n', ["policy.end", "before"]),
        (GOOD + '[policy]\nstart = "2022/10/27"\n', ["policy.start", "YYYY-MM-DD"]),
        (GOOD + "[behaviour]\nbeta_incme = 2.0\n", ["behaviour.beta_incme", "did you mean 'beta_income'"]),
        (
            GOOD + "[behaviour]\noutside_consider_rate = [0.1, 0.2]\n",
            ["behaviour.outside_consider_rate", "a list of 3 numbers"],
        ),
        (GOOD + "[conditions]\nwage_growth_baotou = 5\n", ["conditions.wage_growth_baotou", "from -0.5 to 1.0"]),
    ],
)
def test_bad_input_is_refused_with_file_and_key(write_scenario, text, fragments):
    path = write_scenario(text)
    with pytest.raises(ScenarioError) as err:
        load(path)
    message = str(err.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


def test_extends_cycle_is_refused(write_scenario):
    write_scenario('[scenario]\nname = "a"\nextends = "b"\n', name="a")
    path = write_scenario('[scenario]\nname = "b"\nextends = "a"\n', name="b")
    with pytest.raises(ScenarioError, match="cycle"):
        load(path)


def test_error_in_parent_names_the_parent(write_scenario):
    write_scenario('[scenario]\nname = "p"\n[run]\nscale = 7.0\n', name="parent")
    path = write_scenario('[scenario]\nname = "c"\nextends = "parent"\n')
    with pytest.raises(ScenarioError, match=r"parent\.toml: key 'run\.scale'"):
        load(path)


def test_command_line_overrides_are_validated():
    with pytest.raises(ScenarioError, match="command line: key 'run.scale'"):
        load("baseline").with_overrides({"run": {"scale": -1.0}})


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ScenarioError, match="no scenario named 'no_such_scenario'.*available: baseline"):
        load("no_such_scenario")
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load(tmp_path / "no_such_scenario.toml")


def test_measure_values_and_windows_are_filled_from_data_and_policy(write_scenario):
    s = load(
        write_scenario(
            GOOD + '[policy]\nend = "2024-10-26"\n[measures.H3]\nenabled = true\n'
            'loan_limit_single = 500000\n[measures.K1]\nenabled = true\nend = "2025-12-31"\n'
        )
    )
    h3, k1 = s.measure("H3"), s.measure("K1")
    assert h3["loan_limit_single"] == 500000 and h3["loan_limit_couple"] == 700000  # the rest from measures.toml
    assert (h3["start"], h3["end"]) == ("2022-10-27", "2024-10-26")
    assert k1["end"] == "2025-12-31"
    assert set(s.enabled_measures()) == {"H3", "K1"}
    # A later override of [policy] moves the measures that follow it, not those with their own dates.
    moved = s.with_overrides({"policy": {"start": "2021-01-01", "end": "2024-12-31"}})
    assert (moved.measure("H3")["start"], moved.measure("H3")["end"]) == ("2021-01-01", "2024-12-31")
    assert moved.measure("K1")["end"] == "2025-12-31"
