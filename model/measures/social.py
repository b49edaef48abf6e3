"""Social security and hukou: S1 social insurance for newcomers, S2 medical insurance, S3 pension
transfer, S4 elderly care, K1 zero-threshold hukou settlement.

S1-S3 restate national rules in force before the package (``model/data/national_rules.toml``):
those are in every scenario, the baseline included, and each of S1-S3 carries only what its text
adds, which is nothing the text quantifies: 0 by default, a number a scenario may set."""

from __future__ import annotations

from typing import Any

import numpy as np

from model.context import Month
from model.measures.base import Cost, Measure
from model.measures.offer import Offer, money_offer
from model.people import households
from model.people.choosers import Choosers
from model.people.life_stages import ELDER_AGE
from model.people.store import People


class SocialInsuranceForNewcomers(Measure):
    """S1: the text restates the Social Insurance Law (in force since 2011): employers insure
    incoming workers. The law is in every scenario through the observed coverage by kind, and the
    text adds no number, so by default S1 adds nothing (``coverage`` 0). A scenario may set
    ``coverage``, the share of employed newcomers insured from arrival at least, to ask what
    stricter enforcement would do: that starts the months H3 and school entry count. Worth
    nothing in itself to a chooser; contributions are not public spending, so no cost."""

    id = "S1"
    in_choice = False
    cost = Cost.NONE

    def social_insurance_coverage(self, month: Month) -> float:
        return float(self.p["coverage"])


class MedicalInsurance(Measure):
    """S2: medical insurance for stably employed incoming workers, city-level pooling, transfer
    and cross-region settlement. Those are national rules, alike in every city and in every
    scenario; the text adds nothing it quantifies, so ``value`` and ``subsidy_per_person`` are 0
    by default. A scenario's ``value`` is offered to people without hukou (fewer health-cost
    risks of moving to Baotou rather than elsewhere), and ``subsidy_per_person`` is paid for the
    employed, insured newcomers who arrived while S2 was in force, as long as they stay."""

    id = "S2"
    cost = Cost.PER_NEWCOMER

    def __init__(self, config: dict[str, Any], weight: float) -> None:
        super().__init__(config, weight)
        self.insured = np.empty(0, dtype=np.int64)  # person ids of newcomers insured while in force

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        return money_offer(ch, np.where(~ch.hukou, self.p["value"], 0.0))

    def on_arrival(self, rows: np.ndarray, ch: Choosers, month: Month, people: People) -> None:
        new = rows[~people.hukou[rows] & people.employed[rows] & people.social_insurance[rows]]
        self.insured = np.concatenate([self.insured, people.person_id[new]])

    def deliver(self, month: Month, people: People) -> None:
        rows = households.rows_of_ids(people, self.insured)
        self.insured = self.insured[rows >= 0]
        self.pay(
            self.p["subsidy_per_person"] / 12,
            self.insured.size,
            given=self.text_gives("subsidy_per_person"),
            to=people.key[rows[rows >= 0]],
            month=month.index,
        )


class PensionTransfer(Measure):
    """S3: pensions transfer without barriers after settling. The national rule (since 2010)
    already transfers a pension without conditions to the place of hukou, in every city and every
    scenario; whoever settles in Baotou (K1) has it. The text adds nothing it quantifies, so
    ``value`` is 0 by default; a scenario's ``value`` is offered to people without hukou aged
    ``min_age`` or more."""

    id = "S3"
    cost = Cost.NONE

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        return money_offer(ch, np.where(~ch.hukou & (ch.age >= self.p["min_age"]), self.p["value"], 0.0))


class ElderlyCare(Measure):
    """S4: four-level elderly care and subsidies to operators; worth something to households
    with a member aged 60+."""

    id = "S4"

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        return money_offer(ch, np.where(ch.elder_in_household | (ch.age >= ELDER_AGE), self.p["value"], 0.0))

    def deliver(self, month: Month, people: People) -> None:
        self.pay(self.p["budget"] / 12 * month.agents_per_person, given=self.text_gives("budget"))


class ZeroThresholdHukou(Measure):
    """K1 零门槛落户: anyone living, working or studying in Baotou may take hukou. Hukou itself is
    worth about nothing (beta_hukou), but it unlocks hukou-gated schooling; its cost is in the
    services it unlocks (E2 and others), so none is booked here."""

    id = "K1"
    cost = Cost.NONE
    raises = ("hukou_settlements",)

    def hukou_takeup_rate(self, month: Month) -> float:
        return float(self.p["takeup_rate"])

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        # Schooling through hukou only for those who take it up within the horizon.
        beh = month.behaviour
        settles = 1 - np.exp(-self.p["takeup_rate"] * beh["horizon_years"])
        offer = Offer.empty(len(ch))
        offer.school_access = np.where(ch.school_children & ~ch.hukou, settles, 0.0)
        offer.utility = np.where(~ch.hukou, beh["beta_hukou"] * settles, 0.0)
        return offer
