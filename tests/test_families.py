"""Each sovereignty and planning family changes the plan as it should.

Every case is solved twice by the planner (with and without the rule) and once by brute force with
the rule; the planner must match the brute force, and removing the rule must never cost more.
"""

from __future__ import annotations

import copy

import pytest

from planner.pipeline import load_spec, size
from tests.brute import brute_force
from tests.conftest import tiny_country, write_yaml


def _site(jurisdiction="TL", kind="own_dc", power_kw=2000, electricity=0.10, pue=1.4):
    return {
        "name": f"Site in {jurisdiction}",
        "jurisdiction": jurisdiction,
        "kind": kind,
        "power_kw": power_kw,
        "racks": 40,
        "pue": pue,
        "electricity_usd_per_kwh": electricity,
    }


def _base(hardware=("hgx_h100", "mi300x_8x", "atlas_800i_a2"), users=1_500_000) -> dict:
    doc = tiny_country(hardware=list(hardware))
    doc["workloads"]["chat"]["users"] = users
    doc["sites"] = {"home_dc": _site()}
    return doc


def _plan(doc, catalog, tmp_path, name="c.yaml"):
    loaded = load_spec(write_yaml(tmp_path / name, doc), catalog)
    return loaded, size(loaded, catalog).as_dict()


def _units(plan) -> dict:
    out = {}
    for a in plan["allocations"]:
        out[a["site"], a["hardware"]] = out.get((a["site"], a["hardware"]), 0) + a["units"]
    return out


def _check(doc, catalog, tmp_path):
    """Solve with the rule; compare with brute force; return (plan, plan without rule)."""
    loaded, plan = _plan(doc, catalog, tmp_path)
    expected = brute_force(doc, catalog, loaded.spec)
    assert plan["status"] == "optimal"
    assert plan["totals"]["npv_usd"] == pytest.approx(expected["cost"], rel=1e-6)
    assert _units(plan) == expected["units"]
    return plan


def test_data_residency_keeps_sensitive_serving_at_home(catalog, tmp_path):
    doc = _base(hardware=("hgx_h100", "mi300x_8x"))
    doc["sites"]["abroad_dc"] = _site("SG", electricity=0.02, pue=1.1)  # far cheaper to run
    doc["costs"] = {"staff_platform": {"min_fte": 0}}  # no team abroad to weigh against the power bill
    doc["data_locality"] = {"sensitive": {"jurisdictions": ["TL"]}}
    free = copy.deepcopy(doc)
    doc["workloads"]["chat"]["data_class"] = "sensitive"
    ruled = _check(doc, catalog, tmp_path)
    unruled = _check(free, catalog, tmp_path)
    assert {s for s, _ in _units(ruled)} == {"home_dc"}
    assert {s for s, _ in _units(unruled)} == {"abroad_dc"}
    assert unruled["totals"]["npv_usd"] < ruled["totals"]["npv_usd"]


def test_export_rules_and_policy_remove_hardware(catalog, tmp_path):
    doc = _base()
    free = _check(copy.deepcopy(doc), catalog, tmp_path)
    doc["policy"] = {"allow_legal_risk": False}  # Ascend abroad carries US legal risk from 2025-05-13
    ruled = _check(doc, catalog, tmp_path)
    assert all(h != "atlas_800i_a2" for _, h in _units(ruled))
    assert free["totals"]["npv_usd"] <= ruled["totals"]["npv_usd"] * (1 + 1e-9)


def test_prohibited_hardware_is_never_bought(catalog, tmp_path):
    doc = _base(hardware=("hgx_h100", "atlas_800i_a2"), users=500_000)
    doc["country"]["iso2"] = "CN"
    doc["sites"]["home_dc"]["jurisdiction"] = "CN"  # H100 is prohibited for China
    plan = _check(doc, catalog, tmp_path)
    assert set(_units(plan)) == {("home_dc", "atlas_800i_a2")}
    assert all(a["export_status"] != "prohibited" for a in plan["allocations"])


def test_vendor_cap_splits_purchases(catalog, tmp_path):
    doc = _base(hardware=("hgx_h100", "mi300x_8x"))
    free = _check(copy.deepcopy(doc), catalog, tmp_path)
    doc["policy"] = {"vendor_max_share": 0.5}
    ruled = _check(doc, catalog, tmp_path)
    chips = _chips_by_vendor(ruled, catalog)
    assert max(chips.values()) <= 0.5 * sum(chips.values())
    if max(_chips_by_vendor(free, catalog).values()) > 0.5 * sum(chips.values()):
        assert ruled["totals"]["npv_usd"] > free["totals"]["npv_usd"]


def _chips_by_vendor(plan, catalog) -> dict:
    out: dict = {}
    for (_, h), n in _units(plan).items():
        vendor = catalog.hardware[h].vendor
        out[vendor] = out.get(vendor, 0) + n * catalog.hardware[h].chips_per_unit
    return out


def test_allowed_vendors_and_allied_share(catalog, tmp_path):
    doc = _base(users=800_000)
    doc["policy"] = {"allowed_vendors": ["huawei"]}
    only = _check(doc, catalog, tmp_path)
    assert {h for _, h in _units(only)} == {"atlas_800i_a2"}
    doc["policy"] = {"min_allied_share": 0.5, "allied_origins": ["CN"]}
    allied = _check(doc, catalog, tmp_path)
    chips = {h: n * catalog.hardware[h].chips_per_unit for (_, h), n in _units(allied).items()}
    assert chips.get("atlas_800i_a2", 0) >= 0.5 * sum(chips.values())


def test_lead_time_keeps_slow_hardware_out_of_the_first_year(catalog, tmp_path):
    doc = _base(hardware=("hgx_h100", "mi300x_8x"))
    doc["planning"]["decision_weeks_before_start"] = 11  # H100 takes 12 weeks, MI300X 10 (catalog)
    assert catalog.hardware["hgx_h100"].lead_time_weeks > 11 >= catalog.hardware["mi300x_8x"].lead_time_weeks
    plan = _check(doc, catalog, tmp_path)
    assert {h for _, h in _units(plan)} == {"mi300x_8x"}


def test_resilience_spreads_serving_over_sites(catalog, tmp_path):
    doc = _base(hardware=("mi300x_8x",))
    doc["sites"]["second_dc"] = _site(electricity=0.12)
    free = _check(copy.deepcopy(doc), catalog, tmp_path)
    assert len({s for s, _ in _units(free)}) == 1
    doc["policy"] = {"resilience_fraction": 0.6}
    ruled = _check(doc, catalog, tmp_path)
    assert len({s for s, _ in _units(ruled)}) == 2
    assert ruled["totals"]["npv_usd"] > free["totals"]["npv_usd"]


def test_rent_in_a_sovereign_cloud_when_cheaper(catalog, tmp_path):
    doc = _base(hardware=("hgx_h100",))
    doc["sites"]["gov_cloud"] = {
        "name": "Sovereign cloud region",
        "jurisdiction": "TL",
        "kind": "sovereign_cloud",
        "rent_usd_per_accelerator_hour": {"hgx_h100": 2.0},
        "max_accelerators": 1000,
    }
    plan = _check(doc, catalog, tmp_path)
    rented = [a for a in plan["allocations"] if a["acquisition"] == "rent"]
    assert rented and all(a["capex_usd"] == 0 for a in rented)
    doc["sites"]["gov_cloud"]["rent_usd_per_accelerator_hour"]["hgx_h100"] = 9.0  # too dear: buy instead
    assert all(s == "home_dc" for s, _ in _units(_check(doc, catalog, tmp_path)))


def test_rule_costs_price_each_rule_by_solving_without_it(catalog, tmp_path):
    from planner.rulecost import rule_costs

    doc = _base(hardware=("hgx_h100", "mi300x_8x"))
    doc["sites"]["abroad_dc"] = _site("SG", electricity=0.02, pue=1.1)
    doc["data_locality"] = {"sensitive": {"jurisdictions": ["TL"]}}
    free = copy.deepcopy(doc)
    doc["workloads"]["chat"]["data_class"] = "sensitive"
    doc["policy"] = {"vendor_max_share": 0.5}
    loaded, _ = _plan(doc, catalog, tmp_path)
    costs = {r["rule"]: r for r in rule_costs(loaded, catalog, size(loaded, catalog))}
    assert set(costs) == {"data_residency", "vendor_cap"}
    # independently: brute force with the residency rule, and without it (vendor cap kept)
    free["policy"] = {"vendor_max_share": 0.5}
    with_rule = brute_force(doc, catalog, loaded.spec)["cost"]
    without = brute_force(free, catalog, loaded.spec)["cost"]
    assert costs["data_residency"]["cost_usd"] == pytest.approx(with_rule - without, rel=1e-6, abs=1.0)
    assert all(r["cost_usd"] >= -1e-6 for r in costs.values())


def test_units_that_do_no_work_are_flagged_and_hardware_that_cannot_work_does_not_dilute(catalog, tmp_path):
    """Under a 70 % vendor cap, an fp8 service only AMD can run (the Atlas box has no FP8 units). With a small bf16
    service the Atlas could run as well, the cheapest plan meets the cap with Atlas units that serve nothing, and
    the plan says so; without it, the Atlas counts for nothing and the cap cannot be met."""
    doc = _base(hardware=("mi300x_8x", "atlas_800i_a2"), users=3_000_000)
    doc["workloads"]["chat"]["precision"] = "fp8"
    doc["policy"] = {"vendor_max_share": 0.7}
    doc["workloads"]["small"] = {**doc["workloads"]["chat"], "precision": "bf16", "users": 1000}
    _, plan = _plan(doc, catalog, tmp_path)
    units = _units(plan)
    assert plan["status"] == "optimal" and units[("home_dc", "atlas_800i_a2")] > 0
    chips = _chips_by_vendor(plan, catalog)
    assert chips["amd"] <= 0.7 * sum(chips.values())
    (idle,) = [r for r in plan["risks"] if r["kind"] == "idle"]
    assert idle["hardware"] == "atlas_800i_a2" and idle["units"] == units[("home_dc", "atlas_800i_a2")]
    assert "neither serve nor train" in idle["message"] and "policy.vendor_max_share" in idle["message"]
    # and the executive summary says so beside the purchase, not only the risk register
    from planner.report.context import _summary

    loaded = load_spec(write_yaml(tmp_path / "again.yaml", doc), catalog)
    typed = size(loaded, catalog)
    (what,) = [g["items"] for g in _summary(typed.as_dict(), typed.names) if g["label"] == "What to acquire"]
    assert [("idle" in item) for item in what].count(True) == 1
    # an option, or a scenario compared, whose shares are kept so says it beside its largest vendor's share
    from planner.comparison import comparison
    from planner.report.proposal import _option_risk
    from planner.report.whatif import comparison_context

    result = comparison({"capped": typed}, {})
    (entry,) = result["scenarios"]
    assert [r["hardware"] for r in entry["vendor_share_risks"]] == ["atlas_800i_a2"]
    assert "do little or no work (Huawei Atlas 800I A2)" in _option_risk(entry, typed.names)
    (said,) = comparison_context(result)["share_risks"]
    assert said["name"] == "capped" and "neither serve nor train" in said["messages"][0]
    del doc["workloads"]["small"]
    _, alone = _plan(doc, catalog, tmp_path, "alone.yaml")
    assert alone["status"] == "infeasible"
    assert {s["family"] for s in alone["diagnosis"]["shortfalls"]} == {"vendor_cap"}


def test_units_bought_a_year_before_they_work_are_flagged_for_the_years_they_do_nothing(catalog, tmp_path):
    """New-user trial (Vietnam): under a 60 % vendor cap, a cloud rents H200 for the whole first year and the
    MI300X bought for that year arrive in Q2 and serve nothing until the next: the plan meets the cap in 2027
    with units that do no work then, and says so for that year (before, only units idle in every year were
    flagged)."""
    doc = _base(hardware=("hgx_h200", "mi300x_8x"), users=2_000_000)
    doc["planning"].update(years=2, decision_date="2026-12-15")
    doc["policy"] = {"vendor_max_share": 0.6}
    doc["workloads"]["chat"].update(model="llama_3_1_70b", precision="fp8", growth_per_year=0.4)
    doc["sites"]["cloud"] = {
        "name": "Cloud",
        "jurisdiction": "TL",
        "kind": "sovereign_cloud",
        "rent_usd_per_accelerator_hour": {"hgx_h200": 4.0},
        "rent_1y_usd_per_accelerator_hour": {"hgx_h200": 2.8},
    }
    _, plan = _plan(doc, catalog, tmp_path)
    assert plan["status"] == "optimal"
    worked = {(p["site"], p["hardware"], p["year"]) for w in plan["workloads"] for p in w.get("placements") or []}
    bought = [a for a in plan["allocations"] if a["acquisition"] == "buy" and a["hardware"] == "mi300x_8x"]
    idle_then = [a for a in bought if (a["site"], a["hardware"], a["year"]) not in worked]
    assert idle_then, "the case buys MI300X a year before they work"
    flagged = [r for r in plan["risks"] if r["kind"] == "idle"]
    assert [(r["hardware"], r["years"]) for r in flagged] == [("mi300x_8x", [idle_then[0]["year"]])]
    assert "do no work" in flagged[0]["message"] and "in any year" not in flagged[0]["message"]


def test_rows_about_hardware_the_country_cannot_have_anyway_are_not_listed(catalog, tmp_path):
    """New-user trial (Indonesia): the rules that shape the plan led with access to China-market SKUs (H20, H800)
    and, in an Ascend-only plan, liquid cooling for an NVIDIA rack: relaxing those rows alone changes nothing."""
    from planner.sizing.data import build_problem_data
    from planner.sizing.extract import _out_of_reach

    doc = _base(hardware=("hgx_h100", "hgx_h20", "atlas_800i_a2"))
    doc["policy"] = {"allowed_vendors": ["huawei"]}
    loaded, _ = _plan(doc, catalog, tmp_path)
    data = build_problem_data(loaded.spec, catalog)
    assert _out_of_reach(data, "export_availability", ("home_dc", "hgx_h20", "2027"))  # sold only in China
    # trial (Vietnam): a row named by a group of sites, not a site, about a China-only SKU
    assert _out_of_reach(data, "delivery_capacity", ("group0", "hgx_h20", "2027", "q1"))
    assert not _out_of_reach(data, "delivery_capacity", ("group0", "atlas_800i_a2", "2027", "q1"))
    assert _out_of_reach(data, "facility_cooling", ("home_dc", "hgx_h100"))  # a vendor the policy excludes
    assert not _out_of_reach(data, "vendor_allowed", ("hgx_h100",))  # the rule that excludes it is listed
    assert not _out_of_reach(data, "site_power", ("home_dc", "2027"))


def test_hardware_serving_far_less_than_its_share_of_accelerators_is_flagged():
    """Trial (Egypt): a 60 % vendor cap met with inference boxes 9 % of the accelerators that served 0.02 % of the
    tokens read "the vendor cap holds"; such hardware is now a risk, with its worst year. By hand: 2028 holds
    64 + 8 accelerators; the box serves 20 of 100,020 tokens/s (0.02 %) with 8 of 72 (11 %)."""
    from types import SimpleNamespace

    from planner.sizing.extract import diluting_risks

    policy = SimpleNamespace(vendor_max_share=0.6, min_allied_share=None, vendor_share_basis="accelerators")
    data = SimpleNamespace(
        spec=SimpleNamespace(policy=policy), years=[2028], in_service=lambda b, y, h=None: b <= y < b + 5
    )
    allocs = [
        {"site": "a", "hardware": "gpu", "year": 2028, "acquisition": "buy", "units": 8, "accelerators": 64},
        {"site": "a", "hardware": "box", "year": 2028, "acquisition": "buy", "units": 1, "accelerators": 8},
    ]
    workloads = [
        {
            "placements": [
                {"hardware": "gpu", "year": 2028, "output_tokens_per_s": 100_000.0},
                {"hardware": "box", "year": 2028, "output_tokens_per_s": 20.0},
            ]
        }
    ]
    fleet = [{"year": 2028, "hardware": a["hardware"], "accelerators": a["accelerators"]} for a in allocs]
    (risk,) = diluting_risks(data, allocs, workloads, fleet)
    assert risk["hardware"] == "box" and risk["years"] == [2028] and risk["kind"] == "diluting"
    # the register says what such units do (they serve, a little), not the idle units' "do no work"
    from planner.report.risks import risk_register

    (row,) = risk_register({"allocations": allocs, "policy": {}}, None, [risk])
    assert row["kind_label"] == "hardware that serves little" and "serve little" in row["response"]
    assert "idle" not in row["mitigation"] and "no work" not in row["response"]
    assert "is 11% of the accelerators in service in 2028 but serves 0.02% of the output tokens" in risk["message"]
    workloads[0]["placements"][1]["output_tokens_per_s"] = 20_000.0  # 17 % of the tokens: it does its share
    assert diluting_risks(data, allocs, workloads, fleet) == []


def test_units_that_only_stand_by_under_a_resilience_rule_are_their_own_risk():
    """Review (session 13): units that could serve but never do, under a resilience rule, stand by for it and count
    towards the vendor shares; their register row says so instead of the idle units' "do no work"."""
    from types import SimpleNamespace

    from planner.report.risks import risk_register
    from planner.sizing.extract import idle_risks

    policy = SimpleNamespace(vendor_max_share=0.6, min_allied_share=None, resilience_fraction=0.5)
    need = SimpleNamespace(usable_tokens_per_s_per_unit={"gpu": 1000.0, "box": 50.0})
    data = SimpleNamespace(
        spec=SimpleNamespace(policy=policy),
        serving=[need],
        years=[2028],
        in_service=lambda b, y, h=None: b <= y < b + 5,
        is_cloud=lambda s: False,
    )
    allocs = [
        {"site": "a", "hardware": "gpu", "year": 2028, "acquisition": "buy", "units": 8, "accelerators": 64},
        {"site": "b", "hardware": "box", "year": 2028, "acquisition": "buy", "units": 3, "accelerators": 24},
    ]
    workloads = [{"placements": [{"site": "a", "hardware": "gpu", "year": 2028, "output_tokens_per_s": 1e5}]}]
    (risk,) = idle_risks(data, allocs, workloads)
    assert risk["kind"] == "standby" and risk["hardware"] == "box" and risk["units"] == 3
    assert "stand by for resilience" in risk["message"]
    (row,) = risk_register({"allocations": allocs, "policy": {}}, None, [risk])
    assert row["kind_label"] == "standby hardware" and "resilience rule" in row["response"]
