"""Command line: thin commands that parse options, call the library, print, and map errors to exit codes.

Heavy libraries (pydantic, PuLP, Jinja) are imported inside commands so `planner --help` stays fast.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from planner.errors import EXIT_INFEASIBLE, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, PlannerError, echo

app = typer.Typer(
    name="planner",
    help="Size, place and cost the hardware of a national (sovereign) AI programme.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ScenarioName = Annotated[
    str | None,
    typer.Option("--scenario", "-s", help="Scenario or override to apply (own, or built-in: ascend_only, ...)."),
]
SetValues = Annotated[
    list[str] | None,
    typer.Option("--set", help="KEY=VALUE override applied last, e.g. budget.capex_usd=90e6 (repeatable)."),
]
ScenarioFiles = Annotated[
    list[Path] | None,
    typer.Option("--scenarios", help="YAML file with more `overrides` and `scenarios` (repeatable)."),
]
RuleCosts = Annotated[
    bool, typer.Option("--rule-costs", help="Also solve without each sovereignty rule and report what it costs.")
]
CatalogDirs = Annotated[
    list[Path] | None,
    typer.Option("--catalog", help="Extra catalog directory (repeatable); its entries override bundled ones."),
]
FORMATS = ("json", "md", "html", "pdf", "xlsx")
MAX_TIME_LIMIT_S = 7 * 24 * 3600


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Print PlannerErrors as plain messages with their exit code (no traceback); Ctrl-C says what was kept."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PlannerError as exc:
            echo(f"error: {exc}" if not hasattr(exc, "issues") else exc.format(), err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            echo("interrupted: no output was changed (files from an earlier run are as they were)", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper


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
) -> None:
    """Size a deployment for COUNTRY and write plan.json, report.md and report.html."""
    from planner.catalog import load_catalog
    from planner.pipeline import load_spec
    from planner.pipeline import size as run_size
    from planner.summary import summary_text

    wanted = _parse_formats(formats)
    cat = load_catalog(catalog or [])
    loaded = load_spec(country, cat, scenario=scenario, sets=set_values or [], scenario_files=scenario_files or [])
    loaded = _with_solver_options(loaded, solver, time_limit)
    plan = run_size(loaded, cat)
    if rule_costs:
        from planner.rulecost import rule_costs as price_rules

        plan["rule_costs"] = price_rules(loaded, cat, plan)
    written = write_outputs(plan, cat, out, wanted)
    if not quiet:
        echo(summary_text(plan))
        echo("\nWrote " + ", ".join(str(p) for p in written))
    elif plan["status"] == "infeasible":
        echo("infeasible: no plan meets every requirement; see the diagnosis in plan.json", err=True)
    raise typer.Exit(EXIT_INFEASIBLE if plan["status"] == "infeasible" else EXIT_OK)


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
    from planner.pipeline import load_spec
    from planner.scenarios import check_all_scenarios

    cat = load_catalog(catalog or [])
    load_spec(country, cat, scenario=scenario, sets=set_values or [], scenario_files=scenario_files or [])
    names = check_all_scenarios(country, cat, sets=set_values or [], scenario_files=scenario_files or [])
    listed = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
    echo(f"{country}: OK" + (f" (and its scenarios: {listed})" if names else ""))


@app.command()
@reports_errors
def report(
    plan_file: Annotated[Path, typer.Argument(help="A plan.json written by `planner size`.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Directory for the reports.")] = None,
    catalog: CatalogDirs = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated outputs: md,html,pdf,xlsx.")] = "md,html",
) -> None:
    """Re-render the reports of a saved plan without solving again."""
    import json

    from planner.catalog import load_catalog
    from planner.errors import InputError, Issue, shown

    try:
        plan = json.loads(plan_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError([Issue(str(plan_file), "", f"cannot read plan: {exc}")]) from None
    except RecursionError:
        raise InputError([Issue(str(plan_file), "", "cannot read plan: nested too deeply")]) from None
    if not isinstance(plan, dict) or not {"status", "country", "years", "totals", "planner_version"} <= set(plan):
        msg = "this is not a plan.json written by `planner size`"
        hint = "comparison.json and sweep.json are rendered by `planner compare` and `planner sweep`"
        raise InputError([Issue(str(plan_file), "", msg, hint=hint)])
    wanted = _parse_formats(formats) - {"json"}
    cat = load_catalog(catalog or [])
    from jinja2 import UndefinedError  # a template reading a key that a damaged plan lacks

    damaged = (KeyError, TypeError, ValueError, AttributeError, IndexError, ArithmeticError, RecursionError)
    try:
        written = write_outputs(plan, cat, out or plan_file.parent, wanted)
    except (*damaged, UndefinedError) as exc:
        # a plan.json edited by hand or cut short: say so instead of a traceback
        msg = f"plan.json is incomplete or damaged ({type(exc).__name__}: {shown(str(exc))}); nothing was written"
        raise InputError([Issue(str(plan_file), "", msg, hint="run `planner size` again to recreate it")]) from None
    echo("Wrote " + ", ".join(str(p) for p in written))


@app.command()
def schema(
    kind: Annotated[str, typer.Argument(help="country (default) or catalog.")] = "country",
    text: Annotated[bool, typer.Option("--text", help="A readable list of keys instead of JSON Schema.")] = False,
) -> None:
    """Print the JSON Schema of country.yaml (or of a catalog file) for editors, or `--text` for people."""
    import json

    from planner.schema.catalog import CatalogFile
    from planner.schema.country import CountrySpec

    models = {"country": CountrySpec, "catalog": CatalogFile}
    if kind not in models:
        echo(f"error: unknown schema `{kind}`; use country or catalog", err=True)
        raise typer.Exit(2)
    if text:
        from planner.schema.describe import describe

        echo("\n".join(describe(models[kind])))
        return
    echo(json.dumps(models[kind].model_json_schema(), indent=2))


def write_outputs(plan: dict[str, Any], catalog: Any, out: Path, formats: set[str]) -> list[Path]:
    """Write the chosen formats atomically into `out`; return the paths written.

    Everything is rendered first and written afterwards, so a failure leaves the previous outputs intact. If
    the PDF cannot be made (WeasyPrint missing), the other formats are still written and the error is raised
    after them.
    """
    from planner.errors import PlannerError
    from planner.outputs import plan_json, write_all_atomic

    rendered: dict[str, str | bytes] = {}
    if "json" in formats:
        rendered["plan.json"] = plan_json(plan)
    pdf_error: PlannerError | None = None
    if formats & {"md", "html", "pdf", "xlsx"}:
        from planner.report.context import report_context
        from planner.report.render import render

        context = report_context(plan, catalog)
        if "md" in formats:
            rendered["report.md"] = render("report.md.j2", context)
        html = render("report.html.j2", context) if formats & {"html", "pdf"} else ""
        if "html" in formats:
            rendered["report.html"] = html
        if "xlsx" in formats:
            from planner.report.xlsx import bom_workbook

            rendered["bom.xlsx"] = bom_workbook(plan, catalog)
        if "pdf" in formats:
            from planner.report.pdf import html_to_pdf

            try:
                rendered["report.pdf"] = html_to_pdf(html)
            except PlannerError as exc:
                pdf_error = exc
    paths = write_all_atomic({out / name: content for name, content in rendered.items()})
    if pdf_error is not None:
        raise pdf_error
    return paths


def _parse_formats(text: str) -> set[str]:
    from planner.errors import InputError, Issue

    wanted = {f.strip().lower() for f in text.split(",") if f.strip()}
    unknown = wanted - set(FORMATS)
    if unknown or not wanted:
        msg = f"unknown output format(s): {', '.join(sorted(unknown)) or '(none given)'}"
        raise InputError([Issue("--format", "", msg, hint=f"choose from {', '.join(FORMATS)}")])
    return wanted


def _with_solver_options(loaded: Any, solver: str | None, time_limit: float | None) -> Any:
    from dataclasses import replace

    from planner.errors import InputError, Issue

    options = loaded.spec.solver
    if solver is not None:
        if solver not in ("highs", "cbc"):
            raise InputError([Issue("--solver", "", f"unknown solver `{solver}`", hint="use highs or cbc")])
        options = options.model_copy(update={"name": solver})
    if time_limit is not None:
        if not math.isfinite(time_limit) or not 0 < time_limit <= MAX_TIME_LIMIT_S:
            msg = f"must be a positive number of seconds, at most {MAX_TIME_LIMIT_S:,} (got {time_limit:g})"
            raise InputError([Issue("--time-limit", "", msg, hint="e.g. --time-limit 60")])
        options = options.model_copy(update={"time_limit_s": time_limit})
    return replace(loaded, spec=loaded.spec.model_copy(update={"solver": options}))


def _version(value: bool) -> None:
    if value:
        from planner import __version__

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

    from planner import __version__

    try:
        fd, path = tempfile.mkstemp(prefix="planner-crash-", suffix=".log")
        with open(fd, "w", encoding="utf-8", errors="replace") as handle:
            handle.write(f"planner {__version__}, Python {sys.version.split()[0]}\n")
            handle.write("command: " + " ".join(sys.argv) + "\n\n")
            handle.write("".join(traceback.format_exception(exc)))
    except OSError:
        return None
    return path
