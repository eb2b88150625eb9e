"""Schema of country.yaml: what a national AI programme needs, where it may run, and what it may spend."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from planner.schema.base import (
    Fraction,
    Id,
    NonNegFloat,
    PositiveFloat,
    StrictModel,
    Year,
)

Precision = Literal["bf16", "fp8", "int8", "int4"]


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
    hardware_life_years: Annotated[int, Field(ge=1, le=15)] = 5
    """Years a unit stays in service after purchase."""
    serving_utilisation: Annotated[float, Field(gt=0.0, le=1.0)] = 0.7
    """Target busy-hour utilisation of serving capacity (keeps queues and TTFT short)."""
    decision_weeks_before_start: NonNegFloat = 26.0
    """Weeks between the purchase decision and 1 January of the first year; hardware whose lead time is
    longer cannot serve in the first year (and later years' orders are placed a year ahead)."""
    objective: Literal["min_cost", "max_served"] = "min_cost"
    """min_cost: cheapest plan that meets every requirement; max_served: serve as much of the demand (and
    place as many training jobs) as the limits allow, then at least cost."""
    average_power_fraction: Fraction = 0.7
    """Average power drawn over a year as a fraction of the units' maximum (for the energy bill)."""


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
    """Cloud sites: hardware offered (catalog id) and its price per accelerator-hour, reserved all year."""
    max_accelerators: Annotated[int, Field(gt=0, le=100_000_000)] | None = None
    """Cloud sites: most accelerators the region can reserve for the programme."""
    existing: list[ExistingUnits] = []
    """Hardware already installed here before the plan starts (brownfield)."""

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
    """No vendor above this share of the accelerators (or capex) bought over the horizon."""
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
    data_class: Id | None = None
    """Data class (a key of `data_locality`) that decides where the job may run."""


class FineTuningWorkload(StrictModel):
    """Fine-tune a model (full or LoRA) on a number of tokens before a deadline."""

    kind: Literal["fine_tuning"]
    """fine_tuning"""
    model: Id
    """Model id from the catalog that is fine-tuned."""
    tokens: PositiveFloat
    """Fine-tuning tokens."""
    method: Literal["full", "lora"] = "lora"
    """full (all weights, as pretraining) or lora (adapters: about 2/3 of the compute, far less memory)."""
    deadline_days: PositiveFloat
    """Wall-clock days the run may take."""
    year: Year | None = None
    """Year the run takes place; the plan's first year if absent."""
    start_week: Annotated[int, Field(ge=0, le=51)] = 0
    """Week of that year the run starts; hardware must have arrived by then."""
    data_class: Id | None = None
    """Data class (a key of `data_locality`) that decides where the job may run."""


class ServingWorkload(StrictModel):
    """Serve a model to a population of users under latency targets."""

    kind: Literal["serving"]
    """serving"""
    model: Id
    """Model id from the catalog that is served."""
    users: PositiveFloat
    """Active users (daily)."""
    requests_per_user_per_day: PositiveFloat
    """Mean requests (prompts) per active user per day."""
    input_tokens_per_request: PositiveFloat
    """Mean prompt length in English-equivalent tokens (the language premium is applied)."""
    output_tokens_per_request: PositiveFloat
    """Mean answer length in English-equivalent tokens."""
    peak_factor: Annotated[float, Field(ge=1.0, le=20.0)] = 3.0
    """Busy-hour demand over the daily average."""
    ttft_ms: PositiveFloat | None = None
    """Target mean time to first token."""
    tpot_ms: PositiveFloat | None = None
    """Target mean time per output token."""
    precision: Literal["bf16", "fp8", "int8", "int4"] = "bf16"
    """Numeric precision of the served weights: bf16, fp8, int8 or int4 (weight-only below 8 bits)."""
    languages: dict[Id, Fraction] | None = None
    """Traffic share per language; the country's `languages` if absent."""
    growth_per_year: Annotated[float, Field(ge=-0.9, le=10.0)] = 0.0
    """Demand growth per year after the first (0.5 = +50 % a year)."""
    data_class: Id | None = None
    """Data class (a key of `data_locality`) that decides where the workload may run."""

    @field_validator("languages")
    @classmethod
    def _language_shares_sum_to_one(cls, shares: dict[str, float] | None) -> dict[str, float] | None:
        return _check_shares(shares)


Workload = Annotated[PretrainingWorkload | FineTuningWorkload | ServingWorkload, Field(discriminator="kind")]


class SolverOptions(StrictModel):
    """How the optimisation is solved."""

    name: Literal["highs", "cbc"] = "highs"
    """HiGHS (default) or COIN-OR CBC."""
    time_limit_s: PositiveFloat = 60.0
    """Wall-clock limit; the best plan found by then is returned with status `feasible`."""
    mip_gap: Annotated[float, Field(ge=0.0, le=0.5)] = 0.0001
    """Relative optimality gap at which the solver may stop."""


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

    @field_validator("languages")
    @classmethod
    def _language_shares_sum_to_one(cls, shares: dict[str, float]) -> dict[str, float]:
        return _check_shares(shares)

    @property
    def years(self) -> list[int]:
        """Years of the plan, in order."""
        return [self.planning.start_year + i for i in range(self.planning.years)]


def _check_shares(shares: dict[str, float] | None) -> dict[str, float] | None:
    total = sum((shares or {}).values())
    if shares is not None and abs(total - 1.0) > 0.01:
        msg = f"traffic shares sum to {total:.3g}; they must sum to 1"
        raise ValueError(msg)
    return shares
