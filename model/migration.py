"""Who moves and how they decide: the shared decision, residents leaving, households arriving
and families joining later.

Every decision goes through ``decide``: the offers of the measures active this month are added
to Baotou's alternative, the nested logit gives the probabilities, the chooser's own draw picks
one, and the difference the measures made to the chance of living in Baotou is attributed to
them in proportion to the utility each added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.special import ndtri

from model import choice, consideration, labour
from model.categories import Area, Education, Kind, Role, Sex, Tenure
from model.choosers import Choosers
from model.conditions import BAOTOU
from model.rng import derive_keys, exponential, salt

if TYPE_CHECKING:
    from model.model import BaotouModel

MAX_KIDS = 3


@dataclass
class Decision:
    choice: np.ndarray  # destination index, -1 = stay
    p_baotou: np.ndarray  # chance of living in Baotou after deciding, with the measures
    p_baotou_without: np.ndarray  # the same with no measure


def combined_offer(model: BaotouModel, ch: Choosers) -> tuple[choice.Offer, dict[str, choice.Offer]]:
    """The sum of what every active measure offers, and each measure's own offer."""
    total = choice.Offer.empty(len(ch))
    parts: dict[str, choice.Offer] = {}
    no_access = np.ones(len(ch))
    for mid, measure in model.measures.items():
        if not (measure.active() or measure.lasting):
            continue
        offer = measure.offer(ch)
        if offer is None:
            continue
        total.money += offer.money
        total.utility += offer.utility
        total.job_finding += offer.job_finding
        no_access *= 1 - offer.school_access
        parts[mid] = offer
    total.school_access = 1 - no_access
    return total, parts


def _contributions(
    model: BaotouModel, ch: Choosers, total: choice.Offer, parts: dict[str, choice.Offer], income: np.ndarray
) -> dict[str, np.ndarray]:
    """Utility each measure adds to Baotou: the utility lost if it alone were taken away."""
    beh = model.beh
    b_y = beh["beta_income"]
    wage = model.now.wage[BAOTOU] * choice.EDUCATION_PREMIUM[ch.education]
    floor = beh["income_floor_share"] * wage
    old_rule = ch.hukou | (ch.social_insurance_months >= beh["school_access_months_pre_2022"])
    school = beh["school_access_value"] * b_y * ch.school_children * ~old_rule
    job_ok = ~(ch.in_baotou & ch.employed)  # the employed in Baotou already have a job
    if not parts:
        return {}
    # School access without one measure: the chance none of the others gives a place, as the
    # product of those before it and those after it (prefix and suffix products, not M^2 work).
    no_access = np.array([1 - offer.school_access for offer in parts.values()])
    ones = np.ones((1, len(ch)))
    before = np.cumprod(np.vstack([ones, no_access[:-1]]), axis=0)
    after = np.cumprod(np.vstack([no_access[1:], ones])[::-1], axis=0)[::-1]
    out = {}
    for i, (mid, offer) in enumerate(parts.items()):
        access_without = 1 - before[i] * after[i]
        out[mid] = offer.utility + school * (total.school_access - access_without)
        if offer.money.any() or offer.job_finding.any():  # otherwise income without it is the same
            without = np.maximum(income - offer.money - offer.job_finding * job_ok * wage, floor)
            out[mid] += b_y * (np.log(income) - np.log(without))
    return out


def decide(model: BaotouModel, ch: Choosers, name: str, only_baotou: bool = False, constant: float = 0.0) -> Decision:
    """Choose for every chooser; ``name`` keys the random draws of this kind of decision."""
    beh = model.beh
    offer, parts = combined_offer(model, ch)
    cut = sum((m.distance_cut(ch) for m in model.measures.values()), np.zeros(len(ch)))
    network = model.baotou_network()
    others = choice.Alternatives.of(ch, model.now, beh, only_baotou)

    def probs(o: choice.Offer, c: np.ndarray) -> tuple[choice.Probabilities, np.ndarray]:
        v, income = choice.baotou_utility(ch, model.now, beh, o, network, c)
        return others.probabilities(v + constant), income

    with_measures, income = probs(offer, cut)
    u_move = model.uniform(ch.key, f"{name}_move")
    moving = np.flatnonzero(u_move >= with_measures.stay)
    u_where = np.zeros(len(ch))  # only movers need the second draw
    u_where[moving] = model.uniform(ch.key[moving], f"{name}_where")
    chosen = choice.draw(with_measures, u_move, u_where)
    p_with = with_measures.baotou(ch)
    if parts or cut.any():
        p_without = probs(choice.Offer.empty(len(ch)), np.zeros(len(ch)))[0].baotou(ch)
        contributions = _contributions(model, ch, offer, parts, income)
        if cut.any() and "C3" in model.measures:
            contributions["C3"] = beh["distance_income_ratio"] * beh["beta_income"] * -np.log1p(-cut) * ~ch.in_baotou
        _attribute(model, ch, contributions, p_with - p_without)
    else:
        p_without = p_with
    return Decision(chosen, p_with, p_without)


def _attribute(model: BaotouModel, ch: Choosers, contributions: dict[str, np.ndarray], extra: np.ndarray) -> None:
    """Share each chooser's extra chance of living in Baotou among the measures, in proportion to
    the utility each added."""
    stacked = np.maximum(np.array(list(contributions.values())), 0.0)
    total = stacked.sum(axis=0)
    share = np.divide(stacked, total, out=np.zeros_like(stacked), where=total > 0)
    persons = extra * ch.household_size * model.weight
    for mid, s in zip(contributions, share, strict=True):
        model.measures[mid].attributed += float((persons * s).sum())


# ------------------------------------------------------------------------- residents leaving


def resident_departures(model: BaotouModel) -> None:
    """Heads and adult children consider moving (see ``consideration``), then choose; a head
    who leaves takes the household along."""
    people = model.people
    role = people.role
    considering = consideration.considering(model)
    if considering.size == 0:
        return
    ch = model.choosers_of(considering)
    decision = decide(model, ch, "resident_choice")
    moving = decision.choice >= 0
    leaving, destination = considering[moving], decision.choice[moving]
    is_head = role[leaving] == Role.HEAD
    heads, alone = leaving[is_head], leaving[~is_head]
    members = model.members_of(people.household_id[heads])
    # Each member goes where their head goes.
    order = np.argsort(people.household_id[heads])
    leaving_households, head_destination = people.household_id[heads][order], destination[is_head][order]
    with_head = head_destination[np.searchsorted(leaving_households, people.household_id[members])]
    on_own = ~np.isin(people.household_id[alone], leaving_households)  # not already leaving with their head
    model.depart(np.concatenate([members, alone[on_own]]), np.concatenate([with_head, destination[~is_head][on_own]]))


# ------------------------------------------------------------------------------- arrivals


@dataclass
class Family:
    """Who would come with each arriving chooser (arrays over choosers)."""

    head_sex: np.ndarray
    couple: np.ndarray
    kids_ages: np.ndarray  # (n, MAX_KIDS), -1 for none


def clocks(model: BaotouModel, keys: np.ndarray) -> dict[str, np.ndarray]:
    """Exp(1) exposure to the death hazard for new agents, from their own keys (their other
    events are scheduled when those first come up)."""
    return {"death_clock": exponential(keys, model.seed, "death_clock")}


def work_values(
    model: BaotouModel,
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
    (spouses) work at the usual rate for their age and sex.
    """
    pop = model.pop_params
    newcomer = np.clip(choice.JOB_FINDING[BAOTOU] + model.now.job_finding_shift + job_gain, 0, 1)
    p_job = np.where(working, newcomer, labour.employment_rate(pop, age, sex))
    of_age = age >= pop["employment_rate_male"]["bands"][0]
    employed = (model.uniform(keys, "job") < p_job) & of_age
    searching = working & ~employed & of_age  # came to work but found none yet
    sigma = pop["wage_dispersion"]["value"]
    noise = np.exp(sigma * ndtri(model.uniform(keys, "wage")) - sigma**2 / 2)
    income = np.where(employed, model.now.wage[BAOTOU] * choice.EDUCATION_PREMIUM[education] * noise, 0.0)
    coverage = np.asarray(pop["social_insurance_coverage"]["value"])[kind]
    coverage = np.maximum(coverage, max((m.social_insurance_coverage() for m in model.measures.values()), default=0.0))
    pf = np.asarray(pop["provident_fund_coverage"]["value"])[kind]
    month = model.month + 1  # they start after this month's job turnover
    return {
        "employed": employed,
        "unemployed": searching,
        "job_change_month": np.where(employed | searching, labour.next_job_change(model, keys, employed, month), -1),
        "income": income,
        "social_insurance": employed & (model.uniform(keys, "social_insurance") < coverage),
        "provident_fund": employed & (model.uniform(keys, "provident_fund") < pf),
    }


def arrive(
    model: BaotouModel,
    ch: Choosers,
    family: Family,
    job_gain: np.ndarray,
    bring_now: np.ndarray,
    household_ids: np.ndarray | None = None,
) -> np.ndarray:
    """Add arriving heads (and the family members who come now) as agents; returns head rows.

    Members who do not come now are queued to join later. With ``household_ids`` the arrivals
    join existing households (families joining) instead of founding new ones.
    """
    people, beh = model.people, model.beh
    n = len(ch)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    new_households = household_ids is None
    hh = model.new_household_ids(n) if new_households else household_ids
    main = model.uniform(ch.key, "area") < beh["main_urban_share_of_newcomers"]
    dormitory = (ch.kind == Kind.MIGRANT_WORKER) & (
        model.uniform(ch.key, "dormitory") < beh["dormitory_share_of_migrant_workers"]
    )
    tenure = np.where(dormitory, Tenure.DORMITORY, Tenure.RENT)
    common = {"urban": True}

    def add(sel: np.ndarray, keys, age, sex, education, kind, role, working, gain) -> np.ndarray:
        if sel.size == 0:
            return np.empty(0, dtype=np.int64)
        months = age * 12 + (model.uniform(keys, "birth_month") * 12).astype(np.int64)
        values = {**work_values(model, keys, age, sex, education, kind, working, gain), **clocks(model, keys)}
        if not new_households:
            # Joiners take the household's housing and place, and its hukou: a spouse and
            # children may register with a head who holds Baotou hukou.
            head_rows = model.head_of(hh[sel])
            t, area, hukou = people.tenure[head_rows], people.area[head_rows], people.hukou[head_rows]
        else:
            t, area = tenure[sel], np.where(main[sel], Area.MAIN_URBAN, Area.OUTER)
            hukou = np.zeros(sel.size, dtype=bool)
        rows = people.add(
            sel.size,
            key=keys,
            age_months=months,
            sex=sex,
            household_id=hh[sel],
            role=role,
            kind=kind,
            education=education,
            tenure=t,
            area=area,
            origin=ch.origin[sel],
            hukou=hukou,
            **common,
            **values,
        )
        return np.arange(rows.start, rows.stop)

    everyone = np.arange(n)
    if new_households:
        head_rows = add(
            everyone, ch.key, ch.age, family.head_sex, ch.education, ch.kind, Role.HEAD, np.ones(n, bool), job_gain
        )
    else:
        head_rows = np.empty(0, dtype=np.int64)
    came = np.empty(0, dtype=np.int64)
    spouse = everyone[family.couple & bring_now]
    if spouse.size:
        keys = derive_keys(ch.key[spouse], salt(0, "spouse"))
        sex = np.where(family.head_sex[spouse] == Sex.MALE, Sex.FEMALE, Sex.MALE)
        gap = beh["spouse_age_gap"] * np.where(sex == Sex.MALE, 1, -1)
        came = add(
            spouse,
            keys,
            np.maximum(ch.age[spouse] + gap, beh["legal_marriage_age"]),
            sex,
            ch.education[spouse],
            ch.kind[spouse],
            Role.SPOUSE,
            np.zeros(spouse.size, bool),
            job_gain[spouse],
        )
    kid_rows = []
    for k in range(MAX_KIDS):
        sel = everyone[(family.kids_ages[:, k] >= 0) & bring_now]
        if sel.size:
            keys = derive_keys(ch.key[sel], salt(k, "child"))
            sex = np.where(model.uniform(keys, "sex_at_birth") < model.rates.male_share_of_births, Sex.MALE, Sex.FEMALE)
            age = family.kids_ages[sel, k]
            kid_rows.append(
                add(
                    sel,
                    keys,
                    age,
                    sex,
                    np.full(sel.size, Education.PRIMARY_OR_LESS),
                    ch.kind[sel],
                    Role.CHILD,
                    np.zeros(sel.size, bool),
                    np.zeros(sel.size),
                )
            )
    rows = np.concatenate([head_rows, came, *kid_rows])
    model.count_in(rows)
    later = everyone[~bring_now & (family.couple | (family.kids_ages >= 0).any(axis=1))]
    if new_households and later.size:
        delay = 1 + exponential(ch.key[later], model.seed, "family_delay") * beh["family_join_months"]
        model.pending.add(
            model.month,
            model.month + delay.astype(np.int64),
            people.person_id[head_rows[later]],
            ch.subset(later),
            Family(family.head_sex[later], family.couple[later], family.kids_ages[later]),
        )
    return head_rows


class PendingFamilies:
    """Families left behind by arrivals, joining the head after a delay if the head is still here."""

    def __init__(self) -> None:
        self.decided = np.empty(0, dtype=np.int64)
        self.due = np.empty(0, dtype=np.int64)
        self.head_id = np.empty(0, dtype=np.int64)
        self.choosers: Choosers | None = None
        self.family: Family | None = None

    def __len__(self) -> int:
        return self.due.size

    def add(self, decided: int, due: np.ndarray, head_id: np.ndarray, ch: Choosers, family: Family) -> None:
        self.decided = np.concatenate([self.decided, np.full(due.size, decided)])
        self.due = np.concatenate([self.due, due])
        self.head_id = np.concatenate([self.head_id, head_id])
        if self.choosers is None:
            self.choosers, self.family = ch, family
        else:
            from dataclasses import fields

            self.choosers = Choosers(
                **{
                    f.name: np.concatenate([getattr(self.choosers, f.name), getattr(ch, f.name)])
                    for f in fields(Choosers)
                }
            )
            self.family = Family(
                *(
                    np.concatenate([getattr(self.family, f), getattr(family, f)])
                    for f in ("head_sex", "couple", "kids_ages")
                )
            )

    def take_due(self, month: int) -> tuple[np.ndarray, np.ndarray, Choosers, Family] | None:
        due = self.due <= month
        if not due.any() or self.choosers is None:
            return None
        keep = ~due
        out = (
            month - self.decided[due],
            self.head_id[due],
            self.choosers.subset(np.flatnonzero(due)),
            Family(self.family.head_sex[due], self.family.couple[due], self.family.kids_ages[due]),
        )
        self.decided, self.due, self.head_id = self.decided[keep], self.due[keep], self.head_id[keep]
        self.choosers = self.choosers.subset(np.flatnonzero(keep))
        self.family = Family(self.family.head_sex[keep], self.family.couple[keep], self.family.kids_ages[keep])
        return out


def families_join(model: BaotouModel) -> None:
    """Families left behind join heads who are still in Baotou; the rest stay away."""
    taken = model.pending.take_due(model.month)
    if taken is None:
        return
    waited, head_id, ch, family = taken
    # They are older by the time they come.
    years = waited // 12
    ch.age = ch.age + years
    family.kids_ages = np.where(family.kids_ages >= 0, family.kids_ages + years[:, None], -1)
    head_rows = model.rows_of_ids(head_id)
    here = head_rows >= 0
    if not here.any():
        return
    sel = np.flatnonzero(here)
    hh = model.people.household_id[head_rows[sel]]
    before = model.flows["in_migration"]
    arrive(
        model,
        ch.subset(sel),
        Family(family.head_sex[sel], family.couple[sel], family.kids_ages[sel]),
        np.zeros(sel.size),
        np.ones(sel.size, bool),
        household_ids=hh,
    )
    model.flows["families_joined"] += model.flows["in_migration"] - before
