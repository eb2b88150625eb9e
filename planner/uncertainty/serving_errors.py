"""Where published serving throughput fell relative to the performance model's estimate, per efficiency profile.

The serving error bands (planner/perf/serving_bands.py) give the median and largest *absolute* error; for
sampling futures the sign matters (the model overestimates some stacks: every held-out AMD run served less
than estimated). This module keeps, per profile, the held-out runs' ratio published / estimated as a median,
a robust spread of its logarithm (1.4826 x the median absolute deviation) and the lowest and highest ratio.
Profiles with fewer than `MIN_RUNS` held-out runs are left out (their estimates count as uncalibrated).

Regenerate with `python -m planner.uncertainty.serving_errors --write`; a test fails when it is stale.
"""

from __future__ import annotations

import math
import statistics
import sys
from pathlib import Path

MIN_RUNS = 5

# profile id -> (median ratio, sigma of log ratio, lowest ratio, highest ratio, held-out runs)
RATIOS: dict[str, tuple[float, float, float, float, int]] = {
    "amd_cdna3_rocm": (0.98, 0.093, 0.824, 1.171, 29),
    "nvidia_blackwell_cuda": (0.947, 0.162, 0.362, 1.892, 174),
    "nvidia_hopper_cuda": (0.928, 0.107, 0.478, 1.703, 276),
}


def measured_ratios(catalog) -> dict[str, tuple[float, float, float, float, int]]:
    """RATIOS computed from the serving validation set (planner/perf/validation_serving.py)."""
    from planner.perf.validation_serving import serving_results

    by: dict[str, list[float]] = {}
    for r in serving_results(catalog):
        if r.run.split != "held-out" or r.estimate <= 0:
            continue
        hw = "mi325x_8x" if r.run.hardware == "mi355x_8x" else r.run.hardware  # as profile_bands does
        by.setdefault(catalog.hardware[hw].efficiency_profile, []).append(r.run.published / r.estimate)
    out = {}
    for profile, ratios in sorted(by.items()):
        if len(ratios) < MIN_RUNS:
            continue
        logs = [math.log(x) for x in ratios]
        centre = statistics.median(logs)
        sigma = 1.4826 * statistics.median(abs(x - centre) for x in logs)
        out[profile] = (
            round(math.exp(centre), 3),
            round(max(sigma, 0.03), 3),
            round(min(ratios), 3),
            round(max(ratios), 3),
            len(ratios),
        )
    return out


def module_text(catalog) -> str:
    """This file with RATIOS regenerated."""
    text = Path(__file__).read_text(encoding="utf-8")
    head, _, rest = text.partition("RATIOS: dict[str, tuple[float, float, float, float, int]] = {\n")
    _, _, tail = rest.partition("}\n")
    body = "".join(f'    "{p}": {v},\n' for p, v in measured_ratios(catalog).items())
    return head + "RATIOS: dict[str, tuple[float, float, float, float, int]] = {\n" + body + "}\n" + tail


def main(argv: list[str]) -> int:
    from planner.catalog import load_catalog

    text = module_text(load_catalog())
    if "--write" in argv:
        Path(__file__).write_text(text, encoding="utf-8")
        return 0
    stale = text != Path(__file__).read_text(encoding="utf-8")
    print("stale: run with --write" if stale else "up to date")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
