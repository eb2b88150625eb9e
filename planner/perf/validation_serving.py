"""Published serving runs against the serving model (planner/perf/serving.py), without per-run fitting.

Every row gives the exact inputs of the run (model, hardware, chips, precision, input/output tokens, scenario
and its latency limits, the published layout where the source states it) and the published figure, in output
tokens/s per accelerator (or the ms / s its metric says). Rows are `calibration` (the few runs that set an
end-to-end factor: the Hopper and ROCm per-step host overheads, Blackwell FP4 GEMM efficiency; every other kernel
factor comes from GEMM, bandwidth and collective benchmarks), `held-out`, or `not-comparable` (a published figure
that cannot check the model, with the reason in `why_not_comparable`), reported but not counted against the
targets. MLPerf rows take their request lengths from the data sets (mean lengths and the spread, `LENGTH_MIX`) and
their engine settings from the submission (`ML51_ENGINE`, `ML41_ENGINE`). Rows carry their benchmark round
(`ROUNDS`), so the error of each round is shown apart. Groups follow issue 12. `serving_section(catalog)` renders
the section of docs/validation.md.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, replace

from planner.catalog import Catalog
from planner.perf import published_trt021 as trt021
from planner.perf import published_trt_latest as trt_latest
from planner.perf.examples import make_model
from planner.perf.published_models import LLAMA4_MAVERICK, LLAMA4_SCOUT, MIXTRAL_8X22B, QWEN3_30B
from planner.perf.published_trt10 import LENGTHS, TABLES
from planner.perf.serving import serving_estimate
from planner.schema.catalog import Hardware, Model

TARGET_MEDIAN = 0.10
TARGET_MAX = 0.25
RATIO_TOLERANCE = 0.10
RATIO_SIGN_MIN = 0.05  # a published ratio within this of 1 has no sign to get right (e.g. both host-bound)
GROUPS = {
    "dense_nvidia": "offline maximum throughput, dense models, NVIDIA",
    "amd": "offline and server scenario, AMD MI300X/MI325X/MI355X",
    "moe": "MoE models (Qwen3-235B, Llama 4, Mixtral, DeepSeek-R1)",
    "latency": "latency-bound (server/interactive, p99 limits; fixed-concurrency latency)",
    "fp4": "FP4 runs on Blackwell and CDNA4",
    "ascend": "Huawei Ascend (CloudMatrix 384, disaggregated decode pool)",
}

TRT = (
    "NVIDIA/TensorRT-LLM docs/source/performance/perf-overview.md (commit 00f3768, v1.0, trtllm-bench, PyTorch backend)"
)
TRT017 = (
    "NVIDIA/TensorRT-LLM docs/source/performance/perf-overview.md (commit 258c754, v0.17, trtllm-bench, TensorRT "
    "engines, FP8 with FP8 KV cache)"
)
TRTL = (
    "NVIDIA/TensorRT-LLM docs/source/developer-guide/perf-overview.md (commit 03e27c7, after v1.0, trtllm-bench, "
    "PyTorch backend, layout per column: TPn or DEPn = attention DP + expert parallel)"
)
TRT021 = (
    "NVIDIA/TensorRT-LLM 0.21.0/_sources/performance/perf-overview.md.txt (commit b8e38f9, v0.21, trtllm-bench, "
    "PyTorch backend; Llama 4 Maverick at v0.20 as the table notes)"
)
ML51 = "mlcommons/inference_results_v5.1 summary_results.json"
TRTR1 = (
    "NVIDIA/TensorRT-LLM docs/source/blogs/Best_perf_practice_on_DeepSeek-R1_in_TensorRT-LLM.md (max-throughput "
    "sections, trtllm-bench at commit b626186, synthetic 1,024/2,048 tokens, no MTP)"
)
CM_WHY = (
    "the decode figures are with multi-token prediction (MTP speculative decoding: more than one token per step, "
    "recollection of the paper, U), which the model does not express; the KV length per request is not published"
)
QWEN30B_WHY = (
    "host-bound figure: the same table gives GB200 (same FP4 peak and HBM bandwidth as B200, more HBM) 32 % "
    "(1000/1000) and 16 % (2048/2048) less than B200 for this 3B-active model, while Llama 3.3 70B gains 5-18 % on "
    "GB200; the figure is set by the host runtime (Grace vs x86, PyTorch backend), which the accelerator model does "
    "not express"
)
TRT_MOE_NOTE = "layout per the table header (attention DP not established, see the MoE note)"
# v4.1 publishes no summary table in its results repo: each row reads its own submission's
# closed/<submitter>/results/<system>/<benchmark>/<scenario>/performance/run_1/mlperf_log_summary.txt.
ML41 = "mlcommons/inference_results_v4.1 mlperf_log_summary.txt (performance run_1)"
# v5.0 (2025-04): the same files, read from the mirror ntuhpc/mlperf_inference_results_v5.0 (commit cf35411) of
# mlcommons/inference_results_v5.0; a round between v4.1 and v5.1 that nothing is calibrated on.
ML50 = "mlcommons/inference_results_v5.0 mlperf_log_summary.txt (performance run_1; mirror ntuhpc, cf35411)"
CM = "Huawei, 'Serving Large Language Models on Huawei CloudMatrix384', arXiv 2506.12708 (v2)"
NIM = "NVIDIA NIM benchmarking, docs.nvidia.com/nim/benchmarking/llm/1.0.0/performance.md"
AMDPERF = (
    "AMD ROCm performance results, amd.com/en/developer/resources/rocm-hub/dev-ai/performance-results.html "
    "(vLLM throughput, rocm6.4.1_vllm_0.10.1_20250909, 8x MI300X 750 W, TP8)"
)
AMDLAT_0715 = (
    "AMD ROCm performance results (vLLM latency, rocm6.4.1_vllm_0.9.1_20250715, 8x MI300X 750 W, TP8, "
    "vllm benchmark_latency)"
)
AMDLAT_1006 = (
    "AMD ROCm performance results (vLLM latency, rocm7.0.0_vllm_0.10.2_20251006, 8x MI300X 750 W, TP8, "
    "vllm benchmark_latency)"
)
# Benchmark rounds, for the per-round table (oldest first).
ROUNDS = {
    ML41: "MLPerf Inference v4.1 (2024-08)",
    ML50: "MLPerf Inference v5.0 (2025-04)",
    TRT017: "TensorRT-LLM v0.17 perf overview (2025-02, TensorRT engines)",
    NIM: "NVIDIA NIM 1.8.0 benchmarking (2025)",
    TRT021: "TensorRT-LLM v0.21 perf overview (2025, PyTorch backend)",
    TRT: "TensorRT-LLM v1.0 perf overview (2025-09, PyTorch backend)",
    TRTR1: "TensorRT-LLM DeepSeek-R1 best-practice guide (2025, max throughput)",
    TRTL: "TensorRT-LLM perf overview after v1.0 (developer guide, stated TP/DEP layouts)",
    AMDLAT_0715: "AMD ROCm performance results, vLLM docker 2025-07-15 (latency)",
    AMDPERF: "AMD ROCm performance results, vLLM docker 2025-09-09",
    AMDLAT_1006: "AMD ROCm performance results, vLLM docker 2025-10-06 (latency)",
    ML51: "MLPerf Inference v5.1 (2025-09)",
    CM: "Huawei CloudMatrix384 paper (2025-06)",
}
# MLPerf workloads: output means from the accuracy logs' TOKENS_PER_SAMPLE (v5.1 summary_results.json); latency
# limits from mlperf.conf (closed/AMD/measurements/.../mlperf.conf in the v5.1 repo). Input means and the spread of
# lengths from the per-sample token lengths of the official data set pickles (MLPERF_LENGTHS): OpenOrca 24,576
# samples, mean input 222.3 (was an unverified recollection, 191); Mixtral 15,000 samples, 427.4 (was an estimate,
# 350); DeepSeek-R1 4,388 samples, 803.8 (was 800). The mix is given as output-token-weighted means
# (E[in*out]/E[out], E[out^2]/E[out]): inputs from the data set, outputs the generated mean times the reference
# answers' E[out^2]/E[out]^2 (1.620, 1.606, 2.569), i.e. the generated answers assumed to spread as the reference
# answers do (their lengths are not published per sample).
MLPERF_LENGTHS = (
    "openshift-psap/performance-dashboard mlperf-data/summaries/{llama2-70b-99,mixtral-8x7b,deepseek-r1}.csv "
    "(commit 7100702, 2026-07; input_length, output_length per sample of the MLCommons pickles)"
)
ORCA_IN, ORCA_OUT = 222.3, 301.1
MIXTRAL_IN, MIXTRAL_OUT = 427.4, 143.7
R1_IN, R1_OUT = 803.8, 3692.7
# E[out^2]/E[out]^2 of each data set's reference answers (the spread the generated answers are assumed to share)
OUT_SPREAD = {ORCA_IN: 1.620, MIXTRAL_IN: 1.606, R1_IN: 2.569}
LENGTH_MIX = {
    ORCA_IN: (199.5, OUT_SPREAD[ORCA_IN] * ORCA_OUT),
    MIXTRAL_IN: (438.6, OUT_SPREAD[MIXTRAL_IN] * MIXTRAL_OUT),
    R1_IN: (632.2, OUT_SPREAD[R1_IN] * R1_OUT),
}
# The engine settings of each MLPerf v5.1 submission, from its own configuration in mlcommons/inference_results_v5.1
# (closed/<submitter>/configs/<system>/<scenario>/<benchmark>.py for TensorRT-LLM: tensor/pipeline parallelism,
# gpu_batch_size and max_num_tokens, the batch being at most the smaller; closed/AMD|Dell/code/<benchmark>/harness_llm/
# models/<benchmark>/<scenario>_<gpu>.yaml for vLLM: tensor_parallel_size, VLLM_LLAMA2_MLPERF_MAX_TARGET_DECODE_BATCH
# or max_num_seqs). The model times the published layout at the published batch cap instead of choosing its own.
ML51_ENGINE: dict[str, tuple[str, int, str]] = {
    "h200_llama2_offline": (
        "tp=1",
        1536,
        "Cisco C885_H200x8 Offline: TP1 PP1, gpu_batch_size 2048, max_num_tokens 1536",
    ),
    "h200_llama2_server": ("tp=1", 1536, "Cisco C885_H200x8 Server: TP1 PP1, gpu_batch_size 2048, max_num_tokens 1536"),
    "h200_llama2_interactive": (
        "tp=1",
        256,
        "Cisco C885_H200x8 Interactive: TP1 PP1, gpu_batch_size 512, max_num_tokens 256",
    ),
    "mi300x_llama2_offline": ("tp=1", 1536, "AMD offline_mi300x.yaml: TP1, target decode batch <= 1536"),
    "mi300x_llama2_server": ("tp=1", 608, "AMD server_mi300x.yaml: TP1, target decode batch <= 608"),
    "mi300x_llama2_interactive": ("tp=1", 600, "AMD interactive_mi300x.yaml: TP1, max_num_seqs 600"),
    "mi325x_llama2_offline": ("tp=1", 2048, "AMD offline_mi325x.yaml: TP1, target decode batch 2048"),
    "mi325x_llama2_server": ("tp=1", 832, "AMD server_mi325x.yaml: TP1, target decode batch <= 832"),
    "mi325x_llama2_interactive": ("tp=1", 2048, "AMD interactive_mi325x.yaml: TP1, target decode batch <= 2048"),
    "dell_mi300x_llama2_offline": ("tp=1", 1536, "Dell offline_mi300x.yaml: TP1, target decode batch <= 1536"),
    "mi355x_llama2_offline": (
        "tp=1",
        3450,
        "AMD open offline_mi355x.yaml: TP1, max_num_seqs 3450, the full model quantised W-MXFP4 A-MXFP4 KV-FP8 (GPTQ)",
    ),
    "mi300x_mixtral_offline": (
        "tp=1",
        4096,
        "AMD mixtral offline_mi300x.yaml: TP1, max_num_seqs 5000 (model cap 4096)",
    ),
    "mi325x_mixtral_offline": (
        "tp=1",
        4096,
        "AMD mixtral offline_mi325x.yaml: TP1, max_num_seqs 4736 (model cap 4096)",
    ),
    "mi300x_mixtral_server": ("tp=1", 4096, "AMD mixtral server_mi300x.yaml: TP1, max_num_seqs 4096"),
    "h200_mixtral_offline": ("tp=1", 3072, "ASUSTeK ESC_N8_H200 Offline: TP1 PP1, gpu_batch_size 3072"),
    "b200_llama2_offline": ("tp=1", 2048, "NVIDIA B200-SXM-180GBx8 Offline: TP1 PP1, gpu_batch_size 2048"),
    "b200_llama2_interactive": (
        "tp=1",
        768,
        "NVIDIA B200-SXM-180GBx8 Interactive: TP1 PP1, gpu_batch_size 768, max_num_tokens 768",
    ),
    "b200_r1_offline": (
        "tp=8,dp_attention",
        4096,
        "NVIDIA B200-SXM-180GBx8 deepseek-r1 Offline: attention DP, CUDA graphs to 512 sequences per rank",
    ),
    "b200_r1_server": (
        "tp=8,dp_attention",
        4096,
        "NVIDIA B200-SXM-180GBx8 deepseek-r1 Server: attention DP, CUDA graphs to 512 sequences per rank",
    ),
}
# The engine settings of each MLPerf v4.1 submission, from mlcommons/inference_results_v4.1. NVIDIA (TensorRT-LLM,
# TensorRT 10.2): closed/NVIDIA/configs/<benchmark>/<scenario>/__init__.py, the class registered for the system's
# KnownSystem (H100_SXM_80GBx8 for DGX-H100_H100-SXM-80GBx8_TRT, H200_SXM_141GBx8 for H200-SXM-141GBx8_TRT), with
# max_num_tokens from configs/<benchmark>/__init__.py unless the class sets it; gpu_batch_size is per engine (one
# per TP group), the batch being at most the smaller of it and max_num_tokens. AMD (vLLM 0.4.3 on ROCm 6.1.2):
# closed/AMD/code/llama2-70b-99/test_VllmFp8/test_VllmFp8_{Offline,SyncServer}_perf.sh (TP=1, DP=8) and the
# max_num_seqs that mainVllmFp8_{Offline,SyncServer}.py then applies (no --max-num-seqs on the command line).
ML41_ENGINE: dict[str, tuple[str, int, str]] = {
    "h100_llama2_offline": (
        "tp=2",
        896,
        "configs/llama2-70b/Offline H100_SXM_80GB_TP2x4: TP2 PP1 (4 engines), gpu_batch_size 896, max_num_tokens 4096",
    ),
    "h100_llama2_server": (
        "tp=2",
        1024,
        "configs/llama2-70b/Server H100_SXM_80GB_TP2x4: TP2 PP1 (4 engines), gpu_batch_size 1024, max_num_tokens 4096",
    ),
    "h200_llama2_offline": (
        "tp=1",
        806,
        "configs/llama2-70b/Offline H200_SXM_141GBx8: TP1 PP1, gpu_batch_size 806, max_num_tokens 4096",
    ),
    "h200_llama2_server": (
        "tp=1",
        896,
        "configs/llama2-70b/Server H200_SXM_141GBx8: TP1 PP1, gpu_batch_size 896, max_num_tokens 4096",
    ),
    "h100_mixtral_offline": (
        "tp=1",
        896,
        "configs/mixtral-8x7b/Offline H100_SXM_80GBx8: TP1 PP1, gpu_batch_size 896, max_num_tokens 8192",
    ),
    "h100_mixtral_server": (
        "tp=1",
        896,
        "configs/mixtral-8x7b/Server H100_SXM_80GBx8: TP1 PP1, gpu_batch_size 896, max_num_tokens 16384",
    ),
    "h200_mixtral_offline": (
        "tp=1",
        3072,
        "configs/mixtral-8x7b/Offline H200_SXM_141GBx8: TP1 PP1, gpu_batch_size 3072, max_num_tokens 16384",
    ),
    "h200_mixtral_server": (
        "tp=1",
        1200,
        "configs/mixtral-8x7b/Server H200_SXM_141GBx8: TP1 PP1, gpu_batch_size 1200, max_num_tokens 8192",
    ),
    "mi300x_llama2_offline": (
        "tp=1",
        2048,
        "AMD test_VllmFp8_Offline_perf.sh: TP1 DP8, max_num_seqs 2048 (mainVllmFp8_Offline.py default), "
        "max_num_batched_tokens 65536",
    ),
    "mi300x_llama2_server": (
        "tp=1",
        1024,
        "AMD test_VllmFp8_SyncServer_perf.sh: TP1 DP8, max_num_seqs 1024 (mainVllmFp8_SyncServer.py default), "
        "max_num_batched_tokens 49152",
    ),
}
# The engine settings of each MLPerf v5.0 submission (mirror ntuhpc/mlperf_inference_results_v5.0, cf35411).
# NVIDIA's own per-scenario TensorRT-LLM configs are not in the mirror: their settings are read from the copies of
# NVIDIA's config code that other submitters ship (closed/{Cisco,Lenovo,Broadcom_Supermicro}/configs/<benchmark>/
# <Scenario>/__init__.py), the class whose target QPS equals the run's printed target_qps; the batch is at most
# the smaller of gpu_batch_size and max_num_tokens. AMD (vLLM): tensor_parallel_size 1 with data_parallel_size 8,
# max_num_seqs and the decode-batch target from the ASUSTeK and Cisco copies of AMD's harness yaml.
ML50_ENGINE: dict[str, tuple[str, int, str]] = {
    "b200_llama2_offline": (
        "tp=1",
        2048,
        "B200-SXM-180GBx8 Offline: TP1 PP1, gpu_batch_size 2048, max_num_tokens 3584",
    ),
    "b200_llama2_server": ("tp=1", 2048, "B200-SXM-180GBx8 Server: TP1 PP1, gpu_batch_size 2048, max_num_tokens 3584"),
    "b200_llama2_interactive": (
        "tp=1",
        768,
        "B200-SXM-180GBx8 Interactive: TP1 PP1, gpu_batch_size 768, max_num_tokens 768",
    ),
    "b200_mixtral_offline": ("tp=1", 6144, "B200-SXM-180GBx8 mixtral Offline: TP1 PP1, gpu_batch_size 6144"),
    "b200_mixtral_server": (
        "tp=1",
        6144,
        "B200-SXM-180GBx8 mixtral Server: TP1 PP1, gpu_batch_size 6144, runtime max_num_tokens 10240",
    ),
    "h200_llama2_offline": (
        "tp=1",
        1536,
        "H200-SXM-141GBx8 Offline: TP1 PP1, gpu_batch_size 2048, max_num_tokens 1536",
    ),
    "h200_llama2_server": ("tp=1", 1536, "H200-SXM-141GBx8 Server: TP1 PP1, gpu_batch_size 2048, max_num_tokens 1536"),
    "h200_llama2_interactive": (
        "tp=1",
        256,
        "H200-SXM-141GBx8 Interactive: TP1 PP1, gpu_batch_size 512, max_num_tokens 256",
    ),
    "h200_mixtral_offline": ("tp=1", 3072, "H200-SXM-141GBx8 mixtral Offline: TP1 PP1, gpu_batch_size 3072"),
    "h200_mixtral_server": (
        "tp=1",
        3072,
        "H200-SXM-141GBx8 mixtral Server: TP1 PP1, gpu_batch_size 3072, max_num_tokens 8192",
    ),
    "h100_llama2_offline": ("tp=1,pp=2", 1024, "DGX-H100 Offline: TP1 PP2, gpu_batch_size 1024, max_num_tokens 1024"),
    "h100_llama2_server": ("tp=1,pp=2", 1024, "DGX-H100 Server: TP1 PP2, gpu_batch_size 1024, max_num_tokens 1024"),
    "cisco_h100_llama2_server": (
        "tp=2",
        2048,
        "Cisco C885A H100 Server: TP2 PP1, gpu_batch_size 2048, max_num_tokens 2048 (the base class's)",
    ),
    "cisco_h100_mixtral_offline": (
        "tp=1",
        896,
        "Cisco C885A H100 mixtral Offline: TP1 PP1, gpu_batch_size 896, max_num_tokens 8192",
    ),
    "cisco_h100_mixtral_server": ("tp=1", 896, "Cisco C885A H100 mixtral Server: TP1 PP1, gpu_batch_size 896"),
    "mi325x_llama2_offline": ("tp=1", 2700, "AMD offline_mi325x.yaml (Cisco copy): TP1 DP8, max_num_seqs 2700"),
    "mi325x_llama2_server": (
        "tp=1",
        832,
        "AMD server_mi325x.yaml (ASUSTeK copy): TP1 DP8, max_num_seqs 1024, target decode batch <= 832",
    ),
}
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
    split: str  # calibration | held-out | not-comparable
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
    metric: str = "throughput"  # throughput | decode_pool | itl_ms | ttft_ms | latency_s
    why_not_comparable: str = ""  # split "not-comparable": what makes the published figure unusable as a check
    length_mix: tuple[float, float] | None = None  # a data set's output-token-weighted mean lengths (in, out)


@dataclass(frozen=True)
class RunResult:
    run: Run
    estimate: float
    layout: str

    @property
    def error(self) -> float:
        return self.estimate / self.run.published - 1.0 if self.estimate > 0 else -1.0


def _run_hardware(catalog: Catalog, run: Run):
    """The hardware a run's published figure was measured on (its chips of the unit) and that hardware's profile."""
    hw = _slice(_hardware(catalog, run), run.chips)
    return hw, catalog.efficiency_profiles[hw.efficiency_profile]


def _model(cat: Catalog, m: str | Model) -> Model:
    return m if isinstance(m, Model) else cat.models[m]


def _model_key(model: str | Model) -> str:
    return model if isinstance(model, str) else model.id


def _hardware(cat: Catalog, run: Run) -> Hardware:
    return cat.hardware[run.hardware]


def estimate(cat: Catalog, run: Run, profile_update: dict | None = None) -> tuple[float, str]:
    """The model's figure for `run` (same unit as `published`) and the layout it used; `profile_update` changes
    the hardware's efficiency profile (what-if checks)."""
    hw = _hardware(cat, run)
    profile = cat.efficiency_profiles[hw.efficiency_profile]
    if profile_update:
        profile = profile.model_copy(update=profile_update)
    model = _model(cat, run.model)
    limits = dict(run.limits)
    if run.scenario == "one_wave":  # the benchmark's own procedure: one wave of max_num_seqs prompts (vLLM)
        from planner.perf.serving import pinned_replica
        from planner.perf.wave import VLLM_TOKENS_PER_STEP, one_wave

        r = pinned_replica(
            model,
            _slice(hw, run.chips),
            profile,
            run.input_tokens,
            run.output_tokens,
            precision=run.precision,
            layout=run.layout or "tp=1",
        )
        n = int(limits["batch"])
        return one_wave(r, n, n, VLLM_TOKENS_PER_STEP).output_tokens_per_s / r.chips, r.layout.label
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
        length_mix=run.length_mix,
    )
    if not est.feasible:
        return 0.0, est.reason
    if run.metric == "itl_ms":
        return est.tpot_ms, est.layout
    if run.metric == "ttft_ms":
        return est.ttft_ms, est.layout
    if run.metric == "latency_s":  # one batch generated end to end (vLLM benchmark_latency)
        return (est.ttft_ms + (run.output_tokens - 1) * est.tpot_ms) / 1e3, est.layout
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
    extra: str = "",
    why: str = "",
    source: str = TRT,
    prefix: str = "trt",
) -> Run:
    """A TensorRT-LLM perf-overview cell: the table's total output tokens/s of the TP group, per GPU."""
    lay = layout or f"tp={tp}"
    mid = _model_key(model)
    return Run(
        f"{prefix}_{mid}_{hw}_{isl}_{osl}",
        group,
        split,
        model,
        hw,
        tp,
        prec,
        isl,
        osl,
        total / tp,
        source,
        layout=lay,
        note=f"TP{tp} {prec.upper()}, ISL/OSL {isl}/{osl}, total {total:,.0f} tok/s" + (f"; {extra}" if extra else ""),
        why_not_comparable=why,
    )


TRT10_MODELS: dict[str, str | Model] = {
    "llama_3_1_70b": "llama_3_1_70b",
    "llama_3_1_405b": "llama_3_1_405b",
    "llama_3_1_8b": "llama_3_1_8b",
    "qwen3_235b_a22b": "qwen3_235b_a22b",
    "qwen3_30b_a3b": QWEN3_30B,
    "llama_4_scout": LLAMA4_SCOUT,
    "llama_4_maverick": LLAMA4_MAVERICK,
}
TRT10_CALIBRATION = "trt_llama_3_1_70b_dgx_b200_1000_1000"  # sets Blackwell FP4 GEMM efficiency
L4_CHUNK_WHY = (
    "Llama 4 attends within 8,192-token chunks on three layers in four (attention_chunk_size), which the step "
    "model does not express: beyond 8,192 tokens of context it would time full attention"
)
QWEN30B_LATEST_WHY = (
    "host-bound figure, as in the v1.0 round: in this table too GB200 (same FP4 peak and HBM bandwidth as B200, "
    "more HBM) is 15 % below B200 at 1000/1000 for this 3B-active model"
)
TRTL_MODELS: dict[str, str | Model] = {
    "deepseek_r1": "deepseek_v3",
    "llama_3_3_70b": "llama_3_1_70b",
    "llama_4_maverick": LLAMA4_MAVERICK,
    "qwen3_235b_a22b": "qwen3_235b_a22b",
    "qwen3_30b_a3b": QWEN3_30B,
}


TRT021_MODELS: dict[str, str | Model] = {
    "llama_3_3_70b_fp4": "llama_3_1_70b",
    "llama_3_1_405b_fp4": "llama_3_1_405b",
    "llama_3_1_8b": "llama_3_1_8b",
    "llama_3_3_70b_fp8": "llama_3_1_70b",
    "llama_3_1_405b_fp8": "llama_3_1_405b",
    "llama_4_maverick": LLAMA4_MAVERICK,
}
TRT021_MOE_NOTE = "MoE tensor-parallel in the engine (no --ep in the v0.21 command), timed as expert-parallel"


def _trt021_runs() -> list[Run]:
    """One run per filled cell of the v0.21 tables (Llama 4 Maverick at v0.20), TP as published."""
    runs = []
    for key, (columns, rows) in trt021.TABLES.items():
        model = TRT021_MODELS[key]
        moe = key == "llama_4_maverick"
        for (isl, osl), figures in zip(trt021.LENGTHS, rows, strict=True):
            for (hw, tp, prec), total in zip(columns, figures, strict=True):
                if total is None:
                    continue
                split, why = _table_split(model, isl, osl, columns, figures, hw, tp)
                extra = TRT021_MOE_NOTE if moe else ""
                run = _trt(
                    _group(moe, prec),
                    model,
                    hw,
                    tp,
                    prec,
                    isl,
                    osl,
                    total,
                    split=split,
                    extra=extra,
                    why=why,
                    source=TRT021,
                    prefix="trt021",
                )
                runs.append(run)
    return runs


def _trt_latest_runs() -> list[Run]:
    """One run per filled cell of the later round's tables, at the column's published layout (per-GPU figures)."""
    runs = []
    for key, (columns, rows) in trt_latest.TABLES.items():
        model = TRTL_MODELS[key]
        moe = key != "llama_3_3_70b"
        for (isl, osl), figures in zip(trt_latest.LENGTHS, rows, strict=True):
            for (hw, gpus, kind, prec), per_gpu in zip(columns, figures, strict=True):
                if per_gpu is None:
                    continue
                group = _group(moe, prec)
                split, why = _table_split(model, isl, osl, columns, figures, hw, gpus, host_bound=QWEN30B_LATEST_WHY)
                dep = kind == "dep"
                runs.append(
                    Run(
                        f"trtl_{_model_key(model)}_{hw}_{isl}_{osl}",
                        group,
                        split,
                        model,
                        hw,
                        gpus,
                        prec,
                        isl,
                        osl,
                        float(per_gpu),
                        TRTL,
                        layout=f"tp={gpus},dp_attention" if dep else f"tp={gpus}",
                        note=f"{kind.upper()}{gpus} {prec.upper()}, ISL/OSL {isl}/{osl}, {per_gpu:,} tok/s/GPU",
                        why_not_comparable=why,
                    )
                )
    return runs


GB200_HOST_WHY = (
    "host-bound figure: GB200 (the B200 chip with the same FP4 peak and HBM bandwidth, more HBM, NVLink 72) reads "
    "more than 10 % below the same table's B200 at the same layout and lengths, which only the host side (Grace vs "
    "x86, the PyTorch runtime) can cause; the accelerator model does not express it"
)


def _gb200_below_b200(columns, figures, hw: str, tp: int) -> bool:
    """A GB200 cell more than 10 % below the B200 cell of the same row and TP (a host-bound figure)."""
    if hw != "gb200_nvl72":
        return False
    cells = {(col[0], col[1]): f for col, f in zip(columns, figures, strict=True)}
    b200, gb200 = cells.get(("dgx_b200", tp)), cells.get((hw, tp))
    return b200 is not None and gb200 is not None and gb200 < 0.9 * b200


def _group(moe: bool, precision: str) -> str:
    """Validation group of a TensorRT-LLM table cell."""
    return "moe" if moe else ("fp4" if precision == "fp4" else "dense_nvidia")


def _table_split(
    model: str | Model, isl: int, osl: int, columns, figures, hw: str, gpus: int, host_bound: str = ""
) -> tuple[str, str]:
    """Split and reason of one cell of a TensorRT-LLM table, the same rules for every round: Qwen3-30B is host-bound
    (`host_bound` gives that round's evidence); Llama 4 beyond its 8,192-token attention chunk is not expressed; a
    GB200 cell far below the same row's B200 cell is host-bound."""
    if _model_key(model) == "qwen3_30b_a3b" and host_bound:
        return "not-comparable", host_bound
    if _model_key(model).startswith("llama4_") and isl + osl > 8192:
        return "not-comparable", L4_CHUNK_WHY
    if _gb200_below_b200(columns, figures, hw, gpus):
        return "not-comparable", GB200_HOST_WHY
    return "held-out", ""


def _trt10_runs() -> list[Run]:
    """One run per filled cell of the v1.0 tables, the table header's TP as the layout.

    MoE rows: the header gives TP8 only. The MoE recipe's YAML nests `enable_attention_dp` under
    `cuda_graph_config`, a strict model (extra fields forbidden) with no such field, so the printed recipe cannot be
    the one that ran and attention data parallelism is not established: the header's TP is used (attention
    tensor-parallel, experts over the GPUs). docs/validation.md shows the other reading.
    """
    runs = []
    for key, (columns, rows) in TABLES.items():
        model = TRT10_MODELS[key]
        moe = key.startswith(("qwen3", "llama_4"))
        for (isl, osl), figures in zip(LENGTHS, rows, strict=True):
            for (hw, tp, prec), total in zip(columns, figures, strict=True):
                if total is None:
                    continue
                group = _group(moe, prec)
                split, why = _table_split(model, isl, osl, columns, figures, hw, tp, host_bound=QWEN30B_WHY)
                extra = TRT_MOE_NOTE if moe else ""
                run = _trt(group, model, hw, tp, prec, isl, osl, total, split=split, extra=extra, why=why)
                runs.append(replace(run, split="calibration") if run.id == TRT10_CALIBRATION else run)
    return runs


def _trt017(group: str, model: str | Model, hw: str, tp: int, isl: int, osl: int, total: float) -> Run:
    """TensorRT-LLM v0.17 perf overview row (earlier round): FP8, TP as published, offline maximum throughput;
    the table's "token throughput" is output tokens/s (its example: 3,000 x 128 output tokens / 16.4 s)."""
    mid = _model_key(model)
    return Run(
        f"trt017_{mid}_{hw}_tp{tp}_{isl}_{osl}",
        group,
        "held-out",
        model,
        hw,
        tp,
        "fp8",
        isl,
        osl,
        total / tp,
        TRT017,
        layout=f"tp={tp}",
        note=f"v0.17 TP{tp} FP8, ISL/OSL {isl}/{osl}, total {total:,.2f} tok/s",
    )


def _trtr1(tag: str, hw: str, prec: str, batch_per_rank: int, total: float, note: str) -> Run:
    """DeepSeek-R1 in TensorRT-LLM's best-practice guide: 8 GPUs, TP8 EP8 with attention DP, 1,024/2,048 tokens."""
    return Run(
        f"trtr1_{tag}",
        "moe",
        "held-out",
        "deepseek_v3",
        hw,
        8,
        prec,
        1024,
        2048,
        total / 8,
        TRTR1,
        limits=(("batch", batch_per_rank),),
        layout="tp=8,dp_attention",
        note=f"{note}; total {total:,.1f} tok/s",
    )


def _amd(model: str, isl: int, osl: int, max_seqs: int, total: float) -> Run:
    """AMD's published vLLM throughput: one TP8 replica on 8x MI300X, `No. Prompts` = `Max. Seqs` prompts submitted
    at once and timed as one wave (scenario one_wave: vLLM admits on the cache in use and preempts by recomputation);
    the figure is read as output tokens/s (vLLM benchmark_throughput), per GPU = figure / 8."""
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
        "one_wave",
        limits=(("batch", max_seqs),),
        layout="tp=8",
        note=f"TP8 FP8 (FP8 KV), ISL/OSL {isl}/{osl}, {max_seqs} prompts = max_num_seqs, {total:,.1f} tok/s",
    )


def _amd_latency(source: str, tag: str, batch: int, seconds: float, split: str = "held-out") -> Run:
    """AMD's published vLLM latency: one batch of `batch` prompts of 128 tokens generating 2,048 each, TP8 FP8."""
    return Run(
        f"amdlat_{tag}_llama_3_1_70b_b{batch}",
        "latency",
        split,
        "llama_3_1_70b",
        "mi300x_8x",
        8,
        "fp8",
        128,
        2048,
        seconds,
        source,
        "offline",
        (("batch", batch),),
        "tp=8",
        f"batch {batch}, 128/2048: {seconds} s for the batch (the figure compared is seconds, not tok/s)",
        "latency_s",
    )


def _as_published(
    engine: tuple[str, int, str] | None, layout: str | None, limits: dict | None, note: str
) -> tuple[str | None, dict | None, str]:
    """A submission's layout and batch cap as its engine configuration states them (an MLPerf `*_ENGINE` entry)."""
    if engine is None:
        return layout, limits, note
    lay, batch, where = engine
    note = f"{note}; engine as published: {lay}, batch <= {batch} ({where})"
    return layout or lay, {**(limits or {}), "batch": batch}, note


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
    split: str = "held-out",
    layout: str | None = None,
    why: str = "",
) -> Run:
    layout, limits, note = _as_published(ML51_ENGINE.get(rid), layout, limits, note)
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
        why_not_comparable=why,
        length_mix=LENGTH_MIX.get(isl),
    )


def _ml41(
    group: str,
    rid: str,
    model: str | Model,
    hw: str,
    isl: float,
    system: float,
    samples: float,
    path: str,
    scenario: str = "offline",
    limits: dict | None = None,
    note: str = "",
    prec: str = "fp8",
    source: str = ML41,
) -> Run:
    """MLPerf v4.1 row (or v5.0 with `source=ML50`), 8 chips, FP8 unless `prec` says otherwise: `system` tokens/s
    and `samples` samples/s of the performance run's mlperf_log_summary.txt at `path`; the generated output mean is
    their quotient (the run's own answers, within 0.3 % of its accuracy log's tokens_per_sample), its spread that
    of the data set's reference answers (OUT_SPREAD). Layout and batch cap as in the submission's engine
    configuration (ML41_ENGINE, ML50_ENGINE)."""
    osl = round(system / samples, 1)
    prefix = "ml50" if source == ML50 else "ml41"
    engine = (ML50_ENGINE if source == ML50 else ML41_ENGINE).get(rid)
    layout, limits, note = _as_published(engine, None, limits, note)
    if engine is None:
        note = f"{note}; engine configuration not found, layout left to the model"
    note = f"{note}; out {osl:g} = {system:,.1f} tok/s / {samples:g} samples/s ({path})"
    return Run(
        f"{prefix}_{rid}",
        group,
        "held-out",
        model,
        hw,
        8,
        prec,
        isl,
        osl,
        system / 8,
        source,
        scenario,
        tuple((limits or {}).items()),
        layout,
        note,
        length_mix=(LENGTH_MIX[isl][0], OUT_SPREAD[isl] * osl),
    )


# Little's law on the MLPerf v5.1 server and interactive logs: the sequences in flight (completed samples/s x mean
# latency) and the mean and p99 TPOT measured at that load. Read from each submission's
# results/<system>/<benchmark>/<scenario>/performance/run_1/mlperf_log_summary.txt (mlcommons/inference_results_v5.1):
# samples/s, mean latency (s), mean TPOT (ms), p99 TPOT (ms). They check the step model at a known load, apart from
# the batch and queueing choices that the throughput rows also depend on.
MLPERF_LOAD: dict[str, tuple[str, float, float, float, float]] = {
    "ml51_h200_llama2_server": (
        "closed/Cisco/results/C885_H200x8_TRT/llama2-70b-99/Server",
        113.29,
        49.821,
        169.7,
        183.0,
    ),
    "ml51_h200_llama2_interactive": (
        "closed/Cisco/results/C885_H200x8_TRT/llama2-70b-99/Interactive",
        67.01,
        10.263,
        34.8,
        36.8,
    ),
    "ml51_b200_llama2_interactive": (
        "closed/NVIDIA/results/B200-SXM-180GBx8_TRT/llama2-70b-99/Interactive",
        218.82,
        9.340,
        34.2,
        38.1,
    ),
    "ml51_mi300x_llama2_server": (
        "closed/AMD/results/8xMI300X_2xEPYC_9575F/llama2-70b-99/Server",
        81.68,
        43.580,
        144.6,
        193.4,
    ),
    "ml51_mi300x_llama2_interactive": (
        "closed/AMD/results/8xMI300X_2xEPYC_9575F/llama2-70b-99/Interactive",
        29.41,
        9.717,
        32.1,
        39.5,
    ),
    "ml51_mi325x_llama2_server": (
        "closed/AMD/results/8xMI325X_2xEPYC_9575F_1/llama2-70b-99/Server",
        106.28,
        44.905,
        148.7,
        198.3,
    ),
    "ml51_mi325x_llama2_interactive": (
        "closed/AMD/results/8xMI325X_2xEPYC_9575F_2/llama2-70b-99/Interactive",
        61.24,
        10.670,
        35.3,
        39.8,
    ),
    "ml51_mi300x_mixtral_server": (
        "closed/AMD/results/8xMI300X_2xEPYC_9575F/mixtral-8x7b/Server",
        333.12,
        18.381,
        123.6,
        151.8,
    ),
    "ml51_b200_r1_server": ("closed/NVIDIA/results/B200-SXM-180GBx8_TRT/deepseek-r1/Server", 4.96, 248.934, 66.5, 72.2),
}

RUNS: list[Run] = [
    # --- TensorRT-LLM v1.0 perf overview: every data-centre cell of its tables (planner/perf/published_trt10.py)
    *_trt10_runs(),
    *_trt_latest_runs(),
    *_trt021_runs(),
    # --- TensorRT-LLM v0.17 (earlier round, TensorRT engines): the configurations the v1.0 rows use, plus every
    # MoE model of that table, at 1000/1000 and 2048/2048 (and the v1.0 rows' other lengths for the dense ones)
    _trt017("dense_nvidia", "llama_3_1_70b", "hgx_h100", 2, 128, 2048, 6169.58),
    _trt017("dense_nvidia", "llama_3_1_70b", "hgx_h100", 2, 1000, 1000, 4390.53),
    _trt017("dense_nvidia", "llama_3_1_70b", "hgx_h100", 2, 2048, 2048, 2898.16),
    _trt017("dense_nvidia", "llama_3_1_70b", "hgx_h100", 2, 5000, 500, 919.73),
    _trt017("dense_nvidia", "llama_3_1_70b", "hgx_h200", 1, 128, 2048, 4165.68),
    _trt017("dense_nvidia", "llama_3_1_70b", "hgx_h200", 1, 1000, 1000, 2823.45),
    _trt017("dense_nvidia", "llama_3_1_70b", "hgx_h200", 1, 2048, 2048, 1913.8),
    _trt017("dense_nvidia", "llama_3_1_70b", "hgx_h200", 1, 5000, 500, 560.16),
    _trt017("dense_nvidia", "llama_3_1_8b", "hgx_h100", 1, 1000, 1000, 15244.78),
    _trt017("dense_nvidia", "llama_3_1_8b", "hgx_h100", 1, 2048, 2048, 9488.42),
    _trt017("dense_nvidia", "llama_3_1_8b", "hgx_h100", 1, 500, 2000, 16500.69),
    _trt017("dense_nvidia", "llama_3_1_8b", "hgx_h200", 1, 1000, 1000, 17537.96),
    _trt017("dense_nvidia", "llama_3_1_8b", "hgx_h200", 1, 2048, 2048, 11968.5),
    _trt017("dense_nvidia", "llama_3_1_8b", "hgx_h200", 1, 5000, 500, 3987.79),
    _trt017("dense_nvidia", "llama_3_1_405b", "hgx_h200", 8, 1000, 1000, 3399.69),
    _trt017("dense_nvidia", "llama_3_1_405b", "hgx_h200", 8, 2048, 2048, 2940.62),
    _trt017("moe", MIXTRAL, "hgx_h100", 1, 1000, 1000, 6868.52),
    _trt017("moe", MIXTRAL, "hgx_h100", 1, 2048, 2048, 3983.1),
    _trt017("moe", MIXTRAL, "hgx_h200", 1, 1000, 1000, 10371.36),
    _trt017("moe", MIXTRAL, "hgx_h200", 1, 2048, 2048, 6940.32),
    _trt017("moe", MIXTRAL, "hgx_h100", 2, 1000, 1000, 15770.89),
    _trt017("moe", MIXTRAL, "hgx_h100", 2, 2048, 2048, 10685.85),
    _trt017("moe", MIXTRAL, "hgx_h200", 2, 1000, 1000, 19151.19),
    _trt017("moe", MIXTRAL, "hgx_h200", 2, 2048, 2048, 14007.29),
    _trt017("moe", MIXTRAL_8X22B, "hgx_h100", 8, 1000, 1000, 16573.24),
    _trt017("moe", MIXTRAL_8X22B, "hgx_h100", 8, 2048, 2048, 12244.93),
    _trt017("moe", MIXTRAL_8X22B, "hgx_h200", 8, 1000, 1000, 19712.35),
    _trt017("moe", MIXTRAL_8X22B, "hgx_h200", 8, 2048, 2048, 15798.59),
    # --- DeepSeek-R1 max throughput (TensorRT-LLM guide): TP8 EP8 with attention DP, the guide's per-rank batch
    # cap (max_batch_size) and KV precision; published Total Output Throughput / 8
    _trtr1(
        "b200_fp8kv",
        "dgx_b200",
        "fp4",
        896,
        43146.2042,
        "R1-0528 FP4, FP8 KV, max_batch_size 896/rank, max_num_tokens 2048, concurrency 7168",
    ),
    _trtr1(
        "b200_bf16kv",
        "dgx_b200",
        "weights=fp4,activations=fp4,kv=bf16",
        384,
        36384.0838,
        "R1 FP4, BF16 KV, max_batch_size 384/rank, max_num_tokens 1536, concurrency 3072",
    ),
    _trtr1(
        "h200_bf16kv",
        "hgx_h200",
        "weights=fp8,activations=fp8,kv=bf16",
        128,
        11489.2671,
        "R1 FP8, BF16 KV, max_batch_size 128/rank, max_num_tokens 1151, concurrency 1024",
    ),
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
    # --- AMD vLLM latency tables (Llama 3.1 70B FP8, TP8): the July round calibrates the ROCm per-step host
    # overhead (batch 1, as NIM concurrency 1 does for Hopper); the later October round is held out
    _amd_latency(AMDLAT_0715, "0715", 1, 17.236, split="calibration"),
    _amd_latency(AMDLAT_0715, "0715", 2, 18.057),
    _amd_latency(AMDLAT_1006, "1006", 1, 15.882),
    _amd_latency(AMDLAT_1006, "1006", 2, 17.934),
    _amd_latency(AMDLAT_1006, "1006", 4, 18.487),
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
        split="not-comparable",
        why=(
            "scheduling the model does not express: AMD's MI300X interactive harness runs vLLM's synchronous engine "
            "with chunked prefill off (prefill-only steps of up to 40,960 tokens between decode steps) and 8-step "
            "multi-step scheduling (interactive_mi300x.yaml), its MI325X one the asynchronous engine with chunked "
            "prefill; per GPU the two differ 2.1x (1,105 vs 2,301 tok/s) where their offline and server rows "
            "differ 1.2-1.3x"
        ),
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
        note="AMD 8x MI355X, MXFP4, OPEN division (5.1-0099): all 80 layers, weights and activations MXFP4",
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
    # --- MLPerf Inference v4.1 closed (2024-08, earlier round), 8-GPU systems of NVIDIA and AMD, FP8
    _ml41(
        "dense_nvidia",
        "h100_llama2_offline",
        "llama_2_70b",
        "hgx_h100",
        ORCA_IN,
        24524.9,
        84.4792,
        "closed/NVIDIA/results/DGX-H100_H100-SXM-80GBx8_TRT/llama2-70b-99/Offline",
        note="NVIDIA DGX H100 8x H100-SXM-80GB, TensorRT 10.2",
    ),
    _ml41(
        "dense_nvidia",
        "h200_llama2_offline",
        "llama_2_70b",
        "hgx_h200",
        ORCA_IN,
        31302.7,
        107.477,
        "closed/NVIDIA/results/H200-SXM-141GBx8_TRT/llama2-70b-99/Offline",
        note="NVIDIA 8x H200-SXM-141GB, TensorRT 10.2",
    ),
    _ml41(
        "latency",
        "h100_llama2_server",
        "llama_2_70b",
        "hgx_h100",
        ORCA_IN,
        21605.79,
        74.42,
        "closed/NVIDIA/results/DGX-H100_H100-SXM-80GBx8_TRT/llama2-70b-99/Server",
        "server",
        SERVER_70B,
        "NVIDIA DGX H100 8x H100-SXM-80GB, TensorRT 10.2, p99 TTFT 2 s, TPOT 200 ms",
    ),
    _ml41(
        "latency",
        "h200_llama2_server",
        "llama_2_70b",
        "hgx_h200",
        ORCA_IN,
        29228.22,
        100.35,
        "closed/NVIDIA/results/H200-SXM-141GBx8_TRT/llama2-70b-99/Server",
        "server",
        SERVER_70B,
        "NVIDIA 8x H200-SXM-141GB, TensorRT 10.2, p99 TTFT 2 s, TPOT 200 ms",
    ),
    _ml41(
        "moe",
        "h100_mixtral_offline",
        MIXTRAL,
        "hgx_h100",
        MIXTRAL_IN,
        52415.9,
        359.173,
        "closed/NVIDIA/results/DGX-H100_H100-SXM-80GBx8_TRT/mixtral-8x7b/Offline",
        note="NVIDIA DGX H100 8x H100-SXM-80GB, TensorRT 10.2",
    ),
    _ml41(
        "moe",
        "h200_mixtral_offline",
        MIXTRAL,
        "hgx_h200",
        MIXTRAL_IN,
        59022.3,
        404.431,
        "closed/NVIDIA/results/H200-SXM-141GBx8_TRT/mixtral-8x7b/Offline",
        note="NVIDIA 8x H200-SXM-141GB, TensorRT 10.2",
    ),
    _ml41(
        "moe",
        "h100_mixtral_server",
        MIXTRAL,
        "hgx_h100",
        MIXTRAL_IN,
        50795.57,
        348.06,
        "closed/NVIDIA/results/DGX-H100_H100-SXM-80GBx8_TRT/mixtral-8x7b/Server",
        "server",
        SERVER_MIXTRAL,
        "NVIDIA DGX H100 8x H100-SXM-80GB, TensorRT 10.2, p99 TTFT 2 s, TPOT 200 ms",
    ),
    _ml41(
        "moe",
        "h200_mixtral_server",
        MIXTRAL,
        "hgx_h200",
        MIXTRAL_IN,
        57177.2,
        391.79,
        "closed/NVIDIA/results/H200-SXM-141GBx8_TRT/mixtral-8x7b/Server",
        "server",
        SERVER_MIXTRAL,
        "NVIDIA 8x H200-SXM-141GB, TensorRT 10.2, p99 TTFT 2 s, TPOT 200 ms",
    ),
    _ml41(
        "amd",
        "mi300x_llama2_offline",
        "llama_2_70b",
        "mi300x_8x",
        ORCA_IN,
        23514.8,
        80.15,
        "closed/AMD/results/8xMI300X_2xEPYC-9374F/llama2-70b-99/Offline",
        note="AMD 8x MI300X 750 W (Supermicro AS-8125GS-TNMR2), vLLM 0.4.3 / ROCm 6.1.2",
    ),
    _ml41(
        "amd",
        "mi300x_llama2_server",
        "llama_2_70b",
        "mi300x_8x",
        ORCA_IN,
        21028.23,
        71.74,
        "closed/AMD/results/8xMI300X_2xEPYC-9374F/llama2-70b-99/Server",
        "server",
        SERVER_70B,
        "AMD 8x MI300X 750 W, vLLM 0.4.3 / ROCm 6.1.2, p99 TTFT 2 s, TPOT 200 ms",
    ),
    # --- MLPerf Inference v5.0 closed (2025-04): a round nothing is calibrated on, NVIDIA's and AMD's own
    # submissions (and Cisco's H100 where it differs in layout), one row per chip, benchmark and scenario
    _ml41(
        "fp4",
        "b200_llama2_offline",
        "llama_2_70b",
        "dgx_b200",
        ORCA_IN,
        98858.0,
        363.895,
        "closed/NVIDIA/results/B200-SXM-180GBx8_TRT/llama2-70b-99.9/Offline",
        note="NVIDIA 8x B200, FP4 weights, FP8 KV",
        prec="fp4",
        source=ML50,
    ),
    _ml41(
        "latency",
        "b200_llama2_server",
        "llama_2_70b",
        "dgx_b200",
        ORCA_IN,
        98443.3,
        361.04,
        "closed/NVIDIA/results/B200-SXM-180GBx8_TRT/llama2-70b-99.9/Server",
        scenario="server",
        limits=SERVER_70B,
        note="NVIDIA 8x B200, FP4, p99 TTFT 2 s, TPOT 200 ms",
        prec="fp4",
        source=ML50,
    ),
    _ml41(
        "latency",
        "b200_llama2_interactive",
        "llama_2_70b",
        "dgx_b200",
        ORCA_IN,
        59409.25,
        217.93,
        "closed/NVIDIA/results/B200-SXM-180GBx8_TRT/llama2-70b-interactive-99/Server",
        scenario="interactive",
        limits=INTERACTIVE_70B,
        note="NVIDIA 8x B200, FP4, p99 TTFT 450 ms, TPOT 40 ms",
        prec="fp4",
        source=ML50,
    ),
    _ml41(
        "moe",
        "b200_mixtral_offline",
        MIXTRAL,
        "dgx_b200",
        MIXTRAL_IN,
        128148.0,
        886.233,
        "closed/NVIDIA/results/B200-SXM-180GBx8_TRT/mixtral-8x7b/Offline",
        note="NVIDIA 8x B200, FP4 weights, FP8 KV",
        prec="fp4",
        source=ML50,
    ),
    _ml41(
        "moe",
        "b200_mixtral_server",
        MIXTRAL,
        "dgx_b200",
        MIXTRAL_IN,
        126844.55,
        870.82,
        "closed/NVIDIA/results/B200-SXM-180GBx8_TRT/mixtral-8x7b/Server",
        scenario="server",
        limits=SERVER_MIXTRAL,
        note="NVIDIA 8x B200, FP4, p99 TTFT 2 s, TPOT 200 ms",
        prec="fp4",
        source=ML50,
    ),
    _ml41(
        "dense_nvidia",
        "h200_llama2_offline",
        "llama_2_70b",
        "hgx_h200",
        ORCA_IN,
        34988.2,
        120.008,
        "closed/NVIDIA/results/H200-SXM-141GBx8_TRT/llama2-70b-99/Offline",
        note="NVIDIA 8x H200-SXM-141GB, FP8",
        source=ML50,
    ),
    _ml41(
        "latency",
        "h200_llama2_server",
        "llama_2_70b",
        "hgx_h200",
        ORCA_IN,
        33071.46,
        113.04,
        "closed/NVIDIA/results/H200-SXM-141GBx8_TRT/llama2-70b-99.9/Server",
        scenario="server",
        limits=SERVER_70B,
        note="NVIDIA 8x H200, FP8, p99 TTFT 2 s, TPOT 200 ms",
        source=ML50,
    ),
    _ml41(
        "latency",
        "h200_llama2_interactive",
        "llama_2_70b",
        "hgx_h200",
        ORCA_IN,
        19424.25,
        66.5,
        "closed/NVIDIA/results/H200-SXM-141GBx8_TRT/llama2-70b-interactive-99.9/Server",
        scenario="interactive",
        limits=INTERACTIVE_70B,
        note="NVIDIA 8x H200, FP8, p99 TTFT 450 ms, TPOT 40 ms",
        source=ML50,
    ),
    _ml41(
        "moe",
        "h200_mixtral_offline",
        MIXTRAL,
        "hgx_h200",
        MIXTRAL_IN,
        62629.6,
        431.448,
        "closed/NVIDIA/results/H200-SXM-141GBx8_TRT/mixtral-8x7b/Offline",
        note="NVIDIA 8x H200, FP8",
        source=ML50,
    ),
    _ml41(
        "moe",
        "h200_mixtral_server",
        MIXTRAL,
        "hgx_h200",
        MIXTRAL_IN,
        61801.95,
        427.58,
        "closed/NVIDIA/results/H200-SXM-141GBx8_TRT/mixtral-8x7b/Server",
        scenario="server",
        limits=SERVER_MIXTRAL,
        note="NVIDIA 8x H200, FP8, p99 TTFT 2 s, TPOT 200 ms",
        source=ML50,
    ),
    _ml41(
        "dense_nvidia",
        "h100_llama2_offline",
        "llama_2_70b",
        "hgx_h100",
        ORCA_IN,
        31306.8,
        107.256,
        "closed/NVIDIA/results/DGX-H100_H100-SXM-80GBx8_TRT/llama2-70b-99/Offline",
        note="NVIDIA DGX H100, FP8",
        source=ML50,
    ),
    _ml41(
        "latency",
        "h100_llama2_server",
        "llama_2_70b",
        "hgx_h100",
        ORCA_IN,
        31106.28,
        106.21,
        "closed/NVIDIA/results/DGX-H100_H100-SXM-80GBx8_TRT/llama2-70b-99.9/Server",
        scenario="server",
        limits=SERVER_70B,
        note="NVIDIA DGX H100, FP8, p99 TTFT 2 s, TPOT 200 ms",
        source=ML50,
    ),
    _ml41(
        "latency",
        "cisco_h100_llama2_server",
        "llama_2_70b",
        "hgx_h100",
        ORCA_IN,
        26599.38,
        91.17,
        "closed/Cisco/results/C885A_H100_SXMx8_TRT/llama2-70b-99.9/Server",
        scenario="server",
        limits=SERVER_70B,
        note="Cisco C885A 8x H100, FP8, p99 TTFT 2 s, TPOT 200 ms",
        source=ML50,
    ),
    _ml41(
        "moe",
        "cisco_h100_mixtral_offline",
        MIXTRAL,
        "hgx_h100",
        MIXTRAL_IN,
        52724.4,
        362.446,
        "closed/Cisco/results/C885A_H100_SXMx8_TRT/mixtral-8x7b/Offline",
        note="Cisco C885A 8x H100, FP8",
        source=ML50,
    ),
    _ml41(
        "moe",
        "cisco_h100_mixtral_server",
        MIXTRAL,
        "hgx_h100",
        MIXTRAL_IN,
        53299.32,
        363.72,
        "closed/Cisco/results/C885A_H100_SXMx8_TRT/mixtral-8x7b/Server",
        scenario="server",
        limits=SERVER_MIXTRAL,
        note="Cisco C885A 8x H100, FP8, p99 TTFT 2 s, TPOT 200 ms",
        source=ML50,
    ),
    _ml41(
        "amd",
        "mi325x_llama2_offline",
        "llama_2_70b",
        "mi325x_8x",
        ORCA_IN,
        33928.1,
        114.262,
        "closed/AMD/results/8xMI325X_2xEPYC_9575F/llama2-70b-99.9/Offline",
        note="AMD 8x MI325X, vLLM on ROCm, FP8",
        source=ML50,
    ),
    _ml41(
        "amd",
        "mi325x_llama2_server",
        "llama_2_70b",
        "mi325x_8x",
        ORCA_IN,
        30724.51,
        103.83,
        "closed/AMD/results/8xMI325X_2xEPYC_9575F/llama2-70b-99.9/Server",
        scenario="server",
        limits=SERVER_70B,
        note="AMD 8x MI325X, FP8, p99 TTFT 2 s, TPOT 200 ms",
        source=ML50,
    ),
    # --- Huawei Ascend: CloudMatrix 384, DeepSeek-R1 INT8 (W8A8), disaggregated decode pool
    Run(
        "cm384_r1_decode_50ms",
        "ascend",
        "not-comparable",
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
        CM_WHY,
    ),
    Run(
        "cm384_r1_decode_15ms",
        "ascend",
        "not-comparable",
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
        CM_WHY,
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


def _ml51_submitter_runs() -> list[Run]:
    """MLPerf v5.1 runs of further submitters and benchmarks (planner/perf/published_ml51_submitters.py) and
    the Ascend 910C serving runs (SGLang, vLLM-Ascend), held out: the published layout and batch cap, the data
    set's length mix, p99 limits (the scenario's)."""
    from planner.perf import published_ml51_submitters as sub
    from planner.perf.published_models import QWEN3_CODER_480B

    out = []
    for row in sub.RUNS:
        rid, group, model, hw, chips, prec, isl, osl, system, scenario, limits, layout, batch, path = row[:14]
        submission, submitter, engine, note, mix = row[14:]
        source = (
            f"mlcommons/inference_results_v5.1 {path}/performance/run_1/mlperf_log_summary.txt @ {sub.COMMIT} "
            f"({submission}, {submitter})"
        )
        caps = {**(limits or {}), **({"batch": batch} if batch else {})}
        out.append(
            Run(
                rid,
                group,
                "held-out",
                MIXTRAL if model == "mixtral_8x7b" else model,
                hw,
                chips,
                prec,
                isl,
                osl,
                system / chips,
                source,
                scenario,
                tuple(caps.items()),
                layout,
                f"{note}; engine: {engine}",
                length_mix=tuple(mix) if mix else None,
            )
        )
    rid, hw, chips, prec, isl, osl, system, layout, per_rank = sub.ASCEND_QWEN3_480B
    first = (
        (rid, QWEN3_CODER_480B.id, hw, chips, prec, isl, osl, system, layout, per_rank)
        + ("sgl-project/sglang docs/platforms/ascend_npu_best_practice.md (Qwen3 480B High Throughput 50ms 3)",)
        + ("SGLang on Atlas 800I A3, W8A8, concurrency 80 (10 a rank), 3,500/1,500: 1,500.5 output tok/s", None)
    )
    for rid, model, hw, chips, prec, isl, osl, system, layout, per_rank, source, note, why in [first, *sub.ASCEND_RUNS]:
        out.append(
            Run(
                rid,
                "moe",
                "not-comparable" if why else "held-out",
                QWEN3_CODER_480B if model == QWEN3_CODER_480B.id else model,
                hw,
                chips,
                prec,
                isl,
                osl,
                system / chips,
                source,
                "offline",
                (("batch", per_rank),),
                layout,
                note,
                why_not_comparable=why or "",
            )
        )
    return out


RUNS += _ml51_submitter_runs()

TRT10_NAMES = {
    "llama_3_1_70b": "Llama 3.3 70B",
    "llama_3_1_8b": "Llama 3.1 8B",
    "llama_3_1_405b": "Llama 3.1 405B",
    "qwen3_235b_a22b": "Qwen3-235B",
    "llama_4_scout": "Llama 4 Scout",
    "llama_4_maverick": "Llama 4 Maverick",
}


def _trt10_ratios() -> list[tuple[str, str, str]]:
    """H200/H100 at every length both columns of a v1.0 table fill (held-out rows only)."""
    held = {r.id for r in RUNS if r.split == "held-out"}
    pairs = []
    for key, name in TRT10_NAMES.items():
        mid = _model_key(TRT10_MODELS[key])
        for isl, osl in LENGTHS:
            num, den = f"trt_{mid}_hgx_h200_{isl}_{osl}", f"trt_{mid}_hgx_h100_{isl}_{osl}"
            if num in held and den in held:
                pairs.append((f"H200/H100 {name} {isl}/{osl} (TRT-LLM)", num, den))
    return pairs


def _trt021_ratios() -> list[tuple[str, str, str]]:
    """H200/H100 at every length both columns of a v0.21 table fill (same TP, held-out rows only)."""
    held = {r.id for r in RUNS if r.split == "held-out" and r.source == TRT021}
    names = {
        "llama_3_1_8b": "Llama 3.1 8B TP1",
        "llama_3_1_70b": "Llama 3.3 70B TP2",
        "llama_3_1_405b": "Llama 3.1 405B TP8",
        _model_key(LLAMA4_MAVERICK): "Llama 4 Maverick TP8 (v0.20)",
    }
    pairs = []
    for mid, name in names.items():
        for isl, osl in trt021.LENGTHS:
            num, den = f"trt021_{mid}_hgx_h200_{isl}_{osl}", f"trt021_{mid}_hgx_h100_{isl}_{osl}"
            if num in held and den in held:
                pairs.append((f"H200/H100 {name} {isl}/{osl} (TRT-LLM v0.21)", num, den))
    return pairs


# Published chip-generation ratios (same submitter or table, same software round): numerator / denominator run ids.
RATIOS = [
    *_trt10_ratios(),
    *_trt021_ratios(),
    ("MI325X/MI300X Llama 2 70B offline (MLPerf v5.1)", "ml51_mi325x_llama2_offline", "ml51_mi300x_llama2_offline"),
    ("MI325X/MI300X Llama 2 70B server (MLPerf v5.1)", "ml51_mi325x_llama2_server", "ml51_mi300x_llama2_server"),
    ("MI325X/MI300X Mixtral 8x7B offline (MLPerf v5.1)", "ml51_mi325x_mixtral_offline", "ml51_mi300x_mixtral_offline"),
    # NVIDIA's own 8x H200 and 8x H100 submissions of MLPerf v4.1 (same software, TensorRT 10.2)
    *[
        (f"H200/H100 {label} (MLPerf v4.1, NVIDIA)", f"ml41_h200_{rid}", f"ml41_h100_{rid}")
        for label, rid in [
            ("Llama 2 70B offline", "llama2_offline"),
            ("Llama 2 70B server", "llama2_server"),
            ("Mixtral 8x7B offline", "mixtral_offline"),
            ("Mixtral 8x7B server", "mixtral_server"),
        ]
    ],
    # NVIDIA's own 8x H200 and DGX H100 submissions of MLPerf v5.0 (same software round)
    ("H200/H100 Llama 2 70B offline (MLPerf v5.0, NVIDIA)", "ml50_h200_llama2_offline", "ml50_h100_llama2_offline"),
    ("H200/H100 Llama 2 70B server (MLPerf v5.0, NVIDIA)", "ml50_h200_llama2_server", "ml50_h100_llama2_server"),
    # every same-configuration H200/H100 pair of the TensorRT-LLM v0.17 round
    *[
        (f"H200/H100 {label} (TRT-LLM v0.17)", f"trt017_{mid}_hgx_h200_{cfg}", f"trt017_{mid}_hgx_h100_{cfg}")
        for label, mid, cfg in [
            ("Llama 3.1 8B TP1 1000/1000", "llama_3_1_8b", "tp1_1000_1000"),
            ("Llama 3.1 8B TP1 2048/2048", "llama_3_1_8b", "tp1_2048_2048"),
            ("Mixtral 8x7B TP1 1000/1000", "mixtral_8x7b", "tp1_1000_1000"),
            ("Mixtral 8x7B TP1 2048/2048", "mixtral_8x7b", "tp1_2048_2048"),
            ("Mixtral 8x7B TP2 1000/1000", "mixtral_8x7b", "tp2_1000_1000"),
            ("Mixtral 8x7B TP2 2048/2048", "mixtral_8x7b", "tp2_2048_2048"),
            ("Mixtral 8x22B TP8 1000/1000", "mixtral_8x22b", "tp8_1000_1000"),
            ("Mixtral 8x22B TP8 2048/2048", "mixtral_8x22b", "tp8_2048_2048"),
        ]
    ],
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
        profile = catalog.hardware[r.run.hardware].efficiency_profile
        kind = "moe" if _model(catalog, r.run.model).is_moe else "dense"
        for key in (profile, f"{profile}/{kind}"):  # the profile's band, and its dense or MoE models' own
            by.setdefault(key, []).append(_abs_error(r))
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
        "ms. Kernel factors come from GEMM, bandwidth and collective benchmarks (`catalogs/efficiency.yaml`); three "
        "factors are calibrated end to end, each on one row marked calibration: the per-step host overhead of "
        "Hopper (`decode_overhead_ms`, NIM concurrency 1) and of ROCm (AMD's vLLM latency at batch 1, July 2025 "
        "round; the October round is held out), and Blackwell FP4 GEMM efficiency (no FP4 GEMM sweep found). No "
        "factor is set per row or per round. MLPerf rows are timed at their data set's request lengths (means and "
        "spread, see the MLPerf section at the end) with the layout and batch cap of the submission's own engine "
        "configuration. `not-comparable` rows (a published figure that cannot check the model, each with its "
        "reason) are listed apart and not counted.",
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
    lines += _moe_model_table(results)
    lines += ["", "### Chip-generation ratios", "", "| pair | published | model | error |", "|---|---|---|---|"]
    ratios = ratio_results(results)
    for label, pub, est in ratios:
        lines.append(f"| {label} | {pub:.3f} | {est:.3f} | {est / pub - 1:+.1%} |")
    within = sum(abs(est / pub - 1) <= RATIO_TOLERANCE for _, pub, est in ratios)
    signed = [(pub, est) for _, pub, est in ratios if abs(pub - 1) > RATIO_SIGN_MIN]
    right = sum((est - 1) * (pub - 1) > 0 for pub, est in signed)
    lines += [
        "",
        f"{within} of {len(ratios)} ratios within {RATIO_TOLERANCE:.0%}; right in sign {right} of {len(signed)} "
        f"(ratios published within {RATIO_SIGN_MIN:.0%} of 1 have no sign to check).",
    ]
    lines += _round_table(results)
    lines += _what_if(catalog, results)
    lines += _submitter_note(results)
    lines += _load_table(catalog)
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
        if run.split == "not-comparable":
            continue
        m = _model_id(run)
        lim = ", ".join(f"{k} {v:g}" for k, v in run.limits)
        scen = run.scenario + (f" ({lim})" if lim else "")
        lines.append(
            f"| {run.id} | {run.group} | {run.split} | {m} | {run.hardware} ({run.chips}) | {run.precision} | "
            f"{run.input_tokens:g}/{run.output_tokens:g} | {scen} | {_fmt(run.published)} | {_fmt(r.estimate)} | "
            f"{r.error:+.1%} | {r.layout} | {run.source} | {run.note} |"
        )
    lines += _not_comparable_table(results)
    return "\n".join(lines) + "\n"


def _moe_model_table(results: list[RunResult]) -> list[str]:
    """The MoE group split by model: which architectures the group's error comes from."""
    by_model: dict[str, list[float]] = {}
    for r in results:
        if r.run.group == "moe" and r.run.split == "held-out":
            by_model.setdefault(_model_id(r.run), []).append(_abs_error(r))
    lines = ["", "MoE rows by model:", "", "| model | runs | median abs error | max abs error |", "|---|---|---|---|"]
    for m, errs in sorted(by_model.items(), key=lambda kv: statistics.median(kv[1])):
        lines.append(f"| {m} | {len(errs)} | {statistics.median(errs):.1%} | {max(errs):.1%} |")
    return lines


def _model_id(run: Run) -> str:
    return _model_key(run.model)


def _round_of(run: Run) -> str:
    return ROUNDS.get(run.source, run.source.split(" (")[0].split(",")[0])


def _round_table(results: list[RunResult]) -> list[str]:
    """Held-out error per benchmark round: the factors were fixed before the later rounds were compared."""
    by: dict[str, list[float]] = {}
    for r in results:
        if r.run.split == "held-out":
            by.setdefault(_round_of(r.run), []).append(_abs_error(r))
    lines = [
        "",
        "### Error per benchmark round (held-out rows)",
        "",
        "Oldest first. The calibrated factors are the same in every round (none is refitted per round or per row); "
        "the ROCm host overhead is set on the July 2025 latency row and checked on the October round.",
        "",
        "| round | runs | median abs error | max abs error |",
        "|---|---|---|---|",
    ]
    order = list(ROUNDS.values())
    for name in sorted(by, key=lambda n: order.index(n) if n in order else len(order)):
        errs = by[name]
        lines.append(f"| {name} | {len(errs)} | {statistics.median(errs):.1%} | {max(errs):.1%} |")
    return lines


def _errors_with(
    catalog: Catalog,
    runs: list[Run],
    profile_update: dict | None = None,
    layout: str | None = None,
    kv: str | None = None,
):
    """Errors of `runs` with a changed profile, layout or KV-cache precision (what-if checks; the model does not use
    them)."""
    out = []
    for run in runs:
        pinned = replace(run, layout=layout) if layout else run
        if kv:
            pinned = replace(pinned, precision=f"weights={run.precision},activations={run.precision},kv={kv}")
        out.append(estimate(catalog, pinned, profile_update)[0] / run.published - 1.0)
    return out


def _kv_demand(catalog: Catalog, run: Run) -> float:
    """KV cache the run asks for at its batch cap (every sequence at full length) over what fits beside the
    weights: the sequences the model's KV reservation admits without the cap."""
    hw, profile = _run_hardware(catalog, run)
    est = serving_estimate(
        _model(catalog, run.model),
        hw,
        profile,
        run.input_tokens,
        run.output_tokens,
        precision=run.precision,
        layout=run.layout,
    )
    return dict(run.limits)["batch"] / est.batch if est.batch else float("inf")


def _errors_of(results: list[RunResult], prefix: str) -> list[float]:
    """Signed errors of the held-out runs whose id starts with `prefix`."""
    return [r.error for r in results if r.run.id.startswith(prefix) and r.run.split == "held-out"]


def _errors_of_lengths(results: list[RunResult], prefix: str, inputs: tuple[int, ...], moe: bool) -> list[float]:
    """Errors of the held-out runs whose id starts with `prefix` and whose prompt length is one of `inputs`."""
    return [
        r.error
        for r in results
        if r.run.id.startswith(prefix)
        and r.run.split == "held-out"
        and int(r.run.input_tokens) in inputs
        and (r.run.group == "moe") == moe
    ]


def _summary(errors: list[float]) -> str:
    """`median / max` of the absolute errors and the mean signed error, in percent."""
    a = [abs(e) for e in errors]
    return f"{statistics.median(a):.0%} / {max(a):.0%} (mean {statistics.mean(errors):+.0%})"


def _pct(x: float, sign: str = "") -> str:
    return f"{x:{sign}.0%}".replace("%", " %")


def _span(errors: list[float]) -> str:
    return f"{_pct(min(errors), '+')} to {_pct(max(errors), '+')}"


def _published_ratios(results: list[RunResult], family: str, round_tag: str = "(TRT-LLM)", model: bool = False) -> str:
    """Range of the published (or, with `model`, the model's) ratios whose label has `family` and `round_tag`."""
    vals = [
        est if model else pub for label, pub, est in ratio_results(results) if family in label and round_tag in label
    ]
    return f"{min(vals):.1f}-{max(vals):.1f}"


def _what_if(catalog: Catalog, results: list[RunResult]) -> list[str]:
    """The open gaps, with the factor each physical suspect would need (none of these is used by the model)."""
    qwen_all = [abs(e) for e in _errors_of(results, "trt_qwen3_235b")]
    mlperf = [r for r in results if r.run.id.startswith(("ml41_", "ml50_", "ml51_")) and r.run.split == "held-out"]
    mlperf_mixtral_trt = [r.error for r in mlperf if "mixtral" in r.run.id and not r.run.hardware.startswith("mi3")]
    mlperf_mixtral_vllm = [r.error for r in mlperf if "mixtral" in r.run.id and r.run.hardware.startswith("mi3")]
    mlperf_llama_trt = [
        r.error
        for r in mlperf
        if "llama2" in r.run.id and r.run.scenario == "offline" and not r.run.hardware.startswith("mi3")
    ]
    qwen_h100 = max(abs(e) for e in _errors_of(results, "trt_qwen3_235b_a22b_hgx_h100"))
    qwen_b200 = _span(_errors_of(results, "trt_qwen3_235b_a22b_dgx_b200"))
    short_moe = _span(_errors_of_lengths(results, "trtl_", (1000, 1024), moe=True))
    r1_run = next(r for r in RUNS if r.id == "ml51_b200_r1_server")
    r1_load, r1_step, _ = _step_at_published_load(catalog, r1_run)
    r1_tpot = MLPERF_LOAD[r1_run.id][3]
    long_moe = _span(_errors_of_lengths(results, "trtl_", (8192, 32768), moe=True))
    r1_b200 = _span(_errors_of(results, "trtr1_b200") + _errors_of(results, "ml51_b200_r1_offline"))
    scout_h100, scout_b200 = (_span(_errors_of(results, f"trt_llama4_scout_{hw}")) for hw in ("hgx_h100", "dgx_b200"))
    maverick_h100 = _span(_errors_of(results, "trt_llama4_maverick_hgx_h100"))
    amd = [r for r in RUNS if r.source == AMDPERF]
    qwen = [r for r in RUNS if r.source == TRT and "qwen3_235b" in r.id]
    cases = [
        ("model as calibrated", _errors_with(catalog, amd)),
        (
            "before the output-size fill (M half-point 24 at every N, 64-row tile, 0.89 ms step overhead)",
            _errors_with(catalog, amd, {"gemm_half_mn": None, "gemm_min_m": None, "decode_overhead_ms": 0.89}),
        ),
        (
            "all-reduce link efficiency 0.25 instead of 0.53 (measured)",
            _errors_with(catalog, amd, {"link_efficiency": 0.25}),
        ),
    ]
    kv_demand = [_kv_demand(catalog, r) for r in amd]
    lines = [
        "",
        "### Open gaps: what each physical suspect would need (what-if, not used by the model)",
        "",
        "AMD vLLM TP8 rows (8x MI300X, AMD ROCm performance page, container rocm6.4.1_vllm_0.10.1_20250909). The "
        "same chips in AMD's own MLPerf v5.1 harness (TP1, tuned hipBLASLt GEMMs, the published batch caps) are "
        "within -4 % to +2 % (the MLPerf rows above); the TP8 rows read -15 % to +17 %. What is known and what is "
        "not:",
        "",
        "- Decode attention: timed at the 0.34 of peak bandwidth AMD's paged-attention kernel (aiter) reaches on "
        "CDNA4 (facebookexperimental/triton PR 2040); this took the group from +43 % to +21 % (median). No CDNA3 "
        "table of that kernel was found.",
        "- All-reduce: measured on 8x MI300X (rccl-tests, 238 GB/s bus bandwidth at 32 MB, 0.53 of the link; "
        "0.44 at 16 MB, 0.61 at 64 MB). Closing the gap through the all-reduce needs 0.25: contradicted.",
        "- GEMMs at narrow TP8 slices (closed in part, session 5): AMD's tuned GEMM table for MI300X at the Llama "
        "70B/405B TP1-TP8 shapes (ROCm/aiter a8w8_tuned_gemm.csv, commit fbb52ddf, 2025-09) shows the tokens a "
        "GEMM needs to fill the chip grow as N shrinks (half efficiency at ~270 tokens for N=7,168, ~1,000 for "
        "Llama 70B's TP8 QKV, N=1,280): a constant output size M x N of 2.4e6 (fitted on 260 points, median error "
        "4.8 %), where the MLPerf sweep, TP1 shapes only, had given a half-point of 24 tokens at every N. The "
        "profile's `gemm_half_mn` now carries it (small outputs split along K, 16-row tiles as the table's "
        "kernels use; the ROCm step overhead re-solved on its calibration row, 0.64 ms): the group's median went "
        "from 19.1 % to 10.9 %. What remains: the container's PyTorch TunableOp is off by default (ROCm vLLM "
        "benchmark docs, vllm-0.10.0-20250812), so its GEMMs may run hipBLASLt's default heuristic rather than "
        "tuned kernels (ROCm/aiter PR 1092: a generic kernel at N=1,280, K=8,192, M=1,024 takes 186 us against "
        "53 us tuned); no timing of that container's own GEMMs was found.",
        "- KV capacity (closed, session 5): AMD's table submits as many prompts as `max_num_seqs` (No. Prompts = "
        "Max. Seqs) and times the wave; vLLM admits a request on the KV blocks it holds so far and, when the cache "
        "fills, preempts the newest and later recomputes its prompt and answer so far. Two 405B rows ask for more "
        "cache than the chips hold (row below: sequences at full length over those that fit). These rows are now "
        "timed through that procedure (`planner.perf.wave`, scenario `one_wave`: the wave stepped through with the "
        "same operator model; without preemption it agrees with the steady state within 1 %): the two rows went "
        "from +28 % and +30 % to -15 % and +3 %. The -15 % row recomputes 4.8 M tokens in the model; vLLM's "
        "preemption order and its chunked recomputation are followed as documented, not measured.",
        "",
        "Nothing here is fitted on a serving row. The largest remaining errors are the three 70B rows at short "
        "prompts (+11 % to +17 %) where the untuned-GEMM question above is open, and MLPerf v4.1 (vLLM 0.4.3, "
        "+18 %).",
        "",
        "| case | " + " | ".join(r.id.removeprefix("amd_") for r in amd) + " |",
        "|---|" + "---|" * len(amd),
    ]
    for label, errs in cases:
        lines.append(f"| {label} | " + " | ".join(f"{e:+.0%}" for e in errs) + " |")
    lines.append("| KV demand at max_num_seqs / KV capacity | " + " | ".join(f"{d:.2f}" for d in kv_demand) + " |")
    lines += [
        "",
        "Mixtral rows: on TensorRT-LLM v0.17 (TensorRT engines, February 2025) the model is +10 % to +32 % high on "
        "10 of 12 rows while the v0.17 dense rows of the same table are within -2 % to +9 % and the v1.0 Qwen3-235B "
        f"rows median {_pct(statistics.median(qwen_all))} (max {_pct(max(qwen_all))}); the MLPerf Mixtral rows read "
        f"{_span(mlperf_mixtral_trt)} on TensorRT-LLM (the H100, H200 and B200 submissions of "
        f"v4.1, v5.0 and v5.1) and {_span(mlperf_mixtral_vllm)} on vLLM (AMD's MI300X and MI325X), while the Llama 2 "
        f"70B rows of the same submissions read {_span(mlperf_llama_trt)}: the excess is in the MoE path of the "
        "NVIDIA stack, not in its dense one. The "
        "expert GEMMs are 25-66 % of the modelled step (top-2 of 8 experts: batch x 2 / 8 tokens per expert, 24-950 "
        "here) and their efficiency comes from DeepGEMM's masked grouped GEMM (2025), not from the MoE kernels that "
        "ran these rows. TensorRT-LLM's own fused-MoE timings at Mixtral's shapes (ai-dynamo/aiconfigurator "
        "095f58a, systems/data/{h100_sxm,h200_sxm}/moe/trtllm/{1.2.0rc5,1.3.0rc20}/moe_perf.parquet: FP8, balanced "
        "routing, 128 to 16,384 tokens a step) take 0.73-1.05x the model's MoE-layer time (experts, permutation, "
        "activation and the fixed per-layer time): the current kernel is as fast as the model assumes, so the "
        "excess of the rows above is in the engines those rounds ran (TensorRT engines for v0.17 and MLPerf), which "
        "the profile (TensorRT-LLM 1.0) does not describe, and is not closed by a factor. The H200/H100 "
        "ratios of the TP1 rows (model 1.8-2.3, published 1.5-1.7) also show the KV-limited batch on H100 TP1 (47 "
        "GB of weights on an 80 GB chip) is under-estimated. Found since (not used yet): a Triton FP8 MoE GEMM at "
        "Mixtral shapes on MI300X (ROCm/triton PR 693, 2025-01: 470-673 TFLOPS at 256-1,024 tokens per expert) runs "
        "at 0.72-0.80 of AMD's tuned dense GEMM at the same rows per expert (aiter table above).",
        "",
        "DeepSeek-R1 rows (attention data parallelism, TensorRT-LLM PyTorch backend): the load table below shows "
        f"the model's step at the MLPerf server load is {r1_step / r1_tpot:.2f}x the measured one ({r1_step:.1f} ms "
        f"at {r1_load:,.0f} sequences against a mean TPOT of {r1_tpot:.1f} ms). Engine "
        "behaviour found that the model does not time: with attention DP a step runs without CUDA graphs on every "
        "rank whenever one rank has a prompt in it (tensorrt_llm/_torch/pyexecutor model_engine.py "
        "`_maybe_get_cuda_graph`), and at the guide's loads most steps carry one (3.5 prompts per iteration on "
        "B200, derived from its published input and output rates); CUDA graphs are worth 22 % end to end in that "
        "setting (TensorRT-LLM tech blog 3); ranks wait on the busiest one, which cost 35 % at variable lengths "
        "before attention-DP balancing (tech blog 10: 25,664 against 39,552 tokens/s on 8x GB200; 34,140 with "
        "balancing, which the MLPerf configuration enables); the captured batch sizes are padded to (128, 256, 384, "
        "512 per rank in the MLPerf configuration). None of these has a per-step cost published, so none is "
        "charged.",
        "",
        "The MoE layer against TensorRT-LLM's own kernel timings (ai-dynamo/aiconfigurator at 095f58a, "
        "`systems/data/{h100_sxm,h200_sxm,b200_sxm}/moe/trtllm/1.2.0rc5/moe_perf.parquet`: the whole fused-MoE "
        "module on one GPU, balanced routing, 9 model shapes, EP 1-16, 64-16,384 tokens; `scripts/"
        "moe_kernel_check.py`). The measured module is slower than the model's expert GEMMs, gated activation and "
        "permutation by a time that does not shrink with EP or tokens (routing, permutation, activation "
        "quantisation, the kernel tails of the chain): median 74-94 us per MoE layer on B200 NVFP4 and 36-50 us on "
        "H100 FP8 at EP 2-8. The model now charges it (`moe_layer_fixed_us`: 75 us Blackwell, 40 us Hopper, on each "
        "layer that carries experts, `moe_layers`). What remains on B200: the fine-grained "
        "shapes at EP 4-8 still run 0.4-0.8x the model's time at 512-4,096 tokens on top of that (DeepSeek-V3's "
        f"7,168 x 2,048 with 256 experts worst). B200 DeepSeek-R1 rows now {r1_b200}, B200 Qwen3-235B rows (v1.0 "
        f"table, TP8 reading) {qwen_b200}.",
        "",
        "The later TensorRT-LLM round (developer-guide perf overview, commit 03e27c7) states each column's layout, "
        "which the v1.0 tables did not: TP for Llama 3.3 70B, DEP (attention DP with expert parallelism) for every "
        "MoE model, on 4 or 8 GPUs. Dense rows there are within target "
        f"({_span(_errors_of(results, 'trtl_llama_3_1_70b'))}); the MoE rows at their stated DEP layout are not: "
        f"short prompts (1,000-1,024 tokens) read {short_moe}, long prompts (8,192-32,768 tokens) {long_moe}. "
        "By chip and layout: Qwen3-235B on 4x H200 (DEP4) "
        f"{_span(_errors_of(results, 'trtl_qwen3_235b_a22b_hgx_h200'))}, on 4x B200 (DEP4) "
        f"{_span(_errors_of(results, 'trtl_qwen3_235b_a22b_dgx_b200'))}, on 8x H100 (DEP8) "
        f"{_span(_errors_of(results, 'trtl_qwen3_235b_a22b_hgx_h100'))}; DeepSeek-R1 on 8x H200 (DEP8) "
        f"{_span(_errors_of(results, 'trtl_deepseek_v3_hgx_h200'))}. NVIDIA's own operator-table model "
        "(aiconfigurator 0.12.0, `aiconfigurator cli estimate --estimate-mode agg --backend trtllm`, at the model's "
        "KV-limited batch per rank) is closer on the Qwen3 rows and high on DeepSeek-R1 too: Qwen3-235B 4x B200 "
        "DEP4 1000/1000 6,796 tokens/s/GPU (published 5,764), 4x H200 DEP4 2,851 (3,288, FP8 block scales), "
        "8x H100 DEP8 1,884 (1,932, FP8 block scales; 2,525 with per-tensor FP8), DeepSeek-R1 8x H200 DEP8 2,172 "
        "(1,627). Its operator times differ from this model's mostly in the MoE module (it assumes power-law "
        "routing, alpha 1.2, "
        "1.3-1.6x the balanced time) and in decode attention (0.66-0.70 of peak bandwidth at these batches: the "
        "profiles now carry that kernel's measured curve by bytes per call). The v1.0 MoE rows, had they run with "
        "attention DP (the later "
        "round's recipe), read as in the table at the end of this section. Not found: what makes DEP8 slower per "
        "GPU than DEP4 in the published figures, which neither model expresses.",
        "",
        "Llama 4 (Scout: 16 experts, Maverick: 128 experts, top-1 beside a shared expert; TensorRT-LLM v1.0): "
        f"the model is high on almost every row, most on H100 (Scout TP4 {scout_h100}, Maverick TP8 {maverick_h100}) "
        f"and on B200 TP1 for Scout ({scout_b200}). The H200/H100 ratios (published "
        f"{_published_ratios(results, 'Llama 4 Maverick')} for Maverick, {_published_ratios(results, 'Llama 4 Scout')} "
        "for Scout) say the H100 figures fall much further than the model's HBM rule predicts (weights fill 63 % of "
        "8x H100 for Maverick, 34 % of 4x H100 for Scout), while Qwen3-235B on 8x H100 (37 %) is within "
        f"{_pct(qwen_h100)}. What differs is not found: the checkpoints' KV precision, the engine's memory "
        "outside weights and KV at this vocabulary (202,048) and the Llama 4 MoE path are all unpublished for "
        'these rows. The v0.21 documentation notes that Llama 4 performance below 8,192 tokens "is affected by an '
        "issue introduced in v0.21\" and prints v0.20's Maverick figures instead; at v0.20 the model reads "
        f"{_span(_errors_of(results, 'trt021_llama4_maverick_hgx_h100'))} on 8x H100 and "
        f"{_span(_errors_of(results, 'trt021_llama4_maverick_hgx_h200'))} on 8x H200, and the published H200/H100 "
        f"ratios are {_published_ratios(results, 'Maverick', '(TRT-LLM v0.21)')} (model "
        f"{_published_ratios(results, 'Maverick', '(TRT-LLM v0.21)', model=True)}) where v1.0's are "
        f"{_published_ratios(results, 'Llama 4 Maverick')} (model "
        f"{_published_ratios(results, 'Llama 4 Maverick', model=True)}): "
        "the same chips and lengths swing by 2x between two releases, so these figures measure the software as much "
        "as the hardware.",
        "",
        "The KV-cache precision of the FP8 checkpoints is the one input of these rows not published: the model reads "
        "an FP8 engine with an FP8 KV cache (as the other NVIDIA FP8 checkpoints run). With a BF16 KV cache instead "
        "(what-if), the held-out FP8 rows read (median / max absolute error, mean signed):",
        "",
        "| rows | runs | FP8 KV (the model) | BF16 KV (what-if) |",
        "|---|---|---|---|",
    ]
    for label, prefix in (
        ("Llama 4 Scout, 4x H100/H200 (v1.0)", "trt_llama4_scout_hgx"),
        ("Llama 4 Maverick, 8x H100/H200 (v1.0)", "trt_llama4_maverick_hgx"),
        ("Llama 4 Maverick, 8x H100/H200 (v0.20)", "trt021_llama4_maverick_hgx"),
        ("Qwen3-235B, 8x H100/H200 (v1.0)", "trt_qwen3_235b_a22b_hgx"),
    ):
        runs = [r for r in RUNS if r.id.startswith(prefix) and r.split == "held-out"]
        fp8, bf16 = _errors_with(catalog, runs), _errors_with(catalog, runs, kv="bf16")
        lines.append(f"| {label} | {len(runs)} | {_summary(fp8)} | {_summary(bf16)} |")
    lines += [
        "",
        "A BF16 KV cache would bring the Hopper Llama 4 rows near the targets and push Qwen3-235B's far off: the "
        "Llama 4 FP8 checkpoints may keep a 16-bit KV cache (Meta's own Llama 4 FP8 release quantizes the routed "
        "experts only), but no source here says so, so the model keeps FP8.",
    ]
    dp = _errors_with(catalog, qwen, layout="tp=8,dp_attention")
    lines += [
        "",
        "Qwen3-235B rows (TensorRT-LLM v1.0) under the other reading of the published recipe, attention data "
        "parallelism on every rank (each rank its own 8,192-token budget and a full KV cache per sequence):",
        "",
        "| run | error (table header: TP8) | error (TP8 with attention DP) |",
        "|---|---|---|",
    ]
    base = _errors_with(catalog, qwen)
    for run, e0, e1 in zip(qwen, base, dp, strict=True):
        lines.append(f"| {run.id} | {e0:+.1%} | {e1:+.1%} |")
    lines += [
        "",
        "Llama 4 under the same attention-DP reading (everything but the routed experts whole on every rank, as "
        "TensorRT-LLM runs it: Maverick FP8 then holds 64.5 GB a chip on 8x H100, 50.3 GB under TP8, so its KV "
        "cache shrinks by more than half), median / max absolute error, mean signed:",
        "",
        "| rows | runs | table header (TP) | attention DP |",
        "|---|---|---|---|",
    ]
    for label, prefix, chips in (
        ("Llama 4 Scout, 4x H100 (v1.0)", "trt_llama4_scout_hgx_h100", 4),
        ("Llama 4 Scout, 4x H200 (v1.0)", "trt_llama4_scout_hgx_h200", 4),
        ("Llama 4 Maverick, 8x H100 (v1.0)", "trt_llama4_maverick_hgx_h100", 8),
        ("Llama 4 Maverick, 8x H200 (v1.0)", "trt_llama4_maverick_hgx_h200", 8),
        ("Llama 4 Maverick, 8x B200 (v1.0)", "trt_llama4_maverick_dgx_b200", 8),
        ("Llama 4 Maverick, 8x H100 (v0.20)", "trt021_llama4_maverick_hgx_h100", 8),
        ("Llama 4 Maverick, 8x H200 (v0.20)", "trt021_llama4_maverick_hgx_h200", 8),
    ):
        runs = [r for r in RUNS if r.id.startswith(prefix) and r.split == "held-out"]
        tp, dep = _errors_with(catalog, runs), _errors_with(catalog, runs, layout=f"tp={chips},dp_attention")
        lines.append(f"| {label} | {len(runs)} | {_summary(tp)} | {_summary(dep)} |")
    lines += [
        "",
        "Only the 8x H100 Maverick rows of v1.0 fit the attention-DP reading; every other chip of the same table "
        "reads far higher under it, so no single reading of v1.0's Llama 4 recipe fits its columns, and choosing a "
        "layout per column to fit would be a factor per row. The rows stay at the header's layout.",
    ]
    return lines


def _step_at_published_load(catalog: Catalog, run: Run) -> tuple[float, float, int]:
    """Sequences in flight per replica at an MLPerf run's own load (Little's law on its log), the model's mean step
    (ms) there at the published layout, and the sequences the model's KV reservation admits."""
    from planner.perf.serving import pinned_replica, step_at_concurrency

    _path, samples_s, latency_s, _tpot, _tpot99 = MLPERF_LOAD[run.id]
    hw, profile = _run_hardware(catalog, run)
    r = pinned_replica(
        _model(catalog, run.model),
        hw,
        profile,
        run.input_tokens,
        run.output_tokens,
        precision=run.precision,
        layout=run.layout or "tp=1",
        length_mix=run.length_mix,
    )
    in_flight = samples_s * latency_s / run.chips * r.chips
    step_ms, admits = step_at_concurrency(r, in_flight)
    return in_flight, step_ms, admits


def _submitter_note(results: list[RunResult]) -> list[str]:
    """What the MLPerf v5.1 rows of further submitters and benchmarks (added in session 12) show, and the queueing
    what-ifs tried on them (none applied)."""

    def span(prefix: str) -> str:
        errs = _errors_of(results, prefix)
        if not errs:
            return "none"
        return f"{min(errs):+.0%}" if len(errs) == 1 else f"{min(errs):+.0%} to {max(errs):+.0%}"

    return [
        "",
        "MLPerf v5.1 rows of further submitters and benchmarks (`n51_*`, planner/perf/published_ml51_submitters.py; "
        "gathered after the model was set, none calibrated on): Llama 3.1 405B offline on B200, GB200, H200 and "
        f"16x H100 read {span('n51_b200_405b_off')}, {span('n51_gb200x72_405b_off')}, "
        f"{span('n51_nebius_h200_405b_off')} and {span('n51_cisco_h100x16_405b_off')}; its server and interactive "
        f"rows read {span('n51_b200_405b_s')} (B200 server), {span('n51_gb200x72_405b_i')} (GB200 interactive), "
        f"{span('n51_nebius_h200_405b_i')} (H200 interactive): with 9,400-token prompts the model's p99 TTFT "
        "wait, a queue for the TPOT-limited batch as slots with a 40-110 s service time, holds the load to 0.65-0.79 "
        "of what the TPOT limit allows, while the engines' measured p99 TTFT is 2.5-5.6 s. Llama 3.1 8B on B200 FP4 "
        f"reads {span('n51_b200_8b')} (the logs' step is ~16 ms at no load, the model's ~3 ms); on one H100 under "
        f"vLLM 0.10 {span('n51_redhat')} (the Hopper profile is TensorRT-LLM's); DeepSeek-R1 server on B200 and "
        f"GB200 NVL72 {span('n51_dell_b200_r1')} and {span('n51_gb200x72_r1_s')} (the model's step is 0.47-0.50 of "
        "the measured TPOT at the published load, as for NVIDIA's own B200 row). SGLang's Qwen3-Coder-480B on an "
        f"Atlas 800I A3 (W8A8, concurrency 80) reads {span('sgl_a3x8_')}, and vLLM-Ascend's Qwen3-235B on one "
        f"(W8A8, concurrency 144; gathered in session 13) {span('vllm_a3')}: the Ascend 910C profile, copied from "
        "ROCm's kernel factors with bandwidth at 0.80 of the HBM figure, is within 6 % on both engines; SGLang's "
        "run on two such servers is not comparable (see that list).",
        "",
        "Queueing what-ifs tried on these and the rows above (none applied). (a) No slot queue: the TPOT-limited "
        "batch admitted at once, the p99 TTFT the prefill and a step, a wait only when the KV cache is full. The "
        "B200 and GB200 405B server rows come to -1 % to +4 %, but the H200 and 16x H100 405B rows go to +31 % "
        "to +49 %, the Llama 2 70B interactive rows from +13 % to +39 %, and the latency group from 8.0 % to "
        "9.5 % median (AMD 2.8 % to 6.0 %). (b) The same with the time-averaged Poisson spread of the sequences "
        "in flight on the p99 TPOT (m + z x 0.86 x sqrt(m)) and an M/M/1 queue for the prefill: the 405B rows "
        "fall to -47 % to -78 %. (c) The steady-state token budget, batch <= max_num_tokens / (1 + input / "
        "output): 23 rows move, MoE rows at 2,048/128 by 7 to 13 points further from the published figure, and "
        "the Quanta/HPE 8B gap (same batch cap, budgets 1,536 and 12,000 tokens, published 1.16x apart) stays "
        "unexpressed, since these rows carry the batch cap and not the budget. The slot queue stays: it matches "
        "the 70B rows, where every reading above is worse.",
    ]


def _load_table(catalog: Catalog) -> list[str]:
    """The step model at each MLPerf server/interactive run's own load (Little's law), against its mean TPOT."""
    runs = {r.id: r for r in RUNS}
    lines = [
        "",
        "### The step model at the published load (Little's law on the MLPerf logs)",
        "",
        "A server or interactive figure depends on two things: how long a step takes at a given number of "
        "sequences in flight, and how many the engine keeps in flight under the latency limits. The logs "
        "separate them: sequences in flight = completed samples/s x mean latency (Little's law), and the mean "
        "TPOT measured at that load. The model's mean step at the same load and the published layout (chunked "
        "prefill of the arriving prompts included) is compared with that mean TPOT; the p99/mean ratio is the "
        "spread across requests the latency limit sees. Source: each submission's "
        "`results/<system>/<benchmark>/<scenario>/performance/run_1/mlperf_log_summary.txt` in "
        "mlcommons/inference_results_v5.1. Not counted in the groups above (the same runs, decomposed).",
        "",
        "| run | log | in flight per replica | model KV admits | measured mean TPOT ms | model mean step ms "
        "| model / measured | measured p99 / mean |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for rid, (path, _samples_s, _latency_s, tpot_ms, tpot99_ms) in MLPERF_LOAD.items():
        in_flight, step_ms, admits = _step_at_published_load(catalog, runs[rid])
        lines.append(
            f"| {rid} | {path.split('/results/')[1]} | {in_flight:,.0f} | {admits:,} | {tpot_ms:.1f} | "
            f"{step_ms:.1f} | {step_ms / tpot_ms:.2f} | {tpot99_ms / tpot_ms:.2f} |"
        )
    return lines


def _not_comparable_table(results: list[RunResult]) -> list[str]:
    rows = [r for r in results if r.run.split == "not-comparable"]
    if not rows:
        return []
    lines = [
        "",
        "### Not comparable",
        "",
        "Published figures kept for the record but not counted: each cannot check the model for the reason given.",
        "",
        "| run | group | published | model | error | reason |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.run.id} | {r.run.group} | {_fmt(r.run.published)} | {_fmt(r.estimate)} | {r.error:+.1%} | "
            f"{r.run.why_not_comparable} |"
        )
    return lines


def bands_module(catalog: Catalog) -> str:
    """Source of planner/perf/serving_bands.py with the measured bands."""
    bands = profile_bands(catalog, serving_results(catalog))
    path = "planner/perf/serving_bands.py"
    with open(__file__.replace("validation_serving.py", "serving_bands.py"), encoding="utf-8") as f:
        text = f.read()
    head, _, rest = text.partition("BANDS: dict[str, tuple[float, float, int]] = ")
    tail = rest[rest.index("\n\n\n") :]
    body = "{\n" + "".join(f'    "{p}": {v!r},\n' for p, v in bands.items()) + "}" if bands else "{}"
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
