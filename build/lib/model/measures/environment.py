"""City environment: C1 infrastructure and greening, C2 culture and sport, C3 transport links."""

from __future__ import annotations

import numpy as np

from model.context import Month
from model.measures.base import Cost, Measure
from model.measures.offer import Offer, utility_offer
from model.people.choosers import Choosers
from model.people.store import People


class InfrastructureGreening(Measure):
    """C1: infrastructure, greening and Yellow River ecology: an amenity that builds up over years."""

    id = "C1"
    lasting = True  # what is built while the measure is in force stays

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        months_built = min(month.index, self.window.last) - self.window.first + 1
        built = float(np.clip(months_built / (12 * self.p["ramp_years"]), 0.0, 1.0))
        return utility_offer(ch, np.full(len(ch), self.p["utility"] * built))

    def deliver(self, month: Month, people: People) -> None:
        self.pay(self.p["budget"] / 12 * month.agents_per_person)


class CultureSport(Measure):
    """C2: free museums, libraries and galleries, open sports venues, events."""

    id = "C2"

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        return utility_offer(ch, np.full(len(ch), self.p["utility"]))

    def deliver(self, month: Month, people: People) -> None:
        self.pay(self.p["budget"] / 12 * month.agents_per_person)


class TransportLinks(Measure):
    """C3: faster rail to Beijing, Xi'an and Yinchuan, an airport sub-hub: Baotou is effectively
    nearer to the regions people come from. Built by national railways: no city cost is booked."""

    id = "C3"
    cost = Cost.NONE

    def distance_cut(self, ch: Choosers, month: Month) -> np.ndarray:
        return np.full(len(ch), self.p["distance_reduction"])
