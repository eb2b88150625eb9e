"""The cost of each sovereignty rule: the plan without the rule, and the difference in net present cost."""

from __future__ import annotations

from typing import Any

from planner.catalog import Catalog
from planner.pipeline import LoadedSpec, size
from planner.plan import Plan
from planner.sizing.data import build_problem_data
from planner.sizing.model import build_model
from planner.sizing.rows import FAMILIES, PRICED_RULES, parse_row_name

# Each rule and the families that implement it, from the families' declarations (`priced_as`): sovereignty and
# procurement rules and resilience; lead times are a fact of supply, not a rule the country chose.
RULES: dict[str, frozenset[str]] = PRICED_RULES


def rules_present(loaded: LoadedSpec, catalog: Catalog) -> list[str]:
    """The rules that have at least one row in this country's model."""
    built = build_model(build_problem_data(loaded.spec, catalog))
    families = {parse_row_name(name)[0] for name in built.rows}
    everywhere = set(loaded.spec.sites)
    if any(group != everywhere for group in built.variables.groups.values()):
        families.add("data_residency")  # serving is confined by its variables, not by rows
    return [rule for rule, fams in RULES.items() if fams & families]


def rule_costs(loaded: LoadedSpec, catalog: Catalog, plan: Plan) -> list[dict[str, Any]]:
    """For each rule present: status and NPV of the plan without it, and what the rule costs (NPV with − without)."""
    out = []
    for rule in rules_present(loaded, catalog):
        without = size(loaded, catalog, without=RULES[rule], check_prices=False)  # only its NPV is read
        entry: dict[str, Any] = {
            "rule": rule,
            "description": FAMILIES[rule].description,
            "status_without": without.status,
            "npv_usd_without": without.totals.npv_usd if without.feasible else None,
            "cost_usd": None,
        }
        if plan.feasible and without.feasible:
            entry["cost_usd"] = plan.totals.npv_usd - without.totals.npv_usd
        out.append(entry)
    return sorted(out, key=lambda e: -(e["cost_usd"] or 0.0))
