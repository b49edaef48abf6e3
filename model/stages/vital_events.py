"""Deaths and births in the month: the demographic events (``model/demography/events.py``) with
what follows from them, booked in the ledger: a household whose head died gets a new head at
once; the measures acting on births (F1) are told."""

from __future__ import annotations

from model.categories import Role
from model.context import Month
from model.demography import events
from model.ledger import Ledger
from model.measures.package import Package
from model.people import households
from model.people.store import People


def deaths(people: People, month: Month, ledger: Ledger) -> None:
    """This month's deaths; households that lost their head get the oldest member as head."""
    died = events.deaths(people, month.rates, month.index)
    ledger.died(people, died)
    heads = died[people.role[died] == Role.HEAD]
    households.replace_heads(people, people.household_id[heads])


def births(people: People, month: Month, package: Package, ledger: Ledger) -> None:
    """This month's births (at the measures' fertility multiplier); the babies join their
    mothers' households."""
    beh = month.behaviour
    n = events.births(
        people,
        month.rates,
        month.seed,
        month.index,
        package.fertility_multiplier(month),
        beh["fertility_multiplier_bound"],
        beh["birth_moments_tfr"],
    )
    ledger.born(people, n)
    package.on_births(n, month, people.key[len(people) - n :])
