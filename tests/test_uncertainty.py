"""Monte Carlo of a fixed plan and sizing at a confidence (planner/uncertainty/).

Probabilities and percentiles are checked against closed forms worked out by hand from the distributions; the
sizing test checks the confidence reached on futures drawn with a seed the sizing never saw.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import planner
from planner.errors import InputError
from planner.plan import Plan
from planner.runner import run_many
from planner.uncertainty.distributions import Draw, chunk_sizes
from planner.uncertainty.fixed import FixedPlan, ServingRequirement, TrainingRequirement
from planner.uncertainty.montecarlo import _evaluate_chunk, all_met, simulate
from tests.conftest import EXAMPLES, tiny_country


def _one_workload(capacity_over_demand: float, throughput: Draw, demand: Draw, *, price: Draw | None = None):
    """A plan with one serving workload (demand 100 tokens/s, one year) and one cost term of 1,000 USD."""
    fixed = FixedPlan(
        years=[2027],
        keys=[("price:x",)],
        npv=np.array([1000.0]),
        capex=np.array([[1000.0]]),
        opex=np.array([[0.0]]),
        serving=[
            ServingRequirement(
                "chat",
                np.array([100.0]),
                0.0,
                np.array([0.0]),
                {"throughput:p": np.array([100.0 * capacity_over_demand])},
            )
        ],
        training=[],
        nominal_npv_usd=1000.0,
    )
    draws = {
        "throughput:p": throughput,
        "demand:chat": demand,
        "growth:chat": Draw("constant", 0.0, 0.0),
        "price:x": price or Draw("constant", 1.0, 1.0),
    }
    return fixed, draws


def test_probability_of_meeting_demand_under_uniform_demand_is_the_share_of_the_range_below_capacity():
    # capacity 1.1 x planned demand, demand uniform within -20 %..+20 %: met when x <= 0.1, i.e. (0.1 + 0.2) / 0.4
    fixed, draws = _one_workload(1.1, Draw("constant", 1.0, 1.0), Draw("uniform", -0.2, 0.2))
    out = simulate(fixed, draws, 20_000, seed=7)
    assert out.serving_met.mean() == pytest.approx(0.75, abs=0.01)


def test_probability_of_meeting_demand_under_lognormal_throughput_is_the_normal_cdf():
    # throughput exp(0.2 Z), capacity 1.1 x demand: met when exp(0.2 Z) >= 1/1.1, P = Phi(ln 1.1 / 0.2)
    fixed, draws = _one_workload(1.1, Draw("lognormal", 0.01, 100.0, sigma=0.2), Draw("constant", 1.0, 1.0))
    expected = 0.5 * (1 + math.erf(math.log(1.1) / 0.2 / math.sqrt(2)))  # 0.6832
    out = simulate(fixed, draws, 20_000, seed=7)
    assert out.serving_met.mean() == pytest.approx(expected, abs=0.01)


def test_cost_percentiles_follow_the_triangular_price_range():
    # triangular(-0.3, 0, 0.3): P10 solves (x + 0.3)^2 / (2 * 0.3^2) = 0.1, x = -0.3 + 0.3 * sqrt(0.2)
    fixed, draws = _one_workload(1.0, Draw("constant", 1.0, 1.0), Draw("constant", 1.0, 1.0))
    draws["price:x"] = Draw("triangular", -0.3, 0.3)
    out = simulate(fixed, draws, 40_000, seed=3)
    p10, p50, p90 = np.percentile(out.npv, [10, 50, 90])
    assert p10 == pytest.approx(1000 * (0.7 + 0.3 * math.sqrt(0.2)), rel=0.005)
    assert p50 == pytest.approx(1000.0, rel=0.005)
    assert p90 == pytest.approx(1000 * (1.3 - 0.3 * math.sqrt(0.2)), rel=0.005)


def test_training_deadline_probability_is_the_uniform_share_of_the_band():
    # 26 days estimated, deadline 30, time x uniform over [0.91, 1.39] of the estimate: P = (30/26 - 0.91) / 0.48
    fixed, draws = _one_workload(1.0, Draw("constant", 1.0, 1.0), Draw("constant", 1.0, 1.0))
    fixed.training = [TrainingRequirement("job", 30.0, 26.0)]
    draws["training_time:job"] = Draw("uniform", -0.09, 0.39)
    out = simulate(fixed, draws, 20_000, seed=11)
    assert out.training_met(np.array([30.0])).mean() == pytest.approx((30 / 26 - 0.91) / 0.48, abs=0.01)
    # capacity equals demand exactly: serving is always met, so everything is met as often as the job is
    assert all_met(fixed, out).mean() == pytest.approx(out.training_met(np.array([30.0])).mean())


def test_futures_do_not_depend_on_how_the_chunks_are_spread_over_workers():
    fixed, draws = _one_workload(1.05, Draw("lognormal", 0.1, 10.0, sigma=0.1), Draw("triangular", -0.2, 0.3))
    items = [(fixed, draws, 5, i, n) for i, n in enumerate(chunk_sizes(600))]
    serial = run_many(_evaluate_chunk, items, workers=1)
    parallel = run_many(_evaluate_chunk, items, workers=2)
    for a, b in zip(serial, parallel, strict=True):
        assert np.array_equal(a.npv, b.npv) and np.array_equal(a.capacity, b.capacity)


@pytest.fixture(scope="module")
def malaysia():
    spec = planner.load(EXAMPLES / "malaysia.yaml", set={"uncertainty.demand": {"low": -0.2, "high": 0.3}})
    return spec, planner.size(spec)


def test_at_the_planned_figures_the_evaluation_prices_the_plan_as_the_solver_did(malaysia):
    from planner.sizing.data import build_problem_data
    from planner.uncertainty.fixed import fixed_plan
    from planner.uncertainty.inputs import input_factors

    spec, plan = malaysia
    data = build_problem_data(spec.country, spec.catalog)
    fixed = fixed_plan(plan, data, input_factors(data, spec.catalog))
    assert fixed.nominal_npv_usd == pytest.approx(plan.totals.npv_usd, rel=1e-9)
    assert fixed.capex.sum() == pytest.approx(plan.totals.capex_usd, rel=1e-9)
    assert fixed.opex.sum(axis=0) == pytest.approx([y.opex_usd for y in plan.costs_by_year], rel=1e-9)


def test_npv_percentiles_move_less_than_one_percent_between_seeds(malaysia):
    spec, plan = malaysia
    one = planner.evaluate_uncertainty(plan.model_copy(deep=True), spec, samples=1000, seed=1)
    two = planner.evaluate_uncertainty(plan.model_copy(deep=True), spec, samples=1000, seed=2)
    for p in ("p10", "p50", "p90"):
        assert abs(one.npv_usd[p] / two.npv_usd[p] - 1) < 0.01
    assert one.npv_usd.p10 < plan.totals.npv_usd * 1.02 and one.npv_usd.p90 > plan.totals.npv_usd * 0.98


def test_the_evaluation_is_in_plan_json_and_reads_back(malaysia, tmp_path):
    spec, plan = malaysia
    plan = plan.model_copy(deep=True)
    planner.evaluate_uncertainty(plan, spec, samples=200, seed=4)
    again = Plan.parse(plan.to_json())
    assert again.uncertainty == plan.uncertainty
    assert again.uncertainty["npv_usd"]["p10"] <= again.uncertainty["npv_usd"]["p50"] <= plan.uncertainty.npv_usd.p90
    names = {(s.workload, s.year) for s in again.uncertainty.serving}
    assert names == {(w, y) for w in ("gov_assistant", "public_chat_8b") for y in (2028, 2029, 2030)}
    assert [t.workload for t in again.uncertainty.training] == ["malay_cpt_70b"]


def test_a_small_plan_sized_at_confidence_meets_demand_in_fresh_futures_and_costs_more():
    doc = tiny_country(uncertainty={"demand": {"low": -0.3, "high": 0.5}, "samples": 200, "seed": 3})
    doc["planning"]["years"] = 2
    doc["workloads"]["chat"]["growth_per_year"] = 0.4
    doc["workloads"]["chat"]["users"] = 4e6  # a dozen units or more: integer rounding alone gives no headroom
    deterministic = planner.size(doc)
    doc["planning"]["confidence"] = 0.9
    plan = planner.size(doc)
    assert plan.uncertainty.sizing.met
    assert plan.totals.npv_usd > deterministic.totals.npv_usd
    fresh = planner.evaluate_uncertainty(plan.model_copy(deep=True), doc, samples=1000, seed=55_555)
    plain = planner.evaluate_uncertainty(deterministic.model_copy(deep=True), doc, samples=1000, seed=55_555)
    assert fresh.all_met >= 0.88 > plain.all_met


@pytest.mark.slow
def test_a_plan_sized_at_confidence_meets_demand_in_fresh_futures_and_costs_more(malaysia):
    spec, deterministic = malaysia
    sized_spec = planner.load(
        EXAMPLES / "malaysia.yaml",
        set={
            "planning.confidence": 0.9,
            "uncertainty.demand": {"low": -0.2, "high": 0.3},
            "uncertainty.samples": 300,
            "uncertainty.seed": 21,
        },
    )
    plan = planner.size(sized_spec)
    sizing = plan.uncertainty.sizing
    assert sizing.met and sizing.reached >= 0.9
    assert plan.totals.npv_usd > deterministic.totals.npv_usd
    assert sizing.extra_npv_usd == pytest.approx(plan.totals.npv_usd - deterministic.totals.npv_usd)
    # futures neither the sizing (seed 21) nor its check (seed 21 + offset) drew
    fresh = planner.evaluate_uncertainty(plan.model_copy(deep=True), spec, samples=1000, seed=987_654)
    assert fresh.all_met >= 0.88
    plain = planner.evaluate_uncertainty(deterministic.model_copy(deep=True), spec, samples=1000, seed=987_654)
    assert plain.all_met < fresh.all_met
    # the plan shows the demand as planned (the MILP saw it at its quantile), with capacity above it
    gov = next(w for w in plan.workloads if w.name == "gov_assistant")
    assert gov.by_year[0].demand_output_tokens_per_s == pytest.approx(
        next(w for w in deterministic.workloads if w.name == "gov_assistant").by_year[0].demand_output_tokens_per_s
    )
    assert all(row.capacity_output_tokens_per_s > row.demand_output_tokens_per_s for row in gov.by_year)


def test_cli_prints_the_spread_and_writes_it_to_plan_json(cli, tmp_path):
    result = cli("size", EXAMPLES / "malaysia.yaml", "--out", tmp_path, "--monte-carlo", "200", "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "Under uncertainty (200 futures, seed 3)" in result.output
    plan = Plan.read(tmp_path / "plan.json")
    assert plan.uncertainty.samples == 200 and plan.uncertainty.seed == 3


@pytest.mark.parametrize(
    ("uncertainty", "path", "words"),
    [
        ({"demand": {"low": 0.1, "high": 0.5}}, "uncertainty.demand.low", "less than or equal to 0"),
        (
            {"growth": {"low": -0.1, "high": 0.2, "distribution": "normal"}},
            "uncertainty.growth.distribution",
            "triangular",
        ),
        (
            {"workloads": {"nope": {"demand": {"low": -0.1, "high": 0.1}}}},
            "uncertainty",
            "`nope`, not a serving workload",
        ),
        ({"samples": 5}, "uncertainty.samples", "greater than or equal to 10"),
    ],
)
def test_uncertainty_ranges_are_checked_with_precise_errors(uncertainty, path, words):
    with pytest.raises(InputError) as exc:
        planner.load(tiny_country(uncertainty=uncertainty))
    issue = exc.value.issues[0]
    assert words in issue.message
    assert issue.path == path


def test_confidence_must_be_a_share_of_futures():
    doc = tiny_country()
    doc["planning"]["confidence"] = 1.5
    with pytest.raises(InputError) as exc:
        planner.load(doc)
    assert exc.value.issues[0].path == "planning.confidence"


def test_signed_serving_errors_are_up_to_date_with_the_validation_set(catalog):
    from planner.uncertainty.serving_errors import RATIOS, measured_ratios

    assert measured_ratios(catalog) == RATIOS, "run `python -m planner.uncertainty.serving_errors --write`"


def test_announced_hardware_draws_the_uncalibrated_throughput_spread():
    """The Monte Carlo drew AMD Helios (announced) within the MI300X runs' 0.85-1.17 since both share a profile;
    announced hardware has a throughput factor of its own at the uncalibrated spread, shipping chips keep their
    profile's."""
    from planner.sizing.data import build_problem_data
    from planner.uncertainty.distributions import UNCALIBRATED_BAND
    from planner.uncertainty.inputs import input_factors, throughput_key

    spec = planner.load(tiny_country(hardware=["mi300x_8x", "helios_mi455x"]))
    data = build_problem_data(spec.loaded.spec, spec.catalog)
    factors = input_factors(data, spec.catalog)
    helios, mi300x = data.hardware["helios_mi455x"], data.hardware["mi300x_8x"]
    assert helios.efficiency_profile == mi300x.efficiency_profile
    announced = factors[f"throughput:{throughput_key(helios)}"]
    shipping = factors[f"throughput:{throughput_key(mi300x)}"]
    assert announced.high == pytest.approx(1.0 + UNCALIBRATED_BAND[1])
    assert shipping.high < announced.high
