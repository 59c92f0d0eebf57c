"""The pack rendered in headless Chromium (Debian's `chromium`, which .ci/run installs): a screenshot of its first
page shows the cover, and the printed PDF has a page per section on A4 and on Letter paper.

Skipped, saying why, only where Chromium cannot be had.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.report.lesson_script import Lesson

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium; .ci/run does it)")
SECTIONS = 11  # the cover and ten sections, each starting a page
A4 = (595, 842)  # points, as pdfinfo reports them (rounded)
LETTER = (612, 792)


def chromium(page: Path, tmp_path: Path, *arguments: str) -> None:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               *arguments, page.as_uri()]
    subprocess.run(command, check=True, capture_output=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})


def pdf_pages(pdf: Path) -> list[tuple[int, int]]:
    """Each page's size in points, from the PDF's own page objects."""
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]",
                       data, re.DOTALL)
    if not boxes:  # MediaBox may come before /Type in the dictionary
        boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    return [(round(float(x1) - float(x0)), round(float(y1) - float(y0))) for x0, y0, x1, y1 in boxes]


@needs_chromium
def test_the_first_page_renders_as_a_cover(lesson: Lesson, tmp_path: Path) -> None:
    pygame = pytest.importorskip("pygame")
    shot = tmp_path / "first.png"
    chromium(lesson.out / "index.html", tmp_path, f"--screenshot={shot}", "--window-size=900,1200",
             "--hide-scrollbars")
    image = pygame.image.load(str(shot))
    assert image.get_size() == (900, 1200)
    # The cover's title is large dark text near the top; the page below it is mostly white paper.
    dark_top = sum(1 for x in range(0, 900, 3) for y in range(30, 110, 3) if sum(image.get_at((x, y))[:3]) < 200)
    white = sum(1 for x in range(0, 900, 10) for y in range(0, 1200, 10) if sum(image.get_at((x, y))[:3]) > 740)
    assert dark_top > 100, "no title drawn at the top of the first page"
    assert white > 0.6 * (90 * 120), "the page is not mostly paper"
    accent = sum(1 for x in range(0, 900, 2) for y in range(0, 1200, 4)
                 if image.get_at((x, y))[2] > 150 and image.get_at((x, y))[0] < 60)
    assert accent > 20, "the accent colour (kicker, rules, links) is missing: the inline CSS did not apply"


@needs_chromium
@pytest.mark.parametrize(("paper", "size"), [("A4", A4), ("letter", LETTER)])
def test_the_pack_prints_a_page_per_section(lesson: Lesson, tmp_path: Path, paper: str,
                                            size: tuple[int, int]) -> None:
    # The pack leaves the paper to the printer; here the printer's choice is given as a user style would.
    page = (lesson.out / "index.html").read_text(encoding="utf-8")
    sized = tmp_path / "index.html"
    sized.write_text(page.replace("</head>", f"<style>@page {{ size: {paper}; }}</style></head>", 1),
                     encoding="utf-8")
    pdf = tmp_path / "pack.pdf"
    chromium(sized, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    pages = pdf_pages(pdf)
    assert len(pages) >= SECTIONS
    assert set(pages) == {size}
    text = _pdf_text(pdf)
    if text is not None:  # poppler's pdftotext, when installed: each section's heading opens a page
        firsts = [next((line for line in page.splitlines() if line.strip()), "") for page in text.split("\f")]
        assert firsts[0] == "DEBRIEF PACK"
        for heading in ("The roles, revealed", "Timeline", "Decisions", "The facilitator's actions", "Key variables",
                        "The biggest moves, explained", "Obligation ledger", "Chance", "Questions for the debrief",
                        "Teacher appendix"):
            assert heading in firsts, f"{heading!r} does not start a page"


def _pdf_text(pdf: Path) -> str | None:
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    return subprocess.run([tool, str(pdf), "-"], check=True, capture_output=True, text=True).stdout
