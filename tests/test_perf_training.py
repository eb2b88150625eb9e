"""Training estimates against hand calculations (primer 2.1-2.2)."""

from __future__ import annotations

import math

import pytest

from planner.perf.examples import make_hardware, make_model, make_profile
from planner.perf.memory import activation_bytes_per_chip, memory_floor_chips, training_state_bytes_per_chip
from planner.perf.training import flops_per_token, training_estimate, training_layout

A100 = make_hardware(bf16_tflops_per_chip=312.0, hbm_gb_per_chip=80.0)
PROFILE = make_profile(training_mfu=0.4, moe_training_mfu=0.3, goodput=0.9, usable_memory_fraction=0.9)
LLAMA2_70B = make_model()  # 68.98 B, 80 layers, d_model 8192


def test_llama2_70b_six_n_d_plus_attention() -> None:
    # 6·N·D = 6 × 68.98e9 × 2e12 = 8.2776e23; attention 6·80·4096·8192 per token × 2e12 = 3.2212e22
    est = training_estimate(LLAMA2_70B, A100, PROFILE, 2e12, chips=2048, seq_len=4096)
    assert est.model_flops == pytest.approx(8.2776e23 + 3.2212e22, rel=1e-4)
    assert est.flops_per_token == pytest.approx(6 * 68.98e9 + 6 * 80 * 4096 * 8192)


def test_time_and_hours_by_hand() -> None:
    est = training_estimate(LLAMA2_70B, A100, PROFILE, 2e12, chips=2048, seq_len=4096)
    seconds = est.model_flops / (2048 * 312e12 * 0.4 * 0.9)
    assert est.wall_days == pytest.approx(seconds / 86400)
    assert est.accelerator_hours == pytest.approx(2048 * seconds / 3600)
    assert est.units == 256 and est.chips == 2048


def test_memory_floor_sixteen_bytes_per_param() -> None:
    # 16 B × 68.98e9 = 1.10368e12 B over 80e9 × 0.9 = 72e9 B per chip -> 15.33 -> 16 chips
    assert memory_floor_chips(LLAMA2_70B, A100, 0.9, "pretraining") == 16
    est = training_estimate(LLAMA2_70B, A100, PROFILE, 1e9, chips=8)
    assert est.memory_floor_chips == 16


def test_lora_costs_two_thirds_and_needs_few_chips() -> None:
    full = flops_per_token(LLAMA2_70B, "full")
    assert flops_per_token(LLAMA2_70B, "lora") == pytest.approx(full * 4 / 6)
    # weights 2 B + adapters 1 % × 16 B = 2.16 B/param -> 149 GB -> 3 chips of 72 GB
    assert memory_floor_chips(LLAMA2_70B, A100, 0.9, "lora") == 3


def test_days_gives_smallest_whole_units() -> None:
    est = training_estimate(LLAMA2_70B, A100, PROFILE, 2e12, days=30)
    needed = est.model_flops / (30 * 86400 * 312e12 * 0.36)
    assert est.units == math.ceil(needed / 8)
    assert est.chips == est.units * 8
    assert est.wall_days <= 30
    fewer = training_estimate(LLAMA2_70B, A100, PROFILE, 2e12, units=est.units - 1)
    assert fewer.wall_days > 30


def test_days_never_below_memory_floor() -> None:
    est = training_estimate(LLAMA2_70B, A100, PROFILE, 1e6, days=365)
    assert est.chips >= est.memory_floor_chips == 16
    assert est.units == 2


def test_moe_uses_active_params_and_moe_mfu() -> None:
    moe = make_model(params_total_b=671, params_active_b=37, layers=61, hidden_size=7168, routed_experts=256,
                     experts_per_token=8, routed_expert_params_b=654)
    est = training_estimate(moe, A100, PROFILE, 1e12, chips=1024, seq_len=4096)
    assert est.flops_per_token == pytest.approx(6 * 37e9 + 6 * 61 * 4096 * 7168)
    assert est.mfu == 0.3
    assert est.memory_floor_chips == math.ceil(16 * 671e9 / 72e9)


def test_overrides_are_reported() -> None:
    est = training_estimate(LLAMA2_70B, A100, PROFILE, 1e12, chips=64, mfu=0.5, goodput=0.95)
    assert est.mfu == 0.5 and est.goodput == 0.95
    assert est.factors["mfu"].source == "override (--mfu)"


@pytest.mark.parametrize("kwargs", [{}, {"chips": 8, "days": 3}, {"units": 1, "chips": 8}])
def test_exactly_one_of_chips_units_days(kwargs: dict) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        training_estimate(LLAMA2_70B, A100, PROFILE, 1e12, **kwargs)


def test_bad_override_rejected() -> None:
    with pytest.raises(ValueError, match="--mfu"):
        training_estimate(LLAMA2_70B, A100, PROFILE, 1e12, chips=8, mfu=1.5)


A100_40 = make_hardware(bf16_tflops_per_chip=312.0, hbm_gb_per_chip=40.0)
GLM_130B = make_model(params_total_b=130, params_active_b=130, layers=70, hidden_size=12288, attention_heads=96,
                      kv_heads=96, head_dim=128, attention="mha")


def test_state_and_activation_bytes_by_hand() -> None:
    # 4 B/param over TP 4 x PP 8 = 32 chips, 12 B/param over all 768: 16.25 + 2.03 GB
    assert training_state_bytes_per_chip(GLM_130B, "pretraining", 768, 32) == pytest.approx(
        4 * 130e9 / 32 + 12 * 130e9 / 768)
    assert training_state_bytes_per_chip(GLM_130B, "pretraining", 768, 1, fully_sharded=True) == pytest.approx(
        16 * 130e9 / 768)
    # Korthikanti et al.: (10 + 24/t)·d per layer-token without sequence parallelism, 34·d/t with it
    no_sp = activation_bytes_per_chip(GLM_130B, 2048, 4, sequence_parallel=False)
    assert no_sp == pytest.approx(70 * 2048 * 12288 * (10 + 24 / 4))
    assert activation_bytes_per_chip(GLM_130B, 2048, 4) == pytest.approx(70 * 2048 * 12288 * 34 / 4)
    assert activation_bytes_per_chip(GLM_130B, 2048, 4, sequence_parallel=False, full_recompute=True) == (
        pytest.approx(70 * 2048 * 12288 * 2))


def test_published_layout_on_40gb_forces_full_recompute() -> None:
    # 18.3 GB states + 28.2 GB activations > 36 GB usable; 18.3 + 3.5 GB fits with full recomputation
    lay = training_layout(GLM_130B, A100_40, 0.9, "pretraining", 768, 2048, 4, 8, sequence_parallel=False)
    assert lay.recompute and lay.fits and lay.given
    assert lay.state_gb_per_chip == pytest.approx(18.28, abs=0.01)
    assert lay.activation_gb_per_chip == pytest.approx(28.19, abs=0.01)
    est = training_estimate(GLM_130B, A100_40, PROFILE, 400e9, chips=768, seq_len=2048, tensor_parallel=4,
                            pipeline_parallel=8, sequence_parallel=False)
    base = training_estimate(GLM_130B, A100, PROFILE, 400e9, chips=768, seq_len=2048, tensor_parallel=4,
                             pipeline_parallel=8, sequence_parallel=False)
    assert not base.activation_recompute  # the same layout fits on 80 GB chips
    assert est.wall_days == pytest.approx(base.wall_days * 8 / 6)
    assert est.factors["activation_recompute"].value == pytest.approx(0.75)
    assert "full recomputation" in est.factors["activation_recompute"].source
    assert est.mfu == 0.4 and est.effective_mfu == pytest.approx(0.3)


def test_default_layout_avoids_recompute_when_one_fits() -> None:
    # Llama 2 70B at 4,096 tokens on 2,048 A100-80GB: some TP x PP layout fits, so no recomputation
    est = training_estimate(LLAMA2_70B, A100, PROFILE, 2e12, chips=2048, seq_len=4096)
    assert not est.activation_recompute and est.effective_mfu == est.mfu
    assert est.factors["activation_recompute"].value == 1.0
    # with sequence parallelism GLM-130B on 40 GB has a layout without recomputation too
    assert not training_layout(GLM_130B, A100_40, 0.9, "pretraining", 768, 2048).recompute


def test_long_sequences_need_recompute_and_more_chips_for_a_deadline() -> None:
    long = training_estimate(LLAMA2_70B, A100_40, PROFILE, 1e11, days=30, seq_len=131_072)
    assert long.activation_recompute
    short = training_estimate(LLAMA2_70B, A100_40, PROFILE, 1e11, days=30, seq_len=4096)
    per_token_ratio = long.flops_per_token / short.flops_per_token
    assert long.chips >= short.chips * per_token_ratio * 8 / 6 * 0.95
    assert long.wall_days <= 30


def test_bad_layout_rejected() -> None:
    with pytest.raises(ValueError, match="tensor_parallel"):
        training_estimate(LLAMA2_70B, A100, PROFILE, 1e12, chips=8, tensor_parallel=0)
