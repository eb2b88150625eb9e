"""Staff teams: a country's fleet pays a staff line's smallest team whatever its size.

A staff line counts engineers per MW and per unit in service (linear in what the plan buys), and may also name
the smallest team that runs any fleet at all (`CostLine.min_fte`: 24x7 operations, security, storage, network).
In each year and jurisdiction the line's engineers are then the larger of the two. The team switch is a binary
that any unit in service turns on; the engineers above the per-unit count are priced in the opex
(planner/sizing/model.py).
"""

from __future__ import annotations

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


UNITS_PER_SITE_BOUND = 100_000.0
"""More units than any one site holds (the big-M of a team's switch; a site's power limit is no bound, since a
diagnosis may relax it). Per site, so that one unit in service at a site turns the switch well above the
solver's integrality tolerance."""


def staff_teams(problem, data, v, capex, opex):
    """Rows tying each team switch to the units in service and its top-up to the smallest team."""
    for line, j in data.teams():
        sites = data.team_sites(line, j)
        for y in data.years:
            key = (line.id, j, y)
            for s in sites:
                units = pulp.lpSum(installed(data, v, s, h, y) for h in data.site_hardware[s])
                yield Row("staff_team_on", (*key, s), units - UNITS_PER_SITE_BOUND * v.team[key], "<=", 0.0)
            counted = pulp.lpSum(
                data.line_fte_per_unit(line, h) * in_service_units(data, v, s, h, y)
                for s in sites
                for h in data.site_hardware[s]
            )
            yield Row("staff_team", key, v.team_topup[key] + counted - line.min_fte * v.team[key], ">=", 0.0)


GENERATORS = [staff_teams]
