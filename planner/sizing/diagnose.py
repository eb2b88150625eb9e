"""Explain infeasible plans: what is short, by how much, and what would restore feasibility.

HiGHS and CBC give no irreducible infeasible set through PuLP, so requirement rows are made elastic
(penalised shortfall variables) and the smallest relative relaxation is reported.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from planner.sizing.data import ProblemData
from planner.sizing.model import build_model
from planner.sizing.rows import FAMILIES, parse_row_name
from planner.sizing.solve import SolveStatus, make_solver, solve

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Shortfall:
    """One requirement that cannot be met, and by how much."""

    family: str
    constraint: str
    amount: float
    unit: str
    message: str

    def to_json(self) -> dict:
        """Plain-dict form for plan.json."""
        return asdict(self)


def unservable_workloads(data: ProblemData) -> list[Shortfall]:
    """Workloads that no hardware option can run at all (SLO, memory or deadline out of reach)."""
    out = []
    for need in data.serving:
        if not need.usable_tokens_per_s_per_unit:
            reasons = sorted({e.reason for e in need.estimates.values() if e.reason})
            msg = f"no hardware option can serve `{need.workload}`: " + "; ".join(reasons[:3])
            out.append(Shortfall("demand_coverage", f"demand_coverage__{need.workload}", 1.0, "workload", msg))
    for need in data.training:
        if not need.units_needed:
            fastest = min(need.estimates.items(), key=lambda kv: kv[1].wall_days, default=None)
            deadline = data.spec.workloads[need.workload].deadline_days
            detail = f"; the fastest option, `{fastest[0]}`, needs {fastest[1].wall_days:.0f} days" if fastest else ""
            msg = f"no hardware option can finish `{need.workload}` within its {deadline:g}-day deadline{detail}"
            out.append(Shortfall("training_placement", f"training_placement__{need.workload}", 1.0, "job", msg))
    return out


def diagnose(data: ProblemData) -> list[Shortfall]:
    """Relax every requirement family, solve, and list the rows that had to give way."""
    built = build_model(data, elastic=True)
    options = data.spec.solver
    outcome = solve(
        built.problem, make_solver(options.name, time_limit_s=options.time_limit_s, mip_gap=options.mip_gap)
    )
    if outcome.status is SolveStatus.INFEASIBLE:
        return [Shortfall("structure", "", 0.0, "", "the plan is infeasible even with every requirement relaxed")]
    shortfalls = []
    for name, slack in built.variables.slack.items():
        amount = slack.value() or 0.0
        if amount <= TOLERANCE * max(1.0, abs(built.rows[name].rhs)):
            continue
        family, ids = parse_row_name(name)
        meta = FAMILIES[family]
        message = meta.shortfall.format(ids=ids, amount=format_amount(amount, meta.unit))
        shortfalls.append(Shortfall(family, name, amount, meta.unit, message))
    return shortfalls


def format_amount(amount: float, unit: str) -> str:
    """Human form of a shortfall: $41.2 M, 3,200 kW, 1,530 output tokens/s."""
    if unit.startswith("USD"):
        return format_usd(amount)
    if unit == "kW" and amount >= 1000:
        return f"{amount / 1000:,.2f} MW"
    return f"{amount:,.0f} {unit}" if amount >= 10 else f"{amount:,.2f} {unit}"


def format_usd(amount: float) -> str:
    """$1.23 B, $41.2 M, $350 k, $900."""
    sign = "-" if amount < 0 else ""
    a = abs(amount)
    if a >= 1e9:
        return f"{sign}${a / 1e9:,.2f} B"
    if a >= 1e6:
        return f"{sign}${a / 1e6:,.1f} M"
    if a >= 1e3:
        return f"{sign}${a / 1e3:,.0f} k"
    return f"{sign}${a:,.0f}"
