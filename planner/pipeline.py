"""The whole path: load country.yaml, check it, size it, and return plan.json's content."""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulp

from planner import __version__
from planner.catalog import Catalog
from planner.checks import run_checks
from planner.errors import InputError
from planner.schema.country import CountrySpec
from planner.sizing.data import ProblemData, build_problem_data
from planner.sizing.diagnose import diagnose
from planner.sizing.extract import (
    allocations,
    binding_constraints,
    costs_by_year,
    export_risks,
    installed_by_year,
    site_usage,
    value,
    vendor_shares,
    workload_results,
)
from planner.sizing.model import build_model
from planner.sizing.prices import shadow_prices
from planner.sizing.solve import SolveOutcome, SolveStatus, make_solver, solve
from planner.validation import validate_document
from planner.yamlio import load_yaml


@dataclass(frozen=True)
class LoadedSpec:
    """A validated country spec with the file it came from."""

    spec: CountrySpec
    file: str
    sha256: str


def load_spec(path: Path | str, catalog: Catalog) -> LoadedSpec:
    """Parse, validate and check country.yaml; InputError lists every problem at once."""
    loaded = load_yaml(path)
    spec = validate_document(CountrySpec, loaded)
    issues = run_checks(spec, catalog, loaded)
    if issues:
        raise InputError(issues)
    return LoadedSpec(spec, str(path), hashlib.sha256(Path(path).read_bytes()).hexdigest())


def size(loaded: LoadedSpec, catalog: Catalog) -> dict[str, Any]:
    """Size the deployment; always returns a plan (status optimal, feasible or infeasible)."""
    data = build_problem_data(loaded.spec, catalog)
    options = loaded.spec.solver
    solver = make_solver(options.name, time_limit_s=options.time_limit_s, mip_gap=options.mip_gap)
    built = build_model(data)
    outcome = solve(built.problem, solver)
    plan = _header(loaded, catalog, outcome)
    if outcome.status is SolveStatus.INFEASIBLE:
        plan["diagnosis"] = diagnose(data)
        plan.update(_empty_results(data))
        return plan
    plan.update(_results(data, built))
    return plan


def _header(loaded: LoadedSpec, catalog: Catalog, outcome: SolveOutcome) -> dict[str, Any]:
    spec = loaded.spec
    return {
        "status": outcome.status.value,
        "planner_version": __version__,
        "inputs_sha256": loaded.sha256,
        "country": {"name": spec.country.name, "iso2": spec.country.iso2},
        "years": spec.years,
        "languages": dict(spec.languages),
        "planning": spec.planning.model_dump(),
        "site_names": {sid: site.name for sid, site in spec.sites.items()},
        "policy": spec.policy.model_dump(exclude_defaults=True),
        "solver": {
            "name": outcome.solver,
            "objective_npv_usd": outcome.objective,
            "mip_gap": outcome.gap,
            "runtime_s": round(outcome.runtime_s, 3),
        },
        "provenance": {
            "input_file": Path(loaded.file).name,
            "catalog_sha256": _catalog_digest(catalog),
            "pulp_version": pulp.__version__,
            "python": platform.python_version(),
            "created_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        "diagnosis": None,
        "binding_constraints": [],
    }


def _catalog_digest(catalog: Catalog) -> str:
    digest = hashlib.sha256()
    for sha in sorted(catalog.file_hashes.values()):
        digest.update(sha.encode())
    return digest.hexdigest()


def _results(data: ProblemData, built) -> dict[str, Any]:
    by_year = costs_by_year(data, built)
    allocs = allocations(data, built)
    capex = sum(a["capex_usd"] for a in allocs)
    return {
        "totals": {
            "capex_usd": capex,
            "opex_usd_per_year": max((y["opex_usd"] for y in by_year), default=0.0),
            "tco_usd": capex + sum(y["opex_usd"] for y in by_year),
            "npv_usd": value(built.npv),
            "power_kw": max((y["it_power_kw"] for y in by_year), default=0.0),
            "accelerators": sum(a["accelerators"] for a in allocs),
            "units": sum(a["units"] for a in allocs),
        },
        "allocations": allocs,
        "vendor_shares": vendor_shares(allocs),
        "risks": export_risks(allocs),
        "costs_by_year": by_year,
        "installed": installed_by_year(data, built),
        "sites": site_usage(data, built),
        "workloads": workload_results(data, built),
        "binding_constraints": binding_constraints(built, shadow_prices(data, built)),
    }


def _empty_results(data: ProblemData) -> dict[str, Any]:
    return {
        "totals": {
            "capex_usd": 0.0,
            "opex_usd_per_year": 0.0,
            "tco_usd": 0.0,
            "npv_usd": 0.0,
            "power_kw": 0.0,
            "accelerators": 0,
            "units": 0,
        },
        "allocations": [],
        "costs_by_year": [],
        "sites": [],
        "workloads": [{"name": w, "kind": spec.kind, "model": spec.model} for w, spec in data.spec.workloads.items()],
    }
