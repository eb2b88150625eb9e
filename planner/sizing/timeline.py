"""The programme's dated steps, read from a solved plan: decision, orders, deliveries, training windows,
go-lives, and the end of life (and refresh) of units that retire inside the horizon.

No installation step is shown: the catalog's lead times run from order to working units (its prices include
installation), so delivery is when units work; they count as capacity from the start of the quarter after.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.sizing import quarters
from planner.sizing.data import ProblemData
from planner.sizing.rules import decision_date

_ORDER = ("decision", "order_by", "delivery", "installation", "training", "go_live", "end_of_life", "refresh")


def timeline(data: ProblemData, allocs: list[dict[str, Any]], workloads: list[dict[str, Any]]) -> list[dict]:
    """Every dated step of the plan, in date order (then decision, orders, deliveries, jobs, go-lives, retirements)."""
    spec = data.spec
    events = [_event("decision", "Purchase decision: orders can be placed from this day", decision_date(spec))]
    bought = [a for a in allocs if a["acquisition"] == "buy"]
    for a in bought:
        hw = data.hardware[a["hardware"]]
        what = f"{a['units']} × `{a['hardware']}` at `{a['site']}` for {a['year']}"
        where = {"site": a["site"], "hardware": a["hardware"]}
        if a.get("order_by"):
            events.append(_event("order_by", f"Order {what} by this day", _day(a["order_by"]), **where))
        arrives = quarters.delivery(hw, spec, a["year"])
        if arrives is not None:
            working = a.get("in_service_from")
            late = (
                f"; in service from {working}"
                if working and _day(working) > max(arrives, dt.date(a["year"], 1, 1))
                else ""
            )
            events.append(_event("delivery", f"{what} delivered{late}", arrives, **where))
    for w in workloads:
        placement = w.get("placement")
        if w["kind"] != "serving" and placement and placement.get("start"):
            label = (
                f"Training `{w['name']}` on {placement['units']} × `{placement['hardware']}` at `{placement['site']}`"
            )
            events.append(
                _event(
                    "training",
                    label,
                    _day(placement["start"]),
                    end=_day(placement["end"]) if placement.get("end") else None,
                    site=placement["site"],
                    hardware=placement["hardware"],
                    workload=w["name"],
                )
            )
        elif w["kind"] == "serving" and w.get("go_live"):
            events.append(_event("go_live", f"`{w['name']}` goes live", _day(w["go_live"]), workload=w["name"]))
    events += _retirements(data, bought)
    events.sort(key=lambda e: (e["start"], _ORDER.index(e["kind"]), e.get("site") or "", e.get("hardware") or ""))
    return events


def _retirements(data: ProblemData, bought: list[dict[str, Any]]) -> list[dict]:
    """Units (bought or brownfield) whose life ends on 1 January of a year inside the horizon, and the purchases
    at the same site that year (a refresh)."""
    last = data.years[-1]
    ageing = [(a["site"], a["hardware"], a["year"], a["units"]) for a in bought]
    ageing += [
        (sid, e.hardware, e.installed_year, e.units) for sid, site in data.spec.sites.items() for e in site.existing
    ]
    out = []
    for site, hw_id, since, units in ageing:
        ends = since + data.life(hw_id)
        if ends > last:
            continue
        where = {"site": site, "hardware": hw_id}
        label = f"{units} × `{hw_id}` at `{site}` (in service since {since}) reach the end of their life"
        out.append(_event("end_of_life", label, dt.date(ends, 1, 1), **where))
        for a in bought:
            if a["site"] == site and a["year"] == ends:
                label = f"Refresh at `{site}`: {a['units']} × `{a['hardware']}` bought for {ends}"
                out.append(_event("refresh", label, dt.date(ends, 1, 1), site=site, hardware=a["hardware"]))
    unique = {(e["kind"], e["label"], e["start"]): e for e in out}
    return list(unique.values())


def _event(kind: str, label: str, start: dt.date, *, end: dt.date | None = None, **ids: str | None) -> dict:
    return {"kind": kind, "label": label, "start": start.isoformat(), "end": end.isoformat() if end else None, **ids}


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
