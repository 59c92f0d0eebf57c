"""Keyboard focus: Tab / Shift-Tab cycle through everything a mouse can reach; Enter or Space activates.

pygame_gui has no focus cycling of its own for buttons and sliders, and the dashboard rows and
the map are drawn by us, so one ring holds both kinds: each entry knows its rectangle on screen,
what activating it does, and (for sliders) what the left and right arrows do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pygame

Outcome = Any  # whatever the host's callbacks return (the next scene or None)


@dataclass
class Focusable:
    """One stop of the focus ring."""

    rect: Callable[[], pygame.Rect]
    activate: Callable[[], Outcome]
    adjust: Callable[[int], Outcome] | None = None  # -1 / +1 from the arrow keys (sliders)
    reveal: Callable[[], None] | None = None  # scroll it into view when it gains focus
    name: str = ""


class FocusRing:
    """The ordered stops of one screen (or dialog) and which one has the focus."""

    def __init__(self) -> None:
        self.items: list[Focusable] = []
        self.index: int | None = None

    def clear(self) -> None:
        """Forget every stop (the screen is being rebuilt)."""
        self.items.clear()
        self.index = None

    def add(self, item: Focusable) -> Focusable:
        """Append a stop; the order of adding is the Tab order."""
        self.items.append(item)
        return item

    @property
    def current(self) -> Focusable | None:
        """The stop that has the focus, if any."""
        if self.index is None or not 0 <= self.index < len(self.items):
            return None
        return self.items[self.index]

    def move(self, step: int) -> None:
        """Move the focus forwards (+1) or backwards (-1), wrapping around."""
        if not self.items:
            self.index = None
            return
        if self.index is None:
            self.index = 0 if step > 0 else len(self.items) - 1
        else:
            self.index = (self.index + step) % len(self.items)
        item = self.items[self.index]
        if item.reveal is not None:
            item.reveal()

    def focus_named(self, name: str) -> None:
        """Put the focus on the stop called `name` (kept across rebuilds of the screen)."""
        for i, item in enumerate(self.items):
            if item.name == name:
                self.index = i
                return

    def draw(self, surface: pygame.Surface, colour: tuple[int, int, int], width: int = 2) -> None:
        """A ring around the focused stop."""
        item = self.current
        if item is None:
            return
        rect = item.rect().inflate(4 + 2 * width, 4 + 2 * width)
        pygame.draw.rect(surface, colour, rect, width, border_radius=4)
