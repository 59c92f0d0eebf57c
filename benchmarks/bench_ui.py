"""UI benchmark: frame times of the game screen, fps while advisors forecast, and time to the first frame.

    python benchmarks/bench_ui.py [--frames 300] [--scenario example_alliance]

Runs headless (SDL's dummy video driver) at 1280×720 on the game screen of a shipped scenario after
two turns, and prints:

- median frame time idle (target ≤ 2 ms) and while the map is dragged (target ≤ 8 ms);
- frames per second while the advisors' forecast runs in its worker thread (target ≥ 30);
- seconds from starting `python main.py` to its first drawn frame (target ≤ 1.5 s), measured from
  outside: the game is started with `ALLIANCE_DESK_EXIT_AFTER_FIRST_FRAME=1`, which makes it print
  `first-frame <seconds>` after drawing its first frame and exit.

A frame is one `App.step()`: events, update, draw, flip (the dummy driver's flip copies nothing to a
screen, so a real display adds the compositor's cost).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pygame  # noqa: E402

from game.play.opening import auto_play, first_playable_role  # noqa: E402
from game.play.session import Session  # noqa: E402
from game.scenario.catalog import find_scenario  # noqa: E402
from game.ui.advisor_worker import AdviceRequest, AdvisorWorker  # noqa: E402
from game.ui.app import EXIT_AFTER_FIRST_FRAME, App  # noqa: E402
from game.ui.game_scene import ADVICE_WORLDS, GameScene  # noqa: E402
from game.ui.settings import UiSettings  # noqa: E402


def timed_frames(app: App, frames: int, before_frame: object = None) -> list[float]:
    """Wall-clock milliseconds of each of `frames` frames."""
    times, _cpu = timed_frames_with_cpu(app, frames, before_frame)
    return times


def timed_frames_with_cpu(app: App, frames: int, before_frame: object = None) -> tuple[list[float], float]:
    """Wall-clock milliseconds of each frame, and the mean CPU milliseconds of this process per frame.

    CPU time is the figure to trust on a busy machine: wall time then includes waiting for a core.
    """
    times = []
    cpu_start = time.process_time()
    for index in range(frames):
        if callable(before_frame):
            before_frame(index)
        start = time.perf_counter()
        app.step(1 / 60)
        times.append((time.perf_counter() - start) * 1000)
    return times, (time.process_time() - cpu_start) * 1000 / frames


def game_with_a_pending_decision(app: App, scenario: str) -> GameScene:
    """The game screen after two turns, moved on until the player has a decision to make."""
    result = find_scenario(scenario, app.data_dir)
    if result.scenario is None:
        raise SystemExit("\n".join(d.format() for d in result.diagnostics))
    role = first_playable_role(result.scenario)
    assert role is not None
    session = Session.start(result, role, 11, scenario_path=str(result.path))
    auto_play(session, role, 2)
    while not session.is_over and not any(p.awaits_choice for p in session.pending_decisions(role)):
        auto_play(session, role, 1)
    scene = GameScene(app, session, role)
    app.switch(scene)
    scene.wait_for_advisors()
    scene.rebuild()
    app.run_frames(30)  # warm caches (map land surface, fonts)
    return scene


def drag_map(app: App, scene: GameScene, frames: int) -> tuple[list[float], float]:
    """Frame times while the map is dragged with the mouse, a few pixels per frame."""
    centre = scene.map_rect.center
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=centre, button=1))
    app.step(1 / 60)
    position = list(centre)

    def move(index: int) -> None:
        direction = 1 if (index // 60) % 2 == 0 else -1  # back and forth, so the map stays in view
        position[0] += 6 * direction
        position[1] += 2 * direction
        rel = (6 * direction, 2 * direction)
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=tuple(position), rel=rel, buttons=(1, 0, 0)))

    times, cpu = timed_frames_with_cpu(app, frames, move)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=tuple(position), button=1))
    app.step(1 / 60)
    return times, cpu


def fps_during_forecast(app: App, scene: GameScene, seconds: float = 3.0) -> tuple[float, int]:
    """Frames per second while advisors' forecasts run back to back in a worker thread."""
    pending = next(p for p in scene.session.pending_decisions(scene.role) if p.awaits_choice)
    request = AdviceRequest(pending.event_id, scene.session.turn, scene.role)
    frames = 0
    forecasts = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        worker = AdvisorWorker(scene.session.compiled, scene.session.state, request, seed=forecasts,
                               worlds=ADVICE_WORLDS, language="en")
        forecasts += 1
        while not worker.done:
            app.step(1 / 60)
            frames += 1
    return frames / (time.perf_counter() - start), forecasts


def time_to_first_frame(runs: int = 3, language: str = "en") -> list[float]:
    """Wall-clock seconds from starting `python main.py` (with `language` in its settings) to its first drawn
    frame (outside view)."""
    results = []
    for _run in range(runs):
        with tempfile.TemporaryDirectory() as data_dir:
            (Path(data_dir) / "settings.json").write_text(json.dumps({"language": language}), encoding="utf-8")
            env = dict(os.environ, **{EXIT_AFTER_FIRST_FRAME: "1", "SDL_VIDEODRIVER": "dummy"})
            start = time.perf_counter()
            process = subprocess.Popen([sys.executable, str(REPO / "main.py"), "--data-dir", data_dir],
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=REPO)
            assert process.stdout is not None
            for line in process.stdout:
                if line.startswith("first-frame"):
                    results.append(time.perf_counter() - start)
                    break
            process.wait(timeout=60)
    return results


def percentile(values: list[float], share: int) -> float:
    """The `share`-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, len(ordered) * share // 100)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--scenario", default="example_alliance")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        app = App(Path(data_dir), size=(1280, 720), settings=UiSettings(), persist_settings=False)
        scene = game_with_a_pending_decision(app, args.scenario)
        idle, idle_cpu = timed_frames_with_cpu(app, args.frames)
        panning, panning_cpu = drag_map(app, scene, args.frames)
        fps, forecasts = fps_during_forecast(app, scene)
        pygame.quit()
    first = time_to_first_frame()
    print(f"scenario {args.scenario}, 1280x720, dummy video driver, {args.frames} frames per figure")
    print(f"idle frame           median {statistics.median(idle):6.2f} ms   p95 {percentile(idle, 95):6.2f} ms"
          f"   cpu {idle_cpu:5.2f} ms/frame   (target <= 2 ms)")
    print(f"panning frame        median {statistics.median(panning):6.2f} ms   p95 {percentile(panning, 95):6.2f} ms"
          f"   cpu {panning_cpu:5.2f} ms/frame   (target <= 8 ms)")
    print(f"during forecast      {fps:6.1f} fps over {forecasts} forecasts of {ADVICE_WORLDS} worlds"
          "   (target >= 30 fps)")
    print(f"python main.py -> first frame   median {statistics.median(first):5.2f} s   "
          f"(runs: {', '.join(f'{t:.2f}' for t in first)})   (target <= 1.5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
