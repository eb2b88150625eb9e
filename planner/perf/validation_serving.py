"""Published serving runs against the serving model (planner/perf/serving.py), without per-run fitting.

Every row gives the exact inputs of the run (model, hardware, chips, precision, input/output tokens, scenario
and its latency limits, the published layout where the source states it) and the published figure, in output
tokens/s per accelerator. Rows are `calibration` (the few runs that set an end-to-end factor: Hopper
`decode_overhead_ms`, Blackwell FP4 GEMM efficiency; every other kernel factor comes from GEMM and bandwidth
benchmarks), `held-out`, or
`estimated-input`: MLPerf runs whose dataset's mean input length is not published (the figure depends on it
strongly, see the sensitivity table); they are reported but not counted against the targets.
Groups follow issue 12. `serving_section(catalog)` renders the section of docs/validation.md.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass

from planner.catalog import Catalog
from planner.perf.examples import make_model
from planner.perf.published_models import QWEN3_30B
from planner.perf.serving import serving_estimate
from planner.schema.catalog import Hardware, Model

TARGET_MEDIAN = 0.10
TARGET_MAX = 0.25
RATIO_TOLERANCE = 0.10
GROUPS = {
    "dense_nvidia": "offline maximum throughput, dense models, NVIDIA",
    "amd": "offline and server scenario, AMD MI300X/MI325X/MI355X",
    "moe": "MoE models (Qwen3-235B, Mixtral, DeepSeek-R1)",
    "latency": "latency-bound (server/interactive, p99 limits; fixed-concurrency latency)",
    "fp4": "FP4 runs on Blackwell and CDNA4",
    "ascend": "Huawei Ascend (CloudMatrix 384, disaggregated decode pool)",
}

TRT = (
    "NVIDIA/TensorRT-LLM docs/source/performance/perf-overview.md (commit 00f3768, v1.0, trtllm-bench, PyTorch backend)"
)
ML51 = "mlcommons/inference_results_v5.1 summary_results.json"
ML41 = "mlcommons/inference_results_v4.1 summary/README.md"
CM = "Huawei, 'Serving Large Language Models on Huawei CloudMatrix384', arXiv 2506.12708 (v2)"
NIM = "NVIDIA NIM benchmarking, docs.nvidia.com/nim/benchmarking/llm/1.0.0/performance.md"
AMDPERF = (
    "AMD ROCm performance results, amd.com/en/developer/resources/rocm-hub/dev-ai/performance-results.html "
    "(vLLM throughput, rocm6.4.1_vllm_0.10.1_20250909, 8x MI300X 750 W, TP8)"
)
# MLPerf workloads: output means from the accuracy logs' TOKENS_PER_SAMPLE (v5.1 summary_results.json); latency
# limits from mlperf.conf (closed/AMD/measurements/.../mlperf.conf in the v5.1 repo). Input means are NOT published:
# OpenOrca 191 is the project's earlier unverified recollection (U); Mixtral (OpenOrca + GSM8K + MBXP) 350 and
# DeepSeek-R1 (math500, AIME, LiveCodeBench, GPQA, MMLU-Pro prompts) 800 are estimates (E).
ORCA_IN, ORCA_OUT = 191.0, 301.1
MIXTRAL_IN, MIXTRAL_OUT = 350.0, 143.7
R1_IN, R1_OUT = 800.0, 3692.7
SERVER_70B = {"tpot_ms": 200, "ttft_ms": 2000}
INTERACTIVE_70B = {"tpot_ms": 40, "ttft_ms": 450}
SERVER_MIXTRAL = {"tpot_ms": 200, "ttft_ms": 2000}
SERVER_R1 = {"tpot_ms": 80, "ttft_ms": 2000}

# Mixtral-8x7B-Instruct (HF config.json): 32 layers, d 4096, 32 heads / 8 KV, FFN 14,336, 8 experts top-2,
# vocab 32,000; 46.7B total / 12.9B active; routed experts 3 x 4096 x 14336 x 8 x 32 = 45.1B.
MIXTRAL = make_model(
    id="mixtral_8x7b",
    name="Mixtral-8x7B",
    params_total_b=46.7,
    params_active_b=12.9,
    layers=32,
    hidden_size=4096,
    attention_heads=32,
    kv_heads=8,
    head_dim=128,
    attention="gqa",
    routed_experts=8,
    experts_per_token=2,
    routed_expert_params_b=45.1,
    vocab_size=32000,
    context_tokens=32768,
    tokenizer="llama2",
)


def mi355x(cat: Catalog) -> Hardware:
    """8x MI355X (CDNA4), AMD product page figures (vendor): 2,516.6 TFLOPS BF16, 5,033 FP8, 10,066 MXFP4 dense,
    288 GB HBM3E at 8 TB/s; Infinity Fabric as MI325X. Not a catalog entry (no price or lead time sourced)."""
    return cat.hardware["mi325x_8x"].model_copy(
        update={
            "id": "mi355x_8x",
            "name": "8x AMD Instinct MI355X",
            "accelerator": "Instinct MI355X 288GB",
            "bf16_tflops_per_chip": 2516.6,
            "fp8_tflops_per_chip": 5033.2,
            "int8_tops_per_chip": 5033.2,
            "fp4_tflops_per_chip": 10066.3,
            "hbm_gb_per_chip": 288.0,
            "hbm_tb_s_per_chip": 8.0,
        }
    )


def _slice(hw: Hardware, chips: int) -> Hardware:
    """A benchmark on `chips` chips of a larger unit: a unit of that many chips in one scale-up domain."""
    if chips >= hw.chips_per_unit:
        return hw
    domain = min(chips, hw.scale_up_domain_chips)
    return hw.model_copy(update={"chips_per_unit": chips, "scale_up_domain_chips": domain})


@dataclass(frozen=True)
class Run:
    """One published serving run."""

    id: str
    group: str
    split: str  # calibration | held-out
    model: str | Model
    hardware: str
    chips: int  # accelerators of the published figure
    precision: str
    input_tokens: float
    output_tokens: float
    published: float  # output tokens/s per accelerator
    source: str
    scenario: str = "offline"
    limits: tuple[tuple[str, float], ...] = ()
    layout: str | None = None
    note: str = ""
    metric: str = "throughput"  # throughput | decode_pool | itl_ms | ttft_ms


@dataclass(frozen=True)
class RunResult:
    run: Run
    estimate: float
    layout: str

    @property
    def error(self) -> float:
        return self.estimate / self.run.published - 1.0 if self.estimate > 0 else -1.0


def _model(cat: Catalog, m: str | Model) -> Model:
    return m if isinstance(m, Model) else cat.models[m]


def _hardware(cat: Catalog, run: Run) -> Hardware:
    if run.hardware == "mi355x_8x":
        return mi355x(cat)
    return cat.hardware[run.hardware]


def estimate(cat: Catalog, run: Run) -> tuple[float, str]:
    """The model's figure for `run` (same unit as `published`) and the layout it used."""
    hw = _hardware(cat, run)
    profile = cat.efficiency_profiles[
        cat.hardware[run.hardware if run.hardware != "mi355x_8x" else "mi325x_8x"].efficiency_profile
    ]
    model = _model(cat, run.model)
    limits = dict(run.limits)
    if run.metric == "decode_pool":
        from planner.perf.serving import decode_pool_rate

        rate, lay = decode_pool_rate(
            model,
            hw,
            profile,
            run.input_tokens,
            run.output_tokens,
            tpot_ms=limits.get("tpot_ms"),
            precision=run.precision,
            layout=run.layout,
        )
        return rate, lay
    hw = _slice(hw, run.chips)
    est = serving_estimate(
        model,
        hw,
        profile,
        run.input_tokens,
        run.output_tokens,
        precision=run.precision,
        scenario=run.scenario,
        layout=run.layout,
        tpot_ms=limits.get("tpot_ms"),
        ttft_ms=limits.get("ttft_ms"),
        max_batch=int(limits["batch"]) if "batch" in limits else None,
    )
    if not est.feasible:
        return 0.0, est.reason
    if run.metric == "itl_ms":
        return est.tpot_ms, est.layout
    if run.metric == "ttft_ms":
        return est.ttft_ms, est.layout
    return est.output_tokens_per_s_per_unit / hw.chips_per_unit, est.layout


def _trt(
    group: str,
    model: str | Model,
    hw: str,
    tp: int,
    prec: str,
    isl: int,
    osl: int,
    total: float,
    layout: str | None = None,
    split: str = "held-out",
) -> Run:
    lay = layout or f"tp={tp}"
    mid = model if isinstance(model, str) else model.id
    return Run(
        f"trt_{mid}_{hw}_{isl}_{osl}",
        group,
        split,
        model,
        hw,
        tp,
        prec,
        isl,
        osl,
        total / tp,
        TRT,
        layout=lay,
        note=f"TP{tp} {prec.upper()}, ISL/OSL {isl}/{osl}, total {total:,.0f} tok/s",
    )


def _amd(model: str, isl: int, osl: int, max_seqs: int, total: float) -> Run:
    """AMD's published vLLM throughput: one TP8 replica on 8x MI300X, `Max Num Seqs` as the batch cap; the
    figure is read as output tokens/s (vLLM benchmark_throughput), per GPU = figure / 8."""
    return Run(
        f"amd_{model}_{isl}_{osl}",
        "amd",
        "held-out",
        model,
        "mi300x_8x",
        8,
        "fp8",
        isl,
        osl,
        total / 8,
        AMDPERF,
        limits=(("batch", max_seqs),),
        layout="tp=8",
        note=f"TP8 FP8 (FP8 KV), ISL/OSL {isl}/{osl}, max_num_seqs {max_seqs}, {total:,.1f} tok/s",
    )


def _ml51(
    group: str,
    rid: str,
    model: str | Model,
    hw: str,
    prec: str,
    isl: float,
    osl: float,
    system: float,
    scenario: str = "offline",
    limits: dict | None = None,
    note: str = "",
    chips: int = 8,
    split: str = "estimated-input",
    layout: str | None = None,
) -> Run:
    return Run(
        f"ml51_{rid}",
        group,
        split,
        model,
        hw,
        chips,
        prec,
        isl,
        osl,
        system / chips,
        ML51,
        scenario,
        tuple((limits or {}).items()),
        layout,
        note or f"{scenario}, {system:,.1f} tok/s on {chips} chips",
    )


RUNS: list[Run] = [
    # --- TensorRT-LLM perf overview: offline, exact ISL/OSL, published TP (dense)
    _trt("dense_nvidia", "llama_3_1_70b", "hgx_h100", 2, "fp8", 128, 2048, 6651),
    _trt("dense_nvidia", "llama_3_1_70b", "hgx_h100", 2, "fp8", 1000, 1000, 4205),
    _trt("dense_nvidia", "llama_3_1_70b", "hgx_h100", 2, "fp8", 2048, 2048, 3082),
    _trt("dense_nvidia", "llama_3_1_70b", "hgx_h100", 2, "fp8", 5000, 500, 898),
    _trt("dense_nvidia", "llama_3_1_70b", "hgx_h200", 1, "fp8", 128, 2048, 4336),
    _trt("dense_nvidia", "llama_3_1_70b", "hgx_h200", 1, "fp8", 1000, 1000, 2909),
    _trt("dense_nvidia", "llama_3_1_70b", "hgx_h200", 1, "fp8", 2048, 2048, 2003),
    _trt("dense_nvidia", "llama_3_1_70b", "hgx_h200", 1, "fp8", 5000, 500, 566),
    _trt("dense_nvidia", "llama_3_1_8b", "hgx_h100", 1, "fp8", 1000, 1000, 15220),
    _trt("dense_nvidia", "llama_3_1_8b", "hgx_h100", 1, "fp8", 2048, 2048, 9305),
    _trt("dense_nvidia", "llama_3_1_8b", "hgx_h200", 1, "fp8", 1000, 1000, 17744),
    _trt("dense_nvidia", "llama_3_1_8b", "hgx_h200", 1, "fp8", 2048, 2048, 12194),
    _trt("dense_nvidia", "llama_3_1_405b", "hgx_h100", 8, "fp8", 1000, 1000, 2919),
    _trt("dense_nvidia", "llama_3_1_405b", "hgx_h200", 8, "fp8", 1000, 1000, 3330),
    _trt("dense_nvidia", "llama_3_1_405b", "hgx_h200", 8, "fp8", 2048, 2048, 2948),
    # --- FP4 on Blackwell (TensorRT-LLM)
    _trt("fp4", "llama_3_1_70b", "dgx_b200", 1, "fp4", 128, 2048, 9922),
    _trt("fp4", "llama_3_1_70b", "dgx_b200", 1, "fp4", 1000, 1000, 7007, split="calibration"),
    _trt("fp4", "llama_3_1_70b", "dgx_b200", 1, "fp4", 2048, 2048, 4783),
    _trt("fp4", "llama_3_1_70b", "dgx_b200", 1, "fp4", 5000, 500, 1459),
    _trt("fp4", "llama_3_1_405b", "dgx_b200", 4, "fp4", 1000, 1000, 5209),
    _trt("fp4", "llama_3_1_70b", "gb200_nvl72", 1, "fp4", 1000, 1000, 7326),
    _trt("fp4", "llama_3_1_70b", "gb200_nvl72", 1, "fp4", 2048, 2048, 5646),
    _trt("fp4", "llama_3_1_405b", "dgx_b200", 4, "fp4", 2048, 2048, 4212),
    _trt("fp4", "llama_3_1_405b", "gb200_nvl72", 4, "fp4", 1000, 1000, 5389),
    _trt("dense_nvidia", "llama_3_1_8b", "hgx_h100", 1, "fp8", 500, 2000, 17660),
    _trt("dense_nvidia", "llama_3_1_8b", "hgx_h200", 1, "fp8", 5000, 500, 3902),
    _trt("dense_nvidia", "llama_3_1_405b", "hgx_h100", 8, "fp8", 2048, 2048, 2296),
    _trt("dense_nvidia", "llama_3_1_405b", "hgx_h100", 8, "fp8", 5000, 500, 610),
    # --- MoE (TensorRT-LLM: TP8 with expert parallelism and attention data parallelism)
    _trt("moe", "qwen3_235b_a22b", "hgx_h100", 8, "fp8", 1000, 1000, 14898, "tp=8,dp_attention"),
    _trt("moe", "qwen3_235b_a22b", "hgx_h200", 8, "fp8", 1000, 1000, 23789, "tp=8,dp_attention"),
    _trt("moe", "qwen3_235b_a22b", "hgx_h200", 8, "fp8", 2048, 2048, 16672, "tp=8,dp_attention"),
    _trt("moe", "qwen3_235b_a22b", "dgx_b200", 8, "fp4", 1000, 1000, 42391, "tp=8,dp_attention"),
    _trt("moe", "qwen3_235b_a22b", "dgx_b200", 8, "fp4", 5000, 500, 8190, "tp=8,dp_attention"),
    _trt("moe", "qwen3_235b_a22b", "hgx_h100", 8, "fp8", 2048, 2048, 9924, "tp=8,dp_attention"),
    _trt("moe", QWEN3_30B, "dgx_b200", 1, "fp4", 1000, 1000, 25828),
    _trt("moe", QWEN3_30B, "dgx_b200", 1, "fp4", 2048, 2048, 17554),
    # --- MLPerf Inference v5.1 closed, Llama 2 70B (OpenOrca), NVIDIA
    _ml51(
        "dense_nvidia",
        "h200_llama2_offline",
        "llama_2_70b",
        "hgx_h200",
        "fp8",
        ORCA_IN,
        ORCA_OUT,
        34548.2,
        note="Cisco C885 8x H200, TensorRT 10.10 (5.1-0014)",
    ),
    _ml51(
        "dense_nvidia",
        "h100_llama2_offline",
        "llama_2_70b",
        "hgx_h100",
        "fp8",
        ORCA_IN,
        ORCA_OUT,
        62351.6,
        chips=16,
        note="Cisco 16x H100 (2 nodes), TensorRT 10.8 (5.1-0015)",
    ),
    _ml51(
        "latency",
        "h200_llama2_server",
        "llama_2_70b",
        "hgx_h200",
        "fp8",
        ORCA_IN,
        ORCA_OUT,
        33163.3,
        "server",
        SERVER_70B,
        "Cisco C885 8x H200 (5.1-0014), p99 TTFT 2 s, TPOT 200 ms",
    ),
    _ml51(
        "latency",
        "h200_llama2_interactive",
        "llama_2_70b",
        "hgx_h200",
        "fp8",
        ORCA_IN,
        ORCA_OUT,
        19621.9,
        "interactive",
        INTERACTIVE_70B,
        "Cisco C885 8x H200 (5.1-0014), p99 TTFT 450 ms, TPOT 40 ms",
    ),
    _ml51(
        "latency",
        "h100_llama2_server",
        "llama_2_70b",
        "hgx_h100",
        "fp8",
        ORCA_IN,
        ORCA_OUT,
        61101.3,
        "server",
        SERVER_70B,
        chips=16,
        note="Cisco 16x H100 (5.1-0015), p99 TTFT 2 s, TPOT 200 ms",
    ),
    # --- AMD ROCm performance results (vLLM, exact ISL/OSL)
    _amd("llama_3_1_70b", 128, 2048, 3200, 13818.7),
    _amd("llama_3_1_70b", 128, 4096, 1500, 11612.0),
    _amd("llama_3_1_70b", 500, 2000, 2000, 11408.7),
    _amd("llama_3_1_70b", 2048, 2048, 1500, 7800.5),
    _amd("llama_3_1_405b", 128, 2048, 1500, 4134.0),
    _amd("llama_3_1_405b", 128, 4096, 1500, 3177.6),
    _amd("llama_3_1_405b", 500, 2000, 2000, 3034.1),
    _amd("llama_3_1_405b", 2048, 2048, 500, 2214.2),
    # --- MLPerf v5.1, AMD (vLLM on ROCm)
    _ml51(
        "amd",
        "mi300x_llama2_offline",
        "llama_2_70b",
        "mi300x_8x",
        "fp8",
        ORCA_IN,
        ORCA_OUT,
        27803.9,
        note="AMD 8x MI300X, vLLM 0.9 / ROCm 6.4.1 (5.1-0001)",
    ),
    _ml51(
        "amd",
        "mi300x_llama2_server",
        "llama_2_70b",
        "mi300x_8x",
        "fp8",
        ORCA_IN,
        ORCA_OUT,
        24593.8,
        "server",
        SERVER_70B,
        "AMD 8x MI300X (5.1-0001), p99 TTFT 2 s, TPOT 200 ms",
    ),
    _ml51(
        "amd",
        "mi325x_llama2_offline",
        "llama_2_70b",
        "mi325x_8x",
        "fp8",
        ORCA_IN,
        ORCA_OUT,
        34520.4,
        note="AMD 8x MI325X, vLLM 0.9 / ROCm 6.4.1 (5.1-0002)",
    ),
    _ml51(
        "amd",
        "mi325x_llama2_server",
        "llama_2_70b",
        "mi325x_8x",
        "fp8",
        ORCA_IN,
        ORCA_OUT,
        32027.6,
        "server",
        SERVER_70B,
        "AMD 8x MI325X (5.1-0002), p99 TTFT 2 s, TPOT 200 ms",
    ),
    _ml51(
        "amd",
        "dell_mi300x_llama2_offline",
        "llama_2_70b",
        "mi300x_8x",
        "fp8",
        ORCA_IN,
        ORCA_OUT,
        27325.9,
        note="Dell XE9680 8x MI300X (5.1-0027)",
    ),
    _ml51(
        "latency",
        "mi325x_llama2_interactive",
        "llama_2_70b",
        "mi325x_8x",
        "fp8",
        ORCA_IN,
        ORCA_OUT,
        18407.2,
        "interactive",
        INTERACTIVE_70B,
        "AMD 8x MI325X (5.1-0003), p99 TTFT 450 ms, TPOT 40 ms",
    ),
    _ml51(
        "latency",
        "mi300x_llama2_interactive",
        "llama_2_70b",
        "mi300x_8x",
        "fp8",
        ORCA_IN,
        ORCA_OUT,
        8840.42,
        "interactive",
        INTERACTIVE_70B,
        "AMD 8x MI300X (5.1-0001), p99 TTFT 450 ms, TPOT 40 ms",
    ),
    _ml51(
        "fp4",
        "mi355x_llama2_offline",
        "llama_2_70b",
        "mi355x_8x",
        "mxfp4",
        ORCA_IN,
        ORCA_OUT,
        93045.8,
        note="AMD 8x MI355X, MXFP4, OPEN division (5.1-0099): the model may differ from the closed one",
    ),
    # --- MLPerf v5.1 MoE: Mixtral 8x7B and DeepSeek-R1
    _ml51(
        "moe",
        "mi300x_mixtral_offline",
        MIXTRAL,
        "mi300x_8x",
        "fp8",
        MIXTRAL_IN,
        MIXTRAL_OUT,
        53017.3,
        note="AMD 8x MI300X (5.1-0001); Mixtral inputs estimated",
    ),
    _ml51(
        "moe",
        "mi325x_mixtral_offline",
        MIXTRAL,
        "mi325x_8x",
        "fp8",
        MIXTRAL_IN,
        MIXTRAL_OUT,
        68781.4,
        note="AMD 8x MI325X (5.1-0002)",
    ),
    _ml51(
        "moe",
        "h200_mixtral_offline",
        MIXTRAL,
        "hgx_h200",
        "fp8",
        MIXTRAL_IN,
        MIXTRAL_OUT,
        61372.4,
        note="ASUS ESC N8 8x H200, TensorRT 10.11 (5.1-0007)",
    ),
    _ml51(
        "moe",
        "mi300x_mixtral_server",
        MIXTRAL,
        "mi300x_8x",
        "fp8",
        MIXTRAL_IN,
        MIXTRAL_OUT,
        47804.3,
        "server",
        SERVER_MIXTRAL,
        "AMD 8x MI300X (5.1-0001), p99 TTFT 2 s, TPOT 200 ms",
    ),
    _ml51(
        "moe",
        "b200_r1_offline",
        "deepseek_v3",
        "dgx_b200",
        "fp4",
        R1_IN,
        R1_OUT,
        33379.0,
        note="NVIDIA 8x B200, FP4, TensorRT 10.11 (5.1-0069); R1 inputs estimated",
    ),
    _ml51(
        "latency",
        "b200_r1_server",
        "deepseek_v3",
        "dgx_b200",
        "fp4",
        R1_IN,
        R1_OUT,
        18592.2,
        "server",
        SERVER_R1,
        "NVIDIA 8x B200 (5.1-0069), p99 TTFT 2 s, TPOT 80 ms",
    ),
    # --- MLPerf v5.1 FP4 on B200, Llama 2 70B
    _ml51(
        "fp4",
        "b200_llama2_offline",
        "llama_2_70b",
        "dgx_b200",
        "fp4",
        ORCA_IN,
        ORCA_OUT,
        101527.0,
        note="NVIDIA 8x B200, FP4, TensorRT 10.11 (5.1-0069), TP1 x PP1 per published config",
    ),
    _ml51(
        "latency",
        "b200_llama2_interactive",
        "llama_2_70b",
        "dgx_b200",
        "fp4",
        ORCA_IN,
        ORCA_OUT,
        59545.4,
        "interactive",
        INTERACTIVE_70B,
        "NVIDIA 8x B200 (5.1-0069), p99 TTFT 450 ms, TPOT 40 ms",
    ),
    # --- Huawei Ascend: CloudMatrix 384, DeepSeek-R1 INT8 (W8A8), disaggregated decode pool
    Run(
        "cm384_r1_decode_50ms",
        "ascend",
        "held-out",
        "deepseek_v3",
        "cloudmatrix_384",
        160,
        "int8",
        4096,
        1024,
        1943.0,
        CM,
        "server",
        (("tpot_ms", 50.0),),
        "tp=160,dp_attention",
        "decode pool, EP320 over 320 dies (160 packages), TPOT < 50 ms; context ~4K tokens assumed (E)",
        "decode_pool",
    ),
    Run(
        "cm384_r1_decode_15ms",
        "ascend",
        "held-out",
        "deepseek_v3",
        "cloudmatrix_384",
        160,
        "int8",
        4096,
        1024,
        538.0,
        CM,
        "server",
        (("tpot_ms", 15.0),),
        "tp=160,dp_attention",
        "decode pool under the strict 15 ms TPOT; context ~4K tokens assumed (E)",
        "decode_pool",
    ),
    # --- fixed-concurrency latency (calibration of decode_overhead_ms)
    Run(
        "nim_llama33_70b_c1_itl",
        "latency",
        "calibration",
        "llama_3_1_70b",
        "hgx_h100",
        2,
        "fp8",
        5000,
        500,
        18.58,
        NIM,
        "offline",
        (("batch", 1),),
        "tp=2",
        "NIM 1.8.0, 2x H100 FP8 TP2, concurrency 1: ITL 18.58 ms (the figure compared is ms, not tok/s)",
        "itl_ms",
    ),
    Run(
        "nim_llama33_70b_c25_itl",
        "latency",
        "held-out",
        "llama_3_1_70b",
        "hgx_h100",
        2,
        "fp8",
        5000,
        500,
        38.75,
        NIM,
        "offline",
        (("batch", 25),),
        "tp=2",
        "NIM 1.8.0, 2x H100 FP8 TP2, concurrency 25: ITL 38.75 ms (ms, not tok/s)",
        "itl_ms",
    ),
    Run(
        "nim_llama33_70b_c1_ttft",
        "latency",
        "held-out",
        "llama_3_1_70b",
        "hgx_h100",
        2,
        "fp8",
        5000,
        500,
        406.77,
        NIM,
        "offline",
        (("batch", 1),),
        "tp=2",
        "NIM 1.8.0, 2x H100 FP8 TP2, concurrency 1: TTFT 406.77 ms (ms, not tok/s)",
        "ttft_ms",
    ),
    Run(
        "nim_llama33_70b_c25_rate",
        "latency",
        "held-out",
        "llama_3_1_70b",
        "hgx_h100",
        2,
        "fp8",
        5000,
        500,
        623.4 / 2,
        NIM,
        "offline",
        (("batch", 25),),
        "tp=2",
        "NIM 1.8.0, 2x H100 FP8 TP2, concurrency 25: 623.4 tok/s for the pair",
    ),
]

# Published chip-generation ratios (same submitter or table, same software round): numerator / denominator run ids.
RATIOS = [
    (
        "H200/H100 Llama 3.3 70B 1000/1000 (TRT-LLM)",
        "trt_llama_3_1_70b_hgx_h200_1000_1000",
        "trt_llama_3_1_70b_hgx_h100_1000_1000",
    ),
    (
        "H200/H100 Llama 3.3 70B 2048/2048 (TRT-LLM)",
        "trt_llama_3_1_70b_hgx_h200_2048_2048",
        "trt_llama_3_1_70b_hgx_h100_2048_2048",
    ),
    (
        "H200/H100 Llama 3.1 8B 2048/2048 (TRT-LLM)",
        "trt_llama_3_1_8b_hgx_h200_2048_2048",
        "trt_llama_3_1_8b_hgx_h100_2048_2048",
    ),
    (
        "H200/H100 Llama 3.1 405B 1000/1000 (TRT-LLM)",
        "trt_llama_3_1_405b_hgx_h200_1000_1000",
        "trt_llama_3_1_405b_hgx_h100_1000_1000",
    ),
    (
        "H200/H100 Qwen3-235B 1000/1000 (TRT-LLM)",
        "trt_qwen3_235b_a22b_hgx_h200_1000_1000",
        "trt_qwen3_235b_a22b_hgx_h100_1000_1000",
    ),
    ("MI325X/MI300X Llama 2 70B offline (MLPerf v5.1)", "ml51_mi325x_llama2_offline", "ml51_mi300x_llama2_offline"),
    ("MI325X/MI300X Llama 2 70B server (MLPerf v5.1)", "ml51_mi325x_llama2_server", "ml51_mi300x_llama2_server"),
    ("MI325X/MI300X Mixtral 8x7B offline (MLPerf v5.1)", "ml51_mi325x_mixtral_offline", "ml51_mi300x_mixtral_offline"),
]


def serving_results(catalog: Catalog) -> list[RunResult]:
    """Every run with the model's estimate."""
    out = []
    for run in RUNS:
        value, layout = estimate(catalog, run)
        out.append(RunResult(run, value, layout))
    return out


def _abs_error(r: RunResult) -> float:
    return abs(r.error)


def group_stats(results: list[RunResult], split: str = "held-out") -> dict[str, dict[str, float]]:
    """Median and max absolute error (and count) per group over rows of `split`."""
    out: dict[str, dict[str, float]] = {}
    for g in GROUPS:
        errs = [_abs_error(r) for r in results if r.run.group == g and r.run.split == split]
        if errs:
            out[g] = {"median": statistics.median(errs), "max": max(errs), "n": len(errs)}
    errs = [_abs_error(r) for r in results if r.run.split == split]
    out["all"] = {"median": statistics.median(errs), "max": max(errs), "n": len(errs)}
    return out


def ratio_results(results: list[RunResult]) -> list[tuple[str, float, float]]:
    """(label, published ratio, estimated ratio) per chip-generation pair."""
    by_id = {r.run.id: r for r in results}
    out = []
    for label, num, den in RATIOS:
        a, b = by_id[num], by_id[den]
        out.append((label, a.run.published / b.run.published, a.estimate / b.estimate if b.estimate else 0.0))
    return out


def profile_bands(catalog: Catalog, results: list[RunResult]) -> dict[str, tuple[float, float, int]]:
    """Held-out median / max abs error and count per efficiency profile (the error band estimates carry)."""
    by: dict[str, list[float]] = {}
    for r in results:
        if r.run.split != "held-out":
            continue
        hw = "mi325x_8x" if r.run.hardware == "mi355x_8x" else r.run.hardware
        by.setdefault(catalog.hardware[hw].efficiency_profile, []).append(_abs_error(r))
    return {p: (round(statistics.median(e), 3), round(max(e), 3), len(e)) for p, e in sorted(by.items())}


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}"


def serving_section(catalog: Catalog) -> str:
    """The serving section of docs/validation.md."""
    results = serving_results(catalog)
    stats = group_stats(results)
    cal = group_stats(results, "calibration")
    lines = [
        "## Serving (issue 12: operator-level model)",
        "",
        "Generated by `python -m planner.perf.validation --write docs/validation.md` from "
        "`planner/perf/validation_serving.py`. Figures are output tokens/s per accelerator unless the note says "
        "ms. Kernel factors come from GEMM and bandwidth benchmarks (`catalogs/efficiency.yaml`); two factors are "
        "calibrated end to end, each on one row marked calibration: Hopper `decode_overhead_ms` (NIM concurrency 1) "
        "and Blackwell FP4 GEMM efficiency (no FP4 GEMM sweep found). No factor is set per row. `estimated-input` "
        "rows (MLPerf runs whose mean input length is not published) are listed but not counted.",
        "",
        f"Targets on held-out rows: median absolute error <= {TARGET_MEDIAN:.0%}, max <= {TARGET_MAX:.0%}; "
        f"chip-generation ratios within {RATIO_TOLERANCE:.0%} and right in sign.",
        "",
        "### Error per group (held-out rows)",
        "",
        "| group | runs | median abs error | max abs error | median target met | max target met |",
        "|---|---|---|---|---|---|",
    ]
    for g, label in [*GROUPS.items(), ("all", "all held-out rows")]:
        if g not in stats:
            continue
        s = stats[g]
        med_ok = "yes" if s["median"] <= TARGET_MEDIAN else "NO"
        max_ok = "yes" if s["max"] <= TARGET_MAX else "NO"
        lines.append(f"| {label} | {s['n']:.0f} | {s['median']:.1%} | {s['max']:.1%} | {med_ok} | {max_ok} |")
    if "all" in cal:
        lines += [
            "",
            f"Calibration rows: {cal['all']['n']:.0f}, median {cal['all']['median']:.1%}, max {cal['all']['max']:.1%}.",
        ]
    lines += ["", "### Chip-generation ratios", "", "| pair | published | model | error |", "|---|---|---|---|"]
    for label, pub, est in ratio_results(results):
        lines.append(f"| {label} | {pub:.3f} | {est:.3f} | {est / pub - 1:+.1%} |")
    lines += [
        "",
        "### Runs",
        "",
        "| run | group | split | model | hardware (chips) | precision | in/out | scenario | published | "
        "model | error | layout (model) | source | note |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        run = r.run
        m = run.model if isinstance(run.model, str) else run.model.id
        lim = ", ".join(f"{k} {v:g}" for k, v in run.limits)
        scen = run.scenario + (f" ({lim})" if lim else "")
        lines.append(
            f"| {run.id} | {run.group} | {run.split} | {m} | {run.hardware} ({run.chips}) | {run.precision} | "
            f"{run.input_tokens:g}/{run.output_tokens:g} | {scen} | {_fmt(run.published)} | {_fmt(r.estimate)} | "
            f"{r.error:+.1%} | {r.layout} | {run.source} | {run.note} |"
        )
    return "\n".join(lines) + "\n"


def bands_module(catalog: Catalog) -> str:
    """Source of planner/perf/serving_bands.py with the measured bands."""
    bands = profile_bands(catalog, serving_results(catalog))
    path = "planner/perf/serving_bands.py"
    with open(__file__.replace("validation_serving.py", "serving_bands.py"), encoding="utf-8") as f:
        text = f.read()
    head, _, rest = text.partition("BANDS: dict[str, tuple[float, float, int]] = ")
    tail = rest[rest.index("\n\n\n") :]
    body = "{\n" + "".join(f"    {p!r}: {v!r},\n" for p, v in bands.items()) + "}" if bands else "{}"
    del path
    return head + "BANDS: dict[str, tuple[float, float, int]] = " + body + tail


def checker(catalog: Catalog) -> list[str]:
    """Problems with the serving validation against its targets (empty when all are met)."""
    results = serving_results(catalog)
    problems = []
    for g, s in group_stats(results).items():
        if s["median"] > TARGET_MEDIAN:
            problems.append(f"{g}: median {s['median']:.1%} > {TARGET_MEDIAN:.0%}")
        if s["max"] > TARGET_MAX:
            problems.append(f"{g}: max {s['max']:.1%} > {TARGET_MAX:.0%}")
    for label, pub, est in ratio_results(results):
        if (est - 1) * (pub - 1) < 0 or abs(est / pub - 1) > RATIO_TOLERANCE:
            problems.append(f"ratio {label}: model {est:.3f} vs published {pub:.3f}")
    return problems


Estimator = Callable[[Catalog, Run], tuple[float, str]]
