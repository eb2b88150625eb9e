"""The whole path: load country.yaml, check it, size it, and return plan.json's content."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulp
from pydantic import ValidationError

from planner._version import __version__
from planner.catalog import Catalog, catalog_snapshot
from planner.checks import raw_reference_checks, run_checks
from planner.defaults import apply_country_defaults
from planner.errors import InputError, Issue
from planner.plan import SCHEMA_VERSION, Plan
from planner.scenarios import BUILTIN_OVERRIDES, MAX_CHECKED, AppliedOverride, check_definitions, resolve
from planner.schema.country import CountrySpec
from planner.sizing.data import ProblemData, build_problem_data
from planner.sizing.diagnose import diagnose
from planner.sizing.dominance import drop_dominated
from planner.sizing.extract import (
    allocations,
    binding_constraints,
    costs_by_year,
    diluting_risks,
    export_risks,
    idle_risks,
    installed_by_year,
    roadmap_risks,
    served_share,
    site_usage,
    unplanned_workloads,
    value,
    vendor_shares,
    workload_results,
)
from planner.sizing.model import build_model
from planner.sizing.prices import shadow_prices
from planner.sizing.rows import REQUIREMENT_FAMILIES
from planner.sizing.rules import decision_date, run_date
from planner.sizing.solve import SolveOutcome, SolveStatus, check_numbers, make_solver, solve
from planner.sizing.timeline import timeline
from planner.validation import validate_document
from planner.yamlio import LoadedYaml, load_yaml


@dataclass(frozen=True)
class LoadedSpec:
    """A validated country spec with the file it came from and the overrides applied to it."""

    spec: CountrySpec
    file: str
    sha256: str
    scenario: str | None = None
    applied: tuple[AppliedOverride, ...] = ()
    defaults: tuple[dict[str, Any], ...] = ()
    """Values taken from the catalog's country facts because the file left them out."""


def load_spec(
    path: Path | str,
    catalog: Catalog,
    *,
    scenario: str | None = None,
    sets: Sequence[str] = (),
    scenario_files: Sequence[Path] = (),
) -> LoadedSpec:
    """Parse country.yaml, apply a scenario and `--set` values, validate and check the result.

    InputError lists every problem at once, with file and line.
    """
    loaded = load_yaml(path, duplicates_later=True)
    duplicates = loaded.duplicates  # said with the schema's problems, not alone (a trial's 9 others were hidden)
    origins: dict[str, str] = {}
    if isinstance(loaded.data, dict) and (scenario or sets or scenario_files):
        doc, origins = _with_scenario_files(loaded.data, scenario_files)
        doc, applied = resolve(doc, scenario, list(sets), loaded.file, origins)
        loaded = LoadedYaml(loaded.file, doc, loaded.lines)
    else:
        applied = []
    try:
        spec = _validate_with_references(loaded, catalog)
        spec, defaults, issues = apply_country_defaults(spec, catalog, loaded)
        builtin = any(a.source in BUILTIN_OVERRIDES for a in applied)
        issues += run_checks(spec, catalog, loaded, contradictions=not builtin) if not issues else []
    except InputError as exc:
        raise InputError([*duplicates, *_attribute(exc.issues, applied, origins, loaded.file)]) from None
    if issues or duplicates:
        raise InputError([*duplicates, *_attribute(issues, applied, origins, loaded.file)])
    digest = hashlib.sha256(Path(path).read_bytes())
    digest.update(json.dumps([a.to_json() for a in applied], sort_keys=True, default=str).encode())
    return LoadedSpec(spec, str(path), digest.hexdigest(), scenario, tuple(applied), tuple(defaults))


def _validate_with_references(loaded: LoadedYaml, catalog: Catalog) -> CountrySpec:
    """The schema-validated spec; if the schema rejects it, its problems together with the catalog-id and horizon
    problems of the parts that can be read (every problem at once, not the schema's first)."""
    try:
        return validate_document(CountrySpec, loaded)
    except InputError as exc:
        if not isinstance(loaded.data, dict):
            raise
        reported = [issue.path for issue in exc.issues]
        extra = [
            issue
            for issue in raw_reference_checks(loaded.data, catalog, loaded)
            # not one the schema reports at the same place or below it; one inside a mapping the schema refuses as a
            # whole is a problem of its own (an unknown language in shares that do not sum to 1)
            if not any(issue.path == p or p.startswith(issue.path + ".") for p in reported)
        ]
        raise InputError([*exc.issues, *sorted(extra, key=lambda issue: issue.line or 0)]) from None


def _attribute(
    issues: list[Issue], applied: Sequence[AppliedOverride], origins: dict[str, str], file: str
) -> list[Issue]:
    """Point problems in values that an override or --set supplied at that override, not at the file's line."""
    out = []
    for issue in issues:
        source = next(
            (
                a
                for a in reversed(applied)
                if issue.path == a.key
                or issue.path.startswith(a.key + ".")
                or a.key.startswith(issue.path + ".")
                or (a.created and (issue.path == a.created or issue.path.startswith(a.created + ".")))
            ),
            None,
        )
        if source is None:
            out.append(issue)
            continue
        defined_in = origins.get(source.source, file)
        where = "--set" if source.source == "--set" else f"{defined_in} (override `{source.source}`)"
        setter = "--set" if source.source == "--set" else f"override `{source.source}`"
        message = f"{issue.message} (value {source.key}={source.new!r}, set by {setter})"
        out.append(Issue(where, issue.path, message, None, issue.hint))
    return out


def _with_scenario_files(doc: dict[str, Any], files: Sequence[Path]) -> tuple[dict[str, Any], dict[str, str]]:
    """Overrides and scenarios from separate files join the country's own (a file's entry wins); also which
    file defines each name that came from one."""
    origins: dict[str, str] = {}
    if not files:
        return doc, origins
    doc = dict(doc)
    for file in files:
        extra = load_yaml(file).data or {}
        if not isinstance(extra, dict):
            msg = "a scenario file is a mapping with `overrides` and/or `scenarios`"
            raise InputError([Issue(str(file), "", msg, line=1)])
        unknown = set(extra) - {"overrides", "scenarios"}
        if unknown:
            msg = f"a scenario file holds only `overrides` and `scenarios`, not {', '.join(sorted(unknown))}"
            raise InputError([Issue(str(file), "", msg)])
        check_definitions(extra, str(file), {})
        for section in ("overrides", "scenarios"):
            doc[section] = {**(doc.get(section) or {}), **(extra.get(section) or {})}
            origins.update(dict.fromkeys(extra.get(section) or {}, str(file)))
    return doc, origins


def size(
    loaded: LoadedSpec,
    catalog: Catalog,
    *,
    without: frozenset[str] = frozenset(),
    adjust: Callable[[ProblemData], None] | None = None,
    check_prices: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Plan:
    """Size the deployment; always returns a plan (status optimal, feasible or infeasible).

    `without` leaves constraint families out (to price a rule); `adjust` changes the problem data before the
    model is built (sizing at a confidence: planner/uncertainty/confidence.py); `check_prices` false skips the
    whole-unit check of shadow prices (planner/sizing/prices.py) for plans solved only for their cost.
    `progress` hears of the diagnosis' solves before they start (they take a while at national scale).
    """
    # the whole run, diagnosis included, from before the problem data (seconds at national scale)
    deadline = time.monotonic() + loaded.spec.solver.time_limit_s
    try:
        data = build_problem_data(loaded.spec, catalog)
    except OverflowError as exc:  # e.g. tokens or a deadline so large the perf model's arithmetic overflows
        raise InputError([Issue(loaded.file, "", f"a number is too large to compute with ({exc})")]) from None
    check_numbers(data, loaded.file)
    if adjust is not None:
        adjust(data)
    dominated = drop_dominated(data)
    options = loaded.spec.solver
    solver = make_solver(options.name, time_limit_s=options.time_limit_s, mip_gap=options.mip_gap)
    maximise_served = loaded.spec.planning.objective == "max_served"
    elastic = REQUIREMENT_FAMILIES if maximise_served else frozenset()
    built = build_model(data, elastic=elastic, without=without)
    outcome = solve(built.problem, solver)
    if maximise_served and outcome.status is not SolveStatus.INFEASIBLE:
        outcome = _cheapest_at_that_service(built, outcome, solver)
    plan = _header(loaded, catalog, data, outcome)
    plan["dominated_options"] = dominated
    if outcome.status is SolveStatus.INFEASIBLE:
        # leave the end of the limit for reading the plan back and writing it (a second at national scale)
        reserve = min(2.0, 0.05 * loaded.spec.solver.time_limit_s)
        if progress is not None:
            progress("No plan meets every requirement: solving again with each rule relaxed to find what is short ...")
        plan["diagnosis"] = diagnose(data, deadline - reserve)
        plan.update(_empty_results(data))
        return _typed(plan, loaded)
    # price the binding rows only if the MILP left time for it (the plan matters more than its prices)
    remaining = options.time_limit_s - outcome.runtime_s
    priced = outcome.status is SolveStatus.OPTIMAL and remaining > 1.0
    prices = shadow_prices(data, built, remaining, check_whole_units=check_prices) if priced else {}
    plan.update(_results(data, built, prices))
    plan["served"] = served_share(data, built)
    if maximise_served:
        plan["solver"]["objective_npv_usd"] = plan["totals"]["npv_usd"]
    return _typed(plan, loaded)


def _emissions_known(data, sites: list[dict[str, Any]], by_year: list[dict[str, Any]]) -> float | None:
    """The most CO2e in any year, or None when an own site in use has no grid carbon intensity to count it by."""
    unknown = any(u["facility_power_kw"] > 0 and data.spec.sites[u["site"]].grid_gco2_per_kwh is None for u in sites)
    return None if unknown else max((y["emissions_tco2"] for y in by_year), default=0.0)


def _not_finite(x: Any) -> bool:
    return isinstance(x, float) and not math.isfinite(x)


def _typed(plan: dict[str, Any], loaded: LoadedSpec) -> Plan:
    """The typed plan; a figure that is not finite (from an absurdly large input) is an input error."""
    try:
        return Plan.model_validate(plan)
    except ValidationError as exc:
        bad = [e for e in exc.errors() if _not_finite(e.get("input"))]
        if not bad:
            raise  # a finite figure the plan refuses is a bug in the planner, not in the input
        where = ".".join(str(p) for p in bad[0]["loc"])
        msg = f"the plan cannot hold the non-finite figure at `{where}` ({bad[0]['msg']})"
        hint = "an input number is absurdly large; check its unit"
        raise InputError([Issue(loaded.file, "", msg, hint=hint)]) from None


def _cheapest_at_that_service(built, served: SolveOutcome, solver) -> SolveOutcome:
    """Second phase of max_served: keep the shortfall at its minimum and minimise the NPV of cost."""
    shortfall = built.problem.objective
    limit = served.objective * (1 + 1e-7) + 1e-7
    built.problem += (shortfall <= limit), "served_at_least_phase_one"
    built.problem.setObjective(built.npv)
    outcome = solve(built.problem, solver)
    return outcome if outcome.status is not SolveStatus.INFEASIBLE else served


def site_names(spec) -> dict[str, str]:
    """Each site's name as the reports print it; a name two sites share carries its id, so their rows can be told
    apart ("Site in TL (second_dc)")."""

    def key(name: str) -> str:
        return " ".join(name.split()).casefold()

    count: dict[str, int] = {}
    for site in spec.sites.values():
        count[key(site.name)] = count.get(key(site.name), 0) + 1
    return {
        sid: site.name if count[key(site.name)] == 1 else f"{site.name} ({sid})" for sid, site in spec.sites.items()
    }


def _header(loaded: LoadedSpec, catalog: Catalog, data: ProblemData, outcome: SolveOutcome) -> dict[str, Any]:
    spec = loaded.spec
    models = sorted({w.model for w in spec.workloads.values()})
    languages = set(spec.languages)
    for w in spec.workloads.values():
        languages |= set(getattr(w, "languages", None) or {})
    countries = {site.jurisdiction.lower() for site in spec.sites.values()} | {spec.country.iso2.lower()}
    return {
        "schema_version": SCHEMA_VERSION,
        "status": outcome.status.value,
        "planner_version": __version__,
        "inputs_sha256": loaded.sha256,
        "country": {"name": spec.country.name, "iso2": spec.country.iso2},
        "years": spec.years,
        "languages": dict(spec.languages),
        "planning": {**spec.planning.model_dump(mode="json"), "decision_date": decision_date(spec).isoformat()},
        "names": {
            "sites": site_names(spec),
            "workloads": {wid: workload_name(wid, w) for wid, w in spec.workloads.items()},
            "models": {m: catalog.models[m].name for m in models},
            "hardware": {h: short_hardware_name(hw) for h, hw in data.hardware.items()},
        },
        "existing": [
            {
                "site": sid,
                "hardware": e.hardware,
                "units": e.units,
                "installed_year": e.installed_year,
                "last_year_in_service": e.installed_year
                + (data.life(e.hardware) if e.hardware in data.hardware else spec.planning.hardware_life_years)
                - 1,
            }
            for sid, site in spec.sites.items()
            for e in site.existing
        ],
        "policy": spec.policy.model_dump(exclude_defaults=True),
        "scenario": loaded.scenario,
        "applied_overrides": [a.to_json() for a in loaded.applied],
        "defaults_applied": list(loaded.defaults),
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
            "as_of": run_date().isoformat(),
        },
        "diagnosis": None,
        "binding_constraints": [],
        "catalog": catalog_snapshot(
            catalog,
            hardware=data.hardware,
            models=models,
            languages=languages,
            countries=countries,
            cost_lines=[line.id for line in data.cost_lines],
        ),
    }


def _catalog_digest(catalog: Catalog) -> str:
    digest = hashlib.sha256()
    for sha in sorted(catalog.file_hashes.values()):
        digest.update(sha.encode())
    return digest.hexdigest()


def _results(data: ProblemData, built, prices: dict[str, float]) -> dict[str, Any]:
    by_year = costs_by_year(data, built)
    sites = site_usage(data, built)
    allocs = allocations(data, built)
    fleet = installed_by_year(data, built)
    bought = [a for a in allocs if a["acquisition"] == "buy"]
    peak = max(by_year, key=lambda y: (y["installed_accelerators"], y["year"]), default=None)
    workloads = workload_results(data, built)
    return {
        "totals": {
            "capex_usd": sum(y["capex_usd"] for y in by_year),
            "opex_usd_per_year": max((y["opex_usd"] for y in by_year), default=0.0),
            "tco_usd": sum(y["capex_usd"] + y["opex_usd"] for y in by_year),
            "npv_usd": value(built.npv),
            "power_kw": max((y["it_power_kw"] for y in by_year), default=0.0),
            "power_kw_rented": max((y["it_power_kw_rented"] for y in by_year), default=0.0),
            "emissions_tco2_per_year": _emissions_known(data, sites, by_year),
            "accelerators": peak["installed_accelerators"] if peak else 0,
            "units": peak["installed_units"] if peak else 0,
            "accelerators_bought": sum(a["accelerators"] for a in bought),
            "units_bought": sum(a["units"] for a in bought),
            "accelerators_rented_peak": max((y["rented_accelerators"] for y in by_year), default=0),
            "residual_value_usd": value(built.residual),
        },
        "allocations": allocs,
        "vendor_shares": vendor_shares(data, allocs, fleet),
        "risks": export_risks(allocs)
        + roadmap_risks(data, allocs)
        + idle_risks(data, allocs, workloads)
        + diluting_risks(data, allocs, workloads, fleet),
        "costs_by_year": by_year,
        "installed": fleet,
        "sites": sites,
        "workloads": workloads,
        "binding_constraints": binding_constraints(built, prices, data),
        "timeline": timeline(data, allocs, workloads),
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
        "workloads": unplanned_workloads(data),
    }


def workload_name(wid: str, workload: Any) -> str:
    """A workload's name as the proposal shows it: its `name`, or its id in words."""
    return getattr(workload, "name", None) or wid.replace("_", " ").capitalize()


def short_hardware_name(hw: Any) -> str:
    """The catalog name without its parenthesised detail: "NVIDIA GB200 NVL72"."""
    return hw.name.split(" (")[0]


def check_all_scenarios(country, catalog, *, sets=(), scenario_files=(), names=None) -> list[str]:
    """Load the country under each scenario it defines (or `names`); InputError lists every problem of all.

    Returns the scenario names checked.
    """
    from planner.yamlio import load_yaml

    doc = load_yaml(country).data
    if not isinstance(doc, dict):
        return []
    doc, _ = _with_scenario_files(doc, scenario_files)
    if names is None:
        names = sorted(set(doc.get("scenarios") or {}) | set(doc.get("overrides") or {}))
    if len(names) > MAX_CHECKED:
        msg = f"{len(names):,} scenarios and overrides; `validate` checks each, and at most {MAX_CHECKED:,}"
        hint = "split them over several --scenarios files, or check one with --scenario NAME"
        raise InputError([Issue(str(country), "scenarios", msg, hint=hint)])
    issues: list[Issue] = []
    for name in names:
        try:
            load_spec(country, catalog, scenario=name, sets=sets, scenario_files=scenario_files)
        except InputError as exc:
            for i in exc.issues:
                message = i.message if i.message.startswith("scenario `") else f"scenario `{name}`: {i.message}"
                issues.append(Issue(i.file, i.path, message, i.line, i.hint))
    if issues:
        raise InputError(issues)
    return list(names)
