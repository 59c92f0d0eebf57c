"""The player's UI settings (scale, language, palette), kept in `settings.json` in the user data folder."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

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


def load_settings(data_dir: Path) -> UiSettings:
    """The saved settings, or the defaults when there are none or the file is unreadable (logged)."""
    path = data_dir / "settings.json"
    if not path.is_file():
        return UiSettings()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return UiSettings(
            scale=float(data.get("scale", 1.0)),
            language=str(data.get("language", "en")),
            palette=str(data.get("palette", "colourblind")),
        ).checked()
    except (OSError, ValueError, TypeError, AttributeError) as problem:
        log.warning("%s: ignoring unreadable settings (%s)", path, problem)
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
