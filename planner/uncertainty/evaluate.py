"""Evaluate a fixed plan under uncertainty: the typed `plan.uncertainty` (percentiles and probabilities)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from planner.catalog import Catalog
from planner.plan import (
    Plan,
    ServingChance,
    Spread3,
    TrainingChance,
    UncertainInput,
    Uncertainty,
    YearSpread,
)
from planner.sizing.data import ProblemData
from planner.uncertainty.distributions import Draw
from planner.uncertainty.fixed import FixedPlan, fixed_plan
from planner.uncertainty.inputs import input_factors
from planner.uncertainty.montecarlo import Outcomes, all_met, simulate

RECONCILE_TOLERANCE = 1e-3
"""Largest relative gap between the plan's NPV and the evaluation's NPV at the planned figures before a note says so."""


def evaluate_plan(
    plan: Plan,
    data: ProblemData,
    catalog: Catalog,
    *,
    samples: int,
    seed: int,
    cluster: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Uncertainty:
    """Monte Carlo of `plan` over `samples` futures (`data`: the problem data at the planned figures)."""
    draws = input_factors(data, catalog)
    fixed = fixed_plan(plan, data, draws)
    outcomes = simulate(fixed, draws, samples, seed, cluster=cluster, progress=progress)
    return summarise(plan, fixed, draws, outcomes, samples=samples, seed=seed)


def summarise(
    plan: Plan, fixed: FixedPlan, draws: dict[str, Draw], out: Outcomes, *, samples: int, seed: int
) -> Uncertainty:
    """Percentiles of cost and probabilities of the requirements over the futures."""
    capex = out.capex.sum(axis=1)
    cumulative = np.cumsum(out.capex + out.opex, axis=1)
    met = out.serving_met
    serving = [
        ServingChance(
            workload=req.workload,
            year=year,
            probability=float(met[:, j, k].mean()),
            demand_p50=float(np.percentile(out.demand[:, j, k], 50)),
            demand_p90=float(np.percentile(out.demand[:, j, k], 90)),
            capacity_p10=float(np.percentile(out.capacity[:, j, k], 10)),
            capacity_p50=float(np.percentile(out.capacity[:, j, k], 50)),
        )
        for j, req in enumerate(fixed.serving)
        for k, year in enumerate(fixed.years)
    ]
    deadlines = np.array([t.deadline_days for t in fixed.training])
    training_ok = out.training_met(deadlines) if fixed.training else np.zeros((samples, 0), dtype=bool)
    training = [
        TrainingChance(
            workload=req.workload,
            probability=float(training_ok[:, j].mean()),
            deadline_days=req.deadline_days,
            wall_days_p50=float(np.percentile(out.wall_days[:, j], 50)) if req.wall_days is not None else None,
            wall_days_p90=float(np.percentile(out.wall_days[:, j], 90)) if req.wall_days is not None else None,
        )
        for j, req in enumerate(fixed.training)
    ]
    return Uncertainty(
        samples=samples,
        seed=seed,
        npv_usd=_spread(out.npv),
        capex_usd=_spread(capex),
        opex_usd_per_year=_spread(out.opex.max(axis=1)),
        tco_usd=_spread(cumulative[:, -1]),
        cost_by_year=[YearSpread(year=y, **_spread(cumulative[:, k]).model_dump()) for k, y in enumerate(fixed.years)],
        all_met=float(all_met(fixed, out).mean()),
        serving=serving,
        training=training,
        inputs=_inputs_used(fixed, draws),
        notes=_notes(plan, fixed),
    )


def _spread(values: np.ndarray) -> Spread3:
    p10, p50, p90 = np.percentile(values, [10, 50, 90])
    return Spread3(p10=float(p10), p50=float(p50), p90=float(p90))


def _inputs_used(fixed: FixedPlan, draws: dict[str, Draw]) -> list[UncertainInput]:
    """The factors that move this plan's figures, with their ranges as relative changes."""
    used = {name for key in fixed.keys for name in key}
    used |= {name for req in fixed.serving for name in req.capacity}
    used |= {f"demand:{r.workload}" for r in fixed.serving} | {f"growth:{r.workload}" for r in fixed.serving}
    used |= {f"training_time:{r.workload}" for r in fixed.training if r.wall_days is not None}
    out = []
    for name in sorted(used):
        d = draws[name]
        if d.kind == "constant":
            continue
        low, high = (d.low - 1.0, d.high - 1.0) if d.kind == "lognormal" else (d.low, d.high)
        kind = f"lognormal (sigma {d.sigma:.2f})" if d.kind == "lognormal" else d.kind
        out.append(UncertainInput(name=name, low=low, high=high, distribution=kind, source=d.source))
    return out


def _notes(plan: Plan, fixed: FixedPlan) -> list[str]:
    notes = [
        "Idle units (integer purchases, resilience headroom) serve the workloads allowed on them in proportion "
        "to the units each already has there; resilience to the loss of a site is not sampled.",
        "Serving throughput varies as published runs did against the estimate on each profile (on AMD and "
        "NVIDIA stacks the runs served less than estimated, so the plan's own figures are optimistic there); "
        "lead times are taken as planned.",
    ]
    planned = plan.totals.npv_usd
    if planned and abs(fixed.nominal_npv_usd - planned) > RECONCILE_TOLERANCE * abs(planned):
        notes.append(
            f"At the planned figures this evaluation prices the plan at {fixed.nominal_npv_usd:,.0f} USD of NPV, "
            f"not the plan's {planned:,.0f} USD: a cost line it does not model."
        )
    return notes
