"""The decision variables of the sizing MILP and the installed-units expression every family uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    on_demand: dict[tuple[str, str, int, frozenset[int]], pulp.LpVariable] = field(default_factory=dict)
    """(cloud site, hardware, year, quarters) -> units rented on demand for those quarters of the year only (one
    class of alike quarters: `ProblemData.quarter_classes`), billed for their hours."""
    place: dict[tuple[str, str, str], pulp.LpVariable] = field(default_factory=dict)
    """(training workload, site, hardware) -> 1 if the job runs there."""
    serve: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    """(serving workload, hardware, year) -> units serving it, anywhere in its group of allowed sites."""
    groups: dict[str, frozenset[str]] = field(default_factory=dict)
    """Serving workload -> sites it may use (see planner/sizing/groups.py)."""
    team: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    """(staff line, jurisdiction, year) -> 1 if any unit the line covers is in service there that year (its
    smallest team is then paid: `CostLine.min_fte`)."""
    team_topup: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    """(staff line, jurisdiction, year) -> engineers paid above the line's per-unit count to make up its smallest
    team."""
    slack: dict[str, pulp.LpVariable] = field(default_factory=dict)
    """Row name -> shortfall variable (elastic builds only)."""


def installed(data: ProblemData, v: Variables, s: str, h: str, y: int) -> pulp.LpAffineExpression:
    """Units of `h` in service at `s` in year `y`: rented this year (cloud: for the year, under a three-year
    reservation, or on demand for some quarters; rentals of different quarters add up, an upper bound on the
    year's peak for the caps that count them), or bought within their life before, plus brownfield units."""
    if data.is_cloud(s):
        return pulp.lpSum([*_rented_all_year(data, v, s, h, y), *on_demand_units(data, v, s, h, y)])
    bought = pulp.lpSum(v.acquire[s, h, b] for b in data.years if data.in_service(b, y, h))
    return bought + data.existing_units(s, h, y)


def working(data: ProblemData, v: Variables, s: str, h: str, y: int, q: int) -> pulp.LpAffineExpression:
    """Units of `h` working at `s` in quarter `q` of `y`: those in service, less this year's purchases that have
    not arrived by the start of the quarter (planner/sizing/quarters.py); in a cloud region, the units rented for
    the year and those rented on demand for quarters that include `q`."""
    if data.is_cloud(s):
        return pulp.lpSum([*_rented_all_year(data, v, s, h, y), *on_demand_units(data, v, s, h, y, q)])
    units = installed(data, v, s, h, y)
    return units - v.acquire[s, h, y] if data.pending(s, h, y, q) else units


def _rented_all_year(data: ProblemData, v: Variables, s: str, h: str, y: int) -> list[pulp.LpVariable]:
    return [v.acquire[s, h, y], *(v.reserve3[s, h, b] for b in (y - 2, y - 1, y) if (s, h, b) in v.reserve3)]


def on_demand_units(
    data: ProblemData, v: Variables, s: str, h: str, y: int, q: int | None = None
) -> list[pulp.LpVariable]:
    """Units of `h` rented on demand at cloud site `s` for some quarters of `y` (those renting quarter `q` only,
    if given)."""
    return [
        v.on_demand[s, h, y, c]
        for c in data.on_demand_classes(s, h, y)
        if (s, h, y, c) in v.on_demand and (q is None or q in c)
    ]


def opex_cohorts(data: ProblemData, v: Variables, s: str, h: str, y: int) -> list[tuple[int, float, Any]]:
    """(year bought, share of `y` it pays opex for, units: a variable or a brownfield count) of every group of
    units of `h` at bought site `s` in service in `y`. Maintenance is a fraction of the price each group was bought
    at, so the groups are priced apart; together they are `in_service_units`."""
    out: list[tuple[int, float, Any]] = [
        (b, data.service_share(s, h, b, y), v.acquire[s, h, b]) for b in data.years if data.in_service(b, y, h)
    ]
    out += [
        (e.installed_year, 1.0, e.units)
        for e in data.spec.sites[s].existing
        if e.hardware == h and data.in_service(e.installed_year, y, h)
    ]
    return out


def in_service_units(data: ProblemData, v: Variables, s: str, h: str, y: int) -> pulp.LpAffineExpression:
    """Unit-years of `h` at `s` in `y` that pay opex: rented for the year (cloud; three-year reservations are
    priced on their own), or in service with this year's purchases counted for the share of the year they work
    (`ProblemData.service_share`)."""
    if data.is_cloud(s):
        return pulp.lpSum([v.acquire[s, h, y]])
    late = 1.0 - data.service_share(s, h, y, y)
    units = installed(data, v, s, h, y)
    return units - late * v.acquire[s, h, y] if late else units
