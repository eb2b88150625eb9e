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
