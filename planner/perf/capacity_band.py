"""One serving error band for a whole fleet: the band of each placement's estimate (its hardware's profile, for
its model's kind, dense or MoE, as the capacity section states it), weighted by the capacity it gives."""

from __future__ import annotations

from collections.abc import Iterable

from planner.perf.serving_bands import error_band

UNCALIBRATED_BAND = 0.30
"""The error assumed for an estimate whose profile no published run validates."""


def capacity_band(placements: Iterable[tuple[float, str, bool, bool]]) -> tuple[float, float]:
    """(median absolute error weighted by capacity, share of the capacity on profiles no run validates) of
    (output tokens/s, efficiency profile, MoE model, announced hardware) placements; (UNCALIBRATED_BAND, 1.0) for
    none."""
    weight = total = uncalibrated = 0.0
    for rate, profile, moe, announced in placements:
        band = error_band(profile, moe, announced)
        error = band.get("median_abs_error", UNCALIBRATED_BAND)
        if band["status"] != "validated":
            uncalibrated += rate
        weight += rate * float(error)
        total += rate
    if total <= 0:
        return UNCALIBRATED_BAND, 1.0
    return weight / total, uncalibrated / total
