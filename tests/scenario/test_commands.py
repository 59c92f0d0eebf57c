"""The modder commands: validate, schema, new-scenario (called through `game.cli.main`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from game.cli import main
from game.scenario.loader import load_scenario
from game.scenario.schema import scenario_json_schema

MINIMAL = Path(__file__).resolve().parent.parent / "fixtures" / "minimal_scenario.yaml"


def test_validate_defaults_to_shipped_scenarios_and_mods(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(MINIMAL, data_dir / "mods" / "mine.yaml")
    assert main(["validate", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "checked: 0 errors, 0 warnings" in out[-1]
    assert int(out[-1].split()[0]) >= 2


def test_validate_text_output_is_sorted_with_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = MINIMAL.read_text().replace("owner: japan_pm", "owner: japan").replace("turns: 12", "turns: 0")
    (tmp_path / "broken.yaml").write_text(broken, encoding="utf-8")
    shutil.copy(MINIMAL, tmp_path / "good.yaml")
    assert main(["validate", "--data-dir", str(tmp_path / "data"), str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("broken.yaml:6:50: error: calendar.turns: 0 is out of range: "
                             "it should be greater than or equal to 1")
    assert lines[-1] == "2 files checked: 1 error, 0 warnings"


def test_validate_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = MINIMAL.read_text().replace("owner: japan_pm", "owner: japan_p")
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    assert main(["validate", "--format", "json", "--data-dir", str(tmp_path), str(tmp_path / "s.yaml")]) == 1
    report = json.loads(capsys.readouterr().out)
    [problem] = report["diagnostics"]
    assert problem["line"] == 50 and problem["hint"] == "did you mean 'japan_pm'?"
    assert report["summary"] == {"files": 1, "errors": 1, "warnings": 0, "infos": 0,
                                 "text": "1 file checked: 1 error, 0 warnings"}


def test_validate_a_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_schema_command_prints_a_draft_2020_12_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"].startswith("Alliance Desk scenario")
    influence = schema["$defs"]["Influence"]["properties"]
    assert "from" in influence and "to" in influence and "source" not in influence
    assert schema["else"]["else"]["required"][:3] == ["format", "id", "title"]
    assert schema["else"]["then"]["required"] == ["format", "id"]
    assert schema["then"]["required"] == ["format", "id", "abstract"]
    assert schema["additionalProperties"] is False


def test_schema_accepts_the_minimal_scenario_and_rejects_a_typo() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from game.scenario.yaml_reader import read_yaml_text

    validator = jsonschema.Draft202012Validator(scenario_json_schema())
    data = read_yaml_text(MINIMAL.read_text(), "m.yaml").data
    assert list(validator.iter_errors(data)) == []
    assert data is not None
    del data["map"]["view"]
    assert [e.message for e in validator.iter_errors(data)] == ["'view' is a required property"]
    data["extends"] = "bases/kit.yaml"  # the base may supply it
    assert list(validator.iter_errors(data)) == []
    data["variables"]["tension"]["inital"] = 3
    assert list(validator.iter_errors(data))


def test_schema_accepts_every_shipped_file_including_bases() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from game.resources import scenarios_dir
    from game.scenario.catalog import scenario_files
    from game.scenario.yaml_reader import read_yaml_text

    validator = jsonschema.Draft202012Validator(scenario_json_schema())
    for path in scenario_files(scenarios_dir()):
        data = read_yaml_text(path.read_text(encoding="utf-8"), path.name).data
        assert [e.message for e in validator.iter_errors(data)] == [], path.name


def test_new_scenario_writes_a_starter_that_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new-scenario", "senkaku-crisis"]) == 0
    path = tmp_path / "senkaku-crisis.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    result = load_scenario(path, roots=[tmp_path])
    assert result.diagnostics == () and result.scenario is not None
    assert result.scenario.id == "senkaku_crisis"
    assert main(["new-scenario", "senkaku-crisis"]) == 2
    assert "already exists" in capsys.readouterr().err
    path.write_text("changed", encoding="utf-8")
    assert main(["new-scenario", "senkaku-crisis", "--force"]) == 0
    assert path.read_text(encoding="utf-8") == text


def test_new_scenario_with_a_path_and_a_bad_name(tmp_path: Path) -> None:
    assert main(["new-scenario", str(tmp_path / "mine.yaml")]) == 0
    assert load_scenario(tmp_path / "mine.yaml").ok
    assert main(["new-scenario", str(tmp_path / "9lives")]) == 2
    assert main(["new-scenario", str(tmp_path / "missing" / "x.yaml")]) == 2


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_starters_crisis_comes_up_for_the_player_within_two_turns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """The tutorial in docs/modding.md has the player decide the crisis; it used to wait for tension > 45
    while tension sat at 40, so it never came."""
    from game.play.session import Session

    monkeypatch.chdir(tmp_path)
    assert main(["new-scenario", "first_crisis"]) == 0
    result = load_scenario(tmp_path / "first_crisis.yaml", roots=[tmp_path])
    session = Session.start(result, "leader", seed)
    for _ in range(2):
        if session.pending_decisions("leader"):
            break
        session.end_turn()
    assert [d.event_id for d in session.pending_decisions("leader")] == ["crisis"]
