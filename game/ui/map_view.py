"""The world map of a scenario: countries coloured by their relation to the player, places, tension lines.

Drawing the land is the expensive part (hundreds of thousands of outline points), so the land is rasterised
with numpy (`rasterise_rings`: far faster than pygame.draw.polygon ring by ring) into a cached 8-bit Surface
whose palette indices are country numbers, larger than the view (a margin of half a view on every side). While
the player pans, the cache is blitted with an offset; it is rendered again only when the view leaves the cached
area, on zoom, on resize, or when a relation changes a country's colour. Markers, labels and tension lines are
drawn with the visible land onto a second cached surface the size of the view, which is drawn again only when the
viewport, the values, the highlight or the size changed: an idle frame is a single blit.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pygame

from game.geography.map_data import MapLevel, WorldMap
from game.geography.projection import (
    FloatArray,
    Viewport,
    country_at,
    latitude_of,
    longitude_shifts,
    main_centroid,
    mercator_y,
    nearest_copy,
    rasterise_rings,
    ring_areas,
    ring_centroid,
)
from game.scenario.models import Place, Scenario, localized
from game.ui.map_layout import MarkerSpot, marker_box, place_labels, spread_markers
from game.ui.palette import Colour, Palette

log = logging.getLogger(__name__)

# Below this zoom (pixels per degree) the coarse outlines are indistinguishable from the fine ones.
COARSE_BELOW_SCALE = 12.0
BORDER_INDEX = 255  # palette index of borders between countries in the 8-bit land cache
COAST_INDEX = 254  # palette index of coasts (drawn on the sea side, so that small islands keep their colour)
HIGHLIGHT_INDEX = 253  # palette index of the outline of the highlighted actor's countries
CLICK_SLOP_PX = 4  # a press that moves less than this is a click, not a drag
PLACE_HIT_PX = 6  # how far from a marker's edge a click still selects it
LEADER_MIN_PX = 2.0  # a marker moved further than this off its place is joined to it by a leader line
# The order in which places get their labels when not all fit: the kinds a reader looks for first.
KIND_IMPORTANCE = {"city": 0, "base": 1, "island": 2, "sea": 3}
KEY_PAN_FRACTION = 0.1
KEY_ZOOM_FACTOR = 1.25
WHEEL_ZOOM_FACTOR = 1.2
MARKER_MIN_RADIUS = 4.0
MARKER_GROWTH = 6.0  # extra radius at the top of the shown variable's range
MARKER_FULL_SIZE_SCALE = 50.0  # px per degree from which markers have their full size
MARKER_SMALLEST_FACTOR = 0.7
# Bluish green from Okabe–Ito: outside the blue–orange relation scale, so "us" never reads as an ally.
FALLBACK_OWN_COLOUR: Colour = (0, 158, 115)


@dataclass(frozen=True)
class MapSelection:
    """What a click on the map picked: an actor (by its country) or a place."""

    kind: Literal["actor", "place"]
    id: str


@dataclass(frozen=True)
class _PlacedMarker:
    """A place's marker where it is drawn (rect px), which may be off its true position to keep it clear."""

    place: Place
    true: tuple[float, float]  # where the place is
    centre: tuple[int, int]  # where its marker is drawn
    radius: float
    extent: float  # how far the drawing reaches from the centre


@dataclass
class _ProjectedLevel:
    """One level of detail in world coordinates (projected once, when the view is made)."""

    level: MapLevel
    x: FloatArray  # longitude of every point
    y: FloatArray  # Mercator ordinate of every point


@dataclass
class _LandCache:
    """The land rendered around the view at one zoom."""

    surface: pygame.Surface
    west: float  # world x of the surface's left edge
    north: float  # world y of the surface's top edge
    scale: float
    colours_key: tuple[tuple[Colour, ...], str | None]  # the country colours and the highlighted actor


def _blend(a: Colour, b: Colour, t: float) -> Colour:
    t = min(max(t, 0.0), 1.0)
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


class MapView:
    """Draws the world map for a scenario: countries coloured by their relation to the player's actor,
    places with markers sized by their variables, tension lines; pans (drag, arrow keys) and zooms (wheel, +/-)."""

    def __init__(
        self,
        rect: pygame.Rect,
        world_map: WorldMap,
        scenario: Scenario,
        player_actor: str,
        palette: Palette,
        font: pygame.font.Font,
        *,
        language: str = "en",
    ) -> None:
        self._rect = pygame.Rect(rect)
        self._world_map = world_map
        self._scenario = scenario
        self._player = player_actor
        self._palette = palette
        self._font = font
        self._language = language
        self._viewport = Viewport.fit(scenario.map.view, self._rect.width, self._rect.height)
        self._projected = {name: self._project_level(level) for name, level in world_map.levels.items()}
        self._country_actor = self._countries_of_actors()
        self._actor_anchor = self._actor_anchors()
        self._values: dict[str, float] = {}
        self._ranges = self._declared_ranges()
        self._country_colours: tuple[Colour, ...] = ()
        self._actor_colours: dict[str, Colour] = {}
        self._labels = {place.id: self._render_label(place) for place in scenario.map.places}
        # Each place's Mercator ordinate, projected once: markers are placed again on every frame of a pan.
        self._place_y = {place.id: float(mercator_y(place.at[1])) for place in scenario.map.places}
        self._actor_labels: dict[tuple[str, str], pygame.Surface] = {}  # (actor, arrow)
        self._cache: _LandCache | None = None
        # The composed view (land + overlay) and what it was drawn for: see `_composed_frame`.
        self._frame: pygame.Surface | None = None
        self._frame_key: tuple[object, ...] | None = None
        self._values_version = 0
        # Markers' displacements off their places and their sizes, for one zoom and set of values (a pan moves
        # all alike): place id → (dx, dy, radius, extent).
        self._spread: tuple[tuple[object, ...], dict[str, tuple[float, float, float, float]]] | None = None
        self._drawn_labels: list[tuple[MapSelection, pygame.Rect]] = []  # in the composed frame's px
        self.overlay_redraws = 0  # how often the overlay was drawn (tests check that idle frames reuse it)
        self._press: tuple[int, int] | None = None
        self._last_drag: tuple[int, int] | None = None
        self._dragging = False
        self._highlight: MapSelection | None = None
        self._recolour()

    # --- public API -------------------------------------------------------------------------------

    @property
    def rect(self) -> pygame.Rect:
        """The part of the target surface the map covers."""
        return pygame.Rect(self._rect)

    @property
    def viewport(self) -> Viewport:
        """The current centre, zoom and size (read-only; use pan/zoom to change it)."""
        return self._viewport

    def set_rect(self, rect: pygame.Rect) -> None:
        """Move or resize the map (on window resize); the centre and zoom are kept."""
        rect = pygame.Rect(rect)
        if rect.size != self._rect.size:
            self._viewport = self._viewport.resized(rect.width, rect.height)
            self._cache = None
        self._rect = rect

    def update_values(
        self, values: Mapping[str, float], ranges: Mapping[str, tuple[float, float]] | None = None
    ) -> None:
        """Current variable values (relations colour countries, place markers and tension lines read theirs).

        `ranges` overrides the variables' ranges used to size markers (by default the scenario's declared ones).
        """
        new_values = {key: float(value) for key, value in values.items()}
        if new_values != self._values or ranges:
            self._values_version += 1
        self._values = new_values
        if ranges:
            self._ranges.update({key: (float(lo), float(hi)) for key, (lo, hi) in ranges.items()})
        self._recolour()

    def pan(self, dx_px: float, dy_px: float) -> None:
        """Move the map content by (dx, dy) pixels, as a drag does."""
        self._viewport = self._viewport.panned(dx_px, dy_px)

    def zoom(self, factor: float, around: tuple[int, int] | None = None) -> None:
        """Zoom by `factor` (>1 in) around a point of the target surface (default: the map's centre)."""
        local = None if around is None else (around[0] - self._rect.x, around[1] - self._rect.y)
        self._viewport = self._viewport.zoomed(factor, local)

    def handle_event(self, event: pygame.event.Event) -> MapSelection | None:
        """Pan on drag and arrow keys, zoom on wheel and +/-; a click (press and release without a drag)
        returns what is under the pointer."""
        # Attributes are read with getattr: a hand-made event (a test, a replayed input) may lack some, and
        # a malformed event must never take the game down.
        pos = _event_pos(event)
        button = getattr(event, "button", None)
        if event.type == pygame.MOUSEBUTTONDOWN and button == 1 and pos is not None and self._rect.collidepoint(pos):
            self._press = self._last_drag = pos
            self._dragging = False
        elif event.type == pygame.MOUSEMOTION and self._press is not None and pos is not None:
            buttons = getattr(event, "buttons", (1,))
            if buttons and not buttons[0]:  # the release happened where we did not see it (another window)
                self._press = self._last_drag = None
                self._dragging = False
                return None
            if not self._dragging and math.dist(pos, self._press) >= CLICK_SLOP_PX:
                self._dragging = True
            if self._dragging and self._last_drag is not None:
                self.pan(pos[0] - self._last_drag[0], pos[1] - self._last_drag[1])
                self._last_drag = pos
        elif event.type == pygame.MOUSEBUTTONUP and button == 1 and self._press is not None:
            clicked = not self._dragging
            self._press = self._last_drag = None
            self._dragging = False
            if clicked and pos is not None and self._rect.collidepoint(pos):
                return self.selection_at(pos)
        elif event.type == pygame.MOUSEWHEEL:
            # pygame's wheel event carries no position (tests may attach one): zoom around the pointer.
            where = pos or pygame.mouse.get_pos()
            steps = float(getattr(event, "precise_y", 0.0) or getattr(event, "y", 0) or 0)
            if steps and math.isfinite(steps) and self._rect.collidepoint(where):
                self.zoom(WHEEL_ZOOM_FACTOR ** max(-5.0, min(5.0, steps)), (int(where[0]), int(where[1])))
        elif event.type == pygame.KEYDOWN:
            self._handle_key(getattr(event, "key", None), str(getattr(event, "unicode", "") or ""))
        return None

    def selection_at(self, pos: tuple[int, int]) -> MapSelection | None:
        """The place whose marker is at `pos` (target-surface px), else the actor whose country is there.

        Among markers under the pointer the topmost drawn wins (markers are spread so that they do not
        overlap, so that is rare); else the marker whose edge is nearest, within `PLACE_HIT_PX`.
        """
        local = (pos[0] - self._rect.x, pos[1] - self._rect.y)
        best: tuple[float, str] | None = None
        for marker in self._placed_markers():
            gap = math.hypot(local[0] - marker.centre[0], local[1] - marker.centre[1]) - marker.extent
            if gap <= 0:
                best = (0.0, marker.place.id)  # later markers are drawn on top: keep the last one hit
            elif gap <= PLACE_HIT_PX and (best is None or gap < best[0]):
                best = (gap, marker.place.id)
        if best is not None:
            return MapSelection("place", best[1])
        lon, lat = self._viewport.to_lonlat(*local)
        country = country_at(self._world_map, lon, lat, self._lod_name())
        if country is None:
            return None
        actor = self._country_actor.get(country)
        return MapSelection("actor", actor) if actor is not None else None

    def marker_position(self, place_id: str) -> tuple[int, int] | None:
        """Where a place's marker is drawn on the target surface (off its true position when it was moved
        clear of a neighbour), or None when the place is far outside the view."""
        for marker in self._placed_markers():
            if marker.place.id == place_id:
                return marker.centre[0] + self._rect.x, marker.centre[1] + self._rect.y
        return None

    @property
    def label_rects(self) -> list[tuple[MapSelection, pygame.Rect]]:
        """The labels drawn in the last frame (places', and actors' names at the edge), in target-surface px."""
        return [(owner, rect.move(self._rect.topleft)) for owner, rect in self._drawn_labels]

    def screen_position(self, lon: float, lat: float) -> tuple[int, int]:
        """Where a longitude/latitude is drawn on the target surface."""
        x, y = self._viewport.to_screen(lon, lat)
        return round(x) + self._rect.x, round(y) + self._rect.y

    @property
    def highlight(self) -> MapSelection | None:
        """The actor or place drawn highlighted (e.g. the one whose panel is open), or None."""
        return self._highlight

    def set_highlight(self, selection: MapSelection | None) -> None:
        """Outline an actor's countries or ring a place in the focus colour (None: no highlight)."""
        self._highlight = selection

    def place_ids(self) -> list[str]:
        """The scenario's places in map order, for keyboard navigation from one to the next."""
        return [place.id for place in self._scenario.map.places]

    def centre_on(self, lon: float, lat: float) -> None:
        """Pan so that the point is in the middle of the map, keeping the zoom."""
        x, y = self._viewport.to_screen(lon, lat)
        self.pan(self._viewport.width / 2 - x, self._viewport.height / 2 - y)

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the map into its rect of `surface`: cached land, then lines, markers and labels."""
        if self._rect.width <= 0 or self._rect.height <= 0:
            return
        area = self._visible_cache_area(surface)
        assert self._cache is not None
        previous_clip = surface.get_clip()
        surface.set_clip(self._rect.clip(previous_clip))
        try:
            surface.blit(self._composed_frame(surface, area), self._rect.topleft)
        finally:
            surface.set_clip(previous_clip)

    def _overlay_key(self, area: pygame.Rect) -> tuple[object, ...]:
        vp = self._viewport
        return (vp.centre_x, vp.centre_y, vp.scale, vp.width, vp.height, self._values_version, self._highlight,
                id(self._cache), tuple(area))

    def _composed_frame(self, target: pygame.Surface, area: pygame.Rect) -> pygame.Surface:
        """The land of the view with lines, markers and labels on it, drawn again only when what it shows changed.

        An idle frame is then one opaque blit instead of a land blit plus two dozen markers, arcs and labels
        (about half of the game screen's idle frame time). Panning changes the viewport every frame, so it
        redraws as before.
        """
        key = self._overlay_key(area)
        frame = self._frame
        if frame is None or frame.get_size() != self._rect.size:
            frame = self._frame = pygame.Surface(self._rect.size).convert(target)
            self._frame_key = None
        if key != self._frame_key:
            assert self._cache is not None
            frame.blit(self._cache.surface, (0, 0), area)
            markers = self._placed_markers()
            boxes = [marker_box(m.centre, m.extent) for m in markers]
            self._drawn_labels = []
            self._draw_tensions(frame, (0, 0), boxes)
            self._draw_places(frame, markers, [rect for _, rect in self._drawn_labels])
            self._frame_key = key
            self.overlay_redraws += 1
        return frame

    # --- colours ------------------------------------------------------------------------------------

    def _own_colour(self) -> Colour:
        own = getattr(self._palette, "own", None)
        return own if isinstance(own, tuple) else FALLBACK_OWN_COLOUR

    def _relation_to_player(self, actor: str) -> float | None:
        player = self._player
        for key in (f"relation.{player}.{actor}", f"relation.{actor}.{player}"):
            value = self._values.get(key)
            if _finite(value):
                return value
        for relation in self._scenario.relations:
            if set(relation.between) == {player, actor}:
                return relation.initial
        return None

    def _actor_colour(self, actor: str) -> Colour:
        if actor == self._player:
            return self._own_colour()
        value = self._relation_to_player(actor)
        return self._palette.relation_colour(value if value is not None else 0.0)

    def _recolour(self) -> None:
        self._actor_colours = {actor: self._actor_colour(actor) for actor in self._scenario.actors}
        colours = [self._palette.land] * len(self._world_map.countries)
        for country, actor in self._country_actor.items():
            colours[country] = self._actor_colours[actor]
        self._country_colours = tuple(colours)

    # --- setup --------------------------------------------------------------------------------------

    @staticmethod
    def _project_level(level: MapLevel) -> _ProjectedLevel:
        return _ProjectedLevel(level=level, x=level.points[:, 0].copy(), y=mercator_y(level.points[:, 1]))

    def _countries_of_actors(self) -> dict[int, str]:
        by_iso = {country.iso: country.index for country in self._world_map.countries}
        found: dict[int, str] = {}
        for actor_id, actor in self._scenario.actors.items():
            for iso in actor.iso:
                if iso in by_iso:
                    found[by_iso[iso]] = actor_id
                else:
                    log.warning("actor %s: country %s is not on the map", actor_id, iso)
        return found

    def _actor_anchors(self) -> dict[str, tuple[float, float]]:
        """Where each actor's tension lines start, chosen for the scenario's view (so it never moves on a pan).

        In order: the actor's first city on the scenario's map (scenarios list the capital first: Tokyo,
        Beijing, Pyongyang); else its place nearest the view's centre (the U.S. forces' bases in Japan, so
        a U.S.–China line runs from where the U.S. actually stands in the region); else the part of its
        countries nearest the view's centre (Hawaii for the United States seen from New Zealand), not the
        centroid of its largest part, which from East Asia lies beyond the edge of a Pacific-wide view.
        """
        west, south, east, north = self._scenario.map.view
        if east < west:
            east += 360.0
        centre = ((west + east) / 2, (south + north) / 2)
        lod = "coarse" if "coarse" in self._world_map.levels else next(iter(self._world_map.levels))
        anchors: dict[str, tuple[float, float]] = {}
        for actor_id, actor in self._scenario.actors.items():
            places = [place for place in self._scenario.map.places if place.actor == actor_id]
            cities = [place for place in places if place.kind == "city"]
            if cities:
                anchors[actor_id] = (float(cities[0].at[0]), float(cities[0].at[1]))
            elif places:
                nearest = min(places, key=lambda place: _degrees_apart(place.at, centre))
                anchors[actor_id] = (float(nearest.at[0]), float(nearest.at[1]))
            else:
                part = nearest_part(self._world_map, list(actor.iso), centre, lod)
                if part is None:
                    part = main_centroid(self._world_map, list(actor.iso), lod)
                if part is not None:
                    anchors[actor_id] = part
        return anchors

    def _declared_ranges(self) -> dict[str, tuple[float, float]]:
        ranges = {key: (float(v.range[0]), float(v.range[1])) for key, v in self._scenario.variables.items()}
        for relation in self._scenario.relations:
            ranges[f"relation.{relation.between[0]}.{relation.between[1]}"] = (-100.0, 100.0)
        for role in self._scenario.roles.values():
            for lever_id, lever in role.levers.items():
                ranges[f"lever.{lever_id}"] = (float(lever.range[0]), float(lever.range[1]))
        return ranges

    def _render_label(self, place: Place) -> pygame.Surface:
        return self._halo_text(localized(place.name, self._language))

    def _halo_text(self, text: str) -> pygame.Surface:
        front = self._font.render(text, True, self._palette.text)
        shadow = self._font.render(text, True, self._palette.background)
        # A one-pixel halo in the background colour keeps the label readable on land and sea alike.
        label = pygame.Surface((front.get_width() + 2, front.get_height() + 2), pygame.SRCALPHA)
        for dx, dy in ((0, 1), (2, 1), (1, 0), (1, 2)):
            label.blit(shadow, (dx, dy))
        label.blit(front, (1, 1))
        return label

    # --- land cache ---------------------------------------------------------------------------------

    def _lod_name(self) -> str:
        levels = self._world_map.levels
        if self._viewport.scale < COARSE_BELOW_SCALE and "coarse" in levels:
            return "coarse"
        return "fine" if "fine" in levels else next(iter(levels))

    def _visible_cache_area(self, surface: pygame.Surface) -> pygame.Rect:
        """The part of the land cache that covers the rect now, rendering the cache again if it does not."""
        vp = self._viewport
        view_west, _, _, view_north = vp.world_box()
        cache = self._cache
        if cache is not None and cache.scale == vp.scale and cache.colours_key == self._colours_key():
            area = pygame.Rect(
                round((view_west - cache.west) * vp.scale),
                round((cache.north - view_north) * vp.scale),
                vp.width,
                vp.height,
            )
            if cache.surface.get_rect().contains(area):
                return area
        self._cache = self._render_land(surface)
        return pygame.Rect(*self._cache_margin(), vp.width, vp.height)

    def _cache_margin(self) -> tuple[int, int]:
        return self._viewport.width // 2, self._viewport.height // 2

    def _render_land(self, target: pygame.Surface) -> _LandCache:
        vp = self._viewport
        margin_x, margin_y = self._cache_margin()
        width, height = vp.width + 2 * margin_x, vp.height + 2 * margin_y
        west, south, east, north = vp.world_box(margin_x, margin_y)
        projected = self._projected[self._lod_name()]
        level = projected.level
        lat_south, lat_north = float(latitude_of(south)), float(latitude_of(north))
        xs: list[FloatArray] = []
        ys: list[FloatArray] = []
        lengths: list[npt.NDArray[np.int64]] = []
        values: list[npt.NDArray[np.int64]] = []
        for shift in longitude_shifts(west, east):
            rings = self._world_map.rings_in_view(
                max(west - shift, -180.0), lat_south, min(east - shift, 180.0), lat_north, level.name
            )
            if len(rings) == 0:
                continue
            starts = level.ring_offsets[rings]
            counts = level.ring_offsets[rings + 1] - starts
            index = np.arange(int(counts.sum())) + np.repeat(starts - (np.cumsum(counts) - counts), counts)
            xs.append((projected.x[index] + shift - west) * vp.scale)
            ys.append((north - projected.y[index]) * vp.scale)
            lengths.append(counts)
            # Outer rings add their country's number, holes take it away again: enclaves need no draw order.
            sign = np.where(level.ring_is_hole[rings], -1, 1)
            values.append(sign * (level.ring_country[rings] + 1))
        surface = self._paint_land(xs, ys, lengths, values, width, height, target)
        return _LandCache(surface=surface, west=west, north=north, scale=vp.scale, colours_key=self._colours_key())

    def _colours_key(self) -> tuple[tuple[Colour, ...], str | None]:
        actor = self._highlight.id if self._highlight is not None and self._highlight.kind == "actor" else None
        return self._country_colours, actor

    def _paint_land(
        self,
        xs: list[FloatArray],
        ys: list[FloatArray],
        lengths: list[npt.NDArray[np.int64]],
        values: list[npt.NDArray[np.int64]],
        width: int,
        height: int,
        target: pygame.Surface,
    ) -> pygame.Surface:
        """Rasterise the rings into country numbers, outline them, and paint an 8-bit surface from them."""
        palette = self._palette
        count = len(self._country_colours)
        if xs:
            px, py = np.concatenate(xs), np.concatenate(ys)
            offsets = np.concatenate([[0], np.cumsum(np.concatenate(lengths))]).astype(np.int64)
            ring_values = np.concatenate(values)
            numbers = rasterise_rings(px, py, offsets, ring_values, width, height)
            _paint_islets(numbers, px, py, offsets, ring_values)
        else:
            numbers = np.zeros((height, width), dtype=np.int32)
        # Country numbers: 0 the sea, 1..count the countries, count + 1 plain land for a number no country has
        # (where simplified outlines overlap by a sliver, or a hole pokes out of one).
        np.clip(numbers, 0, count + 1, out=numbers)
        highlighted = self._colours_key()[1]
        border, coast, outline = _outline_pixels(
            numbers, [c + 1 for c, actor in self._country_actor.items() if actor == highlighted]
        )
        by_number: list[Colour] = [palette.sea, *self._country_colours, palette.land]
        if len(by_number) <= HIGHLIGHT_INDEX:
            # The usual case: the country numbers themselves are the palette indices.
            indices = numbers.astype(np.uint8)
            colours = by_number
        else:
            # More countries than palette entries: index the (few) distinct colours instead.
            colours = list(dict.fromkeys(by_number))
            position = {colour: i for i, colour in enumerate(colours)}
            indices = np.array([position[c] for c in by_number], dtype=np.uint8).take(numbers)
        flat = indices.reshape(-1)
        flat[border] = BORDER_INDEX
        flat[coast] = COAST_INDEX
        flat[outline] = HIGHLIGHT_INDEX
        colours = colours + [palette.border] * (256 - len(colours))
        colours[COAST_INDEX] = _blend(palette.sea, palette.border, 0.45)
        colours[HIGHLIGHT_INDEX] = palette.focus
        painted = pygame.image.frombuffer(indices.tobytes(), (width, height), "P")
        painted.set_palette(colours)
        return painted.convert(target)

    # --- overlays -----------------------------------------------------------------------------------

    def _value(self, key: str | None) -> float | None:
        if key is None:
            return None
        value = self._values.get(key)
        if _finite(value):
            return value
        variable = self._scenario.variables.get(key)
        return float(variable.initial) if variable is not None else None

    def _marker_radius(self, place: Place) -> float:
        value = self._value(place.shows)
        if value is None:
            share = 1 / 3
        else:
            lo, hi = self._ranges.get(place.shows or "", (0.0, 100.0))
            share = min(max((value - lo) / (hi - lo) if hi > lo else 0.5, 0.0), 1.0)
        # Markers shrink when zoomed out so that they do not bury small islands such as Okinawa.
        zoom_factor = min(max(self._viewport.scale / MARKER_FULL_SIZE_SCALE, MARKER_SMALLEST_FACTOR), 1.0)
        return (MARKER_MIN_RADIUS + MARKER_GROWTH * share) * zoom_factor

    def _tension_colour(self, share: float) -> Colour:
        # Grey when calm, through orange to vermilion; yellow is kept for the keyboard focus and highlights.
        palette = self._palette
        if share < 0.5:
            return _blend(palette.text_muted, palette.unfriendly, share * 2)
        return _blend(palette.unfriendly, palette.hostile, share * 2 - 1)

    def _draw_tensions(self, surface: pygame.Surface, origin: tuple[int, int], markers: list[pygame.Rect]) -> None:
        """The tension lines; where one leaves the view, the name of the actor it leads to is written at the
        edge (so that a line into the Pacific says it goes to the United States), clear of the `markers`."""
        vp = self._viewport
        ox, oy = origin
        bounds = pygame.Rect(ox, oy, *self._rect.size)
        for tension in self._scenario.map.tensions:
            a, b = (self._actor_anchor.get(actor) for actor in tension.between)
            if a is None or b is None:
                continue
            value = self._value(tension.shows)
            share = min(max((value if value is not None else 0.0) / 100.0, 0.0), 1.0)
            ax = nearest_copy(a[0], vp.centre_x)
            bx = nearest_copy(b[0], ax)  # the short way round, e.g. across the Pacific
            start = self._to_screen_unwrapped(ax, a[1])
            end = self._to_screen_unwrapped(bx, b[1])
            arc = [(x + ox, y + oy) for x, y in _arc_points(start, end)]
            width = 1 + round(4 * share)
            # A dark casing keeps the line visible over land of a similar colour (an unfriendly country).
            pygame.draw.lines(surface, self._palette.background, False, arc, width + 2)
            pygame.draw.lines(surface, self._tension_colour(share), False, arc, width)
            for actor, points in ((tension.between[0], arc[::-1]), (tension.between[1], arc)):
                taken = markers + [rect for _, rect in self._drawn_labels]
                rect = self._edge_label(surface, bounds, actor, points, taken)
                if rect is not None:
                    self._drawn_labels.append((MapSelection("actor", actor), rect))

    def _edge_label(
        self,
        surface: pygame.Surface,
        bounds: pygame.Rect,
        actor: str,
        points: list[tuple[float, float]],
        taken: list[pygame.Rect],
    ) -> pygame.Rect | None:
        """Write `actor`'s name where a line running along `points` (towards the actor) leaves `bounds`:
        beside the line, or a little further back along it where a marker or another label is in the way."""
        if bounds.collidepoint(points[-1]) or not bounds.collidepoint(points[0]):
            return None  # the actor's end is in view, or the whole line starts outside: nothing to explain
        inside = max(i for i, p in enumerate(points) if bounds.collidepoint(p))
        (x0, y0), (x1, y1) = points[inside], points[min(inside + 1, len(points) - 1)]
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy) or 1.0
        # An arrow in the line's direction where it leaves (screen y grows downwards; sector 0 is east).
        sector = round(math.atan2(-dy, dx) / (math.pi / 4)) % 8
        label = self._actor_label(actor, "→↗↑↖←↙↓↘"[sector])
        side = label.get_height() / 2 + 3
        inner = bounds.inflate(-4, -4)
        for back in range(0, inside + 1, 2):
            px, py = points[inside - back]
            # Beside the line rather than on it: half a label to its left (then its right), kept inside the map.
            for turn in (1, -1):
                centre = (px + turn * dy / length * side, py - turn * dx / length * side)
                rect = label.get_rect(center=(round(centre[0]), round(centre[1])))
                rect.clamp_ip(inner)
                if rect.collidelist(taken) == -1:
                    surface.blit(label, rect)
                    return rect
        return None

    def _actor_label(self, actor: str, arrow: str) -> pygame.Surface:
        label = self._actor_labels.get((actor, arrow))
        if label is None:
            name = self._scenario.actors[actor].name if actor in self._scenario.actors else actor
            label = self._actor_labels[(actor, arrow)] = self._halo_text(f"{arrow} {localized(name, self._language)}")
        return label

    def _to_screen_unwrapped(self, x: float, lat: float) -> tuple[int, int]:
        vp = self._viewport
        return (
            round((x - vp.centre_x) * vp.scale + vp.width / 2),
            round((vp.centre_y - float(mercator_y(lat))) * vp.scale + vp.height / 2),
        )

    def _marker_layout(self) -> dict[str, tuple[float, float, float, float]]:
        """How far each place's marker is moved off its place (px) so that no two markers overlap, and its
        radius and extent: (dx, dy, radius, extent) by place id.

        It depends on the zoom, the markers' sizes (the values) and nothing else: a pan moves every marker
        alike, so the layout is kept while the player drags the map.
        """
        key = (self._viewport.scale, self._values_version)  # new ranges come with a new values version
        if self._spread is not None and self._spread[0] == key:
            return self._spread[1]
        places = self._scenario.map.places
        radii = [self._marker_radius(place) for place in places]
        spots = [MarkerSpot(*self._place_on_screen(place), _marker_extent(place.kind, radius))
                 for place, radius in zip(places, radii, strict=True)]
        spread = spread_markers(spots)
        layout = {place.id: (sx - spot.x, sy - spot.y, radius, spot.extent)
                  for place, radius, spot, (sx, sy) in zip(places, radii, spots, spread, strict=True)}
        self._spread = (key, layout)
        return layout

    def _place_on_screen(self, place: Place) -> tuple[float, float]:
        """`Viewport.to_screen` of a place, with its Mercator ordinate projected in advance."""
        vp = self._viewport
        x = nearest_copy(place.at[0], vp.centre_x)
        y = self._place_y[place.id]
        return (x - vp.centre_x) * vp.scale + vp.width / 2, (vp.centre_y - y) * vp.scale + vp.height / 2

    def _placed_markers(self) -> list[_PlacedMarker]:
        """The markers of the places in (or just outside) the view, in drawing order, where they are drawn."""
        width, height = self._rect.size
        layout = self._marker_layout()
        placed = []
        for place in self._scenario.map.places:
            x, y = self._place_on_screen(place)
            if not (-40 <= x <= width + 40 and -40 <= y <= height + 40):
                continue
            dx, dy, radius, extent = layout[place.id]
            placed.append(_PlacedMarker(place, (x, y), (round(x + dx), round(y + dy)), radius, extent))
        return placed

    def _draw_places(self, surface: pygame.Surface, markers: list[_PlacedMarker], taken: list[pygame.Rect]) -> None:
        """Leader lines, markers, then the labels that fit (see `map_layout.place_labels`)."""
        palette = self._palette
        for marker in markers:
            (tx, ty), (cx, cy) = marker.true, marker.centre
            if math.hypot(cx - tx, cy - ty) > LEADER_MIN_PX:
                true = (round(tx), round(ty))
                pygame.draw.line(surface, palette.background, true, marker.centre, 3)
                pygame.draw.line(surface, palette.text_muted, true, marker.centre, 1)
                pygame.draw.circle(surface, palette.text, true, 1)
        for marker in markers:
            place = marker.place
            colour = self._actor_colours.get(place.actor or "", palette.text_muted)
            _draw_marker(surface, place.kind, marker.centre, marker.radius, colour, palette.background, palette.text)
            if self._highlight == MapSelection("place", place.id):
                pygame.draw.circle(surface, palette.focus, marker.centre, round(marker.radius) + 5, 2)
        # The labels of places that show a variable first, then by kind, then in the scenario's order.
        order = sorted(range(len(markers)), key=lambda i: (markers[i].place.shows is None,
                                                           KIND_IMPORTANCE.get(markers[i].place.kind, 9), i))
        obstacles = [marker_box(m.centre, m.extent) for m in markers] + taken
        labels = [self._labels[markers[i].place.id] for i in order]
        rects = place_labels([(label.get_size(), markers[i].centre, markers[i].extent)
                              for label, i in zip(labels, order, strict=True)],
                             pygame.Rect((0, 0), self._rect.size), obstacles, [m.centre for m in markers])
        for label, i, rect in zip(labels, order, rects, strict=True):
            if rect is not None:
                surface.blit(label, rect)
                self._drawn_labels.append((MapSelection("place", markers[i].place.id), rect))

    def _handle_key(self, key: int | None, text: str) -> None:
        step_x = self._rect.width * KEY_PAN_FRACTION
        step_y = self._rect.height * KEY_PAN_FRACTION
        if key == pygame.K_LEFT:
            self.pan(step_x, 0)
        elif key == pygame.K_RIGHT:
            self.pan(-step_x, 0)
        elif key == pygame.K_UP:
            self.pan(0, step_y)
        elif key == pygame.K_DOWN:
            self.pan(0, -step_y)
        # The typed character too: on a Japanese keyboard "+" is Shift+";", not a "+" key.
        elif key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS) or text == "+":
            self.zoom(KEY_ZOOM_FACTOR)
        elif key in (pygame.K_MINUS, pygame.K_KP_MINUS) or text == "-":
            self.zoom(1 / KEY_ZOOM_FACTOR)


def _degrees_apart(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in degrees between two points, the short way round in longitude."""
    return math.hypot(nearest_copy(a[0], b[0]) - b[0], a[1] - b[1])


def nearest_part(
    world_map: WorldMap, isos: list[str], centre: tuple[float, float], lod: str, min_share: float = 0.001
) -> tuple[float, float] | None:
    """The centroid of the part (outer ring) of these countries nearest `centre`, among parts of at least
    `min_share` of the largest part's area (so that a reef does not stand for a country)."""
    level = world_map.level(lod)
    areas = ring_areas(level)
    rings: list[int] = []
    for iso in isos:
        try:
            rings += [int(r) for r in world_map.country_rings(iso, lod) if not level.ring_is_hole[r]]
        except KeyError:
            continue
    if not rings:
        return None
    largest = max(float(areas[r]) for r in rings)
    parts = [ring_centroid(level.ring(r)) for r in rings if float(areas[r]) >= min_share * largest]
    return min(parts, key=lambda part: _degrees_apart(part, centre)) if parts else None


def _event_pos(event: pygame.event.Event) -> tuple[int, int] | None:
    pos = getattr(event, "pos", None)
    try:
        return (int(pos[0]), int(pos[1])) if pos is not None else None
    except (TypeError, ValueError, IndexError):
        return None


def _outline_pixels(
    numbers: npt.NDArray[np.int32], highlighted: list[int]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Flat indices of the border, coast and highlight pixels of a grid of country numbers (0 = sea).

    A coast pixel is the sea pixel next to land, so that an island a few pixels wide keeps its country's
    colour; a border between two countries takes the left or upper pixel of the pair; both pixels of every
    pair on the edge of a `highlighted` country number are highlighted (a two-pixel outline that stands out).
    Only the few pixel pairs that differ are looked at, by their flat index: far cheaper than boolean
    arithmetic over the whole grid.
    """
    width = numbers.shape[1]
    flat = np.ascontiguousarray(numbers).reshape(-1)
    left = np.flatnonzero(flat[:-1] != flat[1:])
    left = left[left % width != width - 1]  # the last pixel of a row and the first of the next are no pair
    upper = np.flatnonzero(flat[:-width] != flat[width:])
    first = np.concatenate([left, upper])
    second = np.concatenate([left + 1, upper + width])
    first_value, second_value = flat[first], flat[second]
    border = first[(first_value != 0) & (second_value != 0)]
    coast = np.concatenate([first[first_value == 0], second[second_value == 0]])
    if highlighted:
        on_edge = np.isin(first_value, highlighted) | np.isin(second_value, highlighted)
        outline = np.concatenate([first[on_edge], second[on_edge]])
    else:
        outline = np.zeros(0, dtype=np.intp)
    return border, coast, outline


def _paint_islets(
    numbers: npt.NDArray[np.int32],
    px: FloatArray,
    py: FloatArray,
    offsets: npt.NDArray[np.int64],
    values: npt.NDArray[np.int64],
) -> None:
    """An island smaller than a pixel covers no pixel centre; give it one pixel so that it still shows."""
    starts = offsets[:-1]
    nonempty = offsets[1:] > starts
    starts, ring_values = starts[nonempty], values[nonempty]
    if len(starts) == 0:
        return
    span_x = np.maximum.reduceat(px, starts) - np.minimum.reduceat(px, starts)
    span_y = np.maximum.reduceat(py, starts) - np.minimum.reduceat(py, starts)
    tiny = (span_x < 1.0) & (span_y < 1.0) & (ring_values > 0)
    height, width = numbers.shape
    cols = np.floor(px[starts[tiny]]).astype(np.int64)
    rows = np.floor(py[starts[tiny]]).astype(np.int64)
    inside = (cols >= 0) & (cols < width) & (rows >= 0) & (rows < height)
    numbers[rows[inside], cols[inside]] = ring_values[tiny][inside]


def _arc_points(start: tuple[int, int], end: tuple[int, int], segments: int = 24) -> list[tuple[float, float]]:
    """A gentle curve from start to end (a quadratic Bézier bulging to the left of the direction of travel),
    so that two lines sharing an actor stay apart instead of lying on top of each other."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2 + 0.15 * dy, (y0 + y1) / 2 - 0.15 * dx
    points = []
    for i in range(segments + 1):
        t = i / segments
        u = 1 - t
        points.append((u * u * x0 + 2 * u * t * cx + t * t * x1, u * u * y0 + 2 * u * t * cy + t * t * y1))
    return points


def _marker_extent(kind: str, radius: float) -> float:
    """How far the drawing of a marker (see `_draw_marker`) reaches from its centre."""
    r = max(2, round(radius))
    if kind == "island":
        return r + 3.0  # the diamond's corners
    if kind in ("base", "sea"):
        return r + 1.0
    if kind == "city":
        return r + 2.0
    return max(2, r - 1) + 2.0


def _draw_marker(
    surface: pygame.Surface,
    kind: str,
    centre: tuple[int, int],
    radius: float,
    colour: Colour,
    dark: Colour,
    light: Colour,
) -> None:
    """One place marker; its shape tells the kind, so colour is never the only cue. A light ring inside a
    dark one keeps it visible on the sea, on light land, and on land of its own colour (the player's cities)."""
    x, y = centre
    r = max(2, round(radius))
    if kind == "base":
        # A frame rather than a filled square: bases sit on small islands (Okinawa) that must stay visible.
        frame = pygame.Rect(x - r, y - r, 2 * r + 1, 2 * r + 1)
        pygame.draw.rect(surface, dark, frame.inflate(2, 2), 1)
        pygame.draw.rect(surface, colour, frame, 2)
        pygame.draw.rect(surface, dark, frame.inflate(-4, -4), 1)
    elif kind == "island":
        for grow, fill in ((2, dark), (1, light), (0, colour)):
            size = r + 1 + grow
            pygame.draw.polygon(surface, fill, [(x, y - size), (x + size, y), (x, y + size), (x - size, y)])
    elif kind == "sea":
        pygame.draw.circle(surface, dark, centre, r + 1, 4)
        pygame.draw.circle(surface, colour, centre, r, 2)
    else:  # city and other: a dot, smaller for "other"
        dot = r if kind == "city" else max(2, r - 1)
        pygame.draw.circle(surface, dark, centre, dot + 2)
        pygame.draw.circle(surface, light, centre, dot + 1)
        pygame.draw.circle(surface, colour, centre, dot)
