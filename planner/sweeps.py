"""Parameter sweeps: solve a grid of values of one or two keys and trace the frontier."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from planner.errors import InputError, Issue
from planner.plan import Plan
from planner.whatif import Variant

MAX_POINTS = 400


@dataclass(frozen=True)
class Axis:
    """One varied key and its values."""

    key: str
    values: tuple[float, ...]


def parse_vary(text: str) -> Axis:
    """`budget.capex_usd=100e6:500e6:9` -> 9 evenly spaced values from 100e6 to 500e6."""
    key, sep, spec = text.partition("=")
    parts = spec.split(":")
    hint = "KEY=START:STOP:COUNT, e.g. budget.capex_usd=100e6:500e6:9"
    if not sep or not key.strip() or len(parts) != 3:
        raise InputError([Issue("--vary", text, "expected KEY=START:STOP:COUNT", hint=hint)])
    try:
        start, stop, count = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        msg = "START and STOP must be numbers, COUNT a whole number"
        raise InputError([Issue("--vary", text, msg, hint=hint)]) from None
    if count < 2 or count > 100:
        raise InputError([Issue("--vary", text, "COUNT must be between 2 and 100", hint=hint)])
    step = (stop - start) / (count - 1)
    return Axis(key.strip(), tuple(start + i * step for i in range(count)))


def grid(axes: list[Axis]) -> list[Variant]:
    """One variant per grid point, named by its position, setting each key to its value."""
    if not 1 <= len(axes) <= 2:
        raise InputError([Issue("--vary", "", "vary one or two keys", hint="give --vary once or twice")])
    if len({a.key for a in axes}) != len(axes):
        raise InputError([Issue("--vary", axes[0].key, "the same key is varied twice")])
    points = list(itertools.product(*(a.values for a in axes)))
    if len(points) > MAX_POINTS:
        raise InputError([Issue("--vary", "", f"{len(points)} points; at most {MAX_POINTS}")])
    return [
        Variant(
            name=f"point_{i:03d}",
            sets=tuple(f"{a.key}={_yaml_number(v)}" for a, v in zip(axes, values, strict=True)),
        )
        for i, values in enumerate(points)
    ]


def _yaml_number(value: float) -> str:
    return repr(float(value))


def sweep_result(axes: list[Axis], variants: list[Variant], typed: dict[str, Plan]) -> dict[str, Any]:
    """sweep.json content: the axes and, per point, its values, status, costs and how much was served (the
    plans' own figures)."""
    plans = {name: plan.as_dict() for name, plan in typed.items()}
    points = []
    for variant in variants:
        plan = plans[variant.name]
        values = {s.split("=", 1)[0]: float(s.split("=", 1)[1]) for s in variant.sets}
        feasible = plan["status"] != "infeasible"
        points.append(
            {
                "name": variant.name,
                "values": values,
                "status": plan["status"],
                "npv_usd": plan["totals"]["npv_usd"] if feasible else None,
                "mip_gap": (plan.get("solver") or {}).get("mip_gap") if feasible else None,
                "capex_usd": plan["totals"]["capex_usd"] if feasible else None,
                "accelerators": plan["totals"]["accelerators"] if feasible else None,
                "served_share": (plan.get("served") or {}).get("share") if feasible else None,
                "demand_share": (plan.get("served") or {}).get("demand_share") if feasible else None,
                "given_up": [g["message"] for g in (plan.get("served") or {}).get("given_up", [])] if feasible else [],
                # training jobs are counted apart from serving: one job is not worth a year of serving demand
                "training_jobs": len(_jobs(plan)),
                "training_done": sum(1 for w in _jobs(plan) if w.get("placement")) if feasible else None,
            }
        )
    first = next(iter(plans.values()))
    return {
        "country": first["country"],
        "years": first["years"],
        "objective": first.get("planning", {}).get("objective"),
        "axes": [{"key": a.key, "values": list(a.values)} for a in axes],
        "points": points,
    }


def _jobs(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan's training and fine-tuning jobs."""
    return [w for w in plan.get("workloads", []) if w["kind"] != "serving"]
