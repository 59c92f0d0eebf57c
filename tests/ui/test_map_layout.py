"""The layout of the map's markers and labels as plain geometry: spreading overlapping markers, placing labels."""

from __future__ import annotations

import itertools
import math

import pygame
from hypothesis import given
from hypothesis import strategies as st

from game.ui.map_layout import MARKER_GAP_PX, MarkerSpot, label_candidates, place_labels, spread_markers


def overlaps(spots: list[MarkerSpot], positions: list[tuple[float, float]]) -> list[tuple[int, int]]:
    return [(i, j) for i, j in itertools.combinations(range(len(spots)), 2)
            if math.dist(positions[i], positions[j]) < spots[i].extent + spots[j].extent + MARKER_GAP_PX - 1e-6]


def test_markers_that_do_not_overlap_keep_their_places() -> None:
    spots = [MarkerSpot(10, 10, 5), MarkerSpot(40, 10, 5), MarkerSpot(10, 40, 8)]
    assert spread_markers(spots) == [(10, 10), (40, 10), (10, 40)]


def test_overlapping_markers_part_along_the_line_between_them_and_keep_their_order() -> None:
    # Kadena, Futenma and Naha at the scenario's view: a few pixels apart on a north-south line.
    spots = [MarkerSpot(195, 484, 6), MarkerSpot(195, 486, 4), MarkerSpot(193, 487, 7)]
    positions = spread_markers(spots)
    assert overlaps(spots, positions) == []
    assert positions[0][1] < positions[1][1]  # Kadena stays north of Futenma
    centre = (sum(s.x for s in spots) / 3, sum(s.y for s in spots) / 3)
    assert all(math.dist(p, centre) < 25 for p in positions)  # moved as little as it takes, not scattered


def test_markers_at_the_same_point_part_too() -> None:
    spots = [MarkerSpot(50, 50, 5)] * 4
    positions = spread_markers(spots)
    assert overlaps(spots, positions) == [] and len(set(positions)) == 4


@given(st.lists(st.tuples(st.floats(0, 60), st.floats(0, 60), st.floats(3, 10)), min_size=1, max_size=16))
def test_spread_markers_never_overlap(points: list[tuple[float, float, float]]) -> None:
    spots = [MarkerSpot(x, y, extent) for x, y, extent in points]
    assert overlaps(spots, spread_markers(spots)) == []


def test_labels_go_right_of_their_marker_first_and_stay_inside_the_map() -> None:
    bounds = pygame.Rect(0, 0, 200, 100)
    (right,) = place_labels([((40, 16), (50, 50), 5)], bounds, [])
    assert right is not None and right.left > 55 and right.centery == 50
    (left,) = place_labels([((40, 16), (190, 50), 5)], bounds, [])  # no room on the right: the left
    assert left is not None and left.right < 185 and bounds.contains(left)
    (none,) = place_labels([((400, 16), (100, 50), 5)], bounds, [])  # fits nowhere: left out
    assert none is None


def test_the_more_important_label_wins_and_the_other_moves_or_is_left_out() -> None:
    bounds = pygame.Rect(0, 0, 300, 200)
    first, second = place_labels([((60, 16), (100, 100), 5), ((60, 16), (100, 104), 5)], bounds, [])
    assert first is not None and first == next(label_candidates((60, 16), (100, 100), 5))
    assert second is None or not second.colliderect(first)


def test_a_label_never_sits_beside_another_marker_as_if_it_were_its_name() -> None:
    bounds = pygame.Rect(0, 0, 400, 200)
    own, neighbour = (100.0, 100.0), (192.0, 101.0)
    # Right of `own` the label would end next to `neighbour` (level with it): it goes elsewhere.
    (rect,) = place_labels([((80, 16), own, 5)], bounds, [], [own, neighbour])
    assert rect is not None and rect != next(label_candidates((80, 16), own, 5))
    assert math.dist(rect.center, own) < math.dist(rect.center, neighbour)


def test_labels_avoid_obstacles() -> None:
    bounds = pygame.Rect(0, 0, 300, 200)
    marker = pygame.Rect(150, 92, 17, 17)
    (rect,) = place_labels([((40, 16), (140, 100), 4)], bounds, [marker])
    assert rect is not None and not rect.colliderect(marker)
