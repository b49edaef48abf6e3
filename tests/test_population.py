"""The columnar population store."""

import numpy as np
import pytest

from model.categories import Kind, Sex
from model.people.store import COLUMNS, ColumnView, People


def test_add_fills_defaults_and_gives_new_ids():
    people = People(capacity=2)
    people.add(3, sex=Sex.FEMALE, age_months=[0, 12, 24])
    people.add(2, kind=Kind.TALENT)
    assert len(people) == 5
    assert list(people.person_id) == [0, 1, 2, 3, 4]
    assert list(people.sex) == [Sex.FEMALE] * 3 + [COLUMNS["sex"].default] * 2
    assert list(people.kind[3:]) == [Kind.TALENT, Kind.TALENT]


def test_compact_drops_the_dead_keeps_order_and_never_reuses_ids():
    people = People()
    people.add(5, age_months=np.arange(5))
    people.alive[[1, 3]] = False
    people.compact()
    assert list(people.person_id) == [0, 2, 4]
    assert list(people.age_months) == [0, 2, 4]
    people.add(1)
    assert people.person_id[-1] == 5


def test_in_place_update_through_attribute_writes_the_column():
    people = People()
    people.add(3)
    people.age_months += 5
    people.add(1)  # a stale view would now be shorter than the column
    assert list(people.age_months) == [5, 5, 5, 0]


def test_assigning_a_column_writes_through():
    people = People()
    people.add(3)
    view = people.income
    people.income = [1.0, 2.0, 3.0]
    people.employed = True
    assert list(view) == [1.0, 2.0, 3.0]
    assert people.employed.all() and people.employed.dtype == np.bool_
    assert "income" not in vars(people)


def test_people_declares_exactly_the_columns_of_the_schema():
    """The typed attributes of People (for the checker) are the names of COLUMNS, in order."""
    declared = [name for name, value in vars(People).items() if isinstance(value, ColumnView)]
    assert declared == list(COLUMNS)


def test_a_misspelt_column_is_an_error():
    people = People()
    people.add(1)
    with pytest.raises(AttributeError):
        people.aeg_months  # type: ignore[attr-defined]  # noqa: B018


def test_person_view_names_categories():
    people = People()
    people.add(2, sex=[Sex.MALE, Sex.FEMALE], age_months=[30 * 12 + 4, 0], kind=[Kind.MIGRANT_WORKER, Kind.RESIDENT])
    person = people.person(0)
    assert person.age == 30
    assert person.as_dict()["kind"] == "migrant_worker"
    assert "sex=male" in repr(person)
    with pytest.raises(KeyError):
        people.person(99)


def test_unknown_column_is_refused():
    with pytest.raises(KeyError, match="unknown columns"):
        People().add(1, salary=3)


def test_members_of_is_every_living_member_in_row_order_through_index_rebuilds():
    """The index of rows by household (built once, then only the rows appended since scanned)
    gives what a scan of everyone gives, for households formed before and after it, with
    members who died, and when more households are asked about than the index serves."""
    rng = np.random.default_rng(5)
    people = People()

    def grow(n_households: int) -> None:
        ids = people.new_household_ids(n_households)
        people.add(3 * n_households, household_id=np.repeat(ids, 3)[rng.permutation(3 * n_households)])

    def brute(ids: np.ndarray) -> np.ndarray:
        return np.flatnonzero(np.isin(people.household_id, ids) & people.alive)

    grow(6000)
    for round_ in range(4):
        people.alive[rng.choice(len(people), 500, replace=False)] = False
        for size in (1, 7, 60, len(people) // 64 + 5):
            ids = rng.integers(0, people.next_household_id + 3, size)  # some not formed yet
            assert np.array_equal(people.members_of(ids), brute(ids)), (round_, size)
        grow(200 if round_ % 2 == 0 else 1500)  # appended rows: scanned as the tail, or a rebuild
