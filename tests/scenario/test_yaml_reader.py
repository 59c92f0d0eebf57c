"""YAML reading with positions: values, positions, duplicate keys, traps and limits."""

from __future__ import annotations

from pathlib import Path

from game.scenario.yaml_reader import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    Position,
    format_path,
    locate,
    read_yaml_bytes,
    read_yaml_text,
)

TEXT = """\
format: 1
title: "Quoted title"
calendar: {start: 1960-05, turn: quarter}
events:
  - id: vote
    when: tension > 50
"""


def test_values_and_positions_of_keys_and_values() -> None:
    doc = read_yaml_text(TEXT, "s.yaml")
    assert doc.diagnostics == []
    assert doc.data == {
        "format": 1,
        "title": "Quoted title",
        "calendar": {"start": "1960-05", "turn": "quarter"},
        "events": [{"id": "vote", "when": "tension > 50"}],
    }
    title = doc.positions[("title",)]
    assert title.key == Position("s.yaml", 2, 1)
    assert title.value == Position("s.yaml", 2, 8)
    assert title.quoted
    assert doc.positions[("calendar", "turn")].value == Position("s.yaml", 3, 34)
    when = doc.positions[("events", 0, "when")]
    assert (when.value.line, when.value.col, when.quoted, when.one_line) == (6, 11, False, True)
    assert doc.positions[("events", 0)].key is None


def test_locate_falls_back_to_the_nearest_written_parent() -> None:
    doc = read_yaml_text(TEXT, "s.yaml")
    assert locate(doc, ("events", 0, "choices", 2)).value == Position("s.yaml", 5, 5)


def test_format_path() -> None:
    assert format_path(("events", 3, "when")) == "events[3].when"
    assert format_path(("variables", "us.credibility", "initial")) == "variables.us.credibility.initial"


def test_full_dates_stay_text_as_written() -> None:
    doc = read_yaml_text("a: 1960-01-19\nb: 1960-05\n", "s.yaml")
    assert doc.data == {"a": "1960-01-19", "b": "1960-05"}


def test_duplicate_keys_name_both_lines() -> None:
    doc = read_yaml_text("a: 1\nb: 2\na: 3\n", "s.yaml")
    [problem] = doc.diagnostics
    assert (problem.line, problem.col) == (3, 1)
    assert "duplicate key 'a'" in problem.message and "line 1" in problem.message
    assert doc.data == {"a": 1, "b": 2}


def test_boolean_words_are_remembered_and_boolean_keys_reported() -> None:
    doc = read_yaml_text("a: NO\nb: true\nOff: 1\n", "s.yaml")
    assert doc.bool_traps == {("a",): "NO"}
    [problem] = doc.diagnostics
    assert problem.line == 3 and "'Off' is read as the boolean false" in problem.message
    assert problem.hint == 'quote it: "Off"'


def test_non_plain_tags_are_refused_without_constructing_anything() -> None:
    doc = read_yaml_text('a: !!python/object/apply:os.system ["echo no"]\nb: !custom x\n', "s.yaml")
    messages = [d.message for d in doc.diagnostics]
    assert messages == [
        "the tag '!!python/object/apply:os.system' is not allowed",
        "the tag '!custom' is not allowed",
    ]
    assert doc.data == {"a": None, "b": None}


def test_merge_keys_are_refused() -> None:
    doc = read_yaml_text("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", "s.yaml")
    assert [d.line for d in doc.diagnostics] == [3]
    assert "merge keys" in doc.diagnostics[0].message


def test_non_finite_numbers_are_refused() -> None:
    doc = read_yaml_text("a: .nan\nb: -.inf\n", "s.yaml")
    assert [d.line for d in doc.diagnostics] == [1, 2]


def test_recursive_alias_is_refused() -> None:
    doc = read_yaml_text("a: &a [*a]\n", "s.yaml")
    assert doc.data is None
    assert doc.diagnostics[0].message == "the alias *a refers to a mapping or list it is part of"


def test_aliases_share_the_anchored_value_and_unknown_aliases_are_reported() -> None:
    doc = read_yaml_text("a: &x {k: [1, 2]}\nb: *x\nc: *y\n", "s.yaml")
    assert doc.data == {"a": {"k": [1, 2]}, "b": {"k": [1, 2]}, "c": None}
    assert doc.positions[("b",)].value == Position("s.yaml", 2, 4)
    assert [(d.line, d.message) for d in doc.diagnostics] == [(3, "unknown alias *y")]


def test_a_collection_as_a_key_is_refused_and_skipped() -> None:
    doc = read_yaml_text("? [a, b]\n: 1\nc: 2\n", "s.yaml")
    assert doc.data == {"c": 2}
    assert [d.message for d in doc.diagnostics] == ["a key must be plain text"]


def test_limits_and_encodings() -> None:
    too_big = read_yaml_bytes(b"a: " + b"x" * MAX_FILE_BYTES, "s.yaml")
    assert "too large" in too_big.diagnostics[0].message
    assert "binary" in read_yaml_bytes(b"a: 1\n\x00\x01", "s.yaml").diagnostics[0].message
    latin = read_yaml_bytes(b"a: 1\nb: caf\xe9\n", "s.yaml").diagnostics[0]
    assert (latin.line, latin.col) == (2, 7) and "UTF-8" in latin.message
    with_bom = read_yaml_bytes("\ufeffa: 1\n".encode(), "s.yaml")
    assert with_bom.data == {"a": 1} and not with_bom.diagnostics
    deep = read_yaml_text("a: " + "[" * 500 + "]" * 500, "s.yaml")
    assert f"deeper than {MAX_DEPTH}" in deep.diagnostics[0].message


def test_libyaml_and_pure_python_parsers_agree(minimal_scenario_path: Path) -> None:
    text = minimal_scenario_path.read_text(encoding="utf-8")
    fast, slow = read_yaml_text(text, "m.yaml"), read_yaml_text(text, "m.yaml", fast=False)
    assert fast.data == slow.data and fast.positions == slow.positions
    for fast_flag in (True, False):
        deep = read_yaml_text("a:\n" + "- " * 300 + "x\n", "s.yaml", fast=fast_flag)
        assert f"deeper than {MAX_DEPTH}" in deep.diagnostics[0].message
        control = read_yaml_text("a: 1\nb: x\x1fy\n", "s.yaml", fast=fast_flag)
        assert (control.diagnostics[0].line, control.diagnostics[0].col) == (2, 5)
