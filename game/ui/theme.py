"""The pygame_gui theme: `assets/theme/theme.json` with its fonts scaled to the UI scale.

The JSON file holds the look (colours, shapes, borders) at scale 1.0; here the bundled font is
plugged in, every font size is multiplied by the UI scale and, for the high-contrast palette,
the background and text colours are replaced, so one file serves every setting.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from game.resources import assets_dir
from game.ui.fonts import bundled_bold_font_path, bundled_font_path
from game.ui.palette import Palette

FONT_NAME = "alliance_desk"
# pygame_gui takes fonts per element type and per locale, not from "defaults": the font block of
# "defaults" in theme.json is copied into each of these, once for every UI language
TEXT_ELEMENTS = ("button", "label", "tool_tip", "text_box", "text_entry_line", "drop_down_menu",
                 "selection_list", "window", "horizontal_slider", "panel")
LOCALES = ("en", "ja")


def _hex(colour: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


def load_theme_file() -> dict[str, Any]:
    """The theme file as a dict."""
    with (assets_dir() / "theme" / "theme.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def build_theme(palette: Palette, scale: float) -> dict[str, Any]:
    """The theme dict for pygame_gui at this palette and UI scale."""
    theme = copy.deepcopy(load_theme_file())
    regular = str(bundled_font_path())
    bold = str(bundled_bold_font_path())
    base = theme["defaults"].pop("font", {})
    size = str(round(int(base.get("size", 15)) * scale))
    fonts = [{"name": FONT_NAME, "size": size, "regular_path": regular, "bold_path": bold, "locale": locale}
             for locale in LOCALES]
    for element in TEXT_ELEMENTS:
        theme.setdefault(element, {})["font"] = copy.deepcopy(fonts)
    misc = theme["defaults"].setdefault("misc", {})
    misc["shape_corner_radius"] = str(round(4 * scale))
    if palette.name == "high_contrast":
        colours = theme["defaults"]["colours"]
        colours["normal_bg"] = _hex(palette.panel)
        colours["dark_bg"] = _hex(palette.background)
        colours["normal_text"] = _hex(palette.text)
        colours["normal_border"] = _hex(palette.border)
        theme["panel"]["colours"]["dark_bg"] = _hex(palette.panel)
    return theme


def font_preload_list(scale: float) -> list[dict[str, str | int | float]]:
    """Fonts pygame_gui would otherwise load lazily (with a warning) on first use, for `UIManager.preload_fonts`.

    The theme's regular font is loaded with the theme itself; the bold one is what pygame_gui uses for
    emphasised text in tooltips and text boxes.
    """
    return [{"name": FONT_NAME, "point_size": round(15 * scale), "style": "bold"}]
