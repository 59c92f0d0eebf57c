"""Any frame is refused or applied, never a crash and never a traceback sent; every frame the server sends
validates against `python main.py protocol-schema`."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from game.server.app import create_app
from game.server.protocol_schema import protocol_schema
from game.server.room_host import RoomHost
from tests.server.conftest import ORIGIN, REPO, Peer, hello, make_host

TYPES = ["hello", "set_language", "set_lever", "choose", "ready", "advice", "start", "lock", "unlock", "pause",
         "resume_clock", "extend", "timeout", "inject", "adjust", "rewind", "remove", "reseat", "new_code", "chat"]
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 2**60), st.floats(allow_nan=True),
                   st.text(max_size=30), st.sampled_from(["defense_budget", "alpha_pm", "beta_leader", "leak",
                                                          "crisis", "stand_firm", "tension", "en", "ja"]))
FRAMES = st.one_of(
    st.fixed_dictionaries({"type": st.sampled_from(TYPES)},
                          optional={k: VALUES for k in ("id", "turn", "lever", "value", "event", "choice", "role",
                                                        "seconds", "variable", "reason", "language", "connection",
                                                        "extra")}).map(json.dumps),
    st.text(max_size=60),
)


@pytest.mark.slow
def test_arbitrary_frames_are_refused_or_applied_never_a_crash(data_dir: Any) -> None:
    host = make_host(data_dir)
    with TestClient(create_app(host, messages_per_second=1e6, burst=10**6)) as client, \
            client.websocket_connect("/ws", headers=ORIGIN) as seat_socket, \
            client.websocket_connect("/ws", headers=ORIGIN) as control_socket:
        peers = [Peer(seat_socket), Peer(control_socket)]
        hello(peers[0], host.codes.room, host.codes.seats["alpha_pm"])
        hello(peers[1], host.codes.room, host.codes.control)

        @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
        @given(st.sampled_from([0, 1]), FRAMES)
        def one_frame(which: int, frame: str) -> None:
            peer = peers[which]
            peer.socket.send_text(frame)
            peer.socket.send_text(json.dumps({"type": "set_language", "id": 999_999, "language": "en"}))
            peer.until(lambda m: m.get("id") == 999_999)  # the connection is alive and answering
            host.limiter._failures.clear()

        one_frame()
        host.room.session.turn  # noqa: B018  the room is still there
        sent = "".join(peers[0].frames + peers[1].frames)
        assert "Traceback" not in sent and 'File "' not in sent


def _validate_all(frames: list[str], schema: dict[str, Any]) -> None:
    server = {"$ref": "#/$defs/server", "$defs": schema["$defs"]}
    for frame in frames:
        jsonschema.validate(json.loads(frame), server)


@pytest.mark.slow  # a subprocess and an advice forecast: over 3 s on a loaded machine
def test_every_frame_sent_validates_against_the_protocol_schema(host: RoomHost) -> None:
    schema = json.loads(subprocess.run([sys.executable, "main.py", "protocol-schema"], cwd=REPO, check=True,
                                       capture_output=True, text=True).stdout)
    assert schema == json.loads(json.dumps(protocol_schema()))
    with TestClient(create_app(host)) as client, \
            client.websocket_connect("/ws", headers=ORIGIN) as a, \
            client.websocket_connect("/ws", headers=ORIGIN) as b, \
            client.websocket_connect("/ws", headers=ORIGIN) as c:
        alpha, beta, facilitator = Peer(a), Peer(b), Peer(c)
        hello(alpha, host.codes.room, host.codes.seats["alpha_pm"])
        hello(beta, host.codes.room, host.codes.seats["beta_leader"])
        hello(facilitator, host.codes.room, host.codes.control)
        facilitator.act({"type": "inject", "turn": 0, "event": "leak"})
        alpha.act({"type": "set_lever", "turn": 0, "lever": "defense_budget", "value": 2.0})
        alpha.act({"type": "advice", "turn": 0, "event": "leak"})
        alpha.until(lambda m: m["type"] == "advice" and m["status"] != "thinking")
        alpha.act({"type": "ready", "turn": 5})
        facilitator.act({"type": "new_code", "role": "beta_leader"})
        facilitator.act({"type": "timeout", "turn": 0, "role": "alpha_pm"})
        beta.act({"type": "ready", "turn": 0})
        facilitator.view("public", lambda m: m["turn"] == 1)
        client_schema = {"$ref": "#/$defs/client", "$defs": schema["$defs"]}
        jsonschema.validate({"type": "ready", "id": 1, "turn": 0}, client_schema)
        try:
            jsonschema.validate({"type": "ready", "id": 1, "turn": 0, "role": "x"}, client_schema)
            raise AssertionError("an unknown field passed the schema")
        except jsonschema.ValidationError:
            pass
        frames = alpha.frames + beta.frames + facilitator.frames
        assert {json.loads(f)["type"] for f in frames} >= {"welcome", "ack", "rejected", "public", "seat",
                                                             "control", "advice", "new_code"}
        _validate_all(frames, schema)
