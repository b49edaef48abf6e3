"""Each measure's rule checked on a few people built by hand, with numbers worked out from the
shipped parameters (``model/data/measures.toml``, as ``policy_2022`` resolves them).

Every test builds a handful of households (``cases.household``) or people elsewhere
(``cases.elsewhere``), asks one measure's hooks, and states the arithmetic in its docstring.
A weight of 1 makes one agent one person, so ``spent`` is yuan for the people in the case.
March 2023 is a month in which the 2022 package is in force (2022-11 to 2023-10).
"""

from __future__ import annotations

import numpy as np
import pytest
from cases import baotou_rent, choosers, config, elsewhere, household, leave, measure, month_of, scenario

from model.calendar import month_index
from model.categories import Area, Education, Kind, Origin, Tenure
from model.decisions.decide import decide
from model.measures import MEASURE_CLASSES, build
from model.measures.base import Cost, Measure, annuity
from model.measures.environment import lines
from model.measures.offer import Offer
from model.measures.package import Package
from model.people.store import People
from model.scenario import load

approx = pytest.approx
MARCH = "2023-03"
H, R = "horizon_years", "discount_rate"


def p_buy(month) -> float:
    """Chance a household buys a home within the horizon: 1 - exp(-home_purchase_rate x horizon)."""
    b = month.behaviour
    return 1 - np.exp(-b["home_purchase_rate"] * b[H])


def run_months(package: Package, people: People, first: str | int, months: int, **conditions) -> None:
    """``months`` months of the measures' monthly step (expire, deliver while in force, upkeep),
    from ``first`` ("YYYY-MM" or a month index)."""
    start = month_index(first) if isinstance(first, str) else first
    for i in range(months):
        package.monthly(month_of(start + i, **conditions), people)


RENTER = {"tenure": Tenure.RENT, "hukou": False}
WORKER = {"employed": True, "social_insurance": True}


# =========================================================================== I. housing
# --------------------------------------------------------------------------- H1


def test_H1_who_may_rent_a_public_flat_and_what_the_offer_is_worth():
    """H1: renters or dormitory dwellers who are newcomers (no hukou, or hukou for at most
    newcomer_months) and employed, or arriving from elsewhere. The offer is a year's share of the
    rent saved: rent_discount x rent x min(lease_months / 12, horizon) / horizon, times the
    chance of a flat (1 with nobody queueing)."""
    month, h1 = month_of(MARCH), measure("H1")
    p, newcomer = h1.p, int(h1.p["newcomer_months"])
    people = People()
    migrant = household(people, head=WORKER, kind=Kind.MIGRANT_WORKER, **RENTER)
    new_local = household(people, head=WORKER, tenure=Tenure.RENT, months_in_baotou=newcomer)
    old_local = household(people, head=WORKER, tenure=Tenure.RENT, months_in_baotou=newcomer + 1)
    dormitory = household(people, head=WORKER, tenure=Tenure.DORMITORY, hukou=False)
    jobless = household(people, **RENTER)
    owner = household(people, head=WORKER, hukou=False, tenure=Tenure.OWN)
    ch = choosers(people, migrant, new_local, old_local, dormitory, jobless, owner)
    years = min(p["lease_months"] / 12, month.behaviour[H])  # 36 months: 3 years of a 5-year horizon
    value = p["rent_discount"] * baotou_rent(month) * years / month.behaviour[H]
    assert h1.offer(ch, month, people).money == approx([value, value, 0, value, 0, 0])
    # Someone elsewhere arrives without a job yet: eligible.
    assert h1.offer(elsewhere({}), month, people).money == approx([value])


def test_H1_the_queue_lowers_the_chance_of_a_flat():
    """H1: with `units` flats a year and Q households queueing, a new applicant gets one within a
    year with chance units / (Q + units): 2 flats and 2 households ahead halve the offer. Only
    eligible arrivals join the queue."""
    month, h1 = month_of(MARCH), measure("H1", units=2.0)
    people = People()
    arrivals = [household(people, head=WORKER, kind=Kind.MIGRANT_WORKER, **RENTER) for _ in range(2)]
    arrivals.append(household(people, head=WORKER, kind=Kind.MIGRANT_WORKER, hukou=False))  # owns: not eligible
    someone = elsewhere({})
    alone = h1.offer(someone, month, people).money[0]
    heads = np.array([a[0] for a in arrivals])
    h1.on_arrival(heads, choosers(people, *arrivals), month, people)
    assert h1.queue.size == 2
    assert h1.access_probability(2.0) == approx(2 / (2 + 2))
    assert h1.offer(someone, month, people).money[0] == approx(alone * 2 / (2 + 2))


def test_H1_a_tenancy_lasts_lease_months_and_costs_the_rent_discount():
    """H1: when the measure opens, migrants already renting apply; with 12 flats a year one
    household moves in each month. It is a public tenant for lease_months months, then back on the
    market (renting); each tenant-month costs rent_discount x rent / 12, so the tenancy costs
    lease_months x rent_discount x rent / 12 (36 x 0.5 x rent / 12 = 1.5 years' rent)."""
    rent = 15_000.0
    h1 = measure("H1", units=12.0)
    p = h1.p
    people = People()
    family = household(people, head=WORKER, spouse={}, children_ages=[4], kind=Kind.MIGRANT_WORKER, **RENTER)
    household(people)  # a hukou owner: never a tenant
    package = Package({"H1": h1})
    lease = int(p["lease_months"])
    run_months(package, people, "2022-11", lease, rent=rent)
    assert (people.tenure[family] == Tenure.PUBLIC_RENTAL).all()
    assert h1.spent == approx(lease * p["rent_discount"] * rent / 12)
    run_months(package, people, month_index("2022-11") + lease, 1, rent=rent)
    assert (people.tenure[family] == Tenure.RENT).all()
    assert h1.tenants.size == 0
    assert h1.spent == approx(lease * p["rent_discount"] * rent / 12)  # nothing more once it ended


# --------------------------------------------------------------------------- H2


def test_H2_fee_waiver_for_newly_settling_households_buying_in_the_main_urban_area():
    """H2: households without hukou, or with it for at most newcomer_months, who do not own yet,
    have fee_waiver yuan of fees waived on a first home in the main urban area. The offer is its
    annuity over the horizon times the chance of buying within it (and, for people elsewhere,
    the chance of living in the main urban area); each eligible purchase costs fee_waiver."""
    month, h2 = month_of(MARCH), measure("H2")
    p, newcomer, b = h2.p, int(h2.p["newcomer_months"]), month.behaviour
    people = People()
    migrant = household(people, head=WORKER, **RENTER)
    new_local = household(people, head=WORKER, tenure=Tenure.RENT, months_in_baotou=newcomer)
    old_local = household(people, head=WORKER, tenure=Tenure.RENT, months_in_baotou=newcomer + 1)
    county = household(people, head=WORKER, area=Area.OUTER, **RENTER)
    owner = household(people, head=WORKER, hukou=False)
    ch = choosers(people, migrant, new_local, old_local, county, owner)
    value = annuity(p["fee_waiver"], b[R], b[H]) * p_buy(month)
    assert h2.offer(ch, month, people).money == approx([value, value, 0, 0, 0])
    assert h2.offer(elsewhere({}, main_urban_share=0.6), month, people).money == approx([0.6 * value])
    assert h2.purchase_incentive(ch, month) == approx([p["fee_waiver"]] * 2 + [0] * 3)
    h2.on_purchase(ch, month)
    assert h2.spent == approx(2 * p["fee_waiver"])


# --------------------------------------------------------------------------- H3


def _booked(h3: Measure, ch, month) -> list[float]:
    """The loan booked for each chooser buying alone."""
    out = []
    for i in range(len(ch)):
        before = h3.loans
        h3.on_purchase(ch.subset(np.array([i])), month)
        out.append(h3.loans - before)
    return out


def _four_buyers(people: People, months: int = 24):
    """A single worker, a couple, a single talent-card holder and a talent couple, renting, with
    ``months`` months of provident-fund contributions."""
    member = {**WORKER, "provident_fund": True, "provident_fund_months": months, "social_insurance_months": months}
    return choosers(
        people,
        household(people, head=member, kind=Kind.MIGRANT_WORKER, **RENTER),
        household(people, head=member, spouse=member, kind=Kind.MIGRANT_WORKER, **RENTER),
        household(people, head=member, kind=Kind.TALENT, **RENTER),
        household(people, head=member, spouse=member, kind=Kind.TALENT, **RENTER),
    )


def test_H3_loan_limit_single_couple_and_talent_card_capped_by_loan_to_value():
    """H3: the loan limit is 400k for a single worker, 700k for a couple, 600k and 1M with a
    talent card, and never more than loan_to_value x the home's price. For a home of 10M all
    limits bind; at March 2023's price (about 572k, 0.7 x 572k = 401k) couples are capped at
    what the home needs."""
    h3 = measure("H3")
    p = h3.p
    limits = [p["loan_limit_single"], p["loan_limit_couple"], p["loan_limit_talent_single"]]
    limits.append(p["loan_limit_talent_couple"])
    ch = _four_buyers(People())
    dear = month_of(MARCH, home_price=10 * p["loan_limit_talent_couple"])
    assert _booked(h3, ch, dear) == approx(limits)
    month = month_of(MARCH)
    need = month.behaviour["loan_to_value"] * month.now.home_price
    assert need < p["loan_limit_couple"]  # the cap binds for couples at this price
    assert _booked(h3, ch, month) == approx([min(limit, need) for limit in limits])


def test_H3_yearly_saving_against_the_old_rule():
    """H3: the saving is the rate gap (mortgage_rate - provident_fund_rate) on the extra loan a
    year. Members with 12+ months could borrow loan_limit_before (300k) already: they save on
    the loan above it, (400k - 300k) x gap for a single worker. Members with 6-11 months could
    not borrow at all before: they save on all of it, 400k x gap. Under 6 months they cannot
    borrow now either. At purchase the saving counts for the whole horizon."""
    month = month_of(MARCH, home_price=2_000_000)  # needs a loan of 0.7 x 2M = 1.4M: limits bind
    b, h3 = month.behaviour, measure("H3")
    p, gap = h3.p, b["mortgage_rate"] - b["provident_fund_rate"]
    people = People()
    long_member = _four_buyers(people, months=24)
    new_member = _four_buyers(people, months=int(p["months_required"]) + 2)
    too_new = _four_buyers(people, months=int(p["months_required"]) - 1)
    single, couple = p["loan_limit_single"], p["loan_limit_couple"]
    talent_single, talent_couple = p["loan_limit_talent_single"], p["loan_limit_talent_couple"]
    before = p["loan_limit_before"]
    assert h3.purchase_incentive(long_member, month) == approx(
        [(limit - before) * gap * b[H] for limit in (single, couple, talent_single, talent_couple)]
    )
    assert h3.purchase_incentive(new_member, month) == approx(
        [limit * gap * b[H] for limit in (single, couple, talent_single, talent_couple)]
    )
    assert h3.purchase_incentive(too_new, month) == approx([0, 0, 0, 0])


def test_H3_offer_counts_members_and_the_chance_of_buying_and_costs_nothing():
    """H3: the offer is the yearly saving times being a fund member (residents: contributing now;
    people elsewhere: their kind's provident_fund_coverage) times the chance of buying within
    the horizon; owners get nothing. A member with 6-11 months (8 here) is offered the saving on
    the whole loan, one with 12+ on the part above the old limit. The fund lends members'
    savings: no fiscal cost."""
    month = month_of(MARCH, home_price=2_000_000)
    b, h3 = month.behaviour, measure("H3")
    p, gap = h3.p, b["mortgage_rate"] - b["provident_fund_rate"]
    coverage = month.population["provident_fund_coverage"]["value"]
    people = People()
    member = {**WORKER, "provident_fund_months": 24}
    contributor = household(people, head=member, kind=Kind.MIGRANT_WORKER, **RENTER)
    new_member = household(people, head={**WORKER, "provident_fund_months": 8}, kind=Kind.MIGRANT_WORKER, **RENTER)
    not_member = household(people, head=WORKER, kind=Kind.MIGRANT_WORKER, **RENTER)
    owner = household(people, head=member, kind=Kind.MIGRANT_WORKER, hukou=False)
    ch = choosers(people, contributor, new_member, not_member, owner)
    extra = (p["loan_limit_single"] - p["loan_limit_before"]) * gap
    whole = p["loan_limit_single"] * gap
    assert h3.offer(ch, month, people).money == approx([extra * p_buy(month), whole * p_buy(month), 0, 0])
    out = elsewhere({"kind": Kind.MIGRANT_WORKER}, {"kind": Kind.TALENT, "education": Education.POSTGRADUATE})
    talent_extra = (p["loan_limit_talent_single"] - p["loan_limit_before"]) * gap
    assert h3.offer(out, month, people).money == approx(
        [extra * coverage[Kind.MIGRANT_WORKER] * p_buy(month), talent_extra * coverage[Kind.TALENT] * p_buy(month)]
    )
    h3.on_purchase(ch, month)
    assert h3.cost is Cost.NONE and h3.spent == 0


def test_H3_loans_are_booked_on_purchase_only_for_members_with_enough_months():
    """H3: a purchase books the loan (as a reported figure, not spending) only for buyers with
    months_required months of contributions; at weight w each agent stands for w buyers."""
    month = month_of(MARCH, home_price=2_000_000)
    weight = 50.0
    h3 = measure("H3", weight=weight)
    p = h3.p
    people = People()
    enough = household(people, head={**WORKER, "provident_fund_months": int(p["months_required"])}, **RENTER)
    short = household(people, head={**WORKER, "provident_fund_months": int(p["months_required"]) - 1}, **RENTER)
    h3.on_purchase(choosers(people, enough, short), month)
    assert h3.loans == approx(p["loan_limit_single"] * weight)
    assert h3.report() == {"loans_H3": approx(p["loan_limit_single"] * weight)}
    assert h3.spent == 0


# --------------------------------------------------------------------------- H4


def test_H4_who_may_have_a_talent_apartment_and_what_it_is_worth():
    """H4: graduates (college and above) staying on after a Baotou university, or graduates and
    talent arriving or here for at most newcomer_months. Free months: free_months_postgraduate
    (24) for postgraduates, free_months_college (12) otherwise, then as many at half rent. The
    saving rent/12 x (free + (1 - half_rent_share) x free) (12 + 6 = 18 months' rent for a
    bachelor, 36 for a postgraduate) is offered as its annuity over the horizon."""
    month, h4 = month_of(MARCH), measure("H4")
    p, b = h4.p, month.behaviour

    def value(free: float) -> float:
        half = free * p["half_rent_months_per_free_month"]
        return annuity(baotou_rent(month) / 12 * (free + (1 - p["half_rent_share"]) * half), b[R], b[H])

    college, postgraduate = value(p["free_months_college"]), value(p["free_months_postgraduate"])
    people = People()
    local_graduate = household(people, head={"age": 22, "education": Education.BACHELOR}, tenure=Tenure.RENT)
    assert h4.offer(choosers(people, local_graduate, graduate=True), month, people).money == approx([college])
    newcomer = int(p["newcomer_months"])
    recent = household(
        people, head={"education": Education.BACHELOR}, kind=Kind.GRADUATE, months_in_baotou=newcomer, **RENTER
    )
    settled = household(
        people, head={"education": Education.BACHELOR}, kind=Kind.GRADUATE, months_in_baotou=newcomer + 1, **RENTER
    )
    assert h4.offer(choosers(people, recent, settled), month, people).money == approx([college, 0])
    out = elsewhere(
        {"kind": Kind.TALENT, "education": Education.POSTGRADUATE},
        {"kind": Kind.GRADUATE, "education": Education.COLLEGE},
        {"kind": Kind.MIGRANT_WORKER, "education": Education.COLLEGE},  # migrant workers never qualify
        {"kind": Kind.GRADUATE, "education": Education.SENIOR_SECONDARY},  # no degree
    )
    assert h4.offer(out, month, people).money == approx([postgraduate, college, 0, 0])


def _two_tenants(h4: Measure, month, people: People):
    """A postgraduate talent and a bachelor graduate arrive, renting, and queue for apartments."""
    talent = household(people, head={**WORKER, "education": Education.POSTGRADUATE}, kind=Kind.TALENT, **RENTER)
    bachelor = household(people, head={**WORKER, "education": Education.BACHELOR}, kind=Kind.GRADUATE, **RENTER)
    h4.on_arrival(np.array([talent[0], bachelor[0]]), choosers(people, talent, bachelor), month, people)
    return talent, bachelor


def test_H4_tenancy_is_free_months_then_half_rent_months_and_the_cost_switches_to_half_rent():
    """H4: a tenancy lasts free months x (1 + half_rent_months_per_free_month): 48 months for a
    postgraduate, 24 for a bachelor. The city pays the rent in the free months and half of it
    after: over its tenancy a bachelor costs 12 x rent/12 + 12 x rent/24, a postgraduate
    twice that. Then the household is back on the market."""
    rent = 15_000.0
    h4 = measure("H4", apartments=2.0)
    p = h4.p
    people = People()
    talent, bachelor = _two_tenants(h4, month_of(MARCH), people)
    package = Package({"H4": h4})
    per_free = int(1 + p["half_rent_months_per_free_month"])
    college, post = int(p["free_months_college"]), int(p["free_months_postgraduate"])
    run_months(package, people, MARCH, 1, rent=rent)
    assert sorted(h4.months_by_tenant) == [college * per_free, post * per_free]
    assert (people.tenure[np.r_[talent, bachelor]] == Tenure.TALENT_APARTMENT).all()
    assert h4.spent == approx(2 * rent / 12)  # both in a free month
    run_months(package, people, month_index(MARCH) + 1, college, rent=rent)  # to the bachelor's 13th month
    assert h4.spent == approx((college + 1) * 2 * rent / 12 - rent / 12 + p["half_rent_share"] * rent / 12)
    run_months(package, people, month_index(MARCH) + 1 + college, post * per_free - college - 1, rent=rent)
    half = p["half_rent_share"] * rent / 12  # what the code pays a half-rent month (right at 0.5)
    bachelor_cost = college * rent / 12 + college * p["half_rent_months_per_free_month"] * half
    talent_cost = post * rent / 12 + post * p["half_rent_months_per_free_month"] * half
    assert h4.spent == approx(bachelor_cost + talent_cost)
    assert (people.tenure[bachelor] == Tenure.RENT).all() and (people.tenure[talent] == Tenure.TALENT_APARTMENT).all()
    run_months(package, people, month_index(MARCH) + post * per_free, 1, rent=rent)  # the talent's lease ends
    assert (people.tenure[talent] == Tenure.RENT).all() and h4.tenants.size == 0
    assert h4.spent == approx(bachelor_cost + talent_cost)


def test_H4_in_half_rent_months_the_city_pays_the_part_of_the_rent_the_tenant_does_not():
    """H4: after the free months the tenant pays half_rent_share of the rent; the city's cost is
    the rest, (1 - half_rent_share) x rent / 12 a month, the same share the offer counts as the
    tenant's saving. With a tenant's share of 0.25 the city pays 0.75 x rent / 12."""
    rent = 12_000.0
    h4 = measure("H4", apartments=1.0, half_rent_share=0.25)
    people = People()
    bachelor = household(people, head={**WORKER, "education": Education.BACHELOR}, kind=Kind.GRADUATE, **RENTER)
    h4.on_arrival(bachelor[:1], choosers(people, bachelor), month_of(MARCH), people)
    package = Package({"H4": h4})
    free = int(h4.p["free_months_college"])
    run_months(package, people, MARCH, free, rent=rent)
    assert h4.spent == approx(free * rent / 12)
    run_months(package, people, month_index(MARCH) + free, 1, rent=rent)  # the first half-rent month
    assert h4.spent - free * rent / 12 == approx((1 - 0.25) * rent / 12)


def test_H4_a_local_graduate_living_with_parents_gets_the_tenancy_of_their_own_degree():
    """H4: a postgraduate of a Baotou university who stays on, living in the renting household of
    a parent with senior secondary schooling, is offered free_months_postgraduate free months,
    and the tenancy the household is given is that long, plus as many at half rent (48
    months), as the offer counted."""
    month, h4 = month_of(MARCH), measure("H4", apartments=1.0)
    p = h4.p
    people = People()
    family = household(people, head={**WORKER, "age": 50, "education": Education.SENIOR_SECONDARY}, children_ages=[25])
    people.tenure[family] = Tenure.RENT
    graduate = family[1:]
    people.education[graduate] = Education.POSTGRADUATE
    ch = choosers(people, graduate, graduate=True)
    free, per_free = p["free_months_postgraduate"], 1 + p["half_rent_months_per_free_month"]
    half = free * p["half_rent_months_per_free_month"]
    saving = baotou_rent(month) / 12 * (free + (1 - p["half_rent_share"]) * half)
    assert h4.offer(ch, month, people).money == approx([annuity(saving, month.behaviour[R], month.behaviour[H])])
    h4.on_arrival(graduate, ch, month, people)
    Package({"H4": h4}).monthly(month, people)
    assert (people.tenure[family] == Tenure.TALENT_APARTMENT).all()
    assert list(h4.months_by_tenant) == [free * per_free]


def test_H4_first_home_discount_only_for_postgraduates_with_hukou_who_came_from_elsewhere():
    """H4: postgraduates who came to Baotou and took hukou here get first_home_discount x the
    home's price off a first home (5 % of about 572k, 28.6k); postgraduates born here, those
    without hukou and bachelors do not. Each discount is paid on purchase."""
    month, h4 = month_of(MARCH), measure("H4")
    people = People()
    post = {**WORKER, "education": Education.POSTGRADUATE}
    came = household(people, head=post, tenure=Tenure.RENT, origin=Origin.REST_OF_CHINA)
    born_here = household(people, head=post, tenure=Tenure.RENT, origin=Origin.BAOTOU)
    no_hukou = household(people, head=post, origin=Origin.REST_OF_CHINA, **RENTER)
    bachelor = household(
        people, head={**WORKER, "education": Education.BACHELOR}, tenure=Tenure.RENT, origin=Origin.REST_OF_CHINA
    )
    ch = choosers(people, came, born_here, no_hukou, bachelor)
    discount = h4.p["first_home_discount"] * month.now.home_price
    assert h4.purchase_incentive(ch, month) == approx([discount, 0, 0, 0])
    h4.on_purchase(ch, month)
    assert h4.spent == approx(discount)


# ============================================================ II. family and schooling


def test_F1_multiplies_fertility_and_pays_a_reward_per_birth():
    """F1: fertility of women in Baotou is multiplied by fertility_multiplier; each birth costs
    birth_reward (7 births: 7 x 1,000); it is in no one's choice."""
    month, f1 = month_of(MARCH), measure("F1")
    assert f1.fertility_multiplier(month) == f1.p["fertility_multiplier"]
    f1.on_births(7, month, np.arange(7, dtype=np.uint64))
    assert f1.spent == approx(7 * f1.p["birth_reward"])
    assert f1.offer(elsewhere({"kids_ages": (1,)}), month, People()) is None


def test_F2_childcare_offer_shrinks_with_the_share_of_under_threes_served():
    """F2: the offer is saving per child aged 0-2 times the share of Baotou's under-3s the
    places serve, min(1, places / children); the cost is saving / 12 a month per place used.
    With 1 place for 2 under-3s, a family with two of them is offered saving x 2 x 1/2."""
    month = month_of(MARCH)
    people = People()
    family = household(people, head=WORKER, spouse=WORKER, children_ages=[0, 2, 4], **RENTER)
    ch, out = choosers(people, family), elsewhere({"kids_ages": (1,)}, {})
    scarce = measure("F2", places=1.0)
    s = scarce.p["saving"]
    assert scarce.offer(ch, month, people).money == approx([s * 2 * 1 / 2])
    assert scarce.offer(out, month, people).money == approx([s * 1 / 2, 0])
    scarce.deliver(month, people)
    assert scarce.spent == approx(s / 12)
    enough = measure("F2")  # 5,000 places for 2 children: everyone served
    assert enough.offer(ch, month, people).money == approx([s * 2])
    enough.deliver(month, people)
    assert enough.spent == approx(2 * s / 12)


def test_F3_a_small_amenity_for_families_with_under_threes_on_a_budget():
    """F3: utility for households with a child aged 0-2, none for others; the budget is spent a
    twelfth a month whatever the scale (weight 50: still budget / 12)."""
    month, f3 = month_of(MARCH, weight=50.0), measure("F3", weight=50.0)
    out = elsewhere({"kids_ages": (2,)}, {"kids_ages": (3,)})
    assert f3.offer(out, month, People()).utility == approx([f3.p["utility"], 0])
    f3.deliver(month, People())
    assert f3.spent == approx(f3.p["budget"] / 12)


def test_E1_preschool_saving_per_child_3_to_5_paid_for_children_without_hukou():
    """E1: the offer is saving per child aged 3-5 (children 2 and 6 do not count); each month
    the city pays cost_per_child / 12 for every child aged 3-5 without hukou (2 here; the hukou
    child is already provided for)."""
    month, e1 = month_of(MARCH), measure("E1")
    people = People()
    migrants = household(people, head=WORKER, children_ages=[2, 3, 5, 6], **RENTER)
    locals_ = household(people, head=WORKER, children_ages=[4])
    assert e1.offer(choosers(people, migrants, locals_), month, people).money == approx(
        [2 * e1.p["saving"], e1.p["saving"]]
    )
    e1.deliver(month, people)
    assert e1.spent == approx(2 * e1.p["cost_per_child"] / 12)


def test_E2_school_places_for_all_and_paid_for_pupils_the_old_threshold_kept_out():
    """E2: any family with a child aged 6-15 gets a school place (access 1). The city pays
    cost_per_pupil / 12 a month for pupils without hukou whose head has fewer than the old
    threshold (school_access_months_pre_2022) months of social insurance; pupils already
    admitted under the old rule, and hukou pupils, cost the measure nothing."""
    month, e2 = month_of(MARCH), measure("E2")
    threshold = int(month.behaviour["school_access_months_pre_2022"])
    people = People()
    newly = household(
        people, head={**WORKER, "social_insurance_months": threshold - 1}, children_ages=[6, 15], **RENTER
    )
    old_rule = household(people, head={**WORKER, "social_insurance_months": threshold}, children_ages=[10], **RENTER)
    local = household(people, head=WORKER, children_ages=[8])
    toddler = household(people, head=WORKER, children_ages=[5, 16], **RENTER)
    ch = choosers(people, newly, old_rule, local, toddler)
    assert e2.offer(ch, month, people).school_access == approx([1, 1, 1, 0])
    e2.deliver(month, people)
    assert e2.spent == approx(2 * e2.p["cost_per_pupil"] / 12)


def test_E3_vocational_education_helps_people_with_senior_secondary_or_less_find_jobs():
    """E3: job finding rises by job_finding_gain for senior secondary or less, not for college;
    the programme budget is spent a twelfth a month."""
    month, e3 = month_of(MARCH), measure("E3")
    out = elsewhere(
        {"education": Education.JUNIOR_SECONDARY},
        {"education": Education.SENIOR_SECONDARY},
        {"education": Education.COLLEGE},
    )
    gain = e3.p["job_finding_gain"]
    assert e3.offer(out, month, People()).job_finding == approx([gain, gain, 0])
    e3.deliver(month, People())
    assert e3.spent == approx(e3.p["budget"] / 12)


def test_E4_more_students_and_graduates_more_attached():
    """E4: the September intake is multiplied by intake_multiplier; graduates of Baotou's
    universities deciding to stay gain graduate_stay_gain utility, others nothing."""
    month, e4 = month_of(MARCH), measure("E4")
    assert e4.intake_multiplier(month) == e4.p["intake_multiplier"]
    people = People()
    grad = household(people, head={"age": 22, "education": Education.BACHELOR}, tenure=Tenure.RENT)
    assert e4.offer(choosers(people, grad, graduate=True), month, people).utility == approx(
        [e4.p["graduate_stay_gain"]]
    )
    assert e4.offer(choosers(people, grad), month, people).utility == approx([0])
    e4.deliver(month, people)
    assert e4.spent == approx(e4.p["budget"] / 12)


# ============================================================ III. social security, hukou


# S1-S3 restate national rules in force before the package (model/data/national_rules.toml), which
# every scenario has through the observed coverage and the fitted moving rates; each carries only
# what its text adds, which it does not quantify: 0 by default. The rules themselves are checked
# below on what-if numbers a scenario may set.
WHAT_IF = {"S1": {"coverage": 0.9}, "S2": {"value": 1000.0, "subsidy_per_person": 600.0}, "S3": {"value": 2000.0}}


def test_S1_S3_add_nothing_beyond_the_national_rules_by_default():
    """S1-S3 as shipped: no insurance floor (S1), nothing offered to anyone (S2, S3), nothing
    paid (S2), for an insured worker without hukou aged 45 and a mover of 45."""
    month, s1, s2, s3 = month_of(MARCH), measure("S1"), measure("S2"), measure("S3")
    assert s1.social_insurance_coverage(month) == 0.0
    people = People()
    worker = household(people, head={**WORKER, "age": 45}, kind=Kind.MIGRANT_WORKER, **RENTER)
    for ch in (choosers(people, worker), elsewhere({"age": 45})):
        assert s2.offer(ch, month, people).money == approx([0.0])
        assert s3.offer(ch, month, people).money == approx([0.0])
    s2.on_arrival(worker[:1], choosers(people, worker), month, people)
    s2.deliver(month, people)
    assert s2.spent == 0.0


def test_S1_insures_employed_newcomers_from_arrival_at_no_cost():
    """S1 with a what-if floor: the share of employed newcomers insured from arrival is
    `coverage`; it offers nothing in a choice and, contributions not being public money, costs
    nothing."""
    month, s1 = month_of(MARCH), measure("S1", **WHAT_IF["S1"])
    assert s1.social_insurance_coverage(month) == 0.9
    assert s1.offer(elsewhere({}), month, People()) is None
    assert s1.cost is Cost.NONE and not s1.in_choice


def test_S2_medical_insurance_for_insured_employed_newcomers_paid_while_they_stay():
    """S2 with what-if numbers: people without hukou are offered `value` a year. Arrivals without
    hukou who are employed and insured are enrolled; each costs subsidy_per_person / 12 a month
    while here. Of four arrivals (insured worker, insured worker, uninsured worker, hukou
    holder) two are enrolled; when one leaves, one is paid for."""
    month, s2 = month_of(MARCH), measure("S2", **WHAT_IF["S2"])
    people = People()
    a = household(people, head=WORKER, kind=Kind.MIGRANT_WORKER, **RENTER)
    b = household(people, head=WORKER, spouse={}, kind=Kind.MIGRANT_WORKER, **RENTER)
    uninsured = household(people, head={"employed": True}, kind=Kind.MIGRANT_WORKER, **RENTER)
    local = household(people, head=WORKER, tenure=Tenure.RENT)
    heads = [a, b, uninsured, local]
    ch = choosers(people, *heads)
    assert s2.offer(ch, month, people).money == approx([1000.0] * 3 + [0])
    s2.on_arrival(np.array([h[0] for h in heads]), ch, month, people)
    assert s2.insured.size == 2
    s2.deliver(month, people)
    assert s2.spent == approx(2 * 600 / 12)
    leave(people, a)
    s2.deliver(month_of("2023-04"), people)
    assert s2.spent == approx(3 * 600 / 12)


def test_S3_pension_transfer_worth_something_to_people_without_hukou_from_min_age():
    """S3 with a what-if `value`: people without hukou aged min_age (40) or more are offered it;
    younger people and hukou holders nothing. No city cost."""
    month, s3 = month_of(MARCH), measure("S3", **WHAT_IF["S3"])
    lo = int(s3.p["min_age"])
    people = People()
    ch = choosers(
        people,
        household(people, head={**WORKER, "age": lo}, **RENTER),
        household(people, head={**WORKER, "age": lo - 1}, **RENTER),
        household(people, head={**WORKER, "age": 55}, tenure=Tenure.RENT),
    )
    assert s3.offer(ch, month, people).money == approx([2000.0, 0, 0])
    assert s3.offer(elsewhere({"age": lo}), month, people).money == approx([2000.0])
    assert s3.cost is Cost.NONE


def test_S4_elderly_care_for_households_with_someone_60_or_over():
    """S4: `value` for households with a member aged 60+ (a parent living with them, or the
    chooser), nothing for a young family; operators' budget a twelfth a month."""
    month, s4 = month_of(MARCH), measure("S4")
    people = People()
    ch = choosers(
        people,
        household(people, head=WORKER, children_ages=[5], elders_ages=[66]),
        household(people, head={"age": 62}),
        household(people, head=WORKER, spouse={"age": 60}),
        household(people, head=WORKER, spouse={}, children_ages=[5]),
    )
    assert s4.offer(ch, month, people).money == approx([s4.p["value"]] * 3 + [0])
    s4.deliver(month, people)
    assert s4.spent == approx(s4.p["budget"] / 12)


def test_K1_zero_threshold_hukou_opens_schools_to_those_who_take_it():
    """K1: households without hukou take it at takeup_rate a year; within the horizon that is
    1 - exp(-takeup_rate x horizon) (1 - e^-0.5, about 0.39): their children's chance of a school
    place through hukou, and hukou's own worth (beta_hukou) times that chance. Hukou holders
    and families without school-age children gain no school access. No cost booked here."""
    month, k1 = month_of(MARCH), measure("K1")
    b = month.behaviour
    settles = 1 - np.exp(-k1.p["takeup_rate"] * b[H])
    assert k1.hukou_takeup_rate(month) == k1.p["takeup_rate"]
    people = People()
    ch = choosers(
        people,
        household(people, head=WORKER, children_ages=[8], **RENTER),
        household(people, head=WORKER, **RENTER),
        household(people, head=WORKER, children_ages=[8]),
    )
    offer = k1.offer(ch, month, people)
    assert offer.school_access == approx([settles, 0, 0])
    assert offer.utility == approx([b["beta_hukou"] * settles, b["beta_hukou"] * settles, 0])
    assert k1.cost is Cost.NONE


# ================================================================ IV. entrepreneurship, jobs


def test_J1_startup_loans_for_skilled_people_without_hukou_of_working_age():
    """J1: people without hukou aged age_range (22-50) with senior secondary or more. The offer
    is the entrepreneurial share of the subsidy over the horizon:
    entrepreneur_share x loan x interest_subsidy x min(years, horizon) / horizon
    (0.03 x 300k x 0.03 x 3 / 5 = 162 yuan a year)."""
    month, j1 = month_of(MARCH), measure("J1")
    p, b = j1.p, month.behaviour
    lo, hi = (int(a) for a in p["age_range"])
    out = elsewhere(
        {"age": lo},
        {"age": hi, "education": Education.POSTGRADUATE},
        {"age": lo - 1},
        {"age": hi + 1},
        {"age": 30, "education": Education.JUNIOR_SECONDARY},
    )
    value = b["entrepreneur_share"] * p["loan"] * p["interest_subsidy"] * min(p["years"], b[H]) / b[H]
    assert j1.offer(out, month, People()).money == approx([value, value, 0, 0, 0])
    people = People()
    local = household(people, head={**WORKER, "age": 30, "education": Education.COLLEGE}, tenure=Tenure.RENT)
    assert j1.offer(choosers(people, local), month, people).money == approx([0])


def test_J1_loans_within_the_yearly_quota_and_subsidy_paid_while_they_run():
    """J1: eligible arrivals who start a business (here everyone: entrepreneur_share 1) get a loan
    while the year's quota (loans_per_year, 2 here) lasts: 3 starters, 2 loans; the quota is
    new each calendar year. Each loan costs loan x interest_subsidy / 12 a month for `years`
    years (36 months), then nothing."""
    j1 = measure("J1", loans_per_year=2.0, end="2025-12-31")
    p = j1.p
    everyone_starts = {"entrepreneur_share": 1.0}
    march = month_of(MARCH, behaviour=everyone_starts)
    people = People()
    skilled = {**WORKER, "age": 30, "education": Education.SENIOR_SECONDARY}
    arrivals = [household(people, head=skilled, **RENTER) for _ in range(3)]
    arrivals.append(household(people, head=skilled, tenure=Tenure.RENT))  # hukou: not eligible
    heads = np.array([a[0] for a in arrivals])
    j1.on_arrival(heads, choosers(people, *arrivals), march, people)
    assert j1.loan_months.size == 2
    j1.on_arrival(heads, choosers(people, *arrivals), month_of("2023-07", behaviour=everyone_starts), people)
    assert j1.loan_months.size == 2  # this year's quota is used up
    monthly = p["loan"] * p["interest_subsidy"] / 12
    j1.upkeep(march, people)
    assert j1.spent == approx(2 * monthly)
    last_month = month_index(MARCH) + 12 * int(p["years"]) - 1
    j1.upkeep(month_of(last_month), people)
    j1.upkeep(month_of(last_month + 1), people)
    assert j1.spent == approx(4 * monthly)
    j1.on_arrival(heads[:1], choosers(people, arrivals[0]), month_of("2024-02", behaviour=everyone_starts), people)
    assert j1.loan_months.size == 3  # a new year, a new quota


def test_J2_job_gains_and_a_grant_for_workers_kept_a_year_with_insurance():
    """J2: people elsewhere find a job with job_finding_gain more; graduates of Baotou's
    universities gain graduate_stay_gain utility to stay. Employed out-of-town arrivals
    (migrant workers and graduates without hukou) are followed for months_kept months; the firm
    gets hiring_grant once for each still employed with months_kept months of insurance."""
    month, j2 = month_of(MARCH), measure("J2")
    p = j2.p
    assert j2.offer(elsewhere({}), month, People()).job_finding == approx([p["job_finding_gain"]])
    people = People()
    grad = household(people, head={"age": 22, "education": Education.BACHELOR}, tenure=Tenure.RENT)
    offer = j2.offer(choosers(people, grad, graduate=True), month, people)
    assert offer.utility == approx([p["graduate_stay_gain"]]) and offer.job_finding == approx([0])
    kept = household(people, head=WORKER, kind=Kind.MIGRANT_WORKER, **RENTER)
    uninsured_later = household(people, head=WORKER, kind=Kind.GRADUATE, **RENTER)
    talent = household(people, head=WORKER, kind=Kind.TALENT, **RENTER)  # not a hire the grant is for
    jobless = household(people, kind=Kind.MIGRANT_WORKER, **RENTER)
    local = household(people, head=WORKER, kind=Kind.GRADUATE, tenure=Tenure.RENT)
    arrivals = [kept, uninsured_later, talent, jobless, local]
    j2.on_arrival(np.array([a[0] for a in arrivals]), choosers(people, *arrivals), month, people)
    assert j2.hired_ids.size == 2
    months = int(p["months_kept"])
    people.social_insurance_months[kept] = months
    people.social_insurance_months[uninsured_later] = 5
    for i in range(months):
        j2.upkeep(month_of(month_index(MARCH) + i), people)
    assert j2.spent == 0
    j2.upkeep(month_of(month_index(MARCH) + months), people)
    assert j2.spent == approx(p["hiring_grant"])
    assert j2.hired_ids.size == 0


# ================================================================ V. high-level talent


def _talent_and_others(people: People):
    """An employed talent head with a child of 8, an unemployed talent head, an employed
    migrant worker with a child of 8."""
    return (
        household(people, head={**WORKER, "education": Education.POSTGRADUATE}, children_ages=[8], kind=Kind.TALENT),
        household(people, head={"education": Education.POSTGRADUATE}, kind=Kind.TALENT),
        household(people, head=WORKER, children_ages=[8], kind=Kind.MIGRANT_WORKER, **RENTER),
    )


def test_T1_expected_commercialisation_award_for_talent_only():
    """T1: talent are offered award_probability x mean_award a year (0.05 x 500k = 25k); the city
    pays that a year (a twelfth a month) for each employed talent here (1 of 2 talent heads)."""
    month, t1 = month_of(MARCH), measure("T1")
    expected = t1.p["award_probability"] * t1.p["mean_award"]
    people = People()
    ch = choosers(people, *_talent_and_others(people))
    assert t1.offer(ch, month, people).money == approx([expected, expected, 0])
    t1.deliver(month, people)
    assert t1.spent == approx(expected / 12)


def test_T2_extra_offers_to_talent_and_posts_paid_while_holders_stay():
    """T2: talent elsewhere get extra_offers more job offers a year; each accepted post costs
    cost_per_post / 12 a month while its holder is here (2 holders, then 1 after one leaves),
    also after the window (upkeep runs every month)."""
    month, t2 = month_of(MARCH), measure("T2")
    assert t2.extra_talent_offers(month) == t2.p["extra_offers"]
    people = People()
    a, b, _ = _talent_and_others(people)
    t2.on_extra_talent(np.array([a[0], b[0]]), people)
    t2.upkeep(month, people)
    post = t2.p["cost_per_post"] / 12
    assert t2.spent == approx(2 * post)
    leave(people, b)
    t2.upkeep(month_of("2024-06"), people)
    assert t2.spent == approx(3 * post)


def test_T3_bonus_after_months_before_bonus_for_postgraduates_still_here():
    """T3: postgraduates without hukou are due bonus_doctorate (talent) or bonus_master
    (others); the offer is its annuity over the horizon. Arrivals are paid after
    months_before_bonus months (12) if still here: of a doctor and a master, the master leaves,
    the doctor is paid 30k; hukou holders and bachelors are due nothing."""
    month, t3 = month_of(MARCH), measure("T3")
    p, b = t3.p, month.behaviour
    people = People()
    post = {**WORKER, "education": Education.POSTGRADUATE}
    doctor = household(people, head=post, kind=Kind.TALENT, **RENTER)
    master = household(people, head=post, kind=Kind.GRADUATE, **RENTER)
    local = household(people, head=post, kind=Kind.GRADUATE, tenure=Tenure.RENT)
    bachelor = household(people, head={**WORKER, "education": Education.BACHELOR}, kind=Kind.GRADUATE, **RENTER)
    arrivals = [doctor, master, local, bachelor]
    ch = choosers(people, *arrivals)
    doctorate, masters = annuity(p["bonus_doctorate"], b[R], b[H]), annuity(p["bonus_master"], b[R], b[H])
    assert t3.offer(ch, month, people).money == approx([doctorate, masters, 0, 0])
    t3.on_arrival(np.array([a[0] for a in arrivals]), ch, month, people)
    leave(people, master)
    wait = int(p["months_before_bonus"])
    t3.upkeep(month_of(month_index(MARCH) + wait - 1), people)
    assert t3.spent == 0
    t3.upkeep(month_of(month_index(MARCH) + wait), people)
    assert t3.spent == approx(p["bonus_doctorate"])
    assert t3.ids.size == 0


def test_T4_skill_subsidy_for_senior_secondary_or_less():
    """T4: people with senior secondary or less are offered certification_rate x mean_subsidy a
    year (0.05 x 3,000 = 150); the city pays that a year for each employed one here (the
    employed junior-secondary worker; not the unemployed one, not the college graduate)."""
    month, t4 = month_of(MARCH), measure("T4")
    value = t4.p["certification_rate"] * t4.p["mean_subsidy"]
    people = People()
    ch = choosers(
        people,
        household(people, head={**WORKER, "education": Education.JUNIOR_SECONDARY}),
        household(people, head={"education": Education.SENIOR_SECONDARY}),
        household(people, head={**WORKER, "education": Education.COLLEGE}),
    )
    assert t4.offer(ch, month, people).money == approx([value, value, 0])
    t4.deliver(month, people)
    assert t4.spent == approx(value / 12)


def test_T5_talent_card_for_talent_only():
    """T5: talent gain `utility`, a school place for their children (the others none), and
    bring_family_gain more chance of bringing the family at once; each employed talent here
    costs cost_per_card / 12 a month."""
    month, t5 = month_of(MARCH), measure("T5")
    p = t5.p
    people = People()
    ch = choosers(people, *_talent_and_others(people))
    offer = t5.offer(ch, month, people)
    assert offer.utility == approx([p["utility"], p["utility"], 0])
    assert np.asarray(offer.school_access, dtype=float) == approx([1, 0, 0])
    assert t5.bring_family_gain(ch, month) == approx([p["bring_family_gain"]] * 2 + [0])
    t5.deliver(month, people)
    assert t5.spent == approx(p["cost_per_card"] / 12)


# ================================================================ VI. city environment


def test_C1_amenity_ramps_up_over_ramp_years_and_stays_built():
    """C1: the amenity grows by utility / (12 x ramp_years) for each month in force (0.03 / 60)
    and stays at what was built (lasting): 1 month's worth in its first month, 12 months' worth
    (a fifth of the full 0.03) in 2023-10 and ever after; nothing before it starts."""
    c1 = measure("C1")
    p = c1.p
    step = p["utility"] / (12 * p["ramp_years"])
    out = elsewhere({}, {"kind": Kind.TALENT})
    assert c1.lasting
    for when, months in (("2022-06", 0), ("2022-11", 1), ("2023-10", 12), ("2030-01", 12)):
        assert c1.offer(out, month_of(when), People()).utility == approx([months * step] * 2), when
    quick = measure("C1", ramp_years=0.5, end="2025-12-31")  # built in six months: full and no more
    assert quick.offer(out, month_of("2024-01"), People()).utility == approx([p["utility"]] * 2)
    c1.deliver(month_of(MARCH), People())
    assert c1.spent == approx(p["budget"] / 12)


def test_C2_culture_and_sport_a_flat_amenity_for_everyone():
    """C2: `utility` for everyone; the budget a twelfth a month."""
    month, c2 = month_of(MARCH), measure("C2")
    out = elsewhere({}, {"kind": Kind.TALENT}, {"age": 70})
    assert c2.offer(out, month, People()).utility == approx([c2.p["utility"]] * 3)
    c2.deliver(month, People())
    assert c2.spent == approx(c2.p["budget"] / 12)


def _line(lid: str):
    return next(line for line in lines() if line.id == lid)


FAR = {"origin": Origin.REST_OF_CHINA}
NEAR = {"origin": Origin.NEIGHBOURING_PROVINCES}
HOME_REGION = {"origin": Origin.REST_OF_INNER_MONGOLIA}


def test_C3_a_package_line_counts_from_its_opening_and_stays_after_the_package():
    """C3: the airport's new routes (the one line only the package brings) cut the distance to
    Baotou by their cut for each origin group from their opening month (2024-03), not the month
    before, and still in 2030, years after the package's window (2023-10); nothing for the lines
    built anyway (N1's), whose usual openings C3 does not bring forward by default."""
    c3, air = measure("C3"), _line("airport_sub_hub")
    assert not air.built_anyway and c3.lasting and c3.p["months_earlier"] == 0
    out = elsewhere(FAR, NEAR, HOME_REGION)
    opening = air.opening
    assert c3.distance_cut(out, month_of(opening - 1)) == approx([0, 0, 0])
    for when in (opening, month_index("2030-01")):
        assert c3.distance_cut(out, month_of(when)) == approx(air.distance_cut[[3, 2, 1]])
    assert c3.offer(out, month_of(MARCH), People()) is None


def test_C3_books_the_citys_share_over_the_months_of_building():
    """C3: the airport's city_share is booked in equal parts over the build_months before it
    opens (a twelfth a month over 2023-03..2024-02), nothing before or after: the whole share in
    all."""
    c3, air = measure("C3"), _line("airport_sub_hub")
    assert c3.cost is Cost.CONSTRUCTION
    months = {}
    for when in range(air.opening - air.build_months - 3, air.opening + 6):
        c3.spent = 0.0
        c3.upkeep(month_of(when), People())
        months[when] = c3.spent
    assert sum(months.values()) == approx(air.city_share)
    assert months[air.opening - 1] == approx(air.city_share / air.build_months)
    assert months[air.opening - air.build_months - 1] == 0 and months[air.opening] == 0


def test_C3_a_later_package_opens_its_line_only_after_building_it():
    """C3 in force from 2024-01: the airport's routes, due 2024-03, open only build_months (12)
    after the package starts, in 2025-01."""
    c3, air = measure("C3", start="2024-01-01", end="2024-12-31"), _line("airport_sub_hub")
    assert c3.opening(air) == month_index("2024-01") + air.build_months
    assert c3.distance_cut(elsewhere(FAR), month_of("2024-06")) == approx([0])
    assert c3.distance_cut(elsewhere(FAR), month_of("2025-01")) == approx([air.distance_cut[3]])


def test_C3_an_earlier_opening_counts_only_until_the_usual_one():
    """C3 with months_earlier = 24: the Yinchuan line (due 2026-12, built anyway) counts for C3
    from 2024-12 to 2026-11; from 2026-12 on it is N1's, so C3 and N1 together give the line's
    cut once, from the earlier opening on."""
    c3, n1, line = measure("C3", months_earlier=24), measure("N1"), _line("baotou_yinchuan")
    home = elsewhere(HOME_REGION)
    cut = line.distance_cut[1]
    for when, c3_cut, n1_cut in (
        (line.opening - 25, 0, 0),
        (line.opening - 24, cut, 0),
        (line.opening - 1, cut, 0),
        (line.opening, 0, cut),
    ):
        assert c3.distance_cut(home, month_of(when)) == approx([c3_cut]), when
        assert n1.distance_cut(home, month_of(when)) == approx([n1_cut]), when


def test_N1_lines_built_anyway_count_from_their_opening_in_every_scenario():
    """N1: each line built anyway brings its origin groups nearer from its own opening month:
    nothing in 2022 (none ran), the Beijing trains from 2023-07, the Yinchuan line added from
    2026-12, the Xi'an line from 2028-12; every scenario has it (the baseline switches it on),
    it is not a lever, and it books the city's share of the Yinchuan line (6 years of building
    from 2020-12) in 2021."""
    n1 = measure("N1")
    assert not n1.lever and n1.lasting and "N1" in load("baseline").enabled_measures()
    out = elsewhere(FAR, NEAR, HOME_REGION)
    expected = np.zeros(3)
    assert n1.distance_cut(out, month_of("2022-12")) == approx(expected)
    for lid in ("beijing_frequency", "baotou_yinchuan", "baotou_ordos_yulin"):
        line = _line(lid)
        assert line.built_anyway
        assert n1.distance_cut(out, month_of(line.opening - 1)) == approx(expected), lid
        expected = expected + line.distance_cut[[3, 2, 1]]
        assert n1.distance_cut(out, month_of(line.opening)) == approx(expected), lid
    assert n1.distance_cut(out, month_of("2035-12")) == approx(expected)
    yinchuan = _line("baotou_yinchuan")
    for when in range(month_index("2021-01"), month_index("2022-01")):
        n1.upkeep(month_of(when), People())
    assert n1.spent == approx(12 * yinchuan.city_share / yinchuan.build_months)


def test_there_is_a_case_for_every_measure():
    """Each of the 26 measures, and N1, has at least one case test above, named after its id."""
    names = {name for name in globals() if name.startswith("test_")}
    assert {mid for mid in MEASURE_CLASSES if not any(n.startswith(f"test_{mid}_") for n in names)} == set()


# ================================================================ the package


class _SchoolPlaces(Measure):
    """A stand-in measure giving every chooser a fixed chance of a school place."""

    def __init__(self, access: float) -> None:
        super().__init__(config("C2"), 1.0)
        self.access = access

    def offer(self, ch, month, people):
        offer = Offer.empty(len(ch))
        offer.school_access = np.full(len(ch), self.access)
        return offer


def test_package_school_access_is_the_chance_that_at_least_one_gives_a_place():
    """Package: school access combines as 1 - (1 - a1)(1 - a2): chances 0.3 and 0.5 give 0.65,
    not 0.8; money adds up (S2 and S3, with what-if values, for a mover of 45 without hukou)."""
    month = month_of(MARCH)
    out = elsewhere({"age": 45, "kids_ages": (8,)})
    total, parts = Package({"a": _SchoolPlaces(0.3), "b": _SchoolPlaces(0.5)}).offers(out, month, People())
    assert total.school_access == approx([1 - 0.7 * 0.5])
    assert set(parts) == {"a", "b"}
    s2, s3 = measure("S2", **WHAT_IF["S2"]), measure("S3", **WHAT_IF["S3"])
    total, _ = Package({"S2": s2, "S3": s3}).offers(out, month, People())
    assert total.money == approx([1000.0 + 2000.0])


def test_package_asks_only_measures_in_force_and_lasting_ones():
    """Package: after the 2022 package's window (2023-10) choosers are offered only what lasts
    (C1's amenity, at its 12 months built); C2 is no longer asked. Before the window C1 is asked
    but nothing is built yet. Monthly, deliver runs only in force (T1 pays nothing after), while
    upkeep runs on for benefits granted (T2's posts are still paid)."""
    package = build(scenario(), weight=1.0)
    out = elsewhere({})
    _, during = package.offers(out, month_of(MARCH), People())
    assert {"C1", "C2", "H1", "S2"} <= set(during)
    total, after = package.offers(out, month_of("2024-06"), People())
    c1 = package["C1"].p
    assert set(after) == {"C1"}
    assert total.utility == approx([c1["utility"] * 12 / (12 * c1["ramp_years"])])
    assert total.money == approx([0]) and total.job_finding == approx([0])
    _, before = package.offers(out, month_of("2022-06"), People())
    assert set(before) == {"C1"} and before["C1"].utility == approx([0])

    people = People()
    talent, _, _ = _talent_and_others(people)
    package["T2"].on_extra_talent(talent[:1], people)
    package.monthly(month_of("2024-06"), people)
    assert package["T1"].spent == 0
    assert package["T2"].spent == approx(package["T2"].p["cost_per_post"] / 12)


def test_package_scalar_hooks_combine_by_product_and_highest():
    """Package: fertility multipliers multiply (F1 alone: its multiplier), hukou take-up and
    insurance coverage take the highest, extra talent offers add; outside the window all are
    neutral (1 or 0)."""
    package = build(scenario(), weight=1.0)
    march, later = month_of(MARCH), month_of("2024-06")
    assert package.fertility_multiplier(march) == approx(package["F1"].p["fertility_multiplier"])
    assert package.hukou_takeup_rate(march) == package["K1"].p["takeup_rate"]
    assert package.social_insurance_coverage(march) == package["S1"].p["coverage"]
    assert package.extra_talent_offers(march) == package["T2"].p["extra_offers"]
    assert package.fertility_multiplier(later) == 1.0 and package.hukou_takeup_rate(later) == 0.0
    assert package.extra_talent_offers(later) == 0.0


def test_package_attributes_nothing_to_what_happens_anyway():
    """Package: in 2030 N1's lines run. With N1 alone no one is attributed and the chance of
    Baotou "without the package" is the chance with N1; with C3 too, that "without" is still
    N1's (the lines built anyway stay in it), and only C3 is attributed residents, as many as
    its airport routes add over N1."""
    month = month_of("2030-01")
    out = elsewhere(FAR, NEAR, HOME_REGION, {**FAR, "age": 45})
    network = np.zeros(len(Origin))
    n1, c3 = measure("N1"), measure("C3")
    alone = decide(out, "test", month, Package({"N1": n1}), People(), network)
    assert alone.p_baotou_without == approx(alone.p_baotou) and n1.attributed == 0
    nothing = decide(out, "test", month, Package({}), People(), network)
    assert (alone.p_baotou > nothing.p_baotou).all()  # the lines do bring Baotou nearer
    both = decide(out, "test", month, Package({"N1": measure("N1"), "C3": c3}), People(), network)
    assert both.p_baotou_without == approx(alone.p_baotou)
    assert (both.p_baotou[:2] > alone.p_baotou[:2]).all()  # the airport: far and neighbouring origins
    extra = (both.p_baotou - alone.p_baotou) * out.household_size * month.weight
    assert c3.attributed == approx(extra.sum())
