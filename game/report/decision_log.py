"""Each decision the seats faced: its options, what each advisor recommended and why, the choice, how it was
taken (chosen, a timeout, the default) and what really happened.

The advice is recomputed at the state the seat saw: the game's commands are replayed one by one, and each
decision is advised just before the first command given while it was open (so an injected decision is
advised after the inject). By default the forecasts are the game's own (its number of worlds and turns and
the same forecast seeds), so the pack shows the advice the team read; fewer worlds (tests) say so in the pack.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from game.play.advisors import DEFAULT_TURNS, DEFAULT_WORLDS, advise
from game.play.commands import Choose, Command
from game.play.decisions import describe_decision, find_event, find_obligation
from game.play.session import Session
from game.report.played import PlayedGame
from game.scenario.models import localized
from game.translation import using_language

ADVICE_WORLDS = DEFAULT_WORLDS  # as the game asks: the same forecast seeds give the advice the team read
ADVICE_TURNS = DEFAULT_TURNS

CHOSEN, TIMEOUT, DEFAULT = "chosen", "timeout", "default"


@dataclass(frozen=True)
class OptionRecord:
    id: str
    label: str
    text: str | None
    open: bool


@dataclass(frozen=True)
class AdviceRecord:
    advisor: str
    choice_id: str
    choice_label: str
    explanation: str


@dataclass(frozen=True)
class DecisionRecord:
    """One decision of one seat, as the pack tells it."""

    number: int  # 1, 2, ... in the order they were decided
    turn: int
    role: str
    event_id: str
    title: str
    text: str
    options: tuple[OptionRecord, ...]
    advice: tuple[AdviceRecord, ...]
    choice_id: str
    choice_label: str
    how: str  # CHOSEN | TIMEOUT | DEFAULT
    seconds: float | None  # from the start of the turn to the choice (room games only)
    historical_choice: str | None  # the choice label the scenario records as what really happened
    history: str | None  # what really happened, if the scenario says
    is_obligation: bool

    @property
    def followed(self) -> tuple[str, ...]:
        """The advisors whose recommendation was the choice."""
        return tuple(a.advisor for a in self.advice if a.choice_id == self.choice_id)


def decision_records(
    game: PlayedGame, language: str, *, worlds: int = ADVICE_WORLDS, turns: int = ADVICE_TURNS,
    on_progress: Callable[[int], None] | None = None,
) -> list[DecisionRecord]:
    """The seats' decisions in the order they were taken, each with its advice recomputed (see the module doc)."""
    session = game.session
    seats = set(game.roles)
    boards = _advice_by_decision(game, language, worlds, turns, on_progress)
    chosen_by = _choices_given(session.commands)
    timed_out = {(c.role, c.turn) for c in session.commands if _kind(c) == "timeout"}
    starts = _turn_starts(session.commands, game.command_times)
    records: list[DecisionRecord] = []
    for item in session.news:
        if item.kind != "decision" or item.role not in seats or item.event_id is None:
            continue
        role, event_id, turn = item.role, item.event_id, item.turn
        info = describe_decision(session.scenario, event_id, language)
        if info is None:
            continue
        given = chosen_by.get((turn, event_id))
        how = CHOSEN if given is not None and given[0] == item.choice_id else (
            TIMEOUT if (role, turn) in timed_out else DEFAULT)
        seconds = None
        if given is not None and game.command_times is not None and how == CHOSEN:
            seconds = max(0.0, game.command_times[given[1]] - starts.get(turn, 0.0))
        advice, open_ids = boards.get((turn, event_id), ((), tuple(c.id for c in info.choices)))
        historical, history = _history(session, event_id, language)
        records.append(DecisionRecord(
            number=len(records) + 1, turn=turn, role=role, event_id=event_id, title=info.title, text=info.text,
            options=tuple(OptionRecord(c.id, c.label, c.text, c.id in open_ids) for c in info.choices),
            advice=advice, choice_id=item.choice_id or "", choice_label=info.label_of(item.choice_id or ""),
            how=how, seconds=seconds,
            historical_choice=info.label_of(historical) if historical is not None else None,
            history=history, is_obligation=info.is_obligation,
        ))
    return records


def _kind(command: Command) -> str:
    return str(command.to_json()["kind"])


def _choices_given(commands: list[Command]) -> dict[tuple[int | None, str], tuple[str, int]]:
    """(turn, decision) → (the last choice given for it, its index in the log)."""
    given: dict[tuple[int | None, str], tuple[str, int]] = {}
    for index, command in enumerate(commands):
        if isinstance(command, Choose):
            given[(command.turn, command.event)] = (command.choice, index)
    return given


def _turn_starts(commands: list[Command], times: list[float] | None) -> dict[int, float]:
    """When each turn began: the time of the last command of the turn before (0 for the first turn)."""
    if times is None:
        return {}
    starts: dict[int, float] = {0: 0.0}
    for command, at in zip(commands, times, strict=False):
        if command.turn is not None:
            starts[command.turn + 1] = max(starts.get(command.turn + 1, 0.0), at)
    return starts


def _history(session: Session, event_id: str, language: str) -> tuple[str | None, str | None]:
    event = find_event(session.scenario, event_id)
    if event is not None:
        if event.history is None:
            return None, None
        return event.history.choice, localized(event.history.text, language)
    found = find_obligation(session.scenario, event_id.partition(":")[2])
    if found is None:
        return None, None
    note = getattr(found[2], "history", None)  # obligations' `history` comes with the campaign's format change
    text = getattr(note, "text", None)
    return getattr(note, "choice", None), localized(text, language) if text is not None else None


Board = tuple[tuple[AdviceRecord, ...], tuple[str, ...]]


def _advice_by_decision(
    game: PlayedGame, language: str, worlds: int, turns: int, on_progress: Callable[[int], None] | None,
) -> dict[tuple[int, str], Board]:
    """(turn, decision) → (each advisor's advice, the open choices) at the moment the seat decided."""
    original = game.session
    replay = Session(original.scenario, original.compiled, original.seed, original.human_roles,
                     scenario_path=original.scenario_path)
    boards: dict[tuple[int, str], Board] = {}
    seats = game.roles
    with using_language(language):
        for command in [*original.commands, None]:
            if replay.is_over:
                break
            for role in seats:
                for pending in replay.pending_decisions(role, language):
                    key = (replay.turn, pending.event_id)
                    if key in boards:
                        continue
                    advice: tuple[AdviceRecord, ...] = ()
                    if original.scenario.roles[role].advisors and pending.available:
                        board = advise(replay.compiled, replay.state, role, pending.event_id, seed=replay.seed,
                                       worlds=worlds, turns=turns, language=language)  # as the game's panel asks
                        advice = tuple(AdviceRecord(a.advisor_name, a.choice_id, a.choice_label, a.explanation)
                                       for a in board.advice)
                    boards[key] = (advice, pending.available)
                    if on_progress is not None:
                        on_progress(len(boards))
            if command is not None:
                replay.apply(command)
    return boards
