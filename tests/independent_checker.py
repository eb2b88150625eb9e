"""An independent feasibility checker for plan.json, written from the README's and the schema's definitions.

It does NOT import `planner.sizing` (nor the pipeline): every rule is re-derived here from the country spec
(read through `planner.schema`), the catalog (`planner.catalog`) and the pure performance functions
(`planner.perf`), which are used only to recompute per-unit serving rates, the language premium and training
time. Feasibility of a per-site split (resilience, "does any split exist") is a small LP of its own, solved with
PuLP's HiGHS binding (a generic LP library; the formulation here is not the planner's).

`check_plan(spec, catalog, plan) -> list[Violation]`; an empty list means every check passed. Each check's
comment quotes the README (R) or schema (S) sentence it implements. Where the text is silent, the choice made
is written next to the check ("ASSUMPTION").
"""

from __future__ import annotations

import datetime as dt
import math
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
WEEKS_PER_YEAR = 52.0
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

    def __init__(self, spec: CountrySpec, catalog: Catalog) -> None:
        self.spec = spec
        self.catalog = catalog
        self.years = [spec.planning.start_year + i for i in range(spec.planning.years)]
        self.life = spec.planning.hardware_life_years
        self.sites: dict[str, Site] = {sid: self._with_defaults(s) for sid, s in spec.sites.items()}
        self.options = spec.hardware if spec.hardware is not None else sorted(catalog.hardware)

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

    def in_service(self, bought: int, year: int) -> bool:
        """S: hardware bought in start_year "is in service this year"; units "stay in service after purchase" for
        `hardware_life_years`; brownfield "retire after the hardware life"."""
        return bought <= year < bought + self.life

    def unit_opex(self, sid: str, h: str) -> float:
        """One unit's operating cost for a year.

        S (cloud): "rented by the hour ... price per accelerator-hour, reserved all year" -> rate x chips x 8760.
        S (bought): energy = power_kw_per_unit x PUE x 8760 h x `average_power_fraction` ("Average power drawn
        over a year ... for the energy bill") x electricity price; + `maintenance_fraction_per_year` x price
        ("Support and maintenance per year as a fraction of the purchase price") + `licence_usd_per_unit_year`.
        """
        site, hw = self.sites[sid], self.catalog.hardware[h]
        if site.is_cloud:
            return site.rent_usd_per_accelerator_hour[h] * hw.chips_per_unit * HOURS_PER_YEAR
        energy = hw.power_kw_per_unit * site.pue * HOURS_PER_YEAR * self.spec.planning.average_power_fraction
        return (
            energy * site.electricity_usd_per_kwh
            + hw.maintenance_fraction_per_year * hw.price_usd_per_unit
            + hw.licence_usd_per_unit_year
        )

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
    def export_status(self, h: str, jurisdiction: str, year: int) -> str:
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
        if not pool:
            return "allowed"
        return max(pool, key=lambda r: r.from_date or dt.date.min).status

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

    def weeks_before(self, year: int, start_week: int = 0) -> float:
        """S: `decision_weeks_before_start`: "Weeks between the purchase decision and 1 January of the first
        year; hardware whose lead time is longer cannot serve in the first year (and later years' orders are
        placed a year ahead)"."""
        return self.spec.planning.decision_weeks_before_start + WEEKS_PER_YEAR * (year - self.years[0]) + start_week

    # --- demand and per-unit rates -------------------------------------------------------------------------
    def serving_premium(self, w: ServingWorkload) -> float:
        """R: "Serving token counts are English-equivalent: the planner multiplies them by the tokenization
        premium of each language for the model's tokenizer". S: the workload's `languages`, else the country's."""
        shares = w.languages or self.spec.languages
        premium, _ = language_premium(shares, self.catalog.models[w.model].tokenizer, self.catalog.languages)
        return premium

    def demand(self, wid: str, year: int) -> float:
        """Busy-hour output tokens/s: users x requests/user/day x output tokens x premium / 86400 x `peak_factor`
        ("Busy-hour demand over the daily average"), grown by (1 + `growth_per_year`) per year after the first."""
        w = self.spec.workloads[wid]
        per_day = w.users * w.requests_per_user_per_day * w.output_tokens_per_request * self.serving_premium(w)
        return per_day / SECONDS_PER_DAY * w.peak_factor * (1.0 + w.growth_per_year) ** (year - self.years[0])

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
            )
            ok = est.feasible and est.output_tokens_per_s_per_unit > 0
            cache[key] = est.output_tokens_per_s_per_unit * self.spec.planning.serving_utilisation if ok else 0.0
        return cache[key]

    def serving(self) -> list[str]:
        return [wid for wid, w in self.spec.workloads.items() if isinstance(w, ServingWorkload)]

    def training(self) -> list[str]:
        return [wid for wid, w in self.spec.workloads.items() if not isinstance(w, ServingWorkload)]


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
    facts = Facts(load_spec_doc(spec), catalog)
    out: list[Violation] = []
    if plan.get("status") not in ("optimal", "feasible"):
        return out
    # R (plan.json): "totals (capex_usd, opex_usd_per_year, tco_usd, npv_usd ...), allocations ..., workloads ...,
    # costs_by_year and installed". A renamed or missing section would silently skip checks: report it.
    for key in ("allocations", "workloads", "totals", "installed", "costs_by_year"):
        if key not in plan:
            out.append(Violation("plan_json", key, "section missing from plan.json"))
    for key in ("capex_usd", "opex_usd_per_year", "tco_usd", "npv_usd"):
        if key not in plan.get("totals", {}):
            out.append(Violation("plan_json", f"totals.{key}", "missing from plan.json"))
    if vendor_basis is None:
        text = type(facts.spec.policy).model_fields["vendor_max_share"].description or ""
        vendor_basis = "fleet" if "in service" in text else "acquired"
    bought, rented, alloc_viol = _allocations(facts, plan)
    out += alloc_viol
    installed = _installed(facts, bought, rented)
    out += _installed_consistency(facts, plan, installed)
    out += _site_limits(facts, installed, rented)
    out += _budgets_and_totals(facts, plan, bought, installed)
    out += _vendor_rules(facts, bought, rented, installed, vendor_basis)
    training_units, train_viol = _training(facts, plan, bought, installed)
    out += train_viol
    out += _serving(facts, plan, installed, training_units)
    out += _resilience(facts, installed, training_units, failover_keeps_training)
    return out


# ------------------------------------------------------------------------------------------------------------
Key = tuple[str, str, int]


def _allocations(facts: Facts, plan: dict) -> tuple[dict[Key, int], dict[Key, int], list[Violation]]:  # noqa: C901
    """Units bought / rented per (site, hardware, year) from `allocations`, and what is wrong with each entry."""
    out: list[Violation] = []
    bought: dict[Key, int] = {}
    rented: dict[Key, int] = {}
    policy = facts.spec.policy
    for a in plan.get("allocations", []):
        s, h, y, n = a["site"], a["hardware"], a["year"], a["units"]
        where = f"{s}/{h}/{y}"
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
        # R: "own data centres or colocation (hardware is bought ...) or cloud regions (... rented ...)"
        expected = "rent" if site.is_cloud else "buy"
        if a.get("acquisition", expected) != expected:
            out.append(Violation("allocation", where, f"acquisition {a.get('acquisition')} at a {site.kind} site"))
        if a["accelerators"] != n * hw.chips_per_unit:
            out.append(Violation("totals", where, f"accelerators {a['accelerators']} != {n} x {hw.chips_per_unit}"))
        capex = 0.0 if site.is_cloud else n * hw.price_usd_per_unit
        if not _close(a["capex_usd"], capex):
            out.append(Violation("totals", where, f"capex_usd {a['capex_usd']:.2f} != {capex:.2f} from the catalog"))
        (rented if site.is_cloud else bought)[s, h, y] = (rented if site.is_cloud else bought).get((s, h, y), 0) + n
        # R: "Hardware availability follows the dated export rules in the catalog for each site's jurisdiction
        # and year" (+ allow_licence_required / allow_legal_risk)
        status = facts.export_status(h, site.jurisdiction, y)
        if not facts.export_ok(status):
            out.append(Violation("export", where, f"{n} units acquired with export status {status}"))
        # R: "lead times keep slow hardware out of the first year" (bought hardware; rented capacity exists)
        if not site.is_cloud and hw.lead_time_weeks > facts.weeks_before(y) + 1e-9:
            out.append(Violation("lead_time", where, f"lead time {hw.lead_time_weeks} w > {facts.weeks_before(y)} w"))
        # S: acquisition "rent_only: nothing is bought (cloud regions only); buy_only: nothing is rented"
        if policy.acquisition == "rent_only" and not site.is_cloud:
            out.append(Violation("acquisition_policy", where, "bought under rent_only"))
        if policy.acquisition == "buy_only" and site.is_cloud:
            out.append(Violation("acquisition_policy", where, "rented under buy_only"))
        # S: allowed_vendors "Only these vendors (e.g. [huawei]); every vendor if absent"
        if policy.allowed_vendors is not None and hw.vendor not in policy.allowed_vendors:
            out.append(Violation("vendor_allowed", where, f"vendor {hw.vendor} not in {policy.allowed_vendors}"))
    return bought, rented, out


def catalog_hw(facts: Facts, h: str):
    return facts.catalog.hardware[h]


def _installed(facts: Facts, bought: dict[Key, int], rented: dict[Key, int]) -> dict[Key, float]:
    """Units in service: bought within their life, rented this year, and brownfield ("Hardware already installed
    here before the plan starts", retiring "after the hardware life")."""
    inst: dict[Key, float] = {}
    for y in facts.years:
        for (s, h, b), n in bought.items():
            if facts.in_service(b, y):
                inst[s, h, y] = inst.get((s, h, y), 0) + n
        for (s, h, b), n in rented.items():
            if b == y:
                inst[s, h, y] = inst.get((s, h, y), 0) + n
        for sid, site in facts.sites.items():
            for e in site.existing:
                if facts.in_service(e.installed_year, y):
                    inst[sid, e.hardware, y] = inst.get((sid, e.hardware, y), 0) + e.units
    return inst


def _installed_consistency(facts: Facts, plan: dict, installed: dict[Key, float]) -> list[Violation]:
    """R: `installed` is "the per-year view": it must equal the fleet recomputed from the allocations."""
    if "installed" not in plan:
        return []
    shown: dict[Key, float] = {}
    for r in plan["installed"]:
        shown[r["site"], r["hardware"], r["year"]] = shown.get((r["site"], r["hardware"], r["year"]), 0) + r["units"]
    out = []
    for key in sorted(set(shown) | {k for k, v in installed.items() if v}):
        if not _close(shown.get(key, 0), installed.get(key, 0)):
            out.append(
                Violation(
                    "installed", "/".join(map(str, key)), f"shows {shown.get(key, 0)}, fleet is {installed.get(key, 0)}"
                )
            )
    return out


def _site_limits(facts: Facts, installed: dict[Key, float], rented: dict[Key, int]) -> list[Violation]:
    out = []
    for sid, site in facts.sites.items():
        for y in facts.years:
            mine = {h: n for (s, h, y2), n in installed.items() if s == sid and y2 == y and n}
            if site.is_cloud:
                # S: max_accelerators "most accelerators the region can reserve for the programme"
                chips = sum(catalog_hw(facts, h).chips_per_unit * n for h, n in mine.items())
                if site.max_accelerators is not None and not _leq(chips, site.max_accelerators):
                    out.append(Violation("cloud_capacity", f"{sid}/{y}", f"{chips} > {site.max_accelerators}"))
                continue
            # S: power_kw "Facility power available to the planner's hardware (IT load x PUE must fit)"
            power = sum(catalog_hw(facts, h).power_kw_per_unit * site.pue * n for h, n in mine.items())
            if not _leq(power, site.power_kw):
                out.append(Violation("site_power", f"{sid}/{y}", f"{power:.2f} kW > {site.power_kw} kW"))
            # S: racks "Racks available"; rack_units_per_rack "Usable rack units (U) per rack"; hardware
            # rack_units "Space in rack units (U)"
            space = sum(catalog_hw(facts, h).rack_units * n for h, n in mine.items())
            limit = site.racks * site.rack_units_per_rack
            if not _leq(space, limit):
                out.append(Violation("site_space", f"{sid}/{y}", f"{space:g} U > {limit} U"))
    return out


def _budgets_and_totals(  # noqa: C901
    facts: Facts, plan: dict, bought: dict[Key, int], installed: dict[Key, float]
) -> list[Violation]:
    out = []
    budget = facts.spec.budget
    capex = {y: 0.0 for y in facts.years}
    for (_, h, y), n in bought.items():
        capex[y] += n * catalog_hw(facts, h).price_usd_per_unit
    opex = {y: 0.0 for y in facts.years}
    for (s, h, y), n in installed.items():
        opex[y] += n * facts.unit_opex(s, h)
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
    # R: totals: capex_usd, opex_usd_per_year (peak year), tco_usd (capex plus opex over the horizon,
    # undiscounted), npv_usd (S: "Real discount rate for the net present value of costs").
    totals = plan.get("totals", {})
    rate = facts.spec.planning.discount_rate
    npv = sum((capex[y] + opex[y]) / (1 + rate) ** (y - facts.years[0]) for y in facts.years)
    expected = {
        "capex_usd": total_capex,
        "opex_usd_per_year": max(opex.values()),
        "tco_usd": total_capex + sum(opex.values()),
        "npv_usd": npv,
    }
    alloc_capex = sum(a["capex_usd"] for a in plan.get("allocations", []))
    if "capex_usd" in totals and not _close(totals["capex_usd"], alloc_capex):
        out.append(
            Violation("totals", "capex_usd", f"{totals['capex_usd']:,.2f} != sum of allocations {alloc_capex:,.2f}")
        )
    for key, value in expected.items():
        if key in totals and not _close(totals[key], value):
            out.append(Violation("totals", key, f"plan {totals[key]:,.2f} != recomputed {value:,.2f}"))
    for row in plan.get("costs_by_year", []):
        y = row["year"]
        if y in capex and not (_close(row["capex_usd"], capex[y]) and _close(row["opex_usd"], opex[y])):
            out.append(
                Violation(
                    "totals",
                    f"costs_by_year/{y}",
                    f"capex {row['capex_usd']:,.2f}/opex {row['opex_usd']:,.2f} != {capex[y]:,.2f}/{opex[y]:,.2f}",
                )
            )
    return out


def _vendor_rules(  # noqa: C901
    facts: Facts, bought: dict[Key, int], rented: dict[Key, int], installed: dict[Key, float], basis: str
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
        for (s, h, _), n in list(bought.items()) + list(rented.items()):
            cost = facts.unit_opex(s, h) if facts.sites[s].is_cloud else catalog_hw(facts, h).price_usd_per_unit
            amounts[h] = amounts.get(h, 0.0) + n * cost
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


def _training(
    facts: Facts, plan: dict, bought: dict[Key, int], installed: dict[Key, float]
) -> tuple[dict[Key, float], list[Violation]]:
    """Training jobs: placed at an allowed site on offered hardware, with enough units to finish by the deadline.

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
        year = w.year or facts.years[0]
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
        used[s, h, year] = used.get((s, h, year), 0) + n
        # S: start_week: "hardware must have arrived by then" (bought hardware; ASSUMPTION: cloud units are there)
        if not facts.sites[s].is_cloud and hw.lead_time_weeks > facts.weeks_before(year, w.start_week) + 1e-9:
            arrived = installed.get((s, h, year), 0) - bought.get((s, h, year), 0)
            if n > arrived + 1e-9:
                out.append(Violation("lead_time_training", f"{wid}/{s}/{h}", f"{n} units, {arrived} arrived in time"))
    return used, out


def _serving(  # noqa: C901
    facts: Facts, plan: dict, installed: dict[Key, float], training_units: dict[Key, float]
) -> list[Violation]:
    """Per-site serving placements: residency, capacity per workload and year, and units used <= installed."""
    out: list[Violation] = []
    used = dict(training_units)
    results = {w["name"]: w for w in plan.get("workloads", [])}
    for wid in facts.serving():
        result = results.get(wid)
        if result is None:
            out.append(Violation("serving", wid, "workload missing from plan.json"))
            continue
        capacity = {y: 0.0 for y in facts.years}
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
            capacity[y] += n * rate
            used[s, h, y] = used.get((s, h, y), 0) + n
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
    # Units serving and training at a site never exceed the units in service there (a unit's time may be shared
    # between workloads, so serving units are fractional).
    for key, n in sorted(used.items()):
        if not _leq(n, installed.get(key, 0), rel=1e-6):
            out.append(
                Violation(
                    "unit_capacity", "/".join(map(str, key)), f"{n:.4g} units used, {installed.get(key, 0)} installed"
                )
            )
    # Diagnostic: is there any per-site split of the installed units (after training) that meets every demand?
    free = {k: v - training_units.get(k, 0) for k, v in installed.items()}
    for y in facts.years:
        if not _split_exists(facts, y, free, {wid: facts.demand(wid, y) for wid in facts.serving()}, lost=None):
            out.append(Violation("no_split", str(y), "no per-site split of the installed units meets every demand"))
    return out


def _resilience(
    facts: Facts, installed: dict[Key, float], training_units: dict[Key, float], keeps_training: bool
) -> list[Violation]:
    """R: `policy.resilience_fraction`: "the share of peak demand still served when any one site is lost".
    S: "Serving still covers this fraction of peak demand when any single site is lost".

    For each lost site and year: an LP re-assigns the units in service at the other sites (each workload only
    to sites its data class allows) so that every workload gets the fraction of its peak. With one site, losing
    it serves nothing: any fraction > 0 is a violation (the README makes no exception)."""
    fraction = facts.spec.policy.resilience_fraction
    if not fraction or not facts.serving():
        return []
    out = []
    cap = {k: v - (training_units.get(k, 0) if keeps_training else 0) for k, v in installed.items()}
    for lost in facts.sites:
        for y in facts.years:
            demand = {wid: fraction * facts.demand(wid, y) for wid in facts.serving()}
            if not _split_exists(facts, y, cap, demand, lost=lost):
                out.append(
                    Violation("resilience", f"lost {lost}/{y}", f"the other sites cannot serve {fraction:.0%} of peak")
                )
    return out


def _split_exists(facts: Facts, year: int, cap: dict[Key, float], demand: dict[str, float], lost: str | None) -> bool:
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
