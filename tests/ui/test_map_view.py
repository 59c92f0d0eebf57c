"""The map: projection and hit-testing as pure functions, and the drawing checked pixel by pixel (headless)."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pygame
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from game.geography.map_data import MapLevel, WorldMap, load_world_map
from game.geography.projection import (
    Viewport,
    country_at,
    latitude_of,
    longitude_shifts,
    main_centroid,
    mercator_y,
    nearest_copy,
    rasterise_rings,
    ring_areas,
    ring_contains,
)
from game.scenario.models import Scenario
from game.ui.map_view import FALLBACK_OWN_COLOUR, MapSelection, MapView
from game.ui.palette import default_palette

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal_scenario.yaml"
PALETTE = default_palette()


@pytest.fixture(scope="module", autouse=True)
def pygame_headless() -> Any:
    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode((320, 200))
    yield
    pygame.display.quit()


@pytest.fixture(scope="module")
def font() -> pygame.font.Font:
    return pygame.font.Font(None, 16)


@pytest.fixture(scope="module")
def world_map() -> WorldMap:
    return load_world_map()


def east_asia_scenario(**map_overrides: Any) -> Scenario:
    """The minimal fixture from disk, with the actors, places and tensions of an East Asia map."""
    document = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    document["actors"] = {
        "japan": {"name": "Japan", "iso": ["JPN"]},
        "us": {"name": "United States", "iso": ["USA"]},
        "china": {"name": "China", "iso": ["CHN"]},
        "north_korea": {"name": "North Korea", "iso": ["PRK"]},
    }
    document["relations"] = [
        {"between": ["japan", "us"], "initial": 80},
        {"between": ["china", "japan"], "initial": -60},
    ]
    document["map"] = {
        "view": [118, 20, 150, 47],
        "places": [
            {"id": "tokyo", "name": "Tokyo", "at": [139.7, 35.7], "kind": "city", "actor": "japan", "shows": "tension"},
            {"id": "kadena", "name": "Kadena", "at": [127.77, 26.35], "kind": "base", "actor": "us"},
            {"id": "patrol", "name": "Patrol", "at": [145, 25], "kind": "sea", "actor": "japan", "shows": "tension"},
        ],
        "tensions": [{"between": ["japan", "north_korea"], "shows": "tension"}],
        **map_overrides,
    }
    return Scenario.model_validate(document)


def make_view(world_map: WorldMap, font: pygame.font.Font, scenario: Scenario | None = None,
              size: tuple[int, int] = (640, 400), player: str = "japan") -> MapView:
    return MapView(pygame.Rect(0, 0, *size), world_map, scenario or east_asia_scenario(), player, PALETTE, font)


def drawn(view: MapView) -> pygame.Surface:
    surface = pygame.Surface(view.rect.size)
    view.draw(surface)
    return surface


def colour_at(surface: pygame.Surface, pos: tuple[int, int]) -> tuple[int, int, int]:
    c = surface.get_at(pos)
    return (c.r, c.g, c.b)


# --- a tiny hand-made world: two square countries, one with an enclave --------------------------------


def square(west: float, south: float, east: float, north: float) -> list[tuple[float, float]]:
    return [(west, south), (east, south), (east, north), (west, north), (west, south)]


def tiny_world() -> WorldMap:
    from game.geography.map_data import Country

    rings = [square(0, 0, 10, 10), square(4, 4, 6, 6), square(4, 4, 6, 6), square(20, 0, 30, 10)]
    points = np.array([p for ring in rings for p in ring], dtype=np.float64)
    offsets = np.cumsum([0] + [len(r) for r in rings]).astype(np.int64)
    bbox = np.array([[min(x for x, _ in r), min(y for _, y in r), max(x for x, _ in r), max(y for _, y in r)]
                     for r in rings])
    level = MapLevel(
        name="fine",
        points=points,
        ring_offsets=offsets,
        ring_country=np.array([0, 0, 1, 2], dtype=np.int64),
        ring_is_hole=np.array([False, True, False, False]),
        ring_bbox=bbox,
    )
    countries = (
        Country(0, "AAA", "Outer", "Outer", (0, 0, 10, 10)),
        Country(1, "BBB", "Enclave", "Enclave", (4, 4, 6, 6)),
        Country(2, "CCC", "Other", "Other", (20, 0, 30, 10)),
    )
    return WorldMap(countries=countries, levels={"fine": level})


# --- projection ----------------------------------------------------------------------------------------


def test_mercator_is_identity_at_the_equator_and_inverts() -> None:
    assert float(mercator_y(0.0)) == pytest.approx(0.0)
    assert float(mercator_y(1.0)) == pytest.approx(1.0, rel=1e-3)
    lats = np.array([-80.0, -35.5, 0.0, 26.3, 45.0, 84.9])
    assert latitude_of(mercator_y(lats)) == pytest.approx(lats)
    assert float(mercator_y(89.9)) == pytest.approx(float(mercator_y(85.0)))  # clamped, not infinite


def test_fit_shows_the_whole_view_box_centred() -> None:
    viewport = Viewport.fit((118, 20, 150, 47), 1280, 720)
    for lon, lat in ((118, 20), (150, 47), (118, 47), (150, 20)):
        x, y = viewport.to_screen(lon, lat)
        assert -0.5 <= x <= 1280.5 and -0.5 <= y <= 720.5
    x, y = viewport.to_screen(134, float(latitude_of((mercator_y(20) + mercator_y(47)) / 2)))
    assert (x, y) == pytest.approx((640, 360))


@given(
    lon=st.floats(-179, 179),
    lat=st.floats(-80, 80),
    centre_lon=st.floats(-180, 180),
    zoom=st.floats(0.05, 20),
)
def test_screen_and_lonlat_round_trip(lon: float, lat: float, centre_lon: float, zoom: float) -> None:
    viewport = Viewport.fit((centre_lon - 10, -10, centre_lon + 10, 10), 800, 600).zoomed(zoom)
    x, y = viewport.to_screen(lon, lat)
    back_lon, back_lat = viewport.to_lonlat(x, y)
    assert nearest_copy(back_lon, lon) == pytest.approx(lon, abs=1e-6)
    assert back_lat == pytest.approx(lat, abs=1e-6)


def test_zoom_keeps_the_point_under_the_cursor_still() -> None:
    viewport = Viewport.fit((118, 20, 150, 47), 1280, 720)
    before = viewport.to_lonlat(300, 200)
    zoomed = viewport.zoomed(2.0, (300, 200))
    assert zoomed.scale == pytest.approx(viewport.scale * 2)
    assert zoomed.to_lonlat(300, 200) == pytest.approx(before)


def test_zoom_is_clamped_to_sensible_limits() -> None:
    viewport = Viewport.fit((118, 20, 150, 47), 1280, 720)
    assert viewport.zoomed(1e6).scale == pytest.approx(720 / 2)  # at most 2 degrees across the short side
    assert viewport.zoomed(1e-6).scale == pytest.approx(720 / 360)  # at least the whole world
    assert viewport.zoomed(0).scale == viewport.scale and viewport.zoomed(float("nan")).scale == viewport.scale


def test_pan_moves_the_content_with_the_pointer() -> None:
    viewport = Viewport.fit((118, 20, 150, 47), 1280, 720)
    tokyo = viewport.to_screen(139.7, 35.7)
    panned = viewport.panned(50, -30)
    assert panned.to_screen(139.7, 35.7) == pytest.approx((tokyo[0] + 50, tokyo[1] - 30))


def test_panning_north_stops_at_the_edge_of_the_map() -> None:
    viewport = Viewport.fit((118, 20, 150, 47), 1280, 720)
    far = viewport.panned(0, 1e6)
    _, top_lat = far.to_lonlat(640, 0)
    assert top_lat <= 85.0 + 1e-6
    assert far.to_lonlat(640, 360)[1] < 85.0


def test_a_view_across_the_antimeridian_shows_the_pacific() -> None:
    viewport = Viewport.fit((100, 0, 200, 50), 1000, 500)
    assert viewport.centre_x == pytest.approx(150)
    honolulu = viewport.to_screen(-157.86, 21.31)  # written as 157.86°W, drawn east of Japan
    tokyo = viewport.to_screen(139.7, 35.7)
    assert 0 <= honolulu[0] <= 1000 and honolulu[0] > tokyo[0]
    assert longitude_shifts(*viewport.world_box()[::2]) == [0.0, 360.0]
    # Written the other way round, the same box is understood.
    assert Viewport.fit((100, 0, -160, 50), 1000, 500).centre_x == pytest.approx(150)


# --- hit-testing ------------------------------------------------------------------------------------------


def test_ring_contains_uses_the_even_odd_rule() -> None:
    ring = np.array(square(0, 0, 10, 10), dtype=np.float64)
    assert ring_contains(ring, 5, 5)
    assert not ring_contains(ring, 15, 5)
    assert not ring_contains(ring, 5, -1)
    assert not ring_contains(ring[:2], 5, 5)


def test_country_at_finds_the_enclave_not_the_country_around_it() -> None:
    world = tiny_world()
    assert country_at(world, 2, 2) == 0
    assert country_at(world, 5, 5) == 1
    assert country_at(world, 25, 5) == 2
    assert country_at(world, 15, 5) is None
    assert country_at(world, 25 + 360, 5) == 2  # an unwrapped longitude


def test_rasterising_matches_the_point_in_polygon_test_at_every_pixel_centre() -> None:
    # A concave "C" shape and a triangle that leaves the grid: the even-odd fill must agree with
    # ring_contains at every pixel centre, and nothing may be drawn outside the grid.
    c_shape = [(2, 2), (15, 2), (15, 5), (6, 5), (6, 12), (15, 12), (15, 15), (2, 15), (2, 2)]
    triangle = [(10.3, 7.7), (30.0, 9.1), (12.2, 25.0), (10.3, 7.7)]
    rings = [np.array(c_shape, dtype=np.float64), np.array(triangle, dtype=np.float64)]
    points = np.concatenate(rings)
    offsets = np.array([0, len(c_shape), len(c_shape) + len(triangle)], dtype=np.int64)
    grid = rasterise_rings(points[:, 0], points[:, 1], offsets, np.array([1, 2], dtype=np.int64), 20, 18)
    assert grid.shape == (18, 20)
    for row in range(18):
        for col in range(20):
            expected = sum(
                value for ring, value in zip(rings, (1, 2), strict=True) if ring_contains(ring, col + 0.5, row + 0.5)
            )
            assert grid[row, col] == expected, (row, col)
    assert rasterise_rings(points[:, 0], points[:, 1], offsets, np.array([1, 2]), 0, 0).shape == (0, 0)


def test_ring_areas_and_centroids() -> None:
    world = tiny_world()
    assert ring_areas(world.level("fine")) == pytest.approx([100, 4, 4, 100])
    assert main_centroid(world, ["CCC"], "fine") == pytest.approx((25, 5))
    assert main_centroid(world, ["ZZZ"], "fine") is None


def test_country_at_on_the_real_map(world_map: WorldMap) -> None:
    def iso(lon: float, lat: float) -> str | None:
        index = country_at(world_map, lon, lat)
        return None if index is None else world_map.countries[index].iso

    assert iso(139.7, 35.7) == "JPN"  # Tokyo
    assert iso(127.80, 26.40) == "JPN"  # Okinawa Island
    assert iso(116.4, 39.9) == "CHN"
    assert iso(145.0, 30.0) is None  # the open Pacific
    usa = main_centroid(world_map, ["USA"])
    assert usa is not None and -125 < usa[0] < -65 and 25 < usa[1] < 50  # the mainland, not the Pacific


# --- drawing ------------------------------------------------------------------------------------------------


def test_countries_are_coloured_by_their_relation_to_the_player(world_map: WorldMap, font: pygame.font.Font) -> None:
    view = make_view(world_map, font)
    surface = drawn(view)
    assert colour_at(surface, view.screen_position(138.0, 36.5)) == FALLBACK_OWN_COLOUR  # Honshu: the player
    china = colour_at(surface, view.screen_position(118.5, 30.0))
    assert china == PALETTE.relation_colour(-60)
    assert colour_at(surface, view.screen_position(145.0, 30.0)) == PALETTE.sea
    assert colour_at(surface, view.screen_position(121.0, 23.7)) == PALETTE.land  # Taiwan: not an actor here


def test_new_relation_values_recolour_the_countries(world_map: WorldMap, font: pygame.font.Font) -> None:
    view = make_view(world_map, font)
    point = view.screen_position(118.5, 30.0)
    assert colour_at(drawn(view), point) == PALETTE.relation_colour(-60)
    view.update_values({"relation.china.japan": 90.0})
    assert colour_at(drawn(view), point) == PALETTE.relation_colour(90)
    view.update_values({"relation.japan.china": -100.0})  # either order names the same relation
    assert colour_at(drawn(view), point) == PALETTE.hostile


def test_markers_are_drawn_at_their_places_and_sized_by_their_variable(
    world_map: WorldMap, font: pygame.font.Font
) -> None:
    view = make_view(world_map, font)
    x, y = view.screen_position(127.77, 26.35)
    surface = drawn(view)
    us_colour = PALETTE.relation_colour(80)
    # Kadena, a base of the (allied) United States: a frame in the US colour, with Okinawa visible inside.
    around = {colour_at(surface, (x + dx, y + dy)) for dx in range(-8, 9) for dy in range(-8, 9)}
    assert us_colour in around
    assert colour_at(surface, (x, y)) == FALLBACK_OWN_COLOUR
    patrol = view.screen_position(145.0, 25.0)  # a ring-shaped "sea" marker on open water

    def marker_width(surface: pygame.Surface) -> int:
        row = [colour_at(surface, (patrol[0] + dx, patrol[1])) for dx in range(-15, 16)]
        drawn_at = [dx for dx, colour in zip(range(-15, 16), row, strict=True) if colour == FALLBACK_OWN_COLOUR]
        return max(drawn_at) - min(drawn_at)

    view.update_values({"tension": 0.0})
    small = marker_width(drawn(view))
    view.update_values({"tension": 100.0})
    large = marker_width(drawn(view))
    view.update_values({"tension": 100.0}, ranges={"tension": (0.0, 200.0)})
    rescaled = marker_width(drawn(view))
    assert small < rescaled < large


def test_tension_line_is_drawn_between_the_actors(world_map: WorldMap, font: pygame.font.Font) -> None:
    view = make_view(world_map, font)
    view.update_values({"tension": 100.0})
    japan = main_centroid(world_map, ["JPN"])
    korea = main_centroid(world_map, ["PRK"])
    assert japan is not None and korea is not None
    ax, ay = view.screen_position(*japan)
    bx, by = view.screen_position(*korea)
    # The line bows a little (so that lines sharing an actor stay apart): look for it along the
    # perpendicular through the middle of the straight segment.
    length = math.hypot(bx - ax, by - ay)
    normal = (-(by - ay) / length, (bx - ax) / length)

    def across(surface: pygame.Surface) -> list[tuple[int, int, int]]:
        return [
            colour_at(surface, (round((ax + bx) / 2 + t * normal[0]), round((ay + by) / 2 + t * normal[1])))
            for t in range(-round(length / 4), round(length / 4))
        ]

    assert PALETTE.hostile in across(drawn(view))
    view.update_values({"tension": 0.0})
    assert PALETTE.hostile not in across(drawn(view))


def test_the_pacific_view_draws_hawaii_east_of_japan(world_map: WorldMap, font: pygame.font.Font) -> None:
    scenario = east_asia_scenario(view=[100, 0, 200, 50], places=[], tensions=[])
    view = make_view(world_map, font, scenario, size=(1000, 500))
    hawaii = view.screen_position(-155.5, 19.6)
    assert 0 <= hawaii[0] < 1000
    assert colour_at(drawn(view), hawaii) == PALETTE.relation_colour(80)
    # Panning a whole turn of the globe eastwards comes back to the same picture.
    before = pygame.image.tobytes(drawn(view), "RGB")
    view.pan(-360 * view.viewport.scale, 0)
    assert pygame.image.tobytes(drawn(view), "RGB") == before


def test_panning_reuses_the_cached_land_and_matches_a_fresh_render(world_map: WorldMap, font: pygame.font.Font) -> None:
    view = make_view(world_map, font)
    drawn(view)
    view.pan(-37, 21)
    panned = pygame.image.tobytes(drawn(view), "RGB")
    fresh = make_view(world_map, font)
    fresh.pan(-37, 21)
    assert pygame.image.tobytes(drawn(fresh), "RGB") == panned


def test_the_map_draws_only_inside_its_rect(world_map: WorldMap, font: pygame.font.Font) -> None:
    view = MapView(pygame.Rect(100, 50, 300, 200), world_map, east_asia_scenario(), "japan", PALETTE, font)
    surface = pygame.Surface((500, 300))
    surface.fill((1, 2, 3))
    view.draw(surface)
    assert colour_at(surface, (99, 150)) == (1, 2, 3) and colour_at(surface, (250, 251)) == (1, 2, 3)
    assert surface.get_clip() == surface.get_rect()
    view.set_rect(pygame.Rect(0, 0, 500, 300))
    view.draw(surface)
    assert colour_at(surface, (2, 2)) != (1, 2, 3)


def test_tiny_world_draws_the_enclave_over_its_surroundings(font: pygame.font.Font) -> None:
    document = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    document["actors"] = {"japan": {"name": "Outer", "iso": ["AAA"]}, "us": {"name": "Enclave", "iso": ["BBB"]}}
    document["map"] = {"view": [-2, -2, 32, 12], "places": []}
    view = MapView(
        pygame.Rect(0, 0, 340, 140), tiny_world(), Scenario.model_validate(document), "japan", PALETTE, font
    )
    surface = drawn(view)
    assert colour_at(surface, view.screen_position(2, 2)) == FALLBACK_OWN_COLOUR
    assert colour_at(surface, view.screen_position(5, 5)) == PALETTE.relation_colour(40)
    assert colour_at(surface, view.screen_position(25, 5)) == PALETTE.land
    assert colour_at(surface, view.screen_position(15, 5)) == PALETTE.sea


# --- interaction (real events through pygame's queue) ------------------------------------------------------


def through_queue(*events: pygame.event.Event) -> list[pygame.event.Event]:
    pygame.event.clear()
    for event in events:
        pygame.event.post(event)
    return [e for e in pygame.event.get() if e.type in {ev.type for ev in events}]


def click(pos: tuple[int, int]) -> list[pygame.event.Event]:
    return through_queue(
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1),
        pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1),
    )


def selections(view: MapView, events: list[pygame.event.Event]) -> list[MapSelection]:
    return [s for s in (view.handle_event(e) for e in events) if s is not None]


def test_clicks_select_places_then_actors(world_map: WorldMap, font: pygame.font.Font) -> None:
    view = make_view(world_map, font)
    kadena = view.screen_position(127.77, 26.35)
    assert selections(view, click((kadena[0] + 3, kadena[1] - 2))) == [MapSelection("place", "kadena")]
    assert selections(view, click(view.screen_position(118.5, 30.0))) == [MapSelection("actor", "china")]
    assert selections(view, click(view.screen_position(145.0, 30.0))) == []  # the sea
    assert selections(view, click(view.screen_position(121.0, 23.7))) == []  # a country that is not an actor


def test_drag_pans_without_selecting(world_map: WorldMap, font: pygame.font.Font) -> None:
    view = make_view(world_map, font)
    tokyo = view.screen_position(139.7, 35.7)
    events = through_queue(
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(300, 200), button=1),
        pygame.event.Event(pygame.MOUSEMOTION, pos=(320, 210), rel=(20, 10), buttons=(1, 0, 0)),
        pygame.event.Event(pygame.MOUSEMOTION, pos=(360, 230), rel=(40, 20), buttons=(1, 0, 0)),
        pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(360, 230), button=1),
    )
    assert selections(view, events) == []
    assert view.screen_position(139.7, 35.7) == (tokyo[0] + 60, tokyo[1] + 30)


def test_wheel_zooms_around_the_pointer_and_keys_pan_and_zoom(world_map: WorldMap, font: pygame.font.Font) -> None:
    view = make_view(world_map, font)
    scale = view.viewport.scale
    under = view.viewport.to_lonlat(200, 100)
    wheel = pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, precise_x=0.0, precise_y=1.0, flipped=False, pos=(200, 100))
    selections(view, through_queue(wheel))
    assert view.viewport.scale == pytest.approx(scale * 1.2)
    assert view.viewport.to_lonlat(200, 100) == pytest.approx(under)
    centre = view.viewport.centre_x
    selections(view, through_queue(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHT, mod=0, unicode="")))
    assert view.viewport.centre_x > centre
    zoomed = view.viewport.scale
    selections(view, through_queue(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_MINUS, mod=0, unicode="-")))
    assert view.viewport.scale == pytest.approx(zoomed / 1.25)
    # "+" typed as Shift+";" on a Japanese keyboard.
    shifted = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SEMICOLON, mod=pygame.KMOD_SHIFT, unicode="+")
    selections(view, through_queue(shifted))
    assert view.viewport.scale == pytest.approx(zoomed)


def test_zooming_far_out_switches_to_the_coarse_outlines_and_still_draws(
    world_map: WorldMap, font: pygame.font.Font
) -> None:
    view = make_view(world_map, font)
    view.zoom(1e-3)
    surface = drawn(view)
    assert view.viewport.scale == pytest.approx(400 / 360)
    colours = {colour_at(surface, (x, y)) for x in range(0, 640, 7) for y in range(0, 400, 7)}
    assert {PALETTE.sea, PALETTE.land, FALLBACK_OWN_COLOUR} <= colours
    assert math.isfinite(view.viewport.centre_y)


def test_incomplete_or_stray_events_are_ignored(world_map: WorldMap, font: pygame.font.Font) -> None:
    view = make_view(world_map, font)
    before = view.viewport
    stray = through_queue(
        pygame.event.Event(pygame.MOUSEBUTTONDOWN),
        pygame.event.Event(pygame.MOUSEBUTTONUP, button=1),
        pygame.event.Event(pygame.KEYDOWN),
        pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=0),
        pygame.event.Event(pygame.MOUSEMOTION, pos=(5, 5)),
        pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(5, 5), button=3),
    )
    assert selections(view, stray) == []
    assert view.viewport == before
    # A press whose release was never seen (it happened over another window) does not keep dragging.
    lost_release = through_queue(
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(100, 100), button=1),
        pygame.event.Event(pygame.MOUSEMOTION, pos=(200, 150), rel=(100, 50), buttons=(0, 0, 0)),
        pygame.event.Event(pygame.MOUSEMOTION, pos=(300, 200), rel=(100, 50), buttons=(0, 0, 0)),
    )
    assert selections(view, lost_release) == []
    assert view.viewport == before


def test_highlight_outlines_an_actor_or_rings_a_place(world_map: WorldMap, font: pygame.font.Font) -> None:
    view = make_view(world_map, font)
    plain = drawn(view)
    assert PALETTE.focus not in {colour_at(plain, (x, y)) for x in range(0, 640, 2) for y in range(0, 400, 2)}
    view.set_highlight(MapSelection("actor", "china"))
    surface = drawn(view)
    focus_pixels = [(x, y) for x in range(640) for y in range(400) if colour_at(surface, (x, y)) == PALETTE.focus]
    assert len(focus_pixels) > 200  # China's coast and borders
    assert colour_at(surface, view.screen_position(118.5, 30.0)) == PALETTE.relation_colour(-60)  # still filled
    assert all(colour_at(surface, p) != PALETTE.focus for p in [view.screen_position(138.0, 36.5)])
    view.set_highlight(MapSelection("place", "kadena"))
    surface = drawn(view)
    x, y = view.screen_position(127.77, 26.35)
    ring = {colour_at(surface, (x + dx, y + dy)) for dx in range(-14, 15) for dy in range(-14, 15)}
    assert PALETTE.focus in ring
    view.set_highlight(None)
    assert view.highlight is None
    plain = drawn(view)
    assert PALETTE.focus not in {colour_at(plain, (x + dx, y + dy)) for dx in range(-14, 15) for dy in range(-14, 15)}


def test_centre_on_brings_a_place_to_the_middle(world_map: WorldMap, font: pygame.font.Font) -> None:
    view = make_view(world_map, font)
    assert view.place_ids() == ["tokyo", "kadena", "patrol"]
    view.centre_on(127.77, 26.35)
    assert view.screen_position(127.77, 26.35) == (320, 200)


def test_a_map_with_more_countries_than_palette_entries_still_draws(font: pygame.font.Font) -> None:
    from game.geography.map_data import Country

    # 300 one-degree squares in a 20 × 15 grid, with a one-degree strait between neighbours.
    rings = [square(2 * i, 2 * j, 2 * i + 1, 2 * j + 1) for j in range(15) for i in range(20)]
    points = np.array([p for ring in rings for p in ring], dtype=np.float64)
    level = MapLevel(
        name="fine",
        points=points,
        ring_offsets=np.arange(0, 5 * len(rings) + 1, 5, dtype=np.int64),
        ring_country=np.arange(len(rings), dtype=np.int64),
        ring_is_hole=np.zeros(len(rings), dtype=np.bool_),
        ring_bbox=np.array([[r[0][0], r[0][1], r[2][0], r[2][1]] for r in rings], dtype=np.float64),
    )
    def code(i: int) -> str:
        return "".join(chr(65 + digit) for digit in (i // 676, i // 26 % 26, i % 26))

    countries = tuple(
        Country(i, code(i), str(i), str(i), (2.0 * (i % 20), 2.0 * (i // 20), 2.0 * (i % 20) + 1, 2.0 * (i // 20) + 1))
        for i in range(len(rings))
    )
    world = WorldMap(countries=countries, levels={"fine": level})
    document = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    last = countries[-1].iso
    document["actors"] = {"japan": {"name": "First", "iso": [countries[0].iso]}, "us": {"name": "Last", "iso": [last]}}
    document["map"] = {"view": [-1, -1, 40, 30], "places": []}
    view = MapView(pygame.Rect(0, 0, 800, 600), world, Scenario.model_validate(document), "japan", PALETTE, font)
    surface = drawn(view)
    assert colour_at(surface, view.screen_position(0.5, 0.5)) == FALLBACK_OWN_COLOUR
    assert colour_at(surface, view.screen_position(38.5, 28.5)) == PALETTE.relation_colour(40)
    assert colour_at(surface, view.screen_position(20.5, 14.5)) == PALETTE.land
    assert colour_at(surface, view.screen_position(21.5, 14.5)) == PALETTE.sea


# --- the cached overlay and the tension-line anchors ---------------------------------------------------


def test_idle_frames_reuse_the_overlay_and_changes_redraw_it(world_map: WorldMap, font: pygame.font.Font) -> None:
    view = make_view(world_map, font)
    view.update_values({"tension": 40.0})
    first = pygame.image.tobytes(drawn(view), "RGB")
    redraws = view.overlay_redraws
    for _frame in range(5):
        assert pygame.image.tobytes(drawn(view), "RGB") == first
    assert view.overlay_redraws == redraws, "an idle frame blits the cached overlay"
    view.update_values({"tension": 40.0})  # the same values: nothing to redraw
    drawn(view)
    assert view.overlay_redraws == redraws
    view.update_values({"tension": 100.0})  # a bigger Tokyo marker and a thicker line
    changed = pygame.image.tobytes(drawn(view), "RGB")
    assert view.overlay_redraws == redraws + 1 and changed != first
    view.set_highlight(MapSelection("place", "tokyo"))
    drawn(view)
    view.pan(5, 0)
    drawn(view)
    assert view.overlay_redraws == redraws + 3
    # What the cache shows is what a fresh view draws.
    fresh = make_view(world_map, font)
    fresh.update_values({"tension": 100.0})
    fresh.set_highlight(MapSelection("place", "tokyo"))
    fresh.pan(5, 0)
    assert pygame.image.tobytes(drawn(fresh), "RGB") == pygame.image.tobytes(drawn(view), "RGB")


def test_tension_lines_start_from_the_actors_city_or_place_or_nearest_part(world_map: WorldMap) -> None:
    scenario = east_asia_scenario(tensions=[{"between": ["us", "north_korea"], "shows": "tension"}])
    view = make_view(world_map, pygame.font.Font(None, 16), scenario)
    anchors = view._actor_anchors()
    assert anchors["japan"] == (139.7, 35.7)  # its first city (the capital), not the middle of Honshu
    assert anchors["us"] == (127.77, 26.35)  # the U.S. base in the region, not Kansas
    korea = anchors["north_korea"]  # no place: the country itself, inside the view
    assert 124 < korea[0] < 131 and 37 < korea[1] < 43
    oceania = east_asia_scenario(view=[128, -50, 184, -10], places=[], tensions=[])
    from_the_south_pacific = make_view(world_map, pygame.font.Font(None, 16), oceania)._actor_anchors()["us"]
    assert from_the_south_pacific[1] < 23 and abs(from_the_south_pacific[0] + 156) < 3  # Hawaii, not Alaska
