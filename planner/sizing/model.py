"""Build the MILP: variables, named constraint rows and the NPV objective.

Decisions: units of each hardware bought at each site in each year (integer), where each training
job runs (binary over site × hardware), and how many installed units serve each workload
(continuous: a unit's time can be shared between models).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulp

from planner.sizing.data import ProblemData
from planner.sizing.rows import FAMILIES, Row

Key3 = tuple[str, str, int]


@dataclass
class Variables:
    """The decision variables, keyed by ids."""

    buy: dict[Key3, pulp.LpVariable] = field(default_factory=dict)
    """(site, hardware, year) -> units bought."""
    place: dict[tuple[str, str, str], pulp.LpVariable] = field(default_factory=dict)
    """(training workload, site, hardware) -> 1 if the job runs there."""
    serve: dict[tuple[str, str, str, int], pulp.LpVariable] = field(default_factory=dict)
    """(serving workload, site, hardware, year) -> units serving it."""
    slack: dict[str, pulp.LpVariable] = field(default_factory=dict)
    """Row name -> shortfall variable (elastic builds only)."""


@dataclass
class BuiltModel:
    """A PuLP problem with the rows and variables it was built from."""

    problem: pulp.LpProblem
    variables: Variables
    rows: dict[str, Row]
    capex: pulp.LpAffineExpression
    opex_by_year: dict[int, pulp.LpAffineExpression]
    npv: pulp.LpAffineExpression


def build_model(data: ProblemData, *, elastic: frozenset[str] = frozenset()) -> BuiltModel:
    """The sizing MILP. Rows of the families named in `elastic` get penalised shortfall variables and
    the objective minimises the total relative shortfall first (cost only breaks ties)."""
    problem = pulp.LpProblem("sizing", pulp.LpMinimize)
    v = _variables(problem, data)
    capex, opex = _costs(data, v)
    npv = pulp.lpSum(data.discount(y) * (capex[y] + opex[y]) for y in data.years)
    rows: dict[str, Row] = {}
    for row in _rows(data, v, capex, opex):
        rows[row.name] = row
        expr = row.lhs
        if row.family in elastic and FAMILIES[row.family].soft:
            slack = problem.add_variable(f"slack__{row.name}", lowBound=0)
            v.slack[row.name] = slack
            expr = expr + slack if row.sense == ">=" else expr - slack
        problem += _constraint(expr, row.sense, row.rhs), row.name
    total_capex = pulp.lpSum(capex.values())
    if elastic:
        shortfall = pulp.lpSum(s / _scale(rows[name].rhs) for name, s in v.slack.items())
        problem += shortfall * 1e6 + npv / _cost_scale(data)
    else:
        problem += npv
    return BuiltModel(problem, v, rows, total_capex, opex, npv)


def _variables(problem: pulp.LpProblem, data: ProblemData) -> Variables:
    v = Variables()
    for s in data.sites:
        for h in data.hardware:
            for y in data.years:
                v.buy[s, h, y] = problem.add_variable(f"buy__{s}__{h}__{y}", lowBound=0, cat="Integer")
    for need in data.training:
        for s in data.sites:
            for h in need.units_needed:
                v.place[need.workload, s, h] = problem.add_variable(f"place__{need.workload}__{s}__{h}", cat="Binary")
    for need in data.serving:
        for s in data.sites:
            for h in need.usable_tokens_per_s_per_unit:
                for y in data.years:
                    v.serve[need.workload, s, h, y] = problem.add_variable(
                        f"serve__{need.workload}__{s}__{h}__{y}", lowBound=0
                    )
    return v


def installed(data: ProblemData, v: Variables, s: str, h: str, y: int) -> pulp.LpAffineExpression:
    """Units of `h` in service at `s` in year `y`: bought this year or within their life before."""
    return pulp.lpSum(v.buy[s, h, b] for b in data.years if data.in_service(b, y))


def _costs(data: ProblemData, v: Variables):
    capex = {
        y: pulp.lpSum(data.hardware[h].price_usd_per_unit * v.buy[s, h, y] for s in data.sites for h in data.hardware)
        for y in data.years
    }
    opex = {
        y: pulp.lpSum(
            data.opex_usd_per_unit_year(s, h) * installed(data, v, s, h, y) for s in data.sites for h in data.hardware
        )
        for y in data.years
    }
    return capex, opex


def _rows(data: ProblemData, v: Variables, capex, opex):
    yield from _demand_rows(data, v)
    yield from _placement_rows(data, v)
    yield from _capacity_rows(data, v)
    yield from _site_rows(data, v)
    budget = data.spec.budget
    if budget.capex_usd is not None:
        yield Row("budget_capex", (), pulp.lpSum(capex.values()), "<=", budget.capex_usd)
    if budget.opex_usd_per_year is not None:
        for y in data.years:
            yield Row("budget_opex", (y,), opex[y], "<=", budget.opex_usd_per_year)


def _demand_rows(data: ProblemData, v: Variables):
    for need in data.serving:
        for y in data.years:
            supply = pulp.lpSum(
                rate * v.serve[need.workload, s, h, y]
                for s in data.sites
                for h, rate in need.usable_tokens_per_s_per_unit.items()
            )
            yield Row("demand_coverage", (need.workload, y), supply, ">=", need.peak_output_tokens_per_s[y])


def _placement_rows(data: ProblemData, v: Variables):
    for need in data.training:
        chosen = pulp.lpSum(v.place[need.workload, s, h] for s in data.sites for h in need.units_needed)
        yield Row("training_placement", (need.workload,), chosen, ">=", 1)


def _capacity_rows(data: ProblemData, v: Variables):
    serving_at: dict[Key3, list[pulp.LpVariable]] = {}
    for (_, s, h, y), var in v.serve.items():
        serving_at.setdefault((s, h, y), []).append(var)
    for s in data.sites:
        for h in data.hardware:
            for y in data.years:
                used = pulp.lpSum(serving_at.get((s, h, y), []))
                used += pulp.lpSum(
                    need.units_needed[h] * v.place[need.workload, s, h]
                    for need in data.training
                    if need.year == y and h in need.units_needed
                )
                yield Row("unit_capacity", (s, h, y), used - installed(data, v, s, h, y), "<=", 0)


def _site_rows(data: ProblemData, v: Variables):
    for s, site in data.spec.sites.items():
        for y in data.years:
            power = pulp.lpSum(
                data.hardware[h].power_kw_per_unit * site.pue * installed(data, v, s, h, y) for h in data.hardware
            )
            yield Row("site_power", (s, y), power, "<=", site.power_kw)
            space = pulp.lpSum(data.hardware[h].rack_units * installed(data, v, s, h, y) for h in data.hardware)
            yield Row("site_space", (s, y), space, "<=", site.racks * site.rack_units_per_rack)


def _constraint(expr, sense: str, rhs: float) -> pulp.LpConstraint:
    if sense == "<=":
        return expr <= rhs
    if sense == ">=":
        return expr >= rhs
    return expr == rhs


def _scale(rhs: float) -> float:
    return max(abs(rhs), 1.0)


def _cost_scale(data: ProblemData) -> float:
    """A cost large enough that the NPV term stays a tie-breaker in elastic solves."""
    biggest = max((h.price_usd_per_unit for h in data.hardware.values()), default=1.0)
    return 1e3 * biggest * max(1, len(data.sites)) * max(1, len(data.years))
