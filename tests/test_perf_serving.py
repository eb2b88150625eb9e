"""Serving estimates against hand calculations (primer 2.3)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.perf.examples import make_hardware, make_model, make_profile
from planner.perf.memory import kv_bytes_per_token, weight_bytes
from planner.perf.serving import compute_peak, serving_estimate
from planner.perf.steps import (
    Replica,
    decode_flops_per_token,
    decode_step_s,
    effective_tpot_s,
    expert_read_fraction,
    output_rate,
    prefill_s_per_token,
    weights_read_bytes,
)

LLAMA2_70B = make_model()
H100 = make_hardware()
PROFILE = make_profile(memory_efficiency=0.8, compute_efficiency=0.4, decode_overhead_ms=5.0)
DEEPSEEK = make_model(params_total_b=671, params_active_b=37, layers=61, hidden_size=7168, attention_heads=128,
                      kv_heads=128, head_dim=128, attention="mla", kv_lora_rank=512, qk_rope_head_dim=64,
                      routed_experts=256, experts_per_token=8, routed_expert_params_b=654)
ASCEND_A2 = make_hardware(bf16_tflops_per_chip=280, fp8_tflops_per_chip=None, int8_tops_per_chip=560,
                          hbm_gb_per_chip=64, hbm_tb_s_per_chip=1.6, scale_up_gb_s_per_chip=300)


def test_kv_bytes_gqa_and_mla() -> None:
    assert kv_bytes_per_token(LLAMA2_70B) == 2 * 80 * 8 * 128 * 2 == 327_680
    assert kv_bytes_per_token(LLAMA2_70B, "fp8") == 163_840  # fp8 deployments keep an fp8 KV cache
    assert kv_bytes_per_token(LLAMA2_70B, "int8") == 327_680  # weight quantisation only: KV stays bf16
    assert kv_bytes_per_token(DEEPSEEK) == 61 * (512 + 64) * 2 == 70_272


def test_weight_bytes_by_precision() -> None:
    assert weight_bytes(LLAMA2_70B, "bf16") == pytest.approx(137.96e9)
    assert weight_bytes(LLAMA2_70B, "int8") == pytest.approx(weight_bytes(LLAMA2_70B, "bf16") / 2)
    assert weight_bytes(LLAMA2_70B, "int4") == pytest.approx(weight_bytes(LLAMA2_70B, "bf16") / 4)
    with pytest.raises(ValueError, match="unknown precision"):
        weight_bytes(LLAMA2_70B, "fp6")


def test_moe_expert_read_fraction() -> None:
    assert expert_read_fraction(DEEPSEEK, 1) == pytest.approx(8 / 256)
    assert expert_read_fraction(DEEPSEEK, 2) == pytest.approx(1 - (1 - 8 / 256) ** 2)
    assert expert_read_fraction(DEEPSEEK, 1000) > 0.99
    assert expert_read_fraction(LLAMA2_70B, 1) == 1.0
    # batch 1 reads the 17 B always-used parameters plus 8/256 of the 654 B in routed experts
    assert weights_read_bytes(DEEPSEEK, "bf16", 1) == pytest.approx((17 + 654 * 8 / 256) * 2e9)


def _tiny() -> Replica:
    model = make_model(params_total_b=1.0, params_active_b=1.0, layers=2, hidden_size=1024, attention_heads=8,
                       kv_heads=8, head_dim=128, attention="mha")
    hw = make_hardware(chips_per_unit=1, scale_up_domain_chips=1, bf16_tflops_per_chip=100, hbm_gb_per_chip=10,
                       hbm_tb_s_per_chip=1.0)
    return Replica(model, hw, chips=1, domains=1, precision="bf16", peak_flops=100e12, eta_mem=0.5,
                   eta_compute=0.5, overhead_s=1e-3, usable_fraction=0.9, input_tokens=100, output_tokens=100)


def test_decode_step_by_hand() -> None:
    r = _tiny()
    # KV 2·2·8·128·2 = 8,192 B/token; mean decode context 100 + 100/2 = 150
    # bytes: 2e9 weights + 4 × 150 × 8,192 = 2.0049152e9 B over 1e12 × 0.5 B/s = 4.0098 ms
    # FLOPs: 4 × (2e9 + 4·2·8·128·150) over 100e12 × 0.5 = 0.16 ms -> memory-bound
    assert decode_step_s(r, 4) == pytest.approx(4.0098304e-3 + 1e-3)
    # prefill: (2e9 + 2·2·8·128·100) / 5e13 per input token
    assert prefill_s_per_token(r) == pytest.approx((2e9 + 409_600) / 5e13)
    tpot = decode_step_s(r, 4) + 4 * 1.0 * prefill_s_per_token(r)
    assert effective_tpot_s(r, 4) == pytest.approx(tpot)
    assert output_rate(r, 4) == pytest.approx(4 / tpot)
    # batch from memory: (9e9 - 2e9) / ((100 + 100) × 8,192) = 4,272 sequences
    assert r.max_batch() == 4272


def test_tighter_tpot_gives_smaller_batch_and_lower_throughput() -> None:
    loose = serving_estimate(LLAMA2_70B, H100, PROFILE, 1000, 300, tpot_ms=60, precision="fp8")
    tight = serving_estimate(LLAMA2_70B, H100, PROFILE, 1000, 300, tpot_ms=30, precision="fp8")
    offline = serving_estimate(LLAMA2_70B, H100, PROFILE, 1000, 300, precision="fp8")
    assert tight.feasible and loose.feasible
    assert tight.batch * tight.replicas_per_unit < loose.batch * loose.replicas_per_unit
    assert tight.output_tokens_per_s_per_unit < loose.output_tokens_per_s_per_unit
    assert loose.output_tokens_per_s_per_unit <= offline.output_tokens_per_s_per_unit
    assert tight.tpot_ms <= 30 and loose.tpot_ms <= 60


def test_tpot_below_floor_is_infeasible_with_reason() -> None:
    est = serving_estimate(LLAMA2_70B, H100, PROFILE, 1000, 300, tpot_ms=3)
    assert not est.feasible
    assert est.reason.startswith("TPOT target 3 ms below the floor")


def test_ttft_target_infeasible() -> None:
    est = serving_estimate(LLAMA2_70B, H100, PROFILE, 100_000, 300, ttft_ms=10)
    assert not est.feasible and "TTFT target 10 ms" in est.reason


def test_int8_halves_weights_and_allows_smaller_replica() -> None:
    bf16 = serving_estimate(LLAMA2_70B, H100, PROFILE, 500, 500)
    int8 = serving_estimate(LLAMA2_70B, H100, PROFILE, 500, 500, precision="int8")
    assert int8.factors["weights_gb"].value == pytest.approx(bf16.factors["weights_gb"].value / 2)
    assert bf16.chips_per_replica >= 2  # 138 GB of bf16 weights never fit one 80 GB chip


def test_precision_peaks() -> None:
    assert compute_peak(H100, "fp8")[0] == pytest.approx(1978.9e12)
    assert compute_peak(ASCEND_A2, "int8")[0] == pytest.approx(560e12)
    peak, note = compute_peak(ASCEND_A2, "fp8")  # 910B has no FP8: weight-only, BF16 peak
    assert peak == pytest.approx(280e12) and "weight-only" in note


def test_dense_model_too_large_for_domain_is_infeasible() -> None:
    small = make_hardware(hbm_gb_per_chip=16)
    est = serving_estimate(LLAMA2_70B, small, PROFILE, 500, 500)
    assert not est.feasible and "do not fit the scale-up domain" in est.reason


def test_moe_spans_units_over_scale_out() -> None:
    # 671 GB int8 does not fit 8 × 64 GB × 0.9 = 461 GB: the replica spans several servers
    est = serving_estimate(DEEPSEEK, ASCEND_A2, PROFILE, 2048, 2048, tpot_ms=100, precision="int8")
    assert est.feasible
    assert est.chips_per_replica % 8 == 0 and est.chips_per_replica >= 16
    assert est.replicas_per_unit == pytest.approx(8 / est.chips_per_replica)
    assert "scale_out_gb_s_per_chip" in est.factors


def test_beam_search_decode_step_by_hand() -> None:
    r = _tiny()
    beam = replace(r, beams=4)
    # memory: weights + 4 sequences x (100 shared prompt + 4 beams x 50 half-answer) x 8,192 B over 0.5 TB/s
    t_mem = (2e9 + 4 * (100 + 4 * 50) * 8192) / 0.5e12
    t_cmp = 16 * decode_flops_per_token(r.model, 150) / 50e12  # 4 sequences x 4 beams rows
    assert decode_step_s(beam, 4) == pytest.approx(max(t_mem, t_cmp) + 1e-3)
    # each sequence reserves its prompt once and every beam's full answer: (9e9 - 2e9) / ((100 + 400) x 8,192)
    assert beam.max_batch() == int(7e9 // (500 * 8192))
    # prefill is once per sequence: the TPOT adds b·(in/out) prompt tokens whatever the beam width
    assert effective_tpot_s(beam, 4) == pytest.approx(decode_step_s(beam, 4) + 4 * prefill_s_per_token(r))
    assert output_rate(beam, 4) == pytest.approx(4 / effective_tpot_s(beam, 4))


def test_beams_default_and_cost() -> None:
    one = serving_estimate(LLAMA2_70B, H100, PROFILE, 1000, 300, precision="fp8")
    assert serving_estimate(LLAMA2_70B, H100, PROFILE, 1000, 300, precision="fp8", beams=1) == one
    four = serving_estimate(LLAMA2_70B, H100, PROFILE, 1000, 300, precision="fp8", beams=4)
    assert four.feasible and four.output_tokens_per_s_per_unit < one.output_tokens_per_s_per_unit
    assert four.factors["beams"].value == 4 and "beams" not in one.factors
    for bad in (0, 2.5, True):
        with pytest.raises(ValueError, match="beams"):
            serving_estimate(LLAMA2_70B, H100, PROFILE, 1000, 300, beams=bad)  # type: ignore[arg-type]


def test_overrides_recorded_in_factors() -> None:
    est = serving_estimate(LLAMA2_70B, H100, PROFILE, 500, 500, memory_efficiency=0.7, compute_efficiency=0.5)
    assert est.factors["memory_efficiency"].source == "override (--memory-efficiency)"
    assert est.factors["compute_efficiency"].value == 0.5
