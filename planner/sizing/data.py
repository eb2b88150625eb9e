"""Problem data: every number the MILP needs, computed once from the spec, the catalog and the perf model.

No PuLP here. Each coefficient keeps the estimate it came from so the plan can say why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from planner.catalog import Catalog
from planner.perf import ServingEstimate, TrainingEstimate, language_premium, serving_estimate, training_estimate
from planner.schema.catalog import ExportRule, Hardware
from planner.schema.country import (
    CountrySpec,
    FineTuningWorkload,
    PretrainingWorkload,
    ServingWorkload,
)
from planner.sizing.rules import export_status

HOURS_PER_YEAR = 8760.0
SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class ServingNeed:
    """Peak output-token demand of one serving workload and the capacity each hardware gives it."""

    workload: str
    premium: float
    premium_notes: list[str]
    peak_output_tokens_per_s: dict[int, float]
    estimates: dict[str, ServingEstimate]
    """Per hardware id: the perf model's estimate at the workload's targets."""
    usable_tokens_per_s_per_unit: dict[str, float]
    """Per hardware id: estimate × utilisation target; only feasible hardware appears."""


@dataclass(frozen=True)
class TrainingNeed:
    """A training or fine-tuning job: the year it runs and the units each hardware needs for its deadline."""

    workload: str
    year: int
    estimates: dict[str, TrainingEstimate]
    units_needed: dict[str, int]


@dataclass
class ProblemData:
    """Flattened inputs of the optimisation."""

    spec: CountrySpec
    hardware: dict[str, Hardware]
    sites: list[str]
    years: list[int]
    serving: list[ServingNeed] = field(default_factory=list)
    training: list[TrainingNeed] = field(default_factory=list)
    site_hardware: dict[str, list[str]] = field(default_factory=dict)
    """Hardware options at each site: every option where hardware is bought, the offered ones in a cloud."""
    export: dict[tuple[str, str, int], tuple[str, ExportRule | None]] = field(default_factory=dict)
    """(site, hardware, year) -> export status and the rule that sets it."""

    def discount(self, year: int) -> float:
        """Present-value factor of a cost paid in `year`."""
        return 1.0 / (1.0 + self.spec.planning.discount_rate) ** (year - self.years[0])

    def in_service(self, bought: int, year: int) -> bool:
        """True if a unit bought in `bought` still serves in `year`."""
        return bought <= year < bought + self.spec.planning.hardware_life_years

    def is_cloud(self, site: str) -> bool:
        """True if units at `site` are rented year by year rather than bought."""
        return self.spec.sites[site].is_cloud

    def pairs(self):
        """Every (site, hardware) option."""
        return [(s, h) for s in self.sites for h in self.site_hardware[s]]

    def existing_units(self, site: str, hw_id: str, year: int) -> int:
        """Brownfield units of `hw_id` at `site` still in service in `year`."""
        return sum(
            e.units
            for e in self.spec.sites[site].existing
            if e.hardware == hw_id and self.in_service(e.installed_year, year)
        )

    def unit_price(self, site: str, hw_id: str) -> float:
        """Capital cost of one unit (zero where it is rented)."""
        return 0.0 if self.is_cloud(site) else self.hardware[hw_id].price_usd_per_unit

    def opex_usd_per_unit_year(self, site: str, hw_id: str) -> float:
        """Bought: energy (average load, with PUE), maintenance and licences. Rented: a year of reservation."""
        s = self.spec.sites[site]
        hw = self.hardware[hw_id]
        if s.is_cloud:
            return s.rent_usd_per_accelerator_hour[hw_id] * hw.chips_per_unit * HOURS_PER_YEAR
        energy_kwh = hw.power_kw_per_unit * s.pue * HOURS_PER_YEAR * self.spec.planning.average_power_fraction
        return (
            energy_kwh * s.electricity_usd_per_kwh
            + hw.maintenance_fraction_per_year * hw.price_usd_per_unit
            + hw.licence_usd_per_unit_year
        )


def build_problem_data(spec: CountrySpec, catalog: Catalog) -> ProblemData:
    """Compute demand, per-unit capacity and cost coefficients for every workload and hardware option."""
    hw_ids = spec.hardware if spec.hardware is not None else sorted(catalog.hardware)
    offered = {h for site in spec.sites.values() for h in site.rent_usd_per_accelerator_hour}
    used = sorted(set(hw_ids) | offered | {e.hardware for site in spec.sites.values() for e in site.existing})
    hardware = {h: catalog.hardware[h] for h in used}
    data = ProblemData(spec=spec, hardware=hardware, sites=list(spec.sites), years=spec.years)
    for sid, site in spec.sites.items():
        brownfield = [e.hardware for e in site.existing if e.hardware not in hw_ids]
        data.site_hardware[sid] = (
            sorted(site.rent_usd_per_accelerator_hour) if site.is_cloud else list(hw_ids) + sorted(set(brownfield))
        )
        for h in data.site_hardware[sid]:
            for y in data.years:
                data.export[sid, h, y] = export_status(hardware[h], site.jurisdiction, y)
    for wid, workload in spec.workloads.items():
        model = catalog.models[workload.model]
        if isinstance(workload, ServingWorkload):
            data.serving.append(_serving_need(spec, catalog, wid, workload, hardware, model))
        else:
            data.training.append(_training_need(spec, catalog, wid, workload, hardware, model))
    return data


def _serving_need(spec, catalog, wid, workload: ServingWorkload, hardware, model) -> ServingNeed:
    shares = workload.languages or spec.languages
    premium, notes = language_premium(shares, model.tokenizer, catalog.languages)
    tokens_per_day = workload.users * workload.requests_per_user_per_day * workload.output_tokens_per_request * premium
    base = tokens_per_day / SECONDS_PER_DAY * workload.peak_factor
    peak = {y: base * (1.0 + workload.growth_per_year) ** (y - spec.years[0]) for y in spec.years}
    estimates, usable = {}, {}
    for hw_id, hw in hardware.items():
        est = serving_estimate(
            model,
            hw,
            catalog.efficiency_profiles[hw.efficiency_profile],
            workload.input_tokens_per_request * premium,
            workload.output_tokens_per_request * premium,
            tpot_ms=workload.tpot_ms,
            ttft_ms=workload.ttft_ms,
            precision=workload.precision,
        )
        estimates[hw_id] = est
        if est.feasible and est.output_tokens_per_s_per_unit > 0:
            usable[hw_id] = est.output_tokens_per_s_per_unit * spec.planning.serving_utilisation
    return ServingNeed(wid, premium, notes, peak, estimates, usable)


def _training_need(
    spec, catalog, wid, workload: PretrainingWorkload | FineTuningWorkload, hardware, model
) -> TrainingNeed:
    method = "pretraining" if isinstance(workload, PretrainingWorkload) else workload.method
    estimates, units = {}, {}
    for hw_id, hw in hardware.items():
        est = training_estimate(
            model,
            hw,
            catalog.efficiency_profiles[hw.efficiency_profile],
            workload.tokens,
            method=method,
            days=workload.deadline_days,
        )
        estimates[hw_id] = est
        if math.isfinite(est.wall_days) and est.wall_days <= workload.deadline_days * (1 + 1e-9):
            units[hw_id] = est.units
    return TrainingNeed(wid, workload.year or spec.years[0], estimates, units)
