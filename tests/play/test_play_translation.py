"""The play layer speaks the player's language: news, advice, rejections, dates and numbers."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from game.play.advisors import advise_session
from game.play.commands import Choose, CommandRejected, SetLever
from game.play.dates import date_label, month_name
from game.play.news import news_text
from game.play.numbers import (
    format_amount,
    format_change,
    format_number,
    format_percent,
    format_range,
    format_value,
)
from game.play.session import Session
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario
from game.scenario.months import month_number, year_and_month, year_month_text
from game.translation import set_language

ROLE = "alpha_pm"


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    set_language("en")


def _at_crisis(scenario: Scenario, seed: int = 5) -> Session:
    session = Session.start(scenario, ROLE, seed)
    session.end_turn()
    session.end_turn()
    return session


def _obligation_now(data: dict[str, Any]) -> None:
    data["treaties"][0]["articles"][0]["obligation"]["trigger"] = "turn >= 1"


def test_old_news_is_told_again_in_the_language_now_chosen(
    edited_two_desks: Callable[[Callable[[dict[str, Any]], None]], Path],
) -> None:
    scenario = load_scenario(edited_two_desks(_obligation_now)).scenario
    assert scenario is not None
    session = _at_crisis(scenario, 9)
    session.apply(Choose(ROLE, "obligation:pact.art1", "evade"))
    session.apply(Choose(ROLE, "crisis", "stand_firm"))
    session.end_turn()
    english = [news_text(item, scenario) for item in session.news]
    assert "Prime Minister of Alpha: 'A crisis at sea' — Stand firm." in english
    assert "Mutual Pact, Article 1: evaded." in english
    set_language("ja")
    japanese = [news_text(item, scenario) for item in session.news]
    assert "Prime Minister of Alpha：「A crisis at sea」— Stand firm。" in japanese
    assert "Mutual Pact Article 1：義務を回避しました。" in japanese
    assert "Mutual Pact Article 1：義務が発動しました。" in japanese
    assert [news_text(item, scenario, "en") for item in session.news] == english  # an explicit language wins


def test_the_ending_is_news_in_either_language(two_desks: Scenario) -> None:
    session = Session.start(two_desks, ROLE, 4)
    while not session.is_over:
        for pending in session.pending_decisions(ROLE):
            if pending.awaits_choice:
                session.apply(Choose(ROLE, pending.event_id, pending.default_choice))
        session.end_turn()
    ending = session.news[-1]
    assert ending.kind == "ending"
    assert news_text(ending, two_desks).startswith("The game ends")
    assert news_text(ending, two_desks, "ja").startswith(("ゲーム終了：", "シナリオのどの結末にも"))


def test_advice_in_japanese_is_japanese_around_the_scenario_text(two_desks: Scenario) -> None:
    english = advise_session(_at_crisis(two_desks), ROLE, "crisis", worlds=200, turns=4)
    japanese = advise_session(_at_crisis(two_desks), ROLE, "crisis", worlds=200, turns=4, language="ja")
    hawk_en, hawk_ja = (next(a for a in board.advice if a.advisor_id == "hawk") for board in (english, japanese))
    assert hawk_ja.scores == hawk_en.scores and hawk_ja.choice_id == hawk_en.choice_id  # only the words change
    text = hawk_ja.explanation
    assert text.startswith("「Stand firm」を選ぶべきです。1年以内にAlliance credibilityは「Back down」の場合より約")
    assert "ポイント高くなります（80%の範囲は" in text
    assert "。 " not in text  # Japanese puts no space between sentences
    for english_word in ("Choose", "ends about", "within", "points", "range", "against"):
        assert english_word not in text
    dove = next(a for a in japanese.advice if a.advisor_id == "dove")
    assert "悲観的に見積もると" in dove.explanation  # the dove judges by the bad case
    # The player's own setting is untouched by advice asked for in another language.
    set_language("en")
    assert advise_session(_at_crisis(two_desks), ROLE, "crisis", worlds=50, turns=2).advice[0].explanation.startswith(
        "Choose")


def test_rejections_are_in_the_players_language(two_desks: Scenario) -> None:
    session = _at_crisis(two_desks)
    set_language("ja")
    with pytest.raises(CommandRejected) as caught:
        session.apply(SetLever(ROLE, "defense_budget", 9.0))
    assert caught.value.message == "Defense budgetは0.5から3 % of GDPの範囲で設定してください。9は範囲外です。"
    with pytest.raises(CommandRejected) as caught:
        session.end_turn()
    assert caught.value.message == "ターンを終える前に「A crisis at sea」を決めてください。"


def test_dates_in_both_languages(two_desks: Scenario) -> None:
    session = Session.start(two_desks, ROLE, 1)
    assert session.date_label() == "Q1 2030"
    assert session.date_label(5, "ja") == "2031年第2四半期"
    set_language("ja")
    assert session.date_label() == "2030年第1四半期"
    assert date_label(month_number("1960-05"), 1) == "1960年5月"
    assert date_label(month_number("1960-06"), 12) == "1960年"
    assert [month_name(m) for m in (1, 12)] == ["1月", "12月"]
    assert date_label(month_number("1960-05"), 1, "en") == "May 1960"


def test_months_round_trip() -> None:
    assert month_number("1960-05") == 1960 * 12 + 4
    assert year_and_month(month_number("1959-12")) == (1959, 12)
    assert year_month_text(month_number("0987-01")) == "0987-01"
    for text in ("1951-09", "1960-01", "2022-12"):
        assert year_month_text(month_number(text)) == text


@pytest.mark.parametrize(
    ("value", "significant", "text"),
    [
        (52.34, 3, "52.3"), (152.4, 3, "152"), (5.234, 3, "5.23"), (0.5234, 3, "0.523"), (50.0, 3, "50"),
        (12.2, 2, "12"), (5.26, 2, "5.3"), (0.342, 2, "0.34"), (-3.04, 2, "-3"), (0, 3, "0"),
        (-0.00001, 3, "0"), (1234567.0, 3, "1234567"), (9.96, 2, "10"), (math.nan, 3, "?"), (math.inf, 3, "?"),
    ],
)
def test_format_number(value: float, significant: int, text: str) -> None:
    assert format_number(value, significant) == text


def test_values_ranges_chances_and_amounts() -> None:
    assert format_value(52.34, "%") == "52.3%"
    assert format_value(1.234, "% of GDP") == "1.23 % of GDP"
    assert format_value(40, None) == "40"
    assert format_range(40.2, 55.4) == "40–55" and format_range(3.01, 2.99) == "3"
    assert format_percent(0.374) == "37%" and format_percent(math.nan) == "?"
    assert format_amount(12.2, None) == "12 points" and format_amount(1.0, "%") == "1 point"
    assert format_amount(0.34, "% of GDP") == "0.34 % of GDP"
    set_language("ja")
    assert format_amount(12.2, None) == "12ポイント" and format_amount(1.0, None) == "1ポイント"


def test_changes_carry_their_sign() -> None:
    assert format_change(1.434) == "+1.43" and format_change(-0.5) == "-0.5"
    assert format_change(0.00001) == "0" and format_change(math.nan) == "?"
    assert format_change(-12.4, 2) == "-12"
