"""A sweep on Dask (`distributed`, optional): `local` starts a `LocalCluster` on 127.0.0.1 (no dashboard)
and shuts it down afterwards; `tcp://HOST:PORT` uses a running scheduler, whose workers need the game
installed.

Dask is imported only when a Dask backend is asked for (it is optional). The scenarios reach every
worker once, through a worker plugin (which also sets up workers that join later); a task is then a few
numbers. The plugin is handed the functions that install and remove them, so that this module does not
import `sweep` (which imports this one). Tasks are submitted with `pure=False`: a pure task's key is a
hash of its arguments, which Dask computes by pickling them in the parent, for nothing (every task is
different anyway).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any

from game.scenario.models import Scenario

MAX_LOCAL_WORKERS = 8
PLUGIN_NAME = "alliance-desk-sweep-scenarios"

LOCAL_WORKER_CONFIG: dict[str, object] = {
    # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, which also turns off glibc's adaptive mmap
    # threshold: every array over 128 KiB is then mmap'ed and unmapped again, page faults and all, and a
    # unit of 3,000 games took 1.6 times the CPU it takes elsewhere (docs/performance.md, Sweeps).
    # None unsets it (the workers use glibc's defaults, like every other backend).
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    # The rest feeds a dashboard that is not started, or watches for trouble more often than a sweep
    # needs: idle, the scheduler, nannies and workers took 0.11 of a core between them, 0.02 with these.
    "distributed.worker.profile.enabled": False,  # a sample of every thread's stack each 10 ms
    "distributed.admin.tick.interval": "1s",  # event-loop health check, 20 ms
    "distributed.admin.system-monitor.interval": "5s",  # 500 ms
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",  # 100 ms
    "distributed.deploy.cluster-repr-interval": "10s",  # 500 ms
}


Install = Callable[[Mapping[str, Scenario]], None]


def scenario_installer(scenarios: Mapping[str, Scenario], install: Install, uninstall: Callable[[], None]) -> Any:
    """A worker plugin that installs (and compiles) a sweep's scenarios in each worker, before its first task."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class ScenarioInstaller(WorkerPlugin):
        name = PLUGIN_NAME

        def setup(self, worker: Any) -> None:
            install(scenarios)

        def teardown(self, worker: Any) -> None:
            uninstall()

    return ScenarioInstaller()


@contextmanager
def dask_executor(address: str, workers: int, scenarios: Mapping[str, Scenario], install: Install,
                  uninstall: Callable[[], None]) -> Iterator[tuple[Executor, int]]:
    """An executor on a Dask cluster (`local`: a LocalCluster of `workers` processes), its workers set
    up with `install(scenarios)`, and how many tasks the cluster runs at once."""
    import dask
    from distributed import Client, LocalCluster

    plugin = scenario_installer(scenarios, install, uninstall)
    if address == "local":
        with (
            dask.config.set(LOCAL_WORKER_CONFIG),
            LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=max(1, min(workers, MAX_LOCAL_WORKERS)), threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=None, silence_logs=50,
            ) as cluster,
            Client(cluster) as client,  # type: ignore[no-untyped-call]
        ):
            yield _executor(client, plugin)
        return
    with Client(address) as client:  # type: ignore[no-untyped-call]
        try:
            yield _executor(client, plugin)
        finally:
            client.unregister_worker_plugin(PLUGIN_NAME)


def _executor(client: Any, plugin: Any) -> tuple[Executor, int]:
    client.register_plugin(plugin)
    executor: Executor = client.get_executor(pure=False)
    return executor, max(1, sum(client.nthreads().values()))
