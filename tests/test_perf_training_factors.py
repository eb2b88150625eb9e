"""With a published layout pinned, each factor moves the estimate the right way (issue 13, 'Done when')."""

from __future__ import annotations

import pytest

from planner.catalog import load_catalog
from planner.perf.training import training_estimate

# BLOOM-176B: 384 A100-80GB, TP 4 x PP 12 x DP 8, micro-batch 2, global batch 2,048 x 2,048 tokens
BLOOM = {"tp": 4, "pp": 12, "dp": 8, "vp": 1, "micro_batch": 2, "global_batch": 2048}
# Llama 3 70B on 64 H100: TP 4 x PP 8 x VP 5 x DP 2 (Megatron-Bridge 25.11 recipe)
LLAMA70 = {"tp": 4, "pp": 8, "vp": 5, "dp": 2, "micro_batch": 1, "global_batch": 128}


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def _est(cat, model_id, hw, layout, *, seq=2048, precision="bf16", **kw):
    h = cat.hardware[hw]
    return training_estimate(
        cat.models[model_id],
        h,
        cat.efficiency_profiles[h.efficiency_profile],
        1e11,
        layout=layout,
        seq_len=seq,
        precision=precision,
        steady_state=True,
        **kw,
    )


def test_recomputation_is_slower(cat) -> None:
    none = _est(cat, "bloom_176b", "hgx_a100", {**BLOOM, "recompute": "none"})
    sel = _est(cat, "bloom_176b", "hgx_a100", {**BLOOM, "recompute": "selective"})
    full = _est(cat, "bloom_176b", "hgx_a100", {**BLOOM, "recompute": "full"})
    assert none.wall_days < sel.wall_days < full.wall_days
    # full recomputation costs about one extra forward: between 1.15x and 1.40x of no recomputation
    assert 1.15 < full.wall_days / none.wall_days < 1.40
    assert full.activation_recompute and not sel.activation_recompute
    # and it is what lets the layout fit on 40 GB
    mem_full = _est(cat, "bloom_176b", "hgx_a100", {**BLOOM, "recompute": "full"}).layout.activation_gb_per_chip
    assert mem_full < none.layout.activation_gb_per_chip


def test_recompute_keyword(cat) -> None:
    h = cat.hardware["hgx_a100"]
    p = cat.efficiency_profiles[h.efficiency_profile]
    a = training_estimate(cat.models["bloom_176b"], h, p, 1e11, layout=BLOOM, recompute="full", seq_len=2048)
    assert a.parallel.recompute == "full"


def test_fp8_faster_on_hopper(cat) -> None:
    bf16 = _est(cat, "llama_3_1_70b", "hgx_h100", LLAMA70, seq=8192)
    fp8 = _est(cat, "llama_3_1_70b", "hgx_h100", LLAMA70, seq=8192, precision="fp8")
    assert fp8.wall_days < bf16.wall_days
    # GEMMs twice as fast, the rest of the step not: well below 2x overall
    assert 1.2 < bf16.wall_days / fp8.wall_days < 1.9


@pytest.mark.parametrize("hw", ["hgx_a100", "atlas_800t_a2"])
def test_fp8_not_faster_without_fp8_units(cat, hw) -> None:
    layout = {"tp": 8, "pp": 4, "dp": 2, "micro_batch": 1, "global_batch": 64}
    bf16 = _est(cat, "llama_3_1_70b", hw, layout, seq=4096)
    fp8 = _est(cat, "llama_3_1_70b", hw, layout, seq=4096, precision="fp8")
    assert fp8.wall_days == pytest.approx(bf16.wall_days)
    assert "no native fp8" in fp8.factors["precision"].source


def test_nvfp4_only_where_native(cat) -> None:
    lay = {"tp": 2, "pp": 4, "vp": 5, "dp": 8, "micro_batch": 1, "global_batch": 256}
    bf16 = _est(cat, "llama_3_1_70b", "gb200_nvl72", lay, seq=8192)
    mx = _est(cat, "llama_3_1_70b", "gb200_nvl72", lay, seq=8192, precision="mxfp8")
    fp4 = _est(cat, "llama_3_1_70b", "gb200_nvl72", lay, seq=8192, precision="nvfp4")
    assert fp4.wall_days < mx.wall_days < bf16.wall_days
    h100 = _est(cat, "llama_3_1_70b", "hgx_h100", LLAMA70, seq=8192, precision="nvfp4")
    assert "no native nvfp4" in h100.factors["precision"].source


def test_more_pipeline_stages_with_few_micro_batches_is_slower(cat) -> None:
    # Llama 3 70B, TP 4, DP 2, 16 sequences per step: 8 micro-batches per pipeline; PP 8 (64 H100) vs PP 2 (16)
    few = {"tp": 4, "dp": 2, "vp": 1, "micro_batch": 1, "global_batch": 16}
    pp2 = _est(cat, "llama_3_1_70b", "hgx_h100", {**few, "pp": 2}, seq=8192)
    pp8 = _est(cat, "llama_3_1_70b", "hgx_h100", {**few, "pp": 8}, seq=8192)
    assert pp8.tokens_per_s_per_chip < pp2.tokens_per_s_per_chip
    assert pp8.mfu < pp2.mfu
    # the bubble is (p - 1) micro-batch slots for m micro-batches: (p-1)/(m+p-1) of the pipeline time
    b = pp8.breakdown
    m = pp8.parallel.micro_batches(16)
    assert m == 8
    pipe = sum(v for k, v in b.items() if k not in ("data_parallel_comm", "optimizer"))
    assert b["pipeline_bubble"] / pipe == pytest.approx(7 / (m + 7), rel=1e-6)
    # with many micro-batches the same 8 stages cost little
    many = _est(cat, "llama_3_1_70b", "hgx_h100", {**few, "pp": 8, "global_batch": 512}, seq=8192)
    assert many.mfu > pp8.mfu


def test_interleaving_shrinks_the_bubble(cat) -> None:
    v1 = _est(cat, "llama_3_1_70b", "hgx_h100", {**LLAMA70, "vp": 1}, seq=8192)
    v5 = _est(cat, "llama_3_1_70b", "hgx_h100", LLAMA70, seq=8192)
    assert v5.breakdown["pipeline_bubble"] < v1.breakdown["pipeline_bubble"]


def test_tensor_parallel_comm_costs_time(cat) -> None:
    lay = {"pp": 1, "micro_batch": 1, "global_batch": 64}
    tp1 = _est(cat, "llama_2_7b", "hgx_a100", {**lay, "tp": 1, "dp": 8}, seq=4096)
    tp8 = _est(cat, "llama_2_7b", "hgx_a100", {**lay, "tp": 8, "dp": 1}, seq=4096)
    assert tp8.breakdown["tensor_parallel_comm"] > 0 == tp1.breakdown.get("tensor_parallel_comm", 0)
    assert tp8.mfu < tp1.mfu


def test_comm_overlap_helps(cat) -> None:
    on = _est(cat, "bloom_176b", "hgx_a100", {**BLOOM, "overlap": True})
    off = _est(cat, "bloom_176b", "hgx_a100", {**BLOOM, "overlap": False})
    assert on.wall_days < off.wall_days


def test_power_limited_clock_mi300x_vs_mi325x(cat) -> None:
    lay = {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 1, "global_batch": 8}
    mi300 = _est(cat, "llama_2_70b", "mi300x_8x", lay, seq=8192, precision="fp8", method="lora")
    mi325 = _est(cat, "llama_2_70b", "mi325x_8x", lay, seq=8192, precision="fp8", method="lora")
    # same peak figures; the 1,000 W part sustains a higher clock: a fifth or more faster
    assert mi300.wall_days / mi325.wall_days > 1.15
    peaks = [cat.hardware[h].bf16_tflops_per_chip for h in ("mi300x_8x", "mi325x_8x")]
    assert peaks[0] == pytest.approx(peaks[1], rel=1e-3)


def test_moe_all_to_all_across_nodes_costs_more(cat) -> None:
    lay = {"tp": 1, "pp": 8, "vp": 2, "dp": 32, "micro_batch": 1, "global_batch": 4096}
    ep8 = _est(cat, "deepseek_v3", "dgx_b200", {**lay, "ep": 8}, seq=4096, precision="fp8")
    ep32 = _est(cat, "deepseek_v3", "dgx_b200", {**lay, "ep": 32}, seq=4096, precision="fp8")
    assert ep32.breakdown["moe_all_to_all"] > ep8.breakdown["moe_all_to_all"]


# ------------------------------------------------------------------ physics added for the held-out misses


def test_power_cap_lowers_the_clock_as_the_amd_pair() -> None:
    from planner.perf.training import power_limited_clock

    # the law is set by the same CDNA 3 die at two limits: MI325X 1,700 MHz at 1,000 W -> MI300X 1,400 at 750 W
    assert power_limited_clock(1700 / 2100, 750 / 1000) == pytest.approx(1400 / 2100, rel=1e-9)
    # A100 at Meta's 350 W production cap (Llama 2): ~9 % slower clock, never above the peak clock
    assert power_limited_clock(1.0, 350 / 400) == pytest.approx((350 / 400) ** 0.675, rel=1e-2)
    assert power_limited_clock(1.0, 1.5) == 1.0
    with pytest.raises(ValueError):
        power_limited_clock(1.0, 0.0)


def test_power_capped_chip_trains_slower(cat) -> None:
    from planner.perf.validation_training import a100_350w

    layout = {"tp": 4, "pp": 1, "dp": 16, "micro_batch": 1, "global_batch": 256}
    full = _est(cat, "llama_2_13b", "hgx_a100", layout, seq=4096)
    hw = a100_350w(cat)
    capped = training_estimate(
        cat.models["llama_2_13b"],
        hw,
        cat.efficiency_profiles[hw.efficiency_profile],
        1e11,
        layout=layout,
        seq_len=4096,
        steady_state=True,
    )
    # the GEMMs slow with the clock, memory-bound work does not: between 1x and 1 / clock
    ratio = capped.wall_days / full.wall_days
    assert 1.0 < ratio < 1.0 / hw.sustained_clock_fraction + 1e-9


@pytest.mark.parametrize(("k", "domains"), [(8, 4), (8, 8), (6, 2), (2, 16)])
def test_dedup_copies_match_enumeration(k, domains) -> None:
    """Expected other domains hit by k independent uniform draws, by enumerating every outcome."""
    import itertools

    from planner.perf.training import scale_out_copies

    # the token sits in domain 0; count distinct non-zero domains over all N^k equally likely draws
    total = sum(len(set(draw) - {0}) for draw in itertools.product(range(domains), repeat=k))
    assert scale_out_copies(k, domains, True) == pytest.approx(total / domains**k, rel=1e-9)
    assert scale_out_copies(k, domains, False) == pytest.approx(k * (domains - 1) / domains)
    assert scale_out_copies(k, 1, True) == 0.0


def test_plain_all_to_all_across_nodes_is_slower(cat) -> None:
    # Qwen3 235B-A22B on 256 H100, EP 32 over 4 nodes (Megatron-Bridge recipe)
    lay = {"tp": 2, "pp": 8, "vp": 4, "ep": 32, "dp": 16, "micro_batch": 1, "global_batch": 2048}
    dedup = _est(cat, "qwen3_235b_a22b", "hgx_h100", lay, seq=4096, precision="fp8")
    plain = _est(cat, "qwen3_235b_a22b", "hgx_h100", {**lay, "a2a_dedup": False}, seq=4096, precision="fp8")
    assert plain.wall_days > dedup.wall_days
    assert plain.breakdown["moe_all_to_all"] + plain.breakdown["comm_sm_contention"] > (
        dedup.breakdown["moe_all_to_all"] + dedup.breakdown["comm_sm_contention"]
    )


def test_overlapped_all_to_all_costs_compute_sms(cat) -> None:
    lay = {"tp": 2, "pp": 8, "vp": 4, "ep": 32, "dp": 16, "micro_batch": 1, "global_batch": 2048}
    est = _est(cat, "qwen3_235b_a22b", "hgx_h100", lay, seq=4096, precision="fp8")
    assert est.breakdown["comm_sm_contention"] > 0
    none = _est(cat, "qwen3_235b_a22b", "hgx_h100", {**lay, "a2a_overlap": False}, seq=4096, precision="fp8")
    # nothing hidden, nothing contended, everything exposed: slower still
    assert none.breakdown["comm_sm_contention"] == pytest.approx(0.0, abs=1e-9)
    assert none.wall_days > est.wall_days


def test_unfused_attention_is_slower(cat) -> None:
    gpt = {"tp": 8, "pp": 8, "dp": 1, "micro_batch": 1, "global_batch": 64, "recompute": "selective"}
    fused = _est(cat, "bloom_176b", "hgx_a100", gpt)
    unfused = _est(cat, "bloom_176b", "hgx_a100", {**gpt, "flash_attention": False})
    assert unfused.breakdown["attention"] > fused.breakdown["attention"]
    # selective recomputation repeats the attention core when it is not fused (Korthikanti et al. 2022)
    assert unfused.breakdown["recompute"] > fused.breakdown["recompute"]


def test_tp_overlap_switch(cat) -> None:
    on = _est(cat, "llama_3_1_70b", "hgx_h100", LLAMA70, seq=8192)
    off = _est(cat, "llama_3_1_70b", "hgx_h100", {**LLAMA70, "tp_overlap": False}, seq=8192)
    assert off.breakdown["tensor_parallel_comm"] == pytest.approx(on.breakdown["tensor_parallel_comm"] / 0.4)


def test_fp32_softmax_costs_time_only_without_flash(cat) -> None:
    gpt = {"tp": 8, "pp": 8, "dp": 1, "micro_batch": 1, "global_batch": 64, "recompute": "full"}
    unfused = {**gpt, "flash_attention": False}
    half = _est(cat, "bloom_176b", "hgx_a100", unfused)
    fp32 = _est(cat, "bloom_176b", "hgx_a100", {**unfused, "softmax_fp32": True})
    assert fp32.breakdown["attention"] > half.breakdown["attention"]
    assert fp32.wall_days > half.wall_days
    fused = _est(cat, "bloom_176b", "hgx_a100", gpt)
    fused32 = _est(cat, "bloom_176b", "hgx_a100", {**gpt, "softmax_fp32": True})
    assert fused32.breakdown["attention"] == pytest.approx(fused.breakdown["attention"])


def test_mtp_module_is_one_more_layer_and_head_pass(cat) -> None:
    lay = {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 1, "global_batch": 64}
    base = _est(cat, "llama_3_1_8b", "hgx_h100", lay, seq=4096)
    mtp = _est(cat, "llama_3_1_8b", "hgx_h100", {**lay, "mtp_layers": 1}, seq=4096)
    # Llama 3.1 8B has 32 layers: the MTP module's transformer layer adds 1/32 of the layer GEMMs
    assert mtp.breakdown["gemm"] / base.breakdown["gemm"] == pytest.approx(33 / 32)
    # the shared output head runs twice, plus the 2d -> d projection
    assert mtp.breakdown["lm_head"] > 2.0 * base.breakdown["lm_head"]
    assert mtp.wall_days > base.wall_days


def test_busiest_pipeline_stage_holds_whole_layers(cat) -> None:
    # BLOOM's 70 layers: 12 stages hold at most 6 each (ceil 70/12), 14 stages exactly 5; same micro-batches
    lay = {"tp": 4, "dp": 8, "vp": 1, "micro_batch": 2, "global_batch": 2048}
    pp12 = _est(cat, "bloom_176b", "hgx_a100", {**lay, "pp": 12})
    pp14 = _est(cat, "bloom_176b", "hgx_a100", {**lay, "pp": 14})
    assert pp12.breakdown["gemm"] / pp14.breakdown["gemm"] == pytest.approx(6 / 5)
