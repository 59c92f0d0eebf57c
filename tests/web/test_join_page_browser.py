"""The join page in headless Chromium (Debian's): labels, language, validation; screenshots at two sizes."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not CHROMIUM.is_file():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

import uvicorn  # noqa: E402
from starlette.applications import Starlette  # noqa: E402

from game.server.web_routes import web_routes  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=web_routes()), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True)
        yield launched
        launched.close()


def test_join_page_takes_the_room_from_the_address_and_checks_the_seat_code(browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{base_url}/?room=k7m2qx&lang=en")
    page.wait_for_function("document.getElementById('join-button').textContent.length > 0")
    assert page.input_value("#room") == "K7M2QX"
    assert page.get_by_label("Seat code").is_visible()  # a real <label> names the field
    page.fill("#code", "abc")
    page.keyboard.press("Enter")
    assert "eight letters" in page.text_content("#join-error")
    assert page.url.startswith(f"{base_url}/?")  # refused on the page, nothing sent
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "web_join_1366x768.png"))
    page.fill("#code", "abcd-efgh")
    page.keyboard.press("Enter")
    page.wait_for_url("**/seat?room=K7M2QX*")
    page.close()


def test_join_page_in_japanese_sets_the_lang_attribute(browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{base_url}/?room=K7M2QX")
    page.wait_for_function("document.getElementById('join-button').textContent.length > 0")
    page.select_option("#language", "ja")
    page.wait_for_function("document.documentElement.lang === 'ja'")
    assert page.text_content("#code-label") == "席コード"
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=str(SCREENSHOTS / "web_join_ja_390x844.png"))
    page.close()
