"""Build the bundled UI fonts: Noto Sans CJK JP subset to Latin + Japanese (JIS X 0208).

Run from the repository root:

    python tools/build_font.py                       # reads Debian's fonts-noto-cjk .ttc files
    python tools/build_font.py --source-dir /path/with/NotoSansCJK-*.ttc --out-dir assets/fonts

Writes assets/fonts/NotoSansCJKjp-{Regular,Bold}-subset.otf (CFF outlines, which pygame-ce's FreeType loads)
and assets/fonts/OFL.txt. Same source fonts give the same bytes (fontTools subsetting is deterministic and
the head.modified timestamp is pinned).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
FAMILY = "Noto Sans CJK JP"  # the Japanese face inside the CJK collection (glyph forms follow JIS)


@dataclass(frozen=True)
class Face:
    """One weight to build."""

    collection: str  # file name of the .ttc in the source directory
    style: str  # name ID 2 of the wanted face
    output: str  # file name written into the output directory


FACES = (
    Face("NotoSansCJK-Regular.ttc", "Regular", "NotoSansCJKjp-Regular-subset.otf"),
    Face("NotoSansCJK-Bold.ttc", "Bold", "NotoSansCJKjp-Bold-subset.otf"),
)

# Unicode blocks kept whole (inclusive ranges). JIS X 0208 adds Greek, Cyrillic, box drawing, math and the kanji.
RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement (¥ ° × · é ...)"),
    (0x0100, 0x017F, "Latin Extended-A (ō ū for Hepburn romanisation)"),
    (0x2000, 0x206F, "General Punctuation (– — ‘ ’ “ ” … • ‰)"),
    (0x20A0, 0x20BF, "Currency Symbols (€ ₩ ...)"),
    (0x2100, 0x214F, "Letterlike Symbols (℃ № ™)"),
    (0x2150, 0x218F, "Number Forms (Ⅰ Ⅱ Ⅲ ...)"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2212, 0x2212, "Minus sign"),
    (0x2460, 0x24FF, "Enclosed Alphanumerics (① ② ...)"),
    (0x25A0, 0x25FF, "Geometric Shapes (■ □ ▲ ● ○ ...)"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0x3040, 0x309F, "Hiragana"),
    (0x30A0, 0x30FF, "Katakana"),
    (0x31F0, 0x31FF, "Katakana Phonetic Extensions"),
    (0x3200, 0x32FF, "Enclosed CJK Letters and Months (㈱ ㊤ ...)"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
)

# Jōyō kanji (2010 list) whose standard form lies outside JIS X 0208.
EXTRA_KANJI = "𠮟塡剝頰"

# Layout features worth their bytes for UI text: kerning and proportional punctuation/kana spacing,
# plus the glyph composition pygame's shaper may apply. Vertical and alternate-form features are dropped.
LAYOUT_FEATURES = ["kern", "palt", "halt", "ccmp", "locl", "liga", "calt", "mark"]

# Pinned so that rebuilding the same source gives byte-identical output (2022-01-27, the Debian release date).
PINNED_MODIFIED = 3726086400


def jis_x_0208_characters() -> set[int]:
    """Every character of JIS X 0208 (rows 1–84), enumerated through Python's euc_jp codec."""
    found: set[int] = set()
    for first in range(0xA1, 0xFF):
        for second in range(0xA1, 0xFF):
            try:
                text = bytes((first, second)).decode("euc_jp")
            except UnicodeDecodeError:
                continue  # unassigned cell
            if len(text) == 1:
                found.add(ord(text))
    # euc_jp maps 0xA1C1 to WAVE DASH, while Windows (cp932) text uses FULLWIDTH TILDE; both are kept
    # (the fullwidth block is included whole). Same for the minus sign, added in RANGES.
    return found


def wanted_codepoints() -> set[int]:
    """The code points the subset must cover."""
    codepoints = jis_x_0208_characters()
    for first, last, _ in RANGES:
        codepoints.update(range(first, last + 1))
    codepoints.update(ord(c) for c in EXTRA_KANJI)
    return codepoints


def build_face(source: Path, face: Face, out_dir: Path, codepoints: set[int]) -> tuple[Path, int, int]:
    """Subset one face; return (path, covered code points, bytes)."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    collection = TTCollection(str(source), lazy=True)
    matches = [
        index
        for index, font in enumerate(collection.fonts)
        if font["name"].getDebugName(1) == FAMILY and font["name"].getDebugName(2) == face.style
    ]
    if not matches:
        raise ValueError(f"{source}: no face {FAMILY!r} {face.style!r} in the collection")
    # recalcTimestamp=False: head.modified would otherwise be set to "now" on save, breaking reproducibility.
    font = TTFont(str(source), fontNumber=matches[0], recalcTimestamp=False)
    available = set(font.getBestCmap())
    covered = sorted(codepoints & available)

    options = subset.Options()
    options.layout_features = LAYOUT_FEATURES
    # CFF hints would add ~0.7 MB (20 %) per face; UI text renders cleanly without them.
    options.hinting = False
    options.desubroutinize = False  # subroutines keep CFF small
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14]  # keep the copyright and licence notice
    options.name_languages = [0x409]
    options.notdef_outline = True
    options.glyph_names = False
    options.recalc_timestamp = False
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]  # vertical text is not used by the UI
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=covered)
    subsetter.subset(font)
    font["head"].modified = PINNED_MODIFIED

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / face.output
    font.save(str(path), reorderTables=True)
    return path, len(covered), path.stat().st_size


# The upstream notice (googlefonts/noto-cjk LICENSE); Debian's copyright file carries only the licence text.
UPSTREAM_NOTICE = (
    "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.",
    "Noto is a trademark of Google Inc.",
)


def ofl_text(copyright_file: Path) -> str:
    """The OFL 1.1 text from Debian's machine-readable copyright file, headed by the upstream notice."""
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if line == "License: SIL-1.1" and lines[i + 1 : i + 2] != [""]]
    if not starts:
        raise ValueError(f"{copyright_file}: no 'License: SIL-1.1' paragraph")
    body: list[str] = []
    for line in lines[starts[-1] + 1 :]:
        if not line.startswith(" "):
            break
        text = line[1:]
        body.append("" if text == "." else text)
    header = [
        *UPSTREAM_NOTICE,
        "",
        "The files NotoSansCJKjp-*-subset.otf in this folder are Modified Versions (subsets) made by",
        "tools/build_font.py from Noto Sans CJK JP 2.004. They keep the original font names, which the",
        "Reserved Font Name 'Source' does not restrict.",
        "",
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.",
        "This license is copied below, and is also available with a FAQ at: https://openfontlicense.org",
        "",
    ]
    return "\n".join(header + body).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source-dir", type=Path, default=DEFAULT_SOURCE_DIR)
    parser.add_argument("--copyright", type=Path, default=DEBIAN_COPYRIGHT, help="Debian copyright file with OFL")
    parser.add_argument("--out-dir", type=Path, default=Path(__file__).resolve().parent.parent / "assets" / "fonts")
    parser.add_argument("--regular-only", action="store_true", help="skip the Bold face")
    args = parser.parse_args(argv)
    codepoints = wanted_codepoints()
    faces = FACES[:1] if args.regular_only else FACES
    try:
        total = 0
        for face in faces:
            source = args.source_dir / face.collection
            if not source.is_file():
                raise FileNotFoundError(f"{source}: not found (apt-get install fonts-noto-cjk, or pass --source-dir)")
            path, covered, size = build_face(source, face, args.out_dir, codepoints)
            total += size
            print(f"wrote {path}: {covered} of {len(codepoints)} wanted code points, {size} bytes")
        licence = args.out_dir / "OFL.txt"
        licence.write_text(ofl_text(args.copyright), encoding="utf-8")
        print(f"wrote {licence}; fonts total {total} bytes")
    except (FileNotFoundError, ValueError) as error:
        print(f"build_font: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
