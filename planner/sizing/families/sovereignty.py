"""Sovereignty rules: data residency, export availability, lead times, vendor policy."""

from __future__ import annotations

import pulp

from planner.sizing.family import N_, Family, Row
from planner.sizing.groups import allowed_sites
from planner.sizing.rules import decision_date, export_allowed, quantity_quota, service_date
from planner.sizing.variables import installed, on_demand_units

FAMILIES = [
    Family(
        "data_residency",
        "rule",
        N_("A workload runs only at sites its data class allows."),
        "units",
        shortfall=N_("`{ids[0]}` would need {amount} units at site `{ids[1]}`, which its data class forbids"),
        price=N_("allowing `{ids[0]}` at `{ids[1]}` would save {price} per unit placed there"),
        priced_as="data_residency",
    ),
    Family(
        "export_availability",
        "rule",
        N_("Hardware is bought only where the export rules of its year allow it (and policy accepts licences)."),
        "units",
        shortfall=(
            N_(
                "{amount} units of `{ids[1]}` at `{ids[0]}` in {ids[2]} would be needed; the export rules forbid them "
                "or need a licence the policy does not accept"
            )
        ),
        price=N_("access to `{ids[1]}` at `{ids[0]}` in {ids[2]} would save {price} per unit"),
        priced_as="export_availability",
    ),
    Family(
        "export_quantity",
        "rule",
        N_(
            "Accelerators of a hardware (or of all the hardware one licence quota covers) in service in a "
            "jurisdiction stay within the licence's authorised quantity."
        ),
        "accelerators",
        shortfall=(
            N_("`{ids[0]}` in {ids[1]} would need {amount} accelerators more than the licence authorises in {ids[2]}")
        ),
        price=N_("each accelerator more of `{ids[0]}` authorised in {ids[1]} in {ids[2]} would save {price}"),
        priced_as="export_availability",
    ),
    Family(
        "lead_time",
        "supply",
        N_(
            "Hardware bought for a year must work in that year (ordered at or after the decision date, after an "
            "announced product's first deliveries less its lead time, and before its end of sale); it works from the "
            "quarter it arrives in."
        ),
        "units",
        shortfall=(
            N_("{amount} units of `{ids[1]}` would be needed at `{ids[0]}` in {ids[2]} before their lead time allows")
        ),
        price=N_("a shorter lead time for `{ids[1]}` at `{ids[0]}` in {ids[2]} would save {price} per unit"),
    ),
    Family(
        "lead_time_training",
        "supply",
        N_("A training job rented by the hour in a cloud region starts only after the purchase decision."),
        "units",
        shortfall=N_("training job `{ids[0]}` would run at `{ids[1]}` on `{ids[2]}` before the purchase decision"),
        price=N_("an earlier decision would let `{ids[0]}` run at `{ids[1]}` on `{ids[2]}`, saving {price}"),
    ),
    Family(
        "rent_after_decision",
        "supply",
        N_(
            "Nothing is rented in a cloud region for a year that starts before the purchase decision; its quarters "
            "after the decision are rented on demand."
        ),
        "units",
        shortfall=N_(
            "{amount} units of `{ids[1]}` would have to be rented at `{ids[0]}` for all of {ids[2]}, which starts "
            "before the purchase decision"
        ),
        price=N_(
            "an earlier decision would let `{ids[1]}` be rented at `{ids[0]}` for all of {ids[2]}, saving {price} "
            "per unit"
        ),
    ),
    Family(
        "vendor_allowed",
        "rule",
        N_("Only hardware from the allowed vendors is bought."),
        "units",
        shortfall=N_("{amount} units of `{ids[0]}`, whose vendor is not allowed, would be needed"),
        price=N_("allowing `{ids[0]}` would save {price} per unit"),
        priced_as="vendor_allowed",
    ),
    Family(
        "vendor_cap",
        "rule",
        N_("No vendor exceeds its maximum share of the fleet in service each year (or of the spending)."),
        "accelerators",
        shortfall=(
            N_("vendor `{ids[0]}` would exceed its share cap in {ids[1]} by {amount} (accelerators, or USD on capex)")
        ),
        price=N_("each extra accelerator (or $) of headroom under the cap for `{ids[0]}` in {ids[1]} saves {price}"),
        priced_as="vendor_cap",
    ),
    Family(
        "allied_share",
        "rule",
        N_("At least the minimum share of the fleet (or of the spending) comes from domestic or allied suppliers."),
        "accelerators",
        shortfall=N_(
            "domestic or allied supply short by {amount} (accelerators, or USD with a capex basis) in {ids[0]}"
        ),
        price=N_("each accelerator less of required allied supply saves {price}"),
        priced_as="allied_share",
    ),
]


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
    """No purchase or rental of hardware the export rules (as the policy reads them) keep from a site that year,
    and no more in service in a jurisdiction than a licence's authorised quantity."""
    for (s, h, y), (status, _) in sorted(data.export.items()):
        if not export_allowed(status, data.spec):
            terms = [v.acquire[s, h, y], *([v.reserve3[s, h, y]] if (s, h, y) in v.reserve3 else [])]
            terms += on_demand_units(data, v, s, h, y)
            if data.is_cloud(s):  # a training job rented there by the hour
                terms += [var for (w, s2, h2), var in v.place.items() if (s2, h2) == (s, h) and _job_year(data, w) == y]
            yield Row("export_availability", (s, h, y), pulp.lpSum(terms), "<=", 0)
    for (quota, jurisdiction, y), (cap, members) in sorted(_quotas(data).items()):
        fleet = pulp.lpSum(
            data.hardware[h].chips_per_unit * installed(data, v, s, h, y)
            for h in members
            for s in data.sites
            if data.spec.sites[s].jurisdiction == jurisdiction and h in data.site_hardware[s]
        )
        yield Row("export_quantity", (quota, jurisdiction, y), fleet, "<=", cap)


def _quotas(data) -> dict[tuple[str, str, int], tuple[int, list[str]]]:
    """Each licence quota in force, by (quota, jurisdiction, year): its cap (the smallest its members state) and
    the hardware counting against it. Hardware whose rule names a shared `quota` counts in that one pool."""
    quotas: dict[tuple[str, str, int], tuple[int, list[str]]] = {}
    for h in sorted({h for _, h in data.pairs()}):
        for jurisdiction in sorted({data.spec.sites[s].jurisdiction for s in data.sites}):
            if not any(
                data.spec.sites[s].jurisdiction == jurisdiction and h in data.site_hardware[s] for s in data.sites
            ):
                continue
            for y in data.years:
                found = quantity_quota(data.hardware[h], jurisdiction, y)
                if found is None:
                    continue
                name, cap = found
                before, members = quotas.get((name, jurisdiction, y), (cap, []))
                quotas[name, jurisdiction, y] = (min(before, cap), [*members, h])
    return quotas


def _job_year(data, workload: str) -> int:
    return next(n.year for n in data.training if n.workload == workload)


def lead_time(problem, data, v, capex, opex):
    """Hardware bought for a year must work in that year: it works from the quarter it arrives in
    (planner/sizing/quarters.py; the quarter rows count it from then), and is not bought for a year it cannot work
    in by the start of its last quarter. Nothing is rented for a year (or by the hour for a job) that starts
    before the purchase decision; in such a year, quarters after it are rented on demand (no variable exists for
    the quarters before it: ProblemData.on_demand_classes)."""
    decided = decision_date(data.spec)
    for s, h in data.pairs():
        for y in data.years:
            if data.is_cloud(s) and decided > service_date(y):
                terms = [v.acquire[s, h, y], *([v.reserve3[s, h, y]] if (s, h, y) in v.reserve3 else [])]
                yield Row("rent_after_decision", (s, h, y), pulp.lpSum(terms), "<=", 0)
            elif not data.is_cloud(s) and data.first_quarter(h, y) is None:
                yield Row("lead_time", (s, h, y), pulp.lpSum([v.acquire[s, h, y]]), "<=", 0)
    yield from _training_lead_time(data, v, decided)


def _training_lead_time(data, v, decided):
    """A job rented by the hour in a cloud region starts only once decided. At a bought site, a job uses only
    units working in the quarters it runs (the training rows of planner/sizing/families/coverage.py)."""
    for need in data.training:
        for (w, s, h), var in v.place.items():
            if w == need.workload and data.is_cloud(s) and decided > need.start:
                yield Row("lead_time_training", (w, s, h), pulp.lpSum([var]), "<=", 0)


def vendor_rules(problem, data, v, capex, opex):
    """Allowed vendors, the cap on any one vendor's share, and the minimum domestic or allied share.

    Shares are of the fleet in service each year (bought, brownfield and rented accelerators alike), or,
    with `vendor_share_basis: capex`, of the money spent on hardware over the horizon (purchases and rent).
    """
    policy = data.spec.policy
    if policy.allowed_vendors is not None:
        for h in sorted({h for _, h in data.pairs()}):
            if data.hardware[h].vendor not in policy.allowed_vendors:
                units = [var for (_, h2, _), var in v.acquire.items() if h2 == h]
                units += [var for (_, h2, _), var in v.reserve3.items() if h2 == h]
                units += [var for (_, h2, _, _), var in v.on_demand.items() if h2 == h]
                units += [var for (_, s, h2), var in v.place.items() if h2 == h and data.is_cloud(s)]  # rented jobs
                yield Row("vendor_allowed", (h,), pulp.lpSum(units), "<=", 0)
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
    """(period, [(hardware, expression)]): accelerators in service per year, or spending over the horizon (each
    purchase at its year's price). Only hardware that can do some of the plan's work counts: units that can neither
    serve nor train any workload would otherwise be bought just to dilute another vendor's share."""
    useful = {h for need in data.serving for h in need.usable_tokens_per_s_per_unit}
    useful |= {h for need in data.training for h in need.units_needed}
    if basis == "accelerators":
        for y in data.years:
            yield (
                y,
                [
                    (h, data.hardware[h].chips_per_unit * installed(data, v, s, h, y))
                    for s, h in data.pairs()
                    if h in useful
                ],
            )
        return
    spend = [
        (h, (data.opex_usd_per_unit_year(s, h) if data.is_cloud(s) else data.unit_price(s, h, y)) * var)
        for (s, h, y), var in v.acquire.items()
        if h in useful
    ]
    spend += [(h, data.on_demand_usd(s, h, y, c) * var) for (s, h, y, c), var in v.on_demand.items() if h in useful]
    # a training job rented by the hour: its rent
    spend += [
        (h, data.training_rent_usd(need, s, h) * v.place[w, s, h])
        for need in data.training
        for (w, s, h) in v.place
        if w == need.workload and data.is_cloud(s) and h in useful
    ]
    yield "horizon", spend


GENERATORS = [data_residency, export_availability, lead_time, vendor_rules]
