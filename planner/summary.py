"""The terminal summary of a plan: status, totals, purchases, and why when infeasible."""

from __future__ import annotations

from typing import Any

from planner.plan import Plan
from planner.report.names import humanize
from planner.sizing.diagnose import format_usd, remedy_lines
from planner.sizing.quarters import quarters_in_words

# what the country can act on: limits it set and rules it chose (requirements bind in every cost-minimal plan,
# and lead times are facts of supply)
SHAPING_CATEGORIES = ("limit", "rule")


def summary_text(typed: Plan) -> str:
    """A few lines a planner reads in the terminal after `planner size` (the typed plan's figures, with names)."""
    names = typed.names
    plan = typed.as_dict()
    lines = [f"Plan for {plan['country']['name']} ({plan['years'][0]}–{plan['years'][-1]}): {plan['status'].upper()}"]
    changes = plan.get("applied_overrides") or []
    if changes:
        scenario = f"scenario {plan['scenario']}, " if plan.get("scenario") else ""
        lines.append(
            f"  ({scenario}{len(changes)} change{'s' if len(changes) != 1 else ''} to the country file: "
            + ", ".join(f"{c['key']}={c['new']}" for c in changes[:4])
            + (" …" if len(changes) > 4 else "")
            + ")"
        )
    if plan["status"] == "infeasible":
        # a workload no option can serve is said once, by the grouped line of `_few_can_serve` (all the floors),
        # not also by its shortfall (three options and "22 more")
        grouped = {w["name"] for w in plan.get("workloads", []) if _none_can_serve(w)}
        diagnosis = dict(plan["diagnosis"])
        diagnosis["shortfalls"] = [
            s
            for s in diagnosis["shortfalls"]
            if not (s.get("code") == "unservable" and s.get("values", {}).get("workload") in grouped)
        ]
        short, remedies = remedy_lines(diagnosis)
        short = list(dict.fromkeys(humanize(line, names) for line in short))  # each line once
        remedies = list(dict.fromkeys(humanize(line, names) for line in remedies))
        lines.append("No plan meets every requirement. What is short (every requirement relaxed together):")
        lines += [f"  - {line}" for line in short]
        lines += _few_can_serve(plan, names)
        latency_only = all(r.get("code") == "raise_latency" for r in plan["diagnosis"]["remedies"])
        if remedies and latency_only:
            # no option serves the workload at all yet: the other limits are only tried once one does
            lines.append("First, so that some hardware can serve it (other limits may then bind):")
        elif remedies:
            lines.append(
                "Any one of these alone restores feasibility:"
                if len(remedies) > 1
                else "This alone restores feasibility:"
            )
        lines += [f"  - {line}" for line in remedies]
        if not plan["diagnosis"].get("complete", True):
            lines.append("(the time limit ran out before every remedy was tried; raise --time-limit for the rest)")
        return "\n".join(lines + _rule_cost_lines(plan))
    t = plan["totals"]
    gap = plan["solver"].get("mip_gap")
    rented = f", {t['power_kw_rented']:,.0f} kW rented" if t.get("power_kw_rented") else ""
    lines += [
        f"  capex {format_usd(t['capex_usd'])}   opex {format_usd(t['opex_usd_per_year'])}/year (peak)   "
        f"NPV of cost {format_usd(t['npv_usd'])}",
        f"  in service at the peak: {t['units']:,} unit{'' if t['units'] == 1 else 's'}, {t['accelerators']:,} "
        f"accelerator{'' if t['accelerators'] == 1 else 's'}; "
        f"{t['power_kw']:,.0f} kW IT load at own sites{rented}"
        + (f"   (optimality gap {gap:.2%})" if gap is not None else ""),
    ]
    served = plan.get("served") or {}
    for g in served.get("given_up", [])[:6]:
        lines.append(f"  given up: {humanize(g['message'], names)}")
    lines += [
        "",
        _table(
            ["year", "site", "hardware", "how", "units", "accelerators", "capex or rent"],
            [
                [
                    a["year"],
                    names.site(a["site"]),
                    names.hw(a["hardware"]),
                    _how(a),
                    f"{a['units']:,}",
                    f"{a['accelerators']:,}",  # 2,032 accelerators, not a year
                    _cost_cell(a),
                ]
                for a in plan["allocations"]
            ],
        ),
    ]
    late = [a for a in plan["allocations"] if (a.get("in_service_from") or "") > f"{a['year']}-01-01"]
    # not a warning: the plan's quarterly rows already hold no requirement before these units work
    for a in late[:4]:
        lines.append(
            f"  {a['units']} × {names.hw(a['hardware'])} at {names.site(a['site'])} for {a['year']}: ordered "
            f"{a['order_by']}, in service from {a['in_service_from']} (nothing in the plan needs "
            f"{'them' if a['units'] > 1 else 'it'} earlier)"
        )
    if len(late) > 4:
        lines.append(f"  … and {len(late) - 4} more purchases in service after 1 January (plan.json `in_service_from`)")
    shaping = _shaping_lines(plan.get("binding_constraints", []), names)
    if shaping:
        lines += ["", "What shapes the plan (shadow prices on the NPV, at the margin: an indication, not a quote):"]
        lines += [f"  - {m}" for m in shaping[:8]]
        if len(shaping) > 8:
            lines.append(f"  … and {len(shaping) - 8} more in plan.json")
    return "\n".join(lines + _rule_cost_lines(plan))


def _shaping_lines(binding: list[dict], names) -> list[str]:
    """One line per rule and site (the row with the largest price; a trial's list gave liquid cooling at one site
    for five hardware options, each "per unit", and hid the rest), rows at their limit with the ids they bind."""
    seen: dict[tuple[str, str], int] = {}
    out: list[list] = []
    for b in binding:
        if b.get("category") not in SHAPING_CATEGORIES:
            continue
        ids = [str(i) for i in b.get("ids") or []]
        key = (b.get("family", ""), ids[0] if ids else "")
        if key in seen:
            out[seen[key]][1] += 1
            continue
        message = humanize(b["message"], names)
        if "(at its limit" in message and ids:  # a row without a price: say which site or year it binds
            message = message.replace(
                "(at its limit", f"({humanize(', '.join(f'`{i}`' for i in ids), names)}: at its limit", 1
            )
        seen[key] = len(out)
        out.append([message, 0])
    # the other rows of the rule at that site differ in the hardware or year they name (plan.json has each)
    return [m + (f" (and {n} more of this rule here in plan.json)" if n else "") for m, n in out]


FEW_OPTIONS = 2
"""A serving workload only this many hardware options (or fewer) can serve: an infeasible plan says which and
why the others cannot, since the shortfalls above then fall on those few (a latency target below the others'
floors reads as their lead time, power or budget)."""


def _none_can_serve(w: dict) -> bool:
    """A serving workload every option refuses (with the reasons `_few_can_serve` groups)."""
    return w.get("kind") == "serving" and bool(w.get("not_offered")) and not w.get("per_unit")


def _few_can_serve(plan: dict, names) -> list[str]:
    out = []
    for w in plan.get("workloads", []):
        refused = w.get("not_offered") or []
        able = sorted(w.get("per_unit") or {})
        if w.get("kind") != "serving" or not refused or len(able) > FEW_OPTIONS:
            continue
        if not able:  # the shortfall itself: a bullet of the list above
            out.append(
                f"  - no hardware option can serve {names.workload(w['name'])} at its targets: {_refusals(refused)}"
            )
            continue
        who = "only " + ", ".join(names.hw(h) for h in able)
        out.append(f"  ({who} can serve {names.workload(w['name'])} at its targets: {_refusals(refused)})")
    return out


def _refusals(refused: list[dict]) -> str:
    """Why the other options cannot serve, one clause a reason: the latency floors with their figures, the
    precisions a chip lacks, the rest by their own sentence."""
    by_code: dict[str, list[dict]] = {}
    for r in refused:
        by_code.setdefault(r.get("code") or "", []).append(r)
    parts = []
    for code, label in (("tpot_floor", "TPOT"), ("ttft_floor", "TTFT"), ("ttft_wait_floor", "TTFT")):
        rows = sorted(by_code.pop(code, []), key=lambda r: r["values"]["floor"])
        if rows:
            target = rows[0]["values"]["target"]
            floors = ", ".join(f"{r['hardware']} {r['values']['floor']:g} ms" for r in rows)
            parts.append(f"the {label} floor is above {target:g} ms on {floors}")
    if rows := by_code.pop("precision", []):
        wanted = rows[0]["values"].get("precision", "")
        parts.append(f"no native {wanted} units on " + ", ".join(r["hardware"] for r in rows))
    parts += [f"{r['hardware']}: {r['reason']}" for rows in by_code.values() for r in rows]
    return "; ".join(parts)


def _rule_cost_lines(plan: dict[str, Any]) -> list[str]:
    """What each sovereignty rule costs (`--rule-costs`): the plan's NPV with the rule minus without it."""
    costs = plan.get("rule_costs")
    if not costs:
        return []
    lines = ["", "What each sovereignty rule costs (NPV with the rule minus without it):"]
    for r in costs:
        if r.get("cost_usd") is not None:
            what = format_usd(r["cost_usd"])
        elif r.get("status_without") == "infeasible":
            what = "no plan without it either"
        else:  # this plan is infeasible, the one without the rule is not
            what = f"the rule makes the plan infeasible (without it: NPV {format_usd(r['npv_usd_without'])})"
        lines.append(f"  - {r['rule']} ({r['description']}): {what}")
    return lines


HOW = {"buy": "buy", "rent": "rent 1 yr", "reserve_3y": "reserve 3 yr", "rent_hours": "rent by hour"}


def _how(a: dict[str, Any]) -> str:
    """How the units are had, in words; a rental billed for some quarters names them (on demand Q3–Q4)."""
    how = a.get("acquisition", "buy")
    if how == "rent" and a.get("quarters"):
        return f"on demand {quarters_in_words(a['quarters'])}"
    return HOW.get(how, how)


def _cost_cell(a: dict[str, Any]) -> str:
    """What an acquisition costs: its capex, a year of rent, or a training job's whole hourly rent."""
    how = a.get("acquisition", "buy")
    if how == "buy":
        return format_usd(a["capex_usd"])
    if how == "rent_hours":
        return f"{format_usd(a['opex_usd_per_year'])} for the job"
    if a.get("quarters"):
        return f"{format_usd(a['opex_usd_per_year'])} for {quarters_in_words(a['quarters'])}"
    return f"{format_usd(a['opex_usd_per_year'])}/yr"


def _table(header: list[str], rows: list[list[Any]]) -> str:
    cells = [header, *[[str(c) for c in r] for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    out = []
    for n, row in enumerate(cells):
        out.append(
            "  "
            + "  ".join(
                c.rjust(w) if n and i >= 4 else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            out.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(out)
