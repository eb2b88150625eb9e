"""Serving throughput per unit at a latency target: layouts, precisions per tensor, scenarios, serving modes.

`serving_estimate` searches the parallel layouts of a replica (tensor × pipeline parallelism inside a scale-up
domain, expert parallelism with or without data-parallel attention for MoE, whole domains over scale-out for MoE
models too large for one), picks the batch each layout can run at the latency targets, and returns the best
output tokens/s per unit. Steps are timed operator by operator (`planner.perf.steps` on `planner.perf.kernels`).

Scenarios (MLPerf Inference terms):
- `offline`: maximum throughput; targets, if given, are means.
- `server`: Poisson arrivals; targets are the `percentile` (default 99) of TTFT and of per-request TPOT. Per-request
  TPOT carries the prompt load admitted during the request's life (a Poisson count); TTFT adds the queueing wait
  for a batch slot from an M/M/c (Halfin–Whitt) approximation, which sets the utilisation the replica can run at.
- `interactive`: the server scenario with the tight limits a caller passes (MLPerf: TTFT 450 ms, TPOT 40 ms).

Modes: `colocated` (continuous batching with chunked prefill: prompts and decodes share each step),
`disaggregated` (separate prefill and decode pools, each at its own best layout, plus the KV transfer),
`auto` (the better of the two).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from planner.perf import kernels as K
from planner.perf.factors import Factor, constant, profile_factor
from planner.perf.memory import check_precision
from planner.perf.steps import (
    SCALE_OUT_GB_S_PER_CHIP,
    Layout,
    Precision,
    Replica,
    kv_transfer_s,
    mixed_step,
    prefill_time_s,
    prefill_tokens_per_s,
    step_time,
)
from planner.schema.catalog import EfficiencyProfile, Hardware, Model

# A replica spread over more scale-up domains than this is not considered (all-to-all dominates).
MAX_DOMAINS_PER_REPLICA = 8
# Largest decode batch an engine runs (TensorRT-LLM captures CUDA graphs up to 8,192 in its perf overview;
# vLLM/SGLang MLPerf submissions run up to ~1,800 sequences): a modelling constant, not calibrated.
MAX_BATCH = 4096
# Prompt tokens of a prefill-only step in a disaggregated prefill pool.
PREFILL_CHUNK = 8192
SCENARIOS = ("offline", "server", "interactive")
MODES = ("colocated", "disaggregated", "auto")
# Named precisions: weights, activations (compute), KV cache.
PRECISION_PRESETS = {
    "bf16": ("bf16", "bf16", "bf16"),
    "fp16": ("fp16", "fp16", "fp16"),
    "fp8": ("fp8", "fp8", "fp8"),  # FP8 engines (TRT-LLM, vLLM) keep an FP8 KV cache
    "int8": ("int8", "int8", "bf16"),  # W8A8 INT8 (SmoothQuant style), 16-bit KV cache
    "w8a8": ("int8", "int8", "bf16"),
    "int4": ("int4", "bf16", "bf16"),  # weight-only W4A16 (AWQ/GPTQ): computes at bf16
    "w4a16": ("int4", "bf16", "bf16"),
    "fp4": ("fp4", "fp4", "fp8"),  # NVFP4 / MXFP4 W4A4 with an FP8 KV cache (TRT-LLM FP4 checkpoints)
    "nvfp4": ("fp4", "fp4", "fp8"),
    "mxfp4": ("fp4", "fp4", "fp8"),
    "w4a4": ("fp4", "fp4", "fp8"),
}
# Substitutes tried, in order, for a compute precision a chip lacks (only with on_unsupported="substitute").
SUBSTITUTES = {
    "fp8": ("int8", "bf16", "fp16"),
    "fp4": ("fp8", "int8", "bf16"),
    "int8": ("fp8", "bf16"),
    "bf16": ("fp16",),
    "fp16": ("bf16",),
}
NOT_MODELLED = "not modelled: speculative decoding, prefix caching"
SUBSTITUTION_HINT = " (or allow a recorded substitution)"
NOT_MODELLED_MOE = NOT_MODELLED + ", skewed expert routing (experts are loaded as uniform routing loads them)"
NOT_MODELLED_MOE_SKEW = NOT_MODELLED + ", expert load balancers (EPLB, redundant experts)"
DP_ATTENTION_NOTE = (
    "attention data parallelism timed with each prompt prefilled on one rank while the others wait; context "
    "balancing across ranks and the engine's steps without CUDA graphs are not modelled; on published DEP runs "
    "the model reads high at short prompts and low at long ones (docs/validation.md, the later TensorRT-LLM round)"
)
PIPELINE_NOTE = (
    "pipeline-parallel layout timed without pipeline bubbles or per-stage scheduling (published serving runs mostly "
    "use tensor parallelism alone; on the MLPerf Llama 2 70B runs such a layout reads about 10 % high): pin "
    "`--layout tp=N` to compare"
)


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
    layout: str = ""
    scenario: str = "offline"
    mode: str = "colocated"
    percentile: float | None = None
    precision: str = ""
    utilisation: float = 1.0
    breakdown_ms: dict[str, float] = field(default_factory=dict)
    error_band: dict[str, float | int | str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    substitution: str = ""
    unsupported_precision: bool = False
    """Infeasible because the chip lacks native units for the precision (a substitution would make it feasible)."""
    reason_code: str = ""
    """Infeasible: what `reason` says, as a code (precision, no_fit, ttft_floor, tpot_floor) ..."""
    reason_values: dict[str, str | float] = field(default_factory=dict)
    """... and its figures, so a report can say it in its own language; empty code: only the English reason."""


def parse_precision(precision: str) -> Precision:
    """`bf16`, `fp8`, `int8`/`w8a8`, `int4`/`w4a16`, `fp4`/`nvfp4`/`mxfp4`/`w4a4`, or `w=…,a=…,kv=…`."""
    text = precision.strip().lower()
    if text in PRECISION_PRESETS:
        return Precision(*PRECISION_PRESETS[text])
    if "=" in text:
        parts = dict(p.split("=", 1) for p in text.replace(" ", "").split(",") if "=" in p)
        alias = {
            "w": "weights",
            "weights": "weights",
            "a": "activations",
            "act": "activations",
            "activations": "activations",
            "kv": "kv",
        }
        got = {alias.get(k, k): K.canonical_precision(v) for k, v in parts.items()}
        unknown = set(got) - {"weights", "activations", "kv"}
        if unknown or "weights" not in got:
            msg = f"precision `{precision}`: give weights=…, activations=…, kv=… (unknown: {', '.join(unknown)})"
            raise ValueError(msg)
        w = got["weights"]
        a = got.get("activations", "bf16" if w in ("int4",) else w)
        kv = got.get("kv", "bf16")
        for v in (w, a, kv):
            K.bytes_per_element(v)
        if a not in K.COMPUTE_PRECISIONS:
            raise ValueError(f"activations `{a}` is not a compute precision ({', '.join(K.COMPUTE_PRECISIONS)})")
        return Precision(w, a, kv)
    msg = f"unknown precision `{precision}`; use one of {', '.join(PRECISION_PRESETS)} or weights=…,activations=…,kv=…"
    raise ValueError(msg)


def parse_layout(text: str) -> Layout:
    """`tp=1,pp=2`, `tp=8,dp_attention`, `tp=8,ep=8` (ep is the stage's chips), `domains=2`."""
    tp = pp = domains = 1
    dp = False
    for raw in text.replace(" ", "").lower().split(","):
        if not raw:
            continue
        key, _, val = raw.partition("=")
        if key in ("dp_attention", "dpa", "attention_dp"):
            dp = val in ("", "1", "true", "yes")
            continue
        try:
            n = int(val)
        except ValueError:
            raise ValueError(f"layout `{text}`: `{raw}` needs an integer (e.g. tp=2,pp=2)") from None
        if n < 1:
            raise ValueError(f"layout `{text}`: {key} must be >= 1")
        if key == "tp":
            tp = n
        elif key == "pp":
            pp = n
        elif key == "ep":
            if n != tp * pp and tp == 1:
                tp = n  # experts over the stage's chips
        elif key == "domains":
            domains = n
        else:
            raise ValueError(f"layout `{text}`: unknown key `{key}` (tp, pp, ep, dp_attention, domains)")
    return Layout(tp, pp, dp, domains)


def compute_peak(hardware: Hardware, precision: str) -> tuple[float, str]:
    """Dense peak FLOP/s per chip at the compute precision of `precision`, and what was assumed."""
    pr = parse_precision(precision)
    peak = K.peak_flops(hardware, pr.activations)
    note = f"dense {pr.activations.upper()} peak"
    if pr.weights != pr.activations:
        note += f" ({pr.weights} weights dequantised to {pr.activations})"
    return peak, note


def resolve_precision(hardware: Hardware, pr: Precision) -> tuple[Precision, str]:
    """Check every tensor's precision is native on the chip; return a substituted one and what changed.

    Raises `kernels.PrecisionError` naming the alternatives when no substitution is possible.
    """
    native = K.native_precisions(hardware)
    changes = []
    act = pr.activations
    if act not in native:
        alt = next((p for p in SUBSTITUTES.get(act, ()) if p in native), None)
        if alt is None:
            K.peak_flops(hardware, act)  # raises with the alternatives
        changes.append(f"activations {act} -> {alt}")
        act = alt
    weights = pr.weights
    if weights in ("fp8", "int8", "fp4") and weights not in native and K.bytes_per_element(weights) <= 1.0:
        alt = act if K.bytes_per_element(act) <= 1.0 else "int8" if "int8" in native else act
        changes.append(f"weights {weights} -> {alt}")
        weights = alt
    kv = pr.kv
    if kv == "fp8" and "fp8" not in native:
        alt = "int8" if "int8" in native else "bf16"
        changes.append(f"KV {kv} -> {alt}")
        kv = alt
    return Precision(weights, act, kv), "; ".join(changes)


def _check_native(hardware: Hardware, pr: Precision) -> None:
    """Raise PrecisionError if any tensor needs units the chip lacks."""
    native = K.native_precisions(hardware)
    K.peak_flops(hardware, pr.activations)
    for what, p in (("weights", pr.weights), ("KV cache", pr.kv)):
        if p in ("fp8", "fp4") and p not in native:
            msg = (
                f"{hardware.accelerator} ({hardware.id}) has no native {p} units for the {what}; it computes "
                f"natively in {', '.join(native)}: choose one of those"
            )
            raise K.PrecisionError(
                msg,
                accelerator=hardware.accelerator,
                hardware=hardware.id,
                precision=p,
                tensor=what,
                native=", ".join(native),
            )


def _powers(limit: int) -> list[int]:
    out, n = [], 1
    while n <= limit:
        out.append(n)
        n *= 2
    return sorted({*out, limit})


def _layouts(model: Model, hardware: Hardware) -> list[Layout]:
    """Layouts tried inside one scale-up domain (and, for MoE too big for one, over several)."""
    domain = min(hardware.scale_up_domain_chips, hardware.chips_per_unit) or 1
    out: list[Layout] = []
    for tp in _powers(domain):
        for pp in (1, 2, 4, 8):
            if tp * pp > domain or (pp > 1 and tp * pp > 16):
                continue
            out.append(Layout(tp, pp))
            if model.is_moe and tp > 1 and pp == 1:
                out.append(Layout(tp, 1, True))
    return out


def _percentile_z(percentile: float | None) -> float:
    if percentile is None:
        return 0.0
    table = {50: 0.0, 90: 1.2816, 95: 1.6449, 99: 2.3263, 99.9: 3.0902}
    return table.get(percentile, table[min(table, key=lambda p: abs(p - percentile))])


def _tpot(r: Replica, batch: float, z: float) -> float:
    """Per-request TPOT (s) at `batch`: the mean, or its percentile with z from the Poisson prompt load."""
    if z <= 0:
        return mixed_step(r, batch).total
    arrivals = batch + z * math.sqrt(batch)  # requests admitted during one request's life (Little: mean = batch)
    return mixed_step(r, batch, arrivals * r.input_tokens / r.output_tokens).total


def _largest_within(time_at: Callable[[int], float], hi: int, target: float) -> int:
    """Largest integer b in [1, hi] with time_at(b) <= target, time_at nondecreasing; 0 if none.

    The answer a bisection gives, in fewer step timings: a step's time is nearly affine in its batch, so a guess
    interpolated between the bracket's ends lands within a row or two of the answer, and its neighbour settles it.
    Every fourth probe bisects, so an unkind curve costs at most a few times log2(hi) timings.
    """
    if hi < 1:
        return 0
    t_lo = time_at(1)
    if t_lo > target:
        return 0
    t_hi = time_at(hi)
    if t_hi <= target:
        return hi
    lo = 1
    probes = 0
    while hi - lo > 1:
        probes += 1
        if probes % 4 == 0:
            mid = (lo + hi) // 2
        else:
            guess = lo + (target - t_lo) / (t_hi - t_lo) * (hi - lo) if t_hi > t_lo else (lo + hi) / 2
            mid = min(max(int(guess), lo + 1), hi - 1)
        t = time_at(mid)
        if t <= target:
            lo, t_lo = mid, t
            if mid + 1 < hi:  # the neighbour above: one more timing often closes the bracket
                t_up = time_at(mid + 1)
                if t_up > target:
                    return mid
                lo, t_lo = mid + 1, t_up
        else:
            hi, t_hi = mid, t
            if mid - 1 > lo:
                t_down = time_at(mid - 1)
                if t_down <= target:
                    return mid - 1
                hi, t_hi = mid - 1, t_down
    return lo


def _largest_batch(r: Replica, hi: int, tpot_s: float | None, z: float) -> int:
    """Largest batch up to `hi` whose TPOT (mean or percentile) is at most the target; 0 if none."""
    if hi < 1:
        return 0
    if tpot_s is None:
        return hi
    return _largest_within(lambda b: _tpot(r, b, z), hi, tpot_s)


def _erlang_c(c: float, rho: float) -> float:
    """Probability of waiting in M/M/c at utilisation rho (Halfin–Whitt approximation, c large)."""
    if rho >= 1.0:
        return 1.0
    beta = (1.0 - rho) * math.sqrt(c)
    if beta > 30.0:  # the waiting probability underflows: no queueing
        return 0.0
    phi = math.exp(-beta * beta / 2.0) / math.sqrt(2.0 * math.pi)
    big_phi = 0.5 * (1.0 + math.erf(beta / math.sqrt(2.0)))
    return 1.0 / (1.0 + beta * big_phi / phi)


def _wait_quantile(c: float, rho: float, service_s: float, q: float) -> float:
    """The q-quantile (0..1) of the M/M/c queueing wait, seconds."""
    pw = _erlang_c(c, rho)
    tail = 1.0 - q
    if pw <= tail:
        return 0.0
    return service_s / (c * (1.0 - rho)) * math.log(pw / tail)


def _server_utilisation(slots: int, service_s: float, ttft_budget_s: float | None, q: float) -> float:
    """Highest utilisation whose q-quantile wait for a slot fits the TTFT budget left after the prefill."""
    if ttft_budget_s is None:
        return 1.0
    if ttft_budget_s <= 0:
        return 0.0
    lo, hi = 0.0, 0.999
    if _wait_quantile(slots, hi, service_s, q) <= ttft_budget_s:
        return hi
    for _ in range(40):
        mid = (lo + hi) / 2
        if _wait_quantile(slots, mid, service_s, q) <= ttft_budget_s:
            lo = mid
        else:
            hi = mid
    return lo


@dataclass(frozen=True)
class _Candidate:
    rate_per_chip: float
    replica: Replica
    batch: int
    tpot_s: float
    ttft_s: float
    utilisation: float
    breakdown: dict[str, float]
    mode: str
    prefill_rate: float


def _engine_cap(r: Replica, cap: int) -> int:
    """The engine's batch cap applies per scheduler: with data-parallel attention every rank schedules its own."""
    return cap * (r.layout.tp if r.layout.dp_attention else 1)


def _colocated(
    r: Replica,
    tpot_s: float | None,
    ttft_s: float | None,
    z: float,
    q: float | None,
    server: bool,
    cap: int,
    beat: float = 0.0,
) -> _Candidate | None:
    """The layout's best colocated candidate; None if it cannot serve at the targets, or cannot serve more than
    `beat` output tokens/s per chip (its rate is at most batch / step / chips, the utilisation being at most 1:
    a layout that cannot win is not timed further). The prefill rate is left for the winner (`_search`)."""
    hi = min(r.max_batch(), _engine_cap(r, cap))
    tpots: dict[int, float] = {}

    def tpot_at(b: int) -> float:  # the search's timings, kept: the answer's TPOT is one of them
        got = tpots.get(b)
        if got is None:
            got = tpots[b] = _tpot(r, b, z)
        return got

    batch = (hi if hi >= 1 else 0) if tpot_s is None else _largest_within(tpot_at, hi, tpot_s)
    if batch < 1:
        return None
    step = mixed_step(r, batch)
    if batch / step.total / r.chips <= beat:
        return None
    tpot = tpot_at(batch)
    # TTFT: the prompt is prefilled in the next step (half a step of waiting on average, a whole one at p99)
    ttft = prefill_time_s(r, r.input_tokens) + (step.total if z > 0 else step.total / 2.0)
    util = 1.0
    if ttft_s is not None:
        if server:
            service = r.output_tokens * tpot
            util = _server_utilisation(batch, service, ttft_s - ttft, q if q is not None else 0.5)
        elif ttft > ttft_s:
            util = 0.0
        if util <= 0.0:
            return None
    rate = util * batch / step.total / r.chips
    return _Candidate(rate, r, batch, tpot, ttft, util, step.ops, "colocated", 0.0)


def _decode_only(r: Replica, tpot_s: float | None, cap: int) -> tuple[float, int, float] | None:
    """Pure-decode pool: output tokens/s per chip, batch and TPOT at the target."""
    hi = min(r.max_batch(), _engine_cap(r, cap))
    if hi < 1:
        return None
    if tpot_s is None:
        batch = hi
    else:
        batch = _largest_within(lambda b: step_time(r, b * r.beams).total, hi, tpot_s)
        if batch < 1:
            return None
    t = step_time(r, batch * r.beams).total
    return batch / t / r.chips, batch, t


def _disaggregated(reps: list[Replica], tpot_s: float | None, ttft_s: float | None, cap: int) -> _Candidate | None:
    best_p = None
    for r in reps:
        rate = prefill_tokens_per_s(r, PREFILL_CHUNK) / r.chips
        ttft = prefill_time_s(r, r.input_tokens) + kv_transfer_s(r, SCALE_OUT_GB_S_PER_CHIP)
        if ttft_s is not None and ttft > ttft_s:
            continue
        if best_p is None or rate > best_p[0]:
            best_p = (rate, r, ttft)
    if best_p is None:
        return None
    best_d = None
    for r in reps:
        got = _decode_only(r, tpot_s, cap)
        if got and (best_d is None or got[0] > best_d[0]):
            best_d = (*got, r)
    if best_d is None:
        return None
    rate_p, _, ttft = best_p
    rate_d, batch, tpot, r_d = best_d
    ratio = r_d.input_tokens / r_d.output_tokens
    per_chip = 1.0 / (ratio / rate_p + 1.0 / rate_d)
    ops = step_time(r_d, batch * r_d.beams).ops
    return _Candidate(per_chip, r_d, batch, tpot, ttft, 1.0, ops, "disaggregated", rate_p * best_p[1].chips)


def _check_args(scenario, mode, on_unsupported, input_tokens, output_tokens, beams, precision) -> None:
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario `{scenario}`; use one of {', '.join(SCENARIOS)}")
    if mode not in MODES:
        raise ValueError(f"unknown mode `{mode}`; use one of {', '.join(MODES)}")
    if on_unsupported not in ("infeasible", "error", "substitute"):
        raise ValueError("on_unsupported must be infeasible, error or substitute")
    if input_tokens < 0 or output_tokens <= 0:
        raise ValueError("input_tokens must be >= 0 and output_tokens > 0")
    if isinstance(beams, bool) or not isinstance(beams, int) or beams < 1:
        raise ValueError(f"beams must be an integer >= 1, got {beams!r}")
    if precision.strip().lower() in ("bf16", "fp16", "fp8", "int8", "int4"):
        check_precision(precision.strip().lower())


def _replicas(
    base: Replica, model: Model, hardware: Hardware, layout: str | Layout | None, factors: dict[str, Factor]
) -> list[Replica]:
    """Replica candidates whose weights and one sequence fit: the pinned layout, or every layout tried."""
    if layout is not None:
        lay = parse_layout(layout) if isinstance(layout, str) else layout
        if lay.tp * lay.pp > max(hardware.scale_up_domain_chips, 1) and lay.domains == 1:
            raise ValueError(
                f"layout {lay.label} needs {lay.tp * lay.pp} chips in one scale-up domain; "
                f"{hardware.id} has {hardware.scale_up_domain_chips}"
            )
        reps = [replace(base, layout=lay)]
    else:
        reps = [replace(base, layout=lay) for lay in _layouts(model, hardware)]
    reps = [r for r in reps if r.max_batch() >= 1]
    if not reps and model.is_moe and layout is None:
        domain = min(hardware.scale_up_domain_chips, hardware.chips_per_unit) or 1
        spread = [replace(base, layout=Layout(domain, 1, True, k)) for k in range(2, MAX_DOMAINS_PER_REPLICA + 1)]
        reps = [r for r in spread if r.max_batch() >= 1]
        if reps:
            factors["scale_out_gb_s_per_chip"] = constant(
                SCALE_OUT_GB_S_PER_CHIP, "200 Gb/s per chip for the expert all-to-all between units"
            )
    return reps


def _apply_overrides(
    profile: EfficiencyProfile,
    factors: dict[str, Factor],
    memory_efficiency: float | None,
    compute_efficiency: float | None,
) -> EfficiencyProfile:
    """The profile with the caller's bandwidth / large-GEMM efficiency overrides applied."""
    update: dict = {}
    if memory_efficiency is not None:  # every HBM stream, the decode-attention kernel's included
        eta = factors["memory_efficiency"].value
        update.update(bandwidth_efficiency=eta, attention_bandwidth_efficiency=eta, attention_bandwidth_curve=None)
    if compute_efficiency is not None:
        update["gemm_efficiency"] = {p: factors["compute_efficiency"].value for p in K.COMPUTE_PRECISIONS}
    return profile.model_copy(update=update) if update else profile


def _no_fit_reason(model: Model, layout: str | Layout | None) -> tuple[str, str, dict[str, str | float]]:
    if layout is not None:
        text = f"weights and one sequence's KV cache do not fit layout {layout}"
        return text, "no_fit_layout", {"layout": str(layout)}
    if model.is_moe:
        text = (
            "weights and one sequence's KV cache do not fit the scale-up domain "
            f"nor {MAX_DOMAINS_PER_REPLICA} domains over scale-out"
        )
        return text, "no_fit_domains", {"domains": float(MAX_DOMAINS_PER_REPLICA)}
    return "weights and one sequence's KV cache do not fit the scale-up domain", "no_fit", {}


def _no_candidate_reason(
    reps: list[Replica], tpot_ms: float | None, ttft_ms: float | None, z: float = 0.0
) -> tuple[str, str, dict[str, str | float]]:
    """Why no batch meets the latency targets, with the floor that rules them out: each target is checked at one
    sequence as the search does (the percentile TPOT; the prefill plus the wait for the step in flight)."""
    prefill = min(prefill_time_s(r, r.input_tokens) for r in reps) * 1e3
    if ttft_ms is not None and prefill > ttft_ms:
        text = f"TTFT target {ttft_ms:g} ms below the prefill floor {prefill:.0f} ms"
        return text, "ttft_floor", {"target": float(ttft_ms), "floor": round(prefill)}
    tpot = min(_tpot(r, 1.0, z) for r in reps) * 1e3
    if tpot_ms is not None and tpot > tpot_ms:
        text = f"TPOT target {tpot_ms:g} ms below the floor {tpot:.1f} ms"
        return text, "tpot_floor", {"target": float(tpot_ms), "floor": round(tpot, 1)}
    waited = min(
        prefill_time_s(r, r.input_tokens) + (step_time(r, r.beams).total if z > 0 else step_time(r, r.beams).total / 2)
        for r in reps
    )
    if ttft_ms is not None and waited * 1e3 > ttft_ms:
        text = (
            f"TTFT target {ttft_ms:g} ms below the floor {waited * 1e3:.0f} ms "
            "(the prompt's prefill and the wait for the step in flight)"
        )
        return text, "ttft_wait_floor", {"target": float(ttft_ms), "floor": round(waited * 1e3)}
    # both floors are met alone: at the TPOT target too few sequences run at once for the queue to keep the TTFT
    tpot_s = None if tpot_ms is None else tpot_ms / 1e3
    batch = max(_largest_batch(r, min(r.max_batch(), MAX_BATCH), tpot_s, z) for r in reps)
    text = (
        f"at the TPOT target {tpot_ms or 0:g} ms only "
        + ("one sequence runs" if batch == 1 else f"{batch} sequences run")
        + f" at once, too few for requests to wait less than the TTFT target {ttft_ms or 0:g} ms allows"
    )
    return text, "latency_pair", {"tpot": float(tpot_ms or 0.0), "ttft": float(ttft_ms or 0.0), "batch": batch}


def _search(reps: list[Replica], mode: str, tpot_ms, ttft_ms, percentile, scenario, cap) -> _Candidate | None:
    tpot_s = None if tpot_ms is None else tpot_ms / 1e3
    ttft_s = None if ttft_ms is None else ttft_ms / 1e3
    z = _percentile_z(percentile)
    q = None if percentile is None else percentile / 100.0
    server = scenario != "offline"
    best: _Candidate | None = None
    if mode in ("colocated", "auto"):
        for r in reps:
            beat = 0.0 if best is None else best.rate_per_chip * (1 + 1e-9)
            c = _colocated(r, tpot_s, ttft_s, z, q, server, cap, beat)
            if c and (best is None or c.rate_per_chip > best.rate_per_chip * (1 + 1e-9)):
                best = c
    if mode in ("disaggregated", "auto"):
        c = _disaggregated(reps, tpot_s, ttft_s, cap)
        if c and (best is None or c.rate_per_chip > best.rate_per_chip * (1 + 1e-9)):
            best = c
    if best is not None and best.mode == "colocated":
        best = replace(best, prefill_rate=prefill_tokens_per_s(best.replica, PREFILL_CHUNK))
    return best


_CACHE: dict[tuple, ServingEstimate] = {}
_CACHE_MAX = 4096


def length_mix_from_spread(input_tokens: float, output_tokens: float, output_cv: float) -> tuple[float, float]:
    """The output-weighted mean lengths (E[in*out]/E[out], E[out^2]/E[out]) of a request mix whose answers have mean
    `output_tokens` and coefficient of variation `output_cv` (standard deviation over mean; 1 is an exponential
    spread, as chat answers roughly have), prompts independent of answer length: (input, output * (1 + cv^2))."""
    if output_cv < 0:
        raise ValueError("output_cv must be >= 0")
    return float(input_tokens), float(output_tokens) * (1.0 + output_cv * output_cv)


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
    scenario: str = "offline",
    layout: str | Layout | None = None,
    mode: str = "colocated",
    percentile: float | None = None,
    on_unsupported: str = "infeasible",
    max_batch: int | None = None,
    length_mix: tuple[float, float] | None = None,
) -> ServingEstimate:
    """Best output tokens/s per unit over layouts at the TPOT/TTFT targets (or the offline maximum).

    `precision`: a preset (bf16, fp8, int8/w8a8, int4/w4a16, fp4/nvfp4/mxfp4) or `weights=…,activations=…,kv=…`.
    A precision the chip has no native units for: `on_unsupported="infeasible"` (default) returns an infeasible
    estimate whose reason names the native alternatives, `"error"` raises `kernels.PrecisionError`,
    `"substitute"` runs at the nearest native precision and records the substitution (field `substitution`,
    factor `precision_substitution`, a note). It never runs silently at another precision.
    `scenario`: offline | server | interactive; `percentile`: the targets' percentile (server/interactive
    default 99; offline default: means). `layout`: pin one (`"tp=1,pp=2"`). `mode`: colocated |
    disaggregated | auto. `memory_efficiency` / `compute_efficiency` override the profile's bandwidth and
    large-GEMM efficiencies. `beams` > 1 is beam search (prompt KV shared by the beams). `max_batch` caps the
    engine's batch (a published run's setting). `length_mix`: a mix of request lengths as its
    output-token-weighted means (E[in·out]/E[out], E[out²]/E[out]); the KV cache each running sequence reads and
    holds follows them (absent: every request has the mean lengths `input_tokens`, `output_tokens`).

    A pure function of its inputs, memoised on the contents of model, hardware and profile and the arguments
    (the sizing core calls it for every workload x hardware, often with repeats).
    """
    kwargs = {
        "tpot_ms": tpot_ms,
        "ttft_ms": ttft_ms,
        "precision": precision,
        "memory_efficiency": memory_efficiency,
        "compute_efficiency": compute_efficiency,
        "beams": beams,
        "scenario": scenario,
        "layout": layout,
        "mode": mode,
        "percentile": percentile,
        "on_unsupported": on_unsupported,
        "max_batch": max_batch,
        "length_mix": length_mix,
    }
    key = (
        model.model_dump_json(),
        hardware.model_dump_json(),
        profile.model_dump_json(),
        repr(input_tokens),
        repr(output_tokens),
        tuple((k, repr(v)) for k, v in kwargs.items()),
    )
    hit = _CACHE.get(key)
    if hit is None:
        hit = _serving_estimate(model, hardware, profile, input_tokens, output_tokens, **kwargs)  # type: ignore[arg-type]
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = hit
    return hit


def _serving_estimate(
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
    scenario: str = "offline",
    layout: str | Layout | None = None,
    mode: str = "colocated",
    percentile: float | None = None,
    on_unsupported: str = "infeasible",
    max_batch: int | None = None,
    length_mix: tuple[float, float] | None = None,
) -> ServingEstimate:
    """The uncached estimate (see `serving_estimate`)."""
    _check_args(scenario, mode, on_unsupported, input_tokens, output_tokens, beams, precision)
    pr = parse_precision(precision)
    if percentile is None and scenario != "offline":
        percentile = 99.0
    substitution = ""
    try:
        _check_native(hardware, pr)
    except K.PrecisionError as exc:
        if on_unsupported == "error":
            raise
        if on_unsupported == "infeasible":
            factors = {"peak_tflops_per_chip": Factor(hardware.bf16_tflops_per_chip, f"hardware {hardware.id}")}
            why = (f"{exc}{SUBSTITUTION_HINT}", "precision", dict(exc.details)) if exc.details else f"{exc}"
            est = _infeasible(why, factors, scenario, mode, pr.label)
            return replace(est, unsupported_precision=True)
        try:
            pr, substitution = resolve_precision(hardware, pr)
        except K.PrecisionError as no_substitute:
            factors = {"peak_tflops_per_chip": Factor(hardware.bf16_tflops_per_chip, f"hardware {hardware.id}")}
            return _infeasible(str(no_substitute), factors, scenario, mode, pr.label)
    factors = _factors(model, hardware, profile, pr, memory_efficiency, compute_efficiency, substitution)
    profile = _apply_overrides(profile, factors, memory_efficiency, compute_efficiency)
    if beams > 1:
        factors["beams"] = constant(beams, "beam search: decode rows and generated KV per sequence; prompt KV shared")
    base = _replica(model, hardware, profile, pr, input_tokens, output_tokens, beams)
    base = _with_length_mix(base, length_mix, factors)
    reps = _replicas(base, model, hardware, layout, factors)
    if not reps:
        return _infeasible(_no_fit_reason(model, layout), factors, scenario, mode, pr.label)
    cap = MAX_BATCH if max_batch is None else max(1, min(MAX_BATCH, int(max_batch)))
    best = _search(reps, mode, tpot_ms, ttft_ms, percentile, scenario, cap)
    if best is None:
        why = _no_candidate_reason(reps, tpot_ms, ttft_ms, _percentile_z(percentile))
        return _infeasible(why, factors, scenario, mode, pr.label)
    r = best.replica
    notes = _notes(model, base, hardware, substitution, r.layout)
    per_unit = hardware.chips_per_unit // r.chips if r.chips <= hardware.chips_per_unit else None
    replicas = float(per_unit) if per_unit is not None else hardware.chips_per_unit / r.chips
    rate_unit = best.rate_per_chip * r.chips * replicas
    from planner.perf.serving_bands import error_band

    return ServingEstimate(
        rate_unit,
        r.chips,
        replicas,
        best.batch,
        best.tpot_s * 1e3,
        best.ttft_s * 1e3,
        best.prefill_rate,
        True,
        "",
        factors,
        layout=r.layout.label,
        scenario=scenario,
        mode=best.mode,
        percentile=percentile,
        precision=pr.label,
        utilisation=best.utilisation,
        breakdown_ms={k: v * 1e3 for k, v in best.breakdown.items()},
        error_band=error_band(profile.id, model.is_moe, announced=hardware.roadmap),
        notes=notes,
        substitution=substitution,
    )


def _notes(model: Model, base: Replica, hardware: Hardware, substitution: str, layout: Layout) -> tuple[str, ...]:
    """What the estimate does not express, and what it assumed, in the order a reader needs it."""
    notes = [(NOT_MODELLED_MOE_SKEW if model.expert_load_cv else NOT_MODELLED_MOE) if model.is_moe else NOT_MODELLED]
    if base.mix_output_tokens is not None:
        notes.append(f"request lengths spread: running sequences hold answers of {base.decode_output:,.0f} tokens")
    if substitution:
        notes.append(f"precision substituted on {hardware.id}: {substitution}")
    if layout.pp > 1:
        notes.append(PIPELINE_NOTE)
    if layout.dp_attention:
        notes.append(DP_ATTENTION_NOTE)
    return tuple(notes)


def _with_length_mix(base: Replica, length_mix: tuple[float, float] | None, factors: dict[str, Factor]) -> Replica:
    """The replica serving a mix of request lengths (its output-weighted means), recorded as a workload factor."""
    if length_mix is None:
        return base
    mix_in, mix_out = (float(x) for x in length_mix)
    if mix_in < 0 or mix_out <= 0:
        raise ValueError("length_mix must be (weighted input >= 0, weighted output > 0)")
    # no request outgrows the model's context window: a very long tail is cut there
    room = max(float(base.model.context_tokens) - mix_in, 1.0)
    mix_out = min(mix_out, room)
    factors["length_mix"] = Factor(
        mix_out,
        f"workload input: the spread of request lengths; running sequences hold prompts of {mix_in:,.0f} and answers "
        f"of {mix_out:,.0f} tokens (output-weighted means; plain means {base.input_tokens:,.0f} / "
        f"{base.output_tokens:,.0f})",
    )
    return replace(base, mix_input_tokens=mix_in, mix_output_tokens=mix_out)


def _factors(model, hardware, profile, pr: Precision, mem_override, cmp_override, substitution) -> dict[str, Factor]:
    peak = K.peak_flops(hardware, pr.activations)
    bw = profile.bandwidth_efficiency
    f_mem = (
        profile_factor(profile, "memory_efficiency", mem_override, "--memory-efficiency")
        if bw is None or mem_override is not None
        else Factor(bw, _src(profile, "bandwidth_efficiency"))
    )
    if cmp_override is not None:
        f_cmp = profile_factor(profile, "compute_efficiency", cmp_override, "--compute-efficiency")
    elif pr.activations in profile.gemm_efficiency or "bf16" in profile.gemm_efficiency:
        f_cmp = Factor(K.large_gemm_efficiency(profile, pr.activations), _src(profile, "gemm_efficiency"))
    else:
        f_cmp = profile_factor(profile, "compute_efficiency", None, "")
    w_bytes = model.params_total_b * 1e9 * K.bytes_per_element(pr.weights)
    s_kv = 2.0 * model.layers * model.kv_heads * model.head_dim
    if model.attention == "mla":
        assert model.kv_lora_rank and model.qk_rope_head_dim
        s_kv = model.layers * (model.kv_lora_rank + model.qk_rope_head_dim)
    out = {
        "peak_tflops_per_chip": Factor(peak / 1e12, f"hardware {hardware.id} (dense {pr.activations.upper()} peak)"),
        "hbm_tb_s_per_chip": Factor(hardware.hbm_tb_s_per_chip, f"hardware {hardware.id}"),
        "memory_efficiency": f_mem,
        "compute_efficiency": f_cmp,
        # the GEMM fill: by output size where the profile measures it, else by tokens alone
        **(
            {"gemm_half_mn": Factor(profile.gemm_half_mn, _src(profile, "gemm_half_mn"))}
            if profile.gemm_half_mn
            else {"gemm_half_m": Factor(profile.gemm_half_m or K.DEFAULT_GEMM_HALF_M, _src(profile, "gemm_half_m"))}
        ),
        "kernel_launch_us": Factor(
            profile.kernel_launch_us if profile.kernel_launch_us is not None else K.DEFAULT_KERNEL_LAUNCH_US,
            _src(profile, "kernel_launch_us"),
        ),
        **_attention_factor(hardware, profile),
        **(
            {"moe_layer_fixed_us": Factor(mf, _src(profile, "moe_layer_fixed_us"))}
            if model.is_moe and (mf := profile.moe_layer_fixed_us) is not None
            else {}
        ),
        **(
            {"mla_attention_efficiency": Factor(me, _src(profile, "mla_attention_efficiency"))}
            if model.attention == "mla" and (me := profile.mla_attention_efficiency) is not None
            else {}
        ),
        "decode_overhead_ms": profile_factor(profile, "decode_overhead_ms", None, ""),
        "usable_memory_fraction": profile_factor(profile, "usable_memory_fraction", None, ""),
        "weights_gb": constant(w_bytes / 1e9, f"{model.params_total_b} B params at {pr.weights}"),
        "kv_kb_per_token": constant(s_kv * K.bytes_per_element(pr.kv) / 1e3, f"{model.attention} KV cache in {pr.kv}"),
    }
    if substitution:
        out["precision_substitution"] = constant(1.0, f"substituted on {hardware.id}: {substitution}")
    return out


def _attention_factor(hardware: Hardware, profile: EfficiencyProfile) -> dict[str, Factor]:
    """The decode-attention kernel's bandwidth fraction where the profile measures it (a curve: its value at 1 GB
    per call, the size a large serving batch reads per layer)."""
    if K.attention_curve(hardware, profile):
        eta = K.attention_efficiency(hardware, profile, 1e9)
        src = f"{_src(profile, 'attention_bandwidth_curve')} (curve by KV bytes per call; at 1 GB)"
        return {"attention_bandwidth_efficiency": Factor(eta, src)}
    if profile.attention_bandwidth_efficiency is not None:
        eta = profile.attention_bandwidth_efficiency
        return {"attention_bandwidth_efficiency": Factor(eta, _src(profile, "attention_bandwidth_efficiency"))}
    return {}


def _src(profile: EfficiencyProfile, field_name: str) -> str:
    from planner.perf.factors import profile_source

    if field_name in profile.model_fields_set or profile.sources.get(field_name):
        return profile_source(profile, field_name)
    return f"kernel-layer default (profile {profile.id} does not set {field_name}: uncalibrated)"


def _infeasible(
    reason: str | tuple[str, str, dict[str, str | float]],
    factors: dict[str, Factor],
    scenario: str = "offline",
    mode: str = "colocated",
    precision: str = "",
) -> ServingEstimate:
    """An estimate that cannot serve; `reason` is the English text or (text, code, values)."""
    text, code, values = (reason, "", {}) if isinstance(reason, str) else reason
    return ServingEstimate(
        0.0,
        0,
        0.0,
        0,
        0.0,
        0.0,
        0.0,
        False,
        text,
        factors,
        scenario=scenario,
        mode=mode,
        precision=precision,
        notes=(NOT_MODELLED,),
        reason_code=code,
        reason_values=values,
    )


def decode_pool_rate(
    model: Model,
    hardware: Hardware,
    profile: EfficiencyProfile,
    input_tokens: float,
    output_tokens: float,
    *,
    tpot_ms: float | None = None,
    precision: str = "bf16",
    layout: str | Layout | None = None,
) -> tuple[float, str]:
    """Output tokens/s per chip of a disaggregated decode pool at a TPOT target, and the layout used.

    No prefill in the decode steps (the prefill pool does it); the prompt's KV arrives over the link.
    """
    pr = parse_precision(precision)
    _check_native(hardware, pr)
    base = _replica(model, hardware, profile, pr, input_tokens, output_tokens)
    if layout is not None:
        lays = [parse_layout(layout) if isinstance(layout, str) else layout]
    else:
        lays = _layouts(model, hardware)
    best = (0.0, "")
    for lay in lays:
        r = replace(base, layout=lay)
        got = _decode_only(r, None if tpot_ms is None else tpot_ms / 1e3, MAX_BATCH)
        if got and got[0] > best[0]:
            best = (got[0], lay.label)
    return best


def _replica(
    model: Model,
    hardware: Hardware,
    profile: EfficiencyProfile,
    pr: Precision,
    input_tokens: float,
    output_tokens: float,
    beams: int = 1,
    layout: Layout | None = None,
) -> Replica:
    """The replica every estimate starts from: the profile's usable memory and per-step host overhead."""
    overhead = profile_factor(profile, "decode_overhead_ms", None, "").value / 1e3
    return Replica(
        model,
        hardware,
        profile,
        layout or Layout(),
        pr,
        float(input_tokens),
        float(output_tokens),
        beams,
        profile.usable_memory_fraction,
        overhead,
    )


def pinned_replica(
    model: Model,
    hardware: Hardware,
    profile: EfficiencyProfile,
    input_tokens: float,
    output_tokens: float,
    *,
    precision: str = "bf16",
    layout: str | Layout,
    length_mix: tuple[float, float] | None = None,
) -> Replica:
    """One replica of a pinned layout, built as `serving_estimate` builds its candidates (for checks of the step
    model at a published load or through a published benchmark procedure)."""
    pr = parse_precision(precision)
    _check_native(hardware, pr)
    lay = parse_layout(layout) if isinstance(layout, str) else layout
    base = _replica(model, hardware, profile, pr, input_tokens, output_tokens, layout=lay)
    return _with_length_mix(base, length_mix, {})


def step_at_concurrency(r: Replica, concurrency: float) -> tuple[float, int]:
    """Mean step (ms) of replica `r` running `concurrency` sequences with chunked prefill, and the sequences its KV
    reservation admits: the step model checked apart from the batch the search would pick (a published run's
    concurrency from Little's law, its mean TPOT measured)."""
    return mixed_step(r, concurrency).total * 1e3, r.max_batch()
