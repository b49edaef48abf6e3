"""Coefficients derived from the evidence instead of set: the income coefficient of the
destination choice, from the total elasticity of inflow to the destination wage.

A gravity model's destination-wage elasticity (Gu, Lao, Wen & Zhao 2022: 1.65-2.18) is the
whole response of the number of people choosing a destination to its wage. In the nested logit
(``model/decisions/choice.py``) that response is the coefficient times two factors: Baotou's
chance within the move nest moves by about (1 - s) / lambda per unit of utility (s, Baotou's
share of the nest, is small for people elsewhere), and ln(expected net income) moves by
gross / net times ln(wage), because the rent is subtracted. So the coefficient that reproduces
the evidence's elasticity is

    beta_income = wage_elasticity_of_inflow x nest_lambda / (gross / net),

with gross / net from the data: a newcomer's expected earnings in Baotou in 2020 at the average
wage (``regions.toml`` job_finding x wage_2020) over the same less the rent (rent_2020). A
scenario that changes ``nest_lambda`` keeps the total elasticity; one that sets
``beta_income`` itself takes it as given (the derivation is then not used).

The distance coefficient follows from the income-distance trade-off (Zhang & Zhao 2013: 10 %
further needs 15 % more income, ``distance_income_ratio``). Their income is earnings, not
earnings net of rent, so the ratio applies to the coefficient on ln(wage), beta_income x
gross / net: the model's distance elasticity is then about the ratio times its wage elasticity.
``python -m model elasticities`` measures the elasticities on the model's own choices.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from model import params

DERIVED = ("beta_income",)  # behaviour keys whose unset value is derived here


@cache
def gross_to_net() -> float:
    """Baotou's 2020 expected earnings of a newcomer at the average wage over the same net of
    rent: how much more ln(expected net income) moves than ln(wage)."""
    regions = params.load("regions")
    baotou = regions["destinations"]["value"].index("baotou")
    gross = regions["job_finding"]["value"][baotou] * regions["wage_2020"]["value"][baotou]
    return float(gross / (gross - regions["rent_2020"]["value"][baotou]))


def income_coefficient(beh: Mapping[str, Any]) -> float:
    """The coefficient on ln(expected net income) that gives the wage elasticity of inflow."""
    return float(beh["wage_elasticity_of_inflow"] * beh["nest_lambda"] / gross_to_net())


def distance_coefficient(beh: Mapping[str, Any]) -> float:
    """The coefficient on ln(1 + km): the trade-off ratio times the coefficient on ln(wage)."""
    return float(beh["distance_income_ratio"] * beh["beta_income"] * gross_to_net())


def resolve(beh: Mapping[str, Any]) -> dict[str, Any]:
    """The behaviour with its derived keys filled in where the scenario leaves them unset."""
    out = dict(beh)
    if out.get("beta_income") is None:
        out["beta_income"] = income_coefficient(out)
    return out
