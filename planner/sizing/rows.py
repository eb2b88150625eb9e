"""The registry of constraint families, collected from the family modules that declare them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from planner.sizing.families import budget, coverage, resilience, sites, sovereignty, staff
from planner.sizing.family import Category, Family, Row, parse_row_name, row_name

_MODULES = (coverage, sites, budget, sovereignty, resilience, staff)

FAMILIES: dict[str, Family] = {f.name: f for module in _MODULES for f in module.FAMILIES}


def families_in(*categories: Category) -> frozenset[str]:
    """Names of the families of the given categories."""
    return frozenset(name for name, f in FAMILIES.items() if f.category in categories)


REQUIREMENT_FAMILIES = families_in("requirement")
"""What the country asked for, as opposed to the limits it set: a diagnosis gives these up last."""

PRICED_RULES: dict[str, frozenset[str]] = {}
"""Rule name -> the families `--rule-costs` leaves out together to price it."""
for _f in FAMILIES.values():
    if _f.priced_as:
        PRICED_RULES[_f.priced_as] = PRICED_RULES.get(_f.priced_as, frozenset()) | {_f.name}


def row_generators() -> list[Callable[..., Iterator[Row]]]:
    """Every family's row generator, in a stable order."""
    return [g for module in _MODULES for g in module.GENERATORS]


__all__ = [
    "FAMILIES",
    "PRICED_RULES",
    "REQUIREMENT_FAMILIES",
    "Family",
    "Row",
    "families_in",
    "parse_row_name",
    "row_generators",
    "row_name",
]
