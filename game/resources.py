"""Where the shipped scenarios and assets are, in a source checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
APP_NAME = "alliance-desk"


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name  # a wheel: hatch force-includes the folder here
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name  # a source checkout or an editable install


def scenarios_dir() -> Path:
    """The folder of shipped scenarios."""
    return _data_dir("scenarios")


def assets_dir() -> Path:
    """The folder of shipped assets (map, fonts, theme)."""
    return _data_dir("assets")


def user_data_dir(data_dir: Path | None = None) -> Path:
    """The user's folder for saves, settings and mods: `data_dir` (`--data-dir`) when given, else the
    platform's user data folder. Imports nothing heavy, so the window can open before pydantic loads."""
    if data_dir is not None:
        return Path(data_dir)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME))
