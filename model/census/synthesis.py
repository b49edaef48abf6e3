"""The synthetic population of Baotou at the 2020 census.

Margins observed for Baotou (total, sex ratio, broad age shares, urbanisation, hukou) are fitted
exactly by iterative proportional fitting on a sex × age × hukou × urban table, seeded with
Inner Mongolia's age shape, a life-table sex ratio by age and assumed odds (data/population.toml).
The fitted table is integerised so that at scale 1 the total equals the census exactly. Other
attributes and the households follow from documented assumptions; each household lives in one
county-level division, so that the divisions' urban and rural residents are the census's
(data/districts.toml).
"""

from __future__ import annotations

import csv
from typing import Any

import numpy as np
from scipy.interpolate import PchipInterpolator

from model import params
from model.categories import Area, Education, Kind, Origin, Role, Tenure
from model.census.households import band_value, form_households
from model.census.ipf import integerise, ipf
from model.demography.schedules import fitted_hazard
from model.draws.keyed import derive_keys, exponential, salt
from model.people import divisions
from model.people.employment import employment_rate
from model.people.store import People

MAX_START_AGE = 100


def single_year_shape() -> np.ndarray:
    """Inner Mongolia 2020 counts split to single years 0..100 (monotone cumulative spline)."""
    with (params.DATA_DIR / params.value("population", "age_shape_source")).open() as fh:
        counts = [float(row["persons"]) for row in csv.DictReader(fh)]
    edges = np.arange(0, 10 * len(counts) + 1, 10, dtype=float)
    edges[-1] = MAX_START_AGE + 1  # the 90+ band is spread over 90..100
    cumulative = np.concatenate(([0.0], np.cumsum(counts)))
    spline = PchipInterpolator(edges, cumulative)
    return np.diff(spline(np.arange(MAX_START_AGE + 2, dtype=float)))


def age_sex_table(demography: dict) -> np.ndarray:
    """Expected persons by [sex, age 0..100] fitted to Baotou's total, sex ratio and age shares."""
    pop = params.load("population")
    total = float(pop["census_total"]["value"])
    shape = single_year_shape()
    ages = np.arange(MAX_START_AGE + 1)
    group = np.digitize(ages, [15, 65])
    shares = np.asarray(pop["age_shares"]["value"]) / 100.0
    by_age = shape * (shares / shares.sum() * total / np.bincount(group, weights=shape))[group]

    # Seed: survivors of a birth cohort under the default life tables, so men thin out faster.
    survivors = []
    for e0, q0 in ((demography["e0_male"], "q0_male"), (demography["e0_female"], "q0_female")):
        mu = fitted_hazard(e0, params.value("demography", q0))[: MAX_START_AGE + 1]
        survivors.append(np.exp(-np.concatenate(([0.0], np.cumsum(mu)[:-1]))))
    seed = np.stack(survivors) * np.array([[demography["srb"]], [100.0]]) * by_age
    ratio = pop["sex_ratio"]["value"] / 100.0
    sex_totals = total * np.array([ratio, 1.0]) / (1.0 + ratio)
    return ipf(seed, [((1,), by_age), ((0,), sex_totals)])


def joint_table(demography: dict) -> np.ndarray:
    """Expected persons by [sex, age, non_hukou (0/1), urban (0/1)]."""
    pop = params.load("population")
    total = float(pop["census_total"]["value"])
    age_sex = age_sex_table(demography)
    ages = np.arange(MAX_START_AGE + 1)
    non_hukou_odds = band_value(pop["non_hukou_odds_by_age"]["value"], ages)
    hukou_seed = np.stack([np.ones_like(non_hukou_odds), non_hukou_odds], axis=-1)  # [age, h]
    urban_seed = np.array([[1.0, 1.0], [1.0, pop["urban_odds_non_hukou"]["value"]]])  # [h, u]
    seed = age_sex[:, :, None, None] * hukou_seed[None, :, :, None] * urban_seed[None, None, :, :]
    non_hukou = pop["non_hukou_share"]["value"] / 100.0
    urban = pop["urbanization_rate"]["value"] / 100.0
    return ipf(
        seed,
        [
            ((0, 1), age_sex),
            ((2,), total * np.array([1 - non_hukou, non_hukou])),
            ((3,), total * np.array([1 - urban, urban])),
        ],
    )


def education_for_age(age: np.ndarray, is_student: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    entry = params.load("population")["education_by_age"]
    table = np.asarray(entry["value"])
    row = np.clip(np.searchsorted(entry["bands"], np.maximum(age, 25), side="right") - 1, 0, len(table) - 1)
    cum = np.cumsum(table, axis=1)
    u = rng.random(age.size)
    # The level is the number of cumulative shares below the draw: found per age band by
    # bisection (each band's shares only grow) instead of comparing every person with every level.
    level = np.empty(age.size, dtype=np.int64)
    for band in range(len(table)):
        rows = row == band
        level[rows] = np.searchsorted(cum[band], u[rows], side="left")
    level = level.clip(0, len(Education) - 1)
    level = np.where(age < 22, Education.PRIMARY_OR_LESS, level)
    level = np.where((age >= 15) & (age < 22), Education.JUNIOR_SECONDARY, level)
    senior = params.value("population", "senior_secondary_share_18_21")
    level = np.where((age >= 18) & (age < 22) & (rng.random(age.size) < senior), Education.SENIOR_SECONDARY, level)
    level = np.where(is_student, Education.SENIOR_SECONDARY, level)
    return level.astype(np.int8)


def divisions_of_households(size: np.ndarray, urban: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A county-level division for each household (``size`` persons, ``urban`` or not), so that
    the divisions' urban and rural residents are those of the 2020 census (data/districts.toml).

    Urban households are dealt out in a random order to the divisions in proportion to their
    urban residents, rural ones to their rural residents: each division gets its share of the
    persons to within one household.
    """
    pop, share = divisions.population_2020(), divisions.urban_share_2020()
    out = np.empty(size.size, dtype=np.int8)
    for is_urban, persons in ((True, pop * share), (False, pop * (1 - share))):
        hh = rng.permutation(np.flatnonzero(urban == is_urban))
        if hh.size == 0:
            continue
        cum = np.cumsum(size[hh])
        middle = (cum - size[hh] / 2) / cum[-1]  # where each household's persons sit, 0..1
        target = np.cumsum(persons) / persons.sum()
        out[hh] = np.minimum(np.searchsorted(target, middle, side="right"), len(persons) - 1)
    return out


# The last populations built in this process, by what they are built from: an experiment's runs
# (a scenario and its counterfactual, the points of a design) start from the same population at
# the same scale and seed, and copying it is cheaper than drawing it again.
_BUILT: dict[tuple, tuple[People, float, Any]] = {}


def synthesize(scale: float, demography: dict, rng: np.random.Generator, seed: int = 0) -> tuple[People, float]:
    """Build the census-day population at ``scale``; returns it and the persons per agent.

    ``rng`` draws the population; ``seed`` keys each person's own event draws. A population
    built before in this process from the same inputs (scale, demography, seed and the state of
    ``rng``) is copied instead, and ``rng`` left as drawing it would leave it: the same numbers.
    """
    # The census data too (population and divisions), should a caller change them.
    data = repr(params.load("population")) + repr(params.load("districts"))
    key = (scale, tuple(sorted(demography.items())), seed, repr(rng.bit_generator.state), data)
    if key in _BUILT:
        people, weight, state = _BUILT[key]
        rng.bit_generator.state = state
        return people.copy(), weight
    people, weight = _synthesize(scale, demography, rng, seed)
    if len(people) <= params.value("run", "reuse_population_rows"):
        if len(_BUILT) >= params.value("run", "reuse_populations"):
            _BUILT.pop(next(iter(_BUILT)))
        _BUILT[key] = (people.copy(), weight, rng.bit_generator.state)
    return people, weight


def _synthesize(scale: float, demography: dict, rng: np.random.Generator, seed: int) -> tuple[People, float]:
    pop = params.load("population")
    total = int(pop["census_total"]["value"])
    n = int(round(total * scale))
    if n < 1:
        raise ValueError(f"scale {scale} gives no agents; the smallest scale is {1 / total:.2e}")
    counts = integerise(joint_table(demography), n, rng)
    cell = np.repeat(np.arange(counts.size, dtype=np.int32), counts.ravel())
    rng.shuffle(cell)  # row order carries no information
    # Small integer types: the values are the same, the full city's temporaries take less memory
    # and sort faster (numpy sorts 16-bit keys by radix).
    sex_i, age_i, non_hukou_i, urban_i = np.unravel_index(cell, counts.shape)
    del cell
    sex, age = sex_i.astype(np.int8), age_i.astype(np.int16)
    non_hukou, urban_cell = non_hukou_i.astype(np.int8), urban_i.astype(np.int8)
    del sex_i, age_i, non_hukou_i, urban_i
    hukou = non_hukou == 0
    urban = urban_cell == 1

    # The store is allocated now and each column written as soon as it is final, so the
    # temporaries do not pile up (peak memory of the full city).
    people = People(capacity=int(n * 1.1) + 1024)
    people.add(n, sex=sex, hukou=hukou, urban=urban)

    # Students: urban 18-23 year-olds, split by hukou as assumed.
    is_student = np.zeros(n, dtype=bool)
    n_students = int(round(pop["students_enrolled"]["value"] * n / total))
    non_hukou_students = int(round(n_students * pop["student_non_hukou_share"]["value"]))
    for want, group in ((non_hukou_students, ~hukou), (n_students - non_hukou_students, hukou)):
        pool = np.flatnonzero(group & urban & (age >= 18) & (age <= 23))
        is_student[rng.choice(pool, min(want, pool.size), replace=False)] = True

    education = education_for_age(age, is_student, rng)
    people.education[:] = education
    employed = (rng.random(n) < employment_rate(pop, age, sex, hukou)) & ~is_student
    people.employed[:] = employed
    wage_mult = np.asarray(pop["wage_by_education"]["value"])[education]
    sigma = pop["wage_dispersion"]["value"]
    wage = pop["average_wage"]["value"] * wage_mult * np.exp(sigma * rng.standard_normal(n) - sigma**2 / 2)
    del wage_mult
    people.income[:] = np.where(employed, wage, 0.0)
    del wage

    talent = (
        employed
        & (education == Education.POSTGRADUATE)
        & (age >= 28)
        & (age <= 60)
        & (rng.random(n) < pop["talent_share_of_postgraduates"]["value"])
    )
    kind = np.full(n, Kind.RESIDENT, dtype=np.int8)
    kind[~hukou & (age >= 16) & (age <= 64)] = Kind.MIGRANT_WORKER
    kind[is_student & ~hukou] = Kind.GRADUATE  # local students keep their household's kind
    kind[talent] = Kind.TALENT
    del talent

    stratum = non_hukou * 2 + urban_cell
    del urban_cell
    household, role = form_households(age, sex, stratum, is_student, rng)
    del stratum
    people.household_id[:] = household
    people.role[:] = role
    # Household attributes follow the head.
    head_row = np.full(household.max() + 1, -1, dtype=np.int64)
    head_row[household[role == Role.HEAD]] = np.flatnonzero(role == Role.HEAD)
    dependent = (age < 16) | (role == Role.PARENT)
    del role
    kind = np.where(dependent, kind[head_row[household]], kind).astype(np.int8)
    del dependent
    people.kind[:] = kind

    tenure_levels = pop["tenure_levels"]["value"]
    assert tenure_levels == [t.name.lower() for t in Tenure]
    n_households = head_row.size
    household_tenure = np.where(
        hukou[head_row],
        rng.choice(len(Tenure), n_households, p=pop["tenure_hukou"]["value"]),
        rng.choice(len(Tenure), n_households, p=pop["tenure_non_hukou"]["value"]),
    )
    people.tenure[:] = np.where(is_student, Tenure.DORMITORY, household_tenure[household])
    del household_tenure

    household_division = divisions_of_households(np.bincount(household, minlength=n_households), urban[head_row], rng)
    division = household_division[household]
    del household_division
    people.division[:] = division
    people.area[:] = np.where(divisions.urban_district_mask()[division], Area.MAIN_URBAN, Area.OUTER)
    del division

    origin_shares = pop["origin_shares_non_hukou"]["value"]
    household_origin = 1 + rng.choice(len(origin_shares), n_households, p=origin_shares)
    people.origin[:] = np.where(hukou, Origin.BAOTOU, household_origin[household])
    del household_origin

    age_months = age * 12 + rng.integers(0, 12, n)
    people.age_months[:] = age_months
    mean_stay = pop["non_hukou_years_in_baotou"]["value"] * 12
    household_stay = rng.exponential(mean_stay, n_households)
    stay = np.where(is_student, rng.integers(0, 48, n), household_stay[household])
    del household_stay, household
    months_in_baotou = np.where(hukou, age_months, np.minimum(stay, age_months)).astype(np.int16)
    del stay
    people.months_in_baotou[:] = months_in_baotou
    people.arrived[:] = months_in_baotou < age_months  # the others have lived here all their lives
    contribution_months = np.minimum(months_in_baotou, np.clip(age_months - 18 * 12, 0, None))
    del age_months, months_in_baotou
    for key in ("social_insurance", "provident_fund"):
        entry = pop[f"{key}_coverage"]
        assert entry["kinds"] == [k.name.lower() for k in Kind]
        covered = employed & (rng.random(n) < np.asarray(entry["value"])[kind])
        people.column(key)[:] = covered
        people.column(f"{key}_months")[:] = np.where(covered, contribution_months, 0)
    del contribution_months

    keys = derive_keys(np.arange(n, dtype=np.uint64), salt(0, "census"))
    people.key[:] = keys
    people.death_clock[:] = exponential(keys, seed, "death_clock")
    del keys
    people.study_months[:] = np.where(is_student, 8 + 12 * rng.integers(0, 4, n), -1)  # graduation each July
    people.next_household_id = n_households
    return people, total / n
