"""Resilience: with any single site lost, the rest still serve a stated fraction of each workload's peak.

Each lost-site scenario gets its own re-assignment of the surviving units (failover variables per
workload, hardware and year, confined to the workload's allowed sites minus the lost one), checked for
every union of those groups as in normal operation (planner/sizing/groups.py). The plan must therefore
hold spare capacity where it is cheapest. The model grows with the number of sites.
"""

from __future__ import annotations

import pulp

from planner.sizing.families.coverage import training_units
from planner.sizing.family import Family, Row
from planner.sizing.groups import group_label, union_closure
from planner.sizing.variables import installed

FAMILIES = [
    Family(
        "resilience",
        "requirement",
        "With any one site lost, the remaining sites still serve the stated fraction of each workload's peak.",
        "output tokens/s",
        shortfall="losing site `{ids[0]}` leaves `{ids[1]}` short of {amount} output tokens/s in {ids[2]}",
        price="each output token/s of resilience for `{ids[1]}` against losing `{ids[0]}` in {ids[2]} costs {price}",
        priced_as="resilience",
    ),
    Family(
        "failover_capacity",
        "identity",
        "After a site is lost, the units re-assigned at each remaining site do not exceed those installed.",
        "units",
        priced_as="resilience",
    ),
]


def resilience(problem, data, v, capex, opex):
    """Rows of the resilience family and the failover capacity identity."""
    fraction = data.spec.policy.resilience_fraction
    if not fraction or len(data.sites) < 2:
        return
    for lost in data.sites:
        groups = {w: g - {lost} for w, g in v.groups.items()}
        fail: dict[tuple[str, str, int], pulp.LpVariable] = {}
        for need in data.serving:
            offered = {h for s in groups[need.workload] for h in data.site_hardware[s]}
            for h in sorted(offered & set(need.usable_tokens_per_s_per_unit)):
                for y in data.years:
                    fail[need.workload, h, y] = problem.add_variable(
                        f"failover__{lost}__{need.workload}__{h}__{y}", lowBound=0
                    )
            for y in data.years:
                supply = pulp.LpAffineExpression(
                    [
                        (var, need.usable_tokens_per_s_per_unit[h])
                        for (w, h, y2), var in fail.items()
                        if w == need.workload and y2 == y
                    ]
                )
                demand = fraction * need.peak_output_tokens_per_s[y]
                yield Row("resilience", (lost, need.workload, y), supply, ">=", demand)
        yield from _failover_capacity(data, v, lost, groups, fail)


def _failover_capacity(data, v, lost, groups, fail):
    """Re-assigned units fit in what survives and is not busy training, for every union of the reduced groups
    (training keeps its units when a site is lost; resilience counts only what serves)."""
    training_at = training_units(data, v)
    by: dict[tuple[frozenset, str, int], list] = {}
    for (w, h, y), var in fail.items():
        by.setdefault((groups[w], h, y), []).append(var)
    for index, union in enumerate(union_closure(groups.values())):
        for h in sorted({h for s in union for h in data.site_hardware[s]}):
            for y in data.years:
                used = [var for (g, h2, y2), vs in by.items() if h2 == h and y2 == y and g <= union for var in vs]
                used += [t for s in union for t in training_at.get((s, h, y), [])]
                if used:
                    capacity = pulp.lpSum(installed(data, v, s, h, y) for s in union if h in data.site_hardware[s])
                    yield Row(
                        "failover_capacity", (lost, group_label(index), h, y), pulp.lpSum(used) - capacity, "<=", 0
                    )


GENERATORS = [resilience]
