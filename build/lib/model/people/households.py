"""Households of the people in Baotou: heads, members, look-ups by id, a new head when the head
dies or leaves alone. Functions of the people store; look-ups that scan everyone are kept until
the store changes (``People.cached``)."""

from __future__ import annotations

import numpy as np

from model.categories import Role
from model.draws import thinning
from model.people.store import People

# Events a new head starts deciding (their bounds may have risen with the role).
HEAD_EVENTS = ("consider", "hukou", "purchase")


def capacity(people: People) -> int:
    """Size of an array indexed by household id."""
    return people.next_household_id


def alive(people: People) -> np.ndarray:
    """Whether each household id has a living member here."""

    def compute() -> np.ndarray:
        out = np.zeros(capacity(people), dtype=bool)
        out[people.household_id[people.alive]] = True
        return out

    return people.cached("alive_households", compute)


def head_rows(people: People) -> np.ndarray:
    """Rows of the living heads."""
    return people.cached("head_rows", lambda: np.flatnonzero(people.alive & (people.role == Role.HEAD)))


def head_of(people: People, household_ids: np.ndarray) -> np.ndarray:
    """Row of each household's head (-1 where there is none)."""
    household_ids = np.asarray(household_ids)
    if household_ids.size > len(people) // 64:  # many households: one pass over everyone
        lookup = np.full(capacity(people), -1, dtype=np.int64)
        heads = head_rows(people)
        lookup[people.household_id[heads]] = heads
        return lookup[household_ids]
    rows = people.members_of(household_ids)
    heads = rows[people.role[rows] == Role.HEAD]
    if heads.size == 0:
        return np.full(household_ids.size, -1, dtype=np.int64)
    hh = people.household_id[heads]
    order = np.argsort(hh, kind="stable")
    hh, heads = hh[order], heads[order]
    at = np.minimum(np.searchsorted(hh, household_ids), hh.size - 1)
    return np.where(hh[at] == household_ids, heads[at], -1)


def rows_of_ids(people: People, person_ids: np.ndarray) -> np.ndarray:
    """Rows of people still here (-1 for those who died or left)."""
    ids = people.person_id
    rows = np.minimum(np.searchsorted(ids, person_ids), max(len(ids) - 1, 0))
    ok = (ids[rows] == person_ids) & people.alive[rows] if len(ids) else np.zeros(len(person_ids), bool)
    return np.where(ok, rows, -1)


def set_tenure(people: People, household_ids: np.ndarray, tenure: int) -> None:
    """The whole household moves into this housing tenure."""
    people.tenure[people.members_of(household_ids)] = tenure


def replace_heads(people: People, household_ids: np.ndarray) -> None:
    """Households whose head died (or left alone, as a graduate may) get the oldest remaining
    member as head."""
    if household_ids.size == 0:
        return
    members = people.members_of(household_ids)
    if members.size:
        hh = people.household_id[members]
        order = members[np.lexsort((-people.age_months[members], hh))]
        first = order[np.r_[True, people.household_id[order][1:] != people.household_id[order][:-1]]]
        people.role[first] = Role.HEAD
        thinning.reschedule(people, first, HEAD_EVENTS)
    people.changed()
