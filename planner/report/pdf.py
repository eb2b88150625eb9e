"""report.pdf: the same HTML as report.html, laid out by WeasyPrint (imported only when a PDF is asked for).

The PDF embeds the fonts that come with the package (planner/fonts: Noto Sans for Latin, Greek and Cyrillic,
Noto Sans Arabic, Noto Sans CJK SC cut to GB 2312, Noto Sans for the other scripts of the language catalog
(Ethiopic, Thai, Khmer, Lao, Myanmar, Sinhala, Tamil, Devanagari, Bengali), DejaVu Sans Mono for ids), so every
supported language, and a name written in any catalog language's script, prints without any font installed on
the machine; scripts/subset_fonts.py says where they come from.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from planner.errors import PlannerError

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
OTHER_SCRIPTS = ("Ethiopic", "Thai", "Khmer", "Lao", "Myanmar", "Sinhala", "Tamil", "Devanagari", "Bengali")
# (CSS family, file, weight): the families are the planner's own names, first in _style.css's font stacks, so a
# system font of the same name can never stand in for them
FONT_FACES = (
    ("Planner Sans", "NotoSans-Regular.ttf", 400),
    ("Planner Sans", "NotoSans-Bold.ttf", 700),
    ("Planner Arabic", "NotoSansArabic-Regular.ttf", 400),
    ("Planner Arabic", "NotoSansArabic-Bold.ttf", 700),
    ("Planner SC", "NotoSansSC-Regular-GB2312.otf", 400),
    ("Planner SC", "NotoSansSC-Bold-GB2312.otf", 700),
    ("Planner Mono", "DejaVuSansMono-Latin.ttf", 400),
    # the other scripts of the language catalog (names of sites, workloads and languages written in them)
    *(
        (f"Planner {script}", f"NotoSans{script}-{weight}.ttf", value)
        for script in OTHER_SCRIPTS
        for weight, value in (("Regular", 400), ("Bold", 700))
    ),
)


class ReportError(PlannerError):
    """A report format cannot be produced (e.g. a library it needs is missing)."""


def font_face_css() -> str:
    """@font-face rules for the bundled fonts (file URLs; the PDF's fetcher serves exactly these files)."""
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; src: url("{(FONT_DIR / name).as_uri()}"); }}'
        for family, name, weight in FONT_FACES
    )


def _bundled_font(url: str) -> Path | None:
    allowed = {(FONT_DIR / name).as_uri(): FONT_DIR / name for _family, name, _weight in FONT_FACES}
    return allowed.get(url)


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of a self-contained report.html (no resource is fetched but the bundled fonts)."""
    return render_pages(html).write_pdf()


def render_pages(html: str) -> object:
    """The WeasyPrint document (laid-out pages) of a self-contained report.html, before it is written as PDF."""
    try:
        with warnings.catch_warnings():
            # WeasyPrint >= 68 warns at import when the system lacks HarfBuzz-Subset; PDFs are still right
            warnings.filterwarnings("ignore", message=".*HarfBuzz-Subset.*", category=DeprecationWarning)
            import weasyprint
            from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError) as exc:  # OSError: the Python package is there but Pango/cairo are not
        raise ReportError(
            f"cannot write report.pdf: WeasyPrint is not usable ({exc}); install it with `pip install weasyprint` "
            "and the Pango library (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0), or leave pdf out "
            "of --format"
        ) from None

    fetcher = _font_fetcher(weasyprint)
    fonts = FontConfiguration()
    faces = weasyprint.CSS(string=font_face_css(), font_config=fonts, url_fetcher=fetcher)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=".")
    return document.render(stylesheets=[faces], font_config=fonts)


def boxes_past_the_page(document: object) -> list[tuple[int, str, float]]:
    """(page number, element, points past the edge) of every table, chart or code block that the layout let run
    beyond its page's content area on either side (it is cut off in the PDF), and of every key figure on the title
    page whose text runs out of its box (into the next one)."""
    found = set()
    for number, page in enumerate(document.pages, start=1):
        root = page._page_box  # WeasyPrint keeps the laid-out boxes here; there is no public accessor
        for box, frame in _descendants(root, root):
            if box.element_tag in ("table", "img", "svg", "pre"):
                past = _past(box, root)
            elif box.element_tag == "dd" and type(box).__name__ == "LineBox":
                past = max((_past(child, frame) for child in box.children), default=0)  # frame: the figure's box
            else:
                continue
            if past > 0.5:
                found.add((number, f"{box.element_tag}.{box.element.get('class', '')}", round(past, 1)))
    return sorted(found)


def _past(box: object, frame: object) -> float:
    """Points by which `box` reaches beyond the content area of `frame`, on the side where it reaches furthest."""
    left, right = frame.content_box_x(), frame.content_box_x() + frame.width
    return max(left - box.border_box_x(), box.border_box_x() + box.border_width() - right)


def _descendants(box: object, frame: object):
    """Every box inside `box`, with the nearest enclosing <div> block (or the page)."""
    for child in getattr(box, "children", ()):
        yield child, frame
        inner = child if child.element_tag == "div" and type(child).__name__.endswith("BlockBox") else frame
        yield from _descendants(child, inner)


def _refuse(url: str) -> ValueError:
    return ValueError(f"report.pdf fetches nothing but its bundled fonts; refused {url}")


def _font_fetcher(weasyprint: object) -> object:
    """A URL fetcher that serves the bundled font files and refuses everything else (WeasyPrint >= 68 takes a
    URLFetcher object, older versions a function returning a dict)."""
    base = getattr(weasyprint, "URLFetcher", None)
    if base is None:

        def fetch_fonts_only(url: str, *args: object, **kwargs: object) -> dict:
            path = _bundled_font(url)
            if path is None:
                raise _refuse(url)
            return {"string": path.read_bytes(), "mime_type": "font/sfnt", "redirected_url": url}

        return fetch_fonts_only

    class FontsOnly(base):  # type: ignore[misc, valid-type]
        def fetch(self, url: str, headers: object = None) -> object:
            if _bundled_font(url) is None:
                raise _refuse(url)
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"])
