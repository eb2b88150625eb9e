"""Problem data: every number the MILP needs, computed once from the spec, the catalog and the perf model.

No PuLP here. Each coefficient keeps the estimate it came from so the plan can say why.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from planner.catalog import Catalog
from planner.perf import ServingEstimate, TrainingEstimate, language_premium, serving_estimate, training_estimate
from planner.perf.serving import SUBSTITUTION_HINT, length_mix_from_spread
from planner.schema.catalog import CostLine, ExportRule, Hardware
from planner.schema.country import (
    CountrySpec,
    FineTuningWorkload,
    PretrainingWorkload,
    ServingWorkload,
)
from planner.sizing import quarters
from planner.sizing.rules import decision_date, export_status

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
    live: dict[int, frozenset[int]] = field(default_factory=dict)
    """Year -> quarters the service is open (from its go-live on); a year absent or empty needs no capacity."""


@dataclass(frozen=True)
class TrainingNeed:
    """A training or fine-tuning job: the year it runs and the units each hardware needs for its deadline."""

    workload: str
    year: int
    estimates: dict[str, TrainingEstimate]
    units_needed: dict[str, int]
    start: dt.date | None = None
    """The day the run starts (its earliest start; see planner/sizing/quarters.py)."""
    quarters: dict[str, frozenset[tuple[int, int]]] = field(default_factory=dict)
    """Per hardware id: the (year, quarter)s the run holds its units at that hardware's speed."""


@dataclass
class ProblemData:
    """Flattened inputs of the optimisation."""

    spec: CountrySpec
    hardware: dict[str, Hardware]
    sites: list[str]
    years: list[int]
    serving: list[ServingNeed] = field(default_factory=list)
    training: list[TrainingNeed] = field(default_factory=list)
    storage_capex: dict[int, float] = field(default_factory=dict)
    """Year -> storage bought for the training jobs' corpora and checkpoints (a cost no decision changes)."""
    storage_opex: dict[int, float] = field(default_factory=dict)
    site_hardware: dict[str, list[str]] = field(default_factory=dict)
    """Hardware options at each site: every option where hardware is bought, the offered ones in a cloud."""
    export: dict[tuple[str, str, int], tuple[str, ExportRule | None]] = field(default_factory=dict)
    """(site, hardware, year) -> export status and the rule that sets it."""
    cost_lines: list[CostLine] = field(default_factory=list)
    """The catalog's cost lines with country.yaml's changes (fabric, storage, licences, staff, fit-out, colocation)."""
    staff_usd: dict[str, float] = field(default_factory=dict)
    """Jurisdiction -> loaded yearly cost of one engineer (country catalog, or country.yaml's cost line change)."""
    colocation_usd_per_kw_month: dict[str, float] = field(default_factory=dict)
    """Jurisdiction -> colocation rent per kW-month (country catalog)."""
    _first_quarter: dict[tuple[str, int], int | None] = field(default_factory=dict, repr=False)
    _classes: dict[int, list[frozenset[int]]] = field(default_factory=dict, repr=False)
    _lives: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    """Memo of `life` (asked millions of times while building a 200-site model)."""
    _clouds: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)
    """Memo of `is_cloud`."""

    def discount(self, year: float) -> float:
        """Present-value factor of a cost paid in `year` (a fractional year for the end of the horizon)."""
        return 1.0 / (1.0 + self.spec.planning.discount_rate) ** (year - self.years[0])

    def life(self, hw_id: str) -> int:
        """Service life of a hardware class: the plan's `hardware_life_years` where country.yaml sets it, else
        the catalog's `life_years` for the class, else the plan's default."""
        life = self._lives.get(hw_id)
        if life is None:
            planning = self.spec.planning
            if "hardware_life_years" in planning.model_fields_set:
                life = planning.hardware_life_years
            else:
                life = self.hardware[hw_id].life_years or planning.hardware_life_years
            self._lives[hw_id] = life
        return life

    def in_service(self, bought: int, year: int, hw_id: str | None = None) -> bool:
        """True if a unit (of `hw_id`) bought in `bought` still serves in `year`.

        Its life counts from 1 January of the year it is bought for, wherever in that year it arrives: it retires
        on 1 January of `bought + life`, and its straight-line value (`residual_fraction`) reaches 0 on the same
        day. A unit working from Q3 of its first year thus serves half a year less than its life (the simple,
        conservative reading; the catalog's lives are whole years)."""
        life = self.life(hw_id) if hw_id else self.spec.planning.hardware_life_years
        return bought <= year < bought + life

    def is_cloud(self, site: str) -> bool:
        """True if units at `site` are rented year by year rather than bought."""
        cloud = self._clouds.get(site)
        if cloud is None:
            cloud = self._clouds[site] = self.spec.sites[site].is_cloud
        return cloud

    def pairs(self):
        """Every (site, hardware) option."""
        return [(s, h) for s in self.sites for h in self.site_hardware[s]]

    def existing_units(self, site: str, hw_id: str, year: int) -> int:
        """Brownfield units of `hw_id` at `site` still in service in `year`."""
        return sum(
            e.units
            for e in self.spec.sites[site].existing
            if e.hardware == hw_id and self.in_service(e.installed_year, year, hw_id)
        )

    def list_price(self, hw_id: str, year: int | None = None) -> float:
        """Catalog price of one unit in `year`: the listed price, falling by `price_decline_per_year` after the
        year it was quoted."""
        hw = self.hardware[hw_id]
        if year is None or not hw.price_decline_per_year:
            return hw.price_usd_per_unit
        quoted = int(hw.price_as_of[:4])
        return hw.price_usd_per_unit * (1.0 - hw.price_decline_per_year) ** max(0, year - quoted)

    def unit_price(self, site: str, hw_id: str, year: int | None = None) -> float:
        """Purchase price of one unit bought in `year` (zero where it is rented)."""
        return 0.0 if self.is_cloud(site) else self.list_price(hw_id, year)

    def capex_lines(self, site: str, hw_id: str, year: int) -> dict[str, float]:
        """Capital cost of one unit bought at `site` in `year`, by TCO line (hardware, fabric, fit-out)."""
        if self.is_cloud(site):
            return {}
        hw = self.hardware[hw_id]
        s = self.spec.sites[site]
        lines = {"hardware": self.unit_price(site, hw_id, year)}
        for line in self.cost_lines:
            if line.kind == "fabric" and line.applies_to in ("*", hw.fabric):
                lines["fabric"] = lines.get("fabric", 0.0) + line.capex_usd_per_accelerator * hw.chips_per_unit
            elif line.kind == "fitout" and line.applies_to in ("*", s.kind):
                lines["fitout"] = lines.get("fitout", 0.0) + line.capex_usd_per_kw * hw.power_kw_per_unit
        return lines

    def unit_capex(self, site: str, hw_id: str, year: int) -> float:
        """Capital cost of one unit bought at `site` in `year`, every TCO line included."""
        return sum(self.capex_lines(site, hw_id, year).values())

    def opex_lines(self, site: str, hw_id: str, bought: int | None = None) -> dict[str, float]:
        """Yearly cost of one unit in service at `site`, by TCO line. Bought: energy (average load, with PUE),
        maintenance (a fraction of the price paid for it in `bought`; of the price as quoted if absent), licences,
        staff and colocation rent. Rented: a year of capacity (the cheaper of on-demand and a one-year reservation),
        which includes the provider's power, staff and software."""
        s = self.spec.sites[site]
        hw = self.hardware[hw_id]
        if s.is_cloud:
            return {"rent": self.rent_per_accelerator_hour(site, hw_id) * hw.chips_per_unit * HOURS_PER_YEAR}
        energy_kwh = hw.power_kw_per_unit * s.pue * HOURS_PER_YEAR * self.spec.planning.average_power_fraction
        lines = {
            "energy": energy_kwh * s.electricity_usd_per_kwh,
            "maintenance": hw.maintenance_fraction_per_year * self.list_price(hw_id, bought),
            "licences": hw.licence_usd_per_unit_year,
        }
        salary = self.staff_usd.get(s.jurisdiction, 0.0)
        for line in self.cost_lines:
            if line.kind == "licence" and line.applies_to in ("*", hw.software_stack):
                lines["licences"] += line.opex_usd_per_accelerator_year * hw.chips_per_unit
            elif line.kind == "staff" and line.applies_to in ("*", s.kind):
                lines["staff"] = lines.get("staff", 0.0) + self.line_fte_per_unit(line, hw_id) * salary
            elif line.kind == "colocation" and s.kind == "colocation" and line.applies_to in ("*", "colocation"):
                rate = self.colocation_usd_per_kw_month.get(s.jurisdiction, line.opex_usd_per_kw_month)
                lines["colocation"] = lines.get("colocation", 0.0) + rate * 12.0 * hw.power_kw_per_unit
        return lines

    def teams(self) -> list[tuple[CostLine, str]]:
        """(staff line with a smallest team, jurisdiction) of every team the plan may need: one a country, for
        the bought sites the line covers, where an engineer's salary is known (staff not costed: no team)."""
        out = []
        for line in self.cost_lines:
            if line.kind == "staff" and line.min_fte > 0:
                out += [(line, j) for j in sorted(self.staff_usd) if self.team_sites(line, j)]
        return out

    def team_sites(self, line: CostLine, jurisdiction: str) -> list[str]:
        """Bought sites of `jurisdiction` whose units staff line `line` covers."""
        return [
            s
            for s in self.sites
            if not self.is_cloud(s)
            and self.spec.sites[s].jurisdiction == jurisdiction
            and line.applies_to in ("*", self.spec.sites[s].kind)
        ]

    def line_fte_per_unit(self, line: CostLine, hw_id: str) -> float:
        """Engineers staff line `line` counts for one unit of `hw_id` in service for a year."""
        return line.fte_per_mw * self.hardware[hw_id].power_kw_per_unit / 1000.0 + line.fte_per_100_units / 100.0

    def service_share(self, site: str, hw_id: str, bought: int, year: int) -> float:
        """Share of `year` a unit bought at `site` for `bought` is in service, which every opex line of it is
        prorated by: the quarters from its first working quarter on, over four, in its first year (a unit working
        from Q3 pays half a year's energy, maintenance, licences, staff and colocation); a whole year after. Energy
        follows the in-service quarters too (at the plan's average load), not the quarters the unit is busy. Units
        rented in a cloud region and brownfield units: a whole year."""
        if self.is_cloud(site) or year != bought:
            return 1.0
        first = self.first_quarter(hw_id, bought)
        return 0.0 if first is None else (5 - first) / 4.0

    def opex_usd_per_unit_year(self, site: str, hw_id: str, bought: int | None = None) -> float:
        """Yearly cost of one unit (bought in `bought`) in service at `site`, every TCO line included."""
        return sum(self.opex_lines(site, hw_id, bought).values())

    def rent_per_accelerator_hour(self, site: str, hw_id: str, *, on_demand: bool = False) -> float:
        """Price of an accelerator-hour at a cloud site: on demand (training jobs billed for the hours they run),
        or for a year of capacity the cheaper of on-demand and a one-year reservation."""
        s = self.spec.sites[site]
        rate = s.rent_usd_per_accelerator_hour[hw_id]
        if not on_demand and hw_id in s.rent_1y_usd_per_accelerator_hour:
            rate = min(rate, s.rent_1y_usd_per_accelerator_hour[hw_id])
        return rate

    def training_rent_usd(self, need: TrainingNeed, site: str, hw_id: str) -> float:
        """A training job run in a cloud region: its accelerator-hours at the on-demand price (nothing else)."""
        est = need.estimates[hw_id]
        chips = need.units_needed[hw_id] * self.hardware[hw_id].chips_per_unit
        return chips * est.wall_days * 24.0 * self.rent_per_accelerator_hour(site, hw_id, on_demand=True)

    def reserved_3y(self, site: str, hw_id: str) -> list[int]:
        """Years a three-year reservation of `hw_id` can start at `site` (it must end within the horizon)."""
        if hw_id not in self.spec.sites[site].rent_3y_usd_per_accelerator_hour:
            return []
        return [y for y in self.years if y + 2 <= self.years[-1]]

    def reserved_3y_usd_per_unit_year(self, site: str, hw_id: str) -> float:
        """A year of one unit under a three-year reservation."""
        rate = self.spec.sites[site].rent_3y_usd_per_accelerator_hour[hw_id]
        return rate * self.hardware[hw_id].chips_per_unit * HOURS_PER_YEAR

    def residual_fraction(self, hw_id: str, bought: int) -> float:
        """Share of a unit's value left at the end of the horizon: straight line over its life from 1 January of
        the year it is bought for, the same clock as its retirement (`in_service`; 0 with `residual_value:
        none`)."""
        if self.spec.planning.residual_value == "none":
            return 0.0
        life = self.life(hw_id)
        used = self.years[-1] + 1 - bought
        return max(0.0, (life - used) / life)

    def kept_value(self, site: str, hw_id: str, bought: int) -> float:
        """Value one unit bought at `site` in `bought` keeps at the end of the horizon: its hardware and fabric
        capex, straight line over its life (nothing where it is rented)."""
        if self.is_cloud(site):
            return 0.0
        lines = self.capex_lines(site, hw_id, bought)
        return (lines.get("hardware", 0.0) + lines.get("fabric", 0.0)) * self.residual_fraction(hw_id, bought)

    def first_quarter(self, hw_id: str, year: int) -> int | None:
        """First quarter of `year` in which units of `hw_id` bought for it work (1: from 1 January); None if they
        cannot work that year (planner/sizing/quarters.py)."""
        key = (hw_id, year)
        if key not in self._first_quarter:
            self._first_quarter[key] = quarters.first_working_quarter(self.hardware[hw_id], self.spec, year)
        return self._first_quarter[key]

    def pending(self, site: str, hw_id: str, year: int, quarter: int) -> bool:
        """True if units of `hw_id` bought at `site` for `year` have not arrived by the start of `quarter`."""
        if self.is_cloud(site):
            return False
        first = self.first_quarter(hw_id, year)
        return first is not None and quarter < first

    def quarter_classes(self, year: int) -> list[frozenset[int]]:
        """The quarters of `year` grouped by what happens in them: the serving workloads live, the training runs
        holding units (per hardware), the hardware whose purchases have not arrived and whether the quarter starts
        before the purchase decision (nothing can be rented then). Quarters of one class are alike for every
        capacity row, so one on-demand rental covers all of them (planner/sizing/variables.py)."""
        if year not in self._classes:
            bought = {h for s in self.sites if not self.is_cloud(s) for h in self.site_hardware[s]}
            decided = decision_date(self.spec)
            signature: dict[int, tuple] = {}
            for q in quarters.QUARTERS:
                live = frozenset(n.workload for n in self.serving if q in n.live.get(year, ()))
                runs = frozenset(  # a job rented by the hour in a cloud region holds no units there
                    (n.workload, h)
                    for n in self.training
                    for h, held in n.quarters.items()
                    if (year, q) in held and h in bought
                )
                late = frozenset(h for h in bought if (f := self.first_quarter(h, year)) is not None and q < f)
                signature[q] = (live, runs, late, quarters.quarter_start(year, q) < decided)
            groups: dict[tuple, set[int]] = {}
            for q, sig in signature.items():
                groups.setdefault(sig, set()).add(q)
            self._classes[year] = sorted((frozenset(g) for g in groups.values()), key=min)
        return self._classes[year]

    def on_demand_classes(self, site: str, hw_id: str, year: int) -> list[frozenset[int]]:
        """Quarter classes of `year` in which `hw_id` can be rented on demand at a cloud site, billed for those
        quarters only: none in a year whose quarters are all alike (a year of capacity is then the cheaper way),
        and only classes in which some serving workload it can serve is live. Where those classes cover the whole
        year, the largest is left to the year's rental (renting every class on demand costs what a year at the
        on-demand price does: a tie the plan should not show as several rentals). Quarters that start before the
        purchase decision are never rented; in a year that starts before it, the quarters after it can be rented
        on demand only (a year's rental would start on 1 January)."""
        classes = self.quarter_classes(year)
        if not self.is_cloud(site) or len(classes) < 2:
            return []
        decided = decision_date(self.spec)
        users = [n for n in self.serving if hw_id in n.usable_tokens_per_s_per_unit]
        used = [
            c
            for c in classes
            if any(c & n.live.get(year, frozenset()) for n in users) and quarters.quarter_start(year, min(c)) >= decided
        ]
        if sum(len(c) for c in used) == len(quarters.QUARTERS):
            largest = max(used, key=lambda c: (len(c), min(c)))
            used = [c for c in used if c != largest]
        return used

    def quarter_hours(self, year: int, quarters_: frozenset[int] | list[int]) -> float:
        return quarters.quarter_hours(year, quarters_)

    def on_demand_usd(self, site: str, hw_id: str, year: int, quarters_: frozenset[int] | list[int]) -> float:
        """One unit rented on demand for the given quarters of `year`: chips × hours of those quarters × the
        on-demand price (no one-year commitment)."""
        rate = self.rent_per_accelerator_hour(site, hw_id, on_demand=True)
        return rate * self.hardware[hw_id].chips_per_unit * self.quarter_hours(year, quarters_)

    def end_of_horizon(self) -> int:
        """The year whose 1 January ends the plan (when residual value is credited)."""
        return self.years[-1] + 1


def hardware_on_offer(spec: CountrySpec, catalog: Catalog) -> list[str]:
    """Every hardware id a plan can have: the shortlist (the whole catalog without one), what cloud regions rent
    and what is already installed."""
    shortlist = spec.hardware if spec.hardware is not None else sorted(catalog.hardware)
    offered = {h for site in spec.sites.values() for h in site.rent_usd_per_accelerator_hour}
    return sorted(set(shortlist) | offered | {e.hardware for site in spec.sites.values() for e in site.existing})


def build_problem_data(spec: CountrySpec, catalog: Catalog) -> ProblemData:
    """Compute demand, per-unit capacity and cost coefficients for every workload and hardware option."""
    hw_ids = spec.hardware if spec.hardware is not None else sorted(catalog.hardware)
    used = hardware_on_offer(spec, catalog)
    hardware = {h: catalog.hardware[h] for h in used}
    data = ProblemData(spec=spec, hardware=hardware, sites=list(spec.sites), years=spec.years)
    data.cost_lines = effective_cost_lines(spec, catalog)
    # a rent written in country.yaml's `costs` wins over the country catalog's
    own_colocation_rate = any(
        c
        and c.opex_usd_per_kw_month is not None
        and catalog.cost_lines.get(k)
        and catalog.cost_lines[k].kind == "colocation"
        for k, c in spec.costs.items()
    )
    for site in spec.sites.values():
        facts = catalog.countries.get(site.jurisdiction.lower())
        salary = next((o.staff_usd_per_fte_year for o in spec.costs.values() if o and o.staff_usd_per_fte_year), None)
        salary = salary or (facts.staff_usd_per_fte_year if facts else None)
        if salary:
            data.staff_usd[site.jurisdiction] = salary
        if facts and facts.colocation_usd_per_kw_month and not own_colocation_rate:
            data.colocation_usd_per_kw_month[site.jurisdiction] = facts.colocation_usd_per_kw_month
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
    for need in data.training:
        capex, opex = storage_usd(data, catalog.models, need)
        for y, usd in capex.items():
            data.storage_capex[y] = data.storage_capex.get(y, 0.0) + usd
        for y, usd in opex.items():
            data.storage_opex[y] = data.storage_opex.get(y, 0.0) + usd
    return data


PRICE_ONLY_FIELDS = frozenset(
    {"id", "name", "source", "sources", "price_usd_per_unit", "price_as_of", "lead_time_weeks"}
)
"""Hardware fields the performance model never reads (the id only appears in the text of its notes and factors):
options that differ only in these (the same server quoted by several vendors) get the same estimates."""
_PLACEHOLDER = "\x00hardware-id\x00"


def _perf_twin(hw: Hardware) -> Hardware:
    """The hardware as the performance model sees it: every field but the price-only ones, the id a placeholder
    no text can hold, so an estimate made once serves every quote of the same server (relabelled with its id)."""
    return hw.model_copy(update={"id": _PLACEHOLDER, "name": "", "price_usd_per_unit": 0.0, "lead_time_weeks": 0.0})


def _relabel(x, hw_id: str):
    """`x` (an estimate: dataclasses, dicts, tuples, strings) with the placeholder id replaced by `hw_id`."""
    if isinstance(x, str):
        return x.replace(_PLACEHOLDER, hw_id) if _PLACEHOLDER in x else x
    if isinstance(x, dict):
        return {_relabel(k, hw_id): _relabel(v, hw_id) for k, v in x.items()}
    if isinstance(x, list):
        return [_relabel(v, hw_id) for v in x]
    if isinstance(x, tuple):
        items = [_relabel(v, hw_id) for v in x]
        return type(x)(*items) if hasattr(x, "_fields") else tuple(items)
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        changes = {f.name: _relabel(getattr(x, f.name), hw_id) for f in dataclasses.fields(x) if f.init}
        return dataclasses.replace(x, **changes)
    return x


def _by_twin(hardware: dict[str, Hardware], estimate) -> dict:
    """hardware id -> estimate(hardware as the perf model sees it), relabelled; one perf call per distinct server."""
    twins: dict[str, tuple[Hardware, object]] = {}
    out = {}
    for hw_id, hw in hardware.items():
        key = hw.model_dump_json(exclude=set(PRICE_ONLY_FIELDS))
        if key not in twins:
            twin = _perf_twin(hw)
            twins[key] = (twin, estimate(twin))
        out[hw_id] = _relabel(twins[key][1], hw_id)
    return out


def _serving_need(spec, catalog, wid, workload: ServingWorkload, hardware, model) -> ServingNeed:
    shares = workload.languages or spec.languages
    premium, notes = language_premium(shares, model.tokenizer, catalog.languages)
    tokens_per_day = workload.users * workload.requests_per_user_per_day * workload.output_tokens_per_request * premium
    base = tokens_per_day / SECONDS_PER_DAY * workload.peak_factor
    peak = {y: base * (1.0 + workload.growth_per_year) ** quarters.years_of_growth(spec, wid, y) for y in spec.years}
    inp, out = workload.input_tokens_per_request * premium, workload.output_tokens_per_request * premium

    # long-tailed answers: running requests hold the output-weighted mean lengths (absent: the means)
    mix = length_mix_from_spread(inp, out, workload.output_tokens_cv) if workload.output_tokens_cv else None

    def estimate(hw: Hardware) -> ServingEstimate:
        return serving_estimate(
            model,
            hw,
            catalog.efficiency_profiles[hw.efficiency_profile],
            inp,
            out,
            tpot_ms=workload.tpot_ms,
            ttft_ms=workload.ttft_ms,
            precision=workload.precision,
            on_unsupported="substitute" if workload.allow_precision_substitution else "infeasible",
            length_mix=mix,
            **latency_scenario(workload),
        )

    estimates = {h: _in_country_terms(est) for h, est in _by_twin(hardware, estimate).items()}
    usable = {}
    for hw_id, est in estimates.items():
        if est.feasible and est.output_tokens_per_s_per_unit > 0:
            usable[hw_id] = est.output_tokens_per_s_per_unit * spec.planning.serving_utilisation
    live = {y: quarters.live_quarters(spec, wid, y) for y in spec.years}
    return ServingNeed(wid, premium, notes, peak, estimates, usable, {y: q for y, q in live.items() if q})


def not_offered(hardware: str, est: ServingEstimate) -> dict[str, Any]:
    """Why `hardware` cannot serve, as plan.json carries it (`not_offered`, a shortfall's `reasons`): the English
    reason and its code with figures, for a report in another language."""
    return {"hardware": hardware, "reason": est.reason, "code": est.reason_code, "values": dict(est.reason_values)}


def _in_country_terms(est: ServingEstimate) -> ServingEstimate:
    """The estimate's reason as a country.yaml author acts on it: the substitution the perf model can be asked for
    is the workload's `allow_precision_substitution`."""
    if not est.unsupported_precision:
        return est
    how = " (or set `allow_precision_substitution: true` on the workload to run at one of those and say so)"
    return dataclasses.replace(est, reason=est.reason.removesuffix(SUBSTITUTION_HINT) + how)


def _training_need(
    spec, catalog, wid, workload: PretrainingWorkload | FineTuningWorkload, hardware, model
) -> TrainingNeed:
    method = "pretraining" if isinstance(workload, PretrainingWorkload) else workload.method

    def estimate(hw: Hardware) -> TrainingEstimate:
        profile = catalog.efficiency_profiles[hw.efficiency_profile]
        return training_estimate(model, hw, profile, workload.tokens, method=method, days=workload.deadline_days)

    estimates = _by_twin(hardware, estimate)
    units = {}
    for hw_id, est in estimates.items():
        if math.isfinite(est.wall_days) and est.wall_days <= workload.deadline_days * (1 + 1e-9):
            units[hw_id] = est.units
    start = quarters.earliest_start(spec, wid)
    held = {h: quarters.run_quarters(start, estimates[h].wall_days) for h in units}
    return TrainingNeed(wid, start.year, estimates, units, start, held)


def effective_cost_lines(spec: CountrySpec, catalog: Catalog) -> list[CostLine]:
    """The catalog's cost lines with country.yaml's `costs` changes applied (false leaves a line out)."""
    out = []
    for line_id, line in catalog.cost_lines.items():
        change = spec.costs.get(line_id)
        if change is False:
            continue
        if change is not None:
            fields = change.model_dump(exclude_none=True, exclude={"staff_usd_per_fte_year"})
            line = line.model_copy(update=fields)
        out.append(line)
    return out


def storage_usd(data: ProblemData, models: dict, need: TrainingNeed) -> tuple[dict[int, float], dict[int, float]]:
    """Storage for a training job's corpus and checkpoints: (capex by year: bought in the job's year; opex by
    year: operated from then to the end of the horizon)."""
    workload = data.spec.workloads[need.workload]
    model = models[workload.model]
    capex: dict[int, float] = {}
    opex: dict[int, float] = {}
    for line in data.cost_lines:
        if line.kind != "storage":
            continue
        pb = workload.tokens / 1e12 * line.pb_per_trillion_tokens + model.params_total_b * line.pb_per_billion_params
        capex[need.year] = capex.get(need.year, 0.0) + pb * line.capex_usd_per_pb
        for y in data.years:
            if y >= need.year:
                opex[y] = opex.get(y, 0.0) + pb * line.opex_usd_per_pb_year
    return capex, opex


def latency_scenario(workload: ServingWorkload) -> dict[str, object]:
    """The perf model's scenario for a workload's latency targets: means at full load (offline), or a percentile
    of requests under Poisson arrivals (server)."""
    if workload.latency_target == "mean" or (workload.tpot_ms is None and workload.ttft_ms is None):
        return {"scenario": "offline"}
    return {"scenario": "server", "percentile": float(workload.latency_target[1:])}
