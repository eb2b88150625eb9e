"""Number formatting shared by every report format (one place decides how a figure looks)."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from planner.sizing.diagnose import format_usd

__all__ = ["code_spans", "format_usd", "kw", "md_escape", "money_m", "num", "pct", "tokens_rate", "usd_exact"]


def money_m(amount: float, digits: int = 1) -> str:
    """Dollars in millions: $8.12 M (used where figures are compared side by side); a dash for nothing."""
    if amount == 0:
        return "–"
    return f"${amount / 1e6:,.{digits}f} M"


def usd_exact(amount: float) -> str:
    """Whole dollars with thousands separators: $170,000."""
    return f"${amount:,.0f}"


def num(value: float, digits: int = 0) -> str:
    """A count or quantity with thousands separators."""
    return f"{value:,.{digits}f}"


def kw(value: float) -> str:
    """Power in kW, whole numbers: 1,234 kW."""
    return f"{value:,.0f} kW"


def pct(fraction: float) -> str:
    """A fraction as a whole percentage: 43%."""
    return f"{fraction:.0%}"


def tokens_rate(value: float) -> str:
    """Output tokens per second, whole numbers: 187,688 tokens/s."""
    return f"{value:,.0f} tokens/s"


# line breaks of CommonMark and of editors (\r, NEL, U+2028/9) become spaces; other control characters (ESC, BEL)
# and bidi overrides are dropped: report.md stays one line per template line and shows nothing invisible
_MD_BREAKS = re.compile("[\r\n\x0b\x0c\x85\u2028\u2029]+")
_MD_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def md_escape(value: object) -> object:
    """Escape user text for Markdown: `|` would split a table cell, `<` open raw HTML, `[`/`]` start a link or a
    remote image (`![](http://...)`), a line break or a leading `#` a new block (a heading). Backticks are kept: the
    planner's own sentences use them for ids."""
    if not isinstance(value, str):
        return value
    text = _MD_INVISIBLE.sub("", _MD_BREAKS.sub(" ", value))
    text = text.replace("\\|", "|").replace("|", "\\|").replace("<", "&lt;")
    text = text.replace("[", "\\[").replace("]", "\\]")
    return "\\" + text if text.startswith(("#", ">")) else text


_CODE = re.compile(r"`([^`]+)`")


def code_spans(text: str) -> Markup:
    """HTML for a sentence with `ids` in backticks: escaped first, then backticks become <code>."""
    return Markup(_CODE.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(text))))
