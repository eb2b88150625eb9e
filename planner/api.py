"""The Python API: what the CLI does, callable from a notebook without writing a file.

    import planner
    spec = planner.load("examples/malaysia.yaml", scenario="nvidia_only", set={"budget.capex_usd": 90e6})
    plan = planner.size(spec)              # a typed Plan
    plan.totals.capex_usd, plan.tables()   # figures, tidy tables
    plan.report("out", ["md", "html"])     # the reports
    planner.compare("examples/malaysia.yaml", ["baseline", "ascend_only"])
    planner.sweep("examples/malaysia.yaml", {"budget.capex_usd": (50e6, 150e6, 5)})
    planner.evaluate_uncertainty(plan, spec, samples=1000, seed=1)   # Monte Carlo: plan.uncertainty
    planner.near_optimal(spec, count=3, slack=0.05).plans   # plans within 5 % of the optimum's NPV

`load` takes a path to country.yaml or the same content as a dict. Errors are InputError (every problem at
once, with file, line and field), as on the command line.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from planner.catalog import Catalog, load_catalog
from planner.errors import InputError, Issue
from planner.pipeline import LoadedSpec, load_spec
from planner.pipeline import size as _size
from planner.plan import Plan

SetValues = Mapping[str, Any] | Sequence[str]


@dataclass(frozen=True)
class Spec:
    """A validated country description (with its scenario and overrides applied) and the catalog it uses."""

    loaded: LoadedSpec
    catalog: Catalog
    catalog_dirs: tuple[Path, ...] = ()

    @property
    def country(self) -> Any:
        """The validated CountrySpec (pydantic model)."""
        return self.loaded.spec

    def with_solver(self, name: str | None = None, time_limit_s: float | None = None) -> Spec:
        """The same spec solved with another solver or time limit."""
        options = self.loaded.spec.solver
        if name is not None:
            options = options.model_copy(update={"name": name})
        if time_limit_s is not None:
            options = options.model_copy(update={"time_limit_s": time_limit_s})
        spec = self.loaded.spec.model_copy(update={"solver": options})
        return replace(self, loaded=replace(self.loaded, spec=spec))


def set_strings(values: SetValues | None) -> list[str]:
    """`{"budget.capex_usd": 90e6}` or `["budget.capex_usd=90e6"]` as --set strings."""
    if not values:
        return []
    if isinstance(values, Mapping):
        return [f"{k}={v if isinstance(v, str) else json.dumps(v)}" for k, v in values.items()]
    return list(values)


def load(
    source: Path | str | Mapping[str, Any],
    *,
    scenario: str | None = None,
    set: SetValues | None = None,  # noqa: A002 - the CLI's --set
    scenario_files: Sequence[Path | str] = (),
    catalog: Sequence[Path | str] | Catalog = (),
) -> Spec:
    """Read, validate and check a country description (a path to country.yaml, or a dict of its content)."""
    dirs = () if isinstance(catalog, Catalog) else tuple(Path(c) for c in catalog)
    cat = catalog if isinstance(catalog, Catalog) else load_catalog(dirs)
    files = [Path(f) for f in scenario_files]
    if isinstance(source, Mapping):
        import yaml

        with tempfile.TemporaryDirectory(prefix="planner-") as tmp:
            path = Path(tmp) / "country.yaml"
            path.write_text(yaml.safe_dump(_plain(source), sort_keys=False, allow_unicode=True), encoding="utf-8")
            try:
                loaded = load_spec(path, cat, scenario=scenario, sets=set_strings(set), scenario_files=files)
            except InputError as exc:  # name the dict, not the temporary file
                raise InputError(
                    [replace(i, file="<dict>") if i.file == str(path) else i for i in exc.issues]
                ) from None
            loaded = replace(loaded, file="<dict>")
    else:
        loaded = load_spec(Path(source), cat, scenario=scenario, sets=set_strings(set), scenario_files=files)
    return Spec(loaded, cat, dirs)


def _plain(value: Any) -> Any:
    """Mappings and sequences as plain dicts and lists (what YAML writes)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def size(
    spec: Spec | Path | str | Mapping[str, Any],
    *,
    rule_costs: bool = False,
    monte_carlo: int | None = None,
    seed: int | None = None,
    cluster: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Plan:
    """Size the deployment: a typed Plan (status optimal, feasible or infeasible, with its diagnosis).

    With `planning.confidence` in the spec, the plan is sized to meet every requirement in that share of
    sampled futures (and carries its Monte Carlo in `plan.uncertainty`); `monte_carlo=N` evaluates the plan
    over N futures (`seed`; default: the spec's `uncertainty.samples` and `uncertainty.seed`). `progress` gets a
    line per solve of a sizing at a confidence, and one before an infeasible plan's diagnosis."""
    if not isinstance(spec, Spec):
        spec = load(spec)
    spec = _with_sampling(spec, monte_carlo, seed)  # checked before solving
    if spec.country.planning.confidence is not None:
        from planner.uncertainty import size_at_confidence

        plan = size_at_confidence(spec.loaded, spec.catalog, cluster=cluster, progress=progress)
    else:
        plan = _size(spec.loaded, spec.catalog, progress=progress)
        if monte_carlo is not None and plan.feasible:
            evaluate_uncertainty(plan, spec, cluster=cluster)
    if rule_costs:
        from planner.rulecost import rule_costs as price_rules

        plan.rule_costs = price_rules(spec.loaded, spec.catalog, plan)
    return plan


def near_optimal(
    spec: Spec | Path | str | Mapping[str, Any],
    *,
    count: int = 3,
    slack: float = 0.05,
    min_distance: float = 0.10,
    cluster: Any = None,
) -> Any:
    """The optimum and up to `count` plans within `slack` of its NPV that differ most from it in vendor mix, sites
    and rent versus buy (planner/alternatives.py): a NearOptimal with `.optimum` (its `alternatives` filled),
    `.plans` (each alternative's full Plan) and `.write(out, formats)`. `cluster`: as for `compare`."""
    from planner.alternatives import near_optimal as search

    if not isinstance(spec, Spec):
        spec = load(spec)
    return search(spec.loaded, spec.catalog, count=count, slack=slack, min_distance=min_distance, cluster=cluster)


def evaluate_uncertainty(
    plan: Plan,
    spec: Spec | Path | str | Mapping[str, Any],
    *,
    samples: int | None = None,
    seed: int | None = None,
    cluster: str | None = None,
) -> Any:
    """Monte Carlo of a fixed plan over futures sampled from the spec's `uncertainty` ranges and the catalog's
    error bands: P10/P50/P90 of NPV, capex and opex, and the probability that each serving workload meets its
    demand each year and each training job its deadline. Stored in `plan.uncertainty` and returned."""
    from planner.sizing.data import build_problem_data
    from planner.uncertainty import evaluate_plan

    if not isinstance(spec, Spec):
        spec = load(spec)
    if not plan.feasible:
        raise InputError([Issue("plan", "status", "an infeasible plan has nothing to evaluate")])
    spec = _with_sampling(spec, samples, seed)
    ranges = spec.country.uncertainty
    sizing = plan.uncertainty.sizing if plan.uncertainty is not None else None
    data = build_problem_data(spec.country, spec.catalog)
    result = evaluate_plan(plan, data, spec.catalog, samples=ranges.samples, seed=ranges.seed, cluster=cluster)
    result.sizing = sizing
    plan.uncertainty = result
    return result


def _with_sampling(spec: Spec, samples: int | None, seed: int | None) -> Spec:
    """The spec with `uncertainty.samples` and `uncertainty.seed` replaced where given (checked as in the file)."""
    ranges = spec.country.uncertainty
    update = {k: v for k, v in (("samples", samples), ("seed", seed)) if v is not None}
    if not update:
        return spec
    from pydantic import ValidationError

    try:
        ranges = type(ranges).model_validate({**ranges.model_dump(), **update})
    except ValidationError as exc:
        issues = [
            Issue("--monte-carlo" if err["loc"] == ("samples",) else "--seed", "", f"{err['msg']} (got {err['input']})")
            for err in exc.errors(include_url=False)
        ]
        raise InputError(issues) from None
    country = spec.country.model_copy(update={"uncertainty": ranges})
    return replace(spec, loaded=replace(spec.loaded, spec=country))


def compare(
    country: Path | str,
    scenarios: Sequence[str] | None = None,
    *,
    set: SetValues | None = None,  # noqa: A002
    scenario_files: Sequence[Path | str] = (),
    catalog: Sequence[Path | str] = (),
    out: Path | str | None = None,
    rule_costs: bool = False,
    cluster: Any = None,
) -> dict[str, Any]:
    """Solve `country` under several scenarios (default: baseline and the built-in ones) and compare them:
    comparison.json's content, with `plans` (name -> Plan). With `out`, each plan's outputs are written there.
    `cluster`: a Dask scheduler address or `distributed.Client` to solve on (default: local processes)."""
    from planner.comparison import comparison
    from planner.scenarios import BASELINE, BUILTIN_OVERRIDES
    from planner.whatif import Job, Variant, run_variants

    names = list(scenarios or [BASELINE, *BUILTIN_OVERRIDES])
    with tempfile.TemporaryDirectory(prefix="planner-compare-") as tmp:
        jobs = [
            Job(
                Path(country),
                Variant(n, None if n == BASELINE else n),
                Path(out) if out else Path(tmp),
                tuple(Path(c) for c in catalog),
                tuple(Path(f) for f in scenario_files),
                tuple(set_strings(set)),
                formats=frozenset({"json", "md", "html"}) if out else frozenset(),
                rule_costs=rule_costs,
            )
            for n in names
        ]
        plans = run_variants(jobs, cluster=cluster)
    return {**comparison(plans, {}), "plans": plans}


def sweep(
    country: Path | str,
    vary: Mapping[str, tuple[float, float, int]],
    *,
    scenario: str | None = None,
    set: SetValues | None = None,  # noqa: A002
    catalog: Sequence[Path | str] = (),
    objective: str = "max_served",
    cluster: Any = None,
) -> dict[str, Any]:
    """Solve a grid of one or two keys, each (start, stop, count): sweep.json's content, with `plans`.
    `cluster`: as for `compare`."""
    from planner.sweeps import grid, parse_vary, sweep_result
    from planner.whatif import Job, Variant, run_variants

    axes = [parse_vary(f"{key}={a!r}:{b!r}:{n}") for key, (a, b, n) in vary.items()]
    variants = grid(axes)
    base = (*set_strings(set), f"planning.objective={objective}")
    with tempfile.TemporaryDirectory(prefix="planner-sweep-") as tmp:
        jobs = [
            Job(
                Path(country),
                Variant(v.name, scenario, v.sets),
                Path(tmp),
                tuple(Path(c) for c in catalog),
                (),
                base,
                formats=frozenset(),
            )
            for v in variants
        ]
        plans = run_variants(jobs, cluster=cluster)
    return {**sweep_result(axes, variants, plans), "plans": plans}
