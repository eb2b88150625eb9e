"""Render the report view model: Jinja for HTML (autoescaped) and Markdown (escaped for tables)."""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from planner.report import tr
from planner.report.fmt import code_spans, md_escape
from planner.resources import bundled_dir


@functools.cache
def environment(kind: str = "html") -> jinja2.Environment:
    """Jinja environment over the bundled templates; undefined names are errors.

    HTML escapes every value (user text such as a country name shows as text); Markdown escapes `|` and `<`
    in every value so user text cannot break a table or open raw HTML.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(bundled_dir("templates")),
        autoescape=kind == "html",
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=md_escape if kind == "md" else None,
    )
    env.filters["code"] = code_spans if kind == "html" else (lambda s: s)
    env.globals.setdefault("_", tr._)  # the i18n extension, where installed, provides it instead
    return env


def render(template: str, context: dict[str, Any]) -> str:
    """Render one template (report.html.j2, report.md.j2) with the view model."""
    kind = "md" if template.endswith(".md.j2") else "html"
    return environment(kind).get_template(template).render(**context)
