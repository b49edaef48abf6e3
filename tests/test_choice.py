"""The nested-logit destination choice."""

import numpy as np
import pytest

from model import choice


def _probs(v, movable, stay, lam):
    return choice.probabilities(np.asarray(v, float), np.asarray(movable, bool), np.asarray(stay), lam)


def test_probabilities_sum_to_one_and_respect_availability():
    rng = np.random.default_rng(0)
    v = rng.normal(size=(50, choice.N_DEST)) * 3
    movable = rng.random((50, choice.N_DEST)) < 0.7
    stay = rng.integers(0, choice.N_DEST, 50)
    movable[np.arange(50), stay] = False
    p = _probs(v, movable, stay, 0.5)
    assert np.allclose(p.stay + p.dest.sum(axis=1), 1)
    assert (p.dest[~movable] == 0).all()


def test_lambda_one_is_the_plain_logit():
    v = np.array([[1.0, 0.2, -0.5, 0.0, 0.3, 0.1]])
    stay = np.array([0])
    movable = np.array([[False, True, True, True, True, True]])
    p = _probs(v, movable, stay, 1.0)
    plain = np.exp(v[0]) / np.exp(v[0]).sum()
    assert p.stay[0] == pytest.approx(plain[0])
    assert p.dest[0, 1:] == pytest.approx(plain[1:])


def test_raising_baotou_only_adds_people_to_baotou_for_the_same_draws():
    rng = np.random.default_rng(1)
    n = 5000
    v = rng.normal(size=(n, choice.N_DEST))
    stay = np.full(n, choice.HOME)
    movable = np.ones((n, choice.N_DEST), bool)
    movable[:, choice.HOME] = False
    u, w = rng.random(n), rng.random(n)
    before = choice.draw(_probs(v, movable, stay, 0.5), u, w)
    v2 = v.copy()
    v2[:, choice.BAOTOU] += 0.5
    after = choice.draw(_probs(v2, movable, stay, 0.5), u, w)
    assert (after[before == choice.BAOTOU] == choice.BAOTOU).all()
    assert np.count_nonzero(after == choice.BAOTOU) > np.count_nonzero(before == choice.BAOTOU)
    # Who stays home can only shrink: staying comes first, Baotou right after it.
    assert (before[after == -1] == -1).all()


def test_draw_frequencies_match_probabilities():
    rng = np.random.default_rng(2)
    n = 200_000
    v = np.tile([0.0, 0.5, -0.2, 0.0, 0.1, 0.3], (n, 1))
    stay = np.full(n, choice.HOME)
    movable = np.ones((n, choice.N_DEST), bool)
    movable[:, choice.HOME] = False
    p = _probs(v, movable, stay, 0.5)
    chosen = choice.draw(p, rng.random(n), rng.random(n))
    assert np.mean(chosen == -1) == pytest.approx(p.stay[0], abs=0.005)
    for j in range(choice.N_DEST):
        assert np.mean(chosen == j) == pytest.approx(p.dest[0, j], abs=0.005)


def test_a_better_stay_does_not_change_where_leavers_go():
    """Residents: raising Baotou (stay) only turns leavers into stayers; the others' destinations hold."""
    rng = np.random.default_rng(3)
    n = 5000
    v = rng.normal(size=(n, choice.N_DEST))
    stay = np.full(n, choice.BAOTOU)
    movable = np.ones((n, choice.N_DEST), bool)
    movable[:, choice.BAOTOU] = False
    u, w = rng.random(n), rng.random(n)
    before = choice.draw(_probs(v, movable, stay, 0.5), u, w)
    v2 = v.copy()
    v2[:, choice.BAOTOU] += 0.7
    after = choice.draw(_probs(v2, movable, stay, 0.5), u, w)
    still_leaving = after >= 0
    assert (before[still_leaving] == after[still_leaving]).all()
    assert (before[before == -1] == after[before == -1]).all()
