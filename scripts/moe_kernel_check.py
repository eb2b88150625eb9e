"""Compare the step model's MoE layer with TensorRT-LLM's measured fused-MoE module (aiconfigurator tables).

The tables are ai-dynamo/aiconfigurator's `systems/data/<gpu>/moe/trtllm/1.2.0rc5/moe_perf.parquet` (commit
095f58a): one GPU runs the MoE module of `num_tokens` tokens (all tokens of the expert-parallel group, as after the
all-gather of attention DP) with `num_experts / moe_ep_size` local experts, balanced routing. For each table row the
model's expert GEMMs, gated activation and permutation are timed for the same shape, EP and tokens (the fixed MoE
time `moe_layer_fixed_us` left out), and the excess of the measurement over the model is summarised per EP: the
median of that excess at EP 2-8 is the profile's `moe_layer_fixed_us`.

Needs pandas and pyarrow beside the planner (not project dependencies):

    python -m venv /tmp/pa && /tmp/pa/bin/pip install pandas pyarrow && /tmp/pa/bin/pip install -e .
    /tmp/pa/bin/python scripts/moe_kernel_check.py <aiconfigurator checkout>
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import pandas as pd

from planner.catalog import load_catalog
from planner.perf.serving import pinned_replica
from planner.perf.steps import shapes, step_time

TABLES = {  # hardware id, table directory, MoE dtype, kernel source, planner precision
    "b200": ("dgx_b200", "b200_sxm", "nvfp4", "moe_torch_flow_cutlass", "fp4"),
    "h100": ("hgx_h100", "h100_sxm", "fp8", "moe_torch_flow_cutlass", "fp8"),
    "h200": ("hgx_h200", "h200_sxm", "fp8", "moe_torch_flow", "fp8"),
}
TOKENS = (128, 512, 1024, 2048, 4096, 8192)
MOE_OPS = ("experts", "moe_permute", "activation")


def _model(cat, d: int, f: int, experts: int, top_k: int):
    """A Qwen3-235B-like model with the table row's MoE shape: 94 layers, its attention and vocabulary, and no dense
    MLP (the non-expert parameters are exactly attention + embeddings, so no dense layer is timed)."""
    base = cat.models["qwen3_235b_a22b"]
    layers, hd, h, kv = base.layers, base.head_dim, base.attention_heads, base.kv_heads
    attn = layers * (d * (h + 2 * kv) * hd + h * hd * d)
    embed = 2 * base.vocab_size * d
    routed = layers * experts * 3 * d * f
    return base.model_copy(
        update={
            "id": f"moe_{d}_{f}_{experts}_{top_k}",
            "hidden_size": d,
            "routed_experts": experts,
            "experts_per_token": top_k,
            "routed_expert_params_b": routed / 1e9,
            "params_total_b": (routed + attn + embed) / 1e9,
            "params_active_b": (routed * top_k / experts + attn + embed) / 1e9,
            "expert_load_cv": None,
            "moe_layers": None,
        }
    )


def model_us(cat, hw_id: str, model, ep: int, tokens: int, precision: str) -> float:
    """The model's MoE layer (µs) for `tokens` tokens over an EP group of `ep` GPUs."""
    hw = cat.hardware[hw_id]
    if ep < hw.chips_per_unit:
        hw = hw.model_copy(update={"chips_per_unit": ep, "scale_up_domain_chips": ep})
    profile = cat.efficiency_profiles[hw.efficiency_profile]
    layout = f"tp={ep},dp_attention" if ep > 1 else "tp=1"
    r = pinned_replica(model, hw, profile, 1000, 1000, precision=precision, layout=layout)
    ops = step_time(r, tokens).ops
    return sum(ops.get(k, 0.0) for k in MOE_OPS) / shapes(model).layers * 1e6


def main(aic_root: Path) -> None:
    cat = load_catalog()
    for chip, (hw_id, folder, dtype, source, precision) in TABLES.items():
        table = aic_root / "aic-core/src/aiconfigurator_core/systems/data" / folder / "moe/trtllm/1.2.0rc5"
        d = pd.read_parquet(table / "moe_perf.parquet")
        keep = (d.distribution == "balanced") & (d.moe_dtype == dtype) & (d.moe_tp_size == 1)
        d = d[keep & (d.kernel_source == source)]
        for ep in (1, 2, 4, 8):
            excess = []
            for (h, f, k, e), g in d.groupby(["hidden_size", "inter_size", "topk", "num_experts"]):
                model = _model(cat, int(h), int(f), int(e), int(k))
                for t in TOKENS:
                    row = g[(g.moe_ep_size == ep) & (g.num_tokens == t)]
                    if not row.empty:
                        excess.append(row.latency.min() * 1e3 - model_us(cat, hw_id, model, ep, t, precision))
            if excess:
                q = statistics.quantiles(excess, n=4)
                med = statistics.median(excess)
                print(
                    f"{chip} {dtype} EP{ep}: {len(excess)} rows, excess median {med:.1f} us"
                    f" (quartiles {q[0]:.1f}, {q[2]:.1f})"
                )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
