"""The short citation under the local-currency key figures: the publisher and title, never a cut inside quotes."""

from __future__ import annotations

from planner.report.local_money import _short_cite


def test_a_quoted_title_keeps_its_colon() -> None:
    # the Kazakhstan report read "BCC Invest, 'Review" (cut at the colon inside the quoted title)
    cite = (
        "BCC Invest, 'Review: USD/KZT exchange rate', 18 Mar 2025 (bcc.kz/en/posts/fx-posts/review-course-usd-kzt-"
        "03-18-2025), quoting the official rate of the National Bank of Kazakhstan on 17 Mar 2025"
    )
    assert _short_cite(cite) == "BCC Invest, 'Review: USD/KZT exchange rate', 18 Mar 2025"


def test_the_publisher_before_an_unquoted_colon() -> None:
    assert _short_cite("Bank Negara Malaysia: exchange rates, 2025-11-28") == "Bank Negara Malaysia"
    assert _short_cite("Central Bank of Kenya's daily rates: KES per USD") == "Central Bank of Kenya's daily rates"


def test_a_long_head_stops_at_a_clause_boundary() -> None:
    cite = "World Bank SP.POP.TOTL, year 2024, via github.com/datasets/population data/population.csv (commit 425fc44)"
    assert _short_cite(cite) == "World Bank SP.POP.TOTL, year 2024"
    assert len(_short_cite("x" * 200)) == 88 and _short_cite("x" * 200).endswith("…")
