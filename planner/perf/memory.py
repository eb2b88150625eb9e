"""Bytes: weights by precision, KV cache per token, training model states, activations and the memory floor."""

from __future__ import annotations

import math

from planner.schema.catalog import Hardware, Model

BYTES_PER_PARAM = {"bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}
PRECISIONS = tuple(BYTES_PER_PARAM)

# Mixed-precision Adam: bf16 weights 2 + bf16 grads 2 + fp32 master 4 + Adam m, v 8 (primer 2.1).
TRAINING_STATE_BYTES_PER_PARAM = 16.0
# LoRA: frozen bf16 weights, plus adapters of about 1 % of the parameters with full Adam state.
LORA_ADAPTER_FRACTION = 0.01
# Of the 16 B/param, bf16 weights + grads (4 B) are split over the model-parallel group (tensor x pipeline);
# the fp32 master copy and Adam moments (12 B) are sharded over every chip (ZeRO-1 / distributed optimizer).
REPLICATED_STATE_BYTES_PER_PARAM = 4.0
SHARDED_STATE_BYTES_PER_PARAM = TRAINING_STATE_BYTES_PER_PARAM - REPLICATED_STATE_BYTES_PER_PARAM
# Activation bytes kept for the backward pass per layer and per token of one sequence (bf16), Korthikanti et al.
# 2022, "Reducing Activation Recomputation in Large Transformer Models", Table 2, attention scores not stored
# (fused/flash attention or selective recomputation of attention): 34·d_model/t with sequence parallelism,
# (10 + 24/t)·d_model without, for tensor-parallel size t. Full recomputation keeps only each layer's input:
# 2·d_model (/t with sequence parallelism).
ACTIVATION_BYTES_PER_HIDDEN = 34.0
ACTIVATION_BYTES_REPLICATED = 10.0  # LayerNorm/dropout/residual tensors replicated on every TP rank without SP
FULL_RECOMPUTE_ACTIVATION_BYTES = 2.0
# Largest tensor-parallel group considered for training (one 8-GPU/NPU server's NVLink/HCCS domain).
MAX_TRAINING_TENSOR_PARALLEL = 8


def check_precision(precision: str) -> None:
    """Raise ValueError for a precision the model does not know."""
    if precision not in BYTES_PER_PARAM:
        msg = f"unknown precision `{precision}`; use one of {', '.join(PRECISIONS)}"
        raise ValueError(msg)


def weight_bytes(model: Model, precision: str = "bf16") -> float:
    """Bytes of all weights (total parameters: every expert must be resident)."""
    check_precision(precision)
    return model.params_total_b * 1e9 * BYTES_PER_PARAM[precision]


def kv_bytes_per_element(precision: str) -> float:
    """KV cache stays bf16 unless the deployment is fp8 (then an fp8 KV cache, as TRT-LLM/vLLM fp8 do).

    int8/int4 are treated as weight quantisation (W8A8/W4A16 engines keep a 16-bit KV cache by default).
    """
    check_precision(precision)
    return 1.0 if precision == "fp8" else 2.0


def kv_bytes_per_token(model: Model, precision: str = "bf16") -> float:
    """KV cache bytes per token of context: GQA/MHA 2·L·kv_heads·head_dim·b; MLA L·(rank+rope)·b."""
    b = kv_bytes_per_element(precision)
    if model.attention == "mla":
        assert model.kv_lora_rank is not None and model.qk_rope_head_dim is not None
        return model.layers * (model.kv_lora_rank + model.qk_rope_head_dim) * b
    return 2.0 * model.layers * model.kv_heads * model.head_dim * b


def usable_bytes_per_chip(hardware: Hardware, usable_fraction: float) -> float:
    """Accelerator memory left for weights and KV cache (runtime, activations and fragmentation take the rest)."""
    return hardware.hbm_gb_per_chip * 1e9 * usable_fraction


def training_state_bytes(model: Model, method: str) -> float:
    """Model-state bytes of a training job before activations."""
    n = model.params_total_b * 1e9
    if method == "lora":
        return n * BYTES_PER_PARAM["bf16"] + n * LORA_ADAPTER_FRACTION * TRAINING_STATE_BYTES_PER_PARAM
    return n * TRAINING_STATE_BYTES_PER_PARAM


def memory_floor_chips(model: Model, hardware: Hardware, usable_fraction: float, method: str) -> int:
    """Fewest chips whose usable memory holds the model states (sharded by ZeRO/FSDP), before activations."""
    return max(1, math.ceil(training_state_bytes(model, method) / usable_bytes_per_chip(hardware, usable_fraction)))


def training_state_bytes_per_chip(
    model: Model, method: str, chips: int, model_parallel: int, fully_sharded: bool = False
) -> float:
    """Model-state bytes on one chip.

    Megatron-style (default): weights + grads (4 B/param) split over the `model_parallel` (tensor x pipeline)
    chips, fp32 master + Adam (12 B/param) sharded over all `chips` (ZeRO-1 / distributed optimizer).
    `fully_sharded` (FSDP / ZeRO-3): all 16 B/param over all chips. LoRA: the frozen bf16 weights take the
    place of weights + grads, the adapters' 16 B/param are sharded over all chips.
    """
    n = model.params_total_b * 1e9
    if method == "lora":
        split, sharded = n * BYTES_PER_PARAM["bf16"], n * LORA_ADAPTER_FRACTION * TRAINING_STATE_BYTES_PER_PARAM
    else:
        split, sharded = n * REPLICATED_STATE_BYTES_PER_PARAM, n * SHARDED_STATE_BYTES_PER_PARAM
    if fully_sharded:
        return (split + sharded) / chips
    return split / model_parallel + sharded / chips


def activation_bytes_per_chip(
    model: Model, seq_len: int, tensor_parallel: int, *, sequence_parallel: bool = True, full_recompute: bool = False
) -> float:
    """Activation bytes on the busiest chip for a micro-batch of one sequence under a 1F1B pipeline schedule.

    The first of p stages holds p micro-batches of L/p layers in flight: L layers' worth whatever p is.
    Per layer and token: 34·d/t bytes with sequence parallelism, (10 + 24/t)·d without; with full
    recomputation 2·d (/t with sequence parallelism).
    """
    t, d = tensor_parallel, model.hidden_size
    if full_recompute:
        per_token_layer = FULL_RECOMPUTE_ACTIVATION_BYTES * d / (t if sequence_parallel else 1)
    elif sequence_parallel:
        per_token_layer = ACTIVATION_BYTES_PER_HIDDEN * d / t
    else:
        split = ACTIVATION_BYTES_PER_HIDDEN - ACTIVATION_BYTES_REPLICATED
        per_token_layer = (ACTIVATION_BYTES_REPLICATED + split / t) * d
    return model.layers * seq_len * per_token_layer
