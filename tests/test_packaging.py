"""A non-editable install (e.g. through pipx) carries the scenarios and assets inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # builds the wheel
def test_the_wheel_ships_scenarios_assets_and_licences(tmp_path: Path) -> None:
    pytest.importorskip("hatchling", reason="the [test] extra installs hatchling to build the wheel offline")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("alliance_desk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(ROOT / "scenarios").as_posix() for p in (ROOT / "scenarios").rglob("*.yaml")}
    assert shipped, "no scenarios in the checkout"
    for scenario in shipped:
        assert f"game/_data/scenarios/{scenario}" in names
    for asset in (ROOT / "assets").rglob("*"):
        if asset.is_file():
            assert f"game/_data/assets/{asset.relative_to(ROOT / 'assets').as_posix()}" in names
    assert any(name.endswith("licenses/LICENSE") for name in names), "the MIT licence is missing from the wheel"
    assert any(name.endswith("OFL.txt") for name in names), "the font's OFL licence is missing from the wheel"
    assert "game/cli.py" in names
    assert "game/locale/ja/LC_MESSAGES/alliance_desk.po" in names  # translations are compiled at load time
