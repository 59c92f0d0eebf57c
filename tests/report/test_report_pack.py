"""The debrief pack of a scripted classroom lesson: every section has what the issue asks for, team labels
only, the same inputs give the same bytes, and the pack is in English or Japanese."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from game.play.commands import command_from_json
from game.play.session import Session
from game.report.chance import STRATEGIES
from game.report.decision_log import CHOSEN, TIMEOUT
from game.report.exports import PACK_FILES, write_pack
from game.report.pack import build_pack
from game.report.played import game_from_save
from tests.report.lesson_script import ADJUST_REASON, ADVICE_WORLDS, CHANCE_WORLDS, REWIND_REASON, Lesson


def html(lesson: Lesson) -> str:
    return (lesson.out / "index.html").read_text(encoding="utf-8")


def test_the_pack_folder_holds_the_page_and_the_data_files(lesson: Lesson) -> None:
    assert sorted(p.name for p in lesson.out.iterdir()) == sorted(PACK_FILES)


def test_the_cover_names_the_scenario_the_teams_and_reveals_the_seed(lesson: Lesson) -> None:
    cover = dict(lesson.pack.cover)
    assert cover["Seed"] == "11"
    assert "classroom_desks" in cover["Scenario"]
    assert cover["Dates"].startswith("Q1 2030")
    assert lesson.pack.teams == [("Team A", "Prime Minister of Alpha"), ("Team B", "Leader of Beta")]
    assert "5 minutes per turn" in cover["Played"]


def test_every_seats_private_briefing_is_revealed(lesson: Lesson) -> None:
    page = html(lesson)
    assert "SECRET-ALPHA: the cabinet fears an election." in page
    assert "SECRET-BETA: your navy is not ready." in page
    alpha = lesson.pack.seats[0]
    assert alpha.team == "Team A" and alpha.objectives and alpha.score.startswith(alpha.score.split(" ")[0])


def test_each_decision_has_its_options_advice_choice_and_history(lesson: Lesson) -> None:
    decisions = lesson.pack.decisions
    session = lesson.game.session
    seat_decisions = [n for n in session.news if n.kind == "decision" and n.role in {"alpha_pm", "beta_leader"}]
    assert [d.event_id for d in decisions] == [n.event_id for n in seat_decisions]
    alpha = [d for d in decisions if d.role == "alpha_pm"]
    assert alpha and all(len(d.advice) == 2 for d in alpha)  # the hawk and the dove
    assert all(a.explanation for d in alpha for a in d.advice)
    assert all(len(d.options) >= 2 and d.choice_label for d in decisions)
    crisis = [d for d in decisions if d.event_id == "crisis"]
    assert crisis and crisis[0].history == "In this fictional world the government stood firm."
    assert crisis[0].historical_choice is not None
    assert "In this fictional world the government stood firm." in html(lesson)
    assert f"from {ADVICE_WORLDS:,} simulated worlds" in html(lesson)


def test_the_injected_decision_is_advised_and_timed(lesson: Lesson) -> None:
    leak = next(d for d in lesson.pack.decisions if d.event_id == "leak")
    assert leak.how == CHOSEN and leak.seconds is not None and leak.seconds > 0
    assert leak.advice  # advised after the inject, at the state the seat saw


def test_the_facilitators_actions_are_listed_with_their_reasons(lesson: Lesson) -> None:
    lines = [line.text for line in lesson.pack.control]
    assert any(ADJUST_REASON in line and "Regional tension" in line for line in lines)
    assert any("injected the event 'A cable leaks'" in line for line in lines)
    assert any("time ran out for Team B" in line for line in lines)
    assert any("paused the clock" in line for line in lines)
    # at the same moment the clock's note comes before the timeouts it caused
    time_up = next(n for n, line in enumerate(lines) if "The turn's time ran out" in line)
    timeout = next(n for n, line in enumerate(lines) if "time ran out for Team B" in line)
    assert time_up < timeout
    branches = [line.text for line in lesson.pack.branches]
    assert len(branches) == 1 and REWIND_REASON in branches[0]
    assert REWIND_REASON in html(lesson) and ADJUST_REASON in html(lesson)


def test_the_adjustment_is_credited_to_control_in_the_biggest_moves(lesson: Lesson) -> None:
    sources = [source for move in lesson.pack.moves for _amount, source in move.parts]
    assert any(source.startswith("control: REASON-ADJUST") for source in sources)


def test_charts_are_inline_svg_marked_with_the_decisions(lesson: Lesson) -> None:
    keys = lesson.game.session.compiled.key_variables
    assert len(lesson.pack.charts) == len(keys)
    for chart in lesson.pack.charts:
        assert chart.startswith("<svg") and chart.endswith("</svg>")
    numbers = {str(d.number) for d in lesson.pack.decisions}
    assert all(f">{n}</text>" in lesson.pack.charts[0] for n in numbers)
    assert ">C</text>" in lesson.pack.charts[0]  # the facilitator's turn


def test_chance_compares_three_ways_of_deciding_in_the_same_worlds(lesson: Lesson) -> None:
    chance = lesson.pack.chance
    assert chance is not None and chance.worlds == CHANCE_WORLDS
    assert [o.strategy for o in chance.outcomes] == list(STRATEGIES)
    assert chance.turns == len(lesson.game.session.history) - 1
    for outcome in chance.outcomes:
        assert abs(sum(outcome.ending_shares.values()) - 1.0) < 1e-9
        for low, mid, high in outcome.percentiles.values():
            assert low <= mid <= high
    assert any("◀" in ending for ending, _shares in lesson.pack.chance_table)  # the class's own ending


def test_the_debrief_questions_and_the_appendix(lesson: Lesson) -> None:
    assert lesson.pack.questions == ["What did Alpha gain and lose by standing firm?",
                                     "When was consulting the ally worth its cost?"]
    rows = {row.team: row for row in lesson.pack.appendix}
    assert rows["Team B"].timeouts == 1
    assert rows["Team A"].timeouts == 0
    assert rows["Team A"].median_seconds != "—"
    assert rows["Team A"].decisions == sum(1 for d in lesson.pack.decisions if d.role == "alpha_pm")
    assert rows["Team A"].per_advisor and all(" of " in share for _name, share in rows["Team A"].per_advisor)


def test_the_data_files(lesson: Lesson) -> None:
    decisions = list(csv.DictReader(io.StringIO((lesson.out / "decisions.csv").read_text(encoding="utf-8"))))
    assert len(decisions) == len(lesson.pack.decisions)
    assert {row["team"] for row in decisions} <= {"Team A", "Team B"}
    assert {row["how"] for row in decisions} <= {CHOSEN, TIMEOUT, "default"}
    history = list(csv.reader(io.StringIO((lesson.out / "history.csv").read_text(encoding="utf-8"))))
    session = lesson.game.session
    assert len(history) == 1 + len(session.history)
    assert history[0][2:] == list(session.compiled.variable_ids)
    assert float(history[-1][2]) == session.history[-1][0]  # exact, not rounded


def test_commands_json_replays_the_game_exactly(lesson: Lesson) -> None:
    data = json.loads((lesson.out / "commands.json").read_text(encoding="utf-8"))
    session = lesson.game.session
    commands = [command_from_json({k: v for k, v in c.items() if k != "at"}) for c in data["commands"]]
    replayed = Session.replay(session.scenario, data["seed"], commands, [s["role"] for s in data["seats"]])
    assert [list(v) for v in replayed.history] == [list(v) for v in session.history]
    assert data["branches"][0]["reason"] == REWIND_REASON
    assert [s["team"] for s in data["seats"]] == ["Team A", "Team B"]
    assert all("at" in c for c in data["commands"])


def test_the_same_save_gives_the_same_bytes(lesson: Lesson, tmp_path: Path) -> None:
    game = game_from_save(lesson.save)
    pack = build_pack(game, "en", chance_worlds=CHANCE_WORLDS, advice_worlds=ADVICE_WORLDS)
    write_pack(game, pack, tmp_path)
    for name in PACK_FILES:
        assert (tmp_path / name).read_bytes() == (lesson.out / name).read_bytes(), name


def test_team_labels_only_never_names(lesson: Lesson) -> None:
    # The room knows only team labels; the pack must not invent anything else to call a seat.
    page = html(lesson)
    assert page.count("Team A") >= 3 and page.count("Team B") >= 3
    assert "student" not in page.lower()


def test_the_pack_in_japanese(lesson: Lesson, tmp_path: Path) -> None:
    pack = build_pack(lesson.game, "ja", chance_worlds=50, advice_worlds=8)
    write_pack(lesson.game, pack, tmp_path)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in page
    assert "アルファは強硬姿勢で何を得て、何を失ったか。" in page
    assert pack.text["timeline"] != "Timeline"  # the pack's own strings are translated
    assert pack.text["chance"] != "Chance" and pack.text["appendix"] != "Teacher appendix"
    assert "2030年" in page  # the game's dates in Japanese


def test_a_japanese_pack_carries_its_font_and_an_english_one_does_not(lesson: Lesson, tmp_path: Path) -> None:
    from self_contained import outside_references

    pack = build_pack(lesson.game, "ja", chance_worlds=20, advice_worlds=4)
    first = write_pack(lesson.game, pack, tmp_path / "one")[0].read_text(encoding="utf-8")
    again = write_pack(lesson.game, pack, tmp_path / "two")[0].read_text(encoding="utf-8")
    assert "url(data:font/otf;base64," in first and first == again  # the font subset is the same bytes too
    assert outside_references(first) == []
    assert "@font-face" not in html(lesson)


def test_the_facilitator_console_exports_the_rooms_pack(lesson: Lesson, tmp_path: Path) -> None:
    from game.report.exports import export_room_pack

    written = export_room_pack(lesson.room, tmp_path, "en", chance_worlds=CHANCE_WORLDS, advice_worlds=ADVICE_WORLDS)
    assert [p.name for p in written] == list(PACK_FILES)
    assert REWIND_REASON in written[0].read_text(encoding="utf-8")
    # the room as it stands gives the same pack as its save
    assert written[0].read_bytes() == (lesson.out / "index.html").read_bytes()


def test_the_timeline_tells_each_facilitator_action_once(lesson: Lesson) -> None:
    lines = [line for _date, day in lesson.pack.timeline for line in day]
    adjustments = [line for line in lines if "REASON-ADJUST" in line.text]
    assert len(adjustments) == 1 and adjustments[0].control
    assert any(line.control and "paused the clock" in line.text for line in lines)  # the room log is there too
