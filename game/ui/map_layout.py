"""Where the pygame map's markers and labels go, in pygame Rects: the layout itself is
`game.geography.marker_layout` (no drawing library there, so the browser's SVG map shares it)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pygame

from game.geography import marker_layout
from game.geography.marker_layout import LABEL_GAP_PX, MARKER_GAP_PX, Box, MarkerSpot, spread_markers

__all__ = ["LABEL_GAP_PX", "MARKER_GAP_PX", "MarkerSpot", "label_candidates", "marker_box", "place_labels",
           "spread_markers"]


def _rect(box: Box) -> pygame.Rect:
    return pygame.Rect(box.left, box.top, box.width, box.height)


def _box(rect: pygame.Rect) -> Box:
    return Box(rect.left, rect.top, rect.width, rect.height)


def marker_box(centre: tuple[float, float], extent: float) -> pygame.Rect:
    """The square a marker's drawing covers."""
    return _rect(marker_layout.marker_box(centre, extent))


def label_candidates(size: tuple[int, int], centre: tuple[float, float], extent: float) -> Iterator[pygame.Rect]:
    """Where a label may go around a marker, best first (see `marker_layout.label_candidates`)."""
    return (_rect(box) for box in marker_layout.label_candidates(size, centre, extent))


def place_labels(
    labels: Sequence[tuple[tuple[int, int], tuple[float, float], float]],
    bounds: pygame.Rect,
    obstacles: Sequence[pygame.Rect],
    markers: Sequence[tuple[float, float]] = (),
) -> list[pygame.Rect | None]:
    """A rect for each label, or None for one that fits nowhere (see `marker_layout.place_labels`)."""
    placed = marker_layout.place_labels(labels, _box(bounds), [_box(rect) for rect in obstacles], markers)
    return [None if box is None else _rect(box) for box in placed]
