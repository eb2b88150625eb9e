"""`planner compare` and `planner sweep`: what-if questions as one command each."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from planner.cli_common import (
    CatalogDirs,
    ClusterAddress,
    Lang,
    ScenarioFiles,
    SetValues,
    ShowProgress,
    check_out,
    parse_formats,
    reports_errors,
)
from planner.errors import echo


def register_whatif(app: typer.Typer) -> None:
    """Add the what-if commands to the main app."""
    app.command(name="compare")(reports_errors(compare))
    app.command(name="sweep")(reports_errors(sweep))


def compare(
    country: Annotated[Path, typer.Argument(help="country.yaml describing the programme.")],
    scenario: Annotated[
        list[str] | None,
        typer.Option("--scenario", "-s", help="Scenario to compare (repeatable; `baseline` = no overrides)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the plans and the comparison.")] = Path(
        "comparison"
    ),
    catalog: CatalogDirs = None,
    set_values: SetValues = None,
    scenario_files: ScenarioFiles = None,
    rule_costs: Annotated[bool, typer.Option("--rule-costs", help="Price each sovereignty rule per scenario.")] = False,
    formats: Annotated[str, typer.Option("--format", help="Comparison outputs: json,md,html,pdf.")] = "json,md,html",
    cluster: ClusterAddress = None,
    progress: ShowProgress = None,
    lang: Lang = None,
) -> None:
    """Solve COUNTRY under several scenarios (in parallel) and compare them side by side.

    Without --scenario: baseline and the built-in hardware scenarios (ascend_only, nvidia_only, amd_only,
    mixed_vendor_cap, rent_only, no_licensed_hardware).
    """
    from planner.comparison import comparison
    from planner.scenarios import BASELINE, BUILTIN_OVERRIDES
    from planner.whatif import Job, Variant

    names = scenario or [BASELINE, *BUILTIN_OVERRIDES]
    if len(set(names)) != len(names):
        raise _usage("a scenario is named twice")
    wanted = parse_formats(formats)
    _choose_language(lang)
    check_out(out)
    from planner.catalog import load_catalog
    from planner.pipeline import check_all_scenarios

    # every scenario must load before any is solved: a typo should not cost minutes of solving
    check_all_scenarios(
        country,
        load_catalog(catalog or []),
        sets=set_values or [],
        scenario_files=scenario_files or [],
        names=[n for n in names if n != BASELINE],
    )
    jobs = [
        Job(
            country,
            Variant(n, None if n == BASELINE else n),
            out,
            tuple(catalog or ()),
            tuple(scenario_files or ()),
            tuple(set_values or ()),
            rule_costs=rule_costs,
        )
        for n in names
    ]
    plans = _run_with_progress(jobs, "Solving scenarios", cluster, progress)
    result = comparison(plans, {})
    with _language_of(plans):
        written = write_comparison(result, out, wanted)
    echo(_comparison_table(result))
    echo("\nWrote " + ", ".join(str(p) for p in written))


def sweep(
    country: Annotated[Path, typer.Argument(help="country.yaml describing the programme.")],
    vary: Annotated[list[str], typer.Option("--vary", help="KEY=START:STOP:COUNT (once or twice).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the sweep.")] = Path("sweep"),
    catalog: CatalogDirs = None,
    scenario: Annotated[str | None, typer.Option("--scenario", "-s", help="Scenario applied to every point.")] = None,
    set_values: SetValues = None,
    scenario_files: ScenarioFiles = None,
    objective: Annotated[
        str, typer.Option(help="max_served (serve what the limits allow, then least cost) or min_cost.")
    ] = "max_served",
    formats: Annotated[str, typer.Option("--format", help="Sweep outputs: json,md,html,pdf.")] = "json,md,html",
    cluster: ClusterAddress = None,
    progress: ShowProgress = None,
    lang: Lang = None,
) -> None:
    """Solve COUNTRY over a grid of one or two parameters and trace the frontier."""
    from planner.sweeps import grid, parse_vary, sweep_result
    from planner.whatif import Job, Variant

    if objective not in ("max_served", "min_cost"):
        raise _usage("--objective is max_served or min_cost")
    _choose_language(lang)
    check_out(out)
    axes = [parse_vary(v) for v in vary]
    variants = grid(axes)
    base = (*(set_values or ()), f"planning.objective={objective}")
    jobs = [
        Job(
            country,
            Variant(v.name, scenario, v.sets),
            out / "points",
            tuple(catalog or ()),
            tuple(scenario_files or ()),
            base,
            formats=frozenset({"json"}),
        )
        for v in variants
    ]
    plans = _run_with_progress(jobs, f"Solving {len(jobs)} points", cluster, progress)
    result = sweep_result(axes, variants, plans)
    with _language_of(plans):
        written = write_sweep(result, out, parse_formats(formats))
    echo(_sweep_table(result))
    echo("\nWrote " + ", ".join(str(p) for p in written))


def _choose_language(lang: str | None) -> None:
    """--lang for this command and the worker processes that write each variant's reports (they inherit it)."""
    import os

    from planner.report import i18n

    if lang:
        os.environ["PLANNER_LANG"] = i18n.normalize(lang)


def _language_of(plans: dict):
    """Write in the chosen language, else the one the first plan's country defaults to."""
    from planner.report import i18n
    from planner.report.local_money import plan_language

    first = next(iter(plans.values()), None)
    return i18n.language(plan_language(first) if first is not None else None)


def _run_with_progress(jobs, label: str, cluster: str | None, show: bool | None):
    from planner.progress import ProgressBar
    from planner.whatif import run_variants

    with ProgressBar(label, enabled=show) as bar:
        return run_variants(jobs, progress=bar, cluster=cluster)


def write_comparison(result: dict, out: Path, formats: set[str]) -> list[Path]:
    """comparison.json and the rendered comparison reports."""
    from planner.outputs import write_all_atomic
    from planner.report.whatif import render_comparison

    rendered = {"comparison.json": json.dumps(result, indent=2, sort_keys=True, default=str) + "\n"}
    rendered.update(render_comparison(result, formats - {"json"}))
    wanted = {n: c for n, c in rendered.items() if "json" in formats or not n.endswith(".json")}
    return write_all_atomic({out / name: content for name, content in wanted.items()})


def write_sweep(result: dict, out: Path, formats: set[str]) -> list[Path]:
    """sweep.json and the rendered frontier reports."""
    from planner.outputs import write_all_atomic
    from planner.report.whatif import render_sweep

    rendered = {"sweep.json": json.dumps(result, indent=2, sort_keys=True, default=str) + "\n"}
    rendered.update(render_sweep(result, formats - {"json"}))
    return write_all_atomic({out / name: content for name, content in rendered.items()})


def _comparison_table(result: dict) -> str:
    from planner.sizing.diagnose import format_usd

    def side_by_side_usd(v: float) -> str:  # scenarios a few percent apart must not all read "$2.5 M"
        return f"${v / 1e6:,.2f} M" if abs(v) >= 1e6 else format_usd(v)

    lines = [f"{'scenario':<22} {'status':<10} {'capex':>10} {'NPV':>10} {'accelerators':>12}"]
    for e in result["scenarios"]:
        t = e["totals"]
        if e["status"] == "infeasible":
            lines.append(f"{e['name']:<22} {e['status']:<10} {'–':>10} {'–':>10} {'–':>12}")
        else:
            lines.append(
                f"{e['name']:<22} {e['status']:<10} {side_by_side_usd(t['capex_usd']):>10} "
                f"{side_by_side_usd(t['npv_usd']):>10} {t['accelerators']:>12,}"
                + (
                    f"  (not proven optimal: up to {e['mip_gap']:.1%} above the best)"
                    if e["status"] == "feasible" and e.get("mip_gap")
                    else ""
                )
            )
    return "\n".join(lines)


def _sweep_table(result: dict) -> str:
    from planner.sizing.diagnose import format_usd

    keys = [a["key"] for a in result["axes"]]
    # the share of serving demand met, as sweep.md and sweep.html give it ("Serving demand met")
    lines = ["  ".join(f"{k:>22}" for k in keys) + f"  {'status':<10} {'demand met':>10} {'NPV':>10}"]
    for p in result["points"]:
        served = f"{p['demand_share']:.1%}" if p["demand_share"] is not None else "–"
        npv = format_usd(p["npv_usd"]) if p["npv_usd"] is not None else "–"
        values = "  ".join(f"{_axis_value(k, p['values'][k]):>22}" for k in keys)
        status = p["status"]
        if status == "feasible" and p.get("mip_gap"):
            status += f" (up to {p['mip_gap']:.1%} above the best)"
        lines.append(f"{values}  {status:<10} {served:>10} {npv:>10}")
    return "\n".join(lines)


def _axis_value(key: str, value: float) -> str:
    from planner.sizing.diagnose import format_usd

    return format_usd(value) if key.endswith("_usd") or "_usd_" in key else f"{value:,.4g}"


def _usage(message: str) -> typer.BadParameter:
    return typer.BadParameter(message)
