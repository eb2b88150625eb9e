"""Published runs against the performance model; regenerates docs/validation.md.

    python -m planner.perf.validation --write docs/validation.md   # regenerate (training + serving sections)
    python -m planner.perf.validation --check docs/validation.md   # exit 1 if stale
    python -m planner.perf.validation --bands                      # rewrite planner/perf/serving_bands.py
    python -m planner.perf.validation --targets                    # exit 1 if a serving target is missed

The serving section comes from `planner.perf.validation_serving` (issue 12). The training section comes from
`planner.perf.validation_training` (issue 13) when that module exists; otherwise from the training rows below
(the issue-4 acceptance bar, training +-20 %).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planner.catalog import Catalog, load_catalog
from planner.perf.published_models import BAICHUAN2_7B, INTERNLM_7B
from planner.perf.serving import serving_estimate
from planner.perf.training import training_estimate

TOLERANCE = {"training": 0.20, "serving": 0.30}
# MLPerf Llama 2 70B (OpenOrca): mean output 294.45 tokens (mlcommons/inference language/llama2-70b/README.md);
# mean input 222.3 tokens over the 24,576 samples (per-sample lengths: validation_serving.MLPERF_LENGTHS).
ORCA_IN, ORCA_OUT = 222.3, 294.45
# MLPerf GPT-J (CNN/DailyMail 3.0.0 validation, 13,368 articles, prompts truncated at 1,919 tokens, beam width 4,
# 30-128 new tokens: mlcommons/inference language/gpt-j backend_PyTorch.py, dataset.py, download_cnndm.py;
# NVIDIA v4.0 generation_config.json runtime_beam_width 4).
# Output: 69.0 tokens per sample = 19,739.8 tok/s / 286.084 samples/s (v4.1 DGX-H100 gptj-99.9 Offline
# mlperf_log_summary.txt). Input: ESTIMATE 940 = 781 word-level tokens per article (See et al. 2017, CNN/DM)
# x ~1.13 GPT-2 BPE tokens each + ~55 tokens of instruction template; not published as a statistic.
GPTJ_IN, GPTJ_OUT, GPTJ_BEAMS = 940.0, 69.0, 4


@dataclass(frozen=True)
class Row:
    """One published run and how to estimate it."""

    id: str
    kind: str  # training | serving
    what: str
    published: float
    unit: str
    source: str
    note: str
    estimate: Callable[[Catalog], float]


@dataclass(frozen=True)
class Result:
    row: Row
    estimate: float

    @property
    def error(self) -> float:
        return self.estimate / self.row.published - 1.0

    @property
    def ok(self) -> bool:
        return abs(self.error) <= TOLERANCE[self.row.kind]


def _profile(cat: Catalog, hw_id: str):  # noqa: ANN202 - short helper
    return cat.efficiency_profiles[cat.hardware[hw_id].efficiency_profile]


def _a100_hours(model_id: str, tokens: float) -> Callable[[Catalog], float]:
    def run(cat: Catalog) -> float:
        hw = cat.hardware["hgx_a100"]
        return training_estimate(
            cat.models[model_id], hw, _profile(cat, "hgx_a100"), tokens, chips=2048, seq_len=4096
        ).accelerator_hours

    return run


def a100_40gb(cat: Catalog):  # noqa: ANN201 - a catalog Hardware object
    """DGX A100 with the 40 GB GPU (the catalog's hgx_a100 is the 80 GB part): A100 40 GB datasheet figures,
    40 GB HBM2 at 1,555 GB/s; peaks, NVLink and everything else as the 80 GB part."""
    return cat.hardware["hgx_a100"].model_copy(
        update={
            "id": "dgx_a100_40gb",
            "name": "NVIDIA DGX A100 (8x A100 SXM4 40GB)",
            "accelerator": "A100 SXM4 40GB",
            "hbm_gb_per_chip": 40.0,
            "hbm_tb_s_per_chip": 1.555,
        }
    )


def _glm_130b_days(cat: Catalog) -> float:
    # Published layout: 4-way tensor x 8-way pipeline parallelism (THUDM/GLM-130B docs), no sequence parallelism.
    return training_estimate(
        cat.models["glm_130b"],
        a100_40gb(cat),
        _profile(cat, "hgx_a100"),
        400e9,
        chips=768,
        seq_len=2048,
        tensor_parallel=4,
        pipeline_parallel=8,
        sequence_parallel=False,
    ).wall_days


def _mindspeed_tokens_per_s(model_id: str) -> Callable[[Catalog], float]:
    model = {"baichuan2_7b": BAICHUAN2_7B, "internlm_7b": INTERNLM_7B}[model_id]

    def run(cat: Catalog) -> float:
        est = training_estimate(
            model,
            cat.hardware["atlas_800t_a2"],
            _profile(cat, "atlas_800t_a2"),
            1e9,
            chips=8,
            goodput=1.0,
            seq_len=4096,
        )  # steady-state throughput: no goodput loss
        return 1e9 / (est.wall_days * 86_400 * est.chips)

    return run


def _serve(
    model_id: str,
    hw_id: str,
    inp: float,
    out: float,
    precision: str,
    *,
    tpot: float | None = None,
    per: str = "unit",
    slice_chips: int | None = None,
    beams: int = 1,
) -> Callable[[Catalog], float]:
    def run(cat: Catalog) -> float:
        hw = cat.hardware[hw_id]
        if slice_chips:  # a benchmark on part of a server: a unit of `slice_chips` chips, TP fixed to it
            hw = hw.model_copy(update={"chips_per_unit": slice_chips, "scale_up_domain_chips": slice_chips})
        est = serving_estimate(
            cat.models[model_id], hw, _profile(cat, hw_id), inp, out, tpot_ms=tpot, precision=precision, beams=beams
        )
        if not est.feasible:
            return 0.0
        rate = est.output_tokens_per_s_per_unit
        return rate / hw.chips_per_unit if per == "chip" else rate

    return run


def _nim_ttft(cat: Catalog) -> float:
    hw = cat.hardware["hgx_h100"].model_copy(update={"chips_per_unit": 2, "scale_up_domain_chips": 2})
    return serving_estimate(
        cat.models["llama_3_1_70b"], hw, _profile(cat, "hgx_h100"), 5000, 500, precision="fp8"
    ).ttft_ms


MLPERF = "mlcommons/inference_results_{}"
CAL_A100 = "calibration run (nvidia_ampere_cuda)"
ROWS: list[Row] = [
    Row(
        "llama2_7b_a100_hours",
        "training",
        "Llama 2 7B pretraining, 2.0T tokens, A100-80GB",
        184_320,
        "A100-hours",
        "meta-llama/llama MODEL_CARD.md",
        CAL_A100,
        _a100_hours("llama_2_7b", 2e12),
    ),
    Row(
        "llama2_13b_a100_hours",
        "training",
        "Llama 2 13B pretraining, 2.0T tokens, A100-80GB",
        368_640,
        "A100-hours",
        "meta-llama/llama MODEL_CARD.md",
        CAL_A100,
        _a100_hours("llama_2_13b", 2e12),
    ),
    Row(
        "llama2_70b_a100_hours",
        "training",
        "Llama 2 70B pretraining, 2.0T tokens, A100-80GB",
        1_720_320,
        "A100-hours",
        "meta-llama/llama MODEL_CARD.md",
        CAL_A100,
        _a100_hours("llama_2_70b", 2e12),
    ),
    Row(
        "glm_130b_days",
        "training",
        "GLM-130B, 400B tokens on 768 A100-40GB (96 DGX-A100), seq 2048",
        60,
        "days",
        "Zeng et al., arXiv 2210.02414 (p4: 96 DGX-A100 8x40G, 60-day access; p5: HFU 43.3 %, MFU 32.5 %)",
        "not calibrated; A100-40GB built inline (40 GB, 1.555 TB/s datasheet). Published layout TP 4 x PP 8 "
        "(THUDM/GLM-130B docs) without sequence parallelism (published in May 2022, as the run began): states "
        "18.3 + activations 28.2 GB > 36 GB usable, so "
        "full recomputation (MFU 0.45 x 6/8 = 0.34 vs 32.5 % reported). The 60 days are the access window "
        "and include the loss-spike restarts: the residual is program goodput below 0.93",
        _glm_130b_days,
    ),
    Row(
        "mindspeed_baichuan2_7b",
        "training",
        "Baichuan2-7B on Ascend 910B (MindSpeed, 8 NPUs), seq 4096",
        2_607,
        "tokens/s/NPU",
        "Ascend/ModelLink README",
        "calibration run (ascend_910b_cann); model built inline "
        "(7.51B, 32x4096, vocab 125,696); steady state, goodput 1",
        _mindspeed_tokens_per_s("baichuan2_7b"),
    ),
    Row(
        "mindspeed_internlm_7b",
        "training",
        "InternLM-7B on Ascend 910B (MindSpeed, 8 NPUs), seq 4096",
        2_943,
        "tokens/s/NPU",
        "Ascend/ModelLink README",
        "calibration run (ascend_910b_cann); model built inline "
        "(7.32B, 32x4096, vocab 103,168); steady state, goodput 1",
        _mindspeed_tokens_per_s("internlm_7b"),
    ),
    Row(
        "mlperf40_llama2_70b_h100",
        "serving",
        "MLPerf Inf. v4.0 Llama 2 70B Offline, 8x H100 (FP8)",
        21_805.8,
        "tok/s per server",
        MLPERF.format("v4.0"),
        f"calibration run; in/out {ORCA_IN:g}/{ORCA_OUT:g}",
        _serve("llama_2_70b", "hgx_h100", ORCA_IN, ORCA_OUT, "fp8"),
    ),
    Row(
        "mlperf41_llama2_70b_h100",
        "serving",
        "MLPerf Inf. v4.1 Llama 2 70B Offline, 8x H100 (FP8)",
        24_524.9,
        "tok/s per server",
        MLPERF.format("v4.1"),
        f"calibration run; in/out {ORCA_IN:g}/{ORCA_OUT:g}",
        _serve("llama_2_70b", "hgx_h100", ORCA_IN, ORCA_OUT, "fp8"),
    ),
    Row(
        "mlperf40_llama2_70b_h200",
        "serving",
        "MLPerf Inf. v4.0 Llama 2 70B Offline, 8x H200 700 W (FP8)",
        27_738.3,
        "tok/s per server",
        MLPERF.format("v4.0"),
        f"calibration run; in/out {ORCA_IN:g}/{ORCA_OUT:g}",
        _serve("llama_2_70b", "hgx_h200", ORCA_IN, ORCA_OUT, "fp8"),
    ),
    Row(
        "mlperf41_llama2_70b_h200",
        "serving",
        "MLPerf Inf. v4.1 Llama 2 70B Offline, 8x H200 700 W (FP8)",
        31_302.7,
        "tok/s per server",
        MLPERF.format("v4.1"),
        f"calibration run; in/out {ORCA_IN:g}/{ORCA_OUT:g}",
        _serve("llama_2_70b", "hgx_h200", ORCA_IN, ORCA_OUT, "fp8"),
    ),
    Row(
        "mlperf41_llama2_70b_mi300x",
        "serving",
        "MLPerf Inf. v4.1 Llama 2 70B Offline, 8x MI300X (FP8)",
        23_514.8,
        "tok/s per server",
        MLPERF.format("v4.1"),
        f"calibration run (amd_cdna3_rocm); in/out {ORCA_IN:g}/{ORCA_OUT:g}",
        _serve("llama_2_70b", "mi300x_8x", ORCA_IN, ORCA_OUT, "fp8"),
    ),
    Row(
        "mlperf41_gptj_h100",
        "serving",
        "MLPerf Inf. v4.1 GPT-J 6B Offline, 8x H100 (FP8)",
        19_739.8,
        "tok/s per server",
        MLPERF.format("v4.1"),
        f"not calibrated; beam width {GPTJ_BEAMS} (reference backend_PyTorch.py, NVIDIA generation_config.json); "
        f"out {GPTJ_OUT:g} = 19,739.8 tok/s / 286.084 samples/s (v4.1 log); in {GPTJ_IN:g} ESTIMATE (CNN/DM "
        "articles 781 word tokens, See et al. 2017, x ~1.13 BPE + template); prompt KV shared by the beams "
        "(re-read per beam it would be about -30 %)",
        _serve("gpt_j_6b", "hgx_h100", GPTJ_IN, GPTJ_OUT, "fp8", beams=GPTJ_BEAMS),
    ),
    Row(
        "nim_llama33_70b_c25",
        "serving",
        "NIM Llama-3.3-70B FP8 TP2 on 2x H100, 5000/500, concurrency 25 (ITL 38.75 ms)",
        623.4,
        "tok/s per 2 GPUs",
        "docs.nvidia.com/nim/benchmarking/llm/1.0.0/performance.md",
        "not calibrated (concurrency 1 set eta_mem/overhead); llama_3_1_70b architecture; TPOT target = measured ITL",
        _serve("llama_3_1_70b", "hgx_h100", 5000, 500, "fp8", tpot=38.75, slice_chips=2),
    ),
    Row(
        "nim_llama33_70b_c50",
        "serving",
        "NIM Llama-3.3-70B FP8 TP2 on 2x H100, 5000/500, concurrency 50 (ITL 59.73 ms)",
        814.37,
        "tok/s per 2 GPUs",
        "docs.nvidia.com/nim/benchmarking/llm/1.0.0/performance.md",
        "not calibrated; TPOT target = measured ITL",
        _serve("llama_3_1_70b", "hgx_h100", 5000, 500, "fp8", tpot=59.73, slice_chips=2),
    ),
    Row(
        "nim_llama33_70b_ttft",
        "serving",
        "NIM Llama-3.3-70B FP8 TP2 on 2x H100, 5000 input, TTFT at concurrency 1",
        406.77,
        "ms",
        "docs.nvidia.com/nim/benchmarking/llm/1.0.0/performance.md",
        "not calibrated; prefill at compute_efficiency",
        _nim_ttft,
    ),
    Row(
        "atlas800ia2_deepseek_r1",
        "serving",
        "DeepSeek-R1 A8W8 on Atlas 800I A2 (910B), 100 ms TPOT",
        765.5,
        "tok/s per card",
        "Huawei report (hardware reference D1), midpoint of 723-808",
        "calibration run (ascend_910b_cann); deepseek_v3 architecture; lengths not published, 2048/2048 "
        "assumed; published deployment disaggregates prefill (16 cards) and decode (32 cards), the model "
        "shares prefill and decode on one replica",
        _serve("deepseek_v3", "atlas_800i_a2", 2048, 2048, "int8", tpot=100, per="chip"),
    ),
]


TRAINING_ROWS = [r for r in ROWS if r.kind == "training"]


def evaluate(catalog: Catalog) -> list[Result]:
    """Every legacy training row's estimate under the catalog's current figures (the issue-4 table)."""
    return [Result(row, row.estimate(catalog)) for row in TRAINING_ROWS]


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


def render(results: list[Result]) -> str:
    """The legacy training section: one line per published run, then the median absolute error."""
    lines = [
        "## Training runs (issue 4 rows)",
        "",
        'Tolerance (issue 4): training +-20 %. "calibration run" rows set an efficiency factor of the profile',
        "named; the others were not used to set any factor.",
        "",
        "| Run | Published | Estimate | Unit | Error | Tolerance | Status | Source | Note |",
        "|---|---:|---:|---|---:|---:|---|---|---|",
    ]
    for r in results:
        status = "ok" if r.ok else "**FAIL**"
        lines.append(
            f"| {r.row.what} | {_fmt(r.row.published)} | {_fmt(r.estimate)} | {r.row.unit} | {r.error:+.1%} | "
            f"+-{TOLERANCE[r.row.kind]:.0%} | {status} | {r.row.source} | {r.row.note} |"
        )
    errors = [abs(r.error) for r in results]
    failing = [r.row.id for r in results if not r.ok]
    lines += [
        "",
        f"Median absolute error: {statistics.median(errors):.1%} over {len(results)} runs.",
        "",
        f"Rows outside tolerance: {', '.join(failing) if failing else 'none'}.",
        "",
    ]
    return "\n".join(lines)


def mlperf_lengths(catalog: Catalog) -> str:
    """The MLPerf rows with and without their data set's spread of request lengths."""
    from dataclasses import replace

    from planner.perf import validation_serving as vs

    lines = [
        "## MLPerf request lengths",
        "",
        "MLPerf requests vary in length, the TensorRT-LLM and AMD tables do not. Mean input lengths and the spread",
        f"come from the per-sample token lengths of the data sets ({vs.MLPERF_LENGTHS}); the generated output",
        "means from the accuracy logs. A decode step serves the running sequences, and a request runs for as many",
        "steps as it generates tokens, so the KV cache a step reads and holds follows the output-weighted means",
        "E[in*out]/E[out] and E[out^2]/E[out], not the plain means. The generated answers are assumed to spread",
        "as the data set's reference answers do (per-sample generated lengths are not published).",
        "",
        "| data set | mean input | mean output (generated) | weighted input | weighted output |",
        "|---|---:|---:|---:|---:|",
    ]
    names = {vs.ORCA_IN: "OpenOrca (Llama 2 70B)", vs.MIXTRAL_IN: "Mixtral mix", vs.R1_IN: "DeepSeek-R1 mix"}
    outs = {vs.ORCA_IN: vs.ORCA_OUT, vs.MIXTRAL_IN: vs.MIXTRAL_OUT, vs.R1_IN: vs.R1_OUT}
    for isl, (w_in, w_out) in vs.LENGTH_MIX.items():
        lines.append(f"| {names[isl]} | {isl:,.1f} | {outs[isl]:,.1f} | {w_in:,.1f} | {w_out:,.1f} |")
    lines += [
        "",
        "Error of each MLPerf row timed at the mean lengths only, and with the spread (the figure counted above):",
        "",
        "| run | split | mean lengths only | with the spread |",
        "|---|---|---:|---:|",
    ]
    for run in vs.RUNS:
        if run.length_mix is None:
            continue
        plain, _ = vs.estimate(catalog, replace(run, length_mix=None))
        mixed, _ = vs.estimate(catalog, run)
        lines.append(
            f"| {run.id} | {run.split} | {plain / run.published - 1:+.1%} | {mixed / run.published - 1:+.1%} |"
        )
    lines.append("")
    return "\n".join(lines)


def training_section(catalog: Catalog) -> str:
    """The training section: `planner.perf.validation_training` if present, else the issue-4 rows."""
    try:
        from planner.perf.validation_training import training_section as new_section
    except ImportError:
        return render(evaluate(catalog))
    return new_section(catalog)


def serving_section(catalog: Catalog) -> str:
    """The serving section (`planner.perf.validation_serving`)."""
    from planner.perf.validation_serving import serving_section as section

    return section(catalog)


HEADER = """# Performance model validation

Generated by `python -m planner.perf.validation --write docs/validation.md` from the bundled catalog;
`tests/test_perf_validation.py` fails if it is stale. See `docs/performance-model.md` for the formulas and
`catalogs/efficiency.yaml` for the factors (each with its source and date).
"""


def document(catalog: Catalog) -> str:
    """The whole docs/validation.md text."""
    return "\n".join([HEADER, training_section(catalog), serving_section(catalog), mlperf_lengths(catalog)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="write the markdown document to this file")
    parser.add_argument("--check", type=Path, help="exit 1 if this file differs from the regenerated document")
    parser.add_argument("--bands", action="store_true", help="rewrite planner/perf/serving_bands.py")
    parser.add_argument("--targets", action="store_true", help="exit 1 if a serving target is missed")
    parser.add_argument("--catalog", type=Path, action="append", default=[], help="extra catalog directory")
    args = parser.parse_args(argv)
    catalog = load_catalog(args.catalog)
    text = document(catalog)
    status = 0
    if args.bands:
        from planner.perf.validation_serving import bands_module

        Path(__file__).with_name("serving_bands.py").write_text(bands_module(catalog), encoding="utf-8")
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    if args.check:
        current = args.check.read_text(encoding="utf-8") if args.check.exists() else ""
        if current != text:
            print(f"{args.check} is stale; regenerate with --write", file=sys.stderr)
            status = 1
    if args.targets:
        from planner.perf.validation_serving import checker

        for problem in checker(catalog):
            print(problem, file=sys.stderr)
            status = 1
    if not (args.write or args.check or args.bands or args.targets):
        print(text)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
