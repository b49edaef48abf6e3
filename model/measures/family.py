"""Family and schooling measures: F1 maternal and child health, F2 childcare, F3 mother-and-baby
rooms, E1 preschool, E2 equal compulsory education, E3 vocational education, E4 higher education."""

from __future__ import annotations

import numpy as np

from model.categories import Education
from model.choice import Offer
from model.choosers import Choosers
from model.measures.base import Measure, money_offer, utility_offer


class MaternalChildHealth(Measure):
    """F1: pre-pregnancy checks, maternal and child health, regional birth rewards. Acts on
    fertility (a scenario multiplier) and pays a reward per birth."""

    id = "F1"

    def fertility_multiplier(self) -> float:
        return self.p["fertility_multiplier"] if self.active() else 1.0

    def monthly(self) -> None:
        if self.active():
            self.pay(self.p["birth_reward"], self.model.births_this_month)


class Childcare(Measure):
    """F2: childcare for under-3s, community and after-school care; saves working families the
    cost of a private place while subsidised places last."""

    id = "F2"

    def _children(self) -> int:
        return int(np.count_nonzero(self.model.people.alive & (self.model.people.age_months < 36)))

    def _share_served(self) -> float:
        children = self._children()
        return min(1.0, self.p["places"] * self.model.agents_per_person / children) if children else 1.0

    def offer(self, ch: Choosers) -> Offer:
        return money_offer(ch, self.p["saving"] * ch.kids_0_2 * self._share_served())

    def monthly(self) -> None:
        if self.active():
            used = min(self.p["places"] * self.model.agents_per_person, self._children())
            self.pay(self.p["saving"] / 12, used)


class MotherBabyRooms(Measure):
    """F3: mother-and-baby facilities in public places: a small amenity for young families."""

    id = "F3"

    def offer(self, ch: Choosers) -> Offer:
        return utility_offer(ch, np.where(ch.kids_0_2 > 0, self.p["utility"], 0.0))

    def monthly(self) -> None:
        if self.active():
            self.pay(self.p["budget"] / 12 * self.model.agents_per_person)


class Preschool(Measure):
    """E1: more public and subsidised kindergartens; cheaper places for children 3-5."""

    id = "E1"

    def offer(self, ch: Choosers) -> Offer:
        return money_offer(ch, self.p["saving"] * ch.kids_3_5)

    def monthly(self) -> None:
        if self.active():
            people = self.model.people
            age = people.age_months
            n = np.count_nonzero(people.alive & ~people.hukou & (age >= 36) & (age < 72))
            self.pay(self.p["cost_per_child"] / 12, n)


class EqualCompulsoryEducation(Measure):
    """E2: children of everyone who comes to work or settle get the same compulsory schooling as
    Baotou hukou children. Removes the old entry threshold (months of social insurance)."""

    id = "E2"

    def offer(self, ch: Choosers) -> Offer:
        offer = Offer.empty(len(ch))
        offer.school_access = ch.school_children.astype(float)
        return offer

    def monthly(self) -> None:
        if not self.active():
            return
        people = self.model.people
        age = people.age_months
        pupils = np.flatnonzero(people.alive & ~people.hukou & (age >= 72) & (age < 192))
        heads = self.model.head_of(people.household_id[pupils])
        threshold = self.model.beh["school_access_months_pre_2022"]
        newly_admitted = people.social_insurance_months[heads[heads >= 0]] < threshold
        self.pay(self.p["cost_per_pupil"] / 12, np.count_nonzero(newly_admitted))


class VocationalEducation(Measure):
    """E3: vocational education tied to local industry; newcomers with senior secondary
    education or less find jobs more easily."""

    id = "E3"

    def offer(self, ch: Choosers) -> Offer:
        offer = Offer.empty(len(ch))
        offer.job_finding = np.where(ch.education <= Education.SENIOR_SECONDARY, self.p["job_finding_gain"], 0.0)
        return offer

    def monthly(self) -> None:
        if self.active():
            self.pay(self.p["budget"] / 12 * self.model.agents_per_person)


class HigherEducation(Measure):
    """E4: stronger universities and more programmes: more students each year and graduates more
    attached to the city."""

    id = "E4"

    def intake_multiplier(self) -> float:
        return self.p["intake_multiplier"] if self.active() else 1.0

    def offer(self, ch: Choosers) -> Offer:
        return utility_offer(ch, np.where(ch.graduate, self.p["graduate_stay_gain"], 0.0))

    def monthly(self) -> None:
        if self.active():
            self.pay(self.p["budget"] / 12 * self.model.agents_per_person)
