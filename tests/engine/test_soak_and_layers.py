"""A soak of 100,000 world-turns under the random policy, and the layers' independence from pygame."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from engine_scenarios import ALL_SCENARIOS, REPO, compiled_from, fresh

from game.engine.turn import TurnInput, resolve_turn


@pytest.mark.parametrize("path", ALL_SCENARIOS, ids=lambda p: p.stem)
@pytest.mark.slow  # 100,000 world-turns
def test_soak_random_policy_stays_finite(path: Path) -> None:
    # 100,000 world-turns on the engine's own fixtures (every mechanism), 25,000 on each shipped
    # scenario: batches of 1,000 worlds, restarted when the calendar ends.
    compiled = compiled_from(path)
    target = 100_000 if path.parent.name == "engine" else 25_000
    world_turns = 0
    seed = 0
    while world_turns < target:
        state = fresh(compiled, batch=1_000, seed=seed)
        while state.turn < compiled.turns and world_turns < target:
            resolve_turn(compiled, state, TurnInput(policy="random"))
            world_turns += 1_000
            assert np.all(np.isfinite(state.values)), f"turn {state.turn}"
            assert np.all(state.values >= compiled.lower) and np.all(state.values <= compiled.upper)
        seed += 1


def test_engine_scenario_and_play_import_without_pygame() -> None:
    code = (
        "import sys\n"
        "for name in ('pygame', 'distributed', 'dask', 'pyarrow'):  # analysis's Dask and pyarrow are optional\n"
        "    sys.modules[name] = None\n"
        "import game.scenario.loader, game.scenario.models, game.scenario.expressions\n"
        "import game.engine.compiled, game.engine.world, game.engine.turn, game.engine.forecast\n"
        "import game.engine.ledger, game.engine.scoring, game.engine.randomness\n"
        "import pkgutil, importlib, game.play\n"
        "for module in pkgutil.iter_modules(game.play.__path__):\n"
        "    importlib.import_module('game.play.' + module.name)\n"
        "for module in pkgutil.iter_modules(game.engine.__path__):\n"
        "    importlib.import_module('game.engine.' + module.name)\n"
        "import game.analysis, game.cli\n"
        "for module in pkgutil.iter_modules(game.analysis.__path__):\n"
        "    importlib.import_module('game.analysis.' + module.name)\n"
        "game.cli.build_parser()\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
