"""Serving error bands per efficiency profile, as measured by `python -m planner.perf.validation` (held-out rows).

Written by `planner.perf.validation --write`; `--check` (and a test) fail when it is stale. A profile without an
entry has no published serving run in the validation set: its estimates say "uncalibrated".
"""

from __future__ import annotations

# profile id -> (median absolute error, max absolute error, held-out runs)
BANDS: dict[str, tuple[float, float, int]] = {
    "amd_cdna3_rocm": (0.048, 0.176, 26),
    "amd_cdna3_rocm/dense": (0.042, 0.176, 23),
    "amd_cdna3_rocm/moe": (0.091, 0.099, 3),
    "nvidia_blackwell_cuda": (0.106, 1.065, 162),
    "nvidia_blackwell_cuda/dense": (0.082, 0.305, 98),
    "nvidia_blackwell_cuda/moe": (0.191, 1.065, 64),
    "nvidia_hopper_cuda": (0.1, 1.094, 263),
    "nvidia_hopper_cuda/dense": (0.065, 0.281, 166),
    "nvidia_hopper_cuda/moe": (0.233, 1.094, 97),
}


MIN_CLASS_RUNS = 3
"""Held-out runs of dense (or MoE) models a profile needs before estimates of that kind carry their own band."""


def error_band(profile_id: str, moe: bool | None = None) -> dict[str, float | int | str]:
    """The band an estimate on this profile carries: median/max abs error on held-out runs (of the same kind of
    model, dense or MoE, where enough of them were run), or uncalibrated."""
    kind = None if moe is None else ("moe" if moe else "dense")
    band = BANDS.get(f"{profile_id}/{kind}") if kind else None
    if band is None or band[2] < MIN_CLASS_RUNS:
        band, kind = BANDS.get(profile_id), None
    if band is None:
        return {"status": "uncalibrated", "text": "uncalibrated: no published serving run validates this profile"}
    med, worst, n = band
    of = {"moe": " of MoE models", "dense": " of dense models", None: ""}[kind]
    return {
        "status": "validated",
        "median_abs_error": med,
        "max_abs_error": worst,
        "runs": n,
        "text": f"±{med * 100:.0f} % (max {worst * 100:.0f} %), validated on {n} held-out runs{of}",
    }
