"""The programme's timeline: plan.timeline when the sizing core filled it, else the steps the plan implies.

The fallback (one function, `derived_timeline`) dates what the plan already holds: the decision date, the last
day to order each purchase (allocations' `order_by`), its delivery and installation up to 1 January of its
year, each training job's run, each service's go-live, and the refresh of hardware whose life ends in the
horizon.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from planner.report.fmt import num
from planner.report.tr import _

if TYPE_CHECKING:
    from planner.plan import Names


def kind_labels() -> dict[str, str]:
    """Each kind of step in words (in the report's language)."""
    return {
        "decision": _("Decision"),
        "order_by": _("Order by"),
        "delivery": _("Delivery"),
        "installation": _("Delivery and installation"),
        "training": _("Training run"),
        "go_live": _("Service goes live"),
        "refresh": _("Hardware refresh"),
        "end_of_life": _("End of life"),
    }


def timeline_events(plan: dict[str, Any], names: Names) -> list[dict[str, Any]]:
    """Every dated step in date order: {kind, label, start, end} (end None for a single day)."""
    from planner.report.names import humanize

    given = [
        {**e, "label": step_label(e["label"], names) or humanize(e["label"], names)} for e in plan.get("timeline") or []
    ]
    events = given or derived_timeline(plan, names)
    return sorted(events, key=lambda e: (e["start"], e.get("end") or e["start"], e["kind"]))


_ID = r"`([^`]+)`"
_STEPS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Purchase decision: orders can be placed from this day$"), "decision"),
    (re.compile(rf"^Order (?P<units>\d+) × {_ID} at {_ID} for (?P<year>\d{{4}}) by this day$"), "order"),
    (
        re.compile(
            rf"^(?P<units>\d+) × {_ID} at {_ID} for (?P<year>\d{{4}}) delivered; in service from (?P<date>[\d-]+)$"
        ),
        "late",
    ),
    (re.compile(rf"^(?P<units>\d+) × {_ID} at {_ID} for (?P<year>\d{{4}}) delivered$"), "delivered"),
    (re.compile(rf"^Training {_ID} on (?P<units>\d+) × {_ID} at {_ID}$"), "training"),
    (re.compile(rf"^{_ID} goes live$"), "go_live"),
    (
        re.compile(
            rf"^(?P<units>\d+) × {_ID} at {_ID} \(in service since (?P<year>\d{{4}})\) reach the end of their life$"
        ),
        "end_of_life",
    ),
    (re.compile(rf"^Refresh at {_ID}: (?P<units>\d+) × {_ID} bought for (?P<year>\d{{4}})$"), "refresh"),
]
"""The sentences planner/sizing/timeline.py writes into plan.json (English, with ids), to be said again in the
report's language with names."""


def step_label(label: str, names: Names) -> str | None:
    """A plan.timeline label in the report's language, with names; None if it is not one the sizing core writes."""
    for pattern, kind in _STEPS:
        m = pattern.match(label)
        if m:
            return _say(kind, m, names)
    return None


def _say(kind: str, m: re.Match[str], names: Names) -> str:
    ids = [g for g in m.groups() if g is not None]
    if kind == "decision":
        return _("Purchase decision: orders can be placed from this day")
    if kind == "go_live":
        return _("%(service)s goes live", service=names.workload(ids[0]))
    if kind == "training":
        return _(
            "Training %(job)s on %(units)s × %(hardware)s at %(site)s",
            job=names.workload(m.group(1)),
            units=m.group("units"),
            hardware=names.hw(m.group(3)),
            site=names.site(m.group(4)),
        )
    if kind == "refresh":
        return _(
            "Refresh at %(site)s: %(units)s × %(hardware)s bought for %(year)s",
            site=names.site(m.group(1)),
            units=m.group("units"),
            hardware=names.hw(m.group(3)),
            year=m.group("year"),
        )
    fields = {"units": m.group("units"), "hardware": names.hw(m.group(2)), "site": names.site(m.group(3))}
    if kind == "order":
        return _("Order %(units)s × %(hardware)s at %(site)s for %(year)s by this day", year=m.group("year"), **fields)
    if kind == "late":
        return _(
            "%(units)s × %(hardware)s at %(site)s for %(year)s delivered; in service from %(date)s",
            year=m.group("year"),
            date=m.group("date"),
            **fields,
        )
    if kind == "delivered":
        return _("%(units)s × %(hardware)s at %(site)s for %(year)s delivered", year=m.group("year"), **fields)
    return _(
        "%(units)s × %(hardware)s at %(site)s (in service since %(year)s) reach the end of their life",
        year=m.group("year"),
        **fields,
    )


def derived_timeline(plan: dict[str, Any], names: Names) -> list[dict[str, Any]]:
    """The steps plan.json implies, until the sizing core writes `timeline` itself."""
    if plan.get("status") == "infeasible":
        return []
    planning = plan.get("planning") or {}
    years = plan["years"]
    life = int(planning.get("hardware_life_years") or 5)
    events: list[dict[str, Any]] = []
    if planning.get("decision_date"):
        events.append(
            {
                "kind": "decision",
                "label": _("Programme approved; first orders can be placed"),
                "start": planning["decision_date"],
                "end": None,
            }
        )
    orders: dict[tuple[str, int, str], list[int]] = {}
    for a in plan.get("allocations", []):
        if a.get("acquisition") == "buy" and a.get("order_by"):
            key = (a["hardware"], a["year"], a["order_by"])
            orders.setdefault(key, []).append(a["units"])
    for (hw, year, order_by), units in sorted(orders.items(), key=lambda kv: (kv[0][2], kv[0][0])):
        what = _("%(units)s × %(hardware)s for %(year)s", units=num(sum(units)), hardware=names.hw(hw), year=year)
        events.append(
            {"kind": "order_by", "label": _("Order %(what)s", what=what), "start": order_by, "end": None, "row": what}
        )
        events.append(
            {
                "kind": "installation",
                "label": _("Delivery and installation of %(what)s", what=what),
                "start": order_by,
                "end": f"{year}-01-01",
                "row": what,
            }
        )
        if year + life <= years[-1]:
            events.append(
                {
                    "kind": "refresh",
                    "label": _("Refresh of %(what)s (end of its %(life)s-year life)", what=what, life=life),
                    "start": f"{year + life}-01-01",
                    "end": None,
                }
            )
    for w in plan.get("workloads", []):
        if w["kind"] == "serving":
            first = next((y["year"] for y in w.get("by_year") or [] if y["capacity_output_tokens_per_s"] > 0), None)
            if first is not None:
                events.append(
                    {
                        "kind": "go_live",
                        "label": _("%(service)s goes live", service=names.workload(w["name"])),
                        "start": f"{first}-01-01",
                        "end": None,
                    }
                )
        elif w.get("placement") and w.get("year"):
            start = dt.date(int(w["year"]), 1, 1)
            end = start + dt.timedelta(days=float(w["placement"]["wall_days"]))
            events.append(
                {
                    "kind": "training",
                    "label": _("%(job)s runs", job=names.workload(w["name"])),
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                }
            )
    return events


def timeline_rows(events: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The timeline table: when, what kind of step, what."""
    labels = kind_labels()
    ordered = {e.get("row") for e in events if e["kind"] == "order_by" and e.get("row")}
    rows = []
    for e in events:
        if e["kind"] == "installation" and e.get("row") in ordered:
            continue  # the order's row says when it must be installed
        label = e["label"]
        if e["kind"] == "order_by" and e.get("row") in ordered:
            done = next(x["end"] for x in events if x["kind"] == "installation" and x.get("row") == e["row"])
            label = _("%(order)s; delivered and installed by %(date)s", order=label, date=done)
        when = e["start"] if not e.get("end") else f"{e['start']} – {e['end']}"
        rows.append({"when": when, "kind": labels.get(e["kind"], e["kind"]), "label": label})
    return rows


TIMELINE_ROWS_PER_CHART = 30
"""Rows of one Gantt chart: a taller one does not fit an A4 page (64 steps ran into the footer and lost the axis)."""


def timeline_chart(events: list[dict[str, Any]], years: list[int]) -> list[Any]:
    """The Gantt charts of the steps (an order and its delivery share a row), a page's worth of rows each."""
    from planner.report.proposal_charts import timeline_chart as draw

    if not events:
        return []
    rows: dict[str, list[tuple[str, str, str | None]]] = {}
    for e in events:
        rows.setdefault(e.get("row") or e["label"], []).append((e["kind"], e["start"], e.get("end")))
    labels = kind_labels()
    items = list(rows.items())
    parts = [items[i : i + TIMELINE_ROWS_PER_CHART] for i in range(0, len(items), TIMELINE_ROWS_PER_CHART)]
    charts = []
    for n, part in enumerate(parts, 1):
        drawn = list(dict.fromkeys(kind for _row, marks in part for kind, _s, _e in marks))
        legend = {k: labels.get(k, k) for k in drawn}
        title = (
            _("Programme timeline")
            if len(parts) == 1
            else _("Programme timeline (%(part)s of %(total)s)", part=n, total=len(parts))
        )
        charts.append(draw(title, part, years[0], years[-1], legend))
    return charts
