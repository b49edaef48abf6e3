"""Events whose hazard changes from month to month, drawn by thinning instead of a draw per person
per month.

Each person carries the time of their next *candidate* moment for the event, drawn from a
Poisson process at a rate no lower than any hazard they can have from then on (the ``bound``).
Each month only the people with a candidate moment in it are looked at: a moment is kept with
chance hazard / rate, and the next one is drawn at the bound of the day (Lewis and Shedler 1979;
Ogata 1981 for bounds that change at each moment). The chance of the event in a month is then
exactly ``1 - exp(-hazard)``, as with a draw per person per month, but the work follows the few
candidates, not the whole population. Every draw comes from the person's key, the event's name
and the month, and the bounds do not depend on the measures (they cover the highest hazard any
measure may set): a policy run and its counterfactual then share every moment and every draw,
and a measure that raises the hazard only adds events for the same draws, never reshuffles
them (common random numbers; a bound that rose with the measures would redraw the moments and
blur the measure's effect with chance).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from model import params
from model.draws.keyed import exponential, uniform
from model.unique import unique


class People(Protocol):
    """What thinning needs of the people store: its length and its columns by name."""

    def __len__(self) -> int: ...

    def column(self, name: str) -> np.ndarray: ...


UNSCHEDULED = -1.0  # candidate moment of people who have none yet: scheduled from their first month
CALENDAR_MONTHS: int = params.value("run", "calendar_months")


class Calendar:
    """Rows by the month of their next event (``due``/``file``; the deaths use it), so that each
    month's rows are those in that month's bucket instead of a pass over every row.

    Exact: it gives the rows with a moment before the month's end, as the pass would, because a
    moment changes only where it is followed (drawn in ``events_this_month``, reset by
    ``reschedule``, new rows from ``People.add``); rows move only at compaction, which the store
    counts (``layout``), and the calendar is then built again, as it is when the months reach
    its horizon (moments beyond it are not filed).
    """

    __slots__ = ("layout", "tracked", "last", "horizon", "buckets", "pending")

    def __init__(self, at: np.ndarray, month: int, layout: int) -> None:
        self.layout = layout
        self.tracked = at.size  # rows below this are filed (or have no moment before the horizon)
        self.last = month
        self.horizon = month + CALENDAR_MONTHS
        self.buckets: dict[int, list[np.ndarray]] = {}
        self.pending: list[np.ndarray] = []  # rows whose moments were reset
        self.file(np.flatnonzero(at < self.horizon), at, month)

    def stale(self, month: int, layout: int) -> bool:
        return layout != self.layout or month < self.last or month >= self.horizon

    def file(self, rows: np.ndarray, at: np.ndarray, month: int) -> None:
        """File ``rows`` under the month of their moment (``month`` at the earliest); rows stay
        in row order within a bucket."""
        moment = at[rows]
        rows = rows[moment < self.horizon]
        if rows.size == 0:
            return
        offset = (np.maximum(np.floor(at[rows]), month) - month).astype(np.int16)  # < CALENDAR_MONTHS
        order = np.argsort(offset, kind="stable")  # 16-bit keys: a radix sort
        offset, rows = offset[order], rows[order].astype(np.int32)
        edges = np.flatnonzero(offset[1:] != offset[:-1]) + 1
        for first, part in zip(np.concatenate(([0], edges)), np.split(rows, edges), strict=True):
            self.buckets.setdefault(month + int(offset[first]), []).append(part)

    def due(self, at: np.ndarray, month: int) -> np.ndarray:
        """Rows with a moment before the end of ``month``, in row order."""
        parts = [part for m in sorted(m for m in self.buckets if m <= month) for part in self.buckets.pop(m)]
        parts += self.pending
        self.pending = []
        if at.size > self.tracked:
            parts.append(np.arange(self.tracked, at.size, dtype=np.int32))
            self.tracked = at.size
        self.last = month
        if not parts:
            return np.empty(0, dtype=np.intp)
        rows = parts[0] if len(parts) == 1 else unique(np.concatenate(parts))  # one bucket: sorted already
        rows = rows.astype(np.intp)
        return rows[at[rows] < month + 1]


def _calendar(people: People, name: str, at: np.ndarray, month: int) -> Calendar | None:
    """The event's calendar kept on the store, built afresh when stale; None for stores that do
    not keep calendars (then every row is looked at)."""
    calendars: dict[str, Any] | None = getattr(people, "calendars", None)
    if calendars is None:
        return None
    layout = getattr(people, "layout", 0)
    calendar = calendars.get(name)
    if calendar is None or calendar.stale(month, layout):
        calendar = calendars[name] = Calendar(at, month, layout)
    return calendar


def highest_from(table: np.ndarray) -> np.ndarray:
    """The highest value from each position on: a bound, from a person's age (or duration) on,
    for a hazard tabulated by age (or duration), which only grows."""
    return np.maximum.accumulate(table[::-1])[::-1]


def due(people: People, name: str, at: np.ndarray, month: int) -> np.ndarray:
    """Rows whose ``at`` (the month, with fraction, of their next moment for ``name``; -1 for
    none yet) is before the end of ``month``, in row order: from the event's calendar, or by a
    pass over every row where the store keeps none. Moments set later must be ``filed``."""
    calendar = _calendar(people, name, at, month)
    return np.flatnonzero(at < month + 1) if calendar is None else calendar.due(at, month)


def file(people: People, name: str, rows: np.ndarray, at: np.ndarray, month: int) -> None:
    """Tell the event's calendar the moments of ``rows`` set in ``month`` (after ``due``)."""
    calendar = getattr(people, "calendars", {}).get(name)
    if calendar is not None:
        calendar.file(rows, at, month)


def events_this_month(
    people: People,
    name: str,
    seed: int,
    month: int,
    hazard: Callable[[np.ndarray], np.ndarray],
    bound: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """Rows for which event ``name`` happens this month (at most once each).

    ``hazard(rows)``: this month's hazard; ``bound(rows)``: a rate no lower than the hazard now
    and at any later time. Both are functions of each row's own state, which does not change
    while its moments are drawn: each is called once a month, over the month's candidates, and
    read from there for every later moment in the month. Uses the columns ``{name}_at`` (time of
    the next candidate moment, in months) and ``{name}_rate`` (the rate it was drawn at).
    """
    at, rate = people.column(f"{name}_at"), people.column(f"{name}_rate")
    key = people.column("key")
    # Everyone with a moment before the month's end; what follows works on these few rows only
    # (``pos``: positions among them), never on the whole population again.
    # One pass over every row: with migration the calendar was slower for these events (measured,
    # benchmarks/README.md: the month's candidates are many, and arrivals and new heads add rows
    # to look at each month); deaths use it (``due``).
    candidates = np.flatnonzero(at < month + 1)
    happened = np.zeros(candidates.size, dtype=bool)
    with np.errstate(divide="ignore"):  # a hazard that is always 0 has no moments (at = inf)
        limit = bound(candidates)
        new_pos = np.flatnonzero(at[candidates] == UNSCHEDULED)  # newcomers and newborns: moments start now
        new = candidates[new_pos]
        rate[new] = limit[new_pos]
        at[new] = month + exponential(key[new], seed, f"{name}_first", month) / rate[new]
        pos = np.flatnonzero(at[candidates] < month + 1)
        chance = np.zeros(candidates.size)
        chance[pos] = hazard(candidates[pos])  # later moments are among these rows
        k = 0
        while pos.size:
            due = candidates[pos]
            # Moments after the event has happened this month change nothing.
            test_pos = pos[~happened[pos]]
            test = candidates[test_pos]
            u = uniform(key[test], seed, f"{name}_keep_{k}", month)
            happened[test_pos[u * rate[test] < chance[test_pos]]] = True
            rate[due] = limit[pos]
            at[due] += exponential(key[due], seed, f"{name}_next_{k}", month) / rate[due]
            pos = pos[at[due] < month + 1]
            k += 1
    return candidates[happened]


def reschedule(people: People, rows: np.ndarray, names: tuple[str, ...]) -> None:
    """Draw these people's moments afresh from next time, for events whose bound may have risen
    (a spouse or child who becomes head of the household starts deciding for it)."""
    calendars: dict[str, Any] = getattr(people, "calendars", {})
    for name in names:
        people.column(f"{name}_at")[rows] = UNSCHEDULED
        if name in calendars:
            calendars[name].pending.append(np.asarray(rows, dtype=np.int32))
