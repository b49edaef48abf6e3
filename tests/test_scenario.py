"""Scenario files: valid ones load and extend; bad ones are refused naming file and key."""

import pytest

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
    assert s["demography"]["tfr"] == pytest.approx(0.8)  # default from model/data/demography.toml


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


def test_missing_file_is_refused():
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load("no_such_scenario")
