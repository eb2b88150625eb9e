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


# The training model computes MFU and goodput from the layout and the chip count (planner/perf/training.py): a
# profile's end-to-end `training_mfu`, `moe_training_mfu` and `goodput` only bound the `--mfu`/`--goodput` overrides.
_NEVER_READ = ("training_mfu", "moe_training_mfu", "goodput")


def unread_fields(profile: EfficiencyProfile) -> set[str]:
    """Fields of `profile` no estimate reads: the end-to-end training figures, and the end-to-end serving
    efficiencies where kernel factors replace them (`gemm_efficiency`, `bandwidth_efficiency`)."""
    out = set(_NEVER_READ)
    if profile.gemm_efficiency:
        out.add("compute_efficiency")
    if profile.bandwidth_efficiency is not None:
        out.add("memory_efficiency")
    return out
