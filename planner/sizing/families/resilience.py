"""Resilience: with any single site lost, the rest still serve a stated fraction of each workload's peak.

Each lost-site scenario gets its own re-assignment of the surviving units (failover variables per
workload, hardware and year, confined to the workload's allowed sites minus the lost one), checked for
every union of those groups as in normal operation (planner/sizing/groups.py). The plan must therefore
hold spare capacity where it is cheapest. The model grows with the number of sites.
"""

from __future__ import annotations

import pulp

from planner.sizing.families.coverage import training_running, union_quarters
from planner.sizing.family import N_, Family, Row
from planner.sizing.groups import group_label
from planner.sizing.quarters import quarter_label

FAMILIES = [
    Family(
        "resilience",
        "requirement",
        N_("With any one site lost, the remaining sites still serve the stated fraction of each workload's peak."),
        "output tokens/s",
        shortfall=N_("losing site `{ids[0]}` leaves `{ids[1]}` short of {amount} output tokens/s in {ids[2]}"),
        price=N_(
            "each output token/s of resilience for `{ids[1]}` against losing `{ids[0]}` in {ids[2]} costs {price}"
        ),
        priced_as="resilience",
    ),
    Family(
        "failover_capacity",
        "identity",
        N_(
            "After a site is lost, the units re-assigned in each quarter at the remaining sites do not exceed those "
            "working there and not training then."
        ),
        "units",
        priced_as="resilience",
    ),
]


def resilience(problem, data, v, capex, opex):
    """Rows of the resilience family and the failover capacity identity."""
    fraction = data.spec.policy.resilience_fraction
    if not fraction or len(data.sites) < 2:
        return
    running = training_running(data, v)
    for lost in data.sites:
        groups = {w: g - {lost} for w, g in v.groups.items()}
        fail: dict[tuple[str, str, int], pulp.LpVariable] = {}
        for need in data.serving:
            offered = {h for s in groups[need.workload] for h in data.site_hardware[s]}
            for h in sorted(offered & set(need.usable_tokens_per_s_per_unit)):
                for y in need.live:
                    fail[need.workload, h, y] = problem.add_variable(
                        f"failover__{lost}__{need.workload}__{h}__{y}", lowBound=0
                    )
            for y in need.live:
                supply = pulp.LpAffineExpression(
                    [
                        (var, need.usable_tokens_per_s_per_unit[h])
                        for (w, h, y2), var in fail.items()
                        if w == need.workload and y2 == y
                    ]
                )
                demand = fraction * need.peak_output_tokens_per_s[y]
                yield Row("resilience", (lost, need.workload, y), supply, ">=", demand)
        yield from _failover_capacity(data, v, lost, groups, fail, running)


def _failover_capacity(data, v, lost, groups, fail, running):
    """Re-assigned units fit, quarter by quarter, in what survives, has arrived and is not busy training then,
    for every union of the reduced groups (training keeps its units when a site is lost: resilience counts only
    units not training in that quarter, so a unit that trains in Q1 is failover capacity in Q2–Q4)."""
    for quarter in union_quarters(data, v, groups, fail, running):
        if not quarter.serving:
            continue  # training alone is held by unit_capacity
        ids = (lost, group_label(quarter.union), quarter.hardware, quarter.year, quarter_label(quarter.q))
        yield Row("failover_capacity", ids, quarter.used - quarter.capacity, "<=", 0)


GENERATORS = [resilience]
