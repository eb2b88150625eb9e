"""Schema of country.yaml: what a national AI programme needs, where it may run, and what it may spend."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from planner.schema.base import (
    Fraction,
    Id,
    NonNegFloat,
    PositiveFloat,
    StrictModel,
    Year,
)

Precision = Literal["bf16", "fp8", "int8", "int4", "fp4", "nvfp4", "mxfp4"]


class CountryInfo(StrictModel):
    """Which country the plan is for."""

    name: str = Field(min_length=1)
    """Country name as it should appear in the proposal."""
    iso2: str = Field(pattern=r"^[A-Z]{2}$")
    """ISO 3166 alpha-2 code, upper case (MY, KZ)."""


class Planning(StrictModel):
    """Horizon and financial assumptions."""

    start_year: Year
    """First year of the plan; hardware bought this year is in service this year."""
    years: Annotated[int, Field(ge=1, le=15)] = 1
    """Number of years planned."""
    discount_rate: Annotated[float, Field(ge=0.0, le=0.5)] = 0.08
    """Real discount rate for the net present value of costs."""
    hardware_life_years: Annotated[
        int, Field(ge=1, le=15, json_schema_extra={"shown_default": "each hardware's catalog life_years, else 5"})
    ] = 5
    """Years a unit stays in service after purchase; if absent, each hardware class's `life_years` from the catalog
    (5 where the catalog has none)."""
    serving_utilisation: Annotated[float, Field(gt=0.0, le=1.0)] = 0.7
    """Target busy-hour utilisation of serving capacity (keeps queues and TTFT short)."""
    decision_date: dt.date | None = None
    """Date the purchase decision is made (orders can be placed from then on); today if absent. Nothing can
    arrive before it plus its lead time."""
    decision_weeks_before_start: NonNegFloat | None = None
    """Older form of the decision date: weeks before 1 January of the first year (used only if given and
    `decision_date` is not)."""
    residual_value: Literal["straight_line", "none"] = "straight_line"
    """Value of hardware still in life at the end of the horizon, credited in the NPV: straight_line over its life
    (hardware bought in the last year keeps most of its value), or none."""
    objective: Literal["min_cost", "max_served"] = "min_cost"
    """min_cost: cheapest plan that meets every requirement; max_served: serve as much of the demand (and
    place as many training jobs) as the limits allow, then at least cost."""
    average_power_fraction: Fraction = 0.7
    """Average power drawn over a year as a fraction of the units' maximum (for the energy bill)."""
    confidence: Annotated[float, Field(ge=0.5, le=0.999)] | None = None
    """Size for uncertainty: the cheapest plan found that meets every serving demand and training deadline in
    this share of futures sampled from the `uncertainty` ranges and the catalog's error bands (e.g. 0.9);
    absent: size for the planned figures as given."""


class Budget(StrictModel):
    """Spending limits; absent limits do not constrain the plan."""

    capex_usd: PositiveFloat | None = None
    """Total capital expenditure over the horizon."""
    opex_usd_per_year: PositiveFloat | None = None
    """Operating expenditure in any one year."""
    capex_usd_by_year: dict[Year, PositiveFloat] = {}
    """Capital expenditure allowed in particular years."""


SiteKind = Literal["own_dc", "colocation", "sovereign_cloud", "foreign_cloud"]


class ExistingUnits(StrictModel):
    """Hardware already installed at a site (brownfield)."""

    hardware: Id
    """Catalog id of the installed hardware."""
    units: Annotated[int, Field(gt=0, le=1_000_000)]
    """Units installed."""
    installed_year: Year
    """Year the units entered service; they retire after the hardware life."""


class Site(StrictModel):
    """A place hardware can be installed, or a cloud region where it can be rented."""

    name: str = Field(min_length=1)
    """Site name as it should appear in the proposal."""
    jurisdiction: str = Field(pattern=r"^[A-Z]{2}$")
    """ISO 3166 alpha-2 code of the country whose law applies at the site."""
    kind: SiteKind = "own_dc"
    """own_dc or colocation (hardware is bought), sovereign_cloud or foreign_cloud (rented by the hour)."""
    power_kw: PositiveFloat | None = None
    """Facility power available to the planner's hardware (IT load × PUE must fit); required for bought hardware."""
    racks: Annotated[int, Field(gt=0, le=1_000_000)] | None = None
    """Racks available; required for bought hardware."""
    rack_units_per_rack: Annotated[int, Field(gt=0, le=100)] = 42
    """Usable rack units (U) per rack."""
    pue: Annotated[float, Field(ge=1.0, le=3.0)] | None = None
    """Power usage effectiveness of the facility; the country catalog's default for `facility` if absent."""
    electricity_usd_per_kwh: PositiveFloat | None = None
    """Electricity price; the country catalog's default for the jurisdiction if absent."""
    grid_gco2_per_kwh: NonNegFloat | None = None
    """Carbon intensity of the site's electricity; the country's grid average from the catalog if absent."""
    facility: Literal["legacy", "new_air", "new_liquid"] = "new_air"
    """Kind of facility, used only to pick the default PUE: legacy (air-cooled colocation), new_air, new_liquid."""
    rent_usd_per_accelerator_hour: dict[Id, PositiveFloat] = {}
    """Cloud sites: hardware offered (catalog id) and its on-demand price per accelerator-hour (training jobs pay
    it for the hours they run; a year of serving capacity pays it all year unless a reservation is cheaper)."""
    max_accelerators: Annotated[int, Field(gt=0, le=100_000_000)] | None = None
    """Cloud sites: most accelerators the region can reserve for the programme."""
    existing: list[ExistingUnits] = []
    """Hardware already installed here before the plan starts (brownfield)."""
    cooling: Literal["air", "liquid", "both"] | None = None
    """Cooling the site offers: air, liquid (direct-to-chip) or both; from `facility` if absent (new_liquid: both,
    otherwise air). Liquid-cooled hardware is placed only where liquid cooling exists."""
    max_kw_per_rack: PositiveFloat | None = None
    """Most IT power one rack may draw (power and cooling density); hardware denser than this takes more racks
    (a unit over it cannot be placed at all)."""
    power_kw_by_year: dict[Year, PositiveFloat] = {}
    """Site phases: facility power from a year on (e.g. phase 2 in 2029), replacing `power_kw` from then."""
    racks_by_year: dict[Year, Annotated[int, Field(gt=0, le=1_000_000)]] = {}
    """Site phases: racks from a year on, replacing `racks` from then."""
    rent_1y_usd_per_accelerator_hour: dict[Id, PositiveFloat] = {}
    """Cloud sites: price per accelerator-hour with a one-year reservation (billed all year); absent: a year of
    capacity is billed at the on-demand `rent_usd_per_accelerator_hour`."""
    rent_3y_usd_per_accelerator_hour: dict[Id, PositiveFloat] = {}
    """Cloud sites: price per accelerator-hour with a three-year reservation (a commitment billed for three years,
    even past the horizon)."""

    def cooling_offered(self) -> str:
        """air, liquid or both: as declared, or what the facility kind implies."""
        if self.cooling is not None:
            return self.cooling
        return "both" if self.facility == "new_liquid" else "air"

    def power_kw_in(self, year: int) -> float | None:
        """Facility power in `year` (the latest phase that has started)."""
        phases = [y for y in self.power_kw_by_year if y <= year]
        return self.power_kw_by_year[max(phases)] if phases else self.power_kw

    def racks_in(self, year: int) -> int | None:
        """Racks in `year` (the latest phase that has started)."""
        phases = [y for y in self.racks_by_year if y <= year]
        return self.racks_by_year[max(phases)] if phases else self.racks

    @property
    def is_cloud(self) -> bool:
        """True if hardware is rented here rather than bought."""
        return self.kind in ("sovereign_cloud", "foreign_cloud")

    @model_validator(mode="after")
    def _kind_has_its_fields(self) -> Site:
        if self.is_cloud:
            if not self.rent_usd_per_accelerator_hour:
                msg = "a cloud site needs rent_usd_per_accelerator_hour (hardware id: price)"
                raise ValueError(msg)
            if self.existing:
                msg = "a cloud site cannot have existing (bought) hardware"
                raise ValueError(msg)
            return self
        missing = [f for f in ("power_kw", "racks") if getattr(self, f) is None]
        if missing:
            msg = f"a site where hardware is bought needs {', '.join(missing)}"
            raise ValueError(msg)
        if self.rent_usd_per_accelerator_hour:
            msg = "rent_usd_per_accelerator_hour is only for sovereign_cloud or foreign_cloud sites"
            raise ValueError(msg)
        return self


class DataClassRule(StrictModel):
    """Where workloads of one data class may run; an absent list does not restrict."""

    jurisdictions: list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]] | None = None
    """ISO 3166 alpha-2 codes of the jurisdictions allowed."""
    site_kinds: list[SiteKind] | None = None
    """Kinds of site allowed (own_dc, colocation, sovereign_cloud, foreign_cloud)."""


class Policy(StrictModel):
    """Sovereignty rules on hardware supply."""

    allowed_vendors: list[Id] | None = None
    """Only these vendors (e.g. [huawei]); every vendor if absent."""
    vendor_max_share: Fraction | None = None
    """No vendor above this share of the accelerators in service in any year (bought, brownfield and rented for the
    year alike; a training job rented by the hour counts in the capex basis only), or, with `vendor_share_basis:
    capex`, of the money spent on hardware over the horizon. Hardware that can do none of the plan's work does not
    count."""
    vendor_share_basis: Literal["accelerators", "capex"] = "accelerators"
    """What vendor_max_share and min_allied_share count: accelerators, or capital expenditure."""
    min_allied_share: Fraction | None = None
    """At least this share of the accelerators bought comes from `allied_origins`."""
    allied_origins: list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]] = []
    """Countries of origin (ISO alpha-2) counted as domestic or allied supply."""
    allow_licence_required: bool = True
    """Accept hardware that needs an export licence for the site's jurisdiction."""
    allow_legal_risk: bool = True
    """Accept hardware whose use there carries legal risk (e.g. US guidance on Ascend abroad)."""
    resilience_fraction: Fraction | None = None
    """Serving still covers this fraction of peak demand when any single site is lost."""
    acquisition: Literal["any", "rent_only", "buy_only"] = "any"
    """rent_only: nothing is bought (cloud regions only); buy_only: nothing is rented."""


class PretrainingWorkload(StrictModel):
    """Train (or continue pretraining) a model on a number of tokens before a deadline."""

    kind: Literal["pretraining"]
    """pretraining (also continued pretraining of an existing model)."""
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    """The workload's name as the proposal should show it (its id in words when absent)."""
    model: Id
    """Model id from the catalog whose architecture is trained."""
    tokens: PositiveFloat
    """Training tokens."""
    deadline_days: PositiveFloat
    """Wall-clock days the run may take."""
    year: Year | None = None
    """Year the run takes place; the plan's first year if absent."""
    start_week: Annotated[int, Field(ge=0, le=51)] = 0
    """Week of that year the run starts; hardware must have arrived by then."""
    earliest_start: dt.date | None = None
    """Day the run may start (YYYY-MM-DD), instead of `year` and `start_week`; it must finish within
    `deadline_days` of it. The run holds its units only in the quarters it runs; they serve before and after."""
    data_class: Id | None = None
    """Data class (a key of `data_locality`) that decides where the job may run."""

    @model_validator(mode="after")
    def _one_start(self):
        return _check_start(self)


class FineTuningWorkload(StrictModel):
    """Fine-tune a model (full or LoRA) on a number of tokens before a deadline."""

    kind: Literal["fine_tuning"]
    """fine_tuning"""
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    """The workload's name as the proposal should show it (its id in words when absent)."""
    model: Id
    """Model id from the catalog that is fine-tuned."""
    tokens: PositiveFloat
    """Fine-tuning tokens."""
    method: Literal["full", "lora", "qlora", "continued_pretraining"] = "lora"
    """full (all weights, as pretraining), lora (adapters: about 2/3 of the compute, far less memory), qlora
    (LoRA on 4-bit frozen weights: less memory still, dequantised every pass) or continued_pretraining (all
    weights on a pretraining-sized batch)."""
    deadline_days: PositiveFloat
    """Wall-clock days the run may take."""
    year: Year | None = None
    """Year the run takes place; the plan's first year if absent."""
    start_week: Annotated[int, Field(ge=0, le=51)] = 0
    """Week of that year the run starts; hardware must have arrived by then."""
    earliest_start: dt.date | None = None
    """Day the run may start (YYYY-MM-DD), instead of `year` and `start_week`; it must finish within
    `deadline_days` of it. The run holds its units only in the quarters it runs; they serve before and after."""
    data_class: Id | None = None
    """Data class (a key of `data_locality`) that decides where the job may run."""

    @model_validator(mode="after")
    def _one_start(self):
        return _check_start(self)


class ServingWorkload(StrictModel):
    """Serve a model to a population of users under latency targets."""

    kind: Literal["serving"]
    """serving"""
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    """The workload's name as the proposal should show it (its id in words when absent)."""
    model: Id
    """Model id from the catalog that is served."""
    users: PositiveFloat
    """Active users (daily) in the year the service opens (the plan's first year, or the year of `go_live`)."""
    requests_per_user_per_day: PositiveFloat
    """Mean requests (prompts) per active user per day."""
    input_tokens_per_request: PositiveFloat
    """Mean prompt length in English-equivalent tokens (the language premium is applied)."""
    output_tokens_per_request: PositiveFloat
    """Mean answer length in English-equivalent tokens."""
    output_tokens_cv: Annotated[float, Field(ge=0.0, le=10.0)] | None = None
    """Spread of answer lengths: their standard deviation over their mean (about 1 for chat, where most answers
    are short and a few are long; 0 or absent: every answer has the mean length). Running requests then hold
    more KV cache than the mean suggests, as long answers stay in the batch longer."""
    peak_factor: Annotated[float, Field(ge=1.0, le=20.0)] = 3.0
    """Busy-hour demand over the daily average."""
    ttft_ms: PositiveFloat | None = None
    """Target time to first token (a mean or a percentile: `latency_target`)."""
    tpot_ms: PositiveFloat | None = None
    """Target time per output token (a mean or a percentile: `latency_target`)."""
    latency_target: Literal["mean", "p50", "p90", "p95", "p99"] = "p95"
    """Whether `ttft_ms` and `tpot_ms` are means (at full load) or a percentile of requests arriving at random
    (Poisson) at the busy hour: p95 by default, as service levels are usually stated."""
    precision: Precision = "bf16"
    """Numeric precision served: bf16, fp8 (W8A8), int8 (W8A8), int4 (weight-only W4A16), fp4/nvfp4/mxfp4 (W4A4).
    Hardware without native units for it is not offered for the workload (the plan says why)."""
    allow_precision_substitution: bool = False
    """Offer hardware that lacks `precision`'s native units at its nearest native precision instead (fp8 on Ascend
    910B runs as int8 W8A8); the plan and the report name each substitution. Off: such hardware is left out."""
    languages: dict[Id, Fraction] | None = None
    """Traffic share per language; the country's `languages` if absent."""
    growth_per_year: Annotated[float, Field(ge=-0.9, le=10.0)] = 0.0
    """Demand growth per year after the year the service opens (0.5 = +50 % a year)."""
    go_live: dt.date | None = None
    """Day the service opens (YYYY-MM-DD, or a quarter such as 2027Q3 for its first day); the start of the plan
    if absent. No capacity is needed before the quarter it falls in; from then its year's busy-hour peak is served in
    every quarter (growth still counts from the plan's first year), and in its year the tokens served count from it."""
    data_class: Id | None = None
    """Data class (a key of `data_locality`) that decides where the workload may run."""

    @field_validator("languages")
    @classmethod
    def _language_shares_sum_to_one(cls, shares: dict[str, float] | None) -> dict[str, float] | None:
        return _check_shares(shares)

    @field_validator("go_live", mode="before")
    @classmethod
    def _quarter_is_its_first_day(cls, value: Any) -> Any:
        return quarter_first_day(value)


Workload = Annotated[PretrainingWorkload | FineTuningWorkload | ServingWorkload, Field(discriminator="kind")]


class SolverOptions(StrictModel):
    """How the optimisation is solved."""

    name: Literal["highs", "cbc"] = "highs"
    """HiGHS (default) or COIN-OR CBC."""
    time_limit_s: PositiveFloat = 60.0
    """Wall-clock limit; the best plan found by then is returned with status `feasible`."""
    mip_gap: Annotated[float, Field(ge=0.0, le=0.5)] = 0.0001
    """Relative optimality gap at which the solver may stop."""


class CostLineOverride(StrictModel):
    """Fields of a catalog cost line that country.yaml changes (see `planner catalog list cost_lines`)."""

    capex_usd_per_accelerator: NonNegFloat | None = None
    """Fabric lines: one-off cost per accelerator bought."""
    opex_usd_per_accelerator_year: NonNegFloat | None = None
    """Licence lines: yearly cost per accelerator in service."""
    capex_usd_per_kw: NonNegFloat | None = None
    """Fit-out lines: one-off cost per kW of IT power bought at an own data centre."""
    opex_usd_per_kw_month: NonNegFloat | None = None
    """Colocation lines: rent per kW of IT power and month (where the country catalog has none)."""
    fte_per_mw: NonNegFloat | None = None
    """Staff lines: engineers per MW of IT power in service."""
    fte_per_100_units: NonNegFloat | None = None
    """Staff lines: engineers per 100 units in service."""
    min_fte: NonNegFloat | None = None
    """Staff lines: the smallest team in a year any unit the line covers is in service (0: none)."""
    capex_usd_per_pb: NonNegFloat | None = None
    """Storage lines: storage bought per petabyte."""
    opex_usd_per_pb_year: NonNegFloat | None = None
    """Storage lines: storage operated per petabyte and year."""
    pb_per_trillion_tokens: NonNegFloat | None = None
    """Storage lines: corpus footprint per trillion training tokens."""
    pb_per_billion_params: NonNegFloat | None = None
    """Storage lines: checkpoints kept per billion model parameters."""
    staff_usd_per_fte_year: PositiveFloat | None = None
    """Staff lines: salary per engineer and year, instead of the country catalog's."""


class Spread(StrictModel):
    """A range around a planned figure: the change from it, at the lowest and the highest."""

    low: Annotated[float, Field(ge=-0.95, le=0.0)]
    """Largest fall (-0.3 = 30 % below the planned figure; for growth, 30 points less growth a year)."""
    high: Annotated[float, Field(ge=0.0, le=10.0)]
    """Largest rise (0.5 = 50 % above the planned figure)."""
    distribution: Literal["triangular", "uniform"] = "triangular"
    """triangular: the planned figure is the most likely value, falling off to `low` and `high`; uniform: every
    value between them is as likely."""


class WorkloadSpread(StrictModel):
    """Ranges for one serving workload, instead of the programme-wide ones."""

    demand: Spread | None = None
    """Change of the workload's first-year demand."""
    growth: Spread | None = None
    """Change of its `growth_per_year` (in points: 0.1 = ten points more growth a year)."""


class UncertaintyRanges(StrictModel):
    """How far the planned figures may be off, for the Monte Carlo evaluation (`planner size --monte-carlo N`)
    and for sizing at `planning.confidence`. Catalog figures without a range here get one from their
    confidence (measured, vendor, estimate); throughput and training time vary within the performance model's
    validation error bands."""

    demand: Spread | None = None
    """Change of every serving workload's first-year demand (users × requests × tokens)."""
    growth: Spread | None = None
    """Change of every serving workload's `growth_per_year`, in points (0.1 = ten points more a year)."""
    hardware_prices: Spread | None = None
    """Change of the purchase price of each hardware (instead of the range its price confidence gives)."""
    rent: Spread | None = None
    """Change of cloud rent (on-demand and reserved), one draw per cloud site; absent: the rent is as given."""
    electricity: Spread | None = None
    """Change of the electricity price, one draw per jurisdiction (instead of the country catalog's range)."""
    exchange_rate: Spread | None = None
    """Change of the local currency's value in US dollars (0.1 = 10 % stronger): what is paid locally (energy,
    staff, colocation rent) costs that much more in dollars; absent: no exchange-rate risk."""
    workloads: dict[Id, WorkloadSpread] = {}
    """Serving workloads (by id) whose demand or growth has its own range."""
    samples: Annotated[int, Field(ge=10, le=1_000_000)] = 1000
    """Futures sampled (evaluation and sizing at a confidence)."""
    seed: Annotated[int, Field(ge=0, le=2**32 - 1)] = 1
    """Seed of the sampling: the same seed gives the same futures."""


class CountrySpec(StrictModel):
    """A national AI programme: the whole content of country.yaml."""

    country: CountryInfo
    """Which country the plan is for."""
    planning: Planning
    """Horizon and financial assumptions."""
    languages: dict[Id, Fraction] | None = Field(None, min_length=1)
    """Traffic share per language (ISO 639 code from the language catalog); shares sum to 1. If absent, the
    country catalog's main languages, in proportion to their users."""
    budget: Budget = Budget()
    """Spending limits."""
    sites: dict[Id, Site] = Field(min_length=1)
    """Sites by id (snake_case): data centres, colocation halls and cloud regions."""
    workloads: dict[Id, Workload] = Field(min_length=1)
    """Workloads by id: pretraining, fine_tuning or serving (the `kind` key)."""
    hardware: list[Id] | None = Field(None, min_length=1)
    """Hardware options considered (catalog ids); every catalog entry if absent."""
    data_locality: dict[Id, DataClassRule] = {}
    """Data classes (e.g. sensitive, internal, public) and where their workloads may run."""
    policy: Policy = Policy()
    """Sovereignty rules on hardware supply and resilience."""
    overrides: dict[Id, dict[str, Any]] = {}
    """Named sets of changes, dotted key -> value (e.g. budget.capex_usd: 90e6), used by scenarios and --scenario."""
    scenarios: dict[Id, list[Id]] = {}
    """Named lists of overrides or other scenarios, applied in order (`planner size --scenario NAME`)."""
    solver: SolverOptions = SolverOptions()
    """Solver choice, time limit and optimality gap."""
    costs: dict[Id, CostLineOverride | Literal[False]] = {}
    """Changes to the catalog's cost lines (fabric, storage, licences, staff, fit-out, colocation) by line id: the
    fields to change, or false to leave a line out."""
    uncertainty: UncertaintyRanges = UncertaintyRanges()
    """Ranges for demand, growth, prices and exchange rates (Monte Carlo and `planning.confidence`)."""

    @field_validator("languages")
    @classmethod
    def _language_shares_sum_to_one(cls, shares: dict[str, float]) -> dict[str, float]:
        return _check_shares(shares)

    @field_validator("uncertainty")
    @classmethod
    def _uncertainty_names_serving_workloads(cls, ranges: UncertaintyRanges, info: ValidationInfo) -> UncertaintyRanges:
        workloads = info.data.get("workloads")
        if workloads is None:  # invalid themselves: already reported
            return ranges
        serving = sorted(w for w, spec in workloads.items() if spec.kind == "serving")
        unknown = sorted(set(ranges.workloads) - set(serving))
        if unknown:
            import difflib

            near = difflib.get_close_matches(unknown[0], serving, n=1)
            msg = (
                f"`workloads` names {', '.join(f'`{w}`' for w in unknown)}, not a serving workload of this file "
                f"(serving workloads: {', '.join(serving) or 'none'})"
                + (f"; did you mean `{near[0]}`?" if near else "")
            )
            raise ValueError(msg)
        return ranges

    @property
    def years(self) -> list[int]:
        """Years of the plan, in order."""
        return [self.planning.start_year + i for i in range(self.planning.years)]


def _check_shares(shares: dict[str, float] | None) -> dict[str, float] | None:
    total = sum((shares or {}).values())
    if shares is not None and abs(total - 1.0) > 0.01:
        listed = " + ".join(f"{code} {share:g}" for code, share in shares.items())
        scaled = ", ".join(f"{code}: {share / total:.3g}" for code, share in shares.items()) if total > 0 else ""
        msg = f"traffic shares sum to {total:.3g} ({listed}); they must sum to 1"
        if scaled:
            msg += f" (scaled to 1 they would read {scaled})"
        raise ValueError(msg)
    return shares


_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


def quarter_first_day(value: Any) -> Any:
    """ "2027Q3" (or 2027-Q3) as 1 July 2027; any other value unchanged (a date is checked as a date)."""
    match = _QUARTER.match(value) if isinstance(value, str) else None
    if not match:
        return value
    return dt.date(int(match.group(1)), 3 * int(match.group(2)) - 2, 1)


def _check_start(job):
    """`earliest_start` names the day itself: a `year` or `start_week` that disagrees with it is an error."""
    start = job.earliest_start
    if start is None:
        return job
    if job.year is not None and job.year != start.year:
        msg = f"earliest_start {start.isoformat()} is not in year {job.year}; give one of them"
        raise ValueError(msg)
    if job.start_week:
        msg = "give earliest_start or start_week, not both"
        raise ValueError(msg)
    return job
