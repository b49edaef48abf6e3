"""Entrepreneurship and jobs: J1 start-up loans, J2 graduate entrepreneurship and hiring grants."""

from __future__ import annotations

from typing import Any

import numpy as np

from model.categories import Education, Kind
from model.context import Month
from model.measures.base import Cost, Measure
from model.measures.offer import Offer, money_offer
from model.people import households
from model.people.choosers import Choosers
from model.people.store import People
from model.unique import isin


class StartupLoans(Measure):
    """J1: guaranteed start-up loans (200k-3M yuan) with interest subsidy for skilled people
    returning to start a business, at most three times. Worth the subsidy to the entrepreneurial
    share of working-age movers; costs the subsidised interest while loans run, within a quota."""

    id = "J1"
    cost = Cost.PER_NEWCOMER

    def __init__(self, config: dict[str, Any], weight: float) -> None:
        super().__init__(config, weight)
        self.loan_months = np.empty(0, dtype=np.int64)  # month each loan was made
        self.loan_keys = np.empty(0, dtype=np.uint64)  # who took it (for the books)
        self._quota_left = 0.0
        self._year: int | None = None

    def _eligible(self, ch: Choosers) -> np.ndarray:
        lo, hi = self.p["age_range"]
        return (ch.age >= lo) & (ch.age <= hi) & (ch.education >= Education.SENIOR_SECONDARY) & ~ch.hukou

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        beh = month.behaviour
        yearly = self.p["loan"] * self.p["interest_subsidy"] * min(self.p["years"], beh["horizon_years"])
        value = beh["entrepreneur_share"] * yearly / beh["horizon_years"]
        return money_offer(ch, np.where(self._eligible(ch), value, 0.0))

    def on_arrival(self, rows: np.ndarray, ch: Choosers, month: Month, people: People) -> None:
        if self._year != month.year:
            self._year, self._quota_left = month.year, self.p["loans_per_year"] * month.agents_per_person
        u = month.draw(ch.key, "entrepreneur")
        starting = self._eligible(ch) & (u < month.behaviour["entrepreneur_share"])
        starters = int(np.count_nonzero(starting))
        made = min(starters, int(self._quota_left))
        self._quota_left -= made
        self.loan_months = np.concatenate([self.loan_months, np.full(made, month.index)])
        # The quota goes to the first starters in turn.
        self.loan_keys = np.concatenate([self.loan_keys, ch.key[starting][:made]])

    def upkeep(self, month: Month, people: People) -> None:
        running = month.index - self.loan_months < 12 * self.p["years"]
        self.pay(
            self.p["loan"] * self.p["interest_subsidy"] / 12,
            np.count_nonzero(running),
            given=self.text_gives("loan", "interest_subsidy", "years", "loans_per_year"),
            to=self.loan_keys[running],
            month=month.index,
        )


class GraduateEntrepreneurship(Measure):
    """J2: parks, incubators and grants for graduate start-ups; a one-off grant to small firms for
    each out-of-town worker kept a full year with social insurance."""

    id = "J2"
    cost = Cost.PER_NEWCOMER

    def __init__(self, config: dict[str, Any], weight: float) -> None:
        super().__init__(config, weight)
        self.hired_ids = np.empty(0, dtype=np.int64)
        self.hired_month = np.empty(0, dtype=np.int64)

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        offer = Offer.empty(len(ch))
        offer.job_finding = np.where(~ch.in_baotou, self.p["job_finding_gain"], 0.0)
        offer.utility = np.where(ch.graduate, self.p["graduate_stay_gain"], 0.0)
        return offer

    def on_arrival(self, rows: np.ndarray, ch: Choosers, month: Month, people: People) -> None:
        out_of_town = ~people.hukou[rows] & isin(people.kind[rows], (Kind.MIGRANT_WORKER, Kind.GRADUATE))
        workers = rows[out_of_town & people.employed[rows]]
        self.hired_ids = np.concatenate([self.hired_ids, people.person_id[workers]])
        self.hired_month = np.concatenate([self.hired_month, np.full(workers.size, month.index)])

    def upkeep(self, month: Month, people: People) -> None:
        """The grant for workers kept a full year (hired while the measure was in force)."""
        due = month.index - self.hired_month == self.p["months_kept"]
        if due.any():
            rows = households.rows_of_ids(people, self.hired_ids[due])
            kept = rows[(rows >= 0)]
            kept = kept[people.employed[kept] & (people.social_insurance_months[kept] >= self.p["months_kept"])]
            self.pay(
                self.p["hiring_grant"],
                kept.size,
                given=self.text_gives("hiring_grant", "months_kept"),
                to=people.key[kept],
                month=month.index,
            )
        keep = month.index - self.hired_month < self.p["months_kept"]
        self.hired_ids, self.hired_month = self.hired_ids[keep], self.hired_month[keep]
