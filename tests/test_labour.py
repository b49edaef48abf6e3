"""Job loss and re-employment keep unemployment near the rate the two hazards imply."""

import numpy as np
import pytest

from model import labour
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


def test_job_change_months_have_the_monthly_hazard_of_the_rates():
    """The scheduled month of the next job loss (or find) is distributed as a draw each month
    with chance 1 - exp(-rate / 12) would be: P(still in the spell after k months) = exp(-rate k / 12)."""
    model = BaotouModel(load("baseline").with_overrides({"run": {"scale": 0.001}}), seed=0)
    keys = np.arange(200_000, dtype=np.uint64)
    for employed, rate in ((True, model.beh["job_loss_rate"]), (False, model.beh["reemployment_rate"])):
        months = labour.next_job_change(model, keys, np.full(keys.size, employed), 300) - 300
        assert months.min() >= 0
        for k in (1, 3, 6, 12, 24):
            assert np.mean(months >= k) == pytest.approx(np.exp(-rate * k / 12), abs=0.004)
