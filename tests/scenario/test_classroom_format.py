"""The optional `classroom:` block: its diagnostics (file:line:col, did-you-mean), and the block every shipped
scenario carries — a 50-minute lesson, injectable events that really fire, debrief questions in two languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.play.commands import Choose, Inject
from game.play.session import Session
from game.resources import scenarios_dir
from game.scenario.catalog import scenario_files
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario
from game.scenario.references import BRIEFING_AND_DEBRIEF_MINUTES, LESSON_MINUTES
from game.scenario.schema import scenario_json_schema

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "play" / "classroom_desks.yaml"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def edited(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of the classroom fixture with one text replaced; returns it and the line of the replacement."""
    text = FIXTURE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    line = text[:text.index(old)].count("\n") + 1
    path = tmp_path / "classroom_desks.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path, line


def diagnostics(path: Path) -> list[str]:
    return [d.format() for d in load_scenario(path).diagnostics]


def test_the_fixture_block_loads_without_diagnostics() -> None:
    result = load_scenario(FIXTURE)
    assert result.scenario is not None and not result.diagnostics
    classroom = result.scenario.classroom
    assert classroom is not None and classroom.injectable == ["leak", "summit_offer"]
    assert classroom.debrief_questions[0].ja.startswith("アルファ")


def test_an_unknown_injectable_event_gets_file_line_col_and_did_you_mean(tmp_path: Path) -> None:
    path, line = edited(tmp_path, "injectable: [leak, summit_offer]", "injectable: [leak, sumit_offer]")
    found = diagnostics(path)
    expected = (rf"classroom_desks\.yaml:{line}:\d+: error: classroom\.injectable\[1\]: unknown event 'sumit_offer' "
                r"\(did you mean 'summit_offer'\?\)")
    assert any(re.search(expected + "$", d) for d in found), found
    assert load_scenario(path).scenario is None


def test_an_injectable_event_listed_twice_is_a_warning(tmp_path: Path) -> None:
    path, line = edited(tmp_path, "injectable: [leak, summit_offer]", "injectable: [leak, leak]")
    found = diagnostics(path)
    assert any(f":{line}:" in d and "warning: classroom.injectable[1]: event 'leak' is listed twice" in d
               for d in found), found


def test_a_question_without_japanese_is_an_error_at_its_line(tmp_path: Path) -> None:
    question = "{en: When was consulting the ally worth its cost?"
    path, line = edited(tmp_path, f"{question}, ja: 同盟国との協議はいつその代償に見合ったか。}}", f"{question}}}")
    found = diagnostics(path)
    assert any(f":{line}:" in d and "classroom.debrief_questions[1]" in d and "'ja'" in d for d in found), found


def test_an_unknown_key_in_the_block_gets_did_you_mean(tmp_path: Path) -> None:
    path, line = edited(tmp_path, "  minutes_per_turn: 5", "  minutes_per_trun: 5")
    found = diagnostics(path)
    assert any(f":{line}:" in d and "minutes_per_trun" in d and "did you mean 'minutes_per_turn'" in d
               for d in found), found


def test_a_lesson_longer_than_the_calendar_or_the_hour_is_warned_about(tmp_path: Path) -> None:
    path, line = edited(tmp_path, "  turns: 6\n  minutes_per_turn: 5", "  turns: 12\n  minutes_per_turn: 5")
    found = diagnostics(path)
    assert any(f":{line}:" in d and "warning: classroom.turns: the lesson suggests 12 turns, but the calendar has 8"
               in d for d in found), found
    assert any("12 turns of 5 minutes take 60 minutes" in d for d in found), found
    assert load_scenario(path).scenario is not None  # warnings only


def test_injectable_events_do_not_count_as_never_firing() -> None:
    assert not any("can never fire" in d for d in diagnostics(FIXTURE))


def test_the_schema_describes_the_block() -> None:
    schema = scenario_json_schema()
    text = repr(schema)
    assert "classroom" in schema["properties"]
    assert "debrief_questions" in text and "minutes_per_turn" in text


# --- the shipped scenarios --------------------------------------------------------------------------------


SHIPPED = [path for path in scenario_files(scenarios_dir()) if "abstract: true" not in path.read_text("utf-8")]


def shipped(path: Path) -> Scenario:
    result = load_scenario(path)
    assert result.scenario is not None, [d.format() for d in result.diagnostics]
    return result.scenario


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_scenario_has_a_50_minute_lesson(path: Path) -> None:
    scenario = shipped(path)
    classroom = scenario.classroom
    assert classroom is not None, f"{scenario.id} has no classroom: block"
    assert classroom.turns <= scenario.calendar.turns
    assert classroom.minutes_per_turn in (3, 5, 8)  # the clock's choices in the room
    assert classroom.turns * classroom.minutes_per_turn + BRIEFING_AND_DEBRIEF_MINUTES <= LESSON_MINUTES
    assert 2 <= len(classroom.debrief_questions) <= 4
    for question in classroom.debrief_questions:
        assert question.en.endswith("?") and JAPANESE.search(question.ja) and question.ja.endswith("。")
    assert classroom.injectable and set(classroom.injectable) <= {event.id for event in scenario.events}


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_injectable_event_of_a_shipped_scenario_fires_and_is_decided_that_turn(path: Path) -> None:
    scenario = shipped(path)
    assert scenario.classroom is not None
    for event_id in scenario.classroom.injectable:
        session = Session.start(scenario, scenario.playable_roles(), 3)
        session.apply(Inject(event_id))
        for role in session.roles_still_to_end():
            for pending in session.pending_decisions(role):
                if pending.awaits_choice:
                    session.apply(Choose(role, pending.event_id, pending.default_choice))
        session.end_turn()
        decided = [n.event_id for n in session.news if n.kind == "decision" and n.turn == 0]
        assert event_id in decided, (scenario.id, event_id)
