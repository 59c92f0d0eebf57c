"""The scenario's region as a small SVG for the browser: coarse country outlines, the places with their labels.

Built from the same map asset and projection as the pygame map (`game.geography`), at the scenario's view.
The file must stay small for a classroom of phones on one Wi-Fi (about 150 KB at most; measured by the tests),
so the coarse outlines are used, points closer than a pixel to the last one kept are dropped, and paths are
written with whole-pixel relative steps. The SVG carries no `<style>` and no script: the site's CSP forbids
inline styles, so colours are presentation attributes. Nothing here depends on the game's state, so one
build per scenario and language serves every client.
"""

from __future__ import annotations

import math
from html import escape

import numpy as np

from game.geography.map_data import WorldMap
from game.geography.marker_layout import Box, MarkerSpot, marker_box, place_labels, spread_markers
from game.geography.projection import Viewport, longitude_shifts, mercator_y
from game.scenario.models import Scenario, localized

WIDTH = 1000  # the viewBox's width; the page scales the image to its column
MAX_HEIGHT = 900
MIN_STEP_PX = 1.0  # a point nearer than this to the last one kept adds nothing visible
MIN_RING_PX = 2.0  # rings smaller than this across are left out (islets a pixel wide)
FONT_PX = 14
MARKER_RADIUS = 5.0
SEA = "#dbe7f0"
LAND = "#f4f1ea"
ACTOR_LAND = "#e2dccb"  # the countries of the scenario's actors, a shade darker than other land
BORDER = "#8c8c8c"
INK = "#1b1f24"
HALO = "#ffffff"
MARKER_FILL = {"base": "#0b5cad", "city": "#1b1f24", "island": "#2e7d32", "sea": "#00838f", "other": "#6a737d"}
KIND_IMPORTANCE = {"city": 0, "base": 1, "island": 2, "sea": 3}


def map_size(scenario: Scenario) -> tuple[int, int]:
    """The SVG's width and height in px: the scenario's view at WIDTH, its height following the view's shape."""
    west, south, east, north = scenario.map.view
    if east < west:
        east += 360.0
    span_y = float(mercator_y(north)) - float(mercator_y(south))
    height = round(WIDTH * span_y / max(east - west, 1e-6))
    return WIDTH, max(200, min(MAX_HEIGHT, height))


def text_width(text: str, font_px: int = FONT_PX) -> int:
    """An estimate of a label's width: about 0.6 em per Latin character and one em per wide (CJK) one."""
    wide = sum(1 for ch in text if ord(ch) >= 0x2E80)
    return math.ceil((len(text) - wide) * 0.6 * font_px + wide * font_px)


def region_svg(scenario: Scenario, world_map: WorldMap, language: str = "en") -> str:
    """The SVG text of the scenario's map, its labels in `language` (English where the scenario has none)."""
    width, height = map_size(scenario)
    viewport = Viewport.fit(scenario.map.view, width, height)
    title = localized(scenario.title, language)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             f'<rect width="{width}" height="{height}" fill="{SEA}"/>']
    parts += _land_paths(scenario, world_map, viewport)
    parts += _places(scenario, viewport, language)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _land_paths(scenario: Scenario, world_map: WorldMap, viewport: Viewport) -> list[str]:
    level = world_map.level("coarse")
    actor_isos = {iso for actor in scenario.actors.values() for iso in actor.iso}
    west, south, east, north = viewport.world_box(margin_x=20, margin_y=20)
    lat_south, lat_north = _latitude(south), _latitude(north)
    by_country: dict[int, list[str]] = {}
    for shift in longitude_shifts(west, east):
        for ring_index in world_map.rings_in_view(west - shift, lat_south, east - shift, lat_north, "coarse"):
            ring = level.ring(int(ring_index))
            xs = (ring[:, 0] + shift - viewport.centre_x) * viewport.scale + viewport.width / 2
            ys = (viewport.centre_y - mercator_y(ring[:, 1])) * viewport.scale + viewport.height / 2
            if max(xs.max() - xs.min(), ys.max() - ys.min()) < MIN_RING_PX:
                continue
            path = _ring_path(np.rint(xs).astype(np.int64), np.rint(ys).astype(np.int64))
            if path:
                by_country.setdefault(int(level.ring_country[ring_index]), []).append(path)
    paths = []
    for index, rings in sorted(by_country.items()):
        country = world_map.countries[index]
        fill = ACTOR_LAND if country.iso in actor_isos else LAND
        # evenodd: a country's holes (enclaves) are rings of the same path.
        paths.append(f'<path fill="{fill}" stroke="{BORDER}" stroke-width="0.7" fill-rule="evenodd" '
                     f'd="{"".join(rings)}"><title>{escape(country.name)}</title></path>')
    return paths


def _latitude(mercator: float) -> float:
    return float(np.degrees(2 * np.arctan(np.exp(np.radians(mercator))) - np.pi / 2))


def _ring_path(xs: np.ndarray, ys: np.ndarray) -> str:
    """One closed ring as `M x y` and relative whole-pixel steps, dropping steps shorter than a pixel."""
    kept_x, kept_y = [int(xs[0])], [int(ys[0])]
    for x, y in zip(xs[1:].tolist(), ys[1:].tolist(), strict=True):
        if abs(x - kept_x[-1]) + abs(y - kept_y[-1]) >= MIN_STEP_PX:
            kept_x.append(x)
            kept_y.append(y)
    if len(kept_x) < 3:
        return ""
    steps = " ".join(f"{b - a} {d - c}" for a, b, c, d in
                     zip(kept_x[:-1], kept_x[1:], kept_y[:-1], kept_y[1:], strict=True))
    return f"M{kept_x[0]} {kept_y[0]}l{steps}z"


def _places(scenario: Scenario, viewport: Viewport, language: str) -> list[str]:
    places = [place for place in scenario.map.places
              if 0 <= viewport.to_screen(place.at[0], place.at[1])[0] <= viewport.width
              and 0 <= viewport.to_screen(place.at[0], place.at[1])[1] <= viewport.height]
    spots = [MarkerSpot(*viewport.to_screen(place.at[0], place.at[1]), MARKER_RADIUS + 1) for place in places]
    centres = spread_markers(spots)
    names = [localized(place.name, language) for place in places]
    order = sorted(range(len(places)), key=lambda i: (places[i].shows is None,
                                                      KIND_IMPORTANCE.get(places[i].kind, 9), i))
    obstacles = [marker_box(centre, spot.extent) for centre, spot in zip(centres, spots, strict=True)]
    rects = place_labels([((text_width(names[i]), FONT_PX + 4), centres[i], spots[i].extent) for i in order],
                         Box(0, 0, viewport.width, viewport.height), obstacles, centres)
    parts = []
    for spot, (cx, cy) in zip(spots, centres, strict=True):
        if math.hypot(cx - spot.x, cy - spot.y) > 2:  # a marker moved off its place is joined to it
            parts.append(f'<line x1="{spot.x:.0f}" y1="{spot.y:.0f}" x2="{cx:.0f}" y2="{cy:.0f}" '
                         f'stroke="{INK}" stroke-width="1"/>')
    for place, name, (cx, cy) in zip(places, names, centres, strict=True):
        fill = MARKER_FILL.get(place.kind, MARKER_FILL["other"])
        shape = (f'<rect x="{cx - MARKER_RADIUS:.0f}" y="{cy - MARKER_RADIUS:.0f}" width="{2 * MARKER_RADIUS:.0f}" '
                 f'height="{2 * MARKER_RADIUS:.0f}"' if place.kind == "base" else
                 f'<circle cx="{cx:.0f}" cy="{cy:.0f}" r="{MARKER_RADIUS:.0f}"')
        parts.append(f'{shape} fill="{fill}" stroke="{HALO}" stroke-width="1.5"><title>{escape(name)}</title>'
                     f'{"</rect>" if place.kind == "base" else "</circle>"}')
    for i, rect in zip(order, rects, strict=True):
        if rect is None:
            continue  # no room for its label: the marker stays and its tooltip names it
        parts.append(f'<text x="{rect.left}" y="{rect.bottom - 5}" font-family="sans-serif" font-size="{FONT_PX}" '
                     f'fill="{INK}" stroke="{HALO}" stroke-width="3" paint-order="stroke" '
                     f'data-place="{escape(places[i].id)}">{escape(names[i])}</text>')
    return parts
