"""Budgets: total capex, capex per year, opex per year."""

from __future__ import annotations

import pulp

from planner.sizing.rows import Row


def budgets(problem, data, v, capex, opex):
    """Spending stays within each budget the country sets."""
    budget = data.spec.budget
    if budget.capex_usd is not None:
        yield Row("budget_capex", (), pulp.lpSum(capex.values()), "<=", budget.capex_usd)
    for y, limit in sorted(budget.capex_usd_by_year.items()):
        if y in capex:
            yield Row("budget_capex_year", (y,), capex[y], "<=", limit)
    if budget.opex_usd_per_year is not None:
        for y in data.years:
            yield Row("budget_opex", (y,), opex[y], "<=", budget.opex_usd_per_year)
