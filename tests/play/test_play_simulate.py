"""`python main.py simulate` in a subprocess: every policy, reproducible files, summary, clear errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from game.cli import main
from game.engine.compiled import compile_scenario
from game.engine.turn import TurnInput, policy_choices, resolve_turn
from game.engine.world import new_world, world_keys
from game.scenario.models import Scenario

REPO = Path(__file__).resolve().parents[2]


def simulate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", "simulate", *args],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )


def simulate_here(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The same command in this process (no interpreter start-up): exit code, stdout, stderr."""
    code = main(["simulate", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.slow  # subprocesses of simulate
@pytest.mark.parametrize("policy", ["random", "first", "historical", "advisor"])
def test_same_seed_gives_identical_files_and_different_seeds_differ(
    policy: str, two_desks_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    runs = "3" if policy == "advisor" else "40"
    common = [str(two_desks_path), "--runs", runs, "--policy", policy, "--quiet"]
    done = simulate(*common, "--seed", "7", "--out", str(tmp_path / "a.json"))
    assert done.returncode == 0, done.stderr
    assert f"policy {policy}" in done.stdout
    for name, seed in [("b.json", "7"), ("c.json", "8"), ("d.csv", "7")]:
        code, out, err = simulate_here(capsys, *common, "--seed", seed, "--out", str(tmp_path / name))
        assert code == 0, err
        assert out.startswith("Two Desks (test fixture)")
    outputs = {path.stem: path.read_bytes() for path in tmp_path.iterdir()}
    assert outputs["a"] == outputs["b"]
    assert outputs["a"] != outputs["c"]

    data = json.loads(outputs["a"])
    assert data["scenario"] == "two_desks" and data["seed"] == 7 and data["policy"] == policy
    assert len(data["results"]) == int(runs)
    first = data["results"][0]
    assert set(first["final"]) >= {"tension", "credibility", "lever.defense_budget", "opinion.voters.government"}
    assert first["ending"] in {"steady", "drift", "war", "cabinet_falls"}
    assert set(first["score"]) == {"alpha_pm"}
    assert sum(data["endings"].values()) == int(runs)

    rows = list(csv.DictReader(io.StringIO(outputs["d"].decode("utf-8"))))
    assert len(rows) == int(runs)
    assert float(rows[0]["tension"]) == first["final"]["tension"]  # the CSV holds the same runs
    assert rows[0]["ending"] == first["ending"]
    assert float(rows[0]["score.alpha_pm"]) == first["score"]["alpha_pm"]["percent"]


def test_historical_policy_follows_the_history_notes(two_desks_path: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    finals = {}
    for policy in ["historical", "random"]:
        out = tmp_path / f"{policy}.json"
        code, _, err = simulate_here(capsys, str(two_desks_path), "--runs", "30", "--policy", policy,
                                     "--out", str(out), "--quiet")
        assert code == 0, err
        finals[policy] = [r["final"]["credibility"] for r in json.loads(out.read_text("utf-8"))["results"]]
    # Standing firm in the crisis (the history note's choice) lifts credibility in every world.
    assert sum(finals["historical"]) / 30 > sum(finals["random"]) / 30


def test_summary_table_lists_key_variables_and_endings(two_desks_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = simulate_here(capsys, str(two_desks_path), "--runs", "30", "--turns", "8", "--seed", "3",
                                   "--quiet")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Two Desks (test fixture) (two_desks): 30 runs × 8 turns, seed 3, policy random"
    header = next(line for line in lines if line.startswith("variable"))
    assert header.split() == ["variable", "mean", "p10", "p50", "p90"]
    assert any(line.startswith("Regional tension") for line in lines)
    assert any(line.startswith("Alliance credibility") for line in lines)
    assert not any(line.startswith("Budget strain") for line in lines)  # not a key variable
    assert "endings" in lines
    counts = [int(line.split()[1]) for line in lines[lines.index("endings") + 1:]]
    assert sum(counts) == 30
    assert err == ""  # --quiet, and stderr is not a terminal: no progress bar


def test_short_runs_report_games_still_going(two_desks_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = simulate_here(capsys, str(two_desks_path), "--runs", "5", "--turns", "2", "--quiet")
    assert code == 0, err
    assert "none" in out and "still going" in out


@pytest.mark.slow  # subprocesses of simulate
def test_unknown_scenario_exits_2_with_did_you_mean(two_desks_path: Path, tmp_path: Path) -> None:
    mods = tmp_path / "mods"
    mods.mkdir()
    (mods / "two_desks.yaml").write_bytes(two_desks_path.read_bytes())
    done = subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(tmp_path), "simulate", "two_desk", "--quiet"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 2
    assert "no scenario with the id 'two_desk'" in done.stderr
    assert "did you mean 'two_desks'?" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--runs", "0"], "--runs must be at least 1"),
        (["--turns", "0"], "--turns must be at least 1"),
        (["--out", "results.txt"], "--out must name a .json or .csv file"),
        (["--seed", "-3"], "--seed must be 0 or more"),
    ],
    ids=["runs", "turns", "out", "seed"],
)
def test_bad_arguments_exit_2(two_desks_path: Path, args: list[str], message: str,
                              capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = simulate_here(capsys, str(two_desks_path), *args)
    assert code == 2
    assert message in err


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("random", {"stand_firm", "back_down"}), ("first", {"stand_firm"}), ("historical", {"stand_firm"})],
)
def test_policies_answer_each_world(two_desks: Scenario, policy: str, expected: set[str]) -> None:
    compiled = compile_scenario(two_desks)
    state = new_world(compiled, 200, world_keys(np.random.default_rng(4), 200))
    inputs = TurnInput(human_roles=frozenset({"alpha_pm"}))
    for _ in range(2):
        resolve_turn(compiled, state, inputs)
    forced = policy_choices(compiled, state, frozenset({"alpha_pm"}), policy)
    decision = compiled.decisions[compiled.decision_index["crisis"]]
    picked = {decision.choices[i].id for i in forced["crisis"].tolist()}
    assert picked == expected
    if policy == "random":
        share = float(np.mean(forced["crisis"] == 0))
        assert 0.35 < share < 0.65  # about half the worlds each way
        alone = new_world(compiled, 1, state.keys[7:8].copy())
        for _ in range(2):
            resolve_turn(compiled, alone, inputs)
        # A world's draw does not depend on the batch it runs in.
        assert policy_choices(compiled, alone, frozenset({"alpha_pm"}), policy)["crisis"][0] == forced["crisis"][7]
