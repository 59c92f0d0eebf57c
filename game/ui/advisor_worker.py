"""Advisors think in a worker thread, so the window never freezes while forecasts run.

A forecast is a few numpy batches (which release the GIL); the UI thread keeps drawing frames
and polls `result()` once per frame. The worker gets its own copy of the world state, so the
game may go on (even end the turn) while it runs: a result for a turn that is over is dropped.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from game.engine.compiled import CompiledScenario
from game.engine.world import WorldState
from game.play.advisors import AdviceBoard, advise

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AdviceRequest:
    """Which decision, in which turn, for which role."""

    event_id: str
    turn: int
    role: str


class AdvisorWorker:
    """One background forecast at a time; ask `done`/`result` from the UI thread."""

    def __init__(self, compiled: CompiledScenario, state: WorldState, request: AdviceRequest, *, seed: int,
                 worlds: int, language: str) -> None:
        self.request = request
        self.started = time.monotonic()
        self._board: AdviceBoard | None = None
        self._error: str | None = None
        self.fraction = 0.0  # share of the forecast's turns simulated so far (written by the worker thread)
        self._state = state.copy()  # the game's own state may change while we think
        self._thread = threading.Thread(
            target=self._run, args=(compiled, seed, worlds, language), name=f"advisors-{request.event_id}", daemon=True
        )
        self._thread.start()

    def _run(self, compiled: CompiledScenario, seed: int, worlds: int, language: str) -> None:
        try:
            self._board = advise(compiled, self._state, self.request.role, self.request.event_id, seed=seed,
                                 worlds=worlds, language=language, on_turn=self._progress)
        except Exception as error:  # shown in the panel; the game goes on without advice
            log.exception("advisors failed on %s", self.request.event_id)
            self._error = str(error) or type(error).__name__

    def _progress(self, done: int, total: int) -> None:
        self.fraction = done / max(total, 1)

    @property
    def done(self) -> bool:
        """True when the forecast has finished (or failed)."""
        return not self._thread.is_alive()

    @property
    def elapsed(self) -> float:
        """Seconds since the advisors started thinking."""
        return time.monotonic() - self.started

    def result(self) -> AdviceBoard | None:
        """The advice once done (None while thinking or after a failure)."""
        return self._board if self.done else None

    @property
    def error(self) -> str | None:
        """Why the advice failed, if it did."""
        return self._error if self.done else None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until done (screenshots and tests only); returns `done`."""
        self._thread.join(timeout)
        return self.done
