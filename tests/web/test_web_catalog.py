"""The web client's strings: extracted from game/web's scripts into the catalogues, served as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from game.server.web_catalog import catalog_json, web_messages

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import update_catalogs  # noqa: E402


def test_calls_with_literal_text_are_found_with_their_lines(tmp_path: Path) -> None:
    (tmp_path / "page.js").write_text(
        'const a = _("Ready");\nsetText("x", _(\'It\\\'s {n} o\\"clock\', { n: 3 }));\n'
        'obj._("not a call"); my_("nor this"); _(variable);\n', encoding="utf-8")
    found = [(message, line) for message, _path, line in web_messages(tmp_path)]
    assert found == [("Ready", 1), ("It's {n} o\"clock", 2)]


def test_a_page_string_missing_from_the_catalogues_makes_them_stale(tmp_path: Path) -> None:
    (tmp_path / "extra.js").write_text('_("A string no catalogue has yet");\n', encoding="utf-8")
    template = update_catalogs.extract_template(web=tmp_path)
    assert "A string no catalogue has yet" in [message.id for message in template]
    assert update_catalogs.stale_files(template), "a new page string must make the catalogues stale"


def test_the_shipped_pages_strings_are_all_in_the_template() -> None:
    template = {message.id for message in update_catalogs.extract_template()}
    assert {message for message, _path, _line in web_messages()} <= template
    assert "Ready" in template


def test_the_json_holds_the_pages_strings_only_translated() -> None:
    japanese = json.loads(catalog_json("ja"))
    assert japanese["Ready"] != "Ready" and japanese["Ready"]
    page_strings = {message for message, _path, _line in web_messages()}
    assert set(japanese) <= page_strings  # nothing the game's Python code alone uses
    assert json.loads(catalog_json("en")) == {}
