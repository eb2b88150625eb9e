"""Benchmarks: how long `planner size` takes, and how much memory, from a toy country to a national one.

    python benchmarks/run.py                          # every case, HiGHS (5 seeds on national) and CBC, LP relaxation
    python benchmarks/run.py --sizes small,medium     # a subset
    python benchmarks/run.py --write docs/performance.md
    python benchmarks/run.py --from-json saved.json --write docs/performance.md

For each size a country is generated (benchmarks/generate.py) and each measurement runs in a fresh Python process
so peak memory (ru_maxrss: Python, PuLP and the in-process HiGHS together) belongs to that case alone. Phases are
timed in CPU seconds of that process (the machine is shared, wall time is noisy; wall time is kept too). Phases:
load (catalog + country.yaml), data (perf model coefficients), build (PuLP model), solve (the MILP), extract
(results, shadow-price LP), report (plan.json, report.md, report.html). The LP relaxation (integrality dropped)
is the bound no exact method can beat: `gap to LP` = (MILP objective - LP objective) / MILP objective, an upper
bound on the true optimality gap. CBC's own gap is not reported by PuLP, so the LP bound is the common yardstick.
Also timed: each bundled example end to end (process start to reports written), `planner --help` and one
`planner estimate serve` question (target < 1 s).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import write_case  # noqa: E402


@dataclass(frozen=True)
class Size:
    """A generated case: its dimensions, the gap the country asks for and the solver's (wall-clock) time limit."""

    sites: int
    options: int
    workloads: int
    years: int
    mip_gap: float = 0.005
    time_limit_s: float = 60.0
    capex_budget_usd: float | None = None
    opex_budget_usd: float | None = None

    @property
    def dims(self) -> tuple[int, int, int, int]:
        return (self.sites, self.options, self.workloads, self.years)


SIZES: dict[str, Size] = {
    "small": Size(3, 5, 4, 2),
    "medium": Size(10, 17, 10, 3),
    "large": Size(25, 30, 20, 5),
    # HiGHS's limit is wall-clock, the target CPU time: on a shared machine a 30 s wall limit may be 15 CPU-s, so
    # the national case gets room and the CPU time it took to prove the gap is what is compared with the target
    "national": Size(50, 40, 30, 5, time_limit_s=120.0),
    "national200": Size(200, 60, 100, 10, mip_gap=0.01, time_limit_s=600.0),
}
INFEASIBLE: dict[str, Size] = {
    # the national case with a capital budget far below what its demand costs: the diagnosis must share the limit
    "national_infeasible": Size(50, 40, 30, 5, time_limit_s=30.0, capex_budget_usd=20e6, opex_budget_usd=5e6),
}
TARGETS = {
    "example_s": 2.0,
    "help_s": 0.5,
    "estimate_serve_s": 1.0,
    "proposal_s": 60.0,
    "national_cpu_s": 30.0,
    "national_gap": 0.005,
    "national_rss_mb": 2048.0,
    "national_data_s": 5.0,
    "national200_gap": 0.01,
    "national200_s": 600.0,
}
TODAY = "2026-07-01"
"""The decision date of every case (PLANNER_TODAY, as in the tests) unless the environment sets another."""
BEGIN, END = "<!-- benchmark:begin -->", "<!-- benchmark:end -->"


# ---------------------------------------------------------------------------------------------- one case (worker)


def worker(case: Path, solver: str, mode: str, time_limit: float, seed: int) -> dict[str, Any]:
    """Size one generated case in this process and return its timings (run in a fresh process).

    `times` are CPU seconds of this process (HiGHS runs in-process with one thread, so its work is counted;
    the machine is shared and wall time is noisy), `wall` the same phases on the wall clock."""
    t0, c0 = time.perf_counter(), time.process_time()
    import pulp

    import planner.pipeline as pipeline
    import planner.sizing.diagnose as diagnose
    from planner.catalog import load_catalog
    from planner.sizing.solve import make_solver, solve

    def seeded(*args: Any, **kwargs: Any) -> Any:
        return make_solver(*args, **kwargs, random_seed=seed) if solver == "highs" else make_solver(*args, **kwargs)

    pipeline.make_solver = diagnose.make_solver = seeded
    times: dict[str, float] = {"import": time.process_time() - c0}
    wall: dict[str, float] = {"import": time.perf_counter() - t0}

    def timed(name: str, func: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start, cpu = time.perf_counter(), time.process_time()
            out = func(*args, **kwargs)
            times[name] = times.get(name, 0.0) + time.process_time() - cpu
            wall[name] = wall.get(name, 0.0) + time.perf_counter() - start
            return out

        return wrapper

    load = timed("load", lambda: _load(case, solver, time_limit, load_catalog, pipeline))
    loaded, catalog = load()
    stats: dict[str, Any] = {"seed": seed}
    if mode == "lp":
        from planner.sizing.dominance import drop_dominated

        data = timed("data", pipeline.build_problem_data)(loaded.spec, catalog)
        drop_dominated(data)
        built = timed("build", pipeline.build_model)(data)
        for var in built.problem.variables():
            var.cat = pulp.LpContinuous
        options = loaded.spec.solver
        outcome = timed("solve", solve)(
            built.problem, make_solver(options.name, time_limit_s=options.time_limit_s, mip_gap=options.mip_gap)
        )
        stats.update(status=outcome.status.value, objective=outcome.objective)
    else:
        originals = (pipeline.build_problem_data, pipeline.build_model, pipeline.solve)
        pipeline.build_problem_data = timed("data", originals[0])
        pipeline.build_model = timed("build", originals[1])

        def solve_and_count(problem: Any, solver_: Any) -> Any:
            stats.setdefault("variables", len(problem.variables()))
            stats.setdefault("rows", len(problem.constraints))
            stats.setdefault("integers", sum(1 for v in problem.variables() if v.cat == pulp.LpInteger))
            stats.setdefault("nonzeros", sum(len(c) for c in problem.constraints.values()))
            return timed("solve", originals[2])(problem, solver_)

        pipeline.solve = solve_and_count
        run = timed("size", pipeline.size)
        plan = run(loaded, catalog)
        for clock in (times, wall):
            clock["extract"] = clock["size"] - sum(clock.get(k, 0.0) for k in ("data", "build", "solve"))
        stats.update(status=plan.status, objective=plan.solver.objective_npv_usd, gap=plan.solver.mip_gap)
        if plan.diagnosis is not None:
            d = plan.diagnosis
            stats["diagnosis"] = {"complete": d.complete, "remedies": len(d.remedies), "shortfalls": len(d.shortfalls)}
        if mode == "milp":
            start, cpu = time.perf_counter(), time.process_time()
            with tempfile.TemporaryDirectory() as out:
                plan.report(Path(out), ["json", "md", "html"])
            times["report"], wall["report"] = time.process_time() - cpu, time.perf_counter() - start
    stats["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stats["times"], stats["wall"] = times, wall
    return stats


def _load(case: Path, solver: str, time_limit: float, load_catalog: Any, pipeline: Any) -> Any:
    catalog = load_catalog([case / "catalog"])
    loaded = pipeline.load_spec(case / "country.yaml", catalog)
    options = loaded.spec.solver.model_copy(update={"name": solver, "time_limit_s": time_limit})
    return replace(loaded, spec=loaded.spec.model_copy(update={"solver": options})), catalog


def run_worker(case: Path, solver: str, mode: str, time_limit: float, seed: int = 0) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", str(case), "--solver", solver, "--mode", mode]
    cmd += ["--time-limit", str(time_limit), "--seed", str(seed)]
    # lead times count from the decision date (today by default): pin it, or the cases change with the day they run
    env = {**os.environ, "PLANNER_TODAY": os.environ.get("PLANNER_TODAY", TODAY)}
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=time_limit * 4 + 600, env=env)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:], "wall_s": wall, "seed": seed}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_s"] = wall
    return result


# ---------------------------------------------------------------------------------------------- end to end


def time_command(args: list[str], repeat: int = 3) -> dict[str, float]:
    """Best wall time and best CPU time (user + system of the child) of a command run in a fresh process."""
    best = {"wall": float("inf"), "cpu": float("inf")}
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False, cwd=ROOT, env={**os.environ, "PLANNER_TODAY": TODAY})
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        best = {"wall": min(best["wall"], wall), "cpu": min(best["cpu"], cpu)}
    return best


def end_to_end() -> dict[str, dict[str, float]]:
    planner = [sys.executable, "-m", "planner"]
    out: dict[str, float] = {"planner --help": time_command([*planner, "--help"], 5)}
    serve = "estimate serve --model deepseek_v3 --hardware gb200_nvl72 --input-tokens 2000 --output-tokens 1000"
    serve += " --precision fp4 --scenario server --tpot-ms 50"
    out["planner estimate serve (DeepSeek-V3, GB200 NVL72, server)"] = time_command([*planner, *serve.split()], 5)
    with tempfile.TemporaryDirectory() as tmp:
        for example in sorted((ROOT / "examples").glob("*.yaml")):
            # the plan alone (the proposal re-solves its options and sensitivity: ~16 more solves, timed below)
            args = [*planner, "size", str(example), "--out", str(Path(tmp) / example.stem), "-q", "--short"]
            out[f"size --short examples/{example.name}"] = time_command(args)
        args = [*planner, "size", str(ROOT / "examples" / "malaysia.yaml"), "--out", str(Path(tmp) / "p"), "-q"]
        out["size examples/malaysia.yaml (the whole proposal)"] = time_command(args, 1)
    return out


# ---------------------------------------------------------------------------------------------- the table


def benchmark(
    sizes: list[str], solvers: list[str], cbc_sizes: set[str], seeds: int, seed_sizes: set[str], limits: dict
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in sizes:
            size = SIZES.get(name) or INFEASIBLE[name]
            limit = limits.get(name, size.time_limit_s)
            case = Path(tmp) / name
            write_case(
                case,
                *size.dims,
                mip_gap=size.mip_gap,
                capex_budget_usd=size.capex_budget_usd,
                opex_budget_usd=size.opex_budget_usd,
            )
            row: dict[str, Any] = {"dims": size.dims, "time_limit_s": limit, "mip_gap": size.mip_gap, "runs": {}}
            if name in INFEASIBLE:
                row["runs"]["highs"] = [run_worker(case, "highs", "infeasible", limit)]
            else:
                row["lp"] = run_worker(case, "highs", "lp", limit)
                for solver in solvers:
                    if solver == "cbc" and name not in cbc_sizes:
                        continue
                    n = seeds if solver == "highs" and name in seed_sizes else 1
                    row["runs"][solver] = [run_worker(case, solver, "milp", limit, seed) for seed in range(n)]
            results[name] = row
            print(f"{name}: {json.dumps(row, default=str)[:600]}", file=sys.stderr, flush=True)
    return results


def _gap_to_lp(milp: dict[str, Any], lp: dict[str, Any] | None) -> float | None:
    a, b = milp.get("objective"), (lp or {}).get("objective")
    if a is None or b is None or not a:
        return None
    return max(0.0, (a - b) / abs(a))


def _fmt(x: Any, spec: str = ".2f") -> str:
    return "–" if x is None else format(x, spec)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.2f}%"


def _median(xs: list[float]) -> float | None:
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    mid = len(xs) // 2
    return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2


def _worst(xs: list[float]) -> float | None:
    xs = [x for x in xs if x is not None]
    return max(xs) if xs else None


def _ok(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in runs if "error" not in r]


def markdown(results: dict[str, Any], e2e: dict[str, Any]) -> str:
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} CPUs (shared), Python "
        f"{platform.python_version()}, `python benchmarks/run.py`, threads=1. Times are **CPU seconds** of the "
        "process (HiGHS runs in it), the median over the solver seeds run; the solver's time limit is wall-clock.",
        "",
        "| case (sites × options × workloads × years) | solver | seeds | variables (integer) | rows | nonzeros "
        "| data s | build s | solve s | extract s | report s | peak MB | status | solver gap | gap to LP | LP s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in results.items():
        if name in INFEASIBLE:
            continue
        dims = " × ".join(str(d) for d in row["dims"])
        lp = row.get("lp")
        for solver, runs in row["runs"].items():
            ok = _ok(runs)
            if not runs:  # no seeded solve asked for (--seeds 0): only the data and LP rows
                continue
            if not ok:
                lines.append(f"| {name} ({dims}) | {solver} | failed: {' '.join(runs[0]['error'])} |" + " |" * 13)
                continue
            r = ok[0]

            def med(key: str, ok: list[dict[str, Any]] = ok) -> float | None:
                return _median([x["times"].get(key) for x in ok])

            statuses = sorted({x["status"] for x in ok})
            lines.append(
                f"| {name} ({dims}) | {solver} | {len(ok)} | {r.get('variables', 0):,} ({r.get('integers', 0):,}) "
                f"| {r.get('rows', 0):,} | {r.get('nonzeros', 0):,} | {_fmt(med('data'))} | {_fmt(med('build'))} "
                f"| {_fmt(med('solve'))} | {_fmt(med('extract'))} | {_fmt(med('report'))} "
                f"| {_worst([x['peak_rss_mb'] for x in ok]):.0f} | {'/'.join(statuses)} "
                f"| {_pct(_median([x.get('gap') for x in ok]))} "
                f"| {_pct(_median([_gap_to_lp(x, lp) for x in ok]))} "
                f"| {_fmt((lp or {}).get('times', {}).get('solve'))} |"
            )
    lines += _seed_table(results)
    lines += _infeasible_table(results)
    if e2e:
        lines += [
            "",
            "| end to end (fresh process, best of 3–5) | CPU s | wall s | target (CPU) |",
            "|---|---|---|---|",
        ]
        for name, t in e2e.items():
            t = t if isinstance(t, dict) else {"wall": t, "cpu": None}  # measurements saved before CPU was kept
            kind = (
                "help"
                if "help" in name
                else "estimate_serve"
                if "estimate serve" in name
                else "proposal"
                if "proposal" in name
                else "example"
            )
            target = TARGETS[f"{kind}_s"]
            seconds = t["cpu"] if t["cpu"] is not None else t["wall"]
            mark = "ok" if seconds <= target else f"missed by {seconds - target:.2f} s"
            lines.append(
                f"| `planner {name.removeprefix('planner ')}` | {_fmt(t['cpu'])} | {t['wall']:.2f} "
                f"| < {target:g} s ({mark}) |"
            )
    lines += _target_table(results)
    return "\n".join(lines) + "\n"


def _seed_table(results: dict[str, Any]) -> list[str]:
    """Every HiGHS seed of the cases run with several, then the median and the worst."""
    out: list[str] = []
    for name, row in results.items():
        runs = _ok(row.get("runs", {}).get("highs", []))
        if len(runs) < 2:
            continue
        lp = row.get("lp")
        if not out:
            out += [
                "",
                "| case | HiGHS seed | status | solver gap | gap to LP | solve CPU s | solve wall s | whole run CPU s "
                "| peak MB |",
                "|---|---|---|---|---|---|---|---|---|",
            ]
        for r in runs:
            out.append(
                f"| {name} | {r['seed']} | {r['status']} | {_pct(r.get('gap'))} | {_pct(_gap_to_lp(r, lp))} "
                f"| {r['times']['solve']:.1f} | {r['wall']['solve']:.1f} | {r['times']['size']:.1f} "
                f"| {r['peak_rss_mb']:.0f} |"
            )
        for label, agg in (("median", _median), ("worst", _worst)):
            out.append(
                f"| {name} | **{label}** | | {_pct(agg([r.get('gap') for r in runs]))} "
                f"| {_pct(agg([_gap_to_lp(r, lp) for r in runs]))} | {agg([r['times']['solve'] for r in runs]):.1f} "
                f"| {agg([r['wall']['solve'] for r in runs]):.1f} | {agg([r['times']['size'] for r in runs]):.1f} "
                f"| {agg([r['peak_rss_mb'] for r in runs]):.0f} |"
            )
    return out


def _infeasible_table(results: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for name, row in results.items():
        if name not in INFEASIBLE:
            continue
        if not out:
            out += [
                "",
                "| infeasible case | --time-limit s | status | whole run CPU s | whole run wall s | diagnosis "
                "| within the limit |",
                "|---|---|---|---|---|---|---|",
            ]
        for r in row["runs"]["highs"]:
            if "error" in r:
                out.append(f"| {name} | {row['time_limit_s']:g} | failed: {' '.join(r['error'])} | | | | |")
                continue
            d = r.get("diagnosis") or {}
            what = f"{d.get('shortfalls', 0)} shortfalls, {d.get('remedies', 0)} remedies" + (
                "" if d.get("complete", True) else " (incomplete: time ran out)"
            )
            inside = r["wall"]["size"] <= row["time_limit_s"]
            out.append(
                f"| {name} | {row['time_limit_s']:g} | {r['status']} | {r['times']['size']:.1f} "
                f"| {r['wall']['size']:.1f} | {what} | {'yes' if inside else 'no'} |"
            )
    return out


def _target_table(results: dict[str, Any]) -> list[str]:
    checks: list[tuple[str, str, bool]] = []
    national = results.get("national", {})
    runs = _ok(national.get("runs", {}).get("highs", []))
    if runs:
        cpu = [r["times"]["solve"] for r in runs]
        proved = [
            r["status"] == "optimal" or (r.get("gap") is not None and r["gap"] <= TARGETS["national_gap"]) for r in runs
        ]
        within = [p and c <= TARGETS["national_cpu_s"] for p, c in zip(proved, cpu, strict=True)]
        checks += [
            (
                f"national: ≤ 0.5 % proven within 30 CPU-s on every seed ({len(runs)})",
                f"{sum(within)} of {len(runs)}; solve CPU median {_median(cpu):.1f} s, worst {max(cpu):.1f} s; "
                f"solver gap worst {_pct(_worst([r.get('gap') for r in runs]))}",
                all(within),
            ),
            (
                "national: peak memory < 2 GB",
                f"{max(r['peak_rss_mb'] for r in runs):.0f} MB (worst seed)",
                max(r["peak_rss_mb"] for r in runs) < TARGETS["national_rss_mb"],
            ),
            (
                "national: problem data ≤ 5 s",
                f"{_median([r['times']['data'] for r in runs]):.2f} CPU-s",
                _median([r["times"]["data"] for r in runs]) <= TARGETS["national_data_s"],
            ),
            (
                "national: whole `planner size` run ≤ 30 CPU-s on every seed (data, build, solve, plan)",
                f"median {_median([r['times']['size'] for r in runs]):.1f} s, worst "
                f"{max(r['times']['size'] for r in runs):.1f} s",
                max(r["times"]["size"] for r in runs) <= TARGETS["national_cpu_s"],
            ),
        ]
    big = _ok(results.get("national200", {}).get("runs", {}).get("highs", []))
    if big:
        r = max(big, key=lambda x: x.get("gap") or 1.0)
        gap = r.get("gap")
        checks.append(
            (
                "200 sites: ≤ 1 % within 10 minutes",
                f"solver gap {_pct(gap)} ({r['status']}) after {r['wall']['solve']:.0f} s wall, "
                f"{r['times']['solve']:.0f} CPU-s; whole run {r['wall']['size']:.0f} s wall; {r['peak_rss_mb']:.0f} MB",
                gap is not None and gap <= TARGETS["national200_gap"] and r["wall"]["size"] <= TARGETS["national200_s"],
            )
        )
    for name in INFEASIBLE:
        for r in _ok(results.get(name, {}).get("runs", {}).get("highs", [])):
            limit = results[name]["time_limit_s"]
            checks.append(
                (
                    f"infeasible national case: diagnosis within --time-limit {limit:g} s",
                    f"{r['wall']['size']:.1f} s wall ({r['times']['size']:.1f} CPU-s), status {r['status']}",
                    r["wall"]["size"] <= limit and r["status"] == "infeasible",
                )
            )
    if not checks:
        return []
    lines = ["", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {label} | {value} | {'yes' if ok else 'no'} |" for label, value, ok in checks]
    return lines


def write_into(doc: Path, table: str) -> None:
    """Replace the generated block of `doc` (between the benchmark markers), or append one."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n\n"
    block = f"{BEGIN}\n{table}{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    every = [*SIZES, *INFEASIBLE]
    parser.add_argument("--sizes", default=",".join(every), help=f"comma-separated: {', '.join(every)}")
    parser.add_argument("--solvers", default="highs,cbc")
    parser.add_argument("--cbc-sizes", default="small,medium,large", help="sizes CBC is run on (slow on big ones)")
    parser.add_argument("--seeds", type=int, default=5, help="HiGHS random seeds per case in --seed-sizes")
    parser.add_argument("--seed-sizes", default="national", help="cases run with every seed")
    parser.add_argument("--time-limit", type=float, default=None, help="override every case's solver time limit")
    parser.add_argument("--no-e2e", action="store_true", help="skip the end-to-end example timings")
    parser.add_argument("--write", type=Path, help="put the tables into this markdown file")
    parser.add_argument("--json", type=Path, help="also save the raw measurements")
    parser.add_argument("--from-json", type=Path, help="re-render tables from measurements saved with --json")
    parser.add_argument("--merge-json", type=Path, nargs="*", default=[], help="add cases saved by other runs")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--solver", default="highs", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="milp", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.solver, args.mode, args.time_limit or 60.0, args.seed)))
        return 0
    if args.from_json:
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        results, e2e = saved["cases"], saved["end_to_end"]
    else:
        sizes = [s for s in args.sizes.split(",") if s]
        limits = {name: args.time_limit for name in every} if args.time_limit else {}
        results = benchmark(
            sizes,
            args.solvers.split(","),
            set(args.cbc_sizes.split(",")),
            args.seeds,
            set(args.seed_sizes.split(",")),
            limits,
        )
        e2e = {} if args.no_e2e else end_to_end()
    for extra in args.merge_json:
        saved = json.loads(extra.read_text(encoding="utf-8"))
        results.update(saved["cases"])
        e2e = saved["end_to_end"] or e2e
    order = {name: i for i, name in enumerate(every)}
    results = dict(sorted(results.items(), key=lambda kv: order.get(kv[0], len(order))))
    table = markdown(results, e2e)
    print(table)
    if args.json:
        args.json.write_text(json.dumps({"cases": results, "end_to_end": e2e}, indent=2, default=str))
    if args.write:
        write_into(args.write, table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
