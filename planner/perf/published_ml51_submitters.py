"""MLPerf Inference v5.1 runs of other submitters and benchmarks than the rounds above: Llama 3.1 405B and 8B
(NVIDIA, Nebius, Cisco, HPE, Quanta, Red Hat), Llama 2 70B interactive (Dell), DeepSeek-R1 (NVIDIA GB200 NVL72, Dell,
HPE open division), MI325X and MI355X rows (AMD, GigaComputing, MangoBoost), as published.

Source: mlcommons/inference_results_v5.1 at commit 965182b0 (2025-09), each run's
`<division>/<submitter>/results/<system>/<benchmark>/<scenario>/performance/run_1/mlperf_log_summary.txt` (output
tokens/s of the whole system, completed samples/s; tokens per sample = their ratio) and the engine settings of the
submission's own configuration (layout, batch cap, token budget) as `engine`. Request lengths: the data sets' token
counts (openshift-psap/performance-dashboard mlperf-data/summaries at 7100702): 405B 9,428.6 in, 8B 870.7 in,
OpenOrca 222.3, DeepSeek-R1 803.8, Mixtral 427.4. Gathered in session 12; nothing is calibrated on them.
"""

from __future__ import annotations

COMMIT = "965182b0"

# (id, group, model, hardware, chips, precision, input, output, system output tok/s, scenario, limits, layout,
#  batch cap, results path, submission, submitter, engine, note, length mix (output-weighted input, output) or None)
RUNS = [
    (
        "n51_b200_405b_offline",
        "fp4",
        "llama_3_1_405b",
        "dgx_b200",
        8,
        "fp4",
        9428.6,
        651.6,
        1624.11,
        "offline",
        None,
        "tp=2,pp=2",
        128,
        "closed/NVIDIA/results/B200-SXM-180GBx8_TRT/llama3.1-405b/Offline",
        "5.1-0069",
        "NVIDIA",
        (
            "closed/NVIDIA/configs/B200-SXM-180GBx8/Offline/llama3_1-405b.py: TP2 PP2 (2 engines), gpu_batch_size 128, "
            "runtime max_num_tokens 1536, FP4, FP8 KV"
        ),
        "out 651.6 = 1624.11 tok/s / 2.49245 samples/s",
        (9193.1, 746.1),
    ),
    (
        "n51_b200_405b_server",
        "latency",
        "llama_3_1_405b",
        "dgx_b200",
        8,
        "fp4",
        9428.6,
        654.0,
        1240.42,
        "server",
        {"tpot_ms": 175.0, "ttft_ms": 6000.0},
        "tp=4",
        256,
        "closed/NVIDIA/results/B200-SXM-180GBx8_TRT/llama3.1-405b/Server",
        "5.1-0069",
        "NVIDIA",
        (
            "closed/NVIDIA/configs/B200-SXM-180GBx8/Server/llama3_1-405b.py: TP4 PP1 (2 engines), gpu_batch_size 256, "
            "max_num_tokens 2048"
        ),
        "p99 TTFT 6 s / TPOT 175 ms; measured p99 TTFT 5.13 s, p99 TPOT 138 ms; out 654.0 (TOKENS_PER_SAMPLE)",
        (9193.1, 748.8),
    ),
    (
        "n51_b200_405b_interactive",
        "latency",
        "llama_3_1_405b",
        "dgx_b200",
        8,
        "fp4",
        9428.6,
        654.0,
        751.37,
        "interactive",
        {"tpot_ms": 80.0, "ttft_ms": 4500.0},
        "tp=4",
        256,
        "closed/NVIDIA/results/B200-SXM-180GBx8_TRT/llama3.1-405b/Interactive",
        "5.1-0069",
        "NVIDIA",
        (
            "closed/NVIDIA/configs/B200-SXM-180GBx8/Interactive/llama3_1-405b.py: TP4 PP1, gpu_batch_size 256, runtime "
            "max_num_tokens 1536"
        ),
        "p99 TTFT 4.5 s / TPOT 80 ms; measured p99 TTFT 2.51 s, p99 TPOT 77.7 ms; out 654.0 (TOKENS_PER_SAMPLE)",
        (9193.1, 748.8),
    ),
    (
        "n51_gb200x72_405b_offline",
        "fp4",
        "llama_3_1_405b",
        "gb200_nvl72",
        72,
        "fp4",
        9428.6,
        652.4,
        14774.3,
        "offline",
        None,
        "tp=2,pp=2",
        1536,
        "closed/NVIDIA/results/GB200-NVL72_GB200-186GB_aarch64x72_TRT/llama3.1-405b/Offline",
        "5.1-0071",
        "NVIDIA",
        (
            "closed/NVIDIA/configs/GB200-NVL72_GB200-186GB_aarch64x72/Offline/llama3_1-405b.py (Custom harness): TP2 "
            "PP2 (18 engines), gpu_batch_size 2048, max_num_tokens 1536"
        ),
        "out 652.4 = 14774.3 / 22.6462",
        (9193.1, 747.0),
    ),
    (
        "n51_gb200x72_405b_server",
        "latency",
        "llama_3_1_405b",
        "gb200_nvl72",
        72,
        "fp4",
        9428.6,
        653.3,
        11614.28,
        "server",
        {"tpot_ms": 175.0, "ttft_ms": 6000.0},
        "tp=4",
        256,
        "closed/NVIDIA/results/GB200-NVL72_GB200-186GB_aarch64x72_TRT/llama3.1-405b/Server",
        "5.1-0071",
        "NVIDIA",
        (
            "closed/NVIDIA/configs/GB200-NVL72_GB200-186GB_aarch64x72/Server/llama3_1-405b.py (Custom): TP4 PP1, "
            "gpu_batch_size 256, max_num_tokens 2048"
        ),
        "measured p99 TTFT 4.36 s, p99 TPOT 128 ms",
        (9193.1, 748.0),
    ),
    (
        "n51_gb200x72_405b_interactive",
        "latency",
        "llama_3_1_405b",
        "gb200_nvl72",
        72,
        "fp4",
        9428.6,
        653.3,
        9921.02,
        "interactive",
        {"tpot_ms": 80.0, "ttft_ms": 4500.0},
        "tp=4",
        1024,
        "closed/NVIDIA/results/GB200-NVL72_GB200-186GB_aarch64x72_TRT/llama3.1-405b/Interactive",
        "5.1-0071",
        "NVIDIA",
        (
            "closed/NVIDIA/configs/GB200-NVL72_GB200-186GB_aarch64x72/Interactive/llama3_1-405b.py: TP4 PP1, "
            "gpu_batch_size 2048, max_num_tokens 1024"
        ),
        "measured p99 TTFT 3.41 s, p99 TPOT 72.2 ms",
        (9193.1, 748.0),
    ),
    (
        "n51_nebius_h200_405b_offline",
        "dense_nvidia",
        "llama_3_1_405b",
        "hgx_h200",
        8,
        "fp8",
        9428.6,
        645.6,
        552.749,
        "offline",
        None,
        "tp=4,pp=2",
        512,
        "closed/Nebius/results/H200-SXM-141GBx8_TRT/llama3.1-405b/Offline",
        "5.1-0075",
        "Nebius",
        (
            "closed/Nebius/configs/H200-SXM-141GBx8/Offline/llama3_1-405b.py: TP4 PP2 (1 engine), gpu_batch_size 512, "
            "runtime max_num_tokens 1536, FP8, FP8 KV"
        ),
        "out 645.6 = 552.749 / 0.856236",
        (9193.1, 739.2),
    ),
    (
        "n51_nebius_h200_405b_server",
        "latency",
        "llama_3_1_405b",
        "hgx_h200",
        8,
        "fp8",
        9428.6,
        654.6,
        295.36,
        "server",
        {"tpot_ms": 175.0, "ttft_ms": 6000.0},
        "tp=8",
        64,
        "closed/Nebius/results/H200-SXM-141GBx8_TRT/llama3.1-405b/Server",
        "5.1-0075",
        "Nebius",
        (
            "closed/Nebius/configs/H200-SXM-141GBx8/Server/llama3_1-405b.py: TP8 PP1, gpu_batch_size 512 but runtime "
            "max_batch_size 64, max_num_tokens 2560"
        ),
        "measured p99 TTFT 5.64 s, p99 TPOT 103 ms, mean TPOT 56 ms",
        (9193.1, 749.5),
    ),
    (
        "n51_nebius_h200_405b_interactive",
        "latency",
        "llama_3_1_405b",
        "hgx_h200",
        8,
        "fp8",
        9428.6,
        652.9,
        202.78,
        "interactive",
        {"tpot_ms": 80.0, "ttft_ms": 4500.0},
        "tp=8",
        64,
        "closed/Nebius/results/H200-SXM-141GBx8_TRT/llama3.1-405b/Interactive",
        "5.1-0075",
        "Nebius",
        (
            "closed/Nebius/configs/H200-SXM-141GBx8/Interactive/llama3_1-405b.py: TP8 PP1, runtime max_batch_size 64, "
            "max_num_tokens 2560"
        ),
        "measured p99 TTFT 4.32 s, p99 TPOT 74.4 ms",
        (9193.1, 747.6),
    ),
    (
        "n51_cisco_h100x16_405b_offline",
        "dense_nvidia",
        "llama_3_1_405b",
        "hgx_h100",
        16,
        "fp8",
        9428.6,
        641.9,
        783.131,
        "offline",
        None,
        None,
        None,
        "closed/Cisco/results/HGX-H100_H100-SXM-80GBx16_TRT/llama3_1-405b/Offline",
        "5.1-0015",
        "Cisco",
        (
            "engine config for this 2-node system not in the repo (closed/Cisco/configs/llama3_1-405b only has "
            "H100_SXM_80GB_TP8PP1: TP8, gpu_batch_size 256, runtime max_num_tokens 1536, qps 0.8/node; the run's "
            "target_qps 1.8)"
        ),
        "2 nodes x 8 H100, TensorRT 10.8; out 641.9 = 783.131 / 1.22004; layout and batch left to the model",
        (9193.1, 735.0),
    ),
    (
        "n51_cisco_h100x16_405b_server",
        "latency",
        "llama_3_1_405b",
        "hgx_h100",
        16,
        "fp8",
        9428.6,
        627.2,
        563.36,
        "server",
        {"tpot_ms": 175.0, "ttft_ms": 6000.0},
        None,
        None,
        "closed/Cisco/results/HGX-H100_H100-SXM-80GBx16_TRT/llama3_1-405b/Server",
        "5.1-0015",
        "Cisco",
        "engine config not in the repo",
        "measured p99 TTFT 3.70 s, p99 TPOT 99.5 ms; out 627.2 (TOKENS_PER_SAMPLE); layout and batch left to the model",
        (9193.1, 718.1),
    ),
    (
        "n51_b200_8b_offline",
        "fp4",
        "llama_3_1_8b",
        "dgx_b200",
        8,
        "fp4",
        870.7,
        129.0,
        136752.0,
        "offline",
        None,
        "tp=1",
        6000,
        "closed/NVIDIA/results/B200-SXM-180GBx8_TRT/llama3.1-8b/Offline",
        "5.1-0069",
        "NVIDIA",
        (
            "closed/NVIDIA/configs/B200-SXM-180GBx8/Offline/llama3_1-8b.py: TP1 x8, gpu_batch_size 6000, max_num_tokens"
            " 12000, FP4, FP8 KV, CUDA graphs"
        ),
        "out 129.0 = 136752 / 1060.23",
        None,
    ),
    (
        "n51_b200_8b_server",
        "latency",
        "llama_3_1_8b",
        "dgx_b200",
        8,
        "fp4",
        870.7,
        129.0,
        128540.95,
        "server",
        {"tpot_ms": 100.0, "ttft_ms": 2000.0},
        "tp=1",
        6000,
        "closed/NVIDIA/results/B200-SXM-180GBx8_TRT/llama3.1-8b/Server",
        "5.1-0069",
        "NVIDIA",
        (
            "closed/NVIDIA/configs/B200-SXM-180GBx8/Server/llama3_1-8b.py: TP1 x8, gpu_batch_size 6000, max_num_tokens "
            "12000"
        ),
        "p99 TTFT 2 s / TPOT 100 ms; measured p99 TTFT 1.75 s, p99 TPOT 42 ms (mean 28.5 ms)",
        None,
    ),
    (
        "n51_b200_8b_interactive",
        "latency",
        "llama_3_1_8b",
        "dgx_b200",
        8,
        "fp4",
        870.7,
        129.0,
        102902.54,
        "interactive",
        {"tpot_ms": 30.0, "ttft_ms": 500.0},
        "tp=1",
        6000,
        "closed/NVIDIA/results/B200-SXM-180GBx8_TRT/llama3.1-8b/Interactive",
        "5.1-0069",
        "NVIDIA",
        (
            "closed/NVIDIA/configs/B200-SXM-180GBx8/Interactive/llama3_1-8b.py: TP1 x8, gpu_batch_size 6000, "
            "max_num_tokens 12000"
        ),
        "p99 TTFT 0.5 s / TPOT 30 ms; measured p99 TTFT 0.27 s, p99 TPOT 27.9 ms",
        None,
    ),
    (
        "n51_hpe_h200_8b_offline",
        "dense_nvidia",
        "llama_3_1_8b",
        "hgx_h200",
        8,
        "fp8",
        870.7,
        128.0,
        66036.8,
        "offline",
        None,
        "tp=1",
        2048,
        "closed/HPE/results/HPE_Cray_XD670_H200_SXM_141GBx8_TRT/llama3.1-8b/Offline",
        "5.1-0049",
        "HPE",
        (
            "closed/HPE/configs/HPE_Cray_XD670_H200_SXM_141GBx8/Offline/llama3_1-8b.py: TP1 x8, gpu_batch_size 2048, "
            "max_num_tokens 12000, FP8, FP8 KV"
        ),
        "out 128.0 = 66036.8 / 515.912",
        None,
    ),
    (
        "n51_hpe_h200_8b_server",
        "latency",
        "llama_3_1_8b",
        "hgx_h200",
        8,
        "fp8",
        870.7,
        129.0,
        64914.57,
        "server",
        {"tpot_ms": 100.0, "ttft_ms": 2000.0},
        "tp=1",
        2048,
        "closed/HPE/results/HPE_Cray_XD670_H200_SXM_141GBx8_TRT/llama3.1-8b/Server",
        "5.1-0049",
        "HPE",
        (
            "closed/HPE/configs/HPE_Cray_XD670_H200_SXM_141GBx8/Server/llama3_1-8b.py: TP1 x8, gpu_batch_size 2048, "
            "max_num_tokens 12000"
        ),
        "measured p99 TTFT 0.37 s, p99 TPOT 90.4 ms (mean 74.6 ms)",
        None,
    ),
    (
        "n51_hpe_h200_8b_interactive",
        "latency",
        "llama_3_1_8b",
        "hgx_h200",
        8,
        "fp8",
        870.7,
        129.0,
        53475.21,
        "interactive",
        {"tpot_ms": 30.0, "ttft_ms": 500.0},
        "tp=1",
        2048,
        "closed/HPE/results/HPE_Cray_XD670_H200_SXM_141GBx8_TRT/llama3.1-8b/Interactive",
        "5.1-0049",
        "HPE",
        (
            "closed/HPE/configs/HPE_Cray_XD670_H200_SXM_141GBx8/Interactive/llama3_1-8b.py: TP1 x8, gpu_batch_size "
            "2048, max_num_tokens 12000"
        ),
        "measured p99 TTFT 0.090 s, p99 TPOT 29.0 ms",
        None,
    ),
    (
        "n51_qct_h200_8b_offline",
        "dense_nvidia",
        "llama_3_1_8b",
        "hgx_h200",
        8,
        "fp8",
        870.7,
        128.0,
        56917.3,
        "offline",
        None,
        "tp=1",
        1536,
        "closed/Quanta_Cloud_Technology/results/D74U-7U_H200-SXM-141GBx8_TRT/llama3.1-8b/Offline",
        "5.1-0079",
        "Quanta_Cloud_Technology",
        (
            "closed/Quanta_Cloud_Technology/configs/D74U-7U_H200-SXM-141GBx8/Offline/llama3_1-8b.py: TP1 x8, "
            "gpu_batch_size 2048, max_num_tokens 1536"
        ),
        "out 128.0 = 56917.3 / 444.667",
        None,
    ),
    (
        "n51_redhat_h100_8b_offline",
        "dense_nvidia",
        "llama_3_1_8b",
        "hgx_h100",
        1,
        "fp8",
        870.7,
        128.0,
        5777.08,
        "offline",
        None,
        "tp=1",
        1024,
        "closed/RedHat/results/XE8640_4xH100_vLLM/llama3.1-8b/Offline",
        "5.1-0083",
        "RedHat",
        (
            "closed/RedHat/code/llama3.1-8b/README.md + run_offline_submission.sh: vLLM 0.10.0, 1x H100, --max-num-seqs"
            " 1024 --kv-cache-dtype fp8 --max-num-batched-tokens 4096"
        ),
        (
            "vLLM; weights fp8 per summary_results.json (the checkpoint named in the harness is meta-llama BF16: "
            "uncertain); out 128.0 = 5777.08 / 45.1334"
        ),
        None,
    ),
    (
        "n51_redhat_h100_8b_server",
        "latency",
        "llama_3_1_8b",
        "hgx_h100",
        1,
        "fp8",
        870.7,
        129.0,
        5103.99,
        "server",
        {"tpot_ms": 100.0, "ttft_ms": 2000.0},
        "tp=1",
        512,
        "closed/RedHat/results/XE8640_4xH100_vLLM/llama3.1-8b/Server",
        "5.1-0083",
        "RedHat",
        (
            "closed/RedHat/code/llama3.1-8b/README.md (H100 server): vllm serve --max-num-seqs 512 "
            "--max-num-batched-tokens 1024, KV dtype auto"
        ),
        (
            "vLLM; measured p99 TTFT 1.91 s, p99 TPOT 25.1 ms; KV cache BF16 here (model reads FP8 KV from the "
            "precision preset: uncertain)"
        ),
        None,
    ),
    (
        "n51_dell_h200_llama2_interactive",
        "latency",
        "llama_2_70b",
        "hgx_h200",
        8,
        "fp8",
        222.3,
        293.3,
        21915.57,
        "interactive",
        {"tpot_ms": 40.0, "ttft_ms": 450.0},
        "tp=1",
        256,
        "closed/Dell/results/XE9680_H200_SXM_141GBx8_TRT/llama2-70b-99/Interactive",
        "5.1-0026",
        "Dell",
        (
            "closed/Dell/configs/XE9680_H200_SXM_141GBx8/Interactive/llama2-70b.py: TP1 x8, gpu_batch_size 512, "
            "max_num_tokens 256"
        ),
        "measured p99 TTFT 0.37 s, p99 TPOT 38.8 ms; out 293.3 = 21915.57/74.73 (samples/s rounded)",
        (199.5, 475.1),
    ),
    (
        "n51_gb200x72_r1_offline",
        "moe",
        "deepseek_v3",
        "gb200_nvl72",
        72,
        "fp4",
        803.8,
        3714.5,
        289712.0,
        "offline",
        None,
        "tp=8,dp_attention",
        512,
        "closed/NVIDIA/results/GB200-NVL72_GB200-186GB_aarch64x72_TRT/deepseek-r1/Offline",
        "5.1-0071",
        "NVIDIA",
        (
            "closed/NVIDIA/configs/GB200-NVL72_GB200-186GB_aarch64x72/Offline/deepseek-r1.py: TP8 EP8 attention DP (9 "
            "engines), gpu_batch_size 512/rank (passed as batch 512: the model caps per attention-DP rank), "
            "max_num_tokens 4608, WIDEEP MoE, ADP balancing, FP4, FP8 KV"
        ),
        "out 3714.5 = 289712 / 77.995",
        (632.2, 9542.6),
    ),
    (
        "n51_gb200x72_r1_server",
        "latency",
        "deepseek_v3",
        "gb200_nvl72",
        72,
        "fp4",
        803.8,
        3716.7,
        167578.06,
        "server",
        {"tpot_ms": 80.0, "ttft_ms": 2000.0},
        "tp=8,dp_attention",
        512,
        "closed/NVIDIA/results/GB200-NVL72_GB200-186GB_aarch64x72_TRT/deepseek-r1/Server",
        "5.1-0071",
        "NVIDIA",
        (
            "closed/NVIDIA/configs/GB200-NVL72_GB200-186GB_aarch64x72/Server/deepseek-r1.py: TP8 EP8 attention DP, "
            "512/rank (batch 512 per rank), max_num_tokens 3456"
        ),
        "p99 TTFT 2 s / TPOT 80 ms; measured p99 TTFT 1.25 s, mean TPOT 69.6 ms; out 3716.7 (TOKENS_PER_SAMPLE)",
        (632.2, 9548.2),
    ),
    (
        "n51_dell_b200_r1_server",
        "latency",
        "deepseek_v3",
        "dgx_b200",
        8,
        "fp4",
        803.8,
        3687.7,
        13913.33,
        "server",
        {"tpot_ms": 80.0, "ttft_ms": 2000.0},
        "tp=8,dp_attention",
        512,
        "closed/Dell/results/XE9680L_B200_SXM_180GBx8_TRT/deepseek-r1/Server",
        "5.1-0024",
        "Dell",
        (
            "closed/Dell/configs/XE9680L_B200_SXM_180GBx8/Server/deepseek-r1.py: TP8 EP8 attention DP, gpu_batch_size "
            "512/rank (batch 512 per rank), max_num_tokens 3456, CUDA graphs 128-512"
        ),
        (
            "measured p99 TTFT 1.63 s, mean TPOT 61.0 ms; out 3687.7 (TOKENS_PER_SAMPLE); same chips as the existing "
            "ml51_b200_r1_server (NVIDIA, 18,592 tok/s)"
        ),
        (632.2, 9473.7),
    ),
    (
        "n51_hpe_h200_r1_offline_open",
        "moe",
        "deepseek_v3",
        "hgx_h200",
        8,
        "fp8",
        803.8,
        3827.9,
        8904.83,
        "offline",
        None,
        None,
        None,
        "open/HPE/results/HPE_Cray_XD670_H200_SXM_141GBx8_TRT/deepseek-r1/Offline",
        "5.1-0375",
        "HPE",
        "open division; no engine config in open/HPE (code/deepseek-r1 README only)",
        "TensorRT 10.8; H200 FP8; out 3827.9 = 8904.83 / 2.32632; layout and batch left to the model",
        (632.2, 9833.9),
    ),
    (
        "n51_mangoboost_mi355x32_llama2_offline_open",
        "fp4",
        "llama_2_70b",
        "mi355x_8x",
        32,
        "mxfp4",
        222.3,
        287.1,
        350820.0,
        "offline",
        None,
        None,
        None,
        "open/AMD_MangoBoost/results/32xMI355X-PollaraCluster-EPYC9575F/llama2-70b-99/Offline",
        "5.1-0102",
        "AMD_MangoBoost",
        (
            "open/AMD_MangoBoost/measurements/.../README.md: MangoBoost LLMBoost engine, 4 nodes x 8 MI355X, checkpoint"
            " Llama-2-70b-chat-hf-WMXFP4-AMXFP4-KVFP8 (same as AMD's 5.1-0099); TP and batch not published"
        ),
        (
            "open division; out 287.1 = 350820 / 1221.76; layout and batch left to the model; per chip 10,963 vs AMD's "
            "own 8x MI355X 11,631 (existing ml51_mi355x_llama2_offline)"
        ),
        (199.5, 465.1),
    ),
    (
        "n51_mi325x_mixtral_server",
        "amd",
        "mixtral_8x7b",
        "mi325x_8x",
        8,
        "fp8",
        427.4,
        143.8,
        59783.64,
        "server",
        {"tpot_ms": 200.0, "ttft_ms": 2000.0},
        "tp=1",
        2560,
        "closed/AMD/results/8xMI325X_2xEPYC_9575F_1/mixtral-8x7b/Server",
        "5.1-0002",
        "AMD",
        (
            "closed/AMD/code/mixtral-8x7b/harness_llm/models/mixtral-8x7b/server_mi325x.yaml: TP1 x8, max_num_seqs "
            "2560, max_num_batched_tokens 32000, chunked prefill off, num_scheduler_steps 10, FP8 + FP8 KV"
        ),
        "vLLM (ROCm); measured p99 TTFT 1.96 s, p99 TPOT 195 ms (mean 147 ms); out 143.8 = 59783.64 / 415.76",
        (438.6, 230.9),
    ),
    (
        "n51_gigacomputing_mi325x_llama2_interactive",
        "amd",
        "llama_2_70b",
        "mi325x_8x",
        8,
        "fp8",
        222.3,
        300.3,
        18825.92,
        "interactive",
        {"tpot_ms": 40.0, "ttft_ms": 450.0},
        "tp=1",
        2048,
        "closed/GigaComputing/results/8xMI325X_2xEPYC_9575F/llama2-70b-99/Interactive",
        "5.1-0045",
        "GigaComputing",
        (
            "closed/GigaComputing/code/llama2-70b-99/harness_llm/models/llama2-70b/interactive_mi325x.yaml: identical "
            "to AMD's (TP1 x8, async engine, target decode batch <= 2048, max_num_seqs 3840, chunked prefill)"
        ),
        (
            "vLLM (ROCm); measured p99 TTFT 0.34 s, p99 TPOT 39.6 ms (mean 34.9); out 300.3 = 18825.92 / 62.68; same "
            "config as the existing ml51_mi325x_llama2_interactive (AMD, 18,407 tok/s)"
        ),
        (199.5, 486.5),
    ),
]


# Huawei Atlas 800I A3 (8 Ascend 910C, 16 dies) serving Qwen3-Coder-480B with SGLang: sgl-project/sglang
# docs/platforms/ascend_npu_best_practice.md, section "Qwen3 480B High Throughput 50ms 3" (the version of the page
# that prints the benchmark output; CANN 8.5): bench_serving random 3,500/1,500 (range ratio 1), max concurrency 80
# (78.9 measured), 320 prompts; 1,500.50 output tokens/s (320 x 1,500 tokens / 319.89 s; the log swaps its "Input"
# and "Output" labels), mean TPOT 48.2 ms, p99 52.3 ms; W8A8; TP 16 dies with attention DP 4 and DeepEP all-to-all,
# `--max-running-requests 80`, no speculative decoding. Timed as 8 chips with attention DP, 10 sequences a rank.
ASCEND_QWEN3_480B = (
    "sgl_a3x8_qwen3_coder_480b_c80",
    "atlas_800i_a3",
    8,
    "int8",
    3500.0,
    1500.0,
    1500.50,
    "tp=8,dp_attention",
    10,
)


# Further Ascend 910C serving runs with every input stated and no speculative decoding, prefix caching or PD split.
# Each entry: (id, model, hardware, chips, precision, input, output, system output tokens/s, layout, sequences per
# attention rank (concurrency / chips, as ASCEND_QWEN3_480B), source, note, why not comparable or None). The model
# is a catalog id, or "qwen3_coder_480b_a35b" for planner/perf/published_models.py QWEN3_CODER_480B.
ASCEND_RUNS = [
    # sgl-project/sglang docs/platforms/ascend_npu_best_practice.md, "Qwen3 480B High Throughput 50ms 2": the same
    # version of the page as ASCEND_QWEN3_480B (it prints the bench_serving logs and a TPOT / "Output TPS (per
    # card)" column; stored-file id 15059544854, commit not resolvable here: the sglang snapshot exceeds the fetch
    # limit; the later versions at 0344e3da77f82a048d765d27eacc53446693e6b8 and
    # bc110721242b4fee18c4ddadd72cb0dd1e1bf34b keep the command lines and drop the figures; CANN 8.5, 2026).
    # 2 x Atlas 800I A3 (16 x 910C = 32 dies), PD mixed, W8A8 (modelslim), `--tp 32 --dp-size 4
    # --enable-dp-attention --enable-dp-lm-head --moe-a2a-backend deepep --max-running-requests 288
    # --disable-radix-cache`, no speculative algorithm; bench_serving random 3,500/1,500, range ratio 1, max
    # concurrency 288 (281.13 measured), 1,152 prompts, request rate 20; 4,637.95 output tok/s (1,728,000 tokens /
    # 372.58 s; table: 289.813 per card), mean TPOT 50.34 ms, p99 59.31, mean TTFT 15.5 s. The link between the two
    # servers is not stated; timed as one 16-package UB domain (a CloudMatrix 384 slice, same chip and profile),
    # 18 sequences a rank.
    (
        "sgl_a3x16_qwen3_coder_480b_c288",
        "qwen3_coder_480b_a35b",
        "cloudmatrix_384",
        16,
        "int8",
        3500.0,
        1500.0,
        4637.95,
        "tp=16,dp_attention",
        18,
        "sgl-project/sglang docs/platforms/ascend_npu_best_practice.md (Qwen3 480B High Throughput 50ms 2)",
        "SGLang on 2 x Atlas 800I A3 (16 x 910C), W8A8, TP 32 dies / attention DP 4 / DeepEP, concurrency 288 "
        "(18 a rank), 3,500/1,500: 4,638 output tok/s, TPOT 50.3 ms; inter-server link not stated (UB assumed)",
        "the layout (attention split 4 ways in each of 4 groups, experts over all 32 dies) is not one the model "
        "times (its attention DP holds the whole attention weights on every rank), and the link between the two "
        "servers is not published: timed as a 16-package UB slice of CloudMatrix 384 the estimate reads -7.5 %, as "
        "two Atlas 800I A3 joined by RoCE (25 GB/s a chip) -42 %",
    ),
    # vllm-project/vllm-ascend docs/source/tutorials/Qwen3-235B-A22B.md @ eab306b09c1fc6e5cb038c2d78192d9870cbbf58
    # (2025-12-27, "Reproducing Performance Results", Single Node A3 (64G*16); kept unchanged at
    # docs/source/tutorials/models/Qwen3-235B-A22B.md until 9089159822, 2026-06-29): vLLM v0.13.0, vLLM-Ascend
    # v0.13.0rc1, CANN 8.3.RC2. Qwen3-235B-A22B-w8a8 `--quantization ascend`, `--tensor-parallel-size 4
    # --data-parallel-size 4 --enable-expert-parallel` over the node's 16 dies (8 x 910C), `--max-num-seqs 128`,
    # `--no-enable-prefix-caching`, FULL_DECODE_ONLY graphs, no speculative config; vllm bench serve random
    # 3,584/1,536 with --ignore-eos. Result table: 720 requests, concurrency 144, mean TTFT 4,717 ms, mean TPOT
    # 48.69 ms, 2,761.72 output tok/s (the script above it says 800 / 160; the table's measured row is used).
    # Timed as 8 chips with attention DP (vLLM: attention TP 2 packages x DP 4, experts over all 16 dies),
    # 144 / 8 = 18 sequences a rank.
    (
        "vllm_a3x8_qwen3_235b_c144",
        "qwen3_235b_a22b",
        "atlas_800i_a3",
        8,
        "int8",
        3584.0,
        1536.0,
        2761.72,
        "tp=8,dp_attention",
        18,
        "vllm-project/vllm-ascend docs/source/tutorials/Qwen3-235B-A22B.md @ eab306b0 (Single Node A3)",
        "vLLM-Ascend 0.13.0rc1 on Atlas 800I A3 (8 x 910C), W8A8, TP 4 dies x DP 4 + EP, concurrency 144 "
        "(18 a rank), 3,584/1,536: 2,762 output tok/s, TPOT 48.7 ms; attention TP 2 packages x DP 4 timed as "
        "attention DP on each of the 8 packages (the attention weights, 6.7 GB in W8A8, read whole on every rank: "
        "about 1.3 ms more in a 49 ms step)",
        None,
    ),
]
