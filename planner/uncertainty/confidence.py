"""Size for uncertainty: the cheapest plan found that meets every requirement in a share of sampled futures.

Method: chance constraints turned into deterministic equivalents by sample quantiles, then an out-of-sample check
and a tightening loop. Each requirement is sized at a quantile level q of its own uncertain factors, from the
sizing futures (`uncertainty.samples`, `uncertainty.seed`): serving demand at its q-quantile (demand level and
growth), each profile's throughput per unit at its (1 - q)-quantile, each training deadline shortened by the
q-quantile of the training-time factor. The same MILP is then solved on those figures (the problem data is
adjusted through `pipeline.size(adjust=...)`; the sizing core is unchanged). Fresh futures (another seed) check
the joint share of futures in which everything is met; while it is below the target, q moves halfway to 1,
and once a level meets the target the levels between it and the last one that did not (or the median) are
bisected: the per-requirement quantiles are conservative for the joint share when requirements ride on
independent factors, so a lower level often still meets the target, more cheaply.

Why not a sample-average (scenario) MILP: it needs a binary per future and requirement, and with 1,000 futures
the MILP of the Malaysia example grows from hundreds of integer variables to thousands of binaries. Quantiles keep
the MILP's size and its solve time, and the out-of-sample check reports the confidence really reached (the
quantiles are conservative for a workload served on several profiles, whose errors partly cancel).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from planner.catalog import Catalog
from planner.pipeline import LoadedSpec
from planner.pipeline import size as solve_plan
from planner.plan import ConfidenceSizing, Plan
from planner.plan_notes import HEADROOM_NOTE
from planner.sizing.data import ProblemData, build_problem_data
from planner.uncertainty.distributions import Draw, chunk_sizes, sample_chunk
from planner.uncertainty.evaluate import evaluate_plan
from planner.uncertainty.fixed import fixed_plan, growth_offsets, one_split_per_year
from planner.uncertainty.inputs import input_factors, throughput_key
from planner.uncertainty.montecarlo import all_met, simulate

OUT_OF_SAMPLE_SEED_OFFSET = 1_000_003
"""The out-of-sample futures use seed + this: never the sizing futures."""
OUT_OF_SAMPLE_AT_LEAST = 2000
"""Fresh futures in the check, at least: each costs microseconds, and 2,000 put the share within about
±0.7 points (one standard error at 90 %)."""
MAX_ITERATIONS = 6
MAX_LEVEL = 0.999
LOWEST_LEVEL = 0.5
"""Bisection starts from the median: a plan sized for median futures is not expected to meet a high target."""
BISECT_TO = 0.01
"""Once a level meets the target, lower levels are tried by bisection until the bracket is this narrow."""


def size_at_confidence(
    loaded: LoadedSpec,
    catalog: Catalog,
    *,
    cluster: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Plan:
    """The plan sized at `planning.confidence`, with `plan.uncertainty` (its Monte Carlo and how it was sized)."""
    spec = loaded.spec
    target = spec.planning.confidence
    if target is None:
        raise ValueError("planning.confidence is not set")
    ranges = spec.uncertainty
    data = build_problem_data(spec, catalog)
    draws = input_factors(data, catalog)
    futures = _futures(draws, ranges.samples, ranges.seed)
    oos_seed = ranges.seed + OUT_OF_SAMPLE_SEED_OFFSET
    oos_samples = max(ranges.samples, OUT_OF_SAMPLE_AT_LEAST)

    def reached(plan: Plan) -> float:
        fixed = fixed_plan(plan, data, draws)
        return float(all_met(fixed, simulate(fixed, draws, oos_samples, oos_seed, cluster=cluster)).mean())

    deterministic = solve_plan(loaded, catalog)
    best: tuple[Plan, float, float] | None = None  # plan, level, share of fresh futures met
    failed: tuple[Plan, float, float] | None = None
    below = LOWEST_LEVEL  # highest level known (or assumed) to fall short of the target
    level, iterations = target, 0
    while iterations < MAX_ITERATIONS:
        iterations += 1
        candidate = _solve_at(loaded, catalog, data, futures, level)
        if not candidate.feasible:
            if best is None:
                return candidate  # the limits cannot hold this much headroom: the diagnosis says which
            break
        share = reached(candidate)
        if progress:
            verdict = "enough" if share >= target else "short"
            progress(
                f"sizing for {target:.0%} confidence, try {iterations}: {share:.0%} of new futures met ({verdict})"
            )
        if share >= target:
            best = (candidate, level, share)
        else:
            failed, below = (candidate, level, share), level
        if best is not None and best[1] - below < BISECT_TO:
            break
        if best is None and level >= MAX_LEVEL:
            break
        # below the target: move halfway to 1; once a level meets it, bisect towards the cheapest that does
        level = min(MAX_LEVEL, 1.0 - (1.0 - level) / 2.0) if best is None else (best[1] + below) / 2.0
    plan, level, share = best or failed
    plan.uncertainty = evaluate_plan(plan, data, catalog, samples=ranges.samples, seed=ranges.seed, cluster=cluster)
    plan.uncertainty.sizing = ConfidenceSizing(
        target=target,
        reached=share,
        out_of_sample=oos_samples,
        requirement_level=level,
        iterations=iterations,
        deterministic_npv_usd=deterministic.totals.npv_usd,
        deterministic_capex_usd=deterministic.totals.capex_usd,
        deterministic_reached=reached(deterministic) if deterministic.feasible else 0.0,
        extra_npv_usd=plan.totals.npv_usd - deterministic.totals.npv_usd,
        extra_capex_usd=plan.totals.capex_usd - deterministic.totals.capex_usd,
        met=share >= target,
    )
    return plan


def _futures(draws: dict[str, Draw], samples: int, seed: int) -> dict[str, np.ndarray]:
    """The sizing futures, name -> draws (the same stream the Monte Carlo of the same seed uses)."""
    parts = [sample_chunk(draws, seed, i, n) for i, n in enumerate(chunk_sizes(samples))]
    return {name: np.concatenate([p[name] for p in parts]) for name in draws}


def _solve_at(
    loaded: LoadedSpec, catalog: Catalog, data: ProblemData, futures: dict[str, np.ndarray], level: float
) -> Plan:
    """The MILP solved with every requirement at quantile `level`, its figures then shown as planned."""
    demand: dict[str, dict[int, float]] = {}
    for need in data.serving:
        offsets = growth_offsets(data, need.workload)
        g = data.spec.workloads[need.workload].growth_per_year
        rate = np.clip(1.0 + g + futures[f"growth:{need.workload}"], 0.01, None) / max(1.0 + g, 0.01)
        ratio = futures[f"demand:{need.workload}"][:, None] * rate[:, None] ** offsets[None, :]
        demand[need.workload] = dict(zip(data.years, np.quantile(ratio, level, axis=0), strict=True))
    throughput = {
        name.split(":", 1)[1]: float(np.quantile(values, 1.0 - level))
        for name, values in futures.items()
        if name.startswith("throughput:")
    }
    slower = {
        need.workload: float(np.quantile(futures[f"training_time:{need.workload}"], level)) for need in data.training
    }

    def adjust(problem: ProblemData) -> None:
        for i, need in enumerate(problem.serving):
            problem.serving[i] = replace(
                need,
                peak_output_tokens_per_s={
                    y: v * demand[need.workload][y] for y, v in need.peak_output_tokens_per_s.items()
                },
                usable_tokens_per_s_per_unit={
                    h: r * throughput[throughput_key(problem.hardware[h])]
                    for h, r in need.usable_tokens_per_s_per_unit.items()
                },
            )

    workloads = dict(loaded.spec.workloads)
    for wid, factor in slower.items():
        workloads[wid] = workloads[wid].model_copy(update={"deadline_days": workloads[wid].deadline_days / factor})
    tightened = replace(loaded, spec=loaded.spec.model_copy(update={"workloads": workloads}))
    plan = solve_plan(tightened, catalog, adjust=adjust)
    return _as_planned(plan, data)


def _as_planned(plan: Plan, data: ProblemData) -> Plan:
    """Show demand, deadlines and capacity at the planned figures (the MILP saw them at their quantiles)."""
    needs = {need.workload: need for need in data.serving}
    for w in plan.workloads:
        if w.kind != "serving":
            w.demand = w.demand.model_copy(update={"deadline_days": data.spec.workloads[w.name].deadline_days})
            continue
        need = needs[w.name]
        capacity: dict[int, float] = {}
        for p in w.placements:
            p.output_tokens_per_s = p.units * need.usable_tokens_per_s_per_unit.get(p.hardware, 0.0)
        for p in one_split_per_year(w.placements):
            capacity[p.year] = capacity.get(p.year, 0.0) + p.output_tokens_per_s
        for row in w.by_year:
            sized_at = row.demand_output_tokens_per_s
            open_ = bool(need.live.get(row.year))  # no demand before the go-live, as extracted
            row.demand_output_tokens_per_s = need.peak_output_tokens_per_s[row.year] if open_ else 0.0
            row.capacity_output_tokens_per_s = capacity.get(row.year, 0.0)
            row.installed_output_tokens_per_s = max(row.installed_output_tokens_per_s, row.capacity_output_tokens_per_s)
            # tokens scale with demand; the share of a go-live year the service is open stays as extracted
            row.output_tokens_per_year *= row.demand_output_tokens_per_s / sized_at if sized_at > 0 else 0.0
        last = w.by_year[-1]
        w.demand = w.demand.model_copy(update={"value": last.demand_output_tokens_per_s})
        w.capacity = w.capacity.model_copy(update={"value": last.capacity_output_tokens_per_s})
        w.notes = [*w.notes, HEADROOM_NOTE]
    return plan
