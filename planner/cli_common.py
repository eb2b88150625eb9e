"""Options, error reporting and format parsing shared by every command of the CLI."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from planner.errors import EXIT_INTERRUPTED, EXIT_USAGE, PlannerError, echo

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
ClusterAddress = Annotated[
    str | None,
    typer.Option(
        "--cluster",
        metavar="ADDRESS",
        help="Run the solves on a running Dask cluster (its scheduler, e.g. tcp://10.0.0.5:8786), or `local[:N]` "
        "for a temporary one on this machine. Default: local worker processes, no set-up.",
    ),
]
ShowProgress = Annotated[
    bool | None,
    typer.Option("--progress/--no-progress", help="Progress bar on stderr (default: only on a terminal)."),
]


def _checked_lang(code: str | None) -> str | None:
    """--lang names a supported language; a wrong one is a usage error (exit 2), said in one line."""
    if code is None:
        return None
    from planner.errors import InputError
    from planner.report import i18n

    try:
        return i18n.normalize(code)
    except InputError:
        echo(f"error: --lang: unsupported language `{code}`; choose from {', '.join(i18n.LANGUAGES)}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


Lang = Annotated[
    str | None,
    typer.Option(
        "--lang",
        callback=_checked_lang,
        help="Language of the reports: en, zh_Hans, ar, ms, id, ru, fr (default: the country catalog's "
        "report_language, or PLANNER_LANG).",
    ),
]
FORMATS = ("json", "md", "html", "pdf", "xlsx")


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


class BadOptionValue(PlannerError):
    """A command-line option given a value it does not take: a usage error (exit 2), as the README's table says."""

    exit_code = EXIT_USAGE


def parse_formats(text: str) -> set[str]:
    """The formats a `--format` list names; an unknown one is a usage error listing the valid ones."""
    wanted = {f.strip().lower() for f in text.split(",") if f.strip()}
    unknown = wanted - set(FORMATS)
    if unknown or not wanted:
        given = ", ".join(f"`{f}`" for f in sorted(unknown)) or "(none given)"
        raise BadOptionValue(f"--format: unknown output format {given}; choose from {', '.join(FORMATS)}")
    return wanted


def check_out(out: Path) -> None:
    """The output directory can be made: a file of that name, or one on the way to it, is an error now."""
    from planner.errors import InputError, Issue

    for part in (out, *out.parents):
        if part.exists():
            if not part.is_dir():
                msg = f"`{part}` is a file, not a directory" + ("" if part == out else f", so `{out}` cannot be made")
                raise InputError([Issue("--out", "", msg, hint="choose another --out directory")])
            return
