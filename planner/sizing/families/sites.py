"""Site limits: power and space where hardware is bought, reservable accelerators in a cloud region."""

from __future__ import annotations

import pulp

from planner.sizing.model import installed
from planner.sizing.rows import Row


def site_limits(problem, data, v, capex, opex):
    """IT power × PUE and rack units of the installed hardware fit each bought site."""
    for s, site in data.spec.sites.items():
        if site.is_cloud:
            continue
        for y in data.years:
            units = {h: installed(data, v, s, h, y) for h in data.site_hardware[s]}
            power = pulp.lpSum(data.hardware[h].power_kw_per_unit * site.pue * n for h, n in units.items())
            yield Row("site_power", (s, y), power, "<=", site.power_kw)
            space = pulp.lpSum(data.hardware[h].rack_units * n for h, n in units.items())
            yield Row("site_space", (s, y), space, "<=", site.racks * site.rack_units_per_rack)


def cloud_capacity(problem, data, v, capex, opex):
    """Accelerators rented in a cloud region stay within what it offers."""
    for s, site in data.spec.sites.items():
        if not site.is_cloud or site.max_accelerators is None:
            continue
        for y in data.years:
            chips = pulp.lpSum(data.hardware[h].chips_per_unit * v.acquire[s, h, y] for h in data.site_hardware[s])
            yield Row("cloud_capacity", (s, y), chips, "<=", site.max_accelerators)


def acquisition_policy(problem, data, v, capex, opex):
    """Nothing bought under rent_only, nothing rented under buy_only."""
    mode = data.spec.policy.acquisition
    if mode == "any":
        return
    for (s, h, y), var in sorted(v.acquire.items()):
        if data.is_cloud(s) == (mode == "buy_only"):
            yield Row("acquisition_policy", (s, h, y), pulp.lpSum([var]), "<=", 0)
