"""Map benchmark: frame times of the map view alone at 1280×720 with the dummy video driver.

    python benchmarks/bench_map.py [SCENARIO.yaml] [--frames N] [--png FILE --view W,S,E,N]

Prints the time of the first frame (the land is rendered), the median and 95th percentile of idle frames
and of frames while panning (a steady drag that now and then leaves the cached area, so the occasional
re-render is included in the tail), and of single zoom steps (each renders the land again). Targets from
issue #4: idle ≤ 2 ms, panning ≤ 8 ms (medians).

With `--png FILE` it also saves one frame of the map (the scenario's view, or `--view`) before measuring:
docs/screenshots/map.png is made with
`python benchmarks/bench_map.py --png docs/screenshots/map.png --view 119,23,141,37 --frames 1`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pygame  # noqa: E402

from game.geography.map_data import load_world_map  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from game.ui.fonts import bundled_font_path  # noqa: E402
from game.ui.map_view import MapView  # noqa: E402
from game.ui.palette import default_palette  # noqa: E402

SIZE = (1280, 720)
IDLE_TARGET_MS = 2.0
PAN_TARGET_MS = 8.0


def _ms(seconds: list[float]) -> tuple[float, float, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000, ordered[-1] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario", nargs="?", type=Path, default=ROOT / "scenarios" / "example_alliance.yaml")
    parser.add_argument("--frames", type=int, default=600, help="frames per measurement (default 600)")
    parser.add_argument("--png", type=Path, help="save the first frame to this PNG file")
    parser.add_argument("--view", help="show this box instead of the scenario's view: west,south,east,north")
    args = parser.parse_args()

    result = load_scenario(args.scenario)
    if result.scenario is None:
        for diagnostic in result.diagnostics:
            print(diagnostic, file=sys.stderr)
        return 1
    scenario = result.scenario
    if args.view:
        try:
            west, south, east, north = (float(part) for part in args.view.split(","))
            view_map = scenario.map.model_copy(update={"view": (west, south, east, north)})
        except ValueError:
            print(f"--view {args.view}: expected four numbers west,south,east,north", file=sys.stderr)
            return 1
        scenario = scenario.model_copy(update={"map": view_map})
    pygame.display.init()
    pygame.font.init()
    screen = pygame.display.set_mode(SIZE)
    font = pygame.font.Font(str(bundled_font_path()), 13)
    player = next(iter(scenario.roles.values())).actor

    started = time.perf_counter()
    world_map = load_world_map()
    loaded = time.perf_counter()
    view = MapView(pygame.Rect((0, 0), SIZE), world_map, scenario, player, default_palette(), font)
    built = time.perf_counter()
    view.draw(screen)
    first = time.perf_counter()
    if args.png:
        args.png.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(screen, str(args.png))
        print(f"saved {args.png}")

    idle: list[float] = []
    for _ in range(args.frames):
        t0 = time.perf_counter()
        view.draw(screen)
        idle.append(time.perf_counter() - t0)

    # A drag of 6 px per frame, turning round every 200 frames: about one re-render per 100 frames.
    panning: list[float] = []
    for frame in range(args.frames):
        direction = 1 if (frame // 200) % 2 == 0 else -1
        t0 = time.perf_counter()
        view.pan(-6 * direction, -2 * direction)
        view.draw(screen)
        panning.append(time.perf_counter() - t0)

    zooming: list[float] = []
    for step in range(20):
        t0 = time.perf_counter()
        view.zoom(1.2 if step % 2 == 0 else 1 / 1.2, (400, 300))
        view.draw(screen)
        zooming.append(time.perf_counter() - t0)

    idle_ms, pan_ms = _ms(idle), _ms(panning)
    print(f"map benchmark: {args.scenario.name}, {SIZE[0]}×{SIZE[1]}, {args.frames} frames, player {player}")
    print(f"  load map asset       {1000 * (loaded - started):7.1f} ms")
    print(f"  build view           {1000 * (built - loaded):7.1f} ms")
    print(f"  first frame          {1000 * (first - built):7.1f} ms")
    print(f"  idle frame           median {idle_ms[0]:6.2f} ms  p95 {idle_ms[1]:6.2f} ms  max {idle_ms[2]:6.2f} ms")
    print(f"  panning frame        median {pan_ms[0]:6.2f} ms  p95 {pan_ms[1]:6.2f} ms  max {pan_ms[2]:6.2f} ms")
    zoom_ms = _ms(zooming)
    print(f"  zoom step (re-render) median {zoom_ms[0]:5.1f} ms  max {zoom_ms[2]:6.1f} ms")
    idle_ok = idle_ms[0] <= IDLE_TARGET_MS
    pan_ok = pan_ms[0] <= PAN_TARGET_MS
    print(f"  target idle ≤ {IDLE_TARGET_MS} ms: {'met' if idle_ok else 'MISSED'}; "
          f"panning ≤ {PAN_TARGET_MS} ms: {'met' if pan_ok else 'MISSED'}")
    return 0 if idle_ok and pan_ok else 2


if __name__ == "__main__":
    sys.exit(main())
