"""The world map asset (country outlines) as numpy arrays, with a bounding-box query for drawing.

The asset ``assets/map/countries.npz`` is built by ``tools/build_map.py`` from Natural Earth. It is a plain
.npz (loaded with ``allow_pickle=False``) holding, per level of detail ("coarse", "fine"):

- ``{lod}_deltas``       int32 (n, 2): lon/lat in 1/coord_scale degree, each point minus the previous one
- ``{lod}_ring_offsets`` int64 (rings + 1,): start of each ring in the flat point array
- ``{lod}_ring_country`` int32 (rings,): index of the ring's country
- ``{lod}_ring_is_hole`` bool (rings,): inner ring (an enclave) of its polygon

and the country metadata ``country_iso``, ``country_name``, ``country_name_ja``. Rings are closed (first point
repeated at the end). This module imports no pygame, so it can be tested and used headless.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from game.resources import assets_dir

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

MAP_ASSET_NAME = "countries.npz"
SUPPORTED_FORMAT_VERSION = 1


class MapAssetError(Exception):
    """The map asset is missing or not in the expected format."""


@dataclass(frozen=True)
class Country:
    """Metadata of one admin-0 country or territory."""

    index: int
    iso: str  # ISO 3166-1 alpha-3, or Natural Earth's ADM0_A3 where there is none (e.g. KOS)
    name: str  # English
    name_ja: str
    bbox: tuple[float, float, float, float]  # west, south, east, north in degrees (fine level)


@dataclass(frozen=True)
class MapLevel:
    """All rings of one level of detail as flat arrays."""

    name: str
    points: FloatArray  # (n, 2) lon, lat in degrees
    ring_offsets: IntArray  # (rings + 1,): ring i is points[ring_offsets[i]:ring_offsets[i + 1]]
    ring_country: IntArray  # (rings,) country index
    ring_is_hole: npt.NDArray[np.bool_]  # (rings,)
    ring_bbox: FloatArray  # (rings, 4) west, south, east, north

    @property
    def ring_count(self) -> int:
        """Number of rings."""
        return len(self.ring_country)

    def ring(self, ring_index: int) -> FloatArray:
        """The (k, 2) lon/lat points of one ring (a view, not a copy)."""
        return self.points[self.ring_offsets[ring_index] : self.ring_offsets[ring_index + 1]]


@dataclass(frozen=True)
class WorldMap:
    """Country outlines of the whole world at several levels of detail."""

    countries: tuple[Country, ...]
    levels: dict[str, MapLevel]

    def country(self, iso: str) -> Country:
        """The country with this code; KeyError with the closest codes if it is unknown."""
        for country in self.countries:
            if country.iso == iso:
                return country
        raise KeyError(f"unknown country code {iso!r}")

    def level(self, lod: str) -> MapLevel:
        """One level of detail by name ("coarse" or "fine")."""
        try:
            return self.levels[lod]
        except KeyError:
            raise KeyError(f"unknown level of detail {lod!r}; known: {', '.join(self.levels)}") from None

    def rings_in_view(self, west: float, south: float, east: float, north: float, lod: str = "fine") -> IntArray:
        """Indices of the rings whose bounding box intersects the box (degrees, west <= east, no wrap).

        For a view crossing the antimeridian, call twice (e.g. 170..180 and -180..-170): Natural Earth
        already splits countries at ±180°.
        """
        level = self.level(lod)
        box = level.ring_bbox
        hits = (box[:, 0] <= east) & (box[:, 2] >= west) & (box[:, 1] <= north) & (box[:, 3] >= south)
        return np.flatnonzero(hits).astype(np.int64)

    def country_rings(self, iso: str, lod: str = "fine") -> IntArray:
        """Indices of all rings of one country at one level."""
        level = self.level(lod)
        return np.flatnonzero(level.ring_country == self.country(iso).index).astype(np.int64)


def default_map_path() -> Path:
    """Where the shipped map asset is."""
    return assets_dir() / "map" / MAP_ASSET_NAME


def _ring_bboxes(points: FloatArray, offsets: IntArray) -> FloatArray:
    starts = offsets[:-1]
    lon, lat = points[:, 0], points[:, 1]
    return np.column_stack(
        [
            np.minimum.reduceat(lon, starts),
            np.minimum.reduceat(lat, starts),
            np.maximum.reduceat(lon, starts),
            np.maximum.reduceat(lat, starts),
        ]
    )


def load_world_map(path: Path | None = None) -> WorldMap:
    """Load the map asset (by default the shipped one); raise MapAssetError with the path if it is unusable."""
    path = path or default_map_path()
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise MapAssetError(
            f"{path}: cannot read the map asset ({error}); rebuild it with tools/build_map.py"
        ) from None
    try:
        version = int(arrays["format_version"].item())
        if version != SUPPORTED_FORMAT_VERSION:
            raise MapAssetError(f"{path}: map format {version}, expected {SUPPORTED_FORMAT_VERSION}")
        scale = float(arrays["coord_scale"].item())
        levels: dict[str, MapLevel] = {}
        for lod in (str(name) for name in arrays["lod_names"]):
            # Deltas were taken across ring boundaries too, so one cumulative sum restores every point.
            points = np.cumsum(arrays[f"{lod}_deltas"], axis=0, dtype=np.int64) / scale
            offsets = arrays[f"{lod}_ring_offsets"].astype(np.int64)
            levels[lod] = MapLevel(
                name=lod,
                points=points,
                ring_offsets=offsets,
                ring_country=arrays[f"{lod}_ring_country"].astype(np.int64),
                ring_is_hole=arrays[f"{lod}_ring_is_hole"].astype(np.bool_),
                ring_bbox=_ring_bboxes(points, offsets),
            )
        isos = [str(s) for s in arrays["country_iso"]]
        names = [str(s) for s in arrays["country_name"]]
        names_ja = [str(s) for s in arrays["country_name_ja"]]
    except KeyError as error:
        raise MapAssetError(f"{path}: map asset lacks array {error}; rebuild it with tools/build_map.py") from None
    detail = levels.get("fine") or next(iter(levels.values()))
    countries = []
    for index, (iso, name, name_ja) in enumerate(zip(isos, names, names_ja, strict=True)):
        mine = detail.ring_bbox[detail.ring_country == index]
        if len(mine):
            bbox = (float(mine[:, 0].min()), float(mine[:, 1].min()), float(mine[:, 2].max()), float(mine[:, 3].max()))
        else:
            bbox = (0.0, 0.0, 0.0, 0.0)
        countries.append(Country(index=index, iso=iso, name=name, name_ja=name_ja, bbox=bbox))
    return WorldMap(countries=tuple(countries), levels=levels)
