"""Job loss and re-employment keep unemployment near the rate the two hazards imply."""

import numpy as np
import pytest

from model.model import BaotouModel
from model.scenario import load
from model.stages import labour


def test_unemployment_settles_near_its_steady_state():
    scenario = load("baseline").with_overrides({"run": {"scale": 0.01}, "period": {"end": "2024-12"}})
    model = BaotouModel(scenario, seed=4)
    model.run()
    table = model.datacollector.get_model_vars_dataframe().set_index("year")
    steady = 100 * labour.steady_unemployment(model.context)  # the hazards of 2024-12
    assert table.loc[2024, "unemployment_rate"] == pytest.approx(steady, abs=0.6)


def test_job_change_months_have_the_monthly_hazard_of_the_rates():
    """The scheduled month of the next job loss (or find) is distributed as a draw each month
    with chance 1 - exp(-rate / 12) would be: P(still in the spell after k months) = exp(-rate k / 12)."""
    model = BaotouModel(load("baseline").with_overrides({"run": {"scale": 0.001}}), seed=0)
    keys = np.arange(200_000, dtype=np.uint64)
    rates = labour.job_loss_rate(model.context), labour.reemployment_rate(model.context)
    for employed, rate in zip((True, False), rates, strict=True):
        months = labour.next_job_change(model.context, keys, np.full(keys.size, employed), 300) - 300
        assert months.min() >= 0
        for k in (1, 3, 6, 12, 24):
            assert np.mean(months >= k) == pytest.approx(np.exp(-rate * k / 12), abs=0.004)


def test_people_join_and_leave_the_labour_force_with_age():
    """Young cohorts start work and older ones retire, so the share in work by age holds over
    fifteen years instead of the census workers ageing into retirement ages still in work."""
    model = BaotouModel(load("baseline").with_overrides({"run": {"scale": 0.01}}), seed=1)

    def in_work(lo: int, hi: int) -> float:
        p = model.people
        age = p.age_months // 12
        sel = p.alive & (age >= lo) & (age <= hi)
        return float(p.employed[sel].mean())

    start = {band: in_work(*band) for band in ((25, 34), (35, 44), (65, 74))}
    model.run()
    for band, share in start.items():
        assert abs(in_work(*band) - share) < 0.08, (band, share, in_work(*band))


def test_the_census_starts_with_the_steady_state_unemployment():
    model = BaotouModel(load("baseline").with_overrides({"run": {"scale": 0.01}}), seed=2)
    p = model.people
    steady = labour.steady_unemployment(model.context)
    share = p.unemployed.sum() / (p.employed.sum() + p.unemployed.sum())
    assert share == pytest.approx(steady, abs=0.01)
