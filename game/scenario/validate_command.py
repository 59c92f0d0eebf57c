"""`python main.py validate [PATH ...] [--format text|json]`: check scenario files, print every problem."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from game.resources import scenarios_dir
from game.scenario.catalog import find_scenario, load_entry, scenario_files
from game.scenario.diagnostics import Diagnostic
from game.scenario.loader import LoadResult, default_roots, mods_dir
from game.scenario.source_file import is_folder, path_exists, resolved_path


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def severity_counts(diagnostics: Sequence[Diagnostic]) -> dict[str, int]:
    """How many diagnostics of each severity."""
    counts = dict.fromkeys(("error", "warning", "info"), 0)
    for diagnostic in diagnostics:
        counts[diagnostic.severity] += 1
    return counts


def summary_line(files: int, diagnostics: Sequence[Diagnostic]) -> str:
    """`3 files checked: 2 errors, 1 warning` (infos are counted only when there are some)."""
    counts = severity_counts(diagnostics)
    text = (
        f"{_plural(files, 'file')} checked: "
        f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}"
    )
    if counts["info"]:
        text += f", {_plural(counts['info'], 'note')}"
    return text


@dataclass
class _ToCheck:
    """What `validate` was asked to check: files, the extra `extends` roots, and problems found on the way."""

    files: list[Path] = field(default_factory=list)
    roots: list[Path] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    by_id: list[LoadResult] = field(default_factory=list)


def _files_to_check(paths: Sequence[Path], data_dir: Path | None) -> _ToCheck | str:
    """What to check; or a usage problem to report."""
    if not paths:
        return _ToCheck([*scenario_files(scenarios_dir()), *scenario_files(mods_dir(data_dir))])
    found = _ToCheck()
    for path in paths:
        if is_folder(path):
            inside = scenario_files(path)
            if not inside:
                found.problems.append(Diagnostic(
                    str(path), 0, 0, "error", "", "no scenario files (*.yaml, *.yml) in this folder"
                    if _readable_folder(path) else "cannot read this folder (permission denied)", None,
                ))
            found.files.extend(inside)
            found.roots.append(path)
        elif path_exists(path):
            found.files.append(path)  # anything that is not a regular file is reported when it is read
            found.roots.append(path.parent)
        elif path.suffix == "" and len(path.parts) == 1:
            found.by_id.append(find_scenario(str(path), data_dir))  # a scenario id, shipped or mod
        else:
            return f"no such file or folder: {path}"
    return found


def _readable_folder(path: Path) -> bool:
    try:
        next(path.iterdir(), None)
    except OSError:
        return False
    return True


def run_validate(paths: list[Path], *, output_format: str, data_dir: Path | None) -> int:
    """Validate files (default: shipped scenarios and the user's mods); exit 0 clean, 1 errors, 2 usage."""
    found = _files_to_check(paths, data_dir)
    if isinstance(found, str):
        print(f"validate: {found}", file=sys.stderr)
        return 2
    roots = [*default_roots(data_dir), *found.roots]
    seen: set[Path] = set()
    diagnostics: set[Diagnostic] = set(found.problems)  # a base's problems come back with every file extending it
    for result in found.by_id:
        seen.add(result.path.absolute())
        diagnostics.update(result.diagnostics)
    for file in found.files:
        key = resolved_path(file)
        if key in seen:
            continue
        seen.add(key)
        diagnostics.update(load_entry(file, roots).diagnostics)
    ordered = sorted(diagnostics)
    summary = summary_line(len(seen), ordered)
    if output_format == "json":
        counts = severity_counts(ordered)
        print(json.dumps({
            "diagnostics": [d.to_json() for d in ordered],
            "summary": {"files": len(seen), "errors": counts["error"], "warnings": counts["warning"],
                        "infos": counts["info"], "text": summary},
        }, ensure_ascii=False, indent=2))
    else:
        for diagnostic in ordered:
            print(diagnostic.format())
        print(summary)
    return 1 if any(d.severity == "error" for d in ordered) else 0
