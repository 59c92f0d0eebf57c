"""`python main.py serve` refuses bad input with one line and exit code 1, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main
from tests.server.conftest import FIXTURE


@pytest.mark.parametrize(("args", "said"), [
    (["serve"], "give a SCENARIO and --seats"),
    (["serve", "no_such_scenario", "--seats", "a"], "no scenario with the id"),
    (["serve", str(FIXTURE), "--seats", "alpha_pm,nobody"], "nobody"),
    (["serve", str(FIXTURE), "--seats", "alpha_pm,beta_leader", "--turn-minutes", "0"], "more than 0"),
    (["serve", "--resume", "QQQQQQ"], "No room QQQQQQ to resume"),
])
def test_serve_problems_exit_1_with_a_message(args: list[str], said: str, data_dir: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data_dir), *args]) == 1
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
