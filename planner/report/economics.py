"""Unit costs derived from plan.json: cost per million output tokens served, per accelerator-hour and per
training run.

The first two divide the plan's undiscounted total cost of ownership over the planning horizon (capex plus opex,
plan.json `totals.tco_usd`) by what the fleet delivers over the same years. Hardware usually lives longer
than the horizon, so charging all of its capex to these years overstates unit costs; the report says so.
A training run costs what the plan pays for it: its rent in a cloud region, or its units' share of their cost
for the run's duration (`training_run_cost`).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from planner.report.fmt import format_usd, num, num_sig, usd_cents, usd_sig
from planner.report.i18n import N_, _, ngettext
from planner.sizing.quarters import quarter_hours

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


def installed_accelerator_hours(plan: dict[str, Any]) -> float:
    """Accelerator-hours in service over the horizon: every installed accelerator all year, less the part of its
    first year before its `in_service_from` (a unit delivered for Q3 works half of that year) and, for capacity
    rented for some quarters of a year, the quarters it is not rented."""
    hours = sum(y["installed_accelerators"] for y in plan["costs_by_year"]) * HOURS_PER_YEAR
    for a in plan.get("allocations", []):
        if a.get("acquisition") == "rent" and a.get("quarters"):  # rented on demand for these quarters only
            hours -= a["accelerators"] * (HOURS_PER_YEAR - quarter_hours(a["year"], a["quarters"]))
            continue
        start = a.get("in_service_from")
        if not start or a.get("acquisition", "buy") != "buy" or int(start[:4]) != a["year"]:
            continue
        before = (_dt.date.fromisoformat(start) - _dt.date(a["year"], 1, 1)).days / 365.0
        hours -= a["accelerators"] * min(max(before, 0.0), 1.0) * HOURS_PER_YEAR
    return hours


def unit_costs(plan: dict[str, Any], catalog: Any = None) -> list[dict[str, str]]:
    """Rows {label, value, method} for the costs section (empty for an infeasible plan); `catalog` (the plan's
    catalog view) gives each hardware's life for a training run on bought units."""
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
            _("if the busy-hour rate lasted all day (plan.json has no peak factor), so a lower bound")
            if upper
            else _("at the demand's average rate")
        )
        rows.append(
            {
                "label": _("Cost per million output tokens served"),
                "value": usd_cents(per_m),
                "method": _(
                    "Undiscounted cost of ownership %(period)s (%(tco)s, all hardware including training) "
                    "÷ %(tokens)s trillion output tokens served over the same years, %(basis)s. "
                    "Capex is charged in full to the planning horizon.",
                    period=period,
                    tco=format_usd(tco),
                    tokens=num(total_tokens / 1e12, 2),
                    basis=basis,
                ),
            }
        )
    accel_hours = installed_accelerator_hours(plan)
    if accel_hours > 0:
        per_hour = tco / accel_hours
        rows.append(
            {
                "label": _("Fleet cost per accelerator-hour"),
                "value": usd_cents(per_hour),
                "method": _(
                    "Undiscounted cost of ownership %(period)s ÷ %(hours)s accelerator-hours installed "
                    "over the same years (every installed accelerator, all hours from the day it enters service).",
                    period=period,
                    hours=num(accel_hours),
                ),
            }
        )
        job_names = (plan.get("names") or {}).get("workloads", {})
        for w in plan.get("workloads", []):
            if w.get("placement"):
                value, method = training_run_cost(plan, w, per_hour, catalog)
                label = _("Cost per training run: %(job)s", job=job_names.get(w["name"], w["name"]))
                rows.append({"label": label, "value": format_usd(value), "method": method})
    return rows


def training_run_cost(
    plan: dict[str, Any], workload: dict[str, Any], fleet_per_hour: float, catalog: Any = None
) -> tuple[float, str]:
    """What one training run costs, and how that was worked out.

    In a cloud region it is the job's rent (its `rent_hours` allocations: `opex_usd_per_year` is the whole rent
    for the job, as the terminal and the bill of materials say). On bought units it is their share of the units'
    cost for the run's duration: units × (capex per unit ÷ life years + opex per unit-year) × wall days ÷ 365.
    On units the plan does not buy (brownfield) only the fleet's average cost per accelerator-hour is known."""
    p = workload["placement"]
    rents = [
        a
        for a in plan.get("allocations", [])
        if a["acquisition"] == "rent_hours" and a.get("workload") == workload["name"]
    ]
    if rents:
        rent = sum(a["opex_usd_per_year"] for a in rents)
        return rent, _(
            "The job's rent in the cloud region: %(hours)s accelerator-hours rented by the hour (%(rate)s an "
            "accelerator-hour), as in the bill of materials.",
            hours=num(p["accelerator_hours"]),
            rate=usd_cents(rent / p["accelerator_hours"]) if p["accelerator_hours"] else "–",
        )
    run_year = workload.get("year") or int(str(p.get("start") or plan["years"][0])[:4])
    bought = [
        a
        for a in plan.get("allocations", [])
        if a["acquisition"] == "buy"
        and a["site"] == p["site"]
        and a["hardware"] == p["hardware"]
        and a["year"] <= run_year
        and a["units"]
    ]
    if not bought:
        return p["accelerator_hours"] * fleet_per_hour, _(
            "%(hours)s accelerator-hours × fleet cost per accelerator-hour ($%(rate)s): the run uses units the "
            "plan does not buy.",
            hours=num(p["accelerator_hours"]),
            rate=num(fleet_per_hour, 2),
        )
    units = sum(a["units"] for a in bought)
    capex_per_unit = sum(a["capex_usd"] for a in bought) / units
    opex_per_unit = sum(a["opex_usd_per_year"] for a in bought) / units
    life = _life_years(plan, p["hardware"], catalog)
    cost = p["units"] * (capex_per_unit / life + opex_per_unit) * p["wall_days"] / 365.0
    values = {
        "units": num(p["units"]),
        "capex": format_usd(capex_per_unit),
        "life": f"{life:g}",
        "opex": format_usd(opex_per_unit),
        "days": num(p["wall_days"], 1),
    }
    return cost, ngettext(
        "The run's share of the bought units' cost for its duration: %(units)s unit × (%(capex)s capex a unit "
        "÷ %(life)s years of life + %(opex)s opex a unit-year) × %(days)s days ÷ 365.",
        "The run's share of the bought units' cost for its duration: %(units)s units × (%(capex)s capex a unit "
        "÷ %(life)s years of life + %(opex)s opex a unit-year) × %(days)s days ÷ 365.",
        p["units"],
    ) % values


def _life_years(plan: dict[str, Any], hardware: str, catalog: Any) -> float:
    """The hardware's life in years: its catalog entry's, else the plan's `hardware_life_years`."""
    hw = catalog.hardware.get(hardware) if catalog is not None else None
    life = getattr(hw, "life_years", None) or plan.get("planning", {}).get("hardware_life_years") or 5
    return float(life)


LINE_LABELS = {
    "hardware": ("capex", N_("Hardware"), N_("catalog unit prices in the year bought (Appendix A)")),
    "fabric": ("capex", N_("Scale-out network fabric"), None),
    "fitout": ("capex", N_("Facility fit-out (own data centres)"), None),
    "storage": ("both", N_("Storage for training data and checkpoints"), None),
    "energy": ("opex", N_("Electricity"), N_("each site's electricity price and PUE (Appendix A)")),
    "maintenance": ("opex", N_("Hardware support and maintenance"), N_("hardware maintenance fraction (Appendix A)")),
    "licences": ("opex", N_("Software licences and support"), None),
    "staff": ("opex", N_("Operations staff"), None),
    "colocation": ("opex", N_("Colocation rent"), None),
    "rent": ("opex", N_("Cloud rent"), N_("the cloud regions' prices in country.yaml")),
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
            _side, label, source = LINE_LABELS[line]
            if source is not None:
                source = _(source)
            else:
                kind = LINE_KINDS.get(line)
                ids = sorted(c.id for c in catalog.cost_lines.values() if c.kind == kind and _applies(c, plan, catalog))
                source = (
                    _("cost lines %(ids)s (sources in Appendix A)", ids=", ".join(ids))
                    if ids
                    else _("catalog cost lines")
                )
            if line == "staff":
                source += _staff_headcount(years)
            if line == "colocation":
                source = _colocation_source(plan) or source
            rows.append(
                {
                    "side": side,
                    "label": _(label),
                    "amounts": [format_usd(a) if a else "–" for a in amounts],
                    "total": format_usd(sum(amounts)),
                    "source": source,
                }
            )
    return rows


def _colocation_source(plan: dict[str, Any]) -> str | None:
    """The country catalog's rents where the plan priced colocation at them (the general line's rate is the
    fallback, and citing it beside a country's own rate misled a reader)."""
    rates = [
        f"{d['field'].rsplit('(', 1)[-1].rstrip(')')} {usd_sig(d['value'], 3)}"
        for d in plan.get("defaults_applied", [])
        if d["field"].startswith("colocation rent per kW-month") and d["source"].startswith("country catalog")
    ]
    if not rates:
        return None
    return _("the country catalog's colocation rent per kW and month: %(rates)s", rates=", ".join(rates))


def _staff_headcount(years: list[dict[str, Any]]) -> str:
    """How many engineers the staff line pays (the smallest team included), for the reader to judge the line."""
    fte = [y["staff_fte"] for y in years if y.get("staff_fte")]
    if not fte:
        return ""
    low, high = num_sig(min(fte), 2), num_sig(max(fte), 2)
    if low == high:
        return _("; %(fte)s FTE a year", fte=low)
    return _("; %(low)s to %(high)s FTE a year", low=low, high=high)


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
