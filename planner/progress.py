"""A progress bar on stderr for long runs (solves of a sweep, Monte Carlo samples, alternatives).

Shown on a terminal, or when asked for (`--progress`); never on a redirected or captured stream unless asked, so
piped output and tests' captured output hold only what the command prints."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 28


class ProgressBar:
    """`bar(done, total)` redraws `label [#####     ] done/total elapsed`; a no-op when not shown."""

    def __init__(self, label: str, *, enabled: bool | None = None, stream: TextIO | None = None) -> None:
        self.label = label
        # the CLI wraps stderr to escape control characters from inputs; the bar's own carriage return must pass
        # (its label and figures are the planner's, never an input's)
        self.stream = stream or getattr(sys.stderr, "_stream", sys.stderr)
        self.enabled = _isatty(self.stream) if enabled is None else enabled
        self.started = time.monotonic()
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        filled = WIDTH * done // max(total, 1)
        elapsed = time.monotonic() - self.started
        line = f"\r{self.label} [{'#' * filled}{' ' * (WIDTH - filled)}] {done}/{total} {elapsed:,.0f} s"
        self.stream.write(line)
        self.stream.flush()
        self._drawn = True

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False
