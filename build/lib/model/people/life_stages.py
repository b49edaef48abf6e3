"""Ages of the life stages that the measures and the choice look at: children in childcare,
kindergarten and compulsory school, and the elderly (``population.toml``, with sources)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model import params


@dataclass(frozen=True)
class Ages:
    """Completed years ``first`` to ``last``, both included."""

    first: int
    last: int

    @classmethod
    def entry(cls, key: str) -> Ages:
        first, last = params.value("population", key)
        return cls(int(first), int(last))

    def years(self, age_years: np.ndarray) -> np.ndarray:
        return (age_years >= self.first) & (age_years <= self.last)

    def months(self, age_months: np.ndarray) -> np.ndarray:
        """The same ages from age in completed months."""
        return (age_months >= 12 * self.first) & (age_months < 12 * (self.last + 1))


CHILDCARE = Ages.entry("childcare_ages")
PRESCHOOL = Ages.entry("preschool_ages")
COMPULSORY_SCHOOL = Ages.entry("compulsory_school_ages")
SCHOOL_START = Ages(COMPULSORY_SCHOOL.first, COMPULSORY_SCHOOL.first)  # the age at which children start school
ELDER_AGE = int(params.value("population", "elder_age"))
