"""Map geometry without pygame: the Web Mercator view of the map, and which country a point falls in.

Web Mercator is conformal, so Japan keeps its shape wherever the player pans, and one scale (pixels per
degree of longitude) describes a zoom level. "World" coordinates here are Mercator coordinates in degrees:
``x`` is the longitude itself (unwrapped: 200 is 160°W seen from Asia) and ``y`` is the Mercator ordinate,
scaled so that it equals the latitude near the equator. Screen ``y`` grows downwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from game.geography.map_data import MapLevel, WorldMap

FloatArray = npt.NDArray[np.float64]

MAX_LATITUDE = 85.0  # Web Mercator's usual cut: the poles are infinitely far away
_MAX_Y = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(MAX_LATITUDE) / 2)))


def mercator_y(lat: FloatArray | float) -> FloatArray:
    """The Mercator ordinate (degrees) of latitudes, clamped to ±85°."""
    clamped = np.radians(np.clip(lat, -MAX_LATITUDE, MAX_LATITUDE))
    return np.asarray(np.degrees(np.log(np.tan(np.pi / 4 + clamped / 2))), dtype=np.float64)


def latitude_of(y: FloatArray | float) -> FloatArray:
    """The latitude (degrees) of Mercator ordinates; the inverse of `mercator_y`."""
    return np.asarray(np.degrees(2 * np.arctan(np.exp(np.radians(y))) - np.pi / 2), dtype=np.float64)


def wrap_longitude(lon: float) -> float:
    """The same meridian in [-180, 180)."""
    return (lon + 180.0) % 360.0 - 180.0


def nearest_copy(lon: float, reference: float) -> float:
    """The copy of `lon` (± multiples of 360°) closest to `reference`: what crosses the antimeridian sensibly."""
    return lon + 360.0 * round((reference - lon) / 360.0)


@dataclass(frozen=True)
class Viewport:
    """Where the map looks: the world point at the rect's centre, the zoom, and the rect's size.

    `min_scale`/`max_scale` bound the zoom; every operation returns a new, clamped viewport.
    """

    centre_x: float  # longitude at the centre of the rect, unwrapped
    centre_y: float  # Mercator ordinate at the centre
    scale: float  # pixels per degree of longitude
    width: int
    height: int
    min_scale: float
    max_scale: float

    @staticmethod
    def fit(view: tuple[float, float, float, float], width: int, height: int) -> Viewport:
        """The viewport showing the box `[west, south, east, north]` (east may exceed 180) whole, centred."""
        west, south, east, north = view
        if east < west:  # written across the antimeridian as e.g. [170, 0, -170, 20]
            east += 360.0
        width, height = max(1, width), max(1, height)
        y_south, y_north = float(mercator_y(south)), float(mercator_y(north))
        span_x = max(east - west, 1e-6)
        span_y = max(y_north - y_south, 1e-6)
        # The whole world is the farthest one can zoom out; 2° across the shorter side the closest in.
        min_scale = min(width, height) / 360.0
        max_scale = min(width, height) / 2.0
        scale = min(width / span_x, height / span_y)
        viewport = Viewport(
            centre_x=(west + east) / 2,
            centre_y=(y_south + y_north) / 2,
            scale=scale,
            width=width,
            height=height,
            min_scale=min_scale,
            max_scale=max_scale,
        )
        return viewport.clamped()

    def clamped(self) -> Viewport:
        """This viewport with the zoom within its limits and the centre within the map's latitudes."""
        scale = min(max(self.scale, self.min_scale), self.max_scale)
        limit = max(0.0, _MAX_Y - self.height / 2 / scale)  # keep the poles' cut off-screen when possible
        centre_y = min(max(self.centre_y, -limit), limit)
        # Keep the unwrapped longitude near the usual range so that numbers stay small after long pans.
        centre_x = self.centre_x
        if not -540.0 <= centre_x <= 540.0:
            centre_x = wrap_longitude(centre_x)
        return replace(self, scale=scale, centre_y=centre_y, centre_x=centre_x)

    def resized(self, width: int, height: int) -> Viewport:
        """The same centre and zoom in a rect of another size (the zoom limits follow the size)."""
        width, height = max(1, width), max(1, height)
        return replace(
            self, width=width, height=height, min_scale=min(width, height) / 360.0, max_scale=min(width, height) / 2.0
        ).clamped()

    def panned(self, dx_px: float, dy_px: float) -> Viewport:
        """The viewport after dragging the map by (dx, dy) pixels: the content moves with the pointer."""
        return replace(
            self, centre_x=self.centre_x - dx_px / self.scale, centre_y=self.centre_y + dy_px / self.scale
        ).clamped()

    def zoomed(self, factor: float, around: tuple[float, float] | None = None) -> Viewport:
        """The viewport zoomed by `factor` (>1 zooms in) keeping the world point under `around` (rect px) still."""
        if factor <= 0 or not math.isfinite(factor):
            return self
        ax, ay = around if around is not None else (self.width / 2, self.height / 2)
        wx, wy = self.to_world(ax, ay)
        scaled = replace(self, scale=self.scale * factor).clamped()
        # Re-centre so that (wx, wy) lands on (ax, ay) again at the new scale.
        return replace(
            scaled,
            centre_x=wx - (ax - self.width / 2) / scaled.scale,
            centre_y=wy + (ay - self.height / 2) / scaled.scale,
        ).clamped()

    def to_world(self, px: float, py: float) -> tuple[float, float]:
        """World (x, Mercator y) of a point in rect pixels."""
        return (
            self.centre_x + (px - self.width / 2) / self.scale,
            self.centre_y - (py - self.height / 2) / self.scale,
        )

    def to_lonlat(self, px: float, py: float) -> tuple[float, float]:
        """Longitude (unwrapped) and latitude of a point in rect pixels."""
        x, y = self.to_world(px, py)
        return x, float(latitude_of(y))

    def to_screen(self, lon: float, lat: float) -> tuple[float, float]:
        """Rect pixels of a longitude/latitude, taking the copy of the longitude nearest the view's centre."""
        x = nearest_copy(lon, self.centre_x)
        return (
            (x - self.centre_x) * self.scale + self.width / 2,
            (self.centre_y - float(mercator_y(lat))) * self.scale + self.height / 2,
        )

    def world_box(self, margin_x: float = 0.0, margin_y: float = 0.0) -> tuple[float, float, float, float]:
        """The world rect `(x0, y0, x1, y1)` (west, south, east, north) that the rect shows, grown by margins in px."""
        half_w = (self.width / 2 + margin_x) / self.scale
        half_h = (self.height / 2 + margin_y) / self.scale
        return (self.centre_x - half_w, self.centre_y - half_h, self.centre_x + half_w, self.centre_y + half_h)


def longitude_shifts(x0: float, x1: float) -> list[float]:
    """The multiples of 360° by which the [-180, 180] map must be shifted to cover the longitudes x0..x1."""
    first = math.floor((x0 + 180.0) / 360.0)
    last = math.floor((x1 + 180.0) / 360.0)
    return [360.0 * n for n in range(first, last + 1)]


def ring_contains(ring: FloatArray, lon: float, lat: float) -> bool:
    """Whether the closed ring (k, 2) of lon/lat points contains the point (even-odd rule, vectorised)."""
    if len(ring) < 3:
        return False
    x0, y0 = ring[:-1, 0], ring[:-1, 1]
    x1, y1 = ring[1:, 0], ring[1:, 1]
    straddles = (y0 > lat) != (y1 > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing_x = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
    crossings = np.count_nonzero(straddles & (lon < crossing_x))
    return bool(crossings % 2 == 1)


def ring_areas(level: MapLevel) -> FloatArray:
    """Absolute area (square degrees, shoelace) of every ring of a level, for drawing and testing order."""
    points = level.points
    x, y = points[:, 0], points[:, 1]
    cross = np.zeros(len(points), dtype=np.float64)
    cross[:-1] = x[:-1] * y[1:] - x[1:] * y[:-1]
    # Do not count the step from one ring's last point to the next ring's first point.
    ends = level.ring_offsets[1:] - 1
    cross[ends[ends < len(cross)]] = 0.0
    sums = np.add.reduceat(cross, level.ring_offsets[:-1]) if len(cross) else np.zeros(0)
    return np.asarray(np.abs(sums) / 2.0, dtype=np.float64)


def country_at(world_map: WorldMap, lon: float, lat: float, lod: str = "fine") -> int | None:
    """Index of the country whose outline contains the point, or None at sea.

    Candidates come from the rings' bounding boxes; the smallest containing ring wins, so an enclave is
    found rather than the country around it (holes are not needed for that).
    """
    lon = wrap_longitude(lon) if not -180.0 <= lon <= 180.0 else lon
    level = world_map.level(lod)
    candidates = world_map.rings_in_view(lon, lat, lon, lat, lod)
    if len(candidates) == 0:
        return None
    boxes = level.ring_bbox[candidates]
    order = np.argsort((boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]), kind="stable")
    for ring_index in candidates[order]:
        if level.ring_is_hole[ring_index]:
            continue
        if ring_contains(level.ring(int(ring_index)), lon, lat):
            return int(level.ring_country[ring_index])
    return None


def ring_centroid(ring: FloatArray) -> tuple[float, float]:
    """Area centroid (lon, lat) of a closed ring; the mean of its points when it has no area."""
    x, y = ring[:, 0], ring[:, 1]
    cross = x[:-1] * y[1:] - x[1:] * y[:-1]
    area = cross.sum() / 2.0
    if abs(area) < 1e-12:
        return float(x.mean()), float(y.mean())
    cx = ((x[:-1] + x[1:]) * cross).sum() / (6.0 * area)
    cy = ((y[:-1] + y[1:]) * cross).sum() / (6.0 * area)
    return float(cx), float(cy)


def main_centroid(world_map: WorldMap, isos: list[str], lod: str = "coarse") -> tuple[float, float] | None:
    """Where to anchor an actor on the map: the centroid of the largest ring of its countries.

    The largest ring rather than all of them, so that the United States is anchored in its mainland and
    not pulled to the middle of the Pacific by Alaska, Hawaii and Guam.
    """
    level = world_map.level(lod)
    areas = ring_areas(level)
    best: tuple[float, int] | None = None
    for iso in isos:
        try:
            rings = world_map.country_rings(iso, lod)
        except KeyError:
            continue
        for ring_index in rings:
            if level.ring_is_hole[ring_index]:
                continue
            area = float(areas[ring_index])
            if best is None or area > best[0]:
                best = (area, int(ring_index))
    if best is None:
        return None
    return ring_centroid(level.ring(best[1]))


def rasterise_rings(
    px: FloatArray,
    py: FloatArray,
    ring_offsets: npt.NDArray[np.int64],
    ring_values: npt.NDArray[np.int64],
    width: int,
    height: int,
) -> npt.NDArray[np.int32]:
    """Fill polygon rings (pixel coordinates) into a (height, width) grid: each pixel gets the sum of the
    values of the rings that cover its centre (even-odd rule per ring).

    Giving a country's outer rings +id and its holes -id makes enclaves come out right without any drawing
    order, since admin-0 countries do not overlap. Vectorised scanline conversion: every edge is cut by
    the pixel-row centres it crosses, crossings are sorted and paired into spans per ring and row, and the
    spans are summed into the grid as +value/-value steps followed by one cumulative sum along the rows.
    That is much faster than filling thousands of rings one by one with pygame.draw.polygon.
    """
    grid_shape = (height, width)
    if width <= 0 or height <= 0 or len(ring_values) == 0:
        return np.zeros((max(height, 0), max(width, 0)), dtype=np.int32)
    starts = ring_offsets[:-1]
    ends = ring_offsets[1:]
    lengths = ends - starts
    # Every point starts an edge to the next point of its ring; the last one closes the ring to its first.
    edge_ring = np.repeat(np.arange(len(lengths)), lengths)
    a = np.arange(len(px))
    b = a + 1
    b[ends[lengths > 0] - 1] = starts[lengths > 0]
    x0, y0, x1, y1 = px[a], py[a], px[b], py[b]
    low, high = np.minimum(y0, y1), np.maximum(y0, y1)
    first_row = np.clip(np.ceil(low - 0.5), 0, height).astype(np.int64)
    end_row = np.clip(np.ceil(high - 0.5), 0, height).astype(np.int64)
    counts = np.maximum(end_row - first_row, 0)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(grid_shape, dtype=np.int32)
    edge = np.repeat(np.arange(len(counts)), counts)
    within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    row = first_row[edge] + within
    ey0, ey1 = y0[edge], y1[edge]
    cross_x = x0[edge] + (row + 0.5 - ey0) * (x1[edge] - x0[edge]) / (ey1 - ey0)
    ring = edge_ring[edge]
    order = np.lexsort((cross_x, row, ring))
    ring, row, cross_x = ring[order], row[order], cross_x[order]
    # Consecutive crossings of one ring on one row pair up into the spans inside it.
    span_ring, span_row = ring[0::2], row[0::2]
    span_start = np.clip(np.ceil(cross_x[0::2] - 0.5), 0, width).astype(np.int64)
    span_end = np.clip(np.ceil(cross_x[1::2] - 0.5), 0, width).astype(np.int64)
    stride = width + 1
    steps = np.zeros(height * stride, dtype=np.int32)  # int32: numpy's cumulative sum is fastest for it
    span_values = ring_values[span_ring].astype(np.int32)
    np.add.at(steps, span_row * stride + span_start, span_values)
    np.subtract.at(steps, span_row * stride + span_end, span_values)
    filled: npt.NDArray[np.int32] = np.cumsum(steps.reshape(height, stride), axis=1, dtype=np.int32)[:, :width]
    return filled
