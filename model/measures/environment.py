"""City environment: C1 infrastructure and greening, C2 culture and sport, C3 transport links."""

from __future__ import annotations

import numpy as np

from model.choice import Offer
from model.choosers import Choosers
from model.measures.base import Measure, utility_offer


class InfrastructureGreening(Measure):
    """C1: infrastructure, greening and Yellow River ecology: an amenity that builds up over years."""

    id = "C1"
    lasting = True  # what is built while the measure is in force stays

    def offer(self, ch: Choosers) -> Offer:
        months_built = min(self.model.month, self.last_month) - self.first_month + 1
        built = float(np.clip(months_built / (12 * self.p["ramp_years"]), 0.0, 1.0))
        return utility_offer(ch, np.full(len(ch), self.p["utility"] * built))

    def monthly(self) -> None:
        if self.active():
            self.pay(self.p["budget"] / 12 * self.model.agents_per_person)


class CultureSport(Measure):
    """C2: free museums, libraries and galleries, open sports venues, events."""

    id = "C2"

    def offer(self, ch: Choosers) -> Offer:
        return utility_offer(ch, np.full(len(ch), self.p["utility"]))

    def monthly(self) -> None:
        if self.active():
            self.pay(self.p["budget"] / 12 * self.model.agents_per_person)


class TransportLinks(Measure):
    """C3: faster rail to Beijing, Xi'an and Yinchuan, an airport sub-hub: Baotou is effectively
    nearer to the regions people come from. Built by national railways: no city cost is booked."""

    id = "C3"

    def distance_cut(self, ch: Choosers) -> np.ndarray:
        return np.full(len(ch), self.p["distance_reduction"] if self.active() else 0.0)
