"""Write a run's files all or nothing: stage every file in a hidden directory beside the targets, then swap.

- Staging: each file of the run is written (and flushed to disk) into `.planner-staging.<pid>.<random>/` inside the
  output directory, so the swap is a rename on one file system. A failure or Ctrl-C while staging removes the
  staging directory and leaves the previous outputs byte-identical.
- Swap: every target that already exists is first hard-linked into the staging directory, then the staged files
  are renamed over the targets with SIGINT, SIGTERM and SIGHUP held back (they are handled right after). If a
  rename fails, the targets already replaced are put back from those links: the directory holds either every
  file of the previous run or every file of this one. (Only SIGKILL or a power cut inside the few microseconds of
  the swap can leave a mix.)
- Files get the usual mode of new files (0666 less the umask, e.g. 0644), not the 0600 of temporary files.
- Staging directories left by a killed run (its process is gone), and the `.NAME.*.tmp` files of earlier versions,
  are removed by the next run that writes into the same directory.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from planner.errors import EXIT_INTERRUPTED, PlannerError

STAGING_PREFIX = ".planner-staging"
_STAGING = re.compile(rf"^{re.escape(STAGING_PREFIX)}\.(\d+)\.")
_LEGACY_TMP = re.compile(r"^\.(.+)\.[A-Za-z0-9_]{6,12}\.tmp$")
_DEFERRED = ("SIGINT", "SIGTERM", "SIGHUP")


class OutputError(PlannerError):
    """An output file cannot be written (the previous outputs are left as they were)."""


class InterruptedAfterWriting(PlannerError):
    """Ctrl-C (or SIGTERM) arrived while the new outputs were being swapped in; they were completed first."""

    exit_code = EXIT_INTERRUPTED


def file_mode() -> int:
    """Mode of a new file under the current umask (0o644 for the usual 022)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no way to read the umask without setting it elsewhere
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, content: str | bytes) -> None:
    """Replace `path` with `content` so a reader never sees a half-written file."""
    write_all_atomic({path: content})


def write_all_atomic(files: Mapping[Path, str | bytes], remove: tuple[Path, ...] = ()) -> list[Path]:
    """Replace several files all or nothing (see the module docstring); return their paths. `remove`: files of an
    earlier run that this one replaces without writing (a PDF beside a new plan.json written without one), removed
    in the same swap.

    Raises OutputError (nothing changed) when a file cannot be written, and re-raises KeyboardInterrupt (nothing
    changed) when interrupted while staging."""
    by_dir: dict[Path, list[Path]] = {}
    for path in files:
        by_dir.setdefault(path.parent, []).append(path)
    staging: dict[Path, Path] = {}
    current: Path | None = None
    try:
        mode = file_mode()
        for directory, paths in by_dir.items():
            current = directory
            directory.mkdir(parents=True, exist_ok=True)
            remove_stale(directory, [p.name for p in paths])
            staging[directory] = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}.{os.getpid()}.", dir=directory))
        staged = {}
        for path, content in files.items():
            current = path
            staged[path] = _stage(staging[path.parent] / path.name, content, mode)
        for path in files:
            current = path
            if path.is_dir() and not path.is_symlink():
                raise IsADirectoryError(21, "is a directory", str(path))
        _swap(staged, staging, [p for p in remove if p not in files and p.parent in staging and p.is_file()])
    except OSError as exc:  # --out is a file, read-only, on a full disk, ...
        reason = exc.strerror or str(exc)
        where = current.parent if current in files else current
        raise OutputError(f"cannot write {current}: {reason}; nothing was changed in {where}") from None
    finally:
        for directory in staging.values():
            shutil.rmtree(directory, ignore_errors=True)
    return list(files)


def _stage(tmp: Path, content: str | bytes, mode: int) -> Path:
    """Write `content` to `tmp` (a new file in the staging directory) with `mode`, flushed to disk."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        os.fchmod(handle.fileno(), mode)
    return tmp


def _swap(staged: dict[Path, Path], staging: dict[Path, Path], remove: list[Path]) -> None:
    """Rename every staged file over its target and remove the `remove` files; on failure put back the targets
    already replaced or removed."""
    backups: dict[Path, Path | None] = {}
    for path in [*staged, *remove]:
        backup = staging[path.parent] / f".previous.{path.name}"
        backups[path] = backup
        try:
            os.link(path, backup, follow_symlinks=False)
        except FileNotFoundError:
            backups[path] = None  # a new file: undoing it means removing it
        except OSError:  # a file system without hard links: copy instead
            shutil.copy2(path, backup, follow_symlinks=False)
    done: list[Path] = []
    with _signals_held() as held:
        try:
            for path, tmp in staged.items():
                os.replace(tmp, path)
                done.append(path)
            for path in remove:
                path.unlink()
                done.append(path)
        except BaseException:
            for path in reversed(done):
                with contextlib.suppress(OSError):
                    backup = backups[path]
                    if backup is None:
                        path.unlink()
                    else:
                        os.replace(backup, path)
            raise
    if held:
        where = ", ".join(sorted({str(p.parent) for p in staged}))
        msg = f"interrupted ({held[0]}) after the new outputs were written; {where} holds this run's files"
        raise InterruptedAfterWriting(msg)


@contextlib.contextmanager
def _signals_held() -> Iterator[list[str]]:
    """Hold SIGINT, SIGTERM and SIGHUP back for the duration (main thread only); yield the names of those that
    arrived, to be acted on afterwards."""
    arrived: list[str] = []
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for name in _DEFERRED:
            number = getattr(signal, name, None)
            if number is None:
                continue
            try:
                previous[number] = signal.signal(
                    number, lambda signum, frame: arrived.append(signal.Signals(signum).name)
                )
            except (ValueError, OSError):  # pragma: no cover - not the main interpreter
                continue
    try:
        yield arrived
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def remove_stale(directory: Path, names: list[str]) -> None:
    """Remove staging directories of runs whose process is gone, and old-style `.NAME.xxxx.tmp` files of the
    files about to be written (or of any planner output)."""
    owned = {*names, *PLANNER_OUTPUTS}
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        staging = _STAGING.match(entry.name)
        if staging and entry.is_dir(follow_symlinks=False) and not _alive(int(staging.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)
            continue
        legacy = _LEGACY_TMP.match(entry.name)
        if legacy and legacy.group(1) in owned and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


PLANNER_OUTPUTS = (
    "plan.json",
    "report.md",
    "report.html",
    "report.pdf",
    "bom.xlsx",
    "comparison.json",
    "comparison.md",
    "comparison.html",
    "sweep.json",
    "sweep.md",
    "sweep.html",
)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # this process: its own staging directories are removed by the run that made them
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


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
