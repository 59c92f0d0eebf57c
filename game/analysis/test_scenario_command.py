"""`python main.py test-scenario [PATH ...]`: play each scenario's `expectations:` and report.

With no paths: every shipped scenario and every mod. A path may be a file or a folder (its `*.yaml`
files; abstract bases are skipped). Each failed expectation is printed as a diagnostic at the bound
it broke, `file:line:col: error: expectations[i].share: share of ending 'x' is 0.41, outside [0.6, 1]
(...)`, and a scenario that does not load prints its own diagnostics.

Exit codes: 0 every expectation held, 1 one failed (or a scenario does not load), 2 bad arguments.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from game.analysis.expectations import ExpectationResult, check_expectations
from game.engine.compiled import compile_scenario
from game.scenario.catalog import scenario_files
from game.scenario.diagnostics import Diagnostic
from game.scenario.loader import default_roots, display_name, load_scenario_with_document, mods_dir
from game.scenario.yaml_reader import Document, format_path, locate


def run_test_scenario(paths: Sequence[Path], data_dir: Path | None = None) -> int:
    """The command; returns the exit code."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += scenario_files(path)
        elif path.is_file():
            files.append(path)
        else:
            print(f"error: no scenario file or folder '{path}'", file=sys.stderr)
            return 2
    if not paths:
        from game.resources import scenarios_dir

        files = scenario_files(scenarios_dir()) + scenario_files(mods_dir(data_dir))
    roots = default_roots(data_dir)
    failed = 0
    tested = 0
    for file in files:
        outcome = _test_file(file, roots)
        if outcome is None:
            continue
        tested += 1
        failed += not outcome
    print(f"{tested} scenario{'s' if tested != 1 else ''} tested, {failed} failed")
    return 1 if failed else 0


def _test_file(path: Path, roots: list[Path]) -> bool | None:
    """True when every expectation held, False otherwise, None for an abstract base."""
    result, document = load_scenario_with_document(path, roots=[*roots, path.parent])
    if result.abstract:
        return None
    shown = display_name(path)
    if result.scenario is None:
        for diagnostic in result.diagnostics:
            if diagnostic.severity == "error":
                print(diagnostic.format())
        print(f"FAIL {shown}: the scenario does not load")
        return False
    expectations = result.scenario.expectations
    if not expectations:
        print(f"note {shown}: no expectations declared (see 'Scenario tests' in docs/modding.md)")
        return True
    started = time.perf_counter()
    results = check_expectations(compile_scenario(result.scenario), expectations)
    seconds = time.perf_counter() - started
    failures = [r for r in results if not r.passed]
    for failure in failures:
        print(failure_diagnostic(document, failure).format())
    verdict = "FAIL" if failures else "ok  "
    print(f"{verdict} {shown}: {len(results) - len(failures)}/{len(results)} expectations held ({seconds:.1f} s)")
    return not failures


def failure_diagnostic(document: Document, result: ExpectationResult) -> Diagnostic:
    """A failed expectation as a diagnostic at the bound it broke."""
    e = result.expectation
    bound = "share" if e.share is not None else "median" if e.median is not None else "mean"
    path = ("expectations", result.index, bound)
    where = locate(document, path).value
    return Diagnostic(where.file, where.line, where.col, "error", format_path(path), result.describe())
