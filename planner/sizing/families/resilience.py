"""Resilience: with any single site lost, the rest still serve a stated fraction of each workload's peak.

Each lost-site scenario gets its own re-assignment of the surviving units (failover variables), so
the plan must hold spare capacity where it is cheapest. The model grows with sites × workloads.
"""

from __future__ import annotations

import pulp

from planner.sizing.families.sovereignty import forbidden_sites
from planner.sizing.model import installed
from planner.sizing.rows import Row


def resilience(problem, data, v, capex, opex):
    """Rows of the resilience family and the failover capacity identity."""
    fraction = data.spec.policy.resilience_fraction
    if not fraction or len(data.sites) < 2:
        return
    for lost in data.sites:
        fail: dict[tuple[str, str, str, int], pulp.LpVariable] = {}
        for need in data.serving:
            banned = set(forbidden_sites(data, need.workload)) | {lost}
            for s, h in data.pairs():
                if s in banned or h not in need.usable_tokens_per_s_per_unit:
                    continue
                for y in data.years:
                    fail[need.workload, s, h, y] = problem.add_variable(
                        f"failover__{lost}__{need.workload}__{s}__{h}__{y}", lowBound=0
                    )
            for y in data.years:
                supply = pulp.lpSum(
                    need.usable_tokens_per_s_per_unit[h] * var
                    for (w, _, h, y2), var in fail.items()
                    if w == need.workload and y2 == y
                )
                demand = fraction * need.peak_output_tokens_per_s[y]
                yield Row("resilience", (lost, need.workload, y), supply, ">=", demand)
        for s, h in data.pairs():
            if s == lost:
                continue
            for y in data.years:
                used = pulp.lpSum(var for (_, s2, h2, y2), var in fail.items() if (s2, h2, y2) == (s, h, y))
                yield Row("failover_capacity", (lost, s, h, y), used - installed(data, v, s, h, y), "<=", 0)
