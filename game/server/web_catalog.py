"""The browser client's catalogue: `/i18n/{lang}.json`, msgid -> translation for the strings the web pages use.

The web pages translate with their own `_("...")` (game/web/i18n.js) from the same gettext catalogues as the game;
`web_messages` finds those calls in `game/web/**/*.js` (tools/update_catalogs.py extracts them into the catalogues
with it, so a string of the pages missing from a catalogue fails the stale-catalogue test). Only these strings
are sent: the page gets no text the game's Python code uses.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from game.translation import LANGUAGES, translations

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
# `_("text")` or `_('text')` with literal text: the JS escapes a catalogue needs are \" \' \\ and \n.
_CALL = re.compile(r"""(?<![\w$.])_\(\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')""")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "'": "'", "\\": "\\"}


def web_messages(web_dir: Path = WEB_DIR) -> list[tuple[str, Path, int]]:
    """Every `_("...")` call with literal text in the web client's scripts: (msgid, file, line), in file order."""
    found: list[tuple[str, Path, int]] = []
    for path in sorted(web_dir.rglob("*.js")):
        text = path.read_text(encoding="utf-8")
        for match in _CALL.finditer(text):
            raw = match.group(1) if match.group(1) is not None else match.group(2)
            message = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw)
            found.append((message, path, text.count("\n", 0, match.start()) + 1))
    return found


@cache
def catalog_json(language: str) -> str:
    """The JSON object msgid -> translation for the web client's strings in `language` ({} for English)."""
    if language not in LANGUAGES:
        raise KeyError(language)
    table = translations(language)
    entries: dict[str, str] = {}
    for message, _path, _line in web_messages():
        translated = table.gettext(message)
        if translated != message:
            entries[message] = translated
    return json.dumps(entries, ensure_ascii=False, sort_keys=True)
