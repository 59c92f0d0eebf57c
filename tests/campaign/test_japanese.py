"""Every player-facing text of every shipped scenario has Japanese, in characters the bundled font has.

Coverage is the share of localised texts (titles, summaries, briefings, events, choices, history notes,
endings, objectives, levers, article summaries, names on the map...) with a non-empty `ja`; a base's
texts count in each scenario that extends it. Run one file with its coverage printed:
`pytest tests/campaign/test_japanese.py -k <scenario id> -rA`.
"""

from __future__ import annotations

import pytest
from campaign_texts import player_texts, shipped

from game.scenario.models import Scenario

MINIMUM = 0.95
# Beyond JIS X 0208 (what the bundled font subset is cut to), the few characters tests/ui/test_font_asset.py
# checks the font for.
FONT_EXTRAS = set("¥€°×·…–—ōūŌŪ‘’“”")
SHIPPED = shipped()


def coverage(scenario: Scenario) -> tuple[int, int, list[str]]:
    """(texts with Japanese, all texts, where the Japanese is missing)."""
    texts = player_texts(scenario)
    missing = [item.where for item in texts if not item.japanese.strip()]
    return len(texts) - len(missing), len(texts), missing


def outside_the_font(text: str) -> str:
    """The characters of `text` that the bundled font cannot draw."""
    bad = []
    for char in text:
        if ord(char) < 128 or char in FONT_EXTRAS:
            continue
        try:
            char.encode("iso2022_jp")  # ASCII + JIS X 0208 (+ JIS X 0201 Roman) only
        except UnicodeEncodeError:
            bad.append(char)
    return "".join(sorted(set(bad)))


def test_coverage_counts_missing_japanese() -> None:
    scenario = next(s for s in SHIPPED if isinstance(s.title, dict) and s.title.get("ja"))
    with_ja, total, missing = coverage(scenario)
    assert total == with_ja + len(missing) and total > 100 and "title" not in missing
    english_title = scenario.model_copy(update={"title": "English only"})
    assert coverage(english_title) == (with_ja - 1, total, ["title", *missing])


def test_font_check_catches_characters_outside_jis_x_0208() -> None:
    assert outside_the_font("日米安全保障条約、事前協議・在日米軍駐留経費負担 ¥2.05bn — 2％") == ""
    assert set(outside_the_font("𠮷野家と髙島屋")) == {"𠮷", "髙"}


@pytest.mark.parametrize("scenario", SHIPPED, ids=[s.id for s in SHIPPED])
def test_japanese_coverage(scenario: Scenario) -> None:
    with_ja, total, missing = coverage(scenario)
    share = with_ja / total
    print(f"{scenario.id}: Japanese for {with_ja} of {total} texts ({share:.1%})")
    assert share >= MINIMUM, (
        f"{scenario.id}: Japanese for {with_ja} of {total} texts ({share:.1%}, below {MINIMUM:.0%}); "
        f"missing at: {', '.join(missing[:40])}{' ...' if len(missing) > 40 else ''}"
    )


@pytest.mark.parametrize("scenario", SHIPPED, ids=[s.id for s in SHIPPED])
def test_japanese_is_in_the_font(scenario: Scenario) -> None:
    bad = [f"{item.where}: {chars}" for item in player_texts(scenario) if (chars := outside_the_font(item.japanese))]
    assert not bad, "characters the bundled font cannot draw:\n" + "\n".join(bad)
