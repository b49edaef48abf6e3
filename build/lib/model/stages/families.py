"""Families left behind by arrivals, waiting to join the head after a delay (they join in
``model/stages/arrivals.py::families_join`` if the head is still here)."""

from __future__ import annotations

import numpy as np

from model.people.choosers import Choosers, Family


class PendingFamilies:
    """The queue of families to join later: when each was decided, when it is due, whose."""

    def __init__(self) -> None:
        self.decided = np.empty(0, dtype=np.int64)
        self.due = np.empty(0, dtype=np.int64)
        self.head_id = np.empty(0, dtype=np.int64)
        self.choosers: Choosers | None = None
        self.family: Family | None = None

    def __len__(self) -> int:
        return self.due.size

    def add(self, decided: int, due: np.ndarray, head_id: np.ndarray, ch: Choosers, family: Family) -> None:
        self.decided = np.concatenate([self.decided, np.full(due.size, decided)])
        self.due = np.concatenate([self.due, due])
        self.head_id = np.concatenate([self.head_id, head_id])
        if self.choosers is None or self.family is None:
            self.choosers, self.family = ch, family
        else:
            self.choosers = self.choosers.concat(ch)
            self.family = self.family.concat(family)

    def take_due(self, month: int) -> tuple[np.ndarray, np.ndarray, Choosers, Family] | None:
        due = self.due <= month
        if not due.any() or self.choosers is None or self.family is None:
            return None
        keep = ~due
        out = (
            month - self.decided[due],
            self.head_id[due],
            self.choosers.subset(np.flatnonzero(due)),
            self.family.subset(due),
        )
        self.decided, self.due, self.head_id = self.decided[keep], self.due[keep], self.head_id[keep]
        self.choosers = self.choosers.subset(np.flatnonzero(keep))
        self.family = self.family.subset(keep)
        return out
