"""Tidy tables of a plan for notebooks: one row per fact, units in the column names.

Each table is a list of dicts (or a pandas DataFrame when pandas is installed). Every value is the typed plan's
own figure; names are given beside ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planner.plan import Plan


def plan_tables(plan: Plan, *, pandas: bool | None = None) -> dict[str, Any]:
    """allocations, costs_by_year, fleet, sites and serving tables of `plan`."""
    n = plan.names
    tables: dict[str, list[dict[str, Any]]] = {
        "allocations": [
            {
                "year": a.year,
                "site": a.site,
                "site_name": n.site(a.site),
                "hardware": a.hardware,
                "hardware_name": n.hw(a.hardware),
                "acquisition": a.acquisition,
                "units": a.units,
                "accelerators": a.accelerators,
                "capex_usd": a.capex_usd,
                "opex_usd_per_year": a.opex_usd_per_year,
                "it_power_kw": a.power_kw,
            }
            for a in plan.allocations
        ],
        "costs_by_year": [y.model_dump() for y in plan.costs_by_year],
        "fleet": [{**f.model_dump(), "site_name": n.site(f.site)} for f in plan.installed],
        "sites": [{**s.model_dump(), "site_name": n.site(s.site)} for s in plan.sites],
        "serving": [
            {
                "workload": w.name,
                "workload_name": n.workload(w.name),
                "year": y.year,
                "demand_output_tokens_per_s": y.demand_output_tokens_per_s,
                "capacity_output_tokens_per_s": y.capacity_output_tokens_per_s,
                "installed_output_tokens_per_s": y.installed_output_tokens_per_s,
            }
            for w in plan.workloads
            for y in w.by_year
        ],
    }
    if pandas is False:
        return tables
    try:
        import pandas as pd
    except ImportError:
        if pandas:
            raise
        return tables
    return {name: pd.DataFrame(rows) for name, rows in tables.items()}
