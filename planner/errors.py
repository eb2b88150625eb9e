"""Errors the planner reports to users, and the exit codes they map to."""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_INFEASIBLE = 3
EXIT_SOLVER = 4


@dataclass(frozen=True)
class Issue:
    """One problem found in an input file."""

    file: str
    path: str
    message: str
    line: int | None = None
    hint: str | None = None

    def format(self) -> str:
        """One line: where, what, and what to do."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f"  {self.path}" if self.path else ""
        hint = f"  (hint: {self.hint})" if self.hint else ""
        return f"{where}{field}: {self.message}{hint}"


class PlannerError(Exception):
    """Base of errors shown to the user without a traceback."""

    exit_code = EXIT_INPUT


class InputError(PlannerError):
    """One or more problems in a user's input or catalog files."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__(self.format())

    def format(self) -> str:
        """All problems, grouped under a count."""
        count = len(self.issues)
        head = f"{count} problem{'s' if count != 1 else ''} found:"
        return "\n".join([head, *("  " + i.format() for i in self.issues)])


class SolverError(PlannerError):
    """The solver is missing, failed, or ran out of time without a plan."""

    exit_code = EXIT_SOLVER
