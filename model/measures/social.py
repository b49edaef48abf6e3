"""Social security and hukou: S1 social insurance for newcomers, S2 medical insurance, S3 pension
transfer, S4 elderly care, K1 zero-threshold hukou settlement."""

from __future__ import annotations

import numpy as np

from model.choice import Offer
from model.choosers import Choosers
from model.measures.base import Measure, money_offer


class SocialInsuranceForNewcomers(Measure):
    """S1: every incoming worker is enrolled in social insurance from arrival (Social Insurance
    Law). Worth nothing in itself to a chooser here; it starts the months that H3 and school
    entry count. Contributions are not public spending, so it costs the budget nothing."""

    id = "S1"

    def social_insurance_coverage(self) -> float:
        return self.p["coverage"] if self.active() else 0.0


class MedicalInsurance(Measure):
    """S2: medical insurance for stably employed incoming workers, city-level pooling and
    cross-region settlement; fewer health-cost risks of moving."""

    id = "S2"

    def __init__(self, config, model) -> None:
        super().__init__(config, model)
        self.insured = np.empty(0, dtype=np.int64)  # person ids of newcomers insured while in force

    def offer(self, ch: Choosers) -> Offer:
        return money_offer(ch, np.where(~ch.hukou, self.p["value"], 0.0))

    def on_arrival(self, rows: np.ndarray, ch: Choosers) -> None:
        if self.active():
            people = self.model.people
            new = rows[~people.hukou[rows] & people.employed[rows] & people.social_insurance[rows]]
            self.insured = np.concatenate([self.insured, people.person_id[new]])

    def monthly(self) -> None:
        if self.active():
            self.insured = self.insured[self.model.rows_of_ids(self.insured) >= 0]
            self.pay(self.p["subsidy_per_person"] / 12, self.insured.size)


class PensionTransfer(Measure):
    """S3: pensions transfer without loss after settling: removes a cost of moving for people 40+."""

    id = "S3"

    def offer(self, ch: Choosers) -> Offer:
        return money_offer(ch, np.where(~ch.hukou & (ch.age >= self.p["min_age"]), self.p["value"], 0.0))


class ElderlyCare(Measure):
    """S4: four-level elderly care and subsidies to operators; worth something to households
    with a member aged 60+."""

    id = "S4"

    def offer(self, ch: Choosers) -> Offer:
        return money_offer(ch, np.where(ch.elder_60 | (ch.age >= 60), self.p["value"], 0.0))

    def monthly(self) -> None:
        if self.active():
            self.pay(self.p["budget"] / 12 * self.model.agents_per_person)


class ZeroThresholdHukou(Measure):
    """K1 零门槛落户: anyone living, working or studying in Baotou may take hukou. Hukou itself is
    worth about nothing (beta_hukou), but it unlocks hukou-gated schooling; its cost is in the
    services it unlocks (E2 and others), so none is booked here."""

    id = "K1"

    def hukou_takeup_rate(self) -> float:
        return self.p["takeup_rate"] if self.active() else 0.0

    def offer(self, ch: Choosers) -> Offer:
        # Schooling through hukou only for those who take it up within the horizon.
        beh = self.model.beh
        settles = 1 - np.exp(-self.p["takeup_rate"] * beh["horizon_years"])
        offer = Offer.empty(len(ch))
        offer.school_access = np.where(ch.school_children & ~ch.hukou, settles, 0.0)
        offer.utility = np.where(~ch.hukou, beh["beta_hukou"] * settles, 0.0)
        return offer
