"""The MILP finds the optimum a brute-force enumeration finds, and a budget below it is diagnosed.

The enumeration re-derives every cost from catalog figures by hand (price, power × PUE × hours ×
average load × electricity price, maintenance) and uses the performance model only for the per-unit
throughput, so it checks the optimisation independently of how the planner builds its model.
"""

from __future__ import annotations

import itertools
import json
import math

import pytest

from tests.brute import serving_rates, unit_cost, unit_npv
from tests.conftest import tiny_country, write_yaml

HW = ("hgx_h100", "mi300x_8x")


def _brute_force(doc: dict, catalog) -> dict:
    """Every (units of A, units of B) that covers demand and fits the site; the cheapest, and the least capex."""
    site = doc["sites"]["main_dc"]
    demand, rate = serving_rates(doc, catalog, list(HW))
    cost, capex, power, space = {}, {}, {}, {}
    for h in HW:
        capex[h], _, _ = unit_cost(doc, catalog, "main_dc", h)
        cost[h] = unit_npv(doc, catalog, "main_dc", h)
        power[h] = catalog.hardware[h].power_kw_per_unit * site["pue"]
        space[h] = catalog.hardware[h].rack_units
    bound = max(math.ceil(demand / rate[h]) for h in HW) + 1
    feasible = []
    for counts in itertools.product(range(bound + 1), repeat=len(HW)):
        units = dict(zip(HW, counts, strict=True))
        if sum(rate[h] * n for h, n in units.items()) < demand:
            continue
        if sum(power[h] * n for h, n in units.items()) > site["power_kw"]:
            continue
        if sum(space[h] * n for h, n in units.items()) > site["racks"] * 42:
            continue
        feasible.append(
            (sum(cost[h] * n for h, n in units.items()), sum(capex[h] * n for h, n in units.items()), units)
        )
    best = min(feasible, key=lambda f: f[0])
    return {"npv": best[0], "units": best[2], "min_capex": min(f[1] for f in feasible), "demand": demand}


@pytest.fixture
def small_case():
    doc = tiny_country()
    doc["workloads"]["chat"]["users"] = 2_500_000
    return doc


def test_planner_matches_brute_force_optimum(cli, tmp_path, catalog, small_case):
    expected = _brute_force(small_case, catalog)
    assert sum(expected["units"].values()) >= 2, "the case should need more than one unit to be a real test"
    result = cli(
        "size", write_yaml(tmp_path / "c.yaml", small_case), "--out", tmp_path / "out", "-q", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    plan = json.loads((tmp_path / "out" / "plan.json").read_text())
    assert plan["status"] == "optimal"
    assert plan["totals"]["npv_usd"] == pytest.approx(expected["npv"], rel=1e-6)
    planned = {h: sum(a["units"] for a in plan["allocations"] if a["hardware"] == h) for h in HW}
    assert planned == expected["units"]


def test_capex_budget_below_every_plan_is_infeasible(cli, tmp_path, catalog, small_case):
    expected = _brute_force(small_case, catalog)
    budget = 0.8 * expected["min_capex"]
    small_case["budget"] = {"capex_usd": budget}
    result = cli("size", write_yaml(tmp_path / "c.yaml", small_case), "--out", tmp_path / "out", "--format", "json")
    assert result.exit_code == 3, result.output
    plan = json.loads((tmp_path / "out" / "plan.json").read_text())
    assert plan["status"] == "infeasible"
    remedies = {r["family"]: r["shortfalls"] for r in plan["diagnosis"]["remedies"]}
    # raising the budget alone restores feasibility, by exactly the least capex of any feasible plan
    assert remedies["budget_capex"][0]["amount"] == pytest.approx(expected["min_capex"] - budget, rel=1e-6)
    assert "capex budget short by" in result.output
    # and the remedy names the budget to write: the least capex (brute force), rounded up to three figures
    (fix,) = [r for r in plan["diagnosis"]["remedies"] if r["family"] == "budget_capex"]
    needed = fix["values"]["needed"]
    assert fix["code"] == "raise_budget" and expected["min_capex"] <= needed <= expected["min_capex"] * 1.01
    assert f"raise budget.capex_usd to at least ${needed:,.0f}" in " ".join(result.output.split())
    # a report in French writes the amount its own way
    from planner.report import i18n
    from planner.report.fmt import usd_exact
    from planner.report.tr import _
    from planner.sizing.diagnose import remedy_lines

    with i18n.language("fr"):
        (line,) = [r for r in remedy_lines(plan["diagnosis"], None, _, usd_exact)[1] if "budget.capex_usd" in r]
        assert usd_exact(needed) in line and f"${needed:,.0f}" not in line
