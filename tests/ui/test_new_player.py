"""What a new player hit, each fixed: the lever shows the setting, "why did this change?" speaks in names,
the scenario browser says it is loading (and drops keys meant for a list not there yet), and Quit to
title asks first. Real window (dummy video driver), real events, real scenario files."""

from __future__ import annotations

import pygame
import pytest
from pygame_gui.elements import UIHorizontalSlider
from ui_driver import EXAMPLE, focus_to, press, start_game

from game.engine.ledger_labels import choice_effect_label, event_effect_label, lever_label
from game.play.commands import Choose, EndTurn, SetLever
from game.ui import browser_scene
from game.ui.app import App
from game.ui.browser_scene import BrowserScene
from game.ui.dashboard import why_lines
from game.ui.message_dialog import MessageDialog
from game.ui.pause_menu import PauseMenu


def test_a_lever_shows_the_setting_not_the_effect_still_ramping_in(app: App) -> None:
    start_game(app, EXAMPLE, seed=4, role="japan_pm")
    game = app.scene
    session = game.session  # type: ignore[attr-defined]
    lever = session.scenario.roles["japan_pm"].levers["defense_budget"]
    assert lever.lag == 4 and lever.initial == pytest.approx(1.8)
    session.apply(SetLever("japan_pm", "defense_budget", 3.0))
    focus_to(app, "end-turn")
    for _decision in range(6):  # decide whatever is pending with its first choice
        if not game.undecided():  # type: ignore[attr-defined]
            break
        press(app, pygame.K_1)
    press(app, pygame.K_e)
    assert session.turn == 1
    # a quarter of the way: the effect moved 1.8 → 2.1, the setting is 3.0
    assert session.lever_effect("defense_budget") == pytest.approx(2.1)
    assert session.lever_setting("defense_budget") == pytest.approx(3.0)
    focus_to(app, "tab-levers")
    press(app, pygame.K_RETURN)
    sliders = [e for e in game.elements if isinstance(e, UIHorizontalSlider)]  # type: ignore[attr-defined]
    values = sorted(float(s.get_current_value()) for s in sliders)
    assert any(v == pytest.approx(3.0) for v in values), values
    assert not any(v == pytest.approx(2.1) for v in values)
    panel = game.lever_panel  # type: ignore[attr-defined]
    progress = panel.progress_text("defense_budget", lever)
    assert "Effect so far: 2.1" in progress and "3 turns" in progress, progress
    assert app.errors == []


def test_why_did_this_change_names_choices_events_and_a_derived_variables_inputs(app: App) -> None:
    start_game(app, EXAMPLE, seed=2, role="japan_pm")
    game = app.scene
    session = game.session  # type: ignore[attr-defined]
    sources: list[str] = []
    session.apply(SetLever("japan_pm", "defense_budget", 3.0))
    for _turn in range(6):
        for pending in session.pending_decisions("japan_pm"):
            if pending.awaits_choice:
                session.apply(Choose("japan_pm", pending.event_id, pending.available[0]))
        session.apply(EndTurn("japan_pm"))
        sources += [source for variable in session.compiled.variable_ids
                    for _amount, source in why_lines(session, variable, "en")[1]]
    engine_labels = {lever_label(lever) for role in session.scenario.roles.values() for lever in role.levers}
    engine_labels |= {choice_effect_label(e.id, c.id) for e in session.scenario.events for c in e.choices}
    engine_labels |= {event_effect_label(e.id) for e in session.scenario.events}
    assert not [s for s in sources if s in engine_labels or "of event '" in s]
    assert any(s.startswith("lever: ") for s in sources), "a lever moved: it is named by its label"
    assert any(s.startswith("choice: ") for s in sources), sorted(set(sources))
    _title, rows = why_lines(session, "deterrence", "en")
    inputs = next(s for _a, s in rows if s.startswith("Computed from: "))
    for variable in ("us.credibility", "japan.capability", "relation.japan.us"):
        assert session.compiled.label(variable) in inputs


def test_the_browser_says_it_is_loading_and_drops_keys_meant_for_the_list(app: App) -> None:
    browser_scene._catalog_cache.clear()
    press(app, pygame.K_RETURN)  # "New game"
    browser = app.scene
    assert isinstance(browser, BrowserScene)
    assert browser.loading and browser.status_text().startswith("Reading the scenarios")
    app.run_frames(1)  # the window keeps drawing while the catalogue loads
    for _key in range(5):
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_DOWN, mod=0, unicode="", scancode=0))
    browser.settle()
    app.run_frames(2)
    assert not browser.loading and browser.entries
    first_playable = next(i for i, e in enumerate(browser.entries) if e.result.scenario is not None)
    assert browser.selected == first_playable, "keys pressed while loading must not move the list"
    assert app.errors == []


def test_quit_to_title_asks_first_and_stay_keeps_the_game(app: App) -> None:
    start_game(app, EXAMPLE, seed=3)
    press(app, pygame.K_ESCAPE)
    assert isinstance(app.scene.modal, PauseMenu)
    focus_to(app, "quit")
    press(app, pygame.K_RETURN)
    assert app.scene.name == "game"
    dialog = app.scene.modal
    assert isinstance(dialog, MessageDialog) and dialog.title == "Quit to the title screen?"
    focus_to(app, "close")  # "Stay"
    press(app, pygame.K_RETURN)
    assert app.scene.name == "game" and app.scene.modal is None
    press(app, pygame.K_ESCAPE)
    focus_to(app, "quit")
    press(app, pygame.K_RETURN)
    focus_to(app, "Quit to title")
    press(app, pygame.K_RETURN)
    assert app.scene.name == "title"
    assert app.errors == []
