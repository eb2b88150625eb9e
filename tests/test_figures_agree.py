"""One plan, one set of figures: every total the terminal, Markdown, HTML, PDF, workbook, comparison and sweep
show is the typed plan's figure (re-formatted here independently of planner.report.fmt)."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EXAMPLES

from planner.plan import Plan


def usd(amount: float) -> str:
    """$1.23 B / $41.2 M / $350 k, as a reader sees amounts."""
    if amount >= 1e9:
        return f"${amount / 1e9:,.2f} B"
    if amount >= 1e6:
        return f"${amount / 1e6:,.1f} M"
    return f"${amount / 1e3:,.0f} k"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def headline_figures(plan: Plan) -> list[str]:
    t = plan.totals
    return [
        usd(t.capex_usd),
        usd(t.npv_usd),
        usd(t.opex_usd_per_year),
        f"{t.accelerators:,}",
        f"{t.power_kw:,.0f} kW",
    ]


@pytest.fixture(scope="module")
def malaysia(tmp_path_factory):
    from typer.testing import CliRunner

    from planner.cli import app

    out = tmp_path_factory.mktemp("malaysia")
    formats = "json,md,html,xlsx,pdf" if shutil.which("pdftotext") else "json,md,html,xlsx"
    result = CliRunner().invoke(app, ["size", str(EXAMPLES / "malaysia.yaml"), "--out", str(out), "--format", formats])
    assert result.exit_code == 0, result.output
    return out, result.output, Plan.read(out / "plan.json")


def test_terminal_markdown_html_and_pdf_show_the_plans_totals(malaysia):
    out, terminal, plan = malaysia
    md = (out / "report.md").read_text()
    html = html_text((out / "report.html").read_text())
    documents = {"terminal": terminal, "report.md": md, "report.html": html}
    if (out / "report.pdf").exists():
        pdf = subprocess.run(["pdftotext", str(out / "report.pdf"), "-"], capture_output=True, text=True).stdout
        documents["report.pdf"] = " ".join(pdf.split())
    for name, text in documents.items():
        for figure in headline_figures(plan):
            assert figure in text, f"{figure} not in {name}"
    # rented capacity draws on the provider's power: stated on its own wherever it is shown
    if plan.totals.power_kw_rented:
        rented = f"{plan.totals.power_kw_rented:,.0f} kW"
        assert rented in terminal and rented in md and rented in html


def test_the_workbook_shows_the_plans_totals(malaysia):
    from openpyxl import load_workbook

    out, _, plan = malaysia
    wb = load_workbook(out / "bom.xlsx")
    bom = [[c.value for c in r] for r in wb["Bill of materials"].iter_rows()]
    header, total = bom[0], bom[-1]
    assert total[header.index("Capex (USD)")] == pytest.approx(plan.totals.capex_usd)
    assert total[header.index("IT power (kW)")] == pytest.approx(plan.totals.power_kw)
    costs = [[c.value for c in r] for r in wb["Costs by year"].iter_rows()]
    head = costs[0]
    for row, year in zip(costs[1:-1], plan.costs_by_year, strict=True):
        assert row[head.index("Year")] == year.year
        assert row[head.index("Capex (USD)")] == pytest.approx(year.capex_usd)
        assert row[head.index("Opex (USD)")] == pytest.approx(year.opex_usd)
        assert row[head.index("Installed accelerators")] == year.installed_accelerators
        assert row[head.index("IT power, own sites (kW)")] == pytest.approx(year.it_power_kw)
    # the plan's own definitions hold together
    assert plan.totals.power_kw == pytest.approx(max(y.it_power_kw for y in plan.costs_by_year))
    assert plan.totals.accelerators == max(y.installed_accelerators for y in plan.costs_by_year)
    assert plan.totals.tco_usd == pytest.approx(sum(y.capex_usd + y.opex_usd for y in plan.costs_by_year))
    bought = [a for a in plan.allocations if a.acquisition == "buy"]
    assert plan.totals.accelerators_bought == sum(a.accelerators for a in bought)


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    from typer.testing import CliRunner

    from planner.cli import _register_subcommands, app

    _register_subcommands()
    out = tmp_path_factory.mktemp("compare")
    args = ["compare", str(EXAMPLES / "kazakhstan.yaml"), "-s", "baseline", "-s", "nvidia_only", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out, result.output


def test_comparison_shows_each_plans_totals(compared):
    out, terminal = compared
    result = json.loads((out / "comparison.json").read_text())
    md = (out / "comparison.md").read_text()
    html = html_text((out / "comparison.html").read_text())
    for entry in result["scenarios"]:
        plan = Plan.read(out / entry["name"] / "plan.json")
        for key, value in entry["totals"].items():
            assert value == pytest.approx(getattr(plan.totals, key)), (entry["name"], key)
        if plan.feasible:
            for text in (md, html):
                # compared side by side: millions to two decimals ($2.45 M against $2.50 M)
                for amount in (plan.totals.npv_usd, plan.totals.capex_usd):
                    assert (f"${amount / 1e6:,.2f} M" if amount >= 1e6 else usd(amount)) in text


def test_sweep_points_are_their_plans(tmp_path):
    from typer.testing import CliRunner

    from planner.cli import _register_subcommands, app

    _register_subcommands()
    args = ["sweep", str(EXAMPLES / "kazakhstan.yaml"), "--vary", "budget.capex_usd=5e6:20e6:2", "--out", str(tmp_path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    sweep = json.loads((tmp_path / "sweep.json").read_text())
    for point in sweep["points"]:
        plan = Plan.read(Path(tmp_path) / "points" / point["name"] / "plan.json")
        assert point["status"] == plan.status
        if plan.feasible:
            assert point["npv_usd"] == pytest.approx(plan.totals.npv_usd)
            assert point["capex_usd"] == pytest.approx(plan.totals.capex_usd)
            assert point["served_share"] == pytest.approx(plan.served.share)
