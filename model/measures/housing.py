"""Housing measures: H1 public rental, H2 first-home fee waiver, H3 provident-fund loans,
H4 talent housing (包府发〔2021〕5号, 包住建保〔2021〕9号)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from model.categories import Education, Kind, Origin, Tenure
from model.context import Month
from model.measures.base import Cost, Measure, annuity
from model.measures.offer import Offer, money_offer
from model.people import households
from model.people.choosers import Choosers
from model.people.store import People
from model.unique import isin, unique_first
from model.world.conditions import BAOTOU

NOT_OWNING = (Tenure.RENT, Tenure.DORMITORY)


def _p_buy_within_horizon(beh: Mapping[str, Any]) -> float:
    return float(1 - np.exp(-beh["home_purchase_rate"] * beh["horizon_years"]))


class _Allocated(Measure):
    """A measure with a stock of places, a queue and tenancies of a fixed length."""

    tenure = Tenure.PUBLIC_RENTAL
    cost = Cost.PER_NEWCOMER

    def __init__(self, config: dict[str, Any], weight: float) -> None:
        super().__init__(config, weight)
        self.queue = np.empty(0, dtype=np.int64)  # household ids waiting, first come first served
        self.queue_lease = np.empty(0, dtype=np.int64)  # the lease each was offered (months)
        self.tenants = np.empty(0, dtype=np.int64)
        self.since = np.empty(0, dtype=np.int64)
        self.months_by_tenant = np.empty(0, dtype=np.int64)  # lease length per tenant

    def expire(self, month: Month, people: People) -> None:
        """Leases that ran out go back to the market; households that left, or bought a home,
        or moved into another measure's housing, are no longer tenants."""
        heads = households.head_of(people, self.tenants)  # -1 once the household has left or died out
        still = (heads >= 0) & (people.tenure[np.maximum(heads, 0)] == self.tenure)
        over = still & (month.index - self.since >= self.months_by_tenant)
        if over.any():
            households.set_tenure(people, self.tenants[over], Tenure.RENT)
        keep = still & ~over
        self.tenants, self.since, self.months_by_tenant = (
            self.tenants[keep],
            self.since[keep],
            self.months_by_tenant[keep],
        )

    def _drop_gone_from_queue(self, people: People) -> None:
        if self.queue.size:  # the queue matters only while places are given
            self._keep_in_queue(households.alive(people)[self.queue])

    def _keep_in_queue(self, keep: np.ndarray) -> None:
        self.queue, self.queue_lease = self.queue[keep], self.queue_lease[keep]

    def _enqueue(self, people: People, household_ids: np.ndarray, lease_months: np.ndarray) -> None:
        """Households not yet queued or housed join the queue, each with the lease it was offered."""
        listed = np.zeros(households.capacity(people), dtype=bool)
        listed[self.queue] = True
        listed[self.tenants] = True
        fresh = ~listed[household_ids]
        new, first = unique_first(household_ids[fresh])
        lease = np.broadcast_to(np.asarray(lease_months, dtype=np.int64), household_ids.shape)[fresh][first]
        self.queue = np.concatenate([self.queue, new])
        self.queue_lease = np.concatenate([self.queue_lease, lease])

    def _waiting(self, people: People) -> np.ndarray:
        """The queue, less households that no longer need a place (they bought, or got another)."""
        heads = households.head_of(people, self.queue)
        ok = heads >= 0
        ok[ok] = isin(people.tenure[heads[ok]], NOT_OWNING)
        self._keep_in_queue(ok)
        return self.queue

    def _admit(self, people: People, month: Month, count: int) -> np.ndarray:
        take = self._waiting(people)[:count]
        lease = self.queue_lease[: take.size]
        self.queue, self.queue_lease = self.queue[take.size :], self.queue_lease[take.size :]
        self.tenants = np.concatenate([self.tenants, take])
        self.since = np.concatenate([self.since, np.full(take.size, month.index)])
        self.months_by_tenant = np.concatenate([self.months_by_tenant, lease])
        households.set_tenure(people, take, self.tenure)
        return take

    def _eligible(self, ch: Choosers) -> np.ndarray:
        raise NotImplementedError

    def _lease_months(self, ch: Choosers) -> np.ndarray:
        """The tenancy each eligible chooser is offered (months)."""
        raise NotImplementedError

    def on_arrival(self, rows: np.ndarray, ch: Choosers, month: Month, people: People) -> None:
        """Eligible newcomers (and graduates who stay) join the queue."""
        eligible = self._eligible(ch)
        self._enqueue(people, people.household_id[rows][eligible], self._lease_months(ch)[eligible])

    def _tenant_keys(self, people: People) -> np.ndarray:
        """The keys of the tenant households' heads (the household is the unit paid). ``expire``
        has just dropped households without one; any left would count as no one (key 0)."""
        heads = households.head_of(people, self.tenants)
        return np.where(heads >= 0, people.key[np.maximum(heads, 0)], np.uint64(0))

    def access_probability(self, places_per_year: float) -> float:
        """Chance a new applicant gets a place within a year, given the queue ahead."""
        return float(min(1.0, places_per_year / (self.queue.size + places_per_year))) if places_per_year > 0 else 0.0


class PublicRental(_Allocated):
    """H1 公租房: public rental flats opened to newly employed workers without housing and to
    stably employed migrant workers, households as the unit; a queue when flats run out."""

    id = "H1"
    raises = ("public_rental_households",)

    def __init__(self, config: dict[str, Any], weight: float) -> None:
        super().__init__(config, weight)
        self._carry = 0.0
        self._opened = False

    def _eligible(self, ch: Choosers) -> np.ndarray:
        newcomer = ~ch.hukou | (ch.months_in_baotou <= self.p["newcomer_months"])
        return isin(ch.tenure, NOT_OWNING) & newcomer & (ch.employed | ~ch.in_baotou)

    def _lease_months(self, ch: Choosers) -> np.ndarray:
        return np.full(len(ch), self.p["lease_months"])

    def _flats_per_year(self, month: Month) -> float:
        return float(self.p["units"] * month.agents_per_person)

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        beh = month.behaviour
        years = min(self.p["lease_months"] / 12, beh["horizon_years"])
        saving = self.p["rent_discount"] * month.now.rent[BAOTOU] * years
        per_year = saving / beh["horizon_years"] * self.access_probability(self._flats_per_year(month))
        return money_offer(ch, np.where(self._eligible(ch), per_year, 0.0))

    def deliver(self, month: Month, people: People) -> None:
        self._drop_gone_from_queue(people)
        if not self._opened:  # migrants already in Baotou apply when the measure opens
            heads = households.head_rows(people)
            ch = Choosers.of(people, heads)
            applying = self._eligible(ch) & ~ch.hukou
            self._enqueue(people, people.household_id[heads][applying], self._lease_months(ch)[applying])
            self._opened = True
        self._carry += self._flats_per_year(month) / 12
        admit = int(self._carry)
        self._carry -= admit
        self._admit(people, month, admit)

    def upkeep(self, month: Month, people: People) -> None:
        self.pay(
            self.p["rent_discount"] * month.now.rent[BAOTOU] / 12,
            self.tenants.size,
            given=self.text_gives("rent_discount", "lease_months", "units"),
            to=self._tenant_keys(people),
            month=month.index,
        )


class FirstHomeFeeWaiver(Measure):
    """H2: administrative fees for the property certificate waived on a first ordinary home in the
    main urban area for people newly settling; service fees at the national minimum."""

    id = "H2"
    cost = Cost.PER_NEWCOMER
    raises = ("home_purchases",)

    def _eligible(self, ch: Choosers) -> np.ndarray:
        return (~ch.hukou | (ch.months_in_baotou <= self.p["newcomer_months"])) & (ch.tenure != Tenure.OWN)

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        beh = month.behaviour
        value = annuity(self.p["fee_waiver"], beh["discount_rate"], beh["horizon_years"])
        value *= _p_buy_within_horizon(beh)
        return money_offer(ch, np.where(self._eligible(ch), value * ch.main_urban, 0.0))

    def purchase_incentive(self, ch: Choosers, month: Month) -> np.ndarray:
        ok = self._eligible(ch) & (ch.main_urban == 1)
        return np.where(ok, self.p["fee_waiver"], 0.0)

    def on_purchase(self, ch: Choosers, month: Month) -> None:
        self.pay(self.purchase_incentive(ch, month), given=self.text_gives("fee_waiver"), to=ch.key, month=month.index)


class ProvidentFundLoan(Measure):
    """H3 住房公积金: a provident-fund loan after 6 months of social insurance and contributions;
    limits 400k single, 700k couple (600k / 1M with a talent card). The fund lends its members'
    savings, so the measure has no fiscal cost; the loans it makes are reported."""

    id = "H3"
    cost = Cost.NONE
    raises = ("home_purchases",)
    reports = {"loans_H3": ("yuan", "provident-fund loans made under H3 (members' savings, not public spending)")}

    def __init__(self, config: dict[str, Any], weight: float) -> None:
        super().__init__(config, weight)
        self.loans = 0.0

    def _loan(self, ch: Choosers, month: Month) -> np.ndarray:
        """The loan a household can take: its need, up to its limit (couple, talent card)."""
        p = self.p
        limit = np.where(ch.couple, p["loan_limit_couple"], p["loan_limit_single"])
        talent_limit = np.where(ch.couple, p["loan_limit_talent_couple"], p["loan_limit_talent_single"])
        limit = np.where(ch.is_talent, talent_limit, limit)
        return np.minimum(limit, month.behaviour["loan_to_value"] * month.now.home_price)

    def _annual_saving(self, ch: Choosers, month: Month) -> np.ndarray:
        beh, p = month.behaviour, self.p
        need = beh["loan_to_value"] * month.now.home_price
        gap = beh["mortgage_rate"] - beh["provident_fund_rate"]
        new = self._loan(ch, month) * gap
        before = min(p["loan_limit_before"], need) * gap
        # Members with 6-11 months could not borrow at all under the old rule.
        waited = ch.in_baotou & (ch.provident_fund_months < p["months_required_before"])
        return np.where(waited, new, new - before)

    def _member(self, ch: Choosers, month: Month) -> np.ndarray:
        """Contributes to the fund, or would (newcomers: their kind's coverage)."""
        coverage = np.asarray(month.population["provident_fund_coverage"]["value"])[ch.kind]
        return np.where(ch.in_baotou, ch.provident_fund_months > 0, coverage)

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        value = self._annual_saving(ch, month) * self._member(ch, month) * _p_buy_within_horizon(month.behaviour)
        return money_offer(ch, np.where(ch.tenure != Tenure.OWN, value, 0.0))

    def purchase_incentive(self, ch: Choosers, month: Month) -> np.ndarray:
        ok = ch.provident_fund_months >= self.p["months_required"]
        return np.where(ok, self._annual_saving(ch, month) * month.behaviour["horizon_years"], 0.0)

    def on_purchase(self, ch: Choosers, month: Month) -> None:
        ok = ch.provident_fund_months >= self.p["months_required"]
        self.loans += float(self._loan(ch, month)[ok].sum()) * self.weight

    def report(self) -> dict[str, float]:
        return {"loans_H3": self.loans}

    def end_of_year(self) -> None:
        super().end_of_year()
        self.loans = 0.0


class TalentHousing(_Allocated):
    """H4 人才住房: talent apartments (college and bachelor's graduates 1 year free then 1 year half
    rent; master's and doctoral 2 + 2), and a discount on a first home for postgraduates who
    settle hukou."""

    id = "H4"
    tenure = Tenure.TALENT_APARTMENT
    raises = ("talent_apartment_households",)
    # Every kind: local graduates keep their household's kind, which may be any.

    def _eligible(self, ch: Choosers) -> np.ndarray:
        degree = ch.education >= Education.COLLEGE
        newly = ch.graduate | ~ch.in_baotou | (ch.months_in_baotou <= self.p["newcomer_months"])
        return degree & newly & (ch.graduate | isin(ch.kind, (Kind.GRADUATE, Kind.TALENT)))

    def _free_months(self, ch: Choosers) -> np.ndarray:
        postgraduate = ch.education >= Education.POSTGRADUATE
        return np.where(postgraduate, self.p["free_months_postgraduate"], self.p["free_months_college"])

    def _lease_months(self, ch: Choosers) -> np.ndarray:
        # The tenancy of the graduate or talent who applied, whoever heads their household.
        return np.asarray(self._free_months(ch) * self._tenancy_per_free_month())

    def _tenancy_per_free_month(self) -> float:
        """Months of tenancy for each rent-free month: the free one and those at half rent."""
        return float(1 + self.p["half_rent_months_per_free_month"])

    def _places_per_year(self, month: Month) -> float:
        # Apartments turn over as tenancies end (free months, then those at half rent).
        tenancy_years = self._tenancy_per_free_month() * self.p["free_months_college"] / 12
        return float(self.p["apartments"] * month.agents_per_person / tenancy_years)

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        beh = month.behaviour
        months = self._free_months(ch)
        half = months * self.p["half_rent_months_per_free_month"]
        saving = month.now.rent[BAOTOU] / 12 * (months + (1 - self.p["half_rent_share"]) * half)
        value = annuity(saving, beh["discount_rate"], beh["horizon_years"]) * self.access_probability(
            self._places_per_year(month)
        )
        return money_offer(ch, np.where(self._eligible(ch), value, 0.0))

    def deliver(self, month: Month, people: People) -> None:
        self._drop_gone_from_queue(people)
        free = int(round(self.p["apartments"] * month.agents_per_person)) - self.tenants.size
        if free > 0 and self._waiting(people).size:
            self._admit(people, month, free)

    def upkeep(self, month: Month, people: People) -> None:
        elapsed = month.index - self.since
        free = elapsed < self.months_by_tenant / self._tenancy_per_free_month()
        rent = month.now.rent[BAOTOU] / 12
        # The city pays the rent the tenant does not: all of it, then the part above their share.
        basis = ("half_rent_share", "free_months_college", "free_months_postgraduate")
        self.pay(
            np.where(free, rent, (1 - self.p["half_rent_share"]) * rent),
            given=self.text_gives(*basis, "half_rent_months_per_free_month", "apartments"),
            to=self._tenant_keys(people),
            month=month.index,
        )

    def purchase_incentive(self, ch: Choosers, month: Month) -> np.ndarray:
        # Postgraduates who came to Baotou and settled their hukou here.
        ok = (ch.education >= Education.POSTGRADUATE) & ch.hukou & (ch.origin != Origin.BAOTOU)
        return np.where(ok, self.p["first_home_discount"] * month.now.home_price, 0.0)

    def on_purchase(self, ch: Choosers, month: Month) -> None:
        given = self.text_gives("first_home_discount")
        self.pay(self.purchase_incentive(ch, month), given=given, to=ch.key, month=month.index)
