"""Dominated hardware options, removed before the model is built.

An option is dominated when another is the same or better on every figure the model uses: same vendor, origin,
chips per unit and export status everywhere (so every share, cap and rule treats them alike), no later to
arrive, no dearer to buy or run (after the value it keeps), no more power or rack space, no worse cooling
needs, and at least the throughput for every serving workload and no more units for every training job. Any plan
that uses the dominated option is matched, at no higher cost, by one that uses the other instead, so dropping it
keeps the optimum (ties are broken by id so that two identical options keep one). Options a site offers for rent
or holds as brownfield are kept: they are site facts, not choices.
"""

from __future__ import annotations

from planner.sizing.data import ProblemData
from planner.sizing.families.sites import rack_units_taken, units_per_rack
from planner.sizing.rules import quantity_quota

TOLERANCE = 1e-9


def dominated_options(data: ProblemData) -> dict[str, str]:
    """Dominated hardware id -> the option that dominates it (among the options bought at every site)."""
    candidates = sorted(_bought_everywhere(data))
    out: dict[str, str] = {}
    for loser in candidates:
        for winner in candidates:
            if winner != loser and winner not in out and _dominates(data, winner, loser):
                out[loser] = winner
                break
    return out


def unusable_options(data: ProblemData) -> list[str]:
    """Options that can serve no workload (latency, memory or precision out of reach) and run no training job:
    buying or renting them could only pad a vendor share, so they are not options at all."""
    useful = {h for need in data.serving for h in need.usable_tokens_per_s_per_unit}
    useful |= {h for need in data.training for h in need.units_needed}
    return sorted(h for h in data.hardware if h not in useful)


def drop_dominated(data: ProblemData) -> dict[str, str]:
    """Remove unusable and dominated options from the sites (brownfield units stay); return what was removed and
    why (option -> the option that dominates it, or "unusable")."""
    dominated = dominated_options(data)
    dominated.update(dict.fromkeys(unusable_options(data), "unusable"))
    for s in data.sites:
        if data.is_cloud(s):
            data.site_hardware[s] = [h for h in data.site_hardware[s] if dominated.get(h) != "unusable"]
            continue
        keep = {e.hardware for e in data.spec.sites[s].existing}
        data.site_hardware[s] = [h for h in data.site_hardware[s] if h not in dominated or h in keep]
    offered = set(data.pairs())
    data.export = {key: status for key, status in data.export.items() if (key[0], key[1]) in offered}
    return dominated


def _bought_everywhere(data: ProblemData) -> set[str]:
    own = [s for s in data.sites if not data.is_cloud(s)]
    if not own:
        return set()
    options = set.intersection(*(set(data.site_hardware[s]) for s in own))
    brownfield = {e.hardware for s in own for e in data.spec.sites[s].existing}
    rented = {h for s in data.sites if data.is_cloud(s) for h in data.site_hardware[s]}
    return options - brownfield - rented


def _dominates(data: ProblemData, w: str, lo: str) -> bool:
    a, b = data.hardware[w], data.hardware[lo]
    same = (a.vendor, a.origin_country, a.chips_per_unit) == (b.vendor, b.origin_country, b.chips_per_unit)
    if not same or (a.markets or None) != (b.markets or None):
        return False
    if a.cooling == "liquid" and b.cooling != "liquid":
        return False
    if not _arrives_no_later(a, b) or data.life(w) < data.life(lo):
        return False
    return _site_figures_no_worse(data, w, lo) and _work_no_worse(data, w, lo)


def _arrives_no_later(a, b) -> bool:
    if a.lead_time_weeks > b.lead_time_weeks:
        return False
    if a.available_from and (not b.available_from or a.available_from > b.available_from):
        return False
    return not (b.end_of_sale is None and a.end_of_sale is not None) and not (
        a.end_of_sale and b.end_of_sale and a.end_of_sale < b.end_of_sale
    )


def _site_figures_no_worse(data: ProblemData, w: str, lo: str) -> bool:
    a, b = data.hardware[w], data.hardware[lo]
    if a.power_kw_per_unit > b.power_kw_per_unit + TOLERANCE:
        return False
    end = data.discount(data.end_of_horizon())
    for s in data.sites:
        if data.is_cloud(s):
            continue
        site = data.spec.sites[s]
        if rack_units_taken(a, site) > rack_units_taken(b, site) + TOLERANCE:
            return False
        if units_per_rack(a, site) == 0 and units_per_rack(b, site) != 0:
            return False
        for y in data.years:
            # maintenance follows the price each is bought at, which falls at each hardware's own rate
            if data.opex_usd_per_unit_year(s, w, y) > data.opex_usd_per_unit_year(s, lo, y) + TOLERANCE:
                return False
            if data.export[s, w, y][0] != data.export[s, lo, y][0]:
                return False
            if not _quota_no_tighter(a, b, site.jurisdiction, y):
                return False
            cost_a = data.unit_capex(s, w, y)
            cost_b = data.unit_capex(s, lo, y)
            kept_a = data.kept_value(s, w, y) * end / data.discount(y)
            kept_b = data.kept_value(s, lo, y) * end / data.discount(y)
            if cost_a > cost_b + TOLERANCE or cost_a - kept_a > cost_b - kept_b + TOLERANCE:
                return False
    return True


def _quota_no_tighter(a, b, jurisdiction: str, year: int) -> bool:
    """`a`'s licence quota binds no tighter than `b`'s: uncapped, or a cap no smaller that is `a`'s own or the
    same pool as `b`'s (a quota shared with other hardware may be used up by them)."""
    quota_a, quota_b = quantity_quota(a, jurisdiction, year), quantity_quota(b, jurisdiction, year)
    if quota_a is None:
        return True
    if quota_b is None or quota_a[1] < quota_b[1]:
        return False
    return quota_a[0] in (a.id, quota_b[0])


def _work_no_worse(data: ProblemData, w: str, lo: str) -> bool:
    for need in data.serving:
        rates = need.usable_tokens_per_s_per_unit
        if lo in rates and rates.get(w, 0.0) < rates[lo] - TOLERANCE:
            return False
    for need in data.training:
        units = need.units_needed
        if lo in units and (w not in units or units[w] > units[lo]):
            return False
    return True
