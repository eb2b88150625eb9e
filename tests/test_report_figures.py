"""The report's figures agree with plan.json: each expectation is worked out by hand from plan.json's own fields
(allocations, placements, costs by year) or from the prices in the country file, never copied from a report."""

from __future__ import annotations

import pytest
from conftest import tiny_country, write_yaml

from planner.pipeline import load_spec, size
from planner.report.economics import unit_costs
from planner.report.fmt import format_usd

H100 = "hgx_h100"
RENT = 3.0  # $ per GPU-hour in the test's cloud region


def _training(**site) -> dict:
    """Testland with a 20B-token continued pretraining of Llama 3.1 8B named "Testland 8B pretraining"."""
    doc = tiny_country(hardware=[H100])
    doc["workloads"]["cpt"] = {
        "kind": "pretraining",
        "name": "Testland 8B pretraining",
        "model": "llama_3_1_8b",
        "tokens": 20e9,
        "deadline_days": 30,
    }
    doc["sites"].update(site)
    return doc


def _cloud() -> dict:
    return {
        "cloud": {
            "name": "Sovereign cloud",
            "jurisdiction": "TL",
            "kind": "sovereign_cloud",
            "rent_usd_per_accelerator_hour": {H100: RENT},
        }
    }


def _plan(doc, catalog, tmp_path, name="c.yaml"):
    return size(load_spec(write_yaml(tmp_path / name, doc), catalog), catalog)


def _run_row(plan) -> dict:
    rows = [r for r in unit_costs(plan.as_dict(), plan.catalog_view()) if r["label"].startswith("Cost per training")]
    (row,) = rows
    return row


def test_a_training_run_in_a_cloud_region_costs_its_rent_for_the_job(catalog, tmp_path):
    """Tiny main_dc (one rack) leaves room only for serving: the job goes to the cloud, billed by the hour. Its
    cost per run is its accelerator-hours × $3.00, the rent the bill of materials shows, under the job's name."""
    doc = _training(**_cloud())
    doc["sites"]["main_dc"].update(power_kw=60, racks=1)
    plan = _plan(doc, catalog, tmp_path)
    assert plan.feasible
    (job,) = [a for a in plan.allocations if a.acquisition == "rent_hours"]
    by_hand = job.accelerator_hours * RENT
    assert job.opex_usd_per_year == pytest.approx(by_hand, rel=1e-9)
    row = _run_row(plan)
    assert row["label"] == "Cost per training run: Testland 8B pretraining"
    assert row["value"] == format_usd(by_hand)
    assert "$3.00" in row["method"]


def test_a_training_run_on_bought_units_costs_their_share_for_its_duration(catalog, tmp_path):
    """No cloud: the job runs on bought H100 servers. Its cost is units × (capex a unit ÷ 5 years + opex a
    unit-year) × wall days ÷ 365, from the allocation and the placement in plan.json."""
    plan = _plan(_training(), catalog, tmp_path)
    assert plan.feasible
    (w,) = [w for w in plan.workloads if w.placement]
    p = w.placement
    (buy,) = [a for a in plan.allocations if a.hardware == p.hardware and a.site == p.site]
    by_hand = p.units * (buy.capex_usd / buy.units / 5 + buy.opex_usd_per_year / buy.units) * p.wall_days / 365
    row = _run_row(plan)
    assert row["label"] == "Cost per training run: Testland 8B pretraining"
    assert row["value"] == format_usd(by_hand)
    assert "5 years" in row["method"]
