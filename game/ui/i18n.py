"""The UI's side of translation: `_()` and the language come from `game.translation` (gettext catalogues
shared by every layer); scenario text is localised in the scenario file itself and goes through
`scenario_text`.

UI modules import `_` from here or from `game.translation`: it is the same function.
"""

from __future__ import annotations

from collections.abc import Mapping

from game.translation import LANGUAGES, N_, _, current_language, ngettext, set_language

__all__ = ["DIFFICULTIES", "LANGUAGES", "N_", "_", "current_language", "ngettext", "scenario_text", "set_language"]

# A scenario's `difficulty`, shown as `_(scenario.difficulty)`: marked here so that extraction finds the words.
DIFFICULTIES = (N_("easy"), N_("medium"), N_("hard"))


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
