"""Render the report view model: Jinja for HTML (autoescaped) and Markdown (escaped for tables)."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import jinja2
from markupsafe import Markup, escape

from planner.report import i18n
from planner.report.fmt import code_spans, date_long, dec, md_escape
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
        finalize=(lambda v: md_escape(ltr_dates(v))) if kind == "md" else ltr_dates,
        extensions=["jinja2.ext.i18n"],
    )
    # `_()` / `{% trans %}` translate into the language being written (planner.report.i18n.current())
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
    env.filters["code"] = code_spans if kind == "html" else (lambda s: s)
    env.filters["date"] = date_long
    env.filters["dec"] = dec
    env.filters["t"] = i18n.gettext  # a label the view model hands over (listed in labels.py), not a literal
    env.filters["bidi"] = left_to_right_run if kind == "html" else (lambda s: s)
    return env


_ISO_DATE = re.compile(r"(?<![\d\u200e/])(\d{4}-\d{2}(?:-\d{2})?)(?![\d/-])")  # not inside a URL's path
_TAG_OR_DATE = re.compile(r"(<[^>]*>)|(?<![\d\u200e/])(\d{4}-\d{2}(?:-\d{2})?)(?![\d/-])")


def ltr_dates(value: object) -> object:
    """On a right-to-left page, an ISO date in running text gets a left-to-right mark before it: after Arabic
    letters its digits otherwise read as Arabic numbers, and 2027-01-15 showed as 15-01-2027. In markup (HTML
    the view model built, charts) only text outside tags is touched."""
    if not isinstance(value, str) or not i18n.info().rtl:
        return value
    if isinstance(value, Markup):
        return Markup(_TAG_OR_DATE.sub(lambda m: m.group(1) or "\u200e" + m.group(2), str(value)))
    return _ISO_DATE.sub("\u200e\\1", value)


def left_to_right_run(text: object) -> object:
    """On a right-to-left page, text that starts in a left-to-right script (an English sentence, a hardware or
    site name such as "AMD Instinct MI300X 8-GPU server") is set in its own left-to-right span, so its words and
    numbers keep their order; elsewhere the text is returned as it is (escaped by autoescape as usual).

    WeasyPrint has no `dir="auto"` nor `unicode-bidi: isolate`, so the direction is decided here."""
    if not i18n.info().rtl or not isinstance(text, str):
        return text
    if _has_right_to_left(text):
        # a translated sentence with names in it ("Malaysia تشتري ...", "7 × NVIDIA DGX B200 (56 مسرّعاً)"): it
        # reads right to left, each Latin name in a left-to-right span so the numbers and brackets beside it keep
        # their place, and year ranges pinned, else 2028–2030 shows as 2030–2028
        if isinstance(text, Markup):
            return Markup(_YEAR_RANGE.sub(r'<span dir="ltr">\g<0></span>', str(text)))
        return _runs_left_to_right(text)
    if _first_strong(text) != "L":
        return text
    return Markup('<span dir="ltr">') + escape(text) + Markup("</span>")


_YEAR_RANGE = re.compile(r"\d+–\d+")
# a name or English phrase inside a right-to-left sentence: Latin letters first, then letters, digits, spaces and
# the punctuation of model and product names, with bracketed Latin words ("Johor (Kulai) colocation hall"), ending
# on a letter, digit or closing bracket; or a range of years
# ids and keys keep their underscores, `=` and commas inside the run (`atlas_300i_duo_box`, `tp=1,pp=8`): split at
# them, each piece would get its own span and the pieces would read right to left
_LTR_RUN = re.compile(r"[A-Za-z](?:[A-Za-z0-9.\-/+_=, ]|\([A-Za-z0-9.\-/+_=, ]*\))*(?<=[A-Za-z0-9)])|\d+–\d+")


def _runs_left_to_right(text: str) -> Markup:
    pieces, start = [], 0
    for run in _LTR_RUN.finditer(text):
        span = Markup('<span dir="ltr">') + escape(run.group(0)) + Markup("</span>")
        pieces += [escape(text[start : run.start()]), span]
        start = run.end()
    return Markup("").join([*pieces, escape(text[start:])])


def _has_right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in re.sub(r"<[^>]*>", "", text))


def _first_strong(text: str) -> str:
    """The bidi class (L or R) of the first strongly directional character, "" if there is none."""
    for char in re.sub(r"<[^>]*>", "", str(text)):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
    return ""


def render(template: str, context: dict[str, Any]) -> str:
    """Render one template (report.html.j2, report.md.j2) with the view model, in the current language: the
    templates also get `lang` (the BCP 47 tag) and `dir` (ltr, or rtl for Arabic)."""
    kind = "md" if template.endswith(".md.j2") else "html"
    lang = i18n.info()
    page = {"lang": lang.html, "dir": "rtl" if lang.rtl else "ltr"}
    return environment(kind).get_template(template).render(**{**page, **context})
