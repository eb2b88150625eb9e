"""Solve several variants of one country in parallel: scenarios side by side, and parameter sweeps.

Each variant is (scenario name or None, --set values). Variants run in worker processes (one per core);
each writes its own plan directory and returns its plan.json content.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from planner.errors import PlannerError
from planner.plan import Plan


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


def run_variants(jobs: Sequence[Job], progress: Callable[[str], None] | None = None) -> dict[str, Plan]:
    """Solve every job (in parallel when there are several cores); plan.json content by variant name.

    An input error in one variant is raised (the user must fix it); an infeasible variant is a result.
    """
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    results: dict[str, Plan] = {}
    if workers == 1:
        for job in jobs:
            results[job.variant.name] = solve_job(job)
            if progress:
                progress(job.variant.name)
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(solve_job, job): job.variant.name for job in jobs}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            if progress:
                progress(futures[future])
    return {job.variant.name: results[job.variant.name] for job in jobs}


def solve_job(job: Job) -> Plan:
    """Load, apply the variant, size, write its outputs; return the plan."""
    from planner.catalog import load_catalog
    from planner.pipeline import load_spec, size

    catalog = load_catalog(job.catalog_dirs)
    loaded = load_spec(
        job.country,
        catalog,
        scenario=job.variant.scenario,
        sets=[*job.base_sets, *job.variant.sets],
        scenario_files=job.scenario_files,
    )
    plan = size(loaded, catalog)
    if job.rule_costs:
        from planner.rulecost import rule_costs

        plan.rule_costs = rule_costs(loaded, catalog, plan)
    if job.formats:
        try:
            plan.report(job.out / job.variant.name, sorted(job.formats))
        except PlannerError:
            plan.report(job.out / job.variant.name, ["json"])
    return plan
