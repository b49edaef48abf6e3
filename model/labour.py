"""Jobs of people in Baotou: losing a job (a trigger for considering a move) and finding another."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.special import ndtri

from model.choice import EDUCATION_PREMIUM
from model.conditions import BAOTOU

if TYPE_CHECKING:
    from model.model import BaotouModel


def job_turnover(model: BaotouModel) -> None:
    """Each month some of the employed lose their job and some of the unemployed find one.

    Drawn from each person's own key, so the same people lose jobs in every scenario run with
    the same seed. People out of the labour force (neither employed nor unemployed) stay out.
    """
    people, beh = model.people, model.beh
    employed = np.flatnonzero(people.alive & people.employed)
    lose = employed[model.uniform(people.key[employed], "job_loss") < -np.expm1(-beh["job_loss_rate"] / 12)]
    searching = np.flatnonzero(people.alive & people.unemployed)
    find = searching[model.uniform(people.key[searching], "reemployment") < -np.expm1(-beh["reemployment_rate"] / 12)]
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
