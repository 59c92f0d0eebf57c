"""A killed server, resumed, loses nothing a browser was told was done: a seat's page in headless Chromium moves a
lever against a real `serve` process, the process is killed with SIGKILL, `serve --resume` starts it again on the
same address, and the page reconnects by itself (its resume token) to the same seat with the lever where it was."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from game.play.room_saves import load_room_save
from tests.serve_process import free_port, start_serve, wait_listening

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.slow

ROLE = "us_president"
TIMEOUT_MS = 30000  # the page's reconnection backs off up to 10 s


def _stop(server: subprocess.Popen[str]) -> None:
    if server.poll() is None:
        server.kill()
        server.wait(10)


def test_a_seat_page_survives_a_killed_server(browser: Any, tmp_path: Path) -> None:
    data_dir, codes_file, port = tmp_path / "data", tmp_path / "codes.json", free_port()
    (data_dir / "mods").mkdir(parents=True)
    first = start_serve(["san_francisco_1951", "--seats", "japan_pm,us_president", "--seed", "3", "--port", str(port),
                    "--codes-out", str(codes_file)], data_dir)
    resumed: subprocess.Popen[str] | None = None
    try:
        wait_listening(port)
        codes = json.loads(codes_file.read_text(encoding="utf-8"))
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        page.goto(f"http://127.0.0.1:{port}/?room={codes['room']}&lang=en")
        expect(page.locator("#join-button")).not_to_have_text("", timeout=TIMEOUT_MS)
        page.fill("#code", codes["seats"][ROLE])
        page.keyboard.press("Enter")
        page.wait_for_url("**/seat?room=*")
        expect(page.locator("#connection")).to_have_text("Connected.", timeout=TIMEOUT_MS)
        expect(page.locator("#seat-title")).to_contain_text("President of the United States")
        seat_title = page.text_content("#seat-title")

        lever = page.locator("#levers input[type=range]").first
        lever_id = (lever.get_attribute("id") or "").removeprefix("lever-")
        before = float(lever.input_value())
        lever.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        expect(page.locator("#status")).to_contain_text("set to", timeout=TIMEOUT_MS)  # the server acknowledged
        page.wait_for_timeout(300)  # the three presses' acknowledgements
        set_value = float(lever.input_value())
        assert set_value > before

        first.send_signal(signal.SIGKILL)
        first.wait(10)
        expect(page.locator("#connection")).not_to_have_text("Connected.", timeout=TIMEOUT_MS)

        resumed = start_serve(["--resume", codes["room"], "--port", str(port)], data_dir)
        wait_listening(port)
        expect(page.locator("#connection")).to_have_text("Connected.", timeout=TIMEOUT_MS)  # by itself
        expect(page.locator(f"#lever-{lever_id}")).to_have_value(str(lever.input_value()), timeout=TIMEOUT_MS)
        assert float(page.locator(f"#lever-{lever_id}").input_value()) == pytest.approx(set_value)
        assert page.text_content("#seat-title") == seat_title  # the same seat, without typing its code again
    finally:
        _stop(first)
        if resumed is not None:
            resumed.send_signal(signal.SIGINT)
            try:
                resumed.wait(15)
            finally:
                _stop(resumed)
    commands = load_room_save(data_dir / "rooms" / codes["room"] / "autosave.json", data_dir).room.session.commands
    levers = [c for c in commands if getattr(c, "lever", None) == lever_id and c.role == ROLE]
    assert levers and levers[-1].value == pytest.approx(set_value)  # in the resumed game's own save
