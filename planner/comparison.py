"""Scenario comparison: KPIs side by side, differences against the first scenario, bills of materials."""

from __future__ import annotations

from typing import Any

from planner.plan import Plan
from planner.report.economics import tokens_per_year
from planner.scenarios import BUILTIN_DESCRIPTIONS
from planner.sizing.extract import VENDOR_SHARE_RISK_KINDS

TOTALS = ("capex_usd", "opex_usd_per_year", "tco_usd", "npv_usd", "power_kw", "accelerators", "units")


def comparison(typed: dict[str, Plan], descriptions: dict[str, str]) -> dict[str, Any]:
    """comparison.json content: one entry per scenario (name, status, the same `totals` as plan.json, KPIs,
    differences against the first scenario, bill of materials, diagnosis when infeasible); every figure is the
    plan's own."""
    plans = {name: plan.as_dict() for name, plan in typed.items()}
    names = list(plans)
    first = plans[names[0]]
    entries = []
    for name, plan in plans.items():
        feasible = plan["status"] != "infeasible"
        entry = {
            "name": name,
            "description": descriptions.get(name) or BUILTIN_DESCRIPTIONS.get(name, ""),
            "status": plan["status"],
            "totals": {k: plan["totals"][k] for k in TOTALS},
            "cost_per_million_tokens_usd": cost_per_million_tokens(plan) if feasible else None,
            "vendor_shares": plan.get("vendor_shares", {}),
            "applied_overrides": plan.get("applied_overrides", []),
            "allocations": plan.get("allocations", []),
            "diagnosis": plan.get("diagnosis"),
            "rule_costs": plan.get("rule_costs"),
            # vendor shares met with units that do little or no work (the option's own risks say which)
            "vendor_share_risks": [r for r in plan.get("risks") or [] if r.get("kind") in VENDOR_SHARE_RISK_KINDS],
            # the fleet's serving error band and the share of its capacity no published run validates
            "serving_band": typed[name].serving_band() if feasible else None,
            # the share of its NPV by which the solve is proven optimal (0 for optimal; stopped solves more)
            "mip_gap": (plan.get("solver") or {}).get("mip_gap") if feasible else None,
        }
        both = feasible and first["status"] != "infeasible"
        entry["delta_vs_first"] = {k: plan["totals"][k] - first["totals"][k] for k in TOTALS} if both else None
        entries.append(entry)
    ranking = sorted((e for e in entries if e["status"] != "infeasible"), key=lambda e: e["totals"]["npv_usd"])
    labels: dict[str, dict[str, str]] = {}
    for plan_ in typed.values():
        for table, by_id in plan_.names.model_dump().items():
            labels.setdefault(table, {}).update(by_id)
    return {
        "names": labels,
        "country": first["country"],
        "years": first["years"],
        "planner_version": first["planner_version"],
        "first": names[0],
        "scenarios": entries,
        "ranking_by_npv": [e["name"] for e in ranking],
    }


def cost_per_million_tokens(plan: dict[str, Any]) -> float | None:
    """Undiscounted TCO over the horizon per million output tokens served over it."""
    tokens, _ = tokens_per_year(plan)
    total = sum(tokens.values())
    return plan["totals"]["tco_usd"] / total * 1e6 if total > 0 else None
