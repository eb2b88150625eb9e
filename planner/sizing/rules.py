"""Sovereignty rules as plain functions: export availability, lead times, data residency.

Pure functions over the spec and the catalog; the MILP turns their answers into named rows.
"""

from __future__ import annotations

import datetime as dt

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
    """Status of `hw` for `destination` in `year`, judged at mid-year with the rules known today."""
    rule = export_rule(hw, destination, dt.date(year, 7, 1))
    return (rule.status if rule else "allowed"), rule


def export_allowed(status: str, spec: CountrySpec) -> bool:
    """Whether the programme's policy accepts hardware with this export status."""
    if status == "prohibited":
        return False
    if status == "licence_required":
        return spec.policy.allow_licence_required
    if status == "legal_risk":
        return spec.policy.allow_legal_risk
    return True


def weeks_before_service(spec: CountrySpec, year: int, start_week: int = 0) -> float:
    """Weeks between the purchase decision and the moment hardware must be working."""
    planning = spec.planning
    return planning.decision_weeks_before_start + WEEKS_PER_YEAR * (year - planning.start_year) + start_week


def arrives_in_time(hw: Hardware, spec: CountrySpec, year: int, start_week: int = 0) -> bool:
    """True if `hw` ordered at the decision can be working by `start_week` of `year`."""
    return hw.lead_time_weeks <= weeks_before_service(spec, year, start_week)


def site_allowed(rule: DataClassRule | None, site: Site) -> bool:
    """Whether a workload whose data class has `rule` may run at `site`."""
    if rule is None:
        return True
    if rule.jurisdictions is not None and site.jurisdiction not in rule.jurisdictions:
        return False
    return rule.site_kinds is None or site.kind in rule.site_kinds
