"""`planner estimate train|serve`: the performance model for one model on one hardware, with its factors."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import typer

from planner.errors import EXIT_INFEASIBLE, EXIT_INPUT, EXIT_USAGE, InputError, echo

DEFAULT_PERCENTILE = 95.0
"""The latency percentile `estimate serve` checks targets at unless told: country.yaml's default latency_target."""


def _days(value: float) -> str:
    """Days to three significant figures (0.47, 12.3, 1,234), so a short job's band does not read 0.5-0.5."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


# order of magnitude of the largest single training clusters reported to date (100k-GPU class), a sanity bound only
LARGEST_CLUSTER = 100_000

estimate_app = typer.Typer(
    name="estimate",
    help="Estimate training time or serving throughput of one model on one hardware type.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ModelOpt = Annotated[str, typer.Option("--model", help="Model id (see `planner catalog list models`).")]
HardwareOpt = Annotated[str, typer.Option("--hardware", help="Hardware id (see `planner catalog list hardware`).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
CatalogOpt = Annotated[
    list[Path] | None,
    typer.Option("--catalog", help="Extra catalog directory (repeatable); overrides bundled entries."),
]


def _lookup(catalog_dirs: list[Path] | None, model_id: str, hardware_id: str) -> tuple[Any, Any, Any]:
    """Model, hardware and its efficiency profile; unknown ids end the command with a did-you-mean message."""
    from planner.catalog import load_catalog

    try:
        cat = load_catalog(catalog_dirs or [])
        model = cat.lookup("models", model_id)
        hardware = cat.lookup("hardware", hardware_id)
        profile = cat.lookup("efficiency_profiles", hardware.efficiency_profile)
    except InputError as exc:
        echo(exc.format(), err=True)
        raise typer.Exit(EXIT_INPUT) from None
    return model, hardware, profile


# plausible ranges of the numeric options: outside them the arithmetic overflows or the question is a typo
LIMITS: dict[str, tuple[float, float, str]] = {
    "--tokens": (1.0, 1e16, "training tokens, e.g. 2e12"),
    "--chips": (1, 10_000_000, "a number of chips"),
    "--units": (1, 1_000_000, "a number of units"),
    "--days": (1e-3, 36_500, "wall-clock days"),
    "--mfu": (0.01, 1.0, "a fraction, e.g. 0.4"),
    "--goodput": (0.01, 1.0, "a fraction, e.g. 0.9"),
    "--seq-len": (1, 10_000_000, "tokens per training sequence"),
    "--input-tokens": (0, 10_000_000, "tokens per request"),
    "--output-tokens": (1, 10_000_000, "tokens per request"),
    "--tpot-ms": (0.01, 1e6, "milliseconds"),
    "--ttft-ms": (0.01, 1e7, "milliseconds"),
}


def check_options(**values: float | int | None) -> None:
    """Every numeric option finite and in its range; InputError (exit 1) naming each option that is not."""
    from planner.errors import Issue

    issues = []
    for name, value in values.items():
        if value is None:
            continue
        option = "--" + name.replace("_", "-")
        low, high, what = LIMITS[option]
        if not math.isfinite(value) or not low <= value <= high:
            msg = f"must be between {low:g} and {high:g} (got {value:g})"
            issues.append(Issue(option, "", msg, hint=what))
    if issues:
        raise InputError(issues)


def _checked(**values: float | int | None) -> None:
    try:
        check_options(**values)
    except InputError as exc:
        echo(exc.format(), err=True)
        raise typer.Exit(EXIT_INPUT) from None


def _usage(message: str) -> typer.Exit:
    echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def _factor_lines(factors: dict[str, Any]) -> list[str]:
    return [f"  {name:<26} {f.value:<10.4g} {f.source}" for name, f in factors.items()]


def _factors_json(factors: dict[str, Any]) -> dict[str, Any]:
    return {name: {"value": f.value, "source": f.source} for name, f in factors.items()}


@estimate_app.command()
def train(
    model: ModelOpt,
    hardware: HardwareOpt,
    tokens: Annotated[float, typer.Option("--tokens", help="Training tokens, e.g. 2e12.")],
    chips: Annotated[int | None, typer.Option("--chips", help="Run on this many chips.")] = None,
    units: Annotated[int | None, typer.Option("--units", help="Run on this many units (servers/systems).")] = None,
    days: Annotated[float | None, typer.Option("--days", help="Fewest whole units that finish within D days.")] = None,
    mfu: Annotated[float | None, typer.Option("--mfu", help="Override model FLOPs utilisation (0-1).")] = None,
    goodput: Annotated[float | None, typer.Option("--goodput", help="Override goodput (0-1).")] = None,
    method: Annotated[
        str, typer.Option("--method", help="pretraining, continued_pretraining, full, lora or qlora.")
    ] = "pretraining",
    seq_len: Annotated[int, typer.Option("--seq-len", help="Training sequence length (attention FLOPs).")] = 4096,
    layout: Annotated[
        str | None,
        typer.Option(
            "--layout",
            help="Pin the parallel layout, e.g. tp=4,pp=12,dp=8 (keys: tp pp dp cp ep vp mbs gbs sp fsdp overlap "
            "tp_overlap a2a_overlap dp_overlap flash softmax32 dedup schedule mtp); keys left out are searched. "
            "With dp the chip count follows.",
        ),
    ] = None,
    recompute: Annotated[
        str | None, typer.Option("--recompute", help="Activation recomputation: none, selective or full.")
    ] = None,
    precision: Annotated[
        str, typer.Option("--precision", help="Training GEMM precision: bf16, fp8, mxfp8 or nvfp4 (where native).")
    ] = "bf16",
    steady_state: Annotated[
        bool, typer.Option("--steady-state", help="Benchmark throughput: no interruptions (goodput 1).")
    ] = False,
    as_json: JsonOpt = False,
    catalog: CatalogOpt = None,
) -> None:
    """Model FLOPs, accelerator-hours and wall-clock days of a training run, with the layout and factors used."""
    from planner.perf.layout import parse_layout
    from planner.perf.training import training_band_note, training_estimate

    try:
        pinned = parse_layout(layout) if layout else None
    except ValueError as exc:
        raise _usage(str(exc)) from None
    given = sum(x is not None for x in (chips, units, days))
    if given != 1 and not (given == 0 and pinned and "dp" in pinned):
        raise _usage("give exactly one of --chips, --units, --days (or a --layout with dp)")
    _checked(tokens=tokens, chips=chips, units=units, days=days, mfu=mfu, goodput=goodput, seq_len=seq_len)
    m, hw, profile = _lookup(catalog, model, hardware)
    try:
        est = training_estimate(
            m,
            hw,
            profile,
            tokens,
            method=method,
            chips=chips,
            units=units,
            days=days,
            mfu=mfu,
            goodput=goodput,
            seq_len=seq_len,
            layout=pinned,
            recompute=recompute,
            precision=precision,
            steady_state=steady_state,
        )
    except ValueError as exc:
        raise _usage(str(exc)) from None
    band_note = training_band_note(hw)  # announced, or a chip and stack no published training run checks
    if as_json:
        out = {
            "model": m.id,
            "hardware": hw.id,
            "method": method,
            "tokens": tokens,
            "model_flops": est.model_flops,
            "flops_per_token": est.flops_per_token,
            "chips": est.chips,
            "units": est.units,
            "wall_days": est.wall_days,
            "accelerator_hours": est.accelerator_hours,
            "mfu": est.mfu,
            "goodput": est.goodput,
            "memory_floor_chips": est.memory_floor_chips,
            "factors": _factors_json(est.factors),
            "layout": est.parallel.as_dict() if est.parallel else None,
            "layout_fits_memory": est.fits,
            "precision": est.precision,
            "step_seconds": est.step_seconds,
            "tokens_per_s_per_chip": est.tokens_per_s_per_chip,
            "time_breakdown_s_per_step": est.breakdown,
            "error_band": {
                "low": est.error_band[0],
                "high": est.error_band[1],
                "wall_days_low": est.wall_days * (1 + est.error_band[0]),
                "wall_days_high": est.wall_days * (1 + est.error_band[1]),
                "basis": "published / estimated - 1 over the held-out validation runs (docs/validation.md)",
                "status": "validated" if band_note is None else "uncalibrated",
                "note": band_note,
            },
        }
        echo(json.dumps(out, indent=2))
        return
    too_few = est.chips < est.memory_floor_chips or not est.fits
    late = days is not None and est.wall_days > days * (1 + 1e-9)  # no number of units finishes in time
    lines = [
        f"{m.name} {method} on {hw.name}, {tokens:.3g} tokens",
        *(
            [
                f"  out of reach: no number of units finishes within {days:g} days; the fastest is "
                f"{_days(est.wall_days)} days on {est.units:,} units, and more chips would stay idle past the largest "
                "batch data parallelism takes (a longer deadline, fewer tokens or a smaller model)"
            ]
            if late
            else []
        ),
        *(
            [
                f"  does not fit: {est.chips} chips cannot hold the model states and activations in any layout "
                f"tried (memory floor {est.memory_floor_chips} chips); the time below assumes they could"
            ]
            if too_few
            else []
        ),
        *(
            [
                f"  note: {est.chips:,} chips is more than any single training cluster built so far "
                f"(~{LARGEST_CLUSTER:,}); the deadline is probably unrealistic"
            ]
            if est.chips > LARGEST_CLUSTER
            else []
        ),
        f"  model FLOPs          {est.model_flops:.3e}  ({est.flops_per_token:.3e} per token)",
        f"  chips / units        {est.chips:,} / {est.units:,}  (memory floor {est.memory_floor_chips:,} chips)",
        f"  wall-clock           {_days(est.wall_days)} days  "
        + (
            f"(validation band {_days(est.wall_days * (1 + est.error_band[0]))}-"
            f"{_days(est.wall_days * (1 + est.error_band[1]))})"
            if band_note is None
            else f"({band_note})"
        ),
        f"  accelerator-hours    {est.accelerator_hours:,.0f}",
        f"  layout               {est.parallel.describe() if est.parallel else '-'}",
        f"  MFU / goodput        {est.mfu:.1%} / {est.goodput:.1%}  "
        f"({est.tokens_per_s_per_chip:,.0f} tokens/s per chip)",
        "time per step:",
        *(f"  {k:<26} {v:8.3f} s  {v / est.step_seconds:6.1%}" for k, v in est.breakdown.items() if v > 0),
        "factors:",
        *_factor_lines(est.factors),
    ]
    echo("\n".join(lines))
    if too_few or late:
        raise typer.Exit(EXIT_INFEASIBLE)


def _band_words(band: dict) -> str:
    """The serving error band in words: what the two percentages are and what they were measured on."""
    if band.get("status") != "validated":
        return str(band.get("text", ""))
    text = str(band.get("text", ""))
    kind = " of dense models" if text.endswith("of dense models") else " of MoE models" if "of MoE" in text else ""
    return (
        f"median error ±{band['median_abs_error'] * 100:.0f} %, worst {band['max_abs_error'] * 100:.0f} %, "
        f"over {band['runs']} held-out published runs{kind} on this hardware's profile (docs/validation.md)"
    )


@estimate_app.command()
def serve(
    model: ModelOpt,
    hardware: HardwareOpt,
    input_tokens: Annotated[
        float,
        typer.Option(
            "--input-tokens",
            help="Mean input tokens per request, in the model's own tokens (a plan multiplies country.yaml's "
            "English-equivalent counts by the language premium first).",
        ),
    ],
    output_tokens: Annotated[
        float, typer.Option("--output-tokens", help="Mean output tokens per request, in the model's own tokens.")
    ],
    tpot_ms: Annotated[
        float | None, typer.Option("--tpot-ms", help="TPOT target (mean offline; else at --percentile).")
    ] = None,
    ttft_ms: Annotated[
        float | None, typer.Option("--ttft-ms", help="TTFT target (mean offline; else at --percentile).")
    ] = None,
    precision: Annotated[
        str,
        typer.Option(
            "--precision",
            help="bf16, fp8, int8 (W8A8), int4 (W4A16), fp4 / nvfp4 / mxfp4 (W4A4), or weights=..,activations=..,kv=..",
        ),
    ] = "bf16",
    scenario: Annotated[
        str,
        typer.Option(
            "--scenario",
            help="offline (maximum throughput), server (Poisson arrivals) or interactive. A plan sizes a workload "
            "with latency targets as server at its latency_target (p95 by default, as here).",
        ),
    ] = "offline",
    layout: Annotated[
        str | None, typer.Option("--layout", help="Pin the replica layout, e.g. tp=1,pp=2 or tp=8,dp_attention.")
    ] = None,
    mode: Annotated[str, typer.Option("--mode", help="colocated (chunked prefill), disaggregated or auto.")] = (
        "colocated"
    ),
    percentile: Annotated[
        float | None,
        typer.Option(
            "--percentile",
            help="Percentile of the latency targets (default 95, as country.yaml's latency_target; MLPerf's server "
            "and interactive limits are 99).",
        ),
    ] = None,
    allow_substitution: Annotated[
        bool,
        typer.Option(
            "--allow-substitution", help="Run a precision the chip lacks at the nearest native one, and say so."
        ),
    ] = False,
    output_cv: Annotated[
        float | None,
        typer.Option(
            "--output-cv",
            min=0.0,
            max=10.0,
            help="Spread of answer lengths (standard deviation over mean; about 1 for chat). Absent: all equal.",
        ),
    ] = None,
    as_json: JsonOpt = False,
    catalog: CatalogOpt = None,
) -> None:
    """Output tokens/s per unit at a latency target (or offline maximum), with layout, breakdown and factors."""
    from planner.perf.kernels import PrecisionError
    from planner.perf.serving import length_mix_from_spread, serving_estimate

    _checked(input_tokens=input_tokens, output_tokens=output_tokens, tpot_ms=tpot_ms, ttft_ms=ttft_ms)
    m, hw, profile = _lookup(catalog, model, hardware)
    if percentile is None and scenario != "offline":
        percentile = DEFAULT_PERCENTILE  # what a plan sizes at, so the two agree
    try:
        est = serving_estimate(
            m,
            hw,
            profile,
            input_tokens,
            output_tokens,
            tpot_ms=tpot_ms,
            ttft_ms=ttft_ms,
            precision=precision,
            scenario=scenario,
            layout=layout,
            mode=mode,
            percentile=percentile,
            on_unsupported="substitute" if allow_substitution else "error",
            length_mix=length_mix_from_spread(input_tokens, output_tokens, output_cv) if output_cv else None,
        )
    except PrecisionError as exc:
        typer.echo(f"error: --precision {precision}: {exc}; or pass --allow-substitution", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except ValueError as exc:
        raise _usage(str(exc)) from None
    if as_json:
        out = {
            "model": m.id,
            "hardware": hw.id,
            "precision": precision,
            "precision_per_tensor": est.precision,
            "substitution": est.substitution,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "scenario": est.scenario,
            "percentile": est.percentile,
            "mode": est.mode,
            "layout": est.layout,
            "feasible": est.feasible,
            "reason": est.reason,
            "output_tokens_per_s": est.output_tokens_per_s_per_unit,
            "output_tokens_per_s_per_chip": est.output_tokens_per_s_per_unit / hw.chips_per_unit,
            "chips_per_replica": est.chips_per_replica,
            "replicas_per_unit": est.replicas_per_unit,
            "batch": est.batch,
            "tpot_ms": est.tpot_ms,
            "ttft_ms": est.ttft_ms,
            "utilisation": est.utilisation,
            "prefill_tokens_per_s_per_replica": est.prefill_tokens_per_s_per_replica,
            "step_breakdown_ms": est.breakdown_ms,
            "error_band": est.error_band,
            "not_modelled": list(est.notes),
            "factors": _factors_json(est.factors),
        }
        echo(json.dumps(out, indent=2))
        return
    head = f"{m.name} ({precision}) on {hw.name}, {input_tokens:g} in / {output_tokens:g} out, {est.scenario}"
    if not est.feasible:
        echo(f"{head}\n  infeasible: {est.reason}\nfactors:\n" + "\n".join(_factor_lines(est.factors)))
        raise typer.Exit(EXIT_INFEASIBLE)
    which = "mean" if est.percentile is None else f"p{est.percentile:g}"
    target = f"at TPOT <= {tpot_ms:g} ms ({which})" if tpot_ms is not None else "offline maximum (no TPOT target)"
    total = sum(est.breakdown_ms.values()) or 1.0
    parts = ", ".join(f"{k} {v / total:.0%}" for k, v in sorted(est.breakdown_ms.items(), key=lambda x: -x[1])[:6])
    lines = [
        head,
        f"  output tokens/s      {est.output_tokens_per_s_per_unit:,.0f} per unit "
        f"({est.output_tokens_per_s_per_unit / hw.chips_per_unit:,.0f} per chip), {target}",
        f"  error band           {_band_words(est.error_band)}",
        f"  replica              {est.chips_per_replica} chip{'' if est.chips_per_replica == 1 else 's'} "
        f"({est.layout}, {est.mode}), "
        f"{est.replicas_per_unit:g} per unit, batch {est.batch}, utilisation {est.utilisation:.0%}",
        f"  {f'latency ({which})':<21}TTFT {est.ttft_ms:,.0f} ms, TPOT {est.tpot_ms:,.1f} ms",
        f"  precision            {est.precision}" + (f" (substituted: {est.substitution})" if est.substitution else ""),
        f"  step time            {total:,.1f} ms: {parts}",
        f"  prefill              {est.prefill_tokens_per_s_per_replica:,.0f} tokens/s per replica",
        *[f"  note                 {n}" for n in est.notes],
        "factors:",
        *_factor_lines(est.factors),
    ]
    echo("\n".join(lines))
