"""Charts drawn headless and checked pixel by pixel, including the awkward series (empty, one point, NaN, flat)."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator

import numpy as np
import pygame
import pytest

from game.ui.charts import draw_fan, draw_line_chart, draw_sparkline
from game.ui.palette import default_palette

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

BACKGROUND = (10, 20, 30)
RED = (230, 40, 40)
BLUE = (40, 90, 230)
NAN = math.nan


@pytest.fixture(scope="module", autouse=True)
def fonts_ready() -> Iterator[None]:
    pygame.font.init()
    yield


@pytest.fixture(scope="module")
def font() -> pygame.font.Font:
    return pygame.font.Font(None, 16)


def canvas(size: tuple[int, int] = (200, 120)) -> pygame.Surface:
    surface = pygame.Surface(size)
    surface.fill(BACKGROUND)
    return surface


def rgb(surface: pygame.Surface, pos: tuple[int, int]) -> tuple[int, int, int]:
    c = surface.get_at(pos)
    return (c.r, c.g, c.b)


def painted(surface: pygame.Surface, rect: pygame.Rect | None = None) -> set[tuple[int, int]]:
    """Every pixel (inside `rect`, default the whole surface) that is not the background any more."""
    area = rect or surface.get_rect()
    return {
        (x, y) for x in range(area.left, area.right) for y in range(area.top, area.bottom)
        if rgb(surface, (x, y)) != BACKGROUND
    }


def column(surface: pygame.Surface, x: int, top: int, bottom: int) -> list[int]:
    return [y for y in range(top, bottom) if rgb(surface, (x, y)) != BACKGROUND]


# --- sparkline ------------------------------------------------------------------------------------------------


def test_sparkline_runs_from_bottom_left_to_top_right_and_marks_the_last_value() -> None:
    surface = canvas()
    rect = pygame.Rect(20, 10, 101, 41)
    draw_sparkline(surface, rect, [0, 25, 50, 75, 100], RED, lower=0, upper=100)
    assert column(surface, rect.left, 0, 120) == [rect.bottom - 1]  # first value at the floor
    assert rgb(surface, (rect.right - 1, rect.top)) == RED  # the dot on the last value, at the ceiling
    middle = column(surface, rect.centerx, 0, 120)
    assert middle and all(abs(y - rect.centery) <= 1 for y in middle)
    assert painted(surface) <= {(x, y) for x in range(rect.left, rect.right) for y in range(rect.top, rect.bottom)}


def test_sparkline_clamps_values_outside_the_range_to_the_rect() -> None:
    surface = canvas()
    rect = pygame.Rect(20, 30, 100, 40)
    draw_sparkline(surface, rect, [-500, 900, -500, 900], RED, lower=0, upper=100)
    pixels = painted(surface)
    assert pixels and all(rect.collidepoint(p) for p in pixels)
    assert any(y == rect.top for _, y in pixels) and any(y == rect.bottom - 1 for _, y in pixels)


def test_sparkline_of_a_flat_series_is_a_level_line() -> None:
    surface = canvas()
    rect = pygame.Rect(10, 10, 100, 51)
    draw_sparkline(surface, rect, [50.0] * 12, BLUE, lower=0, upper=100)
    rows = {y for _, y in painted(surface)}
    assert rows and all(abs(y - 35) <= 2 for y in rows)  # the middle of the rect


def test_sparkline_breaks_at_nan_and_survives_degenerate_input() -> None:
    surface = canvas()
    rect = pygame.Rect(0, 0, 101, 50)
    draw_sparkline(surface, rect, [10, 10, NAN, NAN, 90, 90], RED, lower=0, upper=100)
    assert column(surface, 50, 0, 50) == []  # the gap between index 1 (x=20) and index 4 (x=80)
    assert column(surface, 10, 0, 50) and column(surface, 90, 0, 50)
    surface = canvas()
    draw_sparkline(surface, rect, [10, NAN, 90, NAN, 10], RED, lower=0, upper=100)
    assert rgb(surface, (50, round(49 - 0.9 * 49))) == RED  # a value between two gaps is a dot

    for values, lower, upper in (([], 0, 100), ([42.0], 0, 100), ([NAN, NAN], 0, 100), ([1, 2, 3], 5, 5),
                                 ([math.inf, -math.inf, 3], 0, 10)):
        surface = canvas()
        draw_sparkline(surface, rect, values, RED, lower=lower, upper=upper)
        assert all(rect.collidepoint(p) for p in painted(surface))
    surface = canvas()
    draw_sparkline(surface, rect, [42.0], RED, lower=0, upper=100)
    assert rgb(surface, (50, round(49 - 0.42 * 49))) == RED  # a lone value is a dot in the middle
    draw_sparkline(surface, pygame.Rect(0, 0, 0, 10), [1, 2], RED, lower=0, upper=3)  # an empty rect: no error


def test_charts_accept_numpy_arrays(font: pygame.font.Font) -> None:
    values = np.array([10.0, np.nan, 30.0, 80.0])
    surface = canvas()
    draw_sparkline(surface, pygame.Rect(0, 0, 100, 50), values, RED, lower=0, upper=100)
    draw_line_chart(surface, pygame.Rect(0, 50, 200, 70), [("a", values, BLUE)], lower=0, upper=100,
                    x_labels=["1", "2", "3", "4"], font=font)
    draw_fan(surface, pygame.Rect(100, 0, 100, 50), values - 5, values, values + 5, RED, lower=0, upper=100)
    assert RED in {rgb(surface, p) for p in painted(surface)}


# --- line chart -----------------------------------------------------------------------------------------------


def test_line_chart_draws_every_series_with_its_legend_axes_and_labels(font: pygame.font.Font) -> None:
    surface = canvas((400, 220))
    rect = pygame.Rect(0, 0, 400, 220)
    months = [f"1960-{m:02d}" for m in range(1, 13)]
    draw_line_chart(
        surface,
        rect,
        [("Approval", [40 + m for m in range(12)], RED), ("Tension", [70 - 2 * m for m in range(12)], BLUE)],
        lower=0,
        upper=100,
        x_labels=months,
        font=font,
    )
    colours = {rgb(surface, p) for p in painted(surface)}
    assert RED in colours and BLUE in colours
    # The legend's swatches sit in the top rows, before any plotted line.
    legend_rows = {rgb(surface, (x, y)) for x in range(0, 400) for y in range(0, font.get_linesize())}
    assert RED in legend_rows and BLUE in legend_rows
    # The axes are drawn in the palette's muted text colour, and x labels under the plot.
    palette = default_palette()
    assert palette.text_muted in colours
    bottom_band = painted(surface, pygame.Rect(0, 220 - font.get_linesize(), 400, font.get_linesize()))
    assert len(bottom_band) > 20
    assert all(rect.collidepoint(p) for p in painted(surface))


def test_line_chart_labels_do_not_overlap_even_with_many_points(font: pygame.font.Font) -> None:
    surface = canvas((300, 160))
    labels = [f"{1950 + i}" for i in range(120)]
    draw_line_chart(
        surface, pygame.Rect(0, 0, 300, 160), [("x", list(range(120)), RED)], lower=0, upper=120,
        x_labels=labels, font=font,
    )
    # Count separate label runs in the bottom band: far fewer than 120, at least the first and the last.
    band_top = 160 - font.get_linesize()
    columns = [any(rgb(surface, (x, y)) != BACKGROUND for y in range(band_top, 160)) for x in range(300)]
    runs = sum(1 for x in range(1, 300) if columns[x] and not columns[x - 1]) + int(columns[0])
    assert 2 <= runs < 40


def test_line_chart_survives_awkward_input(font: pygame.font.Font) -> None:
    cases = [
        ([], []),
        ([("empty", [], RED)], []),
        ([("one", [5.0], RED)], ["only"]),
        ([("nan", [NAN, 1.0, NAN, 3.0], RED), ("flat", [2.0, 2.0, 2.0, 2.0], BLUE)], ["a", "b", "c", "d"]),
        ([("more labels than points", [1.0, 2.0], RED)], ["a", "b", "c", "d", "e"]),
    ]
    for series, labels in cases:
        for rect in (pygame.Rect(0, 0, 300, 150), pygame.Rect(0, 0, 30, 12), pygame.Rect(0, 0, 0, 0)):
            surface = canvas((300, 150))
            draw_line_chart(surface, rect, series, lower=0, upper=10, x_labels=labels, font=font)
            assert all(rect.collidepoint(p) for p in painted(surface))
    surface = canvas((300, 150))
    draw_line_chart(surface, pygame.Rect(0, 0, 300, 150), [("one", [5.0], RED)], lower=0, upper=10,
                    x_labels=["only"], font=font)
    assert RED in {rgb(surface, p) for p in painted(surface, pygame.Rect(0, 30, 300, 100))}  # the lone point


# --- fan ------------------------------------------------------------------------------------------------------


def test_fan_fills_between_p10_and_p90_with_the_median_on_top() -> None:
    surface = canvas((200, 101))
    rect = pygame.Rect(0, 0, 200, 101)
    n = 11
    draw_fan(surface, rect, [20.0] * n, [50.0] * n, [80.0] * n, RED, lower=0, upper=100)
    x = 100
    assert rgb(surface, (x, 50)) == RED  # the median line
    inside_band = rgb(surface, (x, 35))  # between p90 (y = 20) and the median
    assert inside_band not in (BACKGROUND, RED)
    assert inside_band[0] > BACKGROUND[0]  # tinted towards the series colour, translucent
    assert rgb(surface, (x, 5)) == BACKGROUND and rgb(surface, (x, 95)) == BACKGROUND  # outside the band
    assert rgb(surface, (x, 75)) == inside_band  # p10 side too


def test_fan_widening_band_and_gaps() -> None:
    surface = canvas((201, 101))
    rect = pygame.Rect(0, 0, 201, 101)
    p50 = [50.0] * 5
    p10 = [50.0, 40.0, NAN, 20.0, 10.0]
    p90 = [50.0, 60.0, NAN, 80.0, 90.0]
    draw_fan(surface, rect, p10, p50, p90, BLUE, lower=0, upper=100)
    # The band is narrow at the start, wide at the end, and absent where a bound is missing.
    assert len(column(surface, 199, 0, 101)) > len(column(surface, 55, 0, 101)) > 0
    assert column(surface, 100, 0, 40) == [] and column(surface, 100, 61, 101) == []


def test_fan_survives_awkward_input() -> None:
    rect = pygame.Rect(10, 10, 100, 50)
    cases = [
        ([], [], []),
        ([1.0], [2.0], [3.0]),
        ([1.0, 2.0], [2.0], [3.0, 4.0, 5.0]),
        ([NAN] * 3, [NAN] * 3, [NAN] * 3),
        ([5.0, 5.0], [5.0, 5.0], [5.0, 5.0]),
        ([90.0, 80.0], [50.0, 50.0], [10.0, 20.0]),  # bounds given the wrong way round
    ]
    for p10, p50, p90 in cases:
        surface = canvas()
        draw_fan(surface, rect, p10, p50, p90, BLUE, lower=0, upper=100)
        assert all(rect.collidepoint(p) for p in painted(surface))
    surface = canvas()
    draw_fan(surface, rect, [], [30.0, 40.0], [], BLUE, lower=0, upper=100)  # no band: the median alone
    assert BLUE in {rgb(surface, p) for p in painted(surface)}
