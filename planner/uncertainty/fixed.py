"""A fixed plan as linear functions of the uncertain factors, so every sampled future is a few array products.

Costs: each cost term of the plan (a capex or opex line of the units it buys, runs or rents) is the planned amount
times a product of factors (energy: power × electricity price × exchange rate). Serving: capacity in a year is
the sum over hardware of units × planned throughput per unit × that profile's throughput factor; demand is the
planned demand × the workload's demand factor, grown at its sampled rate. Training: the job's wall time on the
units the plan gives it × its training-time factor, against its deadline. No future re-solves the plan.

Units the plan installs but leaves idle in a year (integer purchases, resilience headroom) serve the workloads
allowed there that can run on them, shared in proportion to the units each already has there: a simple,
conservative split (a re-optimised split could only do better).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from planner.plan import Plan
from planner.sizing.data import ProblemData
from planner.sizing.groups import allowed_sites
from planner.sizing.quarters import years_of_growth
from planner.uncertainty.inputs import throughput_key

Key = tuple[str, ...]
QUARTERS = (1, 2, 3, 4)


@dataclass
class ServingRequirement:
    workload: str
    demand: np.ndarray
    """Planned busy-hour demand by year (output tokens/s)."""
    growth: float
    offsets: np.ndarray
    """Years since the first year."""
    capacity: dict[str, np.ndarray] = field(default_factory=dict)
    """Throughput factor name -> planned capacity riding on it (output tokens/s), by year and quarter
    (years x 4; an array by year holds in every quarter)."""
    live: np.ndarray | None = None
    """(years x 4) True in the quarters the service is open; a year's capacity is that of its tightest open
    quarter (None: open all year)."""


@dataclass
class TrainingRequirement:
    workload: str
    deadline_days: float
    wall_days: float | None
    """Estimated wall-clock days on the plan's placement; None if the plan places no run."""


@dataclass
class FixedPlan:
    """Everything a future needs to price and check the plan (picklable, no solver objects)."""

    years: list[int]
    keys: list[Key]
    npv: np.ndarray
    """(terms,) planned NPV of each cost term."""
    capex: np.ndarray
    """(terms, years) planned capex of each term by year."""
    opex: np.ndarray
    serving: list[ServingRequirement]
    training: list[TrainingRequirement]
    nominal_npv_usd: float


def fixed_plan(plan: Plan, data: ProblemData, factor_names: Iterable[str]) -> FixedPlan:
    """The plan's costs and requirements as functions of the factors (`data`: the nominal problem data)."""
    names = set(factor_names)
    costs = _CostTerms(data, names)
    costs.add_plan(plan)
    return FixedPlan(
        years=list(data.years),
        keys=list(costs.terms),
        npv=np.array([t[0] for t in costs.terms.values()]),
        capex=np.array([t[1] for t in costs.terms.values()]).reshape(len(costs.terms), len(data.years)),
        opex=np.array([t[2] for t in costs.terms.values()]).reshape(len(costs.terms), len(data.years)),
        serving=_serving(plan, data),
        training=_training(plan, data),
        nominal_npv_usd=sum(t[0] for t in costs.terms.values()),
    )


class _CostTerms:
    """Cost terms keyed by the factors they scale with: key -> [npv, capex by year, opex by year]."""

    def __init__(self, data: ProblemData, names: set[str]) -> None:
        self.data = data
        self.names = names
        self.index = {y: i for i, y in enumerate(data.years)}
        self.terms: dict[Key, list] = {}

    def add(self, key: Key, year: int, usd: float, *, opex: bool) -> None:
        if not usd:
            return
        key = tuple(k for k in key if k in self.names)
        term = self.terms.setdefault(key, [0.0, np.zeros(len(self.index)), np.zeros(len(self.index))])
        term[0] += self.data.discount(year) * usd
        term[2 if opex else 1][self.index[year]] += usd

    def credit(self, key: Key, usd: float) -> None:
        """Residual value at the end of the horizon (lowers the NPV only)."""
        key = tuple(k for k in key if k in self.names)
        term = self.terms.setdefault(key, [0.0, np.zeros(len(self.index)), np.zeros(len(self.index))])
        term[0] -= self.data.discount(self.data.end_of_horizon()) * usd

    def add_plan(self, plan: Plan) -> None:
        data = self.data
        for a in plan.allocations:
            if a.acquisition == "buy":
                self._bought(a.site, a.hardware, a.year, a.units)
            elif a.acquisition == "rent":
                self.add((f"rent:{a.site}",), a.year, a.opex_usd_per_year, opex=True)
            elif a.acquisition == "reserve_3y":
                for y in data.years:
                    if a.year <= y <= a.year + 2:
                        self.add((f"rent:{a.site}",), y, a.opex_usd_per_year, opex=True)
            else:  # rent_hours: billed for the hours the job runs
                self.add((f"rent:{a.site}", f"training_time:{a.workload}"), a.year, a.opex_usd_per_year, opex=True)
        self.counted_fte: dict[tuple[str, str, int], float] = {}
        self._in_service(plan)
        self._teams(plan)
        for y in data.years:
            self.add(("cost_line:storage",), y, data.storage_capex.get(y, 0.0), opex=False)
            self.add(("cost_line:storage",), y, data.storage_opex.get(y, 0.0), opex=True)

    def _bought(self, s: str, h: str, y: int, units: int) -> None:
        lines = self.data.capex_lines(s, h, y)
        keys = {"hardware": (f"price:{h}",), "fabric": ("cost_line:fabric",), "fitout": ("cost_line:fitout",)}
        for line, usd in lines.items():
            self.add(keys.get(line, ()), y, usd * units, opex=False)
        kept = self.data.residual_fraction(h, y) * units
        self.credit(keys["hardware"], lines.get("hardware", 0.0) * kept)
        self.credit(keys["fabric"], lines.get("fabric", 0.0) * kept)

    def _in_service(self, plan: Plan) -> None:
        """Every group of units in service, by the year it was bought (its maintenance follows the price paid); a
        first year's purchases count for the quarters they work, brownfield units for whole years."""
        data = self.data
        for a in plan.allocations:
            if a.acquisition == "buy":
                for y in data.years:
                    if data.in_service(a.year, y, a.hardware):
                        share = data.service_share(a.site, a.hardware, a.year, y)
                        self._running(a.site, a.hardware, y, a.units * share, a.year)
        for s, site in data.spec.sites.items():
            for e in site.existing:
                for y in (y for y in data.years if data.in_service(e.installed_year, y, e.hardware)):
                    self._running(s, e.hardware, y, e.units, e.installed_year)

    def _running(self, s: str, h: str, y: int, units: float, bought: int) -> None:
        """Every opex line of `units` unit-years in service (a first year's purchases count for the quarters they
        work)."""
        jurisdiction = self.data.spec.sites[s].jurisdiction
        keys = {
            "energy": (f"power:{h}", f"electricity:{jurisdiction}", "fx"),
            "maintenance": (f"price:{h}",),
            "licences": ("cost_line:licence",),
            "staff": ("cost_line:staff", "fx"),
            "colocation": ("cost_line:colocation", "fx"),
        }
        for line, usd in self.data.opex_lines(s, h, bought).items():
            self.add(keys.get(line, ()), y, usd * units, opex=True)
        for line, j in self.data.teams():
            if jurisdiction == j and s in self.data.team_sites(line, j):
                key = (line.id, j, y)
                self.counted_fte[key] = self.counted_fte.get(key, 0.0) + self.data.line_fte_per_unit(line, h) * units

    def _teams(self, plan: Plan) -> None:
        """The engineers a staff line's smallest team adds, in each year a unit it covers is in service (as the
        model prices them: planner/sizing/families/staff.py); they follow the salary, as the line does."""
        data = self.data
        for line, j in data.teams():
            sites = set(data.team_sites(line, j))
            for y in sorted({r.year for r in plan.installed if r.site in sites and r.units > 0}):
                topup = max(0.0, line.min_fte - self.counted_fte.get((line.id, j, y), 0.0))
                self.add(("cost_line:staff", "fx"), y, topup * data.staff_usd[j], opex=True)


def growth_offsets(data: ProblemData, workload: str) -> np.ndarray:
    """Years of growth of a workload's demand in each year of the plan (counted from the year it opens)."""
    return np.array([years_of_growth(data.spec, workload, y) for y in data.years], dtype=float)


def _serving(plan: Plan, data: ProblemData) -> list[ServingRequirement]:
    units = _serving_units(plan, data)
    out = []
    for need in data.serving:
        offsets = growth_offsets(data, need.workload)
        live = np.array([[q in need.live.get(y, ()) for q in QUARTERS] for y in data.years], dtype=bool)
        req = ServingRequirement(
            need.workload,
            # no demand in a year the service is not open (before its go-live)
            np.array([need.peak_output_tokens_per_s[y] if live[k].any() else 0.0 for k, y in enumerate(data.years)]),
            data.spec.workloads[need.workload].growth_per_year,
            offsets,
            live=live,
        )
        for (w, h, y, q), n in units.items():
            if w != need.workload or h not in need.usable_tokens_per_s_per_unit:
                continue
            name = f"throughput:{throughput_key(data.hardware[h])}"
            matrix = req.capacity.setdefault(name, np.zeros((len(data.years), len(QUARTERS))))
            matrix[data.years.index(y), q - 1] += n * need.usable_tokens_per_s_per_unit[h]
        out.append(req)
    return out


def one_split_per_year(placements: list) -> list:
    """A workload's placements with one split per year: where the split changes between quarters (training or
    deliveries move which sites have room) every quarter holds the same units in total, so the first quarter's
    split stands for the year (adding all four would count the units four times)."""
    first: dict[int, int | None] = {}
    for p in placements:
        q = p.quarter if p.quarter is not None else 0
        first[p.year] = min(first.get(p.year, q), q)
    return [p for p in placements if (p.quarter if p.quarter is not None else 0) == first[p.year]]


def _serving_units(plan: Plan, data: ProblemData) -> dict[tuple[str, str, int, int], float]:
    """(workload, hardware, year, quarter) -> units serving it: the plan's split of that quarter plus its share of
    the units idle then (working: arrived, rented for that quarter, and not held by a training run)."""
    assigned: dict[tuple[str, str, str, int, int], float] = {}
    for w in plan.workloads:
        for p in w.placements:
            for q in [p.quarter] if p.quarter is not None else QUARTERS:
                key = (w.name, p.site, p.hardware, p.year, q)
                assigned[key] = assigned.get(key, 0.0) + p.units
    busy: dict[tuple[str, str, int, int], float] = {}
    for (_, s, h, y, q), n in assigned.items():
        busy[s, h, y, q] = busy.get((s, h, y, q), 0.0) + n
    for w in plan.workloads:
        p = w.placement
        if p is not None and not data.is_cloud(p.site) and w.year is not None:
            held = [(int(label[:4]), int(label[-1])) for label in p.quarters] or [(w.year, q) for q in QUARTERS]
            for y, q in held:
                busy[p.site, p.hardware, y, q] = busy.get((p.site, p.hardware, y, q), 0.0) + p.units
    groups = {need.workload: allowed_sites(data, need.workload) for need in data.serving}
    usable = {need.workload: need.usable_tokens_per_s_per_unit for need in data.serving}
    live = {need.workload: need.live for need in data.serving}
    out: dict[tuple[str, str, int, int], float] = {}
    for (w, _s, h, y, q), n in assigned.items():
        out[w, h, y, q] = out.get((w, h, y, q), 0.0) + n
    for (s, h, y, q), units in _working_units(plan, data).items():
        idle = units - busy.get((s, h, y, q), 0.0)
        # shared among the services open then (as the plan's installed capacity shares them: extract.py)
        takers = [w for w in groups if s in groups[w] and h in usable[w] and q in live[w].get(y, ())]
        if idle <= 1e-9 or not takers:
            continue
        weights = [assigned.get((w, s, h, y, q), 0.0) for w in takers]
        total = sum(weights)
        for w, weight in zip(takers, weights, strict=True):
            share = weight / total if total > 0 else 1.0 / len(takers)
            out[w, h, y, q] = out.get((w, h, y, q), 0.0) + idle * share
    return out


def _working_units(plan: Plan, data: ProblemData) -> dict[tuple[str, str, int, int], float]:
    """(site, hardware, year, quarter) -> units working: those in service that year, less the year's purchases not
    yet arrived and the rentals on demand for other quarters."""
    out = {(r.site, r.hardware, r.year, q): float(r.units) for r in plan.installed for q in QUARTERS}
    for a in plan.allocations:
        for q in QUARTERS:
            key = (a.site, a.hardware, a.year, q)
            if key not in out:
                continue
            late = a.acquisition == "buy" and data.pending(a.site, a.hardware, a.year, q)
            if late or (a.acquisition == "rent" and a.quarters and q not in a.quarters):
                out[key] -= a.units
    return out


def _training(plan: Plan, data: ProblemData) -> list[TrainingRequirement]:
    results = {w.name: w for w in plan.workloads}
    out = []
    for need in data.training:
        result = results.get(need.workload)
        placement = result.placement if result is not None else None
        out.append(
            TrainingRequirement(
                need.workload,
                data.spec.workloads[need.workload].deadline_days,
                placement.wall_days if placement is not None else None,
            )
        )
    return out
