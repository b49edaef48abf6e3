"""The synthetic census population: exact total at scale 1, observed margins, households."""

import numpy as np
import pytest

from model import params
from model.categories import Kind, Role, Sex
from model.census.ipf import integerise, ipf
from model.census.synthesis import synthesize
from model.draws.streams import stream

DEMOGRAPHY = {"tfr": 0.8, "e0_male": 75.4, "e0_female": 80.9, "srb": 111.3}


@pytest.fixture(scope="module")
def full_city():
    return synthesize(1.0, DEMOGRAPHY, stream(0, "synthesis"))


def test_ipf_matches_margins_and_keeps_odds_ratios():
    seed = np.array([[1.0, 2.0], [3.0, 1.0]])
    fitted = ipf(seed, [((0,), np.array([10.0, 30.0])), ((1,), np.array([25.0, 15.0]))])
    assert fitted.sum(axis=1) == pytest.approx([10, 30])
    assert fitted.sum(axis=0) == pytest.approx([25, 15])
    odds = lambda t: t[0, 0] * t[1, 1] / (t[0, 1] * t[1, 0])  # noqa: E731
    assert odds(fitted) == pytest.approx(odds(seed))


def test_integerise_gives_the_exact_total_within_one_of_each_cell():
    expected = np.random.default_rng(1).random((7, 5)) * 100
    counts = integerise(expected, 1234, np.random.default_rng(2))
    assert counts.sum() == 1234
    assert np.all(np.abs(counts - expected * 1234 / expected.sum()) < 1)


def test_scale_one_equals_the_census_exactly(full_city):
    people, weight = full_city
    assert len(people) == params.value("population", "census_total") == 2_709_378
    assert weight == 1.0


def test_observed_margins_are_fitted(full_city):
    people, _ = full_city
    pop = params.load("population")
    age = people.age_years()
    males = np.count_nonzero(people.sex == Sex.MALE)
    assert 100 * males / (len(people) - males) == pytest.approx(pop["sex_ratio"]["value"], abs=0.01)
    shares = [100 * np.mean(age < 15), 100 * np.mean((age >= 15) & (age < 65)), 100 * np.mean(age >= 65)]
    assert shares == pytest.approx(pop["age_shares"]["value"], abs=0.01)
    assert 100 * np.mean(~people.hukou) == pytest.approx(pop["non_hukou_share"]["value"], abs=0.01)
    assert 100 * np.mean(people.urban) == pytest.approx(pop["urbanization_rate"]["value"], abs=0.01)


def test_households_are_coherent(full_city):
    people, _ = full_city
    hh = people.household_id
    heads = np.bincount(hh[people.role == Role.HEAD], minlength=hh.max() + 1)
    assert (heads[np.unique(hh)] == 1).all(), "every household has exactly one head"
    # Households share hukou and urban/rural (they are formed within those strata).
    for column in ("hukou", "urban"):
        values = people.column(column).astype(int)
        lo = np.full(hh.max() + 1, 2)
        hi = np.full(hh.max() + 1, -1)
        np.minimum.at(lo, hh, values)
        np.maximum.at(hi, hh, values)
        assert (lo[np.unique(hh)] == hi[np.unique(hh)]).all(), column
    # No child under 15 lives without an adult.
    adult = np.zeros(hh.max() + 1, dtype=bool)
    adult[hh[people.age_years() >= 18]] = True
    assert adult[hh[people.age_years() < 15]].all()
    sizes = np.bincount(hh)
    assert 1.8 < sizes[sizes > 0].mean() < 3.0


def test_attributes_are_plausible(full_city):
    people, _ = full_city
    age = people.age_years()
    assert not people.employed[age < 16].any()
    assert (people.income[~people.employed] == 0).all()
    assert (people.kind[people.hukou & (age >= 16)] != Kind.MIGRANT_WORKER).all()
    assert (people.months_in_baotou <= people.age_months).all()
    assert (people.social_insurance_months[~people.social_insurance] == 0).all()
    # Students: 80,000 assumed; the non-hukou ones may be capped by the urban 18-23 non-hukou pool.
    students = np.count_nonzero(people.study_months >= 0)
    assert 60_000 < students <= 80_000
    assert np.count_nonzero(people.kind == Kind.GRADUATE) > 30_000


def test_small_scale_reports_full_persons():
    people, weight = synthesize(0.001, DEMOGRAPHY, stream(0, "synthesis"))
    assert len(people) * weight == pytest.approx(2_709_378)


def test_scale_too_small_is_refused():
    with pytest.raises(ValueError, match="gives no agents"):
        synthesize(1e-8, DEMOGRAPHY, stream(0, "synthesis"))
