"""Staff teams: a country's fleet pays a staff line's smallest team whatever its size.

A staff line counts engineers per MW and per unit in service (linear in what the plan buys), and may also name
the smallest team that runs any fleet at all (`CostLine.min_fte`: 24x7 operations, security, storage, network).
In each year and jurisdiction the line's engineers are then the larger of the two. The team switch is a binary
that any unit in service turns on; the engineers above the per-unit count are priced in the opex
(planner/sizing/model.py). A diagnosis that may exceed a site's power or space (an elastic build) leaves the teams out:
it asks what is short, and the bound below would hold its units back.
"""

from __future__ import annotations

import math

import pulp

from planner.sizing.family import N_, Family, Row
from planner.sizing.variables import in_service_units, installed

FAMILIES = [
    Family(
        "staff_team_on",
        "identity",
        N_("A staff line's team is on in every year a unit it covers is in service in the country."),
        "units",
    ),
    Family(
        "staff_team",
        "identity",
        N_("A staff line's engineers are at least its smallest team in every year its team is on."),
        "FTE",
    ),
]


def units_bound(data, s: str) -> float:
    """Most units site `s` can hold in any year: its power over the least power a unit of its hardware draws, or its
    rack space over the fewest rack units one takes, whichever is less, plus its brownfield units (the big-M of a
    team's switch: a bound the site's own power and space rows already impose, so it cuts off no plan, and
    tight, so that the LP relaxation sees more of the team's pay)."""
    site = data.spec.sites[s]
    hardware = [data.hardware[h] for h in data.site_hardware[s]]
    kw = min(hw.power_kw_per_unit for hw in hardware)
    ru = min(hw.rack_units for hw in hardware)
    most = max(min(site.power_kw_in(y) / kw, site.racks_in(y) * site.rack_units_per_rack / ru) for y in data.years)
    return float(math.ceil(most) + sum(e.units for e in site.existing))


def staff_teams(problem, data, v, capex, opex):
    """Rows tying each team switch to the units in service and its top-up to the smallest team."""
    for line, j in data.teams():
        sites = [s for s in data.team_sites(line, j) if data.site_hardware[s]]
        for y in data.years:
            key = (line.id, j, y)
            for s in sites:
                units = pulp.lpSum(installed(data, v, s, h, y) for h in data.site_hardware[s])
                yield Row("staff_team_on", (*key, s), units - units_bound(data, s) * v.team[key], "<=", 0.0)
            counted = pulp.lpSum(
                data.line_fte_per_unit(line, h) * in_service_units(data, v, s, h, y)
                for s in sites
                for h in data.site_hardware[s]
            )
            yield Row("staff_team", key, v.team_topup[key] + counted - line.min_fte * v.team[key], ">=", 0.0)


GENERATORS = [staff_teams]
