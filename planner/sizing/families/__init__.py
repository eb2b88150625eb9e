"""Constraint families: each module yields named Rows for one concern."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


def row_generators() -> list[Callable[..., Iterator[Any]]]:
    """Every family's row generator, in a stable order."""
    from planner.sizing.families import budget, coverage, resilience, sites, sovereignty

    return [
        coverage.demand_coverage,
        coverage.training_placement,
        coverage.unit_capacity,
        sites.site_limits,
        sites.cloud_capacity,
        sites.acquisition_policy,
        budget.budgets,
        sovereignty.data_residency,
        sovereignty.export_availability,
        sovereignty.lead_time,
        sovereignty.vendor_rules,
        resilience.resilience,
    ]
