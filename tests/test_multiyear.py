"""Multi-year planning: growth, hardware life, discounting, brownfield, and training capacity reused for serving.

Each case is enumerated by hand over (units bought in year 1, units bought in year 2).
"""

from __future__ import annotations

import itertools
import math

import pytest

from planner.perf import training_estimate
from planner.pipeline import load_spec, size
from tests.brute import bare_costs, price, serving_rates, unit_cost
from tests.conftest import tiny_country, write_yaml

HW = "mi300x_8x"


def _doc(**planning) -> dict:
    from planner.catalog import load_catalog

    doc = bare_costs(tiny_country(hardware=[HW]), load_catalog())
    doc["workloads"]["chat"]["users"] = 600_000
    doc["workloads"]["chat"]["growth_per_year"] = 1.0
    doc["planning"].update({"years": 2, "discount_rate": 0.1, **planning})
    return doc


def _solve(doc, catalog, tmp_path):
    plan = size(load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog), catalog).as_dict()
    assert plan["status"] == "optimal"
    bought = {y: sum(a["units"] for a in plan["allocations"] if a["year"] == y) for y in (2027, 2028)}
    return plan, bought


def _enumerate(doc, catalog, *, life, existing=0, extra_year1=0):
    """Cheapest (n1, n2): capacity installed each year covers demand (plus units busy training in year 1)."""
    demand1, rates = serving_rates(doc, catalog, [HW])
    need = [math.ceil(demand1 / rates[HW] - 1e-9), math.ceil(2 * demand1 / rates[HW] - 1e-9)]
    capex, opex, _ = unit_cost(doc, catalog, "main_dc", HW)
    capex2 = price(catalog, HW, 2028)  # the price falls by the catalog's decline a year later
    # maintenance is a fraction of the price each unit was bought at: 2027's, 2028's, the brownfield units' 2026's
    maint = catalog.hardware[HW].maintenance_fraction_per_year
    opex_of = {b: opex + maint * (price(catalog, HW, b) - capex) for b in (2026, 2027, 2028)}
    df = 1 / 1.1
    best = None
    for n1, n2 in itertools.product(range(need[1] + extra_year1 + 3), repeat=2):
        installed = [existing + n1, existing + n2 + (n1 if life > 1 else 0)]
        if installed[0] < need[0] + extra_year1 or installed[1] < need[1]:
            continue
        year1 = opex_of[2027] * n1 + opex_of[2026] * existing
        year2 = opex_of[2028] * n2 + opex_of[2027] * (n1 if life > 1 else 0) + opex_of[2026] * existing
        cost = capex * n1 + year1 + df * (capex2 * n2 + year2)
        if best is None or cost < best[0] - 1e-6:
            best = (cost, {2027: n1, 2028: n2})
    return best


def test_growth_is_met_by_buying_each_year_what_that_year_needs(catalog, tmp_path):
    doc = _doc()
    cost, units = _enumerate(doc, catalog, life=5)
    plan, bought = _solve(doc, catalog, tmp_path)
    assert bought == units and units[2028] > 0
    assert plan["totals"]["npv_usd"] == pytest.approx(cost, rel=1e-6)
    installed = {r["year"]: r["installed_units"] for r in plan["costs_by_year"]}
    assert installed == {2027: units[2027], 2028: units[2027] + units[2028]}


def test_units_retire_after_their_life(catalog, tmp_path):
    doc = _doc(hardware_life_years=1)
    cost, units = _enumerate(doc, catalog, life=1)
    plan, bought = _solve(doc, catalog, tmp_path)
    assert bought == units
    assert plan["totals"]["npv_usd"] == pytest.approx(cost, rel=1e-6)


def test_brownfield_units_are_used_before_buying(catalog, tmp_path):
    doc = _doc()
    doc["sites"]["main_dc"]["existing"] = [{"hardware": HW, "units": 2, "installed_year": 2026}]
    cost, units = _enumerate(doc, catalog, life=5, existing=2)
    plan, bought = _solve(doc, catalog, tmp_path)
    assert bought == units
    assert plan["totals"]["npv_usd"] == pytest.approx(cost, rel=1e-6)


def test_training_units_serve_after_the_run(catalog, tmp_path):
    doc = _doc()
    doc["workloads"]["adapt"] = {"kind": "pretraining", "model": "llama_3_1_8b", "tokens": 50e9, "deadline_days": 20}
    hw = catalog.hardware[HW]
    job = training_estimate(
        catalog.models["llama_3_1_8b"], hw, catalog.efficiency_profiles[hw.efficiency_profile], 50e9, days=20
    )
    cost, units = _enumerate(doc, catalog, life=5, extra_year1=job.units)
    plan, bought = _solve(doc, catalog, tmp_path)
    assert bought == units
    assert plan["totals"]["npv_usd"] == pytest.approx(cost, rel=1e-6)
    placement = next(w for w in plan["workloads"] if w["name"] == "adapt")["placement"]
    assert placement["units"] == job.units


def test_brownfield_units_appear_in_the_reports(catalog, tmp_path):
    doc = _doc()
    doc["sites"]["main_dc"]["existing"] = [{"hardware": HW, "units": 2, "installed_year": 2026}]
    typed = size(load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog), catalog)
    plan = typed.as_dict()
    assert plan["existing"] == [
        {"site": "main_dc", "hardware": HW, "units": 2, "installed_year": 2026, "last_year_in_service": 2030}
    ]
    typed.report(tmp_path / "out", ["md", "html"])
    for name in ("report.md", "report.html"):
        text = (tmp_path / "out" / name).read_text()
        assert "Already installed (brownfield)" in text and "2031" in text  # retires after a 5-year life
