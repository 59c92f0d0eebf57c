"""The game screen: the map in the middle, the dashboard on the left, decisions and levers on the right.

Everything the player does becomes a command for the session (`SetLever`, `Choose`, `EndTurn`); a
rule the command breaks comes back as `CommandRejected` and is shown as a message. Lever sliders
keep a draft while they move and send one `SetLever` per lever when the turn ends (or the game is
saved), so dragging a slider does not fill the command log.

Keys: Tab/Shift-Tab focus, Enter/Space activate, 1–9 choose, E end turn, arrows pan, +/- zoom,
Esc closes the place panel or opens the pause menu, F5 reloads the scenario file.
"""

from __future__ import annotations

import logging
from typing import Any

import pygame
from pygame_gui.elements import UIButton, UIScrollingContainer

from game.engine.turn import TurnReport
from game.geography.map_data import MapAssetError, WorldMap, load_world_map
from game.play.commands import Choose, Command, CommandRejected, EndTurn, SetLever
from game.play.decisions import PendingDecision
from game.play.opening import GameProblems, reload_game
from game.play.saves import SaveError, autosave
from game.play.session import Session
from game.ui.advisor_worker import AdviceRequest, AdvisorPool
from game.ui.dashboard import Dashboard, blit_tooltip, tooltip_surface, why_lines
from game.ui.decision_panel import AdviceState, DecisionPanel
from game.ui.focus import Focusable
from game.ui.game_bars import AdvisorStatus, KeyHelp, TopBar
from game.ui.i18n import _, current_language
from game.ui.lever_panel import LeverPanel
from game.ui.map_view import MapSelection, MapView
from game.ui.message_dialog import MessageDialog
from game.ui.panel_column import PanelColumn
from game.ui.pause_menu import PauseMenu
from game.ui.scene import GoTo, Scene, Transition
from game.ui.selection_panel import SelectionPanel

log = logging.getLogger(__name__)

ADVICE_WORLDS = 1000
TOP_BAR = 44
LEFT_W = 300
RIGHT_W = 380

_world_map_cache: dict[str, WorldMap | None] = {}


def world_map() -> WorldMap | None:
    """The world map asset, loaded once per process (None when it is unusable: the map shows a placeholder)."""
    if "map" not in _world_map_cache:
        try:
            _world_map_cache["map"] = load_world_map()
        except (MapAssetError, OSError) as error:  # a missing or broken asset must not stop the game
            log.warning("map asset unavailable: %s", error)
            _world_map_cache["map"] = None
    return _world_map_cache["map"]


class GameScene(Scene):
    """One game in progress, seen by one human role."""

    name = "game"
    covers_window = True  # map, columns, bars and the help strip tile the whole window

    def __init__(self, app: Any, session: Session, role: str) -> None:
        super().__init__(app)
        self.session = session
        self.role = role
        self.tab = "decision"
        self.lever_drafts: dict[str, float] = {}
        self.advisors = AdvisorPool(ADVICE_WORLDS)
        self.selection: MapSelection | None = None  # the place or actor whose panel is open
        self._selection_button: UIButton | None = None
        self.map_view: MapView | None = None
        self._map_look: tuple[str, float, str] | None = None
        self.dashboard: Dashboard | None = None
        self.lever_panel: LeverPanel | None = None  # the levers tab, while it is shown
        self._map_focus_index = -1
        self.top_bar = TopBar()
        self.advisor_status = AdvisorStatus()
        self.key_help = KeyHelp()
        self._why_cache: tuple[tuple[object, ...], pygame.Surface] | None = None  # the tooltip shown last
        self.map_rect = pygame.Rect(0, 0, 1, 1)
        self.right_w = self.px(RIGHT_W)
        self.top_buttons_x = 0
        self._choose_default_tab()
        self._start_advisors()

    # --- reading the game ----------------------------------------------------------------------------

    @property
    def language(self) -> str:
        return current_language()

    def pending(self) -> list[PendingDecision]:
        """This role's decisions this turn (decided or not)."""
        if self.session.is_over:
            return []
        return self.session.pending_decisions(self.role, self.language)

    def undecided(self) -> list[PendingDecision]:
        """Decisions still waiting for the player."""
        return [p for p in self.pending() if p.awaits_choice]

    def _choose_default_tab(self) -> None:
        self.tab = "decision" if self.undecided() else "levers"

    def _request(self, event_id: str) -> AdviceRequest:
        return AdviceRequest(event_id, self.session.turn, self.role)

    def _start_advisors(self) -> None:
        """One worker per undecided decision that has advisors and no advice yet."""
        role = self.session.scenario.roles.get(self.role)
        if role is None or not role.advisors:
            return
        self.advisors.start(self.session.compiled, self.session.state,
                            [self._request(p.event_id) for p in self.undecided()],
                            seed=self.session.seed, language=self.language)

    def advisors_busy(self) -> bool:
        """True while any advisor of the current turn is still thinking."""
        return bool(self.advisors.busy(self.session.turn))

    def wait_for_advisors(self, timeout: float = 30.0) -> None:
        """Block until the advisors are done (screenshots and tests only; the game loop never calls it)."""
        self.advisors.wait(self.session.turn, timeout)

    def settle(self) -> None:
        self.wait_for_advisors()
        self.rebuild()

    # --- layout -----------------------------------------------------------------------------------------

    def build(self) -> None:
        width, height = self.app.layout_size
        top = self.px(TOP_BAR)
        # at a large UI scale on a small window the side columns give way before the map does
        left_w = min(self.px(LEFT_W), width * 27 // 100)
        right_w = min(self.px(RIGHT_W), width * 33 // 100)
        self.right_w = right_w
        help_h = self.app.fonts.small.get_linesize() + self.px(6)
        self.map_rect = pygame.Rect(left_w, top, width - left_w - right_w, height - top - help_h)
        right = pygame.Rect(width - right_w, top, right_w, height - top)
        self._build_map()
        rect = pygame.Rect(0, top, left_w, height - top)
        old = self.dashboard
        if (old is None or old.rect != rect or old.fonts is not self.app.fonts or old.palette is not self.app.palette
                or old.language != self.language):
            self.dashboard = Dashboard(rect, self.session, self.role, self.app.fonts, self.app.palette,
                                       self.language, self.app.settings.scale)
            if old is not None:
                self.dashboard.offset = old.offset  # a rebuild keeps the player's scroll
        assert self.dashboard is not None
        self.dashboard.refresh(self.session)
        self.dashboard.offset = min(self.dashboard.offset, self.dashboard.max_offset)
        self._build_top_bar(width)
        self._build_right(right)
        self._build_selection_panel()
        self._build_virtual_focus()

    def _build_map(self) -> None:
        look = (self.app.palette.name, self.app.settings.scale, self.language)
        if self.map_view is not None and look != self._map_look:
            self.map_view = None  # new palette, scale or language: the map's colours and labels change
        self._map_look = look
        if self.map_view is not None:
            self.map_view.set_rect(self.map_rect)
            self._update_map_values()
            return
        world = world_map()
        if world is None:
            return
        actor = self.session.scenario.roles[self.role].actor
        self.map_view = MapView(self.map_rect, world, self.session.scenario, actor, self.app.palette,
                                self.app.fonts.small, language=self.language)
        self._update_map_values()

    def _update_map_values(self) -> None:
        if self.map_view is None:
            return
        values = self.session.values
        self.map_view.update_values({vid: float(values[i]) for i, vid in enumerate(self.session.compiled.variable_ids)})

    def _build_top_bar(self, width: int) -> None:
        h = self.px(TOP_BAR) - self.px(10)
        y = self.px(5)
        end_text, menu_text = self.end_turn_text(), f"{_('Menu')} (Esc)"
        end_w = self.app.fonts.body.size(end_text)[0] + self.px(32)
        menu_w = self.app.fonts.body.size(menu_text)[0] + self.px(32)
        self.end_button = self.button(pygame.Rect(width - end_w - self.px(8), y, end_w, h), end_text,
                                      self._end_turn, class_id="@primary", name="end-turn")
        self.button(pygame.Rect(width - end_w - menu_w - self.px(16), y, menu_w, h), menu_text, self._open_menu,
                    name="menu")
        self.top_buttons_x = width - end_w - menu_w - self.px(24)

    def _build_right(self, rect: pygame.Rect) -> None:
        tab_h = self.px(32)
        half = (rect.w - self.px(24)) // 2
        undecided = len(self.undecided())
        decision_label = _("Decision") + (f" ({undecided})" if undecided else "")
        decision = self.button(pygame.Rect(rect.x + self.px(8), rect.y + self.px(6), half, tab_h), decision_label,
                               lambda: self._set_tab("decision"), name="tab-decision")
        levers = self.button(pygame.Rect(rect.x + self.px(16) + half, rect.y + self.px(6), half, tab_h), _("Levers"),
                             lambda: self._set_tab("levers"), name="tab-levers")
        (decision if self.tab == "decision" else levers).select()  # type: ignore[no-untyped-call]
        status_h = self.app.fonts.small.get_linesize() + self.px(6)
        body = pygame.Rect(rect.x + self.px(4), rect.y + tab_h + self.px(12) + status_h, rect.w - self.px(8),
                           rect.bottom - rect.y - tab_h - self.px(16) - status_h)
        self.status_rect = pygame.Rect(rect.x + self.px(10), rect.y + tab_h + self.px(10), rect.w - self.px(20),
                                       status_h)
        scroller = self.keep(UIScrollingContainer(body, self.app.manager, allow_scroll_x=False))
        column = PanelColumn(self, scroller, body.w - self.px(24), body.h)
        if self.tab == "decision":
            panel = DecisionPanel(self.session, self.role, self.language, self._choose)
            height = panel.build(column, self.pending(), self._advice_state)
        else:
            self.lever_panel = LeverPanel(self.session, self.role, self.language, self.lever_drafts)
            height = self.lever_panel.build(column, on_toggled=self._rebuild_now)
        scroller.set_scrollable_area_dimensions((column.width, max(1, height)))

    def _advice_state(self, event_id: str) -> AdviceState:
        request = self._request(event_id)
        return AdviceState(self.advisors.boards.get(request), self.advisors.failed.get(request))

    def _rebuild_now(self) -> Transition:
        self.rebuild()
        return None

    def _build_selection_panel(self) -> None:
        self._selection_button = None
        if self.selection is None:
            return
        rect = self._selection_rect()
        w, h = self.px(90), self.px(28)
        self._selection_button = self.button(
            pygame.Rect(rect.right - w - self.px(8), rect.bottom - h - self.px(8), w, h), _("Close"),
            self._close_selection, name="close-selection",
        )

    def _set_selection(self, selection: MapSelection | None) -> None:
        """Open, change or close the place/actor panel without rebuilding the screen (map clicks are frequent)."""
        self.selection = selection
        if selection is not None and self._selection_button is None:
            self._build_selection_panel()
        elif selection is None and self._selection_button is not None:
            button = self._selection_button
            self._selection_button = None
            button.kill()  # type: ignore[no-untyped-call]
            if button in self.elements:
                self.elements.remove(button)
            self.focus.items = [item for item in self.focus.items if item.name != "close-selection"]
            if self.focus.index is not None and self.focus.index >= len(self.focus.items):
                self.focus.index = None

    def _selection_rect(self) -> pygame.Rect:
        return self.selection_panel().rect(self.map_rect)

    def selection_panel(self) -> SelectionPanel:
        """The place/actor panel for the current session, role and language."""
        return SelectionPanel(self, self.session, self.role, self.language)

    def _build_virtual_focus(self) -> None:
        """Dashboard numbers and the map join the Tab order after the buttons."""
        assert self.dashboard is not None
        for hotspot in self.dashboard.hotspots:
            def rect(h: Any = hotspot) -> pygame.Rect:
                assert self.dashboard is not None
                return self.dashboard.screen_rect(h)

            def reveal(h: Any = hotspot) -> None:
                assert self.dashboard is not None
                self.dashboard.reveal(h)

            self.focus.add(Focusable(rect, lambda: None, reveal=reveal, name=f"var-{hotspot.variable}"))
        self.focus.add(Focusable(lambda: self.map_rect.inflate(-8, -8), self._select_next_on_map, name="map"))

    # --- actions --------------------------------------------------------------------------------------

    def _set_tab(self, tab: str) -> Transition:
        if tab == self.tab:
            return None
        self.tab = tab
        self.rebuild()
        self.focus.focus_named(f"tab-{tab}")
        return None

    def end_turn_text(self) -> str:
        """The label of the button that ends the turn (a classroom seat says "Ready")."""
        return f"{_('End turn')} (E)"

    def send(self, command: Command) -> TurnReport | None:
        """Every command of this screen goes through here (a classroom seat sends it through the room)."""
        return self.session.apply(command)

    def _choose(self, event_id: str, choice_id: str) -> Transition:
        try:
            self.send(Choose(self.role, event_id, choice_id))
        except CommandRejected as rejected:
            self.app.notify(rejected.message, kind="warning")
            return None
        self.rebuild()
        next_choice = next((i for i, item in enumerate(self.focus.items) if item.name.startswith("choice-")), None)
        self.focus.index = next_choice if next_choice is not None else 0
        return None

    def choose_number(self, number: int) -> Transition:
        """Keys 1–9: the n-th open choice of the first undecided decision."""
        undecided = self.undecided()
        if not undecided:
            return None
        current = undecided[0]
        open_choices = [c for c in current.info.choices if c.id in current.available]
        if 1 <= number <= len(open_choices):
            if self.tab != "decision":
                self.tab = "decision"
            return self._choose(current.event_id, open_choices[number - 1].id)
        return None

    def commit_levers(self) -> None:
        """Send the lever drafts as commands (before ending the turn or saving)."""
        for lever_id, value in list(self.lever_drafts.items()):
            if abs(value - self.session.lever_setting(lever_id)) < 1e-9:
                continue
            try:
                self.send(SetLever(self.role, lever_id, value))
            except CommandRejected as rejected:
                self.app.notify(rejected.message, kind="warning")
        self.lever_drafts.clear()

    def _end_turn(self) -> Transition:
        if self.session.is_over:
            return self._to_debrief()
        self.commit_levers()
        try:
            self.send(EndTurn(self.role))
        except CommandRejected as rejected:
            self.app.notify(rejected.message, kind="warning")
            self._set_tab("decision")
            return None
        self._autosave()
        if self.session.is_over:
            return self._to_debrief()
        self._after_turn()
        return None

    def _after_turn(self) -> None:
        self.advisors.forget_before(self.session.turn)
        self._choose_default_tab()
        self._update_map_values()
        self._start_advisors()
        self.rebuild()
        self.focus.focus_named("end-turn")

    def _autosave(self) -> None:
        try:
            autosave(self.session, self.app.data_dir)
        except SaveError as error:
            self.app.notify(error.message, kind="error")

    def _to_debrief(self) -> Transition:
        return GoTo("debrief", session=self.session, role=self.role)

    def _open_menu(self) -> Transition:
        self.open_modal(PauseMenu(self))
        return None

    def _close_selection(self) -> Transition:
        self._set_selection(None)
        return None

    def _select_next_on_map(self) -> Transition:
        """Enter on the focused map: open the panel of the next place (then the actors), in turn."""
        scenario = self.session.scenario
        targets = [("place", p.id) for p in scenario.map.places] + [("actor", a) for a in scenario.actors]
        if not targets:
            return None
        self._map_focus_index = (self._map_focus_index + 1) % len(targets)
        kind, ident = targets[self._map_focus_index]
        self._open_selection(kind, ident)
        self.focus.focus_named("map")
        return None

    def _open_selection(self, kind: str, ident: str) -> None:
        self._set_selection(MapSelection(kind, ident))  # type: ignore[arg-type]

    def replace_session(self, session: Session) -> None:
        """Continue with another session of the same role (F5 reload)."""
        self.session = session
        self.lever_drafts.clear()
        self.advisors.clear()
        self.map_view = None
        self.dashboard = None
        self._choose_default_tab()
        self._start_advisors()
        self.rebuild()

    def reload_scenario(self) -> Transition:
        """F5: read the scenario file again and replay the command log onto it."""
        self.commit_levers()
        outcome = reload_game(self.session, self.role, self.app.data_dir)
        if isinstance(outcome, GameProblems):
            self.open_modal(MessageDialog(self, "F5", list(outcome.messages)))
            return None
        self.replace_session(outcome.session)
        self.app.notify(_("Scenario reloaded from disk."))
        for note in outcome.notes:
            self.app.notify(note, kind="warning")
        return self._to_debrief() if self.session.is_over else None

    # --- input ------------------------------------------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> Transition:
        if event.type == pygame.KEYDOWN:
            key = event.key
            if key == pygame.K_ESCAPE:
                if self.selection is not None:
                    return self._close_selection()
                return self._open_menu()
            if key == pygame.K_e:
                return self._end_turn()
            if key == pygame.K_F5:
                return self.reload_scenario()
            if pygame.K_1 <= key <= pygame.K_9:
                return self.choose_number(key - pygame.K_0)
            if pygame.K_KP1 <= key <= pygame.K_KP9:
                return self.choose_number(key - pygame.K_KP1 + 1)
        if self.dashboard is not None and self.dashboard.handle_event(event):
            return None
        if self.map_view is not None:
            selection = self.map_view.handle_event(event)
            if selection is not None:
                self._set_selection(selection)
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_PLUS, pygame.K_MINUS):
            pass  # no map asset: nothing to zoom
        return None

    def update(self, dt: float) -> Transition:
        if self.advisors.workers and self.advisors.collect(self.session.turn):
            self._start_advisors()
            if self.tab == "decision" and self.modal is None:
                self.rebuild()
        if self.dashboard is not None:
            self.dashboard.refresh(self.session)
        return None

    def on_close(self) -> None:
        """Closing the window mid-game: the lever drafts become commands and an autosave is written."""
        if self.session.is_over:
            return
        self.commit_levers()
        self._autosave()

    # --- drawing ------------------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        palette = self.app.palette
        width, height = self.app.layout_size
        help_strip = pygame.Rect(self.map_rect.x, self.map_rect.bottom, self.map_rect.w, height - self.map_rect.bottom)
        surface.fill(palette.background, help_strip)
        if self.map_view is not None:
            self.map_view.draw(surface)
        else:
            pygame.draw.rect(surface, palette.sea, self.map_rect)
            text = self.app.fonts.body.render(_("Map"), True, palette.text_muted)
            surface.blit(text, text.get_rect(center=self.map_rect.center))
        right = pygame.Rect(width - self.right_w, self.px(TOP_BAR), self.right_w, height)
        pygame.draw.rect(surface, palette.panel, right)
        pygame.draw.line(surface, palette.border, right.topleft, right.bottomleft)
        if self.dashboard is not None:
            self.dashboard.draw(surface)
            pygame.draw.line(surface, palette.border, self.dashboard.rect.topright, self.dashboard.rect.bottomright)
        fonts, px = self.app.fonts, self.px
        self.top_bar.draw(surface, self.session, self.role, height=px(TOP_BAR), buttons_x=self.top_buttons_x,
                          fonts=fonts, palette=palette, px=px)
        self.advisor_status.draw(surface, self.status_rect, self.advisors.busy(self.session.turn), fonts, palette, px)
        self.key_help.draw(surface, self.map_rect, fonts, palette, px)
        if self.selection is not None:
            self._draw_selection(surface)

    def _draw_selection(self, surface: pygame.Surface) -> None:
        assert self.selection is not None
        self.selection_panel().draw(surface, self.map_rect, self.selection)

    def draw_over(self, surface: pygame.Surface) -> None:
        super().draw_over(surface)
        if self.modal is not None or self.dashboard is None:
            return
        variable: str | None = None
        anchor: pygame.Rect | None = None
        hotspot = self.dashboard.hotspot_at(pygame.mouse.get_pos()) if pygame.mouse.get_focused() else None
        if hotspot is not None:
            variable, anchor = hotspot.variable, self.dashboard.screen_rect(hotspot)
        else:
            current = self.focus.current
            if current is not None and current.name.startswith("var-"):
                variable, anchor = current.name.removeprefix("var-"), current.rect()
        if variable is not None and anchor is not None:
            key = (variable, self.session.turn, id(self.session), self.language, self.app.palette.name,
                   self.app.settings.scale)
            if self._why_cache is None or self._why_cache[0] != key:
                title, rows = why_lines(self.session, variable, self.language)
                box = tooltip_surface(title, rows, self.app.fonts, self.app.palette, self.app.settings.scale)
                self._why_cache = (key, box)
            blit_tooltip(surface, anchor, self._why_cache[1], self.app.settings.scale)
