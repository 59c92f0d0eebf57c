"""`python main.py validate [PATH ...] [--format text|json]`: check scenario files, print every problem."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from game.resources import scenarios_dir
from game.scenario.catalog import scenario_files
from game.scenario.diagnostics import Diagnostic
from game.scenario.loader import default_roots, load_scenario, mods_dir


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


def _files_to_check(paths: Sequence[Path], data_dir: Path | None) -> tuple[list[Path], list[Path]] | str:
    """The files and the extra `extends` roots; or a usage problem to report."""
    if not paths:
        return [*scenario_files(scenarios_dir()), *scenario_files(mods_dir(data_dir))], []
    files: list[Path] = []
    roots: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(scenario_files(path))
            roots.append(path)
        elif path.is_file():
            files.append(path)
            roots.append(path.parent)
        else:
            return f"no such file or folder: {path}"
    return files, roots


def run_validate(paths: list[Path], *, output_format: str, data_dir: Path | None) -> int:
    """Validate files (default: shipped scenarios and the user's mods); exit 0 clean, 1 errors, 2 usage."""
    found = _files_to_check(paths, data_dir)
    if isinstance(found, str):
        print(f"validate: {found}", file=sys.stderr)
        return 2
    files, extra_roots = found
    roots = [*default_roots(data_dir), *extra_roots]
    seen: set[Path] = set()
    diagnostics: set[Diagnostic] = set()  # a base's problems come back with every file extending it
    for file in files:
        key = file.resolve()
        if key in seen:
            continue
        seen.add(key)
        diagnostics.update(load_scenario(file, roots=roots).diagnostics)
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
