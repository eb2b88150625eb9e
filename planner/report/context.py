"""Turn plan.json (and the catalog entries it used) into the view model the templates format.

Templates only format; every number, label and sentence is decided here.
"""

from __future__ import annotations

from typing import Any

from planner.catalog import Catalog
from planner.sizing.diagnose import format_usd, remedy_lines
from planner.sizing.rows import FAMILIES


def report_context(plan: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    """Everything a report template shows, already formatted."""
    infeasible = plan["status"] == "infeasible"
    return {
        "title": f"Sovereign AI deployment plan — {plan['country']['name']}",
        "country": plan["country"],
        "status": plan["status"],
        "infeasible": infeasible,
        "period": f"{plan['years'][0]}–{plan['years'][-1]}",
        "headline": _headline(plan),
        "totals": _totals(plan),
        "allocations": _allocations(plan, catalog),
        "workloads": _workloads(plan),
        "sites": _sites(plan),
        "costs_by_year": [
            {
                "year": y["year"],
                "capex": format_usd(y["capex_usd"]),
                "opex": format_usd(y["opex_usd"]),
                "accelerators": f"{y['installed_accelerators']:,}",
                "power": f"{y['it_power_kw']:,.0f} kW",
            }
            for y in plan.get("costs_by_year", [])
        ],
        "binding": [_binding(b) for b in plan.get("binding_constraints", [])],
        "diagnosis": remedy_lines(plan.get("diagnosis"))[0],
        "remedies": remedy_lines(plan.get("diagnosis"))[1],
        "assumptions": _assumptions(plan, catalog),
        "provenance": _provenance(plan),
    }


def _headline(plan: dict[str, Any]) -> str:
    if plan["status"] == "infeasible":
        n = len(remedy_lines(plan.get("diagnosis"))[0])
        return f"No plan satisfies every requirement; {n} requirement{_s(n)} cannot be met (see Diagnosis)."
    t = plan["totals"]
    hw = sorted({a["hardware"] for a in plan["allocations"]})
    sites = sorted({a["site"] for a in plan["allocations"]})
    return (
        f"Buy {t['units']:,} units ({t['accelerators']:,} accelerators) of {', '.join(hw) or 'no hardware'} "
        f"at {', '.join(sites) or 'no site'} for {format_usd(t['capex_usd'])}; "
        f"running cost up to {format_usd(t['opex_usd_per_year'])} a year; "
        f"net present cost {format_usd(t['npv_usd'])} over {len(plan['years'])} year{_s(len(plan['years']))}."
    )


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _totals(plan: dict[str, Any]) -> list[tuple[str, str]]:
    t = plan["totals"]
    return [
        ("Capital expenditure", format_usd(t["capex_usd"])),
        ("Operating cost (peak year)", f"{format_usd(t['opex_usd_per_year'])} / year"),
        ("Total cost of ownership (undiscounted)", format_usd(t["tco_usd"])),
        ("Net present cost", format_usd(t["npv_usd"])),
        ("Accelerators", f"{t['accelerators']:,}"),
        ("Units", f"{t['units']:,}"),
        ("IT power (peak year)", f"{t['power_kw']:,.0f} kW"),
    ]


def _allocations(plan: dict[str, Any], catalog: Catalog) -> list[dict[str, str]]:
    rows = []
    for a in plan.get("allocations", []):
        hw = catalog.hardware.get(a["hardware"])
        rows.append(
            {
                "year": str(a["year"]),
                "site": a["site"],
                "hardware": hw.name if hw else a["hardware"],
                "hardware_id": a["hardware"],
                "units": f"{a['units']:,}",
                "accelerators": f"{a['accelerators']:,}",
                "unit_price": format_usd(hw.price_usd_per_unit) if hw else "",
                "price_estimate": bool(hw and hw.provenance("price_usd_per_unit").confidence == "estimate"),
                "capex": format_usd(a["capex_usd"]),
                "power": f"{a['power_kw']:,.0f} kW",
            }
        )
    return rows


def _workloads(plan: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for w in plan.get("workloads", []):
        row = {"name": w["name"], "kind": w["kind"].replace("_", " "), "model": w["model"], "lines": []}
        if w["kind"] == "serving" and "by_year" in w:
            row["lines"] = [
                f"{y['year']}: demand {y['demand_output_tokens_per_s']:,.0f} output tokens/s at peak, "
                f"capacity {y['capacity_output_tokens_per_s']:,.0f}"
                for y in w["by_year"]
            ]
            row["lines"].append(
                f"language premium ×{w['language_premium']:.2f} on tokens (tokenizer of `{w['model']}`)"
            )
            row["lines"] += w.get("notes", [])
        elif "placement" in w:
            p = w["placement"]
            row["lines"] = [
                f"{p['units']:,} × {p['hardware']} ({p['accelerators']:,} accelerators) at {p['site']} in {w['year']}",
                f"{w['demand']['value']:.3g} FLOP in {p['wall_days']:.1f} days "
                f"(deadline {w['demand']['deadline_days']:g} days; MFU {p['mfu']:.0%}, goodput {p['goodput']:.0%})",
                f"{p['accelerator_hours']:,.0f} accelerator-hours",
            ]
        out.append(row)
    return out


def _sites(plan: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "site": s["site"],
            "year": str(s["year"]),
            "power": f"{s['facility_power_kw']:,.0f} / {s['power_limit_kw']:,.0f} kW",
            "power_pct": f"{s['facility_power_kw'] / s['power_limit_kw']:.0%}",
            "space": f"{s['rack_units']:,.0f} / {s['rack_units_limit']:,} U",
        }
        for s in plan.get("sites", [])
    ]


def _binding(b: dict[str, Any]) -> str:
    meta = FAMILIES[b["family"]]
    ids = ", ".join(str(i) for i in b["ids"])
    where = f"{b['family']}: {ids}" if ids else b["family"]
    return f"{meta.description} ({where}) is at its limit: {b['lhs']:,.4g} of {b['rhs']:,.4g} {meta.unit}."


def _assumptions(plan: dict[str, Any], catalog: Catalog) -> list[dict[str, str]]:
    """Catalog figures behind the purchased hardware, with their sources."""
    rows = []
    used = sorted({a["hardware"] for a in plan.get("allocations", [])})
    fields = ("bf16_tflops_per_chip", "hbm_gb_per_chip", "hbm_tb_s_per_chip", "power_kw_per_unit", "price_usd_per_unit")
    for h in used:
        hw = catalog.hardware.get(h)
        if hw is None:
            continue
        for f in fields:
            src = hw.provenance(f)
            ref = catalog.references.get(src.ref)
            rows.append(
                {
                    "item": f"{h}.{f}",
                    "value": f"{getattr(hw, f):,.4g}",
                    "source": ref.cite if ref else src.ref,
                    "as_of": src.as_of or (ref.as_of if ref else ""),
                    "confidence": src.confidence,
                }
            )
    return rows


def _provenance(plan: dict[str, Any]) -> list[tuple[str, str]]:
    p = plan["provenance"]
    s = plan["solver"]
    return [
        ("Planner version", plan["planner_version"]),
        ("Input file", f"{p['input_file']} (sha256 {plan['inputs_sha256'][:16]}…)"),
        ("Catalog", f"sha256 {p['catalog_sha256'][:16]}…"),
        ("Solver", f"{s['name']} via PuLP {p['pulp_version']}, {s['runtime_s']:.2f} s"),
        ("Created", p["created_utc"]),
    ]
