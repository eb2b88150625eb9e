"""Monte Carlo evaluation of a fixed plan: price it and check its requirements in each sampled future.

Futures are drawn in chunks (planner/uncertainty/distributions.py) and each chunk is evaluated with array
arithmetic over its futures; the chunks are independent work for `planner.runner.run_many`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from planner.runner import run_many
from planner.uncertainty.distributions import Draw, chunk_sizes, sample_chunk
from planner.uncertainty.fixed import FixedPlan

IN_PROCESS_UP_TO = 20_000
"""Up to this many futures the chunks run in this process: each takes milliseconds, less than starting a worker."""


@dataclass
class Outcomes:
    """Per future: costs, and whether each requirement is met."""

    npv: np.ndarray
    """(futures,)"""
    capex: np.ndarray
    """(futures, years)"""
    opex: np.ndarray
    """(futures, years)"""
    demand: np.ndarray
    """(futures, serving workloads, years) output tokens/s."""
    capacity: np.ndarray
    """(futures, serving workloads, years)"""
    wall_days: np.ndarray
    """(futures, training jobs); inf where the plan places no run."""

    @property
    def serving_met(self) -> np.ndarray:
        """(futures, workloads, years) True where capacity covers demand."""
        return self.capacity >= self.demand * (1 - 1e-9)

    def training_met(self, deadlines: np.ndarray) -> np.ndarray:
        """(futures, jobs) True where the run ends by its deadline."""
        return self.wall_days <= deadlines * (1 + 1e-9)


def simulate(
    fixed: FixedPlan,
    draws: dict[str, Draw],
    samples: int,
    seed: int,
    *,
    cluster: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Outcomes:
    """Evaluate the plan in `samples` futures drawn with `seed`."""
    items = [(fixed, draws, seed, i, n) for i, n in enumerate(chunk_sizes(samples))]
    workers = 1 if cluster is None and samples <= IN_PROCESS_UP_TO else None
    parts = run_many(_evaluate_chunk, items, cluster=cluster, progress=progress, workers=workers)
    return Outcomes(*(np.concatenate([getattr(p, f) for p in parts]) for f in Outcomes.__dataclass_fields__))


def _evaluate_chunk(item: tuple[FixedPlan, dict[str, Draw], int, int, int]) -> Outcomes:
    fixed, draws, seed, index, n = item
    f = sample_chunk(draws, seed, index, n)
    scale = np.ones((n, len(fixed.keys)))
    for i, key in enumerate(fixed.keys):
        for name in key:
            scale[:, i] *= f[name]
    years = len(fixed.years)
    demand = np.zeros((n, len(fixed.serving), years))
    capacity = np.zeros((n, len(fixed.serving), years))
    for j, req in enumerate(fixed.serving):
        rate = np.clip(1.0 + req.growth + f[f"growth:{req.workload}"], 0.01, None) / max(1.0 + req.growth, 0.01)
        growth = rate[:, None] ** req.offsets[None, :]
        demand[:, j, :] = req.demand[None, :] * f[f"demand:{req.workload}"][:, None] * growth
        capacity[:, j, :] = _held(req, f, n, years)
    wall = np.full((n, len(fixed.training)), np.inf)
    for j, req in enumerate(fixed.training):
        if req.wall_days is not None:
            wall[:, j] = req.wall_days * f[f"training_time:{req.workload}"]
    return Outcomes(
        npv=scale @ fixed.npv,
        capex=scale @ fixed.capex,
        opex=scale @ fixed.opex,
        demand=demand,
        capacity=capacity,
        wall_days=wall,
    )


def _held(req, f: dict[str, np.ndarray], n: int, years: int) -> np.ndarray:
    """(futures, years) capacity of a serving workload: in each year, that of its tightest open quarter (of its
    tightest quarter in a year it is not open)."""
    quarterly = np.zeros((n, years, 4))
    for name, planned in req.capacity.items():
        by_quarter = planned if planned.ndim == 2 else np.repeat(planned[:, None], 4, axis=1)
        quarterly += f[name][:, None, None] * by_quarter[None, :, :]
    if req.live is None:
        return quarterly.min(axis=2)
    open_min = np.where(req.live[None, :, :], quarterly, np.inf).min(axis=2)
    return np.where(req.live.any(axis=1)[None, :], open_min, quarterly.min(axis=2))


def all_met(fixed: FixedPlan, outcomes: Outcomes) -> np.ndarray:
    """(futures,) True where every serving demand in every year and every training deadline is met."""
    ok = outcomes.serving_met.all(axis=(1, 2)) if fixed.serving else np.ones(len(outcomes.npv), dtype=bool)
    if fixed.training:
        deadlines = np.array([t.deadline_days for t in fixed.training])
        ok &= outcomes.training_met(deadlines).all(axis=1)
    return ok
