"""The catalog: shipped scenarios plus mods, broken files listed, lookups by id and path, content hashes."""

from __future__ import annotations

import shutil
from pathlib import Path

from game.scenario.catalog import content_hash, discover, find_scenario
from game.scenario.loader import mods_dir

MINIMAL = Path(__file__).resolve().parent.parent / "fixtures" / "minimal_scenario.yaml"


def _mods(data_dir: Path) -> Path:
    folder = mods_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_discover_lists_shipped_scenarios_and_mods_and_keeps_broken_ones(data_dir: Path) -> None:
    mods = _mods(data_dir)
    shutil.copy(MINIMAL, mods / "minimal.yaml")
    (mods / "nested").mkdir()
    (mods / "nested" / "broken.yml").write_text("format: 1\nid: broken\ntitle: [\n", encoding="utf-8")
    (mods / "kit.yaml").write_text("format: 1\nid: kit\nabstract: true\n", encoding="utf-8")
    entries = discover(data_dir)
    shipped = [e for e in entries if e.shipped]
    assert shipped and all(e.result.ok for e in shipped)
    assert all(not e.result.abstract for e in entries)
    by_name = {e.path.name: e for e in entries if not e.shipped}
    assert set(by_name) == {"minimal.yaml", "broken.yml"}
    assert by_name["minimal.yaml"].result.ok
    broken = by_name["broken.yml"]
    assert not broken.result.ok and broken.scenario_id == "broken"
    assert broken.result.diagnostics[0].line == 4


def test_a_mod_reusing_an_id_gets_a_warning(data_dir: Path) -> None:
    mods = _mods(data_dir)
    shutil.copy(MINIMAL, mods / "a.yaml")
    shutil.copy(MINIMAL, mods / "b.yaml")
    [second] = [e for e in discover(data_dir) if e.path.name == "b.yaml"]
    assert any(d.severity == "warning" and "also used by" in d.message for d in second.result.diagnostics)


def test_find_scenario_by_id_path_and_typo(data_dir: Path) -> None:
    shutil.copy(MINIMAL, _mods(data_dir) / "minimal.yaml")
    by_id = find_scenario("minimal", data_dir)
    assert by_id.scenario is not None and by_id.scenario.id == "minimal"
    by_path = find_scenario(str(MINIMAL), data_dir)
    assert by_path.scenario is not None
    typo = find_scenario("minimall", data_dir)
    assert typo.scenario is None
    [problem] = typo.diagnostics
    assert problem.message == "no scenario with the id 'minimall'" and problem.hint == "did you mean 'minimal'?"
    missing = find_scenario("nowhere/x.yaml", data_dir)
    assert missing.scenario is None and "no scenario file" in missing.diagnostics[0].message


def test_content_hash_covers_the_bases(tmp_path: Path) -> None:
    base = tmp_path / "kit.yaml"
    base.write_text("format: 1\nid: kit\nabstract: true\n", encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("format: 1\nid: child\nextends: kit.yaml\n", encoding="utf-8")
    first = content_hash(child)
    assert first == content_hash(child) and len(first) == 64
    base.write_text("format: 1\nid: kit\nabstract: true\ntitle: changed\n", encoding="utf-8")
    assert content_hash(child) != first
