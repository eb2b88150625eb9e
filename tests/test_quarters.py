"""Quarters inside years, each mechanism against a hand calculation.

Numbers used throughout (the suite pins today at 2026-07-01): the `chat` workload of 2.5 M users × 10 requests ×
300 output tokens × peak factor 3 is 260,416.7 output tokens/s at the busy hour; an H100 server's usable rate
comes from the plan's own per-unit estimate (the performance model is tested elsewhere) at the default 70 %
serving utilisation, so serving needs ceil(260,416.7 / (0.7 × rate)) = 5 servers. The `pretrain` job (3e11
tokens of Llama 3.1 8B in 6 days) needs 6 servers and runs under 6 days from 1 January: it holds them in 2027 Q1
only.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from conftest import tiny_country, write_yaml

from planner.pipeline import load_spec, size
from tests.independent_checker import check_plan

H100 = "hgx_h100"
PEAK = 2_500_000 * 10 * 300 / 86400 * 3


def _plan(doc, catalog, tmp_path, name="c.yaml"):
    return size(load_spec(write_yaml(tmp_path / name, doc), catalog), catalog)


def _country(go_live: str | None = "2027Q2", job_start: str | None = None) -> dict:
    doc = tiny_country(hardware=[H100])
    doc["sites"]["main_dc"].update(power_kw=20000, racks=400)
    doc["workloads"]["chat"]["users"] = 2_500_000
    if go_live:
        doc["workloads"]["chat"]["go_live"] = go_live
    job = {"kind": "pretraining", "model": "llama_3_1_8b", "tokens": 3e11, "deadline_days": 6}
    if job_start:
        job["earliest_start"] = job_start
    doc["workloads"]["pretrain"] = job
    return doc


def _serving_units(plan) -> int:
    rate = next(w for w in plan.workloads if w.name == "chat").per_unit[H100].output_tokens_per_s
    return math.ceil(PEAK / (0.7 * rate) - 1e-9)


def _job(plan):
    return next(w for w in plan.workloads if w.name == "pretrain").placement


def test_a_unit_that_trains_in_q1_serves_in_q2_to_q4(catalog, tmp_path):
    """Serving opens in Q2; the job runs in Q1. The plan buys max(job, serving) servers, not their sum as yearly
    blocking would; moved into Q2 (while serving runs), the same job needs the sum."""
    plan = _plan(_country(), catalog, tmp_path)
    assert plan.status == "optimal"
    job, serving = _job(plan), _serving_units(plan)
    assert (job.units, serving) == (6, 5)  # the hand figures the docstring states
    assert job.quarters == ["2027Q1"]
    assert job.start == "2027-01-01"
    assert job.end == (dt.date(2027, 1, 1) + dt.timedelta(days=math.ceil(job.wall_days))).isoformat()
    bought = sum(a.units for a in plan.allocations)
    assert bought == max(job.units, serving) == 6 < job.units + serving
    assert check_plan(_country(), catalog, plan.as_dict()) == []
    # the same job from 1 May runs while the service is live: both need their own servers in Q2
    later = _plan(_country(job_start="2027-05-01"), catalog, tmp_path, "later.yaml")
    assert _job(later).quarters == ["2027Q2"]
    assert sum(a.units for a in later.allocations) == job.units + serving == 11
    # the timeline shows the window and the go-live, in date order
    kinds = [(e.kind, e.start, e.end) for e in plan.timeline if e.kind in ("training", "go_live")]
    assert kinds == [("training", "2027-01-01", job.end), ("go_live", "2027-04-01", None)]
    assert [e.start for e in plan.timeline] == sorted(e.start for e in plan.timeline)


def test_a_go_live_in_q3_lets_first_year_units_arrive_late(catalog, tmp_path):
    """Decided on 1 March 2027, an H100 (12 weeks) arrives on 24 May and works from 1 July: a service opening on
    1 July is served, one opening in May is not. Tokens served in 2027 count from 1 July: 184 of 365 days."""
    doc = _country(go_live="2027-07-01")
    del doc["workloads"]["pretrain"]
    doc["planning"]["decision_date"] = "2027-03-01"
    plan = _plan(doc, catalog, tmp_path)
    assert plan.status == "optimal"
    (buy,) = plan.allocations
    assert (buy.order_by, buy.in_service_from) == ("2027-03-01", "2027-07-01")
    from planner.summary import summary_text

    # the terminal says so as a fact, not a warning: the service opens when the unit works
    them = "them" if buy.units > 1 else "it"
    assert f"in service from 2027-07-01 (nothing in the plan needs {them} earlier)" in summary_text(plan)
    assert buy.units == _serving_units(plan)
    delivery = next(e for e in plan.timeline if e.kind == "delivery")
    assert delivery.start == (dt.date(2027, 3, 1) + dt.timedelta(weeks=12)).isoformat() == "2027-05-24"
    (year,) = next(w for w in plan.workloads if w.name == "chat").by_year
    assert year.live_quarters == [3, 4]
    assert year.output_tokens_per_year == pytest.approx(PEAK / 3 * 86400 * 365 * 184 / 365, rel=1e-12)
    assert check_plan(doc, catalog, plan.as_dict()) == []
    doc["workloads"]["chat"]["go_live"] = "2027-05-01"
    early = _plan(doc, catalog, tmp_path, "early.yaml")
    assert early.status == "infeasible"
    assert "delivery_capacity" in {r.family for r in early.diagnosis.remedies}
    # and it says when the earliest is: decided 1 March + 12 weeks = 24 May, after Q2 (1 April) where the 1 May
    # opening needs capacity; the first quarter after is Q3 (1 July, as above), the first whole year 2028
    too_soon = early.diagnosis.earliest_service
    assert (too_soon.code, too_soon.values["works"], too_soon.values["opens"]) == (
        "too_soon_bought",
        "2027-05-24",
        "2027-04-01",
    )
    assert (too_soon.values["year"], too_soon.values["hardware"], too_soon.values["weeks"]) == (2028, H100, "12")
    from planner.summary import summary_text

    assert "can work before 2027-05-24" in summary_text(early) and "open it on 2027-07-01 or later" in summary_text(
        early
    )


def test_the_quickest_option_named_is_one_that_fits_the_site_and_serves_the_first_service(catalog, tmp_path):
    """Trial (Vietnam): 'nothing can work before 2028 (the quickest, the Atlas 950 SuperPoD, 52 weeks)' named a
    15 MW system for a 2.5 MW site. Here an MI300X server (10 weeks) draws 11 kW x PUE 1.4 = 15.4 kW, more than
    the site's 14.5 kW, so the quickest option is the H100 server (12 weeks, 14.3 kW): decided 1 March, it works
    from 24 May. An fp4 service (no fp4 on either) names neither: nothing can serve it."""
    doc = _country(go_live="2027-05-01")
    del doc["workloads"]["pretrain"]
    doc["hardware"] = ["mi300x_8x", H100]
    doc["sites"]["main_dc"].update(power_kw=14.5)
    doc["planning"]["decision_date"] = "2027-03-01"
    too_soon = _plan(doc, catalog, tmp_path).diagnosis.earliest_service
    assert (too_soon.values["hardware"], too_soon.values["works"]) == (H100, "2027-05-24")
    doc["sites"]["main_dc"].update(power_kw=20000)
    assert _plan(doc, catalog, tmp_path, "big.yaml").diagnosis.earliest_service.values["hardware"] == "mi300x_8x"
    doc["workloads"]["chat"].update(precision="fp4")
    assert _plan(doc, catalog, tmp_path, "fp4.yaml").diagnosis.earliest_service is None


def test_first_year_purchases_arriving_in_q2_do_not_serve_q1(catalog, tmp_path):
    """Two H100 servers already installed; 1.5 M users need 2.7 servers all year. Decided on 1 December 2026, a
    new server arrives on 23 February and works from Q2, so Q1's half server is rented in the cloud on demand for
    Q1 only (a bridge; tests/test_quarters_money.py prices it) and the bought server serves from Q2. Decided on 1
    September, the server is bought and works from 1 January: nothing is rented."""
    doc = tiny_country(hardware=[H100])
    doc["workloads"]["chat"]["users"] = 1_500_000
    doc["sites"]["main_dc"]["existing"] = [{"hardware": H100, "units": 2, "installed_year": 2026}]
    doc["sites"]["cloud"] = {
        "name": "Cloud",
        "jurisdiction": "TL",
        "kind": "sovereign_cloud",
        "rent_usd_per_accelerator_hour": {H100: 6.0},
    }
    doc["planning"]["decision_date"] = "2026-12-01"
    late = _plan(doc, catalog, tmp_path, "late.yaml")
    rate = next(w for w in late.workloads if w.name == "chat").per_unit[H100].output_tokens_per_s
    short = math.ceil(1_500_000 * 10 * 300 / 86400 * 3 / (0.7 * rate) - 2)
    assert short == 1
    got = [(a.acquisition, a.units, a.quarters, a.in_service_from) for a in late.allocations]
    assert got == [("rent", short, [1], None), ("buy", 1, None, "2027-04-01")]
    assert check_plan(doc, catalog, late.as_dict()) == []
    doc["planning"]["decision_date"] = "2026-09-01"
    early = _plan(doc, catalog, tmp_path, "early.yaml")
    assert [(a.acquisition, a.units, a.in_service_from) for a in early.allocations] == [("buy", 1, "2027-01-01")]


def test_resilience_counts_units_not_training_in_each_quarter(catalog, tmp_path):
    """Two identical sites, serving must survive the loss of either at 100 %: each site holds the 4 servers
    serving needs (5). The job's 6 servers train in Q1, before the service opens, and serve (and stand by) from
    Q2: 6 + 5 = 11 servers, not 6 + 5 + 5. Moved into Q2, while the service is live, the job's site must hold 6
    training plus 5 serving if the other site is lost: 11 + 5 = 16."""
    doc = _country()
    doc["sites"]["second_dc"] = {**doc["sites"]["main_dc"], "name": "Second DC"}
    doc["policy"] = {"resilience_fraction": 1.0}
    plan = _plan(doc, catalog, tmp_path)
    assert plan.status == "optimal"
    job, serving = _job(plan), _serving_units(plan)
    fleet = {s: sum(f.units for f in plan.installed if f.site == s) for s in ("main_dc", "second_dc")}
    other = "second_dc" if job.site == "main_dc" else "main_dc"
    assert (fleet[job.site], fleet[other]) == (max(job.units, serving), serving) == (6, 5)
    assert check_plan(doc, catalog, plan.as_dict(), failover_keeps_training=True) == []
    doc["workloads"]["pretrain"]["earliest_start"] = "2027-05-01"
    later = _plan(doc, catalog, tmp_path, "later.yaml")
    job = _job(later)
    fleet = {s: sum(f.units for f in later.installed if f.site == s) for s in ("main_dc", "second_dc")}
    other = "second_dc" if job.site == "main_dc" else "main_dc"
    assert (fleet[job.site], fleet[other]) == (job.units + serving, serving) == (11, 5)
    assert check_plan(doc, catalog, later.as_dict(), failover_keeps_training=True) == []


def test_the_timeline_shows_orders_deliveries_and_retirements(catalog, tmp_path):
    """2027–2028: two H100 servers installed in 2023 retire on 1 January 2028 (a 5-year life) and the plan buys
    their replacements for 2028 (a refresh); purchases for 2027 are ordered by 9 October 2026 (12 weeks before 1
    January) and delivered on 1 January."""
    doc = tiny_country(hardware=[H100])
    doc["planning"]["years"] = 2
    doc["workloads"]["chat"]["users"] = 2_000_000
    doc["sites"]["main_dc"]["existing"] = [{"hardware": H100, "units": 2, "installed_year": 2023}]
    plan = _plan(doc, catalog, tmp_path)
    assert plan.status == "optimal"
    events = {(e.kind, e.start) for e in plan.timeline}
    assert ("decision", "2026-07-01") in events
    assert {("order_by", "2026-10-09"), ("delivery", "2027-01-01")} <= events
    assert {("end_of_life", "2028-01-01"), ("refresh", "2028-01-01")} <= events
    assert [e.start for e in plan.timeline] == sorted(e.start for e in plan.timeline)
    assert check_plan(doc, catalog, plan.as_dict()) == []


def test_go_live_and_earliest_start_are_checked(catalog, tmp_path):
    """A quarter is read as its first day; a start outside the horizon, or one that contradicts `year`, is an
    input error naming the field."""
    from planner.errors import InputError

    doc = _country(go_live="2027-Q3")
    spec = load_spec(write_yaml(tmp_path / "ok.yaml", doc), catalog).spec
    assert spec.workloads["chat"].go_live == dt.date(2027, 7, 1)
    for field, value in (("go_live", "2031-01-01"), ("earliest_start", "2029-02-01")):
        bad = _country()
        target = "chat" if field == "go_live" else "pretrain"
        bad["workloads"][target][field] = value
        with pytest.raises(InputError) as info:
            load_spec(write_yaml(tmp_path / f"{field}.yaml", bad), catalog)
        assert field in info.value.format()
    clash = _country(job_start="2027-05-01")
    clash["workloads"]["pretrain"]["year"] = 2028
    with pytest.raises(InputError):
        load_spec(write_yaml(tmp_path / "clash.yaml", clash), catalog)


def test_serving_moves_between_sites_when_training_moves(catalog, tmp_path):
    """Two identical sites, each with a job that must run there (data classes), one in Q1 and one in Q2; serving
    (5 servers) may use either site. Each site holds its job's 6 servers, and serving uses the site not training:
    6 + 6 = 12 servers (yearly blocking: 6 + 6 + 5 = 17). No split holds all year, so Q1 and Q2 get their own."""
    doc = _country(go_live=None)
    doc["sites"]["second_dc"] = {**doc["sites"]["main_dc"], "name": "Second DC", "jurisdiction": "MY"}
    job = doc["workloads"].pop("pretrain")
    doc["workloads"]["train_main"] = {**job, "data_class": "at_main"}
    doc["workloads"]["train_second"] = {**job, "data_class": "at_second", "earliest_start": "2027-04-01"}
    doc["data_locality"] = {"at_main": {"jurisdictions": ["TL"]}, "at_second": {"jurisdictions": ["MY"]}}
    plan = _plan(doc, catalog, tmp_path)
    assert plan.status == "optimal"
    fleet = {s: sum(f.units for f in plan.installed if f.site == s) for s in ("main_dc", "second_dc")}
    assert fleet == {"main_dc": 6, "second_dc": 6}
    chat = next(w for w in plan.workloads if w.name == "chat")
    where = {(p.quarter, p.site) for p in chat.placements}
    assert (1, "second_dc") in where and (2, "main_dc") in where
    assert (1, "main_dc") not in where and (2, "second_dc") not in where
    assert check_plan(doc, catalog, plan.as_dict()) == []


def test_monte_carlo_counts_a_quarter_by_quarter_split_once(catalog, tmp_path):
    """Where serving moves between sites from one quarter to the next, each quarter's capacity is that quarter's
    units, not the sum of the quarters' splits: in Q1 and Q2 the site not training then, its 6 servers (4.31
    assigned, demand / usable rate with the serve variable continuous, and 1.69 idle, which serve too); in Q3 and
    Q4, both jobs done, all 12. The year holds its tightest quarter's 6."""
    from planner.sizing.data import build_problem_data
    from planner.uncertainty.fixed import _serving_units as units_serving

    doc = _country(go_live=None)
    doc["sites"]["second_dc"] = {**doc["sites"]["main_dc"], "name": "Second DC", "jurisdiction": "MY"}
    job = doc["workloads"].pop("pretrain")
    doc["workloads"]["train_main"] = {**job, "data_class": "at_main"}
    doc["workloads"]["train_second"] = {**job, "data_class": "at_second", "earliest_start": "2027-04-01"}
    doc["data_locality"] = {"at_main": {"jurisdictions": ["TL"]}, "at_second": {"jurisdictions": ["MY"]}}
    loaded = load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog)
    plan = size(loaded, catalog)
    assert {p.quarter for w in plan.workloads for p in w.placements} >= {1, 2}
    units = units_serving(plan, build_problem_data(loaded.spec, catalog))
    rate = next(w for w in plan.workloads if w.name == "chat").per_unit[H100].output_tokens_per_s
    assert [units["chat", H100, 2027, q] for q in (1, 2, 3, 4)] == pytest.approx([6, 6, 12, 12], rel=1e-9)
    assert 4 < PEAK / (0.7 * rate) < 5


def test_the_lead_time_risk_reads_the_plans_own_dates(catalog, tmp_path):
    """Decided 1 March 2027, the H100 ordered that day works from 1 July: the risk says so, with those dates, and
    not that an order date (1 January less 12 weeks, in 2026) is already past."""
    from planner.report.risks import lead_times, risks

    doc = _country(go_live="2027-07-01")
    del doc["workloads"]["pretrain"]
    doc["planning"]["decision_date"] = "2027-03-01"
    plan = _plan(doc, catalog, tmp_path).as_dict()
    (lt,) = lead_times(plan, catalog)
    assert (lt["order_by_iso"], lt["works_from"], lt["late"]) == ("2027-03-01", "2027-07-01", True)
    (risk,) = [r for r in risks(plan, catalog) if r["kind"] == "lead time"]
    assert "works from 1 July 2027, not from 1 January 2027" in risk["message"]
    assert "already past" not in risk["message"]


def test_the_report_says_every_timeline_step_in_the_report_language(catalog, tmp_path):
    """Each sentence the sizing core writes into plan.timeline is recognised by the report, which says it again
    with names and in the report's language (a change of wording in the sizing core fails here)."""
    from planner.report import i18n
    from planner.report.timeline import step_label

    doc = _country(go_live="2027Q2")
    plan = _plan(doc, catalog, tmp_path)
    kinds = {e.kind for e in plan.timeline}
    assert {"decision", "order_by", "delivery", "training", "go_live"} <= kinds
    for e in plan.timeline:
        english = step_label(e.label, plan.names)
        assert english is not None, e.label
        assert "`" not in english
        with i18n.language("fr"):
            assert step_label(e.label, plan.names) != english, e.label


def test_a_past_order_date_is_judged_on_the_day_the_plan_was_made_for(catalog, tmp_path):
    """Pinned to 1 July 2026 (the suite's today), an H100 for 2027 is ordered by 9 October 2026 (1 January less
    12 weeks): not past on the plan's day, whatever the clock says when the report is rendered, and past once the
    plan is made for a later day."""
    from planner.report.risks import risks

    doc = _country(go_live="2027-01-01")
    del doc["workloads"]["pretrain"]
    plan = _plan(doc, catalog, tmp_path).as_dict()
    assert plan["provenance"]["as_of"] == "2026-07-01"
    plan["provenance"]["created_utc"] = "2026-12-03T10:00:00Z"  # rendered months later: not the plan's day
    assert not any("already past" in r["message"] for r in risks(plan, catalog))
    plan["provenance"]["as_of"] = "2026-11-01"
    late = [r for r in risks(plan, catalog) if r["kind"] == "lead time"]
    assert late and "already past" in late[0]["message"] and "2026-11-01" in late[0]["message"]


def test_a_training_job_that_starts_before_anything_can_arrive_says_when_it_could(catalog, tmp_path):
    """Decided on 1 March 2027, an H100 (12 weeks) arrives on 24 May and works from Q3: a job starting on 1 January
    2027 cannot run; the diagnosis gives the day it could start (1 July) and the field to change."""
    doc = _country(go_live=None)
    del doc["workloads"]["chat"]
    doc["planning"]["decision_date"] = "2027-03-01"
    plan = _plan(doc, catalog, tmp_path)
    assert plan.status == "infeasible"
    too_soon = plan.diagnosis.earliest_service
    assert too_soon.code == "too_soon_training"
    v = too_soon.values
    assert (v["workload"], v["start"], v["works"], v["hardware"], v["weeks"]) == (
        "pretrain",
        "2027-01-01",
        "2027-07-01",
        H100,
        "12",
    )
    from planner.summary import summary_text

    assert "set its earliest_start to 2027-07-01 or later" in summary_text(plan)


def test_monte_carlo_serves_from_units_a_training_run_frees_after_its_quarter(catalog, tmp_path):
    """Serving opens in Q2; the job holds its 6 servers in Q1 only. In Q2-Q4 all 6 work and serve (5 assigned, 1
    idle shared with it), so the Monte Carlo's 2027 capacity at the planned figures is 6 servers' usable rate; it
    counted the job's servers busy all year before, and sized extra hardware against that (new-user trial)."""
    import numpy as np

    from planner.sizing.data import build_problem_data
    from planner.uncertainty.fixed import _serving
    from planner.uncertainty.montecarlo import _held

    loaded = load_spec(write_yaml(tmp_path / "c.yaml", _country()), catalog)
    plan = size(loaded, catalog)
    (req,) = _serving(plan, build_problem_data(loaded.spec, catalog))
    usable = 0.7 * next(w for w in plan.workloads if w.name == "chat").per_unit[H100].output_tokens_per_s
    assert req.live.tolist() == [[False, True, True, True]]
    ones = {name: np.ones(1) for name in req.capacity}
    assert _held(req, ones, 1, 1)[0, 0] == pytest.approx(6 * usable, rel=1e-9)


def test_monte_carlo_counts_no_demand_before_the_go_live(catalog, tmp_path):
    """The service opens in 2028: 2027 has no demand in any future, so it is met in all of them (before, the
    Monte Carlo asked 2027 for the full year's demand and reported it met in 0 % of futures)."""
    from planner.sizing.data import build_problem_data
    from planner.uncertainty.evaluate import evaluate_plan as evaluate

    doc = _country(go_live="2028Q1")
    doc["planning"]["years"] = 2
    loaded = load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog)
    plan = size(loaded, catalog)
    result = evaluate(plan, build_problem_data(loaded.spec, catalog), catalog, samples=200, seed=1)
    first = next(s for s in result.serving if s.year == 2027)
    assert (first.probability, first.demand_p50, first.demand_p90) == (1.0, 0.0, 0.0)
    second = next(s for s in result.serving if s.year == 2028)
    assert second.demand_p50 == pytest.approx(PEAK, rel=0.2)


def test_users_are_those_of_the_year_the_service_opens():
    """Trial (Saudi Arabia): 8 M users going live in 2028 in a plan from 2027 at +25 % a year were sized as
    10 M in 2028 (growth counted from the plan's first year). The same users opening in 2028 give 2028 the
    demand the plan's first year has when the service opens then, and 2029 1.25 times it."""
    import planner
    from planner.sizing.data import build_problem_data

    def peaks(go_live):
        doc = tiny_country(planning={"start_year": 2027, "years": 3, "discount_rate": 0.0})
        doc["workloads"]["chat"]["growth_per_year"] = 0.25
        if go_live:
            doc["workloads"]["chat"]["go_live"] = go_live
        spec = planner.load(doc)
        data = build_problem_data(spec.loaded.spec, spec.catalog)
        return next(n for n in data.serving if n.workload == "chat").peak_output_tokens_per_s

    at_start, later = peaks(None), peaks("2028-01-01")
    assert later[2028] == pytest.approx(at_start[2027])
    assert later[2029] == pytest.approx(1.25 * at_start[2027])
    assert at_start[2028] == pytest.approx(1.25 * at_start[2027])
