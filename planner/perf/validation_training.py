"""Published training runs against the training model (issue 13), kept apart by what was measured.

Two groups, never mixed:
* `benchmark`: steady-state throughput of a pinned layout (tokens/s per chip, or MFU), from benchmark tables and
  MLPerf Training logs (time-to-train rounds read as their logged steady-state throughput): no interruptions;
* `programme`: published programme accelerator-hours or days of a whole run (restarts, evaluation, and
  sometimes ablations included): the estimate adds scale-dependent goodput.

Each row is `calibration` (it set a constant of the model: named in `calibrates`), `held-out`, or `not
comparable` (an input the estimate depends on is not published: the chip count of a programme whose estimate
moves by more than the target median between 512 and 4,096 chips). Targets on the held-out rows of each
group: median absolute error <= 10 %, max <= 25 %.

    python -m planner.perf.validation_training            # print the section
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from planner.catalog import Catalog
from planner.perf.examples import make_model
from planner.perf.published_models import BAICHUAN2_7B, INTERNLM_7B, QWEN3_30B
from planner.perf.training import power_limited_clock, training_estimate
from planner.schema.catalog import Hardware, Model

TARGET_MEDIAN = 0.10
# Rows whose published inputs cannot be established well enough to judge the model on them: kept in the
# table with the reason, left out of the statistics. A row whose chip count is not published is one when its
# estimate moves by more than the target median over SENSITIVITY_CHIPS (`chip_sensitivity`).
NOT_COMPARABLE = "not comparable"
SENSITIVITY_CHIPS = (512, 1024, 2048, 4096)
TARGET_MAX = 0.25
GROUPS = ("benchmark", "programme")
MEGATRON_BRIDGE = "NVIDIA-NeMo/Megatron-Bridge docs/performance-summary-archive.md"
MLPERF_50 = "mlcommons/training_results_v5.0"
MLPERF_51 = "mlcommons/training_results_v5.1"


@dataclass(frozen=True)
class Run:
    """One published run: what was measured and how to reproduce it with the model."""

    name: str
    group: str  # benchmark | programme
    measured: float
    unit: str  # tokens/s/chip | MFU | accelerator-hours | days
    model: str | Model
    hardware: str | Callable[[Catalog], Hardware]
    chips: int
    layout: dict[str, Any]
    seq_len: int
    precision: str
    source: str
    split: str = "held-out"  # calibration | held-out | not comparable
    chips_published: bool = True
    tokens: float = 1e12
    method: str = "pretraining"
    note: str = ""
    calibrates: str = ""
    flop_rate_per_token: float | None = None  # unit "TFLOP/s/chip": the publisher's FLOPs per token


@dataclass(frozen=True)
class RunResult:
    """A run with the model's estimate."""

    name: str
    group: str
    measured: float
    estimated: float
    unit: str
    split: str
    source: str
    note: str
    layout: str
    mfu: float

    @property
    def error(self) -> float:
        return self.estimated / self.measured - 1.0


# ------------------------------------------------------------------ models not in the catalog (HF configs)
LLAMA3_8B = "llama_3_1_8b"
LLAMA3_70B = "llama_3_1_70b"
LLAMA3_405B = "llama_3_1_405b"
DEEPSEEK_V2 = make_model(
    id="deepseek_v2",
    name="DeepSeek-V2",
    params_total_b=236,
    params_active_b=21,
    layers=60,
    hidden_size=5120,
    attention_heads=128,
    kv_heads=128,
    head_dim=128,
    attention="mla",
    kv_lora_rank=512,
    qk_rope_head_dim=64,
    vocab_size=102400,
    context_tokens=131072,
    tokenizer="deepseek_v3",
    routed_experts=160,
    experts_per_token=6,
    routed_expert_params_b=3 * 5120 * 1536 * 160 * 59 / 1e9,
)
DEEPSEEK_67B = make_model(
    id="deepseek_llm_67b",
    name="DeepSeek LLM 67B",
    params_total_b=67.4,
    params_active_b=67.4,
    layers=95,
    hidden_size=8192,
    attention_heads=64,
    kv_heads=8,
    head_dim=128,
    attention="gqa",
    vocab_size=102400,
    context_tokens=4096,
    tokenizer="deepseek_v3",
)
LLAMA2_34B = make_model(
    id="llama_2_34b",
    name="Llama 2 34B",
    params_total_b=33.7,
    params_active_b=33.7,
    layers=48,
    hidden_size=8192,
    attention_heads=64,
    kv_heads=8,
    head_dim=128,
    attention="gqa",
    vocab_size=32000,
    context_tokens=4096,
    tokenizer="llama2",
)


def _gpt(name: str, layers: int, d: int, heads: int, vocab: int = 51200) -> Model:
    """Megatron GPT of the 2021-22 scaling papers: 12·L·d² + V·d parameters, MHA, GELU MLP 4d."""
    params = (12 * layers * d * d + vocab * d) / 1e9
    return make_model(
        id=name,
        name=name,
        params_total_b=params,
        params_active_b=params,
        layers=layers,
        hidden_size=d,
        attention_heads=heads,
        kv_heads=heads,
        head_dim=d // heads,
        attention="mha",
        vocab_size=vocab,
        context_tokens=2048,
        tokenizer="gpt2",
    )


GPT_175B = _gpt("gpt3_175b", 96, 12288, 96)
GPT_530B = _gpt("gpt_530b", 105, 20480, 128)
GPT_1T = _gpt("gpt_1t", 128, 25600, 160)


def _megatron_flops_per_token(model: Model, seq: int, recompute: bool) -> float:
    """Narayanan et al. 2021 eq. (3) per token: 24·(4 with recompute, else 3)·L·d²·(1 + s/6d + V/(16·L·d))."""
    L, d, V = model.layers, model.hidden_size, model.vocab_size
    k = 4 if recompute else 3
    return 24 * k * L * d * d * (1 + seq / (6 * d) + V / (16 * L * d))


# GLM-130B (arXiv 2210.02414): TP4 x PP8 on 96 DGX-A100, batch 4,224, no sequence parallelism, 2022 kernels;
# HFU 43.3 % vs MFU 32.5 % (p5) is the 8/6 of full recomputation. The training notes (THUDM/GLM-130B
# logs/main-log-en.md) add "FP32 softmax with QKV scaling" and the speed test: 176 x 24 = 4,224 sequences,
# 134 TFLOPS, 88.5 s/iter (DeepSpeed 0.6.1, PyTorch 1.11).
GLM_LAYOUT = {
    "tp": 4,
    "pp": 8,
    "vp": 1,
    "dp": 24,
    "sequence_parallel": False,
    "overlap": False,
    "global_batch": 4224,
    "recompute": "full",
    "flash_attention": False,
    "softmax_fp32": True,
}
# Power-limited clock: the A100 SXM4 is rated at 400 W; Meta's production cluster capped it at 350 W (Llama 2,
# arXiv 2307.09288 sec. 2.2.1; Table 2 lists the 34B model at 350 W, the others at 400 W).
A100_RATED_W = 400.0


def a100_350w(cat: Catalog) -> Hardware:
    """A100-80GB capped at 350 W: the sustained matrix clock from the power-clock law in training.py."""
    hw = cat.hardware["hgx_a100"]
    frac = power_limited_clock(hw.sustained_clock_fraction or 1.0, 350.0 / A100_RATED_W)
    return hw.model_copy(
        update={"id": "hgx_a100_350w", "name": "NVIDIA HGX A100 80GB at 350 W", "sustained_clock_fraction": frac}
    )


def a100_40gb(cat: Catalog) -> Hardware:
    """A100 SXM4 40 GB (DGX A100 40G): 40 GB HBM2 at 1.555 TB/s, otherwise the catalog's 80 GB part."""
    return cat.hardware["hgx_a100"].model_copy(
        update={
            "id": "dgx_a100_40gb",
            "name": "NVIDIA DGX A100 (8x A100 SXM4 40GB)",
            "accelerator": "A100 SXM4 40GB",
            "hbm_gb_per_chip": 40.0,
            "hbm_tb_s_per_chip": 1.555,
        }
    )


NV = {"overlap": True}
RUNS: list[Run] = [
    # ---------------------------------------------------------------- benchmark: Megatron-Bridge tables
    Run(
        "Llama 3 8B, 8x H100, FP8-CS, FSDP, GBS 128 x 8K",
        "benchmark",
        14451,
        "tokens/s/chip",
        LLAMA3_8B,
        "hgx_h100",
        8,
        {"tp": 1, "pp": 1, "dp": 8, "fsdp": True, "micro_batch": 1, "global_batch": 128},
        8192,
        "fp8",
        f"{MEGATRON_BRIDGE} (25.11, DGX-H100)",
        split="calibration",
        calibrates="CAST_BYTES['fp8'] (low-precision handling traffic)",
    ),
    Run(
        "Llama 3 70B, 64x H100, FP8-CS, TP4 PP8 VP5, GBS 128",
        "benchmark",
        1602,
        "tokens/s/chip",
        LLAMA3_70B,
        "hgx_h100",
        64,
        {"tp": 4, "pp": 8, "vp": 5, "dp": 2, "micro_batch": 1, "global_batch": 128},
        8192,
        "fp8",
        f"{MEGATRON_BRIDGE} (25.11, DGX-H100)",
    ),
    Run(
        "Llama 3.1 405B, 1024x H100, FP8-CS, TP8 PP8 CP2 VP8, GBS 512",
        "benchmark",
        292,
        "tokens/s/chip",
        LLAMA3_405B,
        "hgx_h100",
        1024,
        {"tp": 8, "pp": 8, "cp": 2, "vp": 8, "dp": 8, "micro_batch": 1, "global_batch": 512},
        8192,
        "fp8",
        f"{MEGATRON_BRIDGE} (25.11, DGX-H100)",
    ),
    Run(
        "Llama 3.1 405B, 1024x H100, FP8, TP8 PP8 CP2 VP8, GBS 1536",
        "benchmark",
        328,
        "tokens/s/chip",
        LLAMA3_405B,
        "hgx_h100",
        1024,
        {"tp": 8, "pp": 8, "cp": 2, "vp": 8, "dp": 8, "micro_batch": 1, "global_batch": 1536},
        8192,
        "fp8",
        f"{MEGATRON_BRIDGE} (26.04.01, DGX-H100)",
    ),
    Run(
        "Qwen3 235B-A22B, 256x H100, FP8-CS, TP2 PP8 VP4 EP32, GBS 2048",
        "benchmark",
        1575,
        "tokens/s/chip",
        "qwen3_235b_a22b",
        "hgx_h100",
        256,
        {
            "tp": 2,
            "pp": 8,
            "vp": 4,
            "ep": 32,
            "dp": 16,
            "micro_batch": 1,
            "global_batch": 2048,
            "tp_overlap": False,
            "a2a_dedup": False,
        },
        4096,
        "fp8",
        f"{MEGATRON_BRIDGE} (25.11, DGX-H100)",
        note="MoE, token-dropless, balanced routing; recipe scripts/performance/configs/qwen3/qwen3_llm_pretrain.py "
        "(2025-12-01): CommOverlapConfig(tp_comm_overlap=False), moe_a2a_overlap=True, alltoall dispatcher "
        "(no DeepEP)",
    ),
    Run(
        "Qwen3 30B-A3B, 16x H100, FP8, TP1 PP1 EP16, GBS 1024",
        "benchmark",
        8826,
        "tokens/s/chip",
        QWEN3_30B,
        "hgx_h100",
        16,
        {"tp": 1, "pp": 1, "ep": 16, "dp": 16, "micro_batch": 1, "global_batch": 1024},
        4096,
        "fp8",
        f"{MEGATRON_BRIDGE} (26.06, DGX-H100)",
        note="MoE 128 experts top-8, expert FFN 768",
    ),
    Run(
        "DeepSeek-V3, 1024x H100, FP8, TP2 PP8 VP4 EP64, GBS 8192",
        "benchmark",
        1297,
        "tokens/s/chip",
        "deepseek_v3",
        "hgx_h100",
        1024,
        {
            "tp": 2,
            "pp": 8,
            "vp": 4,
            "ep": 64,
            "dp": 64,
            "micro_batch": 1,
            "global_batch": 8192,
            "recompute": "selective",
            "dp_overlap": False,
            "mtp_layers": 1,
        },
        4096,
        "fp8",
        f"{MEGATRON_BRIDGE} (25.09, DGX-H100, dropless)",
        note="recipe scripts/performance run_script.py + configs/deepseek/deepseek_v3_llm_pretrain.yaml (2025-09): "
        "selective recompute (mla_up_proj, mlp), DeepEP, 1F1B all-to-all overlap, overlap_grad_reduce=False; "
        "MTP layer trained (mtp_num_layers=1; layout Et|(tt|)*30mL: MTP and loss on the last, lighter stage)",
    ),
    Run(
        "Llama 3 70B SFT, 32x H100, FP8, TP4 PP4 VP5, GBS 32 x 4K",
        "benchmark",
        1638,
        "tokens/s/chip",
        LLAMA3_70B,
        "hgx_h100",
        32,
        {"tp": 4, "pp": 4, "vp": 5, "dp": 2, "micro_batch": 1, "global_batch": 32},
        4096,
        "fp8",
        f"{MEGATRON_BRIDGE} (26.06 SFT, DGX-H100)",
        method="full",
    ),
    Run(
        "Llama 3 70B LoRA, 8x H100, FP8, TP2 PP4 VP20, GBS 32 x 4K",
        "benchmark",
        2643,
        "tokens/s/chip",
        LLAMA3_70B,
        "hgx_h100",
        8,
        {"tp": 2, "pp": 4, "vp": 20, "dp": 1, "micro_batch": 1, "global_batch": 32},
        4096,
        "fp8",
        f"{MEGATRON_BRIDGE} (26.06 LoRA, DGX-H100)",
        method="lora",
    ),
    Run(
        "Llama 3 8B, 8x B200, FP8-CS, GBS 128 MBS 2",
        "benchmark",
        30624,
        "tokens/s/chip",
        LLAMA3_8B,
        "dgx_b200",
        8,
        {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 2, "global_batch": 128},
        8192,
        "fp8",
        f"{MEGATRON_BRIDGE} (25.11, DGX-B200)",
    ),
    Run(
        "Llama 3.1 405B, 128x B200, FP8-CS, TP4 PP8 CP2 VP8, GBS 64",
        "benchmark",
        661,
        "tokens/s/chip",
        LLAMA3_405B,
        "dgx_b200",
        128,
        {"tp": 4, "pp": 8, "cp": 2, "vp": 8, "dp": 2, "micro_batch": 1, "global_batch": 64},
        8192,
        "fp8",
        f"{MEGATRON_BRIDGE} (25.11, DGX-B200)",
    ),
    Run(
        "DeepSeek-V3, 256x B200, MXFP8, TP1 PP8 VP2 EP32, GBS 4096",
        "benchmark",
        3328,
        "tokens/s/chip",
        "deepseek_v3",
        "dgx_b200",
        256,
        {"tp": 1, "pp": 8, "vp": 2, "ep": 32, "dp": 32, "micro_batch": 1, "global_batch": 4096, "mtp_layers": 1},
        4096,
        "mxfp8",
        f"{MEGATRON_BRIDGE} (26.04.01, DGX-B200)",
        split="calibration",
        calibrates="A2A_EXPOSED_WITH_OVERLAP",
    ),
    Run(
        "Llama 3 70B, 64x GB200, FP8, FSDP, GBS 256 MBS 2",
        "benchmark",
        4224,
        "tokens/s/chip",
        LLAMA3_70B,
        "gb200_nvl72",
        64,
        {"tp": 1, "pp": 1, "dp": 64, "fsdp": True, "micro_batch": 2, "global_batch": 256},
        8192,
        "fp8",
        f"{MEGATRON_BRIDGE} (26.04.01, DGX-GB200)",
    ),
    Run(
        "Llama 3 70B, 64x GB200, MXFP8, TP2 PP4 VP5, GBS 256",
        "benchmark",
        3712,
        "tokens/s/chip",
        LLAMA3_70B,
        "gb200_nvl72",
        64,
        {"tp": 2, "pp": 4, "vp": 5, "dp": 8, "micro_batch": 1, "global_batch": 256},
        8192,
        "mxfp8",
        f"{MEGATRON_BRIDGE} (26.04.01, DGX-GB200)",
        split="calibration",
        calibrates="CAST_BYTES['mxfp8']",
    ),
    Run(
        "Llama 3 70B, 64x GB200, NVFP4, TP2 PP4 VP5, GBS 256",
        "benchmark",
        4864,
        "tokens/s/chip",
        LLAMA3_70B,
        "gb200_nvl72",
        64,
        {"tp": 2, "pp": 4, "vp": 5, "dp": 8, "micro_batch": 1, "global_batch": 256},
        8192,
        "nvfp4",
        f"{MEGATRON_BRIDGE} (26.04.01, DGX-GB200)",
        split="calibration",
        calibrates="CAST_BYTES['nvfp4']",
    ),
    Run(
        "Llama 3.1 405B, 256x GB200, FP8, TP4 PP16 VP4, GBS 1536",
        "benchmark",
        864,
        "tokens/s/chip",
        LLAMA3_405B,
        "gb200_nvl72",
        256,
        {"tp": 4, "pp": 16, "vp": 4, "dp": 4, "micro_batch": 1, "global_batch": 1536},
        8192,
        "fp8",
        f"{MEGATRON_BRIDGE} (26.04.01, DGX-GB200)",
    ),
    Run(
        "Llama 3.1 405B, 256x GB200, NVFP4, TP4 PP16 VP8, GBS 1536",
        "benchmark",
        1184,
        "tokens/s/chip",
        LLAMA3_405B,
        "gb200_nvl72",
        256,
        {"tp": 4, "pp": 16, "vp": 8, "dp": 4, "micro_batch": 1, "global_batch": 1536},
        8192,
        "nvfp4",
        f"{MEGATRON_BRIDGE} (26.04.01, DGX-GB200)",
    ),
    Run(
        "DeepSeek-V3, 256x GB200, MXFP8, TP1 PP4 VP4 EP64, GBS 4096",
        "benchmark",
        4256,
        "tokens/s/chip",
        "deepseek_v3",
        "gb200_nvl72",
        256,
        {"tp": 1, "pp": 4, "vp": 4, "ep": 64, "dp": 64, "micro_batch": 1, "global_batch": 4096, "mtp_layers": 1},
        4096,
        "mxfp8",
        f"{MEGATRON_BRIDGE} (26.04.01, DGX-GB200)",
    ),
    Run(
        "DeepSeek-V3, 256x GB200, BF16, TP1 PP4 VP4 EP64, GBS 4096",
        "benchmark",
        3139,
        "tokens/s/chip",
        "deepseek_v3",
        "gb200_nvl72",
        256,
        {"tp": 1, "pp": 4, "vp": 4, "ep": 64, "dp": 64, "micro_batch": 1, "global_batch": 4096, "mtp_layers": 1},
        4096,
        "bf16",
        f"{MEGATRON_BRIDGE} (25.11, DGX-GB200)",
        split="calibration",
        calibrates="MOE_GROUPED_GEMM_EFFICIENCY",
    ),
    Run(
        "Qwen3 235B-A22B, 256x GB200, MXFP8, TP1 PP8 EP32, GBS 8192",
        "benchmark",
        5448,
        "tokens/s/chip",
        "qwen3_235b_a22b",
        "gb200_nvl72",
        256,
        {"tp": 1, "pp": 8, "ep": 32, "dp": 32, "micro_batch": 1, "global_batch": 8192},
        4096,
        "mxfp8",
        f"{MEGATRON_BRIDGE} (26.02, DGX-GB200)",
    ),
    Run(
        "Llama 3 70B LoRA, 8x GB200, FP8, TP1 PP2 VP20, GBS 32 x 4K",
        "benchmark",
        6206,
        "tokens/s/chip",
        LLAMA3_70B,
        "gb200_nvl72",
        8,
        {"tp": 1, "pp": 2, "vp": 20, "dp": 4, "micro_batch": 1, "global_batch": 32},
        4096,
        "fp8",
        f"{MEGATRON_BRIDGE} (26.06 LoRA, DGX-GB200)",
        method="lora",
    ),
    # ---------------------------------------------------------------- benchmark: MLPerf Training (steady state)
    Run(
        "MLPerf v5.0 Llama 2 70B LoRA, 8x MI325X (1000 W), FP8",
        "benchmark",
        2.7344 * 8192 / 8,
        "tokens/s/chip",
        "llama_2_70b",
        "mi325x_8x",
        8,
        {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 1, "global_batch": 8},
        8192,
        "fp8",
        f"{MLPERF_50} AMD/results/MI325X_EPYC_9575F_pytorch/llama2_70b_lora/result_0.txt",
        method="lora",
        note="tracked_stats throughput 2.734 samples/s x 8,192 tokens / 8 GPUs; time to train 21.3 min",
    ),
    Run(
        "MLPerf v5.0 Llama 2 70B LoRA, 8x MI300X (750 W), FP8",
        "benchmark",
        2.0265 * 8192 / 8,
        "tokens/s/chip",
        "llama_2_70b",
        "mi300x_8x",
        8,
        {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 1, "global_batch": 8},
        8192,
        "fp8",
        f"{MLPERF_50} AMD/results/MI300X_EPYC_9575F_pytorch/llama2_70b_lora/result_0.txt",
        method="lora",
        note="2.027 samples/s; time to train 28.3 min",
    ),
    Run(
        "MLPerf v5.1 Llama 2 70B LoRA, 8x MI325X, FP8",
        "benchmark",
        2.8375 * 8192 / 8,
        "tokens/s/chip",
        "llama_2_70b",
        "mi325x_8x",
        8,
        {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 1, "global_batch": 8},
        8192,
        "fp8",
        f"{MLPERF_51} AMD/results/MI325X_EPYC_9575F_pytorch_llama2_70b/llama2_70b_lora/result_0.txt",
        method="lora",
        note="2.838 samples/s; time to train 20.3 min",
    ),
    Run(
        "MLPerf v5.1 Llama 2 70B LoRA, 8x MI300X, FP8",
        "benchmark",
        2.1140 * 8192 / 8,
        "tokens/s/chip",
        "llama_2_70b",
        "mi300x_8x",
        8,
        {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 1, "global_batch": 8},
        8192,
        "fp8",
        f"{MLPERF_51} AMD/results/MI300X_EPYC_9575F_pytorch_llama2_70b/llama2_70b_lora/result_0.txt",
        method="lora",
        note="2.114 samples/s; time to train 33.9 min",
    ),
    Run(
        "MLPerf v5.0 Llama 2 70B LoRA, 8x H200 (Dell XE9680), FP8, TP1 CP2",
        "benchmark",
        2.5521 * 8192 / 8,
        "tokens/s/chip",
        "llama_2_70b",
        "hgx_h200",
        8,
        {"tp": 1, "pp": 1, "cp": 2, "dp": 4, "micro_batch": 1, "global_batch": 8},
        8192,
        "fp8",
        f"{MLPERF_50} Dell/results/XE9680x8H200-SXM-141GB/llama2_70b_lora/result_0.txt",
        method="lora",
        note="2.552 samples/s; fp8 weights, no recomputation (logged config)",
    ),
    Run(
        "MLPerf v5.0 Llama 2 70B LoRA, 8x B200 (NVIDIA), FP8, TP1 CP1",
        "benchmark",
        5.1919 * 8192 / 8,
        "tokens/s/chip",
        "llama_2_70b",
        "dgx_b200",
        8,
        {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 1, "global_batch": 8},
        8192,
        "fp8",
        f"{MLPERF_50} NVIDIA/results/nyx_n1_ngc25.04_nemo/llama2_70b_lora/result_0.txt",
        method="lora",
        note="5.192 samples/s; config_DGXB200_1x8x1xtp1pp1cp1.sh",
    ),
    Run(
        "MLPerf v5.0 Llama 2 70B LoRA, 8x GB200 (NVIDIA), FP8, TP1 CP1",
        "benchmark",
        5.4459 * 8192 / 8,
        "tokens/s/chip",
        "llama_2_70b",
        "gb200_nvl72",
        8,
        {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 1, "global_batch": 8},
        8192,
        "fp8",
        f"{MLPERF_50} NVIDIA/results/tyche_ngpu8_ngc25.04_nemo/llama2_70b_lora/result_0.txt",
        method="lora",
        note="5.446 samples/s; config_GB200_2x4x1xtp1pp1cp1.sh",
    ),
    Run(
        "MLPerf v5.0 Llama 2 70B LoRA, 8x MI300X (Dell XE9680), FP8",
        "benchmark",
        2.0478 * 8192 / 8,
        "tokens/s/chip",
        "llama_2_70b",
        "mi300x_8x",
        8,
        {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 1, "global_batch": 8},
        8192,
        "fp8",
        f"{MLPERF_50} Dell/results/1xXE9680x8MI300X/llama2_70b_lora/result_0.txt",
        method="lora",
        note="2.048 samples/s",
    ),
    Run(
        "MLPerf v5.0 Llama 2 70B LoRA, 8x MI325X (Supermicro), FP8",
        "benchmark",
        2.8410 * 8192 / 8,
        "tokens/s/chip",
        "llama_2_70b",
        "mi325x_8x",
        8,
        {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 1, "global_batch": 8},
        8192,
        "fp8",
        f"{MLPERF_50} Supermicro/results/8xMI325X_2xEPYC_9575F/llama2_70b_lora/result_0.txt",
        method="lora",
        note="2.841 samples/s",
    ),
    # ---------------------------------------------------------------- benchmark: papers (MFU tables)
    Run(
        "Llama 3 405B, 8,192 H100, BF16, TP8 PP16 DP64, 16M-token batch",
        "benchmark",
        0.43,
        "MFU",
        LLAMA3_405B,
        "hgx_h100",
        8192,
        {"tp": 8, "pp": 16, "dp": 64, "micro_batch": 1, "global_batch": 2048},
        8192,
        "bf16",
        "Llama Team, arXiv 2407.21783, Table 4 (430 TFLOPs/GPU, BF16 MFU 43 %)",
    ),
    Run(
        "Llama 3 405B, 16,384 H100, BF16, TP8 PP16 DP128, 16M-token batch",
        "benchmark",
        0.41,
        "MFU",
        LLAMA3_405B,
        "hgx_h100",
        16384,
        {"tp": 8, "pp": 16, "dp": 128, "micro_batch": 1, "global_batch": 2048},
        8192,
        "bf16",
        "Llama Team, arXiv 2407.21783, Table 4 (400 TFLOPs/GPU, 41 %)",
    ),
    Run(
        "Llama 3 405B, 16,384 H100, BF16, TP8 CP16 PP16 DP8, 131K context",
        "benchmark",
        0.38,
        "MFU",
        LLAMA3_405B,
        "hgx_h100",
        16384,
        {"tp": 8, "cp": 16, "pp": 16, "dp": 8, "micro_batch": 1, "global_batch": 128},
        131072,
        "bf16",
        "Llama Team, arXiv 2407.21783, Table 4 (380 TFLOPs/GPU, 38 %)",
    ),
    Run(
        "GPT 175B (Megatron), 1,536 A100-80GB, TP8 PP8, full recompute, batch 2304",
        "benchmark",
        148,
        "TFLOP/s/chip",
        GPT_175B,
        "hgx_a100",
        1536,
        {
            "tp": 8,
            "pp": 8,
            "dp": 24,
            "micro_batch": 1,
            "global_batch": 2304,
            "recompute": "full",
            "sequence_parallel": False,
            "overlap": False,
            "flash_attention": False,
        },
        2048,
        "bf16",
        "Narayanan et al., SC21, arXiv 2104.04473, Table 1 (145.6B row; TFLOPs count the recomputation)",
        flop_rate_per_token=_megatron_flops_per_token(GPT_175B, 2048, True),
        note="recollection of the table (U): 148 TFLOP/s per GPU, 47 % of peak",
    ),
    Run(
        "GPT 530B (Megatron), 2,520 A100-80GB, TP8 PP35, full recompute",
        "benchmark",
        163,
        "TFLOP/s/chip",
        GPT_530B,
        "hgx_a100",
        2520,
        {
            "tp": 8,
            "pp": 35,
            "dp": 9,
            "micro_batch": 1,
            "global_batch": 2520,
            "recompute": "full",
            "sequence_parallel": False,
            "overlap": False,
            "flash_attention": False,
        },
        2048,
        "bf16",
        "Narayanan et al., SC21, arXiv 2104.04473, Table 1 (529.6B row)",
        flop_rate_per_token=_megatron_flops_per_token(GPT_530B, 2048, True),
        note="recollection (U): 163 TF, 52 %",
    ),
    Run(
        "GPT 1T (Megatron), 3,072 A100-80GB, TP8 PP64, full recompute",
        "benchmark",
        163,
        "TFLOP/s/chip",
        GPT_1T,
        "hgx_a100",
        3072,
        {
            "tp": 8,
            "pp": 64,
            "dp": 6,
            "micro_batch": 1,
            "global_batch": 3072,
            "recompute": "full",
            "sequence_parallel": False,
            "overlap": False,
            "flash_attention": False,
        },
        2048,
        "bf16",
        "Narayanan et al., SC21, arXiv 2104.04473, Table 1 (1008B row)",
        flop_rate_per_token=_megatron_flops_per_token(GPT_1T, 2048, True),
        note="recollection (U): 163 TF, 52 %",
    ),
    Run(
        "GPT 175B, 64 A100-80GB, TP8 PP8, selective recompute + SP",
        "benchmark",
        0.514,
        "MFU",
        GPT_175B,
        "hgx_a100",
        64,
        {
            "tp": 8,
            "pp": 8,
            "dp": 1,
            "micro_batch": 1,
            "global_batch": 64,
            "recompute": "selective",
            "overlap": False,
            "flash_attention": False,
        },
        2048,
        "bf16",
        "Korthikanti et al., arXiv 2205.05198, Table 5 (MFU 51.4 %)",
        note="recollection of the table (U)",
    ),
    Run(
        "GPT 530B, 280 A100-80GB, TP8 PP35, selective recompute + SP",
        "benchmark",
        0.560,
        "MFU",
        GPT_530B,
        "hgx_a100",
        280,
        {
            "tp": 8,
            "pp": 35,
            "dp": 1,
            "micro_batch": 1,
            "global_batch": 280,
            "recompute": "selective",
            "overlap": False,
            "flash_attention": False,
        },
        2048,
        "bf16",
        "Korthikanti et al., arXiv 2205.05198, Table 5 (MFU 56.0 %)",
        note="recollection of the table (U)",
    ),
    Run(
        "GLM-130B, 768 A100-40GB, TP4 PP8, full recompute, no SP",
        "benchmark",
        0.325,
        "MFU",
        "glm_130b",
        a100_40gb,
        768,
        GLM_LAYOUT,
        2048,
        "bf16",
        "Zeng et al., arXiv 2210.02414, p5 (MFU 32.5 %, HFU 43.3 % with re-materialisation)",
        note="THUDM/GLM-130B logs/main-log-en.md: FP32 softmax; speed test 134 TFLOPS, 88.5 s/iter at 4,224",
    ),
    Run(
        "Baichuan2-7B, 8x Ascend 910B (MindSpeed)",
        "benchmark",
        2607,
        "tokens/s/chip",
        BAICHUAN2_7B,
        "atlas_800t_a2",
        8,
        {},
        4096,
        "bf16",
        "Ascend/ModelLink (MindSpeed-LLM) examples README",
        note="layout not in the README table: searched",
    ),
    Run(
        "InternLM-7B, 8x Ascend 910B (MindSpeed)",
        "benchmark",
        2943,
        "tokens/s/chip",
        INTERNLM_7B,
        "atlas_800t_a2",
        8,
        {},
        4096,
        "bf16",
        "Ascend/ModelLink (MindSpeed-LLM) examples README",
        note="layout not in the README table: searched",
    ),
    # ---------------------------------------------------------------- programme accelerator-hours / days
    Run(
        "Llama 2 7B pretraining, 2.0T tokens, A100-80GB",
        "programme",
        184_320,
        "accelerator-hours",
        "llama_2_7b",
        "hgx_a100",
        2048,
        {},
        4096,
        "bf16",
        "meta-llama/llama MODEL_CARD.md",
        tokens=2e12,
        split=NOT_COMPARABLE,
        chips_published=False,
        note="chip count not published: 2,048 assumed; layout searched",
    ),
    Run(
        "Llama 2 13B pretraining, 2.0T tokens, A100-80GB",
        "programme",
        368_640,
        "accelerator-hours",
        "llama_2_13b",
        "hgx_a100",
        2048,
        {},
        4096,
        "bf16",
        "meta-llama/llama MODEL_CARD.md",
        tokens=2e12,
        split=NOT_COMPARABLE,
        chips_published=False,
        note="2,048 chips assumed; layout searched",
    ),
    Run(
        "Llama 2 34B pretraining, 2.0T tokens, A100-80GB",
        "programme",
        1_038_336,
        "accelerator-hours",
        LLAMA2_34B,
        a100_350w,
        2048,
        {},
        4096,
        "bf16",
        "Touvron et al., arXiv 2307.09288, Table 2 (CO2 table: 34B at 350 W, the others at 400 W; tCO2eq / "
        "(hours x W) is 0.4235 kg/kWh on every row)",
        tokens=2e12,
        split=NOT_COMPARABLE,
        chips_published=False,
        note="2,048 chips assumed; production cluster (RoCE, 350 W cap): clock from the power-clock law",
    ),
    Run(
        "Llama 2 70B pretraining, 2.0T tokens, A100-80GB",
        "programme",
        1_720_320,
        "accelerator-hours",
        "llama_2_70b",
        "hgx_a100",
        2048,
        {},
        4096,
        "bf16",
        "meta-llama/llama MODEL_CARD.md",
        tokens=2e12,
        split=NOT_COMPARABLE,
        chips_published=False,
        note="2,048 chips assumed; layout searched",
    ),
    Run(
        "Llama 3.1 405B pretraining, 15.6T tokens, 16K H100",
        "programme",
        30_840_000,
        "accelerator-hours",
        LLAMA3_405B,
        "hgx_h100",
        16384,
        {"tp": 8, "pp": 16, "dp": 128, "micro_batch": 1, "global_batch": 2048},
        8192,
        "bf16",
        "meta-llama/llama-models models/llama3_1/MODEL_CARD.md (30.84M H100-hours); arXiv 2407.21783",
        tokens=15.6e12,
        note="card hours include the long-context and annealing stages (not modelled: ~5 %)",
    ),
    Run(
        "DeepSeek-V3 pretraining, 14.8T tokens, 2,048 H800, FP8, DualPipe",
        "programme",
        2_664_000,
        "accelerator-hours",
        "deepseek_v3",
        "hgx_h800",
        2048,
        {
            "tp": 1,
            "pp": 16,
            "ep": 64,
            "dp": 128,
            "micro_batch": 1,
            "global_batch": 15360,
            "schedule": "dualpipe",
            "mtp_layers": 1,
        },
        4096,
        "fp8",
        "DeepSeek-AI, arXiv 2412.19437 (2,664K H800-hours pretraining; PP16, EP64, ZeRO-1, FP8)",
        tokens=14.8e12,
        note="batch 15,360 sequences after the ramp; MTP depth 1 trained (paper sec. 2.2, 4.2)",
    ),
    Run(
        "DeepSeek-V2 pretraining, per trillion tokens, H800, BF16",
        "programme",
        172_800,
        "accelerator-hours",
        DEEPSEEK_V2,
        "hgx_h800",
        1024,
        {"tp": 1, "pp": 16, "ep": 8, "dp": 64, "micro_batch": 1, "global_batch": 2304},
        4096,
        "bf16",
        "DeepSeek-AI, arXiv 2405.04434 (172.8K GPU-hours per trillion tokens; 16-way zero-bubble PP, 8-way EP)",
        tokens=1e12,
        split=NOT_COMPARABLE,
        chips_published=False,
        note="chip count not published: 1,024 assumed; batch 9,216 sequences (paper), 2,304 here",
    ),
    Run(
        "DeepSeek 67B pretraining, per trillion tokens, H800, BF16",
        "programme",
        300_600,
        "accelerator-hours",
        DEEPSEEK_67B,
        "hgx_h800",
        1024,
        {},
        4096,
        "bf16",
        "DeepSeek-AI, arXiv 2405.04434 sec. 3.2 (DeepSeek 67B: 300.6K GPU-hours per trillion tokens)",
        tokens=1e12,
        split=NOT_COMPARABLE,
        chips_published=False,
        note="chip count not published: 1,024 assumed; layout searched",
    ),
    Run(
        "GLM-130B, 400B tokens, 768 A100-40GB, TP4 PP8, no SP",
        "programme",
        60,
        "days",
        "glm_130b",
        a100_40gb,
        768,
        GLM_LAYOUT,
        2048,
        "bf16",
        "Zeng et al., arXiv 2210.02414 (p4: 96 DGX-A100 40G, 60 days; p5: MFU 32.5 %)",
        tokens=400e9,
        note="the 60 days are the access window, including loss-spike restarts",
    ),
    Run(
        "BLOOM-176B, 366B tokens, 384 A100-80GB, TP4 PP12 DP8",
        "programme",
        1_082_990,
        "accelerator-hours",
        "bloom_176b",
        "hgx_a100",
        384,
        {
            "tp": 4,
            "pp": 12,
            "vp": 1,
            "dp": 8,
            "micro_batch": 2,
            "global_batch": 2048,
            "recompute": "full",
            "sequence_parallel": False,
            "overlap": False,
            "flash_attention": False,
        },
        2048,
        "bf16",
        "BigScience, arXiv 2211.05100 sec. 3.5; bigscience/bloom model card (1,082,990 compute hours)",
        tokens=366e9,
        split="calibration",
        calibrates="programme_efficiency of nvidia_ampere_cuda (every input of this run is published)",
        note="Megatron-DeepSpeed, ZeRO-1, full activation checkpointing",
    ),
]

DGXC = "NVIDIA/dgxc-benchmarking"
NEMOTRON4_15B = make_model(
    id="nemotron4_15b",
    name="Nemotron-4 15B",
    params_total_b=15.6,
    params_active_b=15.6,
    layers=32,
    hidden_size=6144,
    attention_heads=48,
    kv_heads=8,
    head_dim=128,
    attention="gqa",
    vocab_size=256000,
    context_tokens=4096,
    tokenizer="llama2",
)  # squared-ReLU MLP (not gated): FLOPs exact, GEMM shapes approximate
NEMOTRON4_340B = make_model(
    id="nemotron4_340b",
    name="Nemotron-4 340B",
    params_total_b=341.0,
    params_active_b=341.0,
    layers=96,
    hidden_size=18432,
    attention_heads=96,
    kv_heads=8,
    head_dim=192,
    attention="gqa",
    vocab_size=256000,
    context_tokens=4096,
    tokenizer="llama2",
)
# Dense BF16 pretraining (gathered in session 14; every figure checked against the tag's README): the
# Megatron-Bridge tables publish dense models in FP8 only. Throughput is the README's total over its GPU count.
DGXC_BF16_RUNS: list[Run] = [
    Run(
        "Llama 3.1 8B, 8x H100, BF16, TP1 CP2, GBS 128",
        "benchmark",
        85459 / 8,
        "tokens/s/chip",
        LLAMA3_8B,
        "hgx_h100",
        8,
        {"tp": 1, "pp": 1, "cp": 2, "dp": 4, "micro_batch": 1, "global_batch": 128},
        8192,
        "bf16",
        f"{DGXC}@v25.04.02 (0efdb235) llama3.1/README.md (NeMo 25.02.01, DGX-H100)",
        note="85,459 tokens/s on 8 GPUs, last step; FP8 same layout 112,388",
    ),
    Run(
        "Llama 3.1 70B, 64x H100, BF16, TP4 PP4 CP2 VP5, GBS 128",
        "benchmark",
        71526 / 64,
        "tokens/s/chip",
        LLAMA3_70B,
        "hgx_h100",
        64,
        {"tp": 4, "pp": 4, "cp": 2, "vp": 5, "dp": 2, "micro_batch": 1, "global_batch": 128},
        8192,
        "bf16",
        f"{DGXC}@v25.04.02 (0efdb235) llama3.1/README.md (NeMo 25.02.01, DGX-H100)",
        note="71,526 tokens/s on 64 GPUs; FP8 (TP4 PP8 VP5) 106,346",
    ),
    Run(
        "Llama 3.1 405B, 512x H100, BF16, TP8 PP8 CP2 VP8, GBS 256",
        "benchmark",
        105863 / 512,
        "tokens/s/chip",
        LLAMA3_405B,
        "hgx_h100",
        512,
        {"tp": 8, "pp": 8, "cp": 2, "vp": 8, "dp": 4, "micro_batch": 1, "global_batch": 256},
        8192,
        "bf16",
        f"{DGXC}@v25.05.05 (c5c765f2) llama3.1/README.md (NeMo 25.04.01, DGX-H100)",
        note="105,863 tokens/s, mean of iterations 11-44; FP8 same layout 161,072",
    ),
    Run(
        "Llama 3.1 405B, 128x GB200, BF16, TP4 PP8 CP2 VP8, GBS 64",
        "benchmark",
        56092 / 128,
        "tokens/s/chip",
        LLAMA3_405B,
        "gb200_nvl72",
        128,
        {"tp": 4, "pp": 8, "cp": 2, "vp": 8, "dp": 2, "micro_batch": 1, "global_batch": 64},
        8192,
        "bf16",
        f"{DGXC}@v25.05.05 (c5c765f2) llama3.1/README.md (NeMo 25.04.01, GB200)",
        note="56,092 tokens/s; FP8 same layout 85,514",
    ),
    Run(
        "Nemotron-4 15B, 16x H100, BF16, TP2 MBS2, GBS 64",
        "benchmark",
        98550 / 16,
        "tokens/s/chip",
        NEMOTRON4_15B,
        "hgx_h100",
        16,
        {"tp": 2, "pp": 1, "dp": 8, "micro_batch": 2, "global_batch": 64},
        4096,
        "bf16",
        f"{DGXC}@v25.04.02 (0efdb235) nemotron/README.md (NeMo 25.02.01, DGX-H100)",
        note="98,550 tokens/s; FP8 same layout 132,396",
    ),
    Run(
        "Nemotron-4 340B, 256x H100, BF16, TP8 PP8 VP12, GBS 64",
        "benchmark",
        56913 / 256,
        "tokens/s/chip",
        NEMOTRON4_340B,
        "hgx_h100",
        256,
        {"tp": 8, "pp": 8, "vp": 12, "dp": 4, "micro_batch": 1, "global_batch": 64},
        4096,
        "bf16",
        f"{DGXC}@v25.05.05 (c5c765f2) nemotron/README.md (NeMo 25.04.00, DGX-H100)",
        note="56,913 tokens/s; FP8 same layout 84,372",
    ),
    Run(
        "Nemotron-4 340B, 128x GB200, BF16, TP8 PP4 VP12, GBS 32",
        "benchmark",
        59877 / 128,
        "tokens/s/chip",
        NEMOTRON4_340B,
        "gb200_nvl72",
        128,
        {"tp": 8, "pp": 4, "vp": 12, "dp": 4, "micro_batch": 1, "global_batch": 32},
        4096,
        "bf16",
        f"{DGXC}@v25.05.05 (c5c765f2) nemotron/README.md (NeMo 25.04.00, GB200)",
        note="59,877 tokens/s; FP8 same layout 88,383",
    ),
    Run(
        "GPT-3 175B, 128x H100, BF16, TP4 PP8 VP6, GBS 256",
        "benchmark",
        63099 / 128,
        "tokens/s/chip",
        GPT_175B,
        "hgx_h100",
        128,
        {"tp": 4, "pp": 8, "vp": 6, "dp": 4, "micro_batch": 1, "global_batch": 256},
        2048,
        "bf16",
        f"{DGXC}@v25.04.02 (0efdb235) nemo_megatron/README_175b.md (NeMo 24.12, DGX-H100)",
        note="63,099 tokens/s; cfg/gpt3_175b_hydra.yaml: SP, TP comm overlap; FP8 same layout 93,190",
    ),
]
RUNS += DGXC_BF16_RUNS


def _hardware(cat: Catalog, run: Run) -> Hardware:
    return run.hardware(cat) if callable(run.hardware) else cat.hardware[run.hardware]


def estimate(cat: Catalog, run: Run) -> tuple[float, Any]:
    """The model's value of the run's measured quantity (same unit), and the estimate."""
    hw = _hardware(cat, run)
    profile = cat.efficiency_profiles[hw.efficiency_profile]
    model = run.model if isinstance(run.model, Model) else cat.models[run.model]
    layout = dict(run.layout)
    pinned_chips = "dp" in layout
    est = training_estimate(
        model,
        hw,
        profile,
        run.tokens,
        method=run.method,
        chips=None if pinned_chips else run.chips,
        seq_len=run.seq_len,
        precision=run.precision,
        layout=layout or None,
        steady_state=run.group == "benchmark",
    )
    if run.unit == "tokens/s/chip":
        value = est.tokens_per_s_per_chip
    elif run.unit == "MFU":
        value = est.mfu
    elif run.unit == "TFLOP/s/chip":
        assert run.flop_rate_per_token
        value = est.tokens_per_s_per_chip * run.flop_rate_per_token / 1e12
    elif run.unit == "accelerator-hours":
        value = est.accelerator_hours
    elif run.unit == "days":
        value = est.wall_days
    else:  # pragma: no cover - guarded by the row definitions
        raise ValueError(run.unit)
    return value, est


def chip_sensitivity(cat: Catalog, run: Run) -> tuple[float, float]:
    """(min, max) error of the row's estimate over SENSITIVITY_CHIPS chips (a pinned dp follows the count)."""
    errs = []
    for n in SENSITIVITY_CHIPS:
        layout = dict(run.layout)
        if "dp" in layout:
            layout["dp"] = max(1, n // (layout.get("tp", 1) * layout.get("pp", 1) * layout.get("cp", 1)))
        value, _ = estimate(cat, dataclasses.replace(run, chips=n, layout=layout))
        errs.append(value / run.measured - 1.0)
    return min(errs), max(errs)


def training_results(catalog: Catalog) -> list[RunResult]:
    """Every published run with the model's estimate (rows carry name, group, measured, estimated, error, split,
    source)."""
    out = []
    for run in RUNS:
        value, est = estimate(catalog, run)
        note = run.note + (f"; calibrates {run.calibrates}" if run.calibrates else "")
        out.append(
            RunResult(
                run.name,
                run.group,
                run.measured,
                value,
                run.unit,
                run.split,
                run.source,
                note.strip("; "),
                est.parallel.describe() if est.parallel else "",
                est.mfu,
            )
        )
    return out


def group_stats(results: list[RunResult], split: str = "held-out") -> dict[str, dict[str, float]]:
    """Median and max absolute error per group over the rows of `split`."""
    out: dict[str, dict[str, float]] = {}
    for g in GROUPS:
        errs = [abs(r.error) for r in results if r.group == g and r.split == split]
        if errs:
            out[g] = {"n": float(len(errs)), "median": statistics.median(errs), "max": max(errs)}
    return out


def _fmt(x: float) -> str:
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:,.2f}"
    return f"{x:.3f}"


def training_section(catalog: Catalog) -> str:
    """Markdown section for docs/validation.md: per group, held-out statistics and every row."""
    results = training_results(catalog)
    stats = group_stats(results)
    lines = [
        "## Training runs (issue 13)",
        "",
        "Generated from `planner/perf/validation_training.py`. Two groups are kept apart: **benchmark** rows are",
        "steady-state throughput of a pinned, published layout (Megatron-Bridge tables, MLPerf Training logs read",
        "as their logged steady-state throughput, paper MFU tables), estimated without interruptions;",
        "**programme** rows are published accelerator-hours or days of whole runs (restarts and more included),",
        "estimated with scale-dependent goodput. `calibration` rows set a named constant; the targets (median",
        f"absolute error <= {TARGET_MEDIAN:.0%}, max <= {TARGET_MAX:.0%}) apply to the held-out rows of each group.",
        "",
        "| Group | Held-out rows | Median abs error | Max abs error | Target met |",
        "|---|---:|---:|---:|---|",
    ]
    for g in GROUPS:
        st = stats.get(g)
        if st:
            ok = st["median"] <= TARGET_MEDIAN and st["max"] <= TARGET_MAX
            lines.append(f"| {g} | {int(st['n'])} | {st['median']:.1%} | {st['max']:.1%} | {'yes' if ok else 'NO'} |")
    lines += [
        "",
        f"**Not comparable** ({sum(r.split == NOT_COMPARABLE for r in results)} rows, shown in the tables, left out",
        "of the statistics): the chip count of these programmes is not published and the estimate moves by more",
        f"than the target median between {SENSITIVITY_CHIPS[0]:,} and {SENSITIVITY_CHIPS[-1]:,} chips:",
        "",
    ]
    runs = {run.name: run for run in RUNS}
    for r in results:
        if r.split == NOT_COMPARABLE:
            lo, hi = chip_sensitivity(catalog, runs[r.name])
            lines.append(f"- {r.name}: error {lo:+.0%} to {hi:+.0%} over that range")
    for g in GROUPS:
        lines += [
            "",
            f"### {g.capitalize()} rows",
            "",
            "| Run | Split | Measured | Estimated | Unit | Error | Model layout | Source | Note |",
            "|---|---|---:|---:|---|---:|---|---|---|",
        ]
        for r in results:
            if r.group != g:
                continue
            lines.append(
                f"| {r.name} | {r.split} | {_fmt(r.measured)} | {_fmt(r.estimated)} | {r.unit} | {r.error:+.1%} | "
                f"{r.layout}; MFU {r.mfu:.1%} | {r.source} | {r.note} |"
            )
    lines.append("")
    return "\n".join(lines)


TIME_UNITS = ("accelerator-hours", "days")


def error_bands(catalog: Catalog) -> dict[str, tuple[float, float]]:
    """Per group, the range of (published time / estimated time - 1) over the held-out rows: where the published
    value fell relative to the estimate, as time (throughput rows inverted), quoted next to training time
    (`ERROR_BANDS` in training.py)."""
    out = {}
    results = training_results(catalog)
    for g in GROUPS:
        ratios = [
            (r.measured / r.estimated if r.unit in TIME_UNITS else r.estimated / r.measured) - 1.0
            for r in results
            if r.group == g and r.split == "held-out"
        ]
        out[g] = (round(min(ratios), 2), round(max(ratios), 2))
    return out


def validated_profiles(catalog: Catalog) -> tuple[str, ...]:
    """The efficiency profiles (chip and software stack) some held-out training run checks: an estimate on any
    other profile quotes no band (`TRAINING_VALIDATED_PROFILES` in training.py)."""
    return tuple(sorted({_hardware(catalog, r).efficiency_profile for r in RUNS if r.split == "held-out"}))


def main() -> int:
    from planner.catalog import load_catalog

    print(training_section(load_catalog()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
