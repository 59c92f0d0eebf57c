"""The bundled font at the sizes the UI uses, scaled by the UI-scale setting.

Every string is drawn with the bundled OFL font (Noto Sans CJK JP subset: English and Japanese);
while it is missing (e.g. in a checkout where the font tool has not run yet) pygame_gui's own
Noto Sans JP is used, so Japanese still renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pygame

from game.resources import assets_dir

BASE_SIZES = {"small": 13, "body": 15, "heading": 19, "display": 28, "title": 44}


def bundled_font_path() -> Path:
    """The regular weight of the game's font (the bundled subset, else pygame_gui's Noto Sans JP)."""
    fonts = assets_dir() / "fonts"
    for name in ("NotoSansCJKjp-Regular-subset.otf", "NotoSansCJKjp-Regular.otf"):
        if (fonts / name).is_file():
            return fonts / name
    if fonts.is_dir():
        found = sorted(p for p in fonts.glob("*.otf") if "bold" not in p.name.lower())
        if found:
            return found[0]
    import pygame_gui

    return Path(pygame_gui.__file__).resolve().parent / "data" / "NotoSansJP-Regular.otf"


def bundled_bold_font_path() -> Path:
    """The bold weight when it is bundled, else the regular one (headings then differ by size only)."""
    fonts = assets_dir() / "fonts"
    if fonts.is_dir():
        found = sorted(p for p in fonts.glob("*.otf") if "bold" in p.name.lower())
        if found:
            return found[0]
    return bundled_font_path()


_cache: dict[tuple[str, int], pygame.font.Font] = {}


def forget_loaded_fonts() -> None:
    """Drop cached fonts: they die with `pygame.font.quit()` (a new App after `pygame.quit()`)."""
    _cache.clear()


def font_at(path: Path, size: int) -> pygame.font.Font:
    """A loaded font, cached: opening an OTF costs milliseconds, far too slow for every frame."""
    key = (str(path), size)
    found = _cache.get(key)
    if found is None:
        found = pygame.font.Font(str(path), size)
        _cache[key] = found
    return found


@dataclass(frozen=True)
class Fonts:
    """The UI's fonts at one UI scale."""

    scale: float
    small: pygame.font.Font
    body: pygame.font.Font
    heading: pygame.font.Font
    display: pygame.font.Font  # screen headings
    title: pygame.font.Font  # the title screen only

    @staticmethod
    def at_scale(scale: float) -> Fonts:
        """The fonts for a UI scale (1.0–2.0)."""
        regular = bundled_font_path()
        bold = bundled_bold_font_path()
        return Fonts(
            scale=scale,
            small=font_at(regular, round(BASE_SIZES["small"] * scale)),
            body=font_at(regular, round(BASE_SIZES["body"] * scale)),
            heading=font_at(bold, round(BASE_SIZES["heading"] * scale)),
            display=font_at(bold, round(BASE_SIZES["display"] * scale)),
            title=font_at(bold, round(BASE_SIZES["title"] * scale)),
        )
