"""Serving error bands per efficiency profile, as measured by `python -m planner.perf.validation` (held-out rows).

Written by `planner.perf.validation --write`; `--check` (and a test) fail when it is stale. A profile without an
entry has no published serving run in the validation set: its estimates say "uncalibrated".
"""

from __future__ import annotations

# profile id -> (median absolute error, max absolute error, held-out runs)
BANDS: dict[str, tuple[float, float, int]] = {
    "amd_cdna3_rocm": (0.073, 0.213, 29),
    "amd_cdna3_rocm/dense": (0.054, 0.213, 25),
    "amd_cdna3_rocm/moe": (0.082, 0.099, 4),
    "ascend_910c_cann": (0.052, 0.052, 2),
    "ascend_910c_cann/moe": (0.052, 0.052, 2),
    "nvidia_blackwell_cuda": (0.111, 1.761, 174),
    "nvidia_blackwell_cuda/dense": (0.084, 0.375, 107),
    "nvidia_blackwell_cuda/moe": (0.197, 1.761, 67),
    "nvidia_hopper_cuda": (0.097, 1.094, 276),
    "nvidia_hopper_cuda/dense": (0.065, 0.482, 178),
    "nvidia_hopper_cuda/moe": (0.235, 1.094, 98),
}


MIN_CLASS_RUNS = 3
"""Held-out runs a profile (or its dense or MoE models) needs before its estimates carry their own band."""
FEW_RUNS = "uncalibrated: only {n} published serving run(s) check this profile, too few for an error band"


ANNOUNCED = "uncalibrated: announced hardware, no published serving run on it"


def error_band(profile_id: str, moe: bool | None = None, announced: bool = False) -> dict[str, float | int | str]:
    """The band an estimate on this profile carries: median/max abs error on held-out runs (of the same kind of
    model, dense or MoE, where enough of them were run), or uncalibrated. Announced hardware (a roadmap entry) is
    uncalibrated whatever its profile: the runs that measured the band were on shipping chips."""
    if announced:
        return {"status": "uncalibrated", "text": ANNOUNCED}
    kind = None if moe is None else ("moe" if moe else "dense")
    band = BANDS.get(f"{profile_id}/{kind}") if kind else None
    if band is None or band[2] < MIN_CLASS_RUNS:
        band, kind = BANDS.get(profile_id), None
    if band is None:
        return {"status": "uncalibrated", "text": "uncalibrated: no published serving run validates this profile"}
    if band[2] < MIN_CLASS_RUNS:  # one or two runs check the profile; they do not measure a band
        return {"status": "uncalibrated", "runs": band[2], "text": FEW_RUNS.format(n=band[2])}
    med, worst, n = band
    of = {"moe": " of MoE models", "dense": " of dense models", None: ""}[kind]
    return {
        "status": "validated",
        "median_abs_error": med,
        "max_abs_error": worst,
        "runs": n,
        "text": f"±{med * 100:.0f} % (max {worst * 100:.0f} %), validated on {n} held-out runs{of}",
    }
