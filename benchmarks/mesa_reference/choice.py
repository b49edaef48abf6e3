"""The destination choice written out per chooser: the nested logit of ``model/decisions/choice.py``
(staying alone, the move destinations in one nest), in plain Python."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from .project import BAOTOU, BAOTOU_ROW, FROM_BAOTOU, HOME, N_DEST, N_ORIGIN_GROUPS, RENT, MonthConditions

SCHOOL_AGES = (6, 15)  # children of these ages make school access count (``choosers.py``'s kids_school)
PER_MILLION = 1e6  # populations and migrant stocks enter the utility in millions


@dataclass(slots=True)
class Chooser:
    """What the destination choice looks at (``model/people/choosers.py``; the baseline uses no more)."""

    in_baotou: bool
    origin: int
    education: int
    school_children: bool  # children 6-15 in the household (heads and outsiders only)
    employed: bool = False
    tenure: int = RENT
    hukou: bool = False
    social_insurance_months: int = 0
    graduate: bool = False  # deciding at graduation from a Baotou university


def logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


class DestinationChoice:
    """The choice model's parameters and this month's conditions as Python numbers."""

    def __init__(self, beh: dict, tables: dict[str, list], weight: float) -> None:
        self.beh, self.weight = beh, weight
        self.premium = tables["premium"]
        self.distance = tables["distance"]
        self.log_population = [math.log(max(x, 1.0) / PER_MILLION) for x in tables["population"]]
        self.log_origin_population = [math.log(x / PER_MILLION) for x in tables["origin_population"]]
        # The other destinations' stocks are all arrivals: the share that came within the
        # network's span, with stays exponential at the mean of Baotou's non-hukou residents.
        recent = 1.0 - math.exp(-round(12 * beh["network_recent_years"]) / 12 / tables["mean_stay_years"])
        self.network_stock = [[stock * recent for stock in row] for row in tables["network"]]
        self.stay_rent_share = list(beh["stay_rent_share_by_tenure"])
        # The income-distance trade-off is against earnings: the ratio times the coefficient on
        # ln(wage), which is the income coefficient times the gross-to-net factor.
        self.distance_coefficient = beh["distance_income_ratio"] * beh["beta_income"] * tables["gross_to_net"]

    def observe(self, now: MonthConditions, distance_cut: list[float] | None = None) -> None:
        """This month's wages, rents and newcomers' chances of a job, and the share by which the
        distance to Baotou shrinks for each origin group (lines built anyway)."""
        self.wage, self.home_wage, self.rent = now.wage.tolist(), now.home_wage.tolist(), now.rent.tolist()
        self.job_finding = now.job_finding.tolist()
        self.newcomer_job_finding = self.job_finding[BAOTOU]
        self.distance_cut = distance_cut or [0.0] * len(self.distance)

    def probabilities(
        self, c: Chooser, network: list[int], only_baotou: bool = False, constant: float = 0.0
    ) -> list[float]:
        """P of each destination; the chooser's stay alternative (Baotou for residents, home for
        others) holds P(stay). ``network``: agents in Baotou by origin group who arrived recently."""
        beh = self.beh
        b_y = beh["beta_income"]
        premium = self.premium[c.education]
        g = min(max(c.origin - 1, 0), N_ORIGIN_GROUPS - 1)
        from_baotou = c.origin == FROM_BAOTOU
        school = beh["school_access_value"] * b_y if c.school_children else 0.0
        floor = beh["income_floor_share"]

        def log_income(p_job: float, wage: float, rent: float) -> float:
            # Expected income (Harris–Todaro) net of rent, never below a floor share of the wage.
            return math.log(max(p_job * wage * premium - rent, floor * wage * premium))

        v = [0.0] * N_DEST
        for j in range(N_DEST):
            if j == BAOTOU:
                p_job = 1.0 if c.in_baotou and c.employed else self.newcomer_job_finding
                # Staying residents keep their housing: owners pay no rent, public and talent tenants less.
                rent = self.rent[BAOTOU] * (self.stay_rent_share[c.tenure] if c.in_baotou else 1.0)
                u = b_y * log_income(p_job, self.wage[BAOTOU], rent)
                # Before the package, non-hukou children needed a parent with months of insurance.
                if c.hukou or c.social_insurance_months >= beh["school_access_months_pre_2022"]:
                    u += school
                u += beh["beta_population"] * self.log_population[BAOTOU]
                u += beh["beta_network"] * math.log1p(network[c.origin] * self.weight / PER_MILLION)
                u += beh["baotou_constant"] + constant
                if c.graduate:
                    u += beh["graduate_stay_constant"]
            elif j == HOME:
                wage = self.wage[BAOTOU] if from_baotou else self.home_wage[g]
                # Children can always go to school where the family is registered.
                u = b_y * log_income(self.job_finding[j], wage, self.rent[j]) + school
                u += beh["beta_population"] * self.log_origin_population[g]
                u += beh["home_constant"]  # home attachment, not a migrant network
            else:
                u = b_y * log_income(self.job_finding[j], self.wage[j], self.rent[j])
                u += beh["beta_population"] * self.log_population[j]
                if not from_baotou:  # no data on Baotou people elsewhere
                    u += beh["beta_network"] * math.log1p(self.network_stock[g][j] / PER_MILLION)
            v[j] = u
        stay = BAOTOU if c.in_baotou else HOME
        movable = []
        for j in range(N_DEST):
            if j == stay or (only_baotou and j != BAOTOU) or (j == HOME and c.in_baotou and from_baotou):
                continue
            if c.in_baotou:  # home for a non-hukou resident is as far as Baotou is from their origin
                km = self.distance[g][BAOTOU] if j == HOME else self.distance[BAOTOU_ROW][j]
            else:
                km = self.distance[g][j] * (1 - self.distance_cut[c.origin] if j == BAOTOU else 1)
            relative_km = math.log1p(km) - math.log1p(beh["reference_distance_km"])
            v[j] += -self.distance_coefficient * relative_km + beh["move_constant"]
            movable.append(j)
        out = [0.0] * N_DEST
        if movable:
            lam = beh["nest_lambda"]
            top = max(v[j] / lam for j in movable)
            weights = [math.exp(v[j] / lam - top) for j in movable]
            total = sum(weights)
            p_move = logistic(lam * (top + math.log(total)) - v[stay])
            for j, w in zip(movable, weights, strict=True):
                out[j] = p_move * w / total
            out[stay] = 1.0 - p_move
        else:
            out[stay] = 1.0
        return out

    def choose(self, c: Chooser, network: list[int], rng: random.Random) -> int:
        """A resident's (or graduate's) destination; BAOTOU means staying."""
        u = rng.random()
        probs = self.probabilities(c, network)
        for j, p in enumerate(probs):
            u -= p
            if u < 0:
                return j
        return max(range(N_DEST), key=probs.__getitem__)  # rounding at the top end
