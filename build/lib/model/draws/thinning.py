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
from typing import Protocol

import numpy as np

from model.draws.keyed import exponential, uniform


class People(Protocol):
    """What thinning needs of the people store: its length and its columns by name."""

    def __len__(self) -> int: ...

    def column(self, name: str) -> np.ndarray: ...


UNSCHEDULED = -1.0  # candidate moment of people who have none yet: scheduled from their first month


def highest_from(table: np.ndarray) -> np.ndarray:
    """The highest value from each position on: a bound, from a person's age (or duration) on,
    for a hazard tabulated by age (or duration), which only grows."""
    return np.maximum.accumulate(table[::-1])[::-1]


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
    and at any later time. Uses the columns ``{name}_at`` (time of the next candidate moment, in
    months) and ``{name}_rate`` (the rate it was drawn at).
    """
    at, rate = people.column(f"{name}_at"), people.column(f"{name}_rate")
    key = people.column("key")
    # Everyone with a moment before the month's end; what follows works on these few rows only
    # (``pos``: positions among them), never on the whole population again.
    candidates = np.flatnonzero(at < month + 1)
    happened = np.zeros(candidates.size, dtype=bool)
    new = candidates[at[candidates] == UNSCHEDULED]  # newcomers and newborns: their moments start now
    with np.errstate(divide="ignore"):  # a hazard that is always 0 has no moments (at = inf)
        rate[new] = bound(new)
        at[new] = month + exponential(key[new], seed, f"{name}_first", month) / rate[new]
        pos = np.flatnonzero(at[candidates] < month + 1)
        k = 0
        while pos.size:
            due = candidates[pos]
            # Moments after the event has happened this month change nothing.
            test_pos = pos[~happened[pos]]
            test = candidates[test_pos]
            u = uniform(key[test], seed, f"{name}_keep_{k}", month)
            happened[test_pos[u * rate[test] < hazard(test)]] = True
            rate[due] = bound(due)
            at[due] += exponential(key[due], seed, f"{name}_next_{k}", month) / rate[due]
            pos = pos[at[due] < month + 1]
            k += 1
    return candidates[happened]


def reschedule(people: People, rows: np.ndarray, names: tuple[str, ...]) -> None:
    """Draw these people's moments afresh from next time, for events whose bound may have risen
    (a spouse or child who becomes head of the household starts deciding for it)."""
    for name in names:
        people.column(f"{name}_at")[rows] = UNSCHEDULED
