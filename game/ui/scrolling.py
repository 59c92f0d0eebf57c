"""Scrolling lists and columns: keep the row the keyboard focus is on in view."""

from __future__ import annotations

from pygame_gui.elements import UIScrollingContainer


def reveal_row(scroller: UIScrollingContainer, row_y: int, view_h: int, row_h: int) -> None:
    """Scroll the list so that the row at `row_y` is visible (keyboard focus moved to it)."""
    bar = scroller.vert_scroll_bar
    if bar is None:
        return
    total = scroller.scrolling_height
    if total <= view_h:
        return
    target = max(0, min(total - view_h, row_y - view_h // 2 + row_h // 2))
    bar.set_scroll_from_start_percentage(target / total)
