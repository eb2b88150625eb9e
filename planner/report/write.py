"""Write a typed plan's outputs: plan.json and the reports, all rendered first, then written together."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import PlannerError
from planner.outputs import write_all_atomic

if TYPE_CHECKING:
    from planner.plan import Plan

FORMATS = ("json", "md", "html", "pdf", "xlsx")
PLAN_FILES = ("plan.json", "proposal.json", "report.md", "report.html", "report.pdf", "bom.xlsx")
"""The files `planner size` writes for one plan."""


def write_plan_outputs(plan: Plan, out: Path, formats: set[str], proposal: dict[str, Any] | None = None) -> list[Path]:
    """Write the chosen formats atomically into `out`; return the paths written.

    With `proposal` (planner.proposal.analyse: options and sensitivity solved for this plan) the reports are
    the full proposal, and proposal.json is written beside plan.json so `planner report` can render it again.

    Everything is rendered first and written afterwards, so a failure leaves the previous outputs intact. If
    the PDF cannot be made (WeasyPrint missing), the other formats are still written and the error is raised
    after them.
    """
    rendered: dict[str, str | bytes] = {}
    if "json" in formats:
        rendered["plan.json"] = plan.to_json()
        if proposal is not None:
            rendered["proposal.json"] = json.dumps(proposal, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    pdf_error: PlannerError | None = None
    if formats & {"md", "html", "pdf", "xlsx"}:
        from planner.report import i18n
        from planner.report.local_money import plan_language

        with i18n.language(plan_language(plan)):
            pdf_error = _render_reports(plan, formats, rendered, proposal)
    # a new plan.json: the reports of the plan it replaces go with it (a PDF of the last run beside this plan)
    stale = tuple(out / name for name in PLAN_FILES) if "plan.json" in rendered else ()
    paths = write_all_atomic({out / name: content for name, content in rendered.items()}, remove=stale)
    if pdf_error is not None:
        raise pdf_error
    return paths


def _render_reports(
    plan: Plan, formats: set[str], rendered: dict[str, str | bytes], proposal: dict[str, Any] | None = None
) -> PlannerError | None:
    """Render the chosen reports into `rendered` in the current language; the PDF's error, if it failed."""
    from planner.report.context import report_context
    from planner.report.local_money import local_currency
    from planner.report.render import render

    pdf_error: PlannerError | None = None
    context = report_context(plan, proposal)
    context["local_currency"] = local_currency(plan) if plan.feasible else None
    if "md" in formats:
        rendered["report.md"] = render("report.md.j2", context)
    html = render("report.html.j2", context) if formats & {"html", "pdf"} else ""
    if "html" in formats:
        rendered["report.html"] = html
    if "xlsx" in formats:
        from planner.report.xlsx import bom_workbook

        rendered["bom.xlsx"] = bom_workbook(plan)
    if "pdf" in formats:
        from planner.report import i18n
        from planner.report.pdf import html_to_pdf
        from planner.report.svg_bidi import shape_svg_text

        try:
            rendered["report.pdf"] = html_to_pdf(shape_svg_text(html) if i18n.info().rtl else html)
        except PlannerError as exc:
            pdf_error = exc
    return pdf_error
