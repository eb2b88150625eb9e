"""What a constraint family is, and the named rows it builds.

Each family module in planner/sizing/families/ declares its families (name, category, meaning, unit, how a
shortfall and a shadow price are worded) next to the generator that builds their rows; planner/sizing/rows.py
collects them. A row's name is `family__id1__id2` (ids are snake_case, so `__` splits unambiguously).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pulp


def N_(text: str) -> str:  # noqa: N802 - the gettext convention for "mark for extraction, translate later"
    """Mark a family's wording for the report's catalogs; the report translates it (planner/report/rules.py),
    the terminal keeps English. Local so that planner/sizing never imports planner/report."""
    return text


Sense = Literal["<=", ">=", "=="]
Category = Literal["requirement", "limit", "rule", "supply", "identity"]
"""requirement: what the country asked for (demand, training jobs, resilience); limit: a physical or financial
limit it set (power, space, budgets); rule: a sovereignty or procurement rule it chose (residency, export,
vendors, acquisition); supply: a fact of the market it cannot change (lead times); identity: accounting that
ties decisions together (never relaxed)."""


@dataclass(frozen=True)
class Family:
    """A kind of constraint: coverage of a workload's demand, a site's power limit, the capex budget."""

    name: str
    category: Category
    description: str
    unit: str
    shortfall: str = ""
    """Template for an unmet row: fields {ids[0]}, {ids[1]}, {amount}."""
    price: str = ""
    """Template for a binding row's shadow price: {ids[0]}, {ids[1]}, {price}."""
    priced_as: str | None = None
    """The rule `--rule-costs` prices this family under (None: not priced); families that implement one rule
    together share it (resilience and its failover identity)."""

    @property
    def soft(self) -> bool:
        """True if a diagnosis may relax it; accounting identities never give way."""
        return self.category != "identity"


@dataclass
class Row:
    """One linear constraint, named by its family and ids."""

    family: str
    ids: tuple[str | int, ...]
    lhs: pulp.LpAffineExpression
    sense: Sense
    rhs: float

    @property
    def name(self) -> str:
        """PuLP-safe unique name: family__id1__id2."""
        return row_name(self.family, self.ids)


def row_name(family: str, ids: tuple[str | int, ...]) -> str:
    """Build a row name; the inverse of parse_row_name."""
    return "__".join([family, *(str(i) for i in ids)])


def parse_row_name(name: str) -> tuple[str, tuple[str, ...]]:
    """Split a row name into its family and ids."""
    family, *ids = name.split("__")
    return family, tuple(ids)
