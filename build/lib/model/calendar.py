"""Calendar helpers: months as integer indices (months since year 0) and the census month."""

from __future__ import annotations

import datetime as dt

from model import params

CENSUS_MONTH = params.value("population", "census_date")


def month_index(text: str) -> int:
    """Months since year 0 for a 'YYYY-MM' (or 'YYYY-MM-DD') string."""
    year, month = int(text[:4]), int(text[5:7])
    return year * 12 + month - 1


def year_of(month: int) -> int:
    """The calendar year of a month index."""
    return month // 12


def month_of_year(month: int) -> int:
    """The calendar month (1-12) of a month index."""
    return month % 12 + 1


def first_full_month(date: str) -> int:
    """The month index of the first month that starts on or after ``date``."""
    d = dt.date.fromisoformat(date)
    return month_index(date) + (0 if d.day == 1 else 1)
