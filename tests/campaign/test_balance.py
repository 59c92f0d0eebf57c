"""Balance of the historical campaign: 500 seeded headless runs per scenario and policy.

For every shipped scenario with a `history_check` (the campaign's historical scenarios):
- random play never makes one ending a foregone conclusion (no ending above 0.9);
- the historical path (each event's `history.choice`) ends near what happened, as the scenario's
  own `history_check` defines it (share of the historical ending, medians of key variables);
- the advisor policy, random play and the historical path give different ending distributions;
- in every event with several choices, at least two choices lead to measurably different futures;
- under the advisor policy no ending is a foregone conclusion either (none above 0.8), and the deciding
  role's advisors disagree on at least a third of the decisions they are asked about.

Slow (minutes per scenario on two cores). Run one scenario: `pytest -m slow tests/campaign/test_balance.py
-k okinawa_1995`.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import numpy as np
import pytest

from game.analysis.expectations import check_expectations, history_check_expectations
from game.engine.compiled import CompiledScenario, compile_scenario
from game.engine.randomness import world_keys
from game.engine.turn import TurnInput, resolve_turn
from game.engine.world import new_world
from game.play.advisors import advise
from game.play.pending import available_choices, pending_decision_ids
from game.play.simulate import ADVISOR_TURNS, ADVISOR_WORLDS, SimulationResult, simulate
from game.scenario.catalog import discover
from game.scenario.models import Scenario

pytestmark = pytest.mark.slow  # hundreds of seeded runs per scenario and policy

RUNS = 500
ADVISOR_RUNS = 200
SEED = 20260
FOREGONE = 0.9
ADVISOR_FOREGONE = 0.8
# Games in which every advisor is asked at every decision (each ask is a forecast, hence few games).
DISAGREEMENT_GAMES = 12
DISAGREEMENT = 1 / 3
# Two ending distributions differ when their total-variation distance is at least this.
DIFFERENT = 0.05
# A choice matters when some variable's mean differs by at least this share of its range
# after the forecast horizon, or some ending's probability by at least 0.05.
MEASURABLE = 0.01


def _campaign() -> list[Scenario]:
    scenarios = [
        entry.result.scenario
        for entry in discover()
        if entry.shipped and entry.result.scenario is not None and entry.result.scenario.history_check is not None
    ]
    return sorted(scenarios, key=lambda s: s.calendar.start)


CAMPAIGN = _campaign()
IDS = [s.id for s in CAMPAIGN]


@cache
def _compiled(scenario_id: str) -> CompiledScenario:
    scenario = next(s for s in CAMPAIGN if s.id == scenario_id)
    return compile_scenario(scenario)


@cache
def _run(scenario_id: str, policy: str) -> SimulationResult:
    compiled = _compiled(scenario_id)
    runs = ADVISOR_RUNS if policy == "advisor" else RUNS
    return simulate(compiled, runs=runs, turns=compiled.turns, seed=SEED, policy=policy)


def _shares(result: SimulationResult) -> dict[str, float]:
    counts = Counter(run.ending or "none" for run in result.runs)
    return {ending: count / len(result.runs) for ending, count in counts.items()}


def _distance(a: dict[str, float], b: dict[str, float]) -> float:
    return 0.5 * sum(abs(a.get(k, 0.0) - b.get(k, 0.0)) for k in set(a) | set(b))


def test_the_campaign_is_shipped() -> None:
    assert len(CAMPAIGN) >= 7, f"expected the seven campaign scenarios, found {IDS}"
    assert any("japan" not in s.actors for s in CAMPAIGN), "a comparison alliance (without Japan) is expected"


@pytest.mark.parametrize("scenario_id", IDS)
def test_random_play_has_no_foregone_ending(scenario_id: str) -> None:
    shares = _shares(_run(scenario_id, "random"))
    ending, share = max(shares.items(), key=lambda item: item[1])
    assert share <= FOREGONE, f"random play ends '{ending}' in {share:.0%} of {RUNS} runs: {shares}"


@pytest.mark.parametrize("scenario_id", IDS)
def test_historical_path_ends_near_history(scenario_id: str) -> None:
    compiled = _compiled(scenario_id)
    scenario = compiled.scenario
    check = scenario.history_check
    assert check is not None
    historical = [e.id for e in scenario.endings if e.historical]
    assert historical, "a campaign scenario marks its historical ending with `historical: true`"
    # The same mechanism as `python main.py test-scenario`: history_check read as expectations.
    failed = [r.describe() for r in check_expectations(compiled, history_check_expectations(scenario, check))
              if not r.passed]
    assert not failed, f"history_check fails on the historical path: {failed}"


@pytest.mark.parametrize("scenario_id", IDS)
def test_declared_expectations_hold(scenario_id: str) -> None:
    scenario = _compiled(scenario_id).scenario
    assert scenario.expectations, "a campaign scenario declares `expectations:`"
    failed = [r.describe() for r in check_expectations(_compiled(scenario_id), scenario.expectations) if not r.passed]
    assert not failed, failed


@pytest.mark.parametrize("scenario_id", IDS)
def test_policies_give_different_ending_distributions(scenario_id: str) -> None:
    shares = {policy: _shares(_run(scenario_id, policy)) for policy in ("advisor", "random", "historical")}
    for a, b in (("advisor", "random"), ("advisor", "historical"), ("random", "historical")):
        distance = _distance(shares[a], shares[b])
        assert distance >= DIFFERENT, f"{a} and {b} end alike (distance {distance:.3f}): {shares[a]} vs {shares[b]}"


@pytest.mark.parametrize("scenario_id", IDS)
def test_every_event_offers_choices_that_matter(scenario_id: str) -> None:
    compiled = _compiled(scenario_id)
    worlds, turns = 64, 4
    span = np.maximum(compiled.upper - compiled.lower, 1e-9)
    dull = []
    for event in compiled.scenario.events:
        if len(event.choices) < 2:
            continue
        decision = compiled.decisions[compiled.decision_index[event.id]]
        start = new_world(compiled, 1, world_keys(np.random.default_rng(SEED), 1))
        assert decision.event is not None
        start.pending_decisions[0, decision.event] = True
        count = len(decision.choices)
        batch = start.repeat(count * worlds, np.tile(world_keys(np.random.default_rng(SEED + 1), worlds), count))
        forced = np.repeat(np.arange(count, dtype=np.intp), worlds)
        for k in range(min(turns, compiled.turns)):
            resolve_turn(compiled, batch, TurnInput(), forced_choices={event.id: forced} if k == 0 else None)
        means = batch.values.reshape(count, worlds, -1).mean(axis=1) / span
        endings = batch.ending.reshape(count, worlds)
        ending_shares = np.stack([np.bincount(e + 1, minlength=len(compiled.ending_ids) + 1) / worlds for e in endings])
        spread = float((means.max(axis=0) - means.min(axis=0)).max())
        ending_spread = float((ending_shares.max(axis=0) - ending_shares.min(axis=0)).max())
        if spread < MEASURABLE and ending_spread < 0.05:
            dull.append(f"{event.id} (largest difference {spread:.2%} of a range)")
    assert not dull, f"events whose choices all lead to the same future: {', '.join(dull)}"


@pytest.mark.parametrize("scenario_id", IDS)
def test_advisor_play_has_no_foregone_ending(scenario_id: str) -> None:
    shares = _shares(_run(scenario_id, "advisor"))
    ending, share = max(shares.items(), key=lambda item: item[1])
    assert share <= ADVISOR_FOREGONE, (
        f"following the advisors ends '{ending}' in {share:.0%} of {ADVISOR_RUNS} runs "
        f"(at most {ADVISOR_FOREGONE:.0%}): {shares}"
    )


def advisor_disagreement(compiled: CompiledScenario, games: int, seed: int) -> tuple[int, int]:
    """(decisions on which the role's advisors recommend different choices, decisions asked about).

    Games follow the first advisor, as the `advisor` policy of `simulate` does; every decision with at
    least two open choices and at least two advisors counts once.
    """
    scenario = compiled.scenario
    playable = frozenset(r for r, role in scenario.roles.items() if role.playable)
    keys = world_keys(np.random.default_rng(seed), games)
    split = asked = 0
    for game in range(games):
        state = new_world(compiled, 1, keys[game : game + 1])
        for _turn in range(compiled.turns):
            if not state.active(compiled).any():
                break
            forced: dict[str, np.ndarray] = {}
            for decision_id in pending_decision_ids(compiled, state):
                decision = compiled.decisions[compiled.decision_index[decision_id]]
                role = compiled.role_ids[decision.owner]
                open_choices = available_choices(compiled, state, decision_id)
                if role not in playable or len(open_choices) < 2 or len(scenario.roles[role].advisors) < 2:
                    continue
                board = advise(compiled, state, role, decision_id, seed=seed, worlds=ADVISOR_WORLDS,
                               turns=ADVISOR_TURNS)
                picks = {advice.choice_id for advice in board.advice if advice.choice_id}
                asked += 1
                split += len(picks) > 1
                choice = board.advice[0].choice_id or open_choices[0]
                forced[decision_id] = np.array([decision.choice_index(choice)], dtype=np.int64)
            resolve_turn(compiled, state, TurnInput(human_roles=playable), forced_choices=forced)
    return split, asked


@pytest.mark.parametrize("scenario_id", IDS)
def test_advisors_disagree_on_a_third_of_decisions(scenario_id: str) -> None:
    split, asked = advisor_disagreement(_compiled(scenario_id), DISAGREEMENT_GAMES, SEED)
    assert asked > 0, "no decision was put to two or more advisors"
    assert split >= DISAGREEMENT * asked, (
        f"advisors disagree on {split} of {asked} decisions ({split / asked:.0%}; at least {DISAGREEMENT:.0%} wanted)"
    )
