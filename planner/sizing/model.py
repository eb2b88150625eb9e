"""Build the MILP: variables, named constraint rows and the NPV objective.

Decisions: units of each hardware acquired at each site in each year (integer: bought units stay for
their life, cloud units are rented for that year), where each training job runs (binary over
site × hardware), and how many installed units serve each workload (continuous: a unit's time can be
shared between models). Capacity is checked per quarter (planner/sizing/quarters.py): purchases work from
the quarter they arrive in, services from their go-live, and training jobs hold units only in the quarters
they run; the decisions stay yearly. The constraint families live in planner/sizing/families/.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulp

from planner.sizing.data import ProblemData
from planner.sizing.groups import allowed_sites
from planner.sizing.rows import FAMILIES, REQUIREMENT_FAMILIES, Row, row_generators
from planner.sizing.variables import Variables, in_service_units, opex_cohorts

STAFF_FAMILIES = frozenset({"staff_team_on", "staff_team"})
"""The rows of the smallest staff teams (planner/sizing/families/staff.py)."""


@dataclass
class BuiltModel:
    """A PuLP problem with the rows and variables it was built from."""

    problem: pulp.LpProblem
    variables: Variables
    rows: dict[str, Row]
    capex: pulp.LpAffineExpression
    capex_by_year: dict[int, pulp.LpAffineExpression]
    opex_by_year: dict[int, pulp.LpAffineExpression]
    npv: pulp.LpAffineExpression
    residual: pulp.LpAffineExpression
    """Value of bought hardware still in life at the end of the horizon (credited in the NPV)."""


def build_model(
    data: ProblemData, *, elastic: frozenset[str] = frozenset(), without: frozenset[str] = frozenset()
) -> BuiltModel:
    """The sizing MILP, minimising the NPV of cost.

    Rows of the families in `elastic` get shortfall variables instead, and the objective becomes the
    total relative shortfall (used to diagnose infeasibility and to serve as much as limits allow).
    Families in `without` are left out (to price a rule)."""
    problem = pulp.LpProblem("sizing", pulp.LpMinimize)
    v = _variables(problem, data, ignore_residency="data_residency" in without)
    capex, opex = _costs(data, v)
    residual = residual_value(data, v)
    npv = pulp.lpSum(data.discount(y) * (capex[y] + opex[y]) for y in data.years)
    npv -= data.discount(data.end_of_horizon()) * residual
    rows: dict[str, Row] = {}
    # a diagnosis that may exceed a site's power or space leaves the smallest teams out: their switch is bounded by
    # the site's units at its power and space (planner/sizing/families/staff.py)
    no_teams = bool(elastic & {"site_power", "site_space"})
    skipped = without | (STAFF_FAMILIES if no_teams else frozenset())
    if no_teams:
        for var in [*v.team.values(), *v.team_topup.values()]:
            var.upBound = 0
    for generate in row_generators():
        for row in generate(problem, data, v, capex, opex):
            if row.family in skipped:
                continue
            rows[row.name] = row
            expr = row.lhs
            if row.family in elastic and FAMILIES[row.family].soft:
                # a shortfall counted in hardware units is whole units ("0.01 more racks would have to work" is
                # no remedy a country can act on)
                whole = "Integer" if FAMILIES[row.family].unit == "units" else "Continuous"
                slack = problem.add_variable(f"slack__{row.name}", lowBound=0, cat=whole)
                v.slack[row.name] = slack
                expr = expr + slack if row.sense == ">=" else expr - slack
            problem += _constraint(expr, row.sense, row.rhs), row.name
    if elastic:
        # only the shortfall counts (adding a cost term makes the MILP far harder to close);
        # asking for more of a limit (budget, power, a rule) is preferred to delivering less than asked
        problem += pulp.lpSum(
            s / _scale(rows[name].rhs) * (1e3 if rows[name].family in REQUIREMENT_FAMILIES else 1.0)
            for name, s in v.slack.items()
        )
    else:
        problem += npv
    return BuiltModel(problem, v, rows, pulp.lpSum(capex.values()), capex, opex, npv, residual)


def _variables(problem: pulp.LpProblem, data: ProblemData, *, ignore_residency: bool) -> Variables:
    v = Variables()
    for s, h in data.pairs():
        for y in data.years:
            v.acquire[s, h, y] = problem.add_variable(f"acquire__{s}__{h}__{y}", lowBound=0, cat="Integer")
        if data.is_cloud(s):
            _cloud_variables(problem, data, v, s, h)
            for y in data.reserved_3y(s, h):
                v.reserve3[s, h, y] = problem.add_variable(f"reserve3__{s}__{h}__{y}", lowBound=0, cat="Integer")
    for need in data.training:
        for s, h in data.pairs():
            if h in need.units_needed:
                v.place[need.workload, s, h] = problem.add_variable(f"place__{need.workload}__{s}__{h}", cat="Binary")
    _team_variables(problem, data, v)
    for need in data.serving:
        group = v.groups[need.workload] = allowed_sites(data, need.workload, ignore_residency=ignore_residency)
        offered = {h for s in group for h in data.site_hardware[s]}
        for h in sorted(offered & set(need.usable_tokens_per_s_per_unit)):
            for y in need.live:  # one variable a year: the year's peak is served in each of its live quarters
                v.serve[need.workload, h, y] = problem.add_variable(f"serve__{need.workload}__{h}__{y}", lowBound=0)
    return v


def _team_variables(problem: pulp.LpProblem, data: ProblemData, v: Variables) -> None:
    """A staff line's team switch and the engineers it adds, per country and year (families/staff.py)."""
    for line, j in data.teams():
        for y in data.years:
            v.team[line.id, j, y] = problem.add_variable(f"team__{line.id}__{j}__{y}", cat="Binary")
            v.team_topup[line.id, j, y] = problem.add_variable(f"team_topup__{line.id}__{j}__{y}", lowBound=0)


def _cloud_variables(problem: pulp.LpProblem, data: ProblemData, v: Variables, s: str, h: str) -> None:
    """Units rented on demand for one class of alike quarters (one per class of quarters,
    up to four a year: a year whose quarters are all alike has none)."""
    for y in data.years:
        for c in data.on_demand_classes(s, h, y):
            name = f"ondemand__{s}__{h}__{y}__{''.join(map(str, sorted(c)))}"
            v.on_demand[s, h, y, c] = problem.add_variable(name, lowBound=0, cat="Integer")


def _costs(data: ProblemData, v: Variables):
    """Capex and opex per year: units bought (every capex line) and in service (every opex line, a first year's
    purchases for the quarters they work: `ProblemData.service_share`), rented for a year, three-year
    reservations, cloud units rented on demand for some quarters (their hours), training jobs rented by the hour in
    cloud regions, storage for the training jobs, and the engineers a staff line's smallest team adds."""
    capex = {
        y: pulp.lpSum(data.unit_capex(s, h, y) * v.acquire[s, h, y] for s, h in data.pairs() if not data.is_cloud(s))
        + data.storage_capex.get(y, 0.0)
        for y in data.years
    }
    opex = {}
    for y in data.years:
        terms = [
            data.opex_usd_per_unit_year(s, h) * in_service_units(data, v, s, h, y)
            for s, h in data.pairs()
            if data.is_cloud(s)
        ]
        terms += [
            data.opex_usd_per_unit_year(s, h, b) * share * units
            for s, h in data.pairs()
            if not data.is_cloud(s)
            for b, share, units in opex_cohorts(data, v, s, h, y)
        ]
        terms += [
            data.reserved_3y_usd_per_unit_year(s, h) * var for (s, h, b), var in v.reserve3.items() if b <= y <= b + 2
        ]
        terms += [data.on_demand_usd(s, h, b, c) * var for (s, h, b, c), var in v.on_demand.items() if b == y]
        terms += [
            data.training_rent_usd(need, s, h) * v.place[need.workload, s, h]
            for need in data.training
            if need.year == y
            for (w, s, h) in v.place
            if w == need.workload and data.is_cloud(s)
        ]
        # a staff line's smallest team: the engineers paid above its per-unit count (planner/sizing/families/staff.py)
        terms += [data.staff_usd[j] * var for (_, j, b), var in v.team_topup.items() if b == y]
        opex[y] = pulp.lpSum(terms) + data.storage_opex.get(y, 0.0)
    return capex, opex


def residual_value(data: ProblemData, v: Variables) -> pulp.LpAffineExpression:
    """Straight-line value left at the end of the horizon of the hardware (and fabric) bought."""
    return pulp.lpSum(
        data.kept_value(s, h, y) * v.acquire[s, h, y]
        for s, h in data.pairs()
        for y in data.years
        if data.kept_value(s, h, y) > 0
    )


def _constraint(expr, sense: str, rhs: float) -> pulp.LpConstraint:
    if sense == "<=":
        return expr <= rhs
    if sense == ">=":
        return expr >= rhs
    return expr == rhs


def _scale(rhs: float) -> float:
    return max(abs(rhs), 1.0)
