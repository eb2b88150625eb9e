"""An independent feasibility checker for plan.json, written from the README's and the schema's definitions.

It does NOT import `planner.sizing` (nor the pipeline): every rule is re-derived here from the country spec
(read through `planner.schema`), the catalog (`planner.catalog`) and the pure performance functions
(`planner.perf`), which are used only to recompute per-unit serving rates, the language premium and training
time. Feasibility of a per-site split (resilience, "does any split exist") is a small LP of its own, solved with
PuLP's HiGHS binding (a generic LP library; the formulation here is not the planner's).

The README's "Time and money" section is followed line by line: costs are recomputed per TCO line (hardware at
the year's price, fabric, fit-out, energy, maintenance, licences, staff, colocation, rent for a year / a
three-year reservation / a training job's hours, storage) and compared with each allocation, `costs_by_year`
(totals and lines) and `totals` (capex, peak opex, TCO, NPV with the straight-line residual value credited at
the end of the horizon); purchases must arrive from plan.json's `planning.decision_date` (lead time,
`available_from`, `end_of_sale`, `order_by`, `in_service_from`); capacity is checked per quarter (units work from
the quarter after they arrive, services need capacity from their `go_live`, training jobs hold their units only in
the quarters their run touches, resilience per quarter); units serve their class's life; reserve_3y units are in service
three years, rent_hours entries carry their job and accelerator-hours and use none of the region's year; sites
hold their phase's power and racks, dense servers take whole-rack shares, liquid-cooled hardware needs liquid
cooling; export quantity caps and single-market SKUs hold; `sites` in plan.json shows what the limits count.

`check_plan(spec, catalog, plan) -> list[Violation]`; an empty list means every check passed. Each check's
comment quotes the README (R) or schema (S) sentence it implements. Where the text is silent, the choice made
is written next to the check ("ASSUMPTION").
"""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulp
import yaml

from planner.catalog import Catalog
from planner.perf import language_premium, serving_estimate, training_estimate
from planner.schema.country import (
    CountrySpec,
    FineTuningWorkload,
    PretrainingWorkload,
    ServingWorkload,
    Site,
)

HOURS_PER_YEAR = 8760.0
SECONDS_PER_DAY = 86400.0
REL = 1e-6  # relative tolerance on every comparison (the solver's values are floats)


@dataclass(frozen=True)
class Violation:
    """One broken rule: which check, where (ids), and a sentence with the numbers."""

    check: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.where}: {self.message}"


def _leq(a: float, b: float, rel: float = REL) -> bool:
    return a <= b + rel * max(1.0, abs(b))


def _close(a: float, b: float, rel: float = REL) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def load_spec_doc(spec: dict | str | Path | CountrySpec) -> CountrySpec:
    """A CountrySpec from a dict, a YAML file or a spec (the schema is the only planner code used to read it)."""
    if isinstance(spec, CountrySpec):
        return spec
    if isinstance(spec, str | Path):
        spec = yaml.safe_load(Path(spec).read_text(encoding="utf-8"))
    return CountrySpec.model_validate(spec)


class Facts:
    """Everything the checks recompute from the spec and the catalog (no planner.sizing)."""

    def __init__(self, spec: CountrySpec, catalog: Catalog, decision: dt.date | None = None) -> None:
        self.spec = spec
        self.catalog = catalog
        self.years = [spec.planning.start_year + i for i in range(spec.planning.years)]
        self.sites: dict[str, Site] = {sid: self._with_defaults(s) for sid, s in spec.sites.items()}
        self.options = spec.hardware if spec.hardware is not None else sorted(catalog.hardware)
        self.decision = decision or expected_decision_date(spec)
        self.lines = self._cost_lines()

    def _with_defaults(self, site: Site) -> Site:
        # R: "A site's `pue` (by its `facility`...) and `electricity_usd_per_kwh` ... may be left out: the country
        # facts of the catalog fill them" (the site's jurisdiction's country entry).
        if site.is_cloud or (site.pue is not None and site.electricity_usd_per_kwh is not None):
            return site
        facts = self.catalog.countries[site.jurisdiction.lower()]
        update = {}
        if site.pue is None:
            update["pue"] = facts.pue[site.facility]
        if site.electricity_usd_per_kwh is None:
            update["electricity_usd_per_kwh"] = facts.electricity_usd_per_kwh
        return site.model_copy(update=update)

    # --- hardware at sites -------------------------------------------------------------------------------
    def offered(self, sid: str) -> set[str]:
        """S: cloud sites offer `rent_usd_per_accelerator_hour` (hardware offered); bought sites the `hardware`
        options (every catalog entry if absent) and their brownfield hardware."""
        site = self.sites[sid]
        if site.is_cloud:
            return set(site.rent_usd_per_accelerator_hour)
        return set(self.options) | {e.hardware for e in site.existing}

    def life(self, h: str) -> int:
        """R: "A unit serves `life_years` of its hardware class (or `planning.hardware_life_years` where
        country.yaml sets it)". S: "5 where the catalog has none"."""
        planning = self.spec.planning
        if "hardware_life_years" in planning.model_fields_set:
            return planning.hardware_life_years
        return self.catalog.hardware[h].life_years or 5

    def in_service(self, bought: int, year: int, h: str) -> bool:
        """S: hardware bought in start_year "is in service this year"; a unit serves its class's life; brownfield
        "retire after the hardware life"."""
        return bought <= year < bought + self.life(h)

    def price(self, h: str, year: int) -> float:
        """R: "A unit bought in year y costs the catalog price x (1 - `price_decline_per_year`)^(y - year quoted)".
        ASSUMPTION: no rise before the year quoted (exponent at least 0)."""
        hw = self.catalog.hardware[h]
        quoted = int(str(hw.price_as_of)[:4])
        return hw.price_usd_per_unit * (1.0 - (hw.price_decline_per_year or 0.0)) ** max(0, year - quoted)

    # --- the TCO lines -------------------------------------------------------------------------------------
    def _cost_lines(self) -> list:
        """R: "`costs:` in country.yaml changes a line's figures or leaves it out (`line_id: false`)"."""
        out = []
        for line_id, line in self.catalog.cost_lines.items():
            change = self.spec.costs.get(line_id)
            if change is False:
                continue
            if change is not None:
                fields = {k: v for k, v in change.model_dump().items() if v is not None}
                fields.pop("staff_usd_per_fte_year", None)
                line = line.model_copy(update=fields)
            out.append(line)
        return out

    def salary(self, jurisdiction: str) -> float:
        """R: staff "at the country's salary level" (S: country `staff_usd_per_fte_year`; a staff line's
        `staff_usd_per_fte_year` in `costs:` "instead of the country catalog's"). ASSUMPTION: a salary set on any
        line applies to every staff line; no country facts and no salary set: staff cost nothing."""
        for change in self.spec.costs.values():
            if change and change.staff_usd_per_fte_year:
                return change.staff_usd_per_fte_year
        facts = self.catalog.countries.get(jurisdiction.lower())
        return (facts.staff_usd_per_fte_year or 0.0) if facts else 0.0

    def capex_lines(self, sid: str, h: str, year: int) -> dict[str, float]:
        """One unit bought at a site in `year`: hardware at the year's price, scale-out fabric per accelerator
        "by the hardware's `fabric`", facility fit-out "per kW of IT power at own data centres"."""
        site, hw = self.sites[sid], self.catalog.hardware[h]
        out = {"hardware": self.price(h, year), "fabric": 0.0, "fitout": 0.0}
        for line in self.lines:
            if line.kind == "fabric" and line.applies_to in ("*", hw.fabric):
                out["fabric"] += line.capex_usd_per_accelerator * hw.chips_per_unit
            elif line.kind == "fitout" and line.applies_to in ("*", site.kind):
                out["fitout"] += line.capex_usd_per_kw * hw.power_kw_per_unit
        return out

    def opex_lines(self, sid: str, h: str, bought: int | None = None) -> dict[str, float]:
        """One unit in service for a year at a bought site. R: energy "(average load x PUE x electricity price)"
        (S: `average_power_fraction`); maintenance (S: "Support and maintenance per year as a fraction of the
        purchase price": of the price paid in the year `bought`, `price`; the catalog price as quoted where no year
        is given); licences per accelerator-year by software stack
        (+ the hardware's own `licence_usd_per_unit_year`); staff per MW and per 100 units at the country's
        salary; colocation rent per kW-month at colocation sites (S: the line's rate "where the country catalog
        has none"). A cloud year: "the cheaper of on-demand and a one-year reservation x 8,760 h"."""
        site, hw = self.sites[sid], self.catalog.hardware[h]
        if site.is_cloud:
            return {"rent": self.rent_year(sid, h)}
        energy = hw.power_kw_per_unit * site.pue * HOURS_PER_YEAR * self.spec.planning.average_power_fraction
        out = {
            "energy": energy * site.electricity_usd_per_kwh,
            "maintenance": hw.maintenance_fraction_per_year
            * (self.price(h, bought) if bought is not None else hw.price_usd_per_unit),
            "licences": hw.licence_usd_per_unit_year,
            "staff": 0.0,
            "colocation": 0.0,
        }
        facts = self.catalog.countries.get(site.jurisdiction.lower())
        for line in self.lines:
            if line.kind == "licence" and line.applies_to in ("*", hw.software_stack):
                out["licences"] += line.opex_usd_per_accelerator_year * hw.chips_per_unit
            elif line.kind == "staff" and line.applies_to in ("*", site.kind):
                fte = line.fte_per_mw * hw.power_kw_per_unit / 1000.0 + line.fte_per_100_units / 100.0
                out["staff"] += fte * self.salary(site.jurisdiction)
            elif line.kind == "colocation" and site.kind == "colocation" and line.applies_to in ("*", "colocation"):
                own = getattr(self.spec.costs.get(line.id), "opex_usd_per_kw_month", None)  # country.yaml wins
                rate = own or (facts.colocation_usd_per_kw_month if facts else None) or line.opex_usd_per_kw_month
                out["colocation"] += rate * 12.0 * hw.power_kw_per_unit
        return out

    def unit_opex(self, sid: str, h: str, bought: int | None = None) -> float:
        return sum(self.opex_lines(sid, h, bought).values())

    def rent_year(self, sid: str, h: str) -> float:
        site, hw = self.sites[sid], self.catalog.hardware[h]
        rate = site.rent_usd_per_accelerator_hour[h]
        rate = min(rate, site.rent_1y_usd_per_accelerator_hour.get(h, rate))
        return rate * hw.chips_per_unit * HOURS_PER_YEAR

    def rent3_year(self, sid: str, h: str) -> float | None:
        """R: "a three-year reservation (`rent_3y_usd_per_accelerator_hour`) commits three years"."""
        site, hw = self.sites[sid], self.catalog.hardware[h]
        rate = site.rent_3y_usd_per_accelerator_hour.get(h)
        return None if rate is None else rate * hw.chips_per_unit * HOURS_PER_YEAR

    def residual_fraction(self, h: str, bought: int) -> float:
        """R: "Hardware and fabric still in life at the end of the horizon keep their straight-line value (price x
        remaining life / life)"; `planning.residual_value: none` turns it off."""
        if self.spec.planning.residual_value == "none":
            return 0.0
        remaining = bought + self.life(h) - (self.years[-1] + 1)
        return max(0.0, remaining / self.life(h))

    def storage(self) -> tuple[dict[int, float], dict[int, float]]:
        """R: "storage per PB for each training job's corpus and checkpoints". ASSUMPTION (the catalog line's
        fields): PB = tokens/1e12 x pb_per_trillion_tokens + params (B) x pb_per_billion_params, bought in the
        job's year and operated from then to the end of the horizon."""
        capex = {y: 0.0 for y in self.years}
        opex = {y: 0.0 for y in self.years}
        for wid in self.training():
            w = self.spec.workloads[wid]
            year = w.year or self.years[0]
            for line in self.lines:
                if line.kind != "storage":
                    continue
                pb = w.tokens / 1e12 * line.pb_per_trillion_tokens
                pb += self.catalog.models[w.model].params_total_b * line.pb_per_billion_params
                if year in capex:
                    capex[year] += pb * line.capex_usd_per_pb
                for y in self.years:
                    if y >= year:
                        opex[y] += pb * line.opex_usd_per_pb_year
        return capex, opex

    # --- facilities ----------------------------------------------------------------------------------------
    def cooling(self, sid: str) -> str:
        """R: "Liquid-cooled hardware goes only to sites with liquid cooling (`cooling`, default from `facility`)";
        S: "new_liquid: both, otherwise air"."""
        site = self.spec.sites[sid]
        if site.cooling is not None:
            return site.cooling
        return "both" if site.facility == "new_liquid" else "air"

    def phase(self, base, by_year: dict, year: int):
        """R: "`power_kw_by_year` and `racks_by_year` add a site's later phases" (S: "replacing ... from then")."""
        started = [y for y in by_year if y <= year]
        return by_year[max(started)] if started else base

    def units_per_rack(self, sid: str, h: str) -> int | None:
        """ASSUMPTION (R: "`max_kw_per_rack` makes dense servers take more rack space"): racks hold whole servers,
        as many as both the rack's space and its power allow; None without a power per rack (or for rack-scale
        systems, judged whole: see `rack_density`)."""
        site, hw = self.sites[sid], self.catalog.hardware[h]
        if site.max_kw_per_rack is None or hw.kind == "rack_system":
            return None
        by_power = math.floor(site.max_kw_per_rack / hw.power_kw_per_unit + 1e-9)
        return min(by_power, math.floor(site.rack_units_per_rack / hw.rack_units + 1e-9))

    def rack_units_taken(self, sid: str, h: str) -> float:
        """Rack units a unit takes: its own, or its share of a rack when the rack's power holds fewer units than
        its space (a 10.2 kW 8U server in 20 kW racks of 42U: one per rack, 42U each)."""
        hw = self.catalog.hardware[h]
        per_rack = self.units_per_rack(sid, h)
        if not per_rack:
            return hw.rack_units
        return max(hw.rack_units, self.sites[sid].rack_units_per_rack / per_rack)

    # --- time ------------------------------------------------------------------------------------------------
    def delivered(self, h: str, year: int) -> dt.date | None:
        """S (Allocation.order_by): units are ordered by the day that makes them work on 1 January, or, if that day
        is before the decision (or an announced product's first orders), on the first day they can be ordered;
        delivered `lead_time_weeks` later. None: ordered after the end of sale."""
        hw = self.catalog.hardware[h]
        lead = dt.timedelta(weeks=hw.lead_time_weeks)
        first = self.decision if hw.available_from is None else max(self.decision, hw.available_from - lead)
        latest = dt.date(year, 1, 1) - lead
        if hw.end_of_sale is not None:
            latest = min(latest, hw.end_of_sale)
        ordered = latest if first <= latest else first
        if hw.end_of_sale is not None and ordered > hw.end_of_sale:
            return None
        return ordered + lead

    def working_quarter(self, h: str, year: int) -> int | None:
        """S (Allocation.in_service_from): bought units count as capacity from "the start of the quarter they
        arrive in" (1 January when they arrive by then). ASSUMPTION: a quarter they arrive in after its first day
        does not count (they work from the next); None if they do not work by the start of Q4 of their year."""
        arrived = self.delivered(h, year)
        if arrived is None:
            return None
        return next((q for q in (1, 2, 3, 4) if arrived <= dt.date(year, 3 * q - 2, 1)), None)

    def first_year_share(self, h: str, year: int) -> float:
        """Quarters of its first year a unit bought for `year` works (from its working quarter on), over four."""
        first = self.working_quarter(h, year)
        return 0.0 if first is None else (5 - first) / 4

    def go_live(self, wid: str) -> tuple[int, int]:
        """S (go_live): "No capacity is needed before the quarter it falls in"; "the start of the plan if absent".
        The (year, quarter) it falls in."""
        day = getattr(self.spec.workloads[wid], "go_live", None) or dt.date(self.years[0], 1, 1)
        return day.year, (day.month - 1) // 3 + 1

    def live(self, wid: str, year: int, quarter: int) -> bool:
        return (year, quarter) >= self.go_live(wid)

    def job_start(self, wid: str) -> dt.date:
        """S: earliest_start "Day the run may start ..., instead of `year` and `start_week`"; else week
        `start_week` of `year` (the plan's first year if absent). ASSUMPTION: the run starts on that day."""
        w = self.spec.workloads[wid]
        if getattr(w, "earliest_start", None) is not None:
            return w.earliest_start
        return dt.date(w.year or self.years[0], 1, 1) + dt.timedelta(weeks=w.start_week)

    def job_quarters(self, wid: str, wall_days: float) -> set[tuple[int, int]]:
        """S: "The run holds its units only in the quarters it runs": every quarter [start, start + wall days)
        touches (ASSUMPTION: a quarter touched for a moment is held whole)."""
        start = self.job_start(wid)
        end = dt.datetime.combine(start, dt.time()) + dt.timedelta(days=wall_days)
        last = end - dt.timedelta(microseconds=1)
        out = set()
        y, q = start.year, (start.month - 1) // 3 + 1
        while (y, q) <= (last.year, (last.month - 1) // 3 + 1):
            out.add((y, q))
            y, q = (y, q + 1) if q < 4 else (y + 1, 1)
        return out

    # --- residency ---------------------------------------------------------------------------------------
    def allowed(self, wid: str, sid: str) -> bool:
        """R: "`data_locality`: data classes mapped to allowed jurisdictions and site kinds; workloads carry a
        `data_class`". S: "an absent list does not restrict"; a workload without a data class runs anywhere."""
        data_class = self.spec.workloads[wid].data_class
        rule = self.spec.data_locality.get(data_class) if data_class else None
        if rule is None:
            return True
        site = self.sites[sid]
        if rule.jurisdictions is not None and site.jurisdiction not in rule.jurisdictions:
            return False
        return rule.site_kinds is None or site.kind in rule.site_kinds

    # --- export rules ------------------------------------------------------------------------------------
    def export_rule(self, h: str, jurisdiction: str, year: int):
        """R: "Hardware availability follows the dated export rules in the catalog for each site's jurisdiction
        and year". S (ExportRule): destinations are codes, or "*" "for every destination not named by a more
        specific rule"; from/until are inclusive. ASSUMPTION: a year is judged at 1 July; among several rules in
        force for the same destination, the most recently started one applies; no rule = allowed."""
        when = dt.date(year, 7, 1)
        rules = [
            r
            for r in self.catalog.hardware[h].export_rules
            if (r.from_date is None or r.from_date <= when) and (r.until_date is None or when <= r.until_date)
        ]
        named = [r for r in rules if jurisdiction in r.destinations]
        pool = named or [r for r in rules if "*" in r.destinations]
        return max(pool, key=lambda r: r.from_date or dt.date.min) if pool else None

    def export_status(self, h: str, jurisdiction: str, year: int) -> str:
        """The rule's status; R: "SKUs with `markets` are offered only there" (elsewhere: prohibited)."""
        markets = self.catalog.hardware[h].markets
        if markets is not None and jurisdiction not in markets:
            return "prohibited"
        rule = self.export_rule(h, jurisdiction, year)
        return rule.status if rule else "allowed"

    def quantity_cap(self, h: str, jurisdiction: str, year: int) -> tuple[str, int] | None:
        """R: "A rule's `max_accelerators` caps the accelerators of that hardware in service in the destination";
        "rules naming the same `quota` share one cap": (the quota's name, or the hardware's own, and the cap)."""
        rule = self.export_rule(h, jurisdiction, year)
        if rule is None or rule.max_accelerators is None:
            return None
        return (rule.quota or h), rule.max_accelerators  # the catalog keeps quota names apart from hardware ids

    def export_ok(self, status: str) -> bool:
        """S: `allow_licence_required`: "Accept hardware that needs an export licence"; `allow_legal_risk`:
        "Accept hardware whose use there carries legal risk"; prohibited is never accepted."""
        policy = self.spec.policy
        return {
            "allowed": True,
            "licence_required": policy.allow_licence_required,
            "legal_risk": policy.allow_legal_risk,
            "prohibited": False,
        }[status]

    # --- demand and per-unit rates -------------------------------------------------------------------------
    def serving_premium(self, w: ServingWorkload) -> float:
        """R: "Serving token counts are English-equivalent: the planner multiplies them by the tokenization
        premium of each language for the model's tokenizer". S: the workload's `languages`, else the country's."""
        shares = w.languages or self.spec.languages
        premium, _ = language_premium(shares, self.catalog.models[w.model].tokenizer, self.catalog.languages)
        return premium

    def demand(self, wid: str, year: int) -> float:
        """Busy-hour output tokens/s: users x requests/user/day x output tokens x premium / 86400 x `peak_factor`
        ("Busy-hour demand over the daily average"), grown by (1 + `growth_per_year`) per year after the first year
        it is open (S: `users` are those of the year the service opens)."""
        w = self.spec.workloads[wid]
        opens = self.go_live(wid)[0]
        if year < opens:
            return 0.0  # S (go_live): "No capacity is needed before the quarter it falls in"
        per_day = w.users * w.requests_per_user_per_day * w.output_tokens_per_request * self.serving_premium(w)
        return per_day / SECONDS_PER_DAY * w.peak_factor * (1.0 + w.growth_per_year) ** (year - opens)

    def rate(self, wid: str, h: str) -> float:
        """Usable output tokens/s of one unit of `h` for a serving workload: the perf model's estimate at the
        workload's TPOT/TTFT targets and precision, on premium-scaled request lengths, x `serving_utilisation`
        (S: "Target busy-hour utilisation of serving capacity"). 0 when the model cannot be served at the targets."""
        key = (wid, h)
        cache = self.__dict__.setdefault("_rates", {})
        if key not in cache:
            w = self.spec.workloads[wid]
            hw = self.catalog.hardware[h]
            premium = self.serving_premium(w)
            est = serving_estimate(
                self.catalog.models[w.model],
                hw,
                self.catalog.efficiency_profiles[hw.efficiency_profile],
                w.input_tokens_per_request * premium,
                w.output_tokens_per_request * premium,
                tpot_ms=w.tpot_ms,
                ttft_ms=w.ttft_ms,
                precision=w.precision,
                **_latency_scenario(w),
            )
            ok = est.feasible and est.output_tokens_per_s_per_unit > 0
            cache[key] = est.output_tokens_per_s_per_unit * self.spec.planning.serving_utilisation if ok else 0.0
        return cache[key]

    def serving(self) -> list[str]:
        return [wid for wid, w in self.spec.workloads.items() if isinstance(w, ServingWorkload)]

    def training(self) -> list[str]:
        return [wid for wid, w in self.spec.workloads.items() if not isinstance(w, ServingWorkload)]


def _latency_scenario(w: ServingWorkload) -> dict:
    """S: `latency_target`: "Whether `ttft_ms` and `tpot_ms` are means (at full load) or a percentile of requests
    arriving at random (Poisson) at the busy hour" -> the perf model's offline or server scenario. ASSUMPTION:
    without any latency target there is nothing to take a percentile of (offline)."""
    target = getattr(w, "latency_target", "mean")
    if target == "mean" or (w.tpot_ms is None and w.ttft_ms is None):
        return {"scenario": "offline"}
    return {"scenario": "server", "percentile": float(target[1:])}


def expected_decision_date(spec: CountrySpec) -> dt.date:
    """R: "Orders can be placed from `planning.decision_date` (default: today; `PLANNER_TODAY=YYYY-MM-DD` pins
    "today")" and "a decision date in the past places no order before today"; S: `decision_weeks_before_start`
    "used only if given and `decision_date` is not"."""
    planning = spec.planning
    pinned = os.environ.get("PLANNER_TODAY", "").strip()
    today = dt.date.fromisoformat(pinned) if pinned else dt.date.today()
    if planning.decision_date is not None:
        return max(planning.decision_date, today)
    if planning.decision_weeks_before_start is not None:
        return max(dt.date(planning.start_year, 1, 1) - dt.timedelta(weeks=planning.decision_weeks_before_start), today)
    return today


def check_plan(
    spec: dict | str | Path | CountrySpec,
    catalog: Catalog,
    plan: dict[str, Any],
    *,
    vendor_basis: str | None = None,
    failover_keeps_training: bool = False,
) -> list[Violation]:
    """Every violation of the README's rules by a plan with status optimal or feasible (none for infeasible).

    `vendor_basis`: "acquired" (accelerators, or money, acquired over the horizon; S: vendor_max_share "No
    vendor above this share of the accelerators (or capex) bought over the horizon") or "fleet" (the fleet in
    service each year, brownfield and rented included, as the code does). Default: what the schema text says.
    `failover_keeps_training`: ASSUMPTION (the README is silent): by default a lost site's serving may take over
    units that train elsewhere (a training run is a one-off; the peak is served first).
    """
    spec_doc = load_spec_doc(spec)
    out: list[Violation] = []
    if plan.get("status") not in ("optimal", "feasible"):
        return out
    # R: "plan.json's `planning.decision_date` holds the date used" (Time and money: default today, pinned by
    # PLANNER_TODAY; `decision_weeks_before_start` only if given)
    shown = (plan.get("planning") or {}).get("decision_date")
    expected_date = expected_decision_date(spec_doc)
    if shown is None:
        out.append(Violation("plan_json", "planning.decision_date", "missing from plan.json"))
        decision = expected_date
    else:
        decision = dt.date.fromisoformat(shown)
        if decision != expected_date:
            out.append(Violation("decision_date", "planning", f"plan says {decision}, expected {expected_date}"))
    facts = Facts(spec_doc, catalog, decision)
    # R (plan.json): "totals (capex_usd, opex_usd_per_year, tco_usd, npv_usd ...), allocations ..., workloads ...,
    # costs_by_year and installed". A renamed or missing section would silently skip checks: report it.
    for key in ("allocations", "workloads", "totals", "installed", "costs_by_year"):
        if key not in plan:
            out.append(Violation("plan_json", key, "section missing from plan.json"))
    for key in ("capex_usd", "opex_usd_per_year", "tco_usd", "npv_usd", "residual_value_usd"):
        if key not in plan.get("totals", {}):
            out.append(Violation("plan_json", f"totals.{key}", "missing from plan.json"))
    if vendor_basis is None:
        text = type(facts.spec.policy).model_fields["vendor_max_share"].description or ""
        vendor_basis = "fleet" if "in service" in text else "acquired"
    acq, alloc_viol = _allocations(facts, plan)
    out += alloc_viol
    installed = _installed(facts, acq)
    out += _installed_consistency(facts, plan, installed)
    out += _site_limits(facts, acq, installed)
    out += _site_report(facts, plan, installed)
    out += _export_quantities(facts, installed)
    out += _budgets_and_totals(facts, plan, acq, installed)
    rented = {**acq.rented}
    for k, n in acq.reserved.items():
        rented[k] = rented.get(k, 0) + n
    for (s, h, y, _), n in acq.on_demand.items():
        rented[s, h, y] = rented.get((s, h, y), 0) + n
    out += _vendor_rules(facts, acq.bought, rented, installed, vendor_basis, list(acq.hourly.values()))
    training_units, train_viol = _training(facts, plan, acq, installed)
    out += train_viol
    quarterly = working(facts, acq, installed)
    out += _serving(facts, plan, quarterly, training_units)
    out += _resilience(facts, quarterly, training_units, failover_keeps_training)
    return out


# ------------------------------------------------------------------------------------------------------------
Key = tuple[str, str, int]
QKey = tuple[str, str, int, int]
"""(site, hardware, year, quarter)."""


def working(facts: Facts, acq: Acquired, installed: dict[Key, float]) -> dict[QKey, float]:
    """Units working per quarter: those in service that year, less that year's purchases in the quarters before
    the one they work from (S, Allocation.in_service_from)."""
    out: dict[QKey, float] = {}
    for (s, h, y), n in installed.items():
        bought = acq.bought.get((s, h, y), 0)
        first = facts.working_quarter(h, y) if bought else 1
        for q in (1, 2, 3, 4):
            away = sum(m for (s2, h2, y2, qs), m in acq.on_demand.items() if (s2, h2, y2) == (s, h, y) and q not in qs)
            out[s, h, y, q] = n - (bought if first is None or q < first else 0) - away
    return out


def quarter_hours(year: int, quarter: int) -> float:
    """Hours in a quarter of a year: its days x 24."""
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return (end - start).days * 24.0


@dataclass
class Acquired:
    """plan.json's allocations by kind: bought (site, hardware, year), rented for a year, three-year reservations
    by first year, and training jobs rented by the hour (workload -> allocation entry)."""

    bought: dict[Key, int]
    rented: dict[Key, int]
    reserved: dict[Key, int]
    hourly: dict[str, dict]
    on_demand: dict[tuple[str, str, int, tuple[int, ...]], int]
    """(site, hardware, year, quarters) -> units rented on demand for those quarters of the year only."""


def _add_to(table: dict, key, n) -> None:
    table[key] = table.get(key, 0) + n


def _allocations(facts: Facts, plan: dict) -> tuple[Acquired, list[Violation]]:  # noqa: C901
    """Units acquired per kind from `allocations`, and what is wrong with each entry (its own figures included)."""
    out: list[Violation] = []
    acq = Acquired({}, {}, {}, {}, {})
    policy = facts.spec.policy
    for a in plan.get("allocations", []):
        s, h, y, n = a["site"], a["hardware"], a["year"], a["units"]
        how = a.get("acquisition")
        where = f"{s}/{h}/{y}/{how}"
        if s not in facts.sites or y not in facts.years:
            out.append(Violation("allocation", where, "unknown site or year outside the horizon"))
            continue
        if h not in facts.offered(s):
            out.append(Violation("allocation", where, f"{h} is not an option at {s}"))
            continue
        if n != int(n) or n <= 0:
            # S: "units of each hardware" are whole units (a unit of purchase: a server or a rack system)
            out.append(Violation("allocation", where, f"units {n} is not a positive whole number"))
        site, hw = facts.sites[s], catalog_hw(facts, h)
        # R: "own data centres or colocation (hardware is bought ...) or cloud regions (... rented ...)"; a cloud
        # year (rent), a three-year reservation (reserve_3y) or a training job by the hour (rent_hours)
        kinds = ("rent", "reserve_3y", "rent_hours") if site.is_cloud else ("buy",)
        if how not in kinds:
            out.append(Violation("allocation", where, f"acquisition {how} at a {site.kind} site"))
            continue
        if a["accelerators"] != n * hw.chips_per_unit:
            out.append(Violation("totals", where, f"accelerators {a['accelerators']} != {n} x {hw.chips_per_unit}"))
        capex = n * sum(facts.capex_lines(s, h, y).values()) if how == "buy" else 0.0
        if how == "buy":
            opex = n * facts.unit_opex(s, h, y)
            _add_to(acq.bought, (s, h, y), n)
            first_year = a.get("first_year_opex_usd")
            if first_year is not None and not _close(first_year, opex * facts.first_year_share(h, y)):
                out.append(Violation("totals", where, f"first_year_opex_usd {first_year:.2f} is not prorated"))
            if a.get("unit_price_usd") is not None and not _close(a["unit_price_usd"], facts.price(h, y)):
                out.append(
                    Violation(
                        "price_by_year", where, f"unit price {a['unit_price_usd']:,.2f} != {facts.price(h, y):,.2f}"
                    )
                )
        elif how == "rent" and a.get("quarters") is not None:
            # R: rent "billed for the quarters or hours used": on demand, accelerators x the hours of those
            # quarters (their days x 24) x the on-demand price, no one-year commitment
            quarters = tuple(a["quarters"])
            if not quarters or sorted(set(quarters)) != list(quarters) or not set(quarters) <= {1, 2, 3, 4}:
                out.append(Violation("allocation", where, f"quarters {quarters} are not quarters of a year"))
                continue
            rate = site.rent_usd_per_accelerator_hour[h]
            opex = n * hw.chips_per_unit * rate * sum(quarter_hours(y, q) for q in quarters)
            _add_to(acq.on_demand, (s, h, y, quarters), n)
        elif how == "rent":
            opex = n * facts.rent_year(s, h)
            _add_to(acq.rented, (s, h, y), n)
        elif how == "reserve_3y":
            per_year = facts.rent3_year(s, h)
            if per_year is None:
                out.append(Violation("allocation", where, f"no rent_3y price for {h} at {s}"))
                continue
            # R: "commits three years"; ASSUMPTION: a reservation ends within the horizon (its three years are
            # all paid inside it)
            if y + 2 > facts.years[-1]:
                out.append(Violation("allocation", where, "three-year reservation runs past the horizon"))
            opex = n * per_year
            _add_to(acq.reserved, (s, h, y), n)
        else:  # rent_hours: a training job's accelerator-hours at the on-demand price
            wid = a.get("workload")
            if wid not in facts.training():
                out.append(Violation("allocation", where, f"rent_hours for `{wid}`, not a training job"))
                continue
            if wid in acq.hourly:
                out.append(Violation("allocation", where, f"second rent_hours entry for `{wid}`"))
            acq.hourly[wid] = a
            opex = (a.get("accelerator_hours") or 0.0) * site.rent_usd_per_accelerator_hour[h]
        if not _close(a["capex_usd"], capex):
            out.append(Violation("totals", where, f"capex_usd {a['capex_usd']:.2f} != {capex:.2f} recomputed"))
        if "opex_usd_per_year" in a and not _close(a["opex_usd_per_year"], opex):
            out.append(Violation("totals", where, f"opex_usd_per_year {a['opex_usd_per_year']:.2f} != {opex:.2f}"))
        # R: "Hardware availability follows the dated export rules in the catalog for each site's jurisdiction
        # and year" (+ allow_licence_required / allow_legal_risk); "SKUs with `markets` are offered only there"
        status = facts.export_status(h, site.jurisdiction, y)
        if not facts.export_ok(status):
            out.append(Violation("export", where, f"{n} units acquired with export status {status}"))
        if how == "buy":
            out += _time_rules(facts, a, where, h, y)
            # R: "Liquid-cooled hardware goes only to sites with liquid cooling"
            if hw.cooling == "liquid" and facts.cooling(s) not in ("liquid", "both"):
                out.append(Violation("cooling", where, f"liquid-cooled {h} at a site cooled by {facts.cooling(s)}"))
            # R: `max_kw_per_rack` "keeps rack-scale systems out where a rack cannot draw their power"
            racks = max(hw.rack_units / site.rack_units_per_rack, 1.0)
            dense = site.max_kw_per_rack is not None and hw.power_kw_per_unit / racks > site.max_kw_per_rack * (1 + REL)
            if hw.kind == "rack_system" and dense:
                out.append(Violation("rack_density", where, f"{hw.power_kw_per_unit / racks:g} kW per rack"))
            elif facts.units_per_rack(s, h) == 0:
                # S (max_kw_per_rack): "hardware denser than this takes more racks (a unit over it cannot be
                # placed at all)": a server drawing more than one rack may is not placed either
                out.append(
                    Violation(
                        "rack_density_unit",
                        where,
                        f"one unit draws {hw.power_kw_per_unit:g} kW, above {site.max_kw_per_rack:g} kW per rack",
                    )
                )
        # S: acquisition "rent_only: nothing is bought (cloud regions only); buy_only: nothing is rented"
        if policy.acquisition == "rent_only" and not site.is_cloud:
            out.append(Violation("acquisition_policy", where, "bought under rent_only"))
        if policy.acquisition == "buy_only" and site.is_cloud:
            out.append(Violation("acquisition_policy", where, "rented under buy_only"))
        # S: allowed_vendors "Only these vendors (e.g. [huawei]); every vendor if absent"
        if policy.allowed_vendors is not None and hw.vendor not in policy.allowed_vendors:
            out.append(Violation("vendor_allowed", where, f"vendor {hw.vendor} not in {policy.allowed_vendors}"))
    return acq, out


def _time_rules(facts: Facts, a: dict, where: str, h: str, y: int) -> list[Violation]:
    """R: "A unit bought for a year must work on 1 January of that year ... Each purchase's `order_by` date is in
    plan.json"; with quarters (S, Allocation.order_by / in_service_from) a unit that cannot work on 1 January is
    ordered on the first day it can be and works from the quarter it arrives in, which must be in its year."""
    out = []
    hw = catalog_hw(facts, h)
    first = facts.working_quarter(h, y)
    if first is None:
        out.append(
            Violation(
                "lead_time",
                where,
                f"decided {facts.decision}, lead time {hw.lead_time_weeks} w, available from {hw.available_from},"
                f" end of sale {hw.end_of_sale}: cannot work in {y}",
            )
        )
        return out
    order_by = a.get("order_by")
    if order_by is None:
        out.append(Violation("plan_json", where, "purchase without order_by"))
        return out
    when = dt.date.fromisoformat(order_by)
    if when + dt.timedelta(weeks=hw.lead_time_weeks) != facts.delivered(h, y) or when < facts.decision:
        out.append(
            Violation("order_by", where, f"order_by {when} (decision {facts.decision}, lead {hw.lead_time_weeks} w)")
        )
    shown = a.get("in_service_from")
    expected = dt.date(y, 3 * first - 2, 1)
    if shown is not None and dt.date.fromisoformat(shown) != expected:
        out.append(Violation("in_service_from", where, f"plan says {shown}, units work from {expected}"))
    return out


def catalog_hw(facts: Facts, h: str):
    return facts.catalog.hardware[h]


def _installed(facts: Facts, acq: Acquired) -> dict[Key, float]:  # noqa: C901
    """Units in service: bought within their class's life, rented this year, under a three-year reservation
    (its three years), and brownfield ("Hardware already installed here before the plan starts", retiring
    "after the hardware life"). R: a training job rented by the hour "uses none of the year's capacity"."""
    inst: dict[Key, float] = {}
    for y in facts.years:
        for (s, h, b), n in acq.bought.items():
            if facts.in_service(b, y, h):
                _add_to(inst, (s, h, y), n)
        for (s, h, b), n in acq.rented.items():
            if b == y:
                _add_to(inst, (s, h, y), n)
        for (s, h, b), n in acq.reserved.items():
            if b <= y <= b + 2:
                _add_to(inst, (s, h, y), n)
        # S (Allocation.quarters): ASSUMPTION: units rented on demand for some quarters are in service that year;
        # rentals of different quarters add up (the sum of the allocations)
        for (s, h, b, _), n in acq.on_demand.items():
            if b == y:
                _add_to(inst, (s, h, y), n)
        for sid, site in facts.sites.items():
            for e in site.existing:
                if facts.in_service(e.installed_year, y, e.hardware):
                    _add_to(inst, (sid, e.hardware, y), e.units)
    return inst


def _installed_consistency(facts: Facts, plan: dict, installed: dict[Key, float]) -> list[Violation]:
    """R: `installed` is "the fleet in service per site, hardware and year": it must equal the fleet
    recomputed from the allocations."""
    if "installed" not in plan:
        return []
    shown: dict[Key, float] = {}
    for r in plan["installed"]:
        _add_to(shown, (r["site"], r["hardware"], r["year"]), r["units"])
    out = []
    for key in sorted(set(shown) | {k for k, v in installed.items() if v}):
        if not _close(shown.get(key, 0), installed.get(key, 0)):
            out.append(
                Violation(
                    "installed", "/".join(map(str, key)), f"shows {shown.get(key, 0)}, fleet is {installed.get(key, 0)}"
                )
            )
    return out


def _site_limits(facts: Facts, acq: Acquired, installed: dict[Key, float]) -> list[Violation]:
    out = []
    jobs: dict[tuple[str, int], float] = {}
    for a in acq.hourly.values():
        _add_to(jobs, (a["site"], a["year"]), a["accelerators"])
    for sid, site in facts.sites.items():
        for y in facts.years:
            mine = {h: n for (s, h, y2), n in installed.items() if s == sid and y2 == y and n}
            if site.is_cloud:
                # S: max_accelerators "most accelerators the region can reserve for the programme"; ASSUMPTION: a
                # training job rented by the hour holds its accelerators from the region in its year too
                chips = sum(catalog_hw(facts, h).chips_per_unit * n for h, n in mine.items()) + jobs.get((sid, y), 0)
                if site.max_accelerators is not None and not _leq(chips, site.max_accelerators):
                    out.append(Violation("cloud_capacity", f"{sid}/{y}", f"{chips} > {site.max_accelerators}"))
                continue
            # S: power_kw "Facility power available to the planner's hardware (IT load x PUE must fit)", with the
            # phase of the year (power_kw_by_year)
            limit_kw = facts.phase(site.power_kw, site.power_kw_by_year, y)
            power = sum(catalog_hw(facts, h).power_kw_per_unit * site.pue * n for h, n in mine.items())
            if not _leq(power, limit_kw):
                out.append(Violation("site_power", f"{sid}/{y}", f"{power:.2f} kW > {limit_kw} kW"))
            # S: racks "Racks available" (racks_by_year phases); rack_units_per_rack; dense units take more space
            space = sum(facts.rack_units_taken(sid, h) * n for h, n in mine.items())
            limit = facts.phase(site.racks, site.racks_by_year, y) * site.rack_units_per_rack
            if not _leq(space, limit):
                out.append(Violation("site_space", f"{sid}/{y}", f"{space:g} U > {limit} U"))
    return out


def _site_report(facts: Facts, plan: dict, installed: dict[Key, float]) -> list[Violation]:
    """R: `sites` is "power and space against limits": the figures shown are the ones the limits hold, i.e. IT
    power x PUE against the phase's power, and the rack units taken (dense units take more) against the phase's
    racks x U per rack (ASSUMPTION: the space shown is the space counted against the limit)."""
    out = []
    for row in plan.get("sites", []):
        sid, y = row.get("site"), row.get("year")
        if sid not in facts.sites or y not in facts.years or facts.sites[sid].is_cloud:
            continue
        site = facts.sites[sid]
        mine = {h: n for (s, h, y2), n in installed.items() if s == sid and y2 == y}
        expected = {
            "facility_power_kw": sum(catalog_hw(facts, h).power_kw_per_unit * site.pue * n for h, n in mine.items()),
            "power_limit_kw": facts.phase(site.power_kw, site.power_kw_by_year, y),
            "rack_units": sum(facts.rack_units_taken(sid, h) * n for h, n in mine.items()),
            "rack_units_limit": facts.phase(site.racks, site.racks_by_year, y) * site.rack_units_per_rack,
        }
        for key, value in expected.items():
            if key in row and not _close(row[key], value):
                out.append(Violation("site_report", f"{sid}/{y}/{key}", f"plan shows {row[key]:g}, expected {value:g}"))
    return out


def _export_quantities(facts: Facts, installed: dict[Key, float]) -> list[Violation]:
    """R: "A rule's `max_accelerators` caps the accelerators of that hardware in service in the destination"
    (every site in that jurisdiction, bought, brownfield and rented for the year)."""
    fleet: dict[tuple[str, str, int], float] = {}
    caps: dict[tuple[str, str, int], int] = {}
    for (s, h, y), n in installed.items():
        j = facts.sites[s].jurisdiction
        quota = facts.quantity_cap(h, j, y)
        if quota is None:
            continue
        name, cap = quota
        _add_to(fleet, (name, j, y), n * catalog_hw(facts, h).chips_per_unit)
        caps[name, j, y] = min(
            cap, caps.get((name, j, y), cap)
        )  # ASSUMPTION: members stating different caps: the smallest
    out = []
    for (name, j, y), chips in sorted(fleet.items()):
        if not _leq(chips, caps[name, j, y]):
            out.append(
                Violation("export_quantity", f"{name}/{j}/{y}", f"{chips:g} accelerators > licensed {caps[name, j, y]}")
            )
    return out


def _expected_costs(facts: Facts, acq: Acquired, installed: dict[Key, float]):  # noqa: C901
    """(capex by year and line, opex by year and line, residual value), recomputed from the README's lines."""
    capex = {y: {} for y in facts.years}
    opex = {y: {} for y in facts.years}
    residual = 0.0
    for (s, h, y), n in acq.bought.items():
        lines = facts.capex_lines(s, h, y)
        for line, usd in lines.items():
            _add_to(capex[y], line, n * usd)
        residual += n * (lines["hardware"] + lines["fabric"]) * facts.residual_fraction(h, y)
    for (s, h, y), n in installed.items():
        if not facts.sites[s].is_cloud:
            # S (Allocation.first_year_opex_usd): in their first year bought units pay every opex line for the
            # quarters they work from `in_service_from` on (a quarter is a quarter of a year's opex)
            late = acq.bought.get((s, h, y), 0) * (1 - facts.first_year_share(h, y))
            for line, usd in facts.opex_lines(s, h).items():
                if line != "maintenance":
                    _add_to(opex[y], line, (n - late) * usd)
    _add_teams(facts, acq, installed, opex)
    # maintenance: a fraction of the price each unit was bought at (brownfield: in the year it was installed)
    for y in facts.years:
        for (s, h, b), n in acq.bought.items():
            if facts.in_service(b, y, h):
                share = facts.first_year_share(h, y) if b == y else 1.0
                _add_to(opex[y], "maintenance", n * share * facts.opex_lines(s, h, b)["maintenance"])
        for sid, site in facts.sites.items():
            for e in site.existing:
                if facts.in_service(e.installed_year, y, e.hardware):
                    usd = facts.opex_lines(sid, e.hardware, e.installed_year)["maintenance"]
                    _add_to(opex[y], "maintenance", e.units * usd)
    for (s, h, y), n in acq.rented.items():
        _add_to(opex[y], "rent", n * facts.rent_year(s, h))
    for (s, h, y, quarters), n in acq.on_demand.items():
        rate = facts.sites[s].rent_usd_per_accelerator_hour[h] * catalog_hw(facts, h).chips_per_unit
        _add_to(opex[y], "rent", n * rate * sum(quarter_hours(y, q) for q in quarters))
    for (s, h, b), n in acq.reserved.items():
        for y in range(b, b + 3):
            if y in opex:
                _add_to(opex[y], "rent", n * (facts.rent3_year(s, h) or 0.0))
    for a in acq.hourly.values():
        rate = facts.sites[a["site"]].rent_usd_per_accelerator_hour[a["hardware"]]
        _add_to(opex[a["year"]], "rent", (a.get("accelerator_hours") or 0.0) * rate)
    storage_capex, storage_opex = facts.storage()
    for y in facts.years:
        _add_to(capex[y], "storage", storage_capex[y])
        _add_to(opex[y], "storage", storage_opex[y])
    return capex, opex, residual


def _add_teams(facts: Facts, acq: Acquired, installed: dict[Key, float], opex) -> None:
    """S (CostLine.min_fte): "in a year any unit the line covers is in service in a jurisdiction, its engineers
    there are at least this many; the per-unit figures count above it". The per-unit count is the line's per MW
    and per 100 units of the unit-years in service (a first year's purchases for the quarters they work, as every
    opex line); the engineers below the smallest team are paid at the jurisdiction's salary. ASSUMPTION: no salary
    known, no team (staff are not costed)."""
    for line in facts.lines:
        if line.kind != "staff" or not line.min_fte:
            continue
        counted: dict[tuple[str, int], float] = {}
        on: set[tuple[str, int]] = set()
        for (s, h, y), n in installed.items():
            site = facts.sites[s]
            if site.is_cloud or line.applies_to not in ("*", site.kind) or n <= 0:
                continue
            hw = catalog_hw(facts, h)
            late = acq.bought.get((s, h, y), 0) * (1 - facts.first_year_share(h, y))
            fte = line.fte_per_mw * hw.power_kw_per_unit / 1000.0 + line.fte_per_100_units / 100.0
            key = (site.jurisdiction, y)
            counted[key] = counted.get(key, 0.0) + fte * (n - late)
            on.add(key)
        for j, y in on:
            salary = facts.salary(j)
            if salary and y in opex:
                _add_to(opex[y], "staff", max(0.0, line.min_fte - counted[j, y]) * salary)


def _budgets_and_totals(  # noqa: C901
    facts: Facts, plan: dict, acq: Acquired, installed: dict[Key, float]
) -> list[Violation]:
    out = []
    budget = facts.spec.budget
    capex_lines, opex_lines, residual = _expected_costs(facts, acq, installed)
    capex = {y: sum(v.values()) for y, v in capex_lines.items()}
    opex = {y: sum(v.values()) for y, v in opex_lines.items()}
    total_capex = sum(capex.values())
    # S: capex_usd "Total capital expenditure over the horizon"
    if budget.capex_usd is not None and not _leq(total_capex, budget.capex_usd):
        out.append(Violation("budget_capex", "horizon", f"{total_capex:,.0f} > {budget.capex_usd:,.0f}"))
    # S: capex_usd_by_year "Capital expenditure allowed in particular years"
    for y, limit in budget.capex_usd_by_year.items():
        if y in capex and not _leq(capex[y], limit):
            out.append(Violation("budget_capex_year", str(y), f"{capex[y]:,.0f} > {limit:,.0f}"))
    # S: opex_usd_per_year "Operating expenditure in any one year"
    if budget.opex_usd_per_year is not None:
        for y in facts.years:
            if not _leq(opex[y], budget.opex_usd_per_year):
                out.append(Violation("budget_opex", str(y), f"{opex[y]:,.0f} > {budget.opex_usd_per_year:,.0f}"))
    # R: totals: capex_usd "purchases over the horizon (rent is opex)", opex_usd_per_year "of the peak year",
    # tco_usd "capex plus opex over the horizon, undiscounted", npv_usd its net present value with the residual
    # value "credited in the NPV at the end of the last year" (discounted to 1 January after it).
    totals = plan.get("totals", {})
    rate = facts.spec.planning.discount_rate
    first, end = facts.years[0], facts.years[-1] + 1
    npv = sum((capex[y] + opex[y]) / (1 + rate) ** (y - first) for y in facts.years)
    npv -= residual / (1 + rate) ** (end - first)
    bought = [a for a in plan.get("allocations", []) if a.get("acquisition") == "buy"]
    expected = {
        "capex_usd": total_capex,
        "opex_usd_per_year": max(opex.values()),
        "tco_usd": total_capex + sum(opex.values()),
        "npv_usd": npv,
        "residual_value_usd": residual,
        "units_bought": sum(a["units"] for a in bought),
        "accelerators_bought": sum(a["accelerators"] for a in bought),
    }
    for key, value in expected.items():
        if key in totals and not _close(totals[key], value):
            out.append(Violation("totals", key, f"plan {totals[key]:,.2f} != recomputed {value:,.2f}"))
    # R: "`costs_by_year` breaks capex and opex down by these lines"
    for row in plan.get("costs_by_year", []):
        y = row["year"]
        if y not in capex:
            continue
        if not (_close(row["capex_usd"], capex[y]) and _close(row["opex_usd"], opex[y])):
            out.append(
                Violation(
                    "totals",
                    f"costs_by_year/{y}",
                    f"capex {row['capex_usd']:,.2f}/opex {row['opex_usd']:,.2f} != {capex[y]:,.2f}/{opex[y]:,.2f}",
                )
            )
        for side, mine in (("capex", capex_lines[y]), ("opex", opex_lines[y])):
            shown = row.get(f"{side}_lines_usd")
            if shown is None:
                out.append(Violation("plan_json", f"costs_by_year/{y}", f"no {side}_lines_usd"))
                continue
            for line in sorted(set(shown) | {k for k, v in mine.items() if abs(v) > 1e-6}):
                if not _close(shown.get(line, 0.0), mine.get(line, 0.0)):
                    out.append(
                        Violation(
                            "cost_line",
                            f"{y}/{side}/{line}",
                            f"plan {shown.get(line, 0.0):,.2f} != recomputed {mine.get(line, 0.0):,.2f}",
                        )
                    )
    return out


def _vendor_rules(  # noqa: C901
    facts: Facts,
    bought: dict[Key, int],
    rented: dict[Key, int],
    installed: dict[Key, float],
    basis: str,
    hourly: list[dict] | None = None,
) -> list[Violation]:
    """S: vendor_max_share "No vendor above this share of the accelerators (or capex) bought over the horizon";
    vendor_share_basis "What vendor_max_share and min_allied_share count: accelerators, or capital
    expenditure"; min_allied_share "At least this share of the accelerators bought comes from allied_origins".

    basis "acquired": accelerators (or money: purchase price, and a year's rent for a rented unit) acquired over
    the horizon; "fleet": the fleet in service in each year (brownfield and rented included)."""
    policy = facts.spec.policy
    if policy.vendor_max_share is None and policy.min_allied_share is None:
        return []
    periods: list[tuple[str, dict[str, float]]] = []  # (period, hardware -> amount)
    money = policy.vendor_share_basis == "capex"
    if money:
        amounts: dict[str, float] = {}
        for (s, h, y), n in list(bought.items()) + list(rented.items()):
            # R: capital expenditure is what is paid: the price in the year bought (`price`)
            cost = facts.rent_year(s, h) if facts.sites[s].is_cloud else facts.price(h, y)
            amounts[h] = amounts.get(h, 0.0) + n * cost
        for a in hourly or ():  # S (vendor_max_share): a training job rented by the hour counts for its rent
            rate = facts.sites[a["site"]].rent_usd_per_accelerator_hour[a["hardware"]]
            amounts[a["hardware"]] = amounts.get(a["hardware"], 0.0) + (a.get("accelerator_hours") or 0.0) * rate
        periods.append(("horizon", amounts))
    elif basis == "acquired":
        amounts = {}
        for (_, h, _), n in list(bought.items()) + list(rented.items()):
            amounts[h] = amounts.get(h, 0.0) + n * catalog_hw(facts, h).chips_per_unit
        periods.append(("horizon", amounts))
    else:
        for y in facts.years:
            amounts = {}
            for (_, h, y2), n in installed.items():
                if y2 == y:
                    amounts[h] = amounts.get(h, 0.0) + n * catalog_hw(facts, h).chips_per_unit
            periods.append((str(y), amounts))
    out = []
    for period, amounts in periods:
        total = sum(amounts.values())
        if total <= 0:
            continue
        if policy.vendor_max_share is not None:
            for vendor in sorted({catalog_hw(facts, h).vendor for h in amounts}):
                mine = sum(a for h, a in amounts.items() if catalog_hw(facts, h).vendor == vendor)
                if mine > policy.vendor_max_share * total + REL * max(1.0, total):
                    out.append(
                        Violation(
                            "vendor_cap",
                            f"{vendor}/{period}",
                            f"{mine / total:.1%} > {policy.vendor_max_share:.0%} ({basis if not money else 'capex'})",
                        )
                    )
        if policy.min_allied_share is not None:
            allied = sum(a for h, a in amounts.items() if catalog_hw(facts, h).origin_country in policy.allied_origins)
            if allied < policy.min_allied_share * total - REL * max(1.0, total):
                out.append(Violation("allied_share", period, f"{allied / total:.1%} < {policy.min_allied_share:.0%}"))
    return out


def _training(  # noqa: C901
    facts: Facts, plan: dict, acq: Acquired, installed: dict[Key, float]
) -> tuple[dict[QKey, float], list[Violation]]:
    """Training jobs: placed at an allowed site on offered hardware, with enough units to finish by the deadline;
    the units they hold at own sites per (site, hardware, year, quarter).

    S: "Train ... on a number of tokens before a deadline"; deadline_days "Wall-clock days the run may take";
    year "the plan's first year if absent"; start_week "hardware must have arrived by then"; data_class
    "decides where the job may run"."""
    out: list[Violation] = []
    used: dict[Key, float] = {}
    results = {w["name"]: w for w in plan.get("workloads", [])}
    for wid in facts.training():
        w = facts.spec.workloads[wid]
        placement = results.get(wid, {}).get("placement")
        if not placement:
            out.append(Violation("training", wid, "no placement in an optimal plan"))
            continue
        s, h, n = placement["site"], placement["hardware"], placement["units"]
        year = facts.job_start(wid).year
        if s not in facts.sites or h not in facts.offered(s):
            out.append(Violation("training", wid, f"placed on {h} at {s}, not an option there"))
            continue
        if not facts.allowed(wid, s):
            out.append(
                Violation("residency", f"{wid}/{s}", f"training at a site its data class `{w.data_class}` forbids")
            )
        hw = catalog_hw(facts, h)
        method = "pretraining" if isinstance(w, PretrainingWorkload) else w.method
        assert isinstance(w, PretrainingWorkload | FineTuningWorkload)
        est = training_estimate(
            facts.catalog.models[w.model],
            hw,
            facts.catalog.efficiency_profiles[hw.efficiency_profile],
            w.tokens,
            method=method,
            units=int(n),
        )
        if not (math.isfinite(est.wall_days) and est.wall_days <= w.deadline_days * (1 + 1e-9)):
            out.append(
                Violation("training", wid, f"{n} x {h} take {est.wall_days:.2f} days > deadline {w.deadline_days}")
            )
        if est.chips < est.memory_floor_chips:
            out.append(Violation("training", wid, f"{est.chips} chips below the memory floor {est.memory_floor_chips}"))
        if facts.sites[s].is_cloud:
            # R: "A training job placed in a cloud region rents its accelerators by the hour for its run only
            # (accelerators x wall-clock hours x on-demand price) and uses none of the year's capacity there."
            a = acq.hourly.get(wid)
            hours = n * hw.chips_per_unit * est.wall_days * 24.0
            if a is None:
                out.append(Violation("rent_hours", wid, f"placed at cloud site {s} without a rent_hours allocation"))
            elif (a["site"], a["hardware"], a["year"], a["units"]) != (s, h, year, n) or not _close(
                a.get("accelerator_hours") or 0.0, hours
            ):
                out.append(
                    Violation(
                        "rent_hours",
                        wid,
                        f"allocation {a['site']}/{a['hardware']}/{a['year']} {a['units']} units "
                        f"{a.get('accelerator_hours')} h != {s}/{h}/{year} {n} units {hours:,.2f} h",
                    )
                )
            continue
        if wid in acq.hourly:
            out.append(Violation("rent_hours", wid, f"rented by the hour but placed at bought site {s}"))
        # S: earliest_start: "The run holds its units only in the quarters it runs"; start_week: "hardware must
        # have arrived by then" (checked per quarter against the units working then, see `working`)
        for y, q in sorted(facts.job_quarters(wid, est.wall_days)):
            if y in facts.years:  # ASSUMPTION: a run's tail past the horizon is not checked
                used[s, h, y, q] = used.get((s, h, y, q), 0) + n
        if placement.get("start") is not None and placement["start"] != facts.job_start(wid).isoformat():
            out.append(
                Violation("training", wid, f"starts {placement['start']}, earliest start {facts.job_start(wid)}")
            )
    for wid in set(acq.hourly) - {w for w in facts.training() if (results.get(w, {}).get("placement") or {})}:
        out.append(Violation("rent_hours", wid, "rented by the hour but not placed"))
    return used, out


def _serving(  # noqa: C901
    facts: Facts, plan: dict, working_units: dict[QKey, float], training_units: dict[QKey, float]
) -> list[Violation]:
    """Per-site serving placements: residency, capacity per workload and year, and, in each quarter, the units
    serving the workloads live then plus those training then <= the units working then."""
    out: list[Violation] = []
    used = dict(training_units)
    results = {w["name"]: w for w in plan.get("workloads", [])}
    for wid in facts.serving():
        result = results.get(wid)
        if result is None:
            out.append(Violation("serving", wid, "workload missing from plan.json"))
            continue
        capacity = {y: 0.0 for y in facts.years}
        by_quarter = {(y, q): 0.0 for y in facts.years for q in (1, 2, 3, 4)}
        for p in result.get("placements", []):
            s, h, y, n = p["site"], p["hardware"], p["year"], p["units"]
            where = f"{wid}/{s}/{h}/{y}"
            if s not in facts.sites or y not in capacity:
                out.append(Violation("serving", where, "placement at an unknown site or year"))
                continue
            # R: "data classes mapped to allowed jurisdictions and site kinds; workloads carry a data_class"
            if not facts.allowed(wid, s):
                data_class = facts.spec.workloads[wid].data_class
                out.append(Violation("residency", where, f"{n:.3g} units at a site data class `{data_class}` forbids"))
            if n < -1e-9 or h not in facts.offered(s):
                out.append(Violation("serving", where, f"invalid placement of {n} units ({h} not offered here?)"))
                continue
            rate = facts.rate(wid, h)
            if rate <= 0 and n > 1e-9:
                out.append(Violation("serving", where, f"{h} cannot serve this model at the workload's targets"))
            # S (go_live): capacity is held from the quarter the go-live falls in; S (ServingPlacement.quarter):
            # a placement with a quarter holds in that quarter only, one without in every live quarter
            for q in (1, 2, 3, 4):
                if facts.live(wid, y, q) and p.get("quarter") in (None, q):
                    used[s, h, y, q] = used.get((s, h, y, q), 0) + n
                    by_quarter[y, q] += n * rate
        for y in facts.years:
            live = [by_quarter[y, q] for q in (1, 2, 3, 4) if facts.live(wid, y, q)]
            capacity[y] = min(live) if live else 0.0
        # R: workloads "each with name, kind, demand and capacity"; an optimal plan meets every requirement
        # ("gets back which hardware to buy ... or, when the requirements cannot all be met, what is short")
        for y in facts.years:
            demand = facts.demand(wid, y)
            if capacity[y] < demand * (1 - REL) - 1e-6:
                out.append(
                    Violation(
                        "serving_capacity",
                        f"{wid}/{y}",
                        f"per-site placements serve {capacity[y]:,.1f} of {demand:,.1f} output tokens/s "
                        f"({capacity[y] / demand:.0%})",
                    )
                )
            shown = next((r for r in result.get("by_year", []) if r["year"] == y), None)
            if shown is not None and not _close(shown["demand_output_tokens_per_s"], demand):
                out.append(
                    Violation(
                        "demand",
                        f"{wid}/{y}",
                        f"plan demand {shown['demand_output_tokens_per_s']:,.2f} != {demand:,.2f}",
                    )
                )
            if shown is not None and not _close(shown["capacity_output_tokens_per_s"], capacity[y], rel=1e-5):
                out.append(
                    Violation(
                        "totals",
                        f"{wid}/{y}",
                        f"plan capacity {shown['capacity_output_tokens_per_s']:,.2f} != placements {capacity[y]:,.2f}",
                    )
                )
    # Units serving and training at a site never exceed the units working there, quarter by quarter (a unit's
    # time may be shared between workloads, so serving units are fractional).
    for key, n in sorted(used.items()):
        if not _leq(n, working_units.get(key, 0), rel=1e-6):
            out.append(
                Violation(
                    "unit_capacity",
                    "/".join(map(str, key[:3])) + f"/Q{key[3]}",
                    f"{n:.4g} units used, {working_units.get(key, 0)} working",
                )
            )
    # Diagnostic: is there, in each quarter, any per-site split of the units working and not training that meets
    # the demand of every workload live then?
    for y in facts.years:
        for q in (1, 2, 3, 4):
            free = _quarter(working_units, y, q, minus=training_units)
            demand = {wid: facts.demand(wid, y) for wid in facts.serving() if facts.live(wid, y, q)}
            if not _split_exists(facts, y, free, demand, lost=None):
                out.append(Violation("no_split", f"{y}/Q{q}", "no per-site split of the working units meets demand"))
    return out


def _quarter(units: dict[QKey, float], y: int, q: int, minus: dict[QKey, float] | None = None) -> dict[Key, float]:
    """One quarter's units keyed (site, hardware, year), less `minus` (e.g. the units training then)."""
    minus = minus or {}
    return {(s, h, y2): n - minus.get((s, h, y2, q2), 0) for (s, h, y2, q2), n in units.items() if (y2, q2) == (y, q)}


def _resilience(
    facts: Facts, working_units: dict[QKey, float], training_units: dict[QKey, float], keeps_training: bool
) -> list[Violation]:
    """R: `policy.resilience_fraction`: "the share of peak demand still served when any one site is lost".
    S: "Serving still covers this fraction of peak demand when any single site is lost".

    For each lost site, year and quarter: an LP re-assigns the units working at the other sites (each workload
    only to sites its data class allows) so that every workload live then gets the fraction of its peak. With
    one site, losing it serves nothing: any fraction > 0 is a violation (the README makes no exception)."""
    fraction = facts.spec.policy.resilience_fraction
    if not fraction or not facts.serving():
        return []
    out = []
    for lost in facts.sites:
        for y in facts.years:
            for q in (1, 2, 3, 4):
                cap = _quarter(working_units, y, q, minus=training_units if keeps_training else None)
                demand = {wid: fraction * facts.demand(wid, y) for wid in facts.serving() if facts.live(wid, y, q)}
                if not _split_exists(facts, y, cap, demand, lost=lost):
                    out.append(
                        Violation(
                            "resilience",
                            f"lost {lost}/{y}/Q{q}",
                            f"the other sites cannot serve {fraction:.0%} of peak",
                        )
                    )
    return out


def _split_exists(facts: Facts, year: int, cap: dict[Key, float], demand: dict[str, float], lost: str | None) -> bool:
    """The same question asked for another quarter with the same figures gets the same answer (cached)."""
    key = (year, lost, tuple(sorted(cap.items())), tuple(sorted(demand.items())))
    cache = facts.__dict__.setdefault("_splits", {})
    if key not in cache:
        cache[key] = _solve_split(facts, year, cap, demand, lost)
    return cache[key]


def _solve_split(facts: Facts, year: int, cap: dict[Key, float], demand: dict[str, float], lost: str | None) -> bool:
    """LP: x[w,s,h] >= 0 units of h at s serving w (s allowed for w, s != lost); sum_w x[w,s,h] <= cap[s,h];
    sum_{s,h} rate[w,h] x[w,s,h] >= demand[w]. Scaled to units of demand so tolerances are relative."""
    if all(d <= 0 for d in demand.values()):
        return True
    prob = pulp.LpProblem("split", pulp.LpMinimize)
    xs: dict[tuple[str, str, str], pulp.LpVariable] = {}
    for wid in demand:
        for (s, h, y), n in cap.items():
            if y == year and s != lost and n > 0 and facts.allowed(wid, s) and facts.rate(wid, h) > 0:
                xs[wid, s, h] = prob.add_variable(f"x_{len(xs)}", lowBound=0)
    for wid, d in demand.items():
        if d <= 0:
            continue
        terms = [(v, facts.rate(wid, h) / d) for (w, _, h), v in xs.items() if w == wid]
        if not terms:
            return False
        prob += pulp.LpAffineExpression(terms) >= 1 - REL
    for (s, h, y), n in cap.items():
        if y == year:
            users = [v for (_, s2, h2), v in xs.items() if s2 == s and h2 == h]
            if users:
                prob += pulp.lpSum(users) <= n * (1 + REL)
    prob += pulp.lpSum(xs.values())
    status = prob.solve(pulp.HiGHS(msg=False))
    return pulp.LpStatus[status] == "Optimal"
