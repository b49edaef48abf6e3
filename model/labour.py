"""Jobs of people in Baotou: joining and leaving the labour force with age, losing a job (a
trigger for considering a move) and finding another."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.special import ndtri

from model.categories import Sex
from model.choice import EDUCATION_PREMIUM
from model.conditions import BAOTOU
from model.population import NEVER
from model.rng import uniform

if TYPE_CHECKING:
    from model.model import BaotouModel


def next_job_change(model: BaotouModel, keys: np.ndarray, employed: np.ndarray, first_month: int) -> np.ndarray:
    """Month in which each person next loses their job (``employed``) or finds one (otherwise).

    An event time instead of a draw per person per month: with a monthly chance
    ``1 - exp(-rate / 12)`` from ``first_month`` on, the number of months survived is
    ``floor(E / (rate / 12))`` for ``E ~ Exp(1)``, the same distribution. Drawn from the person's
    key and the month the spell starts, so it is the same in every scenario run with the seed.
    """
    beh = model.beh
    monthly = np.where(employed, beh["job_loss_rate"], beh["reemployment_rate"]) / 12
    exposure = -np.log(uniform(keys, model.seed, "job_change", first_month))
    return (first_month + np.minimum(np.floor(exposure / monthly), NEVER - first_month)).astype(np.int32)


def employment_rate(pop: dict, age: np.ndarray, sex: np.ndarray, hukou: np.ndarray | None = None) -> np.ndarray:
    """Share in work by age band and sex (``population.toml``); with ``hukou``, raised for people
    without it, who are in Baotou mostly to work (``migrant_employment_uplift``)."""
    idx = {s: np.searchsorted(pop[f"employment_rate_{s}"]["bands"], age, side="right") - 1 for s in ("male", "female")}
    rate = {
        s: np.where(i >= 0, np.asarray(pop[f"employment_rate_{s}"]["value"])[np.maximum(i, 0)], 0.0)
        for s, i in idx.items()
    }
    out = np.where(sex == Sex.MALE, rate["male"], rate["female"])
    if hukou is not None:
        uplift = pop["migrant_employment_uplift"]
        out = np.where(hukou, out, np.minimum(out * uplift["value"], uplift["cap"]))
    return out


def census_unemployment(model: BaotouModel) -> None:
    """At the census, a share of the people in work are between jobs: the steady state of the
    job-loss and re-employment hazards. Everyone in the labour force gets the month of their
    next job loss or job find."""
    people, beh = model.people, model.beh
    working = np.flatnonzero(people.employed)
    share = beh["job_loss_rate"] / (beh["job_loss_rate"] + beh["reemployment_rate"])
    _stop_work(people, working[model.uniform(people.key[working], "census_unemployed") < share], searching=True)
    in_force = np.flatnonzero(people.employed | people.unemployed)
    people.job_change_month[in_force] = next_job_change(
        model, people.key[in_force], people.employed[in_force], model.month
    )


def labour_force_by_age(model: BaotouModel) -> None:
    """On the birthday that takes them into a new age band, people join or leave the labour
    force, so that each band keeps the share in work of ``employment_rate``: where it rises from
    the band before, that share of those out of the labour force start a job
    ((now - before) / (1 - before)); where it falls, that share of those in it retire
    ((before - now) / before). Students join when they graduate.

    The rate changes only between bands, so each person carries the month of their next band
    birthday (``labour_review_month``) instead of everyone being looked at each month.
    """
    people, pop, month = model.people, model.pop_params, model.month
    due = np.flatnonzero(people.labour_review_month <= month)  # also those not scheduled yet (-1)
    new = due[people.labour_review_month[due] < 0]
    people.labour_review_month[new] = _next_band_birthday(pop, people.age_months[new], month, this_one=True)
    rows = due[(people.labour_review_month[due] == month) & people.alive[due]]
    people.labour_review_month[rows] = _next_band_birthday(pop, people.age_months[rows], month, this_one=False)
    rows = rows[people.study_months[rows] < 0]
    age, sex, hukou = people.age_months[rows] // 12, people.sex[rows], people.hukou[rows]
    now, before = employment_rate(pop, age, sex, hukou), employment_rate(pop, age - 1, sex, hukou)
    in_force = people.employed[rows] | people.unemployed[rows]
    u = model.uniform(people.key[rows], "labour_force")
    with np.errstate(divide="ignore", invalid="ignore"):
        join = ~in_force & (now > before) & (u * (1 - before) < now - before)
        leave = in_force & (now < before) & (u * before < before - now)
    _start_jobs(model, rows[join])
    _stop_work(people, rows[leave], searching=False)
    people.job_change_month[rows[leave]] = -1


def _next_band_birthday(pop: dict, age_months: np.ndarray, month: int, this_one: bool) -> np.ndarray:
    """Month of the next birthday on which the employment rate's age band changes (NEVER after
    the last band); ``this_one``: a band birthday this very month counts."""
    starts = np.union1d(pop["employment_rate_male"]["bands"], pop["employment_rate_female"]["bands"]) * 12
    at = np.searchsorted(starts, age_months, side="left" if this_one else "right")
    ahead = starts[np.minimum(at, starts.size - 1)] - age_months
    return np.where(at < starts.size, month + ahead, NEVER).astype(np.int32)


def _stop_work(people, rows: np.ndarray, searching: bool) -> None:
    """Out of work: looking for another job (``searching``) or out of the labour force."""
    people.employed[rows] = False
    people.unemployed[rows] = searching
    people.income[rows] = 0.0
    people.social_insurance[rows] = False  # contributions stop with the job (continuity breaks)
    people.provident_fund[rows] = False


def _start_jobs(model: BaotouModel, rows: np.ndarray) -> None:
    """A new job: a wage at today's level for their education, insurance at their kind's
    coverage, and the month they will lose it."""
    people, pop = model.people, model.pop_params
    keys = people.key[rows]
    sigma = pop["wage_dispersion"]["value"]
    noise = np.exp(sigma * ndtri(model.uniform(keys, "wage")) - sigma**2 / 2)
    people.income[rows] = model.now.wage[BAOTOU] * EDUCATION_PREMIUM[people.education[rows]] * noise
    kind = people.kind[rows]
    for column in ("social_insurance", "provident_fund"):
        coverage = np.asarray(pop[f"{column}_coverage"]["value"])[kind]
        people.column(column)[rows] = model.uniform(keys, column) < coverage
    people.employed[rows] = True
    people.unemployed[rows] = False
    people.job_change_month[rows] = next_job_change(model, keys, np.ones(rows.size, bool), model.month + 1)


def job_turnover(model: BaotouModel) -> None:
    """This month's job losses and job finds among the labour force.

    Each employed person has a month in which they lose their job, each unemployed person one in
    which they find another (``next_job_change``): a look-up this month, no draw per person.
    """
    people, month = model.people, model.month
    due = np.flatnonzero((people.job_change_month == month) & people.alive)
    lose, find = due[people.employed[due]], due[people.unemployed[due]]
    _stop_work(people, lose, searching=True)
    people.job_change_month[lose] = next_job_change(model, people.key[lose], np.zeros(lose.size, bool), month + 1)
    _start_jobs(model, find)
