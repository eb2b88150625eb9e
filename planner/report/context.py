"""Turn plan.json (and the catalog entries it used) into the view model every report format shows.

Templates only format; every number, label and sentence is decided here (and in the small modules
`economics`, `risks`, `sources` and `charts`).
"""

from __future__ import annotations

from typing import Any

from planner.catalog import Catalog
from planner.report.economics import unit_costs
from planner.report.fmt import format_usd, kw, money_m, num, tokens_rate, usd_exact
from planner.report.risks import lead_times, risks, vendor_shares
from planner.report.rules import binding_groups
from planner.report.sources import assumptions, references_used
from planner.report.workloads import plan_charts, serving, short_name, sites, training
from planner.sizing.diagnose import remedy_lines

STATUS_LABELS = {"optimal": "Optimal plan", "feasible": "Feasible plan (not proven optimal)", "infeasible": "No plan"}


def report_context(plan: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    """Everything a report shows, already formatted (HTML, PDF, Markdown and the workbook share it)."""
    infeasible = plan["status"] == "infeasible"
    diagnosis, remedies = remedy_lines(plan.get("diagnosis"))
    groups = assumptions(plan, catalog)
    ctx: dict[str, Any] = {
        "title": "Sovereign AI deployment plan",
        "country": plan["country"],
        "status": plan["status"],
        "status_label": STATUS_LABELS.get(plan["status"], plan["status"]),
        "infeasible": infeasible,
        "period": _period(plan["years"]),
        "created": plan.get("provenance", {}).get("created_utc", ""),
        "headline": _headline(plan, diagnosis),
        "summary": _infeasible_summary(plan, diagnosis, remedies) if infeasible else _summary(plan, catalog),
        "key_figures": [] if infeasible else _key_figures(plan),
        "bom": _bom(plan, catalog),
        "bom_total": _bom_total(plan),
        "existing": [
            {
                "site": e["site"],
                "hardware": short_name(catalog, e["hardware"]),
                "units": num(e["units"]),
                "installed": str(e["installed_year"]),
                "retires": str(e["last_year_in_service"] + 1),
            }
            for e in plan.get("existing") or []
        ],
        "costs_by_year": _costs_by_year(plan),
        "cost_total": _cost_total(plan),
        "unit_costs": unit_costs(plan),
        "serving": serving(plan),
        "training": training(plan, catalog),
        "sites": sites(plan),
        "binding": binding_groups(plan.get("binding_constraints") or []),
        "diagnosis": diagnosis,
        "remedies": remedies,
        "risks": risks(plan, catalog),
        "vendor_shares": vendor_shares(plan, catalog),
        "lead_times": lead_times(plan, catalog),
        "assumptions": groups,
        "references": references_used(groups, catalog),
        "provenance": _provenance(plan),
        "charts": plan_charts(plan),
        "rule_costs": _rule_costs(plan),
        "defaults": [
            {
                "field": d["field"],
                "value": _plain(d["value"])
                if not isinstance(d["value"], dict)
                else ", ".join(f"{k} {v:.0%}" for k, v in d["value"].items()),
                "source": d["source"],
                "confidence": d["confidence"],
            }
            for d in plan.get("defaults_applied") or []
        ],
        "average_load": f"{plan.get('planning', {}).get('average_power_fraction', 0.7):.0%}",
        "scenario": plan.get("scenario") or "",
        "overrides": [
            {"key": a["key"], "change": f"{_plain(a['old'])} → {_plain(a['new'])}", "source": a["source"]}
            for a in plan.get("applied_overrides") or []
        ],
    }
    ctx["toc"] = _toc(ctx)
    return ctx


def _period(years: list[int]) -> str:
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def _headline(plan: dict[str, Any], diagnosis: list[str]) -> str:
    name = plan["country"]["name"]
    if plan["status"] == "infeasible":
        return (
            f"No plan for {name} meets every requirement within the limits given. The diagnosis below says what "
            "is short and which single change would make a plan possible."
        )
    t = plan["totals"]
    years = plan["years"]
    rented = sum(a["accelerators"] for a in plan.get("allocations", []) if a.get("acquisition") == "rent")
    how = f" ({num(rented)} of them rented in cloud regions)" if rented else ""
    return (
        f"{name} acquires {num(t['accelerators'])} accelerators{how} in {num(t['units'])} units "
        f"for {format_usd(t['capex_usd'])} of capital expenditure "
        f"{f'in {years[0]}' if years[0] == years[-1] else f'between {years[0]} and {years[-1]}'}; "
        "running them costs up to "
        f"{format_usd(t['opex_usd_per_year'])} a year, and the whole programme {format_usd(t['npv_usd'])} in "
        f"today's money (net present cost)."
    )


def _summary(plan: dict[str, Any], catalog: Catalog) -> list[dict[str, Any]]:
    """Executive summary: what, where, when, for how much, what it serves."""
    allocs = plan.get("allocations", [])
    by_hw: dict[str, list[int]] = {}
    by_site: dict[str, list[int]] = {}
    by_year: dict[int, float] = {}
    for a in allocs:
        u = by_hw.setdefault(a["hardware"], [0, 0])
        u[0] += a["units"]
        u[1] += a["accelerators"]
        s = by_site.setdefault(a["site"], [0, 0])
        s[0] += a["units"]
        s[1] += a["accelerators"]
        by_year[a["year"]] = by_year.get(a["year"], 0.0) + a["capex_usd"]
    rented = {a["hardware"] for a in allocs if a.get("acquisition") == "rent"}
    what = [
        f"{num(u)} × {short_name(catalog, h)} ({num(c)} accelerators{', partly rented' if h in rented else ''})"
        for h, (u, c) in sorted(by_hw.items(), key=lambda kv: -kv[1][1])
    ]
    where = [f"{site}: {num(u)} units, {num(c)} accelerators" for site, (u, c) in sorted(by_site.items())]
    when = [f"{y}: {format_usd(c)} of purchases" for y, c in sorted(by_year.items())]
    t = plan["totals"]
    cost = [
        f"Capital expenditure {format_usd(t['capex_usd'])}",
        f"Operating cost up to {format_usd(t['opex_usd_per_year'])} a year (electricity, maintenance, licences)",
        f"Total cost of ownership {format_usd(t['tco_usd'])} over {len(plan['years'])} years (undiscounted); "
        f"net present cost {format_usd(t['npv_usd'])}",
    ]
    if t.get("emissions_tco2_per_year"):
        cost.append(
            f"Emissions up to {num(t['emissions_tco2_per_year'])} t CO2e a year from the sites' electricity "
            "(grid-average carbon intensity)"
        )
    serves = []
    for w in plan.get("workloads", []):
        if w["kind"] == "serving" and w.get("by_year"):
            last = w["by_year"][-1]
            serves.append(
                f"{w['name']} ({w['model']}): {tokens_rate(last['demand_output_tokens_per_s'])} at the busy hour "
                f"in {last['year']}"
            )
        elif w.get("placement"):
            p = w["placement"]
            serves.append(
                f"{w['name']} ({w['kind'].replace('_', ' ')} of {w['model']}): {p['wall_days']:,.0f} days on "
                f"{num(p['accelerators'])} accelerators in {w['year']}"
            )
    return [
        {"label": "What to acquire", "items": what or ["nothing"]},
        {"label": "Where", "items": where or ["no site"]},
        {"label": "When", "items": when or ["no purchases"]},
        {"label": "For how much", "items": cost},
        {"label": "What it serves", "items": serves or ["no workload"]},
    ]


def _infeasible_summary(plan: dict[str, Any], diagnosis: list[str], remedies: list[str]) -> list[dict[str, Any]]:
    """What was asked, what is short, and what would make a plan possible, for a plan that does not exist."""
    asked = []
    for w in plan.get("workloads", []):
        demand = w.get("demand") or {}
        if w["kind"] == "serving" and demand:
            asked.append(
                f"{w['name']} ({w['model']}): {tokens_rate(demand['value'])} at the busy hour in {demand['year']}"
            )
        elif demand:
            asked.append(
                f"{w['name']} ({w['kind'].replace('_', ' ')} of {w['model']}) within {demand['deadline_days']:g} days"
            )
    return [
        {"label": "What was asked", "items": asked or ["no workload"]},
        {"label": "What is short", "items": diagnosis or ["see the diagnosis"]},
        {"label": "What would make a plan possible", "items": remedies or ["relaxing several limits together"]},
    ]


def _key_figures(plan: dict[str, Any]) -> list[tuple[str, str]]:
    t = plan["totals"]
    return [
        ("Capital expenditure", format_usd(t["capex_usd"])),
        ("Operating cost, peak year", f"{format_usd(t['opex_usd_per_year'])} / year"),
        ("Net present cost", format_usd(t["npv_usd"])),
        ("Accelerators", num(t["accelerators"])),
        ("IT power, peak year", kw(t["power_kw"])),
    ]


def _bom(plan: dict[str, Any], catalog: Catalog) -> list[dict[str, Any]]:
    rows = []
    for a in sorted(plan.get("allocations", []), key=lambda a: (a["site"], a["year"], a["hardware"])):
        hw = catalog.hardware.get(a["hardware"])
        src = hw.provenance("price_usd_per_unit") if hw else None
        ref = catalog.references.get(src.ref) if src else None
        rows.append(
            {
                "site": a["site"],
                "year": str(a["year"]),
                "hardware": short_name(catalog, a["hardware"]),
                "hardware_full": hw.name if hw else a["hardware"],
                "hardware_id": a["hardware"],
                "vendor": hw.vendor if hw else "",
                "units": num(a["units"]),
                "accelerators": num(a["accelerators"]),
                "unit_price": _unit_price(a, hw),
                "unit_price_usd": hw.price_usd_per_unit if hw else None,
                "price_confidence": src.confidence if src else "",
                "price_source": ref.cite if ref else (src.ref if src else ""),
                "price_as_of": (src.as_of or (hw.price_as_of if hw else "")) if src else "",
                "capex": usd_exact(a["capex_usd"]),
                "capex_usd": a["capex_usd"],
                "power": kw(a["power_kw"]) if a.get("acquisition", "buy") == "buy" else "– (provider)",
            }
        )
    return rows


def _unit_price(allocation: dict[str, Any], hw: Any) -> str:
    """Purchase price, or for a rented unit its rent per year."""
    if allocation.get("acquisition") == "rent":
        return f"rent {format_usd(allocation['opex_usd_per_year'] / allocation['units'])}/yr"
    return usd_exact(hw.price_usd_per_unit) if hw else ""


def _bom_total(plan: dict[str, Any]) -> dict[str, str]:
    t = plan["totals"]
    # IT power at the programme's own sites; rented cloud capacity draws on the provider's power
    own = [a for a in plan.get("allocations", []) if a.get("acquisition", "buy") == "buy"]
    return {
        "units": num(t["units"]),
        "accelerators": num(t["accelerators"]),
        "capex": usd_exact(t["capex_usd"]),
        "power": kw(sum(a["power_kw"] for a in own)),
    }


def _costs_by_year(plan: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "year": str(y["year"]),
            "capex": money_m(y["capex_usd"], 2),
            "opex": money_m(y["opex_usd"], 2),
            "total": money_m(y["capex_usd"] + y["opex_usd"], 2),
            "discounted": money_m((y["capex_usd"] + y["opex_usd"]) * y.get("discount_factor", 1.0), 2),
            "accelerators": num(y["installed_accelerators"]),
            "power": kw(y["it_power_kw"]),
        }
        for y in plan.get("costs_by_year", [])
    ]


def _cost_total(plan: dict[str, Any]) -> dict[str, str]:
    years = plan.get("costs_by_year", [])
    capex = sum(y["capex_usd"] for y in years)
    opex = sum(y["opex_usd"] for y in years)
    return {
        "capex": money_m(capex, 2),
        "opex": money_m(opex, 2),
        "total": money_m(capex + opex, 2),
        "npv": money_m(plan["totals"]["npv_usd"], 2),
    }


def _provenance(plan: dict[str, Any]) -> list[tuple[str, str]]:
    p = plan.get("provenance", {})
    s = plan.get("solver", {})
    gap = s.get("mip_gap")
    solver = f"{s.get('name', '?')} via PuLP {p.get('pulp_version', '?')}, {s.get('runtime_s', 0):.2f} s"
    if gap is not None:
        solver += f", optimality gap {gap:.2%}"
    return [
        ("Planner version", str(plan.get("planner_version", ""))),
        ("Input file", str(p.get("input_file", ""))),
        ("Input sha256", str(plan.get("inputs_sha256", ""))),
        ("Catalog sha256", str(p.get("catalog_sha256", ""))),
        ("Solver", solver),
        ("Python", str(p.get("python", ""))),
        ("Created (UTC)", str(p.get("created_utc", ""))),
    ]


def _toc(ctx: dict[str, Any]) -> list[tuple[str, str]]:
    sections = [("summary", "Executive summary", True)]
    sections.append(("diagnosis", "Diagnosis: why no plan exists", ctx["infeasible"]))
    sections += [
        ("bom", "Bill of materials", bool(ctx["bom"])),
        ("costs", "Costs", bool(ctx["costs_by_year"])),
        ("capacity", "Capacity against demand", bool(ctx["serving"] or ctx["training"])),
        ("power", "Power and space per site", bool(ctx["sites"])),
        ("rules", "Rules that shaped the plan", bool(ctx["binding"])),
        ("rule-costs", "What each sovereignty rule costs", bool(ctx["rule_costs"])),
        ("overrides", "Scenario: changes to the country file", bool(ctx["overrides"])),
        ("defaults", "Values taken from the catalog", bool(ctx["defaults"])),
        ("risks", "Risks", bool(ctx["risks"] or ctx["lead_times"])),
        ("assumptions", "Appendix A: assumptions and sources", bool(ctx["assumptions"])),
        ("provenance", "Appendix B: provenance", True),
    ]
    return [(sid, title) for sid, title, shown in sections if shown]


def _rule_costs(plan: dict[str, Any]) -> list[dict[str, str]]:
    """What each sovereignty rule costs: NPV with the rule minus NPV without it (from `--rule-costs`)."""
    rows = []
    for r in plan.get("rule_costs") or []:
        if r["cost_usd"] is not None:
            cost = format_usd(r["cost_usd"]) if abs(r["cost_usd"]) >= 1 else "nothing"
        elif r["status_without"] == "infeasible":
            cost = "no plan exists even without it"
        else:
            cost = "the plan needs it relaxed to exist"
        rows.append({"rule": r["rule"].replace("_", " "), "description": r["description"], "cost": cost})
    return rows


def _plain(value: Any) -> str:
    """A YAML-like rendering of an override value: none, [huawei], 90000000."""
    if value is None:
        return "none"
    if isinstance(value, list):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return str(value)
