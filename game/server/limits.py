"""The bounds of a classroom server: frames per connection (a token bucket) and connections per room."""

from __future__ import annotations

import time
from collections.abc import Callable

MAX_CONNECTIONS = 80  # a class of 40 with spare devices, the facilitator and a projector or two
HELLO_SECONDS = 10.0  # a connection that has not said hello by then is closed
MESSAGES_PER_SECOND = 10.0
BURST = 30
STRIKES = 20  # frames refused for speed before the connection is closed (1008)


class TokenBucket:
    """`rate` frames a second on average, `burst` at once."""

    def __init__(self, rate: float = MESSAGES_PER_SECOND, burst: int = BURST,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = float(burst)
        self._now = now
        self._tokens = float(burst)
        self._at = now()

    def take(self) -> bool:
        """True when a frame may pass now (and counts it)."""
        now = self._now()
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False
