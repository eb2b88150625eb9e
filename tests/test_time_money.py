"""Time and money as programmes live them: each mechanism against a hand calculation."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml
from conftest import ROOT, tiny_country, write_yaml

from planner.pipeline import load_spec, size
from tests.brute import price

H100 = "hgx_h100"


def _plan(doc, catalog, tmp_path, name="c.yaml", catalog_dirs=()):
    from planner.catalog import load_catalog

    cat = load_catalog(catalog_dirs) if catalog_dirs else catalog
    return size(load_spec(write_yaml(tmp_path / name, doc), cat), cat)


def _cloud(rate: float, **more) -> dict:
    return {
        "name": "Sovereign cloud",
        "jurisdiction": "TL",
        "kind": "sovereign_cloud",
        "rent_usd_per_accelerator_hour": {H100: rate},
        **more,
    }


def _training_only(deadline_days: float, tokens: float) -> dict:
    doc = tiny_country(hardware=[H100])
    doc["workloads"] = {
        "adapt": {
            "kind": "fine_tuning",
            "model": "llama_3_1_8b",
            "tokens": tokens,
            "method": "full",
            "deadline_days": deadline_days,
        }
    }
    return doc


def test_a_service_live_after_the_decision_rents_in_its_first_year(catalog, tmp_path):
    """Decided on 15 January 2027, a chat going live on 1 July 2027 with only a cloud region: a year's rental would
    start before the decision, but Q3 and Q4 start after it, so they are rented on demand (no plan existed before:
    the whole first year was closed to rent). By hand: units x 8 chips x the Q3+Q4 hours x the on-demand price."""
    doc = tiny_country(hardware=[H100])
    doc["planning"]["decision_date"] = "2027-01-15"
    doc["workloads"]["chat"]["go_live"] = "2027Q3"
    doc["sites"] = {"cloud": _cloud(3.0)}
    plan = _plan(doc, catalog, tmp_path)
    assert plan.status == "optimal", plan.diagnosis
    (rent,) = [a for a in plan.allocations if a.acquisition == "rent"]
    hours = (dt.date(2028, 1, 1) - dt.date(2027, 7, 1)).days * 24
    assert rent.opex_usd_per_year == pytest.approx(rent.units * 8 * hours * 3.0, rel=1e-9)
    doc["workloads"]["chat"]["go_live"] = "2027-01-01"  # live in Q1, before the decision: nothing can serve it
    assert _plan(doc, catalog, tmp_path, "q1.yaml").status == "infeasible"


def test_a_14_day_rented_training_job_costs_14_days_of_rent(catalog, tmp_path):
    """Only a cloud region: the job's accelerators are billed for the hours it runs, not for a year."""
    doc = _training_only(14, 3e9)
    doc["sites"] = {"cloud": _cloud(3.2)}
    plan = _plan(doc, catalog, tmp_path)
    assert plan.status == "optimal"
    (rent,) = [a for a in plan.allocations if a.acquisition == "rent_hours"]
    job = next(w for w in plan.workloads if w.name == "adapt").placement
    assert job.wall_days <= 14
    # by hand: accelerators × wall-clock hours × on-demand price
    assert rent.opex_usd_per_year == pytest.approx(rent.accelerators * job.wall_days * 24 * 3.2, rel=1e-9)
    lines = plan.costs_by_year[0].opex_lines_usd
    assert lines["rent"] == pytest.approx(rent.opex_usd_per_year, rel=1e-9)
    assert set(lines) <= {"rent", "storage"}  # nothing else is paid: no units are held
    assert rent.opex_usd_per_year < rent.accelerators * 8760 * 3.2 / 20  # far from a year's reservation
    assert plan.totals.capex_usd == pytest.approx(plan.costs_by_year[0].capex_lines_usd.get("storage", 0.0))
    assert not [a for a in plan.allocations if a.acquisition in ("rent", "buy")]


def test_buy_or_rent_for_training_flips_at_the_break_even_price(catalog, tmp_path):
    """One job, own site or cloud. Buying costs the unit's net present cost (price, fabric and fit-out, a year of
    opex, less the value it keeps); renting costs accelerator-hours × price. The rent price at which they are
    equal is computed by hand from the buy-side plan; just below it the plan rents, just above it buys."""
    doc = _training_only(60, 2e10)
    only_buy = copy.deepcopy(doc)
    bought = _plan(only_buy, catalog, tmp_path, "buy.yaml")
    assert bought.status == "optimal"
    job = next(w for w in bought.workloads if w.name == "adapt").placement
    hours = job.accelerators * job.wall_days * 24
    break_even = bought.totals.npv_usd / hours
    for factor, expected in ((0.97, "rent_hours"), (1.03, "buy")):
        doc["sites"]["cloud"] = _cloud(break_even * factor)
        plan = _plan(doc, catalog, tmp_path, f"flip{factor}.yaml")
        assert {a.acquisition for a in plan.allocations} == {expected}, factor


def test_residual_value_is_the_straight_line_value(catalog, tmp_path):
    """A one-year plan buying H100s with a 5-year life: each keeps 4/5 of its hardware and fabric price, credited
    at the end of the year in the NPV."""
    doc = tiny_country(hardware=[H100])
    doc["planning"]["discount_rate"] = 0.1
    plan = _plan(doc, catalog, tmp_path)
    (buy,) = plan.allocations
    fabric = sum(
        line.capex_usd_per_accelerator * 8
        for line in catalog.cost_lines.values()
        if line.kind == "fabric" and line.applies_to == catalog.hardware[H100].fabric
    )
    kept = buy.units * (price(catalog, H100, 2027) + fabric) * 4 / 5
    assert plan.totals.residual_value_usd == pytest.approx(kept, rel=1e-9)
    year = plan.costs_by_year[0]
    assert plan.totals.npv_usd == pytest.approx(year.capex_usd + year.opex_usd - kept / 1.1, rel=1e-9)


def test_resilience_does_not_count_units_busy_training(catalog, tmp_path):
    """Two sites; serving must survive the loss of either at 100 %. A training job takes units at one site that
    year: those units cannot count as failover capacity, so the plan holds more than serving alone needs."""
    doc = tiny_country(hardware=[H100])
    doc["sites"]["second_dc"] = {**doc["sites"]["main_dc"], "name": "Second DC"}
    doc["policy"] = {"resilience_fraction": 1.0}
    alone = _plan(doc, catalog, tmp_path, "alone.yaml")
    doc["workloads"]["adapt"] = {
        "kind": "fine_tuning",
        "model": "llama_3_1_8b",
        "tokens": 2e9,
        "method": "full",
        "deadline_days": 30,
    }
    both = _plan(doc, catalog, tmp_path, "both.yaml")
    job = next(w for w in both.workloads if w.name == "adapt").placement
    fleet = {s: sum(f.units for f in both.installed if f.site == s) for s in ("main_dc", "second_dc")}
    serve_units = sum(f.units for f in alone.installed) / 2  # serving alone: one full copy per site
    # losing the site without the job leaves the job's site to serve everything beside the job
    other = "second_dc" if job.site == "main_dc" else "main_dc"
    assert fleet[job.site] - job.units >= serve_units
    assert fleet[other] >= serve_units
    assert sum(fleet.values()) >= 2 * serve_units + job.units


def test_liquid_cooled_systems_never_go_where_only_air_cooling_exists(catalog, tmp_path):
    doc = tiny_country(hardware=["gb200_nvl72"])
    doc["workloads"]["chat"]["users"] = 20_000_000
    doc["sites"]["main_dc"].update(power_kw=20000, racks=40, facility="new_air")
    doc["planning"]["start_year"] = 2028  # a GB200 NVL72 takes 36 weeks to arrive
    plan = _plan(doc, catalog, tmp_path, "air.yaml")
    assert plan.status == "infeasible"
    assert "facility_cooling" in {r.family for r in plan.diagnosis.remedies}
    doc["sites"]["main_dc"]["cooling"] = "both"
    plan = _plan(doc, catalog, tmp_path, "liquid.yaml")
    assert plan.status == "optimal" and plan.allocations[0].hardware == "gb200_nvl72"


def test_past_dates_and_phases_outside_the_plan_are_input_errors(catalog, tmp_path):
    """A decision date in the past places no order before today; a plan starting in a past year and a site
    phase outside the plan's years are refused with the field named."""
    from planner.errors import InputError

    doc = tiny_country(hardware=[H100])
    doc["planning"]["decision_date"] = "2025-01-01"  # the suite's today is 2026-07-01
    plan = _plan(doc, catalog, tmp_path)
    assert plan.planning["decision_date"] == "2026-07-01"
    assert all(a.order_by >= "2026-07-01" for a in plan.allocations if a.order_by)
    bad = tiny_country(hardware=[H100])
    bad["planning"]["start_year"] = 2025
    bad["sites"]["main_dc"]["power_kw_by_year"] = {2026: 100, 2035: 12000}
    with pytest.raises(InputError) as info:
        load_spec(write_yaml(tmp_path / "bad.yaml", bad), catalog)
    text = info.value.format()
    assert "planning.start_year" in text and "power_kw_by_year.2026" in text and "power_kw_by_year.2035" in text


def test_rack_density_limits_how_many_servers_fit(catalog, tmp_path):
    """10.2 kW H100 servers in 25 kW racks of 42U: two per rack (not five), so 3 racks hold 6 units."""
    doc = tiny_country(hardware=[H100])
    doc["workloads"]["chat"]["users"] = 6_000_000
    doc["sites"]["main_dc"].update(racks=3, max_kw_per_rack=25.0)
    doc["sites"]["cloud"] = _cloud(50.0)  # dear overflow so the plan fills the racks first
    plan = _plan(doc, catalog, tmp_path)
    own = sum(a.units for a in plan.allocations if a.site == "main_dc")
    assert own == 6


def test_a_site_phase_adds_power_in_its_year(catalog, tmp_path):
    doc = tiny_country(hardware=[H100])
    doc["planning"]["years"] = 2
    doc["workloads"]["chat"]["users"] = 1_000_000
    doc["workloads"]["chat"]["growth_per_year"] = 3.0
    doc["sites"]["main_dc"].update(power_kw=60, power_kw_by_year={2028: 600})
    plan = _plan(doc, catalog, tmp_path)
    limits = {s.year: s.power_limit_kw for s in plan.sites}
    assert limits == {2027: 60, 2028: 600}
    used = {s.year: s.facility_power_kw for s in plan.sites}
    assert used[2027] <= 60 < used[2028] <= 600


def test_a_licence_cap_limits_units(catalog, tmp_path):
    """An export rule authorising 16 H100 accelerators for TL: the plan holds at most two 8-GPU servers of it
    and buys the rest as MI300X."""
    user = tmp_path / "cat"
    user.mkdir()
    nvidia = yaml.safe_load((ROOT / "catalogs" / "hardware" / "nvidia.yaml").read_text())
    h100 = next(h for h in nvidia["hardware"] if h["id"] == H100)
    rule = {"destinations": ["TL"], "status": "allowed", "ref": h100["source"]["ref"], "max_accelerators": 16}
    (user / "cap.yaml").write_text(yaml.safe_dump({"hardware": [{**h100, "export_rules": [rule]}]}))
    doc = tiny_country(hardware=[H100])
    doc["workloads"]["chat"]["users"] = 3_000_000
    free = _plan(doc, catalog, tmp_path, "free.yaml")
    assert sum(a.accelerators for a in free.allocations) > 16  # the cap would bind
    capped = _plan(doc, catalog, tmp_path, "capped.yaml", catalog_dirs=[user])
    assert capped.status == "infeasible"
    assert "export_quantity" in {s.family for s in capped.diagnosis.shortfalls}
    doc["hardware"] = [H100, "mi300x_8x"]
    capped = _plan(doc, catalog, tmp_path, "both.yaml", catalog_dirs=[user])
    assert capped.status == "optimal"
    assert sum(a.accelerators for a in capped.allocations if a.hardware == H100) <= 16


def test_a_shared_licence_quota_counts_all_its_hardware_together(catalog, tmp_path):
    """One licence for 16 accelerators shared by H100 and H200 (`quota`): together they hold at most 16 in TL, where
    separate caps of 16 each would allow 32; the rest of the demand goes to MI300X."""
    user = tmp_path / "cat"
    user.mkdir()
    nvidia = yaml.safe_load((ROOT / "catalogs" / "hardware" / "nvidia.yaml").read_text())
    entries = []
    for hw_id in (H100, "hgx_h200"):
        entry = next(h for h in nvidia["hardware"] if h["id"] == hw_id)
        rule = {"destinations": ["TL"], "status": "allowed", "ref": entry["source"]["ref"], "max_accelerators": 16}
        entries.append({**entry, "export_rules": [{**rule, "quota": "hopper_tl"}]})
    (user / "quota.yaml").write_text(yaml.safe_dump({"hardware": entries}))
    doc = tiny_country(hardware=[H100, "hgx_h200", "mi300x_8x"])
    doc["workloads"]["chat"]["users"] = 3_000_000
    free = _plan(doc, catalog, tmp_path, "free.yaml")
    hopper = {H100, "hgx_h200"}
    assert sum(a.accelerators for a in free.allocations if a.hardware in hopper) > 16  # the quota would bind
    shared = _plan(doc, catalog, tmp_path, "shared.yaml", catalog_dirs=[user])
    assert shared.status == "optimal"
    held = sum(a.accelerators for a in shared.allocations if a.hardware in hopper)  # a one-year plan: bought = held
    assert 0 < held <= 16 + 1e-6


def test_single_market_skus_are_offered_only_there(catalog, tmp_path):
    assert catalog.hardware["hgx_h20"].markets == ["CN"]
    doc = tiny_country(hardware=["hgx_h20", H100])
    plan = _plan(doc, catalog, tmp_path)
    assert {a.hardware for a in plan.allocations} == {H100}


def test_a_sku_sold_elsewhere_is_diagnosed_with_its_market(catalog, tmp_path):
    """Trial (Egypt): with only China-market SKUs the diagnosis said "the export rules forbid them or need a licence
    the policy does not accept", not which: it now names the market, once per hardware."""
    doc = tiny_country(hardware=["hgx_h20"])
    plan = _plan(doc, catalog, tmp_path)
    assert plan.status == "infeasible"
    texts = [s.message for s in plan.diagnosis.shortfalls if s.family == "export_availability"]
    texts += [s.message for r in plan.diagnosis.remedies for s in r.shortfalls if s.family == "export_availability"]
    assert texts and any("sold only in CN" in t for t in texts), texts
    from planner.report import i18n
    from planner.report.workloads import shortfall_text

    rows = [s for r in plan.as_dict()["diagnosis"]["remedies"] for s in r["shortfalls"]]
    row = next(s for s in rows if s["family"] == "export_availability" and "sold only" in s["message"])
    with i18n.language("fr"):  # translated with the rest of the sentence (review: it had fallen back to English)
        said = shortfall_text(row, plan.names)
    assert "il ne peut pas être exporté vers TL (sold only in CN)" in said and "would be needed" not in said, said


def test_orders_cannot_arrive_before_the_decision_date_plus_lead_time(catalog, tmp_path):
    """H100 takes 12 weeks: decided on 1 December for a plan starting on 1 January, it arrives on 23 February 2027
    and works from Q2, so it cannot serve a service live from 1 January (the Q1 row before deliveries is short)."""
    doc = tiny_country(hardware=[H100])
    doc["planning"]["decision_date"] = "2026-12-01"
    plan = _plan(doc, catalog, tmp_path)
    assert plan.status == "infeasible"
    assert "delivery_capacity" in {r.family for r in plan.diagnosis.remedies}
    doc["planning"]["decision_date"] = "2026-09-01"
    plan = _plan(doc, catalog, tmp_path, "early.yaml")
    assert plan.status == "optimal"
    assert plan.planning["decision_date"] == "2026-09-01"
    assert all(a.order_by == "2026-10-09" for a in plan.allocations)  # 1 Jan 2027 less 12 weeks


def test_the_cost_lines_are_in_the_totals_and_each_has_a_source(catalog, tmp_path):
    doc = tiny_country(hardware=[H100])
    doc["sites"]["main_dc"]["jurisdiction"] = "MY"  # the country catalog's salary level prices the staff line
    doc["country"]["iso2"] = "MY"
    plan = _plan(doc, catalog, tmp_path)
    year = plan.costs_by_year[0]
    assert sum(year.capex_lines_usd.values()) == pytest.approx(year.capex_usd, rel=1e-9)
    assert sum(year.opex_lines_usd.values()) == pytest.approx(year.opex_usd, rel=1e-9)
    assert {"hardware", "fabric", "fitout"} <= set(year.capex_lines_usd)
    assert {"energy", "maintenance", "licences", "staff"} <= set(year.opex_lines_usd)
    for line in plan.catalog.cost_lines:
        assert line.source.ref in plan.catalog.references
    # a line left out in country.yaml is gone from the costs
    doc["costs"] = {line.id: False for line in plan.catalog.cost_lines if line.kind == "licence"}
    plan = _plan(doc, catalog, tmp_path, "nolicence.yaml")
    assert (
        "licences" not in plan.costs_by_year[0].opex_lines_usd or not plan.costs_by_year[0].opex_lines_usd["licences"]
    )


def test_a_five_year_plan_buys_an_announced_generation_when_it_arrives(catalog, tmp_path):
    """2027–2031 with a shipping MI355X server and the announced Helios rack (first deliveries April 2027, 40
    weeks' lead time): 2027 can only be MI355X; from 2028 the plan buys Helios when it serves a token for less,
    and the report says the plan relies on an announced product."""
    doc = {
        "country": {"name": "Testland", "iso2": "MY"},
        "planning": {"start_year": 2027, "years": 5, "decision_date": "2026-06-01"},
        "languages": {"en": 1.0},
        "sites": {
            "main_dc": {
                "name": "Main DC",
                "jurisdiction": "MY",
                "power_kw": 20000,
                "racks": 400,
                "facility": "new_liquid",
            }
        },
        "workloads": {
            "chat": {
                "kind": "serving",
                "model": "llama_3_1_70b",
                "users": 2_000_000,
                "requests_per_user_per_day": 10,
                "input_tokens_per_request": 1000,
                "output_tokens_per_request": 400,
                "tpot_ms": 50,
                "growth_per_year": 0.6,
            }
        },
        "hardware": ["mi355x_8x", "helios_mi455x"],
    }
    helios = catalog.hardware["helios_mi455x"]
    assert helios.roadmap and helios.available_from.year == 2027
    plan = _plan(doc, catalog, tmp_path)
    bought = {(a.year, a.hardware) for a in plan.allocations}
    assert (2027, "helios_mi455x") not in bought  # not deliverable by 1 January 2027
    later = [a for a in plan.allocations if a.hardware == "helios_mi455x"]
    assert later and min(a.year for a in later) >= 2028
    # cheaper per token served: price per output token/s of capacity, at the year it is bought
    rates = next(w for w in plan.workloads if w.name == "chat").per_unit
    per_token = {h: price(catalog, h, 2028) / rates[h].output_tokens_per_s for h in ("mi355x_8x", "helios_mi455x")}
    assert per_token["helios_mi455x"] < per_token["mi355x_8x"]
    assert any(r.kind == "roadmap" and r.hardware == "helios_mi455x" for r in plan.risks)
    out = plan.report(tmp_path / "out", ["md"])
    assert "announced product" in out[0].read_text()


def test_an_infeasible_run_keeps_to_its_time_limit(catalog, tmp_path):
    """The diagnosis shares the run's time limit: with a tight limit it stops early and says so, within it."""
    import time

    doc = tiny_country(budget={"capex_usd": 200_000})
    doc["workloads"]["chat"]["users"] = 5_000_000
    doc["solver"] = {"time_limit_s": 1.0}
    started = time.monotonic()
    plan = _plan(doc, catalog, tmp_path)
    assert plan.status == "infeasible" and plan.diagnosis.shortfalls
    assert time.monotonic() - started < 1.0 + 2.0  # the limit, and model building around the solves
