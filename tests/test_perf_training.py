"""Training model v2 (issue 13): FLOPs, memory, layout search, sizing for a deadline, goodput by scale."""

from __future__ import annotations

import math

import pytest

from planner.catalog import load_catalog
from planner.perf.layout import Layout, parse_layout
from planner.perf.training import (
    attention_flops_per_token,
    best_layout,
    flops_per_token,
    scale_goodput,
    training_estimate,
    training_memory_bytes,
)


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def _hw(cat, hw_id):
    hw = cat.hardware[hw_id]
    return hw, cat.efficiency_profiles[hw.efficiency_profile]


def test_dense_flops_six_n_plus_causal_attention(cat) -> None:
    m = cat.models["llama_2_70b"]
    # MHA/GQA: 3 x L x s x heads x (d_qk + d_v) = 6 x L x s x d_model (PaLM), per token
    assert attention_flops_per_token(m, 4096) == pytest.approx(6 * 80 * 4096 * 8192)
    assert flops_per_token(m, "pretraining", 4096) == pytest.approx(6 * 68.98e9 + 6 * 80 * 4096 * 8192, rel=1e-3)
    assert flops_per_token(m, "lora", 4096) == pytest.approx(flops_per_token(m, "full", 4096) * 4 / 6)
    assert flops_per_token(m, "qlora", 4096) == flops_per_token(m, "lora", 4096)
    assert flops_per_token(m, "continued_pretraining", 4096) == flops_per_token(m, "pretraining", 4096)


def test_mla_attention_uses_head_widths_not_d_model(cat) -> None:
    v3 = cat.models["deepseek_v3"]
    # 128 heads x (192 + 128) at 4,096 tokens, 61 layers: 30.7 GFLOP per token (not 10.7 from d_model)
    assert attention_flops_per_token(v3, 4096) == pytest.approx(30.7e9, rel=0.01)
    assert pytest.approx(10.7e9, rel=0.01) == 6 * 61 * 4096 * 7168


def test_unknown_method_and_precision(cat) -> None:
    hw, prof = _hw(cat, "hgx_h100")
    with pytest.raises(ValueError, match="unknown training method"):
        flops_per_token(cat.models["llama_2_7b"], "rlhf")
    with pytest.raises(ValueError, match="unknown training precision"):
        training_estimate(cat.models["llama_2_7b"], hw, prof, 1e9, chips=8, precision="fp6")


def test_signature_days_gives_fewest_whole_units(cat) -> None:
    hw, prof = _hw(cat, "hgx_h100")
    m = cat.models["llama_3_1_70b"]
    est = training_estimate(m, hw, prof, 1e12, method="pretraining", days=30)
    assert est.wall_days <= 30
    assert est.chips == est.units * hw.chips_per_unit
    fewer = training_estimate(m, hw, prof, 1e12, units=est.units - 1)
    assert fewer.wall_days > 30
    assert est.accelerator_hours == pytest.approx(est.chips * est.wall_days * 24)
    assert 0.2 < est.mfu < 0.9 and 0.5 < est.goodput <= 1
    for key in ("mfu", "goodput", "layout", "precision", "activation_recompute"):
        assert key in est.factors


def test_memory_floor_is_respected(cat) -> None:
    hw, prof = _hw(cat, "hgx_a100")
    m = cat.models["llama_2_70b"]
    est = training_estimate(m, hw, prof, 1e6, days=365)
    assert est.chips >= est.memory_floor_chips == 16
    assert est.fits


def test_too_few_chips_do_not_fit(cat) -> None:
    hw, prof = _hw(cat, "hgx_a100")
    est = training_estimate(cat.models["llama_2_70b"], hw, prof, 1e9, chips=8)
    assert not est.fits and est.chips < est.memory_floor_chips


def test_overrides(cat) -> None:
    hw, prof = _hw(cat, "hgx_a100")
    est = training_estimate(cat.models["llama_2_70b"], hw, prof, 1e12, chips=64, mfu=0.5, goodput=0.95)
    assert est.mfu == 0.5 and est.goodput == 0.95
    assert est.wall_days == pytest.approx(est.model_flops / (64 * 312e12 * 0.5 * 0.95) / 86400)
    with pytest.raises(ValueError, match="--mfu"):
        training_estimate(cat.models["llama_2_70b"], hw, prof, 1e12, chips=8, mfu=1.5)
    with pytest.raises(ValueError, match="exactly one"):
        training_estimate(cat.models["llama_2_70b"], hw, prof, 1e12, chips=8, days=3)


def test_layout_with_dp_fixes_the_chip_count(cat) -> None:
    hw, prof = _hw(cat, "hgx_a100")
    est = training_estimate(cat.models["bloom_176b"], hw, prof, 366e9, layout=parse_layout("tp=4,pp=12,dp=8"))
    assert est.chips == 384 and est.parallel.tp == 4 and est.parallel.pp == 12 and est.parallel.dp == 8


def test_parse_layout_errors() -> None:
    assert parse_layout("tp=4, pp=12,dp=8,sp=0,mbs=2") == {
        "tp": 4, "pp": 12, "dp": 8, "sequence_parallel": False, "micro_batch": 2}
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_layout("tensor=4")
    with pytest.raises(ValueError, match="whole number"):
        parse_layout("tp=four")
    with pytest.raises(ValueError, match="expert parallel"):
        Layout(tp=1, dp=2, ep=8)


def test_an_impossible_pinned_layout_is_an_error(cat) -> None:
    hw, prof = _hw(cat, "hgx_h800")
    with pytest.raises(ValueError, match="expert parallel"):
        training_estimate(cat.models["deepseek_v3"], hw, prof, 1e9, layout={"tp": 1, "pp": 16, "ep": 64, "dp": 2})


def test_search_returns_the_fastest_memory_feasible_layout(cat) -> None:
    hw, prof = _hw(cat, "hgx_h100")
    m = cat.models["llama_3_1_70b"]
    best = best_layout(m, hw, prof, 64, seq_len=8192)
    assert best.fits
    for lay in (Layout(tp=8, pp=8, dp=1), Layout(tp=4, pp=4, dp=4), Layout(tp=2, pp=8, dp=4, recompute="full")):
        mem = training_memory_bytes(m, "pretraining", lay, 8192)
        if mem["total"] <= best.usable_bytes:
            other = training_estimate(m, hw, prof, 1e9, layout=lay, seq_len=8192, steady_state=True)
            assert other.tokens_per_s_per_chip <= best.tokens_per_s * (1 + 1e-9) / 64


def test_goodput_falls_with_chip_count() -> None:
    g = [scale_goodput(n)[0] for n in (512, 4096, 16384, 65536)]
    assert g == sorted(g, reverse=True)
    assert 0.85 < scale_goodput(16384, 16 * 405e9)[0] < 0.95  # Llama 3 405B: ~90 % effective training time


def test_mfu_falls_with_scale_for_a_small_model(cat) -> None:
    hw, prof = _hw(cat, "hgx_h100")
    m = cat.models["llama_3_1_8b"]
    small = training_estimate(m, hw, prof, 1e12, chips=64, seq_len=8192, steady_state=True)
    big = training_estimate(m, hw, prof, 1e12, chips=8192, seq_len=8192, steady_state=True)
    assert big.mfu < small.mfu


def test_fine_tuning_methods_need_fewer_chips(cat) -> None:
    hw, prof = _hw(cat, "hgx_h100")
    m = cat.models["llama_3_1_70b"]
    full = training_estimate(m, hw, prof, 1e9, method="full", days=2)
    lora = training_estimate(m, hw, prof, 1e9, method="lora", days=2)
    qlora = training_estimate(m, hw, prof, 1e9, method="qlora", chips=1)
    assert lora.memory_floor_chips < full.memory_floor_chips
    assert lora.model_flops == pytest.approx(full.model_flops * 4 / 6)
    assert qlora.fits  # a 70B QLoRA fits on one 80 GB chip (4-bit frozen weights)


def test_step_breakdown_is_reported(cat) -> None:
    hw, prof = _hw(cat, "hgx_h100")
    est = training_estimate(cat.models["llama_3_1_70b"], hw, prof, 1e12, chips=64, seq_len=8192)
    assert est.step_seconds == pytest.approx(sum(est.breakdown.values()))
    assert {"gemm", "attention", "elementwise", "optimizer"} <= set(est.breakdown)
    lo, hi = est.error_band
    assert lo < 0 < hi


def test_moe_uses_active_params_and_all_to_all(cat) -> None:
    hw, prof = _hw(cat, "hgx_h800")
    v3 = cat.models["deepseek_v3"]
    est = training_estimate(v3, hw, prof, 1e12, layout={"tp": 1, "pp": 16, "ep": 64, "dp": 128}, seq_len=4096,
                            precision="fp8", steady_state=True)
    assert est.flops_per_token == pytest.approx(6 * 37e9 + attention_flops_per_token(v3, 4096))
    assert est.breakdown["moe_all_to_all"] > 0
    assert math.isfinite(est.wall_days)


def test_chip_without_bf16_trains_in_fp16(cat) -> None:
    hw, prof = _hw(cat, "hgx_a100")
    fp16_only = hw.model_copy(update={"has_bf16": False, "fp16_tflops_per_chip": 312.0})
    est = training_estimate(cat.models["llama_2_7b"], fp16_only, prof, 1e9, chips=8)
    assert est.fits and "fp16 GEMMs" in est.factors["precision"].source


@pytest.mark.parametrize("chips", [40, 56, 96])
def test_expert_groups_tile_a_stages_chips(cat, chips) -> None:
    """New-user trial: 40 GPUs were given EP 16 x DP 40, and groups of 16 cannot be made from 40 chips."""
    hw, prof = _hw(cat, "hgx_h100")
    est = training_estimate(cat.models["qwen3_235b_a22b"], hw, prof, 1e11, chips=chips)
    lay = est.parallel
    assert (lay.tp * lay.dp * lay.cp) % lay.ep == 0, lay.describe()


def test_more_units_never_make_a_run_slower_nor_buy_absurd_data_parallelism():
    """Trial (Saudi Arabia): Llama 3.1 405B on 15 T tokens over CloudMatrix 384 read 154, 226, 58 and 111 days on
    400, 1,000, 2,000 and 4,000 units (chip counts no layout divides exactly were forced to huge DP), and a 10-day
    deadline bought 2.1 M chips at DP 2,097,024. Chips a layout cannot use now stay idle: the time never rises
    with units, data parallelism stays within the largest batch (16 M tokens), and an unreachable deadline returns
    the fastest count, not a linear extrapolation."""
    from planner.catalog import load_catalog
    from planner.perf.training import MAX_BATCH_TOKENS, training_estimate

    cat = load_catalog()
    model, hw = cat.models["llama_3_1_405b"], cat.hardware["cloudmatrix_384"]
    profile = cat.efficiency_profiles[hw.efficiency_profile]
    walls = []
    for units in (400, 1000, 2000, 4000):
        est = training_estimate(model, hw, profile, 15e12, units=units)
        walls.append(est.wall_days)
        lay = est.parallel
        assert lay.dp * lay.micro_batch * 4096 <= MAX_BATCH_TOKENS * (1 + 1e-9)
    assert all(b <= a * (1 + 1e-9) for a, b in zip(walls, walls[1:], strict=False)), walls
    est = training_estimate(model, hw, profile, 15e12, days=10)
    assert est.wall_days > 10 and est.units <= 4000, (est.wall_days, est.units)
