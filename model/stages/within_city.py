"""Moves within the city: households of the county, the banners and the outlying districts move
to the urban districts (the main urban area), the urbanisation that goes on whatever the
measures do.

Each month a household whose head lives outside the urban districts moves with the hazard
``within_city_move_rate`` times the Rogers–Castro schedule at the head's age (peak height 1,
``model/demography/migration_schedule.py``), the whole household together. It goes to one of
the four urban districts in proportion to their 2020 population and lives in a town there.
Both draws are the head's own keyed draws (``within_city_move``, ``within_city_destination``),
so a policy run and its counterfactual move the same households while they are the same.
"""

from __future__ import annotations

import numpy as np

from model.categories import Area
from model.context import Month
from model.demography.migration_schedule import rogers_castro
from model.ledger import Ledger
from model.people import divisions, households
from model.people.store import People


def moves_to_urban_districts(people: People, month: Month, ledger: Ledger) -> None:
    """This month's households moving from the county and banners to the urban districts."""
    beh = month.behaviour
    rate = beh["within_city_move_rate"]
    if rate <= 0:
        return
    heads = households.head_rows(people)
    heads = heads[np.flatnonzero(divisions.outside_urban_districts(people.division[heads]))]
    if heads.size == 0:
        return
    age = people.age_months[heads] // 12
    # The chance by age in years, looked up: the same numbers as computing it head by head.
    chance = -np.expm1(-rate * rogers_castro(np.arange(int(age.max()) + 1), beh) / 12.0)
    movers = heads[month.draw(people.key[heads], "within_city_move") < chance[age]]
    if movers.size == 0:
        return
    w = divisions.weights("move_destination_weights")
    destination = divisions.pick(
        month.draw(people.key[movers], "within_city_destination"), divisions.urban_district_mask(), w
    )
    moving = people.household_id[movers]
    order = np.argsort(moving)
    members = people.members_of(moving)
    at = order[np.searchsorted(moving[order], people.household_id[members])]
    people.division[members] = destination[at]
    people.area[members] = Area.MAIN_URBAN
    people.urban[members] = True
    ledger.count("within_city_moves", members.size)
