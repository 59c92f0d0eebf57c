"""The UI's small parts: palette, translation, settings, layout at every scale, screenshots, access."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pygame
import pytest
from ui_driver import EXAMPLE, click, focus_to, press, start_game

from game.play.opening import auto_play
from game.resources import user_data_dir
from game.scenario.loader import user_data_dir as loader_user_data_dir
from game.ui import game_scene
from game.ui.app import MIN_SIZE, App
from game.ui.dashboard import sparkline_range, why_lines
from game.ui.i18n import _, scenario_text, set_language
from game.ui.palette import default_palette, relation_colour
from game.ui.settings import UiSettings, load_settings, save_settings
from game.ui.settings_dialog import SettingsDialog
from game.ui.text_layout import fit_line


def test_relation_colours_run_from_hostile_to_ally_through_neutral() -> None:
    palette = default_palette()
    assert relation_colour(-100) == palette.hostile
    assert relation_colour(0) == palette.neutral
    assert relation_colour(100) == palette.ally
    assert relation_colour(-1000) == palette.hostile  # out-of-range values are clamped
    # no red–green pair: the two ends differ in blue, which red–green colour blindness keeps
    assert abs(palette.ally[2] - palette.hostile[2]) > 150


def test_translation_falls_back_to_english_and_fills_fields() -> None:
    try:
        set_language("ja")
        assert _("End turn") == "ターン終了"
        assert _("Turn {turn} of {turns}", turn=2, turns=8) == "ターン 2/8"
        assert _("a string nobody translated") == "a string nobody translated"
        assert scenario_text({"en": "Okinawa", "ja": "沖縄"}) == "沖縄"
        assert scenario_text({"en": "Tokyo"}) == "Tokyo"
        set_language("xx")
        assert _("End turn") == "End turn"
    finally:
        set_language("en")


def test_settings_round_trip_and_a_broken_file_gives_defaults(tmp_path: Path) -> None:
    save_settings(tmp_path, UiSettings(scale=1.5, language="ja", palette="high_contrast"))
    assert load_settings(tmp_path) == UiSettings(scale=1.5, language="ja", palette="high_contrast")
    (tmp_path / "settings.json").write_text("{not json", "utf-8")
    assert load_settings(tmp_path) == UiSettings()
    (tmp_path / "settings.json").write_text('{"scale": 9, "language": "xx"}', "utf-8")
    assert load_settings(tmp_path) == UiSettings(scale=2.0)


@pytest.mark.parametrize("content", [
    "[" * 100_000 + "]" * 100_000,  # RecursionError in json
    '{"scale": ' + "9" * 5000 + "}",  # an integer too long to convert
    '{"scale": NaN}', '{"scale": Infinity}', '{"scale": -Infinity}',
    '["scale", 2]', '"text"', '{"scale": {"x": 1}}', '{"language": ["ja"]}',
    "\x00\xff\xfe",  # not UTF-8
], ids=["deep", "huge_int", "nan", "inf", "minus_inf", "list", "string", "mapping", "language_list", "binary"])
def test_hostile_settings_fall_back_to_the_defaults_with_a_message(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "settings.json").write_bytes(content.encode("latin-1"))
    with caplog.at_level("WARNING"):
        settings = load_settings(tmp_path)
    assert settings == UiSettings() or content == '{"language": ["ja"]}'
    assert math.isfinite(settings.scale) and 1.0 <= settings.scale <= 2.0
    if content != '{"language": ["ja"]}':
        assert "using the defaults" in caplog.text


def test_settings_that_are_not_a_regular_file_are_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "settings.json")  # opening a FIFO for reading would block forever
    assert load_settings(tmp_path) == UiSettings()
    (tmp_path / "settings.json").unlink()
    (tmp_path / "settings.json").symlink_to(tmp_path / "settings.json")
    assert load_settings(tmp_path) == UiSettings()
    (tmp_path / "settings.json").unlink()
    with open(tmp_path / "settings.json", "wb") as big:
        big.truncate(10 * 1024 * 1024)  # sparse: takes no disk, but must not be read
    assert load_settings(tmp_path) == UiSettings()


def test_the_ui_uses_the_same_user_folder_as_the_scenario_loader() -> None:
    assert user_data_dir(None) == loader_user_data_dir(None)


def test_fit_line_cuts_with_an_ellipsis(app: App) -> None:
    font = app.fonts.body
    text = "The Treaty of Mutual Cooperation and Security between Japan and the United States"
    cut = fit_line(font, text, 200)
    assert cut.endswith("…") and font.size(cut)[0] <= 200
    assert fit_line(font, "short", 200) == "short"


def test_sparkline_range_shows_a_trend_but_not_noise() -> None:
    assert sparkline_range([40.0, 60.0], 0, 100) == (40.0, 60.0)
    low, high = sparkline_range([50.0, 50.5], 0, 100)
    assert high - low == pytest.approx(10.0)
    assert sparkline_range([0.0, 0.1], 0, 100) == (0.0, 10.0)


@pytest.mark.slow  # six windows, each a whole game
@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_screen_builds_at_every_scale_and_language(data_dir: Path, scale: float, language: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(game_scene, "ADVICE_WORLDS", 64)
    app = App(data_dir, size=MIN_SIZE, settings=UiSettings(scale=scale, language=language), persist_settings=False)
    try:
        start_game(app, EXAMPLE, seed=1)
        app.run_frames(2)
        game = app.scene
        right_edge = app.window.get_width()
        assert game.map_rect.w > 200 and game.map_rect.right <= right_edge  # type: ignore[attr-defined]
        press(app, pygame.K_ESCAPE)  # the pause menu
        focus_to(app, "settings")
        press(app, pygame.K_RETURN)
        press(app, pygame.K_ESCAPE)
        auto_play(game.session, game.role, 40)  # type: ignore[attr-defined]
        press(app, pygame.K_e)  # the game is over: E goes to the debrief
        assert app.scene.name == "debrief"
        assert app.errors == []
    finally:
        pygame.quit()


def test_settings_dialog_changes_scale_and_language_at_once(app: App) -> None:
    focus_to(app, "Settings")  # on the title screen
    press(app, pygame.K_RETURN)
    focus_to(app, "scale")
    press(app, pygame.K_RETURN)
    assert app.settings.scale == 1.25
    assert app.fonts.body.get_height() > 15
    focus_to(app, "language")
    press(app, pygame.K_RETURN)
    assert app.settings.language == "ja"
    assert isinstance(app.scene.modal, SettingsDialog) and app.scene.modal.title == "設定"
    press(app, pygame.K_RETURN)  # back to English
    assert app.errors == []


def test_why_did_this_change_lists_the_ledger_sources(app: App) -> None:
    start_game(app, EXAMPLE, seed=2)
    game = app.scene
    auto_play(game.session, game.role, 1)  # type: ignore[attr-defined]
    variable = game.session.compiled.key_variables[0]  # type: ignore[attr-defined]
    title, rows = why_lines(game.session, variable, "en")  # type: ignore[attr-defined]
    assert title == game.session.compiled.label(variable)  # type: ignore[attr-defined]
    total = float(rows[-1][0])
    assert total == pytest.approx(sum(float(a) for a, _s in rows[:-1]), abs=0.02)
    # the keyboard reaches the same tooltip: Tab onto the variable's row
    game.rebuild()  # type: ignore[attr-defined]
    focus_to(app, f"var-{variable}")
    app.run_frames(1)
    assert app.errors == []


def test_levers_move_with_the_keyboard_and_become_one_command(app: App) -> None:
    start_game(app, EXAMPLE, seed=4)
    game = app.scene
    role = game.session.scenario.roles[game.role]  # type: ignore[attr-defined]
    lever_id, lever = next((k, v) for k, v in role.levers.items() if not (v.step == 1 and v.range == (0.0, 1.0)))
    focus_to(app, "tab-levers")
    press(app, pygame.K_RETURN)
    focus_to(app, f"lever-{lever_id}")
    before = game.session.lever_setting(lever_id)  # type: ignore[attr-defined]
    for _step in range(3):
        press(app, pygame.K_RIGHT, frames=1)
    assert game.lever_drafts[lever_id] > before  # type: ignore[attr-defined]
    game.commit_levers()  # type: ignore[attr-defined]
    set_levers = [c for c in game.session.commands if type(c).__name__ == "SetLever"]  # type: ignore[attr-defined]
    assert len(set_levers) == 1 and set_levers[0].lever == lever_id
    assert game.session.lever_setting(lever_id) == pytest.approx(before + 3 * (lever.step or 0))  # type: ignore[attr-defined]


def test_clicking_a_place_on_the_map_opens_its_panel(app: App) -> None:
    start_game(app, EXAMPLE, seed=4)
    app.run_frames(2)
    game = app.scene
    place = game.session.scenario.map.places[0]  # type: ignore[attr-defined]
    position = game.map_view.screen_position(*place.at)  # type: ignore[attr-defined]
    if not game.map_rect.collidepoint(position):  # type: ignore[attr-defined]
        pytest.skip("the first place is outside the initial view")
    click(app, position)
    assert game.selection is not None and game.selection.id == place.id  # type: ignore[attr-defined]
    press(app, pygame.K_ESCAPE)  # Esc closes the panel first, then opens the menu
    assert game.selection is None and app.scene.modal is None  # type: ignore[attr-defined]
    assert app.errors == []


@pytest.mark.slow  # subprocesses of screenshot
def test_screenshot_command_writes_a_png(tmp_path: Path, repo_root: Path) -> None:
    out = tmp_path / "title.png"
    done = subprocess.run([sys.executable, "main.py", "screenshot", "--screen", "title", "--out", str(out),
                           "--size", "1024x600"], cwd=repo_root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    image = pygame.image.load(str(out))
    assert image.get_size() == (1024, 600)
    bad = subprocess.run([sys.executable, "main.py", "screenshot", "--screen", "game", "--scenario", "no_such",
                          "--out", str(out)], cwd=repo_root, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "no_such" in bad.stderr and "Traceback" not in bad.stderr


def test_the_window_never_lays_out_below_the_minimum(app: App) -> None:
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=640, h=400, size=(640, 400)))
    app.run_frames(2)
    assert app.window.get_size() == MIN_SIZE
    assert app.errors == []


def test_an_exception_in_a_frame_is_logged_and_shown_not_raised(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}
    original = app.scene.draw

    def broken_once(surface: pygame.Surface) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("a bug in one frame")
        original(surface)

    monkeypatch.setattr(app.scene, "draw", broken_once)
    app.run_frames(3)
    assert app.running
    assert len(app.errors) == 1 and "a bug in one frame" in app.errors[0]
    assert any("went wrong" in toast.text for toast in app.toasts)
    press(app, pygame.K_RETURN)  # and the game still answers
    assert app.scene.name == "browser"
