"""Thinning: events with hazards that change month by month, drawn at candidate moments."""

import numpy as np

from model.draws import thinning
from model.people.store import People


def _people(n: int) -> People:
    people = People(n)
    people.add(n, key=np.arange(n, dtype=np.uint64) * 7919 + 11)
    return people


def test_each_month_the_event_has_the_chance_its_hazard_implies():
    """Hazards that change every month and bounds that fall over time (as age and duration
    bounds do): the count of events matches the sum of 1 - exp(-hazard) within chance, by band."""
    n, months = 20_000, 240
    people = _people(n)
    base = np.linspace(0.001, 0.2, n)
    expected = np.zeros(n)
    counts = np.zeros(n)
    for month in range(months):
        wave = 1 + 0.5 * np.sin(month / 7)

        def hazard(rows, wave=wave, month=month):
            return base[rows] * wave * np.exp(-month / 400)

        def bound(rows, month=month):
            return base[rows] * 1.5 * np.exp(-month / 400)

        happened = thinning.events_this_month(people, "birth", 0, month, hazard, bound)
        assert np.unique(happened).size == happened.size  # at most once a month
        counts[happened] += 1
        expected += 1 - np.exp(-hazard(np.arange(n)))
    for band in np.array_split(np.arange(n), 5):
        assert abs(counts[band].sum() - expected[band].sum()) < 4 * np.sqrt(expected[band].sum())


def test_a_zero_bound_means_no_moments_and_no_events():
    people = _people(1000)
    none = thinning.events_this_month(
        people, "hukou", 0, 5, lambda rows: np.zeros(rows.size), lambda rows: np.zeros(rows.size)
    )
    assert none.size == 0 and np.isinf(people.hukou_at).all()


def test_the_same_people_have_the_same_moments_whoever_else_is_there():
    """Draws come from each person's key: adding people does not move anyone else's events."""
    small, large = _people(2000), _people(4000)

    def run(people):
        out = []
        for month in range(60):
            rows = thinning.events_this_month(
                people, "consider", 3, month, lambda r: np.full(r.size, 0.05), lambda r: np.full(r.size, 0.1)
            )
            out.append(set(people.key[rows].tolist()))
        return out

    keys_small = set(small.key.tolist())
    for a, b in zip(run(small), run(large), strict=True):
        assert a == b & keys_small
