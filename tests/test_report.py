"""Reports: every format for every example, traced to plan.json, escaped, self-contained, and looked at.

Each example is solved once per session; the browser and PDF checks skip with a reason when chromium,
chromedriver or poppler-utils are not installed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EXAMPLES, tiny_country, write_yaml

from planner.errors import PlannerError
from planner.pipeline import load_spec, size
from planner.plan import Plan


def write_outputs(plan: Plan, _catalog, out: Path, formats: set[str]) -> list[Path]:
    """The outputs of a typed plan (the catalog argument is unused: a plan carries its own entries)."""
    return plan.report(out, sorted(formats))


EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
# examples that solve to a plan; the infeasible one is checked for its diagnosis instead
FEASIBLE = [p.stem for p in EXAMPLE_FILES if "infeasible" not in p.stem]
ALL_FORMATS = {"json", "md", "html", "pdf", "xlsx"}
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="session")
def example_plans(catalog) -> dict[str, dict]:
    """Every example solved once."""
    return {path.stem: size(load_spec(path, catalog), catalog) for path in EXAMPLE_FILES}


@pytest.fixture(scope="session")
def example_outputs(example_plans, catalog, tmp_path_factory) -> dict[str, Path]:
    """Every format of every example, written once into its own directory."""
    out = {}
    for name, plan in example_plans.items():
        directory = tmp_path_factory.mktemp(f"report_{name}")
        write_outputs(plan, catalog, directory, ALL_FORMATS - {"pdf"})
        out[name] = directory
    return out


@pytest.fixture(scope="session")
def example_pdfs(example_plans, example_outputs, catalog) -> dict[str, Path]:
    """report.pdf of every example (about 1-2 s each), beside the other formats."""
    for name, plan in example_plans.items():
        write_outputs(plan, catalog, example_outputs[name], {"pdf"})
    return {name: directory / "report.pdf" for name, directory in example_outputs.items()}


def named(message: str, plan: dict) -> str:
    """A plan message as a person reads it: each backticked id replaced by its name in plan.json."""
    for table in ("sites", "workloads", "models", "hardware"):
        for key, name in plan["names"][table].items():
            message = message.replace(f"`{key}`", name)
    return message.replace("`", "")


def usd(amount: float) -> str:
    """Re-format a dollar amount independently of planner.report.fmt: $1.2 M / $350 k / $1.23 B."""
    if amount >= 1e9:
        return f"${amount / 1e9:,.2f} B"
    if amount >= 1e6:
        return f"${amount / 1e6:,.1f} M"
    return f"${amount / 1e3:,.0f} k"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.parts.append(data)


def html_text(html: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split()), parser.tags


@pytest.mark.parametrize("example", [p.stem for p in EXAMPLE_FILES])
def test_every_format_is_written(example, example_outputs, example_pdfs):
    directory = example_outputs[example]
    for name in ("plan.json", "report.md", "report.html", "report.pdf", "bom.xlsx"):
        assert (directory / name).stat().st_size > 1000, name
    assert (directory / "report.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("example", [p.stem for p in EXAMPLE_FILES])
def test_totals_trace_to_plan_json(example, example_outputs):
    """Capex, NPV, accelerators and each purchase in the HTML and Markdown are plan.json's, re-formatted here."""
    directory = example_outputs[example]
    plan = json.loads((directory / "plan.json").read_text())
    text, _ = html_text((directory / "report.html").read_text())
    md = (directory / "report.md").read_text()
    t = plan["totals"]
    if plan["status"] == "infeasible":  # no totals to show: the diagnosis must be there instead
        for shortfall in plan["diagnosis"]["shortfalls"]:
            assert escape(named(shortfall["message"], plan)) in text
        return
    expected = [
        usd(t["capex_usd"]),
        usd(t["npv_usd"]),
        usd(t["opex_usd_per_year"]),
        f"${t['capex_usd']:,.0f}",
        f"{t['accelerators']:,} accelerators",
        f"{t['power_kw']:,.0f} kW",
    ]
    expected += [f"${a['capex_usd']:,.0f}" for a in plan["allocations"]]
    expected += [f"${y['capex_usd'] / 1e6:,.2f} M" for y in plan["costs_by_year"] if y["capex_usd"]]
    for w in plan["workloads"]:
        for y in w.get("by_year", []):
            expected.append(f"{y['demand_output_tokens_per_s']:,.0f}")
    for s in plan["sites"]:
        expected.append(f"{s['power_limit_kw']:,.0f} kW")
    for value in expected:
        assert value in text, f"{value} not in report.html"
        assert value in md, f"{value} not in report.md"


@pytest.mark.parametrize("example", [p.stem for p in EXAMPLE_FILES])
def test_html_is_self_contained(example, example_outputs):
    html = (example_outputs[example] / "report.html").read_text()
    _, tags = html_text(html)
    assert not {"script", "link", "img", "iframe", "object"} & set(tags)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "url(" not in html and "@import" not in html
    if "INFEASIBLE" not in html.upper():
        assert tags.count("svg") >= 3  # cost, capacity (one per serving workload), power


@pytest.mark.parametrize("example", FEASIBLE)
def test_html_sections_and_sources(example, example_outputs, catalog):
    plan = json.loads((example_outputs[example] / "plan.json").read_text())
    text, _ = html_text((example_outputs[example] / "report.html").read_text())
    for heading in (
        "Executive summary",
        "Bill of materials",
        "Costs",
        "Capacity against demand",
        "Power and space per site",
        "Risks",
        "Appendix A: assumptions and sources",
        "Appendix B: provenance",
    ):
        assert heading in text
    assert "Cost per million output tokens served" in text
    assert plan["inputs_sha256"] in text and plan["provenance"]["catalog_sha256"] in text
    for h in {a["hardware"] for a in plan["allocations"]}:
        ref = catalog.hardware[h].provenance("price_usd_per_unit").ref
        assert ref in text and catalog.references[ref].cite.split(";")[0][:40] in text


@pytest.mark.parametrize("example", [p.stem for p in EXAMPLE_FILES])
def test_xlsx_totals_equal_plan_json(example, example_outputs):
    from openpyxl import load_workbook

    directory = example_outputs[example]
    plan = json.loads((directory / "plan.json").read_text())
    ws = load_workbook(directory / "bom.xlsx")["Bill of materials"]
    header = [c.value for c in ws[1]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    body, total = rows[:-1], rows[-1]
    col = {name: header.index(name) for name in header}
    bought = [a for a in plan["allocations"] if a["acquisition"] == "buy"]
    rented = [a for a in plan["allocations"] if a["acquisition"] != "buy"]
    assert total[0].startswith("Total bought")
    assert total[col["Capex (USD)"]] == pytest.approx(plan["totals"]["capex_usd"])
    assert total[col["IT power (kW)"]] == pytest.approx(plan["totals"]["power_kw"])
    # rented unit-years and hourly units are not owned: a row of their own, not in the total
    assert total[col["Accelerators"]] == sum(a["accelerators"] for a in bought)
    assert total[col["Units"]] == sum(a["units"] for a in bought)
    if rented:
        rent_row = body.pop()
        assert rent_row[0].startswith("Rented") and rent_row[col["Units"]] == sum(a["units"] for a in rented)
    assert sum(r[col["Capex (USD)"]] for r in body) == pytest.approx(plan["totals"]["capex_usd"])
    storage = [y for y in plan["costs_by_year"] if y["capex_lines_usd"].get("storage")]
    assert len(body) == len(plan["allocations"]) + len(storage)
    for r in body:
        if r[col["Units"]] is None:  # storage for training: a cost line, not a unit
            assert r[col["Capex (USD)"]] > 0
        elif r[col["Acquisition"]] == "buy":
            assert r[col["Capex per unit (USD)"]] * r[col["Units"]] == pytest.approx(r[col["Capex (USD)"]])
            # the hardware's own price, without fabric and fit-out: plan.json's unit price, never above the capex
            assert r[col["Hardware price per unit (USD)"]] <= r[col["Capex per unit (USD)"]] * (1 + 1e-9)
        else:  # rented: no purchase price and no power at the programme's own sites
            assert r[col["Capex (USD)"]] == 0 and r[col["IT power (kW)"]] is None
        assert r[col["Price source (citation)"]] and r[col["Price confidence"]]


def _pdf_pages(path: Path) -> int:
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
    pytest.skip("pdfinfo not installed: apt-get install poppler-utils (WeasyPrint compresses its page objects)")


@pytest.mark.parametrize("example", FEASIBLE)
def test_pdf_pages_render(example, example_pdfs, tmp_path):
    pdf = example_pdfs[example]
    pages = _pdf_pages(pdf)
    assert 8 <= pages <= 48, pages  # the short form: plan, timeline and risk register (no options, sensitivity)
    assert_pages_render(pdf, pages, tmp_path)


def assert_pages_render(pdf: Path, pages: int, tmp_path: Path) -> None:
    """Every page of `pdf` turns into a non-empty PNG with pdftoppm (skipped, with the reason, without it)."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm not installed: apt-get install poppler-utils")
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True, timeout=60)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == pages
    assert all(p.stat().st_size > 1000 for p in pngs)


@pytest.mark.parametrize("example", FEASIBLE)
def test_pdf_has_contents_with_page_numbers(example, example_pdfs):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed: apt-get install poppler-utils")
    pdf = example_pdfs[example]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    assert "Contents" in pages[1]
    assert re.search(r"Bill of materials\s*\.+\s*\d+", pages[1])
    assert re.search(r"Page 3 of \d+", pages[2])


def _chromium_paths() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else shutil.which("chromedriver")
    if not browser or not driver:
        pytest.skip("chromium not installed: apt-get install chromium chromium-driver")
    pytest.importorskip("selenium", reason="selenium not installed: pip install -e '.[test]'")
    return browser, driver


def load_in_chromium(html_file: Path, screenshot: Path) -> tuple[list[dict], list[str], int]:
    """Open the file headless; return (browser log, request URLs after navigation, number of <script> elements)."""
    browser, driver_path = _chromium_paths()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    with tempfile.TemporaryDirectory() as profile:
        for arg in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--window-size=1200,900",
        ):
            opts.add_argument(arg)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        driver = webdriver.Chrome(service=Service(driver_path), options=opts)
        try:
            driver.get_log("performance")  # drop the browser's own start-up (new-tab page) traffic
            driver.get(html_file.resolve().as_uri())
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(1200, min(height + 100, 30000))
            driver.save_screenshot(str(screenshot))
            scripts = driver.execute_script("return document.getElementsByTagName('script').length")
            logs = driver.get_log("browser")
            events = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
        finally:
            driver.quit()
    sent = [e["params"] for e in events if e.get("method") == "Network.requestWillBeSent"]
    uri = html_file.resolve().as_uri()
    # the page's requests: its own document and whatever that document loads (same loader / document URL);
    # the browser's start-up new-tab page (chrome://) is not the report's doing
    loaders = {p.get("loaderId") for p in sent if p["request"]["url"] == uri}
    ours = [p["request"]["url"] for p in sent if p.get("documentURL") == uri or p.get("loaderId") in loaders]
    ours += [p["request"]["url"] for p in sent if p["request"]["url"].startswith(("http:", "https:", "ws:", "wss:"))]
    return logs, ours, scripts


@pytest.mark.parametrize("example", [p.stem for p in EXAMPLE_FILES])
def test_html_in_headless_chromium(example, example_outputs, tmp_path):
    html = example_outputs[example] / "report.html"
    shot = tmp_path / f"{example}.png"
    logs, urls, scripts = load_in_chromium(html, shot)
    assert not [e for e in logs if e.get("level") == "SEVERE"], logs
    foreign = [u for u in urls if not (u == html.resolve().as_uri() or u.startswith("data:"))]
    assert not foreign, foreign
    assert html.resolve().as_uri() in urls
    assert scripts == 0
    assert shot.stat().st_size > 10_000


@pytest.fixture(scope="session")
def hostile_plan(catalog, tmp_path_factory) -> dict:
    """A plan whose country and site names are markup."""
    doc = tiny_country(country={"name": SCRIPT + " | <b>Land</b>", "iso2": "TL"})
    doc["sites"]["main_dc"]["name"] = SCRIPT
    path = write_yaml(tmp_path_factory.mktemp("hostile") / "hostile.yaml", doc)
    return size(load_spec(path, catalog), catalog)


def test_user_text_is_escaped_everywhere(hostile_plan, catalog, tmp_path):
    write_outputs(hostile_plan, catalog, tmp_path, {"json", "md", "html", "xlsx"})
    html = (tmp_path / "report.html").read_text()
    assert SCRIPT not in html and "<b>Land" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text, tags = html_text(html)
    assert SCRIPT in text and "script" not in tags
    md = (tmp_path / "report.md").read_text()
    assert "<script>" not in md and "<b>" not in md
    assert "&lt;script>alert(1)&lt;/script> \\| &lt;b>Land&lt;/b>" in md
    for line in md.splitlines():  # every table row keeps its column count
        if line.startswith("| Key figure"):
            assert line.count(" | ") == 1


def test_escaped_names_in_chromium_and_pdf(hostile_plan, catalog, tmp_path):
    write_outputs(hostile_plan, catalog, tmp_path, {"html", "pdf"})
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True).stdout
        assert "<script>alert(1)</script>" in text
    logs, _, scripts = load_in_chromium(tmp_path / "report.html", tmp_path / "hostile.png")
    assert scripts == 0
    assert not [e for e in logs if e.get("level") == "SEVERE"], logs


def test_infeasible_plan_reports_diagnosis(catalog, tmp_path):
    doc = tiny_country(budget={"capex_usd": 200000})
    doc["workloads"]["chat"]["users"] = 5_000_000
    typed = size(load_spec(write_yaml(tmp_path / "tight.yaml", doc), catalog), catalog)
    plan = typed.as_dict()
    assert plan["status"] == "infeasible"
    write_outputs(typed, catalog, tmp_path / "out", {"json", "md", "html", "xlsx"})
    text, _ = html_text((tmp_path / "out" / "report.html").read_text())
    md = (tmp_path / "out" / "report.md").read_text()
    assert "Diagnosis: why no plan exists" in text and "Diagnosis: why no plan exists" in md
    for short in plan["diagnosis"]["shortfalls"]:
        assert named(short["message"], plan) in md
    assert "No plan" in text


def test_binding_rules_render_messages_and_shadow_prices(example_plans, catalog):
    from planner.report.context import report_context
    from planner.report.render import render

    plan = next(iter(example_plans.values())).as_dict()
    plan["binding_constraints"] = [
        {
            "constraint": "site_power__main_dc__2027",
            "family": "site_power",
            "category": "limit",
            "ids": ["main_dc", "2027"],
            "lhs": 900.0,
            "rhs": 900.0,
            "unit": "kW",
            "shadow_price_usd": -1234.5,
            "message": "site `main_dc` is full",
        },
    ]
    risk = {"kind": "policy", "hardware": "x", "units": 1, "sites": [], "years": []}
    plan["risks"] = [{**risk, "message": "licence | renewal <pending>"}]
    plan["names"]["sites"]["main_dc"] = "Main <DC>"
    ctx = report_context(Plan.model_validate(plan))
    html = render("report.html.j2", ctx)
    md = render("report.md.j2", ctx)
    assert "site Main &lt;DC&gt; is full" in html  # plan.json's message wins, with the site's name
    plan["binding_constraints"][0]["message"] = ""
    html = render("report.html.j2", report_context(Plan.model_validate(plan)))
    assert "each extra kW at Main &lt;DC&gt; in 2027 saves $1 k" in html
    assert "licence | renewal &lt;pending&gt;" in html
    assert "licence \\| renewal &lt;pending>" in md


def test_pdf_without_weasyprint_still_writes_the_rest(example_plans, catalog, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint -> ImportError
    plan = next(iter(example_plans.values()))
    with pytest.raises(PlannerError, match="WeasyPrint"):
        write_outputs(plan, catalog, tmp_path, {"json", "md", "html", "pdf"})
    assert {p.name for p in tmp_path.iterdir()} == {"plan.json", "report.md", "report.html"}


def test_failed_render_leaves_previous_outputs(example_plans, catalog, tmp_path, monkeypatch):
    plan = next(iter(example_plans.values()))
    write_outputs(plan, catalog, tmp_path, {"json", "html"})
    before = (tmp_path / "report.html").read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("planner.report.xlsx.bom_workbook", broken)
    with pytest.raises(RuntimeError):
        write_outputs(plan.model_copy(update={"status": "feasible"}), catalog, tmp_path, {"json", "html", "xlsx"})
    assert (tmp_path / "report.html").read_bytes() == before
    assert not (tmp_path / "bom.xlsx").exists()


def test_report_command_formats(example_outputs, cli, tmp_path):
    plan_file = tmp_path / "plan.json"
    shutil.copy(next(iter(example_outputs.values())) / "plan.json", plan_file)
    result = cli("report", plan_file, "--format", "md,xlsx")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report.md").exists() and (tmp_path / "bom.xlsx").exists()
    assert not (tmp_path / "report.html").exists()
    result = cli("report", plan_file, "--format", "docx")
    assert result.exit_code == 2  # a usage error (README exit-code table)


def test_charts_are_valid_escaped_svg():
    from planner.report import charts

    svgs = [
        charts.cost_chart([2027, 2028], [5e6, 0.0], [1e6, 1.2e6]),
        charts.capacity_chart("a<b>&c", [2027], [1000.0], [1200.0]),
        charts.power_chart(["s<1>"], [2027], {("s<1>", 2027): 10.0}, {"s<1>": 100.0}),
        charts.cost_chart([], [], []),
    ]
    for svg in svgs:
        root = ET.fromstring(str(svg))
        texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert texts
    assert "a&lt;b&gt;&amp;c" in str(svgs[1])
    assert "US$ million" in str(svgs[0]) and "kW" in str(svgs[2])
    assert charts.nice_ticks(7.5) == [0, 2, 4, 6, 8]


def test_a_long_axis_title_is_split_so_it_fits_the_chart_height():
    """The French capacity chart's y title ran off the top of its 240 px chart (seen in the PDF, session 8): a
    rotated title longer than the chart is tall is set on two lines, each shorter than the chart height."""
    from planner.report import charts
    from planner.report.i18n import language

    def y_titles(svg) -> list[str]:
        root = ET.fromstring(str(svg))
        return [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if "rotate(-90" in t.get("transform", "")]

    with language("fr"):
        fr = y_titles(charts.capacity_chart("chat", [2027], [1000.0], [1200.0]))
    assert len(fr) == 2 and " ".join(fr) == "milliers de jetons de sortie/s (heure de pointe)"
    # 11 px type averages more than 5 px a glyph: each line at most 240 px long
    assert all(len(line) * 5.5 < 240 for line in fr)
    assert y_titles(charts.capacity_chart("chat", [2027], [1000.0], [1200.0])) == [
        "thousand output tokens/s (busy hour)"
    ]


# --- presentation bugs of the new-user trials (issue 16), one test each ---------------------------------------


def _visible_text(html: str) -> str:
    """What a reader sees of report.html: no tags, and no <code> spans (those are meant to look like code)."""
    html = re.sub(r"<code>.*?</code>", " ", html, flags=re.S)
    html = re.sub(r"<(style|title|script)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_infeasible_summary_has_no_markdown_backticks(example_outputs, example_pdfs):
    html = (example_outputs["kenya_infeasible"] / "report.html").read_text(encoding="utf-8")
    summary = html[html.index('<section id="summary">') : html.index("</section>", html.index('id="diagnosis"'))]
    assert "What is short" in summary and "`" not in _visible_text(summary)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed: apt-get install poppler-utils")
    pdf = example_pdfs["kenya_infeasible"]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    start = text.index("Executive summary", text.index("Contents") + 10)
    end = text.find("Values taken from the catalog", start)  # its sources quote catalog ids, as code
    summary = text[start : end if end > 0 else None]
    assert "What is short" in summary and "`" not in summary


def test_infeasible_workbook_has_a_diagnosis_sheet(example_outputs):
    from openpyxl import load_workbook

    directory = example_outputs["kenya_infeasible"]
    plan = json.loads((directory / "plan.json").read_text())
    wb = load_workbook(directory / "bom.xlsx")
    assert wb.sheetnames[0] == "Diagnosis"
    text = " ".join(str(c.value) for row in wb["Diagnosis"].iter_rows() for c in row if c.value)
    for shortfall in plan["diagnosis"]["shortfalls"]:
        assert named(shortfall["message"], plan) in text
    assert "`" not in text


def test_pdf_bill_of_materials_does_not_start_with_a_lone_row(example_pdfs, example_plans):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed: apt-get install poppler-utils")
    text = subprocess.run(
        ["pdftotext", "-layout", str(example_pdfs["malaysia"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    start = next(i for i, p in enumerate(pages) if i > 1 and re.search(r"^\s*Bill of materials\s*$", p, re.M))
    plan = example_plans["malaysia"]
    rows = len(plan.allocations)
    # each bought row shows its unit price; count the rows that made it onto the page where the table starts
    on_page = len(re.findall(r"\$[\d,]+\s+\$[\d,]+\s+\d+ kW", pages[start]))
    assert on_page >= min(4, rows), (on_page, pages[start][:400])


def test_every_rented_hardware_is_not_called_partly_rented(catalog):
    from planner.report.context import acquisition_note

    assert acquisition_note({"buy": 3}) == ""
    assert "partly" not in acquisition_note({"rent": 4}) and "all rented" in acquisition_note({"rent": 4})
    assert "all rented by the hour" in acquisition_note({"rent_hours": 8})
    assert acquisition_note({"buy": 2, "rent": 3}) == ", 2 bought, 3 rented (busiest year)"


def test_all_rented_plan_says_so(catalog, tmp_path):
    doc = tiny_country()
    doc["sites"] = {
        "cloud": {
            "name": "Cloud region",
            "jurisdiction": "TL",
            "kind": "sovereign_cloud",
            "rent_usd_per_accelerator_hour": {"hgx_h100": 3.0},
            "max_accelerators": 512,
        }
    }
    doc["hardware"] = ["hgx_h100"]
    plan = size(load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog), catalog)
    assert plan.feasible and all(a.acquisition != "buy" for a in plan.allocations)
    from planner.report.context import report_context

    ctx = report_context(plan)
    what = " ".join(ctx["summary"][0]["items"])
    assert "partly" not in what and "all rented" in what
    # the bill of materials' total counts units bought (none); the rented ones have a row of their own
    assert ctx["bom_total"]["units"] == "0"
    assert ctx["bom_total"]["rented_units"] == f"{sum(a.units for a in plan.allocations):,}"


def test_rule_costs_list_only_rules_the_country_chose(catalog, tmp_path):
    from planner.report.context import report_context
    from planner.rulecost import rule_costs
    from planner.sizing.rows import FAMILIES

    doc = tiny_country(policy={"vendor_max_share": 0.6})
    doc["planning"]["start_year"] = 2027
    loaded = load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog)
    plan = size(loaded, catalog)
    plan.rule_costs = rule_costs(loaded, catalog, plan)
    rows = report_context(plan)["rule_costs"]
    assert rows
    for r in plan.rule_costs:
        assert FAMILIES[r.rule].category != "supply", r.rule
    assert all("lead time" not in r["rule"] and "arrived" not in r["description"] for r in rows)


def test_what_shapes_the_plan_starts_with_what_the_country_can_change(example_plans):
    from planner.report.rules import binding_groups

    plan = example_plans["malaysia"]
    groups = binding_groups([b.model_dump() for b in plan.binding_constraints], plan.names)
    supply = [g["supply"] for g in groups]
    assert supply and not supply[0]
    assert supply == sorted(supply)  # facts of supply (lead times) come last
    assert all("fact of supply" in g["rule"] for g in groups if g["supply"])


def test_power_chart_shows_each_phase_of_a_phased_site(catalog, tmp_path):
    doc = tiny_country()
    doc["planning"] = {"start_year": 2027, "years": 3, "discount_rate": 0.0}
    doc["sites"]["main_dc"]["power_kw"] = 900
    doc["sites"]["main_dc"]["power_kw_by_year"] = {2028: 1400}
    doc["workloads"]["chat"]["growth_per_year"] = 0.3
    plan = size(load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog), catalog)
    from planner.report.workloads import plan_charts

    limits = {s.year: s.power_limit_kw for s in plan.sites}
    assert len(set(limits.values())) > 1, limits
    svg = str(plan_charts(plan.as_dict(), plan.names)["power"])
    for limit in set(limits.values()):
        assert f">{limit:,.0f}</text>" in svg, limit


def test_power_chart_labels_each_phase_once_and_gives_each_year_its_own_shade():
    """Six years, a site whose limit changes in 2030 and 2032: three phases, so three limit labels (one a year had
    overprinted at large scale), and six different bar colours (five cycled had shown 2028 and 2033 alike)."""
    import re

    from planner.report import charts

    years = list(range(2028, 2034))
    limits = {("dc", y): 30_000.0 if y < 2030 else 60_000.0 if y < 2032 else 120_000.0 for y in years}
    used = {("dc", y): 1_000.0 * (y - 2027) for y in years}
    svg = str(charts.power_chart(["dc"], years, used, limits))
    labels = re.findall(rf'<text [^>]*fill="{charts.LIMIT}"[^>]*>([^<]+)</text>', svg)
    assert labels == ["30,000", "60,000", "120,000"], labels
    fills = re.findall(r'<rect[^>]*fill="(#[0-9a-f]{6})"[^>]*><title>dc ', svg)
    assert len(fills) == 6 and len(set(fills)) == 6, fills


def test_sweep_weighs_training_jobs_apart_from_serving():
    from planner.report.whatif import render_sweep, sweep_context

    result = {
        "country": {"name": "Testland", "iso2": "TL"},
        "years": [2027],
        "objective": "max_served",
        "axes": [{"key": "budget.capex_usd", "values": [1e6]}],
        "points": [
            {
                "name": "point_000",
                "values": {"budget.capex_usd": 1e6},
                "status": "optimal",
                "npv_usd": 1e6,
                "capex_usd": 1e6,
                "accelerators": 8,
                "served_share": 0.557,
                "demand_share": 0.336,
                "given_up": [],
                "training_jobs": 1,
                "training_done": 1,
            }
        ],
    }
    ctx = sweep_context(result)
    row = ctx["rows"][0]
    assert row["demand"] == "33.6%" and row["served"] == "1 of 1"
    md = render_sweep(result, {"md"})["sweep.md"]
    assert "55.7" not in md and "33.6%" in md
    assert "sweep.pdf" not in md and "sweep.html" not in md  # no chart file was written
    md = render_sweep(result, {"md", "html"})["sweep.md"]
    assert "sweep.html" in md and "sweep.pdf" not in md


def test_short_numbers_keep_what_the_user_wrote() -> None:
    """1.5 billion tokens is '1.5', not '2'; 1.25 days '1.25'; whole numbers stay whole."""
    from planner.report.fmt import num_short

    assert [num_short(x) for x in (1.5, 1.25, 120.0, 40.0, 12.34)] == ["1.5", "1.25", "120", "40", "12.3"]


def test_a_price_is_dated_where_it_stands_everywhere() -> None:
    """The sources appendix dates a hardware price by `price_as_of` (the date the price decline runs from), as the
    bill of materials does, not by when its source note was written."""
    from planner.catalog import load_catalog
    from planner.report.sources import _row

    cat = load_catalog()
    hw = cat.hardware["dgx_b200"]
    row = _row(cat, "hardware", hw, "price_usd_per_unit", hw.price_usd_per_unit)
    assert row["as_of"] == hw.price_as_of


def test_the_country_is_named_in_the_report_language_when_the_file_gives_its_english_name() -> None:
    """Babel's territory names (CLDR): UZ is «Узбекистан» in Russian and "Ouzbékistan" in French; a name the file
    writes otherwise, or an English report, keeps it as written."""
    from planner.report import i18n
    from planner.report.fmt import country_name

    with i18n.language("ru"):
        assert country_name({"name": "Uzbekistan", "iso2": "UZ"}) == "Узбекистан"
        assert country_name({"name": "Republic of Uzbekistan", "iso2": "UZ"}) == "Republic of Uzbekistan"
    with i18n.language("fr"):
        assert country_name({"name": "Uzbekistan", "iso2": "UZ"}) == "Ouzbékistan"
    assert country_name({"name": "Uzbekistan", "iso2": "UZ"}) == "Uzbekistan"


def test_days_and_years_take_the_report_languages_plural_forms() -> None:
    """Russian has three forms (1 день, 2 дня, 5 дней; 1 год, 3 года, 5 лет), a fraction takes "дня"."""
    from planner.report import i18n
    from planner.report.fmt import days_text, years_text

    with i18n.language("ru"):
        assert [days_text(x) for x in (1, 2, 5, 21)] == ["1 день", "2 дня", "5 дней", "21 день"]
        assert days_text(1.25, 1) == "1,2 дня"
        assert [years_text(x) for x in (1, 3, 5)] == ["1 год", "3 года", "5 лет"]
    assert [days_text(1), days_text(3), years_text(1)] == ["1 day", "3 days", "1 year"]


def test_accelerator_hours_start_when_a_unit_enters_service() -> None:
    """8 accelerators bought in 2027 and in service from 1 July (181 of 365 days before it) work 184/365 of 2027;
    installed all of 2028: 8 x 8,760 x (1 + 184/365) hours (hand calculation)."""
    from planner.report.economics import HOURS_PER_YEAR, installed_accelerator_hours

    plan = {
        "costs_by_year": [{"installed_accelerators": 8}, {"installed_accelerators": 8}],
        "allocations": [{"year": 2027, "acquisition": "buy", "accelerators": 8, "in_service_from": "2027-07-01"}],
    }
    assert installed_accelerator_hours(plan) == pytest.approx(8 * HOURS_PER_YEAR * (1 + 184 / 365))


def test_accelerator_hours_of_capacity_rented_for_some_quarters() -> None:
    """248 accelerators rented on demand for Q3-Q4 2027 (184 days, 4,416 h, as the rent is billed) beside 32 bought
    and working all year: 32 x 8,760 + 248 x 4,416 hours (hand calculation; counting the rent all year read
    $2.64 an accelerator-hour for $2.87 in a trial plan)."""
    from planner.report.economics import HOURS_PER_YEAR, installed_accelerator_hours

    plan = {
        "costs_by_year": [{"installed_accelerators": 280}],
        "allocations": [
            {"year": 2027, "acquisition": "buy", "accelerators": 32, "in_service_from": "2027-01-01"},
            {"year": 2027, "acquisition": "rent", "accelerators": 248, "quarters": [3, 4]},
        ],
    }
    assert installed_accelerator_hours(plan) == pytest.approx(32 * HOURS_PER_YEAR + 248 * 4416)


def test_a_profiles_tabled_figures_stand_in_the_sources_appendix() -> None:
    """GEMM efficiency per precision and the decode-attention curve per accelerator are factors an estimate uses:
    each point has its own row with its field's source, the field's note once."""
    from planner.catalog import load_catalog
    from planner.report.sources import _profile_table_rows

    cat = load_catalog()
    pf = cat.efficiency_profiles["nvidia_hopper_cuda"]
    rows = {r["field"]: r for r in _profile_table_rows(cat, "efficiency_profiles", pf)}
    assert rows["gemm_efficiency[fp8]"]["value"] == "0.709"
    assert rows["attention_bandwidth_curve[H200, 270 MB]"]["value"] == "0.74"
    curve = [r for f, r in rows.items() if f.startswith("attention_bandwidth_curve")]
    assert len(curve) == 6 and {r["ref"] for r in curve} == {"eff_aic_trtllm_attention"}
    assert sum(1 for r in curve if r["note"]) == 1


def test_the_sources_appendix_lists_only_profile_figures_an_estimate_reads() -> None:
    """The training model computes MFU and goodput itself, and kernel factors replace the end-to-end serving
    efficiencies: the appendix must not show a profile's `training_mfu` 0.35 beside a run reported at 59 % MFU."""
    from planner.catalog import load_catalog
    from planner.report.sources import assumptions

    cat = load_catalog()
    plan = {"allocations": [{"hardware": "mi300x_8x", "year": 2027, "site": "x", "acquisition": "buy"}]}
    (group,) = [g for g in assumptions(plan, cat) if g["entries"] and g["entries"][0]["id"] == "amd_cdna3_rocm"]
    fields = {r["field"].split("[")[0] for e in group["entries"] for r in e["rows"]}
    assert not fields & {"training_mfu", "moe_training_mfu", "goodput", "compute_efficiency", "memory_efficiency"}
    assert {"gemm_efficiency", "decode_overhead_ms", "programme_efficiency"} <= fields


def test_the_recommendation_names_only_the_rules_the_country_file_sets():
    """New-user trial: the recommendation said the plan meets 'the data-residency, vendor and resilience rules'
    for a file that set none of them."""
    from planner.report.proposal import _rules_met

    bare = {"policy": {}, "workloads": [{"name": "chat"}]}
    assert "sets no data-residency, vendor or resilience rule" in _rules_met(bare)
    ruled = {"policy": {"vendor_max_share": 0.6}, "workloads": [{"name": "chat", "data_class": "sensitive"}]}
    text = _rules_met(ruled)
    assert "(data residency, vendors)" in text and "resilience" not in text


def test_a_pretraining_job_larger_than_its_languages_web_text_is_a_risk(catalog):
    """New-user trial (Vietnam): continued pretraining on 150 B tokens raised no flag, though the catalog holds
    about 49.8 B English-equivalent tokens of Vietnamese web text (FineWeb-2 vie_Latn): 150 / 49.8 = 3.01×."""
    from planner.report.risks import _training_text_risks

    job = {"name": "cpt", "kind": "pretraining", "tokens": 150e9}
    plan = {"languages": {"vi": 0.9, "en": 0.1}, "workloads": [job]}
    (risk,) = _training_text_risks(plan, catalog)
    assert risk["kind"] == "training data" and "150 billion tokens, 3.01×" in risk["message"], risk
    assert "49.8 billion" in risk["message"]
    small = {"languages": {"vi": 0.9, "en": 0.1}, "workloads": [{**job, "tokens": 40e9}]}
    assert _training_text_risks(small, catalog) == []  # within the web text
    english = {"languages": {"en": 1.0}, "workloads": [job]}
    assert _training_text_risks(english, catalog) == []


def test_serving_from_one_site_without_a_resilience_rule_is_a_risk_per_site():
    """New-user trial (Vietnam): from 2028 every owned unit sat in one city, the other site empty, and the risks
    said nothing about it."""
    from planner.report.risks import _site_concentration

    def placement(year, site):
        return {"year": year, "site": site, "hardware": "h", "units": 3.0}

    plan = {
        "names": {"sites": {"a": "A", "b": "B", "cloud": "Cloud"}},
        "policy": {},
        "workloads": [
            {
                "name": "chat",
                "placements": [
                    placement(2027, "cloud"),
                    placement(2028, "a"),
                    placement(2029, "a"),
                    placement(2029, "b"),
                ],
            }
        ],
    }
    risks = _site_concentration(plan)
    assert [(r["kind"], r["message"].split(" every")[0]) for r in risks] == [
        ("single site", "In 2027"),
        ("single site", "In 2028"),
    ]
    assert "`cloud`" in risks[0]["message"] and "`a`" in risks[1]["message"]
    assert _site_concentration({**plan, "policy": {"resilience_fraction": 0.5}}) == []


def test_french_elides_de_before_a_name_it_puts_in_a_sentence_and_leaves_names_alone():
    """'de `intel`' reads "d'Intel" in French; a name from country.yaml keeps its own words ('Universidad de
    Antioquia' is not 'Universidad d'Antioquia') and y is no vowel ('de Yaoundé')."""
    from planner.plan import Names
    from planner.report import i18n
    from planner.report.names import humanize

    names = Names(sites={"uda": "Universidad de Antioquia", "yao": "Yaoundé"}, hardware={"gaudi": "Intel Gaudi 3"})
    with i18n.language("fr"):
        assert humanize("le débit de `gaudi` à `uda`", names) == "le débit d'Intel Gaudi 3 à Universidad de Antioquia"
        assert humanize("la puissance de `yao`", names) == "la puissance de Yaoundé"
    assert humanize("the rate of `gaudi`", names) == "the rate of Intel Gaudi 3"


def test_the_summary_counts_rented_units_at_their_busiest_year_not_summed_over_years():
    """New-user trial (Indonesia): 'Cloud: 89 units, 712 accelerators' added a rental renewed each year; the
    region's cap was 256 accelerators and the most rented in a year 232."""
    from planner.report.context import _units_held

    def rent(year, units):
        return {
            "site": "cloud",
            "hardware": "h100",
            "year": year,
            "units": units,
            "accelerators": 8 * units,
            "acquisition": "rent",
        }

    allocs = [
        rent(2027, 29),
        rent(2028, 25),
        rent(2029, 6),
        rent(2030, 29),
        {**rent(2027, 3), "site": "dc", "acquisition": "buy"},
        {**rent(2028, 2), "site": "dc", "acquisition": "buy"},
    ]
    assert _units_held(allocs, "site") == {"cloud": [29, 232], "dc": [5, 40]}
    assert _units_held(allocs, "hardware") == {"h100": [34, 272]}  # 5 bought + 29 rented at the busiest year


def test_the_roadmap_risk_says_from_which_year_the_plan_relies_on_announced_hardware():
    """New-user trial (Indonesia): the register said 'announced hardware in its later years only' for a plan
    that bought an announced server for its first year and carried all of that year's serving on it."""
    from planner.report.risks import _roadmap_response

    def alloc(year, roadmap):
        return {"year": year, "roadmap": roadmap}

    assert "first year (2027)" in _roadmap_response({"years": [2027, 2028], "allocations": [alloc(2027, True)]})
    assert "from 2028, not in its first year" in _roadmap_response(
        {"years": [2027, 2028], "allocations": [alloc(2027, False), alloc(2028, True)]}
    )


def test_the_recommendation_says_when_few_sampled_futures_meet_every_requirement():
    """New-user trial (Indonesia): the recommendation said every requirement is met while the Monte Carlo of the
    same report met them in 12 % of futures."""
    from planner.report.proposal import _chance_note

    assert "in 12% of them" in _chance_note({"uncertainty": {"all_met": 0.12, "samples": 1000}})
    assert _chance_note({"uncertainty": {"all_met": 0.95, "samples": 1000}}) is None
    assert _chance_note({}) is None


def test_a_rules_row_names_its_place_as_a_reader_writes_it():
    """New-user trial (Indonesia): the rules table printed the internal id 'group0, NVIDIA GB200 NVL72, 2027, q3'."""
    from planner.report.rules import _where

    assert _where(["group0", "NVIDIA GB200 NVL72", "2027", "q3"]) == (
        "the sites its data classes allow, NVIDIA GB200 NVL72, Q3 2027"
    )
    assert _where(["Main DC", "2028"]) == "Main DC, 2028"


def test_vendor_shares_show_the_spend_beside_the_count(catalog):
    """New-user trial (Indonesia): two cheap Atlas boxes made Huawei 33 % of the accelerators at 2.6 % of the
    hardware spend, and the table showed only the count."""
    from planner.report.risks import vendor_shares

    plan = {
        "years": [2027],
        "vendor_shares": {
            "huawei": {"accelerators": 1 / 3, "capex": 0.026},
            "nvidia": {"accelerators": 2 / 3, "capex": 0.974},
        },
        "installed": [],
    }
    rows = {r["vendor"]: r for r in vendor_shares(plan, catalog)}
    assert (rows["Huawei"]["share"], rows["Huawei"]["capex_share"]) == ("33%", "3%")


def test_owned_hardware_outside_the_allowed_vendors_is_said(catalog):
    """New-user trial (Indonesia): an Ascend-only scenario kept its four owned A100s serving, and nothing said
    the policy did not reach them."""
    from planner.report.risks import _owned_outside_policy

    plan = {
        "policy": {"allowed_vendors": ["huawei"]},
        "existing": [
            {"site": "sby", "hardware": "hgx_a100", "units": 4, "installed_year": 2024, "last_year_in_service": 2028},
            {"site": "sby", "hardware": "atlas_800t_a2", "units": 2, "installed_year": 2025},
        ],
    }
    (risk,) = _owned_outside_policy(plan, catalog)
    assert "4 × `hgx_a100` already owned at `sby` keep working until 2028" in risk["message"]
    assert _owned_outside_policy({**plan, "policy": {}}, catalog) == []


def test_rented_parts_of_a_hardware_add_up_to_its_count() -> None:
    """31 units rented on demand for Q3-Q4 2027 and 1 by the hour that year, 18 rented for 2030: the hardware is
    held at 32 units at its busiest year (2027), so its parts read 31 + 1, not 31 + 1 + 18; rented unit-years are
    31 x 0.5 + 1 + 18 = 34.5 (hand count)."""
    from planner.report.context import _units_held, _ways_held
    from planner.report.rent import rented_years

    allocs = [
        {
            "hardware": "h100",
            "site": "c",
            "year": 2027,
            "acquisition": "rent",
            "quarters": [3, 4],
            "units": 31,
            "accelerators": 248,
        },
        {"hardware": "h100", "site": "c", "year": 2027, "acquisition": "rent_hours", "units": 1, "accelerators": 8},
        {"hardware": "h100", "site": "c", "year": 2030, "acquisition": "rent", "units": 18, "accelerators": 144},
    ]
    assert _units_held(allocs, "hardware")["h100"] == [32, 256]
    assert _ways_held(allocs)["h100"] == {"rent_quarters": 31, "rent_hours": 1}
    assert sum(a["units"] * rented_years(a) for a in allocs) == 34.5


def test_a_share_below_one_percent_reads_below_one_percent() -> None:
    """Vendor shares of 72.8 %, 26.7 % and 0.5 % (a trial plan) read 73 %, 27 % and <1 %; 0.09 % of spend is not
    0 %; a whole reads 100 %."""
    from planner.report.fmt import share_pct

    assert [share_pct(x) for x in (0.728, 0.267, 0.005, 0.0009, 0.0, 1.0, 0.995)] == [
        "73%",
        "27%",
        "<1%",
        "<1%",
        "0%",
        "100%",
        ">99%",
    ]


def test_lead_time_risk_offers_rent_only_where_the_plan_could_rent() -> None:
    """No cloud region in the country file (every named site is a bought one): the mitigation does not tell the
    reader to bridge with rented capacity; a plan that rents already, or has a region, may."""
    from planner.report.risks import _can_rent

    sites = [{"site": "manila", "year": 2027}, {"site": "cebu", "year": 2027}]
    plan = {"allocations": [{"acquisition": "buy"}], "sites": sites, "names": {"sites": {"manila": "M", "cebu": "C"}}}
    assert not _can_rent(plan)
    assert _can_rent({**plan, "names": {"sites": {"manila": "M", "cebu": "C", "region": "R"}}})
    assert not _can_rent({**plan, "policy": {"acquisition": "buy_only"}, "names": {"sites": {"region": "R"}}})
    assert _can_rent({**plan, "allocations": [{"acquisition": "rent"}]})


def test_amounts_in_other_languages_round_as_the_english_figure() -> None:
    """$157.5 M reads 157,5 M $US in French and 157,5 млн $ in Russian (it read 158, so the French NPV differed
    from the English one and from its own cost table); $1.23 B and $350 k keep their figures."""
    from planner.report import i18n
    from planner.report.fmt import format_usd

    with i18n.language("fr"):
        assert format_usd(157.5e6).replace("\xa0", " ") == "157,5 M $US"
        assert format_usd(1.234e9).replace("\xa0", " ") == "1,23 Md $US"
    with i18n.language("ru"):
        assert format_usd(157.5e6).replace("\xa0", " ") == "157,5 млн $"
        assert format_usd(350e3).replace("\xa0", " ") == "350 тыс. $"
    with i18n.language("zh_Hans"):
        assert format_usd(157.5e6) == "US$1.575亿"


def test_a_site_filled_to_its_power_is_a_risk() -> None:
    """Cebu at 7,999.65 of 8,000 kW in 2030 (a trial plan, shown as 100 %) was in neither the risks nor the rules;
    a site at 90 % of its power and space is not at its limit."""
    from planner.report.risks import _sites_at_their_limit

    def use(site, year, kw, limit, ru=10.0):
        return {
            "site": site,
            "year": year,
            "facility_power_kw": kw,
            "power_limit_kw": limit,
            "rack_units": ru,
            "rack_units_limit": 100.0,
        }

    plan = {"sites": [use("cebu", 2029, 7200, 8000), use("cebu", 2030, 7999.65, 8000), use("manila", 2030, 900, 1000)]}
    found = _sites_at_their_limit(plan)
    assert [r["kind"] for r in found] == ["site at its limit"]
    assert "In 2030" in found[0]["message"] and "`cebu`" in found[0]["message"]


def test_a_profile_checked_by_one_run_has_no_error_band() -> None:
    """Two published runs (SGLang and vLLM-Ascend on the Atlas 800I A3) check the Ascend 910C profile: too few for
    a measured band, so the estimate says uncalibrated and how many runs check it, in the report's language too."""
    from planner.perf.serving_bands import BANDS, MIN_CLASS_RUNS, error_band
    from planner.report import i18n
    from planner.report.workloads import band_text

    runs = BANDS["ascend_910c_cann"][2]
    assert 0 < runs < MIN_CLASS_RUNS
    band = error_band("ascend_910c_cann", True)
    assert band["status"] == "uncalibrated" and "median_abs_error" not in band
    assert band_text(band["text"]) == (
        f"uncalibrated: only {runs} published serving runs check this profile, too few for an error band"
    )
    with i18n.language("fr"):
        assert band_text(band["text"]).startswith(f"non calibré : seulement {runs} essais")
    assert error_band("nvidia_hopper_cuda", False)["status"] == "validated"


def test_training_compute_reads_as_a_power_of_ten() -> None:
    """1.47e+21 FLOP in the training table read as code; 1.47 × 10²¹ (1,47 × 10²¹ in French) as a reader writes it,
    9.999e21 as 1.00 × 10²²."""
    from planner.report import i18n
    from planner.report.fmt import scientific

    assert scientific(1.47e21) == "1.47 × 10²¹"
    assert scientific(9.999e21) == "1.00 × 10²²"
    with i18n.language("fr"):
        assert scientific(1.47e21) == "1,47 × 10²¹"


def test_the_summary_names_the_operating_costs_the_plan_pays() -> None:
    """A plan that rents nothing said "(electricity, maintenance, licences, staff, colocation and rent)"."""
    from planner.report.context import _opex_words

    plan = {"costs_by_year": [{"opex_lines_usd": {"energy": 5.0, "maintenance": 2.0, "rent": 0.0, "staff": 1.0}}]}
    assert _opex_words(plan) == "electricity, maintenance, staff"
    plan["costs_by_year"].append({"opex_lines_usd": {"rent": 3.0}})
    assert _opex_words(plan) == "electricity, maintenance, staff, rent"


def test_a_long_timeline_is_drawn_a_page_at_a_time() -> None:
    """64 steps (a trial's 8-site plan) drew one Gantt chart taller than an A4 page: the later rows, the axis and
    the legend were cut. Each chart now holds at most TIMELINE_ROWS_PER_CHART rows, every step in one of them."""
    from planner.report.timeline import TIMELINE_ROWS_PER_CHART, timeline_chart

    events = [{"kind": "order_by", "label": f"Order step {i}", "start": f"2027-{1 + i % 12:02d}-01"} for i in range(64)]
    charts = timeline_chart(events, [2027, 2030])
    assert len(charts) == -(-64 // TIMELINE_ROWS_PER_CHART)
    assert all(str(c).count("Order step") <= TIMELINE_ROWS_PER_CHART * 2 for c in charts)  # label and tooltip
    assert sum(str(c).count(">Order step") for c in charts) >= 64
    assert "(1 of 3)" in str(charts[0])


def test_a_vendor_is_shown_at_its_busiest_year_too(catalog):
    """Trial (Saudi Arabia): Intel held 69.6 % of the accelerators in 2027 and none in the last year, so plan.json
    and the table read Intel 0 % against a cap that holds in every year. The extract keeps each vendor's highest
    share with its year (hand count: 2027 is 696 of 1,000), and the table shows it."""
    from planner.report.risks import vendor_shares
    from planner.sizing.extract import vendor_shares as extract_shares

    class Data:
        years = [2027, 2028]
        hardware = {"gaudi": type("H", (), {"vendor": "intel"}), "b200": type("H", (), {"vendor": "nvidia"})}

    fleet = [
        {"year": 2027, "hardware": "gaudi", "accelerators": 696},
        {"year": 2027, "hardware": "b200", "accelerators": 304},
        {"year": 2028, "hardware": "b200", "accelerators": 2000},
    ]
    shares = extract_shares(Data(), [], fleet)
    assert shares["intel"]["accelerators"] == 0.0
    assert (shares["intel"]["peak_accelerators"], shares["intel"]["peak_year"]) == (0.696, 2027)
    assert (shares["nvidia"]["peak_accelerators"], shares["nvidia"]["peak_year"]) == (1.0, 2028)
    plan = {"years": [2027, 2028], "vendor_shares": shares, "installed": []}
    rows = {r["vendor"]: r for r in vendor_shares(plan, catalog)}
    assert rows["Intel"]["share"] == "0%" and rows["Intel"]["peak"] == "70% (2027)"


def test_announced_hardware_ordered_before_its_first_deliveries_is_said(catalog):
    """Trial (Saudi Arabia): Helios was to be ordered by 2027-03-27, before its announced first deliveries
    (2027-04-01), while the register said "order only after first deliveries are confirmed"."""
    import datetime as dt

    from planner.report.risks import _roadmap_mitigation

    first = catalog.hardware["helios_mi455x"].available_from
    assert first is not None
    alloc = {"hardware": "helios_mi455x", "roadmap": True, "order_by": (first - dt.timedelta(days=5)).isoformat()}
    text = _roadmap_mitigation({"allocations": [alloc]}, catalog)
    assert f"before the announced first deliveries ({first.isoformat()})" in text
    alloc["order_by"] = (first + dt.timedelta(days=5)).isoformat()
    assert _roadmap_mitigation({"allocations": [alloc]}, catalog).startswith("order only after first deliveries")


def test_site_mix_chart_gives_twelve_sites_twelve_colours_and_a_legend_entry_each():
    """Trial (Ethiopia): with 12 sites two pairs shared a colour (nine cycled) and two sites fell below the chart's
    height, out of its legend."""
    import re

    from planner.report.proposal_charts import share_chart

    sites = [f"Regional data centre number {i}" for i in range(12)]
    svg = str(share_chart("Accelerators in service by site", "share (%)", ["2033"], [{s: 1 / 12 for s in sites}]))
    fills = set(re.findall(r'<rect[^>]*fill="(#[0-9a-f]{6})"[^>]*><title>2033: ', svg))
    assert len(fills) == 12, fills
    height = float(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))
    legend_y = [float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)" text-anchor="start"', svg)]
    assert len(legend_y) == 12 and max(legend_y) < height, (legend_y, height)


def test_terminal_shadow_prices_give_one_line_per_rule_and_site():
    """Trial (Uzbekistan): "liquid cooling at Nukus" for five hardware options, each "per unit", filled the list;
    trial (Ethiopia): four identical "within the site's power (at its limit ...)" lines named no site."""
    from planner.plan import Names
    from planner.summary import _shaping_lines

    def row(family, ids, price, message):
        return {"family": family, "ids": ids, "category": "limit", "shadow_price_usd": price, "message": message}

    binding = [
        row("facility_cooling", ["nukus", "gb300"], -3e6, "liquid cooling at `nukus` for `gb300` would save $3.0 M"),
        row("facility_cooling", ["nukus", "nvl72"], -2e6, "liquid cooling at `nukus` for `nvl72` would save $2.0 M"),
        row("site_power", ["addis", 2030], None, "IT power × PUE stays within the site's power (at its limit; ...)."),
        row("site_power", ["dessie", 2030], None, "IT power × PUE stays within the site's power (at its limit; ...)."),
    ]
    names = Names(sites={"nukus": "Nukus hall", "addis": "Addis DC", "dessie": "Dessie DC"})
    lines = _shaping_lines(binding, names)
    assert len(lines) == 3, lines
    assert lines[0].endswith("(and 1 more of this rule here in plan.json)") and "Nukus hall" in lines[0]
    assert "Addis DC" in lines[1] and "Dessie DC" in lines[2]
