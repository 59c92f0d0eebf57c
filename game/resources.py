"""Where the shipped scenarios and assets are, in a source checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


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
