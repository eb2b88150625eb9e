"""Roofline physics of one replica: decode step time, prefill time per token, memory headroom.

All times in seconds. A replica is `chips` accelerators that hold one copy of the weights; `domains`
is how many scale-up domains it spans (1 unless an MoE model is spread over scale-out).

Beam search of width k (`beams`): a batch of b sequences decodes b·k rows per step (k times the FLOPs,
all-reduce and all-to-all traffic). The prompt is prefilled once per sequence and its KV cache is stored once
and shared by the k beams (paged KV blocks / cache indirection, as TensorRT-LLM and vLLM do); each beam stores
and reads its own generated tokens. A step streams the shared prompt KV once per sequence, not once per beam.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.perf.memory import BYTES_PER_PARAM, kv_bytes_per_token, weight_bytes
from planner.schema.catalog import Hardware, Model

# Scale-out bandwidth per chip for expert-parallel all-to-all between domains (one direction).
# 200 Gb/s RoCE/InfiniBand per accelerator: Atlas 800 A2 servers have 8x200GE; HGX nodes usually 400G
# per GPU, so this is the conservative end. Not in the hardware schema, hence a documented constant.
SCALE_OUT_GB_S_PER_CHIP = 25.0


@dataclass(frozen=True)
class Replica:
    """Physical parameters of one replica for one workload (input/output lengths, precision)."""

    model: Model
    hardware: Hardware
    chips: int
    domains: int
    precision: str
    peak_flops: float  # per chip, at the compute precision
    eta_mem: float
    eta_compute: float
    overhead_s: float
    usable_fraction: float
    input_tokens: float
    output_tokens: float
    beams: int = 1

    @property
    def kv_per_token(self) -> float:
        return kv_bytes_per_token(self.model, self.precision)

    @property
    def decode_context(self) -> float:
        """Mean context during decode: the prompt plus half the answer."""
        return self.input_tokens + self.output_tokens / 2.0

    @property
    def kv_read_tokens(self) -> float:
        """KV-cache tokens one decode step streams per sequence: the shared prompt once, each beam's half answer."""
        return self.input_tokens + self.beams * self.output_tokens / 2.0

    def max_batch(self) -> int:
        """Sequences whose KV cache fits beside the weights; each reserves its prompt + every beam's full answer."""
        free = self.chips * self.hardware.hbm_gb_per_chip * 1e9 * self.usable_fraction
        free -= weight_bytes(self.model, self.precision)
        per_seq = (self.input_tokens + self.beams * self.output_tokens) * self.kv_per_token
        return int(free // per_seq) if free > 0 else 0


def expert_read_fraction(model: Model, batch: float) -> float:
    """Expected fraction of routed experts a decode step touches: 1 - (1 - k/E)^b (uniform routing)."""
    if not model.is_moe:
        return 1.0
    assert model.routed_experts and model.experts_per_token
    return 1.0 - (1.0 - model.experts_per_token / model.routed_experts) ** batch


def weights_read_bytes(model: Model, precision: str, batch: float) -> float:
    """Weight bytes one decode step streams from HBM: always-used weights plus the routed experts touched."""
    bpp = BYTES_PER_PARAM[precision]
    if not model.is_moe:
        return model.params_total_b * 1e9 * bpp
    assert model.routed_expert_params_b is not None
    always = model.params_total_b - model.routed_expert_params_b
    return (always + model.routed_expert_params_b * expert_read_fraction(model, batch)) * 1e9 * bpp


def attention_width(model: Model) -> int:
    """Per-head width attention reads per context token in decode (MLA: the absorbed latent + rope)."""
    if model.attention == "mla":
        assert model.kv_lora_rank and model.qk_rope_head_dim
        return model.kv_lora_rank + model.qk_rope_head_dim
    return model.head_dim


def decode_flops_per_token(model: Model, context: float) -> float:
    """2·N_active plus attention 4·L·heads·width·context (QK^T and AV)."""
    return (
        2.0 * model.params_active_b * 1e9
        + 4.0 * model.layers * model.attention_heads * attention_width(model) * context
    )


def prefill_flops_per_token(model: Model, input_tokens: float) -> float:
    """2·N_active plus causal attention over on average half the prompt: 2·L·heads·head_dim·input."""
    return 2.0 * model.params_active_b * 1e9 + 2.0 * model.layers * model.attention_heads * model.head_dim * (
        input_tokens
    )


def tp_allreduce_s(r: Replica, batch: float) -> float:
    """Two ring all-reduces of b·d_model bf16 activations per layer inside the scale-up domain."""
    group = r.chips // r.domains
    if group <= 1:
        return 0.0
    per_layer = 2 * 2.0 * (group - 1) / group * batch * r.model.hidden_size * 2.0
    return r.model.layers * per_layer / (r.hardware.scale_up_gb_s_per_chip * 1e9)


def scale_out_all_to_all_s(r: Replica, batch: float) -> float:
    """Expert-parallel dispatch + combine between domains over scale-out, per decode step (MoE only)."""
    if r.domains <= 1 or not r.model.is_moe:
        return 0.0
    assert r.model.experts_per_token
    act_bytes = 1.0 if r.precision in ("fp8", "int8") else 2.0  # quantised dispatch as in DeepEP / MindIE
    leaving = (r.domains - 1) / r.domains
    per_chip = 2.0 * batch * r.model.experts_per_token * r.model.hidden_size * act_bytes * leaving / r.chips
    return r.model.layers * per_chip / (SCALE_OUT_GB_S_PER_CHIP * 1e9)


def decode_step_s(r: Replica, batch: float) -> float:
    """t(b) = max(bytes read / (BW·η_mem), FLOPs / (peak·η_compute)) + communication + fixed overhead.

    b sequences decode b·beams rows: FLOPs, expert reads and communication scale with the rows; KV reads are
    the shared prompt once per sequence plus each beam's own tokens (`Replica.kv_read_tokens`).
    """
    rows = batch * r.beams
    bytes_read = weights_read_bytes(r.model, r.precision, rows) + batch * r.kv_read_tokens * r.kv_per_token
    t_mem = bytes_read / (r.chips * r.hardware.hbm_tb_s_per_chip * 1e12 * r.eta_mem)
    flops = rows * decode_flops_per_token(r.model, r.decode_context)
    t_compute = flops / (r.chips * r.peak_flops * r.eta_compute)
    return max(t_mem, t_compute) + tp_allreduce_s(r, rows) + scale_out_all_to_all_s(r, rows) + r.overhead_s


def prefill_s_per_token(r: Replica) -> float:
    """Replica time to prefill one input token (compute-bound; once per sequence whatever the beam width)."""
    return prefill_flops_per_token(r.model, r.input_tokens) / (r.chips * r.peak_flops * r.eta_compute)


def effective_tpot_s(r: Replica, batch: float) -> float:
    """Time per output token seen by a sequence when prefill shares the replica with decode.

    Each decode step of b sequences also carries b·(in/out) prompt tokens of newly admitted requests
    (chunked prefill / continuous batching), so TPOT = t(b) + b·(in/out)·prefill time per token.
    """
    ratio = r.input_tokens / r.output_tokens
    return decode_step_s(r, batch) + batch * ratio * prefill_s_per_token(r)


def output_rate(r: Replica, batch: float) -> float:
    """Output tokens per second of the replica: 1 / (t(b)/b + (in/out)·prefill time per token).

    With beam search a sequence returns one answer (the best beam): b tokens per step, not b·beams.
    """
    return batch / effective_tpot_s(r, batch)
