"""Sovereignty rules: data residency, export availability, lead times, vendor policy."""

from __future__ import annotations

import pulp

from planner.sizing.groups import allowed_sites
from planner.sizing.model import installed
from planner.sizing.rows import Row
from planner.sizing.rules import arrives_in_time, export_allowed


def forbidden_sites(data, workload: str) -> list[str]:
    """Sites the workload's data class does not allow."""
    allowed = allowed_sites(data, workload)
    return [s for s in data.sites if s not in allowed]


def data_residency(problem, data, v, capex, opex):
    """A training job stays at sites its data class allows (serving is confined by construction: its
    variables only cover the workload's allowed sites, see planner/sizing/groups.py)."""
    at: dict[tuple[str, str], list] = {}
    for (w, s, _), var in v.place.items():
        at.setdefault((w, s), []).append(var)
    for w in data.spec.workloads:
        for s in forbidden_sites(data, w):
            if at.get((w, s)):
                yield Row("data_residency", (w, s), pulp.lpSum(at[w, s]), "<=", 0)


def export_availability(problem, data, v, capex, opex):
    """No purchase of hardware the export rules (as the policy reads them) keep from a site that year."""
    for (s, h, y), (status, _) in sorted(data.export.items()):
        if not export_allowed(status, data.spec):
            yield Row("export_availability", (s, h, y), pulp.lpSum([v.acquire[s, h, y]]), "<=", 0)


def lead_time(problem, data, v, capex, opex):
    """Hardware bought for a year must arrive by then; a training job only uses units that arrived before it starts."""
    spec = data.spec
    for s, h in data.pairs():
        if data.is_cloud(s):
            continue  # rented capacity already exists in the region
        for y in data.years:
            if not arrives_in_time(data.hardware[h], spec, y):
                yield Row("lead_time", (s, h, y), pulp.lpSum([v.acquire[s, h, y]]), "<=", 0)
    for need in data.training:
        start_week = spec.workloads[need.workload].start_week
        for (w, s, h), var in v.place.items():
            if w != need.workload or data.is_cloud(s):
                continue
            if not arrives_in_time(data.hardware[h], spec, need.year, start_week):
                arrived = installed(data, v, s, h, need.year) - v.acquire[s, h, need.year]
                yield Row("lead_time_training", (w, s, h), need.units_needed[h] * var - arrived, "<=", 0)


def vendor_rules(problem, data, v, capex, opex):
    """Allowed vendors, the cap on any one vendor's share, and the minimum domestic or allied share.

    Shares are of the fleet in service each year (bought, brownfield and rented accelerators alike), or,
    with `vendor_share_basis: capex`, of the money spent on hardware over the horizon (purchases and rent).
    """
    policy = data.spec.policy
    if policy.allowed_vendors is not None:
        for h in sorted({h for _, h in data.pairs()}):
            if data.hardware[h].vendor not in policy.allowed_vendors:
                units = pulp.lpSum(var for (_, h2, _), var in v.acquire.items() if h2 == h)
                yield Row("vendor_allowed", (h,), units, "<=", 0)
    if policy.vendor_max_share is None and policy.min_allied_share is None:
        return
    for period, terms in _share_terms(data, v, policy.vendor_share_basis):
        total = pulp.lpSum(t for _, t in terms)
        if policy.vendor_max_share is not None:
            for vendor in sorted({data.hardware[h].vendor for h, _ in terms}):
                mine = pulp.lpSum(t for h, t in terms if data.hardware[h].vendor == vendor)
                yield Row("vendor_cap", (vendor, period), mine - policy.vendor_max_share * total, "<=", 0)
        if policy.min_allied_share is not None:
            allied = pulp.lpSum(t for h, t in terms if data.hardware[h].origin_country in policy.allied_origins)
            yield Row("allied_share", (period,), allied - policy.min_allied_share * total, ">=", 0)


def _share_terms(data, v, basis: str):
    """(period, [(hardware, expression)]): accelerators in service per year, or spending over the horizon."""
    if basis == "accelerators":
        for y in data.years:
            yield y, [(h, data.hardware[h].chips_per_unit * installed(data, v, s, h, y)) for s, h in data.pairs()]
        return
    spend = [
        (h, (data.opex_usd_per_unit_year(s, h) if data.is_cloud(s) else data.unit_price(s, h)) * var)
        for (s, h, _), var in v.acquire.items()
    ]
    yield "horizon", spend
