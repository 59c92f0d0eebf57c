"""Advice for many seats at once, off the event loop.

A forecast runs many simulated worlds (tenths of a second to seconds), so it runs on a thread pool: numpy
releases the GIL in its inner loops, and a thread needs no copy of the compiled scenario (a process would have
to unpickle it). The pool works on a copy of the world state taken on the room task, so it never reads the
room while the room task changes it. Results are cached per (state version, turn, role, event, language):
two devices of one seat, or a reload, ask once. A result that comes back after its turn is over is dropped.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from game.engine.forecast import Forecast
from game.play.advisors import DEFAULT_WORLDS, AdviceBoard, advise
from game.play.decisions import describe_decision
from game.play.forecast_summary import choice_outlook
from game.play.numbers import format_value
from game.play.session import Session
from game.server.protocol import AdviceState, AdvisorItem, ForecastItem

AdviceKey = tuple[int, int, str, str, str]  # (state version, turn, role, event, language)


@dataclass(frozen=True)
class AdviceJob:
    key: AdviceKey
    future: Future[AdviceBoard]


class AdvicePool:
    """Runs `advise` on worker threads; the caller (the room task) keeps the cache and the waiting devices."""

    def __init__(self, workers: int = 2, worlds: int = DEFAULT_WORLDS) -> None:
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="advice")
        self.worlds = worlds
        self.cache: dict[AdviceKey, AdviceState] = {}
        self.running: dict[AdviceKey, Future[AdviceBoard]] = {}

    def start(self, key: AdviceKey, session: Session, role: str, event: str, language: str,
              done: Callable[[AdviceKey, Future[AdviceBoard]], None]) -> None:
        """Begin the advice for `key` unless it is running; `done` is called (on a worker thread) with the result."""
        if key in self.running:
            return
        state = copy.deepcopy(session.state)  # the room task goes on changing the session's own state
        compiled, seed, humans = session.compiled, session.seed, session.human_roles
        future = self.executor.submit(advise, compiled, state, role, event, seed=seed, worlds=self.worlds,
                                       human_roles=humans, language=language)
        self.running[key] = future
        future.add_done_callback(lambda finished: done(key, finished))

    def forget_before(self, state_version: int) -> None:
        """Drop cached advice of older states (the turn moved on, a rewind, an inject or an adjustment)."""
        for key in [k for k in self.cache if k[0] < state_version]:
            del self.cache[key]

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def advice_message(session: Session, board: AdviceBoard, turn: int, language: str) -> AdviceState:
    """The advice as it is sent to the seat: each advisor's pick and reason, and a one-line forecast per choice."""
    advisors = tuple(
        AdvisorItem(name=a.advisor_name, recommends=a.choice_id, label=a.choice_label or a.choice_id,
                    reasons=tuple(s for s in (a.explanation,) if s))
        for a in board.advice
    )
    return AdviceState(turn=turn, event=board.event_id, status="ready", advisors=advisors,
                       forecasts=_forecasts(session, board.forecast, language))


def _forecasts(session: Session, forecast: Forecast, language: str) -> tuple[ForecastItem, ...]:
    info = describe_decision(session.scenario, forecast.event_id, language)
    items = []
    for choice in forecast.choices:
        outlook = choice_outlook(session, forecast, choice.choice_id, language)
        if outlook is None:
            continue
        parts = [f"{v.label} {format_value(v.median, v.unit)} ({format_value(v.low, v.unit)}–"
                 f"{format_value(v.high, v.unit)})" for v in outlook.variables]
        parts += [f"{e.title} {e.share:.0%}" for e in outlook.endings]
        label = info.label_of(choice.choice_id) if info is not None else choice.choice_id
        items.append(ForecastItem(choice=choice.choice_id, label=label, summary="; ".join(parts)))
    return tuple(items)
