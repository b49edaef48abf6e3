"""The one ledger of the year's flows: births, deaths, moves in and out by kind, the other
yearly counts, the persons in Baotou by origin group (the same-origin network) and the
exchange with the origins' populations.

Stages tell the ledger what happened; the indicators read it at the end of each year. Nothing
else writes a flow.
"""

from __future__ import annotations

import numpy as np

from model.categories import Kind, Origin
from model.people.store import People
from model.world.conditions import DESTINATIONS, HOME

KINDS = [k.name.lower() for k in Kind]
N_ORIGINS = len(Origin)
# Those who leave for Hohhot or Ordos stay in Inner Mongolia: they rejoin its origin group.
IMAR_DESTINATIONS = [DESTINATIONS.index("hohhot"), DESTINATIONS.index("ordos")]

FLOWS = (
    "births",
    "deaths",
    "in_migration",
    "out_migration",
    "months",
    "candidates",
    "graduates",
    "graduates_stayed",
    "hukou_settlements",
    "home_purchases",
    "families_joined",
    "within_city_moves",
    *(f"in_migration_{k}" for k in KINDS),
    *(f"out_migration_{k}" for k in KINDS),
)


class Ledger:
    """Flows in agents (the indicators scale them to persons); the network in agents, scaled to
    persons on reading; the exchange with the origins in persons."""

    def __init__(self, people: People, weight: float) -> None:
        self.weight = weight
        self.flows: dict[str, int] = dict.fromkeys(FLOWS, 0)
        # Agents in Baotou by origin group, kept up to date as people are born, die, come and go.
        self._by_origin = np.bincount(people.origin[people.alive], minlength=N_ORIGINS).astype(float)
        # Persons gone from each origin group outside Baotou (1..3) to Baotou, net.
        self.exchange = np.zeros(N_ORIGINS - 1)

    def count(self, name: str, n: int) -> None:
        self.flows[name] += n

    def network(self) -> np.ndarray:
        """Persons in Baotou by origin group (index ``Origin``)."""
        return self._by_origin * self.weight

    def died(self, people: People, rows: np.ndarray) -> None:
        self.flows["deaths"] += rows.size
        self._by_origin -= np.bincount(people.origin[rows], minlength=N_ORIGINS)

    def born(self, people: People, n: int) -> None:
        """The last ``n`` rows are this month's babies."""
        self.flows["births"] += n
        if n:
            self._by_origin += np.bincount(people.origin[-n:], minlength=N_ORIGINS)

    def arrived(self, people: People, rows: np.ndarray) -> None:
        """People in ``rows`` have just arrived: count them, and take them from their origin."""
        self.flows["in_migration"] += rows.size
        kind = people.kind[rows]
        for k in Kind:
            self.flows[f"in_migration_{k.name.lower()}"] += int(np.count_nonzero(kind == k))
        origin = people.origin[rows]
        self.exchange += np.bincount(origin[origin > 0] - 1, minlength=N_ORIGINS - 1) * self.weight
        self._by_origin += np.bincount(origin, minlength=N_ORIGINS)

    def departed(self, people: People, rows: np.ndarray, destination: np.ndarray) -> None:
        """People in ``rows`` left Baotou for ``destination`` (index of DESTINATIONS)."""
        self._by_origin -= np.bincount(people.origin[rows], minlength=N_ORIGINS)
        self.flows["out_migration"] += rows.size
        kind = people.kind[rows]
        for k in Kind:
            self.flows[f"out_migration_{k.name.lower()}"] += int(np.count_nonzero(kind == k))
        # Those going home, or to Hohhot or Ordos (the rest of Inner Mongolia), rejoin an origin.
        origin = people.origin[rows].astype(int)
        group = np.where(destination == HOME, origin - 1, -1)
        group = np.where(np.isin(destination, IMAR_DESTINATIONS), 0, group)
        self.exchange -= np.bincount(group[group >= 0], minlength=N_ORIGINS - 1) * self.weight

    def close_year(self) -> None:
        """After the year's indicators are recorded."""
        self.flows = dict.fromkeys(FLOWS, 0)
