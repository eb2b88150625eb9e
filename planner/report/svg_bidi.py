"""Right-to-left text in the PDF's charts.

WeasyPrint draws SVG <text> glyph by glyph, without the bidirectional reordering and Arabic shaping it applies to
HTML text, so an Arabic chart label would come out reversed and unjoined. For the PDF only, each chart label that
holds right-to-left characters is replaced by its shaped glyphs in visual order (arabic-reshaper, python-bidi);
the HTML keeps the logical text, which browsers lay out themselves.
"""

from __future__ import annotations

import html
import re

_TEXT = re.compile(r"(<text\b[^>]*>)(.*?)(</text>)", re.S)
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def visual_order(text: str) -> str:
    """`text` shaped and reordered for a renderer that draws characters left to right as given."""
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text))


def shape_svg_text(page: str) -> str:
    """The page with every right-to-left SVG text label in visual order (other text unchanged)."""

    def fix(m: re.Match[str]) -> str:
        body = html.unescape(m.group(2))
        if not _RTL.search(body):
            return m.group(0)
        return m.group(1) + html.escape(visual_order(body), quote=False) + m.group(3)

    return _TEXT.sub(fix, page)
