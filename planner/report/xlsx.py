"""bom.xlsx: the bill of materials per site and year with unit prices and their catalog sources.

Numbers are written as values (not formulas) so any reader, including openpyxl, sees the totals. The totals row
sums the rows above it (units and accelerators acquired; rented ones are unit-years) and gives plan.json's
`totals.capex_usd` and `totals.power_kw` (IT power at own sites, peak year); rented rows draw no site power.
Each cloud contract shows its terms (a year, quarters on demand, a reservation, a training job) and its rent over
the horizon; their sum is the plan's cloud rent, the "rent" opex line of the Costs by year sheet.
"""

from __future__ import annotations

import io
import math
import re
from typing import TYPE_CHECKING, Any

from planner.catalog import Catalog
from planner.report import i18n
from planner.report.fmt import country_name, usd_exact
from planner.report.i18n import N_, _
from planner.report.rent import rent_terms, rent_usd, rented_years

if TYPE_CHECKING:
    from planner.plan import Names, Plan

BOM_COLUMNS = (
    (N_("Site"), 30),
    (N_("Site id"), 18),
    (N_("Year"), 7),
    (N_("Acquisition"), 11),
    (N_("Hardware id"), 18),
    (N_("Hardware"), 44),
    (N_("Vendor"), 10),
    (N_("Units"), 8),
    (N_("Accelerators"), 13),
    (N_("Hardware price per unit (USD)"), 16),
    (N_("Capex per unit (USD)"), 16),
    (N_("Capex (USD)"), 16),
    (N_("Rent terms"), 30),
    (N_("Rent in the horizon (USD)"), 16),
    (N_("IT power (kW)"), 13),
    (N_("Price confidence"), 15),
    (N_("Price as of"), 11),
    (N_("Price source (catalog reference)"), 26),
    (N_("Price source (citation)"), 70),
)
COST_COLUMNS = (
    (N_("Year"), 8),
    (N_("Capex (USD)"), 16),
    (N_("Opex (USD)"), 16),
    (N_("of which cloud rent (USD)"), 16),
    (N_("Discount factor"), 15),
    (N_("Installed units"), 15),
    (N_("Installed accelerators"), 20),
    (N_("IT power, own sites (kW)"), 16),
    (N_("IT power, rented (kW)"), 16),
)
# how the Acquisition column says each way of acquiring (plan.json keeps the ids)
ACQUISITION = {
    "buy": N_("buy"),
    "rent": N_("rent"),
    "reserve_3y": N_("reserved for 3 years"),
    "rent_hours": N_("rented by the hour"),
}
STATUS = {"optimal": N_("optimal"), "feasible": N_("feasible"), "infeasible": N_("infeasible")}
MONEY = '"$"#,##0'
COUNT = "#,##0"
KW = "#,##0.0"


def bom_workbook(typed: Plan) -> bytes:
    """The workbook as bytes (sheets: Bill of materials, Costs by year, About), from the typed plan alone."""
    from openpyxl import Workbook

    catalog = typed.catalog_view()
    plan = typed.as_dict()
    wb = Workbook()
    if plan["status"] == "infeasible":  # the first thing a reader of an infeasible plan needs
        _diagnosis_sheet(wb.active, plan, typed.names)
        _bom_sheet(wb.create_sheet(_("Bill of materials")), plan, catalog, typed.names)
    else:
        _bom_sheet(wb.active, plan, catalog, typed.names)
    _costs_sheet(wb.create_sheet(_("Costs by year")), plan)
    _about_sheet(wb.create_sheet(_("About")), plan)
    rtl = i18n.info().rtl
    for sheet in wb.worksheets:  # no formulas are written: text such as "=..." from an input stays text
        sheet.sheet_view.rightToLeft = rtl  # an Arabic workbook reads from the right, as its report does
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# characters XML 1.0 (and so a worksheet) cannot hold; openpyxl refuses them with IllegalCharacterError
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
MAX_CELL_TEXT = 32_767
"""Excel's limit on the characters of one cell."""


def cell_value(value: Any) -> Any:
    """A value a worksheet can hold: control characters written as escapes (\\x1b), text cut to Excel's limit,
    numbers to six decimals, non-finite or out-of-range numbers left empty."""
    if isinstance(value, str):
        text = _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else "\ufffd", value)
        return text if len(text) <= MAX_CELL_TEXT else text[: MAX_CELL_TEXT - 1] + "…"
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if abs(value) < 10**300 else None
    if isinstance(value, float):
        # floating-point residue of sums and prices (93381.65000000001, 2.9e-09 for no capex) shown as written
        return round(value, 6) + 0.0 if math.isfinite(value) else None
    return cell_value(str(value))


def _append(ws: Any, row: list[Any]) -> None:
    ws.append([cell_value(v) for v in row])


def _header(ws: Any, columns: tuple[tuple[str, int], ...]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    _append(ws, [_(c) for c, _width in columns])
    for i, (_title, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def _bold_last_row(ws: Any) -> None:
    from openpyxl.styles import Font

    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)


def _formats(ws: Any, formats: dict[int, str]) -> None:
    for row in ws.iter_rows(min_row=2):
        for index, fmt in formats.items():
            if index < len(row):
                row[index].number_format = fmt


def _bom_line(**cells: Any) -> list[Any]:
    """A row of the bill of materials from cells by column (keys: the column titles in snake case)."""
    keys = [re.sub(r"[^a-z]+", "_", title.lower()).strip("_") for title, _width in BOM_COLUMNS]
    unknown = set(cells) - set(keys)
    if unknown:
        raise KeyError(f"no bill-of-materials column {sorted(unknown)}")
    return [cells.get(k) for k in keys]


def _bom_row(a: dict[str, Any], catalog: Catalog, names: Names, years: list[int]) -> list[Any]:
    hw = catalog.hardware.get(a["hardware"])
    src = hw.provenance("price_usd_per_unit") if hw else None
    ref = catalog.references.get(src.ref) if src else None
    bought = a["acquisition"] == "buy"
    return _bom_line(
        site=names.site(a["site"]),
        site_id=a["site"],
        year=a["year"],
        acquisition=_(ACQUISITION[a["acquisition"]]) if a["acquisition"] in ACQUISITION else a["acquisition"],
        hardware_id=a["hardware"],
        hardware=hw.name if hw else "",
        vendor=hw.vendor if hw else "",
        units=a["units"],
        accelerators=a["accelerators"],
        # the hardware at that year's price; capex per unit adds its share of fabric and the site's fit-out
        hardware_price_per_unit_usd=a.get("unit_price_usd") if bought else None,
        capex_per_unit_usd=a["capex_usd"] / a["units"] if a["units"] and bought else None,
        capex_usd=a["capex_usd"],
        rent_terms=None if bought else rent_terms(a),
        rent_in_the_horizon_usd=None if bought else rent_usd(a, years),
        it_power_kw=a["power_kw"] if bought else None,
        price_confidence=_(src.confidence) if src else "",
        price_as_of=(hw.price_as_of or (src.as_of if src else "")) if hw else "",
        price_source_catalog_reference=src.ref if src else "",
        price_source_citation=ref.cite if ref else "",
    )


def _bom_sheet(ws: Any, plan: dict[str, Any], catalog: Catalog, names: Names) -> None:
    from openpyxl.utils import get_column_letter

    ws.title = _("Bill of materials")
    _header(ws, BOM_COLUMNS)
    allocs = sorted(plan.get("allocations", []), key=lambda a: (a["site"], a["year"], a["hardware"]))
    years = plan.get("years", [])
    for a in allocs:
        _append(ws, _bom_row(a, catalog, names, years))
    for y in plan.get("costs_by_year", []):  # storage for the training jobs is bought too
        storage = y.get("capex_lines_usd", {}).get("storage", 0.0)
        if storage:
            label = _("Storage for training data and checkpoints, %(year)s", year=y["year"])
            _append(
                ws,
                _bom_line(
                    site=label,
                    year=y["year"],
                    acquisition=_("buy"),
                    capex_usd=storage,
                    price_confidence=_("estimate"),
                    price_source_catalog_reference=_("cost line"),
                    price_source_citation=_("catalog cost lines"),
                ),
            )
    t = plan["totals"]
    bought = [a for a in allocs if a.get("acquisition", "buy") == "buy"]
    rented = [a for a in allocs if a.get("acquisition", "buy") != "buy"]
    if rented:  # rented unit-years and hourly units are not units owned: listed apart, not added to the total
        # their rent over the horizon is the plan's cloud rent (costs_by_year opex line "rent", summed)
        _append(
            ws,
            _bom_line(
                site=_("Rented (unit-years, and units rented by the hour; not in the total)"),
                acquisition=_("rent"),
                units=sum(a["units"] * rented_years(a) for a in rented),
                accelerators=sum(a["accelerators"] * rented_years(a) for a in rented),
                rent_terms=_("all cloud rent in the horizon (opex)"),
                rent_in_the_horizon_usd=sum(rent_usd(a, years) for a in rented),
            ),
        )
    _append(
        ws,
        _bom_line(
            site=_("Total bought (power: own sites, peak year)"),
            units=sum(a["units"] for a in bought),
            accelerators=sum(a["accelerators"] for a in bought),
            capex_usd=t["capex_usd"],
            it_power_kw=t["power_kw"],
        ),
    )
    _bold_last_row(ws)
    _formats(ws, {7: COUNT, 8: COUNT, 9: MONEY, 10: MONEY, 12: MONEY, 13: KW})
    ws.auto_filter.ref = f"A1:{get_column_letter(len(BOM_COLUMNS))}{max(ws.max_row - 1, 1)}"


def _diagnosis_sheet(ws: Any, plan: dict[str, Any], names: Names) -> None:
    """Why no plan exists: what is short, and each single change that makes a plan possible."""
    from planner.report.names import humanize
    from planner.sizing.diagnose import remedy_lines

    ws.title = _("Diagnosis")
    from planner.report.workloads import shortfall_text

    short, remedies = remedy_lines(plan.get("diagnosis"), lambda s: shortfall_text(s, names), _, usd_exact)
    _append(ws, [_("No plan meets every requirement within the limits given.")])
    _append(ws, [])
    _append(ws, [_("What is short")])
    _bold_last_row(ws)
    for line in short:
        _append(ws, [humanize(line, names)])
    _append(ws, [])
    _append(ws, [_("Any one of these changes on its own makes a plan possible")])
    _bold_last_row(ws)
    for line in remedies or [_("relaxing several limits together")]:
        _append(ws, [humanize(line, names)])
    ws.column_dimensions["A"].width = 120


def _costs_sheet(ws: Any, plan: dict[str, Any]) -> None:
    _header(ws, COST_COLUMNS)
    years = plan.get("costs_by_year", [])
    for y in years:
        _append(
            ws,
            [
                y["year"],
                y["capex_usd"],
                y["opex_usd"],
                y.get("opex_lines_usd", {}).get("rent", 0.0),
                y.get("discount_factor"),
                y["installed_units"],
                y["installed_accelerators"],
                y["it_power_kw"],
                y.get("it_power_kw_rented", 0.0),
            ],
        )
    rent = sum(y.get("opex_lines_usd", {}).get("rent", 0.0) for y in years)
    _append(ws, [_("Total"), sum(y["capex_usd"] for y in years), sum(y["opex_usd"] for y in years), rent])
    _bold_last_row(ws)
    _formats(ws, {1: MONEY, 2: MONEY, 3: MONEY, 4: "0.0000", 5: COUNT, 6: COUNT, 7: KW, 8: KW})


def _about_sheet(ws: Any, plan: dict[str, Any]) -> None:
    prov = plan.get("provenance", {})
    t = plan["totals"]
    for label, val in (
        (_("Country"), country_name(plan["country"])),
        (_("Status"), _(STATUS.get(plan["status"], plan["status"]))),
        (_("Years"), f"{plan['years'][0]}-{plan['years'][-1]}"),
        (_("Capex total (USD, plan.json totals.capex_usd)"), t["capex_usd"]),
        (_("Net present cost (USD, plan.json totals.npv_usd)"), t["npv_usd"]),
        (_("Planner version"), plan.get("planner_version", "")),
        (_("Input file"), prov.get("input_file", "")),
        (_("Input sha256"), plan.get("inputs_sha256", "")),
        (_("Catalog sha256"), prov.get("catalog_sha256", "")),
        (_("Created (UTC)"), prov.get("created_utc", "")),
    ):
        _append(ws, [label, val])
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 70
    for r in (4, 5):
        ws.cell(row=r, column=2).number_format = MONEY
