"""Random-utility destination choice: a nested logit over stay and move destinations.

Utility of destination j for chooser i (evidence file section 0):

    V_ij = beta_income * ln(expected net income_ij) + beta_population * ln(population_j / 1e6)
           + beta_network * ln(1 + recent same-origin arrivals_j / 1e6) + school access_ij * kids of school age
           + place constants
           [move alternatives only:] - beta_distance * ln((1 + km_ij) / (1 + reference km)) + move constant

with beta_income derived from the evidence's total wage elasticity of inflow
and beta_distance = distance_income_ratio x beta_income x gross / net (``model/coefficients.py``). The
network counts people from the chooser's origin group who came to the destination within the
last ``network_recent_years``: for Baotou counted from its people each month (the ledger's
``network``; Baotou's natives have none, since no one arrives from Baotou), for the other
destinations their data stocks times the share of a stock that arrived that recently.

with expected net income = job-finding probability x wage x education premium - rent + the
yuan value of measures (Harris-Todaro); the month's job-finding probabilities and wages carry
each destination's labour demand (``model/world/conditions.py``). The stay alternative (Baotou for residents, home for
people elsewhere) is its own nest; the move destinations share a nest with dissimilarity lambda.
Measures act only on Baotou: as yuan, utility, job-finding probability or school access.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import expit

from model import coefficients, params
from model.categories import Education, Origin
from model.measures.offer import Offer, school_place_before_2022
from model.people.choosers import Choosers
from model.world.conditions import BAOTOU, DESTINATIONS, HOME, MonthConditions

N_DEST = len(DESTINATIONS)
EDUCATION_PREMIUM = np.asarray(params.value("population", "wage_by_education"))
DISTANCE_KM = np.asarray(params.value("regions", "distance_km"), dtype=float)  # rows: origins 1..3, then Baotou
POPULATION = np.asarray(params.value("regions", "destination_population_2020"), dtype=float)
NETWORK = np.asarray(params.value("regions", "network_stock"), dtype=float)  # rows: origins 1..3
ORIGIN_POPULATION = np.asarray(params.value("regions", "origin_population_2020"), dtype=float)
MEAN_STAY_YEARS = float(params.value("population", "non_hukou_years_in_baotou"))


def network_months(beh: Mapping[str, Any]) -> int:
    """The network's span in whole months: arrivals within it count."""
    return round(12 * beh["network_recent_years"])


def recent_share(beh: Mapping[str, Any]) -> float:
    """The share of a destination's same-origin stock that arrived within the network's span,
    for the destinations whose stock is data (``regions.toml`` network_stock, all arrivals): with
    stays exponential at the mean of Baotou's non-hukou residents (``population.toml``), as the
    census population is drawn."""
    return float(-np.expm1(-network_months(beh) / 12 / MEAN_STAY_YEARS))


# Tables by origin group outside Baotou have a row per group (Origin 1..3); Baotou's own people
# (Origin 0) use the first group's, where a table needs a row at all.
OUTSIDE_ORIGINS = len(Origin) - 1
FROM_BAOTOU = OUTSIDE_ORIGINS  # DISTANCE_KM's last row: distances from Baotou


def _origin_row(origin: np.ndarray) -> np.ndarray:
    return np.clip(origin.astype(int) - 1, 0, OUTSIDE_ORIGINS - 1)


def _distance_row(ch: Choosers) -> np.ndarray:
    """Distances from each chooser's current place to every destination (km)."""
    # Rows of DISTANCE_KM: the origin groups outside Baotou (Origin 1..3), then Baotou itself.
    rows = np.where(ch.in_baotou, FROM_BAOTOU, _origin_row(ch.origin))
    d = DISTANCE_KM[rows].copy()
    # Home for a non-hukou resident of Baotou is their origin: as far as Baotou is from it.
    back = ch.in_baotou & (ch.origin != Origin.BAOTOU)
    d[back, HOME] = DISTANCE_KM[_origin_row(ch.origin[back]), BAOTOU]
    return d


def baotou_utility(
    ch: Choosers,
    cond: MonthConditions,
    beh: Mapping[str, Any],
    offer: Offer,
    baotou_network: np.ndarray,
    distance_cut: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Each chooser's utility of living in Baotou (with the cost of moving for those who live
    elsewhere), and their expected net income there with the offers (yuan a year).

    This is the only column that depends on the chooser beyond their profile (see ``Alternatives``):
    job, housing tenure, months of insurance, measures' offers. ``baotou_network``: persons in
    Baotou from each origin group (index Origin) who arrived recently (the ledger's
    ``network``); ``distance_cut``: per chooser, the share by which the distance to Baotou
    shrinks (measure C3).
    """
    premium = EDUCATION_PREMIUM[ch.education]
    wage = cond.wage[BAOTOU]
    newcomer_p = np.clip(cond.job_finding[BAOTOU] + offer.job_finding, 0, 1)
    p_emp = np.where(ch.in_baotou & ch.employed, 1.0, newcomer_p)
    # Staying residents keep their housing: owners pay no rent, public and talent tenants less.
    rent = cond.rent[BAOTOU] * np.where(ch.in_baotou, np.asarray(beh["stay_rent_share_by_tenure"])[ch.tenure], 1.0)
    income = p_emp * wage * premium - rent + offer.money
    income = np.maximum(income, beh["income_floor_share"] * wage * premium)
    b_y = beh["beta_income"]
    v = b_y * np.log(income)
    # Before the package, non-hukou children needed a parent with months of social insurance.
    old_rule = school_place_before_2022(ch.hukou, ch.social_insurance_months, beh)
    v += beh["school_access_value"] * b_y * ch.school_children * np.where(old_rule, 1.0, offer.school_access)
    population = np.log(max(POPULATION[BAOTOU], 1.0) / 1e6)
    v += beh["beta_population"] * population + beh["beta_network"] * np.log1p(
        baotou_network[ch.origin.astype(int)] / 1e6
    )
    v += offer.utility + beh["baotou_constant"] + np.where(ch.graduate, beh["graduate_stay_constant"], 0.0)
    km = DISTANCE_KM[_origin_row(ch.origin), BAOTOU] * (1 - distance_cut)
    move = _move_utility(km, beh)
    return np.where(ch.in_baotou, v, v + move), income


def _move_utility(km: np.ndarray, beh: Mapping[str, Any]) -> np.ndarray:
    """Distance and the cost of moving, which enter only the move alternatives."""
    relative_km = np.log1p(km) - np.log1p(beh["reference_distance_km"])
    return -coefficients.distance_coefficient(beh) * relative_km + beh["move_constant"]


def profile_utilities(ch: Choosers, cond: MonthConditions, beh: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Utilities of every destination but Baotou, and which of them are move alternatives.

    Place terms (income, population, network, schooling, constants) enter every alternative,
    staying included; distance and the cost of moving enter only the move alternatives. These
    depend on the chooser only through their profile (see ``Alternatives``). Returns ``v`` (n,
    N_DEST; the Baotou column unused) and ``movable`` (n, N_DEST; False in the Baotou column).
    """
    n = len(ch)
    premium = EDUCATION_PREMIUM[ch.education]
    origin_idx = _origin_row(ch.origin)
    from_baotou = ch.origin == Origin.BAOTOU
    wage = np.broadcast_to(cond.wage, (n, N_DEST)).copy()
    wage[:, HOME] = np.where(from_baotou, cond.wage[BAOTOU], cond.home_wage[origin_idx])
    income = cond.job_finding * wage * premium[:, None] - cond.rent
    income = np.maximum(income, beh["income_floor_share"] * wage * premium[:, None])
    b_y = beh["beta_income"]
    v = b_y * np.log(income)
    # Children can always go to school where the family is registered.
    v[:, HOME] += beh["school_access_value"] * b_y * ch.school_children
    population = np.broadcast_to(np.log(np.maximum(POPULATION, 1.0) / 1e6), (n, N_DEST)).copy()
    population[:, HOME] = np.log(ORIGIN_POPULATION[origin_idx] / 1e6)
    # Recent arrivals from the chooser's origin group; no data on Baotou people elsewhere.
    stock = np.where(from_baotou[:, None], 0.0, NETWORK[origin_idx] * recent_share(beh))
    stock[:, HOME] = 0.0  # home attachment is the home constant, not a migrant network
    v += beh["beta_population"] * population + beh["beta_network"] * np.log1p(stock / 1e6)
    v[:, HOME] += beh["home_constant"]

    stay_col = np.where(ch.in_baotou, BAOTOU, HOME)
    is_stay = np.zeros((n, N_DEST), dtype=bool)
    is_stay[np.arange(n), stay_col] = True
    v = np.where(is_stay, v, v + _move_utility(_distance_row(ch), beh))
    movable = ~is_stay
    movable[ch.in_baotou & from_baotou, HOME] = False  # home is Baotou itself
    movable[:, BAOTOU] = False
    return v, movable


@dataclass
class Probabilities:
    """Nested-logit choice probabilities: stay, or move (Baotou first, then the rest)."""

    stay: np.ndarray  # P(stay)
    baotou_within: np.ndarray  # P(Baotou | move); 0 where Baotou is where the chooser stays
    profile: np.ndarray  # each chooser's profile (row of ``rest_share``)
    rest_share: np.ndarray  # (profiles, N_DEST) P(destination | move, not Baotou); 0 for Baotou

    def baotou(self, ch: Choosers) -> np.ndarray:
        """P(living in Baotou after the decision)."""
        return np.where(ch.in_baotou, self.stay, (1 - self.stay) * self.baotou_within)

    def dest(self) -> np.ndarray:
        """(n, N_DEST) unconditional probability of moving to each destination."""
        move = 1 - self.stay
        out = (move * (1 - self.baotou_within))[:, None] * self.rest_share[self.profile]
        out[:, BAOTOU] = move * self.baotou_within
        return out


_N_PROFILES = 2 * len(Origin) * len(Education) * 2  # in Baotou or not x origin x education x school-age children


class Alternatives:
    """The destinations other than Baotou for a set of choosers, worked out once per profile.

    Every destination but Baotou looks the same to choosers with the same profile: living in
    Baotou or not, origin group, education and whether they have children of school age. So
    their utilities, and the nest's inclusive value over them, are computed for the few
    profiles present instead of for every chooser; only Baotou's utility is per chooser. The
    probabilities are the nested logit's, exactly, whatever the number of choosers.

    ``v``, ``movable``: (profiles, N_DEST) utilities of the destinations other than Baotou and
    whether each is a move alternative (the Baotou column is ignored); ``profile``: each
    chooser's row in them; ``in_baotou``: Baotou is the chooser's stay alternative (otherwise
    home is, and Baotou is a move alternative).
    """

    def __init__(
        self, v: np.ndarray, movable: np.ndarray, profile: np.ndarray, in_baotou: np.ndarray, nest_lambda: float
    ) -> None:
        self.v, self.profile, self.in_baotou, self.lam = v, profile, in_baotou, nest_lambda
        scaled = np.where(movable & (np.arange(N_DEST) != BAOTOU), v / nest_lambda, -np.inf)
        top = scaled.max(axis=1)
        top = np.where(np.isfinite(top), top, 0.0)
        expo = np.exp(scaled - top[:, None])
        total = expo.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.rest_inclusive = top + np.log(total)  # -inf where nothing but Baotou can be chosen
            self.rest_share = np.where(total[:, None] > 0, expo / total[:, None], 0.0)
        self.stay_v = v[profile, HOME]  # outsiders stay home; residents' stay is Baotou

    @classmethod
    def of(cls, ch: Choosers, cond: MonthConditions, beh: Mapping[str, Any], only_baotou: bool = False) -> Alternatives:
        """The alternatives these choosers face this month (``only_baotou``: Baotou or stay)."""
        code = ch.in_baotou.astype(np.intp) * len(Origin) + ch.origin
        code = (code * len(Education) + ch.education) * 2 + ch.school_children
        # Choosers with the same code share a profile; any one of them stands for it.
        representative = np.full(_N_PROFILES, -1, dtype=np.intp)
        representative[code] = np.arange(code.size)
        present = np.flatnonzero(representative >= 0)
        lookup = np.zeros(_N_PROFILES, dtype=np.intp)
        lookup[present] = np.arange(present.size)
        v, movable = profile_utilities(ch.subset(representative[present]), cond, beh)
        if only_baotou:
            movable[:] = False
        return cls(v, movable, lookup[code], ch.in_baotou, beh["nest_lambda"])

    def probabilities(self, v_baotou: np.ndarray) -> Probabilities:
        """Nested logit: staying alone; the available move destinations in one nest."""
        rest = self.rest_inclusive[self.profile]
        baotou_scaled = np.where(self.in_baotou, -np.inf, v_baotou / self.lam)
        inclusive = np.logaddexp(rest, baotou_scaled)
        v_stay = np.where(self.in_baotou, v_baotou, self.stay_v)
        with np.errstate(invalid="ignore"):
            p_move = expit(self.lam * inclusive - v_stay)
            within = np.where(np.isfinite(inclusive), np.exp(baotou_scaled - inclusive), 0.0)
        return Probabilities(1 - p_move, within, self.profile, self.rest_share)


def draw(p: Probabilities, u_move: np.ndarray, u_dest: np.ndarray) -> np.ndarray:
    """Chosen destination per chooser (-1 = stay): one draw for staying or moving, another for
    where within the move nest. Baotou comes first among move destinations, so a higher chance
    of Baotou only ever adds people to it for the same draws (common random numbers), and a
    measure that makes residents stay does not change where the others go."""
    moving = u_move >= p.stay
    to_baotou = moving & (u_dest < p.baotou_within)
    out = np.where(to_baotou, BAOTOU, -1)
    rest = np.flatnonzero(moving & ~to_baotou)
    if rest.size:
        u = (u_dest[rest] - p.baotou_within[rest]) / (1 - p.baotou_within[rest])
        share = p.rest_share[p.profile[rest]]
        pick = np.minimum((u[:, None] >= np.cumsum(share, axis=1)).sum(axis=1), N_DEST - 1)
        # Rounding at the top end: fall back to the likeliest destination.
        out[rest] = np.where(share[np.arange(rest.size), pick] > 0, pick, np.argmax(share, axis=1))
    return out
