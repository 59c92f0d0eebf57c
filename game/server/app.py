"""The classroom's web app: `/ws` (the protocol), `/healthz`, and the browser client's pages and files.

Every HTTP response carries a strict Content-Security-Policy and the other security headers. A WebSocket
handshake whose Origin is not the page's own origin is refused before it is accepted (another site's page in a
student's browser cannot talk to the room); frames are bounded in size and rate, connections in number.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from game.server.limits import BURST, HELLO_SECONDS, MAX_CONNECTIONS, MESSAGES_PER_SECOND, STRIKES, TokenBucket
from game.server.protocol import MAX_FRAME_BYTES, Error, Hello, ProtocolError, Rejected, encode, parse_client_message
from game.server.room_host import Connection, RoomHost
from game.translation import _, using_language

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                           "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
                           "frame-ancestors 'none'")
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"x-frame-options", b"DENY"),
)
CLOSE_TOO_BIG = 1009
CLOSE_POLICY = 1008
CLOSE_TRY_LATER = 1013


class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP response (a header the route set is replaced)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _value in SECURITY_HEADERS}
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": [*headers, *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def origin_allowed(websocket: WebSocket, allowed: Iterable[str] | None) -> bool:
    """True when the handshake's Origin is the page's own origin (scheme://Host) or one of `allowed`."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return False
    scheme = "https" if websocket.url.scheme == "wss" else "http"
    own = f"{scheme}://{websocket.headers.get('host', '')}"
    return origin == own or origin in set(allowed or ())


class _TooBig(Exception):
    pass


async def _receive_text(websocket: WebSocket) -> str | bytes:
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    text = message.get("text")
    data: str | bytes = text if text is not None else (message.get("bytes") or b"")
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > MAX_FRAME_BYTES:
        raise _TooBig
    return data


def create_app(host: RoomHost, *, allowed_origins: Iterable[str] | None = None,
               max_connections: int = MAX_CONNECTIONS, hello_seconds: float = HELLO_SECONDS,
               messages_per_second: float = MESSAGES_PER_SECOND, burst: int = BURST,
               extra_routes: Iterable[BaseRoute] = ()) -> Starlette:
    """The app serving `host`'s room. `allowed_origins`: more origins than the page's own that may open `/ws`."""
    origins = tuple(allowed_origins or ())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        host.attach(asyncio.get_running_loop())
        clock = asyncio.create_task(host.run_clock())
        try:
            yield
        finally:
            clock.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await clock
            for connection in list(host.connections.values()):
                connection.close(1001)
            host.detach()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def socket(websocket: WebSocket) -> None:
        if not origin_allowed(websocket, origins):
            log.info("refused a WebSocket from origin %r", websocket.headers.get("origin"))
            await websocket.close(CLOSE_POLICY)
            return
        if len(host.connections) >= max_connections:
            await websocket.close(CLOSE_TRY_LATER)
            return
        await websocket.accept()
        connection = await _hello(websocket)
        if connection is None:
            return
        sender = asyncio.create_task(_send_outbox(websocket, connection))
        try:
            await _receive_loop(websocket, connection)
        except _TooBig:
            connection.close(CLOSE_TOO_BIG)
        except WebSocketDisconnect:
            pass
        finally:
            host.leave(connection)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(sender, 2.0)
            if not sender.done():
                sender.cancel()

    async def _hello(websocket: WebSocket) -> Connection | None:
        address = websocket.client.host if websocket.client is not None else "unknown"
        try:
            frame = await asyncio.wait_for(_receive_text(websocket), hello_seconds)
        except _TooBig:
            await websocket.close(CLOSE_TOO_BIG)
            return None
        except (TimeoutError, WebSocketDisconnect):
            with contextlib.suppress(Exception):
                await websocket.close(CLOSE_POLICY)
            return None
        try:
            hello = parse_client_message(frame)
        except ProtocolError as error:
            await _refuse(websocket, Error(message=_("That message was not understood: {problem}",
                                                     problem=str(error))))
            return None
        if not isinstance(hello, Hello):
            await _refuse(websocket, Error(message=_("Say hello first: send the room code and your code.")))
            return None
        joined = host.join(hello, address)
        if isinstance(joined, str):
            await _refuse(websocket, Rejected(id=None, message=joined))
            return None
        return joined

    async def _receive_loop(websocket: WebSocket, connection: Connection) -> None:
        bucket = TokenBucket(messages_per_second, burst)
        strikes = 0
        while not connection.closing:
            frame = await _receive_text(websocket)
            with using_language(connection.language):
                if not bucket.take():
                    strikes += 1
                    if strikes > STRIKES:
                        connection.close(CLOSE_POLICY)
                        return
                    connection.send(Error(message=_("Too many messages at once: slow down.")))
                    continue
                try:
                    message = parse_client_message(frame)
                except ProtocolError as error:
                    connection.send(Error(message=_("That message was not understood: {problem}",
                                                    problem=str(error))))
                    continue
            try:
                await host.submit(connection, message)
            except Exception:  # a bug must not end the room: log it, tell the client nothing of it
                log.exception("a message could not be handled")
                with using_language(connection.language):
                    connection.send(Error(message=_("The server could not handle that message.")))

    return _build(host, socket, healthz, lifespan, extra_routes)


async def _refuse(websocket: WebSocket, message: Error | Rejected) -> None:
    with contextlib.suppress(Exception):
        await websocket.send_text(encode(message))
        await websocket.close(CLOSE_POLICY)


async def _send_outbox(websocket: WebSocket, connection: Connection) -> None:
    try:
        while True:
            frame = await connection.outbox.get()
            if frame is None:
                break
            await websocket.send_text(frame)
    finally:
        with contextlib.suppress(Exception):
            await websocket.close(connection.close_code)


def _build(host: RoomHost, socket: Any, healthz: Any, lifespan: Any, extra_routes: Iterable[BaseRoute]) -> Starlette:
    from game.server.web_routes import web_routes

    routes: list[BaseRoute] = [WebSocketRoute("/ws", socket), Route("/healthz", healthz, methods=["GET"]),
                               *extra_routes, *web_routes()]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.scenario = host.room.session.scenario
    app.add_middleware(SecurityHeaders)
    return app
