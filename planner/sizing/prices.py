"""Shadow prices of the rows that bind at the optimum.

A MILP has no duals. Following the usual practice, the training placements and staff teams of the optimal
plan are fixed, the unit counts are relaxed to continuous values, and the LP is re-solved: its duals say what
one more unit of a limit (a kW at a site, a dollar of budget) is worth around the plan. Unit counts
are not fixed, because with every unit fixed no limit could move the cost and every price would be 0.

A dual holds only near the plan: for a row counted in whole hardware units (liquid cooling for a rack, an earlier
delivery, an allowed vendor) "per unit" would stretch it over a whole 72-GPU rack, and a new user saw "would save
$6.5 M per unit" on a plan costing $2 M. Those rows are checked by solving again with one whole unit more allowed
(that hardware's purchases integer, the rest as in the LP): the price is the saving found, never more than the dual.
"""

from __future__ import annotations

import math
import time

import pulp

from planner.sizing.data import ProblemData
from planner.sizing.model import BuiltModel, build_model
from planner.sizing.rows import FAMILIES
from planner.sizing.solve import SolveStatus, make_solver, solve


def shadow_prices(
    data: ProblemData, optimum: BuiltModel, time_limit_s: float | None = None, *, check_whole_units: bool = True
) -> dict[str, float]:
    """Row name -> d(NPV)/d(rhs) in USD per unit of the row, from the relaxed LP around `optimum` (rows in whole
    hardware units checked with one whole unit more unless `check_whole_units` is false: capped at the NPV only).

    Empty when the LP does not finish within `time_limit_s` (the plan is still valid, only unpriced)."""
    relaxed = build_model(data)
    fixed = [(relaxed.variables.place, optimum.variables.place), (relaxed.variables.team, optimum.variables.team)]
    for mine, chosen_in in fixed:  # training placements and staff teams as the plan has them
        for key, var in mine.items():
            chosen = round(chosen_in[key].value() or 0.0)
            var.cat = pulp.LpContinuous
            var.lowBound = var.upBound = chosen
    for var in [*relaxed.variables.acquire.values(), *relaxed.variables.on_demand.values()]:
        var.cat = pulp.LpContinuous
    options = data.spec.solver
    limit = options.time_limit_s if time_limit_s is None else max(1.0, time_limit_s)
    solver = make_solver(options.name, time_limit_s=limit, mip_gap=options.mip_gap)
    if solve(relaxed.problem, solver).status is not SolveStatus.OPTIMAL:
        return {}
    prices = {}
    for name in relaxed.rows:
        row = relaxed.problem.get_constraint_by_name(name)
        if row is not None and row.pi is not None:
            prices[name] = float(row.pi)
    base = pulp.value(relaxed.problem.objective)
    whole = [n for n, p in prices.items() if abs(p) > PRICE_TOLERANCE and _in_whole_units(relaxed.rows[n])]
    deadline = time.monotonic() + min(WHOLE_UNIT_CHECK_S, limit / 2)
    for n in sorted(whole, key=lambda n: -abs(prices[n]))[: WHOLE_UNIT_CHECKS if check_whole_units else 0]:
        if time.monotonic() > deadline:
            break
        saving = _one_whole_unit_saving(data, relaxed, n, base, solver)
        if saving is not None and saving < abs(prices[n]):
            prices[n] = math.copysign(saving, prices[n]) if saving > PRICE_TOLERANCE else 0.0
    if base is not None and base > 0:  # unchecked rows: no limit can save more than the whole plan costs
        for n in whole:
            prices[n] = math.copysign(min(abs(prices[n]), base), prices[n])
    return prices


# Rows checked with one whole unit more (the largest duals first), and the time they may take
WHOLE_UNIT_CHECKS = 60
WHOLE_UNIT_CHECK_S = 2.0
PRICE_TOLERANCE = 1e-6


def _in_whole_units(row) -> bool:
    """A row counted in whole hardware units (its family's unit) whose price the plan words (families without a
    price sentence are accounting the reports do not show)."""
    family = FAMILIES.get(row.family)
    return family is not None and family.unit == "units" and bool(family.price)


def _one_whole_unit_saving(data: ProblemData, relaxed: BuiltModel, name: str, base: float, solver) -> float | None:
    """NPV saved by allowing one whole unit more on row `name`: the hardware it names is bought in whole units,
    the rest stays relaxed; None where that solve does not finish."""
    row = relaxed.rows[name]
    constraint = relaxed.problem.get_constraint_by_name(name)
    if row.sense == "==":
        return None
    named = {i for i in row.ids if isinstance(i, str) and i in data.hardware}
    whole = [v for (_s, h, _y), v in relaxed.variables.acquire.items() if h in named]
    step = -1.0 if row.sense == "<=" else 1.0  # PuLP keeps expr + constant (sense) 0: move the bound outward
    constraint.constant += step
    for v in whole:
        v.cat = pulp.LpInteger
    try:
        outcome = solve(relaxed.problem, solver)
    finally:
        constraint.constant -= step
        for v in whole:
            v.cat = pulp.LpContinuous
    if outcome.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) or outcome.objective is None:
        return None
    return max(base - outcome.objective, 0.0)
