"""Hostile input: files the OS makes strange, YAML 1.1 number traps, broken mods, hint floods.

`TABLE` lists the fixtures kept in git (tests/fixtures/hostile) with the severity and message each
must get; `MADE` lists what cannot live in git (FIFOs, devices, symlink loops, over-long names,
unreadable files), made in tmp_path by the tests. Every row must load without an exception and
give its diagnostic at `file:line:col`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from game.scenario.catalog import discover, find_scenario
from game.scenario.diagnostics import MAX_HINTS
from game.scenario.loader import load_scenario, load_scenario_text

pytestmark = pytest.mark.slow  # FIFOs, devices, huge sparse files and subprocesses

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile"
MINIMAL = HOSTILE.parent / "minimal_scenario.yaml"
REPO = HOSTILE.parent.parent.parent

TABLE = [  # fixture, severity, regex over the formatted diagnostic
    ("octal_number.yaml", "warning",
     r"octal_number\.yaml:15:14: warning: variables\.tension\.initial: '012' is read as the octal number 10"),
    ("sexagesimal_number.yaml", "warning",
     r":35:71: warning: influences\[0\]\.pivot: '1:30' is read as the base-60 \(sexagesimal\) number 90"),
    ("broken_mod.yaml", "error", r"broken_mod\.yaml:5:1: error: not valid YAML"),
    ("raising_mod.yaml", "error", r":47:15: error: roles\.us_president\.playable: cannot read 'maybe' as !!bool"),
]


@pytest.mark.parametrize(("fixture", "severity", "pattern"), TABLE, ids=[row[0] for row in TABLE])
def test_hostile_fixture_table(fixture: str, severity: str, pattern: str) -> None:
    result = load_scenario(HOSTILE / fixture, roots=[HOSTILE])
    matching = [d for d in result.diagnostics if re.search(pattern, d.format())]
    assert matching and matching[0].severity == severity, "\n".join(d.format() for d in result.diagnostics)


def test_every_hostile_fixture_is_in_the_table() -> None:
    assert {p.name for p in HOSTILE.iterdir()} == {row[0] for row in TABLE}


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _loop(path: Path) -> None:
    path.symlink_to(path)


def _folder(path: Path) -> None:
    path.mkdir()


def _unreadable(path: Path) -> None:
    path.write_text(MINIMAL.read_text("utf-8"), "utf-8")
    path.chmod(0)


def _sparse_huge(path: Path) -> None:
    with open(path, "wb") as out:
        out.truncate(50 * 1024 * 1024)  # takes no disk; reading it would take 50 MB


MADE: list[tuple[str, Callable[[Path], None], str]] = [
    ("fifo.yaml", _fifo, r"cannot read the file: it is a named pipe \(FIFO\), not a regular file"),
    ("loop.yaml", _loop, r"cannot read the file: its symbolic links form a loop"),
    ("folder.yaml", _folder, r"cannot read the file: it is a folder, not a regular file"),
    ("huge.yaml", _sparse_huge, r"file is too large \(52,428,800 bytes; the limit is 1,048,576 bytes\)"),
    ("unreadable.yaml", _unreadable, r"cannot read the file: permission denied"),
]


@pytest.mark.parametrize(("name", "make", "pattern"), MADE, ids=[row[0] for row in MADE])
def test_files_the_os_makes_strange_get_a_diagnostic(tmp_path: Path, name: str, make: Callable[[Path], None],
                                                     pattern: str) -> None:
    path = tmp_path / name
    make(path)
    if name == "unreadable.yaml" and os.access(path, os.R_OK):
        pytest.skip("running as root: a 0o000 file is still readable, so permission denied cannot be produced")
    result = load_scenario(path, roots=[tmp_path])
    assert result.scenario is None
    assert any(re.search(pattern, d.format()) and d.line == 1 for d in result.diagnostics), result.diagnostics


def test_a_device_and_an_over_long_name_get_a_diagnostic(tmp_path: Path) -> None:
    device = load_scenario(Path("/dev/zero"), roots=[tmp_path])  # reading it would never end
    assert "it is a device, not a regular file" in device.diagnostics[0].format()
    long_name = load_scenario(tmp_path / ("x" * 300 + ".yaml"), roots=[tmp_path])
    assert "its name is too long for this system" in long_name.diagnostics[0].format()


def test_a_base_that_is_a_fifo_is_reported_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "base.yaml")
    child = tmp_path / "child.yaml"
    child.write_text(MINIMAL.read_text("utf-8").replace("id: minimal", "id: child\nextends: base.yaml"), "utf-8")
    text = "\n".join(d.format() for d in load_scenario(child, roots=[tmp_path]).diagnostics)
    assert "base.yaml:1:1: error: cannot read the file: it is a named pipe" in text


def _mods(data_dir: Path) -> Path:
    mods = data_dir / "mods"
    for fixture in ("broken_mod.yaml", "raising_mod.yaml"):
        (mods / fixture).write_bytes((HOSTILE / fixture).read_bytes())
    os.mkfifo(mods / "pipe.yaml")
    (mods / "loop.yaml").symlink_to(mods / "loop.yaml")
    return mods


def test_the_catalogue_lists_broken_mods_with_their_diagnostics_and_keeps_the_rest(data_dir: Path) -> None:
    _mods(data_dir)
    entries = {entry.path.name: entry for entry in discover(data_dir)}
    assert {"broken_mod.yaml", "raising_mod.yaml", "pipe.yaml", "loop.yaml"} <= entries.keys()
    assert entries["broken_mod.yaml"].scenario_id == "broken_mod"  # the id, read from the text
    assert entries["raising_mod.yaml"].scenario_id == "raising_mod"
    assert all(not entries[name].result.ok for name in ("broken_mod.yaml", "raising_mod.yaml", "pipe.yaml"))
    shipped = [e for e in entries.values() if e.shipped]
    assert shipped and all(e.result.scenario is not None for e in shipped)


@pytest.mark.parametrize("mod_id", ["broken_mod", "raising_mod"])
def test_a_broken_mod_named_by_id_shows_its_diagnostics(data_dir: Path, mod_id: str) -> None:
    _mods(data_dir)
    result = find_scenario(mod_id, data_dir)
    assert result.scenario is None
    text = "\n".join(d.format() for d in result.diagnostics)
    assert f"{mod_id}.yaml:" in text and "no scenario with the id" not in text


@pytest.mark.parametrize("command", ["validate", "simulate"])
def test_commands_on_a_broken_mod_id_print_its_diagnostics_and_exit_1(data_dir: Path, command: str) -> None:
    _mods(data_dir)
    args = [sys.executable, "main.py", command, "--data-dir", str(data_dir), "broken_mod"]
    completed = subprocess.run([*args, *(["--runs", "2", "--quiet"] if command == "simulate" else [])],
                               cwd=REPO, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr
    assert "broken_mod.yaml:5:1: error: not valid YAML" in completed.stdout + completed.stderr


def test_validate_with_broken_mods_goes_on_with_the_rest(data_dir: Path) -> None:
    _mods(data_dir)
    completed = subprocess.run([sys.executable, "main.py", "validate", "--data-dir", str(data_dir)],
                               cwd=REPO, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 1 and "Traceback" not in completed.stderr
    assert "pipe.yaml:1:1: error: cannot read the file: it is a named pipe" in completed.stdout
    assert "loop.yaml:1:1: error: cannot read the file: its symbolic links form a loop" in completed.stdout
    shipped = len(list((REPO / "scenarios").rglob("*.yaml")))
    assert f"{shipped + 4} files checked:" in completed.stdout


def test_validate_on_an_empty_folder_says_so_and_exits_1(tmp_path: Path, data_dir: Path) -> None:
    completed = subprocess.run([sys.executable, "main.py", "validate", "--data-dir", str(data_dir), str(tmp_path)],
                               cwd=REPO, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 1
    assert "no scenario files (*.yaml, *.yml) in this folder" in completed.stdout


def test_did_you_mean_hints_are_capped_per_file() -> None:
    minimal = MINIMAL.read_text("utf-8")
    influences = "".join(f"  - {{from: tensoin, to: tension, weight: 0.{i + 1}}}\n" for i in range(MAX_HINTS + 50))
    result = load_scenario_text(minimal.replace("influences:\n", "influences:\n" + influences, 1))
    unknown = [d for d in result.diagnostics if "unknown variable 'tensoin'" in d.message]
    assert len(unknown) == MAX_HINTS + 50  # every problem is still reported ...
    assert sum(1 for d in unknown if d.hint == "did you mean 'tension'?") == MAX_HINTS  # ... the first with a hint


def test_did_you_mean_finds_a_misspelling_among_thousands_of_names() -> None:
    minimal = MINIMAL.read_text("utf-8")
    names = "".join(f"  measure_{i:05d}: {{label: M, initial: 1}}\n" for i in range(3000))
    text = minimal.replace("variables:\n", "variables:\n" + names, 1).replace("from: tension", "from: measrue_01234")
    hints = [d.hint for d in load_scenario_text(text).diagnostics if "measrue_01234" in d.message]
    assert hints == ["did you mean 'measure_01234'?"]


def test_opinion_groups_times_issues_is_limited() -> None:
    minimal = MINIMAL.read_text("utf-8")
    issues = "".join(f"    issue_{i}: {{label: I}}\n" for i in range(200))
    groups = "".join(f"    group_{g}: {{label: G, actor: japan, weight: 1, initial: {{}}}}\n" for g in range(200))
    text = minimal.replace("  issues:\n", "  issues:\n" + issues, 1).replace("  groups:\n", "  groups:\n" + groups, 1)
    formatted = [d.format() for d in load_scenario_text(text).diagnostics]
    assert any(re.search(r"opinion: 201 groups × 201 issues would generate 40,401 opinion variables; "
                         r"the limit is 10,000", f) for f in formatted), formatted
