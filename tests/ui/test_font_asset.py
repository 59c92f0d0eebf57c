"""The bundled Noto Sans CJK JP subsets: pygame loads them and they draw real kanji, not .notdef boxes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest
from fontTools.ttLib import TTFont

from game.resources import assets_dir

# No window is opened: fonts render to surfaces, but SDL must not look for a display on CI.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

FONTS_DIR = assets_dir() / "fonts"
FACES = sorted(FONTS_DIR.glob("NotoSansCJKjp-*-subset.otf"))
SAMPLE = "日米安全保障条約 — Article V"
# Characters the game's texts need beyond the sample: kana, long vowel mark, yen, ideographic punctuation,
# Hepburn macrons, curly quotes, ellipsis, arrows, multiplication sign, middle dot, fullwidth digits.
MUST_COVER = "ぁゖァヶー々〆「」『』、。・¥€°×·…←→↑↓‘’“”–—ōūŌŪ０９ＡＺ尖閣諸島沖縄与那国済州嶋"
PRIVATE_USE = "\ue000"  # in no font: renders as .notdef


@pytest.fixture(scope="module")
def pygame_font() -> Iterator[None]:
    pygame.font.init()
    yield
    pygame.font.quit()


def test_regular_and_bold_are_bundled_with_licence() -> None:
    names = {path.name for path in FACES}
    assert "NotoSansCJKjp-Regular-subset.otf" in names
    licence = (FONTS_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Reserved Font Name" in licence
    assert sum(path.stat().st_size for path in FACES) < 12_000_000


@pytest.mark.parametrize("path", FACES, ids=lambda p: p.name)
def test_cmap_covers_sample_and_jis_x_0208(path: Path) -> None:
    cmap = TTFont(str(path), lazy=True).getBestCmap()
    missing = [c for c in SAMPLE + MUST_COVER if ord(c) not in cmap]
    assert not missing
    # A spread of JIS X 0208 level-1 and level-2 kanji, decoded from EUC-JP (rows 16, 47, 48, 84).
    for euc in (b"\xb0\xa1", b"\xcf\xd3", b"\xd0\xa1", b"\xf4\xa6"):
        assert ord(euc.decode("euc_jp")) in cmap, euc


@pytest.mark.parametrize("path", FACES, ids=lambda p: p.name)
def test_pygame_renders_distinct_kanji_glyphs(pygame_font: None, path: Path) -> None:
    font = pygame.font.Font(str(path), 32)
    surface = font.render(SAMPLE, True, (0, 0, 0), (255, 255, 255))
    assert surface.get_width() > 200 and surface.get_height() >= 32

    def pixels(char: str) -> bytes:
        return pygame.image.tobytes(font.render(char, True, (0, 0, 0), (255, 255, 255)), "RGB")

    notdef = pixels(PRIVATE_USE)
    kanji = [pixels(c) for c in "日米安全保障条約"]
    assert all(image != notdef for image in kanji)
    assert len(set(kanji)) == len(kanji)  # eight different shapes, not one repeated box
    for metric in font.metrics(SAMPLE):
        assert metric is not None and metric[4] > 0  # every character has an advance
