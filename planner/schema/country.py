"""Schema of country.yaml: what a national AI programme needs, where it may run, and what it may spend."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from planner.schema.base import (
    Fraction,
    Id,
    PositiveFloat,
    PositiveInt,
    StrictModel,
    Year,
)

Precision = Literal["bf16", "fp8", "int8", "int4"]


class CountryInfo(StrictModel):
    """Which country the plan is for."""

    name: str = Field(min_length=1)
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
    average_power_fraction: Fraction = 0.7
    """Average power drawn over a year as a fraction of the units' maximum (for the energy bill)."""


class Budget(StrictModel):
    """Spending limits; absent limits do not constrain the plan."""

    capex_usd: PositiveFloat | None = None
    """Total capital expenditure over the horizon."""
    opex_usd_per_year: PositiveFloat | None = None
    """Operating expenditure in any one year."""


class Site(StrictModel):
    """A place hardware can be installed."""

    name: str = Field(min_length=1)
    jurisdiction: str = Field(pattern=r"^[A-Z]{2}$")
    """ISO 3166 alpha-2 code of the country whose law applies at the site."""
    kind: Literal["own_dc", "colocation"] = "own_dc"
    power_kw: PositiveFloat
    """Facility power available to the planner's hardware (IT load × PUE must fit)."""
    racks: PositiveInt
    """Racks available."""
    rack_units_per_rack: PositiveInt = 42
    pue: Annotated[float, Field(ge=1.0, le=3.0)]
    """Power usage effectiveness of the facility."""
    electricity_usd_per_kwh: PositiveFloat


class PretrainingWorkload(StrictModel):
    """Train (or continue pretraining) a model on a number of tokens before a deadline."""

    kind: Literal["pretraining"]
    model: Id
    """Model id from the catalog whose architecture is trained."""
    tokens: PositiveFloat
    """Training tokens."""
    deadline_days: PositiveFloat
    """Wall-clock days the run may take."""
    year: Year | None = None
    """Year the run takes place; the plan's first year if absent."""


class FineTuningWorkload(StrictModel):
    """Fine-tune a model (full or LoRA) on a number of tokens before a deadline."""

    kind: Literal["fine_tuning"]
    model: Id
    tokens: PositiveFloat
    method: Literal["full", "lora"] = "lora"
    deadline_days: PositiveFloat
    year: Year | None = None


class ServingWorkload(StrictModel):
    """Serve a model to a population of users under latency targets."""

    kind: Literal["serving"]
    model: Id
    users: PositiveFloat
    """Active users (daily)."""
    requests_per_user_per_day: PositiveFloat
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
    languages: dict[Id, Fraction] | None = None
    """Traffic share per language; the country's `languages` if absent."""
    growth_per_year: Annotated[float, Field(ge=-0.9, le=10.0)] = 0.0
    """Demand growth per year after the first (0.5 = +50 % a year)."""


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
    planning: Planning
    languages: dict[Id, Fraction] = Field(min_length=1)
    """Traffic share per language (ISO 639 code from the language catalog); shares sum to 1."""
    budget: Budget = Budget()
    sites: dict[Id, Site] = Field(min_length=1)
    workloads: dict[Id, Workload] = Field(min_length=1)
    hardware: list[Id] | None = None
    """Hardware options considered (catalog ids); every catalog entry if absent."""
    solver: SolverOptions = SolverOptions()

    @model_validator(mode="after")
    def _language_shares_sum_to_one(self) -> CountrySpec:
        _check_shares(self.languages, "languages")
        for wid, w in self.workloads.items():
            if isinstance(w, ServingWorkload) and w.languages is not None:
                _check_shares(w.languages, f"workloads.{wid}.languages")
        return self

    @property
    def years(self) -> list[int]:
        """Years of the plan, in order."""
        return [self.planning.start_year + i for i in range(self.planning.years)]


def _check_shares(shares: dict[str, float], where: str) -> None:
    total = sum(shares.values())
    if abs(total - 1.0) > 0.01:
        msg = f"{where}: traffic shares sum to {total:.3g}; they must sum to 1"
        raise ValueError(msg)
