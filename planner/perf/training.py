"""Training time and chips: MFU as an outcome of the parallel layout, precision and scale.

One optimizer step of a job on `n` chips laid out as `Layout(tp, pp, cp, dp, ep, vp, ...)` is timed component
by component (`step_breakdown`), each from the kernel layer (`planner/perf/kernels.py`, the same GEMM, memory
and collective factors the serving model uses):

* GEMMs of the transformer layers at the training precision (bf16, fp8, mxfp8, nvfp4 where native; attention
  and the LM head stay bf16), shapes (tokens x width / tp) at the profile's GEMM efficiency by shape; MoE expert
  GEMMs grouped with the tokens each expert receives;
* attention (flash: backward 2.5x the forward) at bf16;
* memory-bound element-wise work (norms, activations, RoPE, residuals, FP8 casts, MoE permutes) at HBM speed;
* recomputation: selective (element-wise forward again) or full (the whole forward again, 8/6 of the GEMMs);
* attention without flash kernels (2021-22 runs): the score matrix of every head through HBM;
* tensor-parallel all-gather / reduce-scatter over the scale-up link (partly overlapped); context-parallel ring
  exchange; pipeline sends; MoE all-to-all (copies leaving the scale-up domain over the scale-out network, one
  per destination domain with a deduplicating dispatcher), hidden behind other micro-batches' compute only up
  to that compute's length;
* communication kernels running beside compute take SMs from it (`comm_sm_contention`, DeepSeek-V3's 20 of
  132 SMs);
* the pipeline bubble (p-1)/v micro-batch slots per step for m micro-batches (primer 2.4);
* data-parallel gradient reduce-scatter and parameter all-gather, hidden behind the last backward / first
  forward up to their length; the optimizer step (memory-bound).

A chip run below its rated power limit sustains a lower clock (`power_limited_clock`, the law set by the
MI300X / MI325X pair). MFU = model FLOPs per second / (n x dense BF16 peak) is what comes out; wall-clock adds
goodput, which falls with the chip count (interruptions per chip-hour from Llama 3 405B on 16K H100, restart
and checkpoint cost).
When no layout is given the memory-feasible layout with the highest throughput is searched (`best_layout`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from planner.perf import kernels
from planner.perf.factors import Factor, constant, profile_factor, profile_source
from planner.perf.layout import RECOMPUTE, Layout, with_fields
from planner.perf.memory import memory_floor_chips, usable_bytes_per_chip
from planner.schema.catalog import EfficiencyProfile, Hardware, Model

METHODS = ("pretraining", "continued_pretraining", "full", "lora", "qlora")
PRECISIONS = ("bf16", "fp8", "mxfp8", "nvfp4")
SECONDS_PER_DAY = 86_400.0
# Kept for callers of v1: full recomputation costs one extra forward, 8 hardware FLOPs per parameter-token
# instead of 6 (GLM-130B, arXiv 2210.02414 p5: HFU 43.3 % vs MFU 32.5 %).
FULL_RECOMPUTE_FACTOR = 6.0 / 8.0

# --- modelling constants (sources in docs/performance-model.md, section 1) ---
# FlashAttention backward does 5 matmuls to the forward's 2 (Dao 2023, FlashAttention-2, sec. 3): 2.5x.
FLASH_BACKWARD_RATIO = 2.5
# FlashAttention-3 reaches ~75 % of H100 BF16 peak forward, less backward (Shah et al. 2024, arXiv 2407.08608);
# cuBLAS GEMMs ~80 %: attention runs at 0.8 of the large-GEMM efficiency (estimate).
ATTENTION_TO_GEMM_EFFICIENCY = 0.8
# Element-wise HBM traffic of one layer's forward per token, in bytes (bf16): two norms (read + write 4d each),
# two residual adds (6d each), RoPE on q and k (~4d), bias/dropout-free Llama-style layer: ~24d; the gated MLP
# activation reads 2f and writes f (6f). Backward about twice the forward. Estimate from the tensor sizes.
ELEMENTWISE_FWD_BYTES_PER_D = 24.0
ELEMENTWISE_FWD_BYTES_PER_F = 6.0
ELEMENTWISE_BWD_RATIO = 2.0
# HBM bytes per element of a GEMM input per layer spent on low-precision handling (amax, quantise, scales,
# transposed copies for wgrad; nvfp4: random-Hadamard transforms too). The tensor sizes alone give ~8 B; the
# values are calibrated: fp8 on Llama 3 8B / 8x H100 (12.4 B), mxfp8 (48.9 B) and nvfp4 (22.2 B) on Llama 3 70B /
# 64x GB200 (the mxfp8 value also absorbs what the model misses on that Blackwell TP/PP layout) - calibration
# rows in planner/perf/validation_training.py.
CAST_BYTES = {"bf16": 0.0, "fp8": 12.4, "mxfp8": 48.9, "nvfp4": 22.2}
# MoE token permute / unpermute per routed copy of a token, forward (read + write d bf16 twice).
MOE_PERMUTE_FWD_BYTES_PER_D = 8.0
# Grouped expert GEMMs (dropless, variable tokens per expert) with the router, token sort and host sync around
# them reach less of the peak than one dense GEMM of the same shape: calibrated on DeepSeek-V3 / 256 GB200
# BF16 (all-to-all inside NVLink), with the exposed all-to-all share below on DeepSeek-V3 / 256 B200 (EP 32
# across 4 nodes, DeepEP): calibration rows in planner/perf/validation_training.py.
MOE_GROUPED_GEMM_EFFICIENCY = 0.49
# Optimizer step (AdamW, fp32 master): read grad, master, m, v; write master, m, v, bf16 weights: ~32 B/param.
OPTIMIZER_BYTES_PER_PARAM = 32.0
# Share of tensor-parallel / MoE all-to-all time left exposed when the stack overlaps them with compute
# (Megatron-Core TP comm overlap, EP overlap; estimate); without overlap everything is exposed.
TP_EXPOSED_WITH_OVERLAP = 0.4
# Share of an overlapped all-to-all left exposed beyond what the compute beside it cannot hide: calibrated
# (above) to 0 once the all-to-all is bounded by that compute and its kernels' SMs are charged
# (COMM_SM_SHARE): Megatron-Core 1F1B EP overlap / DeepEP hide what fits behind another micro-batch.
A2A_EXPOSED_WITH_OVERLAP = 0.0
# Communication kernels overlapped with compute occupy SMs: DeepSeek-V3 gives 20 of the H800's 132 SMs to its
# all-to-all kernels (arXiv 2412.19437, sec. 3.2.2); DeepEP's default is 20 as well, NCCL channels similar.
COMM_SM_SHARE = 20.0 / 132.0
# Unfused attention (no FlashAttention): bytes per score element through HBM. Forward: QK^T writes S (2),
# scale-mask-softmax reads and writes it (4), AV reads P (2); backward: dP written (2), softmax backward reads
# P and dP and writes dS (6), dQ and dK read dS (4). bf16, no attention dropout (estimate from the kernels).
UNFUSED_SCORE_FWD_BYTES = 8.0
UNFUSED_SCORE_BWD_BYTES = 12.0
# The same with the softmax in fp32 (S cast up, softmax, P cast down; backward: dP cast up, softmax backward
# reading the fp32 P, dS cast down): forward 2 + 6 + 8 + 6 + 2, backward 2 + 6 + 12 + 6 + 4 (from the kernels).
UNFUSED_SCORE_FP32_SOFTMAX_FWD_BYTES = 24.0
UNFUSED_SCORE_FP32_SOFTMAX_BWD_BYTES = 30.0
# Clock under a power cap: the same CDNA 3 die sustains 1,400 MHz at 750 W (MI300X) and 1,700 MHz at 1,000 W
# (MI325X) under a full matrix load (catalogs/hardware/amd.yaml, sustained_clock_fraction, measured):
# clock ~ power^0.675 (ln(1400/1700) / ln(750/1000)); dynamic power ~ f·V² with V falling with f.
POWER_CLOCK_EXPONENT = math.log(1400.0 / 1700.0) / math.log(750.0 / 1000.0)
DEFAULT_SCALE_OUT_GB_S = 50.0  # one 400 Gb/s NIC per chip (DGX H100 / B200, MI300X platforms)
# Interruptions: Llama 3 405B, 16,384 H100, 54-day snapshot: 419 unexpected interruptions (arXiv 2407.21783,
# sec. 3.3.4, Table 5), i.e. 419 / (16,384 x 54 x 24) per chip-hour; ">90 % effective training time".
INTERRUPTIONS_PER_CHIP_HOUR = 419.0 / (16_384 * 54 * 24)
RESTART_HOURS = 0.1  # detection, rescheduling, reload and warm-up after an interruption (estimate)
CHECKPOINT_FIXED_S = 30.0  # blocking part of a checkpoint save (estimate; async checkpointing hides the rest)
CHECKPOINT_WRITE_GB_S_PER_CHIP = 2.0  # storage write bandwidth per chip (estimate)
# Default global batch (tokens) by method when the layout does not give one: Llama 2 used 4M tokens (arXiv
# 2307.09288), Llama 3 405B 4M-16M; fine-tuning runs use far smaller batches.
DEFAULT_BATCH_TOKENS = {
    "pretraining": 4 * 2**20,
    "continued_pretraining": 4 * 2**20,
    "full": 2**20,
    "lora": 2**18,
    "qlora": 2**18,
}
MAX_BATCH_TOKENS = 16 * 2**20  # Llama 3 405B's largest batch: beyond it data parallelism cannot grow
LORA_ADAPTER_FRACTION = 0.01
QLORA_BYTES_PER_PARAM = 0.5 + 2.0 / 64  # NF4 + one fp16 scale per 64 (QLoRA, Dettmers et al. 2023)
MAX_TRAINING_TP = 8


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown training method `{method}`; use one of {', '.join(METHODS)}")


# ---------------------------------------------------------------------------------------------- model shape


@dataclass(frozen=True)
class Shape:
    """Per-layer matrix sizes derived from the catalog entry (params, widths)."""

    d: int
    layers: int
    vocab: int
    attn_params: float  # per layer
    mlp_params: float  # per layer, dense / shared part (always run)
    expert_params: float  # per routed expert, per layer (0 for dense)
    experts: int
    top_k: int
    ffn: float  # dense MLP width (gated: 3 matrices)
    expert_ffn: float
    heads: int
    d_qk: int
    d_v: int

    @property
    def act_width(self) -> float:
        """MLP width a token passes through (dense + its routed experts)."""
        return self.ffn + self.top_k * self.expert_ffn


def model_shape(model: Model) -> Shape:
    d, L, V = model.hidden_size, model.layers, model.vocab_size
    if model.attention == "mla":
        d_qk = model.head_dim + (model.qk_rope_head_dim or 0)
        d_v = model.head_dim
        q_lora = 1536 if d >= 5120 else 0
        kv_rank = model.kv_lora_rank or 512
        h = model.attention_heads
        q = d * q_lora + q_lora * h * d_qk if q_lora else d * h * d_qk
        attn = q + d * (kv_rank + (model.qk_rope_head_dim or 0)) + kv_rank * h * (model.head_dim + d_v) + h * d_v * d
    else:
        d_qk = d_v = model.head_dim
        attn = 2.0 * d * model.attention_heads * model.head_dim + 2.0 * d * model.kv_heads * model.head_dim
    embed = 2.0 * V * d
    if model.is_moe:
        assert model.routed_experts and model.experts_per_token and model.routed_expert_params_b
        routed = model.routed_expert_params_b * 1e9
        dense_total = model.params_total_b * 1e9 - routed
        mlp = max(dense_total - embed - L * attn, 0.0) / L
        e_params = routed / (L * model.routed_experts)
        experts, k = model.routed_experts, model.experts_per_token
    else:
        mlp = max(model.params_total_b * 1e9 - embed - L * attn, 0.1 * model.params_total_b * 1e9 / L) / L
        e_params, experts, k = 0.0, 1, 0
    return Shape(
        d,
        L,
        V,
        attn,
        mlp,
        e_params,
        experts,
        k,
        mlp / (3.0 * d),
        e_params / (3.0 * d),
        model.attention_heads,
        d_qk,
        d_v,
    )


def attention_flops_per_token(model: Model, seq_len: int) -> float:
    """Causal attention model FLOPs per token, forward + backward: 3 x L x s x heads x (d_qk + d_v).

    Forward per layer and token: QK^T and AV over s/2 keys on average, 2·(s/2)·h·(d_qk + d_v); training 3x.
    For MHA/GQA (d_qk = d_v = d/h) this is the PaLM term 6·L·s·d; for MLA it uses the head widths
    (DeepSeek-V3: 128 heads x (192 + 128) at 4,096 tokens: 30.7 GFLOP per token, not 10.7 from d_model).
    """
    s = model_shape(model)
    return 3.0 * model.layers * seq_len * s.heads * (s.d_qk + s.d_v)


def flops_per_token(model: Model, method: str = "pretraining", seq_len: int = 4096) -> float:
    """Model FLOPs per training token: 6·N_active + attention (above); LoRA/QLoRA skip weight gradients (4/6)."""
    _check_method(method)
    per_token = 6.0 * model.params_active_b * 1e9 + attention_flops_per_token(model, seq_len)
    return per_token * (4.0 / 6.0 if method in ("lora", "qlora") else 1.0)


# ---------------------------------------------------------------------------------------------- precision


def compute_precision(hw: Hardware, precision: str) -> tuple[str, str]:
    """(kernel precision of the transformer GEMMs, note). Falls back to bf16 where the chip lacks the format."""
    if precision not in PRECISIONS:
        raise ValueError(f"unknown training precision `{precision}`; use one of {', '.join(PRECISIONS)}")
    half = "bf16" if hw.has_bf16 else "fp16"  # chips without BF16 units train in fp16
    if precision == "bf16":
        return half, f"{half} GEMMs"
    peaks = kernels.native_precisions(hw)
    blackwell_class = "fp4" in peaks  # MX block-scaled formats arrive with the FP4 units (Blackwell, CDNA 4)
    if precision == "fp8" and "fp8" in peaks:
        return "fp8", "fp8 GEMMs (per-tensor / block scaling) in the transformer layers; attention, LM head bf16"
    if precision == "mxfp8" and "fp8" in peaks and blackwell_class:
        return "fp8", "mxfp8 GEMMs (32-element block scales) in the transformer layers; attention, LM head bf16"
    if precision == "nvfp4" and blackwell_class:
        return "fp4", "nvfp4 GEMMs in the transformer layers; attention, LM head bf16"
    return half, f"{hw.accelerator} has no native {precision}: GEMMs run at {half}"


# ---------------------------------------------------------------------------------------------- memory


def training_memory_bytes(
    model: Model, method: str, layout: Layout, seq_len: int, precision: str = "bf16"
) -> dict[str, float]:
    """Bytes per chip on the busiest (first) pipeline stage: model states and activations."""
    s = model_shape(model)
    n_total = model.params_total_b * 1e9
    n_exp = s.expert_params * s.experts * s.layers
    n_dense = n_total - n_exp
    chips = layout.chips
    mp_dense = layout.tp * layout.pp
    mp_exp = layout.ep * layout.pp
    if method in ("lora", "qlora"):
        # frozen weights: bf16, or fp8 when the GEMMs run in a low precision (fp8_params, as the MLPerf LoRA
        # submissions), or NF4 (QLoRA)
        w_b = QLORA_BYTES_PER_PARAM if method == "qlora" else (2.0 if precision == "bf16" else 1.0)
        states = w_b * (n_dense / mp_dense + n_exp / mp_exp) + 16.0 * LORA_ADAPTER_FRACTION * n_total / chips
    elif layout.fsdp:
        states = 16.0 * n_total / chips + 2.0 * 2.0 * (s.attn_params + s.mlp_params)  # two gathered layers
    else:
        states = 4.0 * (n_dense / mp_dense + n_exp / mp_exp) + 12.0 * n_total / chips
    if precision != "bf16" and method not in ("lora", "qlora"):
        states += 1.0 * (n_dense / mp_dense + n_exp / mp_exp)  # low-precision weight copy / transposes
    d, f = s.d, s.act_width
    sp = layout.sequence_parallel or layout.tp == 1
    d_div = layout.tp if sp else 1
    if layout.recompute == "full":
        per_tok_layer = 2.0 * d / d_div
    elif layout.recompute == "selective":
        per_tok_layer = 10.0 * d / d_div + 4.0 * f / layout.tp
    else:
        per_tok_layer = 14.0 * d / d_div + 6.0 * f / layout.tp
    if method in ("lora", "qlora") and layout.recompute != "full":
        # frozen linear layers need no input for a weight gradient: the MLP inputs (d for up/gate, f for down)
        # are not kept, only what the activation function's backward needs
        per_tok_layer -= 2.0 * d / d_div + 2.0 * f / layout.tp
    tokens = layout.micro_batch * seq_len / layout.cp
    p, v = layout.pp, layout.vp
    in_flight_layers = s.layers * (1.0 + (p - 1) / (p * v) if v > 1 and p > 1 else 1.0)
    acts = tokens * per_tok_layer * in_flight_layers
    if p == 1:
        acts += tokens * s.vocab / layout.tp * 4.0  # logits and their gradient (fp32 loss)
    return {"states": states, "activations": acts, "total": states + acts}


# ---------------------------------------------------------------------------------------------- step time


@dataclass(frozen=True)
class StepTime:
    """One optimizer step: seconds per component on the critical path, and what the step processes."""

    components: dict[str, float]
    tokens: float  # tokens per step (whole job)
    global_batch: int
    micro_batches: int
    note: str = ""

    @property
    def seconds(self) -> float:
        return sum(self.components.values())


def power_limited_clock(clock_fraction: float, power_fraction: float) -> float:
    """Sustained matrix clock of a chip run at `power_fraction` of the power limit its `clock_fraction` holds at.

    Clock follows power as (P / P_rated)^POWER_CLOCK_EXPONENT below the rated limit (never above the peak clock).
    """
    if power_fraction <= 0.0:
        raise ValueError(f"power fraction must be positive, got {power_fraction}")
    return min(1.0, clock_fraction * power_fraction**POWER_CLOCK_EXPONENT)


def scale_out_copies(top_k: int, domains: float, dedup: bool) -> float:
    """Copies of one token that cross the scale-out network in an MoE dispatch over `domains` scale-up domains.

    Experts spread evenly, each of the k routed experts in a domain with probability 1/N: a plain all-to-all
    sends k (1 - 1/N) copies; a node-deduplicating dispatch (DeepEP, HybridEP) one per other domain hit,
    (N - 1) (1 - (1 - 1/N)^k).
    """
    if domains <= 1:
        return 0.0
    if dedup:
        return (domains - 1.0) * (1.0 - (1.0 - 1.0 / domains) ** top_k)
    return top_k * (1.0 - 1.0 / domains)


def _contention(hidden_comm_s: float) -> float:
    """Extra compute time while `hidden_comm_s` of communication runs beside it on COMM_SM_SHARE of the SMs."""
    return max(hidden_comm_s, 0.0) * COMM_SM_SHARE / (1.0 - COMM_SM_SHARE)


def _link(hw: Hardware, inside_domain: bool) -> float:
    return hw.scale_up_gb_s_per_chip if inside_domain else (hw.scale_out_gb_s_per_chip or DEFAULT_SCALE_OUT_GB_S)


def default_global_batch(method: str, seq_len: int, layout: Layout) -> int:
    """Sequences per step: the method's default batch in tokens, at least one micro-batch per replica."""
    want = max(1, round(DEFAULT_BATCH_TOKENS[method] / seq_len))
    floor = layout.dp * layout.micro_batch
    return max(floor, math.ceil(want / floor) * floor)


def step_breakdown(  # noqa: C901, PLR0915 - one term per component of the step
    model: Model,
    hw: Hardware,
    profile: EfficiencyProfile,
    layout: Layout,
    *,
    seq_len: int = 4096,
    method: str = "pretraining",
    precision: str = "bf16",
) -> StepTime:
    """Seconds of one optimizer step, per component, for `layout` (see the module docstring)."""
    _check_method(method)
    s = model_shape(model)
    gemm_prec, prec_note = compute_precision(hw, precision)
    clock = kernels.sustained_clock(hw) if hasattr(kernels, "sustained_clock") else 1.0
    t, p, cp, dp, ep, v = layout.tp, layout.pp, layout.cp, layout.dp, layout.ep, layout.vp
    gbs = layout.global_batch or default_global_batch(method, seq_len, layout)
    m = layout.micro_batches(gbs)
    tokens_mb = layout.micro_batch * seq_len / cp  # tokens of one micro-batch on one rank (before tp split)
    # layers on the busiest pipeline rank: whole layers, so at least ceil(L / p) of them (pigeonhole; the MTP
    # modules count as layers; Megatron's custom layouts put embedding, MTP and loss on the lighter end stages)
    layers = math.ceil((s.layers + layout.mtp_layers) / p - 1e-9)
    sp = layout.sequence_parallel or t == 1
    frozen = method in ("lora", "qlora")
    bwd_gemm = 1.0 if frozen else 2.0  # dgrad (+ wgrad unless the weights are frozen)
    domain = hw.scale_up_domain_chips or 1

    rates = kernels.ChipRates(hw, profile, clock)

    def gemm(mm: float, n: float, k: float, prec: str = gemm_prec) -> float:
        return rates.gemm(mm, n, k, prec)

    # -- transformer-layer GEMMs, forward, one micro-batch, one layer on one rank
    attn_w = s.attn_params / t  # q/k/v/o of this rank
    f_gemm = gemm(tokens_mb, attn_w / s.d, s.d)
    if s.mlp_params > 0:
        f_gemm += 3.0 * gemm(tokens_mb, s.ffn / t, s.d)
    if s.top_k:
        local_experts = s.experts / ep
        per_expert = tokens_mb / (t if sp else 1) * s.top_k * ep / s.experts
        f_gemm += (
            3.0
            * rates.grouped_gemm(per_expert, local_experts, s.expert_ffn, s.d, gemm_prec)
            / MOE_GROUPED_GEMM_EFFICIENCY
        )
    b_gemm = f_gemm * bwd_gemm
    # -- attention (flash, bf16), per layer per micro-batch on one rank (heads split over tp, sequence over cp)
    half = "bf16" if hw.has_bf16 else "fp16"
    eta_att = kernels.large_gemm_efficiency(profile, half) * ATTENTION_TO_GEMM_EFFICIENCY
    att_fwd_flops = 2.0 * tokens_mb * (seq_len / 2.0) * s.heads / t * (s.d_qk + s.d_v)
    f_att = att_fwd_flops / (kernels.peak_flops(hw, half) * eta_att * clock)
    b_att = f_att * FLASH_BACKWARD_RATIO
    if not layout.flash_attention:  # the score matrix of every head goes through HBM (causal mask applied to it)
        scores = layout.micro_batch * s.heads / t * seq_len * seq_len
        # batched matmuls over the whole s x s matrix: the masked half is computed too (flash kernels skip it)
        full_fwd_flops = 2.0 * att_fwd_flops
        f_att = full_fwd_flops / (kernels.peak_flops(hw, half) * eta_att * clock)
        fp32 = layout.softmax_fp32
        f_att += rates.memory(scores * (UNFUSED_SCORE_FP32_SOFTMAX_FWD_BYTES if fp32 else UNFUSED_SCORE_FWD_BYTES))
        # backward: four matmuls (dV, dP, dQ, dK) to the forward's two, no recomputation of the scores
        b_att = 2.0 * full_fwd_flops / (kernels.peak_flops(hw, half) * eta_att * clock)
        b_att += rates.memory(scores * (UNFUSED_SCORE_FP32_SOFTMAX_BWD_BYTES if fp32 else UNFUSED_SCORE_BWD_BYTES))
    # -- element-wise (memory-bound), per layer per micro-batch on one rank
    d_tok = tokens_mb / (t if sp else 1)
    ew_bytes = d_tok * ELEMENTWISE_FWD_BYTES_PER_D * s.d + tokens_mb * ELEMENTWISE_FWD_BYTES_PER_F * s.act_width / t
    ew_bytes += tokens_mb * CAST_BYTES[precision if gemm_prec != half else "bf16"] * (3.0 * s.d + s.act_width) / t
    if s.top_k:
        ew_bytes += d_tok * s.top_k * MOE_PERMUTE_FWD_BYTES_PER_D * s.d
    f_ew = rates.memory(ew_bytes)
    b_ew = f_ew * ELEMENTWISE_BWD_RATIO
    # -- tensor-parallel collectives: fwd 2 all-gather + 2 reduce-scatter of the layer's activations (SP), or
    # 2 all-reduces without SP; the same in backward
    act_bytes = tokens_mb * s.d * 2.0
    tp_inside = t <= domain
    if t > 1:
        tp_link = _link(hw, tp_inside)
        f_tp = 4.0 * kernels.allgather_time_s(hw, profile, act_bytes, t, link_gb_s=tp_link)
        f_tp *= TP_EXPOSED_WITH_OVERLAP if layout.overlaps("tp") else 1.0
    else:
        f_tp = 0.0
    b_tp = f_tp
    # -- context-parallel ring exchange of K and V (overlapped with attention up to its length)
    if cp > 1:
        kv_bytes = tokens_mb * 2.0 * model.kv_heads * model.head_dim * 2.0 / t
        cp_link = _link(hw, t * cp <= domain)
        ring = (cp - 1) * kernels.p2p_time_s(hw, profile, kv_bytes, link_gb_s=cp_link)
        f_cp = max(0.0, ring - f_att) if layout.overlap else ring
        b_cp = max(0.0, 2.0 * ring - b_att) if layout.overlap else 2.0 * ring
        cp_hidden = 3.0 * ring - f_cp - b_cp
    else:
        f_cp = b_cp = cp_hidden = 0.0
    compute_layer = f_gemm + b_gemm + f_att + b_att + f_ew + b_ew  # one layer's compute, fwd + bwd
    # -- MoE all-to-all: dispatch + combine, forward and backward. Per token, k routed copies spread over the
    # ep ranks of N = ep / (ranks per scale-up domain) domains; the copies to other domains cross the scale-out
    # network, one per destination rank (plain all-to-all) or one per destination domain, forwarded inside it
    # (DeepEP / HybridEP: (N-1)(1 - (1 - 1/N)^k) copies). Scale-up and scale-out links run at the same time.
    if s.top_k and ep > 1:
        nodes = ep / max(1, min(ep, domain))
        out_copies = scale_out_copies(s.top_k, nodes, layout.a2a_dedup)
        in_copies = s.top_k * (1.0 - 1.0 / ep)  # every copy that leaves the chip passes the scale-up link once
        in_bw = hw.scale_up_gb_s_per_chip * 1e9 * kernels.link_efficiency(profile)
        out_bw = (hw.scale_out_gb_s_per_chip or DEFAULT_SCALE_OUT_GB_S) * 1e9 * kernels.link_efficiency(profile)
        per_byte = max(d_tok * s.d * in_copies / in_bw, d_tok * s.d * out_copies / out_bw)
        # forward: dispatch (fp8 when the GEMMs are) + combine (bf16); backward: both gradients in bf16
        a2a_full = per_byte * ((1.0 if gemm_prec != half else 2.0) + 2.0 + 4.0)
        if layout.schedule == "dualpipe":
            exposed = max(0.0, a2a_full - compute_layer)
        elif layout.overlaps("a2a"):  # hidden behind another micro-batch's compute, at most its length
            exposed = max(A2A_EXPOSED_WITH_OVERLAP * a2a_full, a2a_full - compute_layer)
        else:
            exposed = a2a_full
        f_a2a = exposed / 2.0 + 2.0 * kernels.collective_latency_s(profile)
        a2a_hidden = a2a_full - exposed
    else:
        f_a2a = a2a_hidden = 0.0
    b_a2a = f_a2a
    # -- recomputation: selective repeats the element-wise forward (and, without flash attention, the attention
    # core: Korthikanti et al. 2022), full the whole layer forward
    if layout.recompute == "full":
        r_layer = f_gemm + f_att + f_ew + f_tp + f_cp + f_a2a
    elif layout.recompute == "selective":
        r_layer = f_ew * 0.5 + (0.0 if layout.flash_attention else f_att)
    else:
        r_layer = 0.0
    # -- LM head (bf16), on the last stage: balanced away by Megatron's uneven first/last stages -> share /p
    head_fwd = gemm(tokens_mb, s.vocab / t, s.d, half)
    # each MTP module runs the shared head once more, after its 2d -> d projection (DeepSeek-V3 sec. 2.2)
    head_fwd *= 1.0 + layout.mtp_layers
    if layout.mtp_layers:
        head_fwd += layout.mtp_layers * gemm(tokens_mb, s.d / t, 2.0 * s.d)
    head = head_fwd * (1.0 + bwd_gemm) / p
    launches = kernels.launch_s(profile, 30.0 * layers)  # ~30 kernels per layer, fwd + bwd (estimate)
    # -- QLoRA dequantises the frozen 4-bit weights of the rank in every forward and backward pass
    dequant = 0.0
    if method == "qlora":
        w_rank = (s.attn_params / t + 3 * s.ffn * s.d / t) * layers
        dequant = 2.0 * rates.memory(w_rank * (QLORA_BYTES_PER_PARAM + 2.0))

    per_mb = {
        "gemm": layers * (f_gemm + b_gemm),
        "attention": layers * (f_att + b_att),
        "elementwise": layers * (f_ew + b_ew) + launches + dequant,
        "recompute": layers * r_layer,
        "tensor_parallel_comm": layers * (f_tp + b_tp),
        "context_parallel_comm": layers * (f_cp + b_cp),
        "moe_all_to_all": layers * (f_a2a + b_a2a),
        "lm_head": head,
    }
    # communication kernels that overlap compute take SMs from it while they run (DeepEP / NCCL channels; TP
    # overlap runs on copy engines and is left out): compute slows by 1/(1 - share) for the hidden time
    per_mb["comm_sm_contention"] = layers * _contention(min(a2a_hidden + cp_hidden, compute_layer))
    # pipeline sends of the boundary activations, v virtual stages per rank
    if p > 1:
        pp_link = _link(hw, t * cp * p <= domain)
        send = kernels.p2p_time_s(hw, profile, act_bytes / (t if sp else 1), link_gb_s=pp_link)
        per_mb["pipeline_send"] = 2.0 * v * send
    t_mb = sum(per_mb.values())
    comps = {k: val * m for k, val in per_mb.items()}
    # pipeline bubble
    if p > 1:
        slots = max(0.0, p / 2.0 - 1.0) if layout.schedule == "dualpipe" else (p - 1) / v
        comps["pipeline_bubble"] = slots * t_mb
    # data-parallel gradient reduction and parameter gather (distributed optimizer), or FSDP per micro-batch
    n_exp = s.expert_params * s.experts * s.layers
    n_total = model.params_total_b * 1e9
    dense_rank = (n_total - n_exp) / (t * p)
    exp_rank = n_exp / (ep * p)
    trainable = LORA_ADAPTER_FRACTION if frozen else 1.0
    dp_group = dp * cp
    dp_link = _link(hw, layout.chips <= domain)
    fwd_mb = per_mb["gemm"] / (1.0 + bwd_gemm) + per_mb["attention"] / (1.0 + FLASH_BACKWARD_RATIO)
    bwd_mb = t_mb - fwd_mb
    if dp_group > 1:
        rs = kernels.allgather_time_s(hw, profile, dense_rank * 2.0 * trainable, dp_group, link_gb_s=dp_link)
        edp = t * dp * cp // ep  # expert data-parallel group (parallel folding)
        if exp_rank and edp > 1:
            rs += kernels.allgather_time_s(hw, profile, exp_rank * 2.0 * trainable, edp, link_gb_s=dp_link)
        ag = rs
        dp_ov = layout.overlaps("dp")
        if layout.fsdp:
            per = (max(0.0, ag - fwd_mb) + max(0.0, ag + rs - bwd_mb)) if dp_ov else 2 * ag + rs
            comps["data_parallel_comm"] = m * per
            hidden = m * (3.0 * ag - per) if dp_ov else 0.0
        else:
            comps["data_parallel_comm"] = (max(0.0, rs - bwd_mb) + max(0.0, ag - fwd_mb)) if dp_ov else rs + ag
            hidden = (rs + ag - comps["data_parallel_comm"]) if dp_ov else 0.0
        comps["data_parallel_comm"] += _contention(hidden)  # its kernels' SMs, taken from the compute it hides in
    # optimizer step (memory-bound, sharded over the data-parallel group)
    opt_params = (dense_rank + exp_rank) * trainable / max(1, dp_group if not frozen else 1)
    comps["optimizer"] = rates.memory(opt_params * OPTIMIZER_BYTES_PER_PARAM)
    return StepTime(comps, gbs * seq_len, gbs, m, prec_note)


# ---------------------------------------------------------------------------------------------- search


@dataclass(frozen=True)
class LayoutResult:
    """A layout with its memory and step time."""

    layout: Layout
    step: StepTime
    memory: dict[str, float]
    usable_bytes: float
    given: bool

    @property
    def fits(self) -> bool:
        return self.memory["total"] <= self.usable_bytes

    @property
    def tokens_per_s(self) -> float:
        return self.step.tokens / self.step.seconds

    def describe(self) -> str:
        how = "given" if self.given else "best memory-feasible layout found"
        mem = (
            f"states {self.memory['states'] / 1e9:.1f} GB + activations {self.memory['activations'] / 1e9:.1f} GB"
            f" per chip vs {self.usable_bytes / 1e9:.1f} GB usable"
        )
        verdict = "fits" if self.fits else "does NOT fit"
        return (
            f"{self.layout.describe()} ({how}); global batch {self.step.global_batch} sequences, "
            f"{self.step.micro_batches} micro-batches; {mem}: {verdict}"
        )


def _pow2(limit: int) -> list[int]:
    out, x = [], 1
    while x <= limit:
        out.append(x)
        x *= 2
    return out


def _evaluate(model, hw, profile, layout, seq_len, method, precision, usable, given, mem=None) -> LayoutResult:
    mem = mem if mem is not None else training_memory_bytes(model, method, layout, seq_len, precision)
    step = step_breakdown(model, hw, profile, layout, seq_len=seq_len, method=method, precision=precision)
    return LayoutResult(layout, step, mem, usable, given)


def best_layout(
    model: Model,
    hw: Hardware,
    profile: EfficiencyProfile,
    chips: int,
    *,
    seq_len: int = 4096,
    method: str = "pretraining",
    precision: str = "bf16",
    pinned: dict[str, Any] | None = None,
) -> LayoutResult:
    """The fastest memory-feasible layout on `chips` chips (keys in `pinned` are kept as given).

    Tried: tp in powers of two inside the scale-up domain (at most 8), pp in powers of two up to the layer count
    (plus a pinned value), cp (only for sequences of 16K tokens and more), ep (MoE: powers of two dividing the
    experts), micro-batch 1 or 2, FSDP or Megatron sharding, interleaving (vp 2 where layers allow) and, per
    shape, the cheapest recomputation that fits. If nothing fits, the layout needing the least memory is
    returned (`fits` False).
    """
    pinned = dict(pinned or {})
    usable = usable_bytes_per_chip(hw, profile.usable_memory_fraction)
    domain = min(hw.scale_up_domain_chips or 1, MAX_TRAINING_TP)
    given = bool(pinned)
    s = model_shape(model)

    def opts(name: str, default: list[Any]) -> list[Any]:
        return [pinned[name]] if name in pinned else default

    tps = opts("tp", [x for x in _pow2(domain) if x <= chips])
    pps = opts("pp", [x for x in _pow2(s.layers) if x <= chips])
    cps = opts("cp", [x for x in _pow2(16) if x <= chips] if seq_len >= 16384 else [1])
    eps = opts("ep", [x for x in _pow2(min(s.experts, 256)) if s.experts % x == 0] if model.is_moe else [1])
    mbss = opts("micro_batch", [1, 2])
    fsdps = opts("fsdp", [False, True])
    recs = opts("recompute", list(RECOMPUTE))
    base = {
        k: pinned[k]
        for k in (
            "sequence_parallel",
            "overlap",
            "schedule",
            "global_batch",
            "tp_overlap",
            "a2a_overlap",
            "dp_overlap",
            "flash_attention",
            "a2a_dedup",
            "mtp_layers",
            "softmax_fp32",
        )
        if k in pinned
    }
    if pinned.keys() >= {"tp", "pp", "dp"}:  # a fully given shape must be valid, not silently replaced
        Layout(**{k: v for k, v in pinned.items() if k in Layout.__dataclass_fields__})
    fallback: tuple[Layout, dict[str, float]] | None = None
    caps = (
        [None]
        if "global_batch" in pinned
        else [DEFAULT_BATCH_TOKENS[method] / seq_len, MAX_BATCH_TOKENS / seq_len, None]
    )
    results: list[LayoutResult] = []
    for cap in caps:  # the method's usual batch first; a larger one only if no layout uses every chip within it
        fallback = _search(
            model,
            hw,
            profile,
            chips,
            seq_len,
            method,
            precision,
            pinned,
            usable,
            given,
            s,
            tps,
            pps,
            cps,
            eps,
            mbss,
            fsdps,
            recs,
            base,
            cap,
            results,
            fallback,
        )
        largest = len(caps) > 1 and cap == caps[-2]
        if any(r.layout.chips == chips for r in results) or (results and largest):
            break  # every chip at work, or the largest batch data parallelism takes (beyond it chips stay idle)
    if results:
        return max(results, key=lambda r: r.tokens_per_s)
    if fallback is None:  # nothing even constructible: the plainest layout, to report why
        lay = Layout(tp=1, pp=1, dp=max(1, chips), **base)
        return _evaluate(model, hw, profile, lay, seq_len, method, precision, usable, given)
    lay, mem = fallback
    return _evaluate(model, hw, profile, lay, seq_len, method, precision, usable, given, mem)


def _search(  # noqa: C901, PLR0913 - one loop per layout dimension
    model,
    hw,
    profile,
    chips,
    seq_len,
    method,
    precision,
    pinned,
    usable,
    given,
    s,
    tps,
    pps,
    cps,
    eps,  # noqa: ANN001
    mbss,
    fsdps,
    recs,
    base,
    cap,
    results,
    fallback,  # noqa: ANN001
):  # noqa: ANN202
    """Append the fitting layouts within a batch cap (sequences) to `results`; return the smallest misfit as
    (layout, memory), timed only if nothing fits.

    Chips beyond what the layout and the batch cap can use stay idle (2,097,024 chips split 128 ways, or past the
    largest batch data parallelism can take): more chips then never make a job slower, and never buy a data-parallel
    degree of two million."""
    for tp in tps:
        for pp in pps:
            for cp in cps:
                mp = tp * pp * cp
                whole = pinned["dp"] if "dp" in pinned else chips // mp  # a remainder of chips stays idle
                if whole < 1:
                    continue
                for ep in eps:
                    for fsdp in fsdps:
                        if fsdp and (pp > 1 or tp > 1) and "fsdp" not in pinned:
                            continue
                        for mbs in mbss:
                            dp = whole
                            if cap is not None and "dp" not in pinned:  # the largest batch the cap allows
                                dp = min(whole, max(1, math.floor(cap / mbs * (1 + 1e-9))))
                            # expert groups tile the chips of a pipeline stage (TP x DP x CP of them) exactly
                            if ep > tp * dp * cp or (tp * dp * cp) % ep:
                                continue
                            vps = [pinned["vp"]] if "vp" in pinned else [x for x in (1, 2, 4) if pp * x <= s.layers]
                            for vp in vps:
                                for rc in recs:
                                    if cap is not None and dp * mbs > cap * (1 + 1e-9):
                                        continue
                                    try:
                                        lay = Layout(
                                            tp=tp,
                                            pp=pp,
                                            dp=dp,
                                            cp=cp,
                                            ep=ep,
                                            vp=vp,
                                            micro_batch=mbs,
                                            fsdp=fsdp,
                                            recompute=rc,
                                            **base,
                                        )
                                    except ValueError:
                                        continue
                                    mem = training_memory_bytes(model, method, lay, seq_len, precision)
                                    if mem["total"] <= usable:
                                        results.append(
                                            _evaluate(
                                                model, hw, profile, lay, seq_len, method, precision, usable, given, mem
                                            )
                                        )
                                        break  # cheaper recomputation fits: dearer ones are slower
                                    if fallback is None or mem["total"] < fallback[1]["total"]:
                                        fallback = (lay, mem)
    return fallback


# ---------------------------------------------------------------------------------------------- goodput


def scale_goodput(chips: int, state_bytes: float = 0.0) -> tuple[float, str]:
    """Share of wall-clock time that makes progress at `chips` chips, and how it was found.

    Interruptions arrive at λ = chips x r per hour (r from Llama 3 405B); each costs a restart R and, with
    checkpoints every τ hours costing C, half an interval of lost work. At the optimal τ = sqrt(2C/λ) (Young
    1974) the loss is λ·R + sqrt(2·C·λ).
    """
    lam = chips * INTERRUPTIONS_PER_CHIP_HOUR
    c_hours = (CHECKPOINT_FIXED_S + state_bytes / max(chips, 1) / (CHECKPOINT_WRITE_GB_S_PER_CHIP * 1e9)) / 3600
    loss = lam * RESTART_HOURS + math.sqrt(2.0 * c_hours * lam)
    g = max(0.5, 1.0 - loss)
    why = (
        f"model constant: scale goodput at {chips:,} chips: {lam:.3g} interruptions/h (Llama 3 405B rate "
        f"{INTERRUPTIONS_PER_CHIP_HOUR:.3g} per chip-hour, arXiv 2407.21783), restart {RESTART_HOURS:g} h, "
        f"checkpoint {c_hours * 3600:.0f} s at the optimal interval"
    )
    return g, why


# ---------------------------------------------------------------------------------------------- estimate


@dataclass(frozen=True)
class TrainingLayout:
    """v1 compatibility view of the layout (tensor/pipeline sizes, recomputation, memory)."""

    tensor_parallel: int
    pipeline_parallel: int
    fully_sharded: bool
    sequence_parallel: bool
    recompute: bool  # full activation recomputation
    fits: bool
    state_gb_per_chip: float
    activation_gb_per_chip: float
    usable_gb_per_chip: float
    given: bool
    detail: str = ""

    def describe(self) -> str:
        return self.detail


@dataclass(frozen=True)
class TrainingEstimate:
    """Compute, chips and time of one training run on one hardware type."""

    model_flops: float
    flops_per_token: float
    chips: int
    units: int
    wall_days: float
    accelerator_hours: float
    mfu: float  # steady-state model FLOPs / (chips x dense BF16 peak), an outcome of the layout
    goodput: float
    memory_floor_chips: int
    factors: dict[str, Factor]
    layout: TrainingLayout | None = None
    parallel: Layout | None = None
    precision: str = "bf16"
    breakdown: dict[str, float] = field(default_factory=dict)  # seconds per step by component
    step_seconds: float = 0.0
    tokens_per_s_per_chip: float = 0.0
    error_band: tuple[float, float] = (-0.25, 0.25)
    fits: bool = True

    @property
    def activation_recompute(self) -> bool:
        """True when the layout recomputes the whole forward (full recomputation)."""
        return self.parallel is not None and self.parallel.recompute == "full"

    @property
    def effective_mfu(self) -> float:
        """MFU over compute time (the layout's recomputation is already inside `mfu`)."""
        return self.mfu


# Where published values fell relative to the estimate, as time (published time / estimated time - 1; throughput
# rows inverted), min and max over the held-out rows of planner/perf/validation_training.py, per group:
# `programme` for whole runs, `benchmark` for steady-state throughput.
# tests/test_perf_training_validation.py fails when these are stale.
TRAINING_ANNOUNCED = "announced hardware: no published training run on it validates the estimate"
"""plan.json's accuracy note for a training estimate on a roadmap entry (the bands were measured on shipping chips)."""
ERROR_BANDS = {"benchmark": (-0.17, 0.24), "programme": (-0.05, 0.08)}
# A whole run's estimate is the steady-state model times goodput and restarts: its band is both groups' together.
# The three programme rows check goodput at thousands of chips; a job on 16 chips in BF16 meets the steady-state
# model's error alone (dense BF16 rows read -2 % to +24 %, session 14), which the programme rows never see.
ERROR_BAND = (
    min(ERROR_BANDS["benchmark"][0], ERROR_BANDS["programme"][0]),
    max(ERROR_BANDS["benchmark"][1], ERROR_BANDS["programme"][1]),
)
TRAINING_VALIDATED_PROFILES = (
    "amd_cdna3_rocm",
    "ascend_910b_cann",
    "nvidia_ampere_cuda",
    "nvidia_blackwell_cuda",
    "nvidia_hopper_cuda",
)
"""Efficiency profiles some held-out training run checks (validation_training.validated_profiles; a test fails when
stale): the bands above were measured on these chips and stacks only."""
TRAINING_UNCALIBRATED = "uncalibrated: no published training run on this chip and software stack validates the estimate"
"""plan.json's accuracy note for a training estimate on a profile outside TRAINING_VALIDATED_PROFILES."""


def training_band_note(hw) -> str | None:
    """Why a training estimate on `hw` quotes no validation band (announced hardware, or a chip and stack no
    published run checks), or None when the bands apply."""
    if hw.roadmap:
        return TRAINING_ANNOUNCED
    if hw.efficiency_profile not in TRAINING_VALIDATED_PROFILES:
        return TRAINING_UNCALIBRATED
    return None


def _pinned(
    layout: Layout | dict[str, Any] | None,
    tensor_parallel: int | None,
    pipeline_parallel: int | None,
    sequence_parallel: bool | None,
    recompute: str | None,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(layout, Layout):
        out = layout.as_dict()
        if out.get("global_batch") is None:
            out.pop("global_batch")
    elif layout:
        out = dict(layout)
    for name, value in (("tensor_parallel", tensor_parallel), ("pipeline_parallel", pipeline_parallel)):
        if value is not None and value < 1:
            raise ValueError(f"{name} must be >= 1, got {value}")
    if tensor_parallel is not None:
        out["tp"] = tensor_parallel
    if pipeline_parallel is not None:
        out["pp"] = pipeline_parallel
    if sequence_parallel is not None and (sequence_parallel is False or "sequence_parallel" in out):
        out["sequence_parallel"] = sequence_parallel
    if recompute is not None:
        if recompute not in RECOMPUTE:
            raise ValueError(f"recompute must be one of {', '.join(RECOMPUTE)}, got `{recompute}`")
        out["recompute"] = recompute
    return out


_CACHE: dict[tuple, TrainingEstimate] = {}
_CACHE_MAX = 4096


def training_estimate(
    model: Model,
    hardware: Hardware,
    profile: EfficiencyProfile,
    tokens: float,
    **kwargs: Any,
) -> TrainingEstimate:
    """Time on a given number of chips or units, or the fewest whole units that finish within `days`.

    Keyword arguments (all optional): method, chips, units, days, mfu, goodput, seq_len, tensor_parallel,
    pipeline_parallel, sequence_parallel, layout (a `Layout` or a dict of its fields, e.g. from
    `parse_layout`), recompute, precision, steady_state; see `_training_estimate`. Results are memoised on the
    contents of the inputs (the sizing core asks for the same job many times).
    """
    lay = kwargs.get("layout")
    lay_key = tuple(sorted((lay.as_dict() if isinstance(lay, Layout) else dict(lay)).items())) if lay else None
    key = (
        model.model_dump_json(),
        hardware.model_dump_json(),
        profile.model_dump_json(),
        tokens,
        tuple(sorted((k, v) for k, v in kwargs.items() if k != "layout")),
        lay_key,
    )
    hit = _CACHE.get(key)
    if hit is None:
        hit = _training_estimate(model, hardware, profile, tokens, **kwargs)
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = hit
    return hit


def _training_estimate(  # noqa: C901 - argument checks and factor provenance
    model: Model,
    hardware: Hardware,
    profile: EfficiencyProfile,
    tokens: float,
    *,
    method: str = "pretraining",
    chips: int | None = None,
    units: int | None = None,
    days: float | None = None,
    mfu: float | None = None,
    goodput: float | None = None,
    seq_len: int = 4096,
    tensor_parallel: int | None = None,
    pipeline_parallel: int | None = None,
    sequence_parallel: bool | None = None,
    layout: Layout | dict[str, Any] | None = None,
    recompute: str | None = None,
    precision: str = "bf16",
    steady_state: bool = False,
) -> TrainingEstimate:
    """Time on a given number of chips or units, or the fewest whole units that finish within `days`.

    `layout` (a `Layout` or a dict of its fields, e.g. from `parse_layout`) and `tensor_parallel`,
    `pipeline_parallel`, `sequence_parallel`, `recompute` pin parts of the parallel layout (a published run's);
    the rest is searched. A layout with `dp` fixes the chip count (chips/units/days may then be omitted).
    `precision` is the GEMM precision of the transformer layers. `mfu`, `goodput` override the outcomes;
    `steady_state` reports throughput without interruptions (goodput 1: benchmark conditions).
    """
    _check_method(method)
    if tokens <= 0:
        raise ValueError(f"tokens must be positive, got {tokens}")
    pinned = _pinned(layout, tensor_parallel, pipeline_parallel, sequence_parallel, recompute)
    n_given = sum(x is not None for x in (chips, units, days))
    if "dp" in pinned and n_given == 0:
        chips = pinned.get("tp", 1) * pinned.get("pp", 1) * pinned.get("cp", 1) * pinned["dp"]
        n_given = 1
    if n_given != 1:
        raise ValueError("give exactly one of chips, units, days")
    if mfu is not None:
        profile_factor(profile, "training_mfu", mfu, "--mfu")  # range check
    if goodput is not None:
        profile_factor(profile, "goodput", goodput, "--goodput")
    per_token = flops_per_token(model, method, seq_len)
    total = per_token * tokens
    if not math.isfinite(total):
        raise OverflowError(f"training compute of {tokens:g} tokens is not a finite number")
    per_unit = hardware.chips_per_unit
    floor = memory_floor_chips(
        model, hardware, profile.usable_memory_fraction, "lora" if method in ("lora", "qlora") else "full"
    )
    peak = kernels.peak_flops(hardware, "bf16") if hardware.has_bf16 else kernels.peak_flops(hardware, "fp16")
    state_bytes = 16.0 * model.params_total_b * 1e9

    cache: dict[int, tuple[LayoutResult, float, float, float]] = {}

    def at(n: int) -> tuple[LayoutResult, float, float, float]:
        """(layout, steady MFU, goodput, wall seconds) on n chips."""
        if n not in cache:
            pin = dict(pinned)
            if "dp" in pin and pin["dp"] * pin.get("tp", 1) * pin.get("pp", 1) * pin.get("cp", 1) != n:
                pin.pop("dp")  # a given dp only holds for its own chip count
            res = best_layout(
                model, hardware, profile, n, seq_len=seq_len, method=method, precision=precision, pinned=pin
            )
            rate_tokens = res.tokens_per_s
            m = mfu if mfu is not None else rate_tokens * per_token / (n * peak)
            g = (
                goodput
                if goodput is not None
                # interruptions come from the chips at work, not from the idle ones beside them
                else (
                    1.0
                    if steady_state
                    else scale_goodput(res.layout.chips, state_bytes)[0] * profile.programme_efficiency
                )
            )
            cache[n] = (res, m, g, total / (n * peak * m * g))
        return cache[n]

    if chips is not None:
        if chips < 1:
            raise ValueError(f"chips must be >= 1, got {chips}")
        n_units = math.ceil(chips / per_unit)
    elif units is not None:
        if units < 1:
            raise ValueError(f"units must be >= 1, got {units}")
        n_units, chips = units, units * per_unit
    else:
        assert days is not None
        if days <= 0:
            raise ValueError(f"days must be positive, got {days}")
        n_units = _units_for_deadline(
            lambda u: at(u * per_unit)[3], days * SECONDS_PER_DAY, max(1, math.ceil(floor / per_unit))
        )
        chips = n_units * per_unit
    res, m_val, g_val, wall_s = at(chips)
    wall_days = wall_s / SECONDS_PER_DAY
    f_good = (
        Factor(g_val, "override (--goodput)")
        if goodput is not None
        else Factor(1.0, "steady state (benchmark throughput, no interruptions)")
        if steady_state
        else Factor(
            g_val,
            scale_goodput(res.layout.chips, state_bytes)[1]
            + (
                f"; x programme efficiency {profile.programme_efficiency:g} "
                f"({profile_source(profile, 'programme_efficiency')})"
                if profile.programme_efficiency != 1.0
                else ""
            ),
        )
    )
    breakdown = res.step.components
    step_s = res.step.seconds
    gemm_prec, prec_note = compute_precision(hardware, precision)
    lay = res.layout
    compat = TrainingLayout(
        lay.tp,
        lay.pp,
        lay.fsdp,
        lay.sequence_parallel,
        lay.recompute == "full",
        res.fits,
        res.memory["states"] / 1e9,
        res.memory["activations"] / 1e9,
        res.usable_bytes / 1e9,
        res.given,
        res.describe(),
    )
    factors = {
        "peak_bf16_tflops_per_chip": Factor(hardware.bf16_tflops_per_chip, f"hardware {hardware.id} (dense BF16)"),
        "mfu": Factor(m_val, "override (--mfu)")
        if mfu is not None
        else constant(m_val, "outcome of the layout: model FLOPs / (chips x BF16 peak) at the step time below"),
        "goodput": f_good,
        "layout": constant(float(lay.chips), res.describe()),
        "precision": constant(1.0, f"{precision}: {prec_note}"),
        "usable_memory_fraction": profile_factor(profile, "usable_memory_fraction", None, ""),
        "sustained_clock_fraction": Factor(
            hardware.sustained_clock_fraction or 1.0,
            f"hardware {hardware.id} (clock sustained at the power limit)"
            if hardware.sustained_clock_fraction
            else "model constant: the peak clock is held",
        ),
        "activation_recompute": constant(
            FULL_RECOMPUTE_FACTOR if lay.recompute == "full" else 1.0, f"recompute {lay.recompute}: {res.describe()}"
        ),
    }
    return TrainingEstimate(
        model_flops=total,
        flops_per_token=per_token,
        chips=chips,
        units=n_units,
        wall_days=wall_days,
        accelerator_hours=chips * wall_days * 24.0,
        mfu=m_val,
        goodput=g_val,
        memory_floor_chips=floor,
        factors=factors,
        layout=compat,
        parallel=lay,
        precision=precision if gemm_prec not in ("bf16", "fp16") or precision == "bf16" else "bf16",
        breakdown=dict(breakdown),
        step_seconds=step_s,
        tokens_per_s_per_chip=res.tokens_per_s / chips,
        error_band=ERROR_BANDS["benchmark"] if steady_state else ERROR_BAND,
        fits=res.fits,
    )


def _units_for_deadline(wall_at, deadline_s: float, lo: int) -> int:
    """Fewest units whose wall-clock is within the deadline (doubling, then bisection)."""
    if wall_at(lo) <= deadline_s * (1 + 1e-9):
        return lo
    hi = lo
    best = (wall_at(lo), lo)
    for _ in range(24):
        hi *= 2
        wall = wall_at(hi)
        if wall <= deadline_s * (1 + 1e-9):
            break
        if wall >= best[0] * (1 - 1e-6) and hi >= 8 * best[1]:
            return best[1]  # no faster with more units (chips past the largest batch stay idle): out of reach
        best = min(best, (wall, hi))
    else:  # beyond any cluster: extrapolate linearly (OverflowError for absurd inputs, as v1)
        need = hi * wall_at(hi) / deadline_s
        if not math.isfinite(need) or need > 1e15:
            raise OverflowError(f"the deadline needs about {need:.3g} units: the number is too large to compute with")
        return math.ceil(need)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if wall_at(mid) <= deadline_s * (1 + 1e-9):
            hi = mid
        else:
            lo = mid
    return hi


def training_layout(
    model: Model,
    hardware: Hardware,
    usable_fraction: float,
    method: str,
    chips: int,
    seq_len: int,
    tensor_parallel: int | None = None,
    pipeline_parallel: int | None = None,
    sequence_parallel: bool = True,
) -> TrainingLayout:
    """v1 helper: the layout the estimate would use (memory view)."""
    from planner.perf.examples import make_profile

    prof = make_profile(usable_memory_fraction=usable_fraction)
    est_layout = best_layout(
        model,
        hardware,
        prof,
        chips,
        seq_len=seq_len,
        method=method,
        pinned=_pinned(None, tensor_parallel, pipeline_parallel, None if sequence_parallel else False, None),
    )
    lay = est_layout.layout
    return TrainingLayout(
        lay.tp,
        lay.pp,
        lay.fsdp,
        lay.sequence_parallel,
        lay.recompute == "full",
        est_layout.fits,
        est_layout.memory["states"] / 1e9,
        est_layout.memory["activations"] / 1e9,
        est_layout.usable_bytes / 1e9,
        bool(tensor_parallel or pipeline_parallel),
        est_layout.describe(),
    )


__all__ = [
    "ERROR_BAND",
    "METHODS",
    "PRECISIONS",
    "Layout",
    "LayoutResult",
    "StepTime",
    "TrainingEstimate",
    "attention_flops_per_token",
    "best_layout",
    "compute_precision",
    "flops_per_token",
    "power_limited_clock",
    "scale_out_copies",
    "scale_goodput",
    "step_breakdown",
    "training_estimate",
    "training_memory_bytes",
    "with_fields",
]
