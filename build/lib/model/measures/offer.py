"""What the measures give a chooser in Baotou, in the terms the destination choice uses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from model.people.choosers import Choosers


@dataclass
class Offer:
    """What measures give a chooser in Baotou (arrays over choosers)."""

    money: np.ndarray  # yuan a year
    utility: np.ndarray
    job_finding: np.ndarray  # added probability
    school_access: np.ndarray  # chance that children of compulsory-school age get public school places (0-1)

    @classmethod
    def empty(cls, n: int) -> Offer:
        return cls(np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n))


def money_offer(ch: Choosers, yuan: np.ndarray) -> Offer:
    offer = Offer.empty(len(ch))
    offer.money = np.asarray(yuan, dtype=float)
    return offer


def utility_offer(ch: Choosers, utility: np.ndarray) -> Offer:
    offer = Offer.empty(len(ch))
    offer.utility = np.asarray(utility, dtype=float)
    return offer


def school_place_before_2022(
    hukou: np.ndarray, social_insurance_months: np.ndarray, beh: Mapping[str, Any]
) -> np.ndarray:
    """The rule before the package: children without Baotou hukou got a public school place only
    if a parent had paid social insurance for ``school_access_months_pre_2022`` months."""
    return hukou | (social_insurance_months >= beh["school_access_months_pre_2022"])
