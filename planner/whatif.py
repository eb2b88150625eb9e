"""Solve several variants of one country in parallel: scenarios side by side, and parameter sweeps.

Each variant is (scenario name or None, --set values). Variants run through `planner.runner.run_many` (local
worker processes, or a Dask cluster); each writes its own plan directory and returns its plan.json content.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from planner.errors import PlannerError
from planner.plan import Plan
from planner.runner import run_many


@dataclass(frozen=True)
class Variant:
    """One solve: a name for the outputs, a scenario and --set values."""

    name: str
    scenario: str | None = None
    sets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to solve one variant (picklable)."""

    country: Path
    variant: Variant
    out: Path
    catalog_dirs: tuple[Path, ...] = ()
    scenario_files: tuple[Path, ...] = ()
    base_sets: tuple[str, ...] = ()
    formats: frozenset[str] = field(default_factory=lambda: frozenset({"json", "md", "html"}))
    rule_costs: bool = False


def run_variants(
    jobs: Sequence[Job],
    progress: Callable[[int, int], None] | None = None,
    *,
    cluster: Any = None,
    workers: int | None = None,
) -> dict[str, Plan]:
    """Solve every job (in parallel; on `cluster` if given); plan.json content by variant name, in job order.

    An input error in one variant is raised (the user must fix it); an infeasible variant is a result. On a
    cluster the reports are written here, not on the worker, so they land on this machine."""
    remote = cluster is not None
    tasks = [replace(job, formats=frozenset()) for job in jobs] if remote else list(jobs)
    plans = run_many(solve_job, tasks, cluster=cluster, progress=progress, workers=workers)
    if remote:
        for job, plan in zip(jobs, plans, strict=True):
            write_job_outputs(job, plan)
    return {job.variant.name: plan for job, plan in zip(jobs, plans, strict=True)}


def solve_job(job: Job) -> Plan:
    """Load, apply the variant, size, write its outputs; return the plan."""
    from planner.catalog import load_catalog
    from planner.pipeline import load_spec, size
    from planner.scenarios import layered_sets

    catalog = load_catalog(job.catalog_dirs)
    loaded = load_spec(
        job.country,
        catalog,
        scenario=job.variant.scenario,
        sets=layered_sets(list(job.base_sets), list(job.variant.sets)),
        scenario_files=job.scenario_files,
    )
    plan = size(loaded, catalog)
    if job.rule_costs:
        from planner.rulecost import rule_costs

        plan.rule_costs = rule_costs(loaded, catalog, plan)
    write_job_outputs(job, plan)
    return plan


def write_job_outputs(job: Job, plan: Plan) -> None:
    """The variant's reports in its own directory (plan.json alone if a richer format cannot be made)."""
    if job.formats:
        try:
            plan.report(job.out / job.variant.name, sorted(job.formats))
        except PlannerError:
            plan.report(job.out / job.variant.name, ["json"])
