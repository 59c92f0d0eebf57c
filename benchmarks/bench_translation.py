"""What translation costs: compiling a catalogue at load time, a lookup, and the first frame in each language.

- compile: a new process imports Babel, reads `ja/LC_MESSAGES/alliance_desk.po` and writes the `.mo`
  into memory (what the first `_()` in Japanese pays; English pays nothing), median of 5 processes;
- lookup: one `_()` with two placeholders once the catalogue is loaded, mean over 100,000 calls;
- first frame: seconds from starting `python main.py` to its first drawn frame with the language
  saved in settings.json, median of 3 (`bench_ui.time_to_first_frame`, per language).

Run: `python benchmarks/bench_translation.py`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_ui import time_to_first_frame  # noqa: E402  (the UI benchmark's measure, per language)

from game.translation import _, set_language, translations  # noqa: E402

COMPILE = (
    "import time; start = time.perf_counter(); "
    "from game.translation import translations; translations('ja'); "
    "print(time.perf_counter() - start)"
)


def compile_seconds(runs: int = 5) -> list[float]:
    """Seconds to import Babel and compile the Japanese catalogue, each in a fresh process."""
    return [float(subprocess.run([sys.executable, "-c", COMPILE], cwd=REPO, check=True, capture_output=True,
                                 text=True).stdout) for _run in range(runs)]


def lookup_microseconds(calls: int = 100_000) -> float:
    """Mean time of one `_()` with placeholders in Japanese, catalogue loaded."""
    set_language("ja")
    translations("ja")
    start = time.perf_counter()
    for _call in range(calls):
        _("Turn {turn} of {turns}", turn=3, turns=12)
    set_language("en")
    return (time.perf_counter() - start) / calls * 1e6


def main() -> int:
    compiled = compile_seconds()
    print(f"compile ja catalogue (Babel import + read_po + write_mo): "
          f"median {statistics.median(compiled) * 1000:.0f} ms "
          f"(min {min(compiled) * 1000:.0f}, max {max(compiled) * 1000:.0f})")
    print(f"lookup _() with two placeholders: {lookup_microseconds():.2f} µs")
    for language in ("en", "ja"):
        frames = time_to_first_frame(language=language)
        each = ", ".join(f"{f:.2f}" for f in frames)
        print(f"first frame, {language}: median {statistics.median(frames):.2f} s ({each})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
