"""Errors the planner reports to users, and the exit codes they map to.

Everything shown to the user passes through `terminal_safe` (control characters and bidi overrides from an
input are escaped, never sent to the terminal) and values quoted from an input through `shown` (also cut to
`MAX_SHOWN` characters); an InputError lists at most `MAX_LISTED` problems and counts the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_INFEASIBLE = 3
EXIT_SOLVER = 4
EXIT_INTERNAL = 70
"""An unexpected exception (a bug): the traceback goes to a log file (EX_SOFTWARE of sysexits.h)."""
EXIT_INTERRUPTED = 130

MAX_LISTED = 50
"""Problems listed in one error; the rest are counted ("and N more")."""
MAX_SHOWN = 80
"""Characters of a value from an input quoted in a message."""
_MAX_PART = 400
"""Characters of any one part (file, field path, message, hint) of a problem line."""

# C0 and C1 control characters (tab and newline aside), DEL, line/paragraph separators, bidi controls
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_UNSAFE_ANY = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """`text` with every control character except newline and tab written as an escape (\\x1b, \\u202e)."""
    return _UNSAFE.sub(_escape, text)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text):,} characters)"


def shown(value: Any, limit: int = MAX_SHOWN) -> str:
    """A value from an input, for a message: one line, control characters escaped, at most ~`limit` characters.

    Strings are shown as they are (no quotes); anything else as its repr."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * limit:
        # str() of a huge integer is slow, and refused beyond 4,300 digits
        return f"an integer of about {value.bit_length() * 0.30103:,.0f} digits"
    if isinstance(value, str):
        text, total = value[: limit + 1], len(value)
    else:
        try:
            text = repr(value)
        except (ValueError, RecursionError):
            text = f"<{type(value).__name__}>"
        total = len(text)
    text = _UNSAFE_ANY.sub(_escape, text)
    if total > limit or len(text) > limit:
        return f"{text[: limit - 1]}… ({total:,} characters)"
    return text


@dataclass(frozen=True)
class Issue:
    """One problem found in an input file."""

    file: str
    path: str
    message: str
    line: int | None = None
    hint: str | None = None

    def format(self) -> str:
        """One line: where, what, and what to do (control characters escaped, each part of bounded length)."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f"  {_cut(self.path, 160)}" if self.path else ""
        hint = f"  (hint: {_cut(self.hint, _MAX_PART)})" if self.hint else ""
        text = f"{_cut(where, 240)}{field}: {_cut(self.message, _MAX_PART)}{hint}"
        return _UNSAFE_ANY.sub(_escape, text)


class PlannerError(Exception):
    """Base of errors shown to the user without a traceback."""

    exit_code = EXIT_INPUT


class InputError(PlannerError):
    """One or more problems in a user's input or catalog files."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__(f"{len(issues)} problem(s) found")

    def __str__(self) -> str:
        return self.format()

    def format(self, limit: int = MAX_LISTED) -> str:
        """All problems (the first `limit`, and how many more), grouped under a count."""
        count = len(self.issues)
        head = f"{count:,} problem{'s' if count != 1 else ''} found:"
        # in file order, as a user reads and fixes them (checks run in passes, each adding its own problems)
        shown = sorted(self.issues, key=lambda i: (i.file, i.line is None, i.line or 0))
        lines = [head, *("  " + i.format() for i in shown[:limit])]
        if count > limit:
            lines.append(f"  ... and {count - limit:,} more (fix these first, then run again)")
        return "\n".join(lines)


class SolverError(PlannerError):
    """The solver is missing, failed, or ran out of time without a plan."""

    exit_code = EXIT_SOLVER


class SolverTimeout(SolverError):
    """The solver's time limit ran out before it found any plan (a longer limit may find one)."""


def echo(text: str = "", err: bool = False) -> None:
    """Print for the user (stdout, or stderr with `err`), control characters from any input escaped."""
    import typer

    typer.echo(terminal_safe(text), err=err)
