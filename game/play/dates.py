"""The date of a turn as players read it, in their language: "Oct 1959", "Q4 1959", "1959" (ja: "1959年10月").

Monthly turns show the month; quarterly turns that start on a calendar quarter show the quarter (a
quarterly calendar that starts in another month shows months, "Nov 1959", because "Q4" would then
mislead); yearly turns show the year. The wording of each is a catalogue entry, so a translation
puts the year and the month in its own order.
"""

from __future__ import annotations

from game.scenario.months import year_and_month
from game.translation import pgettext, using_language


def date_label(month: int, months_per_turn: int, language: str | None = None) -> str:
    """A turn's date from its month number (year * 12 + month - 1), in `language` (default: the current one)."""
    year, calendar_month = year_and_month(month)
    with using_language(language):
        if months_per_turn >= 12:
            return pgettext("date of a yearly turn", "{year}", year=year)
        if months_per_turn == 3 and calendar_month % 3 == 1:
            quarter = (calendar_month + 2) // 3
            return pgettext("date of a quarterly turn", "Q{quarter} {year}", quarter=quarter, year=year)
        return pgettext("date of a monthly turn", "{month} {year}", month=month_name(calendar_month), year=year)


def month_name(month: int) -> str:
    """The short name of a calendar month (1–12) in the current language: "Oct" (ja: "10月")."""
    names = (
        pgettext("month", "Jan"), pgettext("month", "Feb"), pgettext("month", "Mar"), pgettext("month", "Apr"),
        pgettext("month", "May"), pgettext("month", "Jun"), pgettext("month", "Jul"), pgettext("month", "Aug"),
        pgettext("month", "Sep"), pgettext("month", "Oct"), pgettext("month", "Nov"), pgettext("month", "Dec"),
    )
    return names[month - 1]
