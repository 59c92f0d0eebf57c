"""docs/classroom.md, the teacher's guide, agrees with the scenarios: each shipped scenario's lesson (turns and
minutes per turn) is as the guide's table says, and every command the guide shows parses."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from game.cli import build_parser
from game.scenario.catalog import find_scenario

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "classroom.md"
ROW = re.compile(r"^\| `(\w+)` \| [^|]+ \| (\d+) turns × (\d+) min \|", re.MULTILINE)


@pytest.mark.slow
def test_the_guides_lesson_table_matches_each_scenarios_classroom_block() -> None:
    rows = ROW.findall(GUIDE.read_text(encoding="utf-8"))
    assert len(rows) >= 8
    for scenario_id, turns, minutes in rows:
        scenario = find_scenario(scenario_id).scenario
        assert scenario is not None and scenario.classroom is not None, scenario_id
        assert (scenario.classroom.turns, scenario.classroom.minutes_per_turn) == (int(turns), int(minutes)), \
            scenario_id


@pytest.mark.parametrize("command", [
    line.strip().removeprefix("python main.py ")
    for line in GUIDE.read_text(encoding="utf-8").splitlines()
    if line.strip().startswith("python main.py ")
])
def test_every_command_in_the_guide_parses(command: str) -> None:
    build_parser().parse_args(shlex.split(command))
