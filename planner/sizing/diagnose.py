"""Explain infeasible plans: what is short, by how much, and what would restore feasibility.

HiGHS and CBC give no irreducible infeasible set through PuLP, so requirement rows are made elastic
(penalised shortfall variables). Two questions are answered:
- which single family, relaxed alone, restores feasibility, and by how little (the remedies);
- when every family may give way at once, which rows give way (the combined shortfall).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from planner.errors import SolverError
from planner.sizing.data import ProblemData, not_offered
from planner.sizing.families.sites import installable, one_unit_fits
from planner.sizing.family import N_
from planner.sizing.model import BuiltModel, build_model
from planner.sizing.quarters import earliest_order, quarter_of, quarter_start
from planner.sizing.rows import FAMILIES, REQUIREMENT_FAMILIES, parse_row_name
from planner.sizing.rules import decision_date, export_allowed, export_status
from planner.sizing.solve import SolveStatus, make_solver, solve

TOLERANCE = 1e-6
_REQUIREMENTS_LABEL = N_("what was asked (serving demand, training jobs, resilience)")
# How a remedy line is worded (English here, the report's language through `remedy_lines(..., tr=)`)
_RELAX_ONLY = N_("%(shortfalls)s — relaxing only: %(rule)s")
_RELAX_ONLY_MORE = N_("%(shortfalls)s (and %(more)s more) — relaxing only: %(rule)s")
_RAISE_LATENCY = N_(
    "raise `%(field)s` to at least %(value)s ms (the lowest floor of the hardware the sites can take, on "
    "`%(hardware)s`)"
)


@dataclass(frozen=True)
class Shortfall:
    """One requirement that cannot be met, and by how much."""

    family: str
    constraint: str
    amount: float
    unit: str
    message: str
    code: str = ""
    """Where a report says it in its own language: the message as a code (unservable, no_allowed_vendor,
    training_deadline) with its figures in `values` and, for serving, each option's reason in `reasons`."""
    values: dict[str, Any] = field(default_factory=dict)
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain-dict form for plan.json."""
        return asdict(self)


def unservable_workloads(data: ProblemData) -> list[Shortfall]:
    """Workloads that no hardware option can run at all (SLO, memory or deadline out of reach)."""
    out = []
    for need in data.serving:
        if not need.usable_tokens_per_s_per_unit:
            # latency floors first, lowest first: they say how far the target is from what some hardware can do
            ranked = sorted(
                ((h, e.reason) for h, e in need.estimates.items() if e.reason),
                key=lambda he: (_floor(he[1]) is None, (_floor(he[1]) or (0.0, ""))[0], he[0]),
            )
            reasons = [f"{h}: {reason}" for h, reason in ranked]
            more = f" (and {len(reasons) - 3} more options)" if len(reasons) > 3 else ""
            msg = f"no hardware option can serve `{need.workload}`: " + "; ".join(reasons[:3]) + more
            why = [not_offered(h, need.estimates[h]) for h, _r in ranked]
            out.append(
                Shortfall(
                    "demand_coverage",
                    f"demand_coverage__{need.workload}",
                    1.0,
                    "workload",
                    msg,
                    "unservable",
                    {"workload": need.workload},
                    why,
                )
            )
        elif (vendors := data.spec.policy.allowed_vendors) is not None and not any(
            data.hardware[h].vendor in vendors and _fits_a_site(data, h) for h in need.usable_tokens_per_s_per_unit
        ):
            out.append(_no_allowed_vendor(data, need, vendors))
    for need in data.training:
        if not need.units_needed:
            fastest = min(need.estimates.items(), key=lambda kv: kv[1].wall_days, default=None)
            deadline = data.spec.workloads[need.workload].deadline_days
            detail = f"; the fastest option, `{fastest[0]}`, needs {fastest[1].wall_days:.0f} days" if fastest else ""
            msg = f"no hardware option can finish `{need.workload}` within its {deadline:g}-day deadline{detail}"
            values: dict[str, Any] = {"workload": need.workload, "deadline": deadline}
            if fastest:
                values |= {"fastest": fastest[0], "days": round(fastest[1].wall_days)}
            out.append(
                Shortfall(
                    "training_placement",
                    f"training_placement__{need.workload}",
                    1.0,
                    "job",
                    msg,
                    "training_deadline",
                    values,
                )
            )
    return out


_FLOOR = re.compile(r"(TPOT|TTFT) target [\d.]+ ms below the (?:prefill )?floor ([\d.,]+) ms")


def _floor(reason: str) -> tuple[float, str] | None:
    """(floor in ms, `tpot_ms` or `ttft_ms`) where an estimate failed only on a latency target below its floor."""
    m = _FLOOR.search(reason)
    return (float(m.group(2).replace(",", "")), f"{m.group(1).lower()}_ms") if m else None


def latency_fixes(data: ProblemData) -> list[dict[str, Any]]:
    """For each serving workload no hardware can serve because a latency target is below every floor: the field
    to raise and the value that lets the fastest option serve it, as a remedy (English `text`, and `code` and
    `values` for a report in another language)."""
    fixes = []
    vendors = data.spec.policy.allowed_vendors
    for need in data.serving:
        if need.usable_tokens_per_s_per_unit:
            continue
        # options that fail only on a latency floor; the others (no fp8 units, too big to fit) a target cannot help
        floors = [(f, h) for h, e in need.estimates.items() if e.reason and (f := _floor(e.reason))]
        if not floors:
            continue
        # only hardware the country could install somewhere (its cooling, rack power and vendor rules) can serve
        # at the raised target: a floor on a liquid-cooled rack no site can take restores nothing
        floors = [
            (f, h)
            for f, h in floors
            if any(installable(data, s, h) for s in data.sites)
            and (vendors is None or data.hardware[h].vendor in vendors)
        ]
        if floors:
            (value, key), hw = min(floors)
            values = {"field": f"workloads.{need.workload}.{key}", "value": f"{value:g}", "hardware": hw}
            fixes.append(
                {
                    "family": "latency_targets",
                    "text": _RAISE_LATENCY % values,
                    "code": "raise_latency",
                    "values": values,
                    "shortfalls": [],
                }
            )
    return fixes


_TOO_SOON_BOUGHT = N_(
    "nothing ordered from the decision date (%(decided)s) can work before %(works)s (the quickest, `%(hardware)s`, "
    "takes %(weeks)s weeks to arrive at `%(site)s`), yet the first service needs capacity from %(opens)s (the start "
    "of the quarter it opens in): open it on %(quarter)s or later (`go_live`), plan from %(year)s "
    "(`planning.start_year`) or decide earlier (`planning.decision_date`)"
)
_TOO_SOON_TRAINING = N_(
    "`%(workload)s` starts on %(start)s, but nothing ordered from the decision date (%(decided)s) can run it before "
    "%(works)s (the quickest, `%(hardware)s` at `%(site)s`, takes %(weeks)s weeks to arrive): set its "
    "`earliest_start` to %(works)s or later, or decide earlier (`planning.decision_date`)"
)
_TOO_SOON_TRAINING_RENTED = N_(
    "`%(workload)s` starts on %(start)s, before the decision date (%(decided)s): nothing can be bought or rented "
    "for it before then: set its `earliest_start` to %(works)s or later, or decide earlier (`planning.decision_date`)"
)
_TOO_SOON_RENTED = N_(
    "no capacity can be rented or delivered before %(works)s (rent starts with a year that begins after the "
    "decision date, %(decided)s), yet the first service needs capacity from %(opens)s (the start of the quarter it "
    "opens in): open it on %(quarter)s or later (`go_live`), plan from %(year)s (`planning.start_year`) or decide "
    "earlier (`planning.decision_date`)"
)


def _quarter_start(day: dt.date) -> dt.date:
    """The first day of a quarter on or after `day` (bought units work from the quarter after they arrive)."""
    year, quarter = quarter_of(day)
    start = quarter_start(year, quarter)
    return start if start == day else quarter_start(year + quarter // 4, quarter % 4 + 1)


def _quickest(
    data: ProblemData, usable: set[str], year: int, *, hourly: bool
) -> tuple[dt.date, str, str, float] | None:
    """(day it could first work, site, hardware, weeks to arrive) of the quickest option in `usable` (allowed,
    installable, exportable in `year`). Cloud capacity starts with the first quarter that begins on or after the
    decision (rented on demand for the rest of that year); rented by the hour (a training job), on the decision
    day."""
    decided = decision_date(data.spec)
    vendors = data.spec.policy.allowed_vendors
    policy = data.spec.policy.acquisition  # buy_only: a cloud region is no way out; rent_only: a bought site is none
    best: tuple[dt.date, str, str, float] | None = None
    for s, h in data.pairs():
        hw, site = data.hardware[h], data.spec.sites[s]
        if h not in usable or not installable(data, s, h) or (vendors is not None and hw.vendor not in vendors):
            continue
        if not one_unit_fits(data, s, h, year):
            continue
        if policy == ("rent_only" if not data.is_cloud(s) else "buy_only"):
            continue
        if not export_allowed(export_status(hw, site.jurisdiction, year)[0], data.spec):
            continue
        if data.is_cloud(s):
            works = decided if hourly else _quarter_start(decided)
            weeks = 0.0
        else:
            ordered = earliest_order(hw, data.spec)
            if ordered is None:
                continue
            works, weeks = ordered + dt.timedelta(weeks=hw.lead_time_weeks), hw.lead_time_weeks
        if best is None or (works, weeks) < (best[0], best[3]):
            best = (works, s, h, weeks)
    return best


def earliest_service(data: ProblemData) -> dict[str, Any] | None:
    """When new hardware could first work, if that is after the first service opens or a training job starts: the
    quickest option that can do it (allowed, installable, exportable), its delivery and what would do instead.
    None when something could be working in time, or brownfield units are there."""
    if any(site.existing for site in data.spec.sites.values()):
        return None
    decided = decision_date(data.spec)
    opening = [
        quarter_start(year, min(quarters)) for need in data.serving for year, quarters in need.live.items() if quarters
    ]
    if opening:
        opens = min(opening)
        # hardware that can serve a service opening then (an fp8 service cannot wait for a box without fp8)
        first = [n for n in data.serving for y, qs in n.live.items() if qs and quarter_start(y, min(qs)) == opens]
        servers = {h for need in first for h in need.usable_tokens_per_s_per_unit}
        best = _quickest(data, servers, opens.year, hourly=False)
        if best is not None and best[0] > opens:
            works, s, h, weeks = best
            values = {
                "decided": decided.isoformat(),
                "works": works.isoformat(),
                "opens": opens.isoformat(),
                "quarter": _quarter_start(works).isoformat(),
                "year": works.year + (works > dt.date(works.year, 1, 1)),
                "site": s,
                "hardware": h,
                "weeks": f"{weeks:g}",
            }
            return {"code": "too_soon_rented" if data.is_cloud(s) else "too_soon_bought", "values": values}
    for need in sorted((n for n in data.training if n.start), key=lambda n: n.start):
        best = _quickest(data, set(need.units_needed), need.start.year, hourly=True)
        if best is None:
            continue
        works, s, h, weeks = best
        can_start = works if data.is_cloud(s) else _quarter_start(works)  # bought units work from a quarter on
        if can_start > need.start:
            values = {
                "workload": need.workload,
                "start": need.start.isoformat(),
                "decided": decided.isoformat(),
                "works": can_start.isoformat(),
                "site": s,
                "hardware": h,
                "weeks": f"{weeks:g}",
            }
            return {"code": "too_soon_training_rented" if data.is_cloud(s) else "too_soon_training", "values": values}
    return None


def _largest_site_kw(data: ProblemData, h: str) -> tuple[float, float]:
    """(IT power one unit of `h` draws at the bought site with most room for it, with its PUE; that site's most
    facility power in any year), over the sites `h` could be installed at."""
    best = (math.inf, 0.0)
    for sid in data.sites:
        site = data.spec.sites[sid]
        if site.is_cloud or not installable(data, sid, h):
            continue
        power = max((site.power_kw_in(y) or 0.0) for y in data.years)
        need = data.hardware[h].power_kw_per_unit * (site.pue or 1.0)
        if power - need > best[1] - best[0]:
            best = (need, power)
    return best


def _fits_a_site(data: ProblemData, h: str) -> bool:
    """One unit of `h` can be had somewhere: a cloud region offers it, or a bought site can take it (cooling, rack
    power) and has the facility power for it in some year."""
    if any(data.is_cloud(s) and installable(data, s, h) for s in data.sites):
        return True
    need, power = _largest_site_kw(data, h)
    return need <= power


def _larger_than_sites(data: ProblemData, h: str) -> dict[str, Any]:
    """Why hardware that could serve cannot be had at any site, as a `not_offered` entry."""
    kw, site_kw = _largest_site_kw(data, h)
    if not math.isfinite(kw):
        reason = "no site can take it (it needs liquid cooling, or more power per rack than any site allows)"
        return {"hardware": h, "reason": reason, "code": "no_site_takes_it", "values": {}}
    reason = f"one unit needs {kw:,.0f} kW of facility power, more than any site has ({site_kw:,.0f} kW)"
    values = {"kw": round(kw), "site_kw": round(site_kw)}
    return {"hardware": h, "reason": reason, "code": "larger_than_sites", "values": values}


def _no_allowed_vendor(data: ProblemData, need, vendors: list[str]) -> Shortfall:
    """A serving workload only hardware of vendors the policy rules out can run: say why the allowed ones cannot
    (their estimate's reason, or that one unit is larger than any site)."""
    allowed = sorted(h for h in need.estimates if data.hardware[h].vendor in vendors)
    reasons = [f"`{h}`: {need.estimates[h].reason}" for h in allowed if need.estimates[h].reason]
    too_big = [h for h in allowed if h in need.usable_tokens_per_s_per_unit and not _fits_a_site(data, h)]
    larger = [_larger_than_sites(data, h) for h in too_big]
    reasons = [f"`{r['hardware']}`: {r['reason']}" for r in larger] + reasons
    others = sorted(h for h in need.usable_tokens_per_s_per_unit if data.hardware[h].vendor not in vendors)
    able = ", ".join(f"`{h}`" for h in others[:4])
    more = ", ..." if len(others) > 4 else ""
    msg = (
        f"no hardware of the allowed vendors ({', '.join(vendors)}) can serve `{need.workload}`"
        + (": " + "; ".join(reasons[:3]) if reasons else " (none is in the catalog or the country file's list)")
        + f"; the hardware that can ({able}{more}) is from other vendors"
    )
    values = {"vendors": ", ".join(vendors), "workload": need.workload, "able": f"{able}{more}"}
    why = [not_offered(h, need.estimates[h]) for h in allowed if need.estimates[h].reason]
    why = larger + why
    return Shortfall(
        "vendor_allowed", f"demand_coverage__{need.workload}", 1.0, "workload", msg, "no_allowed_vendor", values, why
    )


MIN_SOLVE_S = 0.5
"""Below this much time left, a diagnosis solve is not started (the run keeps to its --time-limit)."""


def diagnose(data: ProblemData, deadline: float | None = None) -> dict[str, Any]:
    """The diagnosis of an infeasible plan: `shortfalls` (all families relaxed) and `remedies` (one family each).

    Every solve shares the time left before `deadline` (time.monotonic()); when it runs out, the remedies not yet
    tried are skipped and `complete` is false, so the whole run stays within its time limit."""
    blocked = unservable_workloads(data)
    if blocked:
        return {
            "shortfalls": [s.to_json() for s in blocked],
            "remedies": latency_fixes(data),
            "complete": True,
            "earliest_service": earliest_service(data),
        }
    clock = _Clock(deadline)
    soft = frozenset(name for name, fam in FAMILIES.items() if fam.soft)
    combined = _relaxed(data, soft, clock) or []
    # with no time left the remedies are skipped below: do not build a model just to list them
    present = _families_present(data, soft) if clock.left() >= MIN_SOLVE_S else set()
    remedies = []
    # requirements scaled down first: it always answers, and says how much of what was asked fits
    # one rule at a time: the families that implement one rule together (acquisition policy for serving and for
    # training) are relaxed together, labelled by the rule's first family
    rules: dict[str, set[str]] = {}
    for f in sorted(present - REQUIREMENT_FAMILIES):
        rules.setdefault(FAMILIES[f].priced_as or f, set()).add(f)
    for families, label in [
        (present & REQUIREMENT_FAMILIES, "requirements"),
        *((frozenset(group), min(group)) for _, group in sorted(rules.items())),
    ]:
        if clock.left() < MIN_SOLVE_S:
            clock.cut = True
            break
        alone = _relaxed(data, families, clock)
        if alone:
            remedies.append({"family": label, "shortfalls": [s.to_json() for s in alone], **_budget_fix(data, alone)})
    remedies.sort(key=lambda r: r["family"] == "requirements")  # the single-family remedies read first
    return {
        "shortfalls": [s.to_json() for s in combined],
        "remedies": remedies,
        "complete": not clock.cut,
        "earliest_service": earliest_service(data),
    }


_RAISE_BUDGET = N_("raise `%(field)s` to at least %(needed)s (it is %(budget)s; short by %(short)s)")


def _budget_fix(data: ProblemData, alone: list[Shortfall]) -> dict[str, Any]:
    """The budget to write, where relaxing only the capital budget or the operating budget restores a plan: the
    budget plus the largest shortfall (a year's, for the operating budget). Empty for any other rule."""
    budget = data.spec.budget
    fields = {
        "budget_capex": ("budget.capex_usd", budget.capex_usd),
        "budget_opex": ("budget.opex_usd_per_year", budget.opex_usd_per_year),
    }
    families = {s.family for s in alone}
    if len(families) != 1 or (family := families.pop()) not in fields or fields[family][1] is None:
        return {}
    field_name, value = fields[family]
    short = max(s.amount for s in alone)
    # rounded up to three figures, written in full: a figure rounded down ($4.1 M for $4.13 M) would still be short
    needed = value + short
    step = 10.0 ** (math.floor(math.log10(needed)) - 2)
    values = {"field": field_name, "needed": math.ceil(needed / step) * step, "budget": value, "short": short}
    return {"code": "raise_budget", "values": values}


class _Clock:
    """Time left for the diagnosis' solves."""

    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline
        self.cut = False

    def left(self) -> float:
        return float("inf") if self.deadline is None else self.deadline - time.monotonic()


def _families_present(data: ProblemData, soft: frozenset[str]) -> set[str]:
    built = build_model(data)
    return {parse_row_name(name)[0] for name in built.rows} & soft


def _relaxed(data: ProblemData, families: frozenset[str], clock: _Clock | None = None) -> list[Shortfall] | None:
    """Shortfalls of the smallest relaxation of `families`; None if relaxing them is not enough (or if the time
    left ran out before any answer)."""
    built = build_model(data, elastic=families)
    options = data.spec.solver
    limit = min(options.time_limit_s, max(MIN_SOLVE_S, clock.left())) if clock else options.time_limit_s
    solver = make_solver(options.name, time_limit_s=limit, mip_gap=options.mip_gap)
    try:
        outcome = solve(built.problem, solver)
    except SolverError:  # out of time with no relaxed plan: this remedy is not known
        if clock:
            clock.cut = True
        return None
    if outcome.status is SolveStatus.INFEASIBLE:
        return None
    return _shortfalls(built, data)


def _shortfalls(built: BuiltModel, data: ProblemData | None = None) -> list[Shortfall]:
    out = []
    said: set[str] = set()  # an export reason is given once per hardware, not on each site and year
    for name, slack in built.variables.slack.items():
        amount = slack.value() or 0.0
        if amount <= TOLERANCE * max(1.0, abs(built.rows[name].rhs)):
            continue
        family, ids = parse_row_name(name)
        message = shortfall_message(name, amount)
        if family == "resilience":
            message = _resilience_message(built, ids, amount, message)
        if family == "export_availability" and data is not None and ids[1] not in said:
            message += _export_reason(data, ids)
            said.add(ids[1])
        out.append(Shortfall(family, name, amount, FAMILIES[family].unit, message))
    return out


def _export_reason(data: ProblemData, ids: tuple[str, ...]) -> str:
    """Which rule keeps the hardware out, and the policy key that would accept it: "sold only in CN" says no
    setting helps; a licence or a legal risk says which `policy` key the programme would have to change."""
    site, h, year = ids[0], ids[1], int(ids[2])
    status, rule = data.export.get((site, h, year), ("allowed", None))
    where = data.spec.sites[site].jurisdiction
    note = f" ({rule.note.rstrip('.')})" if rule is not None and rule.note else ""
    if status == "licence_required":
        return f": it needs an export licence in {where}{note}; `policy.allow_licence_required: true` accepts it"
    if status == "legal_risk":
        return f": its use in {where} carries legal risk{note}; `policy.allow_legal_risk: true` accepts it"
    if status == "prohibited":
        return f": it may not be exported to {where}{note}"
    return ""


def _resilience_message(built: BuiltModel, ids: tuple[str, ...], amount: float, message: str) -> str:
    """A resilience row for a site the workload may not use is short because the sites it may use also take the
    failover of the lost site's workloads: say so, naming the workload's own sites, not the lost one as its loss."""
    lost, workload, year = ids[0], ids[1], ids[2]
    allowed = built.variables.groups.get(workload)
    if allowed is None or lost in allowed:
        return message
    own = ", ".join(f"`{s}`" for s in sorted(allowed))
    return (
        f"`{workload}` is short of {format_amount(amount, 'output tokens/s')} output tokens/s of its resilience "
        f"share in {year} at the sites it may use ({own}) while they also take over the work of lost site `{lost}`"
    )


def shortfall_message(
    row: str,
    amount: float,
    tr: Callable[[str], str] | None = None,
    amount_text: Callable[[float, str], str] | None = None,
) -> str:
    """The sentence for a row left short by `amount`, from its family's wording (for a report in another language:
    translated by `tr`, gettext-style, with the amount written by `amount_text(amount, unit)`)."""
    family, ids = parse_row_name(row)
    meta = FAMILIES[family]
    template = tr(meta.shortfall) if tr else meta.shortfall
    text = template.format(ids=ids, amount=(amount_text or format_amount)(amount, meta.unit))
    return _quarters_in_words(re.sub(r"\b1 units\b", "1 unit", text))


def _quarters_in_words(text: str) -> str:
    """Row ids name a quarter `2027 q1`; a reader writes Q1 2027."""
    return re.sub(r"\b(\d{4}) q([1-4])\b", r"Q\2 \1", text)


def format_amount(amount: float, unit: str) -> str:
    """Human form of a shortfall: $41.2 M, 3.20 MW, 212 kW; other units are left to the sentence."""
    if unit.startswith("USD"):
        return format_usd(amount)
    if unit == "kW":  # under 10 kW with a decimal, so a real shortfall never reads as "0 kW"
        return (
            f"{amount / 1000:,.2f} MW"
            if amount >= 1000
            else f"{amount:,.0f} kW"
            if amount >= 10
            else f"{amount:.2g} kW"
        )
    if amount >= 10 or abs(amount - round(amount)) < 1e-6:
        return f"{round(amount):,}"
    return f"{amount:,.2f}"


def format_usd(amount: float) -> str:
    """$1.23 B, $41.2 M, $350 k, $900 (a loss below half a dollar is $0, not -$0)."""
    sign = "-" if amount <= -0.5 else ""
    a = abs(amount)
    if a >= 1e9:
        return f"{sign}${a / 1e9:,.2f} B"
    if a >= 1e6:
        return f"{sign}${a / 1e6:,.1f} M"
    if a >= 1e3:
        return f"{sign}${a / 1e3:,.0f} k"
    return f"{sign}${a:,.0f}"


def remedy_lines(
    diagnosis: dict[str, Any] | None,
    say: Callable[[dict[str, Any]], str] | None = None,
    tr: Callable[..., str] | None = None,
    money: Callable[[float], str] | None = None,
) -> tuple[list[str], list[str]]:
    """(what is short with everything relaxed, one line per single-family remedy) as sentences; `say` words a
    shortfall (a report in another language), else its English `message`; `tr` translates this module's wording
    (gettext-style: `tr(msgid, **values)`), else English; `money` writes a dollar amount in whole dollars (the
    report's format), else English."""
    if not diagnosis:
        return [], []
    word = say or (lambda s: s["message"])
    words = tr or _english
    short = _distinct(word(s) for s in diagnosis["shortfalls"])
    if too_soon := diagnosis.get("earliest_service"):  # the one change that the shortfalls only hint at
        template = {
            "too_soon_rented": _TOO_SOON_RENTED,
            "too_soon_training": _TOO_SOON_TRAINING,
            "too_soon_training_rented": _TOO_SOON_TRAINING_RENTED,
        }.get(too_soon["code"], _TOO_SOON_BOUGHT)
        short.insert(0, words(template, **too_soon["values"]))
    remedies = []
    for remedy in diagnosis["remedies"]:
        if remedy.get("code") == "raise_latency":  # the change to make: a latency target below every floor
            remedies.append(words(_RAISE_LATENCY, **remedy["values"]))
            continue
        if remedy.get("code") == "raise_budget":  # the budget to write, not the rule to relax
            v = remedy["values"]
            amounts = {k: (money or _english_usd)(float(v[k])) for k in ("needed", "budget", "short")}
            remedies.append(words(_RAISE_BUDGET, field=v["field"], **amounts))
            continue
        if remedy.get("text"):  # a plan.json of an earlier release: English only
            remedies.append(remedy["text"])
            continue
        family = FAMILIES.get(remedy["family"])
        rule = words(family.description).rstrip(".。") if family else words(_REQUIREMENTS_LABEL)
        messages = _distinct(word(s) for s in remedy["shortfalls"])
        parts = "; ".join(messages[:4])
        more = len(messages) - 4
        if more > 0:
            remedies.append(words(_RELAX_ONLY_MORE, shortfalls=parts, more=more, rule=rule))
        else:
            remedies.append(words(_RELAX_ONLY, shortfalls=parts, rule=rule))
    return short, remedies


def _english_usd(amount: float) -> str:
    return f"${amount:,.0f}"


def _english(msgid: str, **values: Any) -> str:
    return msgid % values if values else msgid


def _distinct(messages: Iterable[str]) -> list[str]:
    """Messages in order, each once: rows of different site groups can read word for word the same."""
    return list(dict.fromkeys(messages))
