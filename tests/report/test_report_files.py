"""The pack's and the cards' HTML are self-contained (parsed with html.parser); the role cards keep each
private briefing on a page of its own; a headless game makes a pack too."""

from __future__ import annotations

from pathlib import Path

import pytest
from self_contained import outside_references, tags

from game.report.cards import role_cards
from game.report.exports import write_pack
from game.report.html_pages import cards_html
from game.report.pack import build_pack
from game.report.played import ReportProblem, game_played_headless
from game.scenario.models import Scenario
from tests.report.lesson_script import FIXTURE, Lesson


def test_the_pack_loads_nothing_from_outside(lesson: Lesson) -> None:
    page = (lesson.out / "index.html").read_text(encoding="utf-8")
    assert outside_references(page) == []
    found = tags(page)
    assert "svg" in found and "style" in found and "script" not in found and "link" not in found and "img" not in found


@pytest.mark.parametrize("intruder", [
    '<img src="https://example.org/logo.png">',
    '<link rel="stylesheet" href="style.css">',
    '<script src="file:///tmp/x.js"></script>',
    "<style>@font-face { src: url(fonts/noto.ttf); }</style>",
    '<div style="background: url(\'http://example.org/bg.png\')"></div>',
    '<svg><image xlink:href="map.png"/></svg>',
])
def test_the_checker_catches_every_kind_of_outside_reference(intruder: str) -> None:
    page = f"<html><body><a href=\"#cover\">in the page</a>{intruder}</body></html>"
    assert outside_references(page) != []


def test_role_cards_put_each_private_briefing_on_its_own_page(desks: Scenario) -> None:
    cards = role_cards(desks, ["beta_leader", "alpha_pm"], "en")
    assert [c.team for c in cards] == ["Team A", "Team B"]
    page = cards_html(cards, "en", "Classroom Desks", {"cards": "Role cards", "public": "Public briefing",
                                                        "private": "Private briefing", "private_note": "",
                                                        "objectives": "Objectives", "advisors": "Your advisors",
                                                        "code": "Code", "team": "Team", "scenario": ""})
    assert outside_references(page) == []
    fronts = page.split('<div class="card card-private">')
    # the front of each card (before its private page) never shows a private briefing
    assert len(fronts) == 3
    assert "SECRET" not in fronts[0]
    assert "SECRET-BETA" in fronts[1] and "SECRET-ALPHA" not in fronts[1].split('class="card card-public"')[0]
    assert "Code:" in page  # the blank code field for the networked classroom


def test_cards_refuse_a_role_that_cannot_be_played(desks: Scenario) -> None:
    with pytest.raises(ReportProblem, match="no playable role 'nobody'"):
        role_cards(desks, ["nobody"], "en")


def test_a_game_played_headless_makes_a_pack(tmp_path: Path) -> None:
    game = game_played_headless("example_alliance", ["japan_pm", "us_president"], "random", 5, turns=3)
    assert len(game.session.history) == 4 and game.source == "headless"
    pack = build_pack(game, "en", chance_worlds=64, advice_worlds=8)
    write_pack(game, pack, tmp_path)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert dict(pack.cover)["Played"] == "headless, every decision by the policy 'random'"
    assert outside_references(page) == []
    assert pack.chance is not None and pack.chance.turns == 3


def test_the_random_policy_plays_the_same_game_for_the_same_seed() -> None:
    first = game_played_headless(FIXTURE, ["alpha_pm", "beta_leader"], "random", 9)
    again = game_played_headless(FIXTURE, ["alpha_pm", "beta_leader"], "random", 9)
    assert first.session.commands == again.session.commands
    other = game_played_headless(FIXTURE, ["alpha_pm", "beta_leader"], "random", 10)
    chosen = [c for c in first.session.commands if c.to_json()["kind"] == "choose"]
    assert chosen and chosen != [c for c in other.session.commands if c.to_json()["kind"] == "choose"]


def test_headless_problems_are_reported_not_raised_as_tracebacks() -> None:
    with pytest.raises(ReportProblem, match="no playable role 'nobody'"):
        game_played_headless(FIXTURE, ["nobody"], "historical", 1)
    with pytest.raises(ReportProblem, match="no policy 'smart'"):
        game_played_headless(FIXTURE, ["alpha_pm"], "smart", 1)
    with pytest.raises(ReportProblem, match="no_such_scenario"):
        game_played_headless("no_such_scenario", ["alpha_pm"], "historical", 1)
