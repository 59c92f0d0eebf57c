"""Translation: the gettext catalogues cover every string in the code, in Japanese, and `_()` uses them."""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

import game.translation as translation
from game.translation import LANGUAGES, N_, _, current_language, ngettext, pgettext, set_language, using_language

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))  # tools/ is a folder of scripts, not a package

import update_catalogs  # noqa: E402

PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    set_language("en")


@pytest.fixture(scope="module")
def template() -> Catalog:
    return update_catalogs.extract_template()


@pytest.fixture(scope="module")
def japanese(template: Catalog) -> Catalog:
    return update_catalogs.updated_catalogue("ja", template)


def test_every_string_in_the_code_has_a_japanese_translation(japanese: Catalog) -> None:
    missing = update_catalogs.missing_translations(japanese)
    assert not missing, "no Japanese for (run python tools/update_catalogs.py, then translate):\n" + "\n".join(missing)


def test_the_catalogues_are_up_to_date_with_the_code(template: Catalog) -> None:
    stale = update_catalogs.stale_files(template)
    assert not stale, f"stale: {[str(p.relative_to(ROOT)) for p in stale]}; run python tools/update_catalogs.py"
    assert len(template) > 150  # the extraction found the strings of every layer, not a handful
    files = {path for message in template for path, _line in message.locations}
    assert {"game/play/advisors.py", "game/play/news.py", "game/play/dates.py", "game/play/session.py"} <= files
    assert any(path.startswith("game/ui/") for path in files)


def test_no_call_passes_text_that_was_already_formatted() -> None:
    # _(f"Saved {name}") looks up the formatted text, which no catalogue has.
    formatted = [f"{call.path.relative_to(ROOT)}:{call.line}" for path in sorted((ROOT / "game").rglob("*.py"))
                 for call in update_catalogs.translatable_calls(path) if call.formatted]
    assert not formatted, f"_() given an f-string (use named placeholders instead): {formatted}"


def test_translations_keep_the_placeholders_of_the_english(japanese: Catalog) -> None:
    wrong: list[str] = []
    for message in japanese:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for form in forms:
            # A one-form language may leave out a count it has no word for ("{n} turns" → "数ターン" is wrong, though).
            if form and set(PLACEHOLDER.findall(form)) - set(PLACEHOLDER.findall(" ".join(ids))):
                wrong.append(f"{ids[0]!r}: {form!r} has placeholders the English does not")
            if form and wanted - set(PLACEHOLDER.findall(form)) - {"n"}:
                wrong.append(f"{ids[0]!r}: {form!r} leaves out {sorted(wanted - set(PLACEHOLDER.findall(form)))}")
    assert not wrong, "\n".join(wrong)


def test_japanese_has_one_plural_form_and_the_catalogue_says_so() -> None:
    with update_catalogs.catalogue_path("ja").open("rb") as source:
        catalogue = read_po(source, locale="ja")
    assert catalogue.num_plurals == 1 and catalogue.plural_expr == "0"


def test_japanese_text_is_inside_the_bundled_font() -> None:
    fonttools = pytest.importorskip("fontTools.ttLib")
    from game.resources import assets_dir

    cmap = fonttools.TTFont(str(assets_dir() / "fonts" / "NotoSansCJKjp-Regular-subset.otf"), lazy=True).getBestCmap()
    with update_catalogs.catalogue_path("ja").open("rb") as source:
        catalogue = read_po(source, locale="ja")
    outside: set[str] = set()
    for message in catalogue:
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        outside |= {c for form in forms if form for c in form if ord(c) not in cmap and not c.isspace()}
    assert not outside, f"characters the font cannot draw: {''.join(sorted(outside))}"


def test_every_language_offered_has_a_catalogue() -> None:
    assert update_catalogs.translated_languages() == [code for code in LANGUAGES if code != "en"]
    for code in update_catalogs.translated_languages():
        assert update_catalogs.catalogue_path(code).is_file(), code
    shipped = {p.parent.parent.name for p in translation.LOCALE_DIR.glob("*/LC_MESSAGES/*.po")}
    assert shipped == set(LANGUAGES) - {"en"}
    assert not list(translation.LOCALE_DIR.rglob("*.mo")), "compiled catalogues are built at load time, not kept"


def test_underscore_translates_into_the_chosen_language() -> None:
    assert _("End turn") == "End turn"
    set_language("ja")
    assert current_language() == "ja"
    assert _("End turn") == "ターン終了"
    assert _("Turn {turn} of {turns}", turn=3, turns=12) == "ターン 3/12"
    assert _("A string nobody has translated") == "A string nobody has translated"  # English fallback
    set_language("xx")
    assert current_language() == "en" and _("End turn") == "End turn"


def test_plural_forms_and_contexts() -> None:
    assert ngettext("within a year", "within {n} years", 1) == "within a year"
    assert ngettext("within a year", "within {n} years", 3) == "within 3 years"
    set_language("ja")
    assert ngettext("within a year", "within {n} years", 1) == "1年以内"
    assert ngettext("within a year", "within {n} years", 3) == "3年以内"
    assert pgettext("month", "May") == "5月"
    assert N_("easy") == "easy" and _(N_("easy")) == "易しい"


def test_using_language_changes_only_this_thread() -> None:
    set_language("ja")
    seen: list[str] = []
    with using_language("en"):
        assert _("End turn") == "End turn"
        other = threading.Thread(target=lambda: seen.append(_("End turn")))
        other.start()
        other.join()
    assert seen == ["ターン終了"]  # the worker follows the player's setting, not this block
    assert _("End turn") == "ターン終了"
    with using_language(None) as language:
        assert language == "ja"


def test_a_mistyped_placeholder_shows_english_instead_of_failing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    po = tmp_path / "xx.po"
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Saved: {name}"\nmsgstr "Gespeichert: {nmae}"\n\n'
                  'msgid "Load"\nmsgstr "Laden"\n\n'
                  '#, fuzzy\nmsgid "Save"\nmsgstr "Sichern?"\n', encoding="utf-8")
    monkeypatch.setitem(LANGUAGES, "xx", "Test")
    monkeypatch.setattr(translation, "catalogue_path", lambda language: po)
    translation.translations.cache_clear()
    try:
        set_language("xx")
        assert _("Load") == "Laden"
        assert _("Saved: {name}", name="a.json") == "Saved: a.json"
        assert _("Save") == "Save"  # a fuzzy entry is a guess nobody checked: English
    finally:
        translation.translations.cache_clear()
