"""Site limits: power, space, cooling and rack density where hardware is bought, reservable accelerators in a
cloud region."""

from __future__ import annotations

import math

import pulp

from planner.sizing.family import N_, Family, Row
from planner.sizing.variables import installed, on_demand_units

FAMILIES = [
    Family(
        "site_power",
        "limit",
        N_("IT power \u00d7 PUE of the hardware installed at a site stays within the site's power."),
        "kW",
        shortfall=N_("site `{ids[0]}` needs {amount} more power in {ids[1]}"),
        price=N_("each extra kW at `{ids[0]}` in {ids[1]} saves {price}"),
    ),
    Family(
        "site_space",
        "limit",
        N_("Rack units of the hardware installed at a site fit in its racks."),
        "U",
        shortfall=N_("site `{ids[0]}` needs {amount} more rack units in {ids[1]}"),
        price=N_("each extra rack unit at `{ids[0]}` in {ids[1]} saves {price}"),
    ),
    Family(
        "cloud_capacity",
        "limit",
        N_("Accelerators reserved in a cloud region stay within what the region can offer."),
        "accelerators",
        shortfall=N_("cloud region `{ids[0]}` needs {amount} more accelerators in {ids[1]}"),
        price=N_("each extra accelerator offered at `{ids[0]}` in {ids[1]} saves {price}"),
    ),
    Family(
        "facility_cooling",
        "limit",
        N_("Liquid-cooled hardware is installed only at sites with liquid cooling."),
        "units",
        shortfall=N_("{amount} units of `{ids[1]}` would be needed at `{ids[0]}`, which has no liquid cooling"),
        price=N_("liquid cooling at `{ids[0]}` for `{ids[1]}` would save {price} per unit"),
    ),
    Family(
        "rack_density",
        "limit",
        N_("Hardware is installed only where a rack may draw its power (a rack-scale system, or one server)."),
        "units",
        shortfall=N_("{amount} units of `{ids[1]}` would be needed at `{ids[0]}`, above its power per rack"),
        price=N_("a denser rack limit at `{ids[0]}` for `{ids[1]}` would save {price} per unit"),
    ),
    Family(
        "acquisition_policy",
        "rule",
        N_("Hardware is only rented (or only bought) when the policy says so."),
        "units",
        shortfall=(
            N_("{amount} units of `{ids[1]}` would be needed at `{ids[0]}` in {ids[2]}, against the acquisition policy")
        ),
        price=N_("allowing `{ids[1]}` at `{ids[0]}` in {ids[2]} would save {price} per unit"),
        priced_as="acquisition_policy",
    ),
    Family(
        "acquisition_policy_training",
        "rule",
        N_("A training job rents no cloud capacity when the policy says to buy only."),
        "units",
        shortfall=N_(
            "training job `{ids[2]}` would need {amount} units of `{ids[1]}` rented at `{ids[0]}`, against the "
            "acquisition policy"
        ),
        price=N_("renting `{ids[1]}` at `{ids[0]}` for `{ids[2]}` would save {price} per unit"),
        priced_as="acquisition_policy",
    ),
]


def site_limits(problem, data, v, capex, opex):
    """IT power × PUE and rack units of the installed hardware fit each bought site, with the power and racks of
    the site's phase that year; hardware denser than the site's power per rack takes the racks its power needs."""
    for s, site in data.spec.sites.items():
        if site.is_cloud:
            continue
        for y in data.years:
            units = {h: installed(data, v, s, h, y) for h in data.site_hardware[s]}
            power = pulp.lpSum(data.hardware[h].power_kw_per_unit * site.pue * n for h, n in units.items())
            yield Row("site_power", (s, y), power, "<=", site.power_kw_in(y))
            space = pulp.lpSum(rack_units_taken(data.hardware[h], site) * n for h, n in units.items())
            yield Row("site_space", (s, y), space, "<=", site.racks_in(y) * site.rack_units_per_rack)


def units_per_rack(hw, site) -> int | None:
    """Whole units of a server one rack holds within both its space and its power per rack (None: no density
    limit); a 10.2 kW 8U server in 25 kW racks of 42U: two, not five."""
    if site.max_kw_per_rack is None or hw.kind == "rack_system":
        return None
    return min(
        math.floor(site.max_kw_per_rack / hw.power_kw_per_unit), math.floor(site.rack_units_per_rack / hw.rack_units)
    )


def rack_units_taken(hw, site) -> float:
    """Rack units a unit occupies: its own, or a whole rack's share when the site's power per rack allows fewer
    units per rack than fit in its space (exact when racks hold one kind of server)."""
    per_rack = units_per_rack(hw, site)
    if not per_rack:
        return hw.rack_units
    return max(hw.rack_units, site.rack_units_per_rack / per_rack)


def needs_liquid_cooling(hw, site) -> bool:
    """Liquid-cooled hardware at a site that only has air cooling."""
    return hw.cooling == "liquid" and site.cooling_offered() == "air"


def too_dense(hw, site) -> bool:
    """A rack-scale system whose racks draw more than the site allows (it cannot be spread over more racks), or a
    server not even one of which fits a rack's power."""
    racks = max(hw.rack_units / site.rack_units_per_rack, 1.0)
    dense = site.max_kw_per_rack is not None and hw.power_kw_per_unit / racks > site.max_kw_per_rack
    return (hw.kind == "rack_system" and dense) or units_per_rack(hw, site) == 0


def installable(data, s: str, h: str) -> bool:
    """True if hardware `h` could be installed at site `s` at all: its cooling and rack power fit (a cloud region
    offers only what it lists). Whether the plan has a use for it is another matter."""
    site = data.spec.sites[s]
    if site.is_cloud:
        return h in data.site_hardware.get(s, ())
    hw = data.hardware[h]
    return not needs_liquid_cooling(hw, site) and not too_dense(hw, site)


def one_unit_fits(data, s: str, h: str, year: int) -> bool:
    """True if a single unit of `h` fits the power and the racks site `s` has in `year` (a 15 MW SuperPoD does not
    fit a 2.5 MW site, however early it could arrive). A cloud region: what it lists."""
    site = data.spec.sites[s]
    if site.is_cloud:
        return h in data.site_hardware.get(s, ())
    hw = data.hardware[h]
    power, racks = site.power_kw_in(year), site.racks_in(year)
    if power is not None and hw.power_kw_per_unit * site.pue > power:
        return False
    return racks is None or rack_units_taken(hw, site) <= racks * site.rack_units_per_rack


def facility(problem, data, v, capex, opex):
    """No liquid-cooled hardware where only air cooling exists; no rack-scale system whose racks draw more than
    the site allows (it cannot be spread over more racks)."""
    for s, site in data.spec.sites.items():
        if site.is_cloud:
            continue
        for h in data.site_hardware[s]:
            hw = data.hardware[h]
            bought = pulp.lpSum(v.acquire[s, h, y] for y in data.years)
            if needs_liquid_cooling(hw, site):
                yield Row("facility_cooling", (s, h), bought, "<=", 0)
            if too_dense(hw, site):
                yield Row("rack_density", (s, h), bought, "<=", 0)


def cloud_capacity(problem, data, v, capex, opex):
    """Accelerators rented in a cloud region (for the year, reserved, or by the hour for a training job that
    runs that year) stay within what it offers."""
    jobs: dict[tuple[str, int], list] = {}
    for need in data.training:
        for (w, s, h), var in v.place.items():
            if w == need.workload and data.is_cloud(s):
                chips = need.units_needed[h] * data.hardware[h].chips_per_unit
                jobs.setdefault((s, need.year), []).append(chips * var)
    for s, site in data.spec.sites.items():
        if not site.is_cloud or site.max_accelerators is None:
            continue
        for y in data.years:
            chips = pulp.lpSum(
                data.hardware[h].chips_per_unit * installed(data, v, s, h, y) for h in data.site_hardware[s]
            )
            yield Row("cloud_capacity", (s, y), chips + pulp.lpSum(jobs.get((s, y), [])), "<=", site.max_accelerators)


def acquisition_policy(problem, data, v, capex, opex):
    """Nothing bought under rent_only, nothing rented under buy_only."""
    mode = data.spec.policy.acquisition
    if mode == "any":
        return
    for (s, h, y), var in sorted(v.acquire.items()):
        if data.is_cloud(s) == (mode == "buy_only"):
            reserved = [v.reserve3[s, h, y]] if (s, h, y) in v.reserve3 else []
            reserved += on_demand_units(data, v, s, h, y)
            yield Row("acquisition_policy", (s, h, y), pulp.lpSum([var, *reserved]), "<=", 0)
    if mode == "buy_only":
        units = {(need.workload, h): n for need in data.training for h, n in need.units_needed.items()}
        for (w, s, h), var in sorted(v.place.items()):
            if data.is_cloud(s):  # in units, so that a shortfall reads as the units the job would rent
                yield Row("acquisition_policy_training", (s, h, w), units[w, h] * var, "<=", 0)


GENERATORS = [site_limits, facility, cloud_capacity, acquisition_policy]
