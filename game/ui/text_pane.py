"""A scrollable block of drawn text (briefings, scenario details, the debrief's history).

The text is rendered once into one tall surface when the pane is built; a frame only blits the
visible part, so long texts cost nothing per frame. The mouse wheel scrolls it when the pointer is
over it, and Up/Down/PageUp/PageDown when it has the keyboard focus.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.ui.text_layout import render_wrapped

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Block:
    """A paragraph: its font, text, colour and the space after it."""

    font: pygame.font.Font
    text: str
    colour: Colour
    gap: int = 6
    indent: int = 0


class TextPane:
    """Paragraphs in a rectangle, scrolled when they do not fit."""

    def __init__(self, rect: pygame.Rect, blocks: list[Block], scrollbar_colour: Colour = (110, 118, 130)) -> None:
        self.rect = pygame.Rect(rect)
        self.scrollbar_colour = scrollbar_colour
        self.offset = 0
        self.blocks = list(blocks)  # kept so that tests and screen readers can read what is shown
        width = max(16, self.rect.w - 10)
        rendered = [(render_wrapped(b.font, b.text, b.colour, width - b.indent), b) for b in blocks if b.text]
        height = sum(s.get_height() + b.gap for s, b in rendered) or 1
        self.content = pygame.Surface((width, height), pygame.SRCALPHA)
        y = 0
        for surface, block in rendered:
            self.content.blit(surface, (block.indent, y))
            y += surface.get_height() + block.gap

    @property
    def max_offset(self) -> int:
        """How far the text can scroll."""
        return max(0, self.content.get_height() - self.rect.h)

    def scroll(self, pixels: int) -> None:
        """Scroll by `pixels` (positive: down), within bounds."""
        self.offset = min(self.max_offset, max(0, self.offset + pixels))

    def handle_event(self, event: pygame.event.Event, *, focused: bool = False) -> bool:
        """Scroll on the wheel over the pane, or on the arrow/page keys when it has the focus."""
        if event.type == pygame.MOUSEWHEEL and self.rect.collidepoint(pygame.mouse.get_pos()):
            self.scroll(-event.y * 40)
            return True
        if focused and event.type == pygame.KEYDOWN:
            steps = {pygame.K_UP: -40, pygame.K_DOWN: 40, pygame.K_PAGEUP: -self.rect.h + 40,
                     pygame.K_PAGEDOWN: self.rect.h - 40}
            if event.key in steps:
                self.scroll(steps[event.key])
                return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        """Blit the visible part and, when it overflows, a thin scroll indicator."""
        area = pygame.Rect(0, self.offset, self.content.get_width(), self.rect.h)
        surface.blit(self.content, self.rect.topleft, area)
        if self.max_offset:
            total = self.content.get_height()
            bar_h = max(20, self.rect.h * self.rect.h // total)
            bar_y = self.rect.y + (self.rect.h - bar_h) * self.offset // self.max_offset
            pygame.draw.rect(surface, self.scrollbar_colour, (self.rect.right - 4, bar_y, 4, bar_h), border_radius=2)
