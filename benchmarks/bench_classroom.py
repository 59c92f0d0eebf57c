"""A networked classroom under load: 40 WebSocket clients against a real `serve` process on 127.0.0.1, playing
8 turns (goal: command-to-acknowledgement and resolution-to-broadcast p95 ≤ 100 ms; bar ≤ 250 ms, on 2 cores).

Run: `python benchmarks/bench_classroom.py [--scenario ID] [--devices N] [--turns N] [--timeout S]`.

No shipped scenario has four playable roles, so the default is `missile_summer_2017`, one of the three with
three (Japan, the United States, the DPRK) and the one with the most decisions in its lesson: 3 seats × 13
devices plus the facilitator's console make the issue's 40 connections. Each device joins with its seat's
code, half of them in Japanese (views are built per language), and the facilitator starts (locks) the room.
Every turn, every seat device sends a `set_lever` (all at once, the worst case; `--spread S` paces them over S
seconds, as a class would), one device per seat sends a
`choose` for each open decision, then each seat sends one `ready`; the last seat's `ready` resolves the turn.

Printed: p50/p95/max of command-to-acknowledgement (every command, and per type) and of resolution-to-broadcast
(from the sending of the resolving `ready` to each client's receipt of the new turn's `public`). Checked: every
client received every resolution, and no connection received another seat's private briefing or objectives.
Exits 1 with a message if a check fails or a resolution does not reach a client within the timeout.

The server runs as its own process, as in a classroom, so the clients (one asyncio loop here) do not share its
interpreter; they do share the machine's two cores, so the figures include the clients' own cost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import pstats
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.scenario.catalog import find_scenario  # noqa: E402
from game.scenario.models import Scenario, localized  # noqa: E402
from game.translation import LANGUAGES  # noqa: E402

GOAL_MS = 100.0
BAR_MS = 250.0
SETTLE_SECONDS = 0.2  # before the resolving `ready`: a class's last team is never a millisecond behind the burst


class BenchFailure(Exception):
    """A check failed: the message says which client and what it missed."""


@dataclass
class Client:
    """One WebSocket connection: a seat's device or the facilitator, with everything it received."""

    name: str
    kind: str  # "seat" | "control"
    role: str | None
    language: str
    socket: ClientConnection | None = None
    frames: list[str] = field(default_factory=list)
    seat: dict[str, Any] | None = None  # the latest `seat` message
    turns_seen: dict[int, float] = field(default_factory=dict)  # public turn -> first receipt (perf_counter)
    turn_versions: dict[int, int] = field(default_factory=dict)  # public turn -> the room version it came with
    errors: list[str] = field(default_factory=list)
    is_over: bool = False
    pending: dict[int, tuple[str, float, asyncio.Future[float]]] = field(default_factory=dict)
    new_turn: asyncio.Event = field(default_factory=asyncio.Event)
    next_id: int = 0

    async def send(self, message: dict[str, Any]) -> asyncio.Future[float]:
        """Send a command with a fresh id; the future resolves to its acknowledgement latency in seconds."""
        assert self.socket is not None
        self.next_id += 1
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = (message["type"], time.perf_counter(), future)
        await self.socket.send(json.dumps({**message, "id": self.next_id}))
        return future

    def receive(self, text: str) -> None:
        now = time.perf_counter()
        self.frames.append(text)
        message = json.loads(text)
        kind = message.get("type")
        if kind in ("ack", "rejected", "exported"):
            entry = self.pending.pop(message.get("id"), None)
            if entry is None:
                return
            command, sent, future = entry
            if kind == "rejected":
                future.set_exception(BenchFailure(f"{self.name}: {command} rejected: {message.get('message')}"))
            elif not future.done():
                future.set_result(now - sent)
        elif kind == "public":
            turn = int(message["turn"])
            self.turns_seen.setdefault(turn, now)
            self.turn_versions.setdefault(turn, int(message["version"]))
            self.is_over = bool(message["is_over"])
            self.new_turn.set()
        elif kind == "seat":
            self.seat = message
            self.new_turn.set()
        elif kind == "error":
            self.errors.append(f"{self.name}: the server sent an error: {message.get('message')}")

    def seat_view_of(self, turn: int) -> dict[str, Any] | None:
        """The latest seat view if it belongs to `turn` (not a late one of the turn before)."""
        if self.seat is None or turn not in self.turn_versions:
            return None
        return self.seat if int(self.seat["version"]) >= self.turn_versions[turn] else None


async def join(client: Client, base: str, room: str, code: str) -> None:
    """Open the connection, say hello and wait for the welcome and the first views."""
    client.socket = await connect(base.replace("http://", "ws://") + "/ws", origin=Origin(base), max_size=2**22)
    await client.socket.send(json.dumps({"type": "hello", "room": room, "code": code, "language": client.language}))
    welcome = json.loads(await client.socket.recv())
    if welcome.get("type") != "welcome":
        raise BenchFailure(f"{client.name}: joining gave {welcome}")
    client.frames.append(json.dumps(welcome))


async def read_frames(client: Client) -> None:
    assert client.socket is not None
    async for text in client.socket:
        client.receive(str(text))


def start_server(scenario_id: str, roles: list[str], folder: Path,
                 profile: Path | None = None) -> tuple[subprocess.Popen[bytes], str, dict[str, Any]]:
    """`python main.py serve` on any free port of 127.0.0.1 (under cProfile when `profile` is given); returns the
    process, its base URL (from the join address in its codes file) and its codes."""
    codes_path = folder / "codes.json"
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile is not None else []
    command = [sys.executable, *profiler, str(ROOT / "main.py"), "serve", scenario_id, "--seats", ",".join(roles),
               "--turn-minutes", "5", "--seed", "2017", "--host", "127.0.0.1", "--port", "0",
               "--codes-out", str(codes_path), "--data-dir", str(folder / "data")]
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchFailure(f"serve exited with {process.returncode}: {(folder / 'server.log').read_text()[-2000:]}")
        try:
            codes = json.loads(codes_path.read_text(encoding="utf-8"))  # written atomically: whole or absent
            base = "http://" + urllib.parse.urlsplit(codes["join"]).netloc
            with urllib.request.urlopen(base + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return process, base, codes
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    raise BenchFailure("serve did not answer /healthz within 60 s")


def private_texts(scenario: Scenario) -> dict[str, set[str]]:
    """Per role, the private briefing and objective texts (in both languages) that no public briefing contains."""
    public: list[str] = []
    private: dict[str, set[str]] = {}
    for role_id, role in scenario.roles.items():
        texts: set[str] = set()
        for language in LANGUAGES:
            if role.briefing is not None:
                public.append(localized(role.briefing.public, language))
                if role.briefing.private:
                    texts.add(localized(role.briefing.private, language))
            texts.update(localized(objective.label, language) for objective in role.objectives)
        private[role_id] = texts
    return {role: {text for text in texts if len(text) >= 12 and not any(text in p for p in public)}
            for role, texts in private.items()}


def leaks(clients: Iterable[Client], private: dict[str, set[str]]) -> list[str]:
    """Every frame a connection received that holds another seat's private text (JSON escapes undone)."""
    found = []
    for client in clients:
        own = private.get(client.role or "", set())  # two seats may share an objective's words: not a leak
        secrets = [(role, text) for role, texts in private.items() if role != client.role
                   for text in texts if text not in own]
        for frame in client.frames:
            text = json.dumps(json.loads(frame), ensure_ascii=False)
            found += [f"{client.name} received {role}'s private text {secret[:40]!r}…"
                      for role, secret in secrets if secret in text]
    return found


def p95_ms(samples: list[float]) -> float:
    """The 95th percentile in milliseconds (nearest rank)."""
    ms = sorted(s * 1000 for s in samples)
    return ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]


def percentiles(samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return (f"p50 {statistics.median(ms):7.1f} ms   p95 {p95_ms(samples):7.1f} ms   max {max(ms):7.1f} ms   "
            f"(n={len(ms)})")


async def await_all(futures: list[asyncio.Future[float]], timeout: float, what: str) -> list[float]:
    try:
        return list(await asyncio.wait_for(asyncio.gather(*futures), timeout))
    except TimeoutError as error:
        raise BenchFailure(f"{what}: no acknowledgement within {timeout:g} s") from error


async def wait_for_turn(clients: list[Client], turn: int, timeout: float) -> None:
    """Every client has received the public view of `turn` (the next turn after a resolution)."""
    async def one(client: Client) -> None:
        while turn not in client.turns_seen:
            client.new_turn.clear()
            await client.new_turn.wait()
    try:
        await asyncio.wait_for(asyncio.gather(*(one(c) for c in clients)), timeout)
    except TimeoutError as error:
        missing = [c.name for c in clients if turn not in c.turns_seen]
        raise BenchFailure(f"turn {turn}: {len(missing)} client(s) never received the new turn within "
                           f"{timeout:g} s: {', '.join(missing[:10])}") from error


async def wait_for_seat_views(seats: list[Client], turn: int, timeout: float) -> None:
    """Every seat device has its seat view of `turn` (its levers and open decisions)."""
    async def one(client: Client) -> None:
        while client.seat_view_of(turn) is None:
            client.new_turn.clear()
            await client.new_turn.wait()
    try:
        await asyncio.wait_for(asyncio.gather(*(one(c) for c in seats)), timeout)
    except TimeoutError as error:
        missing = [c.name for c in seats if c.seat_view_of(turn) is None]
        raise BenchFailure(f"turn {turn}: {len(missing)} device(s) got no seat view within {timeout:g} s: "
                           f"{', '.join(missing[:10])}") from error


async def play(args: argparse.Namespace, base: str, codes: dict[str, Any], roles: list[str]) -> dict[str, Any]:
    rng = random.Random(12)
    devices = [Client(f"{role}#{n}", "seat", role, "ja" if n % 2 else "en")
               for role in roles for n in range(args.devices)]
    control = Client("facilitator", "control", None, "en")
    clients = [*devices, control]
    await join(control, base, codes["room"], codes["control"])
    for device in devices:
        assert device.role is not None
        await join(device, base, codes["room"], codes["seats"][device.role])
    readers = [asyncio.create_task(read_frames(c)) for c in clients]
    acks: dict[str, list[float]] = {"set_lever": [], "choose": [], "ready": [], "start": []}
    broadcast: list[float] = []
    try:
        acks["start"] += await await_all([await control.send({"type": "start"})], args.timeout, "start")
        await wait_for_seat_views(devices, 0, args.timeout)
        resolved = 0
        for turn in range(args.turns):
            futures = []
            for index, device in enumerate(devices):
                if args.spread > 0 and index:
                    await asyncio.sleep(args.spread / len(devices))
                view = device.seat_view_of(turn)
                assert view is not None
                lever = rng.choice(view["levers"])
                value = rng.uniform(float(lever["low"]), float(lever["high"]))
                futures.append(await device.send({"type": "set_lever", "turn": turn, "lever": lever["id"],
                                                  "value": value}))
            acks["set_lever"] += await await_all(futures, args.timeout, f"turn {turn}: set_lever")
            leaders = [next(d for d in devices if d.role == role) for role in roles]
            futures = []
            for leader in leaders:
                view = leader.seat_view_of(turn)
                assert view is not None
                for decision in view["decisions"]:
                    open_choices = [c["id"] for c in decision["choices"] if c["available"]]
                    if decision.get("chosen") is None and open_choices:
                        futures.append(await leader.send({"type": "choose", "turn": turn,
                                                          "event": decision["event"],
                                                          "choice": rng.choice(open_choices)}))
            acks["choose"] += await await_all(futures, args.timeout, f"turn {turn}: choose")
            for leader in leaders[:-1]:
                acks["ready"] += await await_all([await leader.send({"type": "ready", "turn": turn})],
                                                 args.timeout, f"turn {turn}: ready")
            await asyncio.sleep(SETTLE_SECONDS)
            sent = time.perf_counter()
            last = await leaders[-1].send({"type": "ready", "turn": turn})
            await wait_for_turn(clients, turn + 1, args.timeout)
            acks["ready"] += await await_all([last], args.timeout, f"turn {turn}: the resolving ready")
            broadcast += [c.turns_seen[turn + 1] - sent for c in clients]
            resolved += 1
            if control.is_over:
                break
            await wait_for_seat_views(devices, turn + 1, args.timeout)
    finally:
        for client in clients:
            if client.socket is not None:
                await client.socket.close()
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
    for reader in readers:
        if not reader.cancelled() and reader.exception() is not None:
            raise BenchFailure(str(reader.exception()))
    return {"clients": clients, "acks": acks, "broadcast": broadcast, "resolved": resolved}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scenario", default="missile_summer_2017", help="a shipped scenario id")
    parser.add_argument("--devices", type=int, default=13, help="devices per seat (default 13: 3 × 13 + 1 = 40)")
    parser.add_argument("--turns", type=int, default=8, help="turns to play (default 8)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a step may take before failing")
    parser.add_argument("--spread", type=float, default=0.0,
                        help="seconds over which the devices' set_levers are spread (default 0: all at once)")
    parser.add_argument("--profile", type=Path, default=None,
                        help="run the server under cProfile, write its stats here and print where its time went")
    args = parser.parse_args()
    found = find_scenario(args.scenario)
    if found.scenario is None:
        print(f"bench_classroom: cannot load {args.scenario}", file=sys.stderr)
        return 1
    scenario = found.scenario
    roles = scenario.playable_roles()[:4]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        process = None
        try:
            process, base, codes = start_server(args.scenario, roles, folder, args.profile)
            hard_limit = args.timeout * (args.turns + 2) * 4
            result = asyncio.run(asyncio.wait_for(play(args, base, codes, roles), hard_limit))
            clients: list[Client] = result["clients"]
            missing = [f"{c.name} missed turn {t}" for c in clients for t in range(1, result["resolved"] + 1)
                       if t not in c.turns_seen]
            if missing:
                raise BenchFailure("; ".join(missing[:10]))
            errors = [error for c in clients for error in c.errors]
            if errors:
                raise BenchFailure("; ".join(errors[:5]))
            leaked = leaks(clients, private_texts(scenario))
            if leaked:
                raise BenchFailure("a private text leaked: " + "; ".join(leaked[:5]))
        except (BenchFailure, TimeoutError) as failure:
            print(f"bench_classroom: FAILED: {failure or 'the run exceeded its hard time limit'}", file=sys.stderr)
            return 1
        finally:
            if process is not None:
                process.send_signal(signal.SIGINT)  # Ctrl-C: serve saves and exits (and cProfile writes its file)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
    acks = result["acks"]
    every_ack = [s for samples in acks.values() for s in samples]
    load = os.getloadavg()
    print(f"scenario {args.scenario}: {len(roles)} seats × {args.devices} devices + facilitator = {len(clients)} "
          f"clients, {result['resolved']} turns resolved; {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    pacing = f"spread over {args.spread:g} s" if args.spread > 0 else "all at the same moment"
    print(f"goal p95 ≤ {GOAL_MS:g} ms, bar ≤ {BAR_MS:g} ms; each turn's set_levers sent {pacing}")
    print(f"command → ack, all:      {percentiles(every_ack)}")
    for command, samples in acks.items():
        if samples:
            print(f"  {command + ':':<21} {percentiles(samples)}")
    print(f"resolution → broadcast:  {percentiles(result['broadcast'])}")
    worst = max(p95_ms(every_ack), p95_ms(result["broadcast"]))
    verdict = "meets the goal" if worst <= GOAL_MS else "meets the bar" if worst <= BAR_MS else "MISSES THE BAR"
    print(f"every client got every resolution; no connection received another seat's private text; {verdict}")
    if args.profile is not None and args.profile.exists():
        print(f"\nthe server's time (cProfile, {args.profile}), by cumulative time:")
        pstats.Stats(str(args.profile)).sort_stats("cumulative").print_stats(r"game/(server|play|report)", 25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
