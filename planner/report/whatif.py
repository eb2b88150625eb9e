"""Comparison and sweep reports: comparison.json / sweep.json -> Markdown, HTML and PDF.

As for the plan report, every figure and sentence is decided here (the view model) and the templates
(`comparison.*.j2`, `sweep.*.j2`) only lay it out; HTML is autoescaped, Markdown goes through `md_escape`,
and the PDF is the same HTML laid out by WeasyPrint.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from planner.plan import Names
from planner.report.charts import frontier_chart, scenario_npv_chart, vendor_share_chart
from planner.report.fmt import format_usd, kw, num, pct
from planner.report.names import humanize
from planner.report.render import render
from planner.sizing.diagnose import remedy_lines

STATUS_LABELS = {"optimal": "Optimal", "feasible": "Feasible (not proven optimal)", "infeasible": "No plan"}
NO_PLAN = "no plan"
FULL = 0.9995  # a served share at or above this counts as "everything asked"


def render_comparison(result: dict[str, Any], formats: set[str]) -> dict[str, str | bytes]:
    """File name -> content for each requested format (md, html, pdf; others are ignored)."""
    return _render("comparison", comparison_context(result), formats)


def render_sweep(result: dict[str, Any], formats: set[str]) -> dict[str, str | bytes]:
    """File name -> content for each requested format (md, html, pdf; others are ignored)."""
    ctx = sweep_context(result)
    ctx["charts_in"] = " and ".join(f"sweep.{f}" for f in ("html", "pdf") if f in formats)
    return _render("sweep", ctx, formats)


def _render(stem: str, ctx: dict[str, Any], formats: set[str]) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {}
    if "md" in formats:
        out[f"{stem}.md"] = render(f"{stem}.md.j2", ctx)
    if formats & {"html", "pdf"}:
        html = render(f"{stem}.html.j2", ctx)
        if "html" in formats:
            out[f"{stem}.html"] = html
        if "pdf" in formats:
            from planner.report.pdf import html_to_pdf

            out[f"{stem}.pdf"] = html_to_pdf(html)
    return out


# --- shared -----------------------------------------------------------------------------------------------


def _period(years: list[int]) -> str:
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _value(v: Any) -> str:
    """An override value as the user would write it in YAML (null, lists, numbers)."""
    if v is None:
        return "(unset)"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:,.0f}" if v == int(v) and abs(v) >= 1000 else f"{v:g}"
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(v)


def _signed_usd(delta: float) -> str:
    if abs(delta) < 0.5:
        return "same"
    return ("+" if delta > 0 else "−") + format_usd(abs(delta))


def _signed_num(delta: float, fmt: Callable[[float], str]) -> str:
    if abs(delta) < 1e-9:
        return "same"
    return ("+" if delta > 0 else "−") + fmt(abs(delta))


def _rel(delta: float, base: float) -> str:
    if abs(delta) < 1e-9 or not base:
        return ""
    r = abs(delta) / abs(base)
    return f" ({'+' if delta > 0 else '−'}{r:.1%})" if r < 0.0995 else f" ({'+' if delta > 0 else '−'}{r:.0%})"


def _per_million(v: float | None) -> str:
    if v is None:
        return "–"
    return f"${v:,.2f}" if v < 100 else format_usd(v)


# --- comparison -------------------------------------------------------------------------------------------

KPIS: list[tuple[str, str, Callable[[float], str]]] = [
    ("Capital expenditure", "capex_usd", format_usd),
    ("Operating cost, peak year", "opex_usd_per_year", format_usd),
    ("Total cost of ownership (undiscounted)", "tco_usd", format_usd),
    ("Net present cost (NPV)", "npv_usd", format_usd),
    ("Accelerators in service, peak year", "accelerators", lambda v: num(v)),
    ("Hardware units in service, peak year", "units", lambda v: num(v)),
    ("IT power at own sites, peak year", "power_kw", kw),
]


def comparison_context(result: dict[str, Any]) -> dict[str, Any]:
    """Everything comparison.md / .html / .pdf show, already formatted."""
    entries = result["scenarios"]
    names = Names.model_validate(result.get("names") or {})
    first_name = result.get("first") or (entries[0]["name"] if entries else "")
    first = next((e for e in entries if e["name"] == first_name), entries[0] if entries else None)
    known = {e["name"] for e in entries}
    ranking = [n for n in result.get("ranking_by_npv") or [] if n in known]
    rank = {name: i + 1 for i, name in enumerate(ranking)}
    scenarios = [_scenario(e, rank, len(ranking), names) for e in entries]
    infeasible = [s for s in scenarios if not s["feasible"]]
    ctx: dict[str, Any] = {
        "title": "Scenario comparison",
        "country": result["country"],
        "period": _period(result.get("years") or []),
        "version": result.get("planner_version", ""),
        "first": first_name,
        "first_feasible": bool(first and first["status"] != "infeasible"),
        "scenarios": scenarios,
        "names": [s["name"] for s in scenarios],
        "headline": _comparison_headline(entries, ranking, first_name),
        "kpis": _kpi_rows(entries, rank),
        "deltas": _delta_rows(entries, first) if len(entries) > 1 else [],
        "delta_names": [e["name"] for e in entries if e is not first],
        "bom": _bom_side_by_side(entries, names),
        "rules": _rule_matrix(entries),
        "rule_lines": _rule_lines(entries),
        "infeasible": infeasible,
        "charts": {
            "npv": scenario_npv_chart(
                [e["name"] for e in entries],
                [e["totals"]["npv_usd"] if e["status"] != "infeasible" else None for e in entries],
                [e["totals"]["capex_usd"] if e["status"] != "infeasible" else None for e in entries],
            ),
            "vendors": vendor_share_chart(
                [e["name"] for e in entries],
                [
                    {v: s.get("accelerators", 0.0) for v, s in (e.get("vendor_shares") or {}).items()}
                    if e["status"] != "infeasible"
                    else None
                    for e in entries
                ],
            ),
        },
    }
    ctx["toc"] = [
        (sid, label)
        for sid, label, show in (
            ("scenarios", "Scenarios and their changes", True),
            ("kpis", "Key figures side by side", True),
            ("charts", "Charts", True),
            ("deltas", f"Differences against {first_name}", bool(ctx["deltas"])),
            ("bom", "Bill of materials side by side", bool(ctx["bom"]["rows"])),
            ("rules", "What each sovereignty rule costs", bool(ctx["rules"]["rows"])),
            ("diagnosis", "Scenarios without a plan: diagnosis", bool(infeasible)),
        )
        if show
    ]
    return ctx


def _scenario(e: dict[str, Any], rank: dict[str, int], ranked: int, names: Names) -> dict[str, Any]:
    feasible = e["status"] != "infeasible"
    short, remedies = remedy_lines(e.get("diagnosis")) if not feasible else ([], [])
    short, remedies = [humanize(x, names) for x in short], [humanize(x, names) for x in remedies]
    return {
        "name": e["name"],
        "description": e.get("description") or "",
        "status": e["status"],
        "status_label": STATUS_LABELS.get(e["status"], e["status"]),
        "feasible": feasible,
        "rank": f"{rank[e['name']]} of {ranked}" if e["name"] in rank else "–",
        "overrides": [_override(o) for o in e.get("applied_overrides") or []],
        "shortfalls": short,
        "remedies": remedies,
        "has_diagnosis": bool(e.get("diagnosis")),
    }


def _override(o: dict[str, Any]) -> dict[str, Any]:
    old, new = o.get("old"), o.get("new")
    return {
        "key": o["key"],
        "old": _value(old),
        "new": _value(new),
        "same": old == new,
        "source": o.get("source", ""),
    }


def _comparison_headline(entries: list[dict[str, Any]], ranking: list[str], first: str) -> str:
    by_name = {e["name"]: e for e in entries}
    n = len(entries)
    parts = []
    if ranking:
        best = by_name[ranking[0]]
        parts.append(
            f"Of {n} scenario{_s(n)}, `{best['name']}` has the lowest net present cost, "
            f"{format_usd(best['totals']['npv_usd'])}"
        )
        if len(ranking) > 1:
            worst = by_name[ranking[-1]]
            gap = worst["totals"]["npv_usd"] - best["totals"]["npv_usd"]
            parts[-1] += (
                f"; the highest is `{worst['name']}` at {format_usd(worst['totals']['npv_usd'])} "
                f"({format_usd(gap)} more)"
            )
        parts[-1] += "."
    none = [e["name"] for e in entries if e["status"] == "infeasible"]
    if none:
        names = ", ".join(f"`{x}`" for x in none)
        parts.append(f"{len(none)} of {n} ha{'s' if len(none) == 1 else 've'} no plan: {names} (diagnosis below).")
    if not ranking and not none:
        parts.append("No scenario was solved.")
    if first in none:
        parts.append(f"The reference, `{first}`, has no plan, so no differences against it are shown.")
    else:
        parts.append(f"Differences are against `{first}`.")
    return " ".join(parts)


def _rank(e: dict[str, Any], rank: dict[str, int]) -> str:
    return f"{rank[e['name']]} of {len(rank)}" if e["name"] in rank else "–"


def _kpi_rows(entries: list[dict[str, Any]], rank: dict[str, int]) -> list[dict[str, Any]]:
    def cells(fn: Callable[[dict[str, Any]], str]) -> list[str]:
        return [fn(e) if e["status"] != "infeasible" else NO_PLAN for e in entries]

    rows = [{"label": "Status", "cells": [STATUS_LABELS.get(e["status"], e["status"]) for e in entries]}]
    for label, key, fmt in KPIS:
        rows.append({"label": label, "cells": cells(lambda e, k=key, f=fmt: f(e["totals"][k]))})
        if key == "npv_usd":
            rows[-1]["strong"] = True
            per_m = cells(lambda e: _per_million(e.get("cost_per_million_tokens_usd")))
            rows.append({"label": "Cost per million output tokens served", "cells": per_m})
    rows.append({"label": "Accelerators by vendor", "cells": cells(_vendor_text), "wrap": True})
    rows.insert(1, {"label": "Rank by net present cost", "cells": [_rank(e, rank) for e in entries]})
    for r in rows:
        r.setdefault("strong", False)
        r.setdefault("wrap", False)
    return rows


def _vendor_text(e: dict[str, Any]) -> str:
    shares = e.get("vendor_shares") or {}
    if not shares:
        return "–"
    ordered = sorted(shares.items(), key=lambda kv: (-kv[1].get("accelerators", 0.0), kv[0]))
    return ", ".join(f"{v} {pct(s.get('accelerators', 0.0))}" for v, s in ordered)


def _delta_rows(entries: list[dict[str, Any]], first: dict[str, Any] | None) -> list[dict[str, Any]]:
    others = [e for e in entries if e is not first]
    if first is None or first["status"] == "infeasible":
        return []
    rows = []
    for label, key, _fmt in KPIS:
        base = first["totals"][key]
        row_cells = []
        for e in others:
            d = (e.get("delta_vs_first") or {}).get(key)
            if e["status"] == "infeasible" or d is None:
                row_cells.append(NO_PLAN if e["status"] == "infeasible" else "–")
            elif key.endswith("_usd") or key.endswith("_per_year"):
                row_cells.append(_signed_usd(d) + _rel(d, base))
            elif key == "power_kw":
                row_cells.append(_signed_num(d, kw) + _rel(d, base))
            else:
                row_cells.append(_signed_num(d, lambda v: num(v)) + _rel(d, base))
        rows.append({"label": label, "cells": row_cells, "strong": key == "npv_usd", "wrap": False})
    return rows


def _bom_side_by_side(entries: list[dict[str, Any]], names: Names) -> dict[str, Any]:
    """Per hardware (and how it is had), per scenario: units, accelerators and capex summed over sites and years."""
    keys: dict[tuple[str, str], dict[str, Any]] = {}
    for col, e in enumerate(entries):
        for a in e.get("allocations") or []:
            k = (a["hardware"], a.get("acquisition", "buy"))
            row = keys.setdefault(k, {"vendor": a.get("vendor", ""), "cols": {}})
            c = row["cols"].setdefault(col, {"units": 0, "acc": 0, "capex": 0.0, "sites": set(), "years": set()})
            c["units"] += a["units"]
            c["acc"] += a.get("accelerators", 0)
            c["capex"] += a.get("capex_usd", 0.0)
            c["sites"].add(a.get("site", ""))
            c["years"].add(a.get("year"))
    rows = []
    for (hw, how), row in sorted(keys.items(), key=lambda kv: (kv[1]["vendor"], kv[0])):
        cells = []
        for col, e in enumerate(entries):
            c = row["cols"].get(col)
            if e["status"] == "infeasible":
                cells.append({"main": NO_PLAN, "sub": []})
            elif c is None:
                cells.append({"main": "–", "sub": []})
            else:
                sub = [f"{num(c['acc'])} accelerators"]
                if c["capex"]:
                    sub.append(format_usd(c["capex"]))
                cells.append({"main": _units_text(c["units"], how), "sub": sub})
        rows.append({"hardware": names.hw(hw), "vendor": row["vendor"], "rented": how != "buy", "cells": cells})
    totals = []
    for e in entries:
        if e["status"] == "infeasible":
            totals.append({"main": NO_PLAN, "sub": []})
        else:  # units bought, with rented unit-years and hourly rent apart (they are not units owned)
            allocs = e.get("allocations") or []
            bought = [a for a in allocs if a.get("acquisition", "buy") == "buy"]
            units, chips = sum(a["units"] for a in bought), sum(a.get("accelerators", 0) for a in bought)
            sub = [f"{num(chips)} accelerators", format_usd(e["totals"]["capex_usd"])]
            for how in ("rent", "reserve_3y", "rent_hours"):
                rented = sum(a["units"] for a in allocs if a.get("acquisition") == how)
                if rented:
                    sub.append("+ " + _units_text(rented, how))
            totals.append({"main": _units_text(units, "buy"), "sub": sub})
    return {"rows": rows, "totals": totals, "any_rented": any(r["rented"] for r in rows)}


def _units_text(n: int, how: str) -> str:
    """8 units bought, 3 unit-years rented, 8 units rented by the hour."""
    if how == "buy":
        return f"{num(n)} unit{_s(n)} bought"
    if how == "rent":
        return f"{num(n)} unit-year{_s(n)} rented"
    if how == "reserve_3y":
        return f"{num(n)} unit-year{_s(n)} reserved for 3 years"
    return f"{num(n)} unit{_s(n)} rented by the hour"


def _rule_name(rule: str) -> str:
    return rule.replace("_", " ")


def _rule_cell(r: dict[str, Any]) -> str:
    cost = r.get("cost_usd")
    if cost is not None:
        if abs(cost) < 0.5:
            return "nothing"
        return format_usd(cost) if cost > 0 else f"saves {format_usd(-cost)}"
    if r.get("status_without") == "infeasible":
        return "no plan either way"
    return "makes it infeasible"


def _rule_matrix(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Rules (rows) × scenarios (columns): what the rule adds to the net present cost there."""
    present = [e for e in entries if e.get("rule_costs")]
    if not present:
        return {"rows": [], "asked": any(e.get("rule_costs") is not None for e in entries)}
    rules: dict[str, str] = {}
    for e in entries:
        for r in e.get("rule_costs") or []:
            rules.setdefault(r["rule"], r.get("description", ""))
    rows = []
    for rule, description in rules.items():
        cells = []
        for e in entries:
            found = next((r for r in e.get("rule_costs") or [] if r["rule"] == rule), None)
            cells.append(_rule_cell(found) if found else "–")
        rows.append({"rule": _rule_name(rule), "description": description, "cells": cells})
    return {"rows": rows, "asked": True}


def _rule_lines(entries: list[dict[str, Any]]) -> list[str]:
    """One sentence per rule that costs something (or blocks a plan), per scenario, most costly first."""
    lines = []
    for e in entries:
        for r in sorted(e.get("rule_costs") or [], key=lambda r: -(r.get("cost_usd") or 0.0)):
            name, cost = _rule_name(r["rule"]), r.get("cost_usd")
            if cost is not None and cost >= 0.5:
                lines.append(
                    f"In `{e['name']}`, the {name} rule costs {format_usd(cost)} of net present cost "
                    f"(without it: {format_usd(r['npv_usd_without'])})."
                )
            elif cost is None and r.get("status_without") != "infeasible" and r.get("npv_usd_without") is not None:
                lines.append(
                    f"In `{e['name']}`, the {name} rule is what leaves no plan: without it a plan exists "
                    f"at a net present cost of {format_usd(r['npv_usd_without'])}."
                )
    return lines


# --- sweep ------------------------------------------------------------------------------------------------


def _axis_unit(key: str, values: list[float]) -> tuple[str, float, Callable[[float], str]]:
    """(unit label for the chart axis, divisor for the chart, formatter for tables) of a varied key."""
    leaf = key.rsplit(".", 1)[-1].lower()
    top = max((abs(v) for v in values), default=0.0)
    if "_usd_per_" in leaf:
        per = leaf.rsplit("_usd_per_", 1)[1].replace("kwh", "kWh")
        return f"US$ per {per}", 1.0, lambda v: f"${v:,.4g}"
    if leaf.endswith("_usd") or leaf == "usd":
        if top >= 1e9:
            return "US$ billion", 1e9, format_usd
        if top >= 1e6:
            return "US$ million", 1e6, format_usd
        if top >= 1e3:
            return "US$ thousand", 1e3, format_usd
        return "US$", 1.0, format_usd
    if leaf.endswith("_kw"):
        return ("MW", 1e3, kw) if top >= 1e4 else ("kW", 1.0, kw)
    for suffix, unit in (("_days", "days"), ("_years", "years"), ("_ms", "ms"), ("_weeks", "weeks")):
        if leaf.endswith(suffix):
            return unit, 1.0, lambda v, u=unit: f"{v:,.4g} {u}"
    if leaf.endswith(("share", "fraction", "_rate")):
        return "fraction", 1.0, lambda v: f"{v:.4g}"
    if leaf.endswith("users"):
        return "users", 1.0, lambda v: f"{v:,.0f}"
    return "", 1.0, lambda v: f"{v:,.6g}"


def _axis_label(key: str, unit: str) -> str:
    return f"{key} ({unit})" if unit else key


def sweep_context(result: dict[str, Any]) -> dict[str, Any]:
    """Everything sweep.md / .html / .pdf show, already formatted."""
    axes = []
    for a in result["axes"]:
        unit, scale, fmt = _axis_unit(a["key"], a["values"])
        vals = a["values"]
        axes.append(
            {
                "key": a["key"],
                "unit": unit,
                "scale": scale,
                "fmt": fmt,
                "label": _axis_label(a["key"], unit),
                "values": [fmt(v) for v in vals],
                "range": f"{fmt(vals[0])} to {fmt(vals[-1])}, {len(vals)} value{_s(len(vals))}" if vals else "",
            }
        )
    points = result["points"]
    rows = []
    for p in points:
        ok = p["status"] != "infeasible"
        rows.append(
            {
                "name": p["name"],
                "values": [ax["fmt"](p["values"][ax["key"]]) for ax in axes],
                "status": STATUS_LABELS.get(p["status"], p["status"]),
                "feasible": ok,
                "served": _jobs_text(p) if ok else NO_PLAN,
                "demand": pct1(p.get("demand_share")) if ok else NO_PLAN,
                "npv": format_usd(p["npv_usd"]) if ok and p.get("npv_usd") is not None else "–",
                "capex": format_usd(p["capex_usd"]) if ok and p.get("capex_usd") is not None else "–",
                "accelerators": num(p["accelerators"]) if ok and p.get("accelerators") is not None else "–",
            }
        )
    feasible = [p for p in points if p["status"] != "infeasible"]
    ctx: dict[str, Any] = {
        "title": "Parameter sweep",
        "country": result["country"],
        "period": _period(result.get("years") or []),
        "objective": result.get("objective") or "",
        "objective_text": OBJECTIVES.get(result.get("objective") or "", result.get("objective") or "not recorded"),
        "axes": axes,
        "rows": rows,
        "count": len(points),
        "feasible": len(feasible),
        "infeasible": len(points) - len(feasible),
        "headline": _sweep_headline(axes, points),
        "charts": _sweep_charts(axes, points),
    }
    return ctx


OBJECTIVES = {
    "max_served": "serve as much of what is asked as the limits allow, then at least cost",
    "min_cost": "meet every requirement at least cost (no plan where that is impossible)",
}


def _jobs_text(p: dict[str, Any]) -> str:
    """Training jobs run of those asked: 1 of 2 (– when the country asks for none)."""
    jobs = p.get("training_jobs")
    if not jobs:
        return "–"
    return f"{p.get('training_done') or 0} of {jobs}"


def _everything(p: dict[str, Any]) -> bool:
    """All serving demand met and every training job run (each weighed in its own unit, not averaged)."""
    done = p.get("training_done")
    jobs_ok = not p.get("training_jobs") or (done is not None and done >= p["training_jobs"])
    share = p.get("demand_share")
    return (share is None or share >= FULL) and jobs_ok and (p.get("served_share") or 0.0) >= FULL


def pct1(fraction: float | None) -> str:
    """A served share with one decimal: 99.9% (so 'almost all' does not read as 100%)."""
    if fraction is None:
        return "–"
    if fraction >= FULL:
        return "100%"
    return f"{fraction:.1%}"  # below FULL this never rounds up to 100.0%


def _sweep_headline(axes: list[dict[str, Any]], points: list[dict[str, Any]]) -> str:
    n = len(points)
    ok = [p for p in points if p["status"] != "infeasible"]
    keys = " and ".join(f"`{a['key']}`" for a in axes)
    parts = [f"{n} point{_s(n)} varying {keys}: {len(ok)} with a plan, {n - len(ok)} without."]
    full = [p for p in ok if _everything(p)]
    if len(axes) == 1 and ok:
        ax = axes[0]
        if full:
            parts.append(_full_sentence(ax, ok, full))
        else:
            best = max(ok, key=lambda p: (p.get("demand_share") or 0.0, p.get("training_done") or 0))
            jobs = f" and {_jobs_text(best)} training jobs run" if best.get("training_jobs") else ""
            parts.append(
                f"No point serves everything asked; the most served is {pct1(best.get('demand_share'))} of the "
                f"serving demand{jobs} at `{ax['key']}` = {ax['fmt'](best['values'][ax['key']])}."
            )
    elif full:
        parts.append(f"{len(full)} of them serve everything asked.")
    return " ".join(parts)


def _full_sentence(ax: dict[str, Any], ok: list[dict[str, Any]], full: list[dict[str, Any]]) -> str:
    """Where, along a single varied key, everything asked starts being served."""
    key, fmt = ax["key"], ax["fmt"]
    ordered = sorted(ok, key=lambda q: q["values"][key])
    start = next(q for q in ordered if q in full)
    at = f"`{key}` = {fmt(start['values'][key])} (net present cost {format_usd(start['npv_usd'])})"
    index = ordered.index(start)
    later = ordered[index + 1 :]
    # the threshold lies between the last grid point short of it and the first that reaches it
    below = f" (and not at {fmt(ordered[index - 1]['values'][key])}: the threshold lies between)" if index else ""
    if start is ordered[0] and all(q in full for q in later):
        return f"Everything asked is served at every value solved, from {at}."
    if not later:
        return f"Everything asked is served only at the largest value solved, {at}{below}."
    if all(q in full for q in later):
        return f"Everything asked is served at {at} and above{below}."
    return f"Everything asked is first served at {at}{below}, but not at every larger value solved."


def _sweep_charts(axes: list[dict[str, Any]], points: list[dict[str, Any]]) -> dict[str, Any]:
    x_axis = axes[0]
    second = axes[1] if len(axes) > 1 else None
    groups: dict[str, list[dict[str, Any]]] = {}
    for p in points:
        label = second["fmt"](p["values"][second["key"]]) if second else ""
        groups.setdefault(label, []).append(p)

    def series(get: Callable[[dict[str, Any]], float | None], describe: Callable[[float], str]):
        out = []
        for label, pts in groups.items():
            line = []
            for p in sorted(pts, key=lambda q: q["values"][x_axis["key"]]):
                x = p["values"][x_axis["key"]]
                y = get(p) if p["status"] != "infeasible" else None
                where = ", ".join(f"{a['key']} = {a['fmt'](p['values'][a['key']])}" for a in axes)
                tip = f"{where}: " + (describe(y) if y is not None else NO_PLAN)
                line.append((x / x_axis["scale"], y, tip))
            out.append((label, line))
        return out

    x_label = x_axis["label"]
    legend_title = f"one line per value of {_axis_label(second['key'], second['unit'])}:" if second else ""
    served = frontier_chart(
        "Share of the serving demand that is met",
        x_label,
        "serving demand met (% of output tokens)",
        series(lambda p: (p.get("demand_share") or 0.0) * 100, lambda y: f"serving demand met {y:.1f}%"),
        y_top=100.0,
        y_suffix="%",
        legend_title=legend_title,
    )
    npv = frontier_chart(
        "Net present cost",
        x_label,
        "US$ million (discounted)",
        series(
            lambda p: (p.get("npv_usd") or 0.0) / 1e6,
            lambda y: f"net present cost ${y:,.2f} M",
        ),
        legend_title=legend_title,
    )
    return {"served": served, "npv": npv}
