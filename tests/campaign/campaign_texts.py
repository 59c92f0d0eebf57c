"""Every player-facing text of a scenario, with the block that can cite sources for it.

Shared by the campaign's figure, Japanese-coverage and source-quality tests. Texts are found by walking
the validated models and taking every field declared as `LocalizedText`, so a text field added to the
format later is covered without a change here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel

from game.scenario.catalog import discover
from game.scenario.models import Citations, LocalizedText, Scenario, TextBlock, english
from game.scenario.yaml_reader import format_path

# A figure: a percentage, an amount of money, a count with thousands separators, or a number of troops,
# workers, missiles... Years and dates are not figures.
_COUNTED = (
    r"troops|soldiers|marines|sailors|workers|employees|personnel|hectares|acres|missiles|warheads|ships|"
    r"vessels|aircraft|jets|seats|votes|voters|people|protesters|demonstrators|bases|facilities|islets|"
    r"incursions|intrusions|scrambles|launches|tests"
)
NOT_A_YEAR = r"(?!(?:1[89]|20)\d\d\b)"
FIGURE = re.compile(
    r"\d+(?:\.\d+)?\s?(?:%|％|percent\b|per cent\b|パーセント)"  # a share
    r"|[¥$￥]\s?\d[\d,.]*|\d+(?:\.\d+)?\s?(?:trillion|billion|million|bn\b|兆|億|万円|万人|万ドル)"  # money
    r"|\b\d{1,3}(?:,\d{3})+\b"  # 23,055
    rf"|\b{NOT_A_YEAR}\d+(?:\.\d+)?\s+(?:{_COUNTED})\b",  # 8,000 Marines, 12 missiles (not "2017 missiles")
    re.IGNORECASE,
)


def figure_in(text: str) -> str | None:
    """The first figure in `text`, or None."""
    found = FIGURE.search(text)
    return found.group(0) if found else None


_LOCALIZED = get_args(LocalizedText)[0]  # the `str | dict[language, str]` inside the Annotated alias


@dataclass(frozen=True)
class PlayerText:
    """One text shown to players, and the citations of the block it belongs to."""

    where: str  # key path, e.g. `events[3].choices[0].text`
    path: tuple[str | int, ...]  # the same path as a tuple (its keys may contain dots: `us.protection`)
    text: LocalizedText
    sources: tuple[str, ...]  # the block's `sources:` (and a variable's or lever's `source:`)
    calibration: bool  # the block says its figures are the game's own
    citable: bool  # the block has `sources:` at all (a role's title, say, cannot cite)

    @property
    def english(self) -> str:
        return english(self.text)

    @property
    def japanese(self) -> str:
        return self.text.get("ja", "") if isinstance(self.text, dict) else ""


def _is_localized(annotation: Any) -> bool:
    if annotation == _LOCALIZED:
        return True
    return any(_is_localized(arg) for arg in get_args(annotation) if arg is not type(None))


@cache
def _localized_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(name for name, info in model.model_fields.items() if _is_localized(info.annotation))


def player_texts(scenario: Scenario) -> list[PlayerText]:
    """Every localised text of `scenario` (its source list aside: titles of documents are not translated)."""
    found: list[PlayerText] = []
    root = (tuple(scenario.summary_sources), scenario.summary_calibration, True)

    def walk(node: object, path: tuple[str | int, ...], owner: tuple[tuple[str, ...], bool, bool]) -> None:
        if isinstance(node, BaseModel):
            if isinstance(node, Citations):
                single = getattr(node, "source", None)
                cited = (*node.sources, single) if isinstance(single, str) and single else tuple(node.sources)
                owner = (cited, isinstance(node, TextBlock) and node.calibration, True)
            elif not isinstance(node, Scenario):
                owner = ((), False, False)
            texts = _localized_fields(type(node))
            for name, info in type(node).model_fields.items():
                value = getattr(node, name)
                if node is scenario and name == "sources":
                    continue
                here = (*path, info.alias or name)
                if name in texts:
                    if value is not None:
                        found.append(PlayerText(format_path(here), here, value, *owner))
                else:
                    walk(value, here, owner)
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key), owner)
        elif isinstance(node, list | tuple):
            for index, value in enumerate(node):
                walk(value, (*path, index), owner)

    walk(scenario, (), root)
    return found


@cache
def shipped() -> tuple[Scenario, ...]:
    """The shipped scenarios, in calendar order."""
    scenarios = [e.result.scenario for e in discover() if e.shipped and e.result.scenario is not None]
    return tuple(sorted(scenarios, key=lambda s: s.calendar.start))
