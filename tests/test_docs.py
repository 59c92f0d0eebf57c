"""The documentation's links: every relative link in README.md and docs/ names a file of this repository
(a link into the design folder beside the checkout, or any path outside the repo, breaks for everyone who
clones it), and every anchor-free link to a Markdown page resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PAGES = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|!\[[^\]]*\]\(([^)\s]+)\)")
CODE = re.compile(r"`[^`]*`")


def relative_links(page: Path) -> list[tuple[int, str]]:
    found = []
    in_fence = False
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for match in LINK.finditer(CODE.sub("", line)):
            target = match.group(1) or match.group(2)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue  # a web address or an anchor in the same page
            found.append((number, target.split("#", 1)[0]))
    return found


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(REPO)) for p in PAGES])
def test_every_relative_link_stays_in_the_repo_and_resolves(page: Path) -> None:
    problems = []
    for line, target in relative_links(page):
        resolved = (page.parent / target).resolve()
        if REPO not in resolved.parents and resolved != REPO:
            problems.append(f"{page.relative_to(REPO)}:{line}: {target} points outside the repository")
        elif not resolved.exists():
            problems.append(f"{page.relative_to(REPO)}:{line}: {target} does not exist")
    assert problems == [], "\n".join(problems)


def test_a_link_outside_the_repo_is_caught(tmp_path: Path) -> None:
    sample = tmp_path / "sample.md"
    sample.write_text("See [the design](../shared/design/ARCHITECTURE.md) and [web](https://example.org).\n",
                      encoding="utf-8")
    assert relative_links(sample) == [(1, "../shared/design/ARCHITECTURE.md")]
