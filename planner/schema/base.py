"""Shared pydantic base and annotated types for every input the planner reads."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

# snake_case, no double underscore: safe inside PuLP names and splittable on "__".
ID_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
# No figure of a plan comes near 1e18 (a quintillion dollars, kilowatts or tokens); larger numbers are typing
# mistakes, and products of them overflow the float range in the performance model and the solver.
MAX_MAGNITUDE = 1e18
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
PositiveFloat = Annotated[float, Field(gt=0.0, le=MAX_MAGNITUDE)]
NonNegFloat = Annotated[float, Field(ge=0.0, le=MAX_MAGNITUDE)]
PositiveInt = Annotated[int, Field(gt=0, le=10**12)]
NonNegInt = Annotated[int, Field(ge=0, le=10**12)]
Year = Annotated[int, Field(ge=2000, le=2100)]
Confidence = Literal["measured", "vendor", "estimate"]


class StrictModel(BaseModel):
    """Base of every schema: unknown keys are errors, values are immutable once loaded."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        populate_by_name=False,
        allow_inf_nan=False,  # "inf", "Infinity", "NaN" in quotes are not numbers either
    )
