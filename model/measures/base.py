"""The base of every measure: identity, window, parameters, costs, and neutral hooks.

A measure is a small class with an id (H1 ... C3), a window of months in which it takes new
beneficiaries, who is eligible, what it is worth to a chooser (``offer``), what it delivers each
month to people in Baotou (``monthly``) and what that costs. The window check lives here, once.
Hooks that a measure does not override leave the model as it would be without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from model.choice import Offer
from model.choosers import Choosers
from model.scenario import first_full_month, month_index

if TYPE_CHECKING:
    from model.model import BaotouModel


def annuity(amount: np.ndarray | float, rate: float, years: float) -> np.ndarray | float:
    """A one-off sum spread over ``years`` at ``rate``: the yuan-a-year equivalent (evidence file 3.2)."""
    return amount * rate / (1 - (1 + rate) ** -years)


class Measure:
    """One measure of the 2022 package. Subclasses set ``id`` and override what they do."""

    id: ClassVar[str] = ""
    lasting: ClassVar[bool] = False  # its offer outlives its window (something built stays built)

    def __init__(self, config: dict[str, Any], model: BaotouModel) -> None:
        self.p = config
        self.model = model
        self.first_month = first_full_month(config["start"])
        self.last_month = month_index(config["end"])
        self.spent = 0.0  # yuan at full scale, this year
        self.attributed = 0.0  # expected extra residents (arrivals + averted departures), persons, this year

    # --- the window -------------------------------------------------------------------------
    def active(self, month: int | None = None) -> bool:
        """Takes new beneficiaries this month (benefits already granted may run on after the end)."""
        month = self.model.month if month is None else month
        return self.first_month <= month <= self.last_month

    # --- what a chooser is offered (only asked while active) ------------------------------
    def offer(self, ch: Choosers) -> Offer | None:
        return None

    # --- monthly delivery and costs ---------------------------------------------------------
    def monthly(self) -> None:
        """Deliver to people in Baotou and record costs; runs every month, active or not."""

    def pay(self, yuan_per_agent: np.ndarray | float, agents: int | float = 1) -> None:
        """Record spending on ``agents`` agents (scaled to persons at full scale)."""
        self.spent += float(np.sum(yuan_per_agent) * agents) * self.model.weight

    # --- hooks with neutral defaults ----------------------------------------------------------
    def fertility_multiplier(self) -> float:
        return 1.0

    def hukou_takeup_rate(self) -> float:
        """Yearly chance a non-hukou household settles with no conditions (0: old rules apply)."""
        return 0.0

    def social_insurance_coverage(self) -> float:
        """Share of employed newcomers insured from arrival (0: usual coverage)."""
        return 0.0

    def purchase_incentive(self, ch: Choosers) -> np.ndarray:
        """Yuan saved on buying a first home, for the home-purchase hazard."""
        return np.zeros(len(ch))

    def on_purchase(self, ch: Choosers) -> None:
        """Households in ``ch`` bought a home this month."""

    def distance_cut(self, ch: Choosers) -> np.ndarray:
        return np.zeros(len(ch))

    def extra_talent_offers(self) -> float:
        return 0.0

    def bring_family_gain(self, ch: Choosers) -> np.ndarray:
        return np.zeros(len(ch))

    def intake_multiplier(self) -> float:
        return 1.0

    def on_arrival(self, rows: np.ndarray, ch: Choosers) -> None:
        """Heads in ``rows`` (``ch``) arrived this month, or graduates who stayed on."""

    def end_of_year(self) -> None:
        """Reset the year's tallies after the indicators are recorded."""
        self.spent = self.attributed = 0.0


def money_offer(ch: Choosers, yuan: np.ndarray) -> Offer:
    offer = Offer.empty(len(ch))
    offer.money = np.asarray(yuan, dtype=float)
    return offer


def utility_offer(ch: Choosers, utility: np.ndarray) -> Offer:
    offer = Offer.empty(len(ch))
    offer.utility = np.asarray(utility, dtype=float)
    return offer
