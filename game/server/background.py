"""The classroom server on a thread of its own (uvicorn and its event loop): for the pygame host, tests and the
benchmark. `serve` runs uvicorn on the main thread instead, so Ctrl-C reaches it."""

from __future__ import annotations

import threading
import time

import uvicorn

from game.server.app import create_app
from game.server.protocol import MAX_FRAME_BYTES
from game.server.room_host import RoomHost

START_SECONDS = 15.0


def server_config(host: RoomHost, bind: str, port: int, **app_options: object) -> uvicorn.Config:
    """uvicorn's settings for the room: the frame limit is enforced by the WebSocket layer too (close 1009)."""
    app = create_app(host, **app_options)  # type: ignore[arg-type]
    return uvicorn.Config(app, host=bind, port=port, ws="websockets-sansio", ws_max_size=MAX_FRAME_BYTES,
                          # Frames are a few kB on a LAN: compressing each one for each of 40 devices cost more
                          # than sending it (bench_classroom).
                          ws_per_message_deflate=False,
                          log_level="warning", lifespan="on", access_log=False, server_header=False)


class ServerThread:
    def __init__(self, host: RoomHost, bind: str, port: int, **app_options: object) -> None:
        self.host = host
        self.server = uvicorn.Server(server_config(host, bind, port, **app_options))
        self._thread = threading.Thread(target=self._run, name="classroom-server", daemon=True)
        self._failed: BaseException | None = None

    def _run(self) -> None:
        try:
            self.server.run()
        except BaseException as error:  # uvicorn exits (SystemExit) when it cannot bind
            self._failed = error

    def start(self) -> str:
        """Start listening; the base URL (`http://127.0.0.1:PORT`). Raises OSError when it cannot."""
        self._thread.start()
        deadline = time.monotonic() + START_SECONDS
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise OSError(f"the classroom server could not start ({self._failed or 'timed out'})")
            time.sleep(0.01)
        sockets = [s for server in self.server.servers for s in server.sockets]
        bound_host, bound_port = sockets[0].getsockname()[:2]
        shown = "127.0.0.1" if bound_host in ("0.0.0.0", "::") else bound_host
        return f"http://{shown}:{bound_port}"

    def stop(self) -> None:
        """Stop the server and wait until its thread has ended (the room is autosaved on the way out)."""
        self.server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=10)
