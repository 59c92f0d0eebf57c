"""The player's UI settings (scale, language, palette), kept in `settings.json` in the user data folder."""

from __future__ import annotations

import json
import logging
import math
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from game.scenario.source_file import FileProblem, path_exists, read_limited
from game.ui.i18n import LANGUAGES
from game.ui.palette import PALETTES

log = logging.getLogger(__name__)

SCALES = (1.0, 1.25, 1.5, 1.75, 2.0)


@dataclass(frozen=True)
class UiSettings:
    """What the settings dialog changes."""

    scale: float = 1.0  # 1.0–2.0, for projectors
    language: str = "en"
    palette: str = "colourblind"

    def checked(self) -> UiSettings:
        """The same settings with anything out of range replaced by its default (a hand-edited file)."""
        scale = min(2.0, max(1.0, float(self.scale)))
        language = self.language if self.language in LANGUAGES else "en"
        palette = self.palette if self.palette in PALETTES else "colourblind"
        return replace(self, scale=scale, language=language, palette=palette)


MAX_SETTINGS_BYTES = 64 * 1024


def load_settings(data_dir: Path) -> UiSettings:
    """The saved settings, or the defaults when there are none or the file is unreadable or hostile (logged).

    Only a regular file of at most MAX_SETTINGS_BYTES is read (never a FIFO or a device); NaN, infinity,
    deep nesting and numbers of thousands of digits all fall back to the defaults.
    """
    path = data_dir / "settings.json"
    if not path_exists(path):
        return UiSettings()
    try:
        data = json.loads(read_limited(path, MAX_SETTINGS_BYTES).decode("utf-8"))
        if not isinstance(data, dict):
            raise TypeError(f"expected a JSON object, found {type(data).__name__}")
        scale = float(data.get("scale", 1.0))
        if not math.isfinite(scale):
            raise ValueError(f"scale {scale} is not a finite number")
        return UiSettings(
            scale=scale,
            language=str(data.get("language", "en"))[:16],
            palette=str(data.get("palette", "colourblind"))[:32],
        ).checked()
    except (FileProblem, ValueError, TypeError, RecursionError) as problem:
        log.warning("%s: ignoring unreadable settings, using the defaults (%s)", path, problem)
        return UiSettings()


def save_settings(data_dir: Path, settings: UiSettings) -> None:
    """Write the settings atomically (a crash mid-write never leaves a half file)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "settings.json"
    handle, temp = tempfile.mkstemp(dir=data_dir, prefix=".settings-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(asdict(settings), out, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as problem:
        log.warning("%s: could not save settings (%s)", path, problem)
        Path(temp).unlink(missing_ok=True)
