"""Where the bundled catalogs and templates live: inside the installed package, or in the source tree."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """`catalogs` or `templates`: the wheel copy (planner/_bundled) first, else the repository's."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    msg = f"bundled {name} not found next to the planner package; reinstall planner"
    raise FileNotFoundError(msg)
