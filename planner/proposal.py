"""The proposal's extra solves: the options considered and the sensitivity of the plan.

A proposal compares the recommended plan with the options a programme office would be asked about (the
built-in hardware and sourcing scenarios and the country file's own), each solved exactly as `planner compare`
solves it, and shows how the plan's cost and service move when one main assumption changes (hardware prices,
serving throughput within its validation band, demand, electricity, discount rate), each point a solve of its
own. Every solve runs through `planner.runner.run_many`, in parallel; the plan itself is reused, not solved
again. The result is proposal.json's content; the report renders it (`planner.report.proposal`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.catalog import Catalog, load_catalog
from planner.comparison import comparison
from planner.errors import SolverTimeout
from planner.perf.capacity_band import UNCALIBRATED_BAND
from planner.pipeline import LoadedSpec, load_spec, size
from planner.plan import Plan, content_digest
from planner.runner import run_many
from planner.scenarios import BASELINE, BUILTIN_OVERRIDES, layered_sets
from planner.whatif import Job, Variant, solve_job
from planner.yamlio import load_yaml

PRICE_SWING = 0.20
"""Hardware prices are list prices or estimates: ±20 % is the spread the catalog's sources give."""
DEMAND_SWING = 0.50
ELECTRICITY_SWING = 0.30
DISCOUNT_SWING = 0.04
"""Percentage points either side of the country file's discount rate."""
MAX_BAND = 0.50


@dataclass(frozen=True)
class Change:
    """One sensitivity point: one assumption moved one way, everything else as in the country file."""

    factor: str
    """hardware_prices, throughput, demand, electricity or discount_rate."""
    side: str
    """low or high."""
    amount: float
    """The relative change (+0.2 for 20 % more), or for the discount rate the new rate."""
    sets: tuple[str, ...] = ()
    """--set values that make the change in the country file."""
    price_factor: float = 1.0
    """Multiplier on every hardware purchase price in the catalog."""


@dataclass(frozen=True)
class Task:
    """One solve for `run_many` (picklable): a scenario of the options, or a sensitivity change."""

    country: Path
    catalog_dirs: tuple[Path, ...] = ()
    scenario_files: tuple[Path, ...] = ()
    base_sets: tuple[str, ...] = ()
    scenario: str | None = None
    job: Job | None = None
    change: Change | None = None
    objective_sets: tuple[str, ...] = field(default=())


def analyse(
    loaded: LoadedSpec,
    plan: Plan,
    *,
    catalog_dirs: tuple[Path, ...] = (),
    scenario_files: tuple[Path, ...] = (),
    sets: tuple[str, ...] = (),
    workers: int | None = None,
    progress: Any = None,
) -> dict[str, Any]:
    """proposal.json's content: the inputs as stated, the options (comparison.json's content over the same
    scenarios `planner compare` solves) and the sensitivity points."""
    country = Path(loaded.file)
    own = loaded.scenario or BASELINE
    names = option_names(country, scenario_files)
    common = {"country": country, "catalog_dirs": catalog_dirs, "scenario_files": scenario_files, "base_sets": sets}
    tasks = [Task(**common, job=_job(country, n, catalog_dirs, scenario_files, sets)) for n in names if n != own]
    changes = sensitivity_changes(loaded, plan) if plan.feasible else []
    tasks += [Task(**common, scenario=loaded.scenario, change=c) for c in changes]
    results = run_many(run_task, tasks, workers=workers, progress=progress)
    solved = {t.job.variant.name: r for t, r in zip(tasks, results, strict=True) if t.job is not None}
    plans = {n: plan if n == own else solved[n] for n in names if n == own or not isinstance(solved[n], NotSolved)}
    options = comparison(plans, {})
    points = [
        {"factor": c.factor, "side": c.side, "amount": c.amount, **r}
        for t, r, c in ((t, r, t.change) for t, r in zip(tasks, results, strict=True) if t.change is not None)
    ]
    unsolved = [{"option": n, "reason": r.reason} for n, r in solved.items() if isinstance(r, NotSolved)]
    unsolved += [
        {"factor": p["factor"], "side": p["side"], "reason": p.get("reason", "")}
        for p in points
        if p["status"] == "not_solved"
    ]
    return {
        "not_solved": unsolved,
        "plan_content_sha256": _digest(plan),
        "recommended": own,
        "inputs": loaded.spec.model_dump(mode="json", exclude={"overrides", "scenarios", "solver"}),
        "options": options,
        "sensitivity": {
            "base": outcome(plan),
            "points": points,
            "throughput_band": _throughput_band(plan),
            "throughput_uncalibrated_share": (plan.serving_band() or (0.0, 0.0))[1],
        },
    }


def option_names(country: Path, scenario_files: tuple[Path, ...] = ()) -> list[str]:
    """baseline, the built-in scenarios, then the country file's own scenarios and overrides (and those of
    --scenarios files), each once."""
    names = [BASELINE, *BUILTIN_OVERRIDES]
    for source in (country, *scenario_files):
        doc = load_yaml(source).data
        if isinstance(doc, dict):
            for section in ("scenarios", "overrides"):
                names += [n for n in (doc.get(section) or {}) if n not in names]
    return names


def _job(country: Path, name: str, catalog_dirs, scenario_files, sets) -> Job:
    """The job `planner compare` makes for this scenario (no files written)."""
    variant = Variant(name, None if name == BASELINE else name)
    return Job(country, variant, Path("."), catalog_dirs, scenario_files, sets, formats=frozenset())


def sensitivity_changes(loaded: LoadedSpec, plan: Plan) -> list[Change]:
    """The ten sensitivity points: each main assumption down and up."""
    spec = loaded.spec
    out: list[Change] = []
    for side, sign in (("low", -1), ("high", 1)):
        f = 1 + sign * PRICE_SWING
        rent = [
            f"sites.{sid}.{key}.{hw}={price * f!r}"
            for sid, site in spec.sites.items()
            for key in (
                "rent_usd_per_accelerator_hour",
                "rent_1y_usd_per_accelerator_hour",
                "rent_3y_usd_per_accelerator_hour",
            )
            for hw, price in getattr(site, key).items()
        ]
        out.append(Change("hardware_prices", side, sign * PRICE_SWING, tuple(rent), price_factor=f))
    band = _throughput_band(plan)
    for side, sign in (("low", -1), ("high", 1)):
        utilisation = min(1.0, spec.planning.serving_utilisation * (1 + sign * band))
        out.append(Change("throughput", side, sign * band, (f"planning.serving_utilisation={utilisation!r}",)))
    for side, sign in (("low", -1), ("high", 1)):
        users = tuple(
            f"workloads.{wid}.users={w.users * (1 + sign * DEMAND_SWING)!r}"
            for wid, w in spec.workloads.items()
            if getattr(w, "kind", "") == "serving"
        )
        out.append(Change("demand", side, sign * DEMAND_SWING, users))
    for side, sign in (("low", -1), ("high", 1)):
        prices = tuple(
            f"sites.{sid}.electricity_usd_per_kwh={site.electricity_usd_per_kwh * (1 + sign * ELECTRICITY_SWING)!r}"
            for sid, site in spec.sites.items()
            if not site.is_cloud and site.electricity_usd_per_kwh
        )
        if prices:
            out.append(Change("electricity", side, sign * ELECTRICITY_SWING, prices))
    rate = spec.planning.discount_rate
    for side, new in (("low", max(0.0, rate - DISCOUNT_SWING)), ("high", min(0.5, rate + DISCOUNT_SWING))):
        if new != rate:
            out.append(Change("discount_rate", side, new, (f"planning.discount_rate={new!r}",)))
    return out


def _throughput_band(plan: Plan) -> float:
    """The serving error band of the hardware the plan serves on, for the kind of model each serves (median absolute
    error on held-out published runs, weighted by the capacity each gives, as the capacity section states them),
    within 5–50 %; 30 % for a stack no run validates."""
    band = plan.serving_band()
    return round(min(MAX_BAND, max(0.05, band[0] if band else UNCALIBRATED_BAND)), 3)


@dataclass(frozen=True)
class NotSolved:
    """A proposal solve that stopped without a plan (its time limit ran out first): the proposal leaves it out
    and says so, rather than losing the plan already found."""

    reason: str


def run_task(task: Task) -> Any:
    """Solve one task in a worker: a scenario's Plan, or a sensitivity change's outcome (NotSolved, or an outcome
    with status `not_solved`, when the solver stopped without a plan)."""
    try:
        return _run_task(task)
    except SolverTimeout as exc:  # out of time before any plan; other solver failures are not hidden
        if task.job is not None:
            return NotSolved(str(exc))
        return {**outcome(None), "status": "not_solved", "reason": str(exc)}


def _run_task(task: Task) -> Any:
    if task.job is not None:
        return solve_job(task.job)
    assert task.change is not None
    catalog = with_prices(load_catalog(task.catalog_dirs), task.change.price_factor)
    loaded = load_spec(
        task.country,
        catalog,
        scenario=task.scenario,
        sets=layered_sets(task.base_sets, task.change.sets, ["planning.objective=max_served"]),
        scenario_files=task.scenario_files,
    )
    return outcome(size(loaded, catalog, check_prices=False))  # only its cost and service are read


def with_prices(catalog: Catalog, factor: float) -> Catalog:
    """The catalog with every hardware purchase price times `factor`."""
    if factor == 1.0:
        return catalog
    hardware = {
        h: hw.model_copy(update={"price_usd_per_unit": hw.price_usd_per_unit * factor})
        for h, hw in catalog.hardware.items()
    }
    return dataclasses.replace(catalog, hardware=hardware)


def outcome(plan: Plan | None) -> dict[str, Any]:
    """What a sensitivity point records of its solve (None: no solve finished)."""
    if plan is None:
        return {"status": "not_solved", "npv_usd": None, "capex_usd": None, "demand_share": None, "accelerators": None}
    served = plan.served
    return {
        "status": plan.status,
        "npv_usd": plan.totals.npv_usd if plan.feasible else None,
        "capex_usd": plan.totals.capex_usd if plan.feasible else None,
        "demand_share": served.demand_share if served and plan.feasible else (None if not plan.feasible else 1.0),
        "accelerators": plan.totals.accelerators if plan.feasible else None,
    }


def _digest(plan: Plan) -> str:
    return content_digest(plan.model_dump(mode="json"))
