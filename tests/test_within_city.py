"""People live in a county-level division; households of the county and banners move to the
urban districts; the population by division is an output."""

import numpy as np
import pandas as pd
import pytest

from model.api import run
from model.categories import Area, Division
from model.census.synthesis import synthesize
from model.draws.streams import stream
from model.model import BaotouModel
from model.people import divisions, households
from model.scenario import load
from model.stages import within_city

DEMOGRAPHY = {"tfr": 0.8, "e0_male": 75.4, "e0_female": 80.9, "srb": 111.3}
NAMES = [d.name.lower() for d in Division]


def one_division_per_household(people) -> bool:
    alive = people.alive
    heads = households.head_of(people, people.household_id[alive])
    return bool(np.all(people.division[alive] == people.division[heads]))


@pytest.fixture(scope="module")
def full_city():
    return synthesize(1.0, DEMOGRAPHY, stream(0, "synthesis"))[0]


def test_synthesis_reproduces_the_2020_division_populations(full_city):
    people = full_city
    counts = np.bincount(people.division, minlength=len(Division))
    census = divisions.population_2020()
    assert census.sum() == len(people) == 2_709_378
    # Urban and rural households are dealt out separately, each within one household of its share.
    assert np.all(np.abs(counts - census) <= 40), dict(zip(NAMES, counts - census, strict=True))
    urban = np.bincount(people.division, weights=people.urban, minlength=len(Division)) / counts
    assert urban == pytest.approx(divisions.urban_share_2020(), abs=0.005)
    assert 100 * people.urban.mean() == pytest.approx(86.1, abs=0.01)
    assert one_division_per_household(people)
    main = divisions.urban_district_mask()[people.division]
    assert np.array_equal(people.area == Area.MAIN_URBAN, main)


@pytest.fixture(scope="module")
def model_with_fast_moves():
    s = load("baseline").with_overrides({"run": {"scale": 0.01}, "behaviour": {"within_city_move_rate": 1.0}})
    return BaotouModel(s, seed=3)


def test_moves_keep_the_city_total_and_households_together(model_with_fast_moves):
    model = model_with_fast_moves
    people, ledger = model.people, model.ledger
    outer = ~divisions.urban_district_mask()
    before = np.bincount(people.division[people.alive], minlength=len(Division))
    alive, urban = people.n_alive, np.count_nonzero(people.urban & people.alive)
    for _ in range(6):
        within_city.moves_to_urban_districts(people, model.context, ledger)
    after = np.bincount(people.division[people.alive], minlength=len(Division))
    moved = ledger.flows["within_city_moves"]
    assert people.n_alive == alive and after.sum() == before.sum()
    assert moved > 0 and before[outer].sum() - after[outer].sum() == moved
    assert np.all(after[~outer] >= before[~outer])
    assert np.count_nonzero(people.urban & people.alive) > urban
    assert one_division_per_household(people)
    assert np.array_equal(people.area == Area.MAIN_URBAN, divisions.urban_district_mask()[people.division])


def indicators(rate: float, name: str = "baseline", seed: int = 0) -> pd.DataFrame:
    table = run(name, seeds=1, scale=0.005, end="2022-12", behaviour={"within_city_move_rate": rate}).indicators
    return table.pivot_table(index="indicator", columns="year", values="value")


def test_urbanisation_rises_with_the_move_rate():
    none, some, more = (indicators(rate) for rate in (0.0, 0.2, 0.6))
    assert none.loc["within_city_moves"].sum() == 0
    assert (
        none.loc["urbanization_rate", 2022] < some.loc["urbanization_rate", 2022] < more.loc["urbanization_rate", 2022]
    )
    county = [f"population_{n}" for n, urban in zip(NAMES, divisions.urban_district_mask(), strict=True) if not urban]
    assert some.loc[county, 2022].sum() < none.loc[county, 2022].sum()
    # The divisions add up to the city.
    for table in (none, some, more):
        by_division = table.loc[[f"population_{n}" for n in NAMES]].sum()
        assert np.allclose(by_division, table.loc["population"])


def test_same_seed_same_moves_and_the_package_does_not_reshuffle_them():
    first, again = indicators(0.3), indicators(0.3)
    pd.testing.assert_frame_equal(first, again)
    policy = indicators(0.3, "policy_2022")
    # The package starts in 2022-10: before it the two runs move the same households.
    rows = ["within_city_moves", *(f"population_{n}" for n in NAMES)]
    pd.testing.assert_frame_equal(first.loc[rows, [2020, 2021]], policy.loc[rows, [2020, 2021]])
