"""The package of measures switched on in a scenario: it owns their windows and, for each
hook, the one rule that combines what several measures give.

A hook is asked only of the measures in force this month (offers and distance cuts also of
``lasting`` ones); ``expire`` and ``upkeep`` run every month for benefits already granted. What
happens anyway (entries that are not a ``lever``, N1) is in the package like a measure, so its
hooks combine by the same rules; ``anyway_only`` asks it alone, for the attribution's "without".
Combination rules:

==========================  =======================================================
hook                        combined as
==========================  =======================================================
offer                       money, utility and job finding add up; school access is
                            the chance that at least one gives a place
distance_cut                adds up
fertility_multiplier        product
intake_multiplier           product
hukou_takeup_rate           the highest
social_insurance_coverage   the highest
purchase_incentive          adds up (yuan saved)
bring_family_gain           adds up
extra_talent_offers         adds up
==========================  =======================================================
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from model.context import Month
from model.ledger import Presence
from model.measures.base import Measure
from model.measures.offer import Offer
from model.people.choosers import Choosers
from model.people.store import People


class Package:
    """The enabled measures, by id, in the order of the scenario."""

    def __init__(self, measures: dict[str, Measure], counterfactual: Presence | None = None) -> None:
        self.measures = measures
        # Who was in Baotou when in the counterfactual run, for the measures' books (deadweight).
        self.counterfactual = counterfactual
        for measure in measures.values():
            measure.counterfactual = counterfactual

    # --- looking at it ------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Measure]:
        return iter(self.measures.values())

    def __contains__(self, mid: object) -> bool:
        return mid in self.measures

    def __getitem__(self, mid: str) -> Measure:
        return self.measures[mid]

    def __len__(self) -> int:
        return len(self.measures)

    def in_force(self, month: Month) -> list[Measure]:
        """Measures taking new beneficiaries this month."""
        return [m for m in self.measures.values() if m.window.contains(month.index)]

    def _acting(self, month: Month, anyway_only: bool) -> list[tuple[str, Measure]]:
        """Measures in force or lasting, by id (only those that are not levers, if ``anyway_only``)."""
        return [
            (mid, m)
            for mid, m in self.measures.items()
            if (m.lasting or m.window.contains(month.index)) and not (anyway_only and m.lever)
        ]

    def levers(self) -> set[str]:
        """Ids of the package's levers (not what happens anyway)."""
        return {mid for mid, m in self.measures.items() if m.lever}

    # --- what choosers are offered --------------------------------------------------------
    def offers(
        self, ch: Choosers, month: Month, people: People, anyway_only: bool = False
    ) -> tuple[Offer, dict[str, Offer]]:
        """The combined offer of the measures in force (and lasting ones), and each one's own;
        ``anyway_only``: of what happens anyway alone (the entries that are not levers)."""
        total = Offer.empty(len(ch))
        parts: dict[str, Offer] = {}
        no_access = np.ones(len(ch))
        for mid, measure in self._acting(month, anyway_only):
            offer = measure.offer(ch, month, people)
            if offer is None:
                continue
            total.money += offer.money
            total.utility += offer.utility
            total.job_finding += offer.job_finding
            no_access *= 1 - offer.school_access
            parts[mid] = offer
        total.school_access = 1 - no_access
        return total, parts

    def distance_cuts(
        self, ch: Choosers, month: Month, anyway_only: bool = False
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The combined cut in the distance to Baotou of the measures in force (and lasting
        ones: a line stays built), and each one's own; ``anyway_only`` as for ``offers``."""
        total = np.zeros(len(ch))
        parts: dict[str, np.ndarray] = {}
        for mid, measure in self._acting(month, anyway_only):
            cut = measure.distance_cut(ch, month)
            if cut.any():
                total = total + cut
                parts[mid] = cut
        return total, parts

    def attribute(self, mid: str, persons: float) -> None:
        """Expected extra residents this measure's effect on decisions brought."""
        self.measures[mid].attributed += persons

    # --- scalar hooks -------------------------------------------------------------------------
    def fertility_multiplier(self, month: Month) -> float:
        return float(np.prod([m.fertility_multiplier(month) for m in self.in_force(month)]))

    def intake_multiplier(self, month: Month) -> float:
        return float(np.prod([m.intake_multiplier(month) for m in self.in_force(month)]))

    def hukou_takeup_rate(self, month: Month) -> float:
        return max((m.hukou_takeup_rate(month) for m in self.in_force(month)), default=0.0)

    def social_insurance_coverage(self, month: Month) -> float:
        return max((m.social_insurance_coverage(month) for m in self.in_force(month)), default=0.0)

    def extra_talent_offers(self, month: Month) -> float:
        return sum((m.extra_talent_offers(month) for m in self.in_force(month)), 0.0)

    def purchase_incentive(self, ch: Choosers, month: Month) -> np.ndarray:
        return sum((m.purchase_incentive(ch, month) for m in self.in_force(month)), np.zeros(len(ch)))

    def bring_family_gain(self, ch: Choosers, month: Month) -> np.ndarray:
        return sum((m.bring_family_gain(ch, month) for m in self.in_force(month)), np.zeros(len(ch)))

    # --- events -------------------------------------------------------------------------------
    def on_births(self, births: int, month: Month, keys: np.ndarray) -> None:
        """``births`` babies were born this month; ``keys`` are theirs (for the books)."""
        for m in self.in_force(month):
            m.on_births(births, month, keys)

    def on_purchase(self, ch: Choosers, month: Month) -> None:
        for m in self.in_force(month):
            m.on_purchase(ch, month)

    def on_arrival(self, rows: np.ndarray, month: Month, people: People, graduate: bool = False) -> None:
        """Heads in ``rows`` arrived this month (or, ``graduate``, stayed on after graduating)."""
        givers = self.in_force(month)
        if rows.size == 0 or not givers:
            return
        ch = Choosers.of(people, rows, graduate)
        for m in givers:
            m.on_arrival(rows, ch, month, people)

    def on_extra_talent(self, rows: np.ndarray, month: Month, people: People) -> None:
        """Heads who accepted an extra offer: shared among the measures that gave extra offers,
        in proportion to their offers (the offers are pooled, so no head is counted twice)."""
        givers = [(m, m.extra_talent_offers(month)) for m in self.in_force(month)]
        givers = [(m, offers) for m, offers in givers if offers > 0]
        if not givers:
            return
        shares = np.cumsum([offers for _, offers in givers]) / sum(offers for _, offers in givers)
        stops = np.round(shares * rows.size).astype(int)
        start = 0
        for (m, _), stop in zip(givers, stops, strict=True):
            m.on_extra_talent(rows[start:stop], people)
            start = stop

    def monthly(self, month: Month, people: People) -> None:
        """Benefits that ran out end, measures in force deliver, what runs is paid for."""
        for m in self.measures.values():
            m.expire(month, people)
            if m.window.contains(month.index):
                m.deliver(month, people)
            m.upkeep(month, people)

    # --- the year -----------------------------------------------------------------------------
    def cost(self) -> float:
        """Fiscal cost of all measures this year (yuan)."""
        return sum(m.spent for m in self.measures.values())

    def end_of_year(self) -> None:
        for m in self.measures.values():
            m.end_of_year()
