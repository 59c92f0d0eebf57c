"""Phase 4 of the turn as one compiled loop (numba, optional): influences, drift, noise and levers added.

The numpy path of `turn.move_world` makes about a dozen passes over [I, worlds] arrays per turn (gather,
history sums, pivot, shape, weight, one fancy scatter-add per group) and is bound by them. This kernel does
the same arithmetic, in the same order for every element, in one compiled loop per influence, so its
results are the numpy path's bit for bit (`tests/engine/test_fingerprint.py` runs both):

- a lagged reading is `((h[t-lag] + h[t-lag-1]) + ...) / inertia`, summed oldest-last as numpy does;
- `x = shape(reading - pivot) * weight`, with numpy's own sign rule (`sign(±0) = +0`, NaN stays NaN);
- every force is computed from the values after phase 3 before any is added; then, per variable, the
  influences are added in table order (numpy's scatter groups are contiguous slices in that order), then
  drift, noise and the lever moves, as `_move_block` adds them;
- the shocks (`randomness.normals`) are hashed and turned into normals by the same integer and IEEE
  operations in the same order, except the logarithm, which stays numpy's (`np.log` between two loops):
  numpy's logarithm and the C library's may differ in the last bit.

numba is an optional dependency (`pip install -e '.[fast]'`; the test extra has it): it is about 200 MB
installed and takes half a second to import, so it is imported on first use, only for batches of at least
`KERNEL_MIN_BATCH` worlds (forecasts, sweeps, `simulate`), never for a real game's single world. The
compiled code is cached on disk after the first call (`cache=True`). Without numba, or with
`ALLIANCE_DESK_KERNEL=numpy` in the environment, the numpy path runs.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from types import ModuleType

# Below this many worlds the numpy path's call overhead is small and numba's import is not worth it.
KERNEL_MIN_BATCH = 64
DISABLE_VARIABLE = "ALLIANCE_DESK_KERNEL"  # "numpy": never use the compiled kernel

_lock = threading.Lock()
_loops: ModuleType | None = None
_tried = False
_forced: bool | None = None  # tests: True/False overrides availability (see `use_kernel`)


def use_kernel(enabled: bool | None) -> None:
    """Tests: force the compiled loops on (numba must be installed) or off; None restores the default."""
    global _forced
    _forced = enabled


def loops_for(batch: int) -> ModuleType | None:
    """`phase4_numba` (the compiled loops) when they should run for a batch of `batch` worlds, else None."""
    if _forced is False or (_forced is None and batch < KERNEL_MIN_BATCH):
        return None
    if _forced is None and os.environ.get(DISABLE_VARIABLE, "").strip().lower() == "numpy":
        return None
    loops = _load()
    if loops is None and _forced:
        raise RuntimeError("the compiled phase-4 loops were asked for, but numba is not installed")
    return loops


def available() -> bool:
    """Whether numba is installed, so that the compiled loops can run (imports it)."""
    return _load() is not None


def preload() -> None:
    """Import numba and load the compiled loops in a background thread (the game calls this at start-up, so
    that its first advisor forecast does not stall the screen for the half second numba takes to import)."""
    if _tried or _forced is False or importlib.util.find_spec("numba") is None:
        return
    if os.environ.get(DISABLE_VARIABLE, "").strip().lower() == "numpy":
        return
    threading.Thread(target=_load, name="numba-preload", daemon=True).start()


def _load() -> ModuleType | None:
    global _loops, _tried
    if _tried:
        return _loops
    with _lock:
        if not _tried:
            try:
                from game.engine import phase4_numba  # imports numba (optional)
            except ImportError:
                _loops = None
            else:
                _loops = phase4_numba
            _tried = True
    return _loops
