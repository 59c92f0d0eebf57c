"""The bad-input table: every broken file gets a clear, line-accurate message and never a traceback.

Each row is (fixture, line, regex): some diagnostic of that file must be on that line and its
formatted text (`file:line:col: severity: path: message (hint)`) must match the regex.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from game.scenario.loader import load_scenario
from game.scenario.yaml_reader import MAX_FILE_BYTES

BAD = Path(__file__).resolve().parent.parent / "fixtures" / "bad_scenarios"
REPO = BAD.parent.parent.parent

# Files too big to keep in the repository are written when the test runs.
def _derived_chain(length: int) -> bytes:
    """The minimal scenario with `length` derived variables, each reading the next, the last reading the first."""
    minimal = (BAD.parent / "minimal_scenario.yaml").read_text(encoding="utf-8")
    chain = "".join(
        f"  chain_{i}: {{label: C, initial: 1, derived: chain_{(i + 1) % length}}}\n" for i in range(length)
    )
    return minimal.replace("variables:\n", "variables:\n" + chain, 1).encode()


GENERATED = {
    "oversized.yaml": b"# Bad fixture: over the size limit.\nformat: 1\n" + b"# padding\n" * (MAX_FILE_BYTES // 10 + 1),
    # Far deeper than Python's recursion limit: cycle detection must iterate, not recurse.
    "derived_chain.yaml": _derived_chain(5000),
}

TABLE = [
    ("empty.yaml", 1, r"error: the file is empty"),
    ("not_yaml.yaml", 4, r"not valid YAML: .*expected ',' or '\]'.*starts at line 3"),
    ("binary.yaml", 3, r"this is a binary file, not YAML text"),
    ("not_utf8.yaml", 3, r"not_utf8.yaml:3:8: error: the file is not valid UTF-8"),
    ("top_level_list.yaml", 2, r"the top level must be a mapping"),
    ("multiple_documents.yaml", 61, r"not valid YAML.*single document"),
    ("mapping_for_list.yaml", 62, r"endings: expected a list .*found a mapping"),
    ("python_tag.yaml", 4, r"title: the tag '!!python/object/apply:os.system' is not allowed"),
    ("duplicate_keys.yaml", 52, r"events\[0\]\.title: duplicate key 'title' \(first written at line 51"),
    ("typo_key.yaml", 15, r"variables\.tension\.inital: unknown key 'inital' \(did you mean 'initial'\?\)"),
    ("missing_key.yaml", 58, r"events\[0\]\.choices\[1\]\.label: missing required key 'label'"),
    ("unknown_id.yaml", 50, r"events\[0\]\.owner: unknown role 'japan_p' \(did you mean 'japan_pm'\?\)"),
    ("duplicate_ids.yaml", 61, r"events\[1\]\.id: duplicate event id 'vote'"),
    ("bad_expression.yaml", 53,
     r":53:25: error: events\[0\]\.when: col 15: unknown variable 'tenson' \(did you mean 'tension'\?\)"),
    ("lever_effect.yaml", 57, r"an effect cannot move the lever variable 'lever\.defense_budget'"),
    ("derived_cycle.yaml", 21, r"variables\.approval\.derived: derived variables form a cycle: approval -> approval"),
    ("circular_a.yaml", 4, r"circular_b\.yaml:4:10: error: extends: circular `extends`"),
    ("circular_a.yaml", 4, r"circular_a\.yaml:4:10: error: extends: the base 'circular_b\.yaml' has errors"),
    ("extends_outside.yaml", 4, r"extends: '\.\./minimal_scenario\.yaml' is outside the scenario folders"),
    ("extends_missing.yaml", 4, r"extends: base file 'no_such_base\.yaml' not found"),
    ("oversized.yaml", 1, r"file is too large \(.* bytes; the limit is 1,048,576 bytes\)"),
    ("deep_nesting.yaml", 4, r"nesting is deeper than 64 levels"),
    ("alias_bomb.yaml", 8, r"expands to more than 100,000 values"),
    ("out_of_range.yaml", 15, r"variables\.tension\.initial: initial value 140 is outside the range \[0, 100\]"),
    ("opinion_out_of_range.yaml", 30, r"opinion 145 is outside the range \[0, 100\]"),
    ("negative_drift.yaml", 17, r"tension\.drift: -0\.1 is out of range: it should be greater than or equal to 0"),
    ("bad_date.yaml", 6, r"calendar\.start: '1960-13' is not a month \(write a month as YYYY-MM"),
    ("full_date.yaml", 6, r"calendar\.start: '1960-01-19' is not a month"),
    ("yaml11_bool.yaml", 58, r"choices\[1\]\.id: 'NO' is read as the boolean false in YAML 1\.1 \(quote it: \"NO\"\)"),
    ("yaml11_bool_key.yaml", 12, r"actors\.NO: the key 'NO' is read as the boolean false"),
    # Hardening: what used to raise, or to validate silently.
    ("tagged_bool.yaml", 47, r":47:15: error: roles\.us_president\.playable: cannot read 'maybe' as !!bool"),
    ("tagged_int_empty.yaml", 6, r"calendar\.turns: cannot read '' as !!int"),
    ("tagged_float_empty.yaml", 17, r"variables\.tension\.drift: cannot read '' as !!float"),
    ("tagged_map_key.yaml", 13, r":13:3: error: variables: a key must be plain text \(remove the tag '!!map'\)"),
    ("tagged_seq_value.yaml", 9, r"actors: the tag '!!seq' cannot be put on a mapping"),
    ("derived_chain.yaml", 13,
     r"chain_0\.derived: .* cycle: chain_0 -> .* \(5,000 variables in all\) -> chain_4999 -> chain_0 "),
    ("nan_as_text.yaml", 17, r"variables\.tension\.drift: expected a number, found the text 'nan' \(numbers must be"),
    ("inf_as_text.yaml", 35, r":35:58: error: influences\[0\]\.weight: expected a number, found the text 'inf'"),
    ("huge_range.yaml", 41, r"levers\.defense_budget\.range\[1\]: 1e\+308 is too large: .* within ±1e\+12"),
    ("huge_points.yaml", 43, r"objectives\[0\]\.points: 1e\+300 is too large"),
    ("huge_cooldown.yaml", 54, r"events\[0\]\.cooldown: .* should be less than or equal to 400"),
    ("quoted_number.yaml", 6, r"calendar\.turns: expected a whole number, found the text '12' \(remove the quotes"),
    ("true_as_count.yaml", 6, r"calendar\.turns: expected a whole number, found the boolean true"),
    ("control_character.yaml", 4, r":4:16: error: title: the text holds the control character U\+0007"),
    ("nul_escape.yaml", 5, r"summary: the text holds the control character U\+0000"),
    ("chance_above_one.yaml", 54, r":54:13: error: events\[0\]\.chance: chance 1\.5 is not a probability"),
    ("chance_negative.yaml", 54, r"events\[0\]\.chance: chance -0\.5 is not a probability"),
    ("negative_weight.yaml", 60, r"events\[0\]\.choices\[1\]\.weight: weight -1 is negative"),
]


def _fixture(name: str, tmp_path: Path) -> Path:
    if name in GENERATED:
        path = tmp_path / name
        path.write_bytes(GENERATED[name])
        return path
    return BAD / name


@pytest.mark.parametrize(("fixture", "line", "pattern"), TABLE, ids=[f"{row[0]}:{row[1]}" for row in TABLE])
def test_bad_input_table(fixture: str, line: int, pattern: str, tmp_path: Path) -> None:
    path = _fixture(fixture, tmp_path)
    result = load_scenario(path, roots=[path.parent])
    assert not result.ok and result.scenario is None
    formatted = [d.format() for d in result.diagnostics if d.line == line]
    assert any(re.search(pattern, text) for text in formatted), "\n".join(d.format() for d in result.diagnostics)


def test_every_fixture_file_is_in_the_table() -> None:
    named = {row[0] for row in TABLE}
    assert {p.name for p in BAD.iterdir()} - named == {"circular_b.yaml"}


@pytest.mark.slow  # a subprocess per fixture
@pytest.mark.parametrize("fixture", ["python_tag.yaml", "bad_expression.yaml", "circular_a.yaml", "binary.yaml"])
def test_validate_command_reports_without_traceback(fixture: str, data_dir: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "main.py", "validate", "--data-dir", str(data_dir), str(BAD / fixture)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert f"{fixture}:" in completed.stdout and ": error: " in completed.stdout
    assert completed.stdout.rstrip().splitlines()[-1].startswith("1 file checked: ")


@pytest.mark.slow  # a subprocess
def test_validate_command_checks_a_whole_folder_of_bad_files(data_dir: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "main.py", "validate", "--data-dir", str(data_dir), "--format", "json", str(BAD)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 1 and "Traceback" not in completed.stderr
    report = json.loads(completed.stdout)
    files = {Path(d["file"]).name for d in report["diagnostics"]}
    assert files >= {p.name for p in BAD.iterdir()}
    assert report["summary"]["files"] == len(list(BAD.iterdir()))
