"""Country facts from the catalog fill what country.yaml leaves out, and say so."""

from __future__ import annotations

import pytest

from planner.errors import InputError
from planner.pipeline import load_spec, size
from tests.conftest import tiny_country, write_yaml


def _malaysia_without_facts() -> dict:
    doc = tiny_country()
    doc["country"] = {"name": "Malaysia", "iso2": "MY"}
    del doc["languages"]
    site = doc["sites"]["main_dc"]
    site["jurisdiction"] = "MY"
    site["facility"] = "new_liquid"
    del site["pue"], site["electricity_usd_per_kwh"]
    return doc


def test_site_and_language_defaults_come_from_the_country_catalog(catalog, tmp_path):
    loaded = load_spec(write_yaml(tmp_path / "c.yaml", _malaysia_without_facts()), catalog)
    facts = catalog.countries["my"]
    site = loaded.spec.sites["main_dc"]
    assert site.pue == facts.pue["new_liquid"]
    assert site.electricity_usd_per_kwh == facts.electricity_usd_per_kwh
    # Malay is the most used language in Malaysia (CLDR 75 %), so it gets the largest traffic share
    shares = loaded.spec.languages
    assert max(shares, key=shares.get) == "ms" and sum(shares.values()) == pytest.approx(1.0, abs=1e-3)
    plan = size(loaded, catalog).as_dict()
    assert {d["field"] for d in plan["defaults_applied"]} == {
        "sites.main_dc.pue",
        "sites.main_dc.electricity_usd_per_kwh",
        "sites.main_dc.grid_gco2_per_kwh",
        "languages",
        "staff salary (MY)",  # the cost lines' figures the file did not give: see the tests below
        "fit-out per kW (MY)",
    }
    # emissions by hand: IT kW × PUE × hours × average load × grid intensity
    kw = sum(a["power_kw"] for a in plan["allocations"])
    expected_t = kw * facts.pue["new_liquid"] * 8760 * 0.7 * facts.grid_gco2_per_kwh / 1e6
    assert plan["totals"]["emissions_tco2_per_year"] == pytest.approx(expected_t, rel=1e-9)


def test_a_value_in_the_file_wins_over_the_default(catalog, tmp_path):
    doc = _malaysia_without_facts()
    doc["sites"]["main_dc"]["pue"] = 1.9
    loaded = load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog)
    assert loaded.spec.sites["main_dc"].pue == 1.9
    assert "sites.main_dc.pue" not in {d["field"] for d in loaded.defaults}


def test_no_country_facts_is_a_clear_error(catalog, tmp_path):
    doc = _malaysia_without_facts()
    doc["sites"]["main_dc"]["jurisdiction"] = "TL"  # no catalog entry for Timor-Leste
    with pytest.raises(InputError) as info:
        load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog)
    text = info.value.format()
    assert "sites.main_dc" in text and "no country facts for TL" in text


def test_defaults_are_shown_in_the_reports(catalog, tmp_path):
    loaded = load_spec(write_yaml(tmp_path / "c.yaml", _malaysia_without_facts()), catalog)
    size(loaded, catalog).report(tmp_path / "out", ["md", "html"])
    for name in ("report.md", "report.html"):
        text = (tmp_path / "out" / name).read_text()
        assert "Values taken from the catalog" in text and "sites.main_dc.pue" in text
        assert "country catalog `my`" in text


def _colocated(jurisdiction: str, **costs) -> dict:
    doc = tiny_country(costs=costs) if costs else tiny_country()
    doc["sites"]["main_dc"].update(jurisdiction=jurisdiction, kind="colocation")
    return doc


def test_cost_figures_not_given_locally_are_listed_with_their_source(catalog, tmp_path):
    # Testland (TL) has no country facts: no salary, so staff are not costed; colocation rent at the general rate
    loaded = load_spec(write_yaml(tmp_path / "c.yaml", _colocated("TL")), catalog)
    by_field = {d["field"]: d for d in loaded.defaults}
    assert by_field["staff salary (TL)"]["value"] == 0 and "not costed" in by_field["staff salary (TL)"]["source"]
    general = catalog.cost_lines["colocation_default"].opex_usd_per_kw_month
    assert by_field["colocation rent per kW-month (TL)"]["value"] == general
    assert "fit-out per kW (TL)" not in by_field  # no own data centre: nothing is built
    # a salary in the file is the user's own figure: not listed
    doc = _colocated("TL", staff_platform={"staff_usd_per_fte_year": 30000})
    loaded = load_spec(write_yaml(tmp_path / "c2.yaml", doc), catalog)
    assert "staff salary (TL)" not in {d["field"] for d in loaded.defaults}


def test_a_colocation_rent_in_the_file_wins_over_the_country_catalog(catalog, tmp_path):
    local = catalog.countries["my"].colocation_usd_per_kw_month
    plans = {}
    for name, doc in {
        "catalog": _colocated("MY"),
        "own": _colocated("MY", colocation_default={"opex_usd_per_kw_month": 2 * local}),
    }.items():
        loaded = load_spec(write_yaml(tmp_path / f"{name}.yaml", doc), catalog)
        plans[name] = size(loaded, catalog).as_dict()
    assert [a["units"] for a in plans["own"]["allocations"]] == [a["units"] for a in plans["catalog"]["allocations"]]
    rent = {k: p["costs_by_year"][0]["opex_lines_usd"]["colocation"] for k, p in plans.items()}
    assert rent["own"] == pytest.approx(2 * rent["catalog"], rel=1e-9)  # the file's rent, twice the catalog's
    assert "colocation rent per kW-month (MY)" not in {d["field"] for d in plans["own"]["defaults_applied"]}
