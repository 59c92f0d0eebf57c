"""A whole short lesson over the network: a real `python main.py serve` process, real WebSockets (the `websockets`
package's client, as a browser would talk), the codes it wrote with `--codes-out`. Two teams join with their
seat codes, the facilitator starts the room, every turn is played to the scenario's end with choices and a lever
sent over the network, the facilitator exports the debrief pack, and `python main.py report` makes the same pack
from the room's autosave. Both packs must name the teams and hold every choice made over the network.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SCENARIO = "san_francisco_1951"  # the shortest shipped game with two seats: 9 quarters
SEATS = ("japan_pm", "us_president")
STEP_SECONDS = 30.0  # any single step; a healthy server answers in milliseconds


@dataclass
class Peer:
    """One connection, and the latest view of each kind it has received."""

    connection: ClientConnection
    latest: dict[str, dict[str, Any]] = field(default_factory=dict)
    next_id: int = 0

    def hello(self, room: str, code: str) -> dict[str, Any]:
        self.connection.send(json.dumps({"type": "hello", "room": room, "code": code, "language": "en"}))
        return self.until(lambda m: m["type"] == "welcome")

    def until(self, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """Read frames (keeping the latest of each type) until one is `wanted`; fails on an error frame."""
        deadline = time.monotonic() + STEP_SECONDS
        while True:
            message: dict[str, Any] = json.loads(self.connection.recv(timeout=max(0.01, deadline - time.monotonic())))
            assert message["type"] != "error", message
            self.latest[message["type"]] = message
            if wanted(message):
                return message

    def command(self, message: dict[str, Any]) -> int:
        """Send a command and wait for its `ack` (a `rejected` fails the test); returns its id."""
        self.next_id += 1
        self.connection.send(json.dumps({**message, "id": self.next_id}))
        self.answer(self.next_id, "ack")
        return self.next_id

    def answer(self, message_id: int, kind: str) -> dict[str, Any]:
        answer = self.until(lambda m: m["type"] in (kind, "rejected") and m.get("id") == message_id)
        assert answer["type"] == kind, answer
        return answer

    def view_of_turn(self, kind: str, turn: int) -> dict[str, Any]:
        """The `public` or `seat` view once it belongs to `turn` (a seat view comes with or after its public)."""
        def current() -> bool:
            public = self.latest.get("public")
            view = self.latest.get(kind)
            return (public is not None and view is not None and (public["turn"] == turn or public["is_over"])
                    and view["version"] >= public["version"])
        if not current():
            self.until(lambda _m: current())
        return self.latest[kind]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str, dict[str, Any], Path]]:
    """`serve` on any free port, with its codes file; stopped (Ctrl-C, which saves) at the end."""
    codes_file, data = tmp_path / "codes.json", tmp_path / "data"
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "main.py", "serve", SCENARIO, "--seats", ",".join(SEATS), "--turn-minutes", "5",
         "--seed", "1951", "--port", "0", "--codes-out", str(codes_file), "--data-dir", str(data)],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")
            try:
                codes = json.loads(codes_file.read_text(encoding="utf-8"))  # written atomically: whole or absent
                base = "http://" + urllib.parse.urlsplit(codes["join"]).netloc  # the port serve was given
                with urllib.request.urlopen(base + "/healthz", timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "serve did not answer /healthz within 60 s"
                time.sleep(0.1)
        yield process, base, codes, data
    finally:
        if process.poll() is None:
            process.send_signal(2)  # SIGINT: what Ctrl-C sends
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def open_peer(base: str, connections: ExitStack) -> Peer:
    url = base.replace("http://", "ws://") + "/ws"
    return Peer(connections.enter_context(connect(url, origin=Origin(base), max_size=2**22)))


def pack_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "decisions.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_a_lesson_over_websockets_ends_in_a_debrief_pack(
        served: tuple[subprocess.Popen[bytes], str, dict[str, Any], Path], tmp_path: Path) -> None:
    process, base, codes, data = served
    assert set(codes["seats"]) == set(SEATS) and codes["join"].endswith(f"?room={codes['room']}")
    with ExitStack() as connections:
        control, seats = open_peer(base, connections), {role: open_peer(base, connections) for role in SEATS}
        teams, made, lever_sent, pack = play_the_lesson(codes, control, seats, data)
    process.send_signal(2)
    assert process.wait(20) == 130

    autosaves = list((data / "rooms").glob("*/autosave.json"))
    assert [a.parent.name for a in autosaves] == [codes["room"]]
    again = tmp_path / "pack_from_autosave"
    result = subprocess.run([sys.executable, "main.py", "report", str(autosaves[0]), "--out", str(again),
                             "--worlds", "50", "--quiet"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr

    for folder in (pack, again):
        page = (folder / "index.html").read_text(encoding="utf-8")
        assert all(team in page for team in teams.values()), teams
        rows = pack_rows(folder)
        chosen = {(r["role"], r["decision"], r["choice"]) for r in rows if r["how"] == "chosen"}
        assert made <= chosen, made - chosen
        assert {r["team"] for r in rows} <= set(teams.values())
        commands = json.loads((folder / "commands.json").read_text(encoding="utf-8"))
        assert {(s["role"], s["team"]) for s in commands["seats"]} == set(teams.items())
        assert {"kind": "set_lever", "role": SEATS[0], "lever": lever_sent[0], "value": lever_sent[1], "turn": 0} in [
            {k: v for k, v in c.items() if k != "at"} for c in commands["commands"]], "the lever never arrived"


def play_the_lesson(codes: dict[str, Any], control: Peer, seats: dict[str, Peer],
                    data: Path) -> tuple[dict[str, str], set[tuple[str, str, str]], tuple[str, float], Path]:
    """Join, start, play every turn to the end with choices and a lever, export; returns the teams by role, the
    choices made, the lever set and the exported pack's folder."""
    assert control.hello(codes["room"], codes["control"])["kind"] == "control"
    teams = {}
    for role, peer in seats.items():
        welcome = peer.hello(codes["room"], codes["seats"][role])
        assert (welcome["kind"], welcome["role"]) == ("seat", role)
        teams[role] = welcome["team"]
    control.command({"type": "start"})

    made: set[tuple[str, str, str]] = set()  # (role, event, choice) sent over the network
    lever_sent: tuple[str, float] | None = None
    turn = 0
    while not control.view_of_turn("public", turn)["is_over"]:
        for role, peer in seats.items():
            view = peer.view_of_turn("seat", turn)
            assert view["role"] == role and view["ready"] is False
            if turn == 0 and role == SEATS[0] and view["levers"]:
                lever = view["levers"][0]
                lever_sent = (lever["id"], float(lever["high"]))
                peer.command({"type": "set_lever", "turn": turn, "lever": lever["id"], "value": float(lever["high"])})
            for decision in view["decisions"]:
                open_ids = [c["id"] for c in decision["choices"] if c["available"]]
                if decision["chosen"] is not None or not open_ids:
                    continue
                # not the default where there is another: a default would be in the pack even without the choice
                others = [c["id"] for c in decision["choices"] if c["available"] and not c["default"]]
                choice = (others or open_ids)[-1]
                peer.command({"type": "choose", "turn": turn, "event": decision["event"], "choice": choice})
                made.add((role, decision["event"], choice))
            peer.command({"type": "ready", "turn": turn})
        turn += 1
        for peer in (control, *seats.values()):
            peer.view_of_turn("public", turn)  # every connection hears of the resolution
        assert turn <= 20, "the game did not end"
    assert made, "the lesson made no choice over the network"
    assert lever_sent is not None

    exported = control.answer(control.command({"type": "export"}), "exported")  # acked, then written off the loop
    pack = Path(exported["path"])
    assert pack.is_dir() and data in pack.parents, pack
    return teams, made, lever_sent, pack
