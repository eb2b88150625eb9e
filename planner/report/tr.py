"""The one place the proposal's code gets its gettext call from.

`_` is the report language's translation (planner.report.i18n, with `%(name)s` placeholders filled from keyword
arguments); where that module is absent, a stand-in that only fills the placeholders, so English still renders.
"""

from __future__ import annotations

from typing import Any

try:
    from planner.report.i18n import _
except ImportError:  # pragma: no cover - only before the i18n module exists

    def _(message: str, **values: Any) -> str:
        """`message` with `%(name)s` placeholders filled (no translation)."""
        return message % values if values else message


__all__ = ["_"]
