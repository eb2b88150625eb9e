"""Demand coverage, training placement and the capacity identity that ties them to installed units."""

from __future__ import annotations

from dataclasses import dataclass

import pulp

from planner.sizing.family import N_, Family, Row
from planner.sizing.groups import group_label, union_closure
from planner.sizing.quarters import QUARTERS, quarter_label
from planner.sizing.variables import working

FAMILIES = [
    Family(
        "demand_coverage",
        "requirement",
        N_("Serving capacity covers each workload's busy-hour output-token demand in each year."),
        "output tokens/s",
        shortfall=N_("serving `{ids[0]}` short of {amount} output tokens/s in {ids[1]}"),
        price=N_("each extra output token/s of `{ids[0]}` demand in {ids[1]} costs {price}"),
    ),
    Family(
        "training_placement",
        "requirement",
        N_("Each training or fine-tuning job runs on one site and one hardware type, sized to its deadline."),
        "jobs",
        shortfall=N_("training job `{ids[0]}` cannot be placed within the other limits"),
        price=N_("placing `{ids[0]}` costs {price}"),
    ),
    Family(
        "unit_capacity",
        "identity",
        N_(
            "In each quarter, units serving the workloads live then and units training then, within a group of sites, "
            "never exceed the units working there."
        ),
        "units",
        price=N_("one more `{ids[1]}` unit at `{ids[0]}` in Q{ids[3][1]} {ids[2]} is worth {price}"),
    ),
    Family(
        "training_capacity",
        "identity",
        N_("In each quarter, units busy training at a site never exceed those working there."),
        "units",
    ),
    Family(
        "delivery_capacity",
        "supply",
        N_(
            "In a quarter before this year's purchases arrive, units serving and training within a group of sites fit "
            "in the units already there."
        ),
        "units",
        shortfall=(
            N_(
                "{amount} more `{ids[1]}` units would have to work in Q{ids[3][1]} {ids[2]}, before this year's "
                "purchases can arrive (an earlier decision or a later go-live would do)"
            )
        ),
        price=N_("`{ids[1]}` delivered by the start of Q{ids[3][1]} {ids[2]} would save {price} per unit"),
    ),
    Family(
        "training_delivery",
        "supply",
        N_("A training job runs at a site only on units that have arrived by the quarter it runs in."),
        "units",
        shortfall=(
            N_(
                "training at `{ids[0]}` would need {amount} more `{ids[1]}` units in Q{ids[3][1]} {ids[2]}, before "
                "this year's purchases can arrive (an earlier decision or a later start would do)"
            )
        ),
        price=N_(
            "`{ids[1]}` delivered at `{ids[0]}` by the start of Q{ids[3][1]} {ids[2]} would save {price} per unit"
        ),
    ),
]


def demand_coverage(problem, data, v, capex, opex):
    """Serving capacity assigned to a workload covers its busy-hour demand in each year it is live (the year's
    peak, which the same units serve in every live quarter)."""
    terms: dict[tuple[str, int], list] = {}
    rates = {need.workload: need.usable_tokens_per_s_per_unit for need in data.serving}
    for (w, h, y), var in v.serve.items():
        terms.setdefault((w, y), []).append((var, rates[w][h]))
    for need in data.serving:
        for y in data.years:
            if y not in need.live:
                continue  # not open yet: no capacity needed
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
    """Units serving or training never exceed those working, quarter by quarter: per site for training, and for
    every union of serving groups (the serving units of the workloads live that quarter and confined to a union,
    plus the units training there that quarter, fit in the units working there; see planner/sizing/groups.py).

    Only the quarters that can bind get a row (`binding_quarters`): a year with the same workloads and jobs in
    every quarter and its purchases there from 1 January has one row, as before quarters existed."""
    running = training_running(data, v)
    busy = {(s, h, y) for s, h, y, _ in running}
    for s, h in data.pairs():
        for y in data.years:
            if (s, h, y) not in busy:
                continue
            jobs = {q: running.get((s, h, y, q), []) for q in QUARTERS}
            users = {q: frozenset(id(t) for t in jobs[q]) for q in QUARTERS}
            for q in binding_quarters(users, {q: data.pending(s, h, y, q) for q in QUARTERS}):
                family = "training_delivery" if data.pending(s, h, y, q) else "training_capacity"
                used = pulp.lpSum(jobs[q])
                yield Row(family, (s, h, y, quarter_label(q)), used - working(data, v, s, h, y, q), "<=", 0)
    for quarter in union_quarters(data, v, v.groups, v.serve, running):
        family = "delivery_capacity" if quarter.pending else "unit_capacity"
        ids = (group_label(quarter.union), quarter.hardware, quarter.year, quarter_label(quarter.q))
        yield Row(family, ids, quarter.used - quarter.capacity, "<=", 0)


@dataclass(frozen=True)
class UnionQuarter:
    """One quarter of one hardware in one union of serving groups whose capacity row can bind."""

    union: int  # index of the union (`group_label`)
    hardware: str
    year: int
    q: int
    pending: bool  # purchases still on their way in that quarter
    serving: list  # the serving variables live that quarter
    used: pulp.LpAffineExpression  # serving plus the units training there that quarter
    capacity: pulp.LpAffineExpression  # units working there that quarter


def union_quarters(data, v, groups: dict, assigned: dict, running: dict):
    """For every union of serving groups, hardware and year, the quarters whose capacity row can bind: the units
    `assigned` ((workload, hardware, year) -> variable, e.g. serving or failover) to workloads confined to the
    union and live that quarter, plus the units training there then, against the units working there."""
    by: dict[tuple[frozenset, str, int], list] = {}
    for (w, h, y), var in assigned.items():
        by.setdefault((groups[w], h, y), []).append((w, var))
    live = {need.workload: need.live for need in data.serving}
    for index, union in enumerate(union_closure(groups.values())):
        for h in sorted({h for s in union for h in data.site_hardware[s]}):
            sites = [s for s in union if h in data.site_hardware[s]]
            for y in data.years:
                serving = [wv for (g, h2, y2), wvs in by.items() if h2 == h and y2 == y and g <= union for wv in wvs]
                if not serving:
                    continue
                by_q = {q: [var for w, var in serving if q in live[w].get(y, ())] for q in QUARTERS}
                jobs = {q: [t for s in sites for t in running.get((s, h, y, q), [])] for q in QUARTERS}
                users = {q: frozenset(id(x) for x in by_q[q] + jobs[q]) for q in QUARTERS}
                pending = {q: any(data.pending(s, h, y, q) for s in sites) for q in QUARTERS}
                for q in binding_quarters(users, pending, rental_classes(data, v, sites, h, y)):
                    capacity = pulp.lpSum(working(data, v, s, h, y, q) for s in sites)
                    used = pulp.lpSum(by_q[q]) + pulp.lpSum(jobs[q])
                    yield UnionQuarter(index, h, y, q, pending[q], by_q[q], used, capacity)


def binding_quarters(
    users: dict[int, frozenset], pending: dict[int, bool], rented: dict[int, int] | None = None
) -> list[int]:
    """Quarters whose capacity row another quarter's does not imply, in order.

    Every term is non-negative, so quarter q's row (its users within q2's, its purchases pending only if q2's
    are, and the same cloud rentals on demand: `rented`, quarter -> class) follows from q2's; of quarters with
    the same users and deliveries the first is kept. Quarters with no user need no row."""
    rented = rented or {}
    kept = []
    for q in QUARTERS:
        if not users[q]:
            continue
        implied = any(
            users[q] <= users[q2]
            and pending[q] <= pending[q2]
            and rented.get(q) == rented.get(q2)
            and (users[q] != users[q2] or pending[q] != pending[q2] or q2 < q)
            for q2 in QUARTERS
            if q2 != q
        )
        if not implied:
            kept.append(q)
    return kept


def rental_classes(data, v, sites, h: str, y: int) -> dict[int, int]:
    """Quarter -> its class of alike quarters, where units of `h` can be rented on demand for some quarters at a
    cloud site among `sites` (the rows of two classes hold different rentals); empty where none can."""
    if not any(data.on_demand_classes(s, h, y) for s in sites):
        return {}
    return {q: i for i, c in enumerate(data.quarter_classes(y)) for q in c}


def training_running(data, v) -> dict[tuple[str, str, int, int], list]:
    """(site, hardware, year, quarter) -> units busy training there then (units needed × placement binary, in each
    quarter the run touches at that hardware's speed); a job in a cloud region rents its own accelerators by the
    hour and takes none of the units rented there for the year. Quarters past the horizon are not modelled."""
    out: dict[tuple[str, str, int, int], list] = {}
    years = set(data.years)
    for need in data.training:
        for (w, s, h), var in v.place.items():
            if w != need.workload or data.is_cloud(s):
                continue
            term = need.units_needed[h] * var
            for y, q in sorted(need.quarters[h]):
                if y in years:
                    out.setdefault((s, h, y, q), []).append(term)
    return out


GENERATORS = [demand_coverage, training_placement, unit_capacity]
