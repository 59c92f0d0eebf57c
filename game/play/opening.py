"""The one door to a game: `open_game` starts one, `resume_game` loads a save.

Every way of starting a game goes through here — `python main.py play`, the briefing's Begin button,
the Load dialog, `screenshot`, the benchmarks and the tests — so the rules for which roles may be
played, which seed a new game gets and what a problem says live in one place. Both functions return
an `OpenedGame`, or `GameProblems` with messages for the player; neither raises for a user's mistake.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from game.play.commands import Choose, CommandRejected, EndTurn
from game.play.decisions import PendingDecision, historical_choice
from game.play.saves import SaveError, load_save
from game.play.session import Session
from game.scenario.catalog import find_scenario
from game.scenario.loader import LoadResult
from game.scenario.models import Scenario
from game.translation import _

AutoPolicy = Literal["historical", "default"]


@dataclass(frozen=True)
class OpenedGame:
    """A game ready to play: its session, the human roles in the order they were asked for, and any
    warnings the player should see (a save replayed onto an edited scenario, say)."""

    session: Session
    roles: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    @property
    def role(self) -> str:
        """The first human role (the one a single-player screen shows)."""
        return self.roles[0]


@dataclass(frozen=True)
class GameProblems:
    """Why a game could not be opened, one message a line, ready to show."""

    messages: tuple[str, ...]

    def text(self) -> str:
        """The messages as one block of text (for the terminal or a dialog)."""
        return "\n".join(self.messages)


def first_playable_role(scenario: Scenario) -> str | None:
    """The role a game opens with when none is asked for."""
    return next(iter(scenario.playable_roles()), None)


def fresh_seed() -> int:
    """A seed for a new game nobody asked a seed for (the save records it, so the game can be replayed)."""
    return random.SystemRandom().randrange(1, 2**31)


def open_game(
    scenario: str | Path | LoadResult,
    roles: Sequence[str] | None = None,
    seed: int | None = None,
    data_dir: Path | None = None,
) -> OpenedGame | GameProblems:
    """A new game of `scenario` (an id, a path or an already loaded result) for the human `roles`
    (default: the first playable role), with `seed` (default: a fresh one)."""
    result = scenario if isinstance(scenario, LoadResult) else find_scenario(str(scenario), data_dir)
    if result.scenario is None:
        lines = tuple(d.format() for d in result.diagnostics if d.severity == "error")
        return GameProblems(lines or (_("{scenario}: this scenario cannot be loaded", scenario=scenario),))
    loaded = result.scenario
    playable = loaded.playable_roles()
    wanted = tuple(roles) if roles else tuple(playable[:1])
    if not wanted:
        return GameProblems((_("{scenario}: this scenario has no playable role", scenario=loaded.id),))
    unknown = [role for role in wanted if role not in playable]
    if unknown:
        listed = ", ".join(playable)
        return GameProblems(tuple(
            _("{scenario}: no playable role '{role}' (playable roles: {roles})", scenario=loaded.id, role=role,
              roles=listed)
            for role in unknown
        ))
    if len(set(wanted)) != len(wanted):
        return GameProblems((_("{scenario}: a role is named twice in {roles}", scenario=loaded.id,
                                roles=", ".join(wanted)),))
    try:
        session = Session.start(result, wanted, fresh_seed() if seed is None else seed,
                                scenario_path=str(result.path))
    except CommandRejected as rejected:
        return GameProblems((rejected.message,))
    return OpenedGame(session, wanted)


def resume_game(save: Path, data_dir: Path | None = None) -> OpenedGame | GameProblems:
    """The game stored in `save`, replayed from its orders (see `game.play.saves.load_save`)."""
    try:
        loaded = load_save(Path(save), data_dir)
    except SaveError as error:
        return GameProblems((error.message,))
    roles = tuple(sorted(loaded.session.human_roles))
    if not roles:
        return GameProblems((_("{name}: the save has no human role", name=Path(save).name),))
    return OpenedGame(loaded.session, roles, tuple(loaded.warnings))


@dataclass(frozen=True)
class Reloaded:
    """A game replayed onto its edited scenario file (F5): the new session and what did not replay as it was."""

    session: Session
    notes: tuple[str, ...]


def reload_game(session: Session, role: str, data_dir: Path | None = None) -> Reloaded | GameProblems:
    """Read the game's scenario file again and replay its orders onto it (see `Session.reload`); the problems
    when the file is gone, has errors, or no longer has `role` — the game then goes on as it was."""
    path = session.scenario_path
    if path is None:
        return GameProblems((_("This game has no scenario file to reload."),))
    if not Path(path).is_file():
        return _previous_kept(_("{path}: the file is missing", path=path))
    result = find_scenario(path, data_dir)
    if result.scenario is None:
        return _previous_kept(*[d.format() for d in result.diagnostics if d.severity == "error"][:50])
    try:
        report = session.reload(result.scenario, scenario_path=path)
    except (CommandRejected, KeyError, ValueError) as error:
        return _previous_kept(str(error))
    if role not in report.session.scenario.roles:
        return GameProblems((_("The role '{role}' is gone from the edited scenario.", role=role),))
    notes = [*report.notes[:3], *(f"{s.command.to_json()['kind']}: {s.reason}" for s in report.skipped[:3])]
    return Reloaded(report.session, tuple(notes))


def _previous_kept(*details: str) -> GameProblems:
    return GameProblems((_("The edited scenario has errors; the game goes on with the previous version."), *details))


def auto_choice(session: Session, pending: PendingDecision, policy: AutoPolicy = "historical") -> str:
    """The choice `auto_play` takes: the historical one where the scenario records it and it is open,
    else the decision's default (or first open) choice."""
    if policy == "historical":
        wanted = historical_choice(session.scenario, pending.event_id)
        if wanted is not None and wanted in pending.available:
            return wanted
    return pending.default_choice


def auto_play(session: Session, role: str, turns: int, *, policy: AutoPolicy = "historical") -> None:
    """Play `turns` turns for `role` (see `auto_choice`): gives screenshots, benchmarks and tests a game
    with some history in it."""
    for _turn in range(turns):
        if session.is_over:
            return
        for pending in session.pending_decisions(role):
            if pending.awaits_choice:
                session.apply(Choose(role, pending.event_id, auto_choice(session, pending, policy)))
        session.apply(EndTurn(role))
