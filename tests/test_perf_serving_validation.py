"""Serving model v2 against published runs (planner/perf/validation_serving.py): the issue-12 targets.

Groups whose held-out rows meet the targets (median <= 10 %, max <= 25 %) are asserted at the targets. Groups
that do not yet meet them are asserted at what the model reaches today, so a regression fails too; they are
listed in REACHED with the reason, and a test fails if one of them starts meeting the target (tighten it then).
"""

from __future__ import annotations

import statistics
import time

import pytest

from planner.catalog import load_catalog
from planner.perf import validation_serving as V
from planner.perf.serving_bands import BANDS

# group -> (median bound, max bound) reached today, where the target is not met (see docs/validation.md)
REACHED: dict[str, tuple[float, float]] = {
    # Qwen3-235B: 27 rows of the TensorRT-LLM v1.0 table (header TP8) median 13 %, 19 rows of the later round at its
    # stated DEP4/DEP8 layouts -32 % to +46 %; Llama 4 on v1.0 median 26-33 %, up to +105 % (8x H100), at v0.20
    # +13 % to +93 %; DeepSeek-R1 with attention DP -47 % to +58 % (later round), +20 % to +41 % (guide, MLPerf);
    # Mixtral on v0.17 / MLPerf v4.1 +6 % to +32 %
    "moe": (0.214, 1.11),
    # median within target; DeepSeek-R1 under the 80 ms p99 TPOT limit +107 % (the model's TPOT is under the limit
    # at the offline batch: the published server figure is 0.56x the offline one, the model's about 0.96x); the
    # median rose from 7.9 % to 8.0 % with the 16-bit LM head (MLPerf H100 server row), the max fell
    # session 12 added 15 held-out MLPerf v5.1 rows of further submitters: 405B server/interactive -36 % to +5 %,
    # 8B +4 % to +48 % (vLLM on one H100 the most), DeepSeek-R1 server on B200 and GB200 NVL72 +124 % and +176 %
    "latency": (0.101, 1.77),
    # met (5.4 % / 23.4 %) until the TensorRT-LLM v0.21 round was added: its rows read -10 % to +30 % (an older
    # PyTorch-backend release, slower than v1.0 on the same configurations by up to 13 %; H200 more than H100)
    # (session 12) the MLPerf v5.1 8B rows on vLLM 0.10 (Red Hat, one H100: +37 %) and Quanta's 1,536-token
    # budget (+23 %), beside 405B at -8 % to +8 %
    "dense_nvidia": (0.068, 0.38),
    # met (6.4 % / 22.2 %) before the v0.21 round: Llama 3.1 405B FP4 TP4 on B200/GB200 -10 % to +30 % there
    "fp4": (0.084, 0.31),
}


@pytest.fixture(scope="module")
def results() -> list[V.RunResult]:
    return V.serving_results(load_catalog())


def test_at_least_40_published_runs_with_moe_non_nvidia_and_fp4(results: list[V.RunResult]) -> None:
    assert len(V.RUNS) >= 40
    moe = [r for r in V.RUNS if r.group == "moe" or "r1" in r.id or "qwen3" in r.id or "mixtral" in r.id]
    non_nvidia = [r for r in V.RUNS if r.hardware.startswith(("mi3", "cloudmatrix", "atlas"))]
    fp4 = [r for r in V.RUNS if r.precision in ("fp4", "mxfp4", "nvfp4")]
    assert len(moe) >= 5 and len(non_nvidia) >= 5 and len(fp4) >= 5
    assert len({r.id for r in V.RUNS}) == len(V.RUNS)
    assert all(r.source and r.split in ("calibration", "held-out", "not-comparable") for r in V.RUNS)
    # every row moved out of the comparison says why
    assert all(r.why_not_comparable for r in V.RUNS if r.split == "not-comparable")


@pytest.mark.parametrize("group", [g for g in V.GROUPS if g not in REACHED])
def test_group_meets_the_targets(results: list[V.RunResult], group: str) -> None:
    stats = V.group_stats(results).get(group)
    if stats is None:
        pytest.skip(f"no held-out rows in {group}")
    assert stats["median"] <= V.TARGET_MEDIAN, f"{group}: median {stats['median']:.1%}"
    assert stats["max"] <= V.TARGET_MAX, f"{group}: max {stats['max']:.1%}"


# The MoE rows checked before the v1.0 tables were taken whole (session 6) stay at the bound they had then.
MOE_ROWS_BEFORE_V10 = {
    f"trt_qwen3_235b_a22b_{c}"
    for c in (
        "hgx_h100_1000_1000",
        "hgx_h100_2048_2048",
        "hgx_h200_1000_1000",
        "hgx_h200_2048_2048",
        "dgx_b200_1000_1000",
        "dgx_b200_5000_500",
    )
}


def test_moe_rows_checked_before_the_v10_tables_not_worse(results: list[V.RunResult]) -> None:
    old = [r for r in results if r.run.group == "moe" and r.run.split == "held-out"]
    old = [
        abs(r.error)
        for r in old
        if (r.run.source not in (V.TRT, V.TRTL, V.TRT021, V.ML50) or r.run.id in MOE_ROWS_BEFORE_V10)
        and not r.run.id.startswith(("n51_", "sgl_", "vllm_a3"))  # gathered in sessions 12-13, after these were checked
    ]
    assert len(old) == 30
    assert statistics.median(old) <= 0.20 and max(old) <= 0.51, (statistics.median(old), max(old))


@pytest.mark.parametrize("group", sorted(REACHED))
def test_group_not_worse_than_reached(results: list[V.RunResult], group: str) -> None:
    stats = V.group_stats(results)[group]
    med, worst = REACHED[group]
    assert stats["median"] <= med and stats["max"] <= worst, f"{group}: {stats}"
    meets = stats["median"] <= V.TARGET_MEDIAN and stats["max"] <= V.TARGET_MAX
    assert not meets, f"{group} now meets the targets: move it out of REACHED"


# Ratios the model misses today (right in sign where the published one has a sign, off by more than 10 %):
# docs/performance-model.md, known limits. Every other ratio must be within 10 %.
_V10 = "H200/H100 {} (TRT-LLM)"
RATIO_MISSES = {
    # Llama 3.1 8B TP1 at short prompts: the model gives H200 10-15 % more (128/128, published 0.986, is within 10 %
    # since the LM head is read in 16 bits)
    *(_V10.format(f"Llama 3.1 8B {c}") for c in ("128/2048", "500/2000")),
    # large MoE models on 8x H100 (weights fill 34-63 % of the HBM): published 1.3-1.9x the model's ratio at long
    # answers; at 5000/500 the model's H200 gain is 10 % too large instead
    *(_V10.format(f"Qwen3-235B {c}") for c in ("128/2048", "128/4096", "1000/1000", "5000/500")),
    *(
        _V10.format(f"Llama 4 {m} {c}")
        for m in ("Scout", "Maverick")
        for c in ("128/2048", "128/4096", "500/2000", "1000/1000", "1000/2000", "2048/2048", "5000/500")
    ),
    "H200/H100 Mixtral 8x7B TP1 1000/1000 (TRT-LLM v0.17)",  # 1.83 vs 1.51: 47 GB of weights on an 80 GB H100
    "H200/H100 Mixtral 8x7B TP1 2048/2048 (TRT-LLM v0.17)",  # 2.34 vs 1.74: the KV-capacity rule, same cause
    # v0.21 round: the model gives H200 11-23 % more than published on dense rows at long answers (the same sign
    # as the 8B miss above, larger on this older release)
    *(
        f"H200/H100 {m} {c} (TRT-LLM v0.21)"
        for m, c in (
            ("Llama 3.1 8B TP1", "128/2048"),
            ("Llama 3.1 8B TP1", "500/2000"),
            ("Llama 3.3 70B TP2", "128/4096"),
            ("Llama 3.3 70B TP2", "2048/2048"),
            ("Llama 3.1 405B TP8", "128/2048"),
            ("Llama 3.1 405B TP8", "1024/2048"),
        )
    ),
    # Llama 4 Maverick on 8x H100/H200: published 1.46-1.66 at v0.20, 2.4-3.8 at v1.0 for the same lengths; the
    # model's 1.4-2.5 sits between, so one round's ratio is always missed
    "H200/H100 Llama 4 Maverick TP8 (v0.20) 128/4096 (TRT-LLM v0.21)",
    "H200/H100 Llama 4 Maverick TP8 (v0.20) 1024/2048 (TRT-LLM v0.21)",
}


def test_listed_ratio_misses_still_miss(results: list[V.RunResult]) -> None:
    """A ratio the model has come to get right leaves RATIO_MISSES (the list only shrinks)."""
    now = {label for label, pub, est in V.ratio_results(results) if abs(est / pub - 1) > V.RATIO_TOLERANCE}
    assert now >= RATIO_MISSES, sorted(RATIO_MISSES - now)


def test_chip_generation_ratios_right_in_sign_and_within_10_percent(results: list[V.RunResult]) -> None:
    signs, bad = [], []
    for label, pub, est in V.ratio_results(results):
        # a published ratio within RATIO_SIGN_MIN of 1 has no sign to get right; its error still counts
        if abs(pub - 1) > V.RATIO_SIGN_MIN and (est - 1) * (pub - 1) <= 0:
            signs.append(f"{label}: {est:.3f} vs {pub:.3f}")
        elif abs(est / pub - 1) > V.RATIO_TOLERANCE and label not in RATIO_MISSES:
            bad.append(f"{label}: {est:.3f} vs {pub:.3f}")
    assert not signs and not bad


def test_calibration_rows_reproduce_their_published_figures(results: list[V.RunResult]) -> None:
    """Each end-to-end-calibrated factor was set on one row: that row must come out at its published figure."""
    cal = [r for r in results if r.run.split == "calibration"]
    assert {r.run.id for r in cal} >= {"nim_llama33_70b_c1_itl", "amdlat_0715_llama_3_1_70b_b1"}
    assert all(abs(r.error) < 0.03 for r in cal), [(r.run.id, r.error) for r in cal]


def test_later_rounds_are_held_out(results: list[V.RunResult]) -> None:
    """The AMD latency round after the calibration round is held out, and its error is reported."""
    later = [r for r in results if r.run.id.startswith("amdlat_1006")]
    assert later and all(r.run.split == "held-out" for r in later)
    assert all(abs(r.error) <= V.TARGET_MAX for r in later)


def test_error_bands_module_is_current() -> None:
    cat = load_catalog()
    assert V.profile_bands(cat, V.serving_results(cat)) == BANDS, (
        "planner/perf/serving_bands.py is stale: python -m planner.perf.validation --bands"
    )


def test_estimates_carry_their_profile_band() -> None:
    from planner.perf.serving import serving_estimate

    cat = load_catalog()
    hw = cat.hardware["hgx_h100"]
    est = serving_estimate(
        cat.models["llama_3_1_70b"], hw, cat.efficiency_profiles[hw.efficiency_profile], 1000, 1000, precision="fp8"
    )
    assert est.error_band["status"] == "validated" and "validated on" in est.error_band["text"]
    gaudi = cat.hardware["gaudi3_8x"]
    est = serving_estimate(
        cat.models["llama_3_1_70b"],
        gaudi,
        cat.efficiency_profiles[gaudi.efficiency_profile],
        1000,
        1000,
        precision="fp8",
    )
    assert est.error_band["status"] == "uncalibrated"


def test_serving_estimate_is_fast() -> None:
    cat = load_catalog()
    t0 = time.perf_counter()
    for hw_id in ("hgx_h100", "hgx_h200", "mi300x_8x", "dgx_b200", "gb200_nvl72", "cloudmatrix_384", "atlas_800i_a2"):
        hw = cat.hardware[hw_id]
        for model in ("llama_3_1_70b", "qwen3_235b_a22b", "deepseek_v3"):
            from planner.perf.serving import serving_estimate

            serving_estimate(
                cat.models[model],
                hw,
                cat.efficiency_profiles[hw.efficiency_profile],
                1500,
                500,
                tpot_ms=50,
                ttft_ms=2000,
                precision="int8" if "atlas" in hw_id or "cloud" in hw_id else "fp8",
                scenario="server",
            )
    assert time.perf_counter() - t0 < 10.0  # generous; typically well under a second


def test_little_law_load_is_samples_per_second_times_latency() -> None:
    """DeepSeek-R1 MLPerf v5.1 server on 8x B200: 4.96 samples/s x 248.934 s mean latency = 1,234.7 sequences in
    flight in the one TP8 replica (hand calculation); the docs table states it with the model's step at that load."""
    _, samples_s, latency_s, _, _ = V.MLPERF_LOAD["ml51_b200_r1_server"]
    assert samples_s * latency_s == pytest.approx(1234.7, abs=0.1)
    text = "\n".join(V._load_table(load_catalog()))
    assert "| ml51_b200_r1_server | B200-SXM-180GBx8_TRT/deepseek-r1/Server | 1,235 |" in text


def test_step_at_concurrency_is_the_estimators_step() -> None:
    """The step the load table uses is the one serving_estimate times at the same batch (Llama 3.1 70B FP8 on one
    H200 at 86 sequences, under its KV limit)."""
    from planner.perf.serving import pinned_replica, serving_estimate, step_at_concurrency

    cat = load_catalog()
    hw, model = cat.hardware["hgx_h200"], cat.models["llama_3_1_70b"]
    one = V._slice(hw, 1)
    profile = cat.efficiency_profiles[hw.efficiency_profile]
    r = pinned_replica(model, one, profile, 1000, 1000, precision="fp8", layout="tp=1")
    step_ms, admits = step_at_concurrency(r, 86)
    est = serving_estimate(model, one, profile, 1000, 1000, precision="fp8", layout="tp=1", max_batch=86)
    assert est.batch == 86 and admits > 86
    assert step_ms == pytest.approx(est.tpot_ms, rel=1e-9)


def test_dense_and_moe_estimates_carry_their_own_bands() -> None:
    """On Blackwell the held-out MoE runs (DeepSeek-R1 under attention DP) err far more than the dense ones: a dense
    estimate carries the dense runs' band, not the profile's worst."""
    from planner.perf.serving_bands import error_band

    dense, moe, whole = (error_band("nvidia_blackwell_cuda", m) for m in (False, True, None))
    assert dense["text"].endswith("of dense models") and moe["text"].endswith("of MoE models")
    assert dense["max_abs_error"] < moe["max_abs_error"] == whole["max_abs_error"]
    assert dense["runs"] + moe["runs"] == whole["runs"]


def test_later_round_runs_at_the_layouts_its_tables_state() -> None:
    """The developer-guide round prints a layout per column (TPn, DEPn) and per-GPU figures: each run keeps both."""
    from planner.perf.published_trt_latest import TABLES

    runs = {r.id: r for r in V.RUNS if r.source == V.TRTL}
    r = runs["trtl_qwen3_235b_a22b_hgx_h100_1000_1000"]  # table: H100 DEP8 (FP8), 1,932 tokens/s/GPU
    assert (r.layout, r.chips, r.precision, r.published) == ("tp=8,dp_attention", 8, "fp8", 1932.0)
    r = runs["trtl_llama_3_1_70b_hgx_h200_1000_1000"]  # table: H200 TP2 (FP8), 2,587 tokens/s/GPU
    assert (r.layout, r.chips, r.published) == ("tp=2", 2, 2587.0)
    cells = sum(v is not None for _, rows in TABLES.values() for row in rows for v in row)
    assert len(runs) == cells
    # every MoE column on more than one GPU is DEP; Qwen3-30B runs TP1
    assert all(("dp_attention" in r.layout) == (r.group == "moe" and r.chips > 1) for r in runs.values())


def test_gb200_cells_far_below_b200_are_set_apart_as_host_bound() -> None:
    """GB200 has the B200's chip and more: a GB200 cell > 10 % below B200's in the same row is host-bound."""
    runs = {r.id: r for r in V.RUNS}
    # Llama 4 Scout 1000/1000: GB200 7,738 against B200 10,591 (0.73x); 128/2048: 15,238 against 14,699
    assert runs["trt_llama4_scout_gb200_nvl72_1000_1000"].why_not_comparable == V.GB200_HOST_WHY
    assert runs["trt_llama4_scout_gb200_nvl72_128_2048"].split == "held-out"
    assert runs["trt_llama4_scout_dgx_b200_1000_1000"].split == "held-out"
