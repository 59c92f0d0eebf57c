"""Colours of the game: colour-blind-safe by default (Okabe–Ito), plus a high-contrast variant.

Relations run on a blue–orange diverging scale rather than green–red, so that players with the
common red–green colour-vision deficiencies can still tell allies from adversaries; the scale is
also ordered by lightness, so it survives a greyscale projector.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    """Every colour the UI, the map and the charts use."""

    name: str
    background: Colour
    panel: Colour
    text: Colour
    text_muted: Colour
    accent: Colour
    ally: Colour
    friendly: Colour
    neutral: Colour
    unfriendly: Colour
    hostile: Colour
    sea: Colour
    land: Colour
    border: Colour
    warning: Colour
    error: Colour
    own: Colour = (0, 158, 115)  # Okabe–Ito bluish green: the player's own country, apart from the relation scale
    focus: Colour = (240, 228, 66)  # Okabe–Ito yellow: the keyboard-focus ring stands out on any panel
    series: tuple[Colour, ...] = (
        (230, 159, 0),
        (86, 180, 233),
        (0, 158, 115),
        (240, 228, 66),
        (0, 114, 178),
        (213, 94, 0),
        (204, 121, 167),
        (200, 200, 200),
    )

    def relation_colour(self, value: float) -> Colour:
        """Colour for a relation value from −100 (hostile) to 100 (ally), blended between the five stops."""
        stops = (
            (-100.0, self.hostile),
            (-40.0, self.unfriendly),
            (0.0, self.neutral),
            (40.0, self.friendly),
            (100.0, self.ally),
        )
        v = max(-100.0, min(100.0, float(value)))
        for (x0, c0), (x1, c1) in pairwise(stops):
            if v <= x1:
                t = (v - x0) / (x1 - x0)
                return (
                    round(c0[0] + (c1[0] - c0[0]) * t),
                    round(c0[1] + (c1[1] - c0[1]) * t),
                    round(c0[2] + (c1[2] - c0[2]) * t),
                )
        return self.ally

    def series_colour(self, index: int) -> Colour:
        """The colour of the index-th line in a chart (cycles through eight distinguishable colours)."""
        return self.series[index % len(self.series)]


def default_palette() -> Palette:
    """The colour-blind-safe palette (Okabe–Ito hues on a dark background)."""
    return Palette(
        name="colourblind",
        background=(24, 28, 36),
        panel=(36, 42, 54),
        text=(235, 235, 235),
        text_muted=(160, 166, 178),
        accent=(86, 180, 233),
        ally=(0, 114, 178),
        friendly=(86, 180, 233),
        neutral=(150, 150, 150),
        unfriendly=(230, 159, 0),
        hostile=(213, 94, 0),
        sea=(28, 44, 66),
        land=(70, 76, 84),
        border=(110, 118, 130),
        warning=(240, 228, 66),
        error=(213, 94, 0),
    )


def high_contrast_palette() -> Palette:
    """Black and white with the same colour-blind-safe hues, for washed-out classroom projectors."""
    return Palette(
        name="high_contrast",
        background=(0, 0, 0),
        panel=(20, 20, 20),
        text=(255, 255, 255),
        text_muted=(210, 210, 210),
        accent=(240, 228, 66),
        ally=(0, 114, 178),
        friendly=(86, 180, 233),
        neutral=(190, 190, 190),
        unfriendly=(230, 159, 0),
        hostile=(213, 94, 0),
        sea=(0, 0, 0),
        land=(60, 60, 60),
        border=(255, 255, 255),
        warning=(240, 228, 66),
        error=(255, 120, 60),
        focus=(255, 255, 255),
    )


PALETTES = {"colourblind": default_palette, "high_contrast": high_contrast_palette}


def palette_named(name: str) -> Palette:
    """The palette called `name`, or the default one for an unknown name (an old settings file)."""
    return PALETTES.get(name, default_palette)()


def relation_colour(value: float, palette: Palette | None = None) -> Colour:
    """Colour for a relation value (−100 hostile … 100 ally) in `palette` (default: the colour-blind-safe one)."""
    return (palette or default_palette()).relation_colour(value)
