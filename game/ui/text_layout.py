"""Drawing text: wrapped paragraphs and single lines cut to a width.

Wrapping uses pygame-ce's own `Font.render(..., wraplength=)` (SDL_ttf), which breaks Japanese
between characters; pygame_gui's text box treats a Japanese sentence as one long word.
"""

from __future__ import annotations

import pygame

Colour = tuple[int, int, int]


def render_wrapped(font: pygame.font.Font, text: str, colour: Colour, width: int) -> pygame.Surface:
    """`text` wrapped to `width` pixels (newlines start new lines) on a transparent surface."""
    if not text:
        return pygame.Surface((1, 1), pygame.SRCALPHA)
    return font.render(text, True, colour, None, max(8, int(width)))


def fit_line(font: pygame.font.Font, text: str, width: int) -> str:
    """`text` cut with an ellipsis so it fits in `width` pixels on one line."""
    if font.size(text)[0] <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if font.size(text[:middle] + "…")[0] <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…"


def render_line(font: pygame.font.Font, text: str, colour: Colour, width: int | None = None) -> pygame.Surface:
    """One line of text, cut with an ellipsis when `width` is given and it is too long."""
    if width is not None:
        text = fit_line(font, text, width)
    return font.render(text or " ", True, colour)
