"""The decision variables of the sizing MILP and the installed-units expression every family uses."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulp

from planner.sizing.data import ProblemData

Key3 = tuple[str, str, int]


@dataclass
class Variables:
    """The decision variables, keyed by ids."""

    acquire: dict[Key3, pulp.LpVariable] = field(default_factory=dict)
    """(site, hardware, year) -> units bought (or, at a cloud site, rented for that year)."""
    reserve3: dict[Key3, pulp.LpVariable] = field(default_factory=dict)
    """(cloud site, hardware, first year) -> units under a three-year reservation starting that year."""
    place: dict[tuple[str, str, str], pulp.LpVariable] = field(default_factory=dict)
    """(training workload, site, hardware) -> 1 if the job runs there."""
    serve: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    """(serving workload, hardware, year) -> units serving it, anywhere in its group of allowed sites."""
    groups: dict[str, frozenset[str]] = field(default_factory=dict)
    """Serving workload -> sites it may use (see planner/sizing/groups.py)."""
    slack: dict[str, pulp.LpVariable] = field(default_factory=dict)
    """Row name -> shortfall variable (elastic builds only)."""


def installed(data: ProblemData, v: Variables, s: str, h: str, y: int) -> pulp.LpAffineExpression:
    """Units of `h` in service at `s` in year `y`: rented this year (cloud), or bought within their
    life before, plus brownfield units."""
    if data.is_cloud(s):
        reserved = [v.reserve3[s, h, b] for b in (y - 2, y - 1, y) if (s, h, b) in v.reserve3]
        return pulp.lpSum([v.acquire[s, h, y], *reserved])
    bought = pulp.lpSum(v.acquire[s, h, b] for b in data.years if data.in_service(b, y, h))
    return bought + data.existing_units(s, h, y)


def working(data: ProblemData, v: Variables, s: str, h: str, y: int, q: int) -> pulp.LpAffineExpression:
    """Units of `h` working at `s` in quarter `q` of `y`: those in service, less this year's purchases that have
    not arrived by the start of the quarter (planner/sizing/quarters.py)."""
    units = installed(data, v, s, h, y)
    return units - v.acquire[s, h, y] if data.pending(s, h, y, q) else units
