"""Serving estimates against hand calculations (primer 2.3): operator-level steps, layouts, precisions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.perf import kernels as K
from planner.perf.examples import make_hardware, make_model, make_profile
from planner.perf.memory import kv_bytes_per_token, weight_bytes
from planner.perf.serving import compute_peak, parse_layout, parse_precision, serving_estimate
from planner.perf.steps import (
    Layout,
    Precision,
    Replica,
    decode_step_s,
    effective_tpot_s,
    expert_read_fraction,
    mixed_step,
    output_rate,
    shapes,
    step_time,
)

LLAMA2_70B = make_model()
H100 = make_hardware()
PROFILE = make_profile(memory_efficiency=0.8, compute_efficiency=0.4, decode_overhead_ms=5.0)
DEEPSEEK = make_model(params_total_b=671, params_active_b=37, layers=61, hidden_size=7168, attention_heads=128,
                      kv_heads=128, head_dim=128, attention="mla", kv_lora_rank=512, qk_rope_head_dim=64,
                      routed_experts=256, experts_per_token=8, routed_expert_params_b=654)
ASCEND_A2 = make_hardware(bf16_tflops_per_chip=280, fp8_tflops_per_chip=None, int8_tops_per_chip=560,
                          hbm_gb_per_chip=64, hbm_tb_s_per_chip=1.6, scale_up_gb_s_per_chip=300)
BF16 = Precision("bf16", "bf16", "bf16")


def test_kv_bytes_gqa_and_mla() -> None:
    assert kv_bytes_per_token(LLAMA2_70B) == 2 * 80 * 8 * 128 * 2 == 327_680
    assert kv_bytes_per_token(LLAMA2_70B, "fp8") == 163_840
    assert kv_bytes_per_token(DEEPSEEK) == 61 * (512 + 64) * 2 == 70_272


def test_weight_bytes_by_precision() -> None:
    assert weight_bytes(LLAMA2_70B, "bf16") == pytest.approx(137.96e9)
    assert weight_bytes(LLAMA2_70B, "int8") == pytest.approx(weight_bytes(LLAMA2_70B, "bf16") / 2)
    with pytest.raises(ValueError, match="unknown precision"):
        weight_bytes(LLAMA2_70B, "fp6")


def test_shapes_of_llama2_70b() -> None:
    s = shapes(LLAMA2_70B)
    assert s.attn_in == (64 + 2 * 8) * 128 and s.attn_out_k == 64 * 128
    # non-embedding weights per layer minus attention = 3·d·ffn: ffn within 1 % of the published 28,672
    assert s.mlp_ffn == pytest.approx(28_672, rel=0.01)


def test_moe_expert_read_fraction() -> None:
    assert expert_read_fraction(DEEPSEEK, 1) == pytest.approx(1 - (1 - 1 / 256) ** 8)
    assert expert_read_fraction(DEEPSEEK, 1000) > 0.99
    assert expert_read_fraction(LLAMA2_70B, 1) == 1.0


def _tiny(**kw) -> Replica:
    model = make_model(params_total_b=1.0, params_active_b=1.0, layers=2, hidden_size=1024, attention_heads=8,
                       kv_heads=8, head_dim=128, attention="mha", vocab_size=1000)
    hw = make_hardware(chips_per_unit=1, scale_up_domain_chips=1, bf16_tflops_per_chip=100, hbm_gb_per_chip=10,
                       hbm_tb_s_per_chip=1.0)
    profile = make_profile(gemm_efficiency={"bf16": 0.5}, bandwidth_efficiency=0.5, kernel_launch_us=0.0,
                           gemm_min_m=16)
    return Replica(model, hw, profile, Layout(), BF16, 100.0, 100.0, 1, 0.9, 1e-3, **kw)


def test_decode_step_at_batch_one_is_weights_over_bandwidth() -> None:
    r = _tiny()
    # batch 1: every weight is read once (2 GB at 0.5 TB/s = 4 ms) plus the KV cache and elementwise traffic,
    # plus the 1 ms step overhead; the GEMMs are memory-bound
    t = decode_step_s(r, 1)
    assert 5.0e-3 < t < 5.1e-3
    ops = step_time(r, 1).ops
    assert ops["step_overhead"] == pytest.approx(1e-3)
    # the KV read of one sequence: 2 layers x 150 tokens (prompt + half the answer) x 4,096 B / 0.5 TB/s
    assert ops["attention_decode"] == pytest.approx(2 * 150 * (2 * 8 * 128 * 2) / 0.5e12, rel=1e-6)


def test_gemms_become_compute_bound_with_batch() -> None:
    r = _tiny()
    small, large = step_time(r, 1).ops, step_time(r, 4096).ops
    # per token the MLP costs far less at a large batch (weights read once per step)
    assert large["mlp"] / 4096 < small["mlp"] / 5
    # and the continuous-batching step carries the prompt tokens: prefill attention appears
    assert "attention_prefill" in mixed_step(r, 64).ops
    assert output_rate(r, 64) == pytest.approx(64 / effective_tpot_s(r, 64))


def test_max_batch_from_memory() -> None:
    r = _tiny()
    # (0.9 x 10e9 - 2e9) / ((100 + 100) x 8,192 B) sequences
    free = 0.9 * 10e9 - 2e9
    assert r.max_batch() == int(free // (200 * 8192))
    beam = replace(r, beams=4)
    assert beam.max_batch() == int(free // (500 * 8192))


def test_tighter_tpot_gives_smaller_batch_and_lower_throughput() -> None:
    loose = serving_estimate(LLAMA2_70B, H100, PROFILE, 1000, 300, tpot_ms=60, precision="fp8")
    tight = serving_estimate(LLAMA2_70B, H100, PROFILE, 1000, 300, tpot_ms=30, precision="fp8")
    offline = serving_estimate(LLAMA2_70B, H100, PROFILE, 1000, 300, precision="fp8")
    assert tight.feasible and loose.feasible
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


def test_int8_halves_weights() -> None:
    h100 = make_hardware(int8_tops_per_chip=1978.9)
    bf16 = serving_estimate(LLAMA2_70B, h100, PROFILE, 500, 500)
    int8 = serving_estimate(LLAMA2_70B, h100, PROFILE, 500, 500, precision="int8")
    assert not serving_estimate(LLAMA2_70B, H100, PROFILE, 500, 500, precision="int8").feasible  # no INT8 peak
    assert int8.factors["weights_gb"].value == pytest.approx(bf16.factors["weights_gb"].value / 2)
    assert bf16.chips_per_replica >= 2  # 138 GB of bf16 weights never fit one 80 GB chip


def test_precision_presets_and_per_tensor() -> None:
    assert parse_precision("fp8") == Precision("fp8", "fp8", "fp8")
    assert parse_precision("int4") == Precision("int4", "bf16", "bf16")  # weight-only: computes at bf16
    assert parse_precision("nvfp4") == Precision("fp4", "fp4", "fp8")
    assert parse_precision("weights=int4,activations=fp8,kv=fp8") == Precision("int4", "fp8", "fp8")
    with pytest.raises(ValueError, match="unknown precision"):
        parse_precision("fp6")
    assert compute_peak(H100, "fp8")[0] == pytest.approx(1978.9e12)
    assert compute_peak(ASCEND_A2, "int8")[0] == pytest.approx(560e12)


def test_fp8_on_910b_never_runs_silently_at_another_precision() -> None:
    # default: infeasible, the reason names the native alternatives
    est = serving_estimate(LLAMA2_70B, ASCEND_A2, PROFILE, 500, 500, precision="fp8")
    assert not est.feasible and "no native fp8" in est.reason and "bf16, fp16, int8" in est.reason
    # an error if asked
    with pytest.raises(K.PrecisionError, match="no native fp8"):
        serving_estimate(LLAMA2_70B, ASCEND_A2, PROFILE, 500, 500, precision="fp8", on_unsupported="error")
    # or an explicit, recorded substitution
    sub = serving_estimate(LLAMA2_70B, ASCEND_A2, PROFILE, 500, 500, precision="fp8", on_unsupported="substitute")
    assert sub.feasible and "activations fp8 -> int8" in sub.substitution
    assert "precision_substitution" in sub.factors
    assert any("substituted" in n for n in sub.notes)
    # fp4 on Hopper likewise
    assert not serving_estimate(LLAMA2_70B, H100, PROFILE, 500, 500, precision="fp4").feasible


def test_dense_model_too_large_for_domain_is_infeasible() -> None:
    small = make_hardware(hbm_gb_per_chip=16)
    est = serving_estimate(LLAMA2_70B, small, PROFILE, 500, 500)
    assert not est.feasible and "do not fit the scale-up domain" in est.reason


def test_moe_spans_units_over_scale_out() -> None:
    # 671 GB int8 does not fit 8 x 64 GB x 0.9 = 461 GB: the replica spans several servers
    est = serving_estimate(DEEPSEEK, ASCEND_A2, PROFILE, 2048, 2048, tpot_ms=200, precision="int8")
    assert est.feasible
    assert est.chips_per_replica % 8 == 0 and est.chips_per_replica >= 16
    assert est.replicas_per_unit == pytest.approx(8 / est.chips_per_replica)
    assert "scale_out_gb_s_per_chip" in est.factors


def test_layout_pinned_and_parsed() -> None:
    assert parse_layout("tp=1,pp=2") == Layout(1, 2)
    assert parse_layout("tp=8,dp_attention") == Layout(8, 1, True)
    est = serving_estimate(LLAMA2_70B, H100, PROFILE, 500, 500, precision="fp8", layout="tp=1,pp=2")
    assert est.layout == "tp=1,pp=2" and est.chips_per_replica == 2 and est.replicas_per_unit == 4
    assert "pipeline_p2p" in est.breakdown_ms
    with pytest.raises(ValueError, match="scale-up domain"):
        serving_estimate(LLAMA2_70B, H100, PROFILE, 500, 500, layout="tp=16")
    with pytest.raises(ValueError, match="unknown key"):
        parse_layout("tq=2")


def test_more_bandwidth_and_memory_help_decode() -> None:
    h200 = make_hardware(hbm_gb_per_chip=141, hbm_tb_s_per_chip=4.8)
    a = serving_estimate(LLAMA2_70B, H100, PROFILE, 2048, 2048, precision="fp8")
    b = serving_estimate(LLAMA2_70B, h200, PROFILE, 2048, 2048, precision="fp8")
    assert b.output_tokens_per_s_per_unit > 1.1 * a.output_tokens_per_s_per_unit


def test_scenarios_order_offline_server_interactive() -> None:
    off = serving_estimate(LLAMA2_70B, H100, PROFILE, 500, 300, precision="fp8")
    srv = serving_estimate(LLAMA2_70B, H100, PROFILE, 500, 300, precision="fp8", scenario="server", tpot_ms=200,
                           ttft_ms=2000)
    inter = serving_estimate(LLAMA2_70B, H100, PROFILE, 500, 300, precision="fp8", scenario="interactive",
                             tpot_ms=40, ttft_ms=450)
    assert off.output_tokens_per_s_per_unit >= srv.output_tokens_per_s_per_unit > inter.output_tokens_per_s_per_unit
    assert srv.percentile == 99 and off.percentile is None and srv.scenario == "server"
    assert 0 < inter.utilisation <= 1 and inter.tpot_ms <= 40
    # a p99 target is harder to meet than the same mean target
    mean = serving_estimate(LLAMA2_70B, H100, PROFILE, 500, 300, precision="fp8", tpot_ms=40)
    assert inter.output_tokens_per_s_per_unit <= mean.output_tokens_per_s_per_unit


def test_disaggregated_mode() -> None:
    dis = serving_estimate(DEEPSEEK, make_hardware(chips_per_unit=72, scale_up_domain_chips=72, hbm_gb_per_chip=186,
                                                   fp4_tflops_per_chip=10000), PROFILE, 1000, 1000,
                           precision="fp8", tpot_ms=50, mode="disaggregated")
    assert dis.feasible and dis.mode == "disaggregated"
    auto = serving_estimate(LLAMA2_70B, H100, PROFILE, 1000, 300, precision="fp8", mode="auto")
    assert auto.mode in ("colocated", "disaggregated")
    with pytest.raises(ValueError, match="unknown mode"):
        serving_estimate(LLAMA2_70B, H100, PROFILE, 500, 500, mode="split")


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


def test_breakdown_error_band_and_notes() -> None:
    est = serving_estimate(LLAMA2_70B, H100, PROFILE, 500, 500, precision="fp8")
    assert {"mlp", "attention_decode", "attention_projections", "launch"} <= set(est.breakdown_ms)
    assert est.error_band["status"] == "uncalibrated"  # the example profile has no validated runs
    assert any("speculative decoding" in n for n in est.notes)


def test_erlang_c_is_finite_for_very_many_slots() -> None:
    from planner.perf.serving import _erlang_c, _server_utilisation

    assert _erlang_c(1e6, 0.5) == 0.0
    assert 0.0 < _erlang_c(100, 0.95) < 1.0
    assert 0.9 < _server_utilisation(200_000, 10.0, 1.0, 0.99) <= 0.999


def _tiny_moe(tp: int, input_tokens: float) -> Replica:
    model = make_model(params_total_b=8.0, params_active_b=2.0, layers=2, hidden_size=1024, attention_heads=8,
                       kv_heads=8, head_dim=128, attention="gqa", vocab_size=1000, routed_experts=16,
                       experts_per_token=2, routed_expert_params_b=7.0)
    hw = make_hardware(chips_per_unit=tp, scale_up_domain_chips=tp, bf16_tflops_per_chip=100, hbm_gb_per_chip=80,
                       hbm_tb_s_per_chip=1.0, scale_up_gb_s_per_chip=100)
    profile = make_profile(gemm_efficiency={"bf16": 0.5}, bandwidth_efficiency=0.5, kernel_launch_us=0.0,
                           gemm_min_m=16)
    return Replica(model, hw, profile, Layout(tp, 1, True), BF16, input_tokens, 1000.0, 1, 0.9, 1e-3)


def test_data_parallel_attention_waits_for_the_rank_that_prefills() -> None:
    # 64 sequences decoding, 64 x 2000 / 1000 = 128 prompt tokens a step: a 2,000-token prompt in 6.4 % of the steps;
    # the rank that takes the prompt runs its attention projections on 64/8 + 2,000 tokens while the others run
    # 8, so the mean step is longer than with the prompt spread over the ranks; the experts see each token once
    r = _tiny_moe(8, 2000.0)
    lumpy, spread = mixed_step(r, 64), step_time(r, 64, 128.0)
    assert lumpy.total > spread.total
    busy = step_time(r, 64, 8 * 2000.0).ops["attention_projections"]  # every rank one prompt = the busiest rank
    idle = step_time(r, 64, 0.0).ops["attention_projections"]
    assert lumpy.ops["attention_projections"] == pytest.approx(0.064 * busy + 0.936 * idle)
    assert lumpy.ops["experts"] == pytest.approx(
        0.064 * step_time(r, 64, 2000.0).ops["experts"] + 0.936 * step_time(r, 64, 0.0).ops["experts"]
    )


def test_data_parallel_attention_imbalance_fades_with_many_prompts_per_step() -> None:
    # with many prompts per step every rank gets its share: lumpiness fades (ceil(k / ranks) ~ k / ranks)
    r = _tiny_moe(2, 100.0)
    lumpy, spread = mixed_step(r, 4000), step_time(r, 4000, 4000 * 100.0 / 1000.0)
    assert lumpy.total == pytest.approx(spread.total, rel=0.05)


def test_a_pipeline_layout_says_it_has_no_bubbles() -> None:
    """A pinned pp=2 estimate carries the caveat; a tensor-parallel one does not."""
    from planner.catalog import load_catalog
    from planner.perf.serving import PIPELINE_NOTE, serving_estimate

    cat = load_catalog()
    hw, model = cat.hardware["hgx_h100"], cat.models["llama_3_1_70b"]
    profile = cat.efficiency_profiles[hw.efficiency_profile]
    pp = serving_estimate(model, hw, profile, 1000, 1000, precision="fp8", layout="tp=2,pp=2")
    tp = serving_estimate(model, hw, profile, 1000, 1000, precision="fp8", layout="tp=4")
    assert PIPELINE_NOTE in pp.notes and PIPELINE_NOTE not in tp.notes


def test_attention_dp_estimates_say_what_they_do_not_model() -> None:
    """An attention-DP layout carries the note on its known blind spots (rank waits, balancing); TP does not."""
    from planner.catalog import load_catalog
    from planner.perf.serving import DP_ATTENTION_NOTE

    cat = load_catalog()
    hw, model = cat.hardware["dgx_b200"], cat.models["qwen3_235b_a22b"]
    pf = cat.efficiency_profiles[hw.efficiency_profile]
    dp = serving_estimate(model, hw, pf, 1000, 1000, precision="fp4", layout="tp=4,dp_attention")
    tp = serving_estimate(model, hw, pf, 1000, 1000, precision="fp4", layout="tp=8")
    assert DP_ATTENTION_NOTE in dp.notes and DP_ATTENTION_NOTE not in tp.notes


def test_memory_efficiency_override_reaches_decode_attention() -> None:
    """--memory-efficiency replaces every HBM stream's fraction, the decode-attention curve's included."""
    from planner.catalog import load_catalog

    cat = load_catalog()
    hw, model = cat.hardware["hgx_h100"], cat.models["llama_3_1_70b"]
    pf = cat.efficiency_profiles[hw.efficiency_profile]
    lo, hi = (
        serving_estimate(model, hw, pf, 8000, 1000, precision="fp8", layout="tp=8", memory_efficiency=eta, max_batch=64)
        for eta in (0.4, 0.8)
    )
    assert lo.breakdown_ms["attention_decode"] == pytest.approx(2 * hi.breakdown_ms["attention_decode"], rel=1e-6)


def test_attention_dp_replicates_every_weight_but_the_routed_experts() -> None:
    """Under attention DP TensorRT-LLM runs attention, dense MLP, shared experts and the embedding whole on every
    rank; only routed experts are split. Llama 4 Maverick FP8 on 8 chips, by hand from its config.json:
    routed 24 x 128 x 3 x 5120 x 8192 = 386.5e9, the rest (shared 3.0e9, dense 24 x 3 x 5120 x 16384 = 6.0e9,
    attention 48 x 5120 x 12288 = 3.0e9, embedding + LM head 2 x 202048 x 5120 = 2.1e9) = 14.2e9, at FP8 but for
    the 16-bit embedding and LM head (+2.1e9 bytes): 386.5/8 + 16.2 = 64.5 GB a chip under DEP8 against
    402.7/8 = 50.3 GB under TP8."""
    from planner.perf.published_models import LLAMA4_MAVERICK
    from planner.perf.serving import pinned_replica

    routed = 24 * 128 * 3 * 5120 * 8192
    rest = 24 * 3 * 5120 * 8192 + 24 * 3 * 5120 * 16384 + 48 * 5120 * 12288 + 2 * 202048 * 5120
    hw = H100.model_copy(update={"chips_per_unit": 8})
    dep = pinned_replica(LLAMA4_MAVERICK, hw, PROFILE, 1000, 1000, precision="fp8", layout="tp=8,dp_attention")
    tp = pinned_replica(LLAMA4_MAVERICK, hw, PROFILE, 1000, 1000, precision="fp8", layout="tp=8")
    vocab = 2 * 202048 * 5120  # one more byte each: 16-bit in an FP8 checkpoint
    assert dep.weight_bytes_per_chip() == pytest.approx(routed / 8 + rest + vocab, rel=0.01)
    assert tp.weight_bytes_per_chip() == pytest.approx((routed + rest + vocab) / 8, rel=0.01)
    assert dep.max_batch() < tp.max_batch()  # the replicated weights take KV room on every chip


def test_attention_dp_dense_mlp_reads_its_whole_weights_on_every_rank() -> None:
    """A decode step under DP attention reads the dense MLP's whole weights on each rank (8x the TP8 slice): at 8
    rows the weight-bound MLP takes 8x as long; the FLOPs per chip are the same."""
    from planner.perf.published_models import LLAMA4_MAVERICK
    from planner.perf.serving import pinned_replica

    hw = H100.model_copy(update={"chips_per_unit": 8})
    dep = pinned_replica(LLAMA4_MAVERICK, hw, PROFILE, 1000, 1000, precision="fp8", layout="tp=8,dp_attention")
    tp = pinned_replica(LLAMA4_MAVERICK, hw, PROFILE, 1000, 1000, precision="fp8", layout="tp=8")
    t_dep, t_tp = step_time(dep, 8.0).ops["mlp"], step_time(tp, 8.0).ops["mlp"]
    assert t_dep == pytest.approx(8.0 * t_tp, rel=0.05)


def test_quantized_checkpoints_keep_embedding_and_lm_head_in_16_bits() -> None:
    """ModelOpt's FP8/NVFP4 configs leave the LM head unquantized and the embedding is a lookup: an FP8 Llama 2 70B
    holds P bytes of weights plus one more byte for each of the 2 x 32,000 x 8,192 vocabulary-matrix parameters
    (by hand: 68.98e9 + 0.524e9); its LM head step is the BF16 one, not half of it."""
    kw = {"layout": Layout(1, 1), "input_tokens": 1000, "output_tokens": 1000}
    fp8 = Replica(LLAMA2_70B, H100, PROFILE, precision=Precision("fp8", "fp8", "fp8"), **kw)
    bf16 = Replica(LLAMA2_70B, H100, PROFILE, precision=BF16, **kw)
    vocab_matrices = 2 * LLAMA2_70B.vocab_size * LLAMA2_70B.hidden_size
    assert fp8.weight_bytes_per_chip() == pytest.approx(LLAMA2_70B.params_total_b * 1e9 + vocab_matrices)
    assert bf16.weight_bytes_per_chip() == pytest.approx(LLAMA2_70B.params_total_b * 2e9)
    assert step_time(fp8, 64).ops["lm_head"] == pytest.approx(step_time(bf16, 64).ops["lm_head"], rel=1e-9)


def test_a_training_estimate_on_a_stack_no_run_checks_quotes_no_band():
    """Trial (Uzbekistan): a pretraining job on Gaudi 3 read "published runs took -5% to +8% of the estimated time
    (validation, held-out runs)", though no Gaudi run is in the validation set."""
    from planner.catalog import load_catalog
    from planner.perf.training import ERROR_BAND, TRAINING_UNCALIBRATED
    from planner.sizing.extract import _training_band

    cat = load_catalog()

    class Est:
        error_band = ERROR_BAND

    assert _training_band(Est(), cat.hardware["gaudi3_8x"]) == TRAINING_UNCALIBRATED
    assert "published runs took" in _training_band(Est(), cat.hardware["hgx_h100"])


def test_announced_hardware_carries_no_band_of_shipping_chips():
    """Trial (Saudi Arabia): AMD Helios (announced) read "±4 % (max 18 %), validated on 23 held-out runs", the
    MI300X runs of its profile; an announced product's estimate is uncalibrated whatever its profile, and so is a
    training estimate's accuracy note."""
    from planner.catalog import load_catalog
    from planner.perf import serving_estimate
    from planner.perf.training import TRAINING_ANNOUNCED
    from planner.sizing.extract import _training_band

    cat = load_catalog()
    model = cat.models["llama_3_1_70b"]
    for hw_id, announced in (("helios_mi455x", True), ("mi300x_8x", False)):
        hw = cat.hardware[hw_id]
        est = serving_estimate(model, hw, cat.efficiency_profiles[hw.efficiency_profile], 1000, 300, precision="fp8")
        assert (est.error_band["status"] == "uncalibrated") is announced, (hw_id, est.error_band)
    assert _training_band(None, cat.hardware["helios_mi455x"]) == TRAINING_ANNOUNCED


def test_largest_batch_search_gives_the_brute_force_answer() -> None:
    """The interpolating search finds the largest b with time(b) <= target, as a scan of every b does, on
    affine, convex, concave and stepped nondecreasing curves (the step-time shapes the model can produce)."""
    import random

    from planner.perf.serving import _largest_within

    rng = random.Random(7)
    curves = [
        lambda b: 0.01 + 1e-5 * b,
        lambda b: 0.02 + 1e-8 * b * b,
        lambda b: 0.01 + 1e-3 * b**0.5,
        lambda b: 0.01 + 1e-5 * b + (0.004 if b > 1500 else 0.0),  # a tile-wave jump
        lambda b: 0.01 + 2e-6 * (b // 64) * 64,  # flat runs
    ]
    for curve in curves:
        for _ in range(40):
            hi = rng.randint(1, 4096)
            target = curve(rng.randint(1, 4096)) * rng.uniform(0.8, 1.1)
            calls: list[int] = []

            def timed(b: int, curve=curve, calls=calls) -> float:
                calls.append(b)
                return curve(b)

            expected = max((b for b in range(1, hi + 1) if curve(b) <= target), default=0)
            assert _largest_within(timed, hi, target) == expected
            assert len(calls) <= 3 * 12 + 3  # never much worse than a bisection's log2(4096) = 12
