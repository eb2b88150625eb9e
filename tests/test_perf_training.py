"""Training estimates against hand calculations (primer 2.1-2.2)."""

from __future__ import annotations

import math

import pytest

from planner.perf.examples import make_hardware, make_model, make_profile
from planner.perf.memory import memory_floor_chips
from planner.perf.training import flops_per_token, training_estimate

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
