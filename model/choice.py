"""Random-utility destination choice: a nested logit over stay and move destinations.

Utility of destination j for chooser i (evidence file section 0):

    V_ij = beta_income * ln(expected net income_ij) + beta_population * ln(population_j / 1e6)
           + beta_network * ln(1 + same-origin stock_j / 1e6) + school access_ij * kids 6-15
           + place constants
           [move alternatives only:] - beta_distance * ln((1 + km_ij) / (1 + reference km)) + move constant

with expected net income = job-finding probability x wage x education premium - rent + the
yuan value of measures (Harris-Todaro). The stay alternative (Baotou for residents, home for
people elsewhere) is its own nest; the move destinations share a nest with dissimilarity lambda.
Measures act only on Baotou: as yuan, utility, job-finding probability or school access.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model import params
from model.categories import Origin
from model.choosers import Choosers
from model.conditions import BAOTOU, DESTINATIONS, HOME, MonthConditions

N_DEST = len(DESTINATIONS)
EDUCATION_PREMIUM = np.asarray(params.value("population", "wage_by_education"))
DISTANCE_KM = np.asarray(params.value("regions", "distance_km"), dtype=float)  # rows: origins 1..3, then Baotou
POPULATION = np.asarray(params.value("regions", "destination_population_2020"), dtype=float)
NETWORK = np.asarray(params.value("regions", "network_stock"), dtype=float)  # rows: origins 1..3
JOB_FINDING = np.asarray(params.value("regions", "job_finding"), dtype=float)
ORIGIN_POPULATION = np.asarray(params.value("regions", "origin_population_2020"), dtype=float)


@dataclass
class Offer:
    """What measures give a chooser in Baotou (arrays over choosers)."""

    money: np.ndarray  # yuan a year
    utility: np.ndarray
    job_finding: np.ndarray  # added probability
    school_access: np.ndarray  # chance that children 6-15 get public school places (0-1)

    @classmethod
    def empty(cls, n: int) -> Offer:
        return cls(np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n))


@dataclass
class Probabilities:
    stay: np.ndarray  # P(stay)
    dest: np.ndarray  # (n, N_DEST) unconditional probabilities of each move destination

    def baotou(self, ch: Choosers) -> np.ndarray:
        """P(living in Baotou after the decision)."""
        return np.where(ch.in_baotou, self.stay, self.dest[:, BAOTOU])


def _distance_row(ch: Choosers) -> np.ndarray:
    """Distances from each chooser's current place to every destination (km)."""
    rows = np.where(ch.in_baotou, 3, np.clip(ch.origin.astype(int) - 1, 0, 2))
    d = DISTANCE_KM[rows].copy()
    # Home for a non-hukou resident of Baotou is their origin: as far as Baotou is from it.
    back = ch.in_baotou & (ch.origin != Origin.BAOTOU)
    d[back, HOME] = DISTANCE_KM[np.clip(ch.origin[back].astype(int) - 1, 0, 2), BAOTOU]
    return d


@dataclass
class Utilities:
    v: np.ndarray  # (n, N_DEST) systematic utilities
    movable: np.ndarray  # (n, N_DEST) move destinations available
    stay_col: np.ndarray  # the stay alternative per chooser
    baotou_income: np.ndarray  # expected net income in Baotou, with the offers (yuan a year)


def utilities(
    ch: Choosers, cond: MonthConditions, beh: dict, offer: Offer, baotou_network: np.ndarray, distance_cut: np.ndarray
) -> Utilities:
    """Systematic utilities, availability and the stay alternative for each chooser.

    Place terms (income, population, network, schooling, constants) enter every alternative,
    staying included; distance and the cost of moving enter only the move alternatives.
    ``baotou_network``: persons in Baotou from each origin group (index Origin); ``distance_cut``:
    per chooser, the share by which the distance to Baotou shrinks (measure C3).
    """
    n = len(ch)
    premium = EDUCATION_PREMIUM[ch.education]
    origin_idx = np.clip(ch.origin.astype(int) - 1, 0, 2)
    from_baotou = ch.origin == Origin.BAOTOU
    wage = np.broadcast_to(cond.wage, (n, N_DEST)).copy()
    wage[:, HOME] = np.where(from_baotou, cond.wage[BAOTOU], cond.home_wage[origin_idx])
    p_emp = np.broadcast_to(JOB_FINDING, (n, N_DEST)).copy()
    newcomer_p = np.clip(p_emp[:, BAOTOU] + cond.job_finding_shift + offer.job_finding, 0, 1)
    p_emp[:, BAOTOU] = np.where(ch.in_baotou & ch.employed, 1.0, newcomer_p)
    rent = np.broadcast_to(cond.rent, (n, N_DEST)).copy()
    # Staying residents keep their housing: owners pay no rent, public and talent tenants less.
    stay_rent_share = np.asarray(beh["stay_rent_share_by_tenure"])[ch.tenure]
    rent[:, BAOTOU] = np.where(ch.in_baotou, rent[:, BAOTOU] * stay_rent_share, rent[:, BAOTOU])
    income = p_emp * wage * premium[:, None] - rent
    income[:, BAOTOU] += offer.money
    income = np.maximum(income, beh["income_floor_share"] * wage * premium[:, None])

    b_y = beh["beta_income"]
    v = b_y * np.log(income)
    school = beh["school_access_value"] * b_y * ch.school_children
    access = np.zeros((n, N_DEST))
    access[:, HOME] = 1.0  # children can always go to school where the family is registered
    # Before the package, non-hukou children needed a parent with months of social insurance.
    old_rule = ch.hukou | (ch.social_insurance_months >= beh["school_access_months_pre_2022"])
    access[:, BAOTOU] = np.where(old_rule, 1.0, offer.school_access)
    v += school[:, None] * access
    population = np.broadcast_to(np.log(np.maximum(POPULATION, 1.0) / 1e6), (n, N_DEST)).copy()
    population[:, HOME] = np.log(ORIGIN_POPULATION[origin_idx] / 1e6)
    stock = np.where(from_baotou[:, None], 0.0, NETWORK[origin_idx])  # no data on Baotou people elsewhere
    stock[:, BAOTOU] = baotou_network[ch.origin.astype(int)]
    stock[:, HOME] = 0.0  # home attachment is the home constant, not a migrant network
    v += beh["beta_population"] * population + beh["beta_network"] * np.log1p(stock / 1e6)
    v[:, BAOTOU] += offer.utility + beh["baotou_constant"] + np.where(ch.graduate, beh["graduate_stay_constant"], 0.0)
    v[:, HOME] += beh["home_constant"]

    km = _distance_row(ch)
    km[:, BAOTOU] *= 1 - distance_cut
    relative_km = np.log1p(km) - np.log1p(beh["reference_distance_km"])
    move = -beh["distance_income_ratio"] * b_y * relative_km + beh["move_constant"]

    stay_col = np.where(ch.in_baotou, BAOTOU, HOME)
    available = np.ones((n, N_DEST), dtype=bool)
    available[ch.in_baotou & from_baotou, HOME] = False  # home is Baotou itself
    is_stay = np.zeros((n, N_DEST), dtype=bool)
    is_stay[np.arange(n), stay_col] = True
    v = np.where(is_stay, v, v + move)
    return Utilities(v, available & ~is_stay, stay_col, income[:, BAOTOU])


def probabilities(v: np.ndarray, movable: np.ndarray, stay_col: np.ndarray, nest_lambda: float) -> Probabilities:
    """Nested logit: stay alone; the available move destinations in one nest."""
    rows = np.arange(v.shape[0])
    v_stay = v[rows, stay_col]
    scaled = np.where(movable, v / nest_lambda, -np.inf)
    top = scaled.max(axis=1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    expo = np.exp(scaled - top)
    inclusive = top[:, 0] + np.log(expo.sum(axis=1))
    move_v = nest_lambda * inclusive
    m = np.maximum(move_v, v_stay)
    p_move = np.exp(move_v - m) / (np.exp(move_v - m) + np.exp(v_stay - m))
    within = expo / expo.sum(axis=1, keepdims=True)
    return Probabilities(stay=1 - p_move, dest=p_move[:, None] * within)


def draw(p: Probabilities, u_move: np.ndarray, u_dest: np.ndarray) -> np.ndarray:
    """Chosen destination per chooser (-1 = stay): one draw for staying or moving, another for
    where within the move nest. Baotou comes first among move destinations, so a higher chance
    of Baotou only ever adds people to it for the same draws (common random numbers), and a
    measure that makes residents stay does not change where the others go."""
    moving = u_move >= p.stay
    p_move = np.maximum(1 - p.stay, 1e-300)
    order = [BAOTOU] + [j for j in range(N_DEST) if j != BAOTOU]
    within = p.dest[:, order] / p_move[:, None]
    cum = np.cumsum(within, axis=1)
    pick = np.minimum((u_dest[:, None] >= cum).sum(axis=1), len(order) - 1)
    # Rounding at the top end: fall back to the likeliest destination.
    pick = np.where(within[np.arange(pick.size), pick] > 0, pick, np.argmax(within, axis=1))
    return np.where(moving, np.asarray(order)[pick], -1)
