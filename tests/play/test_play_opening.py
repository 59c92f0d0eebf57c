"""The one door to a game: `open_game` and `resume_game` return a session or the problems, never raise."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.play.opening import (
    GameProblems,
    OpenedGame,
    auto_play,
    first_playable_role,
    fresh_seed,
    open_game,
    resume_game,
)
from game.play.saves import write_save
from game.scenario.catalog import find_scenario

EXAMPLE = "example_alliance"


def opened(result: OpenedGame | GameProblems) -> OpenedGame:
    assert isinstance(result, OpenedGame), result.text()  # type: ignore[union-attr]
    return result


def test_open_game_by_id_takes_the_first_playable_role_and_the_seed(data_dir: Path) -> None:
    game = opened(open_game(EXAMPLE, None, 12, data_dir))
    assert game.roles == (first_playable_role(game.session.scenario),)
    assert game.session.seed == 12 and game.session.human_roles == {game.role}
    assert game.session.scenario_path is not None and game.session.scenario_path.endswith(f"{EXAMPLE}.yaml")


def test_open_game_by_path_with_several_roles(data_dir: Path, repo_root: Path) -> None:
    path = repo_root / "scenarios" / f"{EXAMPLE}.yaml"
    scenario = find_scenario(EXAMPLE, data_dir).scenario
    assert scenario is not None
    roles = scenario.playable_roles()
    assert len(roles) >= 2
    game = opened(open_game(path, roles, 3, data_dir))
    assert game.roles == tuple(roles) and game.session.human_roles == set(roles)


def test_no_seed_gives_a_fresh_one_each_time(data_dir: Path) -> None:
    seeds = {opened(open_game(EXAMPLE, None, None, data_dir)).session.seed for _ in range(3)}
    assert len(seeds) > 1 and all(seed > 0 for seed in seeds)
    assert fresh_seed() != fresh_seed() or fresh_seed() != fresh_seed()


@pytest.mark.parametrize(
    ("scenario", "roles", "expected"),
    [
        ("example_aliance", None, "no scenario with the id 'example_aliance'"),
        (EXAMPLE, ["nobody"], "no playable role 'nobody' (playable roles: japan_pm, us_president)"),
        (EXAMPLE, ["china"], "no playable role 'china'"),
        (EXAMPLE, ["japan_pm", "japan_pm"], "a role is named twice"),
        ("missing/file.yaml", None, "no scenario file 'missing/file.yaml'"),
    ],
)
def test_problems_come_back_as_messages(data_dir: Path, scenario: str, roles: list[str] | None,
                                        expected: str) -> None:
    result = open_game(scenario, roles, 1, data_dir)
    assert isinstance(result, GameProblems)
    assert expected in result.text()


def test_a_negative_seed_is_a_problem_not_an_exception(data_dir: Path) -> None:
    result = open_game(EXAMPLE, None, -1, data_dir)
    assert isinstance(result, GameProblems) and "seed" in result.text()


def test_resume_game_replays_a_save_and_reports_a_broken_one(data_dir: Path, tmp_path: Path) -> None:
    game = opened(open_game(EXAMPLE, None, 5, data_dir))
    auto_play(game.session, game.role, 3)
    path = write_save(game.session, tmp_path / "game.json")
    resumed = opened(resume_game(path, data_dir))
    assert resumed.roles == game.roles and resumed.session.turn == game.session.turn == 3
    assert resumed.session.values.tolist() == game.session.values.tolist()
    path.write_text('{"format": "alliance-desk-save", "version": 1', encoding="utf-8")
    broken = resume_game(path, data_dir)
    assert isinstance(broken, GameProblems) and "truncated" in broken.text()
    assert isinstance(resume_game(tmp_path / "nothing.json", data_dir), GameProblems)


def test_auto_play_takes_the_historical_choice_where_there_is_one(data_dir: Path) -> None:
    game = opened(open_game("anpo_1960", None, 2, data_dir))
    auto_play(game.session, game.role, game.session.compiled.turns + 1)
    assert game.session.is_over
    chosen = {c.event: c.choice for c in game.session.commands if type(c).__name__ == "Choose"}  # type: ignore[attr-defined]
    scenario = game.session.scenario
    recorded = {e.id: e.history.choice for e in scenario.events if e.history is not None and e.history.choice}
    matched = [event for event, choice in chosen.items() if recorded.get(event) == choice]
    assert matched, "at least one decision followed history"
