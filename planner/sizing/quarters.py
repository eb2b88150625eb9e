"""Quarters inside years: when units start working, when services go live, when training jobs hold units.

Acquisitions stay yearly (integer units per site, hardware and year); capacity is checked per quarter. Pure
functions over the spec and the catalog, no PuLP:

- a unit bought for a year works from the first quarter that begins on or after its delivery (ordered at the
  decision date, or at its order-by date for later years, plus its lead time); a unit that cannot work by the
  start of the year's last quarter is not bought that year;
- a serving workload needs capacity from the quarter its `go_live` falls in (the plan's start if absent);
- a training job starts at its earliest start and holds its units in every quarter its run touches (see
  `run_quarters`); it always starts as early as it may (no choice of start: the model stays small).
"""

from __future__ import annotations

import datetime as dt
import math

from planner.schema.catalog import Hardware
from planner.schema.country import CountrySpec, ServingWorkload
from planner.sizing.rules import decision_date, order_by

QUARTERS = (1, 2, 3, 4)
Quarter = tuple[int, int]
"""(year, quarter 1–4)."""


def quarter_start(year: int, quarter: int) -> dt.date:
    """First day of a quarter."""
    return dt.date(year, 3 * quarter - 2, 1)


def quarter_hours(year: int, quarters: frozenset[int] | list[int]) -> float:
    """Hours in the given quarters of `year` (their days × 24: Q3 + Q4 = 184 days = 4,416 h), as rent is billed."""
    days = 0
    for q in quarters:
        end = quarter_start(year, q + 1) if q < 4 else dt.date(year + 1, 1, 1)
        days += (end - quarter_start(year, q)).days
    return days * 24.0


def quarter_of(day: dt.date) -> Quarter:
    """The quarter a day falls in."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_label(quarter: int) -> str:
    """Row-name id of a quarter: q1 … q4."""
    return f"q{quarter}"


def quarters_in_words(quarters: list[int], year: int | None = None) -> str:
    """Quarters as a reader writes them: Q3, Q3–Q4 (a run), Q1, Q3; with the year after them (Q3–Q4 2027)."""
    qs = sorted(quarters)
    run = len(qs) > 1 and qs == list(range(qs[0], qs[-1] + 1))
    text = f"Q{qs[0]}–Q{qs[-1]}" if run else ", ".join(f"Q{q}" for q in qs)
    return f"{text} {year}" if year is not None else text


def go_live(spec: CountrySpec, workload: str) -> dt.date:
    """The day a serving workload opens: its `go_live`, else 1 January of the plan's first year."""
    w = spec.workloads[workload]
    day = w.go_live if isinstance(w, ServingWorkload) else None
    return day or dt.date(spec.years[0], 1, 1)


def years_of_growth(spec: CountrySpec, workload: str, year: int) -> int:
    """Years of `growth_per_year` a serving workload's demand has had in `year`: its `users` are those of the year
    it opens (8 M users going live in 2028 are 8 M in 2028, not 8 M x 1.25 for a plan starting in 2027)."""
    return max(0, year - go_live(spec, workload).year)


def live_quarters(spec: CountrySpec, workload: str, year: int) -> frozenset[int]:
    """Quarters of `year` in which a serving workload needs capacity: from the quarter of its go-live on."""
    opened = quarter_of(go_live(spec, workload))
    return frozenset(q for q in QUARTERS if (year, q) >= opened)


def live_share(spec: CountrySpec, workload: str, year: int) -> float:
    """Share of `year` a serving workload is open (days from its go-live to the year's end over the year's days):
    what its yearly tokens are scaled by in its go-live year."""
    first, last = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    opened = max(go_live(spec, workload), first)
    return max(0.0, (last - opened).days / (last - first).days)


def earliest_start(spec: CountrySpec, workload: str) -> dt.date:
    """The day a training job may start: `earliest_start`, else `start_week` of its year (the plan's first year
    if absent)."""
    w = spec.workloads[workload]
    if w.earliest_start is not None:
        return w.earliest_start
    return dt.date(w.year or spec.years[0], 1, 1) + dt.timedelta(weeks=w.start_week)


def run_quarters(start: dt.date, wall_days: float) -> frozenset[Quarter]:
    """Quarters a run holds its units: every quarter from the one it starts in to the one it ends in.

    The run lasts `wall_days` from the performance estimate at the units chosen; its end, start + wall days
    rounded up to a whole day, is exclusive (a run ending on 1 April leaves Q2 free). A run that touches a
    quarter holds its units for the whole of it (a unit is not split within a quarter), so a 30-day job from
    1 January holds Q1 only, and the same job from 15 March holds Q1 and Q2."""
    end = start + dt.timedelta(days=max(1, math.ceil(wall_days - 1e-9)))
    last = quarter_of(end - dt.timedelta(days=1))
    out, (y, q) = set(), quarter_of(start)
    while (y, q) <= last:
        out.add((y, q))
        y, q = (y, q + 1) if q < 4 else (y + 1, 1)
    return frozenset(out)


def run_end(start: dt.date, wall_days: float) -> dt.date:
    """The day a run ends (exclusive): its start plus its wall-clock days, rounded up to a whole day."""
    return start + dt.timedelta(days=max(1, math.ceil(wall_days - 1e-9)))


def earliest_order(hw: Hardware, spec: CountrySpec) -> dt.date | None:
    """The first day `hw` can be ordered: the decision date, or an announced product's first deliveries less its
    lead time; None if its end of sale has passed by then."""
    lead = dt.timedelta(weeks=hw.lead_time_weeks)
    first = decision_date(spec)
    if hw.available_from is not None:
        first = max(first, hw.available_from - lead)
    if hw.end_of_sale is not None and first > hw.end_of_sale:
        return None
    return first


def order_date(hw: Hardware, spec: CountrySpec, year: int) -> dt.date | None:
    """When units bought for `year` are ordered: their order-by date (to work on 1 January), or, if that has
    passed, as soon as they can be (they then arrive during the year); None if they cannot be ordered."""
    first = earliest_order(hw, spec)
    if first is None:
        return None
    latest = order_by(hw, year)
    return latest if first <= latest else first


def delivery(hw: Hardware, spec: CountrySpec, year: int) -> dt.date | None:
    """The day units bought for `year` arrive (None if they cannot be ordered)."""
    ordered = order_date(hw, spec, year)
    return None if ordered is None else ordered + dt.timedelta(weeks=hw.lead_time_weeks)


def first_working_quarter(hw: Hardware, spec: CountrySpec, year: int) -> int | None:
    """The first quarter of `year` in which units bought for it work (1 when they arrive by 1 January); None if
    they cannot work by the start of the year's last quarter (they are not bought for that year)."""
    arrived = delivery(hw, spec, year)
    if arrived is None:
        return None
    return next((q for q in QUARTERS if arrived <= quarter_start(year, q)), None)


def in_service_from(hw: Hardware, spec: CountrySpec, year: int) -> dt.date | None:
    """First day units bought for `year` count as capacity: the start of their first working quarter."""
    q = first_working_quarter(hw, spec, year)
    return None if q is None else quarter_start(year, q)
