"""Dominated options are dropped before the build, recorded in the plan, and the optimum does not change."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT, tiny_country, write_yaml

from planner.catalog import load_catalog
from planner.pipeline import load_spec, size


@pytest.fixture
def dear_copy(tmp_path):
    """A user catalog with the H100 server at a higher price under a new id, and one at a lower price from another
    vendor (which no rule may treat alike, so it is never dominated by the H100)."""
    nvidia = yaml.safe_load((ROOT / "catalogs" / "hardware" / "nvidia.yaml").read_text())
    h100 = next(h for h in nvidia["hardware"] if h["id"] == "hgx_h100")
    entries = [
        {**h100, "id": "h100_dear", "name": "H100 box, dearer", "price_usd_per_unit": h100["price_usd_per_unit"] * 1.2},
        {
            **h100,
            "id": "h100_other",
            "name": "H100 box, other vendor",
            "vendor": "other",
            "price_usd_per_unit": h100["price_usd_per_unit"] * 1.1,
        },
    ]
    directory = tmp_path / "cat"
    directory.mkdir()
    (directory / "extra.yaml").write_text(yaml.safe_dump({"hardware": entries}))
    return directory


def test_a_dearer_copy_is_dropped_and_the_optimum_is_kept(dear_copy, tmp_path, monkeypatch):
    catalog = load_catalog([dear_copy])
    doc = tiny_country(hardware=["hgx_h100", "h100_dear", "h100_other"])
    doc["workloads"]["chat"]["users"] = 2_000_000
    doc["policy"] = {"vendor_max_share": 0.6}  # forces a second vendor: the other-vendor copy must stay
    loaded = load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog)
    plan = size(loaded, catalog)
    assert plan.dominated_options == {"h100_dear": "hgx_h100"}
    assert {a.hardware for a in plan.allocations} == {"hgx_h100", "h100_other"}
    monkeypatch.setattr("planner.pipeline.drop_dominated", lambda data: {})
    unpruned = size(loaded, catalog)
    assert unpruned.totals.npv_usd == pytest.approx(plan.totals.npv_usd, rel=1e-9)


def test_a_dropped_option_under_an_export_rule_builds(tmp_path):
    """Regression (national benchmark): an export rule on a dominated option must not leave a row without its
    variable once the option is dropped."""
    nvidia = yaml.safe_load((ROOT / "catalogs" / "hardware" / "nvidia.yaml").read_text())
    h100 = next(h for h in nvidia["hardware"] if h["id"] == "hgx_h100")
    rule = {"destinations": ["TL"], "status": "prohibited", "ref": h100["source"]["ref"], "from_date": "2026-01-01"}
    entries = [
        {**h100, "id": "h100_banned", "export_rules": [rule]},
        {
            **h100,
            "id": "h100_banned_dear",
            "export_rules": [rule],
            "price_usd_per_unit": h100["price_usd_per_unit"] * 2,
        },
    ]
    directory = tmp_path / "cat"
    directory.mkdir()
    (directory / "extra.yaml").write_text(yaml.safe_dump({"hardware": entries}))
    catalog = load_catalog([directory])
    doc = tiny_country(hardware=["mi300x_8x", "h100_banned", "h100_banned_dear"])
    plan = size(load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog), catalog)
    assert plan.dominated_options.get("h100_banned_dear") == "h100_banned"
    assert plan.status == "optimal" and {a.hardware for a in plan.allocations} == {"mi300x_8x"}
