"""People facing a location decision, as arrays: residents of Baotou or outside candidates.

The choice model and every measure look at choosers through this one structure, whether they
are agents already in Baotou or people elsewhere considering a move (who are not agents).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from model import params
from model.categories import Area, Kind, Origin, Role, Tenure
from model.people.life_stages import CHILDCARE, COMPULSORY_SCHOOL, ELDER_AGE, PRESCHOOL, Ages
from model.people.store import People
from model.unique import unique_inverse


@dataclass
class Choosers:
    """One decision maker per row (a household head, a single person, a graduate)."""

    key: np.ndarray  # uint64 identity for random draws
    age: np.ndarray  # years
    education: np.ndarray
    kind: np.ndarray
    origin: np.ndarray  # Origin; BAOTOU for hukou holders born here
    hukou: np.ndarray  # holds Baotou hukou
    in_baotou: np.ndarray  # lives in Baotou now (stay = Baotou) or elsewhere (stay = home)
    tenure: np.ndarray
    employed: np.ndarray
    months_in_baotou: np.ndarray
    social_insurance_months: np.ndarray
    provident_fund_months: np.ndarray
    couple: np.ndarray  # lives with a spouse (or would move with one)
    # Children of the life stages of ``life_stages.py`` (childcare, kindergarten, compulsory school).
    kids_childcare: np.ndarray
    kids_preschool: np.ndarray
    kids_school: np.ndarray
    elder_in_household: np.ndarray  # a household member of ``ELDER_AGE`` or more other than the chooser
    household_size: np.ndarray
    graduate: np.ndarray  # deciding at graduation from a Baotou university
    main_urban: np.ndarray  # lives (or would live) in the main urban districts: 1/0, or a chance for newcomers

    def __len__(self) -> int:
        return self.key.size

    @classmethod
    def of(cls, people: People, rows: np.ndarray, graduate: bool = False) -> Choosers:
        """Choosers for agents in Baotou (``rows``), with their households' composition."""
        return from_people(people, rows, graduate)

    def subset(self, rows: np.ndarray) -> Choosers:
        return Choosers(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})

    def concat(self, other: Choosers) -> Choosers:
        return Choosers(
            **{f.name: np.concatenate([getattr(self, f.name), getattr(other, f.name)]) for f in fields(self)}
        )

    @property
    def school_children(self) -> np.ndarray:
        return self.kids_school > 0

    @property
    def is_talent(self) -> np.ndarray:
        return self.kind == Kind.TALENT


MAX_KIDS = int(params.value("population", "max_children_moving"))  # columns of ``Family.kids_ages``


@dataclass
class Family:
    """Who would come with each arriving chooser (arrays over choosers)."""

    head_sex: np.ndarray
    couple: np.ndarray
    kids_ages: np.ndarray  # (n, MAX_KIDS), -1 for none

    def subset(self, rows: np.ndarray) -> Family:
        return Family(self.head_sex[rows], self.couple[rows], self.kids_ages[rows])

    def concat(self, other: Family) -> Family:
        return Family(*(np.concatenate([getattr(self, f.name), getattr(other, f.name)]) for f in fields(self)))


def from_people(people: People, rows: np.ndarray, graduate: bool = False) -> Choosers:
    """Choosers for agents in Baotou, with their households' composition."""
    hh = people.household_id
    # Households of the choosers only: the cost follows the choosers, not the population.
    households, own_hh = unique_inverse(hh[rows])
    members = people.members_of(households)
    m_hh, m_age = np.searchsorted(households, hh[members]), people.age_months[members] // 12
    size = np.bincount(m_hh, minlength=households.size)
    counts = {
        name: np.bincount(m_hh[ages.years(m_age)], minlength=households.size)
        for name, ages in (
            ("kids_childcare", CHILDCARE),
            ("kids_preschool", PRESCHOOL),
            ("kids_school", COMPULSORY_SCHOOL),
        )
    }
    counts["elder"] = np.bincount(m_hh[m_age >= ELDER_AGE], minlength=households.size)
    spouse = np.bincount(m_hh[people.role[members] == Role.SPOUSE], minlength=households.size)
    age = people.age_months[rows] // 12
    own_elder = (age >= ELDER_AGE).astype(np.int64)
    head = people.role[rows] == Role.HEAD
    # Kids and spouse belong to the chooser only if the chooser heads the household.
    return Choosers(
        key=people.key[rows],
        age=age,
        education=people.education[rows],
        kind=people.kind[rows],
        origin=people.origin[rows],
        hukou=people.hukou[rows],
        in_baotou=np.ones(rows.size, dtype=bool),
        tenure=people.tenure[rows],
        employed=people.employed[rows],
        months_in_baotou=people.months_in_baotou[rows],
        social_insurance_months=people.social_insurance_months[rows],
        provident_fund_months=people.provident_fund_months[rows],
        couple=head & (spouse[own_hh] > 0),
        kids_childcare=np.where(head, counts["kids_childcare"][own_hh], 0),
        kids_preschool=np.where(head, counts["kids_preschool"][own_hh], 0),
        kids_school=np.where(head, counts["kids_school"][own_hh], 0),
        elder_in_household=head & ((counts["elder"][own_hh] - own_elder) > 0),
        household_size=np.where(head, size[own_hh], 1),
        graduate=np.full(rows.size, graduate),
        main_urban=(people.area[rows] == Area.MAIN_URBAN).astype(float),
    )


def outside(
    key: np.ndarray,
    age: np.ndarray,
    education: np.ndarray,
    kind: np.ndarray,
    origin: np.ndarray,
    couple: np.ndarray,
    kids_ages: np.ndarray,
    main_urban_share: float = 1.0,
) -> Choosers:
    """Choosers for people elsewhere (not agents), who would come with the family given.

    ``kids_ages`` is (n, k): each row's children's ages, -1 where there is none.
    """
    n = key.size

    def count(ages: Ages) -> np.ndarray:
        return ages.years(kids_ages).sum(axis=1)

    zeros = np.zeros(n, dtype=np.int64)
    return Choosers(
        key=key,
        age=age,
        education=education,
        kind=kind,
        origin=origin,
        hukou=np.zeros(n, dtype=bool),
        in_baotou=np.zeros(n, dtype=bool),
        tenure=np.full(n, Tenure.RENT, dtype=np.int8),
        employed=np.zeros(n, dtype=bool),
        months_in_baotou=zeros.copy(),
        social_insurance_months=zeros.copy(),
        provident_fund_months=zeros.copy(),
        couple=couple,
        kids_childcare=count(CHILDCARE),
        kids_preschool=count(PRESCHOOL),
        kids_school=count(COMPULSORY_SCHOOL),
        elder_in_household=np.zeros(n, dtype=bool),
        household_size=1 + couple.astype(np.int64) + (kids_ages >= 0).sum(axis=1),
        graduate=np.zeros(n, dtype=bool),
        main_urban=np.full(n, main_urban_share),
    )


assert Origin.BAOTOU == 0
