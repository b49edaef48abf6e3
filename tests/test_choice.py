"""The nested-logit destination choice."""

import numpy as np
import pytest

from model.decisions import choice
from model.model import BaotouModel
from model.people import households
from model.people.choosers import Choosers, outside
from model.scenario import load


def _probs(v, movable, stay, lam) -> choice.Probabilities:
    """Each chooser its own profile, with the utilities given (Baotou's column per chooser)."""
    v = np.asarray(v, float)
    alt = choice.Alternatives(v, np.asarray(movable, bool), np.arange(len(v)), np.asarray(stay) == choice.BAOTOU, lam)
    return alt.probabilities(v[:, choice.BAOTOU])


def _textbook(v, movable, stay, lam) -> tuple[np.ndarray, np.ndarray]:
    """The nested logit written out for every chooser and alternative, as an oracle."""
    v, movable = np.asarray(v, float), np.asarray(movable, bool)
    rows = np.arange(len(v))
    expo = np.where(movable, np.exp(v / lam), 0.0)
    inclusive = np.log(expo.sum(axis=1))
    p_move = 1 / (1 + np.exp(v[rows, stay] - lam * inclusive))
    return 1 - p_move, p_move[:, None] * expo / expo.sum(axis=1, keepdims=True)


def _random_case(rng, n):
    v = rng.normal(size=(n, choice.N_DEST)) * 3
    stay = np.where(rng.random(n) < 0.5, choice.BAOTOU, choice.HOME)
    movable = rng.random((n, choice.N_DEST)) < 0.7
    movable[:, choice.BAOTOU] = stay != choice.BAOTOU  # Baotou is always open to people elsewhere
    movable[np.arange(n), stay] = False
    movable[np.arange(n), choice.DESTINATIONS.index("other")] |= stay == choice.BAOTOU  # residents can always leave
    return v, movable, stay


def test_probabilities_sum_to_one_respect_availability_and_match_the_textbook_formula():
    v, movable, stay = _random_case(np.random.default_rng(0), 500)
    p = _probs(v, movable, stay, 0.5)
    assert np.allclose(p.stay + p.dest().sum(axis=1), 1)
    assert (p.dest()[~movable] == 0).all()
    stay_ref, dest_ref = _textbook(v, movable, stay, 0.5)
    assert np.allclose(p.stay, stay_ref, rtol=1e-10, atol=1e-12)
    assert np.allclose(p.dest(), dest_ref, rtol=1e-10, atol=1e-12)


def test_lambda_one_is_the_plain_logit():
    v = np.array([[1.0, 0.2, -0.5, 0.0, 0.3, 0.1]])
    stay = np.array([choice.BAOTOU])
    movable = np.array([[False, True, True, True, True, True]])
    p = _probs(v, movable, stay, 1.0)
    plain = np.exp(v[0]) / np.exp(v[0]).sum()
    assert p.stay[0] == pytest.approx(plain[0])
    assert p.dest()[0, 1:] == pytest.approx(plain[1:])


def test_profiles_give_the_same_probabilities_as_working_out_every_chooser():
    """Grouping choosers by profile loses nothing: every destination but Baotou depends on the
    chooser only through the profile. Checked on real residents and outside candidates."""
    model = BaotouModel(load("policy_2022").with_overrides({"run": {"scale": 0.002}}), seed=0)
    now = model.conditions.at(model.month + 30)  # while the package is on
    rng = np.random.default_rng(1)
    residents = Choosers.of(model.people, rng.choice(households.head_rows(model.people), 800, replace=False))
    n = 800
    age = rng.integers(18, 60, n)
    kids = np.where(rng.random((n, 3)) < 0.4, rng.integers(0, 16, (n, 3)), -1)
    candidates = outside(
        rng.integers(0, 2**63, n, dtype=np.uint64),
        age,
        rng.integers(0, 6, n).astype(np.int8),
        rng.integers(1, 3, n).astype(np.int8),
        rng.integers(1, 4, n).astype(np.int8),
        rng.random(n) < 0.5,
        kids,
    )
    network = model.ledger.network()
    for ch in (residents, candidates):
        offer = choice.Offer.empty(len(ch))
        offer.money[:] = rng.random(len(ch)) * 5000
        offer.school_access[:] = rng.random(len(ch))
        v_baotou, _ = choice.baotou_utility(ch, now, model.beh, offer, network, np.zeros(len(ch)))
        p = choice.Alternatives.of(ch, now, model.beh).probabilities(v_baotou)
        v, movable = choice.profile_utilities(ch, now, model.beh)  # one row per chooser
        v[:, choice.BAOTOU] = v_baotou
        movable[:, choice.BAOTOU] = ~ch.in_baotou
        lam = model.beh["nest_lambda"]
        stay_ref, dest_ref = _textbook(v, movable, np.where(ch.in_baotou, choice.BAOTOU, choice.HOME), lam)
        assert np.allclose(p.stay, stay_ref, rtol=1e-9, atol=1e-12)
        assert np.allclose(p.dest(), dest_ref, rtol=1e-9, atol=1e-12)


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
        assert np.mean(chosen == j) == pytest.approx(p.dest()[0, j], abs=0.005)


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
