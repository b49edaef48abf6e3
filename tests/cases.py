"""Small builders for case tests of the measures: a month, a measure, a few people made by hand.

A case test reads like a worked example::

    month = month_of("2023-03")                        # March 2023, the 2022 package in force
    h3 = measure("H3")                                 # H3 as shipped, one agent = one person
    people = People()
    worker = household(people, head=dict(age=30, provident_fund_months=8), tenure=Tenure.RENT)
    h3.purchase_incentive(choosers(people, worker), month)

With ``weight=1`` an agent is one person, so ``measure.spent`` is in yuan per person helped.
Numbers come from the shipped configuration (``measure("H3").p["loan_limit_single"]``), not
typed into the tests.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

from model import params
from model.calendar import month_index
from model.categories import Education, Kind, Origin, Role, Sex
from model.context import Month
from model.demography.schedules import MonthlyRates
from model.draws.streams import Streams
from model.measures import MEASURE_CLASSES
from model.measures.base import Measure
from model.people import choosers as choosers_mod
from model.people.choosers import Choosers
from model.people.store import People
from model.scenario import Scenario, load
from model.world.conditions import BAOTOU, Conditions

SCENARIO = "policy_2022"  # the package as issued: in force 2022-11 to 2023-10 (first full month to last)


@cache
def scenario(name: str = SCENARIO) -> Scenario:
    return load(name)


@cache
def _conditions(name: str) -> Conditions:
    return Conditions(scenario(name))


@cache
def _rates(name: str) -> MonthlyRates:
    d = scenario(name)["demography"]
    return MonthlyRates.from_levels(d["tfr"], d["e0_male"], d["e0_female"], d["srb"])


def month_of(
    when: str | int = "2023-03",
    scenario_name: str = SCENARIO,
    weight: float = 1.0,
    seed: int = 0,
    rent: float | None = None,
    home_price: float | None = None,
    behaviour: dict[str, Any] | None = None,
) -> Month:
    """The context of one month (``"YYYY-MM"`` or a month index) in a shipped scenario.

    ``rent`` (Baotou's market rent, yuan a year) and ``home_price`` (yuan) fix this month's
    conditions, so that a tenancy followed over many months has one rent; ``behaviour``
    overrides parameters of the scenario's [behaviour].
    """
    s = scenario(scenario_name)
    index = month_index(when) if isinstance(when, str) else int(when)
    now = _conditions(scenario_name).at(index)
    if rent is not None:
        rents = now.rent.copy()
        rents[BAOTOU] = rent
        now = dataclasses.replace(now, rent=rents)
    if home_price is not None:
        now = dataclasses.replace(now, home_price=float(home_price))
    return Month(
        index=index,
        last=month_index(s.end),
        seed=seed,
        weight=weight,
        now=now,
        behaviour={**s["behaviour"], **(behaviour or {})},
        population=params.load("population"),
        rates=_rates(scenario_name),
        streams=Streams(seed),
    )


def config(mid: str, scenario_name: str = SCENARIO, **overrides: Any) -> dict[str, Any]:
    """A measure's parameters (and start/end) as the scenario resolves them, with overrides."""
    return {**scenario(scenario_name).enabled_measures()[mid], **overrides}


def measure(mid: str, weight: float = 1.0, scenario_name: str = SCENARIO, **overrides: Any) -> Measure:
    """One measure built from the shipped configuration; weight 1 makes costs yuan per person."""
    return MEASURE_CLASSES[mid](config(mid, scenario_name, **overrides), weight)


def household(
    people: People,
    head: dict[str, Any] | None = None,
    spouse: dict[str, Any] | None = None,
    children_ages: Sequence[int] = (),
    elders_ages: Sequence[int] = (),
    **shared: Any,
) -> np.ndarray:
    """Add one household and return its rows (head first, then spouse, children, elders).

    ``head`` and ``spouse`` are columns of ``model.people.store.COLUMNS``, with ``age`` in years
    for ``age_months``; ``shared`` columns (``hukou``, ``kind``, ``tenure``, ``area``, ``origin``,
    ``months_in_baotou``, ...) apply to every member. Unnamed columns take the store's defaults
    (a Baotou hukou holder owning a home in the main urban area).
    """
    hid = int(people.new_household_ids(1)[0])
    members: list[dict[str, Any]] = [{"age": 35, **(head or {}), "role": Role.HEAD}]
    if spouse is not None:
        members.append({"age": 33, "sex": Sex.FEMALE, **spouse, "role": Role.SPOUSE})
    members += [{"age": a, "role": Role.CHILD} for a in children_ages]
    members += [{"age": a, "role": Role.PARENT} for a in elders_ages]
    rows = []
    for person in members:
        columns = {**shared, **person}
        columns["age_months"] = 12 * columns.pop("age")
        row = people.add(1, household_id=hid, **columns).start
        people.key[row] = people.person_id[row] + 1  # distinct keys for keyed draws
        rows.append(row)
    return np.asarray(rows, dtype=np.int64)


def choosers(people: People, *rows: np.ndarray | int, graduate: bool = False) -> Choosers:
    """The deciders at these rows (a household's head sees its spouse, children and elders)."""
    picked = np.asarray([int(np.atleast_1d(r)[0]) for r in rows], dtype=np.int64)
    return Choosers.of(people, picked, graduate)


def elsewhere(*people: dict[str, Any], main_urban_share: float = 1.0) -> Choosers:
    """Choosers living outside Baotou, one per dict: ``age`` (years), ``education``, ``kind``,
    ``origin``, ``couple`` and ``kids_ages``; the others are as ``model.people.choosers.outside``
    makes them (no hukou, renting, no job yet, no months of contributions)."""
    defaults = {
        "age": 30,
        "education": Education.SENIOR_SECONDARY,
        "kind": Kind.MIGRANT_WORKER,
        "origin": Origin.NEIGHBOURING_PROVINCES,
        "couple": False,
        "kids_ages": (),
    }
    rows = [{**defaults, **p} for p in people]
    kids = np.full((len(rows), choosers_mod.MAX_KIDS), -1, dtype=np.int64)
    for i, r in enumerate(rows):
        kids[i, : len(r["kids_ages"])] = r["kids_ages"]
    return choosers_mod.outside(
        key=np.arange(1, len(rows) + 1, dtype=np.uint64),
        age=np.array([r["age"] for r in rows]),
        education=np.array([r["education"] for r in rows], dtype=np.int8),
        kind=np.array([r["kind"] for r in rows], dtype=np.int8),
        origin=np.array([r["origin"] for r in rows], dtype=np.int8),
        couple=np.array([r["couple"] for r in rows], dtype=bool),
        kids_ages=kids,
        main_urban_share=main_urban_share,
    )


def leave(people: People, rows: np.ndarray) -> None:
    """These people leave Baotou (or die): they are no longer here."""
    people.alive[rows] = False
    people.changed()


def baotou_rent(month: Month) -> float:
    """Baotou's market rent this month, yuan a year."""
    return float(month.now.rent[BAOTOU])
