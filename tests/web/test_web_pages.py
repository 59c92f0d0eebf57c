"""The web client's files: served by web_routes(), text set as text only, nothing inline that the CSP forbids."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.applications import Starlette
from starlette.testclient import TestClient

from game.scenario.loader import load_scenario
from game.server.web_catalog import WEB_DIR
from game.server.web_routes import PAGES, web_routes

ROOT = Path(__file__).resolve().parents[2]


def _client() -> TestClient:
    scenario = load_scenario(ROOT / "scenarios" / "1995_okinawa.yaml").scenario
    return TestClient(Starlette(routes=web_routes(scenario=scenario)))


def test_no_script_writes_html() -> None:
    forbidden = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function")
    found = [f"{path.name}:{number}" for path in WEB_DIR.rglob("*.js")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if forbidden.search(line)]
    assert found == []


def test_pages_have_no_inline_script_style_or_handler() -> None:
    for path in WEB_DIR.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<style" not in text and " style=" not in text, path.name
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path.name
        assert not re.search(r"\son[a-z]+=", text), path.name
        assert not re.search(r"(src|href)=\"(https?:)?//", text), path.name  # no external URL


def test_every_page_the_map_and_the_catalogue_are_served() -> None:
    client = _client()
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    svg = client.get("/map.svg?lang=ja")
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert "嘉手納" in svg.text or "那覇" in svg.text
    assert client.get("/i18n/ja.json").json()["Room code"] == "ルームコード"
    assert client.get("/i18n/xx.json").status_code == 404
    assert client.get("/static/protocol.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200


def test_without_a_scenario_the_map_is_not_found() -> None:
    client = TestClient(Starlette(routes=web_routes()))
    assert client.get("/map.svg").status_code == 404
