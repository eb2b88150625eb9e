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
from planner.report.fmt import (
    accelerators_text,
    format_usd,
    kw,
    money_m,
    num,
    num_sig,
    pct,
    stopped_status,
    usd_cents,
    usd_exact,
    usd_sig,
    with_local_name,
)
from planner.report.i18n import N_, _, ngettext
from planner.report.names import humanize
from planner.report.render import render
from planner.report.rent import rented_years
from planner.report.risks import plan_risk_message
from planner.report.workloads import shortfall_text
from planner.sizing.diagnose import remedy_lines

STATUS_LABELS = {"optimal": N_("Optimal"), "feasible": N_("Feasible (not proven optimal)"), "infeasible": N_("No plan")}
NO_PLAN = N_("no plan")
FULL = 0.9995  # a served share at or above this counts as "everything asked"


def render_comparison(result: dict[str, Any], formats: set[str]) -> dict[str, str | bytes]:
    """File name -> content for each requested format (md, html, pdf; others are ignored)."""
    return _render("comparison", comparison_context(result), formats)


def render_sweep(result: dict[str, Any], formats: set[str]) -> dict[str, str | bytes]:
    """File name -> content for each requested format (md, html, pdf; others are ignored)."""
    ctx = sweep_context(result)
    ctx["charts_in"] = _and([f"sweep.{f}" for f in ("html", "pdf") if f in formats])
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


def _and(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c" in the report's language."""
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s and %(last)s", first=", ".join(items[:-1]), last=items[-1])


def _status(status: str, gap: float | None = None) -> str:
    """Optimal, No plan, or a plan the solver stopped on, with its gap."""
    if status == "feasible" and gap:
        return stopped_status(gap)
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def _plural(text: str, n: int, **values: Any) -> str:
    """An ngettext text with the count as %(num)s and its other placeholders filled."""
    return text % {"num": num(n), **values}


def _value(v: Any) -> str:
    """An override value as the user would write it in YAML (null, lists, numbers)."""
    if v is None:
        return _("(unset)")
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:,.0f}" if v == int(v) and abs(v) >= 1000 else f"{v:g}"
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(v)


def _signed_usd(delta: float) -> str:
    if abs(delta) < 0.5:
        return _("same")
    return ("+" if delta > 0 else "−") + format_usd(abs(delta))


def _signed_num(delta: float, fmt: Callable[[float], str]) -> str:
    if abs(delta) < 1e-9:
        return _("same")
    return ("+" if delta > 0 else "−") + fmt(abs(delta))


def _rel(delta: float, base: float) -> str:
    if abs(delta) < 1e-9 or not base:
        return ""
    r = abs(delta) / abs(base)
    return f" ({'+' if delta > 0 else '−'}{pct(r, 1) if r < 0.0995 else pct(r)})"


def _per_million(v: float | None) -> str:
    if v is None:
        return "–"
    return usd_cents(v) if v < 100 else format_usd(v)


# --- comparison -------------------------------------------------------------------------------------------


def side_by_side_usd(amount: float) -> str:
    """Money in a comparison: millions to two decimals ($2.45 M, $2.50 M), so scenarios a few percent apart do not
    all read "$2.5 M"; smaller amounts as usual."""
    return money_m(amount, 2) if abs(amount) >= 1e6 else format_usd(amount)


KPIS: list[tuple[str, str, Callable[[float], str]]] = [
    (N_("Capital expenditure"), "capex_usd", side_by_side_usd),
    (N_("Operating cost, peak year"), "opex_usd_per_year", side_by_side_usd),
    (N_("Total cost of ownership (undiscounted)"), "tco_usd", side_by_side_usd),
    (N_("Net present cost (NPV)"), "npv_usd", side_by_side_usd),
    (N_("Accelerators in service, peak year"), "accelerators", lambda v: num(v)),
    (N_("Hardware units in service, peak year"), "units", lambda v: num(v)),
    (N_("IT power at own sites, peak year"), "power_kw", kw),
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
        "title": _("Scenario comparison"),
        "country": with_local_name(result["country"]),
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
        # scenarios whose vendor shares are kept by units that do little or no work, with the plan's own sentences
        "share_risks": [
            {"name": e["name"], "messages": [plan_risk_message(r["message"]) for r in e["vendor_share_risks"]]}
            for e in entries
            if e.get("vendor_share_risks")
        ],
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
            ("scenarios", _("Scenarios and their changes"), True),
            ("kpis", _("Key figures side by side"), True),
            ("charts", _("Charts"), True),
            ("deltas", _("Differences against %(first)s", first=first_name), bool(ctx["deltas"])),
            ("bom", _("Bill of materials side by side"), bool(ctx["bom"]["rows"])),
            ("rules", _("What each sovereignty rule costs"), bool(ctx["rules"]["rows"])),
            ("diagnosis", _("Scenarios without a plan: diagnosis"), bool(infeasible)),
        )
        if show
    ]
    return ctx


def _scenario(e: dict[str, Any], rank: dict[str, int], ranked: int, names: Names) -> dict[str, Any]:
    feasible = e["status"] != "infeasible"
    say = lambda s: shortfall_text(s, names)  # noqa: E731 - the report's wording of a shortfall
    short, remedies = remedy_lines(e.get("diagnosis"), say, _, usd_exact) if not feasible else ([], [])
    short, remedies = [humanize(x, names) for x in short], [humanize(x, names) for x in remedies]
    return {
        "name": e["name"],
        "description": _(e["description"]) if e.get("description") else "",  # a built-in's in the report language
        "status": e["status"],
        "status_label": _status(e["status"], e.get("mip_gap")),
        "feasible": feasible,
        "rank": _("%(part)s of %(total)s", part=rank[e["name"]], total=ranked) if e["name"] in rank else "–",
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
            _plural(
                ngettext(
                    "Of %(num)s scenario, `%(best)s` has the lowest net present cost, %(npv)s",
                    "Of %(num)s scenarios, `%(best)s` has the lowest net present cost, %(npv)s",
                    n,
                ),
                n,
                best=best["name"],
                npv=side_by_side_usd(best["totals"]["npv_usd"]),
            )
        )
        if len(ranking) > 1:
            worst = by_name[ranking[-1]]
            gap = worst["totals"]["npv_usd"] - best["totals"]["npv_usd"]
            parts[-1] += _(
                "; the highest is `%(worst)s` at %(npv)s (%(gap)s more)",
                worst=worst["name"],
                npv=side_by_side_usd(worst["totals"]["npv_usd"]),
                gap=format_usd(gap),
            )
        parts[-1] += _(".")
    none = [e["name"] for e in entries if e["status"] == "infeasible"]
    if none:
        names = ", ".join(f"`{x}`" for x in none)
        parts.append(
            _plural(
                ngettext(
                    "%(num)s of %(total)s has no plan: %(names)s (diagnosis below).",
                    "%(num)s of %(total)s have no plan: %(names)s (diagnosis below).",
                    len(none),
                ),
                len(none),
                total=n,
                names=names,
            )
        )
    if not ranking and not none:
        parts.append(_("No scenario was solved."))
    if first in none:
        parts.append(_("The reference, `%(first)s`, has no plan, so no differences against it are shown.", first=first))
    else:
        parts.append(_("Differences are against `%(first)s`.", first=first))
    return " ".join(parts)


def _rank(e: dict[str, Any], rank: dict[str, int]) -> str:
    return _("%(part)s of %(total)s", part=rank[e["name"]], total=len(rank)) if e["name"] in rank else "–"


def _kpi_rows(entries: list[dict[str, Any]], rank: dict[str, int]) -> list[dict[str, Any]]:
    def cells(fn: Callable[[dict[str, Any]], str]) -> list[str]:
        return [fn(e) if e["status"] != "infeasible" else _(NO_PLAN) for e in entries]

    rows = [{"label": _("Status"), "cells": [_status(e["status"], e.get("mip_gap")) for e in entries]}]
    for label, key, fmt in KPIS:
        rows.append({"label": _(label), "cells": cells(lambda e, k=key, f=fmt: f(e["totals"][k]))})
        if key == "npv_usd":
            rows[-1]["strong"] = True
            per_m = cells(lambda e: _per_million(e.get("cost_per_million_tokens_usd")))
            rows.append({"label": _("Cost per million output tokens served"), "cells": per_m})
    rows.append({"label": _("Accelerators by vendor"), "cells": cells(_vendor_text), "wrap": True})
    rows.insert(1, {"label": _("Rank by net present cost"), "cells": [_rank(e, rank) for e in entries]})
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
                row_cells.append(_(NO_PLAN) if e["status"] == "infeasible" else "–")
            elif key.endswith("_usd") or key.endswith("_per_year"):
                row_cells.append(_signed_usd(d) + _rel(d, base))
            elif key == "power_kw":
                row_cells.append(_signed_num(d, kw) + _rel(d, base))
            else:
                row_cells.append(_signed_num(d, lambda v: num(v)) + _rel(d, base))
        rows.append({"label": _(label), "cells": row_cells, "strong": key == "npv_usd", "wrap": False})
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
                cells.append({"main": _(NO_PLAN), "sub": []})
            elif c is None:
                cells.append({"main": "–", "sub": []})
            else:
                sub = [accelerators_text(c["acc"])]
                if c["capex"]:
                    sub.append(format_usd(c["capex"]))
                cells.append({"main": _units_text(c["units"], how), "sub": sub})
        rows.append({"hardware": names.hw(hw), "vendor": row["vendor"], "rented": how != "buy", "cells": cells})
    totals = []
    for e in entries:
        if e["status"] == "infeasible":
            totals.append({"main": _(NO_PLAN), "sub": []})
        else:  # units bought, with rented unit-years and hourly rent apart (they are not units owned)
            allocs = e.get("allocations") or []
            bought = [a for a in allocs if a.get("acquisition", "buy") == "buy"]
            units, chips = sum(a["units"] for a in bought), sum(a.get("accelerators", 0) for a in bought)
            sub = [accelerators_text(chips), format_usd(e["totals"]["capex_usd"])]
            for how in ("rent", "reserve_3y", "rent_hours"):
                rented = sum(a["units"] * rented_years(a) for a in allocs if a.get("acquisition") == how)
                if rented:
                    sub.append("+ " + _units_text(rented, how))
            totals.append({"main": _units_text(units, "buy"), "sub": sub})
    return {"rows": rows, "totals": totals, "any_rented": any(r["rented"] for r in rows)}


def _units_text(n: int, how: str) -> str:
    """8 units bought, 3 unit-years rented, 8 units rented by the hour."""
    if how == "buy":
        return _plural(ngettext("%(num)s unit bought", "%(num)s units bought", n), n)
    if how == "rent":
        return _plural(ngettext("%(num)s unit-year rented", "%(num)s unit-years rented", n), n)
    if how == "reserve_3y":
        return _plural(
            ngettext("%(num)s unit-year reserved for 3 years", "%(num)s unit-years reserved for 3 years", n), n
        )
    return _plural(ngettext("%(num)s unit rented by the hour", "%(num)s units rented by the hour", n), n)


def _rule_name(rule: str) -> str:
    return rule.replace("_", " ")


def _rule_cell(r: dict[str, Any]) -> str:
    cost = r.get("cost_usd")
    if cost is not None:
        if abs(cost) < 0.5:
            return _("nothing")
        return format_usd(cost) if cost > 0 else _("saves %(amount)s", amount=format_usd(-cost))
    if r.get("status_without") == "infeasible":
        return _("no plan either way")
    return _("makes it infeasible")


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
                    _(
                        "In `%(scenario)s`, the %(rule)s rule costs %(cost)s of net present cost "
                        "(without it: %(npv)s).",
                        scenario=e["name"],
                        rule=name,
                        cost=format_usd(cost),
                        npv=format_usd(r["npv_usd_without"]),
                    )
                )
            elif cost is None and r.get("status_without") != "infeasible" and r.get("npv_usd_without") is not None:
                lines.append(
                    _(
                        "In `%(scenario)s`, the %(rule)s rule is what leaves no plan: without it a plan exists "
                        "at a net present cost of %(npv)s.",
                        scenario=e["name"],
                        rule=name,
                        npv=format_usd(r["npv_usd_without"]),
                    )
                )
    return lines


# --- sweep ------------------------------------------------------------------------------------------------


def _axis_unit(key: str, values: list[float]) -> tuple[str, float, Callable[[float], str]]:
    """(unit label for the chart axis, divisor for the chart, formatter for tables) of a varied key."""
    leaf = key.rsplit(".", 1)[-1].lower()
    top = max((abs(v) for v in values), default=0.0)
    if "_usd_per_" in leaf:
        per = leaf.rsplit("_usd_per_", 1)[1].replace("kwh", "kWh")
        return _("US$ per %(unit)s", unit=per), 1.0, usd_sig
    if leaf.endswith("_usd") or leaf == "usd":
        if top >= 1e9:
            return _("US$ billion"), 1e9, format_usd
        if top >= 1e6:
            return _("US$ million"), 1e6, format_usd
        if top >= 1e3:
            return _("US$ thousand"), 1e3, format_usd
        return "US$", 1.0, format_usd
    if leaf.endswith("_kw"):
        return ("MW", 1e3, kw) if top >= 1e4 else ("kW", 1.0, kw)
    for suffix, unit in (("_days", N_("days")), ("_years", N_("years")), ("_ms", "ms"), ("_weeks", N_("weeks"))):
        if leaf.endswith(suffix):
            shown = _(unit)
            return shown, 1.0, lambda v, u=shown: f"{num_sig(v)} {u}"
    if leaf.endswith(("share", "fraction", "_rate")):
        return _("fraction"), 1.0, num_sig
    if leaf.endswith("users"):
        return _("users"), 1.0, num
    return "", 1.0, lambda v: num_sig(v, 6)


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
                "range": _plural(
                    ngettext(
                        "%(first)s to %(last)s, %(num)s value", "%(first)s to %(last)s, %(num)s values", len(vals)
                    ),
                    len(vals),
                    first=fmt(vals[0]),
                    last=fmt(vals[-1]),
                )
                if vals
                else "",
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
                "status": _status(p["status"], p.get("mip_gap")),
                "feasible": ok,
                "served": _jobs_text(p) if ok else _(NO_PLAN),
                "demand": pct1(p.get("demand_share")) if ok else _(NO_PLAN),
                "npv": format_usd(p["npv_usd"]) if ok and p.get("npv_usd") is not None else "–",
                "capex": format_usd(p["capex_usd"]) if ok and p.get("capex_usd") is not None else "–",
                "accelerators": num(p["accelerators"]) if ok and p.get("accelerators") is not None else "–",
            }
        )
    feasible = [p for p in points if p["status"] != "infeasible"]
    objective = result.get("objective") or ""
    ctx: dict[str, Any] = {
        "title": _("Parameter sweep"),
        "country": with_local_name(result["country"]),
        "period": _period(result.get("years") or []),
        "objective": result.get("objective") or "",
        "objective_text": _(OBJECTIVES[objective]) if objective in OBJECTIVES else objective or _("not recorded"),
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
    "max_served": N_("serve as much of what is asked as the limits allow, then at least cost"),
    "min_cost": N_("meet every requirement at least cost (no plan where that is impossible)"),
}


def _jobs_text(p: dict[str, Any]) -> str:
    """Training jobs run of those asked: 1 of 2 (– when the country asks for none)."""
    jobs = p.get("training_jobs")
    if not jobs:
        return "–"
    return _("%(part)s of %(total)s", part=p.get("training_done") or 0, total=jobs)


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
        return pct(1.0)
    return pct(fraction, 1)  # below FULL this never rounds up to 100.0%


def _sweep_headline(axes: list[dict[str, Any]], points: list[dict[str, Any]]) -> str:
    n = len(points)
    ok = [p for p in points if p["status"] != "infeasible"]
    keys = _and([f"`{a['key']}`" for a in axes])
    parts = [
        _plural(
            ngettext(
                "%(num)s point varying %(keys)s: %(ok)s with a plan, %(no)s without.",
                "%(num)s points varying %(keys)s: %(ok)s with a plan, %(no)s without.",
                n,
            ),
            n,
            keys=keys,
            ok=len(ok),
            no=n - len(ok),
        )
    ]
    full = [p for p in ok if _everything(p)]
    if len(axes) == 1 and ok:
        ax = axes[0]
        if full:
            parts.append(_full_sentence(ax, ok, full))
        else:
            best = max(ok, key=lambda p: (p.get("demand_share") or 0.0, p.get("training_done") or 0))
            where = {
                "share": pct1(best.get("demand_share")),
                "key": ax["key"],
                "value": ax["fmt"](best["values"][ax["key"]]),
            }
            if best.get("training_jobs"):
                parts.append(
                    _(
                        "No point serves everything asked; the most served is %(share)s of the serving demand and "
                        "%(jobs)s training jobs run at `%(key)s` = %(value)s.",
                        jobs=_jobs_text(best),
                        **where,
                    )
                )
            else:
                parts.append(
                    _(
                        "No point serves everything asked; the most served is %(share)s of the serving demand at "
                        "`%(key)s` = %(value)s.",
                        **where,
                    )
                )
    elif full:
        parts.append(_("%(count)s of them serve everything asked.", count=len(full)))
    return " ".join(parts)


def _full_sentence(ax: dict[str, Any], ok: list[dict[str, Any]], full: list[dict[str, Any]]) -> str:
    """Where, along a single varied key, everything asked starts being served."""
    key, fmt = ax["key"], ax["fmt"]
    ordered = sorted(ok, key=lambda q: q["values"][key])
    start = next(q for q in ordered if q in full)
    at = _(
        "`%(key)s` = %(value)s (net present cost %(npv)s)",
        key=key,
        value=fmt(start["values"][key]),
        npv=format_usd(start["npv_usd"]),
    )
    index = ordered.index(start)
    later = ordered[index + 1 :]
    # the threshold lies between the last grid point short of it and the first that reaches it
    below = (
        " " + _("(and not at %(value)s: the threshold lies between)", value=fmt(ordered[index - 1]["values"][key]))
        if index
        else ""
    )
    if start is ordered[0] and all(q in full for q in later):
        return _("Everything asked is served at every value solved, from %(at)s.", at=at)
    if not later:
        return _("Everything asked is served only at the largest value solved, %(at)s%(below)s.", at=at, below=below)
    if all(q in full for q in later):
        return _("Everything asked is served at %(at)s and above%(below)s.", at=at, below=below)
    return _(
        "Everything asked is first served at %(at)s%(below)s, but not at every larger value solved.", at=at, below=below
    )


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
                tip = f"{where}: " + (describe(y) if y is not None else _(NO_PLAN))
                line.append((x / x_axis["scale"], y, tip))
            out.append((label, line))
        return out

    x_label = x_axis["label"]
    legend_title = (
        _("one line per value of %(axis)s:", axis=_axis_label(second["key"], second["unit"])) if second else ""
    )
    served = frontier_chart(
        _("Share of the serving demand that is met"),
        x_label,
        _("serving demand met (% of output tokens)"),
        series(
            lambda p: (p.get("demand_share") or 0.0) * 100,
            lambda y: _("serving demand met %(share)s", share=f"{y:.1f}%"),
        ),
        y_top=100.0,
        y_suffix="%",
        legend_title=legend_title,
    )
    npv = frontier_chart(
        _("Net present cost"),
        x_label,
        _("US$ million (discounted)"),
        series(
            lambda p: (p.get("npv_usd") or 0.0) / 1e6,
            lambda y: _("net present cost $%(amount)s M", amount=num(y, 2)),
        ),
        legend_title=legend_title,
    )
    return {"served": served, "npv": npv}
