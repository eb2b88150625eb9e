"""Budgets: total capex, capex per year, opex per year."""

from __future__ import annotations

import pulp

from planner.sizing.family import N_, Family, Row

FAMILIES = [
    Family(
        "budget_capex_year",
        "limit",
        N_("Purchases in a year stay within that year's capital budget."),
        "USD",
        shortfall=N_("capex budget of {ids[0]} short by {amount}"),
        price=N_("each extra $1 of capex budget in {ids[0]} saves {price}"),
    ),
    Family(
        "budget_capex",
        "limit",
        N_("Purchases over the horizon stay within the capital budget."),
        "USD",
        shortfall=N_("capex budget short by {amount}"),
        price=N_("each extra $1 of capex budget saves {price}"),
    ),
    Family(
        "budget_opex",
        "limit",
        N_("Operating cost in each year stays within the operating budget."),
        "USD/year",
        shortfall=N_("opex budget short by {amount} in {ids[0]}"),
        price=N_("each extra $1 of opex budget in {ids[0]} saves {price}"),
    ),
]


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


GENERATORS = [budgets]
