"""Each scenario's page in docs/campaign/ lists every source of its file, under the heading of its kind.

Run one page: `pytest tests/campaign/test_campaign_docs.py -k <scenario id>`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from campaign_texts import shipped

from game.scenario.models import Scenario

CAMPAIGN_DOCS = Path(__file__).resolve().parents[2] / "docs" / "campaign"
# The index's table: | [title](page.md) | `scenario_id` | ...
ROW = re.compile(r"^\|[^|]*\]\((?P<page>[a-z0-9_]+\.md)\)[^|]*\|\s*`(?P<id>[a-z0-9_]+)`", re.MULTILINE)
HEADINGS = {"primary": "**Primary", "scholarly": "**Scholarly", "press": "**Press", "reference": "**Reference"}


def _pages() -> dict[str, Path]:
    index = (CAMPAIGN_DOCS / "README.md").read_text(encoding="utf-8")
    return {m["id"]: CAMPAIGN_DOCS / m["page"] for m in ROW.finditer(index)}


PAGES = _pages()
CAMPAIGN = [s for s in shipped() if s.id in PAGES]


def test_the_index_lists_the_campaign() -> None:
    assert len(PAGES) >= 7 and all(page.exists() for page in PAGES.values()), PAGES


@pytest.mark.parametrize("scenario", CAMPAIGN, ids=[s.id for s in CAMPAIGN])
def test_the_page_lists_its_sources_by_kind(scenario: Scenario) -> None:
    text = PAGES[scenario.id].read_text(encoding="utf-8")
    assert "## Sources" in text
    listed = text[text.index("## Sources"):]
    listed = listed[: listed.find("\n## ", 5)] if "\n## " in listed[5:] else listed
    problems = []
    for source in scenario.sources:
        if source.kind is None:
            problems.append(f"{source.id}: no `kind:` in the scenario file")
            continue
        heading = listed.find(HEADINGS[source.kind])
        # a bare link `<url>` or a Markdown link `[title](url)`
        where = max(listed.find(f"<{source.url}>"), listed.find(f"]({source.url})"))
        if where < 0:
            problems.append(f"{source.id}: {source.url} is not listed")
        elif heading < 0 or where < heading or any(
            heading < listed.find(other) < where for other in HEADINGS.values() if listed.find(other) >= 0
        ):
            problems.append(f"{source.id}: listed, but not under '{HEADINGS[source.kind]}'")
    assert not problems, "\n".join(problems)
