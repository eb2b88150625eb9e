"""Demand coverage, training placement and the capacity identity that ties them to installed units."""

from __future__ import annotations

import pulp

from planner.sizing.model import installed
from planner.sizing.rows import Row


def demand_coverage(problem, data, v, capex, opex):
    """Serving capacity assigned to a workload covers its busy-hour demand in each year."""
    terms: dict[tuple[str, int], list] = {}
    rates = {need.workload: need.usable_tokens_per_s_per_unit for need in data.serving}
    for (w, _, h, y), var in v.serve.items():
        terms.setdefault((w, y), []).append((var, rates[w][h]))
    for need in data.serving:
        for y in data.years:
            # (variable, coefficient) pairs straight into one expression: `rate * var` per term would build and
            # merge a throw-away expression for each of the (many) serving variables
            supply = pulp.LpAffineExpression(terms.get((need.workload, y), []))
            yield Row("demand_coverage", (need.workload, y), supply, ">=", need.peak_output_tokens_per_s[y])


def training_placement(problem, data, v, capex, opex):
    """Each training job runs on exactly one (site, hardware) pair sized to its deadline."""
    options: dict[str, list] = {}
    for (w, _, _), var in v.place.items():
        options.setdefault(w, []).append(var)
    for need in data.training:
        chosen = pulp.lpSum(options.get(need.workload, []))
        yield Row("training_placement", (need.workload,), chosen, ">=", 1)


def unit_capacity(problem, data, v, capex, opex):
    """Units serving or training at a site never exceed those installed there that year."""
    serving_at: dict[tuple[str, str, int], list] = {}
    for (_, s, h, y), var in v.serve.items():
        serving_at.setdefault((s, h, y), []).append(var)
    for s, h in data.pairs():
        for y in data.years:
            used = pulp.lpSum(serving_at.get((s, h, y), []))
            used += pulp.lpSum(
                need.units_needed[h] * v.place[need.workload, s, h]
                for need in data.training
                if need.year == y and (need.workload, s, h) in v.place
            )
            yield Row("unit_capacity", (s, h, y), used - installed(data, v, s, h, y), "<=", 0)
