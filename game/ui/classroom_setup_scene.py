"""The classroom's setup: the scenario, which roles have a seat and each seat's team label (never a
student's name), the seed, the turn timer (off, 3, 5 or 8 minutes) and the facilitator's PIN. Start
opens the room (`game.play.room.open_room`) and shows the public briefing on the projector.

"Students join from browsers" (off by default) hosts the room instead: the server starts in this process
(`hosted_room.HostedRoom`), on this computer only (127.0.0.1, for a rehearsal) or for the school network
(0.0.0.0), and the room's codes screen comes next.

Reached from the title screen ("Classroom") and from `python main.py classroom SCENARIO --seats ...`,
which fills it in. Everything works from the keyboard: Tab moves, Enter or Space presses, a focused
field takes what is typed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

import pygame

from game.play.opening import GameProblems
from game.play.room import TURN_LIMIT_CHOICES, Seat, open_room
from game.scenario.catalog import CatalogEntry, discover
from game.ui.hosted_room import DEFAULT_PORT, ONLY_THIS_COMPUTER, SCHOOL_NETWORK, HostedRoom
from game.ui.i18n import _, current_language, scenario_text
from game.ui.lesson import Lesson
from game.ui.message_dialog import MessageDialog
from game.ui.scene import GoTo, Scene, Transition
from game.ui.text_field import TextField, edit_focused

MIN_PIN = 4
TEAM_LETTERS = "ABCDEFGHIJ"


def timer_label(limit: float | None) -> str:
    if limit is None:
        return _("Timer: off")
    return _("Timer: {minutes:g} minutes a turn", minutes=limit / 60)


class ClassroomSetupScene(Scene):
    """Set up a lesson."""

    name = "classroom_setup"
    #: the room's clock reads this (tests put a fake clock here)
    time_source: Callable[[], float] = staticmethod(time.monotonic)
    #: the port a hosted room asks for first (any free one when it is taken; tests use 0)
    port = DEFAULT_PORT

    def __init__(self, app: Any, entry: CatalogEntry | None = None, roles: list[str] | None = None,
                 turn_minutes: float | None = None, seed: int | None = None, pin: str = "") -> None:
        super().__init__(app)
        self.entries = [e for e in discover(app.data_dir) if e.result.scenario is not None
                        and e.result.scenario.playable_roles()] if entry is None else [entry]
        self.index = 0
        self.seed_field = TextField("seed", _("Seed (empty: a new one)"), "" if seed is None else str(seed),
                                    max_length=10, digits_only=True)
        self.pin_field = TextField("pin", _("Facilitator PIN (at least {n} digits)", n=MIN_PIN), pin,
                                   max_length=12, digits_only=True, secret=True)
        self.limits: list[float | None] = list(TURN_LIMIT_CHOICES)
        if turn_minutes is not None and turn_minutes * 60 not in self.limits:
            self.limits.append(turn_minutes * 60)
        self.limit: float | None = turn_minutes * 60 if turn_minutes else None
        self.browsers = False  # students join from browsers: the game hosts the room
        self.bind = ONLY_THIS_COMPUTER
        self._choose_scenario(0, roles, keep_limit=turn_minutes is not None)

    # --- state ---------------------------------------------------------------------------------------------

    @property
    def entry(self) -> CatalogEntry | None:
        return self.entries[self.index] if self.entries else None

    def _choose_scenario(self, index: int, roles: list[str] | None = None, *, keep_limit: bool = False) -> None:
        self.index = index
        entry = self.entry
        scenario = entry.result.scenario if entry is not None else None
        playable = list(scenario.playable_roles()) if scenario is not None else []
        chosen = roles if roles else playable[:2]
        self.seated = {role: role in chosen for role in playable}
        self.team_fields = {role: TextField(f"team-{role}", _("Team label") if n == 0 else "",
                                            _("Team {letter}", letter=TEAM_LETTERS[n % len(TEAM_LETTERS)]),
                                            max_length=24) for n, role in enumerate(playable)}
        if not keep_limit:
            minutes = scenario.classroom.minutes_per_turn if scenario is not None and scenario.classroom else 5
            self.limit = minutes * 60.0 if minutes else None
            if self.limit not in self.limits:
                self.limits.append(self.limit)

    @property
    def fields(self) -> list[TextField]:
        return [*self.team_fields.values(), self.seed_field, self.pin_field]

    # --- layout ------------------------------------------------------------------------------------------------

    def build(self) -> None:
        width, height = self.app.layout_size
        margin, h, gap = self.px(24), self.px(36), self.px(10)
        label_h = self.app.fonts.small.get_linesize() + self.px(2)
        y = self.px(16) + self.app.fonts.display.get_linesize() + self.px(12)
        entry = self.entry
        title = scenario_text(entry.result.scenario.title) if entry is not None and entry.result.scenario else "—"
        column_w = width - 2 * margin
        self.button(pygame.Rect(margin, y, column_w, h), _("Scenario: {title} »", title=title), self._next_scenario,
                    name="scenario", focusable=len(self.entries) > 1)
        y += h + 2 * gap
        toggle_w = (column_w - gap) * 3 // 5
        scenario = entry.result.scenario if entry is not None else None
        for role, seated in self.seated.items():
            assert scenario is not None
            mark = "[x]" if seated else "[ ]"
            self.button(pygame.Rect(margin, y, toggle_w, h), f"{mark} {scenario_text(scenario.roles[role].title)}",
                        partial(self._toggle, role), name=f"seat-{role}")
            team = self.team_fields[role]
            team.rect = pygame.Rect(margin + toggle_w + gap, y, column_w - toggle_w - gap, h)
            self.focus.add(team.focusable())
            y += h + gap + (label_h if role == next(iter(self.seated)) else 0)
        y += gap + label_h
        third = (column_w - 2 * gap) // 3
        self.button(pygame.Rect(margin, y, third, h), timer_label(self.limit), self._next_limit, name="timer")
        self.seed_field.rect = pygame.Rect(margin + third + gap, y, third, h)
        self.focus.add(self.seed_field.focusable())
        self.pin_field.rect = pygame.Rect(margin + 2 * (third + gap), y, third, h)
        self.focus.add(self.pin_field.focusable(self._start))
        y += h + 2 * gap
        half = (column_w - gap) // 2
        mark = "[x]" if self.browsers else "[ ]"
        self.button(pygame.Rect(margin, y, half, h), f"{mark} {_('Students join from browsers')}",
                    self._toggle_browsers, name="browsers")
        if self.browsers:
            where = _("Only this computer") if self.bind == ONLY_THIS_COMPUTER else _("The school network")
            self.button(pygame.Rect(margin + half + gap, y, half, h), _("Who can join: {where} »", where=where),
                        self._next_bind, name="network")
        w, bh = self.px(220), self.px(42)
        self.button(pygame.Rect(width - margin - w, height - margin - bh, w, bh), _("Start the lesson"), self._start,
                    class_id="@primary", name="start")
        self.button(pygame.Rect(margin, height - margin - bh, self.px(160), bh), _("Back"), self._back, name="back")
        if self.focus.index is None:
            self.focus.focus_named(f"seat-{next(iter(self.seated), '')}")

    # --- actions -----------------------------------------------------------------------------------------------

    def _rebuild(self) -> Transition:
        self.rebuild()
        return None

    def _next_scenario(self) -> Transition:
        if self.entries:
            self._choose_scenario((self.index + 1) % len(self.entries))
        return self._rebuild()

    def _toggle(self, role: str) -> Transition:
        self.seated[role] = not self.seated[role]
        return self._rebuild()

    def _next_limit(self) -> Transition:
        self.limit = self.limits[(self.limits.index(self.limit) + 1) % len(self.limits)]
        return self._rebuild()

    def _toggle_browsers(self) -> Transition:
        self.browsers = not self.browsers
        return self._rebuild()

    def _next_bind(self) -> Transition:
        self.bind = SCHOOL_NETWORK if self.bind == ONLY_THIS_COMPUTER else ONLY_THIS_COMPUTER
        return self._rebuild()

    def _back(self) -> Transition:
        return GoTo("title")

    def problems(self) -> list[str]:
        """What stops the lesson from starting, in words."""
        found = []
        if self.entry is None:
            found.append(_("There is no playable scenario."))
        if not any(self.seated.values()):
            found.append(_("Give at least one role a seat."))
        for role, seated in self.seated.items():
            if seated and not self.team_fields[role].value.strip():
                found.append(_("Every seat needs a team label."))
                break
        if len(self.pin_field.value) < MIN_PIN:
            found.append(_("Set a facilitator PIN of at least {n} digits: it keeps the console from the teams.",
                           n=MIN_PIN))
        return found

    def _start(self) -> Transition:
        problems = self.problems()
        entry = self.entry
        if problems or entry is None:
            self.open_modal(MessageDialog(self, _("Classroom"), problems))
            return None
        seats = [Seat(role, self.team_fields[role].value.strip()) for role, seated in self.seated.items() if seated]
        seed = int(self.seed_field.value) if self.seed_field.value else None
        room = open_room(entry.path, seats, seed=seed, turn_limit=self.limit, data_dir=self.app.data_dir,
                         now=self.time_source)
        if isinstance(room, GameProblems):
            self.open_modal(MessageDialog(self, _("Classroom"), list(room.messages)))
            return None
        lesson = Lesson(room, self.pin_field.value)
        if self.browsers:
            try:
                lesson.hosted = HostedRoom.start(room, bind=self.bind, port=self.port, data_dir=self.app.data_dir,
                                                 language=current_language())
            except OSError as error:
                self.open_modal(MessageDialog(self, _("Classroom"), [
                    _("The classroom server could not start: {error}", error=str(error))]))
                return None
            self.app.on_exit(lesson.hosted.stop)  # closing the game stops the server; the room's folder stays
            return GoTo("room_codes", lesson=lesson)
        lesson.hold_clock()  # the public briefing is read on the projector before the first turn's time runs
        return GoTo("projector", lesson=lesson)

    # --- input and drawing -------------------------------------------------------------------------------------

    def dispatch(self, event: pygame.event.Event) -> Transition:
        if self.modal is None and edit_focused(self.fields, self.focus, event):
            return None
        return super().dispatch(event)

    def handle_event(self, event: pygame.event.Event) -> Transition:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            return self._back()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        palette, fonts = self.app.palette, self.app.fonts
        heading = _("Classroom: one machine, a seat per team, a projector")
        surface.blit(fonts.display.render(heading, True, palette.text), (self.px(24), self.px(12)))
        focused = self.focus.current.name if self.focus.current is not None and self.modal is None else None
        for f in self.fields:
            if f.rect.w:
                f.draw(surface, fonts, palette, focused=f.name == focused)
        hint = _("Tab: next · Enter/Space: press · type into a focused field · Esc: back")
        text = fonts.small.render(hint, True, palette.text_muted)
        width, height = self.app.layout_size
        surface.blit(text, text.get_rect(midbottom=(width // 2, height - self.px(6))))
