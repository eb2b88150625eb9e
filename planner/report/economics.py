"""Unit costs derived from plan.json: cost per million output tokens served and per training run.

Both divide the plan's undiscounted total cost of ownership over the planning horizon (capex plus opex,
plan.json `totals.tco_usd`) by what the fleet delivers over the same years. Hardware usually lives longer
than the horizon, so charging all of its capex to these years overstates unit costs; the report says so.
"""

from __future__ import annotations

from typing import Any

from planner.report.fmt import format_usd, num

SECONDS_PER_YEAR = 365 * 24 * 3600
HOURS_PER_YEAR = 365 * 24


def _peak_factor(w: dict[str, Any]) -> float | None:
    for holder in (w, w.get("demand") or {}):
        pf = holder.get("peak_factor")
        if isinstance(pf, int | float) and pf > 0:
            return float(pf)
    return None


def tokens_per_year(plan: dict[str, Any]) -> tuple[dict[int, float], bool]:
    """Output tokens served per year over all serving workloads, and whether it is the busy-hour upper bound.

    Uses `output_tokens_per_year` per year when plan.json carries it, else busy-hour demand ÷ `peak_factor`
    × seconds in a year; without a peak factor the busy-hour rate is assumed all year (an upper bound on
    tokens, so the cost per token is a lower bound).
    """
    out: dict[int, float] = {}
    upper_bound = False
    for w in plan.get("workloads", []):
        if w.get("kind") != "serving":
            continue
        pf = _peak_factor(w)
        for y in w.get("by_year", []):
            if "output_tokens_per_year" in y:
                tokens = float(y["output_tokens_per_year"])
            else:
                if pf is None:
                    upper_bound = True
                tokens = y["demand_output_tokens_per_s"] * SECONDS_PER_YEAR / (pf or 1.0)
            out[y["year"]] = out.get(y["year"], 0.0) + tokens
    return out, upper_bound


def unit_costs(plan: dict[str, Any]) -> list[dict[str, str]]:
    """Rows {label, value, method} for the costs section (empty for an infeasible plan)."""
    if plan["status"] == "infeasible" or not plan.get("costs_by_year"):
        return []
    tco = plan["totals"]["tco_usd"]
    years = plan["years"]
    period = str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
    rows = []
    tokens, upper = tokens_per_year(plan)
    total_tokens = sum(tokens.values())
    if total_tokens > 0:
        per_m = tco / (total_tokens / 1e6)
        basis = (
            "if the busy-hour rate lasted all day (plan.json has no peak factor), so a lower bound"
            if upper
            else "at the demand's average rate"
        )
        rows.append(
            {
                "label": "Cost per million output tokens served",
                "value": f"${per_m:,.2f}",
                "method": (
                    f"Undiscounted cost of ownership {period} ({format_usd(tco)}, all hardware including training) "
                    f"÷ {total_tokens / 1e12:,.2f} trillion output tokens served over the same years, {basis}. "
                    "Capex is charged in full to the planning horizon."
                ),
            }
        )
    accel_hours = sum(y["installed_accelerators"] for y in plan["costs_by_year"]) * HOURS_PER_YEAR
    if accel_hours > 0:
        per_hour = tco / accel_hours
        rows.append(
            {
                "label": "Fleet cost per accelerator-hour",
                "value": f"${per_hour:,.2f}",
                "method": (
                    f"Undiscounted cost of ownership {period} ÷ {num(accel_hours)} accelerator-hours installed "
                    "over the same years (every installed accelerator, all hours)."
                ),
            }
        )
        job_names = (plan.get("names") or {}).get("workloads", {})
        for w in plan.get("workloads", []):
            p = w.get("placement")
            if not p:
                continue
            rows.append(
                {
                    "label": f"Cost per training run: {job_names.get(w['name'], w['name'])}",
                    "value": format_usd(p["accelerator_hours"] * per_hour),
                    "method": (
                        f"{num(p['accelerator_hours'])} accelerator-hours × fleet cost per accelerator-hour "
                        f"(${per_hour:,.2f})."
                    ),
                }
            )
    return rows


LINE_LABELS = {
    "hardware": ("capex", "Hardware", "catalog unit prices in the year bought (Appendix A)"),
    "fabric": ("capex", "Scale-out network fabric", None),
    "fitout": ("capex", "Facility fit-out (own data centres)", None),
    "storage": ("both", "Storage for training data and checkpoints", None),
    "energy": ("opex", "Electricity", "each site's electricity price and PUE (Appendix A)"),
    "maintenance": ("opex", "Hardware support and maintenance", "hardware maintenance fraction (Appendix A)"),
    "licences": ("opex", "Software licences and support", None),
    "staff": ("opex", "Operations staff", None),
    "colocation": ("opex", "Colocation rent", None),
    "rent": ("opex", "Cloud rent", "the cloud regions' prices in country.yaml"),
}
LINE_KINDS = {
    "fabric": "fabric",
    "fitout": "fitout",
    "storage": "storage",
    "licences": "licence",
    "staff": "staff",
    "colocation": "colocation",
}


def cost_line_table(plan: dict[str, Any], catalog: Any) -> list[dict[str, Any]]:
    """One row per TCO line (capex lines, then opex lines) with its amount per year, its total and its source."""
    years = plan.get("costs_by_year", [])
    rows = []
    for side, key in (("capex", "capex_lines_usd"), ("opex", "opex_lines_usd")):
        seen = [line for line in LINE_LABELS if any(y.get(key, {}).get(line) for y in years)]
        for line in seen:
            amounts = [y.get(key, {}).get(line, 0.0) for y in years]
            _, label, source = LINE_LABELS[line]
            if source is None:
                kind = LINE_KINDS.get(line)
                ids = sorted(c.id for c in catalog.cost_lines.values() if c.kind == kind and _applies(c, plan, catalog))
                source = f"cost lines {', '.join(ids)} (sources in Appendix A)" if ids else "catalog cost lines"
            rows.append(
                {
                    "side": side,
                    "label": label,
                    "amounts": [format_usd(a) if a else "–" for a in amounts],
                    "total": format_usd(sum(amounts)),
                    "source": source,
                }
            )
    return rows


def _applies(line: Any, plan: dict[str, Any], catalog: Any) -> bool:
    """Whether a cost line touches what the plan acquires (its fabric, software stack or site kinds)."""
    if line.applies_to == "*":
        return True
    used = [catalog.hardware[a["hardware"]] for a in plan.get("allocations", []) if a["hardware"] in catalog.hardware]
    if line.kind == "fabric":
        return any(hw.fabric == line.applies_to for hw in used)
    if line.kind == "licence":
        return any(hw.software_stack == line.applies_to for hw in used)
    return True
