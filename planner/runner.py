"""Run many independent tasks (solves, Monte Carlo samples): in local worker processes by default, or on a
Dask cluster.

This is the one place that decides where independent work runs; sweeps, comparisons, Monte Carlo and
alternatives call `run_many`. Results come back in the order of `items`, whatever order they finish in, and a
task's result depends only on its item (a task that draws random numbers takes its seed from the item, never
from the worker or the order it ran in), so a run is the same serial, in local processes or on a cluster.

Why Dask distributed rather than Ray: it is pure Python (~36 MB installed with its dependencies; Ray is a native
wheel several times that, with its own object store, raylet and dashboard processes), a `LocalCluster` listens on the
loopback interface only and starts in about a second on a 2-core machine (CI), tasks travel with cloudpickle
(plain dataclasses and module-level functions; PuLP and HiGHS objects are built inside the task, never
shipped), and `Client.map` keeps futures in submission order, which is all the determinism the callers need.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from planner.errors import PlannerError

T = TypeVar("T")
R = TypeVar("R")

LOCAL = "local"
"""`--cluster local` (or `local:N`): a temporary Dask cluster of N worker processes on this machine's loopback
interface, for trying the cluster path without starting one."""

CONNECT_TIMEOUT_S = 10


class ClusterError(PlannerError):
    """The cluster cannot be used: Dask is not installed, or nothing answers at the address."""


def run_many(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    cluster: Any = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> list[R]:
    """`[fn(item) for item in items]`, in parallel. `fn` and the items must be picklable (module-level
    functions, plain data). `progress(done, total)` is called as tasks finish.

    `cluster`: None runs in local worker processes (`workers` of them, default one per core); an address
    (`tcp://host:8786`, a scheduler's) or a `distributed.Client` runs on that Dask cluster, whose workers must
    have the planner installed and see the input files at the same paths; `"local"` / `"local:N"` starts a
    temporary Dask cluster on this machine for the run."""
    items = list(items)
    if not items:
        return []
    if cluster is not None:
        return _on_cluster(fn, items, cluster, progress, workers)
    n = max(1, min(len(items), workers or os.cpu_count() or 1))
    results: list[Any] = []
    if n == 1:
        for i, item in enumerate(items):
            results.append(fn(item))
            if progress:
                progress(i + 1, len(items))
        return results
    # Ctrl-C reaches every process of the terminal's group: the workers ignore it and the parent stops them, since
    # a worker interrupted while holding the pool's queue lock left the pool's shutdown waiting for ever
    pool = ProcessPoolExecutor(max_workers=n, initializer=_ignore_interrupt)
    try:
        for i, result in enumerate(pool.map(fn, items)):
            results.append(result)
            if progress:
                progress(i + 1, len(items))
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    return results


def _ignore_interrupt() -> None:
    """A handler that does nothing, not SIG_IGN: an ignored signal survives exec, so a solver binary a worker
    starts (CBC) would ignore Ctrl-C too and outlive the run; a handler is reset to the default by exec."""
    signal.signal(signal.SIGINT, _do_nothing)


def _do_nothing(_signum: int, _frame: object) -> None:
    return None


def _stop(pool: ProcessPoolExecutor) -> None:
    """End a pool now: its queued tasks cancelled and its worker processes terminated, not waited for."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        if process.is_alive():
            process.terminate()
    for process in workers:
        process.join(timeout=5)


def _on_cluster(fn, items: list, cluster: Any, progress, workers: int | None) -> list:
    distributed = _distributed()
    if isinstance(cluster, distributed.Client):
        return _map_on(cluster, fn, items, progress)
    address = str(cluster).strip()
    if address == LOCAL or address.startswith(LOCAL + ":"):
        count = _local_workers(address, workers)
        with (
            distributed.LocalCluster(
                n_workers=count,
                threads_per_worker=1,  # one solve per worker process, as the local pool does
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",  # a free port: two runs at once must not clash on 8787
                processes=True,
            ) as local,
            distributed.Client(local, set_as_default=False) as client,
        ):
            return _map_on(client, fn, items, progress)
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        msg = f"cannot reach a Dask scheduler at `{address}` ({type(exc).__name__}: {exc})"
        raise ClusterError(msg) from None
    with client:
        return _map_on(client, fn, items, progress)


def _map_on(client, fn, items: list, progress) -> list:
    """Submit every item, count them as they finish, and gather the results in the order of `items`."""
    distributed = _distributed()
    # pure=False: two equal items are still two tasks (and no time goes into hashing the items)
    futures = client.map(fn, items, pure=False)
    try:
        for done, future in enumerate(distributed.as_completed(futures, loop=client.loop), start=1):
            if future.status == "error":
                future.result()  # raises the task's own exception (an InputError stays an InputError)
            if progress:
                progress(done, len(items))
        return client.gather(futures)
    finally:
        client.cancel(futures)


def _local_workers(address: str, workers: int | None) -> int:
    _, _, count = address.partition(":")
    if count:
        if not count.isdigit() or int(count) < 1:
            msg = f"`--cluster {address}`: write local:N with N a whole number of workers, e.g. local:2"
            raise ClusterError(msg)
        return int(count)
    return max(1, workers or os.cpu_count() or 1)


def _distributed():
    try:
        import distributed
    except ImportError:
        msg = "running on a cluster needs Dask distributed: pip install 'sovereign-ai-planner[cluster]'"
        raise ClusterError(msg) from None
    return distributed
