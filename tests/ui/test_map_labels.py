"""Map labels on the game screen: at every UI scale and window size, in English and Japanese, in every shipped
scenario, no two labels overlap, none is cut by the map's edge, none covers a marker, and each sits next to its
own marker."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import pygame
import pytest

from game.scenario.catalog import discover
from game.ui.app import App
from game.ui.map_layout import LABEL_GAP_PX
from game.ui.map_view import MapView
from tests.ui.ui_driver import start_game

SHIPPED = sorted(entry.scenario_id for entry in discover(None) if entry.shipped and entry.result.scenario is not None)


def assert_labels_are_clear(map_view: MapView, where: str) -> int:
    labels = map_view.label_rects
    bounds = map_view.rect
    for owner, rect in labels:
        assert bounds.contains(rect), f"{where}: the label of {owner.id} {rect} is cut by the map's edge {bounds}"
    for (a, ra), (b, rb) in itertools.combinations(labels, 2):
        assert not ra.colliderect(rb), f"{where}: the labels of {a.id} {ra} and {b.id} {rb} overlap"
    markers = {}
    for place in map_view.place_ids():
        position = map_view.marker_position(place)
        if position is not None and bounds.collidepoint(position):
            markers[place] = position
    for (owner, rect), (place, (x, y)) in itertools.product(labels, markers.items()):
        # Every marker reaches at least 4 px from its centre (see `_marker_extent`).
        core = pygame.Rect(x - 3, y - 3, 7, 7)
        assert not rect.colliderect(core), f"{where}: the label of {owner.id} covers the marker of {place}"
    for owner, rect in labels:
        if owner.kind == "place":
            x, y = markers[owner.id]
            # The nearest point of the label is within a marker's reach (≤ 12 px at scale 2) and the gap.
            nearest = (min(max(x, rect.left), rect.right - 1), min(max(y, rect.top), rect.bottom - 1))
            assert math.dist(nearest, (x, y)) <= 14 + LABEL_GAP_PX, f"{where}: {owner.id}'s label is off its marker"
    return len(labels)


# Every UI scale at the default window, the other common window sizes, and the Japanese names.
CASES = [(1.0, (1280, 720), "en"), (1.0, (1366, 768), "en"), (1.0, (1024, 600), "en"), (1.5, (1024, 600), "en"),
         (1.5, (1280, 720), "en"), (2.0, (1280, 720), "en"), (2.0, (1366, 768), "en"), (2.0, (1366, 768), "ja")]


@pytest.mark.slow
@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_map_labels_never_overlap_nor_leave_the_map(app: App, scenario_id: str) -> None:
    start_game(app, scenario_id, seed=1)
    drawn = {}
    for scale, (width, height), language in CASES:
        if (app.settings.scale, app.settings.language) != (scale, language):
            app.apply_settings(replace(app.settings, scale=scale, language=language))
        if app.window.get_size() != (width, height):
            pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=width, h=height, size=(width, height)))
        app.run_frames(1)
        assert app.window.get_size() == (width, height)
        map_view: MapView = app.scene.map_view  # type: ignore[attr-defined]
        where = f"{scenario_id} at {scale}, {width}×{height}, {language}"
        drawn[where] = assert_labels_are_clear(map_view, where)
    assert all(count >= 3 for count in drawn.values()), drawn  # labels are placed, not all left out
    assert app.errors == []
