"""Brute-force enumeration of small single-year, single-serving-workload plans.

An independent check of the MILP: it re-derives every cost and rule by hand from the catalog and the
spec dict (not from the planner's model) and tries every integer combination of units.
"""

from __future__ import annotations

import itertools
import math

from planner.perf import language_premium, serving_estimate
from planner.sizing.rules import arrives_in_time, export_allowed, export_status

HOURS = 8760.0


def serving_rates(doc: dict, catalog, hardware: list[str]) -> tuple[float, dict[str, float]]:
    """(peak demand in output tokens/s, usable tokens/s per unit of each hardware)."""
    work = next(w for w in doc["workloads"].values() if w["kind"] == "serving")
    model = catalog.models[work["model"]]
    premium, _ = language_premium(doc["languages"], model.tokenizer, catalog.languages)
    demand = work["users"] * work["requests_per_user_per_day"] * work["output_tokens_per_request"] * premium
    demand = demand / 86400 * work.get("peak_factor", 3.0)
    rates = {}
    for h in hardware:
        hw = catalog.hardware[h]
        est = serving_estimate(
            model,
            hw,
            catalog.efficiency_profiles[hw.efficiency_profile],
            work["input_tokens_per_request"] * premium,
            work["output_tokens_per_request"] * premium,
            tpot_ms=work.get("tpot_ms"),
            **_latency(work),
        )
        rates[h] = est.output_tokens_per_s_per_unit * doc["planning"].get("serving_utilisation", 0.7)
    return demand, rates


def _lines(doc: dict, catalog) -> list:
    """The catalog's cost lines with the document's `costs` changes (false drops a line)."""
    out = []
    for line_id, line in catalog.cost_lines.items():
        change = (doc.get("costs") or {}).get(line_id)
        if change is False:
            continue
        fields = {k: v for k, v in (change or {}).items() if k != "staff_usd_per_fte_year"}
        out.append(line.model_copy(update=fields))
    return out


def price(catalog, h: str, year: int) -> float:
    """README/catalog: the listed price falls by `price_decline_per_year` each year after it was quoted."""
    hw = catalog.hardware[h]
    return hw.price_usd_per_unit * (1 - hw.price_decline_per_year) ** max(0, year - int(hw.price_as_of[:4]))


def _latency(work: dict) -> dict:
    """README/schema: latency targets are a percentile (p95 by default) of requests under random arrivals, or
    means at full load (`latency_target: mean`)."""
    target = work.get("latency_target", "p95")
    if target == "mean" or (work.get("tpot_ms") is None and work.get("ttft_ms") is None):
        return {"scenario": "offline"}
    return {"scenario": "server", "percentile": float(target[1:])}


def unit_cost(doc: dict, catalog, site_id: str, h: str, quarters: int = 4) -> tuple[float, float, float]:
    """(capex, one year's opex, the part of capex that keeps a residual value) of one unit of `h` at a site, from
    the catalog figures by hand: hardware, fabric per accelerator and fit-out per kW bought; energy, maintenance,
    licences per accelerator-year, staff per MW and per unit, and colocation rent per kW-month in service.

    README (quarters): a unit bought for a year pays every opex line for the quarters it works in that year:
    `quarters` of 4 (the enumerated one-year cases work from 1 January: a whole year)."""
    site = doc["sites"][site_id]
    hw = catalog.hardware[h]
    year = doc["planning"]["start_year"]
    if site.get("kind") in ("sovereign_cloud", "foreign_cloud"):
        rate = site["rent_usd_per_accelerator_hour"][h]
        rate = min(rate, site.get("rent_1y_usd_per_accelerator_hour", {}).get(h, rate))
        return 0.0, rate * hw.chips_per_unit * HOURS, 0.0
    kind = site.get("kind", "own_dc")
    facts = catalog.countries.get(site["jurisdiction"].lower())
    hardware = price(catalog, h, year)
    capex, kept = hardware, hardware
    energy = hw.power_kw_per_unit * site["pue"] * HOURS * 0.7 * site["electricity_usd_per_kwh"]
    # maintenance: a fraction of the price paid (the unit is bought in the plan's one year)
    opex = energy + hw.maintenance_fraction_per_year * hardware + hw.licence_usd_per_unit_year
    salary = _salary(doc, catalog, site["jurisdiction"])
    for line in _lines(doc, catalog):
        if line.kind == "fabric" and line.applies_to in ("*", hw.fabric):
            capex += line.capex_usd_per_accelerator * hw.chips_per_unit
            kept += line.capex_usd_per_accelerator * hw.chips_per_unit
        elif line.kind == "fitout" and line.applies_to in ("*", kind):
            capex += line.capex_usd_per_kw * hw.power_kw_per_unit
        elif line.kind == "licence" and line.applies_to in ("*", hw.software_stack):
            opex += line.opex_usd_per_accelerator_year * hw.chips_per_unit
        elif line.kind == "staff" and line.applies_to in ("*", kind):
            opex += (line.fte_per_mw * hw.power_kw_per_unit / 1000 + line.fte_per_100_units / 100) * (salary or 0)
        elif line.kind == "colocation" and kind == "colocation":
            own = ((doc.get("costs") or {}).get(line.id) or {}).get("opex_usd_per_kw_month")  # country.yaml wins
            rate = own or (facts.colocation_usd_per_kw_month if facts else None) or line.opex_usd_per_kw_month
            opex += rate * 12 * hw.power_kw_per_unit
    return capex, opex * quarters / 4, kept


def team_cost(doc: dict, catalog, units: dict, late: dict) -> float:
    """README/catalog (`min_fte`): a staff line's engineers in a jurisdiction are at least its smallest team in a
    year any unit it covers is in service there; the engineers below it are paid at the country's salary (no
    salary: staff not costed). The per-unit count takes a unit for the quarters it works, as its opex."""
    total = 0.0
    for line in _lines(doc, catalog):
        if line.kind != "staff" or not line.min_fte:
            continue
        counted: dict[str, float] = {}
        for (s, h), n in units.items():
            site = doc["sites"][s]
            kind = site.get("kind", "own_dc")
            if kind in ("sovereign_cloud", "foreign_cloud") or line.applies_to not in ("*", kind) or not n:
                continue
            hw = catalog.hardware[h]
            fte = line.fte_per_mw * hw.power_kw_per_unit / 1000 + line.fte_per_100_units / 100
            j = site["jurisdiction"]
            counted[j] = counted.get(j, 0.0) + fte * n * late.get((s, h), 4) / 4
        for j, fte in counted.items():
            total += max(0.0, line.min_fte - fte) * (_salary(doc, catalog, j) or 0)
    return total


def _salary(doc: dict, catalog, jurisdiction: str) -> float | None:
    facts = catalog.countries.get(jurisdiction.lower())
    costs = (doc.get("costs") or {}).values()
    own = next((c["staff_usd_per_fte_year"] for c in costs if c and c.get("staff_usd_per_fte_year")), None)
    return own or (facts.staff_usd_per_fte_year if facts else 0)


def unit_npv(doc: dict, catalog, site_id: str, h: str) -> float:
    """Net present cost of one unit over a one-year plan: capex and a year's opex, less the value it keeps."""
    capex, opex, kept = unit_cost(doc, catalog, site_id, h)
    return capex + opex - kept * residual_fraction(doc, catalog, h) / (1.0 + doc["planning"].get("discount_rate", 0.08))


def bare_costs(doc: dict, catalog) -> dict:
    """The document with every TCO line beyond hardware, energy and maintenance left out and no residual value,
    for hand calculations of other mechanisms (the lines are tested on their own)."""
    doc["costs"] = dict.fromkeys(catalog.cost_lines, False)
    doc["planning"]["residual_value"] = "none"
    return doc


def residual_fraction(doc: dict, catalog, h: str) -> float:
    """Share of a unit's price left after one year of a straight-line life (0 if residual value is off)."""
    if doc["planning"].get("residual_value", "straight_line") == "none":
        return 0.0
    planning = doc["planning"]
    life = planning.get("hardware_life_years") or catalog.hardware[h].life_years or 5
    return max(0.0, (life - 1) / life)


# Units of one option the enumeration tries at most; a case whose demand needs more of an option is beyond it.
MAX_UNITS = 30


def brute_force(doc: dict, catalog, spec_policy=None, max_units: int = MAX_UNITS) -> dict:
    """Cheapest feasible plan of a one-year, one-serving-workload country; rules read from `doc`."""
    year = doc["planning"]["start_year"]
    hardware = doc["hardware"]
    demand, rates = serving_rates(doc, catalog, hardware)
    policy = doc.get("policy", {})
    pairs, late = _allowed_pairs(doc, catalog, hardware, year, spec_policy)
    work = next(w for w in doc["workloads"].values() if w["kind"] == "serving")
    allowed_sites = _residency(doc, work)
    best = None
    # no optimal plan holds more units of one option than it takes to cover demand alone with it (+1 for rules)
    bounds = [min(max_units, math.ceil(demand / rates[h]) + 1) for _, h in pairs]
    for counts in itertools.product(*(range(b + 1) for b in bounds)):
        units = {p: n for p, n in zip(pairs, counts, strict=True) if n}
        if not _feasible(doc, catalog, units, rates, demand, allowed_sites, policy, late):
            continue
        capex = opex = residual = 0.0
        for (s, h), n in units.items():
            c, o, kept = unit_cost(doc, catalog, s, h, quarters=late.get((s, h), 4))
            capex, opex = capex + c * n, opex + o * n
            residual += kept * n * residual_fraction(doc, catalog, h)
        opex += team_cost(doc, catalog, units, late)
        if doc.get("budget", {}).get("capex_usd") is not None and capex > doc["budget"]["capex_usd"]:
            continue
        # README: hardware still in life at the end of the horizon keeps its straight-line value, credited in the
        # NPV at the end of the (one-year) horizon
        cost = capex + opex - residual / (1.0 + doc["planning"].get("discount_rate", 0.08))
        if best is None or cost < best["cost"] - 1e-6:
            best = {"cost": cost, "capex": capex, "units": units}
    return best


def _allowed_pairs(doc, catalog, hardware, year, spec_policy):
    """Allowed (site, hardware) pairs, and those of them that arrive too late to serve (see below)."""
    pairs, late = [], {}
    for s, site in doc["sites"].items():
        cloud = site.get("kind") in ("sovereign_cloud", "foreign_cloud")
        options = sorted(site["rent_usd_per_accelerator_hour"]) if cloud else hardware
        for h in options:
            hw = catalog.hardware[h]
            status, _ = export_status(hw, site["jurisdiction"], year)
            if spec_policy is not None and not export_allowed(status, spec_policy):
                continue
            allowed_vendors = doc.get("policy", {}).get("allowed_vendors")
            if allowed_vendors is not None and hw.vendor not in allowed_vendors:
                continue
            # units arriving during the year work only from a later quarter: a one-year plan serving from
            # 1 January cannot count their capacity (its demand holds in every quarter), but they still count
            # in the fleet's vendor shares and take power and space at the site
            if not cloud and spec_policy is not None and not arrives_in_time(hw, spec_policy, year):
                working = [q for q in (1, 2, 3) if arrives_in_time(hw, spec_policy, year, start_week=13 * q)]
                if not working:
                    continue  # not working in any quarter of the year
                late[(s, h)] = 4 - working[0]  # quarters it works (and pays running costs) in the year
            pairs.append((s, h))
    return pairs, late


def _residency(doc, work):
    rule = doc.get("data_locality", {}).get(work.get("data_class"))
    allowed = set()
    for s, site in doc["sites"].items():
        if rule and "jurisdictions" in rule and site["jurisdiction"] not in rule["jurisdictions"]:
            continue
        if rule and "site_kinds" in rule and site.get("kind", "own_dc") not in rule["site_kinds"]:
            continue
        allowed.add(s)
    return allowed


def _feasible(doc, catalog, units, rates, demand, allowed_sites, policy, late=()) -> bool:
    serving = {p: n for p, n in units.items() if p not in late}  # late arrivals add no capacity
    capacity = sum(rates[h] * n for (s, h), n in serving.items() if s in allowed_sites)
    if capacity < demand - 1e-6:
        return False
    return (
        _sites_fit(doc, catalog, units)
        and _shares_ok(catalog, units, policy, rates)
        and _resilient(doc, serving, rates, demand, allowed_sites, policy)
    )


def _sites_fit(doc, catalog, units) -> bool:
    for s, site in doc["sites"].items():
        if site.get("kind") in ("sovereign_cloud", "foreign_cloud"):
            continue
        mine = {h: n for (s2, h), n in units.items() if s2 == s}
        if sum(catalog.hardware[h].power_kw_per_unit * site["pue"] * n for h, n in mine.items()) > site["power_kw"]:
            return False
        if sum(catalog.hardware[h].rack_units * n for h, n in mine.items()) > site["racks"] * 42:
            return False
    return True


def _shares_ok(catalog, units, policy, rates) -> bool:
    # only hardware that can do the work counts in the shares (units that cannot serve do not dilute a vendor)
    chips = {(s, h): n * catalog.hardware[h].chips_per_unit for (s, h), n in units.items() if rates.get(h, 0) > 0}
    total = sum(chips.values())
    if policy.get("vendor_max_share") is not None:
        for vendor in {catalog.hardware[h].vendor for (_, h) in chips}:
            mine = sum(c for (_, h), c in chips.items() if catalog.hardware[h].vendor == vendor)
            if mine > policy["vendor_max_share"] * total + 1e-9:
                return False
    if policy.get("min_allied_share") is not None:
        allied = sum(c for (_, h), c in chips.items() if catalog.hardware[h].origin_country in policy["allied_origins"])
        if allied < policy["min_allied_share"] * total - 1e-9:
            return False
    return True


def _resilient(doc, units, rates, demand, allowed_sites, policy) -> bool:
    fraction = policy.get("resilience_fraction")
    if not fraction:
        return True
    for lost in doc["sites"]:
        left = sum(rates[h] * n for (s, h), n in units.items() if s != lost and s in allowed_sites)
        if left < fraction * demand - 1e-6:
            return False
    return True
