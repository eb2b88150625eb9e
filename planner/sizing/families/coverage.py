"""Demand coverage, training placement and the capacity identity that ties them to installed units."""

from __future__ import annotations

import pulp

from planner.sizing.family import Family, Row
from planner.sizing.groups import group_label, union_closure
from planner.sizing.variables import installed

FAMILIES = [
    Family(
        "demand_coverage",
        "requirement",
        "Serving capacity covers each workload's busy-hour output-token demand in each year.",
        "output tokens/s",
        shortfall="serving `{ids[0]}` short of {amount} output tokens/s in {ids[1]}",
        price="each extra output token/s of `{ids[0]}` demand in {ids[1]} costs {price}",
    ),
    Family(
        "training_placement",
        "requirement",
        "Each training or fine-tuning job runs on one site and one hardware type, sized to its deadline.",
        "jobs",
        shortfall="training job `{ids[0]}` cannot be placed within the other limits",
        price="placing `{ids[0]}` costs {price}",
    ),
    Family(
        "unit_capacity",
        "identity",
        "Units serving and training within a group of sites never exceed the units installed there.",
        "units",
        price="one more `{ids[1]}` unit at `{ids[0]}` in {ids[2]} is worth {price}",
    ),
    Family(
        "training_capacity",
        "identity",
        "Units busy training at a site never exceed those installed there that year.",
        "units",
    ),
]


def demand_coverage(problem, data, v, capex, opex):
    """Serving capacity assigned to a workload covers its busy-hour demand in each year."""
    terms: dict[tuple[str, int], list] = {}
    rates = {need.workload: need.usable_tokens_per_s_per_unit for need in data.serving}
    for (w, h, y), var in v.serve.items():
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
    """Units serving or training never exceed those installed: per site for training, and for every union
    of serving groups (the serving units of the workloads confined to a union, plus the training units at
    its sites, fit in the units installed there; see planner/sizing/groups.py)."""
    training_at = training_units(data, v)
    for s, h in data.pairs():
        for y in data.years:
            if training_at.get((s, h, y)):
                used = pulp.lpSum(training_at[s, h, y])
                yield Row("training_capacity", (s, h, y), used - installed(data, v, s, h, y), "<=", 0)
    serving_by: dict[tuple[frozenset, str, int], list] = {}
    for (w, h, y), var in v.serve.items():
        serving_by.setdefault((v.groups[w], h, y), []).append(var)
    for index, union in enumerate(union_closure(v.groups.values())):
        for h in sorted({h for s in union for h in data.site_hardware[s]}):
            for y in data.years:
                serving = [
                    var for (g, h2, y2), vs in serving_by.items() if h2 == h and y2 == y and g <= union for var in vs
                ]
                if not serving:
                    continue
                training = [t for s in union for t in training_at.get((s, h, y), [])]
                capacity = pulp.lpSum(installed(data, v, s, h, y) for s in union if h in data.site_hardware[s])
                used = pulp.lpSum(serving) + pulp.lpSum(training)
                yield Row("unit_capacity", (group_label(index), h, y), used - capacity, "<=", 0)


def training_units(data, v) -> dict[tuple[str, str, int], list]:
    """(site, hardware, year) -> units busy training there (units needed × placement binary); a job in a cloud
    region rents its own accelerators by the hour and takes none of the units rented there for the year."""
    out: dict[tuple[str, str, int], list] = {}
    for need in data.training:
        for (w, s, h), var in v.place.items():
            if w == need.workload and not data.is_cloud(s):
                out.setdefault((s, h, need.year), []).append(need.units_needed[h] * var)
    return out


GENERATORS = [demand_coverage, training_placement, unit_capacity]
