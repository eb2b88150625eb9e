"""The one place the proposal's code gets its gettext call from: the report language's translation
(planner.report.i18n), with `%(name)s` placeholders filled from keyword arguments."""

from __future__ import annotations

from planner.report.i18n import _, ngettext

__all__ = ["_", "ngettext"]
