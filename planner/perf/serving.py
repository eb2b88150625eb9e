"""Serving throughput per unit at a latency target: replica choice, batch from memory and TPOT, roofline steps."""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.perf.factors import Factor, constant, profile_factor
from planner.perf.memory import check_precision, kv_bytes_per_token, weight_bytes
from planner.perf.steps import (
    SCALE_OUT_GB_S_PER_CHIP,
    Replica,
    effective_tpot_s,
    output_rate,
    prefill_s_per_token,
)
from planner.schema.catalog import EfficiencyProfile, Hardware, Model

# A replica spread over more scale-up domains than this is not considered (all-to-all dominates).
MAX_DOMAINS_PER_REPLICA = 8


@dataclass(frozen=True)
class ServingEstimate:
    """Throughput of one unit serving one model at a latency target."""

    output_tokens_per_s_per_unit: float
    chips_per_replica: int
    replicas_per_unit: float
    batch: int
    tpot_ms: float
    ttft_ms: float
    prefill_tokens_per_s_per_replica: float
    feasible: bool
    reason: str
    factors: dict[str, Factor]


def compute_peak(hardware: Hardware, precision: str) -> tuple[float, str]:
    """Peak FLOP/s per chip used for `precision`, and what was assumed.

    fp8 uses the FP8 peak and int8 the INT8 peak where the chip has them; otherwise (and for int4) the
    quantisation is treated as weight-only: weights shrink, matrix maths runs at the BF16 peak.
    """
    if precision == "fp8" and hardware.fp8_tflops_per_chip:
        return hardware.fp8_tflops_per_chip * 1e12, "dense FP8 peak"
    if precision == "int8" and hardware.int8_tops_per_chip:
        return hardware.int8_tops_per_chip * 1e12, "dense INT8 peak"
    if precision in ("bf16", "fp16"):
        return hardware.bf16_tflops_per_chip * 1e12, "dense BF16 peak"
    return hardware.bf16_tflops_per_chip * 1e12, f"no {precision} peak on this chip: weight-only, BF16 peak"


def _group_sizes(domain: int) -> list[int]:
    """Tensor-parallel sizes tried inside one scale-up domain: powers of two, and the whole domain."""
    sizes, size = [], 1
    while size <= domain:
        sizes.append(size)
        size *= 2
    return sorted({*sizes, domain})


def _candidates(base: Replica, hardware: Hardware) -> list[Replica]:
    """Every replica shape: TP groups inside a domain, or (MoE only) whole domains over scale-out."""
    domain = min(hardware.scale_up_domain_chips, hardware.chips_per_unit) or 1
    out = [replace(base, chips=c, domains=1) for c in _group_sizes(domain)]
    out = [r for r in out if r.max_batch() >= 1]
    if not out and base.model.is_moe:
        spread = [replace(base, chips=k * domain, domains=k) for k in range(2, MAX_DOMAINS_PER_REPLICA + 1)]
        out = [r for r in spread if r.max_batch() >= 1]
    return out


def _largest_batch(r: Replica, tpot_s: float | None) -> int:
    """Largest batch that fits memory and (with a target) keeps TPOT at or under it; 0 if none."""
    hi = r.max_batch()
    if tpot_s is None:
        return hi
    if effective_tpot_s(r, 1) > tpot_s:
        return 0
    lo = 1  # invariant: TPOT(lo) <= target; TPOT grows with the batch
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if effective_tpot_s(r, mid) <= tpot_s:
            lo = mid
        else:
            hi = mid - 1
    return lo


def serving_estimate(
    model: Model,
    hardware: Hardware,
    profile: EfficiencyProfile,
    input_tokens: float,
    output_tokens: float,
    *,
    tpot_ms: float | None = None,
    ttft_ms: float | None = None,
    precision: str = "bf16",
    memory_efficiency: float | None = None,
    compute_efficiency: float | None = None,
    beams: int = 1,
) -> ServingEstimate:
    """Best output tokens/s per unit over replica shapes, at the TPOT/TTFT targets (or offline maximum).

    `beams` > 1 is beam search of that width (see `planner.perf.steps`): each output token costs `beams`
    decode rows of compute and generated-token KV cache; the prompt is prefilled and cached once per sequence.
    Output tokens count the returned answer only.
    """
    check_precision(precision)
    if input_tokens < 0 or output_tokens <= 0:
        raise ValueError("input_tokens must be >= 0 and output_tokens > 0")
    if isinstance(beams, bool) or not isinstance(beams, int) or beams < 1:
        raise ValueError(f"beams must be an integer >= 1, got {beams!r}")
    f_mem = profile_factor(profile, "memory_efficiency", memory_efficiency, "--memory-efficiency")
    f_cmp = profile_factor(profile, "compute_efficiency", compute_efficiency, "--compute-efficiency")
    f_ovh = profile_factor(profile, "decode_overhead_ms", None, "")
    f_use = profile_factor(profile, "usable_memory_fraction", None, "")
    peak, peak_note = compute_peak(hardware, precision)
    factors = {
        "peak_tflops_per_chip": Factor(peak / 1e12, f"hardware {hardware.id} ({peak_note})"),
        "hbm_tb_s_per_chip": Factor(hardware.hbm_tb_s_per_chip, f"hardware {hardware.id}"),
        "memory_efficiency": f_mem,
        "compute_efficiency": f_cmp,
        "decode_overhead_ms": f_ovh,
        "usable_memory_fraction": f_use,
        "weights_gb": constant(weight_bytes(model, precision) / 1e9, f"{model.params_total_b} B params at {precision}"),
        "kv_kb_per_token": constant(
            kv_bytes_per_token(model, precision) / 1e3,
            f"{model.attention} KV cache in {'fp8' if precision == 'fp8' else 'bf16'}",
        ),
    }
    if beams > 1:
        factors["beams"] = constant(beams, "beam search: decode rows and generated KV per sequence; prompt KV shared")
    base = Replica(
        model,
        hardware,
        1,
        1,
        precision,
        peak,
        f_mem.value,
        f_cmp.value,
        f_ovh.value / 1e3,
        f_use.value,
        float(input_tokens),
        float(output_tokens),
        beams,
    )
    candidates = _candidates(base, hardware)
    if not candidates:
        what = "weights and one sequence's KV cache do not fit the scale-up domain"
        if model.is_moe:
            what += f" nor {MAX_DOMAINS_PER_REPLICA} domains over scale-out"
        return _infeasible(what, factors)
    if any(r.domains > 1 for r in candidates):
        factors["scale_out_gb_s_per_chip"] = constant(
            SCALE_OUT_GB_S_PER_CHIP, "200 Gb/s per chip for the expert all-to-all between units"
        )
    return _best(candidates, hardware, tpot_ms, ttft_ms, factors)


def _best(
    candidates: list[Replica],
    hardware: Hardware,
    tpot_ms: float | None,
    ttft_ms: float | None,
    factors: dict[str, Factor],
) -> ServingEstimate:
    """The replica shape with the most output tokens/s per unit that meets both targets."""
    best: ServingEstimate | None = None
    tpot_floor = ttft_floor = float("inf")
    for r in candidates:
        ttft = r.input_tokens * prefill_s_per_token(r) * 1e3
        ttft_floor = min(ttft_floor, ttft)
        if ttft_ms is not None and ttft > ttft_ms:
            continue
        tpot_floor = min(tpot_floor, effective_tpot_s(r, 1) * 1e3)
        batch = _largest_batch(r, None if tpot_ms is None else tpot_ms / 1e3)
        if batch < 1:
            continue
        per_unit = hardware.chips_per_unit // r.chips if r.chips <= hardware.chips_per_unit else None
        replicas = float(per_unit) if per_unit is not None else hardware.chips_per_unit / r.chips
        rate = output_rate(r, batch) * replicas
        if best is None or rate > best.output_tokens_per_s_per_unit * (1 + 1e-9):
            best = ServingEstimate(
                rate,
                r.chips,
                replicas,
                batch,
                effective_tpot_s(r, batch) * 1e3,
                ttft,
                1.0 / prefill_s_per_token(r),
                True,
                "",
                factors,
            )
    if best is not None:
        return best
    if ttft_ms is not None and ttft_floor > ttft_ms:
        return _infeasible(f"TTFT target {ttft_ms:g} ms below the prefill floor {ttft_floor:.0f} ms", factors)
    return _infeasible(f"TPOT target {tpot_ms:g} ms below the floor {tpot_floor:.0f} ms", factors)


def _infeasible(reason: str, factors: dict[str, Factor]) -> ServingEstimate:
    return ServingEstimate(0.0, 0, 0.0, 0, 0.0, 0.0, 0.0, False, reason, factors)
