"""What the classroom room costs: a frame's `tick()` and views, a turn's resolution, and saving and loading a
whole lesson (targets: tick ≤ 0.05 ms; a public view ≤ 5 ms, so the UI can rebuild it on every change; saving
and loading a lesson ≤ 1 s).

Run: `python benchmarks/bench_room.py [--scenario ID] [--runs N]`. Plays the scenario's `classroom:` lesson
(its suggested turns) with every playable role seated, on a fake clock, with an inject and an adjustment in
the second turn, then times each step N times and prints the medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.play.commands import Choose  # noqa: E402
from game.play.room import Room, Seat, open_room  # noqa: E402
from game.play.room_saves import load_room_save, write_room_save  # noqa: E402
from game.scenario.catalog import find_scenario  # noqa: E402


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def play_lesson(scenario_id: str, fake: FakeTime) -> tuple[Room, list[float]]:
    """The lesson played through; the wall time of each turn's resolution."""
    scenario = find_scenario(scenario_id).scenario
    assert scenario is not None and scenario.classroom is not None
    seats = [Seat(role, f"Team {chr(65 + i)}") for i, role in enumerate(scenario.playable_roles())]
    room = open_room(scenario_id, seats, seed=1960, turn_limit=300.0, now=fake)
    assert isinstance(room, Room), room
    resolutions = []
    for turn in range(scenario.classroom.turns):
        fake.now += 60
        if turn == 1:
            variable = next(v for v, d in scenario.variables.items() if d.key and d.derived is None)
            low, high = scenario.variables[variable].range
            room.adjust(variable, (low + high) / 2, "benchmark")
            room.inject(scenario.classroom.injectable[0])
        for seat in seats[:-1]:
            decide(room, seat.role)
            room.ready(seat.role)
        decide(room, seats[-1].role)
        start = time.perf_counter()
        room.ready(seats[-1].role)
        resolutions.append(time.perf_counter() - start)
        if room.session.is_over:
            break
    return room, resolutions


def decide(room: Room, role: str) -> None:
    for pending in room.session.pending_decisions(role):
        if pending.awaits_choice:
            room.apply(Choose(role, pending.event_id, pending.default_choice))


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scenario", default="anpo_1960")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    fake = FakeTime()
    room, resolutions = play_lesson(args.scenario, fake)
    role = room.seats[0].role
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lesson.json"
        save_ms = median_ms(lambda: write_room_save(room, path), args.runs)
        load_ms = median_ms(lambda: load_room_save(path, now=fake), max(3, args.runs // 3))
        size = path.stat().st_size
    print(f"scenario {args.scenario}: {room.session.turn} turns, {len(room.seats)} seats, "
          f"{len(room.session.commands)} commands")
    print(f"tick (clock running):  {median_ms(room.tick, args.runs * 100):.4f} ms")
    print(f"public_view('en'):     {median_ms(lambda: room.public_view('en'), args.runs):.2f} ms")
    print(f"seat_view(role, 'ja'): {median_ms(lambda: room.seat_view(role, 'ja'), args.runs):.2f} ms")
    print(f"turn resolution:       {statistics.median(resolutions) * 1000:.2f} ms (median of {len(resolutions)})")
    print(f"write_room_save:       {save_ms:.1f} ms ({size:,} bytes)")
    print(f"load_room_save:        {load_ms:.1f} ms (replays every command, checks the snapshot)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
