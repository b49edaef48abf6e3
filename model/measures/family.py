"""Family and schooling measures: F1 maternal and child health, F2 childcare, F3 mother-and-baby
rooms, E1 preschool, E2 equal compulsory education, E3 vocational education, E4 higher education."""

from __future__ import annotations

import numpy as np

from model.categories import Education
from model.context import Month
from model.measures.base import Cost, Measure
from model.measures.offer import Offer, money_offer, school_place_before_2022, utility_offer
from model.people import households
from model.people.choosers import Choosers
from model.people.life_stages import CHILDCARE, COMPULSORY_SCHOOL, PRESCHOOL
from model.people.store import People


class MaternalChildHealth(Measure):
    """F1: pre-pregnancy checks, maternal and child health, regional birth rewards. Acts on
    fertility (a scenario multiplier) and pays a reward per birth."""

    id = "F1"
    # Acts on no decision directly, but its extra children change their households' decisions
    # later (school starts, school access), so every kind may be reached.
    in_choice = False
    cost = Cost.PER_RESIDENT
    raises = ("births",)

    def fertility_multiplier(self, month: Month) -> float:
        return float(self.p["fertility_multiplier"])

    def on_births(self, births: int, month: Month, keys: np.ndarray) -> None:
        self.pay(self.p["birth_reward"], births, given=self.text_gives("birth_reward"), to=keys, month=month.index)


class Childcare(Measure):
    """F2: childcare for under-3s, community and after-school care; saves working families the
    cost of a private place while subsidised places last."""

    id = "F2"
    cost = Cost.PER_RESIDENT

    def _children(self, people: People) -> int:
        return int(np.count_nonzero(self._under_threes(people)))

    def _under_threes(self, people: People) -> np.ndarray:
        return people.alive & CHILDCARE.months(people.age_months)

    def _share_served(self, month: Month, people: People) -> float:
        children = self._children(people)
        return min(1.0, self.p["places"] * month.agents_per_person / children) if children else 1.0

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        return money_offer(ch, self.p["saving"] * ch.kids_childcare * self._share_served(month, people))

    def deliver(self, month: Month, people: People) -> None:
        used = min(self.p["places"] * month.agents_per_person, self._children(people))
        # The places are shared among all children of the age alike (the books' beneficiaries).
        self.pay(
            self.p["saving"] / 12,
            used,
            given=self.text_gives("saving", "places"),
            to=people.key[self._under_threes(people)],
            month=month.index,
        )


class MotherBabyRooms(Measure):
    """F3: mother-and-baby facilities in public places: a small amenity for young families."""

    id = "F3"

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        return utility_offer(ch, np.where(ch.kids_childcare > 0, self.p["utility"], 0.0))

    def deliver(self, month: Month, people: People) -> None:
        self.pay(self.p["budget"] / 12 * month.agents_per_person, given=self.text_gives("budget"))


class Preschool(Measure):
    """E1: more public and subsidised kindergartens; cheaper places for children 3-5."""

    id = "E1"
    cost = Cost.PER_NEWCOMER

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        return money_offer(ch, self.p["saving"] * ch.kids_preschool)

    def deliver(self, month: Month, people: People) -> None:
        children = np.flatnonzero(people.alive & ~people.hukou & PRESCHOOL.months(people.age_months))
        self.pay(
            self.p["cost_per_child"] / 12,
            children.size,
            given=self.text_gives("cost_per_child"),
            to=people.key[children],
            month=month.index,
        )


class EqualCompulsoryEducation(Measure):
    """E2: children of everyone who comes to work or settle get the same compulsory schooling as
    Baotou hukou children. Removes the old entry threshold (months of social insurance)."""

    id = "E2"
    cost = Cost.PER_NEWCOMER

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        offer = Offer.empty(len(ch))
        offer.school_access = ch.school_children.astype(float)
        return offer

    def deliver(self, month: Month, people: People) -> None:
        pupils = np.flatnonzero(people.alive & ~people.hukou & COMPULSORY_SCHOOL.months(people.age_months))
        heads = households.head_of(people, people.household_id[pupils])
        pupils, heads = pupils[heads >= 0], heads[heads >= 0]
        # Pupils without hukou who had no place under the old rule (their parent's months).
        newly_admitted = ~school_place_before_2022(
            np.zeros(heads.size, bool), people.social_insurance_months[heads], month.behaviour
        )
        self.pay(
            self.p["cost_per_pupil"] / 12,
            np.count_nonzero(newly_admitted),
            given=self.text_gives("cost_per_pupil"),
            to=people.key[pupils[newly_admitted]],
            month=month.index,
        )


class VocationalEducation(Measure):
    """E3: vocational education tied to local industry; newcomers with senior secondary
    education or less find jobs more easily."""

    id = "E3"

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        offer = Offer.empty(len(ch))
        offer.job_finding = np.where(ch.education <= Education.SENIOR_SECONDARY, self.p["job_finding_gain"], 0.0)
        return offer

    def deliver(self, month: Month, people: People) -> None:
        self.pay(self.p["budget"] / 12 * month.agents_per_person, given=self.text_gives("budget"))


class HigherEducation(Measure):
    """E4: stronger universities and more programmes: more students each year and graduates more
    attached to the city."""

    id = "E4"
    raises = ("in_migration_graduate",)  # the extra students come from outside
    # Every kind: graduates of Baotou's universities keep their household's kind, which may be any.

    def intake_multiplier(self, month: Month) -> float:
        return float(self.p["intake_multiplier"])

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        return utility_offer(ch, np.where(ch.graduate, self.p["graduate_stay_gain"], 0.0))

    def deliver(self, month: Month, people: People) -> None:
        self.pay(self.p["budget"] / 12 * month.agents_per_person, given=self.text_gives("budget"))
