"""Fertility and mortality schedules."""

import numpy as np
import pytest

from model import params
from model.demography.schedules import MonthlyRates, asfr, fitted_hazard, life_expectancy


@pytest.mark.parametrize("e0, q0", [(75.4, 0.0058), (80.9, 0.0050), (60.0, 0.03)])
def test_gompertz_makeham_fit_hits_e0(e0, q0):
    assert life_expectancy(fitted_hazard(e0, q0)) == pytest.approx(e0, abs=1e-6)


def test_fitted_b_matches_the_evidence_table():
    # evidence file 4.4: ln B = -10.47 (male, e0 75.4) and -11.03 (female, e0 80.9)
    a, theta = params.value("demography", "makeham_constant"), params.value("demography", "gompertz_slope")
    for e0, q0, log_b in ((75.4, 0.0058, -10.47), (80.9, 0.0050, -11.03)):
        mu = fitted_hazard(e0, q0)
        assert np.log(mu[1] - a) - theta == pytest.approx(log_b, abs=0.03)


def test_asfr_sums_to_tfr_and_keeps_the_shape():
    rates = asfr(0.8)
    assert rates.sum() == pytest.approx(0.8)
    assert rates[:15].sum() == 0 and rates[50:].sum() == 0
    assert rates.argmax() in range(25, 30)


def test_monthly_rates_are_probabilities():
    rates = MonthlyRates.from_levels(0.8, 75.4, 80.9, 111.3)
    assert (rates.death > 0).all() and (rates.death < 1).all()
    assert rates.death[0, 60] > rates.death[1, 60]  # men die younger
    assert rates.male_share_of_births == pytest.approx(111.3 / 211.3)


def test_every_data_entry_is_sourced():
    for name in ("demography", "population"):
        for key, entry in params.load(name).items():
            assert "unit" in entry and ("source" in entry or "assumption" in entry), key
