"""Small charts drawn straight onto pygame surfaces: sparklines, line charts with axes, forecast fans.

Every function takes the value range (`lower`, `upper`) from the caller, so that a chart of a variable
always shows the variable's own scale and two charts of the same variable can be compared by eye. Values
outside the range are clamped to the edge; NaN and infinite values leave a gap in the line. Empty or
one-point series, a flat series and an empty range draw something sensible instead of failing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pygame

from game.play.numbers import format_number
from game.ui.palette import Palette, default_palette

ColourLike = pygame.Color | tuple[int, int, int] | tuple[int, int, int, int]

LEGEND_SWATCH_PX = 10
TICK_PX = 3


def _y_of(value: float, rect: pygame.Rect, lower: float, upper: float) -> float:
    """Pixel row of a value: `upper` at the top of the rect, `lower` at the bottom, clamped to the rect."""
    if not upper > lower:
        return rect.top + (rect.height - 1) / 2  # an empty range: everything sits in the middle
    share = (value - lower) / (upper - lower)
    share = min(max(share, 0.0), 1.0)
    return rect.bottom - 1 - share * (rect.height - 1)


def _x_of(index: int, count: int, rect: pygame.Rect) -> float:
    if count <= 1:
        return rect.left + (rect.width - 1) / 2
    return rect.left + index * (rect.width - 1) / (count - 1)


def _runs(values: Sequence[float], rect: pygame.Rect, lower: float, upper: float) -> list[list[tuple[float, float]]]:
    """The points of the series split into runs of finite values (a NaN breaks the line)."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    count = len(values)
    for index, value in enumerate(values):
        if value is None or not math.isfinite(value):
            if current:
                runs.append(current)
            current = []
            continue
        current.append((_x_of(index, count, rect), _y_of(float(value), rect, lower, upper)))
    if current:
        runs.append(current)
    return runs


def _draw_runs(surface: pygame.Surface, colour: ColourLike, runs: list[list[tuple[float, float]]], width: int) -> None:
    for run in runs:
        if len(run) == 1:
            # A lone value (one point, or between two gaps) is a dot: a line needs two points.
            pygame.draw.circle(surface, colour, (round(run[0][0]), round(run[0][1])), max(1, width))
        elif width <= 1:
            pygame.draw.aalines(surface, colour, False, run)
        else:
            pygame.draw.lines(surface, colour, False, run, width)


def draw_sparkline(
    surface: pygame.Surface,
    rect: pygame.Rect,
    values: Sequence[float],
    color: ColourLike,
    *,
    lower: float,
    upper: float,
) -> None:
    """A tiny line of `values` across `rect` (no axes), with the last value marked by a dot."""
    rect = pygame.Rect(rect)
    if rect.width <= 0 or rect.height <= 0:
        return
    runs = _runs(values, rect, lower, upper)
    previous_clip = surface.get_clip()
    surface.set_clip(rect.clip(previous_clip))
    try:
        _draw_runs(surface, color, runs, 1)
        if runs and len(values) and values[-1] is not None and math.isfinite(values[-1]):
            x, y = runs[-1][-1]
            pygame.draw.circle(surface, color, (round(x), round(y)), 2)
    finally:
        surface.set_clip(previous_clip)


def draw_line_chart(
    surface: pygame.Surface,
    rect: pygame.Rect,
    series: Sequence[tuple[str, Sequence[float], ColourLike]],
    *,
    lower: float,
    upper: float,
    x_labels: Sequence[str],
    font: pygame.font.Font,
    palette: Palette | None = None,
) -> None:
    """Several named series over the same x axis: y axis with its bounds, x labels, a legend on top.

    `x_labels` name the points (e.g. dates); as many are shown as fit without overlapping, always
    including the first and the last.
    """
    rect = pygame.Rect(rect)
    if rect.width <= 0 or rect.height <= 0:
        return
    palette = palette or default_palette()
    line_height = font.get_linesize()
    tick_labels = [format_number(upper), format_number((lower + upper) / 2), format_number(lower)]
    axis_label_width = max(font.size(text)[0] for text in tick_labels) + TICK_PX + 4
    legend_height = line_height + 4 if len(series) else 0
    plot = pygame.Rect(
        rect.left + axis_label_width,
        rect.top + legend_height + line_height // 2,
        rect.width - axis_label_width - 4,
        rect.height - legend_height - line_height * 2,
    )
    previous_clip = surface.get_clip()
    surface.set_clip(rect.clip(previous_clip))
    try:
        _draw_legend(surface, rect, series, font, palette)
        if plot.width < 4 or plot.height < 4:
            return  # too small for a plot: the legend alone still says what the chart is
        _draw_axes(surface, plot, tick_labels, x_labels, font, palette)
        surface.set_clip(plot.clip(previous_clip))
        for _name, values, colour in series:
            _draw_runs(surface, colour, _runs(values, plot, lower, upper), 2)
    finally:
        surface.set_clip(previous_clip)


def _draw_legend(
    surface: pygame.Surface,
    rect: pygame.Rect,
    series: Sequence[tuple[str, Sequence[float], ColourLike]],
    font: pygame.font.Font,
    palette: Palette,
) -> None:
    x = rect.left + 2
    y = rect.top + 2
    line_height = font.get_linesize()
    for name, _values, colour in series:
        label = font.render(name, True, palette.text)
        needed = LEGEND_SWATCH_PX + 4 + label.get_width() + 12
        if x + needed > rect.right and x > rect.left + 2:
            break  # no second legend row: the chart area matters more
        swatch = pygame.Rect(x, y + (line_height - LEGEND_SWATCH_PX) // 2, LEGEND_SWATCH_PX, LEGEND_SWATCH_PX)
        surface.fill(colour, swatch)
        surface.blit(label, (swatch.right + 4, y))
        x += needed


def _draw_axes(
    surface: pygame.Surface,
    plot: pygame.Rect,
    tick_labels: list[str],
    x_labels: Sequence[str],
    font: pygame.font.Font,
    palette: Palette,
) -> None:
    muted = palette.text_muted
    grid = tuple((a + b) // 2 for a, b in zip(palette.panel, palette.text_muted, strict=True))
    # Horizontal grid at the top, middle and bottom of the range, each labelled on the left.
    for share, text in zip((0.0, 0.5, 1.0), tick_labels, strict=True):
        y = round(plot.top + share * (plot.height - 1))
        pygame.draw.line(surface, grid, (plot.left, y), (plot.right - 1, y), 1)
        label = font.render(text, True, muted)
        surface.blit(label, label.get_rect(midright=(plot.left - TICK_PX - 2, y)))
    pygame.draw.line(surface, muted, (plot.left, plot.top), (plot.left, plot.bottom - 1), 1)
    pygame.draw.line(surface, muted, (plot.left, plot.bottom - 1), (plot.right - 1, plot.bottom - 1), 1)
    count = len(x_labels)
    if count == 0:
        return
    widest = max(font.size(text)[0] for text in x_labels) + 8
    step = max(1, math.ceil(widest * count / max(plot.width, 1)))
    candidates = list(range(0, count, step))
    if candidates[-1] != count - 1:
        candidates.append(count - 1)
    # Labels are kept inside the plot's width, which can push the first and last ones onto their
    # neighbours: place them left to right, skip any that would touch the previous one, and let the last
    # label (the latest date, the one players look for) push out whatever it touches.
    bounds = pygame.Rect(plot.left - 4, plot.bottom, plot.width + 8, plot.height)
    placed: list[tuple[int, int, pygame.Surface, pygame.Rect]] = []
    for index in candidates:
        x = round(_x_of(index, count, plot))
        label = font.render(x_labels[index], True, muted)
        label_rect = label.get_rect(midtop=(x, plot.bottom + TICK_PX))
        label_rect.clamp_ip(pygame.Rect(bounds.left, label_rect.top, bounds.width, label_rect.height))
        spaced = label_rect.inflate(24, 0)  # at least 12 px between two dates, so each reads as one
        if index == count - 1:
            while placed and placed[-1][3].colliderect(spaced):
                placed.pop()
        elif placed and placed[-1][3].colliderect(spaced):
            continue
        placed.append((index, x, label, label_rect))
    for _index, x, label, label_rect in placed:
        pygame.draw.line(surface, muted, (x, plot.bottom - 1), (x, plot.bottom - 1 + TICK_PX), 1)
        surface.blit(label, label_rect)


def draw_fan(
    surface: pygame.Surface,
    rect: pygame.Rect,
    p10: Sequence[float],
    p50: Sequence[float],
    p90: Sequence[float],
    color: ColourLike,
    *,
    lower: float,
    upper: float,
) -> None:
    """A forecast: the band between the 10th and 90th percentiles, translucent, with the median on top.

    The three series are read up to the shortest one; a point where either bound is not finite leaves a
    gap in the band.
    """
    rect = pygame.Rect(rect)
    if rect.width <= 0 or rect.height <= 0:
        return
    count = min(len(p10), len(p90))
    colour = pygame.Color(color)
    band = pygame.Surface(rect.size, pygame.SRCALPHA)
    band_colour = pygame.Color(colour.r, colour.g, colour.b, 80)
    local = pygame.Rect(0, 0, rect.width, rect.height)
    # Draw the band run by run (a run ends where a bound is missing), as a polygon: top edge along p90
    # from left to right, bottom edge along p10 back.
    run: list[int] = []
    for index in [*range(count), None]:
        ok = index is not None and _finite_pair(p10[index], p90[index])
        if ok and index is not None:
            run.append(index)
            continue
        if run:
            top = [(_x_of(i, count, local), _y_of(max(p10[i], p90[i]), local, lower, upper)) for i in run]
            bottom = [(_x_of(i, count, local), _y_of(min(p10[i], p90[i]), local, lower, upper)) for i in run]
            if len(run) == 1:
                (x, y0), (_, y1) = top[0], bottom[0]
                pygame.draw.line(band, band_colour, (round(x), round(y0)), (round(x), round(y1)), 3)
            else:
                pygame.draw.polygon(band, band_colour, top + bottom[::-1])
        run = []
    surface.blit(band, rect.topleft)
    previous_clip = surface.get_clip()
    surface.set_clip(rect.clip(previous_clip))
    try:
        median = p50[:count] if count else p50  # aligned with the band's x positions
        _draw_runs(surface, colour, _runs(median, rect, lower, upper), 2)
    finally:
        surface.set_clip(previous_clip)


def _finite_pair(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isfinite(a) and math.isfinite(b)
