"""One game in progress: a scenario, a seed, the human roles and the commands they gave (a world of B = 1).

A session is fully determined by (scenario, seed, human roles, commands): `Session.replay` rebuilds
it bit for bit, and saves, "fork from turn N" and reloading an edited scenario are all replays.

Commands collect in the current turn (lever settings and choices; a later setting of the same lever
replaces the earlier one) until every human role has ended its turn; then the turn resolves with
the causal ledger on. A role cannot end its turn while one of its decisions is undecided.

Player-facing text (rejections, news, dates) is in the current language (`game.translation`); the
news log keeps what happened, not sentences (`game.play.news`), and dates come from `game.play.dates`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from game.engine.compiled import CompiledScenario, compile_scenario
from game.engine.ledger import CausalLedger
from game.engine.ledger_labels import control_label
from game.engine.scoring import RoleScore, evaluate_role
from game.engine.turn import TurnInput, TurnReport, adjust_variable, inject_event, resolve_turn
from game.engine.world import WorldState, new_world, world_keys
from game.play.commands import (
    CONTROL,
    Adjust,
    Choose,
    Command,
    CommandRejected,
    EndTurn,
    Inject,
    SetLever,
    Timeout,
    with_turn,
)
from game.play.dates import date_label
from game.play.decisions import DecisionInfo, PendingDecision, describe_decision, obligation_event_id
from game.play.news import NewsItem, role_title
from game.play.numbers import format_number, format_value
from game.play.pending import available_choices, default_choice, pending_decision_ids
from game.scenario.models import Scenario, localized
from game.translation import _, current_language, list_text

__all__ = ["NewsItem", "ObligationRecord", "ReplayReport", "Session", "SkippedCommand", "date_label"]


class HasScenario(Protocol):
    """A scenario loader's result (`game.scenario.loader.LoadResult`): what `Session.start` needs of it."""

    @property
    def scenario(self) -> Scenario | None: ...


@dataclass(frozen=True)
class ObligationRecord:
    """One line of the obligation ledger: which obligation, when, and what became of it."""

    obligation: str  # "treaty.article"
    turn: int  # its date is `Session.date_label(turn)`, in the language of whoever reads it
    outcome: str  # news.ENGAGED | news.HONOURED | news.EVADED


@dataclass(frozen=True)
class SkippedCommand:
    """A command of a replayed log that no longer applies (e.g. after the scenario was edited)."""

    index: int  # position in the original command list
    command: Command
    reason: str


@dataclass
class ReplayReport:
    """The outcome of replaying a command log leniently: the new session and what did not apply."""

    session: Session
    skipped: list[SkippedCommand] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "turn 3: 'crisis' had no decision: took 'back_down'"

    @property
    def clean(self) -> bool:
        """True when every command applied as it was."""
        return not self.skipped and not self.notes


class Session:
    """A game in progress (B = 1). Change it only through `apply(command)` / `end_turn()`."""

    def __init__(
        self,
        scenario: Scenario,
        compiled: CompiledScenario | None,
        seed: int,
        human_roles: Iterable[str],
        commands: Sequence[Command] = (),
        *,
        scenario_path: str | None = None,
    ) -> None:
        self.scenario = scenario
        self.compiled = compiled if compiled is not None else compile_scenario(scenario)
        self.seed = int(seed)
        if self.seed < 0:
            raise CommandRejected(_("The seed must be a whole number of 0 or more, not {seed}.", seed=self.seed))
        self.human_roles = frozenset(human_roles)
        unknown = sorted(self.human_roles - set(scenario.roles))
        if unknown:
            raise CommandRejected(_("This scenario has no role {roles}.", roles=", ".join(unknown)))
        self.scenario_path = scenario_path
        # One Generator per game: it only hands out the world's key, so nothing else (advice,
        # forecasts, the UI) can shift the game's random numbers.
        rng = np.random.default_rng(self.seed)
        self.state: WorldState = new_world(self.compiled, 1, world_keys(rng, 1))
        self.commands: list[Command] = []
        self.history: list[np.ndarray] = [self.state.values[0].copy()]  # values[V] at the start and after each turn
        self.news: list[NewsItem] = []
        self.obligation_ledger: list[ObligationRecord] = []
        self.ledgers: list[CausalLedger | None] = []  # causal ledger of each resolved turn
        self.reports: list[TurnReport] = []
        self._lever_settings: dict[str, float] = {}
        self._choices: dict[str, str] = {}
        self._ended: set[str] = set()
        # The facilitator's adjustments since the last turn: (variable, ledger label, amount), for the ledger.
        self._control_changes: list[tuple[str, str, float]] = []
        for command in commands:
            self.apply(command)

    # --- construction -------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        source: Scenario | HasScenario,
        role: str | Iterable[str] | None,
        seed: int,
        *,
        scenario_path: str | None = None,
    ) -> Session:
        """A new game of a scenario (or a loader result) with one human role, several, or none (None)."""
        scenario = source if isinstance(source, Scenario) else source.scenario
        if scenario is None:
            raise CommandRejected(
                _("This scenario has errors and cannot be played; run `python main.py validate`.")
            )
        if scenario_path is None and not isinstance(source, Scenario):
            path = getattr(source, "path", None)
            scenario_path = str(path) if path is not None else None
        roles: frozenset[str]
        if role is None:
            roles = frozenset()
        elif isinstance(role, str):
            roles = frozenset({role})
        else:
            roles = frozenset(role)
        for role_id in roles:
            if role_id in scenario.roles and not scenario.roles[role_id].playable:
                raise CommandRejected(_("The role '{role}' is not playable in this scenario.", role=role_id))
        return cls(scenario, None, seed, roles, scenario_path=scenario_path)

    @classmethod
    def replay(
        cls,
        scenario: Scenario,
        seed: int,
        commands: Sequence[Command],
        human_roles: Iterable[str] | None = None,
        *,
        compiled: CompiledScenario | None = None,
        scenario_path: str | None = None,
    ) -> Session:
        """Rebuild a session from its command log; raises `CommandRejected` if a command does not apply.

        `human_roles` defaults to the roles that gave the commands (the facilitator is not one).
        """
        roles = (frozenset(human_roles) if human_roles is not None
                 else frozenset(c.role for c in commands if c.role != CONTROL))
        return cls(scenario, compiled, seed, roles, commands, scenario_path=scenario_path)

    @classmethod
    def replay_leniently(
        cls,
        scenario: Scenario,
        seed: int,
        commands: Sequence[Command],
        human_roles: Iterable[str],
        *,
        scenario_path: str | None = None,
    ) -> ReplayReport:
        """Replay a command log onto a (possibly edited) scenario, skipping commands that no longer apply.

        When a role ends its turn with a decision the old scenario did not have, the default choice
        (or the first open one) is taken and noted, so the rest of the log can still be replayed.
        """
        roles = frozenset(r for r in human_roles if r in scenario.roles)
        session = cls(scenario, None, seed, roles, scenario_path=scenario_path)
        report = ReplayReport(session)
        for index, command in enumerate(commands):
            if session.is_over:
                report.skipped.append(SkippedCommand(index, command, _("the game had already ended")))
                continue
            if isinstance(command, EndTurn) and command.role in session.human_roles:
                for pending in session.pending_decisions(command.role):
                    if pending.awaits_choice:
                        choice = pending.default_choice
                        session.apply(Choose(command.role, pending.event_id, choice))
                        report.notes.append(_(
                            "turn {turn}: '{decision}' had no decision in the log; took '{choice}'",
                            turn=session.turn, decision=pending.event_id, choice=choice,
                        ))
            try:
                session.apply(command)
            except CommandRejected as rejected:
                report.skipped.append(SkippedCommand(index, command, rejected.message))
        return report

    def reload(self, new_scenario: Scenario, *, scenario_path: str | None = None) -> ReplayReport:
        """Replay this session's commands onto an edited scenario (F5 in the UI); see `replay_leniently`."""
        return Session.replay_leniently(
            new_scenario, self.seed, self.commands, self.human_roles,
            scenario_path=scenario_path if scenario_path is not None else self.scenario_path,
        )

    def fork(self, turn: int) -> Session:
        """The game as it was at the start of `turn` (undo, "fork from turn N"): a replay of the earlier commands."""
        if not 0 <= turn <= self.turn:
            raise CommandRejected(_("Turn {turn} is not a turn of this game so far.", turn=turn + 1))
        earlier = [c for c in self.commands if c.turn is not None and c.turn < turn]
        return Session(self.scenario, self.compiled, self.seed, self.human_roles, earlier,
                       scenario_path=self.scenario_path)

    # --- reading the game -----------------------------------------------------------------------

    @property
    def turn(self) -> int:
        """The turn now being played (0 = the first)."""
        return int(self.state.turn)

    @property
    def values(self) -> np.ndarray:
        """The current value of every variable, [V] in `compiled.variable_ids` order."""
        return np.asarray(self.state.values[0])

    def value(self, variable_id: str) -> float:
        """The current value of one variable."""
        return float(self.state.values[0, self.compiled.variable_index[variable_id]])

    def value_history(self, variable_id: str) -> list[float]:
        """The variable's value at the start and after each resolved turn (for charts)."""
        index = self.compiled.variable_index[variable_id]
        return [float(values[index]) for values in self.history]

    @property
    def last_ledger(self) -> CausalLedger | None:
        """The causal ledger of the last resolved turn ("why did this change?")."""
        return self.ledgers[-1] if self.ledgers else None

    @property
    def is_over(self) -> bool:
        """True once an ending was reached or the calendar ran out."""
        return not bool(self.state.active(self.compiled)[0])

    @property
    def ending(self) -> str | None:
        """The id of the ending reached, or None (while the game goes on, or if it ended with none)."""
        index = int(self.state.ending[0])
        return self.compiled.ending_ids[index] if index >= 0 else None

    def score(self, role: str) -> RoleScore:
        """The role's score so far (points, percent, grade)."""
        if role not in self.scenario.roles:
            raise CommandRejected(_("There is no role '{role}' in this scenario.", role=role))
        return evaluate_role(self.compiled, self.state, role)

    def date_label(self, turn: int | None = None, language: str | None = None) -> str:
        """The date of a turn (default: the current one) in `language` (default: the current one): "Oct 1959",
        "Q4 1959" or "1959" (ja: "1959年10月")."""
        month = self.compiled.month_of_turn(self.turn if turn is None else turn)
        return date_label(month, self.compiled.months_per_turn, language)

    def decision(self, event_id: str, language: str | None = None) -> DecisionInfo | None:
        """What the decision `event_id` is about (title, text, choices), or None if there is none."""
        return describe_decision(self.scenario, event_id, language)

    def pending_decisions(self, role: str, language: str | None = None) -> list[PendingDecision]:
        """The decisions awaiting `role` this turn, with their open choices and what was chosen so far."""
        result: list[PendingDecision] = []
        for event_id in pending_decision_ids(self.compiled, self.state):
            info = describe_decision(self.scenario, event_id, language)
            if info is None or info.role != role:
                continue
            available = available_choices(self.compiled, self.state, event_id)
            default = default_choice(self.compiled, self.state, event_id)
            result.append(PendingDecision(info, available, self._choices.get(event_id), default))
        return result

    def lever_setting(self, lever: str) -> float:
        """The lever's setting as the player has it: this turn's order, else the last setting given — not the
        lever's effect, which may still be moving toward it (see `lever_effect`)."""
        if lever in self._lever_settings:
            return self._lever_settings[lever]
        return float(self.state.lever_target[0, self.compiled.lever_index(lever)])

    def lever_effect(self, lever: str) -> float:
        """Where the lever's effect has got to: the value of `lever.<id>`, which moves toward the setting over
        the lever's lag (a setting of 30 with a lag of 4 reads 7.5 after one turn)."""
        return self.value(f"lever.{lever}")

    def roles_still_to_end(self) -> list[str]:
        """Human roles that have not ended the current turn yet."""
        return sorted(self.human_roles - self._ended)

    # --- changing the game ------------------------------------------------------------------------

    def apply(self, command: Command) -> TurnReport | None:
        """Apply one command; raises `CommandRejected` with a message for the player if it breaks a rule.

        Returns the turn's report when this command made the turn resolve, else None.
        """
        if self.is_over:
            raise CommandRejected(_("The game is over."))
        if command.turn is not None and command.turn != self.turn:
            raise CommandRejected(_(
                "This order was given for turn {given}, but the game is at turn {now}.",
                given=command.turn + 1, now=self.turn + 1,
            ))
        stamped = with_turn(command, self.turn)
        if isinstance(command, Inject):
            self._inject(command)
            self.commands.append(stamped)
            return None
        if isinstance(command, Adjust):
            self._adjust(command)
            self.commands.append(stamped)
            return None
        if isinstance(command, Timeout):
            self._check_role(command.role)
            for pending in self.pending_decisions(command.role):
                if pending.awaits_choice:
                    self._choices[pending.event_id] = pending.default_choice
            self.commands.append(stamped)
            self.news.append(NewsItem(self.turn, "timeout", role=command.role))
            return self._end_role_turn(command.role)
        if isinstance(command, SetLever):
            self._check_lever(command)
            self._lever_settings[command.lever] = float(command.value)
            self.commands.append(stamped)
            return None
        if isinstance(command, Choose):
            self._check_choice(command)
            self._choices[command.event] = command.choice
            self.commands.append(stamped)
            return None
        self._check_end_turn(command)
        self.commands.append(stamped)
        return self._end_role_turn(command.role)

    def _end_role_turn(self, role: str) -> TurnReport | None:
        self._ended.add(role)
        if self.human_roles and not self.human_roles <= self._ended:
            return None
        return self._resolve()

    def end_turn(self) -> TurnReport:
        """End the turn for every human role that has not ended it yet, and resolve it."""
        if self.is_over:
            raise CommandRejected(_("The game is over."))
        roles = self.roles_still_to_end() or sorted(self.scenario.roles)[:1]
        report: TurnReport | None = None
        for role in roles:
            report = self.apply(EndTurn(role))
        assert report is not None  # the last role's EndTurn resolves the turn
        return report

    # --- rules ------------------------------------------------------------------------------------------

    def _check_role(self, role: str) -> None:
        if role not in self.scenario.roles:
            raise CommandRejected(_("There is no role '{role}' in this scenario.", role=role))
        if role not in self.human_roles:
            raise CommandRejected(_("{role} is played by the computer in this game.", role=self._role_title(role)))
        if role in self._ended:
            raise CommandRejected(_("{role} has already ended this turn.", role=self._role_title(role)))

    def _check_lever(self, command: SetLever) -> None:
        self._check_role(command.role)
        owner = next((rid for rid, r in self.scenario.roles.items() if command.lever in r.levers), None)
        if owner is None:
            if command.lever.startswith("lever."):
                raise CommandRejected(_("There is no lever '{lever}' (write '{id}', without 'lever.').",
                                        lever=command.lever, id=command.lever.removeprefix("lever.")))
            raise CommandRejected(_("There is no lever '{lever}'.", lever=command.lever))
        lever = self.scenario.roles[owner].levers[command.lever]
        label = localized(lever.label, current_language())
        if owner != command.role:
            raise CommandRejected(_("{lever} is set by {owner}, not by {role}.", lever=label,
                                    owner=self._role_title(owner), role=self._role_title(command.role)))
        low, high = lever.range
        if not math.isfinite(command.value) or not low <= command.value <= high:
            raise CommandRejected(_("{lever} must be between {low} and {high}; {value} is outside.", lever=label,
                                    low=format_number(low, 6), high=format_value(high, lever.unit, 6),
                                    value=format_number(command.value, 6)))

    def _check_choice(self, command: Choose) -> None:
        self._check_role(command.role)
        info = describe_decision(self.scenario, command.event)
        if info is None:
            raise CommandRejected(_("There is no decision '{decision}' in this scenario.", decision=command.event))
        if info.role != command.role:
            raise CommandRejected(_("'{decision}' is decided by {owner}, not by {role}.", decision=info.title,
                                    owner=self._role_title(info.role), role=self._role_title(command.role)))
        if command.event not in pending_decision_ids(self.compiled, self.state):
            raise CommandRejected(_("'{decision}' is not awaiting a decision now.", decision=info.title))
        if info.choice(command.choice) is None:
            options = ", ".join(f"'{c.id}'" for c in info.choices)
            raise CommandRejected(_("'{decision}' has no option '{choice}' (the options are {options}).",
                                    decision=info.title, choice=command.choice, options=options))
        if command.choice not in available_choices(self.compiled, self.state, command.event):
            raise CommandRejected(_("'{choice}' is not open to you in '{decision}' now.",
                                    choice=info.label_of(command.choice), decision=info.title))

    def _check_end_turn(self, command: EndTurn) -> None:
        if not self.human_roles:
            if command.role not in self.scenario.roles:
                raise CommandRejected(_("There is no role '{role}' in this scenario.", role=command.role))
            return
        self._check_role(command.role)
        undecided = [p for p in self.pending_decisions(command.role) if p.awaits_choice]
        if undecided:
            titles = list_text([_("'{decision}'", decision=p.info.title) for p in undecided])
            raise CommandRejected(_("Decide {decisions} before ending the turn.", decisions=titles))

    def _role_title(self, role: str) -> str:
        return role_title(self.scenario, role)

    # --- the facilitator ----------------------------------------------------------------------------------

    def injectable_events(self) -> list[str]:
        """Ids of the events the facilitator may inject (the scenario's `classroom.injectable`), in its order."""
        classroom = self.scenario.classroom
        return list(classroom.injectable) if classroom is not None else []

    def _inject(self, command: Inject) -> None:
        event = next((e for e in self.scenario.events if e.id == command.event), None)
        allowed = self.injectable_events()
        if event is None or command.event not in allowed:
            if not allowed:
                raise CommandRejected(_("This scenario lists no events for the facilitator to bring in."))
            raise CommandRejected(_("'{event}' cannot be brought in by the facilitator (these can: {events}).",
                                    event=command.event, events=", ".join(allowed)))
        title = localized(event.title, current_language())
        if command.event in pending_decision_ids(self.compiled, self.state):
            raise CommandRejected(_("'{event}' is already awaiting a decision.", event=title))
        if event.owner in self._ended:
            raise CommandRejected(_("{role} has already ended this turn, so could not decide '{event}' now.",
                                    role=self._role_title(event.owner), event=title))
        inject_event(self.compiled, self.state, command.event)
        self.news.append(NewsItem(self.turn, "inject", command.event, event.owner))

    def _adjust(self, command: Adjust) -> None:
        reason = command.reason.strip()
        if not reason:
            raise CommandRejected(_("An adjustment needs a reason: the players are told it."))
        index = self.compiled.variable_index.get(command.variable)
        if index is None:
            raise CommandRejected(_("There is no variable '{variable}'.", variable=command.variable))
        label = self.compiled.label(command.variable, current_language())
        if command.variable.startswith("lever."):
            raise CommandRejected(_("{variable} follows its lever's setting; it cannot be adjusted.", variable=label))
        declared = self.scenario.variables.get(command.variable)
        if declared is not None and declared.derived is not None:
            raise CommandRejected(_("{variable} is computed from other variables every turn; adjust those instead.",
                                    variable=label))
        low, high = float(self.compiled.lower[index]), float(self.compiled.upper[index])
        if not math.isfinite(command.value) or not low <= command.value <= high:
            raise CommandRejected(_("{variable} must be between {low} and {high}; {value} is outside.",
                                    variable=label, low=format_number(low, 6), high=format_number(high, 6),
                                    value=format_number(command.value, 6)))
        amount = adjust_variable(self.compiled, self.state, command.variable, command.value)
        self._control_changes.append((command.variable, control_label(reason), amount))
        self.news.append(NewsItem(self.turn, "adjust", command.variable, CONTROL, reason=reason,
                                  value=float(command.value)))

    # --- resolving a turn -------------------------------------------------------------------------------

    def _resolve(self) -> TurnReport:
        turn = self.turn
        inputs = TurnInput(
            lever_settings={lever: value for lever, value in self._lever_settings.items()},
            choices=dict(self._choices),
            human_roles=self.human_roles,
            control_changes=tuple(self._control_changes),
        )
        report = resolve_turn(self.compiled, self.state, inputs, ledger=True)
        self._control_changes.clear()
        self._lever_settings.clear()
        self._choices.clear()
        self._ended.clear()
        self.reports.append(report)
        self.ledgers.append(report.ledger)
        self.history.append(self.state.values[0].copy())
        self._record_news(turn, report)
        if self.is_over:
            self.news.append(NewsItem(turn, "ending", event_id=self.ending))
        return report

    def _record_news(self, turn: int, report: TurnReport) -> None:
        # What happened, not how to say it: `news.news_text` tells it in the reader's language.
        for event_id, choice_id, role in report.decided[0]:
            self.news.append(NewsItem(turn, "decision", event_id, role, choice_id))
        for event_id in report.fired[0]:
            info = describe_decision(self.scenario, event_id)
            self.news.append(NewsItem(turn, "event", event_id, info.role if info else None))
        for obligation, outcome in report.obligations[0]:
            self.obligation_ledger.append(ObligationRecord(obligation, turn, outcome))
            self.news.append(NewsItem(turn, "obligation", obligation_event_id(obligation), outcome=outcome))

    # --- for saves ---------------------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """The engine state as JSON-ready data (for fast loading and for checking a replay)."""
        return self.state.to_snapshot()
