"""Write plan files atomically: temporary files beside the targets, then renames.

A run that fails or is interrupted (Ctrl-C) before the renames leaves the previous outputs byte-identical and no
temporary file behind; `write_all_atomic` stages every file of a run first, so plan.json and the reports change
together (only the renames themselves, microseconds apart, can be interrupted between two files).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from planner.errors import PlannerError


class OutputError(PlannerError):
    """An output file cannot be written (the previous outputs are left as they were)."""


def _stage(path: Path, content: str | bytes) -> Path:
    """Write `content` to a new temporary file beside `path` (flushed to disk) and return its path."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(path: Path, content: str | bytes) -> None:
    """Replace `path` with `content` so a reader never sees a half-written file."""
    write_all_atomic({path: content})


def write_all_atomic(files: Mapping[Path, str | bytes]) -> list[Path]:
    """Replace several files: stage them all, then rename each into place; on any failure (KeyboardInterrupt
    included) remove every temporary file and leave the targets as they were."""
    staged: dict[Path, Path] = {}
    current: Path | None = None
    replaced = 0  # files already renamed into place when a rename fails
    try:
        for path, content in files.items():
            current = path
            path.parent.mkdir(parents=True, exist_ok=True)
            staged[path] = _stage(path, content)
        for done, (path, tmp) in enumerate(staged.items()):
            current, replaced = path, done
            os.replace(tmp, path)
    except BaseException as exc:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):  # --out is a file, read-only, on a full disk, ...
            reason = exc.strerror or str(exc)
            changed = f"{replaced} file(s) were already replaced" if replaced else "nothing was changed"
            raise OutputError(f"cannot write {current}: {reason}; {changed} in {current.parent}") from None
        raise
    return list(staged)


def plan_json(plan: dict[str, Any]) -> str:
    """plan.json text: sorted keys where order carries no meaning, stable float formatting.

    JSON has no infinity or NaN; a plan holding one (from an absurdly large input) is refused with its key."""
    try:
        return json.dumps(plan, indent=2, sort_keys=True, allow_nan=False) + "\n"
    except ValueError:
        where = _non_finite(plan, "") or "?"
        msg = f"plan.json cannot hold the non-finite number at `{where}`; an input number is absurdly large"
        raise OutputError(msg) from None


def _non_finite(value: Any, path: str) -> str | None:
    """Path of the first infinite or NaN float in a JSON-like value."""
    if isinstance(value, float):
        return None if math.isfinite(value) else path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list | tuple) else ()
    for key, child in items:
        found = _non_finite(child, f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}".lstrip("."))
        if found:
            return found
    return None
