"""Capacity against demand, training placements, site power, and the charts of a plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.catalog import Catalog
from planner.report import charts
from planner.report.fmt import kw, num, pct
from planner.report.names import humanize

if TYPE_CHECKING:
    from planner.plan import Names


def short_name(catalog: Catalog, h: str) -> str:
    """The catalog name without its parenthesised detail: "NVIDIA GB200 NVL72"."""
    hw = catalog.hardware.get(h)
    return hw.name.split(" (")[0] if hw else h


def serving(plan: dict[str, Any], names: Names) -> list[dict[str, Any]]:
    out = []
    for w in plan.get("workloads", []):
        if w["kind"] != "serving" or not w.get("by_year"):
            continue
        rows = []
        for y in w.get("by_year", []):
            d, c = y["demand_output_tokens_per_s"], y["capacity_output_tokens_per_s"]
            rows.append(
                {
                    "year": str(y["year"]),
                    "demand": num(d),
                    "capacity": num(c),
                    "cover": pct(c / d) if d > 0 else "–",
                    "met": c >= d * (1 - 1e-6),
                }
            )
        notes = []
        if "language_premium" in w:
            notes.append(
                f"Token counts include a language premium of ×{w['language_premium']:.2f} "
                f"(the tokenizer of {names.model(w['model'])} needs more tokens for the programme's languages than "
                "for English)."
            )
        notes += [humanize(str(n), names) for n in w.get("notes") or []]
        used = sorted({p["hardware"] for p in w.get("placements") or []})
        for h in used:
            band = (w.get("per_unit", {}).get(h) or {}).get("error_band")
            if band:
                notes.append(f"Throughput of {names.hw(h)}: {band}.")
        out.append({"name": names.workload(w["name"]), "model": names.model(w["model"]), "rows": rows, "notes": notes})
    return out


def training(plan: dict[str, Any], names: Names) -> list[dict[str, str]]:
    out = []
    for w in plan.get("workloads", []):
        if w["kind"] == "serving":
            continue
        p = w.get("placement")
        demand = w.get("demand") or {}
        row = {
            "name": names.workload(w["name"]),
            "kind": w["kind"].replace("_", " "),
            "model": names.model(w["model"]),
            "year": str(w.get("year", "")),
            "compute": f"{demand['value']:.2e} FLOP" if "value" in demand else "",
            "deadline": f"{demand['deadline_days']:,.0f} days" if "deadline_days" in demand else "",
            "placement": "not placed",
            "days": "",
            "hours": "",
            "efficiency": "",
        }
        if p:
            row["placement"] = f"{num(p['units'])} × {names.hw(p['hardware'])} at {names.site(p['site'])}"
            row["days"] = f"{p['wall_days']:,.1f} days"
            row["hours"] = num(p["accelerator_hours"])
            row["efficiency"] = f"MFU {pct(p['mfu'])}, goodput {pct(p['goodput'])}"
            if p.get("error_band"):
                row["efficiency"] += f"; {p['error_band']}"
        out.append(row)
    return out


def sites(plan: dict[str, Any], names: Names) -> list[dict[str, str]]:
    return [
        {
            "site": names.site(s["site"]),
            "name": "",  # the site column already shows its name
            "year": str(s["year"]),
            "power": kw(s["facility_power_kw"]),
            "limit": kw(s["power_limit_kw"]),
            "power_pct": pct(s["facility_power_kw"] / s["power_limit_kw"]) if s["power_limit_kw"] else "–",
            "space": f"{num(s['rack_units'])} / {num(s['rack_units_limit'])} U",
        }
        for s in plan.get("sites", [])
    ]


def plan_charts(plan: dict[str, Any], names: Names) -> dict[str, Any]:
    years = plan["years"]
    by_year = plan.get("costs_by_year", [])
    out: dict[str, Any] = {"cost": None, "capacity": {}, "power": None}
    if by_year:
        out["cost"] = charts.cost_chart(
            [y["year"] for y in by_year], [y["capex_usd"] for y in by_year], [y["opex_usd"] for y in by_year]
        )
    for w in plan.get("workloads", []):
        if w["kind"] == "serving" and w.get("by_year"):
            rows = w["by_year"]
            out["capacity"][names.workload(w["name"])] = charts.capacity_chart(
                names.workload(w["name"]),
                [r["year"] for r in rows],
                [r["demand_output_tokens_per_s"] for r in rows],
                [r["capacity_output_tokens_per_s"] for r in rows],
            )
    sites = plan.get("sites", [])
    if sites:
        labels = list(dict.fromkeys(names.site(s["site"]) for s in sites))
        out["power"] = charts.power_chart(
            labels,
            years,
            {(names.site(s["site"]), s["year"]): s["facility_power_kw"] for s in sites},
            {(names.site(s["site"]), s["year"]): s["power_limit_kw"] for s in sites},
        )
    return out
