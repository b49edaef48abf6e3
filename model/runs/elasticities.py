"""``python -m model elasticities``: the model's own elasticities of inflow to Baotou's wage,
distance and rent, measured on a run's outside candidates and set beside the published ranges.

The run steps month by month through the measured year; before each month's arrivals stage,
that month's candidates (the same ones the run draws, from their own stream) are weighed by the
choice code with that month's conditions, offers, distance cuts and network
(``model/decisions/elasticity.py``). The year's expected inflows are summed at each point,
so an elasticity is that of the year's inflow.
"""

from __future__ import annotations

from dataclasses import dataclass

from model import params
from model.calendar import month_index
from model.decisions import elasticity
from model.draws.streams import Streams
from model.model import BaotouModel
from model.scenario import Scenario
from model.world.outside import Draw, generate

SETTINGS = params.load("elasticities")


def published_ranges() -> dict[str, tuple[float, float]]:
    """The evidence's range for each response (``model/data/elasticities.toml``)."""
    wage = SETTINGS["wage_range"]["value"]
    ratio = SETTINGS["distance_income_ratio_range"]["value"]
    # The trade-off times the wage elasticity: the widest distance elasticities both allow.
    distance = (-ratio[1] * wage[1], -ratio[0] * wage[0])
    return {"wage": (wage[0], wage[1]), "distance": distance, "rent": tuple(SETTINGS["rent_range"]["value"])}


@dataclass(frozen=True)
class Measured:
    scenario: str
    year: int
    scale: float
    seed: int
    step: float
    candidates: int
    inflow: float  # expected number choosing Baotou at the model's own conditions (agents)
    elasticity: dict[str, float]


def measure(scenario: Scenario, seed: int = 0) -> Measured:
    """Run ``scenario`` at the settings' scale through the settings' year, measuring each
    month's outside candidates; the run stops at the end of that year."""
    year, scale, step = int(SETTINGS["year"]["value"]), SETTINGS["scale"]["value"], SETTINGS["step"]["value"]
    last = month_index(f"{year}-12")
    scenario = scenario.with_overrides(
        {"run": {"scale": scale, "migration": True}, "period": {"end": f"{year}-12"}}, "elasticities"
    )
    model = BaotouModel(scenario, seed=seed)
    # The run's own candidates, drawn again from a copy of their stream (the run's draws untouched).
    draw = Draw(model.world, Streams(seed), model.beh, model.pop_params, seed, model.context.agents_per_person)
    low = dict.fromkeys(elasticity.RESPONSES, 0.0)
    high = dict.fromkeys(elasticity.RESPONSES, 0.0)
    base, count = 0.0, 0
    while model.month <= last:
        month = model.month
        candidates = generate(draw, month)  # in month order, as the run's feed draws them
        if month >= month_index(f"{year}-01") and len(candidates.choosers):
            m = model._context()
            model.ledger.new_month(model.people, month)  # the network as the month's decisions see it
            ch = candidates.choosers
            offer = model.package.offers(ch, m, model.people)[0]
            cut = model.package.distance_cuts(ch, m)[0]
            network = model.ledger.network()
            base += elasticity.expected_inflow(ch, m.now, m.behaviour, offer, network, cut)
            for name, (lo, hi) in elasticity.elasticities(ch, m.now, m.behaviour, offer, network, cut, step).items():
                low[name] += lo
                high[name] += hi
            count += len(ch)
        model.step()
    return Measured(
        scenario.name,
        year,
        scale,
        seed,
        step,
        count,
        base,
        {name: elasticity.log_slope(low[name], high[name], step) for name in elasticity.RESPONSES},
    )


LABELS = {
    "wage": "Baotou's wage",
    "distance": "distance to Baotou",
    "rent": "Baotou's rent (housing cost)",
}


def format_measured(result: Measured) -> str:
    """The measured elasticities beside the published ranges, one line each."""
    ranges = published_ranges()
    lines = [
        f"Elasticity of the number of outside candidates choosing Baotou ({result.scenario}, {result.year}, "
        f"scale {result.scale}, seed {result.seed}; {result.candidates:,} candidates, "
        f"{result.inflow:,.0f} expected to choose Baotou; +-{result.step:.0%} central differences)",
        f"{'to':32}{'model':>8}   published range",
    ]
    for name in elasticity.RESPONSES:
        lo, hi = ranges[name]
        value = result.elasticity[name]
        inside = "inside" if lo <= value <= hi else "OUTSIDE"
        lines.append(f"{LABELS[name]:32}{value:8.2f}   [{lo:.2f}, {hi:.2f}] {inside}")
    return "\n".join(lines)


def within_ranges(result: Measured) -> bool:
    """Every measured elasticity lies in its published range."""
    ranges = published_ranges()
    return all(ranges[n][0] <= v <= ranges[n][1] for n, v in result.elasticity.items())
