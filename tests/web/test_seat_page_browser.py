"""The seat page in headless Chromium against a real classroom server: join by seat code through the join page,
read the private briefing, ask the advisors, choose, set a lever with the keyboard, ready; the turn resolves when
the other seat is ready; a reload returns to the same seat. Screenshots at 1366x768 and 390x844."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from game.play.room import Room

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.slow

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ROLE, OTHER = "us_president", "japan_pm"
EVENT = "defense_pledge_request"  # injectable; the U.S. President decides it
TIMEOUT_MS = 20000
expect.set_options(timeout=TIMEOUT_MS)


def _join(browser: Any, live_room: Any, role: str, viewport: dict[str, int], language: str = "en") -> Any:
    """A new browser context joins `role` through the join page and waits for the seat's own view."""
    title = _in_room(live_room, lambda room: room.seat_view(role, language)).title
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(f"{live_room.url}/?room={live_room.codes.room}&lang={language}")
    expect(page.locator("#join-button")).not_to_have_text("")
    page.fill("#code", live_room.codes.seats[role].lower())
    page.keyboard.press("Enter")
    page.wait_for_url("**/seat?room=*")
    expect(page.locator("#seat-title")).to_contain_text(title)
    return page


def _in_room(live_room: Any, action: Any) -> Any:
    return live_room.host.run_in_room(action).result(timeout=20)


def test_a_seat_reads_its_briefing_chooses_sets_a_lever_and_is_ready(browser: Any, live_room: Any) -> None:
    own = _in_room(live_room, lambda room: room.seat_view(ROLE, "en"))
    first = _in_room(live_room, lambda room: room.public_view("en"))
    other = _in_room(live_room, lambda room: room.seat_view(OTHER, "en"))
    page = _join(browser, live_room, ROLE, {"width": 1366, "height": 768})
    expect(page.locator("#private-briefing")).to_have_text(own.private_briefing or "")
    assert other.private_briefing and other.private_briefing not in page.content()  # never another seat's text
    assert page.text_content("#seat-title").startswith(own.title)
    assert page.locator("#objectives li").count() == len(own.objectives)
    assert page.get_attribute("#map", "alt") and page.get_attribute("#map", "src") == "/map.svg?lang=en"

    # The facilitator brings in a decision for this seat; it arrives as a radio group.
    _in_room(live_room, lambda room: room.inject(EVENT))
    page.wait_for_selector(f"form[data-event={EVENT}] input[type=radio]")
    decision = page.locator(f"form[data-event={EVENT}]")
    decision.get_by_role("button", name="Ask the advisors").click()
    expect(page.locator(f"#advice-{EVENT}")).to_contain_text("recommends", timeout=60000)
    assert decision.locator(".forecasts .figure").count() == 3  # a forecast for each choice

    decision.get_by_label("Offer a defense pledge").check()
    decision.get_by_role("button", name="Choose").click()
    expect(page.locator(f"#chosen-{EVENT}")).to_contain_text("Offer a defense pledge")
    assert _in_room(live_room, lambda room: _chosen(room, ROLE, EVENT)) == "give_pledge"

    # A lever moved with the keyboard alone: its value is shown beside its label and reaches the server.
    lever = own.levers[0]
    before = _in_room(live_room, lambda room: room.session.lever_setting(lever.id))
    page.focus(f"#lever-{lever.id}")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#status")).to_contain_text("set to")
    after = _in_room(live_room, lambda room: room.session.lever_setting(lever.id))
    assert after > before
    assert page.text_content(f"#lever-{lever.id}-value") != ""

    page.evaluate("window.scrollTo(0, 0)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "web_seat_1366x768.png"))

    page.click("#ready-button")
    expect(page.locator("#ready-button")).to_have_text("Waiting for the others")
    assert page.is_disabled("#ready-button")
    assert "Ready" in page.text_content("#seats")  # said in words and a mark, not by colour

    # A reload returns to the same seat (the resume token in this tab's storage), still ready.
    page.reload()
    expect(page.locator("#ready-button")).to_have_text("Waiting for the others")
    assert page.text_content("#seat-title").startswith(own.title)

    # The other seat's ready arrives from a second browser context: the turn resolves for both.
    phone = _join(browser, live_room, OTHER, {"width": 390, "height": 844}, language="ja")
    expect(phone.locator("html")).to_have_attribute("lang", "ja")
    expect(phone.locator("#ready-button")).to_have_text("準備完了")
    phone.click("#ready-button")
    for shown in (page, phone):
        expect(shown.locator("#date")).not_to_contain_text(first.date)
    after_turn = _in_room(live_room, lambda room: room.public_view("en"))
    assert after_turn.turn == first.turn + 1
    expect(page.locator("#date")).to_contain_text(after_turn.date)
    expect(page.locator("#ready-button")).to_have_text("Ready")
    assert not page.is_disabled("#ready-button")
    assert page.locator("#news li").count() >= 1

    # The new turn brings the other seat a decision: Ready before choosing is refused, and said so in words.
    phone.wait_for_selector("form.decision input[type=radio]")
    phone.click("#ready-button")
    waiting = _in_room(live_room, lambda room: room.seat_view(OTHER, "ja").decisions)
    expect(phone.locator("#status")).to_contain_text(waiting[0].info.title)
    expect(phone.locator("#ready-button")).to_have_text("準備完了")
    phone.evaluate("document.fonts.ready.then(() => window.scrollTo(0, 0))")
    phone.screenshot(path=str(SCREENSHOTS / "web_seat_390x844.png"))
    page.context.close()
    phone.context.close()


def _chosen(room: Room, role: str, event: str) -> str | None:
    return next((pending.chosen for pending in room.session.pending_decisions(role)
                 if pending.info.event_id == event), None)
