"""Every player-facing string of every layer passes through here: `_("End turn")`, `ngettext(...)`.

The catalogues are gettext `.po` files under `game/locale/<language>/LC_MESSAGES/alliance_desk.po`,
with English as the msgid, so a string nobody has translated yet shows in English instead of as an
id. The `.po` is compiled to a `.mo` in memory the first time a language is used (Babel's `read_po`
and `write_mo`), so a checkout never runs with a stale compiled catalogue and no `.mo` is committed.
`tools/update_catalogs.py` extracts the strings from `game/` and updates the `.po` files; see
`docs/translation.md`.

Placeholders are named (`_("Turn {turn} of {turns}", turn=3, turns=12)`), so a translation can put
them in any order. The language is process-wide (`set_language`, from the player's settings); code
that works for a given language, such as advice computed in a worker thread, wraps itself in
`using_language(code)`, which changes only the current thread's (or task's) language.

Imports nothing heavy (Babel only when a non-English catalogue is first needed), so every layer,
including the scenario validator and the title screen's first frame, can use it.
"""

from __future__ import annotations

import gettext
import io
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "alliance_desk"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"
# Language code → its name in that language (what the settings dialog shows).
LANGUAGES: dict[str, str] = {"en": "English", "ja": "日本語"}

_log = logging.getLogger(__name__)
_chosen = SOURCE_LANGUAGE
_for_this_context: ContextVar[str | None] = ContextVar("alliance_desk_language", default=None)


def set_language(language: str) -> None:
    """Switch every later translation to `language` (an unknown code falls back to English)."""
    global _chosen
    _chosen = language if language in LANGUAGES else SOURCE_LANGUAGE


def current_language() -> str:
    """The language code strings are translated into now."""
    return _for_this_context.get() or _chosen


@contextmanager
def using_language(language: str | None) -> Iterator[str]:
    """Translate into `language` inside the block, in this thread only (None: keep the current language)."""
    if language is None:
        yield current_language()
        return
    token = _for_this_context.set(language if language in LANGUAGES else SOURCE_LANGUAGE)
    try:
        yield current_language()
    finally:
        _for_this_context.reset(token)


def catalogue_path(language: str) -> Path:
    """The `.po` source of a language's catalogue."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of `language` (English, or a language without a catalogue: no translation)."""
    path = catalogue_path(language)
    if language == SOURCE_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)  # a fuzzy entry is a guess: English until someone checks it
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str, **values: object) -> str:
    """`message` in the current language, with `{name}` placeholders filled from `values`."""
    return _fill(translations(current_language()).gettext(message), message, values)


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """The form of a message for the count `n` (English: singular for 1), with `{n}` and `values` filled in."""
    translated = translations(current_language()).ngettext(singular, plural, n)
    return _fill(translated, singular if n == 1 else plural, {"n": n, **values})


def pgettext(context: str, message: str, **values: object) -> str:
    """`message` in the sense `context` gives it ("May" the month), for words that differ by meaning."""
    return _fill(translations(current_language()).pgettext(context, message), message, values)


def list_text(items: Sequence[str]) -> str:
    """Items joined as a sentence lists them: "A", "A and B", "A, B and C" (ja: "A、BとC")."""
    if not items:
        return ""
    text = items[0]
    for position, item in enumerate(items[1:], start=2):
        if position == len(items):
            text = _("{list} and {item}", list=text, item=item)
        else:
            text = _("{list}, {item}", list=text, item=item)
    return text


def sentences_text(sentences: Sequence[str]) -> str:
    """Sentences one after another: "A. B." in English, "A。B。" in Japanese (no space between them)."""
    text = sentences[0] if sentences else ""
    for sentence in sentences[1:]:
        text = pgettext("two sentences one after the other", "{first} {second}", first=text, second=sentence)
    return text


def N_(message: str) -> str:
    """Mark a string for extraction that is translated later by value (`_(difficulty)`); returns it unchanged."""
    return message


def _fill(translated: str, original: str, values: dict[str, object]) -> str:
    if not values:
        return translated
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):
        # A translation with a mistyped placeholder must not break the game: say so, show English.
        _log.warning("translation of %r has placeholders that do not match; showing English", original)
        return original.format(**values)
