"""Thinning gives each person the monthly chance of considering a move that their hazard implies."""

import numpy as np

from model.decisions import consideration
from model.model import BaotouModel
from model.people import households
from model.scenario import load


def test_thinning_gives_the_chance_the_hazard_implies():
    """Hold the population still and ask month after month: each person considers in a month with
    chance 1 - exp(-hazard), within chance (4 standard errors), in every band of hazard."""
    model = BaotouModel(load("baseline").with_overrides({"run": {"scale": 0.01}}), seed=0)
    model.step()
    rows = np.arange(len(model.people))
    beh, tables = model.beh, model.consider_tables
    chance = 1 - np.exp(-consideration.hazard(model.people, rows, beh, tables))
    counts = np.zeros(rows.size)
    start, months = model.month, 400
    for i in range(months):
        model.month = start + i
        counts[consideration.considering(model.people, model._context(), tables)] += 1
    order = np.argsort(chance)
    for band in np.array_split(order[chance[order] > 0], 4):
        expected = months * chance[band].sum()
        assert abs(counts[band].sum() - expected) < 4 * np.sqrt(expected), (counts[band].sum(), expected)
    assert counts[chance == 0].sum() == 0  # children, students and the dead never consider


def test_the_rate_of_candidate_moments_bounds_the_hazard_now_and_later():
    model = BaotouModel(load("baseline").with_overrides({"run": {"scale": 0.01}}), seed=1)
    model.step()
    rows = np.arange(len(model.people))
    ids, role = model.people.person_id.copy(), model.people.role.copy()
    beh, tables = model.beh, model.consider_tables
    rate = consideration.bound(model.people, rows, beh, tables)
    assert (consideration.hazard(model.people, rows, beh, tables) <= rate).all()
    for _ in range(36):  # three years on: older, longer in Baotou, jobs lost and found
        model.step()
        later = households.rows_of_ids(model.people, ids)
        # A new head's moments are drawn afresh (thinning.reschedule), so only the others count.
        here = later >= 0
        here[here] = model.people.role[later[here]] == role[here]
        h = consideration.hazard(model.people, later[here], beh, tables)
        assert (h <= rate[here]).all()
