"""Every real figure shown to a player is sourced where it is shown.

A text with a figure — a percentage, an amount of money, a count written with thousands separators, or
a number of troops, workers, missiles... — belongs to a block that cites a source (`sources:`, or a
variable's or lever's `source:`), or to a block marked `calibration: true` (the game's own scales).
Years and dates are not figures. Run one file: `pytest tests/campaign/test_figures.py -k <scenario id>`.
"""

from __future__ import annotations

import pytest
from campaign_texts import figure_in, player_texts, shipped

from game.scenario.models import Scenario

SHIPPED = shipped()


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("SACO agreed to return about 21% of the land.", "21%"),
        ("Japan pays about ¥188bn a year.", "¥188"),
        ("a ceiling of 23,055 funded workers", "23,055"),
        ("about 8,000 Marines are to move to Guam", "8,000"),
        ("North Korea fired 12 missiles that summer", "12 missiles"),
        ("防衛費は国内総生産の2％に", "2％"),
        ("総額43兆円の防衛力整備計画", "43兆"),
        ("The 2017 missiles crossed Hokkaido on 29 August 2017.", None),
        ("Signed on 8 September 1951; in force 28 April 1952.", None),
        ("Article V: an armed attack on territories under Japan's administration.", None),
    ],
)
def test_the_figure_pattern(text: str, figure: str | None) -> None:
    assert figure_in(text) == figure


@pytest.mark.parametrize("scenario", SHIPPED, ids=[s.id for s in SHIPPED])
def test_every_figure_cites_a_source_or_is_calibration(scenario: Scenario) -> None:
    unsourced = []
    for item in player_texts(scenario):
        if item.sources or item.calibration:
            continue
        figure = figure_in(item.english) or figure_in(item.japanese)
        if figure is None:
            continue
        fix = (
            "add `sources: [...]` to the block, or `calibration: true` if the figure is the game's own"
            if item.citable
            else "this block cannot cite: move the figure to a block that can, or rephrase"
        )
        unsourced.append(f"{scenario.id}: {item.where}: '{figure}' in \"{item.english[:70]}\" — {fix}")
    assert not unsourced, f"{len(unsourced)} figures without a source:\n" + "\n".join(unsourced)
