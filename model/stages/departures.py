"""Residents leaving: heads and adult children consider moving (``decisions/consideration.py``)
and choose (``decisions/decide.py``); a head who leaves takes the household along."""

from __future__ import annotations

import numpy as np

from model.categories import Role
from model.context import Month
from model.decisions import consideration
from model.decisions.decide import decide
from model.ledger import Ledger
from model.measures.package import Package
from model.people.choosers import Choosers
from model.people.store import People
from model.unique import isin


def leave(people: People, ledger: Ledger, rows: np.ndarray, destination: np.ndarray) -> None:
    """People in ``rows`` leave Baotou for ``destination`` (index of DESTINATIONS)."""
    people.alive[rows] = False
    people.changed()
    ledger.departed(people, rows, destination)


def resident_departures(
    people: People, month: Month, package: Package, ledger: Ledger, tables: consideration.HazardTables
) -> None:
    """Heads and adult children consider moving, then choose; a head who leaves takes the
    household along."""
    role = people.role
    considering = consideration.considering(people, month, tables)
    if considering.size == 0:
        return
    ch = Choosers.of(people, considering)
    decision = decide(ch, "resident_choice", month, package, people, ledger.network())
    moving = decision.choice >= 0
    leaving, destination = considering[moving], decision.choice[moving]
    is_head = role[leaving] == Role.HEAD
    heads, alone = leaving[is_head], leaving[~is_head]
    members = people.members_of(people.household_id[heads])
    # Each member goes where their head goes.
    order = np.argsort(people.household_id[heads])
    leaving_households, head_destination = people.household_id[heads][order], destination[is_head][order]
    with_head = head_destination[np.searchsorted(leaving_households, people.household_id[members])]
    on_own = ~isin(people.household_id[alone], leaving_households)  # not already leaving with their head
    leave(
        people,
        ledger,
        np.concatenate([members, alone[on_own]]),
        np.concatenate([with_head, destination[~is_head][on_own]]),
    )
