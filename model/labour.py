"""Jobs of people in Baotou: losing a job (a trigger for considering a move) and finding another."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.special import ndtri

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


def job_turnover(model: BaotouModel) -> None:
    """This month's job losses and job finds (people out of the labour force stay out).

    Each employed person has a month in which they lose their job, each unemployed person one in
    which they find another (``next_job_change``): a look-up this month, no draw per person.
    """
    people, month = model.people, model.month
    due = np.flatnonzero((people.job_change_month == month) & people.alive)
    lose, find = due[people.employed[due]], due[people.unemployed[due]]
    people.employed[lose] = False
    people.unemployed[lose] = True
    people.income[lose] = 0.0
    people.social_insurance[lose] = False  # contributions stop with the job (continuity breaks)
    people.provident_fund[lose] = False
    # A new job: a wage at today's level for their education, insurance at their kind's coverage.
    keys, pop = people.key[find], model.pop_params
    sigma = pop["wage_dispersion"]["value"]
    noise = np.exp(sigma * ndtri(model.uniform(keys, "wage")) - sigma**2 / 2)
    people.income[find] = model.now.wage[BAOTOU] * EDUCATION_PREMIUM[people.education[find]] * noise
    kind = people.kind[find]
    for column in ("social_insurance", "provident_fund"):
        coverage = np.asarray(pop[f"{column}_coverage"]["value"])[kind]
        people.column(column)[find] = model.uniform(keys, column) < coverage
    people.employed[find] = True
    people.unemployed[find] = False
    people.job_change_month[lose] = next_job_change(model, people.key[lose], np.zeros(lose.size, bool), month + 1)
    people.job_change_month[find] = next_job_change(model, keys, np.ones(find.size, bool), month + 1)
