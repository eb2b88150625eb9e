"""Near-optimal alternatives: plans within a cost slack of the optimum that differ most from it and from each other.

Method (SPORES, as in Calliope, on the sizing MILP): solve the optimum; add the row NPV ≤ NPV* + slack·|NPV*|
(NPV* the optimum's, slack 5 % by default); then solve the same model again under other objectives, each a
linear measure of "what the optimum relies on":

1. fewer accelerators from the optimum's main vendor (vendor mix);
2. fewer accelerators at the optimum's main site (sites);
3. fewer bought accelerators if the optimum mostly buys, fewer rented if it mostly rents (rent versus buy);
4. then SPORES proper: minimise accelerators weighted by how much every plan kept so far uses each site × vendor,
   repeated with the weights growing, until enough plans are found.

Every objective also carries a 0.1 % weight on the NPV, so that among equally different plans the cheaper one is
chosen (no units bought only because the slack allows it).

Difference measure, computed from plan.json alone (so anyone can check it): the accelerators each plan acquires
over the horizon by (site, vendor): bought, rented for a year, reserved, or rented by the hour for a training job,
from its `allocations`. The distance of two plans is Σ|a − b| / (Σa + Σb), 0 for the same mix and 1 for plans
with nothing in common. A plan is kept only if its distance to the optimum and to every plan kept before is at
least `min_distance` (default 0.10). Within the slack and feasible hold by construction (a row of the model, and
the model's own rows); tests/test_alternatives.py checks both with the independent checker.

The sizing core is not changed: the model comes from `planner.sizing.model.build_model` and the plan's figures
from the pipeline's own extraction, with the slack row and the objectives added here.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulp

from planner.catalog import Catalog
from planner.pipeline import LoadedSpec
from planner.plan import Plan
from planner.runner import run_many

DEFAULT_COUNT = 3
DEFAULT_SLACK = 0.05
DEFAULT_MIN_DISTANCE = 0.10
NPV_WEIGHT = 1e-3
"""Weight of NPV / NPV* in every difference objective: breaks ties toward the cheaper plan."""
JITTER = 0.5
"""Largest random weight added per site × vendor in SPORES rounds after the first (a plan kept adds up to 1)."""
SLACK_ROW = "near_optimal_npv_within_slack"
MIP_GAP = 0.01
"""Gap on the difference objectives: how different a plan is needs no proof to 0.01 %, and a looser gap keeps each
solve near the optimum's own time. The NPV slack row and every rule of the model hold exactly all the same."""

Mix = dict[str, float]
"""`site/vendor` -> accelerators acquired over the horizon."""


@dataclass
class NearOptimal:
    """The optimum (its `alternatives` filled) and the full plan of each alternative, in the same order."""

    optimum: Plan
    plans: list[Plan] = field(default_factory=list)
    slack: float = DEFAULT_SLACK
    min_distance: float = DEFAULT_MIN_DISTANCE
    tried: list[dict[str, Any]] = field(default_factory=list)
    """Every objective solved, kept or not, and why (for the curious and for tests)."""

    def write(self, out: Path | str, formats: list[str]) -> list[Path]:
        """The optimum's outputs in `out`, each alternative's plan.json in `out`/alternatives/<n>/."""
        out = Path(out)
        written = self.optimum.report(out, formats)
        for n, plan in enumerate(self.plans, start=1):
            written += plan.report(out / "alternatives" / str(n), ["json"])
        _remove_stale(out / "alternatives", len(self.plans))
        return written


def _remove_stale(folder: Path, count: int) -> None:
    """An earlier run's alternatives/<n>/plan.json beyond this run's `count`: removed, so that the folder holds
    what plan.json lists (a folder holding anything else is left alone)."""
    if not folder.is_dir():
        return
    for sub in folder.iterdir():
        stale = sub.is_dir() and sub.name.isdigit() and int(sub.name) > count
        if stale and {p.name for p in sub.iterdir()} == {"plan.json"}:
            (sub / "plan.json").unlink()
            sub.rmdir()


# --- the difference measure (from plan.json) -------------------------------------------------------------------


def acquired_mix(plan: Plan | dict[str, Any]) -> Mix:
    """Accelerators acquired over the horizon by `site/vendor`, from the plan's allocations."""
    allocations = plan.as_dict()["allocations"] if isinstance(plan, Plan) else plan["allocations"]
    mix: Mix = {}
    for a in allocations:
        key = f"{a['site']}/{a['vendor']}"
        mix[key] = mix.get(key, 0.0) + a["accelerators"]
    return mix


def mix_distance(a: Mix, b: Mix) -> float:
    """Σ|a − b| / (Σa + Σb): 0 for the same mix, 1 for plans with no site × vendor in common."""
    total = sum(a.values()) + sum(b.values())
    if total <= 0:
        return 0.0
    return sum(abs(a.get(k, 0.0) - b.get(k, 0.0)) for k in set(a) | set(b)) / total


# --- the search ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Focus:
    name: str
    label: str
    weights: dict[str, float]
    """`site/vendor` -> weight per accelerator in the objective (before normalising)."""
    bought: float = 0.0
    """Weight per accelerator bought (positive) or rented (negative), for rent versus buy."""


def near_optimal(
    loaded: LoadedSpec,
    catalog: Catalog,
    *,
    count: int = DEFAULT_COUNT,
    slack: float = DEFAULT_SLACK,
    min_distance: float = DEFAULT_MIN_DISTANCE,
    optimum: Plan | None = None,
    progress: Callable[[int, int], None] | None = None,
    cluster: Any = None,
    workers: int | None = None,
) -> NearOptimal:
    """The optimum and up to `count` alternatives within `slack` of its NPV, pairwise at least `min_distance`
    apart. An infeasible optimum has no alternatives.

    The focused objectives (vendor, sites, rent versus buy) do not depend on each other: they are solved together
    through `planner.runner.run_many` (local processes, or `cluster`); the SPORES rounds that follow depend on the
    plans kept so far and run one after another. Which plans are kept does not depend on where they were solved."""
    from planner.pipeline import size

    check_request(loaded, count, slack, min_distance)
    if optimum is None:
        optimum = size(loaded, catalog)
    result = NearOptimal(optimum, slack=slack, min_distance=min_distance)
    if not optimum.feasible or count == 0:
        optimum.alternatives = [] if optimum.feasible else None
        return result
    search = _Search(loaded, catalog, optimum, slack)
    keeper = _Keeper(result, count, [(optimum, acquired_mix(optimum))], progress, planned=min(count + 4, max(count, 3)))
    focused = [f for f in (search.focus(i, keeper.kept[0][1]) for i in range(3)) if f is not None]
    first, rest = focused[:count], focused[count:]
    tasks = [_FocusTask(loaded, catalog, optimum, slack, f) for f in first]
    outcomes = run_many(_solve_focus, tasks, cluster=cluster, workers=workers) if len(tasks) > 1 else None
    for n, focus in enumerate(first):
        keeper.consider(focus, *(outcomes[n] if outcomes is not None else search.solve(focus)))
    for focus in rest:
        if not keeper.full:
            keeper.consider(focus, *search.solve(focus))
    round_ = 1
    while not keeper.full and len(result.tried) < count + 4:  # a few SPORES rounds at most
        focus = search.spores(round_, keeper.kept)
        keeper.consider(focus, *search.solve(focus))
        round_ += 1
    optimum.alternatives = [
        summary(plan, optimum, label, [m for p, m in keeper.kept if p is not plan], slack)
        for plan, label in zip(result.plans, keeper.labels, strict=True)
    ]
    for n, item in enumerate(optimum.alternatives, start=1):
        item["plan_file"] = f"alternatives/{n}/plan.json"
    return result


@dataclass
class _Keeper:
    """Keeps a solved plan if it is at least `min_distance` from every plan kept so far, and says why not."""

    result: NearOptimal
    count: int
    kept: list[tuple[Plan, Mix]]
    progress: Callable[[int, int], None] | None
    planned: int
    labels: list[str] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return len(self.result.plans) >= self.count

    def consider(self, focus: _Focus, plan: Plan | None, note: str) -> None:
        entry: dict[str, Any] = {"objective": focus.name, "label": focus.label, "kept": False, "reason": note}
        if plan is not None:
            mix = acquired_mix(plan)
            nearest = min(mix_distance(mix, m) for _, m in self.kept)
            entry["min_distance"] = nearest
            limit = self.result.min_distance
            if nearest < limit:
                entry["reason"] = f"too close to a plan already kept (distance {nearest:.2f} < {limit:.2f})"
            elif not self.full:
                entry.update(kept=True, reason="kept")
                self.kept.append((plan, mix))
                self.result.plans.append(plan)
                self.labels.append(focus.label)
        self.result.tried.append(entry)
        if self.progress:
            self.progress(len(self.result.tried), max(self.planned, len(self.result.tried)))


@dataclass(frozen=True)
class _FocusTask:
    """One focused solve for a worker: it builds the same model and solves it under `focus` (picklable)."""

    loaded: LoadedSpec
    catalog: Catalog
    optimum: Plan
    slack: float
    focus: _Focus


def _solve_focus(task: _FocusTask) -> tuple[Plan | None, str]:
    return _Search(task.loaded, task.catalog, task.optimum, task.slack).solve(task.focus)


def check_request(
    loaded: LoadedSpec, count: int, slack: float = DEFAULT_SLACK, min_distance: float = DEFAULT_MIN_DISTANCE
) -> None:
    """InputError if the search cannot be asked for (checked before any solve)."""
    from planner.errors import InputError, Issue

    issues = []
    if not 0 <= count <= 20:
        issues.append(Issue("--alternatives", "", f"{count} alternatives; ask for 0 to 20"))
    if not 0 < slack <= 1:
        issues.append(Issue("--slack", "", f"slack {slack}: a fraction of the optimum's NPV, above 0 and at most 1"))
    if not 0 < min_distance <= 1:
        issues.append(Issue("--min-distance", "", f"{min_distance}: a distance between 0 (same) and 1 (disjoint)"))
    if loaded.spec.planning.confidence is not None:
        msg = "alternatives are searched around the deterministic optimum, not a plan sized at a confidence"
        hint = "leave planning.confidence out to see alternatives, or size at the confidence without --alternatives"
        issues.append(Issue(loaded.file, "planning.confidence", msg, hint=hint))
    if issues:
        raise InputError(issues)


class _Search:
    """The sizing model with the slack row, re-solved under each difference objective."""

    def __init__(self, loaded: LoadedSpec, catalog: Catalog, optimum: Plan, slack: float) -> None:
        from planner.sizing.data import build_problem_data
        from planner.sizing.dominance import drop_dominated
        from planner.sizing.model import build_model
        from planner.sizing.rows import REQUIREMENT_FAMILIES
        from planner.sizing.solve import SolveStatus, make_solver, solve

        self.loaded, self.catalog, self.optimum = loaded, catalog, optimum
        self.data = build_problem_data(loaded.spec, catalog)
        self.dominated = drop_dominated(self.data)
        options = loaded.spec.solver
        gap = max(options.mip_gap, MIP_GAP)
        self.solver = make_solver(options.name, time_limit_s=options.time_limit_s, mip_gap=gap)
        max_served = loaded.spec.planning.objective == "max_served"
        self.built = build_model(self.data, elastic=REQUIREMENT_FAMILIES if max_served else frozenset())
        if max_served:  # keep the shortfall the optimum reached (phase one of max_served), as the pipeline does
            first = solve(self.built.problem, self.solver)
            if first.status is not SolveStatus.INFEASIBLE:
                limit = first.objective * (1 + 1e-7) + 1e-7
                self.built.problem += self.built.problem.objective <= limit, "served_at_least_phase_one"
        self.npv_star = optimum.totals.npv_usd
        self.npv_cap = self.npv_star + slack * abs(self.npv_star)
        self.built.problem += self.built.npv <= self.npv_cap, SLACK_ROW
        self.groups = self._group_expressions()
        self.bought = pulp.lpSum(e for key, e in self.groups.items() if not self.data.is_cloud(key.split("/")[0]))
        self.scale = max(1.0, sum(acquired_mix(optimum).values()))

    def _group_expressions(self) -> dict[str, pulp.LpAffineExpression]:
        """`site/vendor` -> accelerators acquired over the horizon, the same count as `acquired_mix`."""
        d, v = self.data, self.built.variables
        terms: dict[str, list] = {}

        def add(s: str, h: str, expr) -> None:
            terms.setdefault(f"{s}/{d.hardware[h].vendor}", []).append(d.hardware[h].chips_per_unit * expr)

        for (s, h, _y), var in v.acquire.items():
            add(s, h, var)
        for (s, h, _y), var in v.reserve3.items():
            add(s, h, var)
        needs = {n.workload: n for n in d.training}
        for (w, s, h), var in v.place.items():
            if d.is_cloud(s):
                add(s, h, needs[w].units_needed[h] * var)
        return {k: pulp.lpSum(t) for k, t in terms.items()}

    def focus(self, i: int, mix: Mix) -> _Focus | None:
        """The i-th focused objective (0 vendor, 1 sites, 2 rent versus buy), from the optimum's `mix`."""
        if not mix:
            return None
        if i == 0:
            return self._less_of_main(mix, 1)
        if i == 1:
            return self._less_of_main(mix, 0)
        bought = sum(n for k, n in mix.items() if not self.data.is_cloud(k.split("/")[0]))
        if bought >= sum(mix.values()) / 2:
            return _Focus("rent_vs_buy", "Rent more, buy less", {}, bought=1.0)
        return _Focus("rent_vs_buy", "Buy more, rent less", {}, bought=-1.0)

    def _less_of_main(self, mix: Mix, part: int) -> _Focus:
        """Fewer accelerators of the optimum's main vendor (`part` 1) or at its main site (`part` 0)."""
        from planner.report.risks import vendor_name

        totals: dict[str, float] = {}
        for key, n in mix.items():
            totals[key.split("/")[part]] = totals.get(key.split("/")[part], 0.0) + n
        main = max(totals, key=lambda k: (totals[k], k))
        weights = {k: 1.0 for k in self.groups if k.split("/")[part] == main}
        if part == 1:
            return _Focus("vendor", f"Less {vendor_name(main)}", weights)
        return _Focus("sites", f"Away from {self.optimum.names.sites.get(main, main)}", weights)

    def spores(self, round_: int, kept: list[tuple[Plan, Mix]]) -> _Focus:
        """SPORES: weight each site × vendor by the share of it in every plan kept so far; from the second round on,
        a seeded jitter breaks the ties that leave the optimum cheapest again (same seed, same plans)."""
        weights = dict.fromkeys(sorted(self.groups), 0.0)
        for _, m in kept:
            total = sum(m.values()) or 1.0
            for key, n in m.items():
                weights[key] = weights.get(key, 0.0) + n / total
        if round_ > 1:
            rng = random.Random(round_)
            weights = {k: w + rng.uniform(0.0, JITTER) for k, w in weights.items()}
        label = "Most different mix" if round_ == 1 else f"Most different mix ({round_})"
        return _Focus(f"spores_{round_}", label, weights)

    def solve(self, focus: _Focus) -> tuple[Plan | None, str]:
        """Solve under `focus`; the plan, or None and why not."""
        from planner.errors import SolverError
        from planner.sizing.solve import SolveStatus, solve

        terms = [w * self.groups[k] for k, w in focus.weights.items() if k in self.groups]
        if focus.bought > 0:
            terms.append(self.bought)
        elif focus.bought < 0:
            terms.append(pulp.lpSum(e for k, e in self.groups.items() if self.data.is_cloud(k.split("/")[0])))
        if not terms:
            return None, "nothing to move away from"
        objective = pulp.lpSum(terms) / self.scale + NPV_WEIGHT * self.built.npv / max(abs(self.npv_star), 1.0)
        self.built.problem.setObjective(objective)
        try:
            outcome = solve(self.built.problem, self.solver)
        except SolverError as exc:  # e.g. out of time before any plan: this objective gives no alternative
            return None, str(exc)
        if outcome.status is SolveStatus.INFEASIBLE:
            return None, "no plan within the slack under this objective"
        return self._plan(outcome), "solved"

    def _plan(self, outcome) -> Plan:
        """The full plan of the current solution, with the figures the pipeline reports for any plan."""
        from planner.pipeline import _header, _results, _typed
        from planner.sizing.extract import served_share, value

        plan = _header(self.loaded, self.catalog, self.data, outcome)
        plan["status"] = "feasible"  # a plan meeting every rule, by design not the cheapest: never "optimal"
        plan["dominated_options"] = self.dominated
        plan.update(_results(self.data, self.built, {}))  # no shadow prices: the slack row would distort them
        plan["served"] = served_share(self.data, self.built)
        plan["solver"]["objective_npv_usd"] = value(self.built.npv)
        plan["provenance"]["created_utc"] = self.optimum.provenance.created_utc
        return _typed(plan, self.loaded)


# --- what the proposal shows -----------------------------------------------------------------------------------


def summary(plan: Plan, optimum: Plan, label: str, others: list[Mix], slack: float) -> dict[str, Any]:
    """One alternative as `plan.alternatives` holds it: its figures, how far it is from the optimum, and in what."""
    mix, base = acquired_mix(plan), acquired_mix(optimum)
    t, o = plan.totals, optimum.totals
    return {
        "label": label,
        "npv_usd": t.npv_usd,
        "capex_usd": t.capex_usd,
        "opex_usd_per_year": t.opex_usd_per_year,
        "tco_usd": t.tco_usd,
        "accelerators": t.accelerators,
        "power_kw": t.power_kw,
        "npv_above_optimum": (t.npv_usd - o.npv_usd) / abs(o.npv_usd) if o.npv_usd else 0.0,
        "slack": slack,
        "distance_to_optimum": mix_distance(mix, base),
        "min_distance_to_others": min((mix_distance(mix, m) for m in others), default=1.0),
        "vendor_shares": _shares(mix, 1),
        "site_shares": _shares(mix, 0),
        "rented_share": _rented_share(plan),
        "acquired_by_site_vendor": mix,
        "differs_by": differs_by(plan, optimum),
        "status": plan.status,
    }


def _shares(mix: Mix, part: int) -> dict[str, float]:
    total = sum(mix.values()) or 1.0
    out: dict[str, float] = {}
    for key, n in mix.items():
        name = key.split("/")[part]
        out[name] = out.get(name, 0.0) + n / total
    return dict(sorted(out.items()))


def _rented_share(plan: Plan) -> float:
    allocations = plan.as_dict()["allocations"]
    total = sum(a["accelerators"] for a in allocations) or 1
    return sum(a["accelerators"] for a in allocations if a["acquisition"] != "buy") / total


def differs_by(plan: Plan, optimum: Plan, *, largest: int = 3, at_least: float = 0.05) -> str:
    """The largest changes of share against the optimum, in words: "NVIDIA 51% → 40%; Huawei 3% → 11%" (shares
    of the accelerators acquired over the horizon, as the difference measure counts them)."""
    from planner.report.risks import vendor_name

    mix, base = acquired_mix(plan), acquired_mix(optimum)
    names = optimum.names.sites
    changes = []
    for part, show in ((1, vendor_name), (0, lambda s: names.get(s, s))):
        new, old = _shares(mix, part), _shares(base, part)
        for k in set(new) | set(old):
            a, b = old.get(k, 0.0), new.get(k, 0.0)
            changes.append((abs(b - a), f"{show(k)} {a:.0%} → {b:.0%}"))
    a, b = _rented_share(optimum), _rented_share(plan)
    changes.append((abs(b - a), f"rented {a:.0%} → {b:.0%}"))
    shown = [text for d, text in sorted(changes, key=lambda c: (-c[0], c[1])) if d >= at_least][:largest]
    return "; ".join(shown) or "small shifts in the mix (each under 5 points)"


def format_alternatives(optimum: Plan) -> str:
    """A short table of the alternatives for the terminal."""
    from planner.sizing.diagnose import format_usd

    lines = [f"{'':<3}{'alternative':<36} {'NPV':>10} {'vs opt.':>8} {'capex':>10}  differs by (share of accelerators)"]
    lines.append(
        f"{'0':<3}{'optimum':<36} {format_usd(optimum.totals.npv_usd):>10} {'':>8} "
        f"{format_usd(optimum.totals.capex_usd):>10}"
    )
    for n, a in enumerate(optimum.alternatives or [], start=1):
        lines.append(
            f"{n:<3}{a['label'][:36]:<36} {format_usd(a['npv_usd']):>10} {a['npv_above_optimum']:>+8.1%} "
            f"{format_usd(a['capex_usd']):>10}  {a['differs_by']}"
        )
    return "\n".join(lines)
