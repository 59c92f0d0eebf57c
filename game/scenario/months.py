"""Months as the format writes them ("1960-05") and as the game counts them (year * 12 + month - 1).

One count of months serves the engine (`date` in expressions, the calendar, dated events), the
validator and the labels players read, so every "YYYY-MM" is turned into a number here and nowhere
else. The format's pattern (`models.YEAR_MONTH_PATTERN`) has already checked the text.
"""

from __future__ import annotations


def month_number(year_month: str) -> int:
    """'1960-05' → 1960 * 12 + 4."""
    year, month = year_month.split("-")
    return month_of(int(year), int(month))


def month_of(year: int, month: int) -> int:
    """The month number of a year and a calendar month (1–12)."""
    return year * 12 + month - 1


def year_and_month(number: int) -> tuple[int, int]:
    """The year and calendar month (1–12) of a month number."""
    year, index = divmod(number, 12)
    return year, index + 1


def year_month_text(number: int) -> str:
    """A month number written as the format writes months: '1960-05'."""
    year, month = year_and_month(number)
    return f"{year:04d}-{month:02d}"
