"""Property: every optimal plan of a random small country passes the independent feasibility checker.

Cases: 1-3 sites in jurisdictions TL, SG, XX (own DC, colocation or a cloud region), data classes whose allowed
jurisdictions overlap ({TL, SG} and {TL, XX}, plus "bought sites only" and "anywhere"), 2-4 hardware options,
1-3 serving workloads, an optional fine-tuning job (which may land in a cloud region, rented by the hour), 1-3
years, an optional budget, vendor cap, allowed vendors and resilience; and the time and money model: a later
decision date, a life set in country.yaml, one- and three-year reserved cloud prices, site phases, power per
rack, liquid-cooled hardware (MI355X) with air-only or liquid sites, `costs:` overrides (a line changed or left
out) and no residual value. Each case is sized through `size_case` and checked by `tests/independent_checker.py`; for
one site, at most two hardware options, one year and one serving workload, the NPV is also compared with the
brute-force enumeration of `tests/brute.py`.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from planner.catalog import load_catalog
from planner.schema.country import CountrySpec
from tests.brute import MAX_UNITS, brute_force, serving_rates
from tests.independent_checker import Violation, check_plan

CATALOG = load_catalog()
# with MI355X (liquid-cooled); sometimes also A100 (past its end of sale: rentable, never bought) or H20 (sold only
# in CN: never acquired in TL, SG or XX)
HARDWARE = ["hgx_h100", "mi300x_8x", "atlas_800i_a2", "l40s_8x", "gaudi3_8x", "hgx_h200", "mi355x_8x"]
UNBUYABLE = ["hgx_a100", "hgx_h20"]
LIQUID = {h for h in HARDWARE if CATALOG.hardware[h].cooling == "liquid"}
# `costs:` changes the generator draws from: a line changed, a line left out, staff at a set salary
COST_CHANGES = [
    {"fabric_infiniband": {"capex_usd_per_accelerator": 9000}},
    {"fitout_own_dc": False},
    {"licence_nvaie_training": False, "fabric_roce": {"capex_usd_per_accelerator": 4000}},
    {"staff_platform": {"fte_per_100_units": 5, "staff_usd_per_fte_year": 80000}},
    {"storage_training": {"capex_usd_per_pb": 2e6}},
]
JURISDICTIONS = ["TL", "SG", "XX"]
DATA_LOCALITY = {
    "tl_sg": {"jurisdictions": ["TL", "SG"]},
    "tl_xx": {"jurisdictions": ["TL", "XX"]},
    "bought": {"site_kinds": ["own_dc", "colocation"]},
    "public": {},
}

# Found by this test against the greedy split (commit 789d14d/ee45e05): chat_2 (TL or XX) shown at 0 % served.
# Three 25 kW sites fit 2 H100s each; chat_1 (TL or SG) is filled into a_site (TL) first and takes its units.
GREEDY_SPLIT_CASE = {
    "country": {"name": "Testland", "iso2": "TL"},
    "planning": {"start_year": 2027, "years": 2, "discount_rate": 0.05},
    "languages": {"en": 0.7, "ms": 0.3},
    "hardware": ["hgx_h100", "mi300x_8x"],
    "sites": {
        sid: {
            "name": sid,
            "jurisdiction": j,
            "kind": "own_dc",
            "power_kw": 25,
            "racks": 1,
            "pue": 1.2,
            "electricity_usd_per_kwh": 0.08,
        }
        for sid, j in (("a_site", "TL"), ("b_site", "SG"), ("c_site", "XX"))
    },
    "workloads": {
        f"chat_{i}": {
            "kind": "serving",
            "model": "llama_3_1_8b",
            "users": users,
            "requests_per_user_per_day": 5,
            "input_tokens_per_request": 400,
            "output_tokens_per_request": 200,
            "peak_factor": 3,
            **({"data_class": dc} if dc else {}),
        }
        for i, (users, dc) in enumerate([(1e5, None), (1e6, "tl_sg"), (1e5, "tl_xx")])
    },
    "data_locality": DATA_LOCALITY,
    "solver": {"time_limit_s": 30},
    "policy": {"allow_legal_risk": False},
}


# Planner bugs the checker finds, each pinned by a strict xfail case in tests/test_plan_checker_cases.py (which
# fails as soon as the bug is fixed: then drop the entry here). Each entry says which violations it explains; the
# property test reports those as events and fails on every other violation.
def _split_counts_hourly_jobs(v, plan) -> bool:
    """test_serving_split_ignores_a_job_rented_by_the_hour: only where a job rented by the hour shares a cloud
    site's hardware and year with units rented for the year."""
    hourly = {(a["site"], a["hardware"], a["year"]) for a in plan["allocations"] if a["acquisition"] == "rent_hours"}
    yearly = {(a["site"], a["hardware"], a["year"]) for a in plan["allocations"] if a["acquisition"] == "rent"}
    yearly |= {
        (a["site"], a["hardware"], y)
        for a in plan["allocations"]
        if a["acquisition"] == "reserve_3y"
        for y in range(a["year"], a["year"] + 3)
    }
    # the split then sees too few free units there: a workload left short, or pushed over another site's units
    return v.check in ("serving_capacity", "unit_capacity") and bool(hourly & yearly)


KNOWN_PLANNER_BUGS: dict = {}  # fixed: the split ignores jobs rented by the hour (_split_counts_hourly_jobs kept)


def size_case(doc: dict, tmp_path: Path) -> dict | None:
    """Size one country document and return its plan.json as a dict (the one adapter to the planner); None when
    the planner rejects the input (exit 1, e.g. resilience for a workload only one site may serve).

    Through the Python API, and the plan as plan.json holds it (its JSON read back)."""
    import planner

    try:
        plan = planner.size(planner.load(doc))
    except planner.InputError:
        return None
    return json.loads(plan.to_json())


def _site(draw, i: int, jurisdiction: str, hardware: list[str]) -> dict:
    kind = draw(st.sampled_from(["own_dc", "own_dc", "colocation", "sovereign_cloud", "foreign_cloud"]))
    site = {"name": f"Site {i}", "jurisdiction": jurisdiction, "kind": kind}
    if kind.endswith("cloud"):
        offered = draw(st.lists(st.sampled_from(hardware), min_size=1, max_size=2, unique=True))
        site["rent_usd_per_accelerator_hour"] = {h: draw(st.sampled_from([1.5, 2.5, 4.0])) for h in offered}
        if draw(st.booleans()):  # one-year reservations, cheaper than on demand (or not)
            site["rent_1y_usd_per_accelerator_hour"] = {
                h: r * draw(st.sampled_from([0.6, 1.2])) for h, r in site["rent_usd_per_accelerator_hour"].items()
            }
        if draw(st.booleans()):  # three-year reservations (usable when the plan has three years)
            site["rent_3y_usd_per_accelerator_hour"] = {
                h: r * 0.45 for h, r in site["rent_usd_per_accelerator_hour"].items()
            }
        if draw(st.booleans()):
            site["max_accelerators"] = draw(st.sampled_from([16, 64]))
        return site
    site["power_kw"] = draw(st.sampled_from([25, 60, 150, 1000]))
    site["racks"] = draw(st.sampled_from([1, 2, 10]))
    site["pue"] = draw(st.sampled_from([1.2, 1.5]))
    site["electricity_usd_per_kwh"] = draw(st.sampled_from([0.08, 0.2, 0.6]))
    if set(hardware) & LIQUID:  # liquid-cooled options: air-only sites (explicit or by facility) or liquid ones
        choice = draw(st.sampled_from(["facility_air", "facility_liquid", "cooling_air", "cooling_both"]))
        if choice.startswith("facility"):
            site["facility"] = "new_liquid" if choice.endswith("liquid") else "new_air"
        else:
            site["cooling"] = choice.removeprefix("cooling_")
    if draw(st.integers(0, 3)) == 0:  # power and cooling density per rack
        site["max_kw_per_rack"] = draw(st.sampled_from([12, 20, 40]))
    if draw(st.integers(0, 3)) == 0:  # a later phase (may also shrink, e.g. a hall handed back)
        site["power_kw_by_year"] = {2028: draw(st.sampled_from([40, 300, 2000]))}
        if draw(st.booleans()):
            site["racks_by_year"] = {2029: draw(st.sampled_from([1, 4, 20]))}
    if draw(st.integers(0, 3)) == 0:  # brownfield: counted in power, space, opex and the fleet
        existing = {"hardware": draw(st.sampled_from(hardware)), "units": 1}
        site["existing"] = [{**existing, "installed_year": draw(st.sampled_from([2023, 2025]))}]
    return site


def _budget(draw, years: int) -> dict:
    budget = {}
    if draw(st.booleans()):
        budget["capex_usd"] = draw(st.sampled_from([2e6, 6e6, 4e7]))  # fabric and fit-out are capex too
    if draw(st.integers(0, 3)) == 0:
        budget["opex_usd_per_year"] = draw(st.sampled_from([5e5, 3e6]))
    if years > 1 and draw(st.integers(0, 3)) == 0:
        budget["capex_usd_by_year"] = {2027: draw(st.sampled_from([1e6, 4e6]))}
    return budget


def _policy(draw, n_sites: int) -> dict:
    policy = {}
    if draw(st.booleans()):
        policy["vendor_max_share"] = draw(st.sampled_from([0.5, 0.7]))
    if draw(st.integers(0, 4)) == 0:
        policy["allowed_vendors"] = draw(st.sampled_from([["nvidia", "amd"], ["huawei", "nvidia"]]))
    if draw(st.integers(0, 3)) == 0:
        policy["allow_legal_risk"] = False
    if n_sites >= 2 and draw(st.booleans()):
        policy["resilience_fraction"] = draw(st.sampled_from([0.3, 0.5]))
    return policy


def _time_and_money(draw) -> dict:
    """Planning keys of the time and money model: a later decision (H100/H200 with 12 weeks' lead time then miss
    the first year), a life set in country.yaml (replacing each class's), no residual value."""
    planning = {}
    if draw(st.integers(0, 3)) == 0:
        planning["decision_date"] = draw(st.sampled_from(["2026-11-01", "2025-12-01"]))
    if draw(st.integers(0, 3)) == 0:
        planning["hardware_life_years"] = draw(st.sampled_from([2, 4]))
    if draw(st.integers(0, 3)) == 0:
        planning["residual_value"] = "none"
    return planning


@st.composite
def countries(draw) -> dict:
    years = draw(st.integers(1, 3))
    hardware = draw(st.lists(st.sampled_from(HARDWARE), min_size=2, max_size=4, unique=True))
    if draw(st.integers(0, 3)) == 0:
        hardware.append(draw(st.sampled_from(UNBUYABLE)))
    n_sites = draw(st.integers(1, 3))
    # half the time the sites are TL (first by id: the old greedy split filled it first), then SG and XX in some
    # order, so both data classes overlap on the first site
    spread = ["TL", *draw(st.permutations(["SG", "XX"]))] if draw(st.booleans()) else None
    sites = {
        f"{'abc'[i]}_site": _site(draw, i, spread[i] if spread else draw(st.sampled_from(JURISDICTIONS)), hardware)
        for i in range(n_sites)
    }
    classes = [None, "tl_sg", "tl_xx", "tl_sg", "tl_xx", "bought", "public"]
    workloads = {}
    for i in range(draw(st.integers(1, 3))):
        workloads[f"chat_{i}"] = {
            "kind": "serving",
            "model": draw(st.sampled_from(["llama_3_1_8b", "llama_2_7b"])),
            "users": draw(st.sampled_from([1e5, 1e6, 3e6, 6e6])),
            "requests_per_user_per_day": 5,
            "input_tokens_per_request": 400,
            "output_tokens_per_request": 200,
            "peak_factor": 3,
            **({"tpot_ms": 50} if draw(st.booleans()) else {}),
            **({"growth_per_year": 0.5} if years > 1 and draw(st.booleans()) else {}),
            **({"data_class": c} if (c := draw(st.sampled_from(classes))) else {}),
        }
    if draw(st.booleans()):
        workloads["tune"] = {
            "kind": "fine_tuning",
            "model": "llama_3_1_8b",
            "tokens": draw(st.sampled_from([1e9, 5e9])),
            "method": "lora",
            "deadline_days": draw(st.sampled_from([2, 10])),
            **({"data_class": c} if (c := draw(st.sampled_from(classes))) else {}),
        }
    doc = {
        "country": {"name": "Testland", "iso2": "TL"},
        "planning": {"start_year": 2027, "years": years, "discount_rate": 0.05, **_time_and_money(draw)},
        "languages": {"en": 0.7, "ms": 0.3},
        "hardware": hardware,
        "sites": sites,
        "workloads": workloads,
        "data_locality": DATA_LOCALITY,
        "solver": {"time_limit_s": 30},
    }
    if draw(st.integers(0, 2)) == 0:
        doc["costs"] = draw(st.sampled_from(COST_CHANGES))
    if budget := _budget(draw, years):
        doc["budget"] = budget
    if policy := _policy(draw, n_sites):
        doc["policy"] = policy
    return doc


def _small(doc: dict) -> dict:
    """The same case cut down to what tests/brute.py enumerates: its first site, two air-cooled options, one year,
    one serving workload, no training, no reservation cap, no resilience (one site), no phases and no power per
    rack."""
    doc = copy.deepcopy(doc)
    sid, site = next(iter(doc["sites"].items()))
    site.pop("max_accelerators", None)
    if "rent_usd_per_accelerator_hour" in site:
        offered = dict(list(site["rent_usd_per_accelerator_hour"].items())[:2])
        site["rent_usd_per_accelerator_hour"] = offered
    doc["sites"] = {sid: site}
    for key in ("max_kw_per_rack", "power_kw_by_year", "racks_by_year"):  # what brute.py does not model
        site.pop(key, None)
    air = [h for h in doc["hardware"] if h not in LIQUID]
    doc["hardware"] = (air if len(air) >= 2 else doc["hardware"])[:2]
    doc["planning"]["years"] = 1
    doc["workloads"] = {"chat_0": doc["workloads"]["chat_0"]}
    doc.get("policy", {}).pop("resilience_fraction", None)
    for key in ("opex_usd_per_year", "capex_usd_by_year"):  # the enumeration knows only the capex budget
        doc.get("budget", {}).pop(key, None)
    site.pop("existing", None)
    return doc


def _brute_applies(doc: dict) -> bool:
    """Small enough for tests/brute.py: one site, <= 2 options, one year, one serving workload, and nothing the
    enumeration does not model (training, cloud reservation caps, brownfield, opex or yearly capex budgets)."""
    site = next(iter(doc["sites"].values()))
    work = list(doc["workloads"].values())
    options = site.get("rent_usd_per_accelerator_hour") or doc["hardware"]
    return (
        len(doc["sites"]) == 1
        and len(options) <= 2
        and doc["planning"]["years"] == 1
        and len(work) == 1
        and work[0]["kind"] == "serving"
        and "max_accelerators" not in site
        and not site.get("existing")
        and not {"opex_usd_per_year", "capex_usd_by_year"} & set(doc.get("budget", {}))
        and "max_kw_per_rack" not in site  # brute.py fits sites by plain rack units
        and not any(y <= doc["planning"]["start_year"] for y in site.get("power_kw_by_year", {}))
        and not any(y <= doc["planning"]["start_year"] for y in site.get("racks_by_year", {}))
        and not set(options) & LIQUID  # brute.py knows no cooling
        and set(options) <= set(doc["hardware"])  # brute.py rates only the `hardware` list
        and _within_enumeration(doc)
    )


def _within_enumeration(doc: dict) -> bool:
    """Every option serves the demand alone within MAX_UNITS units: beyond that brute.py would miss plans (a case
    found by the property run: Llama 2 7B for 6 M users needs 41 L40S units)."""
    demand, rates = serving_rates(doc, CATALOG, doc["hardware"])
    return all(rate > 0 and math.ceil(demand / rate) < MAX_UNITS for rate in rates.values())


def _check_case(doc: dict, tmp_path: Path) -> None:
    plan = size_case(doc, tmp_path)
    assume(plan is not None)
    event(f"status {plan['status']}")
    policy = doc.get("policy", {})
    for feature, present in [
        ("training", "tune" in doc["workloads"]),
        ("resilience", "resilience_fraction" in policy),
        ("vendor cap", "vendor_max_share" in policy),
        ("budget", "budget" in doc),
        ("brownfield", any(site.get("existing") for site in doc["sites"].values())),
        ("3 sites", len(doc["sites"]) == 3),
        ("multi-year", doc["planning"]["years"] > 1),
        ("costs override", "costs" in doc),
        ("residual none", doc["planning"].get("residual_value") == "none"),
        ("decision date", "decision_date" in doc["planning"]),
        ("life set", "hardware_life_years" in doc["planning"]),
        ("phases", any(s.get("power_kw_by_year") for s in doc["sites"].values())),
        ("max_kw_per_rack", any(s.get("max_kw_per_rack") for s in doc["sites"].values())),
        ("liquid option", bool(set(doc["hardware"]) & LIQUID)),
        ("training rented by the hour", any(a["acquisition"] == "rent_hours" for a in plan.get("allocations", []))),
        ("3-year reservation", any(a["acquisition"] == "reserve_3y" for a in plan.get("allocations", []))),
        ("1-year price", any(s.get("rent_1y_usd_per_accelerator_hour") for s in doc["sites"].values())),
    ]:
        if present:
            event(f"{plan['status']} with {feature}")
    if plan["status"] == "optimal":
        violations = check_plan(doc, CATALOG, plan)
        known = {name for v in violations for name, explains in KNOWN_PLANNER_BUGS.items() if explains(v, plan)}
        for name in sorted(known):
            event(f"known planner bug: {name}")
        violations = [v for v in violations if not any(explains(v, plan) for explains in KNOWN_PLANNER_BUGS.values())]
        assert not violations, "\n".join(map(str, violations)) + "\n" + json.dumps(doc)
        for w in plan["workloads"]:
            for row in w.get("by_year", []):
                met = row["capacity_output_tokens_per_s"] >= row["demand_output_tokens_per_s"] * (1 - 1e-6)
                shown_short = Violation("serving_capacity", f"{w['name']}/{row['year']}", "by_year under-served")
                if not met and _split_counts_hourly_jobs(shown_short, plan):
                    event("known planner bug: serving split counts hourly jobs (by_year)")
                    continue
                assert met, f"optimal plan shows {w['name']} under-served in {row['year']}: {row}"
    if _brute_applies(doc):
        event(f"brute force compared ({plan['status']})")
        best = brute_force(doc, CATALOG, spec_policy=CountrySpec.model_validate(doc), max_units=40)
        if best is None:
            assert plan["status"] == "infeasible", "brute force finds no plan, the planner does"
        else:
            assert plan["status"] == "optimal", f"brute force finds {best}, the planner says {plan['status']}"
            assert plan["totals"]["npv_usd"] == pytest.approx(best["cost"], rel=1e-6), best


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=countries())
@example(doc=GREEDY_SPLIT_CASE)
def test_every_optimal_plan_passes_the_independent_checker(doc, tmp_path_factory):
    _check_case(doc, tmp_path_factory.mktemp("case"))


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=countries())
def test_every_optimal_plan_passes_the_independent_checker_many(doc, tmp_path_factory):
    _check_case(doc, tmp_path_factory.mktemp("case"))


# Found by CI (session 6): the only vendor-cap-compliant plan buys an MI300X server that arrives after 1 January
# (10 weeks from a 1 November decision) beside the L40S server that serves; the brute force had dropped late
# arrivals altogether, though they count in the vendor shares. Hand check: L40S alone (16,571 tok/s) covers the
# 4,108 tok/s demand but is 100 % NVIDIA; with the MI300X the fleet is 8 + 8 accelerators, 50 % each.
LATE_UNIT_VENDOR_CAP_CASE = {
    "country": {"name": "Testland", "iso2": "TL"},
    "planning": {
        "start_year": 2027,
        "years": 1,
        "discount_rate": 0.05,
        "decision_date": "2026-11-01",
        "hardware_life_years": 2,
        "residual_value": "none",
    },
    "languages": {"en": 0.7, "ms": 0.3},
    "hardware": ["mi300x_8x", "l40s_8x"],
    "sites": {
        "a_site": {
            "name": "Site 0",
            "jurisdiction": "TL",
            "kind": "own_dc",
            "power_kw": 25,
            "racks": 1,
            "pue": 1.2,
            "electricity_usd_per_kwh": 0.08,
        }
    },
    "workloads": {
        "chat_0": {
            "kind": "serving",
            "model": "llama_3_1_8b",
            "users": 100000.0,
            "requests_per_user_per_day": 5,
            "input_tokens_per_request": 400,
            "output_tokens_per_request": 200,
            "peak_factor": 3,
        }
    },
    "data_locality": {"public": {}},
    "solver": {"time_limit_s": 30},
    "costs": {"fabric_infiniband": {"capex_usd_per_accelerator": 9000}},
    "policy": {"vendor_max_share": 0.5, "allow_legal_risk": False},
}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=countries().map(_small))
@example(doc=LATE_UNIT_VENDOR_CAP_CASE)
def test_small_cases_match_the_brute_force_optimum(doc, tmp_path_factory):
    assume(_brute_applies(doc))
    _check_case(doc, tmp_path_factory.mktemp("small"))
