"""The throughput tables of TensorRT-LLM's later performance overview (after v1.0), as published.

Source: NVIDIA/TensorRT-LLM docs/source/developer-guide/perf-overview.md at commit 03e27c7 (trtllm-bench
`throughput`, PyTorch backend, offline: every request queued at once, fixed input/output lengths). Unlike the v1.0
tables this round states each column's layout: TPn is tensor parallelism, DEPn attention data parallelism with
expert parallelism over n GPUs (the MoE recipe's `enable_attention_dp: true`, `--ep`). Figures are "Output
Throughput per GPU (tokens/sec/GPU)" as printed; None where the table leaves the cell empty. The RTX 6000 Pro
tables are left out (no such card in the hardware catalog), and so are GPT-OSS 120B/20B (no catalog model:
alternating 128-token sliding-window layers and attention sinks, which the step model does not express).
"""

from __future__ import annotations

LENGTHS = ((1000, 1000), (1024, 1024), (1024, 8192), (1024, 32768), (8192, 1024), (32768, 1024))

# model -> columns (hardware, GPUs, layout "tp" | "dep", precision) and one row of figures per entry of LENGTHS
TABLES: dict[str, tuple[tuple[tuple[str, int, str, str], ...], tuple[tuple[int | None, ...], ...]]] = {
    "deepseek_r1": (  # DeepSeek R1 0528: FP4 nvidia/DeepSeek-R1-0528-NVFP4-v2, FP8 deepseek-ai/DeepSeek-R1-0528
        (("dgx_b200", 4, "dep", "fp4"), ("gb200_nvl72", 4, "dep", "fp4"), ("hgx_h200", 8, "dep", "fp8")),
        (
            (6463, 6939, 1627),
            (6430, 6924, 1620),
            (3862, 4379, 1218),
            (1451, 1465, 438),
            (1168, 1192, None),
            (None, None, None),
        ),
    ),
    "llama_3_3_70b": (
        (
            ("dgx_b200", 1, "tp", "fp4"),
            ("gb200_nvl72", 1, "tp", "fp4"),
            ("hgx_h200", 2, "tp", "fp8"),
            ("hgx_h100", 2, "tp", "fp8"),
        ),
        (
            (6920, 7769, 2587, 2209),
            (6842, 7751, 2582, None),
            (3242, 3805, 2009, None),
            (None, None, None, None),
            (1362, 1491, 537, 398),
            (274, 302, 120, None),
        ),
    ),
    "llama_4_maverick": (
        (("dgx_b200", 4, "dep", "fp4"), ("gb200_nvl72", 4, "dep", "fp4"), ("hgx_h200", 8, "dep", "fp8")),
        (
            (11337, 11828, 4146),
            (11227, 11905, 4180),
            (5174, 5508, 1157),
            (2204, 2300, 679),
            (3279, 3444, 1276),
            (859, 963, None),
        ),
    ),
    "qwen3_235b_a22b": (
        (
            ("dgx_b200", 4, "dep", "fp4"),
            ("gb200_nvl72", 4, "dep", "fp4"),
            ("hgx_h200", 4, "dep", "fp8"),
            ("hgx_h100", 8, "dep", "fp8"),
        ),
        (
            (5764, 6172, 3288, 1932),
            (5756, 5862, 3268, 1935),
            (3389, 3423, 1417, 873),
            (1255, None, None, None),
            (1410, 1464, 627, None),
            (319, 333, 134, None),
        ),
    ),
    "qwen3_30b_a3b": (
        (("dgx_b200", 1, "tp", "fp4"), ("gb200_nvl72", 1, "tp", "fp4")),
        (
            (26971, 22856),
            (26611, 22201),
            (13497, 14272),
            (4494, 4925),
            (5735, 6201),
            (1265, 1380),
        ),
    ),
}
