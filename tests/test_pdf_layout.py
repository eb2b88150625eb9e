"""The PDF's layout: no table, chart or code block runs past the edge of an A4 page (it would be cut off), and no
key figure on the title page runs into its neighbour, in any language. WeasyPrint lays the pages out without
writing a PDF; the boxes of that layout are measured (planner.report.pdf.boxes_past_the_page)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, tiny_country, write_yaml
from typer.testing import CliRunner

from planner.cli import app
from planner.report.i18n import LANGUAGES
from planner.report.pdf import boxes_past_the_page, render_pages

pytest.importorskip("weasyprint")

# the longest cells the bill of materials and cost tables hold: a long site name, a server name, Arabic money
LONG_SITE = {
    "name": "Cyberjaya government data centre, second hall",
    "jurisdiction": "TL",
    "power_kw": 2000,
    "racks": 40,
    "pue": 1.4,
    "electricity_usd_per_kwh": 0.1,
}


def _size(country: Path, out: Path, lang: str, *extra: str) -> str:
    args = ["size", str(country), "--out", str(out), "--format", "json,html", "--lang", lang, "-q", *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return (out / "report.html").read_text(encoding="utf-8")


def _report(plan: Path, out: Path, lang: str) -> str:
    result = CliRunner().invoke(app, ["report", str(plan), "--out", str(out), "--format", "html", "--lang", lang])
    assert result.exit_code == 0, result.output
    return (out / "report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def testland_html(tmp_path_factory) -> str:
    """The short Arabic report of a two-year, two-vendor Testland (money is widest in Arabic: "1.95 مليون $")."""
    directory = tmp_path_factory.mktemp("pdf_layout")
    doc = tiny_country(sites={"main_dc": LONG_SITE}, planning={"start_year": 2027, "years": 2, "discount_rate": 0.05})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLANNER_TODAY", "2026-07-01")
        return _size(write_yaml(directory / "testland.yaml", doc), directory, "ar", "--short")


def test_the_check_sees_a_table_past_the_page(testland_html):
    # the same report with its bill of materials set in 16 pt: the table must be found sticking out
    too_wide = testland_html.replace(
        "</head>", "<style>@media print { table.bom td, table.bom th { font-size: 16pt; } }</style></head>", 1
    )
    assert any(element.startswith("table.bom") for _page, element, _past in boxes_past_the_page(render_pages(too_wide)))


def test_the_check_sees_a_key_figure_past_its_box(testland_html):
    crowded = testland_html.replace(
        "</head>", "<style>@media print { dl.figures dd { white-space: nowrap; font-size: 30pt; } }</style></head>", 1
    )
    assert (1, "dd.") in {(page, element) for page, element, _past in boxes_past_the_page(render_pages(crowded))}


def test_testland_pages_hold_their_tables(testland_html):
    assert boxes_past_the_page(render_pages(testland_html)) == []


@pytest.fixture(scope="module")
def malaysia_plan(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf_layout_malaysia")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLANNER_TODAY", "2026-07-01")
        _size(EXAMPLES / "malaysia.yaml", out, "en")
    return out / "plan.json"


@pytest.mark.slow
@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_malaysia_proposal_pages_hold_their_tables(malaysia_plan, tmp_path, lang):
    # the full proposal (nine-column bill of materials, cost by line, options, register) in every language
    assert boxes_past_the_page(render_pages(_report(malaysia_plan, tmp_path, lang))) == []


def test_an_arabic_sentence_opening_with_a_name_reads_right_to_left():
    from planner.report import i18n
    from planner.report.render import left_to_right_run

    with i18n.language("ar"):
        headline = str(left_to_right_run("Malaysia تشتري 224 مسرّعاً بين 2028–2030"))
        name = str(left_to_right_run("AMD Instinct MI300X 8-GPU server"))
    # the sentence is not one left-to-right run (that put "Malaysia" first on the left and scrambled the Arabic);
    # the name and the year range are, so the range does not print as 2030–2028
    assert headline.startswith('<span dir="ltr">Malaysia</span> تشتري')
    assert '<span dir="ltr">2028–2030</span>' in headline
    assert name == '<span dir="ltr">AMD Instinct MI300X 8-GPU server</span>'
