"""Saves: save → load → continue equals uninterrupted play; bad files give clear SaveErrors; atomic writes."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from game.play.commands import Choose, SetLever
from game.play.saves import (
    MAX_SAVE_BYTES,
    SaveError,
    autosave,
    list_saves,
    load_save,
    read_save_data,
    save_data,
    saves_dir,
    write_save,
)
from game.play.session import Session
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario

ROLE = "alpha_pm"


def play(session: Session, turns: int) -> None:
    for _ in range(turns):
        if session.is_over:
            return
        if session.turn == 1:
            session.apply(SetLever(ROLE, "defense_budget", 2.5))
        for pending in session.pending_decisions(ROLE):
            session.apply(Choose(ROLE, pending.event_id, pending.available[-1]))
        session.end_turn()


@pytest.fixture
def game(two_desks: Scenario, two_desks_path: Path) -> Session:
    session = Session.start(two_desks, ROLE, 2024, scenario_path=str(two_desks_path))
    play(session, 3)
    return session


def test_save_load_continue_equals_uninterrupted_play(game: Session, two_desks: Scenario, tmp_path: Path) -> None:
    path = write_save(game, tmp_path / "game.json")
    loaded = load_save(path)
    assert loaded.warnings == []
    assert not loaded.scenario_changed
    resumed = loaded.session
    assert resumed.turn == game.turn == 3
    assert resumed.human_roles == game.human_roles
    uninterrupted = Session.replay(two_desks, 2024, game.commands)
    play(uninterrupted, 10)
    play(resumed, 10)
    assert resumed.is_over and uninterrupted.is_over
    assert np.array_equal(np.array(resumed.history), np.array(uninterrupted.history))
    assert resumed.snapshot() == uninterrupted.snapshot()
    assert resumed.ending == uninterrupted.ending


def test_save_file_holds_what_determines_the_game(game: Session, tmp_path: Path) -> None:
    data = json.loads(write_save(game, tmp_path / "game.json", label="Before the vote").read_text("utf-8"))
    assert data["format"] == "alliance-desk-save" and data["version"] == 2
    assert data["label"] == "Before the vote"
    assert data["scenario_id"] == "two_desks"
    assert data["scenario_hash"].startswith("sha256:")
    assert data["seed"] == 2024 and data["roles"] == [ROLE] and data["turn"] == 3
    assert data["commands"][0] == {"kind": "end_turn", "role": ROLE, "turn": 0}
    assert data["snapshot"]["turn"] == 3


def test_changed_engine_is_reported_when_the_snapshot_differs(game: Session, tmp_path: Path) -> None:
    path = write_save(game, tmp_path / "game.json")
    data = json.loads(path.read_text("utf-8"))
    data["snapshot"]["values"][0][0] += 1.0
    path.write_text(json.dumps(data), "utf-8")
    loaded = load_save(path)
    assert loaded.session.snapshot() == game.snapshot()  # replay wins
    assert any("engine has changed" in warning for warning in loaded.warnings)


def _rewrite(path: Path, change: Callable[[dict[str, Any]], Any]) -> None:
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data), "utf-8")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff"), "not a save file (it is not text)"),
        (lambda p: p.write_text("", "utf-8"), "the save file is empty"),
        (lambda p: p.write_text(p.read_text("utf-8")[:200], "utf-8"), "the save file is truncated"),
        (lambda p: p.write_text("format: yaml\n", "utf-8"), ":1:1: not a save file (not valid JSON"),
        (lambda p: p.write_text('{"name": "my-package", "version": "1.0"}', "utf-8"), "not an Alliance Desk save"),
        (lambda p: p.write_text("[1, 2, 3]", "utf-8"), "not an Alliance Desk save"),
        (lambda p: _rewrite(p, lambda d: d.update(version=7)), "written by a newer version of Alliance Desk"),
        (lambda p: _rewrite(p, lambda d: d.update(version="one")), "no valid version number"),
        (lambda p: _rewrite(p, lambda d: d.pop("seed")), "the save is incomplete: missing 'seed'"),
        (lambda p: _rewrite(p, lambda d: d.update(seed="x")), "the save's 'seed' has the wrong type"),
        (lambda p: _rewrite(p, lambda d: d.update(roles=[1])), "'roles' must be a list of role ids"),
        (lambda p: _rewrite(p, lambda d: d.update(seed=-4)), "the save's seed must be 0 or more, not -4"),
        (lambda p: _rewrite(p, lambda d: d["commands"].append({"kind": "teleport"})),
         "bad command in the save: commands[5]: unknown command kind 'teleport'"),
        (lambda p: _rewrite(p, lambda d: d["commands"].insert(0, {"kind": "choose", "role": ROLE, "event": "crisis",
                                                                 "choice": "stand_firm", "turn": 0})),
         "do not replay on this scenario: 'A crisis at sea' is not awaiting a decision now"),
        (lambda p: _rewrite(p, lambda d: d.update(scenario_id="atlantis", scenario_path=None)),
         "The scenario 'atlantis' of this save cannot be found"),
        # Hostile saves: each of these used to raise something other than SaveError, or to load.
        (lambda p: p.write_text("[" * 100_000 + "]" * 100_000, "utf-8"), "its data is nested too deeply"),
        (lambda p: p.write_text('{"format": "alliance-desk-save", "seed": ' + "9" * 5000 + "}", "utf-8"),
         "is too large for a save"),
        (lambda p: p.write_text(re.sub(r'"seed": \d+', '"seed": NaN', p.read_text("utf-8")), "utf-8"),
         "NaN is not a number a save can hold"),
        (lambda p: _rewrite(p, lambda d: d.update(seed=2**64)), "the save's seed is too large"),
        (lambda p: _rewrite(p, lambda d: d.update(turn=-3)), "the save's turn must be from 0 to 400, not -3"),
        (lambda p: _rewrite(p, lambda d: d.update(label="x\x1b[2J")), "without control characters"),
        (lambda p: _rewrite(p, lambda d: d.update(label="x" * 5000)), "at most 200 characters"),
        (lambda p: (p.unlink(), os.mkfifo(p)), "it is a named pipe (FIFO), not a regular file"),
        (lambda p: (p.unlink(), p.symlink_to(p)), "its symbolic links form a loop"),
        (lambda p: os.truncate(p, MAX_SAVE_BYTES + 1), "file is too large"),
    ],
    ids=["binary", "empty", "truncated", "not_json", "foreign_json", "foreign_list", "future_version",
         "bad_version", "missing_field", "wrong_type", "bad_roles", "negative_seed", "bad_command", "inconsistent_log",
         "scenario_missing", "deep_nesting", "huge_integer", "nan", "huge_seed", "negative_turn", "label_escape",
         "label_long", "fifo", "symlink_loop", "oversized"],
)
def test_bad_save_gives_a_clear_error(game: Session, tmp_path: Path, damage: Callable[[Path], Any],
                                      message: str) -> None:
    path = write_save(game, tmp_path / "game.json")
    assert len(json.loads(path.read_text("utf-8"))["commands"]) == 5
    damage(path)
    with pytest.raises(SaveError) as caught:
        load_save(path, data_dir=tmp_path / "data")
    assert message in caught.value.message
    assert "game.json" in caught.value.message or "atlantis" in caught.value.message


def test_missing_save_file(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="no such save file"):
        load_save(tmp_path / "nothing.json")


def test_changed_scenario_is_replayed_and_reported(
    two_desks: Scenario, edited_two_desks: Callable[[Callable[[dict[str, Any]], None]], Path], tmp_path: Path,
) -> None:
    def budget_lever_narrower(data: dict[str, Any]) -> None:
        data["roles"]["alpha_pm"]["levers"]["defense_budget"]["range"] = [0.5, 2.0]

    scenario_path = edited_two_desks(lambda data: None)
    scenario = load_scenario(scenario_path).scenario
    assert scenario is not None
    session = Session.start(scenario, ROLE, 77, scenario_path=str(scenario_path))
    play(session, 3)
    path = write_save(session, tmp_path / "game.json")
    edited_two_desks(budget_lever_narrower)  # the modder edits the file in place
    loaded = load_save(path)
    assert loaded.scenario_changed
    assert loaded.replay is not None and len(loaded.replay.skipped) == 1
    assert loaded.session.turn == 3
    assert any("has changed since this game was saved" in w for w in loaded.warnings)
    assert any("Turn 2: an order no longer applies: Defense budget must be between 0.5 and 2" in w
               for w in loaded.warnings)


def test_scenario_found_by_id_when_the_recorded_path_is_gone(
    game: Session, tmp_path: Path, two_desks_path: Path,
) -> None:
    # A mod installed under the data folder is found by its id.
    data_dir = tmp_path / "data"
    (data_dir / "mods").mkdir(parents=True)
    (data_dir / "mods" / "two_desks.yaml").write_bytes(two_desks_path.read_bytes())
    path = write_save(game, tmp_path / "game.json")
    _rewrite(path, lambda d: d.update(scenario_path=str(tmp_path / "moved-away.yaml")))
    loaded = load_save(path, data_dir=data_dir)
    assert loaded.session.snapshot() == game.snapshot()
    assert loaded.session.scenario_path is not None and loaded.session.scenario_path.endswith("two_desks.yaml")


def test_failed_replace_leaves_the_old_save_intact(game: Session, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "game.json"
    write_save(game, path, label="good")
    good = path.read_bytes()
    play(game, 1)

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(SaveError, match="could not write the save: No space left on device"):
        write_save(game, path, label="newer")
    assert path.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.json"]  # no temporary file left behind


def test_failed_serialisation_leaves_the_old_save_intact(game: Session, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "game.json"
    write_save(game, path)
    good = path.read_bytes()
    monkeypatch.setattr(Session, "snapshot", lambda self: {"values": [float("nan")]})
    with pytest.raises(SaveError, match="could not write the save"):
        write_save(game, path)
    assert path.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.json"]


def test_failed_write_midway_leaves_the_old_save_intact(game: Session, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "game.json"
    write_save(game, path)
    good = path.read_bytes()

    def failing_fsync(descriptor: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(SaveError, match="Input/output error"):
        write_save(game, path)
    assert path.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.json"]


def test_autosave_keeps_the_last_three(game: Session, tmp_path: Path) -> None:
    written = []
    for _ in range(5):
        written.append(autosave(game, tmp_path))
        play(game, 1)
    folder = saves_dir(tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == [p.name for p in written[2:]]
    assert read_save_data(written[-1])["turn"] == 7
    infos = list_saves(tmp_path)
    assert [i.path for i in infos] == list(reversed(written[2:]))
    assert all(i.is_autosave and i.label.startswith("Autosave: Two Desks") for i in infos)


def test_list_saves_shows_broken_files_with_their_problem(game: Session, tmp_path: Path) -> None:
    folder = saves_dir(tmp_path)
    write_save(game, folder / "mine.json", label="My game")
    (folder / "broken.json").write_text('{"format": "alliance-desk-save", "vers', "utf-8")
    infos = {i.path.name: i for i in list_saves(tmp_path)}
    assert infos["mine.json"].label == "My game" and infos["mine.json"].problem is None
    assert infos["mine.json"].turn == 3 and not infos["mine.json"].is_autosave
    assert infos["broken.json"].problem is not None and "truncated" in infos["broken.json"].problem


def test_list_saves_of_a_new_data_folder_is_empty(tmp_path: Path) -> None:
    assert list_saves(tmp_path / "fresh") == []


def test_save_data_needs_no_scenario_file(two_desks: Scenario) -> None:
    session = Session.start(two_desks, ROLE, 1)
    data = save_data(session, saved_at="2030-01-01T00:00:00+00:00")
    assert data["scenario_path"] is None
    assert json.loads(json.dumps(data)) == data
    assert os.path.sep not in data["label"]


def test_scenario_with_errors_now_is_reported(
    edited_two_desks: Callable[[Callable[[dict[str, Any]], None]], Path], tmp_path: Path,
) -> None:
    scenario_path = edited_two_desks(lambda data: None)
    scenario = load_scenario(scenario_path).scenario
    assert scenario is not None
    session = Session.start(scenario, ROLE, 5, scenario_path=str(scenario_path))
    play(session, 2)
    path = write_save(session, tmp_path / "game.json")

    def break_it(data: dict[str, Any]) -> None:
        data["variables"]["tension"]["initial"] = "high"

    edited_two_desks(break_it)
    with pytest.raises(SaveError, match=r"The scenario 'two_desks' of this save has errors now: .*tension"):
        load_save(path, data_dir=tmp_path / "data")


def test_temp_files_left_by_a_killed_save_are_removed_by_the_next_save(game: Session, tmp_path: Path) -> None:
    target = tmp_path / "game.json"
    killed_same = tmp_path / ".game.json.abc123.tmp"  # a save of this file killed before os.replace
    killed_other = tmp_path / ".other.json.def456.tmp"  # of another file, long ago
    recent_other = tmp_path / ".third.json.ghi789.tmp"  # of another file, maybe being written right now
    for temp in (killed_same, killed_other, recent_other):
        temp.write_text('{"format": "alliance-desk-save", "ver', "utf-8")
    os.utime(killed_other, (1_000_000_000, 1_000_000_000))
    write_save(game, target)
    assert not killed_same.exists() and not killed_other.exists()
    assert recent_other.exists()
    assert read_save_data(target)["turn"] == game.turn
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == [recent_other.name]
