"""Serving is planned per group of sites, not per site.

A serving workload may use any site its data class allows, and its throughput per unit does not depend
on the site, so only the group of allowed sites matters. Serving variables are therefore kept per
(workload, hardware, year), and capacity is checked for every union of groups: by Hall's theorem
(supply and demand as a bipartite flow) these rows, with training's per-site rows, admit a per-site
split exactly when one exists. The split itself is recovered after the solve, for the report.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.sizing.rules import site_allowed

Group = frozenset[str]


def allowed_sites(data, workload: str, *, ignore_residency: bool = False) -> Group:
    """Sites where `workload` may run: every site, or those its data class allows."""
    spec = data.spec
    data_class = spec.workloads[workload].data_class
    rule = spec.data_locality.get(data_class) if data_class and not ignore_residency else None
    return frozenset(s for s in data.sites if site_allowed(rule, spec.sites[s]))


def union_closure(groups: Iterable[Group]) -> list[Group]:
    """Every union of one or more of the groups (few: one per data class), in a stable order."""
    closure: set[Group] = set()
    for group in {g for g in groups if g}:
        closure |= {group} | {group | other for other in closure}
    return sorted(closure, key=lambda g: (len(g), sorted(g)))


def group_label(index: int) -> str:
    """Row-name id of the index-th union (site lists are too long for a name)."""
    return f"group{index}"
