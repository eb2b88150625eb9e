"""Render the report view model: Jinja for HTML (autoescaped) and Markdown (escaped for tables)."""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from planner.report import i18n
from planner.report.fmt import code_spans, date_long, md_escape
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
        extensions=["jinja2.ext.i18n"],
    )
    # `_()` / `{% trans %}` translate into the language being written (planner.report.i18n.current())
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
    env.filters["code"] = code_spans if kind == "html" else (lambda s: s)
    env.filters["date"] = date_long
    return env


def render(template: str, context: dict[str, Any]) -> str:
    """Render one template (report.html.j2, report.md.j2) with the view model, in the current language: the
    templates also get `lang` (the BCP 47 tag) and `dir` (ltr, or rtl for Arabic)."""
    kind = "md" if template.endswith(".md.j2") else "html"
    lang = i18n.info()
    page = {"lang": lang.html, "dir": "rtl" if lang.rtl else "ltr"}
    return environment(kind).get_template(template).render(**{**page, **context})
