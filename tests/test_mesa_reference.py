"""The idiomatic Mesa reference (benchmarks/mesa_reference.py) and the columnar model apply the
same demographic rules to the same people, so they give the same numbers, year by year."""

import importlib.util
from pathlib import Path

from model.model import BaotouModel
from model.scenario import load

SPEC = importlib.util.spec_from_file_location(
    "mesa_reference", Path(__file__).resolve().parent.parent / "benchmarks" / "mesa_reference.py"
)
mesa_reference = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(mesa_reference)


def test_reference_and_columnar_model_agree():
    scale, months = 0.002, 62  # to the end of 2025
    ref = mesa_reference.ReferenceModel(scale, seed=3)
    col = BaotouModel(load("baseline").with_overrides({"run": {"scale": scale, "migration": False}}), seed=3)
    for _ in range(months):
        ref.step()
        col.step()
    assert len(ref.agents) == col.people.n_alive
    table = col.datacollector.get_model_vars_dataframe()
    assert ref.deaths == round(table.deaths.sum() / col.weight)
    assert ref.births == round(table.births.sum() / col.weight)
    assert sorted(a.age_months for a in ref.agents) == sorted(col.people.age_months[col.people.alive].tolist())
