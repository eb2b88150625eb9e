"""Named constraint rows and the families they belong to.

A row's name is `family__id1__id2` (ids are snake_case, so `__` splits unambiguously). The family
says what the row means, its unit, whether it may be relaxed when diagnosing infeasibility, and how
to word a shortfall or a shadow price.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pulp

Sense = Literal["<=", ">=", "=="]


@dataclass(frozen=True)
class Family:
    """A kind of requirement: coverage of a workload's demand, a site's power limit, the capex budget."""

    name: str
    description: str
    unit: str
    soft: bool
    """True if the diagnosis may relax it (a requirement); False for accounting identities."""
    shortfall: str
    """Template for an unmet row: fields {ids[0]}, {ids[1]}, {amount}."""
    price: str
    """Template for a binding row's shadow price: {ids[0]}, {ids[1]}, {price}."""


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in [
        Family(
            "demand_coverage",
            "Serving capacity covers each workload's busy-hour output-token demand in each year.",
            "output tokens/s",
            True,
            "serving `{ids[0]}` short of {amount} output tokens/s in {ids[1]}",
            "each extra output token/s of `{ids[0]}` demand in {ids[1]} costs {price}",
        ),
        Family(
            "training_placement",
            "Each training or fine-tuning job runs on one site and one hardware type, sized to its deadline.",
            "jobs",
            True,
            "training job `{ids[0]}` cannot be placed within the other limits",
            "placing `{ids[0]}` costs {price}",
        ),
        Family(
            "unit_capacity",
            "Units serving and training within a group of sites never exceed the units installed there.",
            "units",
            False,
            "",
            "one more `{ids[1]}` unit at `{ids[0]}` in {ids[2]} is worth {price}",
        ),
        Family(
            "training_capacity",
            "Units busy training at a site never exceed those installed there that year.",
            "units",
            False,
            "",
            "",
        ),
        Family(
            "site_power",
            "IT power × PUE of the hardware installed at a site stays within the site's power.",
            "kW",
            True,
            "site `{ids[0]}` needs {amount} more power in {ids[1]}",
            "each extra kW at `{ids[0]}` in {ids[1]} saves {price}",
        ),
        Family(
            "site_space",
            "Rack units of the hardware installed at a site fit in its racks.",
            "U",
            True,
            "site `{ids[0]}` needs {amount} more rack units in {ids[1]}",
            "each extra rack unit at `{ids[0]}` in {ids[1]} saves {price}",
        ),
        Family(
            "cloud_capacity",
            "Accelerators reserved in a cloud region stay within what the region can offer.",
            "accelerators",
            True,
            "cloud region `{ids[0]}` needs {amount} more accelerators in {ids[1]}",
            "each extra accelerator offered at `{ids[0]}` in {ids[1]} saves {price}",
        ),
        Family(
            "data_residency",
            "A workload runs only at sites its data class allows.",
            "units",
            True,
            "`{ids[0]}` would need {amount} units at site `{ids[1]}`, which its data class forbids",
            "allowing `{ids[0]}` at `{ids[1]}` would save {price} per unit placed there",
        ),
        Family(
            "export_availability",
            "Hardware is bought only where the export rules of its year allow it (and policy accepts licences).",
            "units",
            True,
            "{amount} units of `{ids[1]}` at `{ids[0]}` in {ids[2]} would be needed; the export rules forbid them",
            "access to `{ids[1]}` at `{ids[0]}` in {ids[2]} would save {price} per unit",
        ),
        Family(
            "lead_time",
            "Hardware bought for a year must have arrived by the start of that year.",
            "units",
            True,
            "{amount} units of `{ids[1]}` would be needed at `{ids[0]}` in {ids[2]} before their lead time allows",
            "a shorter lead time for `{ids[1]}` at `{ids[0]}` in {ids[2]} would save {price} per unit",
        ),
        Family(
            "lead_time_training",
            "A training job runs only on hardware that has arrived before the job starts.",
            "units",
            True,
            "training job `{ids[0]}` would need {amount} units of `{ids[2]}` at `{ids[1]}` before they can arrive",
            "a shorter lead time for `{ids[2]}` would let `{ids[0]}` run at `{ids[1]}`, saving {price} per unit",
        ),
        Family(
            "vendor_allowed",
            "Only hardware from the allowed vendors is bought.",
            "units",
            True,
            "{amount} units of `{ids[0]}`, whose vendor is not allowed, would be needed",
            "allowing `{ids[0]}` would save {price} per unit",
        ),
        Family(
            "vendor_cap",
            "No vendor exceeds its maximum share of the fleet in service each year (or of the spending).",
            "accelerators",
            True,
            "vendor `{ids[0]}` would exceed its share cap in {ids[1]} by {amount} (accelerators, or USD on capex)",
            "each extra accelerator (or $) of headroom under the cap for `{ids[0]}` in {ids[1]} saves {price}",
        ),
        Family(
            "allied_share",
            "At least the minimum share of the fleet (or of the spending) comes from domestic or allied suppliers.",
            "accelerators",
            True,
            "domestic or allied supply short by {amount} (accelerators, or USD with a capex basis) in {ids[0]}",
            "each accelerator less of required allied supply saves {price}",
        ),
        Family(
            "resilience",
            "With any one site lost, the remaining sites still serve the stated fraction of each workload's peak.",
            "output tokens/s",
            True,
            "losing site `{ids[0]}` leaves `{ids[1]}` short of {amount} output tokens/s in {ids[2]}",
            "each output token/s of resilience for `{ids[1]}` against losing `{ids[0]}` in {ids[2]} costs {price}",
        ),
        Family(
            "failover_capacity",
            "After a site is lost, the units re-assigned at each remaining site do not exceed those installed.",
            "units",
            False,
            "",
            "",
        ),
        Family(
            "acquisition_policy",
            "Hardware is only rented (or only bought) when the policy says so.",
            "units",
            True,
            "{amount} units of `{ids[1]}` would be needed at `{ids[0]}` in {ids[2]}, against the acquisition policy",
            "allowing `{ids[1]}` at `{ids[0]}` in {ids[2]} would save {price} per unit",
        ),
        Family(
            "budget_capex_year",
            "Purchases in a year stay within that year's capital budget.",
            "USD",
            True,
            "capex budget of {ids[0]} short by {amount}",
            "each extra $1 of capex budget in {ids[0]} saves {price}",
        ),
        Family(
            "budget_capex",
            "Purchases over the horizon stay within the capital budget.",
            "USD",
            True,
            "capex budget short by {amount}",
            "each extra $1 of capex budget saves {price}",
        ),
        Family(
            "budget_opex",
            "Operating cost in each year stays within the operating budget.",
            "USD/year",
            True,
            "opex budget short by {amount} in {ids[0]}",
            "each extra $1 of opex budget in {ids[0]} saves {price}",
        ),
    ]
}


# What the country asked for, as opposed to the limits it set: a diagnosis gives these up last.
REQUIREMENT_FAMILIES = frozenset({"demand_coverage", "training_placement", "resilience"})


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
