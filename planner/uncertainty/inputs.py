"""The uncertain inputs of a plan: one named factor per figure that may be off, with its distribution.

Names: `demand:<workload>`, `growth:<workload>` (additive), `throughput:<efficiency profile>`,
`training_time:<job>`, `price:<hardware>`, `power:<hardware>`, `rent:<cloud site>`, `electricity:<jurisdiction>`,
`fx` and `cost_line:<kind>`. Throughput is one draw per efficiency profile, shared by every workload served on
it (a modelling error of a software stack hits all its models alike); demand is one draw per workload.
"""

from __future__ import annotations

from planner.catalog import Catalog
from planner.schema.country import UncertaintyRanges
from planner.sizing.data import ProblemData
from planner.uncertainty.distributions import (
    Draw,
    from_confidence,
    from_serving_ratio,
    from_spread,
    from_training_band,
)
from planner.uncertainty.serving_errors import RATIOS

AS_PLANNED = "as planned (no range given)"
_ORDER = {"measured": 0, "vendor": 1, "estimate": 2}


ANNOUNCED_PREFIX = "announced/"


def throughput_key(hw) -> str:
    """Which throughput factor a hardware's serving estimates share: its efficiency profile's, or, for announced
    hardware (a roadmap entry), one of its own at the uncalibrated spread (no published run was on it)."""
    return f"{ANNOUNCED_PREFIX}{hw.id}" if hw.roadmap else hw.efficiency_profile


def input_factors(data: ProblemData, catalog: Catalog) -> dict[str, Draw]:
    """Every uncertain factor of the problem, by name."""
    ranges = data.spec.uncertainty
    factors: dict[str, Draw] = {}
    factors.update(_demand_factors(data, ranges))
    for key in sorted({throughput_key(hw) for hw in data.hardware.values()}):
        if key.startswith(ANNOUNCED_PREFIX):  # no published run on it: the uncalibrated spread, not its profile's
            source = f"announced hardware `{key.removeprefix(ANNOUNCED_PREFIX)}`"
            factors[f"throughput:{key}"] = from_serving_ratio(None, source)
        else:
            factors[f"throughput:{key}"] = from_serving_ratio(RATIOS.get(key), f"serving validation of `{key}`")
    for need in data.training:
        est = next(iter(need.estimates.values()))
        factors[f"training_time:{need.workload}"] = from_training_band(
            tuple(est.error_band), "training validation band (held-out published runs)"
        )
    for h, hw in sorted(data.hardware.items()):
        if ranges.hardware_prices is not None:
            factors[f"price:{h}"] = from_spread(ranges.hardware_prices, "country.yaml uncertainty.hardware_prices")
        else:
            factors[f"price:{h}"] = from_confidence(hw.provenance("price_usd_per_unit").confidence, "catalog price")
        factors[f"power:{h}"] = from_confidence(hw.provenance("power_kw_per_unit").confidence, "catalog power")
    for sid in data.sites:
        if data.is_cloud(sid):
            factors[f"rent:{sid}"] = (
                from_spread(ranges.rent, "country.yaml uncertainty.rent") if ranges.rent else _constant(1.0)
            )
    for jurisdiction in sorted({data.spec.sites[s].jurisdiction for s in data.sites if not data.is_cloud(s)}):
        factors[f"electricity:{jurisdiction}"] = _electricity(catalog, jurisdiction, ranges)
    fx = ranges.exchange_rate
    factors["fx"] = from_spread(fx, "country.yaml uncertainty.exchange_rate") if fx else _constant(1.0)
    for kind in sorted({line.kind for line in data.cost_lines}):
        worst = max((line.source.confidence for line in data.cost_lines if line.kind == kind), key=_ORDER.get)
        factors[f"cost_line:{kind}"] = from_confidence(worst, f"catalog {kind} cost line")
    return factors


def _demand_factors(data: ProblemData, ranges: UncertaintyRanges) -> dict[str, Draw]:
    out = {}
    for need in data.serving:
        own = ranges.workloads.get(need.workload)
        demand = (own and own.demand) or ranges.demand
        growth = (own and own.growth) or ranges.growth
        where = f"uncertainty.workloads.{need.workload}" if own else "uncertainty"
        out[f"demand:{need.workload}"] = (
            from_spread(demand, f"country.yaml {where}.demand") if demand else _constant(1.0)
        )
        out[f"growth:{need.workload}"] = (
            from_spread(growth, f"country.yaml {where}.growth", additive=True) if growth else _constant(0.0)
        )
    return out


def _electricity(catalog: Catalog, jurisdiction: str, ranges: UncertaintyRanges) -> Draw:
    if ranges.electricity is not None:
        return from_spread(ranges.electricity, "country.yaml uncertainty.electricity")
    facts = catalog.countries.get(jurisdiction.lower())
    confidence = facts.provenance("electricity_usd_per_kwh").confidence if facts else "estimate"
    return from_confidence(confidence, f"electricity price, {jurisdiction}")


def _constant(value: float) -> Draw:
    return Draw("constant", value, value, source=AS_PLANNED)
