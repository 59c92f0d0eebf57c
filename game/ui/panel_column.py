"""A column of a side panel: text and widgets stacked top to bottom in a scrolling container.

Panels (decision, levers) write into one through the screen's `WidgetHost`, so their buttons and sliders
join the screen's focus ring and are cleared with the screen's other widgets on a rebuild.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame
from pygame_gui.elements import UIImage, UIScrollingContainer

from game.ui.scene import WidgetHost
from game.ui.scrolling import reveal_row
from game.ui.text_layout import render_wrapped


class PanelColumn:
    """Where a panel writes: `scroller` (inner width `width`, visible height `view_h`) through `host`."""

    def __init__(self, host: WidgetHost, scroller: UIScrollingContainer, width: int, view_h: int) -> None:
        self.host = host
        self.scroller = scroller
        self.width = width
        self.view_h = view_h

    def px(self, value: float) -> int:
        return self.host.px(value)

    def image(self, surface: pygame.Surface, x: int, y: int) -> UIImage:
        """A rendered surface at (x, y) of the column."""
        image = UIImage(pygame.Rect(x, y, surface.get_width(), surface.get_height()), surface,
                        self.host.app.manager, container=self.scroller)
        self.host.keep(image)
        return image

    def text(self, y: int, text: str, font: pygame.font.Font, colour: tuple[int, int, int], x: int = 0) -> int:
        """Wrapped text at height `y`, indented by `x`; returns the height below it."""
        if not text:
            return y
        surface = render_wrapped(font, text, colour, self.width - x)
        self.image(surface, x, y)
        return y + surface.get_height() + self.px(4)

    def revealer(self, row_y: int, row_h: int) -> Callable[[], None]:
        """What scrolls the row at `row_y` into view when the keyboard focus reaches it."""
        def reveal() -> None:
            reveal_row(self.scroller, row_y, self.view_h, row_h)

        return reveal
