"""`expectations:` in the format and `python main.py test-scenario`: shipped scenarios pass, a broken
expectation fails at its line with the measured value, bad expectations are load diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.analysis.expectations import check_expectations, history_check_expectations
from game.cli import main
from game.engine.compiled import compile_scenario
from game.scenario.catalog import discover, find_scenario
from game.scenario.loader import load_scenario

pytestmark = pytest.mark.slow  # hundreds of seeded games per expectation

# A mod that is a variant of a shipped scenario: its expectations come after the 3 it inherits (by id).
INHERITED = 3
VARIANT = """\
format: 1
id: example_expectations
extends: example_alliance
title: Expectations under test
expectations:
  - id: status_quo_is_rare
    policy: historical
    runs: 100
    seed: 3
    ending: uneasy_status_quo
    share: [0.95, 1]
  - id: tension_stays_moderate
    policy: random
    runs: 50
    variable: tension
    median: [0, 100]
"""


def write(folder: Path, text: str, name: str = "variant.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow
def test_every_shipped_scenario_declares_expectations_and_meets_them(capsys: pytest.CaptureFixture[str]) -> None:
    shipped = [e for e in discover() if e.shipped]
    assert all(e.result.scenario is not None and e.result.scenario.expectations for e in shipped)
    assert main(["test-scenario"]) == 0
    out = capsys.readouterr().out
    assert f"{len(shipped)} scenarios tested, 0 failed" in out


def test_a_broken_expectation_fails_at_its_line_with_the_measured_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, VARIANT)
    assert main(["test-scenario", str(path)]) == 1
    out = capsys.readouterr().out
    [failure] = [line for line in out.splitlines() if ": error: " in line]
    assert failure.startswith(f"{path}:11:12: error: expectations[3].share: share of ending 'uneasy_status_quo' is 0.")
    assert "outside [0.95, 1] (historical policy, 100 runs, seed 3)" in failure
    assert "FAIL" in out and "4/5 expectations held" in out and "1 scenario tested, 1 failed" in out


def test_a_passing_mod_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, VARIANT.replace("share: [0.95, 1]", "share: [0, 1]"))
    assert main(["test-scenario", str(tmp_path)]) == 0
    assert "ok   " in capsys.readouterr().out


def test_the_measured_share_is_the_share_of_games(tmp_path: Path) -> None:
    result = load_scenario(write(tmp_path, VARIANT))
    assert result.scenario is not None
    results = check_expectations(compile_scenario(result.scenario), result.scenario.expectations)
    assert all(r.passed for r in results[:INHERITED])
    [share, median] = results[INHERITED:]
    assert share.measured * 100 == pytest.approx(round(share.measured * 100))  # k of 100 games
    assert not share.passed and median.passed and 0 <= median.measured <= 100


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        ("    ending: uneasy_status_quo\n    share: [0.95, 1]\n    variable: tension\n    median: [0, 100]\n",
         6, "measures either `ending` with `share`, or `variable`"),
        ("    ending: uneasy_status_quo\n", 6, "needs both `ending` and `share"),
        ("    ending: no_such_ending\n    share: [0.1, 0.2]\n", 10, "unknown ending 'no_such_ending'"),
        ("    ending: uneasy_status_quo\n    share: [0.9, 0.1]\n", 6, "the minimum is above the maximum"),
    ],
)
def test_bad_expectations_are_load_diagnostics(tmp_path: Path, change: str, line: int, message: str) -> None:
    text = VARIANT.replace("    ending: uneasy_status_quo\n    share: [0.95, 1]\n", change)
    result = load_scenario(write(tmp_path, text))
    assert result.scenario is None
    assert any(d.line == line and message in d.message for d in result.diagnostics), \
        [d.format() for d in result.diagnostics]


def test_a_scenario_that_does_not_load_fails_and_a_missing_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = write(tmp_path, VARIANT.replace("policy: random", "policy: advisor"))
    assert main(["test-scenario", str(broken)]) == 1
    assert "does not load" in capsys.readouterr().out
    assert main(["test-scenario", str(tmp_path / "missing.yaml")]) == 2


def test_history_check_becomes_expectations() -> None:
    scenario = find_scenario("anpo_1960").scenario
    assert scenario is not None and scenario.history_check is not None
    expectations = history_check_expectations(scenario, scenario.history_check)
    assert [(e.ending, e.share) for e in expectations[:1]] == [(["kishi_steps_down"], (0.6, 1.0))]
    assert {e.variable: e.median for e in expectations[1:]} == dict(scenario.history_check.variables)
