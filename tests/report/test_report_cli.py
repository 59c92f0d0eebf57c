"""`python main.py report` and `python main.py cards`: 0 when written, 1 for a problem in the input (a clear
message, no traceback), 2 for a usage mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main
from game.play.commands import Choose, EndTurn
from game.play.saves import write_save
from game.play.session import Session
from game.scenario.models import Scenario
from tests.report.lesson_script import FIXTURE, Lesson


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's usage errors
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_classroom_save_makes_a_pack(lesson: Lesson, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run(["report", str(lesson.save), "--out", str(tmp_path / "pack"), "--worlds", "100"], capsys)
    assert code == 0, output
    assert "wrote the debrief pack" in output
    page = (tmp_path / "pack" / "index.html").read_text(encoding="utf-8")
    assert "SECRET-BETA" in page and "Team B" in page


def test_a_plain_save_makes_a_pack_with_team_labels(desks: Scenario, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    session = Session.start(desks, ["alpha_pm"], 4, scenario_path=str(FIXTURE))
    for pending in session.pending_decisions("alpha_pm"):
        session.apply(Choose("alpha_pm", pending.event_id, pending.default_choice))
    session.apply(EndTurn("alpha_pm"))
    save = write_save(session, tmp_path / "plain.json")
    code, output = run(["report", str(save), "--out", str(tmp_path / "pack"), "--worlds", "50", "--quiet"], capsys)
    assert code == 0, output
    assert output == ""
    page = (tmp_path / "pack" / "index.html").read_text(encoding="utf-8")
    assert "Team A" in page and "from a saved game" in page


@pytest.mark.parametrize(("argv", "message"), [
    (["report", "missing.json", "--out", "OUT"], "no such save file"),
    (["report", "no_such_scenario", "--seats", "x", "--out", "OUT"], "no_such_scenario"),
    (["report", str(FIXTURE), "--seats", "nobody", "--out", "OUT"], "no playable role 'nobody'"),
    (["cards", str(FIXTURE), "--seats", "nobody", "--out", "OUT"], "no playable role 'nobody'"),
    (["cards", "no_such_scenario", "--seats", "x", "--out", "OUT"], "no_such_scenario"),
])
def test_problems_in_the_input_exit_1_with_a_message(argv: list[str], message: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run([a.replace("OUT", str(tmp_path / "out")) for a in argv], capsys)
    assert code == 1
    assert message in output and "Traceback" not in output
    assert not (tmp_path / "out").exists()


def test_a_broken_save_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "alliance-desk-save", "version": 2, "sco', encoding="utf-8")
    code, output = run(["report", str(broken), "--out", str(tmp_path / "out")], capsys)
    assert code == 1 and "truncated" in output


@pytest.mark.parametrize("argv", [
    ["report", "example_alliance", "--out", "OUT"],  # a scenario needs seats
    ["report", "game.json", "--seats", "japan_pm", "--out", "OUT"],  # a save names its own seats
    ["report", "example_alliance", "--seats", "japan_pm", "--policy", "smart", "--out", "OUT"],
    ["report", "example_alliance", "--seats", "japan_pm"],  # no --out
    ["report", "example_alliance", "--seats", "japan_pm", "--worlds", "0", "--out", "OUT"],
    ["cards", "example_alliance", "--out", "OUT"],
])
def test_usage_mistakes_exit_2(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run([a.replace("OUT", str(tmp_path / "out")) for a in argv], capsys)
    assert code == 2, output
    assert "Traceback" not in output


def test_cards_are_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run(["cards", str(FIXTURE), "--seats", "alpha_pm,beta_leader", "--out", str(tmp_path),
                        "--lang", "ja"], capsys)
    assert code == 0, output
    page = (tmp_path / "cards.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in page and page.count('class="card card-private"') == 2
