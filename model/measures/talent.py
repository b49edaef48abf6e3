"""High-level talent: T1 research commercialisation, T2 reserve posts, T3 talent rewards, T4 skill
subsidy, T5 talent service card."""

from __future__ import annotations

import numpy as np

from model.categories import Education, Kind
from model.choice import Offer
from model.choosers import Choosers
from model.measures.base import Measure, annuity, money_offer


def _talent_count(model) -> int:
    """Talent themselves: heads of talent households with a job (their families share the kind)."""
    people = model.people
    heads = model.head_rows()
    return int(np.count_nonzero((people.kind[heads] == Kind.TALENT) & people.employed[heads]))


class ResearchCommercialisation(Measure):
    """T1: researchers may leave their posts to start firms (3 years, twice) and get up to 1M yuan
    to commercialise their own inventions; the expected award is worth something to talent."""

    id = "T1"

    def offer(self, ch: Choosers) -> Offer:
        return money_offer(ch, np.where(ch.is_talent, self.p["award_probability"] * self.p["mean_award"], 0.0))

    def monthly(self) -> None:
        if self.active():
            self.pay(self.p["award_probability"] * self.p["mean_award"] / 12, _talent_count(self.model))


class ReservePosts(Measure):
    """T2: reserve and special posts in public institutions for senior talent, outside quotas:
    more job offers to talent elsewhere; each filled post costs its salary."""

    id = "T2"

    def __init__(self, config, model) -> None:
        super().__init__(config, model)
        self.holders = np.empty(0, dtype=np.int64)  # person ids of talent in the extra posts

    def extra_talent_offers(self) -> float:
        return self.p["extra_offers"] if self.active() else 0.0

    def record_filled(self, rows: np.ndarray) -> None:
        self.holders = np.concatenate([self.holders, self.model.people.person_id[rows]])

    def monthly(self) -> None:
        self.holders = self.holders[self.model.rows_of_ids(self.holders) >= 0]  # a post ends when its holder leaves
        self.pay(self.p["cost_per_post"] / 12, self.holders.size)


class TalentRewards(Measure):
    """T3 (包府发〔2021〕5号): a one-off bonus after a year on a contract of 5+ years, 30,000 yuan
    for doctoral and 15,000 for master's graduates."""

    id = "T3"

    def __init__(self, config, model) -> None:
        super().__init__(config, model)
        self.ids = np.empty(0, dtype=np.int64)
        self.months = np.empty(0, dtype=np.int64)
        self.amounts = np.empty(0)

    def _bonus(self, ch: Choosers) -> np.ndarray:
        postgraduate = (ch.education >= Education.POSTGRADUATE) & ~ch.hukou  # talent the city attracts
        return np.where(postgraduate, np.where(ch.is_talent, self.p["bonus_doctorate"], self.p["bonus_master"]), 0.0)

    def offer(self, ch: Choosers) -> Offer:
        beh = self.model.beh
        return money_offer(ch, annuity(self._bonus(ch), beh["discount_rate"], beh["horizon_years"]))

    def on_arrival(self, rows: np.ndarray, ch: Choosers) -> None:
        if self.active():
            bonus = self._bonus(ch)
            due = bonus > 0
            self.ids = np.concatenate([self.ids, self.model.people.person_id[rows][due]])
            self.months = np.concatenate([self.months, np.full(np.count_nonzero(due), self.model.month)])
            self.amounts = np.concatenate([self.amounts, bonus[due]])

    def monthly(self) -> None:
        due = self.model.month - self.months == 12
        if due.any():
            still_here = self.model.rows_of_ids(self.ids[due]) >= 0
            self.pay(self.amounts[due][still_here])
        keep = self.model.month - self.months < 12
        self.ids, self.months, self.amounts = self.ids[keep], self.months[keep], self.amounts[keep]


class SkillSubsidy(Measure):
    """T4: a skill-upgrading subsidy of 1,000-5,000 yuan per certificate, for workers with senior
    secondary education or less."""

    id = "T4"

    def _eligible(self, ch: Choosers) -> np.ndarray:
        return ch.education <= Education.SENIOR_SECONDARY

    def offer(self, ch: Choosers) -> Offer:
        return money_offer(ch, np.where(self._eligible(ch), self.p["certification_rate"] * self.p["mean_subsidy"], 0.0))

    def monthly(self) -> None:
        if self.active():
            people = self.model.people
            n = np.count_nonzero(people.alive & people.employed & (people.education <= Education.SENIOR_SECONDARY))
            self.pay(self.p["certification_rate"] * self.p["mean_subsidy"] / 12, n)


class TalentCard(Measure):
    """T5: a high-level talent service card: green channels for settling, children's schooling,
    the spouse's job, loans and medical care; care for parents over 60."""

    id = "T5"

    def offer(self, ch: Choosers) -> Offer:
        offer = Offer.empty(len(ch))
        offer.utility = np.where(ch.is_talent, self.p["utility"], 0.0)
        offer.school_access = ch.is_talent & ch.school_children
        return offer

    def bring_family_gain(self, ch: Choosers) -> np.ndarray:
        return np.where(ch.is_talent & self.active(), self.p["bring_family_gain"], 0.0)

    def monthly(self) -> None:
        if self.active():
            self.pay(self.p["cost_per_card"] / 12, _talent_count(self.model))
