"""High-level talent: T1 research commercialisation, T2 reserve posts, T3 talent rewards, T4 skill
subsidy, T5 talent service card."""

from __future__ import annotations

from typing import Any

import numpy as np

from model.categories import Education, Kind
from model.context import Month
from model.measures.base import Cost, Measure, annuity
from model.measures.offer import Offer, money_offer
from model.people import households
from model.people.choosers import Choosers
from model.people.store import People

ONLY_TALENT = frozenset({Kind.TALENT})


def _talent(people: People) -> np.ndarray:
    """Talent themselves: heads of talent households with a job (their families share the kind)."""
    heads = households.head_rows(people)
    return heads[(people.kind[heads] == Kind.TALENT) & people.employed[heads]]


class ResearchCommercialisation(Measure):
    """T1: researchers may leave their posts to start firms (3 years, twice) and get up to 1M yuan
    to commercialise their own inventions; the expected award is worth something to talent."""

    id = "T1"
    reaches = ONLY_TALENT
    cost = Cost.PER_NEWCOMER

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        return money_offer(ch, np.where(ch.is_talent, self.p["award_probability"] * self.p["mean_award"], 0.0))

    def deliver(self, month: Month, people: People) -> None:
        talent = _talent(people)
        self.pay(
            self.p["award_probability"] * self.p["mean_award"] / 12,
            talent.size,
            given=self.text_gives("award_probability", "mean_award"),
            to=people.key[talent],
            month=month.index,
        )


class ReservePosts(Measure):
    """T2: reserve and special posts in public institutions for senior talent, outside quotas:
    more job offers to talent elsewhere; each filled post costs its salary."""

    id = "T2"
    reaches = ONLY_TALENT
    in_choice = False
    cost = Cost.PER_NEWCOMER
    raises = ("in_migration_talent",)

    def __init__(self, config: dict[str, Any], weight: float) -> None:
        super().__init__(config, weight)
        self.holders = np.empty(0, dtype=np.int64)  # person ids of talent in the extra posts

    def extra_talent_offers(self, month: Month) -> float:
        return float(self.p["extra_offers"])

    def on_extra_talent(self, rows: np.ndarray, people: People) -> None:
        self.holders = np.concatenate([self.holders, people.person_id[rows]])

    def upkeep(self, month: Month, people: People) -> None:
        # A post ends when its holder leaves.
        rows = households.rows_of_ids(people, self.holders)
        self.holders = self.holders[rows >= 0]
        self.pay(
            self.p["cost_per_post"] / 12,
            self.holders.size,
            given=self.text_gives("cost_per_post", "extra_offers"),
            to=people.key[rows[rows >= 0]],
            month=month.index,
        )


class TalentRewards(Measure):
    """T3 (包府发〔2021〕5号): a one-off bonus after a year on a contract of 5+ years, 30,000 yuan
    for doctoral and 15,000 for master's graduates."""

    id = "T3"
    cost = Cost.PER_NEWCOMER

    def __init__(self, config: dict[str, Any], weight: float) -> None:
        super().__init__(config, weight)
        self.ids = np.empty(0, dtype=np.int64)
        self.months = np.empty(0, dtype=np.int64)
        self.amounts = np.empty(0)

    def _bonus(self, ch: Choosers) -> np.ndarray:
        postgraduate = (ch.education >= Education.POSTGRADUATE) & ~ch.hukou  # talent the city attracts
        return np.where(postgraduate, np.where(ch.is_talent, self.p["bonus_doctorate"], self.p["bonus_master"]), 0.0)

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        beh = month.behaviour
        return money_offer(ch, annuity(self._bonus(ch), beh["discount_rate"], beh["horizon_years"]))

    def on_arrival(self, rows: np.ndarray, ch: Choosers, month: Month, people: People) -> None:
        bonus = self._bonus(ch)
        due = bonus > 0
        self.ids = np.concatenate([self.ids, people.person_id[rows][due]])
        self.months = np.concatenate([self.months, np.full(np.count_nonzero(due), month.index)])
        self.amounts = np.concatenate([self.amounts, bonus[due]])

    def upkeep(self, month: Month, people: People) -> None:
        """Bonuses due to those still here (who arrived while the measure was in force)."""
        due = month.index - self.months == self.p["months_before_bonus"]
        if due.any():
            rows = households.rows_of_ids(people, self.ids[due])
            still_here = rows >= 0
            self.pay(
                self.amounts[due][still_here],
                given=self.text_gives("bonus_doctorate", "bonus_master", "months_before_bonus"),
                to=people.key[rows[still_here]],
                month=month.index,
            )
        keep = month.index - self.months < self.p["months_before_bonus"]
        self.ids, self.months, self.amounts = self.ids[keep], self.months[keep], self.amounts[keep]


class SkillSubsidy(Measure):
    """T4: a skill-upgrading subsidy of 1,000-5,000 yuan per certificate, for workers with senior
    secondary education or less."""

    id = "T4"
    cost = Cost.PER_RESIDENT

    def _eligible(self, ch: Choosers) -> np.ndarray:
        return ch.education <= Education.SENIOR_SECONDARY

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        return money_offer(ch, np.where(self._eligible(ch), self.p["certification_rate"] * self.p["mean_subsidy"], 0.0))

    def deliver(self, month: Month, people: People) -> None:
        workers = np.flatnonzero(people.alive & people.employed & (people.education <= Education.SENIOR_SECONDARY))
        self.pay(
            self.p["certification_rate"] * self.p["mean_subsidy"] / 12,
            workers.size,
            given=self.text_gives("certification_rate", "mean_subsidy"),
            to=people.key[workers],
            month=month.index,
        )


class TalentCard(Measure):
    """T5: a high-level talent service card: green channels for settling, children's schooling,
    the spouse's job, loans and medical care; care for parents over 60."""

    id = "T5"
    reaches = ONLY_TALENT
    cost = Cost.PER_NEWCOMER

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        offer = Offer.empty(len(ch))
        offer.utility = np.where(ch.is_talent, self.p["utility"], 0.0)
        offer.school_access = ch.is_talent & ch.school_children
        return offer

    def bring_family_gain(self, ch: Choosers, month: Month) -> np.ndarray:
        return np.where(ch.is_talent, self.p["bring_family_gain"], 0.0)

    def deliver(self, month: Month, people: People) -> None:
        talent = _talent(people)
        self.pay(
            self.p["cost_per_card"] / 12,
            talent.size,
            given=self.text_gives("cost_per_card"),
            to=people.key[talent],
            month=month.index,
        )
