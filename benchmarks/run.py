"""Benchmarks: how long `planner size` takes, and how much memory, from a toy country to a national one.

    python benchmarks/run.py                          # every size, HiGHS and CBC, MILP and LP relaxation
    python benchmarks/run.py --sizes small,medium     # a subset
    python benchmarks/run.py --write docs/performance.md

For each size a country is generated (benchmarks/generate.py) and each measurement runs in a fresh Python process
so peak memory (ru_maxrss: Python, PuLP and the in-process HiGHS together) belongs to that case alone. Phases:
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
from dataclasses import replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import write_case  # noqa: E402

SIZES: dict[str, tuple[int, int, int, int]] = {
    # name: (sites, hardware options, workloads, years)
    "small": (3, 5, 4, 2),
    "medium": (10, 17, 10, 3),
    "large": (25, 30, 20, 5),
    "national": (50, 40, 30, 5),
}
TARGETS = {
    "example_s": 2.0,
    "help_s": 0.5,
    "estimate_serve_s": 1.0,
    "national_solve_s": 60.0,
    "national_gap": 0.005,
    "national_rss_mb": 2048.0,
    "build_to_solve": 0.25,
}
BEGIN, END = "<!-- benchmark:begin -->", "<!-- benchmark:end -->"


# ---------------------------------------------------------------------------------------------- one case (worker)


def worker(case: Path, solver: str, mode: str, time_limit: float) -> dict[str, Any]:
    """Size one generated case in this process and return its timings (run in a fresh process)."""
    t0 = time.perf_counter()
    import pulp

    import planner.pipeline as pipeline
    from planner.catalog import load_catalog
    from planner.sizing.solve import make_solver, solve

    times: dict[str, float] = {"import": time.perf_counter() - t0}
    t = time.perf_counter()
    catalog = load_catalog([case / "catalog"])
    loaded = pipeline.load_spec(case / "country.yaml", catalog)
    options = loaded.spec.solver.model_copy(update={"name": solver, "time_limit_s": time_limit})
    loaded = replace(loaded, spec=loaded.spec.model_copy(update={"solver": options}))
    times["load"] = time.perf_counter() - t
    stats: dict[str, Any] = {}

    def timed(name: str, func: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            out = func(*args, **kwargs)
            times[name] = times.get(name, 0.0) + time.perf_counter() - start
            return out

        return wrapper

    if mode == "lp":
        data = timed("data", pipeline.build_problem_data)(loaded.spec, catalog)
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
        t = time.perf_counter()
        plan = pipeline.size(loaded, catalog)
        total = time.perf_counter() - t
        times["extract"] = total - sum(times.get(k, 0.0) for k in ("data", "build", "solve"))
        t = time.perf_counter()
        with tempfile.TemporaryDirectory() as out:
            plan.report(Path(out), ["json", "md", "html"])
        times["report"] = time.perf_counter() - t
        stats.update(
            status=plan.status, objective=plan.solver.objective_npv_usd, gap=plan.solver.mip_gap
        )
    stats["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stats["times"] = times
    return stats


def run_worker(case: Path, solver: str, mode: str, time_limit: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", str(case), "--solver", solver, "--mode", mode]
    cmd += ["--time-limit", str(time_limit)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=time_limit * 4 + 600)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:], "wall_s": wall}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_s"] = wall
    return result


# ---------------------------------------------------------------------------------------------- end to end


def time_command(args: list[str], repeat: int = 3) -> float:
    """Best wall time of a command run in a fresh process (process start to exit)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False, cwd=ROOT)
        best = min(best, time.perf_counter() - started)
    return best


def end_to_end() -> dict[str, float]:
    planner = [sys.executable, "-m", "planner"]
    out: dict[str, float] = {"planner --help": time_command([*planner, "--help"], 5)}
    serve = "estimate serve --model deepseek_v3 --hardware gb200_nvl72 --input-tokens 2000 --output-tokens 1000"
    serve += " --precision fp4 --scenario server --tpot-ms 50"
    out["planner estimate serve (DeepSeek-V3, GB200 NVL72, server)"] = time_command([*planner, *serve.split()], 5)
    with tempfile.TemporaryDirectory() as tmp:
        for example in sorted((ROOT / "examples").glob("*.yaml")):
            args = [*planner, "size", str(example), "--out", str(Path(tmp) / example.stem), "-q"]
            out[f"size examples/{example.name}"] = time_command(args)
    return out


# ---------------------------------------------------------------------------------------------- the table


def benchmark(sizes: list[str], solvers: list[str], time_limit: float, cbc_sizes: set[str]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in sizes:
            dims = SIZES[name]
            case = Path(tmp) / name
            write_case(case, *dims)
            row: dict[str, Any] = {"dims": dims}
            row["lp"] = run_worker(case, "highs", "lp", time_limit)
            for solver in solvers:
                if solver == "cbc" and name not in cbc_sizes:
                    continue
                row[solver] = run_worker(case, solver, "milp", time_limit)
            results[name] = row
            print(f"{name}: {json.dumps(row, default=str)[:400]}", file=sys.stderr, flush=True)
    return results


def _gap_to_lp(milp: dict[str, Any], lp: dict[str, Any]) -> float | None:
    a, b = milp.get("objective"), lp.get("objective")
    if a is None or b is None or not a:
        return None
    return max(0.0, (a - b) / abs(a))


def _fmt(x: Any, spec: str = ".2f") -> str:
    return "–" if x is None else format(x, spec)


def markdown(results: dict[str, Any], e2e: dict[str, float], time_limit: float) -> str:
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, `python benchmarks/run.py` (solver time limit {time_limit:g} s, "
        "country mip_gap 0.5 %, threads=1).",
        "",
        "| case (sites × options × workloads × years) | solver | variables (integer) | rows | load s | build s "
        "| solve s | extract s | report s | peak MB | status | solver gap | gap to LP | LP s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in results.items():
        dims = " × ".join(str(d) for d in row["dims"])
        lp = row["lp"]
        for solver in ("highs", "cbc"):
            r = row.get(solver)
            if r is None:
                continue
            if "error" in r:
                lines.append(f"| {name} ({dims}) | {solver} | failed: {' '.join(r['error'])} |" + " |" * 11)
                continue
            t = r["times"]
            gap_lp = _gap_to_lp(r, lp)
            lines.append(
                f"| {name} ({dims}) | {solver} | {r.get('variables', 0):,} ({r.get('integers', 0):,}) "
                f"| {r.get('rows', 0):,} | {_fmt(t.get('load'))} | {_fmt(t.get('build'))} | {_fmt(t.get('solve'))} "
                f"| {_fmt(t.get('extract'))} | {_fmt(t.get('report'))} | {r['peak_rss_mb']:.0f} | {r['status']} "
                f"| {_fmt(r.get('gap') and 100 * r['gap'], '.2f')}{'%' if r.get('gap') is not None else ''} "
                f"| {_fmt(gap_lp and 100 * gap_lp, '.2f')}{'%' if gap_lp is not None else ''} "
                f"| {_fmt(lp.get('times', {}).get('solve'))} |"
            )
    lines += ["", "| end to end (fresh process, best of 3–5) | seconds | target |", "|---|---|---|"]
    for name, seconds in e2e.items():
        kind = "help" if "help" in name else "estimate_serve" if "estimate serve" in name else "example"
        target = TARGETS[f"{kind}_s"]
        mark = "ok" if seconds <= target else f"missed by {seconds - target:.2f} s"
        lines.append(f"| `planner {name.removeprefix('planner ')}` | {seconds:.2f} | < {target:g} s ({mark}) |")
    national = results.get("national", {}).get("highs")
    if national and "error" not in national:
        t = national["times"]
        gap = _gap_to_lp(national, results["national"]["lp"])
        checks = [
            ("solve < 60 s", f"{t['solve']:.1f} s", t["solve"] < TARGETS["national_solve_s"]),
            (
                "gap ≤ 0.5 % (to the LP bound)",
                "–" if gap is None else f"{100 * gap:.2f} %",
                gap is not None and gap <= TARGETS["national_gap"],
            ),
            (
                "peak memory < 2 GB",
                f"{national['peak_rss_mb']:.0f} MB",
                national["peak_rss_mb"] < TARGETS["national_rss_mb"],
            ),
            (
                "build < ¼ of solve",
                f"{t['build']:.2f} s = {100 * t['build'] / max(t['solve'], 1e-9):.1f} % of solve",
                t["build"] < 0.25 * t["solve"],
            ),
        ]
        lines += ["", "| national target | measured | met |", "|---|---|---|"]
        for label, value, ok in checks:
            lines.append(f"| {label} | {value} | {'yes' if ok else 'no'} |")
    return "\n".join(lines) + "\n"


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
    parser.add_argument("--sizes", default=",".join(SIZES), help=f"comma-separated: {', '.join(SIZES)}")
    parser.add_argument("--solvers", default="highs,cbc")
    parser.add_argument("--cbc-sizes", default="small,medium,large", help="sizes CBC is run on (slow on big ones)")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--no-e2e", action="store_true", help="skip the end-to-end example timings")
    parser.add_argument("--write", type=Path, help="put the tables into this markdown file")
    parser.add_argument("--json", type=Path, help="also save the raw measurements")
    parser.add_argument("--from-json", type=Path, help="re-render tables from measurements saved with --json")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--solver", default="highs", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="milp", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.solver, args.mode, args.time_limit)))
        return 0
    if args.from_json:
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        results, e2e = saved["cases"], saved["end_to_end"]
    else:
        sizes = [s for s in args.sizes.split(",") if s]
        results = benchmark(sizes, args.solvers.split(","), args.time_limit, set(args.cbc_sizes.split(",")))
        e2e = {} if args.no_e2e else end_to_end()
    table = markdown(results, e2e, args.time_limit)
    print(table)
    if args.json:
        args.json.write_text(json.dumps({"cases": results, "end_to_end": e2e}, indent=2, default=str))
    if args.write:
        write_into(args.write, table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
