"""Entrepreneurship and jobs: J1 start-up loans, J2 graduate entrepreneurship and hiring grants."""

from __future__ import annotations

import numpy as np

from model.categories import Education, Kind
from model.choice import Offer
from model.choosers import Choosers
from model.measures.base import Measure, money_offer


class StartupLoans(Measure):
    """J1: guaranteed start-up loans (200k-3M yuan) with interest subsidy for skilled people
    returning to start a business, at most three times. Worth the subsidy to the entrepreneurial
    share of working-age movers; costs the subsidised interest while loans run, within a quota."""

    id = "J1"

    def __init__(self, config, model) -> None:
        super().__init__(config, model)
        self.loan_months = np.empty(0, dtype=np.int64)  # month each loan was made
        self._quota_left = 0.0
        self._year = None

    def _eligible(self, ch: Choosers) -> np.ndarray:
        lo, hi = self.p["age_range"]
        return (ch.age >= lo) & (ch.age <= hi) & (ch.education >= Education.SENIOR_SECONDARY) & ~ch.hukou

    def offer(self, ch: Choosers) -> Offer:
        beh = self.model.beh
        yearly = self.p["loan"] * self.p["interest_subsidy"] * min(self.p["years"], beh["horizon_years"])
        value = beh["entrepreneur_share"] * yearly / beh["horizon_years"]
        return money_offer(ch, np.where(self._eligible(ch), value, 0.0))

    def on_arrival(self, rows: np.ndarray, ch: Choosers) -> None:
        if not self.active():
            return
        if self._year != self.model.year:
            self._year, self._quota_left = self.model.year, self.p["loans_per_year"] * self.model.agents_per_person
        u = self.model.uniform(ch.key, "entrepreneur")
        starters = int(np.count_nonzero(self._eligible(ch) & (u < self.model.beh["entrepreneur_share"])))
        made = min(starters, int(self._quota_left))
        self._quota_left -= made
        self.loan_months = np.concatenate([self.loan_months, np.full(made, self.model.month)])

    def monthly(self) -> None:
        running = np.count_nonzero(self.model.month - self.loan_months < 12 * self.p["years"])
        self.pay(self.p["loan"] * self.p["interest_subsidy"] / 12, running)


class GraduateEntrepreneurship(Measure):
    """J2: parks, incubators and grants for graduate start-ups; a one-off grant to small firms for
    each out-of-town worker kept a full year with social insurance."""

    id = "J2"

    def __init__(self, config, model) -> None:
        super().__init__(config, model)
        self.hired_ids = np.empty(0, dtype=np.int64)
        self.hired_month = np.empty(0, dtype=np.int64)

    def offer(self, ch: Choosers) -> Offer:
        offer = Offer.empty(len(ch))
        offer.job_finding = np.where(~ch.in_baotou, self.p["job_finding_gain"], 0.0)
        offer.utility = np.where(ch.graduate, self.p["graduate_stay_gain"], 0.0)
        return offer

    def on_arrival(self, rows: np.ndarray, ch: Choosers) -> None:
        if self.active():
            people = self.model.people
            out_of_town = ~people.hukou[rows] & np.isin(people.kind[rows], (Kind.MIGRANT_WORKER, Kind.GRADUATE))
            workers = rows[out_of_town & people.employed[rows]]
            self.hired_ids = np.concatenate([self.hired_ids, people.person_id[workers]])
            self.hired_month = np.concatenate([self.hired_month, np.full(workers.size, self.model.month)])

    def monthly(self) -> None:
        due = self.model.month - self.hired_month == 12
        if due.any():
            rows = self.model.rows_of_ids(self.hired_ids[due])
            people = self.model.people
            kept = rows[(rows >= 0)]
            kept = kept[people.employed[kept] & (people.social_insurance_months[kept] >= 12)]
            self.pay(self.p["hiring_grant"], kept.size)
        keep = self.model.month - self.hired_month < 12
        self.hired_ids, self.hired_month = self.hired_ids[keep], self.hired_month[keep]
