"""`python main.py cards ... --codes FILE.json`: each seat's card prints its own seat code and the join address
from the file `serve --codes-out` writes, never another seat's code, the facilitator key or the projector token;
a missing, broken or foreign codes file is a `file:line:col` message and exit 1, and nothing is written."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from game.cli import main
from game.report.cards import read_seat_codes
from game.report.played import ReportProblem
from tests.report.lesson_script import FIXTURE

CODES = {
    "room": "K7M2QX",
    "seats": {"alpha_pm": "ABCD-EFGH", "beta_leader": "WXYZ-2345"},
    "join": "http://192.168.1.20:8000/?room=K7M2QX",
    "control": "CONTROL-KEY-never-on-a-card",
    "projector": "PROJECTOR-TOKEN-never-on-a-card",
}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def codes_file(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "codes.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2), encoding="utf-8")
    return path


def test_each_card_prints_its_own_code_and_the_join_address(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    codes = codes_file(tmp_path, CODES)
    code, output = run(["cards", str(FIXTURE), "--seats", "alpha_pm,beta_leader", "--codes", str(codes),
                        "--out", str(tmp_path / "cards")], capsys)
    assert code == 0, output
    assert "K7M2QX" in output and "ABCD-EFGH" not in output  # the terminal names the room, not the seats' keys
    page = (tmp_path / "cards" / "cards.html").read_text(encoding="utf-8")
    cards = page.split('<div class="card card-public">')[1:]
    assert len(cards) == 2
    alpha, beta = cards
    assert "ABCD-EFGH" in alpha and "WXYZ-2345" not in alpha
    assert "WXYZ-2345" in beta and "ABCD-EFGH" not in beta
    assert page.count("http://192.168.1.20:8000/?room=K7M2QX") == 2
    assert "CONTROL-KEY" not in page and "PROJECTOR-TOKEN" not in page
    # a seat code opens its team's private briefing: the file is the teacher's alone
    assert stat.S_IMODE((tmp_path / "cards" / "cards.html").stat().st_mode) == 0o600


def test_without_codes_the_code_field_stays_blank(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run(["cards", str(FIXTURE), "--seats", "alpha_pm", "--out", str(tmp_path)], capsys)
    assert code == 0, output
    page = (tmp_path / "cards.html").read_text(encoding="utf-8")
    assert 'class="seat-code"' not in page and 'class="join-address"' not in page and "Code:" in page


@pytest.mark.parametrize(("content", "message"), [
    (None, "codes.json:0:0: error: no such codes file (write it with: python main.py serve"),
    ('{"room": "K7M2QX",\n  "seats": ', "codes.json:2:12: error: not valid JSON"),
    ("[1, 2]", "codes.json:1:1: error: a codes file is a JSON object"),
    ({**CODES, "seats": {"alpha_pm": 7, "beta_leader": "WXYZ-2345"}},
     "error: seats.alpha_pm: missing, or not a short text"),
    ({key: value for key, value in CODES.items() if key != "join"}, "codes.json:0:0: error: join: missing"),
    ({**CODES, "seats": {}}, "error: seats: missing, or not an object of role: code"),
    ({**CODES, "seats": {"alpha_pm": "ABCD-EFGH"}}, "error: The codes are for another room: no seat code for "
                                                    "beta_leader (its seats: alpha_pm)"),
])
def test_a_wrong_codes_file_is_a_clear_message(content: object, message: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    codes = tmp_path / "codes.json" if content is None else codes_file(tmp_path, content)
    code, output = run(["cards", str(FIXTURE), "--seats", "alpha_pm,beta_leader", "--codes", str(codes),
                        "--out", str(tmp_path / "cards")], capsys)
    assert code == 1
    assert message in output, output
    assert "Traceback" not in output and not (tmp_path / "cards").exists()


def test_a_diagnostic_points_at_the_bad_seat(tmp_path: Path) -> None:
    path = codes_file(tmp_path, {**CODES, "seats": {"alpha_pm": "ABCD-EFGH", "beta_leader": ["x"]}})
    with pytest.raises(ReportProblem) as problem:
        read_seat_codes(path)
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "beta_leader" in text)
    assert f"codes.json:{line}:5: error: seats.beta_leader:" in problem.value.message
