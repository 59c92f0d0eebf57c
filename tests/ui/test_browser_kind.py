"""The browser's label for a scenario's kind: historical, hypothetical, or partly hypothetical."""

from __future__ import annotations

import os

from game.scenario.catalog import discover
from game.scenario.models import Scenario

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from game.ui.browser_scene import kind_label
from game.ui.i18n import set_language

SHIPPED = {e.scenario_id: e.result.scenario for e in discover() if e.shipped and e.result.scenario is not None}


def _shipped(scenario_id: str) -> Scenario:
    scenario = SHIPPED[scenario_id]
    assert scenario is not None
    return scenario


def test_a_hypothetical_scenario_with_a_historical_path_is_partly_hypothetical() -> None:
    set_language("en")
    assert kind_label(_shipped("defense_buildup_2022")) == "Partly hypothetical"
    assert kind_label(_shipped("example_alliance")) == "Hypothetical"
    assert kind_label(_shipped("senkaku_2010")) == "Historical"


def test_the_label_is_translated() -> None:
    set_language("ja")
    try:
        assert kind_label(_shipped("defense_buildup_2022")) == "一部仮想"
    finally:
        set_language("en")
