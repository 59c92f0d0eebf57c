"""The scenarios a player can choose: shipped ones and the user's mods.

Every file is loaded on its own: a broken one is listed with its diagnostics and never stops the
others. Abstract bases are validated when a scenario extends them but are not listed.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from game.resources import scenarios_dir
from game.scenario.diagnostics import Diagnostic, did_you_mean
from game.scenario.loader import LoadResult, default_roots, display_name, load_scenario, mods_dir
from game.scenario.source_file import FileProblem, is_folder, path_exists, read_limited
from game.scenario.yaml_reader import MAX_FILE_BYTES

SCENARIO_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class CatalogEntry:
    """One scenario file found by `discover`; `shipped` is False for the user's mods."""

    path: Path
    result: LoadResult
    shipped: bool

    @property
    def scenario_id(self) -> str:
        """The scenario's id, or the file name when the file is too broken to have one."""
        return self.result.scenario_id or self.path.stem


def scenario_files(folder: Path) -> list[Path]:
    """Every `*.yaml` / `*.yml` entry under `folder` (recursively), sorted; none when it does not exist.

    Entries that are not regular files (a FIFO, a dangling or looping link) are listed too, so that
    loading them reports why they cannot be read instead of their silently missing.
    """
    try:
        if not folder.is_dir():
            return []
        found = [p for p in folder.rglob("*") if p.suffix.lower() in SCENARIO_SUFFIXES and not is_folder(p)]
    except (OSError, RuntimeError):  # an unreadable folder or a symlink loop in the tree
        return []
    return sorted(found)


_WRITTEN_ID = re.compile(rb"^id:[ \t]*[\"']?([a-z][a-z0-9_]*)[\"']?[ \t]*(?:#.*)?$", re.MULTILINE)


def _written_id(path: Path) -> str | None:
    """The `id:` written at the top level of a file too broken to be read as YAML, if it can be found."""
    try:
        found = _WRITTEN_ID.search(read_limited(path, MAX_FILE_BYTES))
    except FileProblem:
        return None
    return found.group(1).decode("ascii") if found else None


# A file's load result, reused while the bytes of the file and of every base it extends are unchanged: the
# catalogue is read by every look-up of a scenario by id, and parsing a thousand-line scenario dominates that.
_CacheKey = tuple[Path, tuple[Path, ...], Path]
_loaded: dict[_CacheKey, tuple[tuple[tuple[Path, str], ...], LoadResult]] = {}
_loaded_lock = threading.Lock()


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(read_limited(path, MAX_FILE_BYTES)).hexdigest()
    except FileProblem:
        return None


def _cached_load(path: Path, roots: list[Path]) -> LoadResult | None:
    key = (path.absolute(), tuple(roots), Path.cwd())
    with _loaded_lock:
        hit = _loaded.get(key)
    if hit is None or any(_digest(file) != digest for file, digest in hit[0]):
        return None
    return hit[1]


def _remember(path: Path, roots: list[Path], result: LoadResult) -> None:
    digests = []
    for file in dict.fromkeys((path, *result.files)):
        digest = _digest(file)
        if digest is None:
            return  # not a readable regular file: load it afresh every time
        digests.append((file, digest))
    with _loaded_lock:
        _loaded[(path.absolute(), tuple(roots), Path.cwd())] = (tuple(digests), result)


def load_entry(path: Path, roots: list[Path]) -> LoadResult:
    """Load one catalogue file; whatever goes wrong stays with that file (its id kept when it can be read)."""
    cached = _cached_load(path, roots)
    if cached is not None:
        return cached
    result = _load_entry(path, roots)
    _remember(path, roots, result)
    return result


def _load_entry(path: Path, roots: list[Path]) -> LoadResult:
    try:
        result = load_scenario(path, roots=roots)
    except Exception as exc:  # a defect in the loader must not hide every other scenario
        result = LoadResult(path, None, (Diagnostic(
            display_name(path), 1, 1, "error", "", f"this file could not be loaded ({type(exc).__name__}: {exc})",
            "please report this: a scenario file should always get a clear message",
        ),), files=(path,))
    if result.scenario_id is None and not result.ok:
        result = replace(result, scenario_id=_written_id(path))
    return result


def discover(data_dir: Path | None = None) -> list[CatalogEntry]:
    """Load every shipped scenario and every mod; abstract bases are left out of the list.

    A mod whose id is already taken is kept, with a warning, so that its author sees why
    it does not appear under that id.
    """
    roots = default_roots(data_dir)
    entries: list[CatalogEntry] = []
    taken: dict[str, Path] = {}
    for folder, shipped in ((scenarios_dir(), True), (mods_dir(data_dir), False)):
        for path in scenario_files(folder):
            result = load_entry(path, roots)
            if result.abstract:
                continue
            scenario_id = result.scenario_id
            if scenario_id is not None:
                if scenario_id in taken:
                    clash = Diagnostic(
                        display_name(path), 1, 1, "warning", "id",
                        f"the id '{scenario_id}' is also used by {display_name(taken[scenario_id])}",
                        "give this scenario its own id; the first one found is the one `play` starts",
                    )
                    result = LoadResult(
                        result.path, result.scenario, (*result.diagnostics, clash), result.abstract, result.files,
                        result.scenario_id,
                    )
                else:
                    taken[scenario_id] = path
            entries.append(CatalogEntry(path, result, shipped))
    return entries


def _looks_like_path(name: str) -> bool:
    return name.lower().endswith(SCENARIO_SUFFIXES) or "/" in name or "\\" in name


def find_scenario(name_or_path: str, data_dir: Path | None = None) -> LoadResult:
    """Load a scenario by id (shipped or mod) or by file path.

    When nothing matches, the result has no scenario and one error diagnostic (with a
    did-you-mean over the known ids).
    """
    candidate = Path(name_or_path)
    if _looks_like_path(name_or_path) or path_exists(candidate):
        if not path_exists(candidate):
            return LoadResult(candidate, None, (
                Diagnostic(name_or_path, 0, 0, "error", "", f"no scenario file '{name_or_path}'", None),
            ))
        return load_scenario(candidate, roots=[*default_roots(data_dir), candidate.parent])
    entries = discover(data_dir)
    for entry in entries:
        if entry.result.scenario_id == name_or_path:
            return entry.result
    for entry in entries:  # a file too broken to have an id is found by its file name
        if entry.path.stem == name_or_path:
            return entry.result
    ids = sorted({entry.scenario_id for entry in entries})
    hint = did_you_mean(name_or_path, ids) or (("known scenarios: " + ", ".join(ids)) if ids else None)
    return LoadResult(candidate, None, (
        Diagnostic(name_or_path, 0, 0, "error", "", f"no scenario with the id '{name_or_path}'", hint),
    ))


def content_hash(path: Path) -> str:
    """sha256 over the file's bytes and the bytes of every base it extends (in `extends` order).

    Saves store it, so that a replay notices when the scenario (or a base) has changed.
    """
    result = load_scenario(path, roots=[*default_roots(), path.parent])
    digest = hashlib.sha256()
    for file in result.files or (path,):
        content = file.read_bytes()
        digest.update(f"{len(content)}:".encode())  # length-prefixed: file boundaries matter
        digest.update(content)
    return digest.hexdigest()
