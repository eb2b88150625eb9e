"""Serving error bands per efficiency profile, as measured by `python -m planner.perf.validation` (held-out rows).

Written by `planner.perf.validation --write`; `--check` (and a test) fail when it is stale. A profile without an
entry has no published serving run in the validation set: its estimates say "uncalibrated".
"""

from __future__ import annotations

# profile id -> (median absolute error, max absolute error, held-out runs)
BANDS: dict[str, tuple[float, float, int]] = {
    "amd_cdna3_rocm": (0.067, 0.179, 24),
    "nvidia_blackwell_cuda": (0.067, 1.336, 16),
    "nvidia_hopper_cuda": (0.073, 0.353, 69),
}


def error_band(profile_id: str) -> dict[str, float | int | str]:
    """The band an estimate on this profile carries: median/max abs error on held-out runs, or uncalibrated."""
    band = BANDS.get(profile_id)
    if band is None:
        return {"status": "uncalibrated", "text": "uncalibrated: no published serving run validates this profile"}
    med, worst, n = band
    return {
        "status": "validated",
        "median_abs_error": med,
        "max_abs_error": worst,
        "runs": n,
        "text": f"±{med * 100:.0f} % (max {worst * 100:.0f} %), validated on {n} held-out runs",
    }
