"""The classroom server over in-process WebSockets (Starlette's TestClient): joining by code, the lock, resume
tokens, the facilitator's device controls, every command path applied through the room, and the limits."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from game.play.commands import Adjust, Choose, EndTurn, Inject, SetLever, Timeout
from game.play.room_saves import load_room_save
from game.server.app import CONTENT_SECURITY_POLICY, create_app
from game.server.room_host import HostError, RoomHost
from tests.server.conftest import ORIGIN, Peer, hello

OPEN: list[Callable[..., Any]] = []


@pytest.fixture(autouse=True)
def _open(sockets: Callable[..., Any]) -> Iterator[None]:
    OPEN.append(sockets)
    yield
    OPEN.pop()


def connect(client: TestClient) -> Any:
    return OPEN[-1](client)


def seat(client: TestClient, host: RoomHost, role: str = "alpha_pm") -> tuple[Peer, dict]:
    peer = Peer(connect(client))
    welcome = hello(peer, host.codes.room, host.codes.seats[role])
    assert welcome["type"] == "welcome", welcome
    peer.type("seat")
    return peer, welcome


def control(client: TestClient, host: RoomHost) -> Peer:
    peer = Peer(connect(client))
    assert hello(peer, host.codes.room, host.codes.control)["kind"] == "control"
    peer.type("control")
    return peer


def refused(client: TestClient, host: RoomHost, code: str, room: str | None = None) -> str:
    with client.websocket_connect("/ws", headers=ORIGIN) as socket:
        peer = Peer(socket)
        reply = hello(peer, room or host.codes.room, code)
        assert reply["type"] == "rejected", reply
        with pytest.raises(WebSocketDisconnect) as closed:
            peer.read()
        assert closed.value.code == 1008
        return str(reply["message"])


def test_a_seat_code_joins_its_seat_and_gets_public_and_its_own_view(client: TestClient, host: RoomHost) -> None:
    peer, welcome = seat(client, host, "beta_leader")
    assert (welcome["kind"], welcome["role"], welcome["team"]) == ("seat", "beta_leader", "Team B")
    assert welcome["resume"]
    mine = peer.latest["seat"]
    assert mine["role"] == "beta_leader" and "SECRET-BETA" in mine["private_briefing"]
    assert peer.latest["public"]["seats"][1]["connected"] == 1
    assert "SECRET-ALPHA" not in "".join(peer.frames)


def test_the_seat_code_is_typed_loosely_but_a_wrong_code_or_room_is_refused(client: TestClient,
                                                                              host: RoomHost) -> None:
    loose = host.codes.seats["alpha_pm"].replace("-", "").lower()
    with client.websocket_connect("/ws", headers=ORIGIN) as socket:
        assert hello(Peer(socket), host.codes.room.lower(), loose)["role"] == "alpha_pm"
    assert "not right" in refused(client, host, "AAAA-AAAA")
    assert "not right" in refused(client, host, host.codes.seats["alpha_pm"], room="ZZZZZZ")
    assert "not right" in refused(client, host, host.codes.control.upper() + "x")


def test_failed_joins_are_limited_per_address(client: TestClient, host: RoomHost) -> None:
    for _ in range(host.limiter.limit):
        assert "not right" in refused(client, host, "WRONG-CODE")
    message = refused(client, host, host.codes.seats["alpha_pm"])  # even the right code must wait now
    assert "wait" in message and "seconds" in message


def test_the_room_locks_at_start_resume_tokens_still_work_and_unlock_lets_one_in(client: TestClient,
                                                                                 host: RoomHost) -> None:
    _peer, welcome = seat(client, host)
    facilitator = control(client, host)
    assert facilitator.act({"type": "start"})["type"] == "ack"
    assert facilitator.view("public")["locked"] is True
    assert "started" in refused(client, host, host.codes.seats["beta_leader"])
    with client.websocket_connect("/ws", headers=ORIGIN) as socket:
        assert hello(Peer(socket), host.codes.room, resume=welcome["resume"])["role"] == "alpha_pm"
    facilitator.act({"type": "unlock"})
    seat(client, host, "beta_leader")
    facilitator.act({"type": "lock"})
    assert json.loads((host.folder / "codes.json").read_text())["locked"] is True


def test_a_reload_with_the_resume_token_returns_to_the_same_seat(client: TestClient, host: RoomHost) -> None:
    peer, welcome = seat(client, host, "beta_leader")
    peer.socket.close()
    with client.websocket_connect("/ws", headers=ORIGIN) as socket:
        again = Peer(socket)
        back = hello(again, host.codes.room, resume=welcome["resume"], language="ja")
        assert (back["role"], back["resume"], back["language"]) == ("beta_leader", welcome["resume"], "ja")
        assert again.type("seat")["role"] == "beta_leader"
    with client.websocket_connect("/ws", headers=ORIGIN) as socket:
        assert hello(Peer(socket), host.codes.room, resume="not-a-token")["type"] == "rejected"


def test_the_facilitator_removes_reseats_and_renews_a_code(client: TestClient, host: RoomHost) -> None:
    alpha, welcome = seat(client, host)
    other, _ = seat(client, host, "beta_leader")
    facilitator = control(client, host)
    assert facilitator.act({"type": "remove", "connection": welcome["connection"]})["type"] == "ack"
    assert alpha.type("bye")["reason"]
    with pytest.raises(WebSocketDisconnect):
        alpha.until(lambda m: False)
    with client.websocket_connect("/ws", headers=ORIGIN) as socket:
        assert hello(Peer(socket), host.codes.room, resume=welcome["resume"])["type"] == "rejected"
    listed = facilitator.view("control")["connections"]
    connection = next(c["connection"] for c in listed if c["role"] == "beta_leader")
    assert facilitator.act({"type": "reseat", "connection": connection, "role": "alpha_pm"})["type"] == "ack"
    moved = other.type("welcome")
    assert moved["role"] == "alpha_pm" and other.type("seat")["role"] == "alpha_pm"
    old = host.codes.seats["beta_leader"]
    renewed = facilitator.act({"type": "new_code", "role": "beta_leader"})
    assert renewed["type"] == "new_code" and renewed["code"] != old
    assert "not right" in refused(client, host, old)
    with client.websocket_connect("/ws", headers=ORIGIN) as socket:
        assert hello(Peer(socket), host.codes.room, renewed["code"])["role"] == "beta_leader"


def test_a_stale_turn_is_refused(client: TestClient, host: RoomHost) -> None:
    alpha, _ = seat(client, host)
    beta, _ = seat(client, host, "beta_leader")
    alpha.act({"type": "ready", "turn": 0})
    beta.act({"type": "ready", "turn": 0})
    stale = alpha.act({"type": "set_lever", "turn": 0, "lever": "defense_budget", "value": 2.0})
    assert stale["type"] == "rejected" and "turn is over" in stale["message"]
    assert host.room.session.turn == 1


def test_the_role_comes_from_the_connection_never_from_the_message(client: TestClient, host: RoomHost) -> None:
    beta, _ = seat(client, host, "beta_leader")
    beta.send({"type": "set_lever", "id": 7, "turn": 0, "lever": "defense_budget", "value": 2.0, "role": "alpha_pm"})
    assert "role" in beta.type("error")["message"]
    refusal = beta.act({"type": "set_lever", "turn": 0, "lever": "defense_budget", "value": 2.0})
    assert refusal["type"] == "rejected"  # the lever is alpha's: beta's connection cannot move it
    assert not [c for c in host.room.session.commands if isinstance(c, SetLever)]


def test_unknown_types_fields_bad_json_and_wrong_kinds_are_refused(client: TestClient, host: RoomHost) -> None:
    alpha, _ = seat(client, host)
    for frame in ('{"type": "chat", "id": 1, "text": "hi"}', '{"type": "ready", "id": 1, "turn": 0, "x": 1}',
                  "not json", "[]", '{"type": "ready", "id": 1, "turn": "0"}', '{"type": "set_lever", "id": 1, '
                  '"turn": 0, "lever": "defense_budget", "value": NaN}'):
        alpha.socket.send_text(frame)
        error = alpha.type("error")
        assert "Traceback" not in error["message"]
    alpha.send({"type": "pause"})
    assert "facilitator" in alpha.type("error")["message"]  # a seat cannot pause the clock
    facilitator = control(client, host)
    facilitator.send({"type": "ready", "turn": 0})
    assert "seat" in facilitator.type("error")["message"]
    assert host.room.session.commands == []


def test_an_oversized_frame_closes_the_connection(client: TestClient, host: RoomHost) -> None:
    alpha, _ = seat(client, host)
    alpha.socket.send_text(json.dumps({"type": "ready", "id": 1, "turn": 0, "pad": "x" * 9000}))
    with pytest.raises(WebSocketDisconnect) as closed:
        alpha.until(lambda m: False)
    assert closed.value.code == 1009


def test_too_many_frames_get_an_error_then_the_connection_closes(client: TestClient, host: RoomHost) -> None:
    alpha, _ = seat(client, host)
    for n in range(80):
        alpha.socket.send_text(json.dumps({"type": "set_language", "id": n, "language": "en"}))
    errors = 0
    with pytest.raises(WebSocketDisconnect) as closed:
        while True:
            errors += alpha.read()["type"] == "error"
    assert errors > 0 and closed.value.code == 1008


def test_the_connection_cap_refuses_one_more(host: RoomHost) -> None:
    with TestClient(create_app(host, max_connections=2)) as client, \
            client.websocket_connect("/ws", headers=ORIGIN) as first, \
            client.websocket_connect("/ws", headers=ORIGIN) as second:
        hello(Peer(first), host.codes.room, host.codes.projector)
        hello(Peer(second), host.codes.room, host.codes.projector)
        with pytest.raises(WebSocketDisconnect) as closed, client.websocket_connect("/ws", headers=ORIGIN):
            pass
        assert closed.value.code == 1013


@pytest.mark.parametrize("headers", [{"origin": "http://evil.example"}, {}, {"origin": "http://testserver:9"}])
def test_another_origin_is_refused_before_the_handshake(client: TestClient, headers: dict[str, str]) -> None:
    with pytest.raises(WebSocketDisconnect) as closed, client.websocket_connect("/ws", headers=headers):
        pass
    assert closed.value.code == 1008


def test_an_allowed_origin_may_connect(host: RoomHost) -> None:
    with TestClient(create_app(host, allowed_origins=["http://teacher.local:8000"])) as client, \
            client.websocket_connect("/ws", headers={"origin": "http://teacher.local:8000"}) as socket:
        assert hello(Peer(socket), host.codes.room, host.codes.projector)["kind"] == "projector"


@pytest.mark.parametrize("path", ["/", "/seat", "/facilitator", "/projector", "/healthz", "/map.svg",
                                  "/i18n/en.json", "/i18n/xx.json", "/no-such-page"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


def test_every_command_path_goes_through_the_room_and_is_autosaved_before_its_ack(client: TestClient,
                                                                                   host: RoomHost) -> None:
    alpha, _ = seat(client, host)
    beta, _ = seat(client, host, "beta_leader")
    facilitator = control(client, host)

    def saved() -> list[object]:
        return list(load_room_save(host.folder / "autosave.json").room.session.commands)

    assert alpha.act({"type": "set_lever", "turn": 0, "lever": "defense_budget", "value": 2.0})["type"] == "ack"
    assert saved()[-1] == SetLever("alpha_pm", "defense_budget", 2.0, 0)
    assert facilitator.act({"type": "inject", "turn": 0, "event": "leak"})["type"] == "ack"
    assert saved()[-1] == Inject("leak", 0)
    decision = next(d for d in alpha.view("seat", lambda m: bool(m["decisions"]))["decisions"]
                    if d["event"] == "leak")
    choice = next(c["id"] for c in decision["choices"] if c["available"])
    assert alpha.act({"type": "choose", "turn": 0, "event": "leak", "choice": choice})["type"] == "ack"
    assert saved()[-1] == Choose("alpha_pm", "leak", choice, 0)
    adjust = {"type": "adjust", "turn": 0, "variable": "tension", "value": 40.0, "reason": "a drill"}
    assert facilitator.act(adjust)["type"] == "ack"
    assert saved()[-1] == Adjust("tension", 40.0, "a drill", 0)
    assert facilitator.act({"type": "pause"})["type"] == "ack" and host.room.clock.paused
    assert facilitator.act({"type": "resume_clock"})["type"] == "ack" and not host.room.clock.paused
    assert facilitator.act({"type": "extend", "seconds": 30})["type"] == "rejected"  # the clock is off here
    assert beta.act({"type": "ready", "turn": 0})["type"] == "ack"
    assert saved()[-1] == EndTurn("beta_leader", 0)
    assert facilitator.act({"type": "timeout", "turn": 0, "role": "alpha_pm"})["type"] == "ack"
    assert Timeout("alpha_pm", 0) in saved() and host.room.session.turn == 1
    assert facilitator.act({"type": "rewind", "turn": 0, "reason": "try again"})["type"] == "ack"
    assert host.room.session.turn == 0 and len(load_room_save(host.folder / "autosave.json").room.branches) == 1
    assert [e.kind for e in host.room.log][-1] == "rewind"


def test_a_resolution_reaches_every_connection_and_the_projector_gets_only_public(client: TestClient,
                                                                                  host: RoomHost) -> None:
    alpha, _ = seat(client, host)
    beta, _ = seat(client, host, "beta_leader")
    facilitator = control(client, host)
    projector = Peer(connect(client))
    assert hello(projector, host.codes.room, host.codes.projector)["kind"] == "projector"
    alpha.act({"type": "ready", "turn": 0})
    beta.act({"type": "ready", "turn": 0})
    for peer in (alpha, beta, facilitator, projector):
        public = peer.view("public", lambda m: m["turn"] == 1)
        assert public["version"] == host.version and public["locked"] is True  # the first resolution locks
    projector.socket.close()
    kinds = {json.loads(frame)["type"] for frame in projector.frames}
    assert kinds <= {"welcome", "public", "clock"}
    assert not any(secret in "".join(projector.frames) for secret in ("SECRET-ALPHA", "SECRET-BETA"))


def test_codes_json_is_private_to_its_owner(host: RoomHost) -> None:
    mode = stat.S_IMODE((host.folder / "codes.json").stat().st_mode)
    assert mode == 0o600


def test_a_resumed_host_accepts_the_same_codes_and_tokens(client: TestClient, host: RoomHost,
                                                          data_dir: Path) -> None:
    alpha, welcome = seat(client, host)
    alpha.act({"type": "set_lever", "turn": 0, "lever": "defense_budget", "value": 2.5})
    resumed = RoomHost.resume(host.codes.room, data_dir)
    assert resumed.codes.seats == host.codes.seats and resumed.codes.resume_role(welcome["resume"]) == "alpha_pm"
    assert resumed.room.session.commands == host.room.session.commands
    with pytest.raises(HostError, match="has no autosave"):
        RoomHost.resume("NOROOM", data_dir)


def test_advice_is_thinking_then_ready_and_cached(client: TestClient, host: RoomHost) -> None:
    alpha, _ = seat(client, host)
    decision = next(iter(alpha.latest["seat"]["decisions"]), None)
    if decision is None:
        control(client, host).act({"type": "inject", "turn": 0, "event": "leak"})
        decision = next(d for d in alpha.view("seat", lambda m: bool(m["decisions"]))["decisions"]
                        if d["event"] == "leak")
    ask = {"type": "advice", "turn": 0, "event": decision["event"]}
    assert alpha.act(ask)["type"] == "ack"
    assert alpha.type("advice")["status"] == "thinking"
    ready = alpha.until(lambda m: m["type"] == "advice" and m["status"] != "thinking")
    assert ready["status"] == "ready" and ready["advisors"] and ready["forecasts"]
    alpha.act(ask)
    assert alpha.type("advice")["status"] == "ready"  # from the cache: no second "thinking"
    wrong = alpha.act({"type": "advice", "turn": 0, "event": "probe"})  # beta's decision
    assert wrong["type"] == "rejected"
