"""Sovereignty rules as plain functions: export availability, lead times, data residency.

Pure functions over the spec and the catalog; the MILP turns their answers into named rows.
"""

from __future__ import annotations

import datetime as dt
import os

from planner.schema.catalog import ExportRule, Hardware
from planner.schema.country import CountrySpec, DataClassRule, Site

WEEKS_PER_YEAR = 52.0


def export_rule(hw: Hardware, destination: str, when: dt.date) -> ExportRule | None:
    """The rule in force for `destination` on `when`: a rule naming the destination beats a "*" rule;
    among several, the one that started last wins. None means no rule: available."""
    in_force = [
        r
        for r in hw.export_rules
        if (r.from_date is None or r.from_date <= when) and (r.until_date is None or when <= r.until_date)
    ]
    named = [r for r in in_force if destination in r.destinations]
    pool = named or [r for r in in_force if "*" in r.destinations]
    if not pool:
        return None
    return max(pool, key=lambda r: r.from_date or dt.date.min)


def export_status(hw: Hardware, destination: str, year: int) -> tuple[str, ExportRule | None]:
    """Status of `hw` for `destination` in `year`, judged at mid-year with the rules known today. A SKU sold
    only in some markets (H20, H800 in China) is prohibited elsewhere."""
    if hw.markets is not None and destination not in hw.markets:
        note = f"sold only in {', '.join(hw.markets)}"
        return "prohibited", ExportRule(destinations=[destination], status="prohibited", note=note, ref=hw.source.ref)
    rule = export_rule(hw, destination, dt.date(year, 7, 1))
    return (rule.status if rule else "allowed"), rule


def quantity_quota(hw: Hardware, destination: str, year: int) -> tuple[str, int] | None:
    """The quota `hw` counts against in `destination` in `year`, as (name, accelerators), if capped: a quota its
    rule shares with other hardware (`quota`), else its own, named by its id."""
    rule = export_rule(hw, destination, dt.date(year, 7, 1))
    if rule is None or rule.max_accelerators is None:
        return None
    return (rule.quota or hw.id), rule.max_accelerators


def export_allowed(status: str, spec: CountrySpec) -> bool:
    """Whether the programme's policy accepts hardware with this export status."""
    if status == "prohibited":
        return False
    if status == "licence_required":
        return spec.policy.allow_licence_required
    if status == "legal_risk":
        return spec.policy.allow_legal_risk
    return True


def decision_date(spec: CountrySpec, today: dt.date | None = None) -> dt.date:
    """When orders can first be placed: `planning.decision_date`, else `decision_weeks_before_start` before
    1 January of the first year, else today."""
    planning = spec.planning
    today = today or run_date()
    if planning.decision_date is not None:  # a decision in the past cannot place orders before today
        return max(planning.decision_date, today)
    if planning.decision_weeks_before_start is not None:
        return max(dt.date(planning.start_year, 1, 1) - dt.timedelta(weeks=planning.decision_weeks_before_start), today)
    return today


def run_date() -> dt.date:
    """Today, or the date in PLANNER_TODAY (YYYY-MM-DD) for runs that must not depend on the day they are made."""
    pinned = os.environ.get("PLANNER_TODAY", "").strip()
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError:
            pass  # checked where the CLI starts; a bad value here falls back to today
    return dt.date.today()


def service_date(year: int, start_week: int = 0) -> dt.date:
    """The day hardware must be working: 1 January of `year`, or the start of a job in week `start_week`."""
    return dt.date(year, 1, 1) + dt.timedelta(weeks=start_week)


def weeks_before_service(spec: CountrySpec, year: int, start_week: int = 0) -> float:
    """Weeks between the purchase decision and the moment hardware must be working."""
    return (service_date(year, start_week) - decision_date(spec)).days / 7.0


def order_by(hw: Hardware, year: int, start_week: int = 0) -> dt.date:
    """The last day to order `hw` so that it works by `start_week` of `year` (and before its end of sale)."""
    latest = service_date(year, start_week) - dt.timedelta(weeks=hw.lead_time_weeks)
    return min(latest, hw.end_of_sale) if hw.end_of_sale else latest


def arrives_in_time(hw: Hardware, spec: CountrySpec, year: int, start_week: int = 0) -> bool:
    """True if `hw` ordered at or after the decision (and after its announced first deliveries less its lead time,
    and before its end of sale) can be working by `start_week` of `year`."""
    lead = dt.timedelta(weeks=hw.lead_time_weeks)
    earliest_order = decision_date(spec)
    if hw.available_from is not None:
        earliest_order = max(earliest_order, hw.available_from - lead)
    return earliest_order <= order_by(hw, year, start_week)


def site_allowed(rule: DataClassRule | None, site: Site) -> bool:
    """Whether a workload whose data class has `rule` may run at `site`."""
    if rule is None:
        return True
    if rule.jurisdictions is not None and site.jurisdiction not in rule.jurisdictions:
        return False
    return rule.site_kinds is None or site.kind in rule.site_kinds
