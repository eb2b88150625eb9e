"""The smallest platform team (catalog staff_platform: min_fte 8, from the 8-12 FTE a stand-alone system with 24x7
operations needs, cost_staff_hpc): a country's bought fleet pays at least that team in every year it has a unit in
service, whatever its size; the per-unit count (1 FTE per 100 units) counts above it. Hand calculations, the
enumeration and the independent checker."""

from __future__ import annotations

import pytest

from planner.pipeline import load_spec, size
from tests.brute import brute_force
from tests.conftest import tiny_country, write_yaml
from tests.independent_checker import check_plan
from tests.test_plan_checker_cases import H100_OPEX_PUE14, USERS_PER_UNIT, _chat, _country, _site
from tests.test_plan_property import CATALOG, size_case

SALARY = {"staff_usd_per_fte_year": 60_000}
FACILITY_FTE = 2.0 * 10.2 / 1000  # staff_facility: 2 FTE per MW of an HGX H100's 10.2 kW (own data centres)


def _four_units(sites: dict, **extra) -> dict:
    """3.5 units of demand: 4 HGX H100 (hand cases of tests/test_plan_checker_cases.py)."""
    return _country(sites, {"chat": _chat(round(3.5 * USERS_PER_UNIT))}, costs=extra.pop("costs", {}), **extra)


def test_a_small_fleet_pays_the_whole_team_once_for_two_sites_in_one_country(tmp_path):
    """TL site `a` holds 2 units (30 kW at PUE 1.4: 14.28 kW a unit), `b` the rest: two sites, one team.
    Platform staff: 4 units x 1/100 = 0.04 FTE, below 8: 7.96 FTE more. Facility staff (no floor):
    4 x 0.0204 = 0.0816 FTE. Staff = (0.0816 + 0.04 + 7.96) x $60,000 = $484,896."""
    sites = {"a": _site("TL", 30, electricity=0.05), "b": _site("TL", 1000)}
    doc = _four_units(sites, costs={"staff_facility": SALARY, "staff_platform": SALARY})
    plan = size_case(doc, tmp_path)
    assert plan["status"] == "optimal"
    assert sorted((a["site"], a["units"]) for a in plan["allocations"]) == [("a", 2), ("b", 2)]
    year = plan["costs_by_year"][0]
    assert year["staff_fte"] == pytest.approx(4 * FACILITY_FTE + 0.04 + 7.96)
    assert year["opex_lines_usd"]["staff"] == pytest.approx((4 * FACILITY_FTE + 8.0) * 60_000)
    assert check_plan(doc, CATALOG, plan) == []


def test_a_team_per_country_moves_a_small_fleet_into_one_country(tmp_path):
    """TL holds 2 units at half the electricity price; SG holds all 4. Without a team the two cheaper TL units
    win (each saves 10.2 kW x 1.4 x 8,760 h x 0.7 x $0.05 = $4,378.82 a year); with one, a second country's team
    costs 7.98 FTE x $60,000 = $478,800 more, so all 4 go to SG (the enumeration agrees)."""
    sites = {"home": _site("TL", 30, electricity=0.05), "sg": _site("SG", 1000)}
    no_team = {"staff_facility": SALARY, "staff_platform": {**SALARY, "min_fte": 0}}
    split = size_case(_four_units(sites, costs=no_team), tmp_path)
    assert sorted((a["site"], a["units"]) for a in split["allocations"]) == [("home", 2), ("sg", 2)]
    doc = _four_units(sites, costs={"staff_facility": SALARY, "staff_platform": SALARY})
    plan = size_case(doc, tmp_path)
    assert [(a["site"], a["units"]) for a in plan["allocations"]] == [("sg", 4)]
    loaded = load_spec(write_yaml(tmp_path / "c.yaml", doc), CATALOG)  # the enumeration reads the rules from it
    expected = brute_force(doc, CATALOG, loaded.spec)
    assert expected["units"] == {("sg", "hgx_h100"): 4}
    assert plan["totals"]["npv_usd"] == pytest.approx(expected["cost"], rel=1e-9)
    # all at SG: the split plan's cost, the two TL units' cheaper power given up, and one team of 7.96 FTE added;
    # the split plan itself would pay two teams of 7.98
    energy_saved = 2 * 10.2 * 1.4 * 8760 * 0.7 * 0.05
    assert plan["totals"]["npv_usd"] == pytest.approx(split["totals"]["npv_usd"] + energy_saved + 7.96 * 60_000)
    assert split["totals"]["npv_usd"] + 2 * 7.98 * 60_000 > plan["totals"]["npv_usd"]
    assert check_plan(doc, CATALOG, plan) == []


def test_a_fleet_above_the_team_pays_its_per_unit_count_only(tmp_path):
    """With the smallest team at 0.03 FTE, 4 units count 0.04: no engineer is added."""
    doc = _four_units({"main": _site("TL", 2000)}, costs={"staff_platform": {**SALARY, "min_fte": 0.03}})
    plan = size_case(doc, tmp_path)
    assert plan["costs_by_year"][0]["opex_lines_usd"]["staff"] == pytest.approx(4 * (FACILITY_FTE + 0.01) * 60_000)
    assert check_plan(doc, CATALOG, plan) == []


def test_no_salary_no_team(tmp_path):
    """Testland has no country facts: staff are not costed, so no team is paid either."""
    doc = _four_units({"main": _site("TL", 2000)})
    plan = size(load_spec(write_yaml(tmp_path / "tl.yaml", doc), CATALOG), CATALOG)
    assert plan.costs_by_year[0].opex_lines_usd.get("staff", 0.0) == 0.0
    assert plan.costs_by_year[0].staff_fte == 0.0


def test_the_team_is_paid_the_whole_first_year_though_the_servers_work_from_q3(tmp_path):
    """Decided on 1 March 2027, 5 servers at a Malaysian colocation hall work from 1 July (as in
    tests/test_quarters_money.py). The team is hired before they arrive, to install and accept them: 2027 pays
    8 FTE less the per-unit count of half a year (5 x 1/100 x 1/2 = 0.025) on top of it, i.e. 8 FTE in all at
    the Malaysian salary ($48,000), and 2028 8 FTE (0.05 counted + 7.95 added)."""
    doc = tiny_country(hardware=["hgx_h100"])
    doc["workloads"]["chat"].update(users=2_500_000, go_live="2027-07-01")
    doc["planning"].update(decision_date="2027-03-01", years=2)
    doc["country"]["iso2"] = "MY"
    doc["sites"]["main_dc"].update(jurisdiction="MY", kind="colocation", power_kw=20000, racks=400)
    plan = size(load_spec(write_yaml(tmp_path / "q3.yaml", doc), CATALOG), CATALOG)
    assert [(a.units, a.in_service_from) for a in plan.allocations] == [(5, "2027-07-01")]
    first, second = plan.costs_by_year
    assert first.opex_lines_usd["staff"] == pytest.approx(8 * 48_000)
    assert second.opex_lines_usd["staff"] == pytest.approx(8 * 48_000)
    assert (first.staff_fte, second.staff_fte) == (pytest.approx(8.0), pytest.approx(8.0))
    assert check_plan(doc, CATALOG, plan.as_dict()) == []


def test_the_team_needs_no_purchase_a_brownfield_fleet_pays_it_too(tmp_path):
    """Two brownfield HGX H100 at a TL site cover the demand: nothing is bought, and the team is still paid:
    platform 2 x 1/100 counted, 7.98 added; facility 2 x 0.0204."""
    doc = _country(
        {"main": {**_site("TL", 2000), "existing": [{"hardware": "hgx_h100", "units": 2, "installed_year": 2026}]}},
        {"chat": _chat(round(1.5 * USERS_PER_UNIT))},
        costs={"staff_facility": SALARY, "staff_platform": SALARY},
    )
    plan = size_case(doc, tmp_path)
    assert plan["status"] == "optimal" and plan["allocations"] == []
    assert plan["costs_by_year"][0]["opex_lines_usd"]["staff"] == pytest.approx((2 * FACILITY_FTE + 8.0) * 60_000)
    assert H100_OPEX_PUE14 > 0  # the per-unit lines are those of the hand cases
    assert check_plan(doc, CATALOG, plan) == []


def test_the_team_switch_holds_no_site_below_its_power(tmp_path):
    """Review: the switch's big-M was 100,000 units a site, so a 2 GW site asked for 120,000 HGX H100 read
    infeasible with a team (optimal without). The bound is now the site's own power and space, and a diagnosis
    that may exceed them leaves the teams out (a 10 MW site asked for 150,000 units needs 2,132 MW more)."""
    big = {**_site("TL", 2_000_000), "racks": 1_000_000}
    doc = _country({"main": big}, {"chat": _chat(round(120_000 * USERS_PER_UNIT))}, costs={"staff_platform": SALARY})
    plan = size_case(doc, tmp_path)
    assert plan["status"] == "optimal" and [a["units"] for a in plan["allocations"]] == [120_000]
    small = {**_site("TL", 10_000), "racks": 1_000_000}
    doc = _country({"main": small}, {"chat": _chat(round(150_000 * USERS_PER_UNIT))}, costs={"staff_platform": SALARY})
    plan = size_case(doc, tmp_path)
    power = [s for s in plan["diagnosis"]["shortfalls"] if s["family"] == "site_power"]
    assert plan["status"] == "infeasible" and power and power[0]["amount"] == pytest.approx(2_132_000, rel=1e-3)
