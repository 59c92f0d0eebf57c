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


class AdvisorPool:
    """The game screen's advisors: a worker per open decision, the boards they produced and the failures,
    all for one role; advice for a turn that is over is dropped."""

    def __init__(self, worlds: int) -> None:
        self.worlds = worlds
        self.boards: dict[AdviceRequest, AdviceBoard] = {}
        self.workers: dict[AdviceRequest, AdvisorWorker] = {}
        self.failed: dict[AdviceRequest, str] = {}

    def start(self, compiled: CompiledScenario, state: WorldState, requests: list[AdviceRequest], *, seed: int,
              language: str) -> None:
        """A worker for each request that has no advice, worker or failure yet."""
        for request in requests:
            if request in self.boards or request in self.workers or request in self.failed:
                continue
            self.workers[request] = AdvisorWorker(compiled, state, request, seed=seed, worlds=self.worlds,
                                                  language=language)

    def busy(self, turn: int) -> list[AdvisorWorker]:
        """The workers still thinking about `turn`."""
        return [w for r, w in self.workers.items() if r.turn == turn]

    def collect(self, turn: int) -> bool:
        """Take the finished workers' results; True when advice for `turn` arrived (or failed)."""
        changed = False
        for request, worker in list(self.workers.items()):
            if not worker.done:
                continue
            del self.workers[request]
            if request.turn != turn:
                continue  # advice for a turn that is over
            board = worker.result()
            if board is not None:
                self.boards[request] = board
            else:
                self.failed[request] = worker.error or "?"
            changed = True
        return changed

    def wait(self, turn: int, timeout: float = 30.0) -> None:
        """Block until every worker is done (screenshots and tests only; the game loop never calls it)."""
        deadline = time.monotonic() + timeout
        for worker in list(self.workers.values()):
            worker.wait(max(0.0, deadline - time.monotonic()))
        self.collect(turn)

    def forget_before(self, turn: int) -> None:
        """A new turn: earlier boards and failures no longer apply."""
        self.boards = {r: b for r, b in self.boards.items() if r.turn == turn}
        self.failed.clear()

    def clear(self) -> None:
        self.boards.clear()
        self.workers.clear()
        self.failed.clear()
