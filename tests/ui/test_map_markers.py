"""Places close together on the map (Naha, Kadena, Futenma; Tokyo, Yokota, Yokosuka) can each be clicked.

Every shipped scenario, at the game screen's map sizes, at the scenario's view and zoomed in around each place:
every marker drawn in the view selects its own place wherever the pointer is on it, so no marker hides another.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Iterator

import pygame
import pytest

from game.geography.map_data import WorldMap, load_world_map
from game.scenario.catalog import discover
from game.scenario.models import Scenario
from game.ui.app import App
from game.ui.map_view import MapSelection, MapView
from game.ui.palette import default_palette
from tests.ui.ui_driver import click, start_game

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

SHIPPED: dict[str, Scenario] = {
    entry.scenario_id: entry.result.scenario
    for entry in discover(None)
    if entry.shipped and entry.result.scenario is not None
}
# The game screen's map at 1280×720 and at the smallest window, 1024×600 (scale 1.0).
MAP_SIZES = ((600, 651), (410, 535))
ZOOMS = (4.0, 16.0)  # zoomed in around each place: the markers part, then sit on their places


@pytest.fixture(scope="module")
def world_map() -> Iterator[WorldMap]:
    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode((320, 200))
    yield load_world_map()
    pygame.display.quit()


def view_of(world_map: WorldMap, scenario: Scenario, size: tuple[int, int]) -> MapView:
    player = scenario.roles[next(iter(scenario.roles))].actor
    font = pygame.font.Font(None, 16)
    return MapView(pygame.Rect((0, 0), size), world_map, scenario, player, default_palette(), font)


def markers_in_view(view: MapView, scenario: Scenario) -> dict[str, tuple[int, int]]:
    """Each place whose marker is drawn inside the map, and where."""
    shown = {}
    for place in scenario.map.places:
        position = view.marker_position(place.id)
        if position is not None and view.rect.inflate(-16, -16).collidepoint(position):
            shown[place.id] = position
    return shown


def assert_each_marker_selects_its_place(view: MapView, scenario: Scenario, where: str) -> int:
    """A click on the centre of each marker, or anywhere on it, selects that marker's place; returns how many
    markers were in the view."""
    shown = markers_in_view(view, scenario)
    for place_id, (x, y) in shown.items():
        assert view.selection_at((x, y)) == MapSelection("place", place_id), f"{where}: centre of {place_id}"
        # Four pixels from the centre is on every kind of marker at every size (the smallest reaches 4 px).
        for dx, dy in ((3, 0), (-3, 0), (0, 3), (0, -3)):
            assert view.selection_at((x + dx, y + dy)) == MapSelection("place", place_id), (
                f"{where}: {place_id} at {dx:+},{dy:+} px from its centre")
    for (a, pa), (b, pb) in itertools.combinations(shown.items(), 2):
        assert pa != pb, f"{where}: {a} and {b} drawn at the same point"
    return len(shown)


@pytest.mark.slow  # each scenario ~1–1.5 s: the sweep as a whole is too long for the fast loop
@pytest.mark.parametrize("scenario_id", sorted(SHIPPED))
def test_every_marker_selects_its_own_place_at_the_default_view_and_zoomed_in(
    world_map: WorldMap, scenario_id: str
) -> None:
    scenario = SHIPPED[scenario_id]
    for size in MAP_SIZES:
        view = view_of(world_map, scenario, size)
        shown = assert_each_marker_selects_its_place(view, scenario, f"{scenario_id} {size} default view")
        assert shown >= 3, f"{scenario_id}: too few places in the default view to test anything"
        default_scale = view.viewport.scale
        for place, zoom in itertools.product(scenario.map.places, ZOOMS):
            view.centre_on(*place.at)
            view.zoom(default_scale * zoom / view.viewport.scale)  # the zoom is clamped at 2° across
            assert_each_marker_selects_its_place(view, scenario, f"{scenario_id} {size} ×{zoom} at {place.id}")


def test_okinawa_markers_part_at_the_default_view_and_sit_on_their_places_zoomed_in(world_map: WorldMap) -> None:
    scenario = SHIPPED["okinawa_1995"]
    view = view_of(world_map, scenario, MAP_SIZES[0])
    okinawa = ("kadena", "futenma", "naha")
    true = {p.id: view.screen_position(*p.at) for p in scenario.map.places if p.id in okinawa}
    assert max(math.dist(true[a], true[b]) for a, b in itertools.combinations(okinawa, 2)) < 6  # on top of each other
    drawn = {place_id: view.marker_position(place_id) for place_id in okinawa}
    for a, b in itertools.combinations(okinawa, 2):
        pa, pb = drawn[a], drawn[b]
        assert pa is not None and pb is not None and math.dist(pa, pb) >= 10, (a, b, pa, pb)
    # Moved no further than it takes: each marker stays next to its place, Kadena north of Naha.
    assert all(math.dist(drawn[p] or (0, 0), true[p]) <= 12 for p in okinawa)
    assert (drawn["kadena"] or (0, 0))[1] < (drawn["naha"] or (0, 0))[1]
    view.centre_on(127.75, 26.3)
    view.zoom(16)
    for place_id in okinawa:
        place = next(p for p in scenario.map.places if p.id == place_id)
        position = view.marker_position(place_id)
        assert position is not None and math.dist(position, view.screen_position(*place.at)) <= 1


def test_a_moved_marker_is_drawn_where_it_is_clicked_with_a_leader_to_its_place(world_map: WorldMap) -> None:
    scenario = SHIPPED["okinawa_1995"]
    view = view_of(world_map, scenario, MAP_SIZES[0])
    surface = pygame.Surface(view.rect.size)
    view.draw(surface)
    palette = default_palette()
    us = palette.relation_colour(next(r.initial for r in scenario.relations if set(r.between) == {"japan", "us"}))
    for base in ("kadena", "futenma"):
        position = view.marker_position(base)
        assert position is not None
        x, y = position
        # A base is a square frame in its actor's colour, 2 px wide, around the centre.
        ring = [surface.get_at((x + dx, y + dy))[:3] for dx in range(-5, 6) for dy in range(-5, 6)]
        assert tuple(us) in ring, f"{base}: no frame in the U.S. colour around {position}"
    futenma = next(p for p in scenario.map.places if p.id == "futenma")
    true = view.screen_position(*futenma.at)
    assert tuple(surface.get_at(true)[:3]) != palette.sea  # the leader's end (or a marker) marks the true place


def test_places_at_the_very_same_point_are_both_clickable(world_map: WorldMap) -> None:
    document = SHIPPED["okinawa_1995"].model_dump(mode="python", by_alias=True)
    places = document["map"]["places"]
    twin = dict(next(p for p in places if p["id"] == "kadena"), id="kadena_twin")
    document["map"]["places"] = [*places, twin]
    scenario = Scenario.model_validate(document)
    view = view_of(world_map, scenario, MAP_SIZES[0])
    for place_id in ("kadena", "kadena_twin"):
        position = view.marker_position(place_id)
        assert position is not None and view.selection_at(position) == MapSelection("place", place_id)


def test_clicking_the_kadena_marker_in_the_game_opens_kadenas_panel(app: App) -> None:
    start_game(app, "okinawa_1995", seed=3)
    app.run_frames(2)
    game = app.scene
    map_view: MapView = game.map_view  # type: ignore[attr-defined]
    for place_id in ("kadena", "futenma", "naha"):
        position = map_view.marker_position(place_id)
        assert position is not None
        click(app, position)
        assert game.selection == MapSelection("place", place_id)  # type: ignore[attr-defined]
    assert app.errors == []


def test_the_shipped_scenarios_are_all_here() -> None:
    assert len(SHIPPED) >= 8 and "okinawa_1995" in SHIPPED
