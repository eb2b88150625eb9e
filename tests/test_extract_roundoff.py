"""Reading the solver's answer: unit counts never come back negative from round-off."""

from __future__ import annotations

import pulp

from planner.sizing.extract import units_value, value


def test_a_sum_at_minus_1e_13_is_zero_units() -> None:
    # the Kazakhstan proposal's 2028 sensitivity re-solve once gave a site -8.7e-13 kW this way
    problem = pulp.LpProblem("roundoff")
    x, y = problem.add_variable("x"), problem.add_variable("y")
    x.varValue, y.varValue = 1.0, -1.0 - 8.7e-13
    assert value(x + y) < 0
    assert units_value(x + y) == 0.0
    y.varValue = 2.0
    assert units_value(x + y) == 3.0
