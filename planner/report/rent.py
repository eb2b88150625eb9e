"""What each cloud contract of a plan is and costs: its billing terms in words and its rent over the horizon.

Read from plan.json's allocations: `opex_usd_per_year` is a year of rent (`rent`, `reserve_3y`), the rent of the
quarters rented on demand (`rent` with `quarters`), or a training job's whole rent (`rent_hours`)."""

from __future__ import annotations

from typing import Any

from planner.report.fmt import num
from planner.report.i18n import _
from planner.sizing.quarters import quarters_in_words


def quarters_label(quarters: list[int], year: int) -> str:
    """Q3 2027, Q3–Q4 2027 (a run of quarters), or Q1, Q3 2027."""
    return quarters_in_words(quarters, year)


def rented_years(a: dict[str, Any]) -> float:
    """The share of a year a rented allocation holds its units: a rent for Q3-Q4 is half a unit-year per unit, a
    yearly rent or reservation one, a training job's hourly units count as units."""
    quarters = a.get("quarters")
    return len(quarters) / 4.0 if a.get("acquisition") == "rent" and quarters else 1.0


def rent_terms(a: dict[str, Any]) -> str:
    """How a rental is billed, in words ("" for a purchase)."""
    how = a.get("acquisition", "buy")
    if how == "rent" and a.get("quarters"):
        return _("on demand %(quarters)s", quarters=quarters_label(a["quarters"], a["year"]))
    if how == "rent":
        return _("a year of %(year)s", year=a["year"])
    if how == "reserve_3y":
        return _("reserved for 3 years from %(year)s", year=a["year"])
    if how == "rent_hours":
        return _("for the job: %(hours)s accelerator-hours", hours=num(a.get("accelerator_hours") or 0))
    return ""


def rent_years(a: dict[str, Any], years: list[int]) -> int:
    """Years of the horizon a rental pays `opex_usd_per_year` in: 1, or up to 3 for a reservation."""
    if a.get("acquisition") == "reserve_3y":
        return sum(1 for y in years if a["year"] <= y < a["year"] + 3)
    return 1


def rent_usd(a: dict[str, Any], years: list[int]) -> float:
    """A rental's rent over the planning horizon (0 for a purchase): the sum of these over a plan's rentals is the
    sum of its `costs_by_year[].opex_lines_usd["rent"]`."""
    if a.get("acquisition", "buy") == "buy":
        return 0.0
    return a["opex_usd_per_year"] * rent_years(a, years)
