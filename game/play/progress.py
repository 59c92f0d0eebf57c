"""A plain-text progress bar on stderr for long headless runs (no extra dependency).

It draws only when enabled (a terminal, and not `--quiet`) and redraws at most ten times a second,
so a fast run does not spend its time printing.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30
MIN_INTERVAL = 0.1  # seconds between redraws


class ProgressBar:
    """`[#########.....]  45/100 runs` redrawn in place with a carriage return."""

    def __init__(self, total: int, label: str, *, enabled: bool, stream: TextIO | None = None) -> None:
        self.total = max(1, total)
        self.label = label
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self._last_draw = float("-inf")
        self._drawn = False

    @classmethod
    def for_terminal(cls, total: int, label: str, *, quiet: bool) -> ProgressBar:
        """A bar that draws only when stderr is a terminal and the user did not ask for quiet."""
        return cls(total, label, enabled=not quiet and sys.stderr.isatty())

    def update(self, done: int) -> None:
        """Report progress; redraws when enough time has passed (always at the end)."""
        if not self.enabled:
            return
        now = time.monotonic()
        if done < self.total and now - self._last_draw < MIN_INTERVAL:
            return
        self._last_draw = now
        filled = int(WIDTH * min(done, self.total) / self.total)
        bar = "#" * filled + "." * (WIDTH - filled)
        self.stream.write(f"\r[{bar}] {min(done, self.total)}/{self.total} {self.label}")
        self.stream.flush()
        self._drawn = True

    def finish(self) -> None:
        """Draw the full bar and end its line."""
        if not self.enabled:
            return
        self.update(self.total)
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
