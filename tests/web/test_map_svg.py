"""The browser's map: the scenario's region from the map asset, small, with its places labelled."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from game.geography.map_data import WorldMap, load_world_map
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario, localized
from game.server.map_svg import region_svg

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
SVG = "{http://www.w3.org/2000/svg}"
MAX_BYTES = 150_000


@pytest.fixture(scope="module")
def world_map() -> WorldMap:
    return load_world_map()


def _scenario(path: Path) -> Scenario:
    result = load_scenario(path)
    assert result.scenario is not None, result.diagnostics
    return result.scenario


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_shipped_scenario_has_a_small_well_formed_map(path: Path, world_map: WorldMap) -> None:
    scenario = _scenario(path)
    text = region_svg(scenario, world_map, "en")
    assert len(text.encode()) < MAX_BYTES
    root = ElementTree.fromstring(text)  # well-formed XML: every name escaped
    assert root.tag == f"{SVG}svg"
    assert len(root.findall(f"{SVG}path")) >= 2  # land is drawn
    # No style element or script: the site's CSP forbids inline styles and scripts.
    assert root.find(f".//{SVG}style") is None and root.find(f".//{SVG}script") is None
    labels = {node.get("data-place"): node.text for node in root.iter(f"{SVG}text")}
    named = {place.id: localized(place.name, "en") for place in scenario.map.places}
    assert labels, "no place is labelled"
    assert all(named[place] == text for place, text in labels.items())


def test_the_okinawa_map_shows_its_bases_and_japan_in_japanese(world_map: WorldMap) -> None:
    scenario = _scenario(next(p for p in SCENARIOS if "okinawa" in p.stem))
    root = ElementTree.fromstring(region_svg(scenario, world_map, "ja"))
    titles = {node.text for node in root.iter(f"{SVG}title")}
    assert "Japan" in titles  # the country's path names it
    labels = [node.text or "" for node in root.iter(f"{SVG}text")]
    assert any(localized(place.name, "ja") in labels for place in scenario.map.places if place.kind == "base")
    assert any(any(ord(ch) > 0x3000 for ch in label) for label in labels)


def test_labels_do_not_overlap(world_map: WorldMap) -> None:
    for path in SCENARIOS:
        root = ElementTree.fromstring(region_svg(_scenario(path), world_map, "en"))
        rows = [(float(n.get("x", 0)), float(n.get("y", 0))) for n in root.iter(f"{SVG}text")]
        assert len(rows) == len(set(rows)), path.stem
