"""Loading: validation errors mapped to positions, and `extends:` merging with positions kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario.loader import load_overlaid, load_scenario, load_scenario_text
from game.scenario.models import Scenario
from game.scenario.yaml_reader import read_yaml_text

REPO = Path(__file__).resolve().parents[2]
MINIMAL = REPO / "tests" / "fixtures" / "minimal_scenario.yaml"

BASE = """\
format: 1
id: kit
abstract: true
title: Shared kit
sources:
  - {id: poll, title: A poll}
actors:
  japan: {name: Japan, iso: [JPN]}
  us: {name: United States, iso: [USA]}
roles:
  pm: {actor: japan, title: Prime Minister}
events:
  - {id: first, owner: pm, title: First, text: One., date: "1960-02", choices: [{id: ok, label: OK}]}
  - {id: second, owner: pm, title: Second, text: Two., date: "1960-03", choices: [{id: ok, label: OK}]}
endings:
  - {id: done, title: Done, text: Over., at_end: true}
map:
  view: [118, 20, 150, 47]
  places:
    - {id: tokyo, name: Tokyo, at: [139.7, 35.7], actor: japan}
"""

CHILD = """\
format: 1
id: child
extends: kit.yaml
title: Child scenario
summary: Built on the kit.
calendar: {start: "1960-01", turn: month, turns: 6}
actors:
  us: {name: USA (renamed), iso: [USA]}
  china: {name: China, iso: [CHN]}
events:
  - {id: second, owner: pm, title: Second (changed), text: Two., date: "1960-04", choices: [{id: ok, label: OK}]}
  - {id: third, owner: pm, title: Third, text: Three., date: "1960-05", choices: [{id: ok, label: OK}]}
map:
  places:
    - {id: naha, name: Naha, at: [127.7, 26.2], actor: japan}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_scenario_loads_clean() -> None:
    result = load_scenario(MINIMAL)
    assert result.ok and result.diagnostics == ()
    assert isinstance(result.scenario, Scenario)
    assert result.scenario_id == "minimal" and result.files == (MINIMAL,)


def test_extends_merges_by_key_and_by_id(tmp_path: Path) -> None:
    write(tmp_path, "kit.yaml", BASE)
    result = load_scenario(write(tmp_path, "child.yaml", CHILD), roots=[tmp_path])
    assert result.ok, [d.format() for d in result.diagnostics]
    scenario = result.scenario
    assert scenario is not None
    assert list(scenario.actors) == ["japan", "us", "china"]
    assert scenario.actors["us"].name == "USA (renamed)"
    assert [e.id for e in scenario.events] == ["first", "second", "third"]
    assert scenario.events[1].title == "Second (changed)"
    assert [p.id for p in scenario.map.places] == ["tokyo", "naha"]
    assert scenario.map.view == (118, 20, 150, 47)
    assert [s.id for s in scenario.sources] == ["poll"]
    assert not scenario.abstract
    assert result.files == (tmp_path / "child.yaml", (tmp_path / "kit.yaml").resolve())


def test_problems_in_inherited_content_name_the_base_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "kit.yaml", BASE.replace("owner: pm, title: First", "owner: pmm, title: First"))
    child = CHILD.replace("- {id: third, owner: pm,", "- {id: third, owner: pn,")
    result = load_scenario(write(tmp_path, "child.yaml", child), roots=[tmp_path])
    found = {(Path(d.file).name, d.line, d.path, d.message) for d in result.diagnostics}
    assert ("kit.yaml", 13, "events[0].owner", "unknown role 'pmm'") in found
    assert ("child.yaml", 12, "events[2].owner", "unknown role 'pn'") in found


def test_shape_problems_in_a_base_are_reported_in_the_base(tmp_path: Path) -> None:
    write(tmp_path, "kit.yaml", BASE.replace("us: {name: United States", "us: {nme: United States"))
    child = CHILD.replace("  us: {name: USA (renamed), iso: [USA]}\n", "")
    result = load_scenario(write(tmp_path, "child.yaml", child), roots=[tmp_path])
    [problem] = [d for d in result.diagnostics if "nme" in d.message]
    assert (Path(problem.file).name, problem.line, problem.hint) == ("kit.yaml", 9, "did you mean 'name'?")


VARIANT = """\
format: 1
id: okinawa_1995_angry
extends: okinawa_1995
title: "Okinawa 1995, angrier (hypothetical variant)"
variables:
  base_anger:
    label: Anger over Okinawa bases
    initial: 80
"""


def test_a_mod_extends_a_shipped_playable_scenario_by_id(tmp_path: Path) -> None:
    shipped = load_scenario(REPO / "scenarios" / "1995_okinawa.yaml").scenario
    result = load_scenario(write(tmp_path, "angry.yaml", VARIANT))
    assert result.ok, [d.format() for d in result.diagnostics]
    scenario = result.scenario
    assert scenario is not None and shipped is not None
    assert scenario.id == "okinawa_1995_angry" and scenario.title == "Okinawa 1995, angrier (hypothetical variant)"
    assert scenario.variables["base_anger"].initial == 80
    assert scenario.variables["base_anger"].description is None  # `extends` replaces an entry as a whole
    assert [e.id for e in scenario.events] == [e.id for e in shipped.events]
    assert (REPO / "scenarios" / "1995_okinawa.yaml").resolve() in result.files


def test_a_mod_extends_a_playable_scenario_by_path(tmp_path: Path) -> None:
    write(tmp_path, "kit.yaml", BASE.replace("abstract: true\n", ""))
    result = load_scenario(write(tmp_path, "child.yaml", CHILD), roots=[tmp_path])
    assert result.ok and result.scenario is not None
    assert [e.id for e in result.scenario.events] == ["first", "second", "third"]


def test_a_variant_of_a_playable_scenario_needs_its_own_id(tmp_path: Path) -> None:
    missing = load_scenario(write(tmp_path, "a.yaml", VARIANT.replace("id: okinawa_1995_angry\n", "")))
    assert [(d.line, d.path, d.message, d.hint) for d in missing.diagnostics] == [
        (2, "id", "a scenario that extends the playable scenario 'okinawa_1995' needs its own `id`",
         "add a new id, e.g. `id: okinawa_1995_variant`"),
    ]
    same = load_scenario(write(tmp_path, "b.yaml", VARIANT.replace("id: okinawa_1995_angry", "id: okinawa_1995")))
    assert [(d.line, d.path) for d in same.diagnostics] == [(2, "id")]
    assert "same `id`" in same.diagnostics[0].message


def test_extends_an_unknown_scenario_id_suggests_a_known_one(tmp_path: Path) -> None:
    result = load_scenario(write(tmp_path, "a.yaml", VARIANT.replace("extends: okinawa_1995", "extends: okinawa_1996")))
    [problem] = result.diagnostics
    assert (problem.line, problem.path) == (3, "extends")
    assert problem.hint == "did you mean 'okinawa_1995'?"


def test_problems_in_a_playable_base_name_the_base_file(tmp_path: Path) -> None:
    write(tmp_path, "kit.yaml", BASE.replace("abstract: true\n", "").replace("owner: pm, title: First",
                                                                             "owner: pmm, title: First"))
    result = load_scenario(write(tmp_path, "child.yaml", CHILD), roots=[tmp_path])
    assert [(Path(d.file).name, d.line, d.path) for d in result.diagnostics] == [("kit.yaml", 12, "events[0].owner")]


def test_an_overlay_merges_all_the_way_down_and_its_problems_name_its_file(tmp_path: Path) -> None:
    write(tmp_path, "kit.yaml", BASE)
    child = write(tmp_path, "child.yaml", CHILD)
    overlay = read_yaml_text('events:\n  - {id: second, date: "1960-05"}\nactors:\n  us: {name: Yankees}\n',
                             "spec.yaml")
    result = load_overlaid(child, [overlay], roots=[tmp_path])
    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.scenario is not None and result.scenario.id == "child"
    second = result.scenario.events[1]
    assert (second.date, second.title) == ("1960-05", "Second (changed)")  # one field changed, the rest kept
    assert list(result.scenario.actors["us"].iso) == ["USA"]
    bad = read_yaml_text("actors:\n  us: {name: 5}\n", "spec.yaml")
    [problem] = load_overlaid(child, [bad], roots=[tmp_path]).diagnostics
    assert (problem.file, problem.line, problem.path) == ("spec.yaml", 2, "actors.us.name")


def test_an_abstract_base_on_its_own_is_valid_but_not_a_scenario(tmp_path: Path) -> None:
    result = load_scenario(write(tmp_path, "kit.yaml", BASE), roots=[tmp_path])
    assert result.ok and result.abstract and result.scenario is None


def test_bases_can_extend_bases(tmp_path: Path) -> None:
    write(tmp_path, "root.yaml", "format: 1\nid: root\nabstract: true\nactors:\n  korea: {name: Korea}\n")
    write(tmp_path, "kit.yaml", BASE.replace("abstract: true\n", "abstract: true\nextends: root.yaml\n"))
    result = load_scenario(write(tmp_path, "child.yaml", CHILD), roots=[tmp_path])
    assert result.scenario is not None and "korea" in result.scenario.actors
    assert len(result.files) == 3


def test_extends_into_a_root_folder_is_allowed(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    write(shared, "kit.yaml", BASE)
    mods = tmp_path / "mods"
    mods.mkdir()
    path = write(mods, "child.yaml", CHILD.replace("extends: kit.yaml", "extends: ../shared/kit.yaml"))
    assert load_scenario(path, roots=[shared]).ok
    outside = load_scenario(path, roots=[])
    assert [d.message for d in outside.diagnostics] == ["'../shared/kit.yaml' is outside the scenario folders"]


def test_extends_must_be_a_path(tmp_path: Path) -> None:
    result = load_scenario(write(tmp_path, "child.yaml", CHILD.replace("extends: kit.yaml", "extends: [kit]")))
    assert [(d.line, d.path) for d in result.diagnostics] == [(3, "extends")]


def test_union_errors_are_merged_into_one_readable_message() -> None:
    text = MINIMAL.read_text().replace("title: The vote", "title: [The, vote]")
    [problem] = load_scenario_text(text, file="t.yaml").diagnostics
    assert problem.path == "events[0].title"
    assert problem.message == "expected text or a mapping (key: value lines), found a list"


def test_localised_text_needs_english() -> None:
    text = MINIMAL.read_text().replace("title: The vote", "title: {ja: 採決}")
    [problem] = load_scenario_text(text, file="t.yaml").diagnostics
    assert (problem.line, problem.message) == (51, "localised text needs an 'en' entry (English is the fallback)")


def test_all_problems_are_collected() -> None:
    text = (
        MINIMAL.read_text()
        .replace("turns: 12", "turns: 0")
        .replace("drift: 0.1", "drift: 2")
        .replace("kind: city", "kind: town")
        .replace('color: "#d55e00"', "color: red")
    )
    result = load_scenario_text(text, file="t.yaml")
    assert [d.path for d in result.diagnostics] == [
        "calendar.turns", "actors.japan.color", "variables.tension.drift", "map.places[0].kind"
    ]
    kind = result.diagnostics[-1]
    assert kind.message.startswith("the text 'town' is not allowed here; expected 'base', 'city'")


@pytest.mark.parametrize("word", ["yes", "No", "ON", "off"])
def test_yaml11_words_where_text_belongs(word: str) -> None:
    text = MINIMAL.read_text().replace("label: Wait", f"label: {word}")
    [problem] = load_scenario_text(text, file="t.yaml").diagnostics
    assert problem.line == 59 and problem.hint == f'quote it: "{word}"'


def test_yaml11_words_where_a_boolean_belongs_are_fine() -> None:
    text = MINIMAL.read_text().replace("default: true", "default: yes")
    assert load_scenario_text(text, file="t.yaml").ok


def test_a_misspelt_key_is_reported_once_with_did_you_mean() -> None:
    text = MINIMAL.read_text().replace("{from: tension,", "{frm: tension,").replace("    initial: 40\n    baseline",
                                                                                   "    inital: 40\n    baseline")
    result = load_scenario_text(text, file="t.yaml")
    assert [(d.line, d.path, d.message, d.hint) for d in result.diagnostics] == [
        (15, "variables.tension.inital", "unknown key 'inital'", "did you mean 'initial'?"),
        (35, "influences[0].frm", "unknown key 'frm'", "did you mean 'from'?"),
    ]
