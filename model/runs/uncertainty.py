"""What a comparison's replicates say beyond their mean and range: the probability that the
effect exceeds a planner's threshold, and how much of its spread comes from the parameters
(between posterior draws) and how much from chance (between seeds of one draw).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from model import params

EFFECT = "extra_population"


def default_threshold() -> tuple[float, int]:
    """The planners' threshold and its year (``model/data/report.toml``)."""
    return float(params.value("report", "effect_threshold")), int(params.value("report", "effect_threshold_year"))


def variance_shares(values: pd.Series, draw_of: pd.Series) -> tuple[float, float] | None:
    """Shares of the variance over replicates due to the parameters and to chance (law of total
    variance: the variance of the draws' means plus the mean variance within a draw). None
    without draws, or with one seed per draw (chance and parameters cannot be told apart)."""
    groups = values.groupby(draw_of.to_numpy())
    if groups.ngroups < 2 or groups.size().min() < 2:
        return None
    within = float(groups.var(ddof=1).mean())
    between = float(groups.mean().var(ddof=1)) - within / float(groups.size().mean())
    between = max(between, 0.0)
    total = between + within
    if total <= 0:
        return None
    return between / total, within / total


def probabilities(
    effects: pd.DataFrame, threshold: float, draws: Mapping[int, int] | None = None, indicator: str = EFFECT
) -> pd.DataFrame:
    """By year: the share of replicates whose ``indicator`` exceeds ``threshold`` (the probability
    over parameter draws and seeds, or over seeds alone), with the variance shares when the
    replicates have draws (``draws``: seed -> draw number)."""
    rows = effects[effects.indicator == indicator]
    out = []
    for _, r in rows.groupby("year"):
        shares = variance_shares(r.value.reset_index(drop=True), r.seed.map(draws)) if draws else None
        out.append(
            {
                "indicator": indicator,
                "year": int(r.year.iloc[0]),
                "threshold": threshold,
                "probability_above": float(np.mean(r.value > threshold)),
                "replicates": len(r),
                "parameter_share": shares[0] if shares else np.nan,
                "chance_share": shares[1] if shares else np.nan,
            }
        )
    return pd.DataFrame(out)


def format_probability(table: pd.DataFrame, year: int, describe: str) -> str:
    """One or two lines for the terminal: the probability at ``year``, and the variance shares."""
    rows = table[table.year == year]
    if rows.empty:
        return f"(no effect reported for {year}: the run ends before it)"
    r = rows.iloc[0]
    lines = [
        f"Probability that the effect exceeds {r.threshold:,.0f} residents by the end of {year}: "
        f"{r.probability_above:.2f} (share of {r.replicates} replicates: {describe})"
    ]
    if np.isfinite(r.parameter_share):
        lines.append(
            f"Spread of the {year} effect: {r.parameter_share * 100:.0f} % from the parameters (between draws), "
            f"{r.chance_share * 100:.0f} % from chance (between seeds of a draw)"
        )
    return "\n".join(lines)
