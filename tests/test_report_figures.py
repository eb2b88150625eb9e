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


def _cloud_from_q3(catalog, tmp_path):
    """Only a cloud region at $3.20 per GPU-hour on demand; 2.5 M users from 1 July 2027 need 5 H100 servers,
    rented for Q3 and Q4 only: 5 × 8 × $3.20 × 4,416 h = $565,248 (tests/test_quarters_money.py)."""
    doc = tiny_country(hardware=[H100])
    doc["workloads"]["chat"].update(users=2_500_000, go_live="2027-07-01")
    doc["sites"] = {"cloud": {**_cloud()["cloud"], "rent_usd_per_accelerator_hour": {H100: 3.2}}}
    return _plan(doc, catalog, tmp_path, "q.yaml")


def test_a_quarter_rental_is_labelled_on_demand_for_its_quarters(catalog, tmp_path):
    from planner.report.context import report_context

    plan = _cloud_from_q3(catalog, tmp_path)
    (rent,) = plan.allocations
    assert rent.quarters == [3, 4]
    ctx = report_context(plan)
    (row,) = ctx["bom"]
    assert row["unit_price"] == f"on demand Q3–Q4 2027: {format_usd(8 * 3.2 * 4416)} a unit"
    assert "/yr" not in row["unit_price"] and "1 yr" not in row["unit_price"]
    (what,) = ctx["summary"][0]["items"]
    assert what.endswith("(40 accelerators, all rented on demand for some quarters)")


def _sheet(plan, tmp_path, name):
    from openpyxl import load_workbook

    plan.report(tmp_path / "out", ["xlsx"])
    rows = [[c.value for c in r] for r in load_workbook(tmp_path / "out" / "bom.xlsx")[name].iter_rows()]
    return rows[0], rows[1:]


def test_the_workbook_lists_every_cloud_contract_with_its_rent(catalog, tmp_path):
    """Q3–Q4 on demand: $565,248 by hand, in the rental's row, the rented row and the costs sheet's rent."""
    plan = _cloud_from_q3(catalog, tmp_path)
    head, rows = _sheet(plan, tmp_path, "Bill of materials")
    contract, rented, _total = rows
    assert contract[head.index("Rent in the horizon (USD)")] == pytest.approx(5 * 8 * 3.2 * 4416, rel=1e-9)
    assert contract[head.index("Rent terms")] == "on demand Q3–Q4 2027"
    assert rented[head.index("Rent in the horizon (USD)")] == pytest.approx(565_248, rel=1e-9)
    head, years = _sheet(plan, tmp_path, "Costs by year")
    year, total = years
    assert year[head.index("of which cloud rent (USD)")] == pytest.approx(565_248, rel=1e-9)
    assert total[head.index("Opex (USD)")] == pytest.approx(plan.costs_by_year[0].opex_usd)


def test_the_workbook_shows_the_training_jobs_hourly_rent(catalog, tmp_path):
    """The job rented by the hour: accelerator-hours × $3.00, its rent for the job; the rented row adds the
    year's rent of everything rented and equals the plan's cloud rent over the horizon."""
    doc = _training(**_cloud())
    doc["sites"]["main_dc"].update(power_kw=60, racks=1)
    plan = _plan(doc, catalog, tmp_path)
    (job,) = [a for a in plan.allocations if a.acquisition == "rent_hours"]
    head, rows = _sheet(plan, tmp_path, "Bill of materials")
    (line,) = [r for r in rows if r[head.index("Acquisition")] == "rented by the hour"]
    assert line[head.index("Rent in the horizon (USD)")] == pytest.approx(job.accelerator_hours * RENT, rel=1e-9)
    assert line[head.index("Capex (USD)")] == 0
    rented = rows[-2]
    cloud_rent = sum(y.opex_lines_usd.get("rent", 0.0) for y in plan.costs_by_year)
    assert rented[head.index("Rent in the horizon (USD)")] == pytest.approx(cloud_rent, rel=1e-9)


@pytest.fixture(scope="module")
def confident(tmp_path_factory):
    """Testland's 5 M users sized at 90 % confidence over 100 sampled futures (under a second). 5 M, not 2.5 M: at
    2.5 M the deterministic plan's whole units already cover 90 % of the futures (no extra cost to show)."""
    import planner

    path = write_yaml(
        tmp_path_factory.mktemp("conf") / "c.yaml",
        tiny_country(hardware=[H100], workloads={"chat": {**tiny_country()["workloads"]["chat"], "users": 5_000_000}}),
    )
    with pytest.MonkeyPatch.context() as env:  # the autouse "today" is per test; this fixture is per module
        env.setenv("PLANNER_TODAY", "2026-07-01")
        spec = planner.load(path, set={"planning.confidence": 0.9, "uncertainty.samples": 100})
        return planner.size(spec), spec


@pytest.mark.parametrize("form", ["short", "proposal"])
def test_the_monte_carlo_and_the_confidence_sizing_show_in_both_reports(confident, form, tmp_path):
    """The reports carry plan.uncertainty: the NPV's P10–P90 and, for the confidence-sized plan, the confidence
    reached and its extra cost: this plan's NPV minus the deterministic plan's, both from plan.json."""
    from planner.proposal import analyse
    from planner.report.write import write_plan_outputs

    confident, spec = confident
    u = confident.uncertainty
    assert u is not None and u.sizing is not None and u.sizing.target == 0.9
    extra = confident.totals.npv_usd - u.sizing.deterministic_npv_usd
    assert extra == pytest.approx(u.sizing.extra_npv_usd, rel=1e-9) and extra > 0
    proposal = None
    if form == "proposal":
        proposal = analyse(spec.loaded, confident)
    write_plan_outputs(confident, tmp_path, {"md", "html"}, proposal)
    for name in ("report.md", "report.html"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        link = "(#uncertainty)" if name.endswith(".md") else 'href="#uncertainty"'
        assert 'id="uncertainty"' in text and link in text, name
        assert f"{u.npv_usd.p10 / 1e6:.1f}" in text and f"{u.npv_usd.p90 / 1e6:.1f}" in text, name
        assert f"in {u.sizing.reached * 100:.1f} % of {u.sizing.out_of_sample:,} fresh futures" in text, name
        assert f"US$ {extra / 1e6:.1f} M more net present cost" in text, name


def test_a_three_year_reservation_shows_its_rent_in_the_horizon(catalog, tmp_path):
    """Only a cloud region, reserved at $1.00 per GPU-hour for three years against $3.20 on demand; 2.5 M users
    need 5 H100 servers over 2027–2029: 5 × 8 × $1.00 × 8,760 h = $350,400 a year, $1,051,200 over the three
    years, the workbook's rent for the contract and the plan's cloud rent."""
    doc = tiny_country(hardware=[H100])
    doc["workloads"]["chat"]["users"] = 2_500_000
    doc["planning"]["years"] = 3
    cloud = {**_cloud()["cloud"], "rent_usd_per_accelerator_hour": {H100: 3.2}}
    doc["sites"] = {"cloud": {**cloud, "rent_3y_usd_per_accelerator_hour": {H100: 1.0}}}
    plan = _plan(doc, catalog, tmp_path, "r.yaml")
    (reserve,) = plan.allocations
    assert (reserve.acquisition, reserve.units, reserve.year) == ("reserve_3y", 5, 2027)
    head, rows = _sheet(plan, tmp_path, "Bill of materials")
    contract, rented, _total = rows
    assert contract[head.index("Rent terms")] == "reserved for 3 years from 2027"
    assert contract[head.index("Rent in the horizon (USD)")] == pytest.approx(3 * 350_400, rel=1e-9)
    assert rented[head.index("Rent in the horizon (USD)")] == pytest.approx(1_051_200, rel=1e-9)
    assert sum(y.opex_lines_usd["rent"] for y in plan.costs_by_year) == pytest.approx(1_051_200, rel=1e-9)


def test_the_summarys_purchases_by_year_are_the_cost_tables_capex(catalog, tmp_path):
    """A training job's storage is bought with the hardware: the executive summary's "2027: $x of purchases" is
    the cost table's capex of 2027 (hardware, fabric, fit-out and storage), not the hardware alone."""
    from planner.pipeline import load_spec, size
    from planner.report.context import _summary
    from planner.report.fmt import format_usd
    from tests.conftest import tiny_country, write_yaml

    doc = tiny_country(hardware=["hgx_h100"])
    doc["workloads"]["tune"] = {"kind": "fine_tuning", "model": "llama_3_1_8b", "tokens": 5e9, "deadline_days": 20}
    typed = size(load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog), catalog)
    plan = typed.as_dict()
    (year,) = plan["costs_by_year"]
    assert year["capex_lines_usd"].get("storage", 0) > 0
    hardware_only = sum(a["capex_usd"] for a in plan["allocations"])
    assert format_usd(hardware_only) != format_usd(year["capex_usd"])  # $655 k against $656 k
    (when,) = [g["items"] for g in _summary(plan, typed.names) if g["label"] == "When"]
    assert any(f"{year['year']}: {format_usd(year['capex_usd'])} of purchases" in item for item in when), when
