"""The one ledger of the year's flows: births, deaths, moves in and out by kind, the other
yearly counts, the same-origin network in Baotou (recent arrivals by origin group, recounted
each month), the exchange with the origins' populations, and who was in Baotou when
(``Presence``, by person key).

Stages tell the ledger what happened; the indicators read it at the end of each year. Nothing
else writes a flow.
"""

from __future__ import annotations

import numpy as np

from model import params
from model.categories import Kind, Origin
from model.compiled import ENABLED, kernel
from model.people.store import People
from model.unique import isin, unique_counts
from model.world.conditions import DESTINATIONS, HOME

KINDS = [k.name.lower() for k in Kind]
N_ORIGINS = len(Origin)
# Those who leave for Hohhot or Ordos stay in Inner Mongolia: they rejoin its origin group.
IMAR_DESTINATIONS = [DESTINATIONS.index("hohhot"), DESTINATIONS.index("ordos")]
# Comparison cities whose inflow from the movers the model follows is counted (issue 15's
# simulated difference-in-differences; regions.toml).
COMPARISON_CITIES: tuple[str, ...] = tuple(params.value("regions", "comparison_cities"))
_COMPARISON_INDEX = np.array([DESTINATIONS.index(c) for c in COMPARISON_CITIES], dtype=np.intp)

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
    *(f"moved_to_{c}" for c in COMPARISON_CITIES),
)


class Presence:
    """Who was in Baotou at the end of which month, by person key (``model/draws/keyed.py``): the
    spells from entering (the start month for the census population, else the month born or
    arrived) to leaving (the month died or left). Keys are the same in a scenario and its
    counterfactual run with the same seed, so a scenario's payments can be checked against who
    would have been in Baotou anyway. Bookkeeping only: it draws nothing."""

    def __init__(self, keys: np.ndarray, start: np.ndarray, end: np.ndarray) -> None:
        order = np.lexsort((start, keys))
        self.keys, self.start, self.end = keys[order], start[order], end[order]
        # Most keys have one spell; the lookup steps over as many as the most a key has.
        _, counts = unique_counts(self.keys)
        self.most = int(counts.max()) if counts.size else 0

    @classmethod
    def of(cls, entered: tuple[np.ndarray, np.ndarray], left: tuple[np.ndarray, np.ndarray]) -> Presence:
        """From the keys and months of every entry and every exit (a key enters before it leaves)."""
        keys = np.concatenate([entered[0], left[0]]).astype(np.uint64)
        months = np.concatenate([entered[1], left[1]]).astype(np.int64)
        leaving = np.concatenate([np.zeros(entered[0].size, bool), np.ones(left[0].size, bool)])
        order = np.lexsort((leaving, months, keys))  # by key, then month, entries first
        keys, months, leaving = keys[order], months[order], leaving[order]
        starts = np.flatnonzero(~leaving)
        after = starts + 1
        closed = np.zeros(starts.size, bool)
        inside = after < keys.size
        closed[inside] = leaving[after[inside]] & (keys[after[inside]] == keys[starts[inside]])
        end = np.full(starts.size, np.iinfo(np.int64).max)
        end[closed] = months[after[closed]]
        return cls(keys[starts], months[starts], end)

    def present(self, keys: np.ndarray, month: int) -> np.ndarray:
        """Whether each key was in Baotou at the end of ``month`` (entered by then, not yet left)."""
        keys = np.asarray(keys, dtype=np.uint64)
        out = np.zeros(keys.size, bool)
        if self.keys.size == 0:
            return out
        at = np.searchsorted(self.keys, keys)
        for step in range(self.most):
            i = np.minimum(at + step, self.keys.size - 1)
            same = (at + step < self.keys.size) & (self.keys[i] == keys)
            out |= same & (self.start[i] <= month) & (month < self.end[i])
        return out


@kernel
def _recent_kernel(
    alive: np.ndarray, arrived: np.ndarray, months: np.ndarray, origin: np.ndarray, network_months: int, out: np.ndarray
) -> None:
    """``recent_arrivals`` in one pass over the rows (the compiled twin of the numpy path)."""
    for i in range(alive.size):
        if months[i] <= network_months and arrived[i] and alive[i]:
            out[origin[i]] += 1.0


def recent_arrivals(people: People, network_months: int) -> np.ndarray:
    """Agents in Baotou by origin group (index ``Origin``) who arrived within the last
    ``network_months`` months: moved in (``arrived``), not born here."""
    months = people.months_in_baotou
    if ENABLED:  # one pass instead of three masks over the whole population, every month
        out = np.zeros(N_ORIGINS)
        _recent_kernel(people.alive, people.arrived, months, people.origin, network_months, out)
        return out
    recent = people.alive & people.arrived & (months <= network_months)
    return np.bincount(people.origin[recent], minlength=N_ORIGINS).astype(float)


class Ledger:
    """Flows in agents (the indicators scale them to persons); the network in agents, scaled to
    persons on reading; the exchange with the origins in persons; entries and exits by key and
    month, for ``presence``.

    ``network_months``: the network counts those who arrived within this many months
    (``behaviour.network_recent_years``), recounted from the people at the start of each month
    (``new_month``), so every decision of a month sees the same network.
    """

    def __init__(self, people: People, weight: float, network_months: int, month: int = 0) -> None:
        self.weight = weight
        self.month = month  # the month being simulated (``new_month``)
        self.network_months = network_months
        alive = np.flatnonzero(people.alive)
        self._entered: list[tuple[np.ndarray, np.ndarray]] = [(people.key[alive], np.full(alive.size, month))]
        self._left: list[tuple[np.ndarray, np.ndarray]] = []
        self.flows: dict[str, int] = dict.fromkeys(FLOWS, 0)
        self._recent = recent_arrivals(people, network_months)
        # Persons gone from each origin group outside Baotou (1..3) to Baotou, net.
        self.exchange = np.zeros(N_ORIGINS - 1)

    def new_month(self, people: People, month: int) -> None:
        """The month begins: recount the network from who is in Baotou now."""
        self.month = month
        self._recent = recent_arrivals(people, self.network_months)

    def _enter(self, people: People, rows: np.ndarray | slice) -> None:
        keys = np.array(people.key[rows], dtype=np.uint64)
        self._entered.append((keys, np.full(keys.size, self.month)))

    def _leave(self, people: People, rows: np.ndarray) -> None:
        keys = np.array(people.key[rows], dtype=np.uint64)
        self._left.append((keys, np.full(keys.size, self.month)))

    def presence(self) -> Presence:
        """Who was in Baotou when, so far (for the scenario run against this one)."""

        def joined(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
            if not parts:
                return np.empty(0, np.uint64), np.empty(0, np.int64)
            return np.concatenate([k for k, _ in parts]), np.concatenate([m for _, m in parts])

        return Presence.of(joined(self._entered), joined(self._left))

    def count(self, name: str, n: int) -> None:
        self.flows[name] += n

    def network(self) -> np.ndarray:
        """Persons in Baotou by origin group (index ``Origin``) who arrived within the network's
        span, as counted at the start of the month."""
        return self._recent * self.weight

    def died(self, people: People, rows: np.ndarray) -> None:
        self.flows["deaths"] += rows.size
        self._leave(people, rows)

    def born(self, people: People, n: int) -> None:
        """The last ``n`` rows are this month's babies."""
        self.flows["births"] += n
        if n:
            self._enter(people, slice(len(people) - n, None))

    def arrived(self, people: People, rows: np.ndarray) -> None:
        """People in ``rows`` have just arrived: count them, and take them from their origin."""
        self.flows["in_migration"] += rows.size
        self._enter(people, rows)
        kind = people.kind[rows]
        for k in Kind:
            self.flows[f"in_migration_{k.name.lower()}"] += int(np.count_nonzero(kind == k))
        origin = people.origin[rows]
        self.exchange += np.bincount(origin[origin > 0] - 1, minlength=N_ORIGINS - 1) * self.weight

    def departed(self, people: People, rows: np.ndarray, destination: np.ndarray) -> None:
        """People in ``rows`` left Baotou for ``destination`` (index of DESTINATIONS)."""
        self.flows["out_migration"] += rows.size
        self._leave(people, rows)
        self.moved_elsewhere(destination)
        kind = people.kind[rows]
        for k in Kind:
            self.flows[f"out_migration_{k.name.lower()}"] += int(np.count_nonzero(kind == k))
        # Those going home, or to Hohhot or Ordos (the rest of Inner Mongolia), rejoin an origin.
        origin = people.origin[rows].astype(int)
        group = np.where(destination == HOME, origin - 1, -1)
        group = np.where(isin(destination, IMAR_DESTINATIONS), 0, group)
        self.exchange -= np.bincount(group[group >= 0], minlength=N_ORIGINS - 1) * self.weight

    def moved_elsewhere(self, destination: np.ndarray, persons: np.ndarray | None = None) -> None:
        """Movers the model follows chose ``destination`` (index of DESTINATIONS), each with
        ``persons`` people (default one): counted for the comparison cities."""
        went = destination >= 0  # -1: stayed
        weights = None if persons is None else persons[went]
        moved = np.bincount(destination[went], weights, minlength=len(DESTINATIONS))
        for city, index in zip(COMPARISON_CITIES, _COMPARISON_INDEX, strict=True):
            self.flows[f"moved_to_{city}"] += int(moved[index])

    def close_year(self) -> None:
        """After the year's indicators are recorded."""
        self.flows = dict.fromkeys(FLOWS, 0)
