"""Starting games outside the menus: `python main.py play ...`, screenshots, benchmarks and tests."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from game.play.commands import Choose, CommandRejected, EndTurn
from game.play.decisions import historical_choice
from game.play.saves import SaveError, load_save
from game.play.session import Session
from game.scenario.catalog import find_scenario

if TYPE_CHECKING:
    from game.ui.app import App


def first_playable_role(session_or_scenario: object) -> str | None:
    """The first playable role of a scenario."""
    scenario = getattr(session_or_scenario, "scenario", session_or_scenario)
    roles = getattr(scenario, "roles", {})
    return next((rid for rid, role in roles.items() if role.playable), None)


def launch_from_command_line(app: App, scenario: str, *, role: str | None, seed: int | None,
                             load: Path | None) -> str | None:
    """Switch the app straight into a game; returns an error message for the terminal, or None."""
    from game.ui.app import random_seed
    from game.ui.game_scene import GameScene

    if load is not None:
        try:
            loaded = load_save(Path(load), app.data_dir)
        except SaveError as error:
            return error.message
        human = sorted(loaded.session.human_roles)
        if not human:
            return f"{load}: the save has no human role"
        app.switch(GameScene(app, loaded.session, human[0]))
        for warning in loaded.warnings:
            app.notify(warning, kind="warning", seconds=6.0)
        return None
    result = find_scenario(scenario, app.data_dir)
    if result.scenario is None:
        return "\n".join(d.format() for d in result.diagnostics) or f"{scenario}: cannot be loaded"
    chosen = role or first_playable_role(result.scenario)
    if chosen is None or chosen not in result.scenario.roles:
        playable = ", ".join(rid for rid, r in result.scenario.roles.items() if r.playable)
        return f"{scenario}: no role '{role}' (playable roles: {playable})"
    try:
        session = Session.start(result, chosen, seed if seed is not None else random_seed(),
                                scenario_path=str(result.path))
    except CommandRejected as rejected:
        return rejected.message
    app.switch(GameScene(app, session, chosen))
    return None


def auto_play(session: Session, role: str, turns: int, *, historical: bool = True) -> None:
    """Play `turns` turns for `role`: the historical choice where the scenario records one, else the default
    (or first open) choice. Used to give screenshots and benchmarks a game with some history."""
    for _turn in range(turns):
        if session.is_over:
            return
        for pending in session.pending_decisions(role):
            if pending.chosen is not None or not pending.available:
                continue
            wanted = historical_choice(session.scenario, pending.event_id) if historical else None
            if wanted not in pending.available:
                default = next((c.id for c in pending.info.choices if c.default and c.id in pending.available), None)
                wanted = default or pending.available[0]
            session.apply(Choose(role, pending.event_id, wanted))
        session.apply(EndTurn(role))
