"""Shadow prices of the rows that bind at the optimum.

A MILP has no duals. Following the usual practice, the training placements of the optimal plan are
fixed, the unit counts are relaxed to continuous values, and the LP is re-solved: its duals say what
one more unit of a limit (a kW at a site, a dollar of budget) is worth around the plan. Unit counts
are not fixed, because with every unit fixed no limit could move the cost and every price would be 0.
"""

from __future__ import annotations

import pulp

from planner.sizing.data import ProblemData
from planner.sizing.model import BuiltModel, build_model
from planner.sizing.solve import SolveStatus, make_solver, solve


def shadow_prices(data: ProblemData, optimum: BuiltModel, time_limit_s: float | None = None) -> dict[str, float]:
    """Row name -> d(NPV)/d(rhs) in USD per unit of the row, from the relaxed LP around `optimum`.

    Empty when the LP does not finish within `time_limit_s` (the plan is still valid, only unpriced)."""
    relaxed = build_model(data)
    for key, var in relaxed.variables.place.items():
        chosen = round(optimum.variables.place[key].value() or 0.0)
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
    return prices
