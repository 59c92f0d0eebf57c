"""`python main.py simulate` plays every shipped scenario to an ending under every policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main
from game.scenario.catalog import discover

pytestmark = pytest.mark.slow  # every shipped scenario under every policy

SHIPPED = sorted(e.scenario_id for e in discover() if e.shipped and e.result.scenario is not None)


def test_every_shipped_scenario_is_found() -> None:
    assert len(SHIPPED) >= 8, SHIPPED


@pytest.mark.parametrize("policy", ["random", "first", "historical", "advisor"])
@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_simulate_plays_every_shipped_scenario_to_an_ending(
    scenario_id: str, policy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "runs.json"
    runs = 2 if policy == "advisor" else 20
    code = main(["simulate", scenario_id, "--runs", str(runs), "--seed", "7", "--policy", policy,
                 "--out", str(out), "--quiet"])
    assert code == 0
    data = json.loads(out.read_text("utf-8"))
    games = data["results"]
    assert len(games) == runs
    assert all(game["ending"] for game in games), "every game reaches an ending by the end of the calendar"
    summary = capsys.readouterr().out
    assert "ending" in summary.lower()
