"""Vendor and site mix of the fleet per year (charts), and the appendix of ids for those who edit country.yaml."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.report.proposal_charts import share_chart
from planner.report.risks import vendor_name
from planner.report.tr import _

if TYPE_CHECKING:
    from planner.catalog import Catalog
    from planner.plan import Names


def mix_charts(plan: dict[str, Any], catalog: Catalog, names: Names) -> dict[str, Any]:
    """Share of the accelerators in service per vendor and per site, each year (None without a fleet)."""
    by_vendor: dict[int, dict[str, float]] = {}
    by_site: dict[int, dict[str, float]] = {}
    for r in plan.get("installed") or []:
        hw = catalog.hardware.get(r["hardware"])
        vendor = vendor_name(hw.vendor) if hw else r["hardware"]
        by_vendor.setdefault(r["year"], {}).setdefault(vendor, 0.0)
        by_vendor[r["year"]][vendor] += r["accelerators"]
        by_site.setdefault(r["year"], {}).setdefault(names.site(r["site"]), 0.0)
        by_site[r["year"]][names.site(r["site"])] += r["accelerators"]
    if not by_vendor:
        return {"vendor": None, "site": None}

    def shares(table: dict[int, dict[str, float]]) -> list[dict[str, float]]:
        return [{k: v / (sum(row.values()) or 1) for k, v in row.items()} for _y, row in sorted(table.items())]

    years = [str(y) for y in sorted(by_vendor)]
    return {
        "vendor": share_chart(
            _("Accelerators in service by vendor"), _("share of the accelerators (%)"), years, shares(by_vendor)
        ),
        "site": share_chart(
            _("Accelerators in service by site"), _("share of the accelerators (%)"), years, shares(by_site)
        ),
    }


def id_appendix(names: Names) -> list[dict[str, str]]:
    """Every name the report uses with the id country.yaml and the catalog know it by."""
    kinds = (
        (_("Site"), names.sites),
        (_("Workload"), names.workloads),
        (_("Model"), names.models),
        (_("Hardware"), names.hardware),
    )
    return [{"kind": kind, "name": name, "id": key} for kind, table in kinds for key, name in table.items()]
