"""Where the map's markers and labels go: markers that would overlap are spread apart, labels never collide.

Places a few kilometres apart (Kadena, Futenma and Naha on Okinawa; Tokyo, Yokota and Yokosuka) fall within a
few pixels of each other at the scenario's view, so their markers would lie on top of each other and only the
topmost could be clicked. As a polished map does, overlapping markers are pushed apart, each as little as it
takes, and a marker moved off its place is joined to it by a thin leader line; zoomed in far enough, they no
longer overlap and every marker sits on its place again. Labels then go where they touch no marker, no other
label and not the map's edge, trying eight positions around their marker; the labels of the most important
places are placed first, so a label that fits nowhere is a less important one, and it is left out (its marker
stays, and its panel names it).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

MARKER_GAP_PX = 3.0  # free space kept between two spread markers
LABEL_GAP_PX = 2  # between a marker's edge and its label
MAX_SPREAD_ROUNDS = 200  # passes over all pairs; a dozen places settle in a few
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))  # directions that never repeat, for markers at the same point


@dataclass(frozen=True)
class MarkerSpot:
    """A marker to lay out: where its place is (rect px) and how far its drawing reaches from its centre."""

    x: float
    y: float
    extent: float


def spread_markers(spots: Sequence[MarkerSpot], gap: float = MARKER_GAP_PX) -> list[tuple[float, float]]:
    """Centres for the markers such that no two overlap (their extents plus `gap` apart), each moved as
    little as it takes.

    A marker that overlaps no other keeps its place. Two that overlap are pushed apart along the line
    between them, each by half the overlap, again and again until none overlaps: a group keeps its
    geography (Kadena stays north of Naha) and each marker stays next to its true position, so a click
    there still finds it. Markers at the very same point part in a fixed direction per pair.
    """
    xs = [spot.x for spot in spots]
    ys = [spot.y for spot in spots]
    count = len(spots)
    pairs = [(i, j) for i in range(count) for j in range(i + 1, count)]
    for _round in range(MAX_SPREAD_ROUNDS):
        moved = False
        for i, j in pairs:
            need = spots[i].extent + spots[j].extent + gap
            dx, dy = xs[j] - xs[i], ys[j] - ys[i]
            if abs(dx) >= need or abs(dy) >= need:
                continue  # the common case, cheaply
            distance = math.hypot(dx, dy)
            if distance >= need:
                continue
            if distance < 1e-6:
                angle = GOLDEN_ANGLE * (i * count + j)
                dx, dy, distance = math.cos(angle), math.sin(angle), 1.0
            push = (need - distance) / 2 + 0.01  # a hair more, so that rounding never leaves them touching
            ux, uy = dx / distance * push, dy / distance * push
            xs[i] -= ux
            ys[i] -= uy
            xs[j] += ux
            ys[j] += uy
            moved = True
        if not moved:
            break
    return list(zip(xs, ys, strict=True))


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in whole pixels, as pygame's Rect counts them (right and bottom excluded)."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        """The first column past the box."""
        return self.left + self.width

    @property
    def bottom(self) -> int:
        """The first row past the box."""
        return self.top + self.height

    def contains(self, other: Box) -> bool:
        """Whether `other` lies wholly inside this box."""
        return (self.left <= other.left and self.top <= other.top and other.right <= self.right
                and other.bottom <= self.bottom)

    def overlaps(self, other: Box) -> bool:
        """Whether the two boxes share a pixel (empty boxes share none)."""
        return (self.width > 0 and self.height > 0 and other.width > 0 and other.height > 0
                and self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)

    def shrunk_vertically(self, by: int) -> Box:
        """The box with `by` pixels taken off its height, half at the top and half at the bottom."""
        return Box(self.left, self.top + by // 2, self.width, self.height - by)


def marker_box(centre: tuple[float, float], extent: float) -> Box:
    """The square a marker's drawing covers."""
    half = math.ceil(extent)
    return Box(round(centre[0]) - half, round(centre[1]) - half, 2 * half + 1, 2 * half + 1)


def label_candidates(size: tuple[int, int], centre: tuple[float, float], extent: float) -> Iterator[Box]:
    """Where a label of `size` may go around a marker, best first: right, left, the four diagonals, above, below
    (beside the marker before above or below it, as map labels are read along the line). Made one by one:
    most labels take the first."""
    x, y = round(centre[0]), round(centre[1])
    w, h = size
    half = math.ceil(extent)  # the marker's box (see `marker_box`) reaches this far from its centre
    gap = half + LABEL_GAP_PX
    slant = half + 1  # a diagonal label just clears the box's corner
    corners = (  # top-left corners, as pygame's midleft, midright, bottomleft, ... would set them
        (x + gap, y - h // 2),
        (x - gap - w, y - h // 2),
        (x + slant, y - slant - h),
        (x + slant, y + slant),
        (x - slant - w, y - slant - h),
        (x - slant - w, y + slant),
        (x - w // 2, y - gap - h),
        (x - w // 2, y + gap),
    )
    for left, top in corners:
        yield Box(left, top, w, h)


def place_labels(
    labels: Sequence[tuple[tuple[int, int], tuple[float, float], float]],
    bounds: Box,
    obstacles: Sequence[Box],
    markers: Sequence[tuple[float, float]] = (),
) -> list[Box | None]:
    """A rect for each label (its size, its marker's centre and extent), in the given order of importance, or
    None for a label that fits nowhere.

    A placed label lies inside `bounds`, touches no obstacle (markers, labels already drawn) and no other
    placed label, and is nearer its own marker than any other of the `markers` (centres): a label
    beside its neighbour's marker would read as the neighbour's name.
    """
    taken = list(obstacles)
    placed: list[Box | None] = []
    for size, centre, extent in labels:
        # Only markers within reach can be nearer a candidate than its own marker is (at most two gaps away).
        margin = 3 * (math.ceil(extent) + LABEL_GAP_PX) + 2
        reach_x, reach_y = size[0] + margin, size[1] + margin
        neighbours = [m for m in markers if m != centre and abs(m[0] - centre[0]) <= reach_x
                      and abs(m[1] - centre[1]) <= reach_y]
        chosen = None
        for candidate in label_candidates(size, centre, extent):
            if not bounds.contains(candidate) or any(candidate.overlaps(box) for box in taken):
                continue
            if neighbours:
                # Measured to the middle third of the label, the band the eye follows along the text: a marker
                # level with the start of a label reads as its owner even if the label's far corner is nearer.
                text = candidate.shrunk_vertically(2 * candidate.height // 3)
                own = _distance_to(text, centre)
                if any(_distance_to(text, other) < own for other in neighbours):
                    continue
            chosen = candidate
            break
        if chosen is not None:
            taken.append(chosen)
        placed.append(chosen)
    return placed


def _distance_to(rect: Box, point: tuple[float, float]) -> float:
    """How far a point is from the nearest pixel of a rect (0 inside)."""
    x, y = point
    dx = max(rect.left - x, 0.0, x - (rect.right - 1))
    dy = max(rect.top - y, 0.0, y - (rect.bottom - 1))
    return math.hypot(dx, dy)
