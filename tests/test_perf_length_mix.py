"""Request-length mixes: running sequences hold the output-weighted mean lengths, not the plain means.

Hand calculations: a decode step serves the running sequences, and a request stays in the batch for as many steps
as it generates tokens, so a request of `out` answer tokens is seen by `out` steps. With two equally frequent
requests of 200 prompt tokens and 100 or 300 answer tokens, the steps see prompts of 200 and answers of
(100 * 100 + 300 * 300) / (100 + 300) = 250 tokens (the plain mean is 200); the mean decode context is
200 + 250 / 2 = 325 tokens, not 200 + 200 / 2 = 300.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from planner.catalog import load_catalog
from planner.cli_estimate import estimate_app
from planner.perf.examples import make_hardware, make_model, make_profile
from planner.perf.serving import length_mix_from_spread, parse_precision, serving_estimate
from planner.perf.steps import Layout, Replica, step_time

H100 = make_hardware()
PROFILE = make_profile(memory_efficiency=0.8, compute_efficiency=0.4, decode_overhead_ms=1.0)
LLAMA = make_model()


def _replica(**mix: float) -> Replica:
    return Replica(LLAMA, H100, PROFILE, Layout(2, 1), parse_precision("fp8"), 200.0, 200.0, **mix)


def test_two_request_types_give_the_hand_calculated_context() -> None:
    plain, mixed = _replica(), _replica(mix_input_tokens=200.0, mix_output_tokens=250.0)
    assert plain.decode_context == pytest.approx(300.0)
    assert mixed.decode_context == pytest.approx(325.0)
    # a sequence reserves its prompt and whole answer: 200 + 250 tokens instead of 200 + 200
    per_seq_plain = plain.kv_bytes_per_chip_per_seq(400.0)
    per_seq_mixed = mixed.kv_bytes_per_chip_per_seq(450.0)
    free = H100.hbm_gb_per_chip * 1e9 * plain.usable_fraction - plain.weight_bytes_per_chip()
    assert plain.max_batch() == int(free // per_seq_plain)
    assert mixed.max_batch() == int(free // per_seq_mixed)


def test_memory_bound_decode_attention_grows_with_the_weighted_context() -> None:
    # 256 sequences of an 8B-class model: the attention over the KV cache is bandwidth-bound, so its time is the
    # KV bytes read, proportional to the context: 325 / 300
    small = make_model(params_total_b=8.0, params_active_b=8.0, layers=32, hidden_size=4096, attention_heads=32)
    plain = replace(_replica(), model=small)
    mixed = replace(plain, mix_input_tokens=200.0, mix_output_tokens=250.0)
    t_plain = step_time(plain, 256.0).ops["attention_decode"]
    t_mixed = step_time(mixed, 256.0).ops["attention_decode"]
    assert t_mixed / t_plain == pytest.approx(325.0 / 300.0, rel=1e-6)
    # the rest of the step (weights, prompts per step) does not depend on the spread
    for op in ("attention_projections", "mlp", "elementwise"):
        assert step_time(mixed, 256.0).ops[op] == pytest.approx(step_time(plain, 256.0).ops[op])


def test_spread_from_a_coefficient_of_variation() -> None:
    # an exponential spread (cv 1) doubles the output-weighted answer: E[out^2]/E[out] = E[out] (1 + cv^2)
    assert length_mix_from_spread(500, 300, 1.0) == (500.0, 600.0)
    assert length_mix_from_spread(500, 300, 0.0) == (500.0, 300.0)
    with pytest.raises(ValueError):
        length_mix_from_spread(500, 300, -0.5)


def test_no_spread_is_the_plain_estimate_and_a_spread_lowers_a_kv_bound_one() -> None:
    cat = load_catalog()
    hw = cat.hardware["hgx_h100"]
    model = cat.models["llama_3_1_70b"]
    profile = cat.efficiency_profiles[hw.efficiency_profile]
    base = serving_estimate(model, hw, profile, 1000, 1000, precision="fp8", layout="tp=2")
    same = serving_estimate(model, hw, profile, 1000, 1000, precision="fp8", layout="tp=2", length_mix=(1000, 1000))
    spread = serving_estimate(
        model, hw, profile, 1000, 1000, precision="fp8", layout="tp=2", length_mix=length_mix_from_spread(1000, 1000, 1)
    )
    assert same.output_tokens_per_s_per_unit == pytest.approx(base.output_tokens_per_s_per_unit)
    # 80 GB chips hold fewer sequences of 1000 + 2000 tokens than of 1000 + 1000: a smaller batch, a lower rate
    assert spread.batch < base.batch
    assert spread.output_tokens_per_s_per_unit < base.output_tokens_per_s_per_unit
    assert "length_mix" in spread.factors and "length_mix" not in base.factors


def test_cli_output_cv() -> None:
    args = ["serve", "--model", "llama_3_1_70b", "--hardware", "hgx_h100", "--input-tokens", "1000",
            "--output-tokens", "1000", "--precision", "fp8", "--json"]
    runner = CliRunner()
    plain = json.loads(runner.invoke(estimate_app, args, catch_exceptions=False).stdout)
    spread = json.loads(runner.invoke(estimate_app, [*args, "--output-cv", "1"], catch_exceptions=False).stdout)
    assert spread["output_tokens_per_s"] < plain["output_tokens_per_s"]
    assert "length_mix" in spread["factors"]
    bad = runner.invoke(estimate_app, [*args, "--output-cv", "-1"])
    assert bad.exit_code != 0


def test_a_country_workload_with_a_spread_of_answers_gets_its_mix(catalog, tmp_path) -> None:
    """`output_tokens_cv` in country.yaml reaches the perf model: the per-unit rate is the one the estimate gives
    for the mix (input, output x (1 + cv^2)), and without it the plain one."""
    from conftest import tiny_country, write_yaml

    from planner.pipeline import load_spec, size

    rates, layouts = {}, {}
    for cv in (None, 1.0):
        doc = tiny_country(hardware=["hgx_h100"])
        doc["workloads"]["chat"]["model"] = "llama_3_1_70b"
        doc["workloads"]["chat"]["precision"] = "fp8"
        if cv is not None:
            doc["workloads"]["chat"]["output_tokens_cv"] = cv
        plan = size(load_spec(write_yaml(tmp_path / f"c{cv}.yaml", doc), catalog), catalog)
        point = next(w for w in plan.workloads if w.name == "chat").per_unit["hgx_h100"]
        rates[cv], layouts[cv] = point.output_tokens_per_s, point.layout
    hw = catalog.hardware["hgx_h100"]
    model = catalog.models["llama_3_1_70b"]
    profile = catalog.efficiency_profiles[hw.efficiency_profile]
    kw = {"tpot_ms": 50, "precision": "fp8", "scenario": "server", "percentile": 95.0}
    expect = serving_estimate(model, hw, profile, 500, 300, length_mix=(500, 600), **kw)
    assert rates[1.0] == pytest.approx(expect.output_tokens_per_s_per_unit, rel=1e-9)
    assert layouts[1.0] == expect.layout  # the plan records the layout its rate assumes
    assert rates[1.0] < rates[None]


def test_a_tail_longer_than_the_context_window_is_cut_there() -> None:
    cat = load_catalog()
    hw = cat.hardware["hgx_h100"]
    model = cat.models["llama_3_1_70b"]
    profile = cat.efficiency_profiles[hw.efficiency_profile]
    est = serving_estimate(model, hw, profile, 1000, 2000, precision="fp8", length_mix=(1000, 2000 * 101))
    assert est.factors["length_mix"].value == pytest.approx(model.context_tokens - 1000)
