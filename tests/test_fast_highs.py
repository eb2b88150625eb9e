"""The HiGHS interface of planner/sizing/solve.py: the model passed in arrays and the start plan of large models.

Checked against what must hold whatever the solver does: a plan satisfies every row and is integral, its cost is
no lower than the LP relaxation's, and the gap it reports is at least the distance to that LP bound."""

from __future__ import annotations

import random

import pulp

from planner.sizing.solve import FastHiGHS, SolveStatus, make_solver, solve


def covering(n_items: int, n_rows: int, seed: int = 1, demand: tuple[float, float] = (20, 200)) -> pulp.LpProblem:
    """Buy whole units of items (integer) so every demand row is covered at least cost (large demands: rounding
    costs little, as when a nation buys hundreds of servers)."""
    rng = random.Random(seed)
    problem = pulp.LpProblem("cover", pulp.LpMinimize)
    x = [problem.add_variable(f"x{i:05d}", lowBound=0, cat="Integer") for i in range(n_items)]
    problem += pulp.LpAffineExpression([(v, rng.uniform(50, 150)) for v in x])
    for j in range(n_rows):
        members = rng.sample(range(n_items), 40)
        expr = pulp.LpAffineExpression([(x[i], rng.uniform(1, 10)) for i in members])
        problem += expr >= rng.uniform(*demand), f"row{j:04d}"
    return problem


def _check_plan(problem: pulp.LpProblem) -> None:
    for v in problem.variables():
        assert v.varValue is not None and abs(v.varValue - round(v.varValue)) < 1e-6, v.name
    for name, row in problem._constraints.items():
        lhs = sum(coef * var.varValue for var, coef in row.items())
        assert lhs >= -row.constant - 1e-6, name


def _lp_bound(problem: pulp.LpProblem) -> float:
    """The LP relaxation's optimum (overwrites the variables' values and kinds)."""
    relaxed = problem.deepcopy()
    for v in relaxed.variables():
        v.cat = pulp.LpContinuous
    relaxed.solve(pulp.HiGHS(msg=False))
    return pulp.value(relaxed.objective)


def test_arrays_give_the_same_plan_as_pulps_own_transfer():
    problem = covering(40, 12)
    solve(problem, make_solver("highs", time_limit_s=30, mip_gap=0.0))
    ours = pulp.value(problem.objective)
    _check_plan(problem)
    again = covering(40, 12)
    again.solve(pulp.HiGHS(msg=False, timeLimit=30, gapRel=0.0, threads=1, random_seed=0))
    assert abs(ours - pulp.value(again.objective)) <= 1e-6 * abs(ours)


def test_start_plan_of_a_large_model_is_feasible_and_its_gap_is_honest():
    problem = covering(FastHiGHS.START_PLAN_MIN_INTEGERS + 100, 300, demand=(5000, 20000))
    solver = make_solver("highs", time_limit_s=60, mip_gap=0.01)
    outcome = solve(problem, solver)
    assert outcome.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
    _check_plan(problem)
    cost = pulp.value(problem.objective)
    bound = _lp_bound(problem)  # (PuLP's copy shares the variables: read the plan first)
    assert cost >= bound - 1e-6 * abs(bound)
    assert outcome.gap is not None and outcome.gap <= 0.01 + 1e-9
    # the reported gap is proven against a bound at least as tight as the LP's: the LP bound is no closer
    assert (cost - bound) / cost >= outcome.gap - 1e-6
