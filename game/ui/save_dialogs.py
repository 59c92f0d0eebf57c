"""Loading saves: the list of save files (newest first) and what happens when one is picked.

A save that cannot be read is listed with its problem; picking a corrupt file shows an error
dialog and the current game (or the title screen) goes on.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

import pygame
from pygame_gui.elements import UIScrollingContainer

from game.play.opening import GameProblems, resume_game
from game.play.saves import SaveInfo, list_saves
from game.ui.i18n import _
from game.ui.message_dialog import MessageDialog
from game.ui.scene import GoTo, Modal, Scene, Transition
from game.ui.scrolling import reveal_row

if TYPE_CHECKING:
    from game.play.session import Session

log = logging.getLogger(__name__)


class LoadDialog(Modal):
    """Pick a save to load."""

    def __init__(self, scene: Scene, session: Session | None) -> None:
        super().__init__(scene, _("Load game"), size=(620, 460))
        self.session = session
        self.saves: list[SaveInfo] = []

    def build(self) -> None:
        self.saves = list_saves(self.app.data_dir)
        super().build()

    def build_content(self) -> None:
        button_h, gap = self.px(34), self.px(6)
        list_rect = pygame.Rect(self.body.x, self.body.y, self.body.w, self.body.h - button_h - self.px(12))
        scroller = self.keep(UIScrollingContainer(list_rect, self.app.manager, starting_height=60,
                                                  allow_scroll_x=False))
        inner_w = list_rect.w - self.px(22)
        y = 0
        for index, info in enumerate(self.saves):
            text = info.label if info.problem is None else f"▲ {info.path.name}: {info.problem}"
            if info.problem is None:
                text = f"{text}   ({info.saved_at.replace('T', ' ')[:16]})"
            row_y = y

            def reveal(row_y: int = row_y) -> None:
                reveal_row(scroller, row_y, list_rect.h, button_h)

            self.button(pygame.Rect(0, y, inner_w, button_h), text, partial(self._load, info),
                        container=scroller, class_id="@broken" if info.problem else "@list_item",
                        name=f"save-{index}", reveal=reveal)
            y += button_h + gap
        scroller.set_scrollable_area_dimensions((inner_w, max(y, 1)))
        w = self.px(140)
        self.button(pygame.Rect(self.body.right - w, self.body.bottom - button_h, w, button_h), _("Close"),
                    self._close, name="close")

    def _close(self) -> None:
        self.close()

    def _load(self, info: SaveInfo) -> Transition:
        opened = resume_game(info.path, self.app.data_dir)
        if isinstance(opened, GameProblems):
            log.warning("could not load %s: %s", info.path, opened.text())
            fallback = next((s for s in self.saves if s.is_autosave and s.problem is None and s.path != info.path),
                            None)
            actions = [(_("Load the latest autosave"), partial(self._load, fallback))] if fallback else []
            self.scene.open_modal(MessageDialog(self.scene, _("The save could not be loaded"),
                                                [*opened.messages, _("The game goes on.")], actions=actions))
            return None
        self.close()
        self.app.notify(_("Loaded: {name}", name=info.label))
        for warning in opened.warnings:
            self.app.notify(warning, kind="warning", seconds=6.0)
        screen = "debrief" if opened.session.is_over else "game"
        return GoTo(screen, session=opened.session, role=opened.role)

    def draw_content(self, surface: pygame.Surface) -> None:
        if not self.saves:
            text = self.app.fonts.body.render(_("No saves yet."), True, self.app.palette.text_muted)
            surface.blit(text, self.body.topleft)
