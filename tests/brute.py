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
        )
        rates[h] = est.output_tokens_per_s_per_unit * doc["planning"].get("serving_utilisation", 0.7)
    return demand, rates


def unit_cost(doc: dict, catalog, site_id: str, h: str) -> tuple[float, float]:
    """(capex, one year's opex) of one unit of `h` at a site, from the catalog figures by hand."""
    site = doc["sites"][site_id]
    hw = catalog.hardware[h]
    if site.get("kind") in ("sovereign_cloud", "foreign_cloud"):
        return 0.0, site["rent_usd_per_accelerator_hour"][h] * hw.chips_per_unit * HOURS
    energy = hw.power_kw_per_unit * site["pue"] * HOURS * 0.7 * site["electricity_usd_per_kwh"]
    return hw.price_usd_per_unit, energy + hw.maintenance_fraction_per_year * hw.price_usd_per_unit


def brute_force(doc: dict, catalog, spec_policy=None, max_units: int = 30) -> dict:
    """Cheapest feasible plan of a one-year, one-serving-workload country; rules read from `doc`."""
    year = doc["planning"]["start_year"]
    hardware = doc["hardware"]
    demand, rates = serving_rates(doc, catalog, hardware)
    policy = doc.get("policy", {})
    pairs = _allowed_pairs(doc, catalog, hardware, year, spec_policy)
    work = next(w for w in doc["workloads"].values() if w["kind"] == "serving")
    allowed_sites = _residency(doc, work)
    best = None
    # no optimal plan holds more units of one option than it takes to cover demand alone with it (+1 for rules)
    bounds = [min(max_units, math.ceil(demand / rates[h]) + 1) for _, h in pairs]
    for counts in itertools.product(*(range(b + 1) for b in bounds)):
        units = {p: n for p, n in zip(pairs, counts, strict=True) if n}
        if not _feasible(doc, catalog, units, rates, demand, allowed_sites, policy):
            continue
        capex = opex = 0.0
        for (s, h), n in units.items():
            c, o = unit_cost(doc, catalog, s, h)
            capex, opex = capex + c * n, opex + o * n
        if doc.get("budget", {}).get("capex_usd") is not None and capex > doc["budget"]["capex_usd"]:
            continue
        if best is None or capex + opex < best["cost"] - 1e-6:
            best = {"cost": capex + opex, "capex": capex, "units": units}
    return best


def _allowed_pairs(doc, catalog, hardware, year, spec_policy):
    pairs = []
    for s, site in doc["sites"].items():
        cloud = site.get("kind") in ("sovereign_cloud", "foreign_cloud")
        options = sorted(site["rent_usd_per_accelerator_hour"]) if cloud else hardware
        for h in options:
            hw = catalog.hardware[h]
            status, _ = export_status(hw, site["jurisdiction"], year)
            if spec_policy is not None and not export_allowed(status, spec_policy):
                continue
            if not cloud and spec_policy is not None and not arrives_in_time(hw, spec_policy, year):
                continue
            allowed_vendors = doc.get("policy", {}).get("allowed_vendors")
            if allowed_vendors is not None and hw.vendor not in allowed_vendors:
                continue
            pairs.append((s, h))
    return pairs


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


def _feasible(doc, catalog, units, rates, demand, allowed_sites, policy) -> bool:
    capacity = sum(rates[h] * n for (s, h), n in units.items() if s in allowed_sites)
    if capacity < demand - 1e-6:
        return False
    return (
        _sites_fit(doc, catalog, units)
        and _shares_ok(catalog, units, policy)
        and _resilient(doc, units, rates, demand, allowed_sites, policy)
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


def _shares_ok(catalog, units, policy) -> bool:
    chips = {(s, h): n * catalog.hardware[h].chips_per_unit for (s, h), n in units.items()}
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
