"""`python main.py simulate`: many seeded games headless, a summary table, and per-run results in a file.

All roles are played by the computer; `--policy` decides how the *playable* roles answer their
decisions (non-playable roles keep their own AI policy from the scenario):

- `random`: a uniformly random open choice, per world;
- `first`: the first open choice;
- `historical`: the choice the scenario marks in `history.choice`, else the `default` choice, else
  the first open one;
- `advisor`: the first advisor of the deciding role recommends (each decision runs a small forecast:
  64 worlds × 4 turns, which is why this policy plays the games one by one); a role without
  advisors takes the default choice.

Levers stay where the scenario sets them. `random`, `first` and `historical` run all games as one
batch of B = runs worlds. Game i uses the i-th world key drawn from `numpy.random.default_rng(seed)`,
so the same seed gives byte-identical output files, and the files hold no timestamps.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from game.engine.compiled import CompiledScenario, compile_scenario
from game.engine.forecast import NO_ENDING
from game.engine.scoring import grade_letter, max_points, role_points
from game.engine.turn import TurnInput, policy_choices, resolve_turn
from game.engine.world import WorldState, new_world, world_keys
from game.output_file import output_problem
from game.play.advisors import advise
from game.play.pending import available_choices, pending_decision_ids
from game.play.progress import ProgressBar
from game.scenario.models import Scenario, english

POLICIES = ("advisor", "random", "first", "historical")
ADVISOR_WORLDS = 64
ADVISOR_TURNS = 4


MAX_WORLD_VALUES = 50_000_000
"""`--runs` × the scenario's variables may not exceed this: the state alone then takes 400 MB, and the
history, ledger and per-run results several times that."""


class SimulateError(Exception):
    """Bad arguments (exit 2) or an unusable scenario (exit 1); the message is printed."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class RunResult:
    """One game's outcome."""

    run: int
    ending: str | None
    turns_played: int
    final: tuple[float, ...]  # in `variable_ids` order
    scores: Mapping[str, Mapping[str, Any]]  # role id -> {"points", "max_points", "percent", "grade"}


@dataclass(frozen=True)
class SimulationResult:
    """Every run of one simulation, with what produced it."""

    scenario_id: str
    seed: int
    turns: int
    policy: str
    variable_ids: tuple[str, ...]
    key_variables: tuple[str, ...]
    ending_ids: tuple[str, ...]
    runs: tuple[RunResult, ...]


def run_simulate(args: argparse.Namespace) -> int:
    """The `simulate` command: returns the exit code (0 done, 1 a scenario with errors, 2 bad arguments)."""
    try:
        runs = int(args.runs)
        if runs < 1:
            raise SimulateError("--runs must be at least 1")
        out: Path | None = args.out
        if out is not None and out.suffix.lower() not in {".json", ".csv"}:
            raise SimulateError(f"--out must name a .json or .csv file, not '{out}'")
        problem = output_problem(out) if out is not None else None
        if problem is not None:
            raise SimulateError(f"--out: {problem}")
        scenario = _find(str(args.scenario), getattr(args, "data_dir", None))
        compiled = compile_scenario(scenario)
        if runs * compiled.variable_count > MAX_WORLD_VALUES:
            raise SimulateError(
                f"--runs {runs:,} is more than this scenario can run at once: at most "
                f"{MAX_WORLD_VALUES // compiled.variable_count:,} runs of its {compiled.variable_count:,} variables "
                f"(runs × variables ≤ {MAX_WORLD_VALUES:,})"
            )
        turns = compiled.turns if args.turns is None else int(args.turns)
        if turns < 1:
            raise SimulateError("--turns must be at least 1")
        if turns > compiled.turns:
            print(
                f"note: '{scenario.id}' has {compiled.turns} turns; running {compiled.turns}, not {turns}",
                file=sys.stderr,
            )
            turns = compiled.turns
        if int(args.seed) < 0:
            raise SimulateError("--seed must be 0 or more")
        if args.policy not in POLICIES:
            raise SimulateError(f"--policy must be one of {', '.join(POLICIES)}")
    except SimulateError as error:
        message = str(error)
        print(message if ": error:" in message else f"error: {message}", file=sys.stderr)
        return error.exit_code
    progress = ProgressBar.for_terminal(runs if args.policy == "advisor" else turns,
                                        "games" if args.policy == "advisor" else "turns", quiet=bool(args.quiet))
    result = simulate(compiled, runs=runs, turns=turns, seed=int(args.seed), policy=str(args.policy),
                      progress=progress)
    progress.finish()
    sys.stdout.write(summary_table(result, compiled))
    if out is not None:
        text = results_csv(result) if out.suffix.lower() == ".csv" else results_json(result)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8", newline="")
        except OSError as error:  # checked before the run; the disk may still fill up meanwhile
            print(f"error: could not write {out}: {error.strerror or error}", file=sys.stderr)
            return 2
        if not args.quiet:
            print(f"wrote {len(result.runs)} runs to {out}", file=sys.stderr)
    return 0


def _find(name: str, data_dir: Path | None) -> Scenario:
    from game.scenario.catalog import find_scenario

    result = find_scenario(name, data_dir)
    if result.scenario is None:
        errors = [d.format() for d in result.diagnostics if d.severity == "error"] or [f"cannot load '{name}'"]
        # A name that matches nothing is a usage error (2); a scenario with errors is a problem in the input (1).
        unknown = any(d.line == 0 and d.message.startswith("no scenario") for d in result.diagnostics)
        raise SimulateError("\n".join(errors), exit_code=2 if unknown else 1)
    return result.scenario


# --- running -------------------------------------------------------------------------------------------


def simulate(
    compiled: CompiledScenario,
    *,
    runs: int,
    turns: int,
    seed: int,
    policy: str,
    progress: ProgressBar | None = None,
) -> SimulationResult:
    """Play `runs` games of `turns` turns headless under `policy`; deterministic in `seed`."""
    if policy == "advisor":
        keys = world_keys(np.random.default_rng(seed), runs)
        playable = _playable(compiled)
        results = []
        for run in range(runs):
            state = new_world(compiled, 1, keys[run : run + 1])
            _play(compiled, state, turns, playable, policy, seed, None)
            results.extend(_results(compiled, state, first_run=run))
            if progress is not None:
                progress.update(run + 1)
    else:
        keys = world_keys(np.random.default_rng(seed), runs)
        state = play_batch(compiled, keys, turns=turns, policy=policy, progress=progress)
        results = _results(compiled, state, first_run=0)
    return SimulationResult(
        scenario_id=compiled.scenario.id,
        seed=seed,
        turns=turns,
        policy=policy,
        variable_ids=compiled.variable_ids,
        key_variables=compiled.key_variables,
        ending_ids=compiled.ending_ids,
        runs=tuple(results),
    )


def play_batch(
    compiled: CompiledScenario,
    keys: np.ndarray,
    *,
    turns: int,
    policy: str,
    progress: ProgressBar | None = None,
) -> WorldState:
    """Play one game per world key as one batch under a batch policy (not `advisor`) and return the
    final worlds: the games of `simulate`, for callers that read the arrays themselves (a sweep).

    A world's game depends on its key only, not on the batch it is played in."""
    state = new_world(compiled, len(keys), keys)
    _play(compiled, state, turns, _playable(compiled), policy, 0, progress)  # the seed is the advisor's only
    return state


def _playable(compiled: CompiledScenario) -> frozenset[str]:
    return frozenset(r for r, role in compiled.scenario.roles.items() if role.playable)


def _play(
    compiled: CompiledScenario,
    state: WorldState,
    turns: int,
    playable: frozenset[str],
    policy: str,
    seed: int,
    progress: ProgressBar | None,
) -> None:
    # The playable roles count as human (so their loss conditions apply); the policy answers their
    # decisions per world through `forced_choices`, and every other role keeps its own AI policy.
    inputs = TurnInput(human_roles=playable)
    for turn in range(turns):
        if not state.active(compiled).any():
            break
        if policy == "advisor":
            forced = _advisor_choices(compiled, state, playable, seed)
        else:
            forced = policy_choices(compiled, state, playable, policy)
        resolve_turn(compiled, state, inputs, forced_choices=forced)
        if progress is not None:
            progress.update(turn + 1)


def _advisor_choices(
    compiled: CompiledScenario, state: WorldState, playable: frozenset[str], seed: int
) -> dict[str, np.ndarray]:
    scenario = compiled.scenario
    forced: dict[str, np.ndarray] = {}
    for decision_id in pending_decision_ids(compiled, state):
        decision = compiled.decisions[compiled.decision_index[decision_id]]
        role = compiled.role_ids[decision.owner]
        if role not in playable:
            continue
        open_choices = available_choices(compiled, state, decision_id)
        if not open_choices:
            continue
        advisors = scenario.roles[role].advisors
        choice = None
        if advisors and len(open_choices) > 1:
            board = advise(compiled, state, role, decision_id, seed=seed, worlds=ADVISOR_WORLDS, turns=ADVISOR_TURNS)
            choice = board.advice[0].choice_id or None
        if choice is None or choice not in open_choices:
            default = decision.choices[decision.default_choice].id
            choice = default if default in open_choices else open_choices[0]
        forced[decision_id] = np.array([decision.choice_index(choice)], dtype=np.int64)
    return forced


def _results(compiled: CompiledScenario, state: WorldState, first_run: int) -> list[RunResult]:
    endings = np.asarray(state.ending, dtype=np.int64)
    # Scores of the seats a person could take; AI-only roles have no objectives to report.
    roles = [r for r in compiled.role_ids if compiled.scenario.roles[r].playable]
    points = {role: role_points(compiled, state, role) for role in roles}
    best = {role: max_points(compiled, role) for role in roles}
    results = []
    for world in range(state.batch):
        ended = int(state.ended_turn[world])
        played = ended + 1 if ended >= 0 else int(state.turn)
        ending = compiled.ending_ids[int(endings[world])] if endings[world] >= 0 else None
        results.append(
            RunResult(
                run=first_run + world,
                ending=ending,
                turns_played=played,
                final=tuple(float(v) for v in state.values[world]),
                scores={role: _score(compiled, float(points[role][world]), best[role]) for role in roles},
            )
        )
    return results


def _score(compiled: CompiledScenario, points: float, best: float) -> dict[str, Any]:
    percent = 100.0 * points / best if best > 0 else 0.0
    return {"points": points, "max_points": best, "percent": percent, "grade": grade_letter(compiled, percent)}


# --- output ---------------------------------------------------------------------------------------------


def summary_table(result: SimulationResult, compiled: CompiledScenario) -> str:
    """The key variables' final mean and 10th/50th/90th percentiles, and how often each ending came."""
    lines = [
        f"{english(compiled.scenario.title)} ({result.scenario_id}): {len(result.runs)} runs × {result.turns} turns, "
        f"seed {result.seed}, policy {result.policy}",
        "",
    ]
    finals = np.array([run.final for run in result.runs], dtype=np.float64).reshape(len(result.runs), -1)
    labels = [compiled.label(v) for v in result.key_variables]
    width = max([len("variable"), *(len(label) for label in labels)])
    lines.append(f"{'variable':<{width}}  {'mean':>9} {'p10':>9} {'p50':>9} {'p90':>9}")
    for variable_id, label in zip(result.key_variables, labels, strict=True):
        column = finals[:, compiled.variable_index[variable_id]]
        p10, p50, p90 = np.percentile(column, [10, 50, 90])
        lines.append(f"{label:<{width}}  {column.mean():>9.2f} {p10:>9.2f} {p50:>9.2f} {p90:>9.2f}")
    lines.append("")
    lines.append("endings")
    counts = ending_counts(result)
    names = {e.id: english(e.title) for e in compiled.scenario.endings}
    id_width = max(len(e) for e in counts)
    for ending_id, count in counts.items():
        title = names.get(ending_id, "no ending yet (the game was still going)")
        share = 100.0 * count / max(1, len(result.runs))
        lines.append(f"  {ending_id:<{id_width}}  {count:>6}  {share:5.1f}%  {title}")
    return "\n".join(lines) + "\n"


def ending_counts(result: SimulationResult) -> dict[str, int]:
    """Runs per ending, in the scenario's ending order, then runs with no ending."""
    counts = {ending_id: 0 for ending_id in result.ending_ids}
    counts[NO_ENDING] = 0
    for run in result.runs:
        counts[run.ending or NO_ENDING] += 1
    return {ending_id: count for ending_id, count in counts.items() if count or ending_id != NO_ENDING}


def results_json(result: SimulationResult) -> str:
    """Per-run results as JSON (no timestamps, so the same seed gives the same bytes)."""
    data = {
        "scenario": result.scenario_id,
        "seed": result.seed,
        "runs": len(result.runs),
        "turns": result.turns,
        "policy": result.policy,
        "endings": ending_counts(result),
        "results": [
            {
                "run": run.run,
                "ending": run.ending,
                "turns_played": run.turns_played,
                "score": {role: dict(score) for role, score in run.scores.items()},
                "final": dict(zip(result.variable_ids, run.final, strict=True)),
            }
            for run in result.runs
        ],
    }
    return json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def results_csv(result: SimulationResult) -> str:
    """One row per run: run, ending, turns played, each role's score percent, then every variable's final value."""
    roles: Sequence[str] = sorted(result.runs[0].scores) if result.runs else []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["run", "ending", "turns_played", *(f"score.{r}" for r in roles), *result.variable_ids])
    for run in result.runs:
        writer.writerow([
            run.run,
            run.ending or NO_ENDING,
            run.turns_played,
            *(repr(float(run.scores[r]["percent"])) for r in roles),
            *(repr(value) for value in run.final),
        ])
    return buffer.getvalue()
