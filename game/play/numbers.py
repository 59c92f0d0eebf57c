"""Numbers as players read them, everywhere: the dashboard, advice, forecasts, tooltips, charts.

A value shows about three significant digits (52.3, 152, 5.23, 0.523), a difference or a range in
advice about two (12, 5.3, 0.34): enough to compare, few enough to read at a glance. Never in
scientific notation, never "-0", trailing zeros dropped ("50", not "50.0").
"""

from __future__ import annotations

import math

from game.translation import ngettext

MOST_DECIMALS = 4  # below 0.0001 a value reads as 0: the game's quantities are never that fine
GLUED_UNITS = frozenset({"%"})  # written without a space: "52%", but "0.3 % of GDP", "12 ships"
POINT_UNITS = frozenset({"", "%", "points"})  # a difference of these reads as points: "12 points"


def format_number(value: float, significant: int = 3) -> str:
    """`value` rounded to about `significant` digits: format_number(52.34) == "52.3"; "?" when not finite."""
    if not math.isfinite(value):
        return "?"
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = min(MOST_DECIMALS, max(0, significant - 1 - magnitude))
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_value(value: float, unit: str | None = None, significant: int = 3) -> str:
    """A value with its unit: "52.3%", "1.2 % of GDP", "40 ships"."""
    text = format_number(value, significant)
    if not unit:
        return text
    return f"{text}{unit}" if unit in GLUED_UNITS else f"{text} {unit}"


def format_change(delta: float, significant: int = 3) -> str:
    """A change with its sign: "+1.43", "-0.5", "0" (no sign when it rounds to nothing)."""
    text = format_number(delta, significant)
    return text if text in ("0", "?") or text.startswith("-") else f"+{text}"


def format_amount(amount: float, unit: str | None) -> str:
    """A difference between outcomes: "12 points", "1 point", "0.34 % of GDP" (no unit, or %, reads as points)."""
    number = format_number(amount, 2)
    if unit is None or unit.strip() in POINT_UNITS:
        return ngettext("{number} point", "{number} points", 1 if number == "1" else 2, number=number)
    return f"{number} {unit}"


def format_range(low: float, high: float, significant: int = 2) -> str:
    """An 80% range, "40–55" (one number when both ends round alike)."""
    low_text, high_text = format_number(low, significant), format_number(high, significant)
    return low_text if low_text == high_text else f"{low_text}–{high_text}"


def format_percent(probability: float) -> str:
    """A chance 0–1 as a whole percentage: "37%"."""
    if not math.isfinite(probability):
        return "?"
    return f"{round(probability * 100):d}%"
