"""Run many independent tasks (solves, Monte Carlo samples): in local worker processes by default, or on a
running cluster.

This is the one place that decides where independent work runs; sweeps, comparisons, Monte Carlo and
alternatives call `run_many`. Results come back in the order of `items`, whatever order they finish in, so a
run is the same serial or parallel for the same inputs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def run_many(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    cluster: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> list[R]:
    """`[fn(item) for item in items]`, in parallel. `fn` and the items must be picklable (module-level
    functions, plain data). `progress(done, total)` is called as tasks finish. `cluster` is the address of
    a running cluster (not yet supported: local processes only)."""
    if cluster is not None:
        raise NotImplementedError("running on a cluster is not available yet")
    n = max(1, min(len(items), workers or os.cpu_count() or 1))
    results: list[Any] = []
    if n == 1:
        for i, item in enumerate(items):
            results.append(fn(item))
            if progress:
                progress(i + 1, len(items))
        return results
    with ProcessPoolExecutor(max_workers=n) as pool:
        for i, result in enumerate(pool.map(fn, items)):
            results.append(result)
            if progress:
                progress(i + 1, len(items))
    return results
