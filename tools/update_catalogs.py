"""Extract the translatable strings of `game/` and update the catalogues: `python tools/update_catalogs.py`.

Every `_()`, `ngettext()`, `pgettext()` and `N_()` call with literal text in `game/**/*.py`, and every
`_("...")` of the browser client's `game/web/**/*.js`, becomes a message of
`game/locale/alliance_desk.pot`; each language's `.po` is then updated from it: existing translations
are kept, new strings are added untranslated (or fuzzy, when Babel finds a near match among
the old ones, which a translator must check), and strings no longer in the code are dropped.
`--check` writes nothing and exits 1 when a catalogue is stale or a translation is missing.
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.server.web_catalog import WEB_DIR, web_messages  # noqa: E402
from game.translation import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE, catalogue_path  # noqa: E402

TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS = ("_", "ngettext", "pgettext", "N_")  # the functions of game/translation.py that take literal text
SOURCE = ROOT / "game"
PROJECT = "Alliance Desk"
HEADER = "# {language} catalogue of Alliance Desk: see docs/translation.md (English is the msgid).\n#"


def extract_template(source: Path = SOURCE, web: Path = WEB_DIR) -> Catalog:
    """The catalogue template: every translatable string in the Python files under `source` and in the
    browser client's scripts under `web`.

    Python's own parser finds the calls, so `_()` inside an f-string is found too (Babel's tokenizer
    does not look inside f-strings before Python 3.12). A comment line `# Translators: ...` just above a
    call becomes a note for the translator.
    """
    template = Catalog(project=PROJECT, domain=DOMAIN, fuzzy=False, header_comment=HEADER.format(language="Template"),
                       copyright_holder="Alliance Desk developers", msgid_bugs_address="")
    for path in sorted(source.rglob("*.py")):
        for found in translatable_calls(path):
            if found.message is not None:
                template.add(found.message, None, [(path.relative_to(ROOT).as_posix(), found.line)],
                             auto_comments=found.comments, context=found.context)
    for message, path, line in web_messages(web):
        shown = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
        template.add(message, None, [(shown, line)])
    return template


@dataclass(frozen=True)
class Call:
    """One `_()`-family call in the source: its message (None when it is not literal text) and where it is."""

    path: Path
    line: int
    function: str
    message: str | tuple[str, str] | None
    context: str | None = None
    comments: tuple[str, ...] = ()
    formatted: bool = False  # an f-string was passed: it is formatted before it is looked up, so never found


def translatable_calls(path: Path) -> list[Call]:
    """Every call of `_`, `ngettext`, `pgettext` or `N_` in one file, in source order."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    calls: list[Call] = []
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS):
            continue
        texts = [arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
                 for arg in node.args]
        name = node.func.id
        message: str | tuple[str, str] | None
        context = None
        if name == "ngettext":
            message = (texts[0], texts[1]) if len(texts) >= 2 and texts[0] and texts[1] else None
        elif name == "pgettext":
            context = texts[0] if texts else None
            message = texts[1] if len(texts) >= 2 and context else None
        else:
            message = texts[0] if texts else None
        formatted = any(isinstance(arg, ast.JoinedStr) for arg in node.args)
        calls.append(Call(path, node.lineno, name, message, context, _translator_comments(lines, node.lineno),
                          formatted))
    return sorted(calls, key=lambda call: call.line)


def _translator_comments(lines: list[str], line: int) -> tuple[str, ...]:
    comments: list[str] = []
    for above in reversed(lines[: line - 1]):
        stripped = above.strip()
        if not stripped.startswith("#"):
            break
        comments.insert(0, stripped.lstrip("#").strip())
    notes = [c for c in comments if c.startswith("Translators:")]
    return tuple(note.removeprefix("Translators:").strip() for note in notes)


def updated_catalogue(language: str, template: Catalog) -> Catalog:
    """The language's catalogue brought up to date with `template` (a new, empty one if it has none yet)."""
    path = catalogue_path(language)
    if path.is_file():
        with path.open("rb") as source:
            catalogue = read_po(source, locale=language, domain=DOMAIN)
    else:
        catalogue = Catalog(locale=language, domain=DOMAIN, project=PROJECT, fuzzy=False, msgid_bugs_address="",
                            header_comment=HEADER.format(language=LANGUAGES[language]),
                            copyright_holder="Alliance Desk developers")
    catalogue.update(template, update_header_comment=False)
    catalogue.obsolete.clear()  # strings gone from the code; fuzzy matching has already reused them
    return catalogue


def po_text(catalogue: Catalog) -> str:
    """The `.po` (or `.pot`) text of a catalogue, without line numbers (they would churn on every edit)."""
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=120, include_lineno=False, omit_header=False, sort_output=False)
    return _without_dates(buffer.getvalue().decode("utf-8"))


def missing_translations(catalogue: Catalog) -> list[str]:
    """The msgids of a catalogue that have no (complete, checked) translation."""
    missing: list[str] = []
    for message in catalogue:
        if not message.id:
            continue  # the header
        forms = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        incomplete = len(forms) < catalogue.num_plurals if message.pluralizable else False
        if message.fuzzy or incomplete or not all(forms):
            missing.append(_name(message))
    return missing


def stale_files(template: Catalog) -> list[Path]:
    """The catalogue files whose messages differ from the strings in the code now (wording aside, only ids count)."""
    wanted = _keys(template)
    stale: list[Path] = []
    for path in [TEMPLATE] + [catalogue_path(language) for language in translated_languages()]:
        if not path.is_file():
            stale.append(path)
            continue
        with path.open("rb") as source:
            if _keys(read_po(source, domain=DOMAIN)) != wanted:
                stale.append(path)
    return stale


def _keys(catalogue: Catalog) -> set[tuple[str | None, str]]:
    # (context, msgid and plural msgid): what the code asks for; the translations are not compared.
    return {(m.context, _name(m)) for m in catalogue if m.id}


def translated_languages() -> list[str]:
    """The languages that need a catalogue: all but the source language (English)."""
    return [code for code in LANGUAGES if code != SOURCE_LANGUAGE]


def _name(message: Message) -> str:
    ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
    context = f"[{message.context}] " if message.context else ""
    return context + " | ".join(ids)


def _without_dates(text: str) -> str:
    # The creation and revision dates change on every run; keeping them would make a no-op update a diff.
    return "".join(line for line in text.splitlines(keepends=True)
                   if not line.startswith(('"POT-Creation-Date:', '"PO-Revision-Date:')))


def _write(paths_and_texts: Iterable[tuple[Path, str]]) -> None:
    for path, text in paths_and_texts:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything is stale or missing")
    args = parser.parse_args(argv)
    template = extract_template()
    catalogues = {language: updated_catalogue(language, template) for language in translated_languages()}
    if args.check:
        problems = [f"{path.relative_to(ROOT)} is stale: run python tools/update_catalogs.py"
                    for path in stale_files(template)]
        for language, catalogue in catalogues.items():
            problems += [f"{language}: no translation for {name!r}" for name in missing_translations(catalogue)]
        print("\n".join(problems) or "catalogues are up to date and complete")
        return 1 if problems else 0
    _write([(TEMPLATE, po_text(template))] + [(catalogue_path(lang), po_text(c)) for lang, c in catalogues.items()])
    for language, catalogue in catalogues.items():
        missing = missing_translations(catalogue)
        if missing:
            print(f"{language}: {len(missing)} strings to translate in {catalogue_path(language).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
