"""Jobs of people in Baotou: joining and leaving the labour force with age, losing a job (a
trigger for considering a move) and finding another."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.special import ndtri

from model.context import Month
from model.decisions.choice import EDUCATION_PREMIUM
from model.draws.keyed import uniform
from model.people.employment import employment_rate
from model.people.store import NEVER, People
from model.world.conditions import BAOTOU


def next_job_change(month: Month, keys: np.ndarray, employed: np.ndarray, first_month: int) -> np.ndarray:
    """Month in which each person next loses their job (``employed``) or finds one (otherwise).

    An event time instead of a draw per person per month: with a monthly chance
    ``1 - exp(-rate / 12)`` from ``first_month`` on, the number of months survived is
    ``floor(E / (rate / 12))`` for ``E ~ Exp(1)``, the same distribution. Drawn from the person's
    key and the month the spell starts, so it is the same in every scenario run with the seed.
    The hazard of finding a job is that of the month the spell starts: ``reemployment_rate``
    scaled with labour demand (``MonthConditions.reemployment_factor``).
    """
    monthly = np.where(employed, job_loss_rate(month), reemployment_rate(month)) / 12
    exposure = -np.log(uniform(keys, month.seed, "job_change", first_month))
    return (first_month + np.minimum(np.floor(exposure / monthly), NEVER - first_month)).astype(np.int32)


def job_loss_rate(month: Month) -> float:
    """Yearly hazard that an employed person in Baotou loses their job."""
    return float(month.behaviour["job_loss_rate"])


def reemployment_rate(month: Month) -> float:
    """Yearly hazard that an unemployed person in Baotou finds a job this month: the behaviour's
    rate (2020-2022) times the odds of employment against then, so that the steady state
    job loss / (job loss + re-employment) moves with Baotou's unemployment rate."""
    return float(month.behaviour["reemployment_rate"] * month.now.reemployment_factor)


def steady_unemployment(month: Month) -> float:
    """The share of the labour force out of work that this month's two hazards keep."""
    return job_loss_rate(month) / (job_loss_rate(month) + reemployment_rate(month))


def census_unemployment(people: People, month: Month) -> None:
    """At the census, a share of the people in work are between jobs: the steady state of the
    job-loss and re-employment hazards. Everyone in the labour force gets the month of their
    next job loss or job find."""
    working = np.flatnonzero(people.employed)
    share = steady_unemployment(month)
    _stop_work(people, working[month.draw(people.key[working], "census_unemployed") < share], searching=True)
    in_force = np.flatnonzero(people.employed | people.unemployed)
    people.job_change_month[in_force] = next_job_change(
        month, people.key[in_force], people.employed[in_force], month.index
    )


def labour_force_by_age(people: People, month: Month) -> None:
    """On the birthday that takes them into a new age band, people join or leave the labour
    force, so that each band keeps the share in work of ``employment_rate``: where it rises from
    the band before, that share of those out of the labour force start a job
    ((now - before) / (1 - before)); where it falls, that share of those in it retire
    ((before - now) / before). Students join when they graduate.

    The rate changes only between bands, so each person carries the month of their next band
    birthday (``labour_review_month``) instead of everyone being looked at each month.
    """
    pop, now = month.population, month.index
    due = np.flatnonzero(people.labour_review_month <= now)  # also those not scheduled yet (-1)
    new = due[people.labour_review_month[due] < 0]
    people.labour_review_month[new] = _next_band_birthday(pop, people.age_months[new], now, this_one=True)
    rows = due[(people.labour_review_month[due] == now) & people.alive[due]]
    people.labour_review_month[rows] = _next_band_birthday(pop, people.age_months[rows], now, this_one=False)
    rows = rows[people.study_months[rows] < 0]
    age, sex, hukou = people.age_months[rows] // 12, people.sex[rows], people.hukou[rows]
    rate, before = employment_rate(pop, age, sex, hukou), employment_rate(pop, age - 1, sex, hukou)
    in_force = people.employed[rows] | people.unemployed[rows]
    u = month.draw(people.key[rows], "labour_force")
    with np.errstate(divide="ignore", invalid="ignore"):
        join = ~in_force & (rate > before) & (u * (1 - before) < rate - before)
        leave = in_force & (rate < before) & (u * before < before - rate)
    start_jobs(people, month, rows[join])
    _stop_work(people, rows[leave], searching=False)
    people.job_change_month[rows[leave]] = -1


def _next_band_birthday(pop: Mapping[str, Any], age_months: np.ndarray, month: int, this_one: bool) -> np.ndarray:
    """Month of the next birthday on which the employment rate's age band changes (NEVER after
    the last band); ``this_one``: a band birthday this very month counts."""
    starts = np.union1d(pop["employment_rate_male"]["bands"], pop["employment_rate_female"]["bands"]) * 12
    at = np.searchsorted(starts, age_months, side="left" if this_one else "right")
    ahead = starts[np.minimum(at, starts.size - 1)] - age_months
    return np.where(at < starts.size, month + ahead, NEVER).astype(np.int32)


def _stop_work(people: People, rows: np.ndarray, searching: bool) -> None:
    """Out of work: looking for another job (``searching``) or out of the labour force."""
    people.employed[rows] = False
    people.unemployed[rows] = searching
    people.income[rows] = 0.0
    people.social_insurance[rows] = False  # contributions stop with the job (continuity breaks)
    people.provident_fund[rows] = False


def job_terms(
    month: Month,
    keys: np.ndarray,
    education: np.ndarray,
    kind: np.ndarray,
    insured_floor: float = 0.0,
    employed: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """The one rule for starting a job: a wage at today's level for the education (with the
    person's own dispersion), social insurance and provident-fund contributions at the kind's
    coverage (at least ``insured_floor``: S1 for newcomers), and the month the job will be lost
    (or, for those not ``employed``, found). Drawn from the person's keys, so the same in every
    scenario run with the seed."""
    pop = month.population
    sigma = pop["wage_dispersion"]["value"]
    noise = np.exp(sigma * ndtri(month.draw(keys, "wage")) - sigma**2 / 2)
    coverage = np.asarray(pop["social_insurance_coverage"]["value"])[kind]
    if insured_floor:
        coverage = np.maximum(coverage, insured_floor)
    pf = np.asarray(pop["provident_fund_coverage"]["value"])[kind]
    return {
        "income": month.now.wage[BAOTOU] * EDUCATION_PREMIUM[education] * noise,
        "social_insurance": month.draw(keys, "social_insurance") < coverage,
        "provident_fund": month.draw(keys, "provident_fund") < pf,
        "job_change_month": next_job_change(
            month, keys, np.ones(keys.size, bool) if employed is None else employed, month.index + 1
        ),
    }


def start_jobs(people: People, month: Month, rows: np.ndarray) -> None:
    """People in Baotou start a new job (``job_terms``)."""
    terms = job_terms(month, people.key[rows], people.education[rows], people.kind[rows])
    for column, value in terms.items():
        people.column(column)[rows] = value
    people.employed[rows] = True
    people.unemployed[rows] = False


def job_turnover(people: People, month: Month) -> None:
    """This month's job losses and job finds among the labour force.

    Each employed person has a month in which they lose their job, each unemployed person one in
    which they find another (``next_job_change``): a look-up this month, no draw per person.
    """
    now = month.index
    due = np.flatnonzero((people.job_change_month == now) & people.alive)
    lose, find = due[people.employed[due]], due[people.unemployed[due]]
    _stop_work(people, lose, searching=True)
    people.job_change_month[lose] = next_job_change(month, people.key[lose], np.zeros(lose.size, bool), now + 1)
    start_jobs(people, month, find)
