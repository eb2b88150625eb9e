"""Kernel layer shared by the serving and training models: what one chip does with one operator.

Every operator of a step is timed by its own roofline at the precision of its inputs,

    t_op = max(FLOPs / (peak[precision] · η_gemm(m, n, k)), bytes / (HBM_BW · η_bw)) + t_launch,

and a step is the sum of its operators. The factors come from where each is measured: `η_gemm` from GEMM
benchmarks (large-GEMM efficiency per precision, falling at small M, the tokens in flight, and at small N·K),
`η_bw` from bandwidth tests, the link efficiency and collective latency from bus-bandwidth tests. They live in
the efficiency profile of the hardware's software stack (`catalogs/efficiency.yaml`) with source and date.

Public functions (stable; add, do not change):
- `native_precisions(hw)`: precisions the chip computes natively, with dense peaks.
- `peak_flops(hw, precision)`: dense peak FLOP/s per chip; `PrecisionError` naming the alternatives if not native.
- `bytes_per_element(precision)`: storage bytes per element (fp4/int4 with their block scales).
- `gemm_efficiency(profile, m, n, k, precision)`: achieved fraction of the peak for one GEMM shape.
- `gemm_time_s(hw, profile, m, n, k, precision, ...)`: roofline time of one (m × k) · (k × n) GEMM on one chip.
- `grouped_gemm_time_s(...)`: MoE expert GEMMs (groups of few tokens each) on one chip.
- `memory_time_s(hw, profile, nbytes)`: time to stream `nbytes` from HBM on one chip.
- `bandwidth_efficiency(profile)`, `launch_s(profile, kernels)`, `sustained_clock(hw)`.
- `allreduce_time_s(hw, profile, nbytes, group)`, `all_to_all_time_s(hw, profile, nbytes, group)`,
  `allgather_time_s(...)`, `p2p_time_s(...)`: collectives over the scale-up link (or a given link bandwidth).
"""

from __future__ import annotations

import math
from functools import lru_cache

from planner.schema.catalog import EfficiencyProfile, Hardware

# Compute precisions a GEMM can run at. nvfp4 / mxfp4 are both "fp4" for the peak (Blackwell and CDNA4 units).
COMPUTE_PRECISIONS = ("bf16", "fp16", "fp8", "int8", "fp4")
PRECISION_ALIASES = {"nvfp4": "fp4", "mxfp4": "fp4", "w4a4": "fp4", "e4m3": "fp8", "e5m2": "fp8"}
# Storage bytes per element. fp4: 4 bits + one fp8 scale per 16 (NVFP4; MXFP4 has one per 32, within 3 %);
# int4 (weight-only, W4A16 / AWQ / GPTQ): 4 bits + a 16-bit scale per group of 128.
BYTES_PER_ELEMENT = {
    "bf16": 2.0,
    "fp16": 2.0,
    "fp8": 1.0,
    "int8": 1.0,
    "fp4": 0.5 + 1.0 / 16.0,
    "int4": 0.5 + 2.0 / 128.0,
}
# Defaults when a profile does not set a kernel factor (documented in planner/schema/catalog.py).
DEFAULT_GEMM_MIN_M = 64.0
DEFAULT_GEMM_HALF_M = 32.0
DEFAULT_GEMM_HALF_NK = float(2**20)
DEFAULT_KERNEL_LAUNCH_US = 4.0
DEFAULT_COLLECTIVE_LATENCY_US = 10.0
DEFAULT_LINK_EFFICIENCY = 0.7
# Shallowest K chunk of a split-K GEMM (one K tile of the tuned CDNA kernels, e.g. CK a8w8 256x16x64x512).
K_SPLIT_MIN = 512.0


class PrecisionError(ValueError):
    """A precision the chip has no native units for (the message names the ones it has). `details`: the same in
    fields (accelerator, hardware, precision, tensor, native) for a message in another language; empty for an
    unknown precision name."""

    def __init__(self, message: str, **details: str) -> None:
        super().__init__(message)
        self.details = details


@lru_cache(maxsize=64)
def canonical_precision(precision: str) -> str:
    """Lower-case name with aliases resolved (nvfp4, mxfp4 -> fp4)."""
    p = precision.strip().lower()
    return PRECISION_ALIASES.get(p, p)


def native_precisions(hw: Hardware) -> dict[str, float]:
    """Precisions the chip computes natively, each with its dense peak in FLOP/s (or OP/s) per chip."""
    return dict(
        _native(
            hw.has_bf16,
            hw.bf16_tflops_per_chip,
            hw.fp16_tflops_per_chip,
            hw.fp8_tflops_per_chip,
            hw.int8_tops_per_chip,
            hw.fp4_tflops_per_chip,
        )
    )


@lru_cache(maxsize=256)
def _native(
    has_bf16: bool, bf16: float, fp16: float | None, fp8: float | None, int8: float | None, fp4: float | None
) -> tuple[tuple[str, float], ...]:
    hw = _Peaks(has_bf16, bf16, fp16, fp8, int8, fp4)
    out: dict[str, float] = {}
    if hw.has_bf16:
        out["bf16"] = hw.bf16_tflops_per_chip * 1e12
    out["fp16"] = (hw.fp16_tflops_per_chip or hw.bf16_tflops_per_chip) * 1e12
    if hw.fp8_tflops_per_chip:
        out["fp8"] = hw.fp8_tflops_per_chip * 1e12
    if hw.int8_tops_per_chip:
        out["int8"] = hw.int8_tops_per_chip * 1e12
    if hw.fp4_tflops_per_chip:
        out["fp4"] = hw.fp4_tflops_per_chip * 1e12
    return tuple(out.items())


class _Peaks:
    def __init__(self, has_bf16, bf16, fp16, fp8, int8, fp4) -> None:  # noqa: ANN001
        self.has_bf16, self.bf16_tflops_per_chip, self.fp16_tflops_per_chip = has_bf16, bf16, fp16
        self.fp8_tflops_per_chip, self.int8_tops_per_chip, self.fp4_tflops_per_chip = fp8, int8, fp4


def peak_flops(hw: Hardware, precision: str) -> float:
    """Dense peak FLOP/s per chip at `precision`; `PrecisionError` if the chip does not compute it natively."""
    p = canonical_precision(precision)
    peaks = _native(
        hw.has_bf16,
        hw.bf16_tflops_per_chip,
        hw.fp16_tflops_per_chip,
        hw.fp8_tflops_per_chip,
        hw.int8_tops_per_chip,
        hw.fp4_tflops_per_chip,
    )
    for name, value in peaks:
        if name == p:
            return value
    peaks = dict(peaks)
    if p not in COMPUTE_PRECISIONS:
        msg = f"unknown compute precision `{precision}`; use one of {', '.join(COMPUTE_PRECISIONS)}"
        raise PrecisionError(msg)
    msg = (
        f"{hw.accelerator} ({hw.id}) has no native {p} units; it computes natively in "
        f"{', '.join(peaks)}: choose one of those"
    )
    raise PrecisionError(
        msg, accelerator=hw.accelerator, hardware=hw.id, precision=p, tensor="", native=", ".join(peaks)
    )


@lru_cache(maxsize=64)
def bytes_per_element(precision: str) -> float:
    """Storage bytes per element of a tensor held at `precision` (block scales included for fp4/int4)."""
    p = canonical_precision(precision)
    if p not in BYTES_PER_ELEMENT:
        msg = f"unknown precision `{precision}`; use one of {', '.join(BYTES_PER_ELEMENT)}"
        raise PrecisionError(msg)
    return BYTES_PER_ELEMENT[p]


def large_gemm_efficiency(profile: EfficiencyProfile, precision: str) -> float:
    """Achieved fraction of the dense peak on large GEMMs at `precision` (GEMM benchmarks).

    A profile without kernel factors falls back to its end-to-end `compute_efficiency` (uncalibrated).
    """
    p = canonical_precision(precision)
    eff = profile.gemm_efficiency
    if p in eff:
        return eff[p]
    if p == "fp16" and "bf16" in eff:
        return eff["bf16"]
    if "bf16" in eff:
        return eff["bf16"]
    return profile.compute_efficiency


def gemm_efficiency(profile: EfficiencyProfile, m: float, n: float, k: float, precision: str) -> float:
    """Achieved fraction of the peak for an (m × k)·(k × n) GEMM.

    η = η_large[precision] · m / m' · fill(m', N, K) · N·K / (N·K + NK½), m' = max(m, m_min), fill = m' / (m' + m½)
    or, where the profile sets `gemm_half_mn`, the output-size form (see `_GemmShape.fill`). Below the tile height
    m_min the tile is padded (the GEMM costs the compute of m_min rows; it is then memory-bound anyway); above
    it partly empty waves cost m½ rows' worth; small (sharded) weight matrices leave units idle. m_min, m½ and
    NK½ come from the profile (GEMM-benchmark sweeps over M).
    """
    return _GemmShape(profile).efficiency(large_gemm_efficiency(profile, precision), m, n, k)


class _GemmShape:
    """The profile's GEMM-shape factors (tile height, half-fill points), read once."""

    __slots__ = ("m_min", "nk_half", "half_mn", "m_half")

    def __init__(self, profile: EfficiencyProfile) -> None:
        self.m_min = profile.gemm_min_m or DEFAULT_GEMM_MIN_M
        self.nk_half = profile.gemm_half_nk or DEFAULT_GEMM_HALF_NK
        self.half_mn = profile.gemm_half_mn
        self.m_half = profile.gemm_half_m or DEFAULT_GEMM_HALF_M

    def efficiency(self, large: float, m: float, n: float, k: float) -> float:
        """`gemm_efficiency` at a large-GEMM efficiency `large`."""
        m = max(float(m), 1e-9)
        nk = max(float(n) * float(k), 1.0)
        m_pad = max(m, self.m_min)
        return large * (m / m_pad) * self.fill(m_pad, n, k) * nk / (nk + self.nk_half)

    def fill(self, m: float, n: float, k: float) -> float:
        """How well a GEMM of m (padded) rows fills the chip: m / (m + m½), or, where the profile measures it by
        output size, W / (W + (MN)½) with W = m·N·s, s the K splits a small output is cut into (each at least
        K_SPLIT_MIN deep, never more than fill the chip): tuned kernels split K rather than leave compute units
        idle."""
        half_mn = self.half_mn
        if half_mn is None:
            return m / (m + self.m_half)
        area = m * max(float(n), 1.0)
        splits = max(1, min(math.floor(half_mn / area), math.floor(float(k) / K_SPLIT_MIN)))
        work = area * splits
        return work / (work + half_mn)


def sustained_clock(hw: Hardware) -> float:
    """Fraction of the peak clock the chip sustains under a full matrix load (hardware field; absent: 1)."""
    value = getattr(hw, "sustained_clock_fraction", None)
    return float(value) if value else 1.0


def bandwidth_efficiency(profile: EfficiencyProfile) -> float:
    """Achieved fraction of peak HBM bandwidth in a streaming read (bandwidth tests)."""
    return profile.bandwidth_efficiency if profile.bandwidth_efficiency is not None else profile.memory_efficiency


def memory_time_s(hw: Hardware, profile: EfficiencyProfile, nbytes: float) -> float:
    """Seconds for one chip to stream `nbytes` from its HBM."""
    return ChipRates(hw, profile).memory(nbytes)


def attention_curve(hw: Hardware, profile: EfficiencyProfile) -> list[tuple[float, float]] | None:
    """The profile's decode-attention curve for this accelerator: keyed by accelerator-name prefix (the longest
    that matches), `*` for the rest; the performance model never reads the hardware id (options that differ only
    in price share one estimate)."""
    curves = profile.attention_bandwidth_curve or {}
    named = [k for k in curves if k != "*" and hw.accelerator.startswith(k)]
    curve = curves[max(named, key=len)] if named else curves.get("*")
    return curve or None


def attention_efficiency(hw: Hardware, profile: EfficiencyProfile, nbytes: float) -> float:
    """Achieved fraction of peak HBM bandwidth of the decode-attention kernel reading `nbytes` in one call: the
    profile's measured curve for this hardware (log-interpolated, flat beyond its ends), else its single figure."""
    return ChipRates(hw, profile).attention_efficiency(nbytes)


def attention_read_time_s(hw: Hardware, profile: EfficiencyProfile, nbytes: float) -> float:
    """Seconds for one chip's decode-attention kernel to read `nbytes` of KV cache (paged, scattered blocks)."""
    return ChipRates(hw, profile).attention_read(nbytes)


def launch_s(profile: EfficiencyProfile, kernels: float = 1.0) -> float:
    """Fixed time of `kernels` kernels on the critical path."""
    us = profile.kernel_launch_us if profile.kernel_launch_us is not None else DEFAULT_KERNEL_LAUNCH_US
    return kernels * us * 1e-6


def gemm_time_s(
    hw: Hardware,
    profile: EfficiencyProfile,
    m: float,
    n: float,
    k: float,
    precision: str,
    *,
    weight_precision: str | None = None,
    activation_bytes: float | None = None,
    count: float = 1.0,
    clock_fraction: float = 1.0,
) -> float:
    """Roofline seconds of `count` (m × k)·(k × n) GEMMs on one chip, launch excluded.

    Compute runs at `precision` (the activations' precision: the chip must have it natively); weights are
    stored at `weight_precision` (default: the same; a weight-only int4 GEMM computes at bf16 or fp8 and reads
    int4 weights). Bytes: weights k·n, activations in m·k and out m·n. `clock_fraction`: the matrix-unit clock
    the chip sustains at its power limit over the clock its peak is quoted at (see `sustained_clock`).
    """
    rates = ChipRates(hw, profile, clock_fraction)
    return rates.gemm(
        m, n, k, precision, weight_precision=weight_precision, activation_bytes=activation_bytes, count=count
    )


def grouped_gemm_time_s(
    hw: Hardware,
    profile: EfficiencyProfile,
    tokens_per_group: float,
    groups: float,
    n: float,
    k: float,
    precision: str,
    *,
    weight_precision: str | None = None,
    clock_fraction: float = 1.0,
) -> float:
    """MoE expert GEMMs on one chip: `groups` experts touched, each with `tokens_per_group` tokens (see
    `ChipRates.grouped_gemm`). Launch excluded."""
    rates = ChipRates(hw, profile, clock_fraction)
    return rates.grouped_gemm(tokens_per_group, groups, n, k, precision, weight_precision=weight_precision)


class ChipRates:
    """One chip under one profile at one clock: the operator rooflines, with the factors read once.

    The step models time hundreds of thousands of operators per plan; a replica or a training layout keeps one of
    these, so each operator costs arithmetic, not attribute reads on the catalog models. The module functions
    above build one per call and give the same figures.
    """

    __slots__ = ("hw", "profile", "clock", "bytes_per_s", "shape", "_by_precision", "_curve", "_flat_attention")

    def __init__(self, hw: Hardware, profile: EfficiencyProfile, clock_fraction: float = 1.0) -> None:
        self.hw, self.profile, self.clock = hw, profile, clock_fraction
        self.bytes_per_s = hw.hbm_tb_s_per_chip * 1e12 * bandwidth_efficiency(profile)
        self.shape = _GemmShape(profile)
        # precision -> (peak at this clock, large-GEMM efficiency, bytes per element, activation bytes)
        self._by_precision: dict[str, tuple[float, float, float, float]] = {}
        self._curve: list[tuple[float, float, float]] | None | bool = False  # False: not read yet
        self._flat_attention = 0.0

    def _precision(self, precision: str) -> tuple[float, float, float, float]:
        """(dense peak FLOP/s at this clock, large-GEMM efficiency, bytes per element, activation bytes) at
        `precision`; `PrecisionError` if the chip lacks it."""
        got = self._by_precision.get(precision)
        if got is None:
            peak = peak_flops(self.hw, precision) * self.clock  # first: its error names the chip's precisions
            size = bytes_per_element(precision)
            got = (peak, large_gemm_efficiency(self.profile, precision), size, min(size, 2.0))
            self._by_precision[precision] = got
        return got

    def memory(self, nbytes: float) -> float:
        """Seconds to stream `nbytes` from HBM."""
        return max(nbytes, 0.0) / self.bytes_per_s

    def attention_efficiency(self, nbytes: float) -> float:
        """See `attention_efficiency`."""
        if self._curve is False:
            pts = attention_curve(self.hw, self.profile)
            self._curve = [(b, e, math.log(b)) for b, e in pts] if pts else None
            if not pts:
                eta = self.profile.attention_bandwidth_efficiency
                self._flat_attention = eta if eta is not None else bandwidth_efficiency(self.profile)
        pts = self._curve
        if not pts:
            return self._flat_attention
        x = math.log(max(nbytes, 1.0))
        if x <= pts[0][2]:
            return pts[0][1]
        for (_, e0, l0), (_, e1, l1) in zip(pts, pts[1:], strict=False):
            if x <= l1:
                return e0 + (e1 - e0) * (x - l0) / (l1 - l0)
        return pts[-1][1]

    def attention_read(self, nbytes: float) -> float:
        """Seconds for the decode-attention kernel to read `nbytes` of KV cache (paged, scattered blocks)."""
        if nbytes <= 0:
            return 0.0
        return nbytes / (self.hw.hbm_tb_s_per_chip * 1e12 * self.attention_efficiency(nbytes))

    def gemm(
        self,
        m: float,
        n: float,
        k: float,
        precision: str,
        *,
        weight_precision: str | None = None,
        activation_bytes: float | None = None,
        count: float = 1.0,
    ) -> float:
        """See `gemm_time_s`."""
        if m <= 0 or count <= 0:
            return 0.0
        peak, large, size, a_size = self._precision(precision)
        eta = self.shape.efficiency(large, m, n, k)
        w_b = bytes_per_element(weight_precision) if weight_precision else size
        a_b = activation_bytes if activation_bytes is not None else a_size
        flops = 2.0 * m * n * k
        nbytes = k * n * w_b + m * k * a_b + m * n * 2.0
        return count * max(flops / (peak * eta), self.memory(nbytes))

    def grouped_gemm(
        self,
        tokens_per_group: float,
        groups: float,
        n: float,
        k: float,
        precision: str,
        *,
        weight_precision: str | None = None,
    ) -> float:
        """MoE expert GEMMs on one chip: `groups` experts touched, each with `tokens_per_group` tokens.

        One grouped kernel: every group computes its tokens plus the empty half of its last tile (token counts
        per expert are not tile multiples: half a tile wasted on average), and at least one whole tile, at the
        efficiency of that row count (few tokens per expert means low η; DeepGEMM's masked grouped GEMM, 4 groups
        x 256 tokens, runs at 0.74 of the dense M = 4,096 GEMM of the same N, K, which this reproduces); every
        touched expert's weights are read once. Time never falls as a group's tokens grow.
        """
        if groups <= 0 or tokens_per_group <= 0:
            return 0.0
        peak, large, size, a_size = self._precision(precision)
        m_min = self.shape.m_min
        # rows each group's tiles compute: its tokens plus half a tile left empty at the end, never less than one
        # tile (a group of a few tokens pays for a whole tile); more tokens never cost less
        rows = max(m_min, tokens_per_group + m_min / 2.0)
        eta = self.shape.efficiency(large, rows, n, k)
        w_b = bytes_per_element(weight_precision) if weight_precision else size
        m_total = tokens_per_group * groups
        flops = 2.0 * rows * groups * n * k
        nbytes = groups * k * n * w_b + m_total * (k * a_size + n * 2.0)
        return max(flops / (peak * eta), self.memory(nbytes))


def link_efficiency(profile: EfficiencyProfile) -> float:
    """Achieved fraction of the link bandwidth in collectives."""
    return profile.link_efficiency if profile.link_efficiency is not None else DEFAULT_LINK_EFFICIENCY


def collective_latency_s(profile: EfficiencyProfile) -> float:
    """Fixed latency of one collective call."""
    us = profile.collective_latency_us
    return (us if us is not None else DEFAULT_COLLECTIVE_LATENCY_US) * 1e-6


def _link_bw(hw: Hardware, profile: EfficiencyProfile, link_gb_s: float | None) -> float:
    return (link_gb_s if link_gb_s is not None else hw.scale_up_gb_s_per_chip) * 1e9 * link_efficiency(profile)


def allreduce_time_s(
    hw: Hardware, profile: EfficiencyProfile, nbytes: float, group: int, *, link_gb_s: float | None = None
) -> float:
    """Ring all-reduce of `nbytes` per chip over `group` chips: 2·(g−1)/g · bytes over the link, plus latency."""
    if group <= 1 or nbytes <= 0:
        return 0.0
    return 2.0 * (group - 1) / group * nbytes / _link_bw(hw, profile, link_gb_s) + collective_latency_s(profile)


def allgather_time_s(
    hw: Hardware, profile: EfficiencyProfile, nbytes: float, group: int, *, link_gb_s: float | None = None
) -> float:
    """All-gather (or reduce-scatter) of a `nbytes` result per chip: (g−1)/g · bytes, plus latency."""
    if group <= 1 or nbytes <= 0:
        return 0.0
    return (group - 1) / group * nbytes / _link_bw(hw, profile, link_gb_s) + collective_latency_s(profile)


def all_to_all_time_s(
    hw: Hardware, profile: EfficiencyProfile, nbytes: float, group: int, *, link_gb_s: float | None = None
) -> float:
    """All-to-all where each chip sends `nbytes` in total, (g−1)/g of it leaving the chip, plus latency."""
    if group <= 1 or nbytes <= 0:
        return 0.0
    return (group - 1) / group * nbytes / _link_bw(hw, profile, link_gb_s) + collective_latency_s(profile)


def p2p_time_s(hw: Hardware, profile: EfficiencyProfile, nbytes: float, *, link_gb_s: float | None = None) -> float:
    """Point-to-point send of `nbytes` (pipeline stage boundary, KV transfer), plus latency."""
    if nbytes <= 0:
        return 0.0
    return nbytes / _link_bw(hw, profile, link_gb_s) + collective_latency_s(profile)
