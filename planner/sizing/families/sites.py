"""Site limits: power and space where hardware is bought, reservable accelerators in a cloud region."""

from __future__ import annotations

import pulp

from planner.sizing.family import Family, Row
from planner.sizing.variables import installed

FAMILIES = [
    Family(
        "site_power",
        "limit",
        "IT power \u00d7 PUE of the hardware installed at a site stays within the site's power.",
        "kW",
        shortfall="site `{ids[0]}` needs {amount} more power in {ids[1]}",
        price="each extra kW at `{ids[0]}` in {ids[1]} saves {price}",
    ),
    Family(
        "site_space",
        "limit",
        "Rack units of the hardware installed at a site fit in its racks.",
        "U",
        shortfall="site `{ids[0]}` needs {amount} more rack units in {ids[1]}",
        price="each extra rack unit at `{ids[0]}` in {ids[1]} saves {price}",
    ),
    Family(
        "cloud_capacity",
        "limit",
        "Accelerators reserved in a cloud region stay within what the region can offer.",
        "accelerators",
        shortfall="cloud region `{ids[0]}` needs {amount} more accelerators in {ids[1]}",
        price="each extra accelerator offered at `{ids[0]}` in {ids[1]} saves {price}",
    ),
    Family(
        "acquisition_policy",
        "rule",
        "Hardware is only rented (or only bought) when the policy says so.",
        "units",
        shortfall=(
            "{amount} units of `{ids[1]}` would be needed at `{ids[0]}` in {ids[2]}, against"
            " the acquisition policy"
        ),
        price="allowing `{ids[1]}` at `{ids[0]}` in {ids[2]} would save {price} per unit",
        priced_as="acquisition_policy",
    ),
]


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


GENERATORS = [site_limits, cloud_capacity, acquisition_policy]
