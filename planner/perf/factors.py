"""A factor of the performance model together with where its value comes from."""

from __future__ import annotations

from dataclasses import dataclass

from planner.schema.catalog import EfficiencyProfile


@dataclass(frozen=True)
class Factor:
    """One number the estimate rests on, and its provenance (shown in reports)."""

    value: float
    source: str


def profile_source(profile: EfficiencyProfile, field: str) -> str:
    """Provenance text of one field of an efficiency profile."""
    src = profile.provenance(field)
    parts = [f"efficiency profile {profile.id}: ref {src.ref}"]
    if src.as_of:
        parts.append(f"as of {src.as_of}")
    text = ", ".join(parts) + f" ({src.confidence})"
    return f"{text}; {src.note}" if src.note else text


def profile_factor(profile: EfficiencyProfile, field: str, override: float | None, flag: str) -> Factor:
    """The profile's value of `field`, unless the user overrides it (then say so)."""
    if override is not None:
        if not 0.0 < override <= 1.0:
            msg = f"{flag} must be in (0, 1], got {override}"
            raise ValueError(msg)
        return Factor(float(override), f"override ({flag})")
    return Factor(float(getattr(profile, field)), profile_source(profile, field))


def constant(value: float, why: str) -> Factor:
    """A modelling constant of this package (not calibrated per hardware)."""
    return Factor(float(value), f"model constant: {why}")
