"""`python main.py serve`: a classroom room served to browsers, from a scenario or resumed from its folder.

Binds to 127.0.0.1 unless the teacher asks for the school network (`--lan`, or `--host`). Problems are one
line each and exit code 1; Ctrl-C stops the server, saves the room and exits 130.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is built for every command: the server's code loads only when `serve` runs
    from game.server.room_host import RoomHost

log = logging.getLogger(__name__)
LAN_BIND = "0.0.0.0"


def add_serve_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    serve = commands.add_parser("serve", help="serve a classroom room to browsers (students join by code)")
    serve.add_argument("scenario", nargs="?", help="a scenario id or a path to a scenario file")
    serve.add_argument("--seats", help="the roles that have a seat, ROLE,ROLE[,...]")
    serve.add_argument("--turn-minutes", type=float, default=None, help="minutes per turn (default: no limit)")
    serve.add_argument("--seed", type=int, default=None, help="random seed (default: random; kept in the room folder)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 = any free port)")
    serve.add_argument("--codes-out", type=Path, default=None, help="write the codes to this JSON file (mode 0600)")
    serve.add_argument("--resume", default=None, help="resume a room: its code or its folder")
    serve.add_argument("--lan", action="store_true", help="listen on the school network (0.0.0.0)")
    return serve


def run_serve(args: argparse.Namespace) -> int:
    from game.resources import user_data_dir

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    data_dir = user_data_dir(getattr(args, "data_dir", None))
    host_or_problem = _open_host(args, data_dir)
    if isinstance(host_or_problem, str):
        print(host_or_problem, file=sys.stderr)
        return 1
    host = host_or_problem
    bind = LAN_BIND if args.lan else str(args.host)
    if not 0 <= int(args.port) <= 65535:
        print("serve: --port must be 0..65535", file=sys.stderr)
        return 1
    return _serve(host, bind, int(args.port), args.codes_out)


def _open_host(args: argparse.Namespace, data_dir: Path) -> RoomHost | str:
    from game.play.opening import GameProblems
    from game.play.room import Seat, open_room
    from game.server.room_host import HostError, RoomHost

    if args.resume is not None:
        try:
            return RoomHost.resume(str(args.resume), data_dir)
        except HostError as error:
            return f"serve: {error}"
    if not args.scenario or not args.seats:
        return "serve: give a SCENARIO and --seats ROLE,ROLE (or --resume ROOM)"
    roles = [part.strip() for part in str(args.seats).split(",") if part.strip()]
    if not roles:
        return "serve: --seats needs at least one role, ROLE[,ROLE...]"
    if args.turn_minutes is not None and not args.turn_minutes > 0:
        return "serve: --turn-minutes must be more than 0"
    if args.seed is not None and args.seed < 0:
        return "serve: --seed must be 0 or more"
    limit = None if args.turn_minutes is None else float(args.turn_minutes) * 60.0
    room = open_room(str(args.scenario), [Seat(role, f"Team {n + 1}") for n, role in enumerate(roles)],
                     seed=args.seed, turn_limit=limit, data_dir=data_dir)
    if isinstance(room, GameProblems):
        return "\n".join(f"serve: {problem}" for problem in room.messages)
    try:
        return RoomHost.create(room, data_dir)
    except OSError as error:
        return f"serve: could not create the room folder: {error}"


def lan_addresses() -> list[str]:
    """This machine's addresses on the local network, as students' devices would reach it."""
    found: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = str(info[4][0])
            if address not in found and not address.startswith("127."):
                found.append(address)
    except OSError:
        pass
    return found


def _serve(host: RoomHost, bind: str, port: int, codes_out: Path | None) -> int:
    import uvicorn

    from game.play.saves import SaveError
    from game.server.background import server_config
    from game.server.codes import write_private_json

    config = server_config(host, bind, port)
    server = uvicorn.Server(config)
    config.load()
    try:
        sockets = [config.bind_socket()]
    except SystemExit:
        print(f"serve: cannot listen on {bind}:{port} (is another server using the port?)", file=sys.stderr)
        return 1
    real_port = sockets[0].getsockname()[1]
    shown = [*lan_addresses()] if bind == LAN_BIND else [bind]
    codes = host.codes
    join = f"http://{shown[0] if shown else bind}:{real_port}/?room={codes.room}"
    if codes_out is not None:
        try:
            write_private_json(codes_out, {"room": codes.room, "seats": dict(codes.seats), "join": join,
                                           "control": codes.control, "projector": codes.projector})
        except SaveError as error:
            print(f"serve: {error}", file=sys.stderr)
            return 1
    print(f"Room {codes.room}: students open {join}")
    for address in shown[1:]:
        print(f"  (or http://{address}:{real_port}/?room={codes.room})")
    for role, code in codes.seats.items():
        print(f"  seat {role}: {code}")
    address = f"http://{shown[0] if shown else bind}:{real_port}"
    print(f"  facilitator: {address}/facilitator?room={codes.room}  key {codes.control}")
    print(f"  projector:   {address}/projector?room={codes.room}#{codes.projector}")
    print(f"  room folder: {host.folder}  (resume with: python main.py serve --resume {codes.room})", flush=True)
    try:
        server.run(sockets=sockets)
    except KeyboardInterrupt:
        host.autosave()
        print("\nserver stopped; the room is saved", file=sys.stderr)
        return 130
    host.autosave()
    if getattr(server, "_captured_signals", None):
        print("\nserver stopped; the room is saved", file=sys.stderr)
        return 130
    return 0
