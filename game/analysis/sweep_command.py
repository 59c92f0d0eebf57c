"""`python main.py sweep SPEC.yaml [--workers N | --dask local | --dask tcp://HOST:PORT] --out FILE.csv|.parquet`.

Writes three files and prints the summary:

- `FILE.csv` (or `.parquet`, when pyarrow is installed): the long table, one row per game — variant,
  grid values, policy, seed, run, ending, turns played, each playable role's score percent, every
  variable's final value — in the spec's order, floats written exactly (`repr`), so the bytes are the
  same for any worker count or backend;
- `FILE.summary.csv`: per variant × grid point × policy (seeds pooled), each ending's share with a
  95% Wilson interval and the 10th/50th/90th percentiles of the key variables;
- `FILE.manifest.json`: the game version, the scenario's file hash and each variant's content hash,
  and the spec as written. No timestamps, no machine names.

Exit codes: 0 done, 2 a bad spec or bad arguments (diagnostics on stderr).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from game import __version__
from game.analysis.sweep import UnitResult, WorkUnit, open_executor, plan_sweep, run_units
from game.analysis.sweep_spec import SweepSpec, read_sweep_spec
from game.engine.forecast import NO_ENDING
from game.play.progress import ProgressBar
from game.play.saves import scenario_hash
from game.scenario.catalog import content_hash

Z_95 = 1.959963984540054
PERCENTILES = (10, 50, 90)


class SweepError(Exception):
    """Bad arguments; printed as `error: ...`, exit code 2."""


def run_sweep(args: argparse.Namespace) -> int:
    """The `sweep` command; returns the exit code."""
    try:
        out = Path(args.out)
        if out.suffix.lower() not in (".csv", ".parquet"):
            raise SweepError(f"--out must name a .csv or .parquet file, not '{out}'")
        if out.suffix.lower() == ".parquet" and not _has_pyarrow():
            raise SweepError("Parquet output needs pyarrow (pip install pyarrow); or write a .csv")
        if args.workers is not None and args.workers < 1:
            raise SweepError("--workers must be at least 1")
        if args.dask is not None and args.dask != "local" and not str(args.dask).startswith(("tcp://", "tls://")):
            raise SweepError(
                f"--dask takes 'local' or a scheduler address like tcp://127.0.0.1:8786, not '{args.dask}'"
            )
        if args.dask is not None and not _has_distributed():
            raise SweepError("--dask needs the optional package distributed: pip install 'dask[distributed]'")
    except SweepError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    spec, problems = read_sweep_spec(Path(args.spec), getattr(args, "data_dir", None))
    if spec is None:
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        return 2
    plan = plan_sweep(spec)
    units = plan.units
    progress = ProgressBar.for_terminal(len(units), "work units", quiet=bool(args.quiet))
    try:
        with open_executor(args.workers, args.dask, plan.scenarios) as executor:
            results = run_units(plan, executor, progress.update)
    except OSError as error:  # e.g. a scheduler that cannot be reached
        progress.finish()
        print(f"error: cannot run the sweep: {error}", file=sys.stderr)
        return 2
    progress.finish()
    columns, rows = long_table(spec, units, results)
    summary = summary_rows(spec, units, results)
    try:
        write_table(out, columns, rows)
        _write_text(out.with_suffix(".summary.csv"), _csv(summary))
        _write_text(out.with_suffix(".manifest.json"), manifest(spec, units, columns))
    except OSError as error:
        print(f"error: could not write {out}: {error.strerror or error}", file=sys.stderr)
        return 2
    sys.stdout.write(summary_text(summary))
    if not args.quiet:
        print(f"wrote {len(rows)} games to {out}", file=sys.stderr)
    return 0


def _has_pyarrow() -> bool:
    import importlib.util

    return importlib.util.find_spec("pyarrow") is not None


def _has_distributed() -> bool:
    import importlib.util

    return importlib.util.find_spec("distributed") is not None


# --- the long table ------------------------------------------------------------------------------


def long_table(spec: SweepSpec, units: Sequence[WorkUnit], results: Sequence[UnitResult]
               ) -> tuple[list[str], list[list[Any]]]:
    """Column names and rows (typed values) of the long table, in the spec's order."""
    roles: list[str] = []
    variables: list[str] = []
    for result in results:
        roles += [role for role in result.columns.roles if role not in roles]
        variables += [v for v in result.columns.variables if v not in variables]
    columns = ["variant", *(f"grid.{key}" for key in spec.grid_keys), "policy", "seed", "run", "ending",
               "turns_played", *(f"score.{role}" for role in roles), *variables]
    rows: list[list[Any]] = []
    for unit, result in zip(units, results, strict=True):
        key = [unit.variant, *(value for _, value in unit.grid), unit.policy, unit.seed]
        # Python values (`tolist`): the same ints and floats, bit for bit, as the arrays hold.
        score_at = _positions(result.columns.roles, roles)
        final_at = _positions(result.columns.variables, variables)
        turns = result.turns_played.tolist()
        for run, (ending, scores, final) in enumerate(
            zip(result.ending_ids(), result.scores.tolist(), result.final.tolist(), strict=True)
        ):
            rows.append([*key, run, ending, turns[run],
                         *(math.nan if i is None else scores[i] for i in score_at),
                         *(math.nan if i is None else final[i] for i in final_at)])
    return columns, rows


def _positions(have: Sequence[str], wanted: Sequence[str]) -> list[int | None]:
    """Where each wanted name is in `have` (None: a column this unit does not have)."""
    index = {name: i for i, name in enumerate(have)}
    return [index.get(name) for name in wanted]


def write_table(out: Path, columns: list[str], rows: list[list[Any]]) -> None:
    """CSV (floats as `repr`, exact) or Parquet, written atomically."""
    if out.suffix.lower() == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({name: [row[i] for row in rows] for i, name in enumerate(columns)})
        buffer = pa.BufferOutputStream()
        pq.write_table(table, buffer)
        _write_bytes(out, buffer.getvalue().to_pybytes())
        return
    _write_text(out, _csv([columns, *rows]))


def _csv(rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return str(value).lower() if isinstance(value, bool) else str(value)


def _write_text(path: Path, text: str) -> None:
    _write_bytes(path, text.encode("utf-8"))


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)


# --- the summary -----------------------------------------------------------------------------------


def wilson_interval(count: int, total: int) -> tuple[float, float]:
    """95% Wilson score interval of a share `count / total`."""
    if total == 0:
        return 0.0, 1.0
    share = count / total
    z2 = Z_95 * Z_95
    centre = (share + z2 / (2 * total)) / (1 + z2 / total)
    half = Z_95 * math.sqrt(share * (1 - share) / total + z2 / (4 * total * total)) / (1 + z2 / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def summary_rows(spec: SweepSpec, units: Sequence[WorkUnit], results: Sequence[UnitResult]) -> list[list[Any]]:
    """Per variant × grid point × policy (seeds pooled): ending shares with 95% intervals, then the
    key variables' percentiles; one row per (group, measure)."""
    header: list[Any] = ["variant", *(f"grid.{key}" for key in spec.grid_keys), "policy", "games", "measure",
                         "value", "low", "high"]
    groups: dict[tuple[Any, ...], list[UnitResult]] = {}
    for unit, result in zip(units, results, strict=True):
        group = (unit.variant, *(value for _, value in unit.grid), unit.policy)
        groups.setdefault(group, []).append(result)
    rows: list[list[Any]] = [header]
    for group, members in groups.items():
        total = sum(len(result.ending) for result in members)
        endings: dict[str, int] = {}
        for result in members:
            for ending in result.ending_ids():
                endings[ending] = endings.get(ending, 0) + 1
        for ending in sorted(endings, key=lambda e: (e == NO_ENDING, e)):
            low, high = wilson_interval(endings[ending], total)
            rows.append([*group, total, f"ending.{ending}", endings[ending] / total, low, high])
        for variable in members[-1].columns.key_variables:
            values = np.concatenate([result.final_values(variable) for result in members])
            for q in PERCENTILES:
                rows.append([*group, total, f"p{q}.{variable}", float(np.percentile(values, q)), "", ""])
    return rows


def summary_text(rows: list[list[Any]]) -> str:
    """The summary as an aligned table for the terminal."""
    header, body = rows[0], rows[1:]
    cells = [[_short(value) for value in row] for row in [header, *body]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return "".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n" for row in cells)


def _short(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


# --- the manifest ----------------------------------------------------------------------------------


def manifest(spec: SweepSpec, units: Sequence[WorkUnit], columns: list[str]) -> str:
    """What produced the results (no timestamps or worker counts: the same for any backend)."""
    variants = []
    for variant in spec.variants:
        variants.append({"variant": variant.variant, "grid": dict(variant.grid),
                         "scenario_hash": scenario_hash(variant.scenario)})
    data = {
        "game_version": __version__,
        "scenario": spec.variants[0].scenario.id,
        "scenario_file_hash": "sha256:" + content_hash(spec.scenario_path),
        "variants": variants,
        "work_units": len(units),
        "games": sum(unit.runs for unit in units),
        "columns": columns,
        "spec_file": spec.path.name,
        "spec": spec.text,
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"
