"""Benchmark: Monte Carlo of the Malaysia example's plan, and sizing it at a confidence.

    python -m benchmarks.montecarlo [--samples 1000] [--seeds 1,2] [--confidence 0.9]

Times sizing the example, the Monte Carlo of the fixed plan (target: 1,000 futures in under 2 minutes on
2 cores, problem data included), and how far P10/P50/P90 of NPV move between two seeds (target: under 1 %);
with `--confidence`, the plan sized at that confidence: the confidence it reached on fresh futures and what
it costs over the deterministic plan. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--seeds", default="1,2")
    parser.add_argument("--confidence", type=float, default=0.9)
    parser.add_argument("--country", default=str(ROOT / "examples" / "malaysia.yaml"))
    args = parser.parse_args(argv)

    import planner

    seeds = [int(s) for s in args.seeds.split(",")]
    spec = planner.load(args.country)
    start = time.perf_counter()
    plan = planner.size(spec)
    sized_s = time.perf_counter() - start
    runs = []
    for seed in seeds:
        start = time.perf_counter()
        u = planner.evaluate_uncertainty(plan.model_copy(deep=True), spec, samples=args.samples, seed=seed)
        runs.append({"seed": seed, "seconds": round(time.perf_counter() - start, 3), "npv_usd": u.npv_usd.model_dump()})
    first, second = runs[0]["npv_usd"], runs[-1]["npv_usd"]
    moved = {p: round(abs(second[p] / first[p] - 1), 5) for p in ("p10", "p50", "p90")}
    report = {
        "country": Path(args.country).name,
        "samples": args.samples,
        "size_seconds": round(sized_s, 3),
        "monte_carlo": runs,
        "npv_percentiles_moved_between_seeds": moved,
        "all_met": u.all_met,
    }
    if args.confidence:
        conf = planner.load(
            args.country, set={"planning.confidence": args.confidence, "uncertainty.samples": args.samples}
        )
        start = time.perf_counter()
        sized = planner.size(conf)
        s = sized.uncertainty.sizing
        report["confidence"] = {
            "seconds": round(time.perf_counter() - start, 3),
            "target": s.target,
            "reached_out_of_sample": s.reached,
            "deterministic_reached": s.deterministic_reached,
            "npv_usd": sized.totals.npv_usd,
            "deterministic_npv_usd": s.deterministic_npv_usd,
            "extra_npv_usd": s.extra_npv_usd,
            "iterations": s.iterations,
        }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
