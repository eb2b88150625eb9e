"""Architectures of published models that validation runs use but the catalog does not hold (one definition each,
shared by the serving and training validation sets).

Figures from each model's Hugging Face config.json.
"""

from __future__ import annotations

from planner.perf.examples import make_model
from planner.schema.catalog import Model

# Qwen3-30B-A3B: 48 layers, d 2048, 32 heads / 4 KV, head_dim 128, 128 experts top-8, expert FFN 768,
# vocab 151,936, max positions 40,960; 30.5B total / 3.3B active; routed experts 3 x 2048 x 768 x 128 x 48 = 29.0B.
QWEN3_30B = make_model(
    id="qwen3_30b_a3b",
    name="Qwen3-30B-A3B",
    params_total_b=30.5,
    params_active_b=3.3,
    layers=48,
    hidden_size=2048,
    attention_heads=32,
    kv_heads=4,
    head_dim=128,
    attention="gqa",
    routed_experts=128,
    experts_per_token=8,
    routed_expert_params_b=3 * 2048 * 768 * 128 * 48 / 1e9,
    vocab_size=151936,
    context_tokens=40960,
    tokenizer="qwen",
)

# Llama-style 7B models of the 2023 Chinese programmes: 32 layers, d_model 4096, FFN 11,008, MHA.
BAICHUAN2_7B = make_model(
    id="baichuan2_7b",
    name="Baichuan2-7B",
    params_total_b=7.51,
    params_active_b=7.51,
    layers=32,
    hidden_size=4096,
    attention_heads=32,
    kv_heads=32,
    head_dim=128,
    attention="mha",
    vocab_size=125696,
    context_tokens=4096,
    tokenizer="baichuan",
)

INTERNLM_7B = make_model(
    id="internlm_7b",
    name="InternLM-7B",
    params_total_b=7.32,
    params_active_b=7.32,
    layers=32,
    hidden_size=4096,
    attention_heads=32,
    kv_heads=32,
    head_dim=128,
    attention="mha",
    vocab_size=103168,
    context_tokens=4096,
    tokenizer="internlm",
)

# Mixtral-8x22B (mistralai/Mixtral-8x22B-v0.1 config.json): 56 layers, d 6144, 48 heads / 8 KV, head_dim 128,
# FFN 16,384, 8 experts top-2, vocab 32,768, 65,536 positions; routed experts 3 x 6144 x 16384 x 8 x 56 = 135.3B,
# attention 56 x (6144 x 8192 + 6144 x 6144) = 4.9B, embeddings 0.4B: 140.6B total, 39.1B active.
MIXTRAL_8X22B = make_model(
    id="mixtral_8x22b",
    name="Mixtral-8x22B",
    params_total_b=140.6,
    params_active_b=39.1,
    layers=56,
    hidden_size=6144,
    attention_heads=48,
    kv_heads=8,
    head_dim=128,
    attention="gqa",
    routed_experts=8,
    experts_per_token=2,
    routed_expert_params_b=3 * 6144 * 16384 * 8 * 56 / 1e9,
    vocab_size=32768,
    context_tokens=65536,
    tokenizer="mistral",
)


# Llama 4 (meta-llama/Llama-4-{Scout-17B-16E,Maverick-17B-128E}-Instruct config.json, text_config): 48 layers,
# d 5120, 40 heads / 8 KV, head_dim 128, vocab 202,048; routed experts top-1 with FFN 8,192 (intermediate_size)
# beside a shared expert of the same width; Maverick routes on every second layer (interleave_moe_layer_step 2,
# 128 experts) and runs a dense FFN of 16,384 (intermediate_size_mlp) on the others, Scout routes on every layer
# (16 experts). The step model spreads Maverick's 24 routed layers over all 48 (same weights, FLOPs and tokens per
# expert; each GEMM half as wide). Three layers in four attend within 8,192-token chunks, which equals full
# attention for the contexts of the rows that use these models (up to 5,500 tokens).
_L4_D, _L4_LAYERS, _L4_VOCAB, _L4_EXPERT_FFN = 5120, 48, 202048, 8192
_L4_ATTN = _L4_LAYERS * _L4_D * (40 * 128 + 2 * 8 * 128 + 40 * 128)
_L4_EMBED = 2 * _L4_VOCAB * _L4_D


def _llama4(id: str, name: str, experts: int, routed_layers: int) -> Model:
    routed = routed_layers * experts * 3 * _L4_D * _L4_EXPERT_FFN
    shared = routed_layers * 3 * _L4_D * _L4_EXPERT_FFN
    dense = (_L4_LAYERS - routed_layers) * 3 * _L4_D * 16384
    rest = shared + dense + _L4_ATTN + _L4_EMBED
    return make_model(
        id=id,
        name=name,
        params_total_b=(routed + rest) / 1e9,
        params_active_b=(routed / experts + rest) / 1e9,
        layers=_L4_LAYERS,
        hidden_size=_L4_D,
        attention_heads=40,
        kv_heads=8,
        head_dim=128,
        attention="gqa",
        routed_experts=experts,
        experts_per_token=1,
        routed_expert_params_b=routed / 1e9,
        moe_layers=routed_layers,
        vocab_size=_L4_VOCAB,
        context_tokens=1048576,
        tokenizer="llama4",
    )


LLAMA4_SCOUT = _llama4("llama4_scout", "Llama 4 Scout 17B-16E", 16, 48)  # 107.8B total, 17.2B active
LLAMA4_MAVERICK = _llama4("llama4_maverick", "Llama 4 Maverick 17B-128E", 128, 24)  # 400.7B total, 17.2B active


# Qwen3-Coder-480B-A35B (Qwen/Qwen3-Coder-480B-A35B-Instruct config.json): 62 layers, d 6144, 96 heads / 8 KV,
# head_dim 128, 160 experts top-8, expert FFN 2,560, no shared expert, vocab 151,936, 262,144 positions;
# routed experts 3 x 6144 x 2560 x 160 x 62 = 468.1B of 480B, 35B active.
QWEN3_CODER_480B = make_model(
    id="qwen3_coder_480b_a35b",
    name="Qwen3-Coder-480B-A35B",
    params_total_b=480.0,
    params_active_b=35.0,
    layers=62,
    hidden_size=6144,
    attention_heads=96,
    kv_heads=8,
    head_dim=128,
    attention="gqa",
    routed_experts=160,
    experts_per_token=8,
    routed_expert_params_b=3 * 6144 * 2560 * 160 * 62 / 1e9,
    vocab_size=151936,
    context_tokens=262144,
    tokenizer="qwen",
)
