"""Fixtures of the debrief pack's tests: the classroom fixture scenario and the scripted lesson made into a pack
(see `lesson_script`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from game.play.room_saves import write_room_save
from game.report.exports import write_pack
from game.report.pack import build_pack
from game.report.played import game_from_save
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario
from game.translation import set_language
from tests.report.lesson_script import ADVICE_WORLDS, CHANCE_WORLDS, FIXTURE, Lesson, play_lesson


@pytest.fixture(scope="session")
def desks() -> Scenario:
    result = load_scenario(FIXTURE)
    assert result.scenario is not None, [d.format() for d in result.diagnostics]
    return result.scenario


@pytest.fixture(scope="session")
def lesson(desks: Scenario, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lesson]:
    folder = tmp_path_factory.mktemp("lesson")
    room, _fake = play_lesson(desks)
    save = write_room_save(room, folder / "lesson.json")
    game = game_from_save(save)
    pack = build_pack(game, "en", chance_worlds=CHANCE_WORLDS, advice_worlds=ADVICE_WORLDS)
    out = folder / "pack"
    write_pack(game, pack, out)
    yield Lesson(room, save, game, pack, out)
    set_language("en")
