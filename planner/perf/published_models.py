"""Architectures of published models that validation runs use but the catalog does not hold (one definition each,
shared by the serving and training validation sets).

Figures from each model's Hugging Face config.json.
"""

from __future__ import annotations

from planner.perf.examples import make_model

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
