"""The pause menu (Esc in a game): resume, save, load, settings, quit to title."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import pygame

from game.play.saves import SaveError, saves_dir, write_save
from game.ui.i18n import _
from game.ui.message_dialog import MessageDialog
from game.ui.save_dialogs import LoadDialog
from game.ui.scene import GoTo, Modal, Transition
from game.ui.settings_dialog import SettingsDialog

if TYPE_CHECKING:
    from game.ui.game_scene import GameScene


class PauseMenu(Modal):
    """The game waits while this is open (turns only advance on End turn anyway)."""

    def __init__(self, scene: GameScene) -> None:
        super().__init__(scene, _("Paused"), size=(360, 290))
        self.game = scene

    def build(self) -> None:
        self.title = _("Paused")
        super().build()

    def build_content(self) -> None:
        h, gap = self.px(36), self.px(8)
        y = self.body.y
        for label, action, name in (
            (_("Resume"), self._resume, "resume"),
            (_("Save"), self._save, "save"),
            (_("Load"), self._load, "load"),
            (_("Settings"), self._settings, "settings"),
            (_("Quit to title"), self._quit_to_title, "quit"),
        ):
            self.button(pygame.Rect(self.body.x, y, self.body.w, h), label, action, name=name)
            y += h + gap

    def _resume(self) -> Transition:
        self.close()
        return None

    def _save(self) -> Transition:
        session = self.game.session
        self.game.commit_levers()
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = saves_dir(self.app.data_dir) / f"save-{stamp}.json"
        try:
            write_save(session, path)
        except SaveError as error:
            self.scene.open_modal(MessageDialog(self.scene, _("Save"), [error.message, _("The game goes on.")]))
            return None
        self.app.notify(_("Saved: {name}", name=path.name))
        self.close()
        return None

    def _load(self) -> Transition:
        self.scene.open_modal(LoadDialog(self.scene, self.game.session))
        return None

    def _settings(self) -> Transition:
        self.scene.open_modal(SettingsDialog(self.scene))
        return None

    def _quit_to_title(self) -> Transition:
        """Ask first: a stray Enter on the last button must not end the game."""
        self.scene.open_modal(MessageDialog(
            self.scene, _("Quit to the title screen?"),
            [_("The game is saved automatically before you leave; load it again from Load game."),
             _("Choose Stay to go on playing.")],
            error=False, actions=[(_("Quit to title"), self._confirm_quit)], close_label=_("Stay"),
        ))
        return None

    def _confirm_quit(self) -> Transition:
        self.game.on_close()  # autosave: quitting to the title loses nothing either
        self.scene.close_modal()
        return GoTo("title")
