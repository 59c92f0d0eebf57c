"""Long server tests: a real `serve` killed with SIGKILL resumes with every acknowledged command; no frame any
connection receives leaks another seat's private text, the seed or the command log, over every shipped scenario
and every pair of seats."""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from websockets.sync.client import connect
from websockets.typing import Origin

from game.play.room import Seat
from game.play.room_saves import load_room_save
from game.scenario.catalog import find_scenario
from game.server.app import create_app
from game.server.room_host import RoomHost
from tests.serve_process import free_port, start_serve, wait_listening
from tests.server.conftest import FIXTURE, ORIGIN, REPO, Peer, hello, make_host

pytestmark = pytest.mark.slow
SEED = 918_273_645  # long enough that finding its digits in a frame means the seed was sent


def test_a_killed_server_resumes_with_every_acknowledged_command(data_dir: Path, tmp_path: Path) -> None:
    port = free_port()
    codes_file = tmp_path / "codes.json"
    server = start_serve([str(FIXTURE), "--seats", "alpha_pm,beta_leader", "--port", str(port), "--seed", "5",
                     "--codes-out", str(codes_file)], data_dir)
    try:
        wait_listening(port)
        codes = json.loads(codes_file.read_text())
        assert os.stat(codes_file).st_mode & 0o077 == 0
        acked = 0
        url, origin = f"ws://127.0.0.1:{port}/ws", Origin(f"http://127.0.0.1:{port}")
        with connect(url, origin=origin) as alpha:
            alpha.send(json.dumps({"type": "hello", "room": codes["room"], "code": codes["seats"]["alpha_pm"]}))
            for n in range(1, 13):
                alpha.send(json.dumps({"type": "set_lever", "id": n, "turn": 0, "lever": "defense_budget",
                                       "value": 0.5 + n / 10}))
                while True:
                    message = json.loads(alpha.recv(timeout=10))
                    if message.get("id") == n:
                        assert message["type"] == "ack"
                        acked = n
                        break
        server.send_signal(signal.SIGKILL)
        server.wait(10)
    finally:
        if server.poll() is None:
            server.kill()
    assert acked == 12
    port = free_port()
    resumed = start_serve(["--resume", codes["room"], "--port", str(port)], data_dir)
    try:
        wait_listening(port)
        with connect(f"ws://127.0.0.1:{port}/ws", origin=Origin(f"http://127.0.0.1:{port}")) as alpha:
            alpha.send(json.dumps({"type": "hello", "room": codes["room"], "code": codes["seats"]["alpha_pm"]}))
            seat = None
            while seat is None:
                message = json.loads(alpha.recv(timeout=10))
                seat = message if message["type"] == "seat" else None
        assert seat["levers"][0]["setting"] == pytest.approx(0.5 + 12 / 10)
    finally:
        resumed.send_signal(signal.SIGINT)
        assert resumed.wait(15) == 130
    folder = data_dir / "rooms" / codes["room"]
    commands = load_room_save(folder / "autosave.json").room.session.commands
    assert len(commands) == 12


def _shipped() -> list[tuple[str, tuple[str, str]]]:
    cases = []
    for path in sorted((REPO / "scenarios").glob("*.yaml")):
        result = find_scenario(str(path), None)
        assert result.scenario is not None
        roles = list(result.scenario.playable_roles())
        cases += [(str(path), pair) for pair in itertools.combinations(roles, 2)]
    return cases


def _private_strings(host: RoomHost, role: str, public_text: str) -> list[str]:
    from game.scenario.models import localized

    scenario_role = host.room.session.scenario.roles[role]
    found = []
    for language in ("en", "ja"):
        briefing = scenario_role.briefing
        if briefing is not None and briefing.private:
            found.append(localized(briefing.private, language))
        found += [localized(o.label, language) for o in scenario_role.objectives]
    return [s for s in found if s and len(s) > 12 and s not in public_text]


@pytest.mark.parametrize(("scenario", "pair"), _shipped(), ids=lambda v: Path(v).stem if isinstance(v, str) else
                         "+".join(v))
def test_no_connection_receives_another_seats_private_text(scenario: str, pair: tuple[str, str],
                                                            data_dir: Path) -> None:
    host = make_host(data_dir, scenario, (Seat(pair[0], "Team 1"), Seat(pair[1], "Team 2")), seed=SEED)
    rng = random.Random(7)
    with TestClient(create_app(host, messages_per_second=1e6, burst=10**6)) as client, \
            client.websocket_connect("/ws", headers=ORIGIN) as first, \
            client.websocket_connect("/ws", headers=ORIGIN) as second, \
            client.websocket_connect("/ws", headers=ORIGIN) as third, \
            client.websocket_connect("/ws", headers=ORIGIN) as fourth:
        seats = [Peer(first), Peer(second)]
        facilitator, projector = Peer(third), Peer(fourth)
        for peer, role in zip(seats, pair, strict=True):
            hello(peer, host.codes.room, host.codes.seats[role], language=rng.choice(["en", "ja"]))
        hello(facilitator, host.codes.room, host.codes.control)
        hello(projector, host.codes.room, host.codes.projector)
        for turn in range(2):
            for peer in seats:
                view = peer.view("seat", lambda m, t=turn: m["version"] >= 0)
                for decision in view["decisions"]:
                    choices = [c["id"] for c in decision["choices"] if c["available"]]
                    if choices and decision["chosen"] is None:
                        peer.act({"type": "choose", "turn": turn, "event": decision["event"],
                                  "choice": rng.choice(choices)})
                for lever in view["levers"]:
                    peer.act({"type": "set_lever", "turn": turn, "lever": lever["id"],
                              "value": rng.uniform(lever["low"], lever["high"])})
            for role in pair:
                facilitator.act({"type": "timeout", "turn": turn, "role": role})
            if host.room.session.is_over:
                break
        projector.act({"type": "set_language", "language": "ja"})
        public_text = "".join(json.dumps(json.loads(f)) for f in projector.frames)
        seed = str(host.room.session.seed)
        log_json = json.dumps([c.to_json() for c in host.room.session.commands])
        for peer, role in zip(seats, pair, strict=True):
            other = pair[1] if role == pair[0] else pair[0]
            received = "".join(peer.frames)
            own = set(_private_strings(host, role, ""))  # two roles may share an objective's wording
            decoded = json.dumps([json.loads(f) for f in peer.frames], ensure_ascii=False)
            for secret in set(_private_strings(host, other, public_text)) - own:
                assert secret not in received and secret not in decoded, secret[:60]
            assert log_json not in received
        everything = [*seats, facilitator, projector]
        for peer in everything:
            for frame in peer.frames:
                message: dict[str, Any] = json.loads(frame)
                assert "seed" not in message and "world_keys" not in message and "commands" not in message
                assert seed not in frame
        assert {json.loads(f)["type"] for f in projector.frames} <= {"welcome", "public", "clock", "ack"}
        projector_text = "".join(json.dumps(json.loads(f), ensure_ascii=False) for f in projector.frames)
        for role in pair:
            for secret in _private_strings(host, role, ""):
                assert secret not in projector_text or secret in _public_texts(host), secret[:60]


def _public_texts(host: RoomHost) -> str:
    from game.scenario.models import localized

    texts = []
    for role in host.room.session.scenario.roles.values():
        if role.briefing is not None:
            texts += [localized(role.briefing.public, lang) for lang in ("en", "ja")]
    return "".join(texts)
