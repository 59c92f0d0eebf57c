"""How long the debrief pack of a lesson takes to make (target: a few seconds on 2 cores).

Run: `python benchmarks/bench_report.py [--scenario anpo_1960] [--runs N]`. Plays the scenario's classroom
lesson headless (its `classroom.turns`, both first playable roles, the historical policy, seed 7), then
times each part of `python main.py report`: the advice recomputed at every decision (200 worlds), chance
(the class's choices, the historical path and random play in 1,000 other worlds each), and the HTML and
data files. Prints the median of N runs of each part and the pack's size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.report.chance import CHANCE_WORLDS, replay_in_other_worlds  # noqa: E402
from game.report.decision_log import ADVICE_WORLDS, decision_records  # noqa: E402
from game.report.exports import write_pack  # noqa: E402
from game.report.pack import build_pack  # noqa: E402
from game.report.played import game_played_headless  # noqa: E402
from game.scenario.catalog import find_scenario  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scenario", default="anpo_1960", help="a shipped scenario id (default anpo_1960)")
    parser.add_argument("--runs", type=int, default=3, help="number of timed runs (default 3)")
    args = parser.parse_args()
    scenario = find_scenario(args.scenario).scenario
    if scenario is None:
        print(f"cannot load {args.scenario}", file=sys.stderr)
        return 1
    seats = scenario.playable_roles()[:2]
    turns = scenario.classroom.turns if scenario.classroom is not None else None
    game = game_played_headless(args.scenario, seats, "historical", 7, turns=turns)
    timings: dict[str, list[float]] = {"advice": [], "chance": [], "whole pack": []}
    size = 0
    for _run in range(args.runs):
        start = time.perf_counter()
        records = decision_records(game, "en", worlds=ADVICE_WORLDS)
        timings["advice"].append(time.perf_counter() - start)
        start = time.perf_counter()
        replay_in_other_worlds(game, CHANCE_WORLDS)
        timings["chance"].append(time.perf_counter() - start)
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            pack = build_pack(game, "en")
            paths = write_pack(game, pack, Path(folder))
            size = sum(path.stat().st_size for path in paths)
        timings["whole pack"].append(time.perf_counter() - start)
    played = len(game.session.history) - 1
    print(f"{args.scenario}: {played} turns, seats {', '.join(seats)}, {len(records)} decisions advised "
          f"({ADVICE_WORLDS} worlds), chance in {CHANCE_WORLDS:,} worlds × 3 ways of deciding")
    for part, values in timings.items():
        print(f"  {part:<11} median {statistics.median(values):6.2f} s  (min {min(values):.2f}, max {max(values):.2f})")
    print(f"  pack size   {size / 1024:.0f} KiB (index.html and the three data files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
