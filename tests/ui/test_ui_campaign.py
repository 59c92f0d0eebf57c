"""Every shipped scenario plays to an ending in the window, and the browser lists them in calendar order.

Issue #5 asks that each campaign scenario plays "to an ending ... in the window": each one is started from
the title screen of the real app (headless, real key events on the real queue), played with the keyboard
(the first choice of every decision, then E) to its debrief, which must name an ending.
"""

from __future__ import annotations

import pygame
import pytest
import yaml
from ui_driver import copy_example, press

from game.play.decisions import find_obligation
from game.scenario.catalog import discover
from game.scenario.loader import mods_dir
from game.scenario.models import english
from game.ui.app import App
from game.ui.browser_scene import BrowserScene, cited_source_ids, period_of, period_years
from game.ui.debrief_scene import DebriefScene
from game.ui.game_scene import GameScene

pytestmark = pytest.mark.slow  # every shipped scenario in the window

LEDGERS: dict[str, int] = {}  # obligation-ledger lengths seen, for a look after a run (`-s`)
SHIPPED = sorted(entry.scenario_id for entry in discover(None) if entry.shipped and entry.result.scenario is not None)


def test_every_shipped_scenario_file_is_found_and_loads() -> None:
    broken = [entry.path.name for entry in discover(None) if entry.shipped and entry.result.scenario is None]
    assert broken == []
    assert len(SHIPPED) >= 7


def open_browser_on(app: App, scenario_id: str) -> BrowserScene:
    """From the title screen to the browser, with the arrow keys on the scenario's row."""
    press(app, pygame.K_RETURN)  # "New game"
    browser = app.scene
    assert isinstance(browser, BrowserScene)
    browser.settle()  # the catalogue loads in a worker thread
    for _step in range(len(browser.entries)):
        if browser.entries[browser.selected].scenario_id == scenario_id:
            return browser
        press(app, pygame.K_DOWN, frames=1)
    raise AssertionError(f"{scenario_id} is not in the browser")


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_scenario_plays_to_its_debrief_in_the_window(
    app: App, scenario_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The advisors' forecasts have their own tests; here they would only make each turn wait for a thread.
    monkeypatch.setattr(GameScene, "_start_advisors", lambda self: None)
    open_browser_on(app, scenario_id)
    press(app, pygame.K_RETURN, frames=1)  # Enter on the selected row goes on to the roles
    assert app.scene.name == "role"
    press(app, pygame.K_RETURN, frames=1)  # the first playable role
    assert app.scene.name == "briefing"
    press(app, pygame.K_RETURN, frames=1)  # "Begin"
    game = app.scene
    assert isinstance(game, GameScene) and game.session.scenario.id == scenario_id
    turns = game.session.compiled.turns
    for _turn in range(turns + 2):
        scene = app.scene
        if not isinstance(scene, GameScene):
            break
        for _decision in range(12):
            if not scene.undecided():
                break
            press(app, pygame.K_1, frames=1)
        before = scene.session.turn
        press(app, pygame.K_e, frames=1)
        assert app.scene.name == "debrief" or scene.session.turn == before + 1, "E ends the turn"
    debrief = app.scene
    assert isinstance(debrief, DebriefScene), f"{scenario_id} did not reach its debrief in {turns + 2} turns"
    session = debrief.session
    assert session.is_over and session.ending is not None
    ending = next(e for e in session.scenario.endings if e.id == session.ending)
    assert debrief.summary is not None
    shown = [block.text for block in debrief.summary.blocks]
    assert any(str(ending.title if isinstance(ending.title, str) else ending.title["en"]) in text for text in shown)
    assert debrief.history is not None
    history = [block.text for block in debrief.history.blocks]
    assert "Obligation ledger" in history
    for record in session.obligation_ledger:  # each engagement, honour and evasion, with its date
        date = session.date_label(record.turn)
        assert any(text.startswith(f"{date} — ") and text.endswith(f": {record.outcome}") for text in history)
    for item in (n for n in session.news if n.kind == "decision" and n.role == debrief.role):
        listed = f"{session.date_label(item.turn)} — "
        assert any(text.startswith(listed) for text in history), "each decision is listed"
        event = next((e for e in session.scenario.events if e.id == item.event_id), None)
        if event is not None and event.history is not None and event.history.choice is not None:
            # An invented event names the closest real choice, never a "historical" one.
            heading = "Closest real choice: " if event.hypothetical else "Historical choice: "
            assert any(text.startswith(heading) for text in history), f"{item.event_id}: '{heading}' is shown"
        if (item.event_id or "").startswith("obligation:"):
            found = find_obligation(session.scenario, (item.event_id or "").removeprefix("obligation:"))
            note = found[2].history if found is not None else None
            wanted = f"History: {english(note.text)}" if note is not None else "Historical choice: none recorded"
            assert any(text.startswith(wanted) for text in history), f"{item.event_id}: '{wanted}' is shown"
    LEDGERS[scenario_id] = len(session.obligation_ledger)
    assert app.errors == []


def test_browser_lists_the_campaign_in_calendar_order_with_periods(app: App) -> None:
    press(app, pygame.K_RETURN)
    browser = app.scene
    assert isinstance(browser, BrowserScene)
    browser.settle()  # the catalogue loads in a worker thread
    playable = [entry for entry in browser.entries if entry.result.scenario is not None]
    starts = [entry.result.scenario.calendar.start for entry in playable]  # type: ignore[union-attr]
    assert starts == sorted(starts)
    campaign = [entry.scenario_id for entry in playable if entry.shipped]
    assert campaign.index("san_francisco_1951") < campaign.index("anpo_1960") < campaign.index("anzus_1985") \
        < campaign.index("okinawa_1995") < campaign.index("senkaku_2010") < campaign.index("missile_summer_2017") \
        < campaign.index("defense_buildup_2022")
    # Each row starts with the years the scenario covers; the details give its period in full.
    assert len(browser.row_labels) == len(browser.entries)
    for entry, label in zip(browser.entries, browser.row_labels, strict=True):
        scenario = entry.result.scenario
        assert scenario is not None
        assert label.startswith(period_years(scenario) + " · "), (entry.scenario_id, label)
    assert app.errors == []


def test_browser_shows_the_sources_the_scenario_cites_and_counts_the_rest(app: App) -> None:
    # A mod: the example scenario with one more source that nothing in it cites (as a base's sources are).
    path = copy_example(mods_dir(app.data_dir) / "uncited")
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["id"] = "example_with_an_uncited_source"
    document["sources"].append({"id": "never_cited", "title": "A source nothing here cites"})
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    press(app, pygame.K_RETURN)
    browser = app.scene
    assert isinstance(browser, BrowserScene)
    browser.settle()  # the catalogue loads in a worker thread
    index = next(i for i, e in enumerate(browser.entries) if e.scenario_id == "example_with_an_uncited_source")
    while browser.selected != index:
        press(app, pygame.K_DOWN, frames=1)
    scenario = browser.entries[index].result.scenario
    assert scenario is not None and browser.pane is not None
    cited = cited_source_ids(scenario)
    assert "never_cited" not in cited and len(cited) == len(scenario.sources) - 1
    texts = [block.text for block in browser.pane.blocks]
    assert f"Period: {period_of(scenario)}" in texts
    bullets = [text for text in texts if text.startswith("• ")]
    assert len(bullets) == len(cited) > 0
    assert not any("A source nothing here cites" in text for text in bullets)
    assert any("1 other listed source " in text for text in texts)
    assert app.errors == []
