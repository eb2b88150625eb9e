"""Training time and chips: C = 6·N_active·D (+ attention), T = C / (n · peak · MFU · r · goodput).

r is 6/8 when the job's parallel layout leaves too little HBM for activations and training must recompute
every layer's forward pass in the backward pass (full activation recomputation), else 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from planner.perf.factors import Factor, constant, profile_factor
from planner.perf.memory import (
    MAX_TRAINING_TENSOR_PARALLEL,
    TRAINING_STATE_BYTES_PER_PARAM,
    activation_bytes_per_chip,
    memory_floor_chips,
    training_state_bytes_per_chip,
    usable_bytes_per_chip,
)
from planner.schema.catalog import EfficiencyProfile, Hardware, Model

METHODS = ("pretraining", "full", "lora")
SECONDS_PER_DAY = 86_400.0
# Full activation recomputation runs the forward pass twice: 8 hardware FLOPs per parameter-token instead of 6,
# so at the same hardware utilisation the model-FLOP rate is 6/8 of the calibrated MFU. GLM-130B (arXiv
# 2210.02414, p5) reports HFU 43.3 % and MFU 32.5 % "due to re-materialization": a ratio of 4/3.
FULL_RECOMPUTE_FACTOR = 6.0 / 8.0


@dataclass(frozen=True)
class TrainingEstimate:
    """Compute, chips and time of one training run on one hardware type."""

    model_flops: float
    flops_per_token: float
    chips: int
    units: int
    wall_days: float
    accelerator_hours: float
    mfu: float
    goodput: float
    memory_floor_chips: int
    factors: dict[str, Factor]
    layout: TrainingLayout | None = None

    @property
    def activation_recompute(self) -> bool:
        """True when the layout forces full activation recomputation (model-FLOP rate x 6/8)."""
        return self.layout is not None and self.layout.recompute

    @property
    def effective_mfu(self) -> float:
        """MFU over compute time after the recomputation penalty (what a job log would report as MFU)."""
        return self.mfu * (FULL_RECOMPUTE_FACTOR if self.activation_recompute else 1.0)


@dataclass(frozen=True)
class TrainingLayout:
    """Parallel layout of a training job and whether activations fit beside the model states."""

    tensor_parallel: int
    pipeline_parallel: int
    fully_sharded: bool  # FSDP / ZeRO-3 (all states over all chips) instead of Megatron TP x PP + ZeRO-1
    sequence_parallel: bool
    recompute: bool  # full activation recomputation needed
    fits: bool  # model states + (recomputed) activations fit in usable HBM
    state_gb_per_chip: float
    activation_gb_per_chip: float  # without recomputation
    usable_gb_per_chip: float
    given: bool  # layout given by the caller (else the planner's best layout)

    def describe(self) -> str:
        shape = (
            "FSDP"
            if self.fully_sharded
            else f"TP {self.tensor_parallel} x PP {self.pipeline_parallel}"
            + ("" if self.sequence_parallel or self.tensor_parallel == 1 else " without sequence parallelism")
        )
        how = "given" if self.given else "best layout found"
        mem = (
            f"states {self.state_gb_per_chip:.1f} GB + activations {self.activation_gb_per_chip:.1f} GB per chip "
            f"vs {self.usable_gb_per_chip:.1f} GB usable"
        )
        if not self.recompute:
            verdict = "activations fit: no full recomputation"
        elif self.fits:
            verdict = "activations do not fit: full recomputation, model-FLOP rate x 6/8"
        else:
            verdict = "model states do not fit even with full recomputation (below the memory floor)"
        return f"{shape} ({how}); {mem}; {verdict}"


@dataclass(frozen=True)
class _Candidate:
    t: int
    p: int
    fsdp: bool
    states: float
    act: float
    act_full: float


def _powers_of_two(limit: int) -> list[int]:
    out, x = [], 1
    while x <= limit:
        out.append(x)
        x *= 2
    return out


def training_layout(
    model: Model,
    hardware: Hardware,
    usable_fraction: float,
    method: str,
    chips: int,
    seq_len: int,
    tensor_parallel: int | None = None,
    pipeline_parallel: int | None = None,
    sequence_parallel: bool = True,
) -> TrainingLayout:
    """Whether a job on `chips` chips needs full activation recomputation.

    Layouts: tensor parallel t (powers of two within one scale-up domain, at most 8) x pipeline parallel p
    (1F1B, micro-batch of one sequence) with the optimizer sharded over all chips, or fully sharded data
    parallelism (FSDP). Per chip, model states (`training_state_bytes_per_chip`) plus activations
    (`activation_bytes_per_chip`) must fit in usable HBM. A given t or p is used as is (a published run's
    layout); otherwise every layout is tried and recomputation is needed only if none avoids it.
    """
    usable = usable_bytes_per_chip(hardware, usable_fraction)
    sp = sequence_parallel

    def cand(t: int, p: int, fsdp: bool = False) -> _Candidate:
        return _Candidate(
            t,
            p,
            fsdp,
            training_state_bytes_per_chip(model, method, chips, t * p, fully_sharded=fsdp),
            activation_bytes_per_chip(model, seq_len, t, sequence_parallel=sp),
            activation_bytes_per_chip(model, seq_len, t, sequence_parallel=sp, full_recompute=True),
        )

    given = tensor_parallel is not None or pipeline_parallel is not None
    domain = min(hardware.scale_up_domain_chips or 1, MAX_TRAINING_TENSOR_PARALLEL, chips)
    ts = [tensor_parallel] if tensor_parallel else _powers_of_two(domain)
    ps = [pipeline_parallel] if pipeline_parallel else _powers_of_two(model.layers)
    both_given = tensor_parallel is not None and pipeline_parallel is not None
    candidates = [cand(t, p) for t in ts for p in ps if t * p <= chips or both_given]
    if not given:
        candidates.append(cand(1, 1, fsdp=True))
    if not candidates:  # a given size larger than the job: keep it (the estimate then shows it does not fit)
        candidates.append(cand(ts[0], ps[0]))

    def layout(c: _Candidate, recompute: bool, fits: bool) -> TrainingLayout:
        return TrainingLayout(c.t, c.p, c.fsdp, sp, recompute, fits, c.states / 1e9, c.act / 1e9, usable / 1e9, given)

    # Prefer the least model parallelism that fits without recomputation, then with it, then the least memory.
    by_size = sorted(candidates, key=lambda c: (c.t * c.p, c.fsdp, c.t))
    for c in by_size:
        if c.states + c.act <= usable:
            return layout(c, recompute=False, fits=True)
    for c in by_size:
        if c.states + c.act_full <= usable:
            return layout(c, recompute=True, fits=True)
    return layout(min(candidates, key=lambda c: c.states + c.act_full), recompute=True, fits=False)


def flops_per_token(model: Model, method: str = "pretraining", seq_len: int = 4096) -> float:
    """Model FLOPs per training token.

    Dense part 6·N_active (forward 2, backward 4). Attention adds 6·L·seq·d_model (PaLM appendix B,
    causal-masked). LoRA skips the weight-gradient GEMMs: about 4/6 of both terms.
    """
    if method not in METHODS:
        msg = f"unknown training method `{method}`; use one of {', '.join(METHODS)}"
        raise ValueError(msg)
    per_token = 6.0 * model.params_active_b * 1e9 + 6.0 * model.layers * seq_len * model.hidden_size
    return per_token * (4.0 / 6.0 if method == "lora" else 1.0)


def _size(
    total: float,
    chips: int | None,
    units: int | None,
    days: float | None,
    per_unit: int,
    floor: int,
    base_rate: float,
    rate_at: Callable[[int], float],
) -> tuple[int, int]:
    """Units and chips: as given, or the fewest whole units finishing within `days` (never below the floor)."""
    if chips is not None:
        if chips < 1:
            raise ValueError(f"chips must be >= 1, got {chips}")
        return math.ceil(chips / per_unit), chips
    if units is not None:
        if units < 1:
            raise ValueError(f"units must be >= 1, got {units}")
        return units, units * per_unit
    assert days is not None
    if days <= 0:
        raise ValueError(f"days must be positive, got {days}")
    chip_rate = base_rate
    for _ in range(4):  # the layout (and so recomputation) depends on the chip count: settle both
        needed = total / (days * SECONDS_PER_DAY * chip_rate)
        # whole units only, never below the memory floor (the tiny epsilon absorbs float noise at exact fits)
        n_units = max(math.ceil(needed / per_unit - 1e-9), math.ceil(floor / per_unit))
        new_rate = rate_at(n_units * per_unit)
        if new_rate >= chip_rate:
            break
        chip_rate = new_rate
    return n_units, n_units * per_unit


def training_estimate(
    model: Model,
    hardware: Hardware,
    profile: EfficiencyProfile,
    tokens: float,
    *,
    method: str = "pretraining",
    chips: int | None = None,
    units: int | None = None,
    days: float | None = None,
    mfu: float | None = None,
    goodput: float | None = None,
    seq_len: int = 4096,
    tensor_parallel: int | None = None,
    pipeline_parallel: int | None = None,
    sequence_parallel: bool = True,
) -> TrainingEstimate:
    """Time on a given number of chips or units, or the fewest whole units that finish within `days`.

    `tensor_parallel` / `pipeline_parallel` / `sequence_parallel` fix the job's layout (a published run's); by
    default the layout that avoids full activation recomputation is assumed where one exists (`training_layout`).
    """
    if sum(x is not None for x in (chips, units, days)) != 1:
        raise ValueError("give exactly one of chips, units, days")
    if tokens <= 0:
        raise ValueError(f"tokens must be positive, got {tokens}")
    per_token = flops_per_token(model, method, seq_len)
    total = per_token * tokens
    mfu_field = "moe_training_mfu" if model.is_moe else "training_mfu"
    f_mfu = profile_factor(profile, mfu_field, mfu, "--mfu")
    f_good = profile_factor(profile, "goodput", goodput, "--goodput")
    f_usable = profile_factor(profile, "usable_memory_fraction", None, "")
    for name, value in (("tensor_parallel", tensor_parallel), ("pipeline_parallel", pipeline_parallel)):
        if value is not None and value < 1:
            raise ValueError(f"{name} must be >= 1, got {value}")
    peak = hardware.bf16_tflops_per_chip * 1e12
    per_chip_rate = peak * f_mfu.value * f_good.value  # model FLOP/s one chip delivers over wall-clock time
    floor = memory_floor_chips(model, hardware, f_usable.value, method)
    per_unit = hardware.chips_per_unit

    def layout_for(n_chips: int) -> TrainingLayout:
        return training_layout(
            model,
            hardware,
            f_usable.value,
            method,
            n_chips,
            seq_len,
            tensor_parallel,
            pipeline_parallel,
            sequence_parallel,
        )

    def rate(lay: TrainingLayout) -> float:
        return per_chip_rate * (FULL_RECOMPUTE_FACTOR if lay.recompute else 1.0)

    n_units, chips = _size(total, chips, units, days, per_unit, floor, per_chip_rate, lambda n: rate(layout_for(n)))
    lay = layout_for(chips)
    wall_days = total / (chips * rate(lay)) / SECONDS_PER_DAY
    factors = {
        "peak_bf16_tflops_per_chip": Factor(hardware.bf16_tflops_per_chip, f"hardware {hardware.id} (dense BF16)"),
        "mfu": f_mfu,
        "goodput": f_good,
        "usable_memory_fraction": f_usable,
        "state_bytes_per_param": constant(
            TRAINING_STATE_BYTES_PER_PARAM if method != "lora" else 2.0,
            "mixed-precision Adam 16 B/param" if method != "lora" else "LoRA: frozen bf16 weights + 1 % adapters",
        ),
        "activation_recompute": constant(FULL_RECOMPUTE_FACTOR if lay.recompute else 1.0, lay.describe()),
    }
    return TrainingEstimate(
        model_flops=total,
        flops_per_token=per_token,
        chips=chips,
        units=n_units,
        wall_days=wall_days,
        accelerator_hours=chips * wall_days * 24.0,
        mfu=f_mfu.value,
        goodput=f_good.value,
        memory_floor_chips=floor,
        factors=factors,
        layout=lay,
    )
