"""Inline SVG charts for the pack, written as text: the same data gives the same bytes.

Coordinates are rounded to one decimal, texts are escaped, and the colours come from a fixed palette
that stays readable in black-and-white print (each series also differs by its dash pattern).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from game.play.numbers import format_number

INK = "#1b1f24"
MUTED = "#6a737d"
GRID = "#d0d7de"
SERIES = ("#0b5cad", "#b35900", "#2e7d32", "#8e24aa", "#c62828", "#00838f")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
DECISION = "#0b5cad"
CONTROL = "#c62828"


@dataclass(frozen=True)
class Marker:
    """A vertical mark on a chart at a turn: a decision (its number) or a facilitator's action."""

    turn: float
    label: str
    control: bool = False


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def line_chart(
    title: str, values: Sequence[float], x_labels: Sequence[str], *, lower: float, upper: float,
    markers: Sequence[Marker] = (), width: int = 640, height: int = 190,
) -> str:
    """One variable over the turns (index 0 = the start), its range from the data padded inside [lower, upper]."""
    left, right, top, bottom = 44.0, 12.0, 24.0, 30.0
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high = _y_range(values, lower, upper)
    count = max(len(values), 2)

    def x(index: float) -> float:
        return left + plot_w * index / (count - 1)

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    parts = [_open(width, height, title),
             f'<text x="{_n(left)}" y="15" class="t">{escape(title)}</text>']
    for tick in _ticks(low, high):
        parts.append(f'<line x1="{_n(left)}" x2="{_n(width - right)}" y1="{_n(y(tick))}" y2="{_n(y(tick))}" '
                     f'stroke="{GRID}" stroke-width="0.6"/>')
        parts.append(f'<text x="{_n(left - 4)}" y="{_n(y(tick) + 3.5)}" text-anchor="end" class="s">'
                     f'{escape(format_number(tick))}</text>')
    every = max(1, (len(x_labels) + 5) // 6)
    for index, label in enumerate(x_labels):
        if index % every == 0 and label:
            parts.append(f'<text x="{_n(x(index))}" y="{_n(height - 10)}" text-anchor="middle" class="s">'
                         f'{escape(label)}</text>')
    for marker in markers:
        colour = CONTROL if marker.control else DECISION
        dash = "2 2" if marker.control else "4 3"
        mx = x(marker.turn)
        parts.append(f'<line x1="{_n(mx)}" x2="{_n(mx)}" y1="{_n(top)}" y2="{_n(top + plot_h)}" stroke="{colour}" '
                     f'stroke-width="0.8" stroke-dasharray="{dash}"/>')
        parts.append(f'<text x="{_n(mx + 2)}" y="{_n(top + 9)}" class="m" fill="{colour}">'
                     f'{escape(marker.label)}</text>')
    points = " ".join(f"{_n(x(i))},{_n(y(v))}" for i, v in enumerate(values))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{SERIES[0]}" stroke-width="2"/>')
    for i, v in enumerate(values):
        parts.append(f'<circle cx="{_n(x(i))}" cy="{_n(y(v))}" r="2.2" fill="{SERIES[0]}"/>')
    parts.append(f'<rect x="{_n(left)}" y="{_n(top)}" width="{_n(plot_w)}" height="{_n(plot_h)}" fill="none" '
                 f'stroke="{MUTED}" stroke-width="0.6"/>')
    parts.append("</svg>")
    return "".join(parts)


def share_bars(title: str, rows: Sequence[tuple[str, Sequence[float]]], legend: Sequence[str], *,
               width: int = 640) -> str:
    """Stacked horizontal bars, one per row (label, shares summing to 1), with a legend of the segments."""
    left, right, top, bar_h, gap = 150.0, 12.0, 24.0, 20.0, 8.0
    legend_rows = (len(legend) + 2) // 3
    height = int(top + len(rows) * (bar_h + gap) + 8 + legend_rows * 16 + 6)
    plot_w = width - left - right
    parts = [_open(width, height, title), f'<text x="4" y="15" class="t">{escape(title)}</text>']
    for row, (label, shares) in enumerate(rows):
        y = top + row * (bar_h + gap)
        parts.append(f'<text x="{_n(left - 6)}" y="{_n(y + bar_h - 6)}" text-anchor="end" class="s">'
                     f'{escape(label)}</text>')
        x = left
        for segment, share in enumerate(shares):
            w = plot_w * share
            if w <= 0:
                continue
            parts.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(bar_h)}" '
                         f'fill="{SERIES[segment % len(SERIES)]}" stroke="#ffffff" stroke-width="0.8"/>')
            if w >= 28:
                parts.append(f'<text x="{_n(x + w / 2)}" y="{_n(y + bar_h - 6)}" text-anchor="middle" class="w">'
                             f'{round(share * 100):d}%</text>')
            x += w
    base = top + len(rows) * (bar_h + gap) + 8
    column_w = (width - 8) / 3
    for n, name in enumerate(legend):
        lx, ly = 4 + (n % 3) * column_w, base + (n // 3) * 16
        parts.append(f'<rect x="{_n(lx)}" y="{_n(ly)}" width="10" height="10" fill="{SERIES[n % len(SERIES)]}"/>')
        parts.append(f'<text x="{_n(lx + 14)}" y="{_n(ly + 9)}" class="s">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def range_chart(title: str, rows: Sequence[tuple[str, tuple[float, float, float]]], actual: float | None,
                actual_label: str, *, lower: float, upper: float, width: int = 640) -> str:
    """One variable's 10th–90th percentile band and median per row, with the class's own value as a line."""
    left, right, top, bar_h, gap = 150.0, 12.0, 38.0, 14.0, 10.0
    height = int(top + len(rows) * (bar_h + gap) + 22)
    plot_w = width - left - right
    values = [v for _label, band in rows for v in band] + ([actual] if actual is not None else [])
    low, high = _y_range(values, lower, upper)

    def x(value: float) -> float:
        return left + plot_w * (value - low) / (high - low)

    parts = [_open(width, height, title), f'<text x="4" y="15" class="t">{escape(title)}</text>']
    for tick in _ticks(low, high):
        parts.append(f'<line x1="{_n(x(tick))}" x2="{_n(x(tick))}" y1="{_n(top - 2)}" '
                     f'y2="{_n(height - 18)}" stroke="{GRID}" stroke-width="0.6"/>')
        parts.append(f'<text x="{_n(x(tick))}" y="{_n(height - 6)}" text-anchor="middle" class="s">'
                     f'{escape(format_number(tick))}</text>')
    for row, (label, (p10, p50, p90)) in enumerate(rows):
        y = top + row * (bar_h + gap)
        colour = SERIES[row % len(SERIES)]
        parts.append(f'<text x="{_n(left - 6)}" y="{_n(y + bar_h - 3)}" text-anchor="end" class="s">'
                     f'{escape(label)}</text>')
        parts.append(f'<rect x="{_n(x(p10))}" y="{_n(y)}" width="{_n(max(1.0, x(p90) - x(p10)))}" '
                     f'height="{_n(bar_h)}" fill="{colour}" fill-opacity="0.35" stroke="{colour}"/>')
        parts.append(f'<line x1="{_n(x(p50))}" x2="{_n(x(p50))}" y1="{_n(y)}" y2="{_n(y + bar_h)}" '
                     f'stroke="{colour}" stroke-width="2.5"/>')
    if actual is not None:
        ax = x(actual)
        parts.append(f'<line x1="{_n(ax)}" x2="{_n(ax)}" y1="{_n(top - 10)}" y2="{_n(height - 18)}" stroke="{INK}" '
                     f'stroke-width="1.4" stroke-dasharray="5 2"/>')
        parts.append(f'<text x="{_n(min(ax + 3, width - 90))}" y="{_n(top - 4)}" class="m">'
                     f'{escape(actual_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="{escape(title)}">')


def _y_range(values: Sequence[float], lower: float, upper: float) -> tuple[float, float]:
    """The data's range padded by a tenth of itself (at least 5% of the variable's range), kept inside it."""
    low, high = min(values), max(values)
    pad = max((high - low) * 0.1, (upper - lower) * 0.05, 1e-6)
    low, high = max(lower, low - pad), min(upper, high + pad)
    if high - low < 1e-9:
        high = low + 1.0
    return low, high


def _ticks(low: float, high: float) -> list[float]:
    """About four round ticks inside [low, high]."""
    span = high - low
    raw = span / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = -(-low // step) * step
    ticks = []
    value = first
    while value <= high + 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks

