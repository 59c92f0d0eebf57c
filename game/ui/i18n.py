"""The UI's side of translation: `_()` and the language come from `game.translation` (gettext catalogues
shared by every layer); scenario text is localised in the scenario file itself and goes through
`scenario_text`.

UI modules import `_` from here or from `game.translation`: it is the same function.
"""

from __future__ import annotations

from collections.abc import Mapping

from game.translation import LANGUAGES, N_, _, current_language, ngettext, set_language

__all__ = ["LANGUAGES", "TRANSLATED_BY_VALUE", "_", "current_language", "ngettext", "scenario_text", "set_language"]

# Strings the UI keeps in data and translates by value (`_(scenario.difficulty)`, `_(KEY_HELP)`), marked
# here so that extraction finds them.
TRANSLATED_BY_VALUE = (
    N_("easy"), N_("medium"), N_("hard"),  # a scenario's `difficulty`
    N_("Colour-blind safe"), N_("High contrast"),  # settings_dialog.PALETTE_NAMES
    N_("Tab: next · Enter: activate · 1–9: choose · E: end turn · Esc: menu · F5: reload scenario"),  # KEY_HELP
    N_("{n} other listed sources (mostly from shared base files) are not cited by this scenario."),  # browser
)


def scenario_text(text: str | Mapping[str, str] | None) -> str:
    """A scenario's localised text (`LocalizedText`) in the current language (English fallback; '' for none).

    The same rule as `game.scenario.models.localized`, written out so that the title screen does not
    wait for the scenario models (pydantic) to load before its first frame.
    """
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(current_language()) or text.get("en") or next(iter(text.values()), "")
