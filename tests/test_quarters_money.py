"""The money side of quarters, each figure by hand from the catalog.

Catalog figures used (catalogs/hardware/nvidia.yaml, catalogs/costs.yaml, the Malaysia country entry): an H100
server (8 GPUs) lists at $280,000 as of 2024, falling 10 % a year ($204,120 in 2027), draws 10.2 kW, costs 8 % of
its list price a year to maintain ($22,400), takes 12 weeks to arrive and lives 5 years; InfiniBand fabric is
$4,250 per GPU; NVIDIA AI Enterprise $4,500 per GPU-year ($36,000 a server); platform staff 1 FTE per 100 units
at Malaysia's $48,000 a year ($480 a server); colocation in Malaysia $95 per kW-month ($11,628 a server-year).
At PUE 1.4, $0.10/kWh and the default 70 % average load a server's energy is 10.2 × 1.4 × 8,760 × 0.7 × 0.1 =
$8,756.496 a year. The `chat` workload of 2.5 M users needs 5 servers (tests/test_quarters.py).
"""

from __future__ import annotations

import pytest
from conftest import tiny_country, write_yaml

from planner.pipeline import load_spec, size
from tests.brute import unit_cost
from tests.independent_checker import check_plan

H100 = "hgx_h100"
ENERGY = 10.2 * 1.4 * 8760 * 0.7 * 0.1
# maintenance is 8 % of the price paid: $204,120 for an H100 bought for 2027 ($280,000 quoted in 2024, less 10 % a year)
YEAR_LINES = {"energy": ENERGY, "maintenance": 0.08 * 204_120, "licences": 4500 * 8, "staff": 48_000 / 100}
COLOCATION = 95 * 12 * 10.2
Q3_Q4_HOURS = (31 + 31 + 30 + 31 + 30 + 31) * 24  # 1 July to 31 December 2027: 184 days


def _plan(doc, catalog, tmp_path, name="c.yaml"):
    return size(load_spec(write_yaml(tmp_path / name, doc), catalog), catalog)


def _serving_from_q3(**planning) -> dict:
    doc = tiny_country(hardware=[H100])
    doc["workloads"]["chat"].update(users=2_500_000, go_live="2027-07-01")
    doc["planning"].update(planning)
    return doc


def _cloud(on_demand: float, **more) -> dict:
    return {
        "name": "Sovereign cloud",
        "jurisdiction": "TL",
        "kind": "sovereign_cloud",
        "rent_usd_per_accelerator_hour": {H100: on_demand},
        **more,
    }


def test_a_unit_working_from_q3_pays_half_a_year_of_every_opex_line(catalog, tmp_path):
    """Decided on 1 March 2027, the servers arrive on 24 May and work from 1 July: in 2027 each pays half a year
    of energy, maintenance, licences, staff and colocation ($73,194.10 a year, $36,597.05 in 2027); in 2028 a
    whole year. Life counts from 1 January 2027, the year they are bought for: at the end of 2028 they keep 3/5
    of their hardware and fabric price (2 of 5 years used, $142,872 a server)."""
    doc = _serving_from_q3(decision_date="2027-03-01", years=2)
    doc["country"]["iso2"] = "MY"
    doc["sites"]["main_dc"].update(jurisdiction="MY", kind="colocation", power_kw=20000, racks=400)
    doc["costs"] = {"staff_platform": {"min_fte": 0}}  # the per-unit lines only (the smallest team: test_staff_team)
    plan = _plan(doc, catalog, tmp_path)
    assert plan.status == "optimal"
    (buy,) = plan.allocations
    assert (buy.units, buy.in_service_from) == (5, "2027-07-01")
    year = {**YEAR_LINES, "colocation": COLOCATION}
    assert sum(year.values()) == pytest.approx(73_194.096, rel=1e-12)
    assert buy.opex_usd_per_year == pytest.approx(5 * 73_194.096, rel=1e-9)
    assert buy.first_year_opex_usd == pytest.approx(5 * 36_597.048, rel=1e-9)
    first, second = plan.costs_by_year
    for line, usd in year.items():
        assert first.opex_lines_usd[line] == pytest.approx(5 * usd / 2, rel=1e-9), line
        assert second.opex_lines_usd[line] == pytest.approx(5 * usd, rel=1e-9), line
    assert plan.totals.residual_value_usd == pytest.approx(5 * (204_120 + 34_000) * 3 / 5, rel=1e-9)
    # the enumeration's hand cost model agrees: two working quarters of four
    _, half, _ = unit_cost(doc, catalog, "main_dc", H100, quarters=2)
    assert half == pytest.approx(36_597.048, rel=1e-9)
    assert check_plan(doc, catalog, plan.as_dict()) == []


def test_serving_rented_from_its_go_live_pays_two_quarters_of_on_demand_rent(catalog, tmp_path):
    """Only a cloud region, $3.20 per GPU-hour on demand; the service opens on 1 July 2027. 5 servers × 8 GPUs ×
    $3.20 × 4,416 h (Q3 + Q4) = $565,248, not a year's $1,121,280."""
    doc = _serving_from_q3()
    doc["sites"] = {"cloud": _cloud(3.2)}
    plan = _plan(doc, catalog, tmp_path)
    assert plan.status == "optimal"
    (rent,) = plan.allocations
    assert (rent.acquisition, rent.units, rent.quarters) == ("rent", 5, [3, 4])
    assert Q3_Q4_HOURS == 4416
    assert rent.opex_usd_per_year == pytest.approx(5 * 8 * 3.2 * 4416, rel=1e-9) == pytest.approx(565_248)
    assert plan.costs_by_year[0].opex_lines_usd["rent"] == pytest.approx(565_248, rel=1e-9)
    assert plan.totals.npv_usd == pytest.approx(565_248, rel=1e-9)  # discount rate 0, nothing else is paid
    assert check_plan(doc, catalog, plan.as_dict()) == []
    from planner.summary import summary_text

    text = summary_text(plan)
    assert "on demand Q3–Q4" in text and "$565 k for Q3–Q4" in text and "rent 1 yr" not in text


def test_two_quarters_on_demand_flip_to_a_one_year_reservation_at_the_break_even(catalog, tmp_path):
    """A one-year reservation is billed for the whole year: it wins when 8,760 h × its price is below 4,416 h × the
    on-demand price, i.e. below $3.20 × 184 / 365 = $1.6132 per GPU-hour. At $1.55 the plan reserves the year
    (5 × 8 × $1.55 × 8,760 = $543,120); at $1.70 it rents Q3 and Q4 on demand ($565,248)."""
    break_even = 3.2 * 4416 / 8760
    assert break_even == pytest.approx(1.61315, abs=1e-5)
    for price, quarters, usd in ((1.55, None, 5 * 8 * 1.55 * 8760), (1.70, [3, 4], 565_248)):
        doc = _serving_from_q3()
        doc["sites"] = {"cloud": _cloud(3.2, rent_1y_usd_per_accelerator_hour={H100: price})}
        plan = _plan(doc, catalog, tmp_path, f"r{price}.yaml")
        (rent,) = plan.allocations
        assert (rent.acquisition, rent.units, rent.quarters) == ("rent", 5, quarters), price
        assert plan.totals.npv_usd == pytest.approx(usd, rel=1e-9), price
        assert check_plan(doc, catalog, plan.as_dict()) == []
    assert round(5 * 8 * 1.55 * 8760) == 543_120


def test_a_cloud_rental_bridges_q1_until_the_bought_unit_arrives(catalog, tmp_path):
    """Two H100 servers installed, 1.5 M users need a third. Decided on 1 December 2026 the bought server arrives on
    23 February 2027 and works from Q2: the cloud rents one server on demand for Q1 only (90 days: 8 GPUs × $6 ×
    2,160 h = $103,680), and the bought server pays 3/4 of a year's opex. By hand that is cheaper than a year of
    rent ($420,480): capex $204,120 + $34,000 fabric + $89,556 fit-out (8,780 $/kW × 10.2 kW), 3/4 × $61,086.10
    of opex (maintenance 8 % of the $204,120 paid), less the 4/5 of hardware and fabric it keeps ($190,496):
    $182,995 + $103,680 = $286,675. The two installed in 2026 pay maintenance on 2026's price, $226,800."""
    doc = tiny_country(hardware=[H100])
    doc["workloads"]["chat"]["users"] = 1_500_000
    doc["sites"]["main_dc"]["existing"] = [{"hardware": H100, "units": 2, "installed_year": 2026}]
    doc["sites"]["cloud"] = _cloud(6.0)
    doc["planning"]["decision_date"] = "2026-12-01"
    plan = _plan(doc, catalog, tmp_path)
    assert plan.status == "optimal"
    rent, buy = plan.allocations
    assert (rent.acquisition, rent.units, rent.quarters) == ("rent", 1, [1])
    assert rent.opex_usd_per_year == pytest.approx(8 * 6 * 90 * 24, rel=1e-9) == pytest.approx(103_680)
    assert (buy.acquisition, buy.units, buy.in_service_from) == ("buy", 1, "2027-04-01")
    year_opex = ENERGY + 0.08 * 204_120 + 36_000  # TL has no salary figure: no staff cost
    installed_opex = ENERGY + 0.08 * 280_000 * 0.9**2 + 36_000  # bought in 2026, at 2026's price
    assert buy.first_year_opex_usd == pytest.approx(0.75 * year_opex, rel=1e-9)
    assert buy.capex_usd == pytest.approx(204_120 + 34_000 + 8780 * 10.2, rel=1e-9)
    lines = plan.costs_by_year[0].opex_lines_usd
    assert lines["energy"] == pytest.approx(2.75 * ENERGY, rel=1e-9)  # the two installed servers all year
    total = buy.capex_usd + 0.75 * year_opex + 2 * installed_opex - 0.8 * (204_120 + 34_000) + 103_680
    assert plan.totals.npv_usd == pytest.approx(total, rel=1e-9)
    assert total - 2 * installed_opex == pytest.approx(286_675, abs=1)
    assert total - 2 * installed_opex < 8 * 6 * 8760
    assert check_plan(doc, catalog, plan.as_dict()) == []


def test_the_monte_carlo_prices_prorated_opex_and_quarter_rentals_as_the_solver_did(catalog, tmp_path):
    """planner/uncertainty/fixed.py rebuilds each cost from the plan: at the planned figures it reproduces the NPV
    and each year's opex of a first year working from Q3 and of a Q1 bridge (the two cases above)."""
    from planner.sizing.data import build_problem_data
    from planner.uncertainty.fixed import fixed_plan
    from planner.uncertainty.inputs import input_factors

    late = _serving_from_q3(decision_date="2027-03-01", years=2)
    late["sites"]["main_dc"].update(power_kw=20000, racks=400)
    bridge = tiny_country(hardware=[H100])
    bridge["workloads"]["chat"]["users"] = 1_500_000
    bridge["sites"]["main_dc"]["existing"] = [{"hardware": H100, "units": 2, "installed_year": 2026}]
    bridge["sites"]["cloud"] = _cloud(6.0)
    bridge["planning"]["decision_date"] = "2026-12-01"
    for name, doc in (("late", late), ("bridge", bridge)):
        loaded = load_spec(write_yaml(tmp_path / f"{name}.yaml", doc), catalog)
        plan = size(loaded, catalog)
        assert plan.status == "optimal", name
        data = build_problem_data(loaded.spec, catalog)
        fixed = fixed_plan(plan, data, input_factors(data, catalog))
        assert fixed.nominal_npv_usd == pytest.approx(plan.totals.npv_usd, rel=1e-9), name
        assert fixed.opex.sum(axis=0) == pytest.approx([y.opex_usd for y in plan.costs_by_year], rel=1e-9), name
