"""report.pdf: the same HTML as report.html, laid out by WeasyPrint (imported only when a PDF is asked for)."""

from __future__ import annotations

import warnings

from planner.errors import PlannerError


class ReportError(PlannerError):
    """A report format cannot be produced (e.g. a library it needs is missing)."""


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of a self-contained report.html (no resource is fetched: every URL is refused)."""
    try:
        with warnings.catch_warnings():
            # WeasyPrint >= 68 warns at import when the system lacks HarfBuzz-Subset; PDFs are still right
            warnings.filterwarnings("ignore", message=".*HarfBuzz-Subset.*", category=DeprecationWarning)
            import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Python package is there but Pango/cairo are not
        raise ReportError(
            f"cannot write report.pdf: WeasyPrint is not usable ({exc}); install it with `pip install weasyprint` "
            "and the Pango library (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0), or leave pdf out "
            "of --format"
        ) from None

    def no_fetch(url: str, *args: object, **kwargs: object) -> dict:
        raise ValueError(f"report.pdf fetches nothing; refused {url}")

    return weasyprint.HTML(string=html, url_fetcher=no_fetch, base_url=".").write_pdf()
