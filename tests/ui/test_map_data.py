"""The shipped world map asset: it loads, covers the whole world, keeps the small islands that matter."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from game.geography.map_data import MapAssetError, WorldMap, default_map_path, load_world_map

LODS = ("coarse", "fine")

# Points (lon, lat) on land that the map must draw, with the country that must own them.
ISLANDS = {
    "Okinawa Island": ("JPN", 127.80, 26.40),
    "Yonaguni": ("JPN", 122.99, 24.45),
    "Ishigaki": ("JPN", 124.18, 24.40),
    "Uotsuri-jima (Senkaku)": ("JPN", 123.53, 25.765),  # where Natural Earth 5.1.1 draws it
    "Jeju": ("KOR", 126.55, 33.37),
    "Guam": ("GUM", 144.79, 13.45),
}


@pytest.fixture(scope="module")
def world_map() -> WorldMap:
    return load_world_map()


def ring_contains(ring: np.ndarray, lon: float, lat: float) -> bool:
    """Even-odd ray casting; written out here so the test does not trust the code under test."""
    x, y = ring[:-1, 0], ring[:-1, 1]
    x2, y2 = ring[1:, 0], ring[1:, 1]
    crosses = (y > lat) != (y2 > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = x + (lat - y) * (x2 - x) / (y2 - y)
    return bool(np.count_nonzero(crosses & (lon < at)) % 2)


def distance_to_ring(ring: np.ndarray, lon: float, lat: float) -> float:
    return float(np.min(np.hypot(ring[:, 0] - lon, ring[:, 1] - lat)))


def test_default_asset_is_found_through_assets_dir() -> None:
    assert default_map_path().is_file()
    assert default_map_path().parts[-2:] == ("map", "countries.npz")


def test_asset_has_two_levels_with_consistent_arrays(world_map: WorldMap) -> None:
    assert set(world_map.levels) == set(LODS)
    for lod in LODS:
        level = world_map.level(lod)
        assert level.points.shape[1] == 2
        assert level.ring_offsets[0] == 0 and level.ring_offsets[-1] == len(level.points)
        assert np.all(np.diff(level.ring_offsets) >= 4)  # closed triangles at least
        assert len(level.ring_country) == len(level.ring_is_hole) == level.ring_count == len(level.ring_bbox)
        assert level.ring_country.min() >= 0 and level.ring_country.max() < len(world_map.countries)
        assert np.all(np.abs(level.points[:, 0]) <= 180.0) and np.all(np.abs(level.points[:, 1]) <= 90.0)
        first = level.ring(0)
        assert np.array_equal(first[0], first[-1])  # rings are closed
    assert world_map.level("coarse").points.shape[0] < world_map.level("fine").points.shape[0] / 2


def test_whole_world_is_covered_with_iso_codes(world_map: WorldMap) -> None:
    isos = [c.iso for c in world_map.countries]
    assert len(isos) == len(set(isos)) > 200
    assert all(len(iso) == 3 and iso.isupper() and iso != "-99" for iso in isos)
    # France and Norway carry ISO_A3 = -99 in Natural Earth; they must come out under their real codes.
    for iso, name in [("BRA", "Brazil"), ("NOR", "Norway"), ("FRA", "France"), ("JPN", "Japan"), ("KOS", "Kosovo")]:
        assert world_map.country(iso).name == name
    assert world_map.country("JPN").name_ja == "日本"
    west, south, east, north = world_map.country("BRA").bbox
    assert west < -70 and east > -35 and south < -33 and north > 5
    every_country = set(world_map.level("fine").ring_country.tolist())
    assert every_country == set(range(len(world_map.countries)))


@pytest.mark.parametrize("lod", LODS)
@pytest.mark.parametrize("island", ISLANDS)
def test_small_islands_survive_simplification(world_map: WorldMap, lod: str, island: str) -> None:
    iso, lon, lat = ISLANDS[island]
    level = world_map.level(lod)
    owner = world_map.country(iso).index
    nearby = world_map.rings_in_view(lon - 0.3, lat - 0.3, lon + 0.3, lat + 0.3, lod)
    mine = [int(i) for i in nearby if level.ring_country[i] == owner]
    assert mine, f"no {iso} ring near {island} at {lod}"
    if lod == "fine":
        assert any(ring_contains(level.ring(i), lon, lat) for i in mine), f"{island} is not inside a {iso} ring"
    else:
        assert min(distance_to_ring(level.ring(i), lon, lat) for i in mine) < 0.15


def test_rings_in_view_filters_by_bounding_box(world_map: WorldMap) -> None:
    level = world_map.level("fine")
    okinawa = world_map.rings_in_view(127.0, 25.5, 129.0, 27.5, "fine")
    assert 0 < len(okinawa) < 200
    countries = {world_map.countries[level.ring_country[i]].iso for i in okinawa}
    assert "JPN" in countries and "USA" not in countries  # China's mainland ring reaches this box too
    everything = world_map.rings_in_view(-180.0, -90.0, 180.0, 90.0, "fine")
    assert len(everything) == level.ring_count
    assert len(world_map.rings_in_view(-140.0, -50.0, -139.0, -49.0, "fine")) == 0  # open South Pacific
    boxes = level.ring_bbox[okinawa]
    assert np.all(boxes[:, 0] <= 129.0) and np.all(boxes[:, 2] >= 127.0)


def test_rings_in_view_rejects_unknown_level(world_map: WorldMap) -> None:
    with pytest.raises(KeyError, match="coarse"):
        world_map.rings_in_view(0, 0, 1, 1, "medium")


def test_country_rings_and_unknown_code(world_map: WorldMap) -> None:
    japan = world_map.country_rings("JPN", "fine")
    assert len(japan) > 50  # the archipelago, down to the Ryukyus and Ogasawara
    with pytest.raises(KeyError, match="XYZ"):
        world_map.country("XYZ")


def test_loader_reports_a_broken_asset_with_its_path(tmp_path: Path) -> None:
    broken = tmp_path / "countries.npz"
    broken.write_bytes(b"not a zip")
    with pytest.raises(MapAssetError, match=r"countries\.npz"):
        load_world_map(broken)
    incomplete = tmp_path / "incomplete.npz"
    np.savez(incomplete, format_version=np.asarray(1))
    with pytest.raises(MapAssetError, match="lacks array"):
        load_world_map(incomplete)


def test_map_data_does_not_import_pygame() -> None:
    import subprocess

    code = "import sys, game.geography.map_data; sys.exit(1 if 'pygame' in sys.modules else 0)"
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], check=False)
    assert result.returncode == 0
