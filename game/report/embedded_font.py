"""The game's own Japanese font, cut down to the characters a page uses and inlined as a data: URL, so that a
pack or a card in Japanese prints right on a machine without a CJK font — and still loads nothing from outside.

Only pages with CJK characters get it (an English pack stays small). The subset is a pure function of the
characters, so the same page gives the same bytes.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

from game.resources import assets_dir

FONT_FILE = "NotoSansCJKjp-Regular-subset.otf"
FAMILY = "Alliance Desk CJK"
FIRST_CJK = 0x2E80  # CJK radicals onwards: kana, kanji, full-width forms


def needs_cjk_font(page: str) -> bool:
    return any(ord(character) >= FIRST_CJK for character in page)


def font_face_rule(page: str) -> str:
    """`@font-face` for the characters of `page` (all of them, Latin included: it becomes the page's font), or ""
    when the page has no CJK character or the font is missing."""
    if not needs_cjk_font(page):
        return ""
    data = _subset("".join(sorted(set(page))))
    if not data:
        return ""
    encoded = base64.b64encode(data).decode("ascii")
    # The page's first font, not a fallback: text waits for a first font to load, while a fallback loaded late
    # leaves the words laid out before it as empty boxes (Chromium keeps their first shaping).
    return (f'@font-face {{ font-family: "{FAMILY}"; src: url(data:font/otf;base64,{encoded}) format("opentype"); '
            f'font-display: block; }}\nbody, svg text {{ font-family: "{FAMILY}", sans-serif; }}')


@lru_cache(maxsize=8)
def _subset(characters: str) -> bytes:
    from fontTools import subset

    path = assets_dir() / "fonts" / FONT_FILE
    if not path.is_file():
        return b""
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()
