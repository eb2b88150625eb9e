"""Run HiGHS (default) or CBC through PuLP and report a typed outcome; raw PuLP codes stop here."""

from __future__ import annotations

import os
import sys
import time
import warnings
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pulp

from planner.errors import InputError, Issue, SolverError, SolverTimeout


class SolveStatus(StrEnum):
    """What the solver achieved."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    """A plan was found but not proven optimal (time limit)."""
    INFEASIBLE = "infeasible"


OPTIMALITY_TOLERANCE = 1e-4
"""A plan is called optimal only when it is proven within this relative gap of the best possible (HiGHS's
default); a looser `mip_gap` gives a feasible plan labelled with its gap."""


@dataclass(frozen=True)
class SolveOutcome:
    """Status, objective and effort of one solve."""

    status: SolveStatus
    objective: float | None
    gap: float | None
    runtime_s: float
    solver: str


_BANNER = {"silenced": False}


def _silence_highs_banner() -> None:
    """HiGHS prints a copyright banner to stdout the first time a solver object is made in a process, even with
    output off; make that first object with stdout pointed at /dev/null so the CLI's output stays the plan's."""
    if _BANNER["silenced"]:
        return
    _BANNER["silenced"] = True
    try:
        import highspy
    except ImportError:
        return
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def make_solver(
    name: str, *, time_limit_s: float, mip_gap: float, msg: bool = False, random_seed: int = 0
) -> pulp.LpSolver:
    """A PuLP solver object, or SolverError if it is not installed. `random_seed` is HiGHS's (the plans are
    deterministic for a given seed; benchmarks vary it to see how much the time to a gap depends on luck)."""
    if name == "highs":
        if not msg:
            _silence_highs_banner()
        # HiGHS looks at the clock between nodes and cut rounds, and overshot a 60 s limit by ~3 s on the
        # national benchmark; asking for 95 % keeps the whole solve within the user's limit
        limit = time_limit_s * 0.95
        solver = FastHiGHS(msg=msg, timeLimit=limit, gapRel=mip_gap, threads=1, random_seed=random_seed)
    elif name == "cbc":
        with warnings.catch_warnings():  # PuLP 3.x deprecates its bundled CBC for 4.0; the planner still uses it
            warnings.filterwarnings("ignore", message="PULP_CBC_CMD is deprecated", category=DeprecationWarning)
            solver = pulp.PULP_CBC_CMD(msg=msg, timeLimit=time_limit_s, gapRel=mip_gap, threads=1)
    else:
        msg_ = f"unknown solver `{name}`; use highs or cbc"
        raise SolverError(msg_)
    try:
        available = solver.available()
    except Exception as exc:  # a broken install (missing shared library, bad binary) raises rather than answers
        msg_ = f"solver `{name}` cannot be used on this machine: {type(exc).__name__}: {exc}"
        raise SolverError(msg_) from None
    if not available:
        hint = "pip install highspy" if name == "highs" else "pip install pulp (it bundles CBC)"
        msg_ = f"solver `{name}` is not available on this machine ({hint}), or choose the other with --solver"
        raise SolverError(msg_)
    return solver


class FastHiGHS(pulp.HiGHS):
    """PuLP's in-process HiGHS with the model passed in whole arrays instead of one call per column and row.

    PuLP's own transfer (`addCol` and `changeColIntegrality` per column, `addRow` per row) took ~1.9 s on the
    national benchmark and ~20 s at 200 sites, outside HiGHS's clock; here it is one `addCols`, one
    `changeColsIntegrality` and one `addRows`, with the same columns and rows in the same order (so HiGHS sees the
    same model and finds the same plans). The time it takes is taken from the time limit, so a solve, transfer
    included, stays within it."""

    START_PLAN_MIN_INTEGERS = 5000
    """Models with at least this many integer columns get a start plan (`start_plan`); smaller ones are solved
    as they are (HiGHS finds good plans for them at once, and their plans stay exactly as before)."""

    def actualSolve(self, lp: pulp.LpProblem) -> int:  # type: ignore[override]
        self._started = time.monotonic()
        return super().actualSolve(lp)

    def callSolver(self, lp: pulp.LpProblem) -> None:
        model = lp.solverModel
        self.proved_by_start = None
        lp_model = model.getLp()
        integers = [i for i, kind in enumerate(lp_model.integrality_) if kind.value != 0] if self.mip else []
        if len(integers) >= self.START_PLAN_MIN_INTEGERS and self.timeLimit is not None:
            started, limit = time.monotonic(), float(model.getOptionValue("time_limit")[1])
            teams = [v.index for v in lp.variables() if v.name.startswith("team__")]
            found = start_plan(lp_model, integers, limit * START_PLAN_SHARE, self, teams)
            if found is not None:
                plan, gap, on = found
                if on:  # teams proven on: their smallest team is in every plan at least as good as the start
                    import numpy as np

                    index = np.array(on, dtype=np.int32)
                    ones = np.ones(len(on))
                    model.changeColsBounds(len(on), index, ones, ones)
                if gap <= (self.gapRel or 0.0):  # the LP bound already proves it: nothing left to search
                    self.proved_by_start = (plan, gap)
                    return
                model.setSolution(plan)
            left = limit - (time.monotonic() - started)
            model.setOptionValue("time_limit", max(0.05, left))
        model.run()

    def findSolutionValues(self, lp: pulp.LpProblem) -> tuple[int, int]:
        if self.proved_by_start is None:
            return super().findSolutionValues(lp)
        plan, gap = self.proved_by_start
        values, rows = list(plan.col_value), list(plan.row_value)
        for var in lp.variables():
            var.varValue, var.dj = values[var.index], None
        for constraint in lp._constraints.values():
            constraint.slack = constraint.constant + rows[constraint.index]
            if constraint.sense == pulp.LpConstraintLE:
                constraint.slack *= -1.0
            constraint.pi = None  # a MILP has no duals (prices come from their own LP)
        return pulp.LpStatusOptimal, pulp.LpSolutionOptimal

    def buildSolverModel(self, lp: pulp.LpProblem) -> None:
        import highspy
        import numpy as np

        inf = highspy.kHighsInf
        model = lp.solverModel
        sense = -1.0 if lp.sense == pulp.LpMaximize else 1.0
        variables = lp.variables()
        for i, var in enumerate(variables):
            var.index = i
        n = len(variables)
        objective = lp.objective
        cost = np.fromiter((sense * objective.get(var, 0.0) for var in variables), dtype=np.float64, count=n)
        lower = np.fromiter((-inf if v.lowBound is None else v.lowBound for v in variables), np.float64, count=n)
        upper = np.fromiter((inf if v.upBound is None else v.upBound for v in variables), np.float64, count=n)
        model.addCols(n, cost, lower, upper, 0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
        if self.mip:
            integers = np.array([v.index for v in variables if v.cat == pulp.LpInteger], dtype=np.int32)
            if len(integers):
                kinds = np.full(len(integers), highspy.HighsVarType.kInteger.value, dtype=np.uint8)
                model.changeColsIntegrality(len(integers), integers, kinds)
        starts, indices, values, row_lower, row_upper = [], [], [], [], []
        for i, constraint in enumerate(lp._constraints.values()):
            constraint.index = i
            starts.append(len(indices))
            for var, coefficient in constraint.items():
                if coefficient != 0:
                    indices.append(var.index)
                    values.append(coefficient)
            lb, ub = constraint.getLb(), constraint.getUb()
            row_lower.append(-inf if lb is None else lb)
            row_upper.append(inf if ub is None else ub)
        if starts:
            model.addRows(
                len(starts),
                np.array(row_lower, dtype=np.float64),
                np.array(row_upper, dtype=np.float64),
                len(indices),
                np.array(starts, dtype=np.int32),
                np.array(indices, dtype=np.int32),
                np.array(values, dtype=np.float64),
            )
        if self.timeLimit is not None:  # the transfer counts against the limit
            spent = time.monotonic() - getattr(self, "_started", time.monotonic())
            model.setOptionValue("time_limit", max(0.05, float(self.timeLimit) - spent))


RESTRICTED_GAP_SHARE = 0.25
"""The restricted MILP of a start plan is solved to this share of the requested gap: its bound sits above the LP
bound of the full model, so a plan only just within the gap of its own bound was short of proving the full one."""

START_PLAN_SHARE = 0.3
"""Share of the time limit a start plan may take (the LP relaxation, then the MILP restricted to its support)."""


def start_plan(
    lp_model: Any, integers: list[int], seconds: float, solver: FastHiGHS, teams: list[int] = ()
) -> tuple[Any, float, list[int]] | None:
    """A plan to start HiGHS from, its gap to the LP bound and the staff-team columns proven on ((HighsSolution,
    gap, columns)), or None: the MILP restricted to the integer columns the LP relaxation uses (every integer
    column at zero in the LP optimum is fixed at zero), solved to the requested gap. The LP optimum bounds the
    MILP's, so a gap within the requested one is a proof and the full MILP need not run.

    A team switch (planner/sizing/families/staff.py) is a fixed cost the LP relaxation barely sees (one unit at a
    site turns it 1/100,000 on), so the LP bound misses the team's pay and HiGHS took 38 s instead of 2 to prove
    the national case. Each switch is probed: the LP with it off (no bought unit in that country that year); where
    that LP costs more than the start plan, every plan with the team off is worse than one already found, so the
    team is on in an optimal plan and the switch is fixed at 1 (the bound then counts its pay). Exact; probing
    stops when a third of the start plan's time is spent.

    At national scale HiGHS's own heuristics stall on the many near-identical sites and hardware variants: at 200
    sites the first plan it found was 15 × the LP bound after the root; the restricted MILP is a few per cent of
    the columns and its optimum is usually within the gap of the LP bound, so the full solve only has to prove it."""
    import highspy
    import numpy as np

    deadline = time.monotonic() + seconds
    relaxed = _highs(solver, seconds * 0.5)
    relaxed.passModel(lp_model)
    index = np.array(integers, dtype=np.int32)
    kinds = np.zeros(len(index), dtype=np.uint8)
    relaxed.changeColsIntegrality(len(index), index, kinds)
    relaxed.run()
    if relaxed.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    bound = relaxed.getInfo().objective_function_value
    values = np.array(relaxed.getSolution().col_value)
    unused = index[values[index] < 1e-6]
    restricted = _highs(solver, max(0.05, deadline - time.monotonic()))
    if solver.gapRel:  # a few per cent of the columns: solved closer, its plan then often proves the full model's gap
        restricted.setOptionValue("mip_rel_gap", solver.gapRel * RESTRICTED_GAP_SHARE)
    restricted.passModel(lp_model)
    zeros = np.zeros(len(unused))
    restricted.changeColsBounds(len(unused), unused, zeros, zeros)
    # the teams the LP relaxation touches are on in the start plan (a fixed cost HiGHS would otherwise branch on)
    touched = np.array([c for c in teams if values[c] >= 1e-6], dtype=np.int32)
    restricted.changeColsBounds(len(touched), touched, np.ones(len(touched)), np.ones(len(touched)))
    restricted.run()
    info = restricted.getInfo()
    if info.primal_solution_status != 2:  # kSolutionStatusFeasible
        return None
    value = info.objective_function_value
    on = _teams_on(relaxed, teams, value, time.monotonic() + seconds / 3.0)
    if on:  # the LP bound with those teams on counts their pay
        for col in on:
            relaxed.changeColBounds(col, 1.0, 1.0)
        relaxed.run()
        if relaxed.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            bound = max(bound, relaxed.getInfo().objective_function_value)
    return restricted.getSolution(), max(0.0, (value - bound) / max(abs(value), 1e-9)), on


def _teams_on(relaxed: Any, teams: list[int], incumbent: float, stop_at: float) -> list[int]:
    """Team columns whose LP with the team off costs more than `incumbent` (see `start_plan`), re-solved from the
    LP relaxation's basis one column at a time."""
    import highspy

    on = []
    for col in teams:
        if time.monotonic() > stop_at:
            break
        relaxed.changeColBounds(col, 0.0, 0.0)
        relaxed.run()
        status = relaxed.getModelStatus()
        off = relaxed.getInfo().objective_function_value
        relaxed.changeColBounds(col, 0.0, 1.0)
        if status == highspy.HighsModelStatus.kInfeasible or (
            status == highspy.HighsModelStatus.kOptimal and off > incumbent + 1e-7 * max(1.0, abs(incumbent))
        ):
            on.append(col)
    return on


def _highs(solver: FastHiGHS, seconds: float) -> Any:
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", bool(solver.msg))
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", float(seconds))
    if solver.gapRel is not None:
        h.setOptionValue("mip_rel_gap", solver.gapRel)
    for key, value in solver.optionsDict.items():
        h.setOptionValue(key, value)
    return h


def solve(problem: pulp.LpProblem, solver: pulp.LpSolver) -> SolveOutcome:
    """Solve and classify the result; SolverError when no plan and no proof of infeasibility."""
    started = time.perf_counter()
    try:
        code = problem.solve(solver)
    except pulp.PulpSolverError as exc:
        msg = f"the solver failed: {exc}"
        raise SolverError(msg) from None
    except (OSError, RuntimeError, ValueError, AttributeError, ImportError) as exc:  # a broken solver install
        msg = f"the solver failed: {type(exc).__name__}: {exc}"
        raise SolverError(msg) from None
    except (IndexError, KeyError) as exc:  # PuLP reading back a solution the solver did not produce
        msg = f"the solver returned no usable solution (numerical trouble?): {type(exc).__name__}: {exc}"
        raise SolverError(msg) from None
    runtime = time.perf_counter() - started
    sol_status = problem.sol_status
    name = "highs" if isinstance(solver, pulp.HiGHS) else "cbc"
    objective = pulp.value(problem.objective)
    if code == pulp.LpStatusOptimal and sol_status == pulp.LpSolutionOptimal:
        gap = _gap(problem, solver)
        # a solver stopping at a loose requested gap says "optimal"; the plan is only proven within that gap
        requested = getattr(solver, "gapRel", None) or getattr(solver, "optionsDict", {}).get("gapRel") or 0.0
        loose = gap > OPTIMALITY_TOLERANCE if gap is not None else requested > OPTIMALITY_TOLERANCE
        status = SolveStatus.FEASIBLE if loose else SolveStatus.OPTIMAL
        return SolveOutcome(status, objective, gap if gap is not None else (requested or None), runtime, name)
    if sol_status in (pulp.LpSolutionIntegerFeasible,) or (
        code == pulp.LpStatusOptimal and sol_status != pulp.LpSolutionNoSolutionFound
    ):
        return SolveOutcome(SolveStatus.FEASIBLE, objective, _gap(problem, solver), runtime, name)
    if code == pulp.LpStatusInfeasible or sol_status == pulp.LpSolutionInfeasible:
        return SolveOutcome(SolveStatus.INFEASIBLE, None, None, runtime, name)
    if code == pulp.LpStatusUnbounded:
        msg = "the model is unbounded (a cost coefficient is missing); please report this as a bug"
        raise SolverError(msg)
    msg = f"the solver stopped without a plan after {runtime:.1f} s (status {pulp.LpStatus[code]}); raise --time-limit"
    raise SolverTimeout(msg)


def _gap(problem: pulp.LpProblem, solver: pulp.LpSolver) -> float | None:
    """Relative MIP gap reported by HiGHS; None where the solver does not report it (CBC)."""
    model = getattr(problem, "solverModel", None)
    if isinstance(solver, FastHiGHS) and getattr(solver, "proved_by_start", None) is not None:
        return solver.proved_by_start[1]
    if not isinstance(solver, pulp.HiGHS) or model is None:
        return None
    try:
        gap = float(model.getInfo().mip_gap)
    except (AttributeError, TypeError, ValueError):  # an LP (no MIP gap) or an older highspy
        return None
    return gap if 0.0 <= gap < 1e30 else None


HUGE = 1e15
"""Largest coefficient or demand passed to a solver: HiGHS treats 1e20 as infinite, and no national programme
needs 1e15 of anything per unit (dollars, tokens/s, units); beyond it an input has a wrong unit or is absurd."""


def _finite(x: object) -> bool:
    try:
        return abs(float(x)) < HUGE  # type: ignore[arg-type]
    except (OverflowError, TypeError, ValueError):
        return False


def check_numbers(data: Any, file: str) -> None:
    """InputError if a coefficient the solver would get is infinite, NaN or absurdly large (HUGE).

    Each input number is finite, but products of them (users × requests × tokens, price × maintenance, kW × PUE ×
    hours × price) can overflow a float; PuLP would then refuse the model with a bare PulpError."""
    issues: list[Issue] = []
    hint = f"an input number is far too large (a product of them reaches {HUGE:.0e}); check its unit"
    for need in data.serving:
        values = [*need.peak_output_tokens_per_s.values(), *need.usable_tokens_per_s_per_unit.values()]
        if not all(map(_finite, values)):
            msg = "busy-hour demand or capacity overflows (users × requests × tokens is too large)"
            issues.append(Issue(file, f"workloads.{need.workload}", msg, hint=hint))
    for need in data.training:
        if not all(map(_finite, need.units_needed.values())):
            msg = "the units this job needs overflow (too many tokens or too short a deadline)"
            issues.append(Issue(file, f"workloads.{need.workload}", msg, hint=hint))
    for s, h in data.pairs():
        hw = data.hardware[h]
        site = data.spec.sites[s]
        numbers = [data.unit_price(s, h), data.opex_usd_per_unit_year(s, h), hw.chips_per_unit, hw.rack_units]
        numbers += [hw.power_kw_per_unit * (site.pue or 1.0)]
        if not all(_finite(data.existing_units(s, h, y)) for y in data.years):
            issues.append(Issue(file, f"sites.{s}.existing", f"absurdly many existing `{h}` units", hint=hint))
        if not all(map(_finite, numbers)):
            msg = f"the cost, power or size of `{h}` at this site overflows"
            issues.append(Issue(file, f"sites.{s}", msg, hint=hint))
    if not all(_finite(data.discount(y)) for y in data.years):
        issues.append(Issue(file, "planning.discount_rate", "discount factors overflow", hint=hint))
    if issues:
        raise InputError(issues)
