"""The throughput tables of TensorRT-LLM's v0.21 performance overview (PyTorch backend), as published.

Source: NVIDIA/TensorRT-LLM 0.21.0/_sources/performance/perf-overview.md.txt at commit b8e38f9 (the v0.21
documentation; trtllm-bench `throughput`, PyTorch backend, offline: every request queued at once, fixed
input/output lengths, CUDA graphs with padding). Figures are "Total Output Throughput (tokens/sec)" of the whole
TP group; None where the table leaves the cell empty. The GH200 column is left out (no such system in the hardware
catalog). The Llama 4 Maverick table carries the note "Performance for Llama 4 on sequence lengths less than 8,192
tokens is affected by an issue introduced in v0.21. To reproduce the Llama 4 performance noted here, please use
v0.20": its figures are v0.20's. The v0.21 command gives no `--ep`, so the engine ran MoE tensor-parallel.
"""

from __future__ import annotations

LENGTHS = (
    (128, 128),
    (128, 2048),
    (128, 4096),
    (500, 2000),
    (1000, 1000),
    (1000, 2000),
    (1024, 2048),
    (2048, 128),
    (2048, 2048),
    (5000, 500),
    (20000, 2000),
)

# model -> columns (hardware, TP, precision) and one row of figures per entry of LENGTHS
TABLES: dict[str, tuple[tuple[tuple[str, int, str], ...], tuple[tuple[float | None, ...], ...]]] = {
    "llama_3_3_70b_fp4": (
        (("dgx_b200", 1, "fp4"), ("gb200_nvl72", 1, "fp4")),
        (
            (10613.84, 11100.97),
            (9445.51, 10276.05),
            (6276.85, 7351.12),
            (6983.27, 8194.30),
            (6434.29, 7401.80),
            (6725.03, 6478.72),
            (6546.61, 7922.88),
            (1330.35, 1418.47),
            (4528.48, 5326.77),
            (1427.44, 1502.44),
            (636.36, 732.43),
        ),
    ),
    "llama_3_1_405b_fp4": (
        (("dgx_b200", 4, "fp4"), ("gb200_nvl72", 4, "fp4")),
        (
            (6218.89, 6598.97),
            (7178.10, 7497.40),
            (5890.89, 5898.19),
            (5844.37, 6198.33),
            (4958.53, 5243.35),
            (4874.16, 4905.51),
            (4833.19, 4686.38),
            (737.95, 761.58),
            (4024.02, 4326.56),
            (1032.40, 1078.87),
            (667.39, 649.95),
        ),
    ),
    "llama_3_1_8b": (
        (("hgx_h100", 1, "fp8"), ("hgx_h200", 1, "fp8")),
        (
            (26401.48, 27027.80),
            (21413.21, 23102.25),
            (13541.54, 17396.83),
            (17571.01, 19759.16),
            (14991.62, 17162.49),
            (13505.23, 16227.11),
            (13165.91, 16057.66),
            (3275.55, 3390.69),
            (9462.43, 11822.14),
            (3276.47, 3758.08),
            (1340.69, 1705.68),
        ),
    ),
    "llama_3_3_70b_fp8": (
        (("hgx_h100", 2, "fp8"), ("hgx_h200", 2, "fp8")),
        (
            (6092.28, 6327.98),
            (5892.94, 7467.36),
            (3828.46, 5526.42),
            (4654.74, 6639.15),
            (4181.06, 4773.33),
            (3708.93, 5790.36),
            (3785.04, 5480.44),
            (723.40, 747.55),
            (2785.53, 3775.80),
            (865.55, 978.28),
            (411.85, 609.42),
        ),
    ),
    "llama_3_1_405b_fp8": (
        (("hgx_h100", 8, "fp8"), ("hgx_h200", 8, "fp8")),
        (
            (None, 3705.18),
            (4517.39, 4715.13),
            (2910.31, 4475.91),
            (3664.62, 4804.10),
            (2955.50, 3208.25),
            (2884.69, 3630.29),
            (3237.41, 3609.50),
            (433.47, 441.35),
            (2216.55, 2840.86),
            (579.05, 645.26),
            (363.27, 509.87),
        ),
    ),
    "llama_4_maverick": (  # v0.20's figures (see the module docstring)
        (("hgx_h200", 8, "fp8"), ("hgx_h100", 8, "fp8")),
        (
            (None, None),
            (27543.87, None),
            (18541.01, 11163.12),
            (21117.34, None),
            (None, None),
            (None, 10556.00),
            (16859.45, 11584.33),
            (4364.06, 3832.38),
            (12800.89, None),
            (5128.60, None),
            (None, None),
        ),
    ),
}
