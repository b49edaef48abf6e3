"""Posterior draws for planners' runs and what their replicates say (issue 15)."""

import numpy as np
import pandas as pd
import pytest

from model.calibration.draws import posterior_draws, replicates
from model.calibration.posterior import read_draws
from model.runs.replicates import Replicates
from model.runs.uncertainty import probabilities, variance_shares


def write_posterior(path, weights):
    """Particle i has the committed posterior's first particle's values, with policy_response = i."""
    names, particles, _ = read_draws()
    rows = ["particle,weight,distance," + ",".join(names)]
    for i, w in enumerate(weights):
        values = {n: float(v) for n, v in zip(names, particles[0], strict=True)} | {"policy_response": float(i)}
        rows.append(f"{i},{w},0.0," + ",".join(repr(values[n]) for n in names))
    path.write_text("\n".join(rows) + "\n")


def test_a_systematic_resample_follows_the_weights(tmp_path):
    path = tmp_path / "posterior.csv"
    write_posterior(path, [0.5, 0.25, 0.125, 0.125, 0.0])
    draws = posterior_draws(800, path)
    counts = np.bincount([d.particle for d in draws], minlength=5)
    # Systematic resampling: each particle appears n x weight times, give or take one.
    assert np.all(np.abs(counts - 800 * np.array([0.5, 0.25, 0.125, 0.125, 0.0])) <= 1)
    assert [d.number for d in draws] == list(range(800))
    assert all(d.values["policy_response"] == float(d.particle) for d in draws)
    # The same request gives the same draws.
    assert [d.particle for d in posterior_draws(800, path)] == [d.particle for d in draws]


def test_the_committed_posterior_gives_parameter_sets_inside_its_particles():
    names, particles, _ = read_draws()
    draws = posterior_draws(10)
    assert len(draws) == 10
    for d in draws:
        assert list(d.values) == names
        assert np.allclose(list(d.values.values()), particles[d.particle])
        assert d.settings, "a draw must set some scenario keys"


def test_each_draw_runs_over_its_seeds():
    draws = posterior_draws(3)
    reps = Replicates(first_seed=10, seeds_per_draw=2, draws=draws)
    assert reps.seeds == [10, 11, 12, 13, 14, 15]
    assert [reps.draw_of(s).number for s in reps.seeds] == [0, 0, 1, 1, 2, 2]
    assert "parameter uncertainty" in reps.describe()
    point = replicates({"seed": 0, "seeds": 4})
    assert point.seeds == [0, 1, 2, 3] and point.draw_of(0) is None and "chance only" in point.describe()


def test_variance_shares_split_parameters_from_chance():
    rng = np.random.default_rng(1)
    draw = np.repeat(np.arange(400), 5)
    # Between draws: variance 9; within a draw: variance 1.
    values = pd.Series(rng.normal(0, 3, 400)[draw] + rng.normal(0, 1, draw.size))
    parameters, chance = variance_shares(values, pd.Series(draw))
    assert parameters == pytest.approx(0.9, abs=0.03) and chance == pytest.approx(0.1, abs=0.03)
    # One seed per draw: the two cannot be told apart.
    assert variance_shares(pd.Series([1.0, 2.0]), pd.Series([0, 1])) is None


def test_probability_above_a_threshold_is_the_share_of_replicates():
    effects = pd.DataFrame(
        {"indicator": "extra_population", "year": 2025, "seed": range(4), "value": [5e3, 1.2e4, 2e4, 9e3]}
    )
    table = probabilities(effects, 1e4, {0: 0, 1: 0, 2: 1, 3: 1})
    assert table.probability_above.iloc[0] == 0.5 and table.replicates.iloc[0] == 4


def test_the_run_layer_refuses_to_ignore_posterior_draws():
    from model.runs.replicates import at_point

    with pytest.raises(ValueError, match="posterior_draws"):
        at_point({"seed": 0, "seeds": 2, "posterior_draws": 5})
