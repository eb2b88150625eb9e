"""Operator-level step timing of one serving replica (primer 2.3), on the kernel layer of `planner.perf.kernels`.

A replica is `tp × pp` chips holding one copy of the weights: `pp` pipeline stages of L/pp layers, each stage
tensor-parallel over `tp` chips (MoE: routed experts spread over the stage's chips, expert parallelism; with
`dp_attention` every chip runs attention for its own sequences and tokens go to their experts all-to-all).
`domains` > 1 spreads a replica over scale-up domains (MoE over scale-out only).

One step of continuous batching carries `decode` sequences each producing one token, and `prefill` prompt
tokens of newly admitted requests (chunked prefill). Every operator of a layer is timed by its own roofline at
the precision of its inputs, on one chip of a stage:

- GEMMs (QKV/O projections, MLP or shared experts, LM head): `kernels.gemm_time_s`, M = tokens in the step;
- routed experts: `kernels.grouped_gemm_time_s` over the experts the step touches, tokens · k / E per expert;
- attention: decode streams every sequence's KV cache (memory-bound for GQA), prefill attention is compute;
- collectives: two all-reduces per layer (TP) or a dispatch + combine all-to-all (EP), over the right link;
- elementwise work (norms, RoPE, activation, residual): memory-bound;

summed over the stage's layers, plus a launch cost per kernel and a fixed per-step host overhead. With `pp`
stages the batch is split into `pp` micro-batches that keep every stage busy: a step takes `pp` stage times
of a micro-batch, plus the activation hand-over between stages.

Beam search of width k (`beams`): each sequence decodes k rows; the prompt KV is shared by the beams.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from planner.perf import kernels as K
from planner.schema.catalog import EfficiencyProfile, Hardware, Model

# Scale-out bandwidth per chip for expert-parallel all-to-all between domains (one direction).
# 200 Gb/s RoCE/InfiniBand per accelerator: Atlas 800 A2 servers have 8x200GE; HGX nodes usually 400G
# per GPU, so this is the conservative end. Not in the hardware schema, hence a documented constant.
SCALE_OUT_GB_S_PER_CHIP = 25.0
# Kernels on the critical path per layer: norm, QKV, RoPE + KV write, attention, O, all-reduce, norm,
# gate/up, activation, down, all-reduce (fused variants have fewer; CUDA graphs remove the host launch,
# not the kernel tail the profile's kernel_launch_us measures).
KERNELS_PER_LAYER = 11
# Bytes per catalog "GB" of HBM when sizing the KV cache. Vendors' HBM capacities are binary (an "80 GB" H100
# shows 81,559 MiB, a "192 GB" MI300X 205.8e9 bytes), so 2**30 is the physical reading; it is kept at 1e9 because
# the GEMM factor it must move with (cuBLASLt 0.72 vs DeepGEMM 0.75, see catalogs/efficiency.yaml) is shared with
# the training model: docs/performance-model.md, known limits.
HBM_BYTES_PER_GB = 1e9
# Vocabulary-sized matrices per model, the input embedding and the (untied) LM head, as `_shapes` counts them.
EMBED_MATRICES = 2
# Elementwise bytes per token and layer in units of d_model activations (read + write of norms, residual,
# RoPE, activation): about 12 passes over a bf16 d_model vector.
ELEMENTWISE_PASSES = 12.0


@dataclass(frozen=True)
class Precision:
    """Precision per tensor: weights, activations (the GEMM compute precision) and KV cache."""

    weights: str
    activations: str
    kv: str

    @property
    def label(self) -> str:
        return f"weights {self.weights}, activations {self.activations}, KV {self.kv}"


@dataclass(frozen=True)
class Layout:
    """Parallel layout of one replica."""

    tp: int = 1
    pp: int = 1
    dp_attention: bool = False
    domains: int = 1

    @property
    def chips(self) -> int:
        return self.tp * self.pp * self.domains

    @property
    def label(self) -> str:
        text = f"tp={self.tp},pp={self.pp}"
        if self.dp_attention:
            text += ",dp_attention"
        if self.domains > 1:
            text += f",domains={self.domains}"
        return text


@dataclass(frozen=True)
class Shapes:
    """Per-layer weight shapes of a model, derived from its catalog entry."""

    d: int
    layers: int
    attn_in: float  # N of the QKV (or MLA down/up) projections, per layer
    attn_out_k: float  # K of the output projection
    mlp_ffn: float  # dense MLP or shared-expert FFN width per layer (averaged over layers); 0 if none
    expert_ffn: float  # routed expert FFN width (0 for dense models)
    experts: int
    top_k: int
    vocab: int
    kv_bytes_per_token_layer_bf16: float  # bytes of KV per token and layer at 2 bytes per element
    kv_split: int  # heads the KV cache splits over under TP (MLA: 1, the latent is replicated)
    attn_width: int  # per-head width attention reads per context token in decode


def _shape_key(model: Model) -> tuple:
    return (
        model.params_total_b,
        model.params_active_b,
        model.layers,
        model.hidden_size,
        model.attention_heads,
        model.kv_heads,
        model.head_dim,
        model.attention,
        model.kv_lora_rank,
        model.qk_rope_head_dim,
        model.routed_experts,
        model.experts_per_token,
        model.routed_expert_params_b,
        model.vocab_size,
    )


@lru_cache(maxsize=512)
def _shapes(key: tuple) -> Shapes:
    (total_b, active_b, L, d, heads, kv_heads, head_dim, attention, kv_rank, rope, experts, top_k, routed_b, vocab) = (
        key
    )
    model = _ShapeModel(
        total_b, active_b, L, d, heads, kv_heads, head_dim, attention, kv_rank, rope, experts, top_k, routed_b, vocab
    )
    embed = EMBED_MATRICES * model.vocab_size * d  # input embedding + LM head (untied)
    routed_total = (model.routed_expert_params_b or 0.0) * 1e9
    routed_active = routed_total * (model.experts_per_token or 0) / (model.routed_experts or 1)
    dense_per_layer = max(model.params_active_b * 1e9 - routed_active - embed, 0.0) / L
    if model.attention == "mla":
        assert model.kv_lora_rank and model.qk_rope_head_dim
        # MLA: projections are not in the catalog; half of the non-expert weights in, half out.
        attn = dense_per_layer
        attn_in = attn / 2.0 / d
        attn_out_k = attn / 2.0 / d
        kv_layer = (model.kv_lora_rank + model.qk_rope_head_dim) * 2.0
        kv_split, width = 1, model.kv_lora_rank + model.qk_rope_head_dim
        mlp = 0.0
    else:
        hd, h, kv = model.head_dim, model.attention_heads, model.kv_heads
        attn_in = float((h + 2 * kv) * hd)
        attn_out_k = float(h * hd)
        attn = d * attn_in + attn_out_k * d
        mlp = max(dense_per_layer - attn, 0.0) / (3.0 * d)
        if mlp < 0.01 * d:  # a residue of the rounded parameter counts (MoE without a dense MLP), not a layer
            mlp = 0.0
        kv_layer = 2.0 * kv * hd * 2.0
        kv_split, width = kv, hd
    expert_ffn = 0.0
    if model.is_moe:
        assert model.routed_experts
        expert_ffn = routed_total / (L * model.routed_experts * 3.0 * d)
    return Shapes(
        d,
        L,
        attn_in,
        attn_out_k,
        mlp,
        expert_ffn,
        model.routed_experts or 0,
        model.experts_per_token or 0,
        model.vocab_size,
        kv_layer,
        kv_split,
        width,
    )


@dataclass(frozen=True)
class _ShapeModel:
    params_total_b: float
    params_active_b: float
    layers: int
    hidden_size: int
    attention_heads: int
    kv_heads: int
    head_dim: int
    attention: str
    kv_lora_rank: int | None
    qk_rope_head_dim: int | None
    routed_experts: int | None
    experts_per_token: int | None
    routed_expert_params_b: float | None
    vocab_size: int

    @property
    def is_moe(self) -> bool:
        return self.routed_experts is not None


def shapes(model: Model) -> Shapes:
    """Per-layer GEMM shapes of `model` (cached on its architecture fields)."""
    return _shapes(_shape_key(model))


@dataclass
class StepTime:
    """Seconds of one replica step, by operator (summed over the replica's critical path)."""

    ops: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.ops[name] = self.ops.get(name, 0.0) + seconds

    @property
    def total(self) -> float:
        return sum(self.ops.values())

    def scaled(self, factor: float) -> StepTime:
        return StepTime({k: v * factor for k, v in self.ops.items()})


@dataclass(frozen=True)
class Replica:
    """One replica serving one workload: model, hardware, profile, layout, precision, request shape."""

    model: Model
    hardware: Hardware
    profile: EfficiencyProfile
    layout: Layout
    precision: Precision
    input_tokens: float
    output_tokens: float
    beams: int = 1
    usable_fraction: float = 0.9
    step_overhead_s: float = 0.0
    tokens_per_step: float = 8192.0  # engine token budget per step (TensorRT-LLM max_num_tokens default 8,192)
    # A mix of request lengths, as its output-token-weighted means (E[in·out]/E[out], E[out²]/E[out]); None:
    # every request has the mean lengths. A decode step serves the running sequences, and a request runs for as
    # many steps as it generates tokens, so the KV a step reads and holds follows these means, not the plain ones
    # (a long-tailed mix holds more KV per running sequence than its mean lengths suggest).
    mix_input_tokens: float | None = None
    mix_output_tokens: float | None = None

    @property
    def chips(self) -> int:
        return self.layout.chips

    @property
    def decode_input(self) -> float:
        """Prompt length of the running sequences (weighted by the tokens each generates)."""
        return self.input_tokens if self.mix_input_tokens is None else self.mix_input_tokens

    @property
    def decode_output(self) -> float:
        """Answer length of the running sequences (weighted by the tokens each generates)."""
        return self.output_tokens if self.mix_output_tokens is None else self.mix_output_tokens

    @property
    def decode_context(self) -> float:
        """Mean context during decode: the prompt plus half the answer."""
        return self.decode_input + self.decode_output / 2.0

    @property
    def kv_per_token(self) -> float:
        """KV bytes per token of context, all layers, at the KV precision."""
        s = shapes(self.model)
        return s.kv_bytes_per_token_layer_bf16 * s.layers * K.bytes_per_element(self.precision.kv) / 2.0

    def weight_bytes_per_chip(self) -> float:
        """Resident weight bytes on one chip (every expert resident). Under DP attention only the routed experts
        are split: attention, dense MLP, shared experts, embedding and LM head run data-parallel, whole on every
        rank (TensorRT-LLM: `overridden_tp_size=1` / shared and dense MLP "use DP instead of TP" under attention
        DP, the embedding unsharded; tensorrt_llm/_torch/models/modeling_llama.py, modeling_deepseekv3.py)."""
        m, lay = self.model, self.layout
        wb = K.bytes_per_element(self.precision.weights)
        # quantized checkpoints keep the embedding and LM head in 16 bits (ModelOpt's quantization configs leave
        # `*lm_head*` unquantized; an embedding is a lookup, not a quantized linear layer)
        embed = EMBED_MATRICES * m.vocab_size * m.hidden_size
        total = (m.params_total_b * 1e9 - embed) * wb + embed * max(wb, 2.0)
        if lay.dp_attention:
            routed = (m.routed_expert_params_b or 0.0) * 1e9 * wb
            return routed / lay.chips + (total - routed) / (lay.pp * lay.domains)
        return total / lay.chips

    def kv_bytes_per_chip_per_seq(self, tokens: float) -> float:
        """KV bytes one sequence of `tokens` context puts on one chip."""
        s, lay = shapes(self.model), self.layout
        per_layer = s.kv_bytes_per_token_layer_bf16 * K.bytes_per_element(self.precision.kv) / 2.0
        # DP attention: each chip holds the KV of its own sequences, 1/tp of the batch on average
        split = lay.tp if lay.dp_attention else min(lay.tp, s.kv_split)
        return tokens * per_layer * s.layers / (lay.pp * lay.domains) / split

    def max_batch(self) -> int:
        """Sequences whose KV cache fits beside the weights; each reserves its prompt + every beam's answer."""
        free = self.hardware.hbm_gb_per_chip * HBM_BYTES_PER_GB * self.usable_fraction - self.weight_bytes_per_chip()
        per_seq = self.kv_bytes_per_chip_per_seq(self.decode_input + self.beams * self.decode_output)
        return int(free // per_seq) if free > 0 and per_seq > 0 else 0


@dataclass(frozen=True)
class _Consts:
    shapes: Shapes
    clk: float
    peak_dec: float
    peak_pre: float
    kv_layer: float
    half: str  # the chip's 16-bit format (bf16, else fp16): embedding and LM head stay in it
    rates: K.ChipRates  # the operator rooflines at the sustained clock


def _consts(r: Replica) -> _Consts:
    """Per-replica constants of the step model, computed once per Replica object."""
    c = r.__dict__.get("_consts")
    if c is None:
        hw, pf, pr = r.hardware, r.profile, r.precision
        clk = K.sustained_clock(hw)
        native = K.native_precisions(hw)
        half = "bf16" if "bf16" in native else "fp16"
        pre_prec = "fp8" if pr.kv == "fp8" and "fp8" in native else half
        s = shapes(r.model)
        # MLA decode attention has its own kernel (FlashMLA-class), measured apart from the GEMMs
        mla_eff = pf.mla_attention_efficiency if r.model.attention == "mla" else None
        dec_eff = mla_eff if mla_eff is not None else K.large_gemm_efficiency(pf, half)
        c = _Consts(
            s,
            clk,
            K.peak_flops(hw, half) * dec_eff * clk,
            K.peak_flops(hw, pre_prec) * K.large_gemm_efficiency(pf, pre_prec) * clk,
            s.kv_bytes_per_token_layer_bf16 * K.bytes_per_element(pr.kv) / 2.0,
            half,
            K.ChipRates(hw, pf, clk),
        )
        object.__setattr__(r, "_consts", c)
    return c


def _stage_layer_time(r: Replica, decode: float, prefill: float, prefill_seqs: float, st: StepTime) -> None:
    """Add one stage's time for a micro-batch of `decode` decode rows and `prefill` prompt tokens."""
    consts = _consts(r)
    rates = consts.rates
    m, s, lay, hw, pf, pr = r.model, consts.shapes, r.layout, r.hardware, r.profile, r.precision
    layers = s.layers / lay.pp
    tp = lay.tp
    tokens = decode + prefill
    if tokens <= 0:
        return
    act = pr.activations
    w = pr.weights
    a_bytes = 2.0  # activations between operators are bf16
    # --- attention projections (replicated under DP attention: each chip its own 1/tp of the tokens)
    if lay.dp_attention:
        t_attn_tok, n_split = tokens / tp, 1
    else:
        t_attn_tok, n_split = tokens, tp
    t = rates.gemm(t_attn_tok, s.attn_in / n_split, s.d, act, weight_precision=w)
    t += rates.gemm(t_attn_tok, s.d, s.attn_out_k / n_split, act, weight_precision=w)
    st.add("attention_projections", t * layers)
    # --- attention core
    heads_per_chip = m.attention_heads / (1 if lay.dp_attention else tp)
    seqs_per_chip = decode / (tp if lay.dp_attention else 1)
    ctx = r.decode_input + r.beams * r.decode_output / 2.0  # shared prompt once, each beam's own half answer
    rows_ctx = r.decode_context
    kv_layer = consts.kv_layer
    kv_split = 1 if lay.dp_attention else min(tp, s.kv_split)
    kv_bytes = seqs_per_chip / max(r.beams, 1) * ctx * kv_layer / kv_split
    # decode attention computes in 16 bits (an FP8 KV cache is dequantised in the kernel); prefill attention
    # runs FP8 where the KV cache is FP8 and the chip has FP8 units (FP8 context FMHA)
    peak_dec, peak_pre = consts.peak_dec, consts.peak_pre
    dec_flops = 4.0 * seqs_per_chip * rows_ctx * heads_per_chip * s.attn_width
    t_dec = max(dec_flops / peak_dec, rates.attention_read(kv_bytes)) if decode > 0 else 0.0
    st.add("attention_decode", t_dec * layers)
    if prefill > 0:
        # causal attention: a prompt token attends on average to half the prompt
        pre_tokens = prefill / (tp if lay.dp_attention else 1)
        pre_flops = 4.0 * pre_tokens * (r.input_tokens / 2.0) * heads_per_chip * s.attn_width
        st.add("attention_prefill", pre_flops / peak_pre * layers)
    # --- dense MLP / shared experts (whole on every rank under DP attention, each rank its own tokens)
    if s.mlp_ffn > 0:
        f = s.mlp_ffn / n_split
        t = rates.gemm(t_attn_tok, 2 * f, s.d, act, weight_precision=w)
        t += rates.gemm(t_attn_tok, s.d, f, act, weight_precision=w)
        st.add("mlp", t * layers)
        # gated activation (SiLU(gate) * up): reads the 2f-wide GEMM output, writes f (bf16), per chip's slice
        st.add("activation", rates.memory(t_attn_tok * 3.0 * f * a_bytes) * layers)
    # --- routed experts
    if m.is_moe:
        routed = tokens * s.top_k
        touched_frac = 1.0 - (1.0 - 1.0 / s.experts) ** routed
        touched = s.experts * touched_frac
        per_expert = routed / touched
        # the busiest chip sets the pace: its routed tokens exceed the mean by ~sqrt(2 ln n) standard deviations of
        # a chip's load, a Poisson count plus, where the model's routing spread is measured, the popularity of the
        # whole experts the chip holds (variance cv^2 / experts per chip, relative)
        mean_chip = routed / tp
        cv = m.expert_load_cv or 0.0
        spread = math.sqrt(mean_chip + (cv * mean_chip) ** 2 / max(s.experts / tp, 1.0))
        imbalance = 1.0 + math.sqrt(2.0 * math.log(tp)) * spread / mean_chip if tp > 1 else 1.0
        per_expert *= imbalance
        groups_per_chip = touched / tp
        # token permutation to and from expert order, top-k combine: k copies of d_model in and out
        st.add("moe_permute", rates.memory(routed / tp * imbalance * s.d * a_bytes * 4.0) * layers)
        kw = {"weight_precision": w}
        t = rates.grouped_gemm(per_expert, groups_per_chip, 2 * s.expert_ffn, s.d, act, **kw)
        t += rates.grouped_gemm(per_expert, groups_per_chip, s.d, s.expert_ffn, act, **kw)
        st.add("experts", t * layers)
        st.add("activation", rates.memory(routed / tp * imbalance * 3.0 * s.expert_ffn * a_bytes) * layers)
        # the fused-MoE chain's fixed time (routing, permutation, quantisation, kernel tails), measured per MoE
        # layer: paid by the layers that carry experts (the experts themselves are spread over every layer here)
        moe_share = (m.moe_layers or s.layers) / s.layers
        st.add("moe_fixed", (pf.moe_layer_fixed_us or 0.0) * 1e-6 * layers * moe_share)
    # --- collectives
    if tp > 1:
        if m.is_moe and lay.dp_attention:
            disp_bytes = 1.0 if K.bytes_per_element(act) <= 1.0 else 2.0
            per_chip = tokens / tp * s.top_k * s.d
            t = K.all_to_all_time_s(hw, pf, per_chip * disp_bytes, tp) + K.all_to_all_time_s(hw, pf, per_chip * 2, tp)
            st.add("all_to_all", t * layers)
        else:
            st.add("all_reduce", 2.0 * K.allreduce_time_s(hw, pf, tokens * s.d * a_bytes, tp) * layers)
    if lay.domains > 1 and m.is_moe:
        leaving = (lay.domains - 1) / lay.domains
        per_chip = 2.0 * tokens * s.top_k * s.d * 1.0 * leaving / tp
        st.add("scale_out_all_to_all", per_chip / (SCALE_OUT_GB_S_PER_CHIP * 1e9) * layers)
    # --- elementwise
    elem = tokens / (tp if lay.dp_attention else 1) * s.d * a_bytes * ELEMENTWISE_PASSES
    st.add("elementwise", rates.memory(elem) * layers)
    st.add("launch", K.launch_s(pf, KERNELS_PER_LAYER) * layers)
    # --- LM head on the last stage: one row per decode row and per completed prompt
    rows = decode + prefill_seqs
    if rows > 0:
        lm_rows = rows / tp if lay.dp_attention else rows  # DP attention: each rank its own rows, whole vocabulary
        # the LM head stays 16-bit in quantized checkpoints (see Replica.weight_bytes_per_chip)
        lm_prec = act if K.bytes_per_element(act) >= 2.0 else consts.half
        lm_w = w if K.bytes_per_element(w) >= 2.0 else consts.half
        lm = rates.gemm(lm_rows, s.vocab / n_split, s.d, lm_prec, weight_precision=lm_w)
        st.add("lm_head", lm / lay.pp)


def step_time(r: Replica, decode_rows: float, prefill_tokens: float = 0.0) -> StepTime:
    """One replica step: `decode_rows` decode rows (sequences × beams) and `prefill_tokens` prompt tokens.

    With `pp` stages the rows are split into `pp` micro-batches; the step is `pp` stage times of one
    micro-batch (every stage busy), plus a point-to-point activation hand-over per stage boundary.
    """
    lay = r.layout
    st = StepTime()
    mb_dec, mb_pre = decode_rows / lay.pp, prefill_tokens / lay.pp
    pre_seqs = prefill_tokens / r.input_tokens if r.input_tokens > 0 else 0.0
    _stage_layer_time(r, mb_dec, mb_pre, pre_seqs / lay.pp, st)
    st = st.scaled(lay.pp)
    if lay.pp > 1:
        handover = (mb_dec + mb_pre) * shapes(r.model).d * 2.0 / lay.tp
        st.add("pipeline_p2p", lay.pp * K.p2p_time_s(r.hardware, r.profile, handover))
    st.add("step_overhead", r.step_overhead_s)
    return st


def decode_step_s(r: Replica, batch: float) -> float:
    """Seconds of a pure decode step of `batch` sequences (no prefill in the step)."""
    return step_time(r, batch * r.beams).total


def mixed_step(r: Replica, batch: float, prefill_per_step: float | None = None) -> StepTime:
    """Steady-state continuous batching: `batch` sequences decode while b·in/out prompt tokens prefill.

    Prompts arrive in chunks: a step carries at most the engine's token budget (`Replica.tokens_per_step`,
    decode rows included). When the mean prompt load per step is below one chunk, only a fraction f of the steps
    carry a chunk and the others are pure decode steps that still read every weight: the mean step is
    `f · t(b, chunk) + (1 − f) · t(b, 0)`, not the smoothed `t(b, b·in/out)` (which would let every decode step
    share its weight reads with prompt tokens).
    """
    prefill = batch * r.input_tokens / r.output_tokens if prefill_per_step is None else prefill_per_step
    rows = batch * r.beams
    if r.layout.dp_attention and r.layout.tp > 1 and prefill > 0 and r.input_tokens > 0:
        return _dp_mixed_step(r, rows, prefill)
    ranks = 1
    chunk = min(r.input_tokens * ranks, max(r.tokens_per_step * ranks - rows, 1.0))
    if prefill <= 0 or prefill >= chunk:
        return step_time(r, rows, prefill)
    f = prefill / chunk
    with_chunk = step_time(r, rows, chunk).scaled(f)
    for name, t in step_time(r, rows, 0.0).scaled(1.0 - f).ops.items():
        with_chunk.add(name, t)
    return with_chunk


# Operators each data-parallel attention rank runs on its own sequences (the rest of a layer is shared work).
_RANK_LOCAL_OPS = ("attention_projections", "attention_prefill", "elementwise")


def _dp_mixed_step(r: Replica, rows: float, prefill: float) -> StepTime:
    """Continuous batching with data-parallel attention: a prompt is prefilled on one rank, not spread over all.

    The ranks meet at every MoE layer, so a step lasts as long as its busiest rank: a step that carries k prompts
    (k = prefill / input, the mean) puts ceil(k / ranks) of them on one rank, whose attention-side operators
    (projections, prefill attention, elementwise) process rows/ranks + ceil(k / ranks) · input tokens while the
    shared operators (experts, all-to-all, LM head) see the k prompts once. With k < 1 only a fraction k of the
    steps carries a prompt; the others are pure decode steps.
    """
    ranks = r.layout.tp
    prompt = min(r.input_tokens, max(r.tokens_per_step - rows / ranks, 1.0))  # one rank's prompt chunk
    k = prefill / prompt
    busy = min(k, 1.0)  # share of the steps that carry at least one prompt
    per_rank = math.ceil(max(k, 1.0) / ranks)
    shared = step_time(r, rows, max(k, 1.0) * prompt)
    local = step_time(r, rows, per_rank * ranks * prompt)  # rank-local operators at the busiest rank's load
    st = StepTime({n: (local.ops.get(n, 0.0) if n in _RANK_LOCAL_OPS else t) for n, t in shared.ops.items()})
    if busy >= 1.0:
        return st
    out = st.scaled(busy)
    for name, t in step_time(r, rows, 0.0).scaled(1.0 - busy).ops.items():
        out.add(name, t)
    return out


def effective_tpot_s(r: Replica, batch: float) -> float:
    """Time per output token a sequence sees with chunked prefill sharing the steps (mean)."""
    return mixed_step(r, batch).total


def output_rate(r: Replica, batch: float) -> float:
    """Output tokens per second of the replica at `batch` sequences (one answer per sequence)."""
    return batch / effective_tpot_s(r, batch)


def prefill_time_s(r: Replica, tokens: float) -> float:
    """Seconds to prefill one prompt of `tokens` tokens alone on the replica (its TTFT floor)."""
    if tokens <= 0:
        return 0.0
    return step_time(r, 0.0, tokens).total


def prefill_tokens_per_s(r: Replica, chunk: float = 8192.0) -> float:
    """Prefill throughput of the replica running prefill-only steps of `chunk` tokens (disaggregated pool)."""
    return chunk / step_time(r, 0.0, chunk).total


def kv_transfer_s(r: Replica, link_gb_s: float | None = None) -> float:
    """Disaggregated serving: seconds to move one request's prompt KV from a prefill to a decode replica."""
    return K.p2p_time_s(r.hardware, r.profile, r.input_tokens * r.kv_per_token, link_gb_s=link_gb_s)


def expert_read_fraction(model: Model, rows: float) -> float:
    """Expected fraction of routed experts a step of `rows` tokens touches: 1 − (1 − 1/E)^(rows·k)."""
    if not model.is_moe:
        return 1.0
    assert model.routed_experts and model.experts_per_token
    return 1.0 - (1.0 - 1.0 / model.routed_experts) ** (rows * model.experts_per_token)


def poisson_p99(mean: float) -> float:
    """Upper 99th percentile of a Poisson count with `mean` (normal approximation, at least mean)."""
    return mean + 2.326 * math.sqrt(max(mean, 0.0))
