"""Arrivals: outside candidates who choose Baotou, job offers to high-level talent, and the one
way anyone becomes an agent in Baotou from outside (``arrive``): with a job or looking for one,
a home, and the family members who come now; those who come later are queued
(``model/stages/families.py``).
"""

from __future__ import annotations

import numpy as np

from model.categories import Area, Education, Kind, Role, Sex, Tenure
from model.context import Month
from model.decisions.decide import decide
from model.draws.keyed import derive_keys, exponential, salt
from model.ledger import Ledger
from model.measures.package import Package
from model.people import divisions, households
from model.people.choosers import MAX_KIDS, Choosers, Family, outside
from model.people.employment import employment_rate
from model.people.store import People
from model.stages.families import PendingFamilies
from model.stages.labour import job_terms
from model.world.conditions import BAOTOU
from model.world.outside import CandidateFeed, by_kind, family


def clocks(month: Month, keys: np.ndarray) -> dict[str, np.ndarray]:
    """Exp(1) exposure to the death hazard for new agents, from their own keys (their other
    events are scheduled when those first come up)."""
    return {"death_clock": exponential(keys, month.seed, "death_clock")}


def work_values(
    month: Month,
    package: Package,
    keys: np.ndarray,
    age: np.ndarray,
    sex: np.ndarray,
    education: np.ndarray,
    kind: np.ndarray,
    working: np.ndarray,
    job_gain: np.ndarray,
) -> dict[str, np.ndarray]:
    """Job, income and insurance of people starting out in Baotou, drawn from their own keys.

    ``working``: they came to work (Harris–Todaro job finding, plus measures' gains); others
    (spouses) work at the usual rate for their age and sex. Those with a job start it on the
    terms of ``labour.job_terms`` (S1 raising insurance coverage while in force).
    """
    pop = month.population
    newcomer = np.clip(month.now.job_finding[BAOTOU] + job_gain, 0, 1)
    p_job = np.where(working, newcomer, employment_rate(pop, age, sex))
    of_age = age >= pop["employment_rate_male"]["bands"][0]
    employed = (month.draw(keys, "job") < p_job) & of_age
    searching = working & ~employed & of_age  # came to work but found none yet
    # They start after this month's job turnover; those looking for work get the month they find one.
    terms = job_terms(month, keys, education, kind, package.social_insurance_coverage(month), employed)
    return {
        "employed": employed,
        "unemployed": searching,
        "job_change_month": np.where(employed | searching, terms["job_change_month"], -1),
        "income": np.where(employed, terms["income"], 0.0),
        "social_insurance": employed & terms["social_insurance"],
        "provident_fund": employed & terms["provident_fund"],
    }


def newcomer_places(month: Month, keys: np.ndarray, main: np.ndarray) -> dict[str, np.ndarray]:
    """Division and urban residence of newcomers' households, from the heads' own keys.

    Those settling in the main urban area (``main``) take one of its four districts, the others
    one of the outlying districts, the county and the banners, each in proportion to its 2020
    population (data/districts.toml); the first live in towns, the others with the chance
    ``town_share_of_county_newcomers``.
    """
    urban_district = divisions.urban_district_mask()
    w = divisions.weights("newcomer_division_weights")
    u = month.draw(keys, "division")
    division = np.where(main, divisions.pick(u, urban_district, w), divisions.pick(u, ~urban_district, w)).astype(
        np.int8
    )
    town = month.draw(keys, "town") < month.behaviour["town_share_of_county_newcomers"]
    return {"division": division, "urban": main | town}


def arrive(
    people: People,
    month: Month,
    package: Package,
    ledger: Ledger,
    pending: PendingFamilies,
    ch: Choosers,
    fam: Family,
    job_gain: np.ndarray,
    bring_now: np.ndarray,
    household_ids: np.ndarray | None = None,
) -> np.ndarray:
    """Add arriving heads (and the family members who come now) as agents; returns head rows.

    Members who do not come now are queued to join later. With ``household_ids`` the arrivals
    join existing households (families joining) instead of founding new ones.
    """
    beh = month.behaviour
    n = len(ch)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    new_households = household_ids is None
    hh = people.new_household_ids(n) if household_ids is None else household_ids
    main = month.draw(ch.key, "area") < beh["main_urban_share_of_newcomers"]
    place = newcomer_places(month, ch.key, main)
    dormitory = (ch.kind == Kind.MIGRANT_WORKER) & (
        month.draw(ch.key, "dormitory") < beh["dormitory_share_of_migrant_workers"]
    )
    tenure = np.where(dormitory, Tenure.DORMITORY, Tenure.RENT)

    # Who comes now, in the order they become rows: heads (new households only), spouses, then
    # children by birth order. Each group's attributes are gathered and added in one go.
    groups: list[dict[str, np.ndarray]] = []

    def group(
        sel: np.ndarray,
        keys: np.ndarray,
        age: np.ndarray,
        sex: np.ndarray,
        education: np.ndarray,
        kind: np.ndarray,
        role: Role,
        working: np.ndarray,
        gain: np.ndarray,
    ) -> None:
        if sel.size:
            groups.append(
                {
                    "sel": sel,
                    "keys": keys,
                    "age": age,
                    "sex": sex,
                    "education": education,
                    "kind": kind,
                    "role": np.full(sel.size, role, dtype=np.int8),
                    "working": working,
                    "gain": gain,
                }
            )

    everyone = np.arange(n)
    if new_households:
        group(everyone, ch.key, ch.age, fam.head_sex, ch.education, ch.kind, Role.HEAD, np.ones(n, bool), job_gain)
    spouse = everyone[fam.couple & bring_now]
    if spouse.size:
        keys = derive_keys(ch.key[spouse], salt(0, "spouse"))
        sex = np.where(fam.head_sex[spouse] == Sex.MALE, Sex.FEMALE, Sex.MALE)
        gap = beh["spouse_age_gap"] * np.where(sex == Sex.MALE, 1, -1)
        age = np.maximum(ch.age[spouse] + gap, beh["legal_marriage_age"])
        group(
            spouse,
            keys,
            age,
            sex,
            ch.education[spouse],
            ch.kind[spouse],
            Role.SPOUSE,
            np.zeros(spouse.size, bool),
            job_gain[spouse],
        )
    for k in range(MAX_KIDS):
        sel = everyone[(fam.kids_ages[:, k] >= 0) & bring_now]
        if sel.size:
            keys = derive_keys(ch.key[sel], salt(k, "child"))
            sex = np.where(month.draw(keys, "sex_at_birth") < month.rates.male_share_of_births, Sex.MALE, Sex.FEMALE)
            group(
                sel,
                keys,
                fam.kids_ages[sel, k],
                sex,
                np.full(sel.size, Education.PRIMARY_OR_LESS),
                ch.kind[sel],
                Role.CHILD,
                np.zeros(sel.size, bool),
                np.zeros(sel.size),
            )
    if groups:
        g = {name: np.concatenate([x[name] for x in groups]) for name in groups[0]}
        sel, keys, age = g["sel"], g["keys"], g["age"]
        months = age * 12 + (month.draw(keys, "birth_month") * 12).astype(np.int64)
        values = work_values(month, package, keys, age, g["sex"], g["education"], g["kind"], g["working"], g["gain"])
        if not new_households:
            # Joiners take the household's housing and place, and its hukou: a spouse and
            # children may register with a head who holds Baotou hukou.
            head = households.head_of(people, hh[sel])
            t, area, hukou = people.tenure[head], people.area[head], people.hukou[head]
            division, urban = people.division[head], people.urban[head]
        else:
            t, area = tenure[sel], np.where(main[sel], Area.MAIN_URBAN, Area.OUTER)
            hukou = np.zeros(sel.size, dtype=bool)
            division, urban = place["division"][sel], place["urban"][sel]
        added = people.add(
            sel.size,
            key=keys,
            age_months=months,
            sex=g["sex"],
            household_id=hh[sel],
            role=g["role"],
            kind=g["kind"],
            education=g["education"],
            tenure=t,
            area=area,
            division=division,
            origin=ch.origin[sel],
            hukou=hukou,
            urban=urban,
            arrived=True,
            **values,
            **clocks(month, keys),
        )
        rows = np.arange(added.start, added.stop)
    else:
        rows = np.empty(0, dtype=np.int64)
    head_rows = rows[:n] if new_households else np.empty(0, dtype=np.int64)
    ledger.arrived(people, rows)
    later = everyone[~bring_now & (fam.couple | (fam.kids_ages >= 0).any(axis=1))]
    if new_households and later.size:
        wait = by_kind(beh, "family_join_months_by_kind", ch.kind[later])
        delay = 1 + exponential(ch.key[later], month.seed, "family_delay") * wait
        pending.add(
            month.index,
            month.index + delay.astype(np.int64),
            people.person_id[head_rows[later]],
            ch.subset(later),
            fam.subset(later),
        )
    return head_rows


def _settle(
    people: People,
    month: Month,
    package: Package,
    ledger: Ledger,
    pending: PendingFamilies,
    ch: Choosers,
    fam: Family,
    chosen: np.ndarray,
) -> np.ndarray:
    """Those who chose Baotou arrive; a share bring their family at once (T5 adds to it)."""
    sel = np.flatnonzero(chosen)
    if sel.size == 0:
        return sel
    sub = ch.subset(sel)
    gain = package.offers(sub, month, people)[0].job_finding
    extra = package.bring_family_gain(sub, month)
    share = by_kind(month.behaviour, "bring_family_share_by_kind", sub.kind)
    bring_now = month.draw(sub.key, "bring_family") < share + extra
    heads = arrive(people, month, package, ledger, pending, sub, fam.subset(sel), gain, bring_now)
    package.on_arrival(heads, month, people)
    return heads


def outside_arrivals(
    people: People, month: Month, package: Package, ledger: Ledger, pending: PendingFamilies, feed: CandidateFeed
) -> None:
    """This month's outside candidates choose among Baotou and the other destinations."""
    candidates = feed.take(month.index)
    n = len(candidates.choosers)
    ledger.count("candidates", n)
    if n == 0:
        return
    decision = decide(candidates.choosers, "candidate_choice", month, package, people, ledger.network())
    ledger.moved_elsewhere(decision.choice, candidates.choosers.household_size)
    _settle(people, month, package, ledger, pending, candidates.choosers, candidates.family, decision.choice == BAOTOU)


def _talent_candidates(rng: np.random.Generator, month: Month, n: int) -> tuple[np.ndarray, np.ndarray, Family]:
    beh = month.behaviour
    shares = np.asarray(beh["talent_origin_shares"])
    lo, hi = beh["talent_age_range"]
    age = rng.integers(int(lo), int(hi) + 1, n)
    origin = (1 + rng.choice(shares.size, n, p=shares / shares.sum())).astype(np.int8)
    return age, origin, family(rng, beh, month.population, age, np.full(n, Kind.TALENT, dtype=np.int8))


def talent_offers(people: People, month: Month, package: Package, ledger: Ledger, pending: PendingFamilies) -> None:
    """Job offers to high-level talent elsewhere (with T2's extra posts); accept or not, with family.

    The base offers and the extra ones come from separate streams, so the base offers are the
    same in every run with the same seed.
    """
    beh, streams = month.behaviour, month.streams
    extra = package.extra_talent_offers(month)
    n_base = streams["talent"].poisson(beh["talent_offers_per_year"] * month.agents_per_person / 12)
    n_extra = streams["talent_extra"].poisson(extra * month.agents_per_person / 12) if extra else 0
    parts = [_talent_candidates(streams["talent"], month, n_base)]
    if n_extra:
        parts.append(_talent_candidates(streams["talent_extra"], month, n_extra))
    n = n_base + n_extra
    if n == 0:
        return
    age = np.concatenate([p[0] for p in parts])
    origin = np.concatenate([p[1] for p in parts])
    fam = parts[0][2] if len(parts) == 1 else parts[0][2].concat(parts[1][2])
    keys = derive_keys(np.arange(n, dtype=np.uint64), salt(month.seed, "talent", month.index))
    keys[n_base:] = derive_keys(np.arange(n_extra, dtype=np.uint64), salt(month.seed, "talent_extra", month.index))
    kind = np.full(n, Kind.TALENT, dtype=np.int8)
    education = np.full(n, Education.POSTGRADUATE, dtype=np.int8)
    ch = outside(keys, age, education, kind, origin, fam.couple, fam.kids_ages, beh["main_urban_share_of_newcomers"])
    decision = decide(
        ch,
        "talent_choice",
        month,
        package,
        people,
        ledger.network(),
        only_baotou=True,
        constant=beh["talent_accept_constant"],
    )
    accepted = decision.choice == BAOTOU
    heads = _settle(people, month, package, ledger, pending, ch, fam, accepted)
    if n_extra:
        from_extra = np.flatnonzero(accepted) >= n_base  # heads come in the order of the accepted offers
        package.on_extra_talent(heads[from_extra], month, people)


def families_join(people: People, month: Month, package: Package, ledger: Ledger, pending: PendingFamilies) -> None:
    """Families left behind join heads who are still in Baotou; the rest stay away."""
    taken = pending.take_due(month.index)
    if taken is None:
        return
    waited, head_id, ch, fam = taken
    # They are older by the time they come.
    years = waited // 12
    ch.age = ch.age + years
    fam.kids_ages = np.where(fam.kids_ages >= 0, fam.kids_ages + years[:, None], -1)
    head_rows = households.rows_of_ids(people, head_id)
    here = head_rows >= 0
    if not here.any():
        return
    sel = np.flatnonzero(here)
    hh = people.household_id[head_rows[sel]]
    before = ledger.flows["in_migration"]
    arrive(
        people,
        month,
        package,
        ledger,
        pending,
        ch.subset(sel),
        fam.subset(sel),
        np.zeros(sel.size),
        np.ones(sel.size, bool),
        household_ids=hh,
    )
    ledger.count("families_joined", ledger.flows["in_migration"] - before)
