"""The replicates of a run: which seeds run, and with which parameter set each.

A run with D parameter sets (posterior draws, made by ``model.calibration.draws``) and S seeds
per set has D x S replicates: replicate r (seed ``seed + r``) runs with set ``r // S``, and its
counterfactual with the same set and seed (common random numbers). Without parameter sets the
replicates are S seeds at the calibrated point estimates, and their spread is chance alone.
The run layer receives the replicates from above; it does not read the posterior itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Draw:
    """One parameter set: its number in the run, the particle of the posterior file it is, the
    values of the posterior's parameters and the scenario sections that set them."""

    number: int
    particle: int
    values: Mapping[str, float]
    settings: Mapping[str, Mapping[str, Any]]
    source: str = "posterior.csv"

    def label(self) -> str:
        return f"posterior draw {self.number} (particle {self.particle} of {self.source})"


@dataclass(frozen=True)
class Replicates:
    """Seeds, and the draw each seed runs with (none: the calibrated point estimates);
    ``provenance``: what the manifest records about where the draws come from."""

    first_seed: int
    seeds_per_draw: int
    draws: tuple[Draw, ...] = ()
    provenance: Mapping[str, Any] = field(default_factory=dict)

    @property
    def seeds(self) -> list[int]:
        n = self.seeds_per_draw * max(len(self.draws), 1)
        return list(range(self.first_seed, self.first_seed + n))

    def draw_of(self, seed: int) -> Draw | None:
        if not self.draws:
            return None
        return self.draws[(seed - self.first_seed) // self.seeds_per_draw]

    def describe(self) -> str:
        """What the interval over these replicates includes."""
        if not self.draws:
            return f"{self.seeds_per_draw} seed(s) at the calibrated point estimates: chance only"
        return (
            f"{len(self.draws)} posterior draws x {self.seeds_per_draw} seed(s) each: "
            "parameter uncertainty (posterior) and chance"
        )

    def manifest(self) -> dict[str, Any]:
        if not self.draws:
            return {"posterior_draws": 0}
        return {
            "posterior_draws": len(self.draws),
            **self.provenance,
            "draw_of_seed": {
                str(s): {"draw": d.number, "particle": d.particle, **d.values}
                for s in self.seeds
                if (d := self.draw_of(s)) is not None
            },
        }


def at_point(run: Mapping[str, Any]) -> Replicates:
    """The seeds of a [run] section at the calibrated point; refuses a section asking for
    posterior draws (those come from ``model.calibration.draws.replicates``)."""
    if int(run.get("posterior_draws", 0)):
        raise ValueError(
            "run.posterior_draws > 0: pass the replicates from model.calibration.draws.replicates(scenario['run'])"
        )
    return Replicates(int(run["seed"]), int(run["seeds"]))
