"""Job loss and re-employment keep unemployment near the rate the two hazards imply."""

import pytest

from model.model import BaotouModel
from model.scenario import load


def test_unemployment_settles_near_its_steady_state():
    scenario = load("baseline").with_overrides({"run": {"scale": 0.01}, "period": {"end": "2024-12"}})
    model = BaotouModel(scenario, seed=4)
    model.run()
    table = model.datacollector.get_model_vars_dataframe().set_index("year")
    beh = scenario["behaviour"]
    steady = 100 * beh["job_loss_rate"] / (beh["job_loss_rate"] + beh["reemployment_rate"])
    assert table.loc[2024, "unemployment_rate"] == pytest.approx(steady, abs=1.0)
