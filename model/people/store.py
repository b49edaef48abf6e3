"""The population store: one row per person, held column-wise in numpy arrays.

The schema is declared once in ``COLUMNS`` (dtype, default, meaning); ``People`` names each
column again as a typed attribute (``ColumnView``) so the type checker knows them, and a test
keeps the two lists equal. Rows are appended for newcomers and newborns; people who die or
leave are marked and dropped at the next ``compact()``, which keeps row order. ``person_id``
is never reused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Self, overload

import numpy as np
import numpy.typing as npt

from model.categories import Area, Division, Education, Kind, Origin, Role, Sex, Tenure
from model.compiled import ENABLED, kernel
from model.unique import unique

NEVER = 2**31 - 1  # a month index no run reaches


@dataclass(frozen=True)
class Column:
    dtype: type
    default: Any
    meaning: str
    category: type[IntEnum] | None = None


COLUMNS: dict[str, Column] = {
    "person_id": Column(np.int64, -1, "unique, never reused; in order of creation"),
    "key": Column(np.uint64, 0, "identity for random draws, the same in every scenario run with the same seed"),
    "alive": Column(np.bool_, True, "in Baotou and alive; False rows are dropped at compaction"),
    "age_months": Column(np.int16, 0, "age in completed months"),
    "sex": Column(np.int8, Sex.MALE, "sex", Sex),
    "household_id": Column(np.int32, -1, "household the person lives in"),
    "role": Column(np.int8, Role.HEAD, "role in the household", Role),
    "hukou": Column(np.bool_, True, "holds Baotou hukou"),
    "kind": Column(np.int8, Kind.RESIDENT, "migration type (dependents share the household's)", Kind),
    "education": Column(np.int8, Education.PRIMARY_OR_LESS, "highest level completed", Education),
    "employed": Column(np.bool_, False, "has a job"),
    "unemployed": Column(np.bool_, False, "lost a job and looks for another (a trigger for moving)"),
    "income": Column(np.float32, 0.0, "labour income, yuan per year"),
    "tenure": Column(np.int8, Tenure.OWN, "housing tenure of the household", Tenure),
    "urban": Column(np.bool_, True, "lives in an urban place (census definition)"),
    "area": Column(np.int8, Area.MAIN_URBAN, "main urban districts or county and banners", Area),
    "division": Column(np.int8, Division.KUNDULUN, "county-level division (旗县区), shared by the household", Division),
    "origin": Column(np.int8, Origin.BAOTOU, "origin group of movers", Origin),
    "months_in_baotou": Column(np.int16, 0, "months lived in Baotou"),
    "arrived": Column(
        np.bool_, False, "moved to Baotou from elsewhere (not born here, nor a census resident here all their life)"
    ),
    "social_insurance": Column(np.bool_, False, "contributes to social insurance now"),
    "social_insurance_months": Column(np.int16, 0, "months of continuous social insurance (H3 needs 6)"),
    "provident_fund": Column(np.bool_, False, "contributes to the housing provident fund now"),
    "provident_fund_months": Column(np.int16, 0, "months of continuous provident-fund contributions (H3 needs 6)"),
    "death_clock": Column(np.float32, 1.0, "Exp(1) exposure to the death hazard, drawn when the person appears"),
    "death_month": Column(np.int32, -1, "month (index) in which the person dies; -1 until worked out"),
    "job_change_month": Column(
        np.int32, -1, "month (index) of the next job loss (employed) or job find (unemployed); -1 for neither"
    ),
    "labour_review_month": Column(
        np.int32, -1, "month (index) of the next birthday that enters a new employment-rate age band"
    ),
    # Candidate moments for events drawn by thinning (model/draws/thinning.py): when next, at what rate.
    "birth_at": Column(np.float64, -1.0, "month (with fraction) of the next candidate moment to give birth"),
    "birth_rate": Column(np.float32, 0.0, "rate (per month) at which that moment was drawn"),
    "consider_at": Column(np.float64, -1.0, "month (with fraction) of the next candidate moment to consider moving"),
    "consider_rate": Column(np.float32, 0.0, "rate (per month) at which that moment was drawn"),
    "hukou_at": Column(np.float64, -1.0, "month (with fraction) of the next candidate moment to take hukou"),
    "hukou_rate": Column(np.float32, 0.0, "rate (per month) at which that moment was drawn"),
    "purchase_at": Column(np.float64, -1.0, "month (with fraction) of the next candidate moment to buy a home"),
    "purchase_rate": Column(np.float32, 0.0, "rate (per month) at which that moment was drawn"),
    "study_months": Column(np.int16, -1, "months until graduation for students; -1 for everyone else"),
}


class ColumnView:
    """A column of ``People`` as an attribute: reads give the numpy view of length ``len(people)``;
    assigning writes through (so ``people.age_months += 1`` changes the column in place).

    Each column is declared once more in ``People`` (for the type checker, which then flags a
    misspelt column); ``tests/test_population.py`` checks the two lists agree.
    """

    __slots__ = ("name",)

    def __set_name__(self, owner: type, name: str) -> None:
        if name not in COLUMNS:
            raise TypeError(f"{owner.__name__}.{name} is not a column of COLUMNS")
        self.name = name

    @overload
    def __get__(self, people: None, owner: type | None = None) -> Self: ...
    @overload
    def __get__(self, people: People, owner: type | None = None) -> np.ndarray: ...
    def __get__(self, people: People | None, owner: type | None = None) -> np.ndarray | Self:
        if people is None:
            return self
        return people._data[self.name][: people._n]

    def __set__(self, people: People, value: npt.ArrayLike) -> None:
        # ``people.age_months += 1`` rebinds the attribute after the in-place add; write
        # through to the column instead of shadowing it with a stale view.
        target = people._data[self.name][: people._n]
        if not (isinstance(value, np.ndarray) and value.ctypes.data == target.ctypes.data):
            target[...] = value


class Person:
    """A read-only look at one person as an agent, for teaching and debugging."""

    def __init__(self, people: People, row: int) -> None:
        self._values = {name: people.column(name)[row].item() for name in COLUMNS}

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def age(self) -> int:
        return self._values["age_months"] // 12

    def as_dict(self) -> dict[str, Any]:
        """Attributes with categories shown by name."""
        out = {}
        for name, value in self._values.items():
            category = COLUMNS[name].category
            out[name] = category(value).name.lower() if category else value
        return out

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v}" for k, v in self.as_dict().items() if k != "alive")
        return f"Person({shown})"


class People:
    """Columnar store of persons. Columns are numpy views of length ``len(self)``."""

    # The columns of ``COLUMNS``, in its order (see ``ColumnView``).
    person_id = ColumnView()
    key = ColumnView()
    alive = ColumnView()
    age_months = ColumnView()
    sex = ColumnView()
    household_id = ColumnView()
    role = ColumnView()
    hukou = ColumnView()
    kind = ColumnView()
    education = ColumnView()
    employed = ColumnView()
    unemployed = ColumnView()
    income = ColumnView()
    tenure = ColumnView()
    urban = ColumnView()
    area = ColumnView()
    division = ColumnView()
    origin = ColumnView()
    months_in_baotou = ColumnView()
    arrived = ColumnView()
    social_insurance = ColumnView()
    social_insurance_months = ColumnView()
    provident_fund = ColumnView()
    provident_fund_months = ColumnView()
    death_clock = ColumnView()
    death_month = ColumnView()
    job_change_month = ColumnView()
    labour_review_month = ColumnView()
    birth_at = ColumnView()
    birth_rate = ColumnView()
    consider_at = ColumnView()
    consider_rate = ColumnView()
    hukou_at = ColumnView()
    hukou_rate = ColumnView()
    purchase_at = ColumnView()
    purchase_rate = ColumnView()
    study_months = ColumnView()

    def __init__(self, capacity: int = 1024) -> None:
        self._n = 0
        # Rows beyond ``len(self)`` are written by ``add`` before they are read, so the spare
        # capacity is left unwritten (the full city's columns are about 350 MB).
        self._data: dict[str, np.ndarray] = {name: np.empty(capacity, dtype=c.dtype) for name, c in COLUMNS.items()}
        self.next_person_id = 0
        self.next_household_id = 0
        self._by_household: tuple[int, np.ndarray, np.ndarray] | None = None  # see members_of
        # Look-ups derived from who is here and their roles (``model/people/households.py``),
        # kept until rows, ``alive`` or ``role`` change (``changed``).
        self._version = 0
        self._cache: dict[str, tuple[int, Any]] = {}
        # Rows by month of their next candidate moment, per event drawn by thinning
        # (``model/draws/thinning.py``); ``layout`` counts compactions, which move rows.
        self.calendars: dict[str, Any] = {}
        self.layout = 0

    def __len__(self) -> int:
        return self._n

    def column(self, name: str) -> np.ndarray:
        return self._data[name][: self._n]

    def changed(self) -> None:
        """Rows, ``alive`` or ``role`` changed: derived look-ups are stale."""
        self._version += 1

    def cached(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, kept until the next ``changed``."""
        hit = self._cache.get(name)
        if hit is None or hit[0] != self._version:
            hit = (self._version, compute())
            self._cache[name] = hit
        return hit[1]

    @property
    def n_alive(self) -> int:
        return int(np.count_nonzero(self.column("alive")))

    def add(self, count: int, **values: Any) -> slice:
        """Append ``count`` people; unnamed columns take their defaults. Returns their rows."""
        unknown = set(values) - set(COLUMNS)
        if unknown:
            raise KeyError(f"unknown columns {sorted(unknown)}")
        need = self._n + count
        capacity = len(self._data["person_id"])
        if need > capacity:
            new_capacity = max(need, int(capacity * 1.25) + 1024)
            for name, col in COLUMNS.items():
                grown: np.ndarray = np.empty(new_capacity, dtype=col.dtype)
                grown[: self._n] = self._data[name][: self._n]
                self._data[name] = grown
        rows = slice(self._n, need)
        for name, col in COLUMNS.items():
            self._data[name][rows] = values.get(name, col.default)
        self._data["person_id"][rows] = np.arange(self.next_person_id, self.next_person_id + count)
        self._data["alive"][rows] = True
        self.next_person_id += count
        self._n = need
        self.changed()
        return rows

    def new_household_ids(self, count: int) -> np.ndarray:
        ids = np.arange(self.next_household_id, self.next_household_id + count, dtype=np.int32)
        self.next_household_id += count
        return ids

    def compact(self) -> None:
        """Drop rows no longer alive, keeping order (so person_id stays sorted)."""
        keep = self.column("alive").copy()  # the loop below overwrites the column
        kept = int(np.count_nonzero(keep))
        if kept == self._n:
            return
        for name in COLUMNS:
            self._data[name][:kept] = self._data[name][: self._n][keep]
        self._n = kept
        self._by_household = None
        self.layout += 1
        self.changed()

    def copy(self) -> People:
        """An independent store with the same people (look-ups and calendars start afresh)."""
        out = People(capacity=0)
        out._data = {name: column.copy() for name, column in self._data.items()}
        out._n, out.next_person_id, out.next_household_id = self._n, self.next_person_id, self.next_household_id
        return out

    def members_of(self, household_ids: np.ndarray) -> np.ndarray:
        """Rows of the living members of these households, in row order.

        Looks up an index of rows by household (built after each compaction) and scans only the
        rows appended since, so the cost grows with the households asked about, not with the
        population. A person's household never changes while they are here.
        """
        household_ids = np.asarray(household_ids)
        if household_ids.size == 0:
            return np.empty(0, dtype=np.int64)
        if household_ids.size > len(self) // 64:  # many households: one pass over everyone is cheaper
            wanted = np.zeros(self.next_household_id, dtype=bool)
            wanted[household_ids] = True
            return np.flatnonzero(wanted[self.column("household_id")] & self.column("alive"))
        if self._by_household is None or len(self) - self._by_household[0] > max(len(self) // 16, 4096):
            hid = self.column("household_id")
            order = np.argsort(hid).astype(np.int64)
            # Where each household's rows begin in ``order`` (household ids are dense integers):
            # a look-up per household instead of two binary searches over every row.
            offsets = np.zeros(self.next_household_id + 1, dtype=np.int64)
            np.cumsum(np.bincount(hid, minlength=self.next_household_id), out=offsets[1:])
            self._by_household = (len(self), order, offsets)
        indexed, order, offsets = self._by_household
        ids = unique(household_ids)
        hid, alive = self.column("household_id"), self.column("alive")
        if ENABLED:
            return _members_kernel(ids, order, offsets, hid, alive, indexed, self.next_household_id)
        # Households formed after the index have no indexed rows (their rows are in the tail).
        at = np.minimum(ids, offsets.size - 1)
        start, stop = offsets[at], offsets[np.minimum(at + 1, offsets.size - 1)]
        sizes = stop - start
        first = np.cumsum(sizes) - sizes  # where each household's rows begin in the result
        positions = np.repeat(start - first, sizes) + np.arange(int(sizes.sum()))
        rows = order[positions]
        wanted = np.zeros(self.next_household_id, dtype=bool)
        wanted[ids] = True
        tail = indexed + np.flatnonzero(wanted[hid[indexed:]])
        rows = np.sort(np.concatenate([rows, tail]))
        return rows[alive[rows]]

    def row_of(self, person_id: int) -> int:
        ids = self.column("person_id")
        row = int(np.searchsorted(ids, person_id))
        if row >= self._n or ids[row] != person_id:
            raise KeyError(f"no person with id {person_id}")
        return row

    def person(self, person_id: int) -> Person:
        return Person(self, self.row_of(person_id))

    def age_years(self) -> np.ndarray:
        return self.column("age_months") // 12


@kernel
def _members_kernel(
    ids: np.ndarray,
    order: np.ndarray,
    offsets: np.ndarray,
    hid: np.ndarray,
    alive: np.ndarray,
    indexed: int,
    households: int,
) -> np.ndarray:
    """``members_of``'s compiled twin: the indexed rows of households ``ids`` (sorted, distinct),
    the rows appended since the index was built, sorted, the living only."""
    last = offsets.size - 1
    count = 0
    for h in ids:
        at = min(h, last)
        count += offsets[min(at + 1, last)] - offsets[at]
    wanted = np.zeros(households, dtype=np.bool_)
    for h in ids:
        wanted[h] = True
    for r in range(indexed, hid.size):
        if wanted[hid[r]]:
            count += 1
    rows = np.empty(count, dtype=np.int64)
    k = 0
    for h in ids:
        at = min(h, last)
        for j in range(offsets[at], offsets[min(at + 1, last)]):
            rows[k] = order[j]
            k += 1
    for r in range(indexed, hid.size):
        if wanted[hid[r]]:
            rows[k] = r
            k += 1
    rows.sort()
    return rows[alive[rows]]
