"""Render the report view model through the Jinja templates (HTML autoescaped, self-contained)."""

from __future__ import annotations

from typing import Any

import jinja2

from planner.resources import bundled_dir


def environment() -> jinja2.Environment:
    """Jinja environment over the bundled templates; undefined names are errors, HTML is escaped."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(bundled_dir("templates")),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, context: dict[str, Any]) -> str:
    """Render one template (e.g. report.html.j2) with the view model."""
    return environment().get_template(template).render(**context)
