"""The kernel layer (planner/perf/kernels.py): native precisions, GEMM efficiency by shape, rooflines."""

from __future__ import annotations

import pytest

from planner.perf import kernels
from planner.perf.examples import make_hardware, make_profile

H100 = make_hardware()
ASCEND_910B = make_hardware(
    bf16_tflops_per_chip=280,
    fp8_tflops_per_chip=None,
    int8_tops_per_chip=560,
    hbm_gb_per_chip=64,
    hbm_tb_s_per_chip=1.6,
    scale_up_gb_s_per_chip=300,
)
PROFILE = make_profile(memory_efficiency=0.8, compute_efficiency=0.4, decode_overhead_ms=5.0)


def test_native_precisions_and_peaks() -> None:
    assert set(kernels.native_precisions(ASCEND_910B)) == {"bf16", "fp16", "int8"}
    assert kernels.peak_flops(H100, "fp8") == pytest.approx(2 * kernels.peak_flops(H100, "bf16"), rel=0.01)
    assert kernels.canonical_precision("NVFP4") == "fp4"


def test_fp8_on_910b_is_an_error_naming_the_alternatives() -> None:
    with pytest.raises(kernels.PrecisionError, match=r"no native fp8.*bf16, fp16, int8"):
        kernels.peak_flops(ASCEND_910B, "fp8")
    with pytest.raises(kernels.PrecisionError, match="no native fp4"):
        kernels.gemm_time_s(H100, PROFILE, 1024, 8192, 8192, "mxfp4")


def test_gemm_efficiency_rises_with_tokens_in_flight() -> None:
    effs = [kernels.gemm_efficiency(PROFILE, m, 8192, 8192, "bf16") for m in (1, 16, 128, 1024, 8192)]
    assert effs == sorted(effs)
    assert effs[-1] <= kernels.large_gemm_efficiency(PROFILE, "bf16")


def test_gemm_roofline_small_m_is_memory_bound_large_m_compute_bound() -> None:
    n = k = 8192
    t1 = kernels.gemm_time_s(H100, PROFILE, 1, n, k, "bf16")
    assert t1 == pytest.approx(kernels.memory_time_s(H100, PROFILE, k * n * 2 + k * 2 + n * 2))
    big = 16384
    t_big = kernels.gemm_time_s(H100, PROFILE, big, n, k, "bf16")
    eta = kernels.gemm_efficiency(PROFILE, big, n, k, "bf16")
    assert t_big == pytest.approx(2 * big * n * k / (kernels.peak_flops(H100, "bf16") * eta))


def test_weight_only_int4_reads_a_quarter_of_the_bytes() -> None:
    # a small-M tile (16 rows, as weight-only GEMV kernels use) keeps the GEMM memory-bound at M = 1
    profile = make_profile(gemm_min_m=16, gemm_efficiency={"bf16": 0.7})
    t16 = kernels.gemm_time_s(H100, profile, 1, 8192, 8192, "bf16")
    t4 = kernels.gemm_time_s(H100, profile, 1, 8192, 8192, "bf16", weight_precision="int4")
    assert 0.25 < t4 / t16 < 0.3


def test_collectives() -> None:
    assert kernels.allreduce_time_s(H100, PROFILE, 1e6, 1) == 0.0
    t8 = kernels.allreduce_time_s(H100, PROFILE, 1e6, 8)
    t2 = kernels.allreduce_time_s(H100, PROFILE, 1e6, 2)
    assert t8 > t2 > 0


# ROCm/aiter a8w8_tuned_gemm.csv (commit fbb52ddf, MI300X cu_num=304): M, N, K, TFLOPS of tuned GEMMs at Llama 70B
# TP8 slices, each with its shape's plateau at M=16,384 (catalog source eff_aiter_mi300x_gemm).
AITER_MI300X = [
    (1024, 1280, 8192, 434.74, 886.23),
    (2048, 1280, 8192, 582.26, 886.23),
    (4096, 1280, 8192, 700.0, 886.23),
    (512, 7168, 8192, 678.96, 1044.9),
    (1024, 7168, 8192, 804.95, 1044.9),
    (2048, 7168, 8192, 940.34, 1044.9),
    (1024, 8192, 1024, 526.49, 696.98),
]


def test_output_size_fill_by_hand() -> None:
    """(MN)1/2 = 2.4e6: M=1,024 x N=1,280 fills 1.31e6 / (1.31e6 + 2.4e6) = 0.353 (no K split, the output exceeds
    half the half-point); M=16 (the tile) x N=1,280 = 20,480 is split 16 ways along K=8,192 (chunks of 512), so
    0.328e6 / (0.328e6 + 2.4e6) = 0.120; without gemm_half_mn the old M form applies."""
    p = make_profile(gemm_half_mn=2.4e6, gemm_min_m=16, gemm_half_m=24)
    eta = kernels.large_gemm_efficiency(p, "fp8")
    nk = 1280 * 8192 / (1280 * 8192 + (p.gemm_half_nk or kernels.DEFAULT_GEMM_HALF_NK))
    assert kernels.gemm_efficiency(p, 1024, 1280, 8192, "fp8") == pytest.approx(eta * 1310720 / 3710720 * nk)
    assert kernels.gemm_efficiency(p, 16, 1280, 8192, "fp8") == pytest.approx(eta * 327680 / 2727680 * nk)
    old = make_profile(gemm_min_m=16, gemm_half_m=24)
    assert kernels.gemm_efficiency(old, 1024, 1280, 8192, "fp8") == pytest.approx(eta * 1024 / 1048 * nk)


def test_output_size_fill_reproduces_the_measured_mi300x_gemms() -> None:
    """Relative to each shape's plateau, the ROCm profile's fill is within 25 % of AMD's tuned MI300X GEMMs at the
    TP8 slices (worst: N = 1,280 at M = 1,024, 0.39 for a measured 0.49) and closer than the shape-independent M
    half-point it replaced, which read N = 1,280 at M = 1,024 2x fast (0.98)."""
    from planner.catalog import load_catalog

    p = load_catalog().efficiency_profiles["amd_cdna3_rocm"]
    for m, n, k, tflops, plateau in AITER_MI300X:
        model = kernels.gemm_efficiency(p, m, n, k, "fp8") / kernels.gemm_efficiency(p, 16384, n, k, "fp8")
        old = (m / (m + 24.0)) / (16384 / (16384 + 24.0))
        assert model == pytest.approx(tflops / plateau, rel=0.25), (m, n, k)
        assert abs(model - tflops / plateau) < abs(old - tflops / plateau), (m, n, k)


def test_moe_fixed_time_is_charged_once_per_layer_for_moe_models_only() -> None:
    """`moe_layer_fixed_us` adds exactly layers x fixed to a MoE step (hand count), nothing to a dense one."""
    from planner.catalog import load_catalog
    from planner.perf.serving import pinned_replica
    from planner.perf.steps import step_time

    cat = load_catalog()
    hw = cat.hardware["dgx_b200"]
    profile = cat.efficiency_profiles[hw.efficiency_profile]
    assert profile.moe_layer_fixed_us == 75.0
    moe = cat.models["qwen3_235b_a22b"]  # 94 layers
    r = pinned_replica(moe, hw, profile, 1000, 1000, precision="fp4", layout="tp=8")
    assert step_time(r, 512).ops["moe_fixed"] == pytest.approx(94 * 75e-6)
    without = pinned_replica(
        moe, hw, profile.model_copy(update={"moe_layer_fixed_us": None}), 1000, 1000, precision="fp4", layout="tp=8"
    )
    assert step_time(r, 512).total - step_time(without, 512).total == pytest.approx(94 * 75e-6)
    dense = pinned_replica(cat.models["llama_3_1_70b"], hw, profile, 1000, 1000, precision="fp4", layout="tp=1")
    assert "moe_fixed" not in step_time(dense, 512).ops


def test_attention_curve_interpolates_in_log_bytes_and_is_flat_beyond_its_ends() -> None:
    """Hand values: halfway in log(bytes) between two points is halfway in efficiency; outside, the end value."""
    from planner.catalog import load_catalog

    cat = load_catalog()
    h100, h200 = cat.hardware["hgx_h100"], cat.hardware["hgx_h200"]
    pf = cat.efficiency_profiles["nvidia_hopper_cuda"]
    mid = (6.7e7 * 2.7e8) ** 0.5  # geometric middle of the first two points
    assert kernels.attention_efficiency(h100, pf, mid) == pytest.approx((0.58 + 0.81) / 2)
    assert kernels.attention_efficiency(h100, pf, 1e6) == pytest.approx(0.58)
    assert kernels.attention_efficiency(h100, pf, 1e11) == pytest.approx(0.90)
    assert kernels.attention_efficiency(h200, pf, 2.7e8) == pytest.approx(0.74)  # the H200's own curve
    # the curve follows the accelerator, not the hardware id (a price-only twin gets the same estimate)
    twin = h200.model_copy(update={"id": "another_quote_of_h200"})
    assert kernels.attention_efficiency(twin, pf, 2.7e8) == pytest.approx(0.74)
    # 2 GB read at 0.90 of 3.35 TB/s on H100, beyond the curve's last point
    assert kernels.attention_read_time_s(h100, pf, 2e9) == pytest.approx(2e9 / (3.35e12 * 0.90))
    # a profile without a curve keeps its single figure
    flat = pf.model_copy(update={"attention_bandwidth_curve": None, "attention_bandwidth_efficiency": 0.5})
    assert kernels.attention_efficiency(h100, flat, 1e9) == 0.5


def test_mla_decode_attention_runs_at_its_own_measured_fraction_of_the_peak() -> None:
    """Where MLA decode attention is compute-bound its time scales with 1 / mla_attention_efficiency: 0.80 (the
    BF16 GEMM plateau, what runs without the field) over 0.667 (FlashMLA on H800); a GQA model is unaffected."""
    from planner.catalog import load_catalog
    from planner.perf.serving import pinned_replica
    from planner.perf.steps import step_time

    cat = load_catalog()
    hw = cat.hardware["hgx_h200"].model_copy(update={"chips_per_unit": 1, "scale_up_domain_chips": 1})
    pf = cat.efficiency_profiles[hw.efficiency_profile]
    plain = pf.model_copy(update={"mla_attention_efficiency": None})
    assert pf.mla_attention_efficiency == 0.667 and kernels.large_gemm_efficiency(pf, "bf16") == 0.80

    def decode_ms(model, profile, ctx):
        r = pinned_replica(model, hw, profile, ctx, 2, precision="fp8", layout="tp=1")
        return step_time(r, 512).ops["attention_decode"]

    mla, gqa = cat.models["deepseek_v3"], cat.models["llama_3_1_8b"]
    # 512 sequences of 4K tokens: 4 x 512 x 4K x 128 heads x 576 FLOPs per layer, compute-bound on H200
    assert decode_ms(mla, pf, 4096) / decode_ms(mla, plain, 4096) == pytest.approx(0.80 / 0.667, rel=1e-9)
    assert decode_ms(gqa, pf, 4096) == decode_ms(gqa, plain, 4096)
