"""The play layer never imports pygame, and the progress bar draws only when asked to."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from game.play.progress import ProgressBar

REPO = Path(__file__).resolve().parents[2]

BLOCK_PYGAME = """
import sys
sys.modules["pygame"] = None  # any `import pygame` now raises ImportError
import game.play.advisors, game.play.commands, game.play.decisions, game.play.pending
import game.play.progress, game.play.saves, game.play.session, game.play.simulate
print("ok")
"""


def test_play_layer_imports_without_pygame() -> None:
    done = subprocess.run([sys.executable, "-c", BLOCK_PYGAME], cwd=REPO, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_progress_bar_draws_and_ends_its_line() -> None:
    stream = io.StringIO()
    bar = ProgressBar(4, "turns", enabled=True, stream=stream)
    bar.update(1)
    bar.finish()
    text = stream.getvalue()
    assert text.startswith("\r[#######")
    assert text.endswith("\r[" + "#" * 30 + "] 4/4 turns\n")


def test_disabled_progress_bar_writes_nothing() -> None:
    stream = io.StringIO()
    bar = ProgressBar(4, "turns", enabled=False, stream=stream)
    bar.update(2)
    bar.finish()
    assert stream.getvalue() == ""
