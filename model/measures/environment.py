"""City environment: C1 infrastructure and greening, C2 culture and sport, C3 transport links, and
N1, the lines the national railway builds regardless of the package (in every scenario).

The transport lines are dated inputs (``model/data/transport.toml``): each brings some origin
groups nearer from the month it opens and stays once open; the city's share of building it is
booked over the months before the opening."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from model import params
from model.calendar import month_index
from model.categories import Origin
from model.context import Month
from model.measures.base import Cost, Measure
from model.measures.offer import Offer, utility_offer
from model.people.choosers import Choosers
from model.people.store import People


class InfrastructureGreening(Measure):
    """C1: infrastructure, greening and Yellow River ecology: an amenity that builds up over years."""

    id = "C1"
    lasting = True  # what is built while the measure is in force stays

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        months_built = min(month.index, self.window.last) - self.window.first + 1
        built = float(np.clip(months_built / (12 * self.p["ramp_years"]), 0.0, 1.0))
        return utility_offer(ch, np.full(len(ch), self.p["utility"] * built))

    def deliver(self, month: Month, people: People) -> None:
        self.pay(self.p["budget"] / 12 * month.agents_per_person, given=self.text_gives("budget"))


class CultureSport(Measure):
    """C2: free museums, libraries and galleries, open sports venues, events."""

    id = "C2"

    def offer(self, ch: Choosers, month: Month, people: People) -> Offer:
        return utility_offer(ch, np.full(len(ch), self.p["utility"]))

    def deliver(self, month: Month, people: People) -> None:
        self.pay(self.p["budget"] / 12 * month.agents_per_person, given=self.text_gives("budget"))


@dataclass(frozen=True)
class Line:
    """One transport line of ``transport.toml``."""

    id: str
    name: str
    opening: int  # month index it opens without the package
    build_months: int
    built_anyway: bool  # the national railway builds or runs it regardless of the package
    distance_cut: np.ndarray  # by Origin (0 for Baotou): share the distance to Baotou shrinks
    city_share: float  # yuan
    city_share_given: bool  # the text gives it (``city_share_source``), not an assumption

    def cut(self, origin: np.ndarray) -> np.ndarray:
        return self.distance_cut[origin]


LINES_FILE = "transport"
MAX_LINE_CUT = 0.5  # a line's cut for one origin group, at most
MAX_TOTAL_CUT = 0.9  # all lines' cuts for one origin group together, at most (a distance stays positive)
MAX_BUILD_MONTHS = 240


def _line(lid: str, entry: dict) -> Line:
    where = f"{params.DATA_DIR / LINES_FILE}.toml: [{lid}]"
    opening, cut = entry["value"], entry.get("distance_cut")
    if not isinstance(opening, str) or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", opening):
        raise params.ParameterFileError(f"{where} 'value' is {opening!r}; allowed: an opening month 'YYYY-MM'")
    if not isinstance(entry.get("built_anyway"), bool):
        raise params.ParameterFileError(f"{where} needs 'built_anyway' = true or false")
    months = entry.get("build_months")
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= MAX_BUILD_MONTHS:
        raise params.ParameterFileError(
            f"{where} 'build_months' is {months!r}; allowed: a whole number 1-{MAX_BUILD_MONTHS}"
        )
    outside = len(Origin) - 1
    if not (
        isinstance(cut, list)
        and len(cut) == outside
        and all(isinstance(c, int | float) and not isinstance(c, bool) and 0 <= c <= MAX_LINE_CUT for c in cut)
    ):
        raise params.ParameterFileError(
            f"{where} 'distance_cut' is {cut!r}; allowed: {outside} shares from 0 to {MAX_LINE_CUT}, by origin group"
        )
    share = entry.get("city_share")
    if not isinstance(share, int | float) or isinstance(share, bool) or not 0 <= share < float("inf"):
        raise params.ParameterFileError(
            f"{where} 'city_share' is {share!r}; allowed: yuan, a finite number of at least 0"
        )
    if not isinstance(entry.get("name"), str) or not entry["name"]:
        raise params.ParameterFileError(f"{where} needs 'name' (text)")
    for key in ("distance_cut", "city_share"):
        basis = [f"{key}_{kind}" for kind in ("source", "assumption") if isinstance(entry.get(f"{key}_{kind}"), str)]
        if not any(entry[b] for b in basis):
            raise params.ParameterFileError(f"{where} needs '{key}_source' or '{key}_assumption' (text)")
    return Line(
        id=lid,
        name=entry["name"],
        opening=month_index(opening),
        build_months=months,
        built_anyway=entry["built_anyway"],
        distance_cut=np.array([0.0, *cut]),
        city_share=float(share),
        city_share_given=bool(entry.get("city_share_source")),
    )


@cache
def lines() -> tuple[Line, ...]:
    """The transport lines, in the order of the data file."""
    out = tuple(_line(lid, entry) for lid, entry in params.load(LINES_FILE).items())
    total = sum((line.distance_cut for line in out), np.zeros(len(Origin)))
    if total.max() > MAX_TOTAL_CUT:
        raise params.ParameterFileError(
            f"{params.DATA_DIR / LINES_FILE}.toml: the lines' distance_cut add up to {total.max():g} for one origin "
            f"group; allowed: at most {MAX_TOTAL_CUT}"
        )
    return out


def _building(line: Line, opening: int, month: Month) -> bool:
    return opening - line.build_months <= month.index < opening


class TransportLinks(Measure):
    """C3: faster rail to Beijing, lines to Xi'an and Yinchuan, an airport sub-hub. Each line is a
    dated input (``transport.toml``) that brings some origin groups nearer from the month it
    opens and stays once open. The lines the national railway builds or runs regardless (to
    Yinchuan, towards Xi'an, more trains to Beijing) are in every scenario (N1); the text only
    asks to speed them up (加快建设) and gives no dates, so C3 claims an earlier opening only if
    ``months_earlier`` says so (0 by default), and then only between the earlier and the usual
    opening, with no extra cost. What C3 adds is the lines only the package brings (the
    airport's new routes): they open at their month, but not sooner than ``build_months``
    after the package's start, and the city's share is booked over the months of building."""

    id = "C3"
    lasting = True  # a line stays once open, after the package's window too
    cost = Cost.CONSTRUCTION

    def opening(self, line: Line) -> int:
        """The month the line opens in a run with C3."""
        if line.built_anyway:
            return max(line.opening - int(self.p["months_earlier"]), self.window.first)
        return max(line.opening, self.window.first + line.build_months)

    def distance_cut(self, ch: Choosers, month: Month) -> np.ndarray:
        cut = np.zeros(len(ch))
        for line in lines():
            # An anyway line counts here only before its usual opening (from then on it is N1's).
            until = line.opening if line.built_anyway else month.index + 1
            if self.opening(line) <= month.index < until:
                cut += line.cut(ch.origin)
        return cut

    def upkeep(self, month: Month, people: People) -> None:
        for line in lines():
            if not line.built_anyway and _building(line, self.opening(line), month):
                self.pay(line.city_share / line.build_months * month.agents_per_person, given=line.city_share_given)


class LinesBuiltAnyway(Measure):
    """N1: the lines of ``transport.toml`` that the national railway builds or runs regardless of
    the package (Baotou-Yinchuan, Baotou-Ordos-Yulin towards Xi'an, more trains to Beijing). What
    happens anyway belongs in the counterfactual, so every scenario has them, the baseline
    included, each from the month it opens, staying once open. Not a lever of the package: no
    resident is attributed to it. The city's share of building (land and resettlement) is paid
    in every scenario alike, booked over the months of building, so it cancels in every
    comparison."""

    id = "N1"
    lever = False
    lasting = True  # asked every month: a line's own month, not a window, decides
    cost = Cost.CONSTRUCTION

    def distance_cut(self, ch: Choosers, month: Month) -> np.ndarray:
        cut = np.zeros(len(ch))
        for line in lines():
            if line.built_anyway and month.index >= line.opening:
                cut += line.cut(ch.origin)
        return cut

    def upkeep(self, month: Month, people: People) -> None:
        for line in lines():
            if line.built_anyway and _building(line, line.opening, month):
                self.pay(line.city_share / line.build_months * month.agents_per_person, given=line.city_share_given)
