"""Shadow prices: the relaxed LP's duals equal the ones solved by hand for a buy-or-rent case.

The own site can host only part of the demand (its power binds); the rest is rented in a cloud region
at a higher cost per token. By hand: the demand price is the cloud's cost per token/s, and a kW at the
site is worth what the bought unit saves against renting, per kW.
"""

from __future__ import annotations

import pytest

from planner.pipeline import load_spec
from planner.sizing.data import build_problem_data
from planner.sizing.model import build_model
from planner.sizing.prices import shadow_prices
from planner.sizing.solve import make_solver, solve
from tests.brute import serving_rates, unit_npv
from tests.conftest import tiny_country, write_yaml


def test_power_and_demand_prices_match_hand_solved_duals(catalog, tmp_path):
    doc = tiny_country(hardware=["hgx_h100"])
    doc["workloads"]["chat"]["users"] = 2_000_000
    doc["sites"]["cloud"] = {
        "name": "Sovereign cloud",
        "jurisdiction": "TL",
        "kind": "sovereign_cloud",
        "rent_usd_per_accelerator_hour": {"hgx_h100": 9.0},
    }
    demand, rates = serving_rates(doc, catalog, ["hgx_h100"])
    rate = rates["hgx_h100"]
    buy = unit_npv(doc, catalog, "main_dc", "hgx_h100")  # capex + opex - value kept at the end (one year)
    rent = unit_npv(doc, catalog, "cloud", "hgx_h100")
    kw = catalog.hardware["hgx_h100"].power_kw_per_unit * 1.4
    assert buy < rent, "buying must be the cheaper way for the power limit to be worth anything"
    doc["sites"]["main_dc"]["power_kw"] = 0.5 * demand / rate * kw  # half the demand fits at home

    y_demand = rent / rate  # the marginal token/s is rented
    y_power = (y_demand * rate - buy) / kw  # a kW more lets one unit move from rent to buy, per kW

    loaded = load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog)
    data = build_problem_data(loaded.spec, catalog)
    built = build_model(data)
    solve(built.problem, make_solver("highs", time_limit_s=30, mip_gap=0))
    prices = shadow_prices(data, built)
    assert prices["demand_coverage__chat__2027"] == pytest.approx(y_demand, rel=1e-6)
    assert prices["site_power__main_dc__2027"] == pytest.approx(-y_power, rel=1e-6)


def test_a_whole_rack_no_site_can_cool_is_not_priced_beyond_what_it_saves(catalog, tmp_path, monkeypatch):
    """A new user saw "liquid cooling ... for NVIDIA Vera Rubin NVL72 would save $6.5 M per unit" on a plan costing
    $2 M: the LP dual stretched over a whole rack. With one whole rack allowed (bought in whole units, the rest as in
    the LP) nothing is saved when a rack costs more than the whole plan, so the price is 0; and no whole-unit price
    may exceed the plan's NPV."""
    doc = tiny_country(hardware=["hgx_h100", "gb200_nvl72"])  # the site has air cooling only
    doc["planning"]["start_year"] = 2028  # the rack can be delivered: the LP would buy a fraction of one
    loaded = load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog)
    data = build_problem_data(loaded.spec, catalog)
    built = build_model(data)
    solve(built.problem, make_solver("highs", time_limit_s=30, mip_gap=0))
    npv = built.npv.value()
    rack = catalog.hardware["gb200_nvl72"]
    assert rack.price_usd_per_unit > npv, "the check needs a rack dearer than the whole plan"
    from planner.sizing import prices as module

    monkeypatch.setattr(module, "WHOLE_UNIT_CHECKS", 0)
    dual = shadow_prices(data, built)["facility_cooling__main_dc__gb200_nvl72"]
    assert dual < -1_000.0, "the LP dual alone prices the rack (a fraction of it replaces H100 servers)"
    monkeypatch.undo()
    prices = shadow_prices(data, built)
    assert prices["facility_cooling__main_dc__gb200_nvl72"] == 0.0
    whole = [n for n in prices if n.startswith(("facility_cooling", "lead_time", "export_availability"))]
    assert all(abs(prices[n]) <= npv for n in whole)
