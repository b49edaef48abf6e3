"""The base of every measure: identity, what it declares about itself, parameters, costs, and
neutral hooks.

A measure is one class with an id (H1 ... C3, and N1 for what happens anyway) and one entry in
``model/data/measures.toml``. It says who is eligible, what it is worth to a chooser
(``offer``), what it delivers to people in Baotou and what that costs. It never checks whether
it is in force: the package (``model/measures/package.py``) asks a hook only while the measure is
in force (offers and distance cuts also of ``lasting`` measures after their window), except
the hooks for benefits already granted (``expire``, ``upkeep``), which run every month. A
measure may read its ``window`` for what builds up over it (C1). Hooks take what they use as
arguments (the month, the people store, the choosers), never the model. Hooks that a measure
does not override leave the model as it would be without it.

Every payment (``pay``) is booked three ways besides its yuan, for the finance view
(``model/runs/effect.py``), without drawing anything or changing what anyone does: whether the
text gives its amounts (each parameter the payment is computed from has a ``source`` in
``measures.toml`` and the scenario keeps that value) or they are assumptions; whether it went to
identified persons (a transfer; a programme budget or a construction share goes to no one in
particular); and, when the run has a counterfactual, how much of a transfer went to people who
were in Baotou in the counterfactual too at the end of that month (deadweight: they would have
come or stayed anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar

import numpy as np

from model import params
from model.calendar import first_full_month, month_index
from model.categories import Kind
from model.context import Month
from model.ledger import Presence
from model.measures.offer import Offer
from model.people.choosers import Choosers
from model.people.store import People


def annuity(amount: np.ndarray | float, rate: float, years: float) -> Any:
    """A one-off sum spread over ``years`` at ``rate``: the yuan-a-year equivalent (evidence file 3.2)."""
    return amount * rate / (1 - (1 + rate) ** -years)


class Cost(Enum):
    """How a measure's fiscal cost arises (declared on the class; tests check it)."""

    NONE = "none"  # the city books no cost (national rules, the provident fund's own money, national railways)
    BUDGET = "programme budget"  # a yearly budget spent while in force, whoever benefits
    # Paid for each newcomer or not-yet-settled household that benefits: people without hukou,
    # renters, talent, graduates, movers. With none of those in the city, it costs nothing.
    PER_NEWCOMER = "per newcomer"
    # Paid for each resident who benefits, whoever they are (a birth, a childcare place, a certificate).
    PER_RESIDENT = "per resident"
    # The city's share of building something (a transport line), booked over the months it is
    # built, whoever comes to use it.
    CONSTRUCTION = "construction"


@dataclass(frozen=True)
class Window:
    """The months in which a measure takes new beneficiaries (both ends included)."""

    first: int
    last: int

    @classmethod
    def of(cls, start: str, end: str) -> Window:
        """From the dates the measure is in force: its first full month to the month it ends in."""
        return cls(first_full_month(start), month_index(end))

    def contains(self, month: int) -> bool:
        return self.first <= month <= self.last


class Measure:
    """One measure of the 2022 package. Subclasses set ``id`` and the declarations below, and
    override the hooks they act through."""

    id: ClassVar[str] = ""
    lasting: ClassVar[bool] = False  # its offer and distance cut outlive its window (something built stays built)
    # A lever of the package. False for what happens anyway (N1, the lines the national railway
    # builds regardless): every scenario has it, the baseline included, and no run attributes
    # residents to it; the probability "without measures" that attribution starts from keeps it.
    lever: ClassVar[bool] = True
    # Kinds whose moves the measure can change (a measure acting only on talent cannot change
    # a migrant worker's decision); empty for measures that change no decision.
    reaches: ClassVar[frozenset[Kind]] = frozenset(Kind)
    in_choice: ClassVar[bool] = True  # acts through what choosers are offered (not only fertility, insurance, offers)
    cost: ClassVar[Cost] = Cost.BUDGET
    raises: ClassVar[tuple[str, ...]] = ()  # yearly indicators the measure alone must raise
    # Yearly figures a measure reports beyond its cost and attributed residents: name -> (unit, meaning).
    reports: ClassVar[dict[str, tuple[str, str]]] = {}

    def __init__(self, config: dict[str, Any], weight: float) -> None:
        self.p = config
        self.weight = weight  # persons per agent
        self.window = Window.of(config["start"], config["end"])
        self.spent = 0.0  # yuan at full scale, this year
        self.attributed = 0.0  # expected extra residents (arrivals + averted departures), persons, this year
        # The books (yuan at full scale, this year): spending on amounts the text gives and on
        # assumed ones; transfers to identified persons, and of those the deadweight.
        self.spent_text = self.spent_assumed = self.transfers = self.deadweight = 0.0
        self.counterfactual: Presence | None = None  # who was in Baotou when in the counterfactual run
        self._given: dict[tuple[str, ...], bool] = {}

    def text_gives(self, *keys: str) -> bool:
        """Whether the text gives every one of these parameters: each has a ``source`` in
        ``measures.toml`` (not an ``assumption``) and the scenario keeps the file's value (a
        scenario's own number is the scenario's assumption)."""
        if keys not in self._given:
            entries = params.load_measures()[self.id]["params"]
            self._given[keys] = all("source" in entries[k] and self.p[k] == entries[k]["value"] for k in keys)
        return self._given[keys]

    def pay(
        self,
        yuan_per_agent: np.ndarray | float,
        agents: float | np.integer = 1,
        *,
        given: bool,
        to: np.ndarray | None = None,
        month: int = 0,
    ) -> None:
        """Record spending on ``agents`` agents (scaled to persons at full scale). ``given``: the
        text gives the amounts (``text_gives``). ``to``: the keys of the persons paid in ``month``
        (one per agent paid; with an array ``yuan_per_agent``, the same length), for a transfer;
        None for spending that goes to no one in particular (a budget, a building share)."""
        yuan = float(np.sum(yuan_per_agent) * agents) * self.weight
        self.spent += yuan
        if given:
            self.spent_text += yuan
        else:
            self.spent_assumed += yuan
        if to is None or yuan == 0:
            return
        self.transfers += yuan
        if self.counterfactual is not None and len(to):
            anyway = self.counterfactual.present(to, month)
            shares = np.broadcast_to(np.asarray(yuan_per_agent, dtype=float), anyway.shape)
            self.deadweight += yuan * float(shares[anyway].sum() / shares.sum())

    # --- asked while the measure is in force (or ``lasting``) -----------------------------
    def offer(self, ch: Choosers, month: Month, people: People) -> Offer | None:
        """What living in Baotou is worth to these choosers because of the measure."""
        return None

    def distance_cut(self, ch: Choosers, month: Month) -> np.ndarray:
        """Share by which the distance to Baotou shrinks for these choosers."""
        return np.zeros(len(ch))

    # --- asked only while the measure is in force ------------------------------------------

    def fertility_multiplier(self, month: Month) -> float:
        return 1.0

    def on_births(self, births: int, month: Month, keys: np.ndarray) -> None:
        """``births`` babies were born this month (``keys``: theirs)."""

    def hukou_takeup_rate(self, month: Month) -> float:
        """Yearly chance a non-hukou household settles with no conditions (0: old rules apply)."""
        return 0.0

    def social_insurance_coverage(self, month: Month) -> float:
        """Share of employed newcomers insured from arrival (0: usual coverage)."""
        return 0.0

    def purchase_incentive(self, ch: Choosers, month: Month) -> np.ndarray:
        """Yuan saved on buying a first home, for the home-purchase hazard."""
        return np.zeros(len(ch))

    def on_purchase(self, ch: Choosers, month: Month) -> None:
        """Households in ``ch`` bought a home this month."""

    def extra_talent_offers(self, month: Month) -> float:
        """Job offers a year to high-level talent elsewhere, beyond the usual ones."""
        return 0.0

    def on_extra_talent(self, rows: np.ndarray, people: People) -> None:
        """Heads in ``rows`` accepted one of the extra offers this month."""

    def bring_family_gain(self, ch: Choosers, month: Month) -> np.ndarray:
        """Added chance that arriving choosers bring their family at once."""
        return np.zeros(len(ch))

    def intake_multiplier(self, month: Month) -> float:
        """Factor on the student intake from outside."""
        return 1.0

    def on_arrival(self, rows: np.ndarray, ch: Choosers, month: Month, people: People) -> None:
        """Heads in ``rows`` (``ch``) arrived this month, or graduates who stayed on."""

    def deliver(self, month: Month, people: People) -> None:
        """Give new places and payments (between ``expire`` and ``upkeep``)."""

    # --- every month, in force or not: benefits already granted run on ----------------------
    def expire(self, month: Month, people: People) -> None:
        """End the benefits that ran out (before ``deliver``)."""

    def upkeep(self, month: Month, people: People) -> None:
        """Pay for the benefits that run this month (after ``deliver``)."""

    # --- at the end of each year --------------------------------------------------------------
    def report(self) -> dict[str, float]:
        """This year's figures named in ``reports``."""
        return {}

    def end_of_year(self) -> None:
        """Reset the year's tallies after the indicators are recorded."""
        self.spent = self.attributed = 0.0
        self.spent_text = self.spent_assumed = self.transfers = self.deadweight = 0.0
