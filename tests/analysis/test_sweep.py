"""`python main.py sweep`: spec diagnostics, the long table, the summary and the manifest, and the
same bytes for one worker, a process pool and a Dask LocalCluster."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import psutil
import pytest

from game.analysis.sweep_command import wilson_interval
from game.analysis.sweep_spec import read_sweep_spec
from game.cli import main
from game.engine.compiled import compile_scenario
from game.play.simulate import results_csv, simulate
from game.scenario.catalog import find_scenario

pytestmark = pytest.mark.slow  # sweeps on process pools and Dask

# The example spec, word for word.
EXAMPLE = """\
scenario: example_alliance
variants:
  - id: base
  - id: calm
    set: {variables: {tension: {initial: 20}}}
policies: [random, historical]
seeds: [1, 2]
runs: 100
"""


def write(folder: Path, text: str, name: str = "spec.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def sweep(spec: Path, out: Path, *options: str) -> int:
    return main(["sweep", str(spec), "--out", str(out), "--quiet", *options])


def left_behind() -> list[str]:
    """Child processes still running, except Python's own resource tracker (it ends with this interpreter)."""
    commands = [" ".join(p.cmdline()) for p in psutil.Process().children(recursive=True)]
    return [c for c in commands if "multiprocessing.resource_tracker" not in c]


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_long_table_holds_one_row_per_game_in_the_spec_order(tmp_path: Path) -> None:
    spec = write(tmp_path, EXAMPLE.replace("runs: 100", "runs: 5"))
    assert sweep(spec, tmp_path / "out.csv", "--workers", "1") == 0
    rows = read_rows(tmp_path / "out.csv")
    assert len(rows) == 2 * 2 * 2 * 5
    keys = [(r["variant"], r["policy"], r["seed"], r["run"]) for r in rows]
    assert keys[:6] == [("base", "random", "1", str(run)) for run in range(5)] + [("base", "random", "2", "0")]
    assert [k[0] for k in keys] == ["base"] * 20 + ["calm"] * 20
    assert {r["ending"] for r in rows} <= {e.id for e in find_scenario("example_alliance").scenario.endings}
    assert all(r["score.japan_pm"] and r["tension"] for r in rows)


def test_a_unit_plays_the_same_games_as_simulate(tmp_path: Path) -> None:
    spec = write(tmp_path, "scenario: example_alliance\npolicies: [historical]\nseeds: [4]\nruns: 6\n")
    assert sweep(spec, tmp_path / "out.csv", "--workers", "1") == 0
    rows = read_rows(tmp_path / "out.csv")
    scenario = find_scenario("example_alliance").scenario
    assert scenario is not None
    compiled = compile_scenario(scenario)
    alone = list(csv.DictReader(results_csv(simulate(compiled, runs=6, turns=compiled.turns, seed=4,
                                                     policy="historical")).splitlines()))
    for mine, theirs in zip(rows, alone, strict=True):
        assert mine["ending"] == theirs["ending"]
        assert [mine[v] for v in compiled.variable_ids] == [theirs[v] for v in compiled.variable_ids]


def test_a_variant_changes_only_what_it_sets(tmp_path: Path) -> None:
    spec = write(tmp_path, EXAMPLE.replace("runs: 100", "runs: 3").replace("[random, historical]", "[first]")
                 .replace("seeds: [1, 2]", "seeds: [1]"))
    manifest_path = tmp_path / "out.manifest.json"
    assert sweep(spec, tmp_path / "out.csv", "--workers", "1") == 0
    manifest = json.loads(manifest_path.read_text("utf-8"))
    assert [v["variant"] for v in manifest["variants"]] == ["base", "calm"]
    assert manifest["variants"][0]["scenario_hash"] != manifest["variants"][1]["scenario_hash"]
    assert manifest["spec"] == spec.read_text("utf-8") and manifest["games"] == 6
    assert manifest["scenario"] == "example_alliance" and manifest["scenario_file_hash"].startswith("sha256:")


def test_a_grid_runs_every_value_in_every_variant(tmp_path: Path) -> None:
    spec = write(tmp_path, "scenario: example_alliance\nvariants: [{id: base}, {id: other}]\n"
                           "grid:\n  variables.tension.initial: [10, 90]\n  calendar.turns: [4]\n"
                           "policies: [first]\nseeds: [0]\nruns: 4\n")
    assert sweep(spec, tmp_path / "out.csv", "--workers", "1") == 0
    rows = read_rows(tmp_path / "out.csv")
    points = [(r["variant"], r["grid.variables.tension.initial"], r["grid.calendar.turns"]) for r in rows[::4]]
    assert points == [("base", "10", "4"), ("base", "90", "4"), ("other", "10", "4"), ("other", "90", "4")]
    assert all(int(r["turns_played"]) <= 4 for r in rows)
    low = [float(r["tension"]) for r in rows if r["grid.variables.tension.initial"] == "10"]
    high = [float(r["tension"]) for r in rows if r["grid.variables.tension.initial"] == "90"]
    assert max(low) < min(high)


def test_the_summary_gives_ending_shares_with_intervals_and_percentiles(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path, "scenario: example_alliance\npolicies: [random]\nseeds: [0, 1]\nruns: 10\n")
    assert sweep(spec, tmp_path / "out.csv", "--workers", "1") == 0
    summary = read_rows(tmp_path / "out.summary.csv")
    endings = [r for r in summary if r["measure"].startswith("ending.")]
    assert sum(float(r["value"]) for r in endings) == pytest.approx(1.0)
    assert all(r["games"] == "20" and float(r["low"]) <= float(r["value"]) <= float(r["high"]) for r in endings)
    assert any(r["measure"] == "p50.tension" for r in summary)
    assert "p50.tension" in capsys.readouterr().out


def test_wilson_interval() -> None:
    assert wilson_interval(0, 10) == (0.0, pytest.approx(0.2775, abs=1e-4))
    low, high = wilson_interval(50, 100)
    assert (low, high) == (pytest.approx(0.4038, abs=1e-4), pytest.approx(0.5962, abs=1e-4))


@pytest.mark.parametrize(
    ("spec", "where", "message"),
    [
        ("scenario: example_alliance\nrunz: 3\n", (2, "runz"), "unknown key 'runz'"),
        ("scenario: example_alliance\npolicies: [advisor]\n", (2, "policies[0]"), "is not allowed here"),
        ("scenario: nowhere_1900\n", (1, "scenario"), "no scenario with the id or file 'nowhere_1900'"),
        ("scenario: example_alliance\nvariants: [{id: a}, {id: a}]\n", (2, "variants.1.id"), "used twice"),
        ("scenario: example_alliance\nvariants:\n  - id: a\n    set:\n      variables: {tension: {initial: hot}}\n",
         (5, "variables.tension.initial"), "expected a number"),
        ("scenario: example_alliance\ngrid:\n  events.no_such_event.chance: [0.5]\n",
         (3, "grid.events.no_such_event.chance"), "not the id of an item"),
    ],
)
def test_a_bad_spec_gets_file_line_diagnostics_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], spec: str, where: tuple[int, str], message: str
) -> None:
    path = write(tmp_path, spec)
    assert sweep(path, tmp_path / "out.csv") == 2
    err = capsys.readouterr().err
    line, key = where
    assert f"spec.yaml:{line}:" in err and key in err and message in err, err
    assert not (tmp_path / "out.csv").exists()


def test_bad_options_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path, "scenario: example_alliance\nruns: 2\n")
    assert sweep(spec, tmp_path / "out.txt") == 2
    assert sweep(spec, tmp_path / "out.csv", "--workers", "0") == 2
    assert sweep(spec, tmp_path / "out.csv", "--dask", "http://example") == 2
    err = capsys.readouterr().err
    assert ".csv or .parquet" in err and "--workers must be at least 1" in err and "--dask takes" in err


@pytest.mark.skipif(importlib.util.find_spec("pyarrow") is not None, reason="pyarrow is installed")
def test_parquet_without_pyarrow_is_refused_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path, "scenario: example_alliance\nruns: 2\n")
    assert sweep(spec, tmp_path / "out.parquet") == 2
    assert "needs pyarrow" in capsys.readouterr().err


@pytest.mark.slow
def test_one_worker_and_a_process_pool_give_the_same_bytes(tmp_path: Path) -> None:
    spec = write(tmp_path, EXAMPLE.replace("runs: 100", "runs: 12"))
    assert sweep(spec, tmp_path / "one.csv", "--workers", "1") == 0
    assert sweep(spec, tmp_path / "two.csv", "--workers", "2") == 0
    for suffix in (".csv", ".summary.csv", ".manifest.json"):
        assert (tmp_path / f"one{suffix}").read_bytes() == (tmp_path / f"two{suffix}").read_bytes(), suffix
    assert not left_behind(), "the process pool was left running"


@pytest.mark.slow
def test_the_example_spec_gives_the_same_bytes_on_one_worker_two_workers_and_dask_local(tmp_path: Path) -> None:
    spec = write(tmp_path, EXAMPLE)
    assert sweep(spec, tmp_path / "one.csv", "--workers", "1") == 0
    assert sweep(spec, tmp_path / "two.csv", "--workers", "2") == 0
    assert sweep(spec, tmp_path / "dask.csv", "--dask", "local", "--workers", "2") == 0
    for suffix in (".csv", ".summary.csv", ".manifest.json"):
        one = (tmp_path / f"one{suffix}").read_bytes()
        assert one == (tmp_path / f"two{suffix}").read_bytes() == (tmp_path / f"dask{suffix}").read_bytes(), suffix
    assert len(read_rows(tmp_path / "one.csv")) == 800
    assert not left_behind(), "the LocalCluster left processes behind"


@pytest.mark.slow
def test_a_running_dask_scheduler_gives_the_same_bytes_and_its_workers_are_left_clean(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    spec = write(tmp_path, EXAMPLE.replace("runs: 100", "runs: 6"))
    assert sweep(spec, tmp_path / "one.csv", "--workers", "1") == 0
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                                 silence_logs=50) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert sweep(spec, tmp_path / "tcp.csv", "--dask", cluster.scheduler_address) == 0
        installed = client.run(lambda: len(__import__("game.analysis.sweep", fromlist=["_SCENARIOS"])._SCENARIOS))
    assert list(installed.values()) == [0]  # the plugin was taken off again: no scenarios left on the workers
    for suffix in (".csv", ".summary.csv", ".manifest.json"):
        assert (tmp_path / f"one{suffix}").read_bytes() == (tmp_path / f"tcp{suffix}").read_bytes(), suffix


def test_parquet_holds_the_same_table_as_csv(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    spec = write(tmp_path, "scenario: example_alliance\npolicies: [first]\nseeds: [0]\nruns: 3\n")
    assert sweep(spec, tmp_path / "out.csv", "--workers", "1") == 0
    assert sweep(spec, tmp_path / "out.parquet", "--workers", "1") == 0
    table = pq.read_table(tmp_path / "out.parquet").to_pylist()
    rows = read_rows(tmp_path / "out.csv")
    assert [r["ending"] for r in rows] == [t["ending"] for t in table]
    assert [float(r["tension"]) for r in rows] == [t["tension"] for t in table]
    assert sweep(spec, tmp_path / "again.parquet", "--workers", "1") == 0
    assert (tmp_path / "out.parquet").read_bytes() == (tmp_path / "again.parquet").read_bytes()


def test_the_calm_variant_differs_from_the_scenario_only_in_what_it_sets(tmp_path: Path) -> None:
    spec, problems = read_sweep_spec(write(tmp_path, EXAMPLE))
    assert spec is not None, [p.format() for p in problems]
    base, calm = (v.scenario.model_dump() for v in spec.variants)
    assert calm["variables"]["tension"]["initial"] == 20 != base["variables"]["tension"]["initial"]
    calm["variables"]["tension"]["initial"] = base["variables"]["tension"]["initial"]
    assert calm == base
    assert list(calm["variables"]) == list(base["variables"])  # same order: same columns, same random streams
