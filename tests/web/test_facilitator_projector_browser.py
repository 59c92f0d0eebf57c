"""The facilitator's and the projector's pages in headless Chromium against a real classroom server: the
facilitator pauses the clock and injects an event (the seats' own sockets see both), the projector shows the
turn and who is ready and none of any seat's private text; screenshots at 1366x768."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import connect
from websockets.typing import Origin

pytestmark = pytest.mark.slow
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


class SeatSocket:
    """A seat's device as a plain websockets client: what the server sent it, by type (the latest of each)."""

    def __init__(self, url: str, room: str, code: str) -> None:
        self.socket = connect(url.replace("http://", "ws://") + "/ws", origin=Origin(url), proxy=None)
        self.latest: dict[str, dict[str, Any]] = {}
        self.socket.send(json.dumps({"type": "hello", "room": room, "code": code, "language": "en"}))
        self.until(lambda message: message["type"] == "seat")

    def until(self, wanted: Callable[[dict[str, Any]], bool], seconds: float = 20) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            message: dict[str, Any] = json.loads(self.socket.recv(timeout=max(0.01, deadline - time.monotonic())))
            self.latest[message["type"]] = message
            if wanted(message):
                return message
        raise AssertionError("the server did not send the awaited message")

    def send(self, message: dict[str, Any]) -> None:
        self.socket.send(json.dumps(message))


@pytest.fixture(scope="module")
def seats(live_room: Any) -> Iterator[dict[str, SeatSocket]]:
    opened = {role: SeatSocket(live_room.url, live_room.codes.room, code)
              for role, code in live_room.codes.seats.items()}
    yield opened
    for seat in opened.values():
        seat.socket.close()


def _private_texts(live_room: Any) -> list[str]:
    def read(room: Any) -> list[str]:
        views = [room.seat_view(role, "en") for role in live_room.codes.seats]
        return [text for view in views for text in (view.private_briefing, *view.objectives) if text]
    texts: list[str] = live_room.host.run_in_room(read).result(timeout=10)
    assert texts  # the scenario has private text to leak, so its absence below means something
    return texts


def test_the_facilitator_pauses_the_clock_and_injects_an_event(browser: Any, live_room: Any,
                                                                seats: dict[str, SeatSocket]) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{live_room.url}/facilitator?room={live_room.codes.room}&lang=en")
    page.get_by_label("Facilitator key").fill(live_room.codes.control)  # a real <label> names the field
    page.keyboard.press("Enter")
    page.wait_for_selector("#console:not([hidden])")
    expect(page.locator("#seats tr")).to_have_count(2)
    assert page.input_value("#room") == live_room.codes.room

    page.focus("#pause")
    page.keyboard.press("Enter")  # keyboard only
    seat = next(iter(seats.values()))
    seat.until(lambda message: (message["type"] == "clock" and message["paused"])
               or (message["type"] == "public" and message["clock"]["paused"]))
    assert live_room.host.run_in_room(lambda room: room.clock.paused).result(timeout=10)
    expect(page.locator("#status")).to_have_text("Done.")

    event = page.eval_on_selector("#inject-event", "select => select.value")
    assert event, "the scenario has an injectable event"
    page.click("#inject-button")
    owner = _owner_of(seats, event)
    assert owner, f"no seat got the injected decision {event}"
    expect(page.locator("#log li").first).to_be_visible()

    page.click("#inject-button")  # the same event again: refused by the game, said in the status line
    expect(page.locator("#status")).not_to_have_text(re.compile(r"^(Done\.|Sending…|)$"))
    assert page.get_attribute("#status", "aria-live") == "polite"

    page.fill("#adjust-value", "60")
    page.fill("#adjust-reason", "A ceasefire rumour")
    page.focus("#adjust-reason")
    page.keyboard.press("Enter")
    seat.until(lambda message: message["type"] == "public"
               and any("A ceasefire rumour" in item["text"] for item in message["news"]))
    expect(page.locator("#status")).to_have_text("Done.")

    page.click("#export")
    expect(page.locator("#export-path")).to_contain_text(str(live_room.host.folder), timeout=60_000)

    page.click("#new-code-" + owner[0])
    expect(page.locator("#new-code")).to_contain_text("-")
    other = seats[next(role for role in seats if role != next(iter(seats)))]
    device = other.latest["welcome"]["connection"]
    page.click("#remove-" + device)
    assert other.until(lambda message: message["type"] == "bye")["reason"]
    expect(page.locator("#remove-" + device)).to_have_count(0)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "web_facilitator_1366x768.png"))
    context.close()


def _owner_of(seats: dict[str, SeatSocket], event: str) -> list[str]:
    """The seats whose own view now holds the injected decision (each socket read until it does, or a while)."""
    owners = []
    for role, socket in seats.items():
        try:
            socket.until(lambda message: message["type"] == "seat"
                         and any(decision["event"] == event for decision in message["decisions"]), seconds=5)
        except (AssertionError, TimeoutError):
            continue
        owners.append(role)
    return owners


def test_the_projector_shows_the_turn_and_who_is_ready_and_no_private_text(browser: Any, live_room: Any,
                                                                            seats: dict[str, SeatSocket]) -> None:
    role, seat = next(iter(seats.items()))
    turn = seat.latest["public"]["turn"]
    seat.send({"type": "ready", "id": 900, "turn": turn})
    seat.until(lambda message: message["type"] == "ack" and message["id"] == 900)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{live_room.url}/projector?room={live_room.codes.room}&lang=en#{live_room.codes.projector}")
    page.wait_for_selector("#board:not([hidden])")
    expect(page.locator("#seats li")).to_have_count(2)
    assert "#" not in page.url  # the token left the visible address
    assert f"turn {turn + 1} of" in page.text_content("#date")
    marks = [text.strip() for text in page.locator("#seats li").all_text_contents()]
    title = live_room.host.run_in_room(lambda room: room.seat_view(role, "en").title).result(timeout=10)
    assert any(title in text and "✓ Ready" in text for text in marks), marks  # a word and a mark, not a colour
    assert any("Not ready" in text for text in marks), marks
    shown = page.text_content("body") or ""
    assert shown.strip()
    for private in _private_texts(live_room):
        assert private not in shown
    page.screenshot(path=str(SCREENSHOTS / "web_projector_1366x768.png"), full_page=False)
    context.close()


def test_the_projector_in_japanese_on_a_phone_takes_the_token_from_its_form(browser: Any, live_room: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_room.url}/projector?room={live_room.codes.room}&lang=ja")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.get_by_label("プロジェクタートークン").fill("wrong-token")
    page.keyboard.press("Enter")
    expect(page.locator("#key-form")).to_be_visible()  # refused: the form is back, the reason in the status
    expect(page.locator("#status")).not_to_be_empty()
    page.get_by_label("プロジェクタートークン").fill(live_room.codes.projector)
    page.keyboard.press("Enter")
    expect(page.locator("#seats li")).to_have_count(2)
    expect(page.locator("#seats-heading")).to_have_text("準備完了の状況")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=str(SCREENSHOTS / "web_projector_ja_390x844.png"))
    context.close()
