"""The command line never prints a traceback for a user's situation; exit codes 0 / 1 / 2 / 130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # subprocesses of the command line

REPO = Path(__file__).resolve().parent.parent
MINIMAL = REPO / "tests" / "fixtures" / "minimal_scenario.yaml"
BAD = REPO / "tests" / "fixtures" / "bad_scenarios" / "chance_negative.yaml"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "main.py", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120, env=env)


@pytest.mark.parametrize(("where", "message"), [
    ("folder", "is a folder; name a file inside it"),
    ("under_a_file", "a file stands where its folder should be"),
])
def test_simulate_checks_out_before_the_run(tmp_path: Path, where: str, message: str) -> None:
    (tmp_path / "runs.json").mkdir()
    (tmp_path / "plain").write_text("x", "utf-8")
    out = tmp_path / "runs.json" if where == "folder" else tmp_path / "plain" / "runs.json"
    completed = run("simulate", str(MINIMAL), "--runs", "3", "--quiet", "--out", str(out))
    assert completed.returncode == 2 and "Traceback" not in completed.stderr
    assert message in completed.stderr
    assert completed.stdout == ""  # refused before anything ran


def test_simulate_refuses_more_runs_than_memory_allows() -> None:
    completed = run("simulate", str(MINIMAL), "--runs", "100000000000", "--quiet")
    assert completed.returncode == 2 and "Traceback" not in completed.stderr
    assert "at most 10,000,000 runs of its 5 variables (runs × variables ≤ 50,000,000)" in completed.stderr


def test_simulate_of_a_scenario_with_errors_exits_1() -> None:
    completed = run("simulate", str(BAD), "--runs", "2", "--quiet")
    assert completed.returncode == 1 and "Traceback" not in completed.stderr
    assert "chance -0.5 is not a probability" in completed.stderr


def test_screenshot_into_a_folder_is_refused(tmp_path: Path) -> None:
    completed = run("screenshot", "--out", str(tmp_path))
    assert completed.returncode == 2 and "Traceback" not in completed.stderr
    assert "is a folder; name a file inside it" in completed.stderr


@pytest.mark.slow
def test_ctrl_c_exits_130_with_a_line() -> None:
    process = subprocess.Popen(
        [sys.executable, "main.py", "simulate", "example_alliance", "--runs", "500", "--policy", "advisor", "--quiet"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(4)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip().splitlines()[-1] == "interrupted" and "Traceback" not in err


def test_a_closed_pipe_prints_nothing() -> None:
    """`validate --format json ... | head -c0`: the reader is gone before the first write."""
    process = subprocess.Popen(
        [sys.executable, "main.py", "validate", "--format", "json", str(REPO / "tests" / "fixtures" / "bad_scenarios")],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read().decode()
    process.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err
    assert process.returncode == 141


def test_a_console_that_cannot_encode_the_text_gets_escapes(tmp_path: Path) -> None:
    japanese = tmp_path / "ja.yaml"
    japanese.write_text(MINIMAL.read_text("utf-8").replace("turns: 12", 'turns: "十二"'), "utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    completed = run("validate", str(japanese), env=env)
    assert "Traceback" not in completed.stderr
    assert completed.returncode == 1 and "1 file checked" in completed.stdout
    assert "found the text '\\u5341\\u4e8c'" in completed.stdout  # 十二, escaped for an ASCII console


def test_validate_of_a_missing_path_is_a_usage_error() -> None:
    completed = run("validate", "no/such/file.yaml")
    assert completed.returncode == 2 and "no such file or folder" in completed.stderr
