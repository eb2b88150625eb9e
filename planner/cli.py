"""Command line: thin commands that parse options, call the library, print, and map errors to exit codes.

Heavy libraries (pydantic, PuLP, Jinja) are imported inside commands so `planner --help` stays fast.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer

from planner.cli_common import (
    CatalogDirs,
    ClusterAddress,
    Lang,
    RuleCosts,
    ScenarioFiles,
    ScenarioName,
    SetValues,
    ShowProgress,
    check_out,
    parse_formats,
    reports_errors,
)
from planner.errors import EXIT_INFEASIBLE, EXIT_INTERNAL, EXIT_OK, echo

MAX_TIME_LIMIT_S = 7 * 24 * 3600

app = typer.Typer(
    name="planner",
    help="Size, place and cost the hardware of a national (sovereign) AI programme.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
@reports_errors
def size(
    country: Annotated[Path, typer.Argument(help="country.yaml describing the programme.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for plan.json and the reports.")] = Path("plan"),
    catalog: CatalogDirs = None,
    solver: Annotated[str | None, typer.Option(help="highs (default) or cbc.")] = None,
    time_limit: Annotated[float | None, typer.Option("--time-limit", help="Solver time limit in seconds.")] = None,
    formats: Annotated[
        str, typer.Option("--format", help="Comma-separated outputs: json,md,html,pdf,xlsx (pdf, xlsx on request).")
    ] = "json,md,html",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print the summary.")] = False,
    scenario: ScenarioName = None,
    set_values: SetValues = None,
    scenario_files: ScenarioFiles = None,
    rule_costs: RuleCosts = False,
    short: Annotated[
        bool,
        typer.Option(
            "--short",
            help="Write the short report (the plan alone) instead of the proposal, which also solves the options "
            "considered and the sensitivity points (about 16 more solves, in parallel). "
            "Also: PLANNER_REPORT_FORM=short.",
        ),
    ] = False,
    alternatives: Annotated[
        int, typer.Option("--alternatives", help="Also find N near-optimal plans that differ most (vendors, sites).")
    ] = 0,
    slack: Annotated[
        float, typer.Option("--slack", help="Alternatives' NPV at most this fraction above the optimum.")
    ] = 0.05,
    show_progress: ShowProgress = None,
    cluster: ClusterAddress = None,
    lang: Lang = None,
    monte_carlo: Annotated[
        int | None,
        typer.Option(
            "--monte-carlo",
            help="Evaluate the plan over N futures sampled from the input ranges (P10/P50/P90, probabilities).",
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the Monte Carlo futures.")] = None,
) -> None:
    """Size a deployment for COUNTRY and write plan.json, report.md and report.html (a proposal unless
    --short: the options considered and the sensitivity solved as well).

    With --alternatives N: also up to N plans within --slack of the optimum's NPV that differ most from it and from
    each other in vendor mix, sites and rent versus buy, listed in plan.json's `alternatives`, each written in full
    to OUT/alternatives/<n>/plan.json. --cluster runs the many solves (alternatives, Monte Carlo, sizing at a
    confidence) on a Dask cluster."""
    from planner import api
    from planner.report import i18n
    from planner.report.write import write_plan_outputs

    wanted = parse_formats(formats)
    lang = i18n.normalize(lang) if lang else None
    spec = api.load(
        country,
        scenario=scenario,
        set=set_values or [],
        scenario_files=scenario_files or [],
        catalog=catalog or [],
    )
    spec = _with_solver_options(spec, solver, time_limit)
    check_out(out)  # before solving: a plan that cannot be written should not cost a solve
    if alternatives:
        from planner.alternatives import check_request

        check_request(spec.loaded, alternatives, slack)  # before solving: a wrong request should not cost a solve
    steps = None if quiet else (lambda line: echo(line, err=True))
    _say_slips(spec, steps)
    plan = api.size(spec, rule_costs=rule_costs, monte_carlo=monte_carlo, seed=seed, progress=steps, cluster=cluster)
    found = None
    if alternatives and plan.feasible:
        from planner.alternatives import near_optimal
        from planner.progress import ProgressBar

        with ProgressBar("Searching alternatives", enabled=show_progress) as bar:
            found = near_optimal(
                spec.loaded,
                spec.catalog,
                count=alternatives,
                slack=slack,
                optimum=plan,
                progress=bar,
                cluster=cluster,
            )
    target = found.optimum if found else plan  # the plan written as plan.json (with its alternatives)
    if not quiet:  # the plan first: the proposal's further solves take minutes on a national case
        _say_plan(plan, found, slack)
    proposal = None
    if _proposal_form(short) and wanted & {"md", "html", "pdf"}:
        proposal = _proposal(spec, target, catalog, scenario_files, set_values, show=False if quiet else show_progress)
    with i18n.language(lang):
        if found is None:
            written = write_plan_outputs(target, out, wanted, proposal)
        else:
            written = found.write(out, sorted(wanted))
            if proposal is not None:  # the proposal replaces the short reports found.write made
                written += [p for p in write_plan_outputs(target, out, wanted, proposal) if p not in written]
    if not quiet:
        echo("\nWrote " + ", ".join(str(p) for p in written))
        if wanted & {"md", "html", "pdf", "xlsx"} and not lang:
            _say_report_language(target)
    elif not plan.feasible:
        echo("infeasible: no plan meets every requirement; see the diagnosis in plan.json", err=True)
    raise typer.Exit(EXIT_OK if plan.feasible else EXIT_INFEASIBLE)


def _say_plan(plan, found, slack: float) -> None:
    """The terminal summary of the plan (with its uncertainty and near-optimal alternatives)."""
    from planner.summary import summary_text

    echo(summary_text(plan))
    if plan.uncertainty is not None:
        from planner.uncertainty.text import uncertainty_text

        echo(uncertainty_text(plan.uncertainty, plan.names))
    if found is not None:
        from planner.alternatives import format_alternatives

        echo(f"\nNear-optimal alternatives (NPV within {slack:.0%} of the optimum):\n" + format_alternatives(plan))


def _proposal(spec, target, catalog, scenario_files, set_values, *, show: bool | None):
    """The proposal's options and sensitivity, solved with a progress bar (`show`: None on a terminal only,
    False never)."""
    from planner.progress import ProgressBar
    from planner.proposal import analyse

    if show is not False:
        echo("Solving the options considered and the sensitivity points for the proposal ...", err=True)
    with ProgressBar("Proposal solves", enabled=show) as bar:
        result = analyse(
            spec.loaded,
            target,
            catalog_dirs=tuple(catalog or ()),
            scenario_files=tuple(scenario_files or ()),
            sets=tuple(set_values or ()),
            progress=bar,
        )
    if result.get("not_solved") and show is not False:
        left = [u.get("option") or f"{u['factor']} {u['side']}" for u in result["not_solved"]]
        echo(
            f"{len(left)} of the proposal's solves stopped without a plan within the time limit ({', '.join(left)}): "
            "the proposal leaves them out (raise --time-limit to include them)",
            err=True,
        )
    return result


def _say_report_language(plan) -> None:
    """The reports are in the country's language, chosen for the user: say which, and how to change it."""
    from planner.report import i18n
    from planner.report.local_money import plan_language

    code = plan_language(plan)
    if code != i18n.DEFAULT:
        name = i18n.info(code).name
        echo(f"Reports are in {name} ({code}, the country's report language); --lang en for English")


def _say_slips(spec, say) -> None:
    """Likely slips of unit (cents, seconds, a local currency), said before a plan is built on them."""
    for line in _input_notes(spec.loaded.spec, spec.catalog) if say else []:
        say(line)


def _population_notes(spec, catalog) -> list[str]:
    """Services with more users than the country has people (a service abroad too, or zeros too many)."""
    facts = catalog.countries.get(spec.country.iso2.lower()) if catalog is not None else None
    out = []
    for wid, w in spec.workloads.items():
        users = getattr(w, "users", None)
        if facts and users and users > facts.population_m * 1e6:
            out.append(
                f"note: workloads.{wid}.users is {users:,.0f}, more than {facts.name}'s population "
                f"({facts.population_m:g} M, catalog); users are the service's users in the year it opens: check "
                "for extra zeros"
            )
    return out


def _input_notes(spec, catalog=None) -> list[str]:
    """Values that are valid but most likely slips: latency targets no hardware can meet by orders of magnitude
    (seconds written as milliseconds), a decision date or a training start in the past, electricity prices no
    grid charges (cents, or the local currency, written as dollars), more users than the country has people."""
    from planner.checks import ELECTRICITY_MAX, ELECTRICITY_USUAL_MAX, electricity_readings

    out = []
    for wid, w in spec.workloads.items():
        for key, least, usual in (("ttft_ms", 50, "200-5,000"), ("tpot_ms", 2, "20-100")):
            value = getattr(w, key, None)
            if value is not None and value < least:
                out.append(
                    f"note: workloads.{wid}.{key} is {value:g} ms, below what any hardware serves ({key} is usually "
                    f"{usual} ms); if you meant {value:g} s, write {value * 1000:g}"
                )
    from planner.pipeline import site_names
    from planner.sizing.rules import decision_date

    for sid, name in site_names(spec).items():
        if name != spec.sites[sid].name:
            out.append(
                f"note: sites.{sid}.name `{spec.sites[sid].name}` is another site's name too: the reports call it "
                f"`{name}`; give each site its own name"
            )
    decided = decision_date(spec)
    written = spec.planning.decision_date
    if written is not None and written < decided:
        out.append(
            f"note: planning.decision_date is {written.isoformat()}, in the past: orders are dated from today "
            f"({decided.isoformat()}), and an order the timeline gives for today is due now; set the date the "
            "purchases will really be decided"
        )
    for wid, w in spec.workloads.items():
        start = getattr(w, "earliest_start", None)
        if start is not None and start < decided:
            out.append(
                f"note: workloads.{wid}.earliest_start is {start.isoformat()}, before the purchase decision "
                f"({decided.isoformat()}, planning.decision_date or today): nothing bought or rented for it can run "
                f"then, and its {w.deadline_days:g} days count from {start.isoformat()}; set a later earliest_start"
            )
    out += _population_notes(spec, catalog)
    for sid, site in spec.sites.items():
        price = site.electricity_usd_per_kwh
        if price is not None and ELECTRICITY_USUAL_MAX < price <= ELECTRICITY_MAX:  # above: an input error
            readings = electricity_readings(price, site.jurisdiction, catalog)
            meant = "; if you meant " + " or ".join(readings) if readings else "; check its unit"
            out.append(
                f"note: sites.{sid}.electricity_usd_per_kwh is {price:g} US dollars a kWh, above any grid price "
                f"(0.03-0.40 $/kWh){meant}"
            )
    return out


@app.command()
@reports_errors
def validate(
    country: Annotated[Path, typer.Argument(help="country.yaml to check.")],
    catalog: CatalogDirs = None,
    scenario: ScenarioName = None,
    set_values: SetValues = None,
    scenario_files: ScenarioFiles = None,
) -> None:
    """Check COUNTRY (with a scenario, if given) against the schema and the catalog; list every problem at once."""
    from planner.catalog import load_catalog
    from planner.pipeline import check_all_scenarios, load_spec

    cat = load_catalog(catalog or [])
    loaded = load_spec(country, cat, scenario=scenario, sets=set_values or [], scenario_files=scenario_files or [])
    names = check_all_scenarios(country, cat, sets=set_values or [], scenario_files=scenario_files or [])
    listed = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
    echo(f"{country}: OK" + (f" (and its scenarios: {listed})" if names else ""))
    spec = loaded.spec
    for site_id, site in spec.sites.items():  # a price the plan cannot use: its hardware is not on the shortlist
        idle = sorted(h for h in site.rent_usd_per_accelerator_hour if spec.hardware and h not in spec.hardware)
        if idle:
            echo(
                f"note: sites.{site_id}.rent_usd_per_accelerator_hour prices {', '.join(f'`{h}`' for h in idle)}, "
                "which `hardware:` does not list: the plan will not rent it; add it to `hardware:` to consider it"
            )
    iso2 = spec.country.iso2
    if iso2.lower() not in cat.countries:
        echo(
            f"note: {iso2} is not in the country catalog: sites must give pue and "
            "electricity_usd_per_kwh, emissions are counted only where a site gives grid_gco2_per_kwh, staff are "
            "not costed, key figures have no local-currency line and reports are in English unless --lang says "
            "otherwise; to add the country, write its entry in a catalog directory of your own and pass "
            "--catalog DIR (docs/catalog.md)"
        )
    for line in _input_notes(spec, cat):
        echo(line)
    salary_set = any(c and c.staff_usd_per_fte_year for c in spec.costs.values())
    for j in sorted({site.jurisdiction for site in spec.sites.values() if not site.is_cloud}):
        facts = cat.countries.get(j.lower())
        if not salary_set and not (facts and facts.staff_usd_per_fte_year):
            echo(
                f"note: the catalog has no staff salary for {j}: operations staff at its sites are not costed (set "
                "costs.staff_platform.staff_usd_per_fte_year to count them); colocation rent and facility fit-out "
                "there are the catalog's general figures, not local ones"
            )


@app.command()
@reports_errors
def report(
    plan_file: Annotated[Path, typer.Argument(help="A plan.json written by `planner size`.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Directory for the reports.")] = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated outputs: md,html,pdf,xlsx.")] = "md,html",
    short: Annotated[
        bool, typer.Option("--short", help="The short report, even when proposal.json lies beside the plan.")
    ] = False,
    lang: Lang = None,
) -> None:
    """Re-render the reports of a saved plan without solving again (from the catalog entries the plan carries;
    the proposal's options and sensitivity from proposal.json beside it, if it was written for this plan)."""
    from jinja2 import UndefinedError

    from planner.errors import InputError, Issue, shown
    from planner.plan import Plan
    from planner.report import i18n
    from planner.report.proposal_file import read_proposal
    from planner.report.write import write_plan_outputs

    wanted = parse_formats(formats) - {"json"}
    plan = Plan.read(plan_file)
    proposal = None if short else read_proposal(plan, plan_file.parent / "proposal.json")
    damaged = (KeyError, TypeError, ValueError, AttributeError, IndexError, ArithmeticError, RecursionError)
    try:
        with i18n.language(lang):
            written = write_plan_outputs(plan, out or plan_file.parent, wanted, proposal)
    except (*damaged, UndefinedError) as exc:  # a valid plan whose figures a template still cannot show
        msg = f"plan.json cannot be rendered ({type(exc).__name__}: {shown(str(exc))}); nothing was written"
        raise InputError([Issue(str(plan_file), "", msg, hint="run `planner size` again to recreate it")]) from None
    echo("Wrote " + ", ".join(str(p) for p in written))


@app.command()
def schema(
    kind: Annotated[str, typer.Argument(help="country (default), catalog or plan (plan.json).")] = "country",
    text: Annotated[bool, typer.Option("--text", help="A readable list of keys instead of JSON Schema.")] = False,
) -> None:
    """Print the JSON Schema of country.yaml (or of a catalog file, or of plan.json) for editors, or `--text`."""
    import json

    from planner.plan import Plan
    from planner.schema.catalog import CatalogFile
    from planner.schema.country import CountrySpec

    models = {"country": CountrySpec, "catalog": CatalogFile, "plan": Plan}
    if kind not in models:
        echo(f"error: unknown schema `{kind}`; use country, catalog or plan", err=True)
        raise typer.Exit(2)
    if text:
        from planner.schema.describe import describe

        echo("\n".join(describe(models[kind])))
        return
    echo(json.dumps(models[kind].model_json_schema(), indent=2))


def _proposal_form(short: bool) -> bool:
    """The proposal unless --short or PLANNER_REPORT_FORM=short (the test suite sets it: most tests need the plan,
    not fifteen more solves)."""
    import os

    return not short and os.environ.get("PLANNER_REPORT_FORM", "proposal").strip().lower() != "short"


def _with_solver_options(spec: Any, solver: str | None, time_limit: float | None) -> Any:
    from planner.errors import InputError, Issue

    if solver is not None and solver not in ("highs", "cbc"):
        raise InputError([Issue("--solver", "", f"unknown solver `{solver}`", hint="use highs or cbc")])
    if time_limit is not None and (not math.isfinite(time_limit) or not 0 < time_limit <= MAX_TIME_LIMIT_S):
        msg = f"must be a positive number of seconds, at most {MAX_TIME_LIMIT_S:,} (got {time_limit:g})"
        raise InputError([Issue("--time-limit", "", msg, hint="e.g. --time-limit 60")])
    return spec.with_solver(solver, time_limit)


def _version(value: bool) -> None:
    if value:
        from planner._version import __version__

        echo(f"planner {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Size, place and cost the hardware of a national (sovereign) AI programme."""


def _register_subcommands() -> None:
    from planner.cli_catalog import catalog_app
    from planner.cli_estimate import estimate_app
    from planner.cli_whatif import register_whatif

    app.add_typer(catalog_app, name="catalog", help="List and show catalog entries with their sources.")
    app.add_typer(estimate_app, name="estimate", help="Training time and serving throughput without solving a plan.")
    register_whatif(app)


def main() -> None:
    """Console-script entry point: an unexpected exception (a bug) prints one line, logs its traceback, exits 70."""
    import sys

    _register_subcommands()
    sys.stderr = _SafeStream(sys.stderr)  # Click's own usage errors quote option values as given
    try:
        app()
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback on the terminal
        log = _write_crash_log(exc)
        where = f"; the traceback is in {log}" if log else ""
        kind = type(exc).__name__
        echo(
            f"internal error ({kind}): this is a bug in planner, please report it with the command you ran{where}",
            err=True,
        )
        raise SystemExit(EXIT_INTERNAL) from None


class _SafeStream:
    """A text stream that escapes control characters (ESC, BEL, bidi overrides) in everything written to it."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from planner.errors import terminal_safe

        return self._stream.write(terminal_safe(text) if isinstance(text, str) else text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _write_crash_log(exc: BaseException) -> str | None:
    """Write the traceback (with the command line and version) to a new file in the temp directory."""
    import sys
    import tempfile
    import traceback

    from planner._version import __version__

    try:
        fd, path = tempfile.mkstemp(prefix="planner-crash-", suffix=".log")
        with open(fd, "w", encoding="utf-8", errors="replace") as handle:
            handle.write(f"planner {__version__}, Python {sys.version.split()[0]}\n")
            handle.write("command: " + " ".join(sys.argv) + "\n\n")
            handle.write("".join(traceback.format_exception(exc)))
    except OSError:
        return None
    return path
