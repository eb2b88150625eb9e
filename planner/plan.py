"""The typed plan: the one place a plan's figures live.

`planner size` builds a `Plan`; plan.json is its JSON (with `schema_version`); every report, the workbook,
the terminal summary, comparisons and sweeps read it and never recompute a figure it holds. A plan is
self-contained: it carries the catalog entries it used (`catalog`), so it renders the same after the
catalog changes. `Plan.read` validates a saved file and refuses a damaged one with an InputError.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from planner.errors import InputError, Issue
from planner.schema.catalog import CatalogFile

SCHEMA_VERSION = "2"

Usd = Annotated[float, Field(allow_inf_nan=False)]
Num = Annotated[float, Field(allow_inf_nan=False)]
SOLVER_NOISE = 1e-6  # a MILP solver's tolerance: a count or figure this far below zero is zero


def _zero_noise(x: Any) -> Any:
    """A solver's -1.6e-13 of an engineer is 0, not a negative figure the plan refuses."""
    return 0.0 if isinstance(x, float) and -SOLVER_NOISE < x < 0.0 else x


NonNeg = Annotated[float, BeforeValidator(_zero_noise), Field(ge=0.0, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0, le=10**12)]
PlanYear = Annotated[int, Field(ge=2000, le=2200)]


class PlanModel(BaseModel):
    """Base of every part of a plan: unknown keys are errors (a tampered file is refused)."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, validate_assignment=True)


class Country(PlanModel):
    name: str
    iso2: str


class Names(PlanModel):
    """Names a person reads, by id: sites (from country.yaml), workloads, models and hardware (catalog)."""

    sites: dict[str, str] = {}
    workloads: dict[str, str] = {}
    models: dict[str, str] = {}
    hardware: dict[str, str] = {}

    def site(self, sid: str) -> str:
        """The site's name, or its id when it has none."""
        return self.sites.get(sid, sid)

    def workload(self, wid: str) -> str:
        """The workload's name, or its id."""
        return self.workloads.get(wid, wid)

    def model(self, mid: str) -> str:
        """The model's name, or its id."""
        return self.models.get(mid, mid)

    def hw(self, hid: str) -> str:
        """The hardware's short name, or its id."""
        return self.hardware.get(hid, hid)


class Totals(PlanModel):
    """Headline figures. One definition each, used by every output."""

    capex_usd: Usd
    """Purchases over the horizon (bought hardware only; rent is opex)."""
    opex_usd_per_year: Usd
    """Operating cost of the peak year (energy, maintenance, licences, rent)."""
    tco_usd: Usd
    """capex plus opex over the horizon, undiscounted."""
    npv_usd: Usd
    """Net present cost at the planning discount rate."""
    power_kw: NonNeg
    """IT load at the programme's own sites (bought and brownfield units), peak year."""
    power_kw_rented: NonNeg = 0.0
    """IT load of capacity rented in cloud regions for the year or quarters (drawn on the provider's power), in the
    year it is largest (not necessarily the peak year of the fleet). A training job rented by the hour is not in it:
    its allocation (`rent_hours`) gives its accelerators and hours."""
    emissions_tco2_per_year: NonNeg | None = 0.0
    """CO2e a year from own sites' electricity at the grid average, most in any year; null where a site in use has
    no grid carbon intensity (not in the country file, no catalog facts for its jurisdiction): not known, not 0."""
    accelerators: Count
    """Accelerators in service in the peak year: bought and still in life, brownfield and rented."""
    units: Count
    """Units in service in the peak year (same basis as `accelerators`)."""
    accelerators_bought: Count = 0
    """Accelerators purchased over the horizon."""
    units_bought: Count = 0
    accelerators_rented_peak: Count = 0
    """Most accelerators rented for the year or quarters in any one year; a training job rented by the hour is
    counted in its allocation (`rent_hours`), not here."""
    residual_value_usd: Usd = 0.0
    """Value of the bought hardware still in life at the end of the horizon (straight line), credited in
    `npv_usd` (discounted to the end of the horizon)."""


class Allocation(PlanModel):
    """One acquisition: units of one hardware at one site in one year: bought, rented for that year, reserved
    for three years from it, or rented by the hour for a training job."""

    site: str
    hardware: str
    vendor: str
    year: PlanYear
    acquisition: Literal["buy", "rent", "reserve_3y", "rent_hours"]
    units: Count
    accelerators: Count
    capex_usd: Usd
    """Every capex line of the units bought (hardware at that year's price, fabric, fit-out)."""
    unit_price_usd: Usd | None = None
    """Hardware price of one unit bought that year."""
    opex_usd_per_year: Usd
    """A year of the units in service (every opex line), a year of rent, or a training job's whole rent."""
    power_kw: NonNeg
    rack_units: NonNeg
    export_status: str
    export_rule: str | None = None
    order_by: str | None = None
    """Last day to order bought units so that they work on 1 January of their year (YYYY-MM-DD); where that day is
    before the decision (or an announced product's first orders), the first day they can be ordered: they then
    arrive during the year and work from `in_service_from`."""
    in_service_from: str | None = None
    """Bought units: the first day they count as capacity, the start of the quarter they arrive in (1 January of
    their year when ordered by `order_by`)."""
    first_year_opex_usd: Usd | None = None
    """Bought units: their opex in the year they are bought for, every line prorated by the quarters they work
    from `in_service_from` on (a unit working from Q3 pays half of `opex_usd_per_year`)."""
    quarters: list[int] | None = None
    """A cloud rental billed on demand for these quarters of its year only (accelerators × hours of the quarters
    × the on-demand price); absent for a year of capacity."""
    roadmap: bool = False
    """True if the hardware is an announced, not yet shipping product."""
    accelerator_hours: NonNeg | None = None
    workload: str | None = None
    """The training job a `rent_hours` entry is for."""


class YearCosts(PlanModel):
    year: PlanYear
    capex_usd: Usd
    opex_usd: Usd
    discount_factor: NonNeg
    installed_units: Count
    """Units in service that year (bought in life, brownfield, rented)."""
    installed_accelerators: Count
    rented_accelerators: Count = 0
    capex_lines_usd: dict[str, Usd] = {}
    """capex by TCO line: hardware, fabric, fitout, storage."""
    opex_lines_usd: dict[str, Usd] = {}
    """opex by TCO line: energy, maintenance, licences, staff, colocation, rent, storage."""
    staff_fte: NonNeg = 0.0
    """Engineers the staff line pays that year: per MW and per unit at bought sites, and those a line's smallest
    team adds (where no salary is known, staff are not costed and not counted)."""
    it_power_kw: NonNeg
    """IT load at own sites that year."""
    it_power_kw_rented: NonNeg = 0.0
    emissions_tco2: NonNeg = 0.0


class InService(PlanModel):
    """Units of one hardware in service at one site in one year."""

    year: PlanYear
    site: str
    hardware: str
    units: Count
    accelerators: Count
    acquisition: Literal["buy", "rent", "existing", "mixed"] = "buy"


class SiteUse(PlanModel):
    site: str
    year: PlanYear
    facility_power_kw: NonNeg
    power_limit_kw: NonNeg
    rack_units: NonNeg
    rack_units_limit: NonNeg


class Quantity(PlanModel):
    value: NonNeg
    unit: str
    year: PlanYear | None = None
    deadline_days: NonNeg | None = None


class ServingYear(PlanModel):
    year: PlanYear
    demand_output_tokens_per_s: NonNeg
    """Busy-hour demand of the year (0 in a year before the go-live)."""
    capacity_output_tokens_per_s: NonNeg
    """Capacity of the units assigned to the demand (what the plan needs, at least the demand when met)."""
    installed_output_tokens_per_s: NonNeg = 0.0
    """Capacity of every unit serving it, spare ones included (the plan buys whole units and keeps some for
    resilience); units shared by workloads count in proportion to their use."""
    output_tokens_per_year: NonNeg
    """Tokens served in the year: in the go-live year, only from the go-live on."""
    live_quarters: list[Annotated[int, Field(ge=1, le=4)]] = [1, 2, 3, 4]
    """Quarters of the year the service is open and its capacity is held."""


class ServingPlacement(PlanModel):
    year: PlanYear
    site: str
    hardware: str
    units: NonNeg
    output_tokens_per_s: NonNeg
    quarter: Annotated[int, Field(ge=1, le=4)] | None = None
    """Absent: the split holds all year. Set: this quarter's split, where training or deliveries move which sites
    have room between quarters (serving then moves between sites from one quarter to the next)."""


class ServingPoint(PlanModel):
    """The performance model's estimate for one unit of one hardware serving this workload."""

    output_tokens_per_s: NonNeg
    chips_per_replica: Count
    replicas_per_unit: NonNeg
    batch: Count
    tpot_ms: NonNeg
    ttft_ms: NonNeg
    error_band: str | None = None
    """How far the performance model was from published runs on this hardware's profile (or uncalibrated)."""
    precision_substitution: str | None = None
    """Set where the workload allows it and this hardware lacks the precision's native units: what runs instead."""
    layout: str | None = None
    """The replica layout the estimate assumes (tp=2,pp=1; dp_attention for data-parallel attention)."""


class NotOffered(PlanModel):
    """A hardware option that cannot serve a workload, and why."""

    hardware: str
    reason: str
    """In English, as the terminal says it."""
    code: str = ""
    """The reason as a code (precision, no_fit, no_fit_layout, no_fit_domains, ttft_floor, ttft_wait_floor,
    tpot_floor, latency_pair) with its figures in `values`, for a report in another language; empty: `reason` only."""
    values: dict[str, str | float] = {}


class TrainingPlacement(PlanModel):
    site: str
    hardware: str
    units: Count
    accelerators: Count
    wall_days: NonNeg
    start: str | None = None
    """The day the run starts (YYYY-MM-DD)."""
    end: str | None = None
    """The day after the run ends: start + wall days, rounded up to a whole day."""
    quarters: list[str] = []
    """Quarters the run holds its units at an own site (2027Q1 …); they serve in the others."""
    accelerator_hours: NonNeg
    mfu: NonNeg
    goodput: NonNeg
    error_band: str | None = None
    """How far published runs were from the training estimate (held-out validation)."""


class WorkloadResult(PlanModel):
    """A workload's demand and the capacity planned for it (serving: per year and site; training: placement)."""

    name: str
    kind: str
    model: str
    demand: Quantity
    capacity: Quantity
    year: PlanYear | None = None
    tokens: NonNeg | None = None
    """Training: the job's training tokens."""
    peak_factor: NonNeg | None = None
    data_class: str | None = None
    go_live: str | None = None
    """Serving: the day the service opens (YYYY-MM-DD); capacity is held from the quarter it falls in."""
    language_premium: NonNeg | None = None
    notes: list[str] = []
    not_offered: list[NotOffered] = []
    """Serving: every hardware option that cannot serve it, and why."""
    by_year: list[ServingYear] = []
    placements: list[ServingPlacement] = []
    per_unit: dict[str, ServingPoint] = {}
    placement: TrainingPlacement | None = None


class VendorShare(PlanModel):
    accelerators: NonNeg
    """Share of the accelerators in service in the last year."""
    capex: NonNeg
    """Share of the money spent on hardware over the horizon (purchases and rent)."""
    peak_accelerators: NonNeg = 0.0
    """Highest share of the accelerators in service in any year (the vendor cap holds in every year)."""
    peak_year: PlanYear | None = None
    """The year of that highest share."""


class Risk(PlanModel):
    kind: str
    hardware: str
    units: Count
    sites: list[str]
    years: list[PlanYear]
    message: str


class Binding(PlanModel):
    constraint: str
    family: str
    category: str
    ids: list[str | int]
    lhs: Num
    rhs: Num
    unit: str
    shadow_price_usd: Num | None = None
    message: str


class Shortfall(PlanModel):
    family: str
    constraint: str
    amount: Num
    unit: str
    message: str
    code: str = ""
    """For a report in another language: the message as a code (unservable, no_allowed_vendor, training_deadline)
    with its figures in `values` and each hardware option's reason in `reasons`; empty: `message` only."""
    values: dict[str, str | float] = {}
    reasons: list[NotOffered] = []


class Remedy(PlanModel):
    family: str
    shortfalls: list[Shortfall]
    text: str | None = None
    """The change to make, where it is one field (a latency target below every option's floor)."""
    code: str = ""
    """For a report in another language: `raise_latency` with `values` (field, value in ms, hardware), or
    `raise_budget` (field; the budget needed, rounded up, the budget and the shortfall in dollars)."""
    values: dict[str, str | float] = {}


class EarliestService(PlanModel):
    """Nothing new can serve before the first service opens: when it could, and with what."""

    code: Literal["too_soon_bought", "too_soon_rented", "too_soon_training", "too_soon_training_rented"]
    values: dict[str, str | int]
    """decided, works, opens (ISO dates), year (the first year it could serve from 1 January), site, hardware, weeks;
    for a training job (`too_soon_training`): workload, start, decided, works (the day it could start), site,
    hardware, weeks."""


class Diagnosis(PlanModel):
    shortfalls: list[Shortfall]
    remedies: list[Remedy]
    complete: bool = True
    """False when the time limit ran out before every remedy was tried."""
    earliest_service: EarliestService | None = None


class Served(PlanModel):
    """How much of what was asked the plan delivers (1.0 each when everything is met)."""

    share: Annotated[float, Field(ge=0.0, le=1.0)]
    """1 minus the mean relative shortfall over every requirement row (demand, training jobs, resilience)."""
    demand_share: Annotated[float, Field(ge=0.0, le=1.0)]
    """Share of serving demand (output tokens over the horizon) that is served."""
    by_family: dict[str, Annotated[float, Field(ge=0.0, le=1.0)]] = {}
    given_up: list[Shortfall] = []
    """Requirements the plan gives up (only with `objective: max_served`)."""


class RuleCost(PlanModel):
    rule: str
    description: str
    status_without: str
    npv_usd_without: Usd | None = None
    cost_usd: Usd | None = None


class Existing(PlanModel):
    site: str
    hardware: str
    units: Count
    installed_year: PlanYear
    last_year_in_service: PlanYear


class SolverInfo(PlanModel):
    name: str
    objective_npv_usd: Num | None = None
    mip_gap: NonNeg | None = None
    """Relative gap between the plan and the best bound (None where the solver does not report it)."""
    runtime_s: NonNeg


class Provenance(PlanModel):
    input_file: str
    catalog_sha256: str
    pulp_version: str
    python: str
    created_utc: str
    as_of: str | None = None
    """The day the plan was made for (today, or PLANNER_TODAY): what is already past is judged against it."""


class TimelineEvent(PlanModel):
    """One dated step of the programme: ordering, delivery, installation, a training window, a service going
    live, a hardware refresh. Dates are YYYY-MM-DD; `end` is absent for a single day, and exclusive otherwise (a
    training window ends on the day after its run: end - start is its length in whole days)."""

    kind: Literal["decision", "order_by", "delivery", "installation", "training", "go_live", "refresh", "end_of_life"]
    label: str
    start: str
    end: str | None = None
    site: str | None = None
    hardware: str | None = None
    workload: str | None = None


Probability = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class _Indexable(PlanModel):
    """Fields also readable as `x["name"]` (templates and notebooks that treat the evaluation as a dict)."""

    def __getitem__(self, key: str) -> Any:
        if key not in type(self).model_fields:
            raise KeyError(key)
        return getattr(self, key)


class Spread3(_Indexable):
    """10th, 50th and 90th percentile of a figure over the sampled futures."""

    p10: Num
    p50: Num
    p90: Num


class YearSpread(_Indexable):
    """Cumulative cost (capex plus opex, undiscounted) from the first year to the end of `year`."""

    year: PlanYear
    p10: Num
    p50: Num
    p90: Num


class ServingChance(_Indexable):
    """How often the plan's serving capacity for one workload covers its busy-hour demand in one year."""

    workload: str
    year: PlanYear
    probability: Probability
    """Share of sampled futures in which capacity × sampled throughput ≥ sampled demand."""
    demand_p50: NonNeg
    demand_p90: NonNeg
    capacity_p10: NonNeg
    capacity_p50: NonNeg


class TrainingChance(_Indexable):
    """How often a training job finishes by its deadline on the hardware the plan gives it."""

    workload: str
    probability: Probability
    deadline_days: NonNeg
    wall_days_p50: NonNeg | None = None
    wall_days_p90: NonNeg | None = None


class UncertainInput(_Indexable):
    """One uncertain input of the evaluation: what it is, its range (as a relative change) and where from."""

    name: str
    low: Num
    high: Num
    distribution: str
    source: str


class ConfidenceSizing(_Indexable):
    """How a plan sized at `planning.confidence` was found, and what confidence it really reached."""

    target: Probability
    reached: Probability
    """Share of fresh (out-of-sample) futures in which every serving demand and training deadline is met."""
    out_of_sample: Count
    """Futures in the out-of-sample check (drawn with another seed than the sizing's)."""
    requirement_level: Probability
    """Quantile each requirement was sized at (raised until the joint confidence was reached)."""
    iterations: Count
    deterministic_npv_usd: Usd
    deterministic_capex_usd: Usd
    deterministic_reached: Probability
    """Share of the same fresh futures in which the plan sized for the planned figures meets everything."""
    extra_npv_usd: Usd
    """NPV of this plan minus that of the deterministic plan: the price of the confidence."""
    extra_capex_usd: Usd
    met: bool
    """True if `reached` is at least `target`."""


class Uncertainty(_Indexable):
    """Monte Carlo evaluation of a fixed plan: its figures over futures sampled from the input ranges."""

    samples: Count
    seed: int
    npv_usd: Spread3
    capex_usd: Spread3
    opex_usd_per_year: Spread3
    """Opex of the peak year."""
    tco_usd: Spread3
    cost_by_year: list[YearSpread] = []
    all_met: Probability
    """Share of futures in which every serving demand (every year) and every training deadline is met."""
    serving: list[ServingChance] = []
    training: list[TrainingChance] = []
    inputs: list[UncertainInput] = []
    sizing: ConfidenceSizing | None = None
    notes: list[str] = []


class Plan(PlanModel):
    """A sized plan (or, with status infeasible, its diagnosis)."""

    schema_version: Literal["2"] = SCHEMA_VERSION
    status: Literal["optimal", "feasible", "infeasible"]
    planner_version: str
    inputs_sha256: str
    country: Country
    years: Annotated[list[PlanYear], Field(min_length=1, max_length=200)]
    languages: dict[str, NonNeg]
    planning: dict[str, Any]
    policy: dict[str, Any]
    names: Names = Names()
    existing: list[Existing] = []
    scenario: str | None = None
    applied_overrides: list[dict[str, Any]] = []
    defaults_applied: list[dict[str, Any]] = []
    solver: SolverInfo
    provenance: Provenance
    totals: Totals
    allocations: list[Allocation] = []
    vendor_shares: dict[str, VendorShare] = {}
    risks: list[Risk] = []
    costs_by_year: list[YearCosts] = []
    installed: list[InService] = []
    sites: list[SiteUse] = []
    workloads: list[WorkloadResult] = []
    binding_constraints: list[Binding] = []
    diagnosis: Diagnosis | None = None
    served: Served | None = None
    rule_costs: list[RuleCost] | None = None
    timeline: list[TimelineEvent] = []
    """The programme's dated steps in date order (filled by the sizing core from decision date, lead times,
    training windows and go-live)."""
    uncertainty: Uncertainty | None = None
    """Monte Carlo evaluation of this plan under input uncertainty (planner/uncertainty/), when asked for."""
    alternatives: list[dict[str, Any]] | None = None
    """Near-optimal plans within a cost slack that differ most from this one (planner/alternatives.py)."""
    dominated_options: dict[str, str] = {}
    """Hardware options left out before solving because another is as good or better on every figure the model
    uses (option -> the one that dominates it), or because they can serve no workload and run no job
    (option -> "unusable"; the workloads' notes say why)."""
    catalog: CatalogFile = CatalogFile()
    """Every catalog entry the plan used (hardware, models, languages, efficiency profiles, country, sources)."""
    content_sha256: str | None = None
    """SHA-256 of plan.json's content without this field: `planner report` refuses a plan edited by hand."""

    @property
    def feasible(self) -> bool:
        """True if a plan exists (optimal or feasible)."""
        return self.status != "infeasible"

    def to_json(self) -> str:
        """plan.json's text (fields in the model's order, mappings in the plan's order, so it reads back equal),
        sealed with the digest of its content."""
        data = self.model_dump(mode="json")
        data["content_sha256"] = content_digest(data)
        return json.dumps(data, indent=2, allow_nan=False, ensure_ascii=False) + "\n"

    def as_dict(self) -> dict[str, Any]:
        """The plan as plain data (what plan.json holds)."""
        return self.model_dump(mode="json")

    def serving_band(self) -> tuple[float, float] | None:
        """(the serving error band of the fleet, the share of its capacity no published run validates): each
        placement's band for its model's kind, weighted by the capacity it gives; None with no serving placement."""
        from planner.perf.capacity_band import capacity_band

        view = self.catalog_view()
        placements = []
        for w in self.workloads:
            model = view.models.get(w.model) if w.model else None
            for p in w.placements:
                hw = view.hardware.get(p.hardware)
                profile = hw.efficiency_profile if hw else ""
                announced = bool(hw and hw.roadmap)
                placements.append((p.output_tokens_per_s, profile, bool(model and model.is_moe), announced))
        return capacity_band(placements) if placements else None

    def catalog_view(self) -> Any:
        """The catalog entries the plan used, as a Catalog the reports can look things up in."""
        from planner.catalog import catalog_from_file

        return catalog_from_file(self.catalog)

    def report(self, out: Path | str, formats: tuple[str, ...] | list[str] = ("md", "html")) -> list[Path]:
        """Write the reports (md, html, pdf, xlsx; json for plan.json) into `out`; the paths written."""
        from planner.report.write import write_plan_outputs

        return write_plan_outputs(self, Path(out), set(formats))

    def tables(self, *, pandas: bool | None = None) -> dict[str, Any]:
        """Tidy tables of the plan (allocations, costs by year, fleet, sites, serving): lists of rows with units
        in the column names, or pandas DataFrames when pandas is installed (or `pandas=True`)."""
        from planner.tables import plan_tables

        return plan_tables(self, pandas=pandas)

    @classmethod
    def read(cls, path: Path | str) -> Plan:
        """A saved plan.json, validated; InputError (file, field, what is wrong) for anything else."""
        name = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError([Issue(name, "", f"cannot read plan: {exc}")]) from None
        return cls.parse(text, name)

    @classmethod
    def parse(cls, text: str, name: str = "plan.json") -> Plan:
        """A plan from plan.json text; InputError for text that is not a valid plan."""
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            raise InputError([Issue(name, "", "nested too deeply to be a plan.json")]) from None
        except ValueError as exc:
            raise InputError([Issue(name, "", f"not valid JSON ({_short(exc)})")]) from None
        if not isinstance(data, dict) or "status" not in data or "totals" not in data:
            hint = "comparison.json and sweep.json are rendered by `planner compare` and `planner sweep`"
            raise InputError([Issue(name, "", "this is not a plan.json written by `planner size`", hint=hint)])
        if data.get("schema_version") != SCHEMA_VERSION:
            found = data.get("schema_version", "none (written before version 2)")
            msg = f"plan.json schema version {_short(found)}; this planner reads version {SCHEMA_VERSION}"
            raise InputError([Issue(name, "schema_version", msg, hint="run `planner size` again to recreate it")])
        try:
            plan = cls.model_validate(data)
        except ValidationError as exc:
            issues = [
                Issue(name, ".".join(str(p) for p in err["loc"]), _short(err["msg"]))
                for err in exc.errors(include_url=False)[:20]
            ]
            more = exc.error_count() - len(issues)
            if more > 0:
                issues.append(Issue(name, "", f"and {more} more problems"))
            issues[-1] = Issue(
                issues[-1].file, issues[-1].path, issues[-1].message, hint="run `planner size` again to recreate it"
            )
            raise InputError(issues) from None
        except RecursionError:
            raise InputError([Issue(name, "", "nested too deeply to be a plan.json")]) from None
        if data.get("content_sha256") != content_digest(data):
            msg = "plan.json was changed after `planner size` wrote it (its content no longer matches its digest)"
            hint = "run `planner size` again; a report must show the figures the planner computed"
            raise InputError([Issue(name, "content_sha256", msg, hint=hint)])
        return plan


def content_digest(data: dict[str, Any]) -> str:
    """SHA-256 of a plan's content (every field but the digest itself), independent of key order."""
    import hashlib

    body = {k: v for k, v in data.items() if k != "content_sha256"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _refuse_constant(token: str) -> float:
    raise ValueError(f"{token} is not a number a plan can hold")


def _short(value: Any, limit: int = 120) -> str:
    text = "".join(c if c.isprintable() else "?" for c in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"
