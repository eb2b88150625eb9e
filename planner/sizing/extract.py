"""Read a solved model back into the plan.json structure (plain dicts, stable order)."""

from __future__ import annotations

from typing import Any

import pulp

from planner.perf.training import training_band_note
from planner.sizing import quarters
from planner.sizing.data import HOURS_PER_YEAR, ProblemData, ServingNeed, TrainingNeed, not_offered
from planner.sizing.diagnose import format_usd
from planner.sizing.families.coverage import training_running
from planner.sizing.families.sites import rack_units_taken
from planner.sizing.model import BuiltModel
from planner.sizing.rows import FAMILIES, REQUIREMENT_FAMILIES, families_in, parse_row_name
from planner.sizing.solve import make_solver
from planner.sizing.variables import in_service_units, installed, opex_cohorts, working

BINDING_TOLERANCE = 1e-6


def value(expr: Any) -> float:
    """Numeric value of a PuLP expression or variable (0 when empty)."""
    v = pulp.value(expr)
    return float(v) if v is not None else 0.0


def units_value(expr: Any) -> float:
    """Value of an expression counting units, which is never negative: the solver's round-off (a sum of a few
    variables at -1e-13) is 0."""
    return max(value(expr), 0.0)


def units_acquired(built: BuiltModel) -> dict[tuple[str, str, int], int]:
    """Integer acquisitions (bought, or rented for the year) with non-zero units, keyed by (site, hardware, year)."""
    out = {}
    for key, var in built.variables.acquire.items():
        units = round(var.value() or 0.0)
        if units > 0:
            out[key] = units
    return out


def allocations(data: ProblemData, built: BuiltModel) -> list[dict[str, Any]]:
    """One entry per acquisition: units bought, rented for a year, reserved for three years, or rented by the hour
    for a training job, with accelerators, capex (every capex line), opex, power, order-by date and export status."""
    rows = []
    acquired = sorted(units_acquired(built).items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1]))
    for (s, h, y), units in acquired:
        cloud = data.is_cloud(s)
        rows.append(
            _allocation(
                data,
                s,
                h,
                y,
                units,
                "rent" if cloud else "buy",
                capex=units * data.unit_capex(s, h, y) if not cloud else 0.0,
                opex=units * data.opex_usd_per_unit_year(s, h, None if cloud else y),
            )
        )
    for (s, h, y), var in sorted(built.variables.reserve3.items()):
        units = round(var.value() or 0.0)
        if units > 0:
            opex = units * data.reserved_3y_usd_per_unit_year(s, h)
            rows.append(_allocation(data, s, h, y, units, "reserve_3y", capex=0.0, opex=opex))
    for (s, h, y, c), var in sorted(built.variables.on_demand.items(), key=lambda kv: (kv[0][:3], min(kv[0][3]))):
        units = round(var.value() or 0.0)
        if units > 0:
            opex = units * data.on_demand_usd(s, h, y, c)
            rows.append({**_allocation(data, s, h, y, units, "rent", capex=0.0, opex=opex), "quarters": sorted(c)})
    for need in data.training:
        for (w, s, h), var in built.variables.place.items():
            if w == need.workload and data.is_cloud(s) and (var.value() or 0) > 0.5:
                units = need.units_needed[h]
                entry = _allocation(
                    data, s, h, need.year, units, "rent_hours", capex=0.0, opex=data.training_rent_usd(need, s, h)
                )
                entry["accelerator_hours"] = (
                    need.estimates[h].wall_days * 24.0 * units * data.hardware[h].chips_per_unit
                )
                entry["workload"] = w
                rows.append(entry)
    return sorted(rows, key=lambda r: (r["year"], r["site"], r["hardware"], r["acquisition"], r.get("quarters") or []))


def _allocation(data, s, h, y, units, how, *, capex: float, opex: float) -> dict[str, Any]:
    hw = data.hardware[h]
    status, rule = data.export[s, h, y]
    bought = how == "buy"
    ordered = quarters.order_date(hw, data.spec, y) if bought else None
    working = quarters.in_service_from(hw, data.spec, y) if bought else None
    return {
        "site": s,
        "hardware": h,
        "vendor": hw.vendor,
        "year": y,
        "acquisition": how,
        "units": units,
        "accelerators": units * hw.chips_per_unit,
        "capex_usd": capex,
        "unit_price_usd": data.unit_price(s, h, y) if bought else None,
        "opex_usd_per_year": opex,
        "power_kw": units * hw.power_kw_per_unit,
        "rack_units": units * hw.rack_units,
        "export_status": status,
        "export_rule": _rule_text(rule),
        "order_by": ordered.isoformat() if ordered else None,
        "in_service_from": working.isoformat() if working else None,
        "first_year_opex_usd": opex * data.service_share(s, h, y, y) if bought else None,
        "roadmap": hw.roadmap,
    }


def _rule_text(rule) -> str | None:
    if rule is None:
        return None
    when = f" from {rule.from_date.isoformat()}" if rule.from_date else ""
    return f"{rule.status}{when}: {rule.note}".strip()


def vendor_shares(data: ProblemData, allocs: list[dict[str, Any]], fleet: list[dict[str, Any]]) -> dict[str, dict]:
    """Each vendor's share of the accelerators in service in the last year (bought, brownfield and rented), its
    highest share in any year with that year (the vendor cap holds in every year: a vendor at 70 % in the first
    year may have none in the last), and its share of the money spent on hardware over the horizon (purchases and
    rent)."""
    by_year: dict[int, dict[str, float]] = {}
    for r in fleet:
        vendor = data.hardware[r["hardware"]].vendor
        year = by_year.setdefault(r["year"], {})
        year[vendor] = year.get(vendor, 0) + r["accelerators"]
    chips = by_year.get(data.years[-1], {})
    peak: dict[str, tuple[float, int]] = {}
    for y in sorted(by_year):
        total = sum(by_year[y].values()) or 1
        for vendor, n in by_year[y].items():
            if n / total > peak.get(vendor, (0.0, y))[0] + 1e-12:
                peak[vendor] = (n / total, y)
    spend: dict[str, float] = {}
    for a in allocs:
        cost = a["capex_usd"] if a["acquisition"] == "buy" else a["opex_usd_per_year"]
        spend[a["vendor"]] = spend.get(a["vendor"], 0.0) + cost
    total_chips, total_spend = sum(chips.values()) or 1, sum(spend.values()) or 1.0
    return {
        v: {
            "accelerators": chips.get(v, 0) / total_chips,
            "capex": spend.get(v, 0.0) / total_spend,
            "peak_accelerators": peak.get(v, (0.0, None))[0],
            "peak_year": peak.get(v, (0.0, None))[1],
        }
        for v in sorted(set(chips) | set(spend) | set(peak))
    }


def roadmap_risks(data: ProblemData, allocs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Plan items that rely on an announced, not yet shipping product, one line per hardware."""
    out = []
    for h in sorted({a["hardware"] for a in allocs if a.get("roadmap")}):
        items = [a for a in allocs if a["hardware"] == h]
        hw = data.hardware[h]
        units = sum(a["units"] for a in items)
        years = sorted({a["year"] for a in items})
        since = f", first deliveries announced for {hw.available_from.isoformat()}" if hw.available_from else ""
        out.append(
            {
                "kind": "roadmap",
                "hardware": h,
                "units": units,
                "sites": sorted({a["site"] for a in items}),
                "years": years,
                "message": f"{units} × `{h}` rely on an announced product{since}: its performance, price and date "
                "are the vendor's announcements, not shipping figures",
            }
        )
    return out


# Risks of hardware that counts towards a vendor-share rule and does little or no work (idle_risks, diluting_risks).
VENDOR_SHARE_RISK_KINDS = ("idle", "standby", "diluting")


def idle_risks(
    data: ProblemData, allocs: list[dict[str, Any]], workloads: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Hardware bought that neither serves nor trains in any year, where a vendor-share rule is what buys it: the
    plan meets the rule's letter with idle units. Under a resilience rule, hardware that could serve is left out
    (standby units are idle by design)."""
    policy = data.spec.policy
    if policy.vendor_max_share is None and policy.min_allied_share is None:
        return []
    standby = (
        {h for need in data.serving for h in need.usable_tokens_per_s_per_unit} if policy.resilience_fraction else set()
    )
    working = {(p["site"], p["hardware"]) for w in workloads for p in w.get("placements") or []}
    working |= {(w["placement"]["site"], w["placement"]["hardware"]) for w in workloads if w.get("placement")}
    rule = "policy.vendor_max_share" if policy.vendor_max_share is not None else "policy.min_allied_share"
    out = []
    idle = [
        a
        for a in allocs
        if a["acquisition"] == "buy" and (a["site"], a["hardware"]) not in working and a["hardware"] not in standby
    ]
    # units that could serve but never do: under a resilience rule they may be its standby, and they still count
    # towards the vendor shares (a trial's plan met a 60 % cap with inference boxes that did no work)
    standing = [
        a
        for a in allocs
        if a["acquisition"] == "buy" and (a["site"], a["hardware"]) not in working and a["hardware"] in standby
    ]
    for group, standby_kind in ((idle, False), (standing, True)):
        for h in sorted({a["hardware"] for a in group}):
            items = [a for a in group if a["hardware"] == h]
            units = sum(a["units"] for a in items)
            why = (
                f"they stand by for resilience and count towards the vendor shares within `{rule}`"
                if standby_kind
                else f"they are bought only to keep the vendor shares within `{rule}`"
            )
            out.append(
                {
                    "kind": "standby" if standby_kind else "idle",
                    "hardware": h,
                    "units": units,
                    "sites": sorted({a["site"] for a in items}),
                    "years": sorted({a["year"] for a in items}),
                    "message": f"{units} × `{h}` neither serve nor train in any year: {why}",
                }
            )
    return out + _idle_years(data, allocs, workloads, [*idle, *(a for a in allocs if a["hardware"] in standby)], rule)


def diluting_risks(
    data: ProblemData, allocs: list[dict[str, Any]], workloads: list[dict[str, Any]], fleet: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Hardware that serves, but far less than its share of the accelerators, where a vendor-share rule counts
    accelerators: its units keep another vendor's share within the cap more than they do work (a trial's 60 % cap
    was met with inference boxes serving 0.03 % of the tokens). One line per hardware, in its worst year."""
    policy = data.spec.policy
    if (policy.vendor_max_share is None and policy.min_allied_share is None) or (
        policy.vendor_share_basis != "accelerators"
    ):
        return []
    rule = "policy.vendor_max_share" if policy.vendor_max_share is not None else "policy.min_allied_share"
    # tokens/s per hardware and year: year-round placements, plus the busiest quarter of quarterly ones
    year_round: dict[tuple[str, int], float] = {}
    quarterly: dict[tuple[str, int, int], float] = {}
    for w in workloads:
        for p in w.get("placements") or []:
            if p.get("quarter"):
                key = (p["hardware"], p["year"], p["quarter"])
                quarterly[key] = quarterly.get(key, 0.0) + p["output_tokens_per_s"]
            else:
                year_round[p["hardware"], p["year"]] = year_round.get((p["hardware"], p["year"]), 0.0)
                year_round[p["hardware"], p["year"]] += p["output_tokens_per_s"]
    busiest: dict[tuple[str, int], float] = {}
    for (h, y, _q), tokens in quarterly.items():
        busiest[h, y] = max(busiest.get((h, y), 0.0), tokens)
    served = {key: year_round.get(key, 0.0) + busiest.get(key, 0.0) for key in {*year_round, *busiest}}
    worst: dict[str, tuple[float, float, int]] = {}
    for y in data.years:
        chips: dict[str, float] = {}  # in service: bought, brownfield, rented and reserved (installed_by_year)
        for r in fleet:
            if r["year"] == y:
                chips[r["hardware"]] = chips.get(r["hardware"], 0.0) + r["accelerators"]
        total_chips, total_tokens = sum(chips.values()), sum(v for (_, yy), v in served.items() if yy == y)
        if total_chips <= 0 or total_tokens <= 0:
            continue
        for h, n in chips.items():
            chip_share, token_share = n / total_chips, served.get((h, y), 0.0) / total_tokens
            diluting = token_share > 0 and chip_share >= 0.05 and token_share < chip_share / 10
            if diluting and (h not in worst or chip_share - token_share > worst[h][0] - worst[h][1]):
                worst[h] = (chip_share, token_share, y)
    return [
        {
            "kind": "diluting",
            "hardware": h,
            "units": sum(a["units"] for a in allocs if a["hardware"] == h and a["acquisition"] == "buy"),
            "sites": sorted({a["site"] for a in allocs if a["hardware"] == h}),
            "years": [y],
            "message": f"`{h}` is {chip:.0%} of the accelerators in service in {y} but serves {tokens:.2%} of the "
            f"output tokens: it keeps the vendor shares within `{rule}` more than it does work",
        }
        for h, (chip, tokens, y) in sorted(worst.items())
    ]


def _idle_years(data, allocs, workloads, left_out, rule: str) -> list[dict[str, Any]]:
    """Bought units that do work in some years but neither serve nor train in others they are in service (bought a
    year or more before they are used): in those years they count towards the vendor shares and do nothing."""
    worked = {(p["site"], p["hardware"], p["year"]) for w in workloads for p in w.get("placements") or []}
    worked |= {
        (w["placement"]["site"], w["placement"]["hardware"], w["year"])
        for w in workloads
        if w.get("placement") and w.get("year") is not None
    }
    out = []
    for a in allocs:
        if a["acquisition"] != "buy" or a in left_out or data.is_cloud(a["site"]):
            continue
        s, h = a["site"], a["hardware"]
        years = [y for y in data.years if data.in_service(a["year"], y, h) and (s, h, y) not in worked]
        if not years:
            continue
        when = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        out.append(
            {
                "kind": "idle",
                "hardware": h,
                "units": a["units"],
                "sites": [s],
                "years": years,
                "message": f"{a['units']} × `{h}` at `{s}` bought for {a['year']} neither serve nor train in "
                f"{when}: {'that year' if len(years) == 1 else 'those years'} they count towards the vendor shares "
                f"within `{rule}` and do no work",
            }
        )
    return out


def export_risks(allocs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Plan items that rely on an export licence or on a rule carrying legal risk, one line per hardware and rule."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for a in allocs:
        if a["export_status"] in ("licence_required", "legal_risk"):
            groups.setdefault((a["hardware"], a["export_status"], a["export_rule"] or ""), []).append(a)
    out = []
    for (hardware, status, rule), items in sorted(groups.items()):
        what = "an export licence" if status == "licence_required" else "a rule that carries legal risk"
        units = sum(a["units"] for a in items)
        sites = ", ".join(f"`{s}`" for s in sorted({a["site"] for a in items}))
        years = sorted({a["year"] for a in items})
        when = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        out.append(
            {
                "kind": status,
                "hardware": hardware,
                "units": units,
                "sites": sorted({a["site"] for a in items}),
                "years": years,
                "message": f"{units} × `{hardware}` at {sites} ({when}) rely on {what} ({rule})",
            }
        )
    return out


def installed_by_year(data: ProblemData, built: BuiltModel) -> list[dict[str, Any]]:
    """Units in service per site, hardware and year (purchases still in life, rentals, brownfield)."""
    out = []
    for y in data.years:
        for s, h in data.pairs():
            units = round(value(installed(data, built.variables, s, h, y)))
            if units:
                out.append(
                    {
                        "year": y,
                        "site": s,
                        "hardware": h,
                        "units": units,
                        "accelerators": units * data.hardware[h].chips_per_unit,
                        "acquisition": _how_had(data, built, s, h, y, units),
                    }
                )
    return out


def _how_had(data: ProblemData, built: BuiltModel, s: str, h: str, y: int, units: int) -> str:
    """rent (a cloud region), buy (purchased units only), existing (brownfield only) or mixed."""
    if data.is_cloud(s):
        return "rent"
    existing = data.existing_units(s, h, y)
    return "buy" if existing == 0 else "existing" if existing >= units else "mixed"


def _emissions_t(data: ProblemData, site_id: str, hw_id: str, units: int) -> float:
    """Tonnes of CO2e a year from the electricity of `units` at a bought site (grid average; 0 if unknown)."""
    site = data.spec.sites[site_id]
    if site.is_cloud or site.grid_gco2_per_kwh is None:
        return 0.0
    kwh = units * data.hardware[hw_id].power_kw_per_unit * site.pue * HOURS_PER_YEAR
    return kwh * data.spec.planning.average_power_fraction * site.grid_gco2_per_kwh / 1e6


def costs_by_year(data: ProblemData, built: BuiltModel) -> list[dict[str, Any]]:
    """Capex and opex per year, each broken down by TCO line, and installed capacity."""
    base = installed_by_year(data, built)
    lines = cost_lines_by_year(data, built)
    out = []
    for y in data.years:
        rows = [r for r in base if r["year"] == y]
        out.append(
            {
                "year": y,
                # the year's lines, whole units as bought (the expression carries the solver's 1e-9 of a unit)
                "capex_usd": sum(lines[y][0].values()),
                "opex_usd": value(built.opex_by_year[y]),
                "capex_lines_usd": lines[y][0],
                "opex_lines_usd": lines[y][1],
                "staff_fte": staff_fte(data, built, y),
                "discount_factor": data.discount(y),
                "installed_units": sum(r["units"] for r in rows),
                "installed_accelerators": sum(r["accelerators"] for r in rows),
                "rented_accelerators": sum(r["accelerators"] for r in rows if data.is_cloud(r["site"])),
                "it_power_kw": sum(
                    r["units"] * data.hardware[r["hardware"]].power_kw_per_unit
                    for r in rows
                    if not data.is_cloud(r["site"])
                ),
                "it_power_kw_rented": sum(
                    r["units"] * data.hardware[r["hardware"]].power_kw_per_unit
                    for r in rows
                    if data.is_cloud(r["site"])
                ),
                "emissions_tco2": sum(_emissions_t(data, r["site"], r["hardware"], r["units"]) for r in rows),
            }
        )
    return out


def staff_fte(data: ProblemData, built: BuiltModel, y: int) -> float:
    """Engineers the staff lines pay in `y`: their per-MW and per-unit counts of the units in service at bought
    sites where a salary is known (a first year's purchases for the quarters they work), and the top-up to each
    line's smallest team."""
    v = built.variables
    fte = sum(value(var) for (_, _, b), var in v.team_topup.items() if b == y)
    for line in data.cost_lines:
        if line.kind != "staff":
            continue
        for j in data.staff_usd:
            for s in data.team_sites(line, j):
                for h in data.site_hardware[s]:
                    fte += data.line_fte_per_unit(line, h) * value(in_service_units(data, v, s, h, y))
    return fte


def _add(table: dict[str, float], lines: dict[str, float], units: float) -> None:
    for line, usd in lines.items():
        if units and usd:
            table[line] = table.get(line, 0.0) + usd * units


def cost_lines_by_year(data: ProblemData, built: BuiltModel) -> dict[int, tuple[dict[str, float], dict[str, float]]]:
    """Year -> (capex by line, opex by line): the same terms as the model's cost expressions, split by line."""
    v = built.variables
    out: dict[int, tuple[dict[str, float], dict[str, float]]] = {y: ({}, {}) for y in data.years}
    for s, h in data.pairs():
        for y in data.years:
            capex, opex = out[y]
            if data.is_cloud(s):
                _add(opex, data.opex_lines(s, h), v.acquire[s, h, y].value() or 0.0)
            else:
                _add(capex, data.capex_lines(s, h, y), round(v.acquire[s, h, y].value() or 0.0))
                for b, share, units in opex_cohorts(data, v, s, h, y):  # maintenance by the price each was bought at
                    _add(opex, data.opex_lines(s, h, b), share * value(units))
    _add_rentals(data, built, out)
    for (_, j, y), var in v.team_topup.items():  # engineers a staff line's smallest team adds
        _add(out[y][1], {"staff": data.staff_usd[j]}, value(var))
    for y in data.years:
        _add(out[y][0], {"storage": data.storage_capex.get(y, 0.0)}, 1.0)
        _add(out[y][1], {"storage": data.storage_opex.get(y, 0.0)}, 1.0)
    return out


def _add_rentals(data: ProblemData, built: BuiltModel, out) -> None:
    """Three-year reservations (each of their years), rentals on demand for some quarters and training jobs rented
    by the hour, as rent."""
    v = built.variables
    for (s, h, b), var in v.reserve3.items():
        for y in range(b, b + 3):
            if y in out:
                _add(out[y][1], {"rent": data.reserved_3y_usd_per_unit_year(s, h)}, round(var.value() or 0.0))
    for (s, h, y, c), var in v.on_demand.items():
        _add(out[y][1], {"rent": data.on_demand_usd(s, h, y, c)}, round(var.value() or 0.0))
    for need in data.training:
        for (w, s, h), var in v.place.items():
            if w == need.workload and data.is_cloud(s) and (var.value() or 0) > 0.5:
                _add(out[need.year][1], {"rent": data.training_rent_usd(need, s, h)}, 1.0)


def site_usage(data: ProblemData, built: BuiltModel) -> list[dict[str, Any]]:
    """Power and space used at each site in each year, against its limits."""
    out = []
    for s, site in data.spec.sites.items():
        if site.is_cloud:
            continue
        for y in data.years:
            power = sum(
                data.hardware[h].power_kw_per_unit * site.pue * units_value(installed(data, built.variables, s, h, y))
                for h in data.site_hardware[s]
            )
            space = sum(
                rack_units_taken(data.hardware[h], site) * units_value(installed(data, built.variables, s, h, y))
                for h in data.site_hardware[s]
            )
            out.append(
                {
                    "site": s,
                    "year": y,
                    "facility_power_kw": power,
                    "power_limit_kw": site.power_kw_in(y),
                    "rack_units": space,
                    "rack_units_limit": site.racks_in(y) * site.rack_units_per_rack,
                }
            )
    return out


Placement = tuple[str, str, float, int | None]
"""(site, hardware, units, quarter): a quarter only where the split moves between quarters."""


def serving_split(data: ProblemData, built: BuiltModel) -> dict[tuple[str, int], list[Placement]]:
    """Where each workload's serving units sit: (workload, year) -> [(site, hardware, units, quarter)].

    The MILP plans serving per group of allowed sites and proves (planner/sizing/groups.py) that a per-site
    split exists in each quarter; this finds one, as a transportation problem per hardware and year: each
    workload's serving units go to sites of its group, within the units working there in each quarter it is
    live, less those training then. One split for the whole year is looked for first (quarter None); where
    training or deliveries move which sites have room between quarters so that none exists, each live quarter
    gets its own split (serving moves between sites from one quarter to the next).
    """
    v = built.variables
    free = free_units(data, built)
    live = {need.workload: need.live for need in data.serving}
    demand: dict[tuple[str, int], dict[str, float]] = {}
    for (w, h, y), var in sorted(v.serve.items()):
        units = var.value() or 0.0
        if units > 1e-9:
            demand.setdefault((h, y), {})[w] = units
    out: dict[tuple[str, int], list[Placement]] = {}
    for (h, y), wants in sorted(demand.items()):
        room = {(s, q): free.get((s, h, y, q), 0.0) for s in data.sites for q in quarters.QUARTERS}
        when = {w: live[w].get(y, frozenset()) for w in wants}
        split, excess = _transport(wants, v.groups, room, when)
        if excess > 1e-6 * max(1.0, sum(wants.values())):
            split = []
            for q in sorted(set().union(*when.values())):
                mine = {w: units for w, units in wants.items() if q in when[w]}
                alone = {(s, q2): n for (s, q2), n in room.items() if q2 == q}
                split += [(w, s, n, q) for w, s, n, _ in _transport(mine, v.groups, alone, dict.fromkeys(mine, {q}))[0]]
        for w, s, units, q in split:
            out.setdefault((w, y), []).append((s, h, units, q))
    return {key: sorted(rows, key=lambda r: (r[3] or 0, r[0], r[1])) for key, rows in sorted(out.items())}


def free_units(data: ProblemData, built: BuiltModel) -> dict[tuple[str, str, int, int], float]:
    """(site, hardware, year, quarter) -> units working there and then, less those training."""
    v = built.variables
    free: dict[tuple[str, str, int, int], float] = {}
    for s, h in data.pairs():
        for y in data.years:
            for q in quarters.QUARTERS:
                free[s, h, y, q] = value(working(data, v, s, h, y, q))
    for (s, h, y, q), terms in training_running(data, v).items():  # a job rented by the hour uses no year units
        free[s, h, y, q] -= sum(value(t) for t in terms)
    return free


def spare_units(
    data: ProblemData, built: BuiltModel, split: dict[tuple[str, int], list[Placement]]
) -> dict[tuple[str, int], dict[str, float]]:
    """(workload, year) -> hardware -> units working but not assigned to any demand (the plan buys whole units,
    and keeps some for resilience), shared among the workloads that serve on that hardware at that site in that
    year in proportion to their units there; a unit's spare is the least over the workload's live quarters."""
    free = free_units(data, built)
    live = {need.workload: need.live for need in data.serving}
    used: dict[tuple[str, str, int, int], float] = {}
    users: dict[tuple[str, str, int], dict[str, float]] = {}
    for (w, y), rows in split.items():
        for s, h, units, q in rows:
            for q2 in [q] if q else sorted(live[w].get(y, ())):
                used[s, h, y, q2] = used.get((s, h, y, q2), 0.0) + units
            users.setdefault((s, h, y), {})
            users[s, h, y][w] = users[s, h, y].get(w, 0.0) + units
    out: dict[tuple[str, int], dict[str, float]] = {}
    for (s, h, y), shares in users.items():
        quarters_live = sorted(set().union(*(live[w].get(y, frozenset()) for w in shares))) or list(quarters.QUARTERS)
        spare = min(free.get((s, h, y, q), 0.0) - used.get((s, h, y, q), 0.0) for q in quarters_live)
        if spare <= 1e-9:
            continue
        total = sum(shares.values())
        for w, units in shares.items():
            per = out.setdefault((w, y), {})
            per[h] = per.get(h, 0.0) + spare * units / total
    _unassigned_spares(data, built, free, users, out)
    return out


def _unassigned_spares(data, built, free, users, out) -> None:
    """Units working at a site where no workload is assigned that year (bought for a later year, for a vendor
    share, or for resilience): spare for every workload allowed there that can run on them and is live then,
    shared equally, as the Monte Carlo shares them (planner/uncertainty/fixed.py)."""
    groups = built.variables.groups
    idle = {(s, h, y) for (s, h, y, _q), units in free.items() if units > 1e-9 and (s, h, y) not in users}
    for s, h, y in sorted(idle):
        takers = [
            n
            for n in data.serving
            if s in groups.get(n.workload, ()) and h in n.usable_tokens_per_s_per_unit and n.live.get(y)
        ]
        for need in takers:
            spare = min(free.get((s, h, y, q), 0.0) for q in sorted(need.live[y]))
            if spare > 1e-9:
                per = out.setdefault((need.workload, y), {})
                per[h] = per.get(h, 0.0) + spare / len(takers)


def _transport(
    wants: dict[str, float],
    groups: dict[str, frozenset[str]],
    free: dict[tuple[str, int], float],
    live: dict[str, frozenset[int]],
) -> tuple[list[tuple[str, str, float, None]], float]:
    """Split each workload's units over the sites of its group within each site's free units in every quarter
    the workload is live (an exact LP); with the total excess over the free units, which is 0 when one split
    fits every quarter (Hall's theorem guarantees one per quarter when the MILP's union rows hold; the excess
    taken is the smallest, for rounding slivers below the solver's tolerance)."""
    problem = pulp.LpProblem("serving_split", pulp.LpMinimize)
    x = {
        (w, s): problem.add_variable(f"x__{w}__{s}", lowBound=0)
        for w in sorted(wants)
        for s in sorted(groups[w])
        if any(free.get((s, q), 0.0) > 1e-9 for q in live[w])
    }
    over = {
        (s, q): problem.add_variable(f"over__{s}__{q}", lowBound=0)
        for s in sorted({s for _, s in x})
        for q in quarters.QUARTERS
    }
    for w, units in sorted(wants.items()):
        mine = [x[w, s] for s in sorted(groups[w]) if (w, s) in x]
        if mine:  # with no free unit in its group the MILP would not have assigned any
            problem += pulp.lpSum(mine) == units, f"serve__{w}"
    for (s, q), extra in over.items():
        users = [var for (w, s2), var in x.items() if s2 == s and q in live[w]]
        if users:
            problem += pulp.lpSum(users) - extra <= max(free.get((s, q), 0.0), 0.0), f"site__{s}__{q}"
    problem += pulp.lpSum(over.values())
    problem.solve(make_solver("highs" if pulp.HiGHS().available() else "cbc", time_limit_s=60.0, mip_gap=0.0))
    split = [(w, s, var.value(), None) for (w, s), var in sorted(x.items()) if (var.value() or 0.0) > 1e-9]
    return split, sum(var.value() or 0.0 for var in over.values())


def workload_results(data: ProblemData, built: BuiltModel) -> list[dict[str, Any]]:
    """Each workload's demand, the capacity planned for it (with units) and where it runs."""
    split = serving_split(data, built)
    spare = spare_units(data, built, split)
    out = [_serving_result(data, built, need, split, spare) for need in data.serving]
    out += [_training_result(data, built, need) for need in data.training]
    order = list(data.spec.workloads)
    return sorted(out, key=lambda w: order.index(w["name"]))


def _serving_result(data: ProblemData, built: BuiltModel, need: ServingNeed, split, spare) -> dict[str, Any]:
    spec = data.spec.workloads[need.workload]
    by_year, placements = [], []
    for y in data.years:
        by_quarter: dict[int | None, float] = {}
        for s, h, units, q in split.get((need.workload, y), []):
            rate = need.usable_tokens_per_s_per_unit[h]
            by_quarter[q] = by_quarter.get(q, 0.0) + rate * units
            placement = {"year": y, "site": s, "hardware": h, "units": units, "output_tokens_per_s": rate * units}
            placements.append({**placement, "quarter": q} if q else placement)
        # the year's capacity holds in each live quarter: the year-round split, plus the least of the quarters
        # whose split moves
        moving = [c for q, c in by_quarter.items() if q is not None]
        capacity = by_quarter.get(None, 0.0) + (min(moving) if moving else 0.0)
        extra = sum(need.usable_tokens_per_s_per_unit[h] * n for h, n in spare.get((need.workload, y), {}).items())
        by_year.append(
            {
                "year": y,
                "demand_output_tokens_per_s": need.peak_output_tokens_per_s[y] if y in need.live else 0.0,
                "capacity_output_tokens_per_s": capacity,
                "installed_output_tokens_per_s": capacity + extra,
                "output_tokens_per_year": tokens_per_year(data, need, y),
                "live_quarters": sorted(need.live.get(y, ())),
            }
        )
    last = by_year[-1]
    return {
        "name": need.workload,
        "kind": "serving",
        "model": spec.model,
        "demand": {
            "value": last["demand_output_tokens_per_s"],
            "unit": "output tokens/s at peak",
            "year": last["year"],
        },
        "capacity": {
            "value": last["capacity_output_tokens_per_s"],
            "unit": "output tokens/s at peak",
            "year": last["year"],
        },
        **serving_facts(data, need),
        "by_year": by_year,
        "placements": placements,
    }


def serving_facts(data: ProblemData, need: ServingNeed) -> dict[str, Any]:
    """What a serving workload's entry says whether or not there is a plan: its peak factor, data class, go-live,
    language premium, the hardware that cannot serve it and why, and each other hardware's estimate."""
    spec = data.spec.workloads[need.workload]
    return {
        "peak_factor": spec.peak_factor,
        "data_class": spec.data_class,
        "go_live": quarters.go_live(data.spec, need.workload).isoformat(),
        "language_premium": need.premium,
        "notes": need.premium_notes,
        "not_offered": [
            not_offered(h, est)
            for h, est in sorted(need.estimates.items())
            if h not in need.usable_tokens_per_s_per_unit and est.reason
        ],
        "per_unit": {
            h: _serving_point(est)
            for h, est in sorted(need.estimates.items())
            if h in need.usable_tokens_per_s_per_unit
        },
    }


def tokens_per_year(data: ProblemData, need: ServingNeed, year: int) -> float:
    """Output tokens served in a year: the busy-hour rate over the peak factor, round the clock, from the go-live
    on (the whole year after it, the days from it in its year, none before)."""
    spec = data.spec.workloads[need.workload]
    share = quarters.live_share(data.spec, need.workload, year)
    return need.peak_output_tokens_per_s[year] / spec.peak_factor * 86400 * 365 * share


def _serving_point(est) -> dict[str, Any]:
    return {
        "output_tokens_per_s": est.output_tokens_per_s_per_unit,
        "chips_per_replica": est.chips_per_replica,
        "replicas_per_unit": est.replicas_per_unit,
        "batch": est.batch,
        "tpot_ms": est.tpot_ms,
        "ttft_ms": est.ttft_ms,
        "error_band": (getattr(est, "error_band", None) or {}).get("text"),
        "precision_substitution": getattr(est, "substitution", "") or None,
        "layout": getattr(est, "layout", None) or None,
    }


def _training_result(data: ProblemData, built: BuiltModel, need: TrainingNeed) -> dict[str, Any]:
    spec = data.spec.workloads[need.workload]
    chosen = [
        (s, h) for (w, s, h), var in built.variables.place.items() if w == need.workload and (var.value() or 0) > 0.5
    ]
    result: dict[str, Any] = {
        "name": need.workload,
        "kind": spec.kind,
        "model": spec.model,
        "tokens": spec.tokens,
        "year": need.year,
        "data_class": spec.data_class,
        "demand": {"value": _any_estimate(need).model_flops, "unit": "FLOP", "deadline_days": spec.deadline_days},
        "capacity": {"value": 0.0, "unit": "FLOP"},
    }
    if chosen:
        s, h = chosen[0]
        est = need.estimates[h]
        hw = data.hardware[h]
        # what the placed chips deliver if they run for the whole deadline
        deliverable = est.model_flops * spec.deadline_days / est.wall_days
        result["capacity"] = {"value": deliverable, "unit": "FLOP"}
        result["placement"] = {
            "site": s,
            "hardware": h,
            "units": need.units_needed[h],
            "accelerators": need.units_needed[h] * hw.chips_per_unit,
            "wall_days": est.wall_days,
            "start": need.start.isoformat(),
            "end": quarters.run_end(need.start, est.wall_days).isoformat(),
            "quarters": [f"{y}Q{q}" for y, q in sorted(need.quarters[h])] if not data.is_cloud(s) else [],
            "accelerator_hours": est.accelerator_hours,
            "mfu": est.mfu,
            "goodput": est.goodput,
            "error_band": _training_band(est, hw),
        }
    return result


def _training_band(est, hw) -> str | None:
    """The accuracy of a training estimate in words; announced hardware, and chips and stacks no published run
    checks, have none of their own (the bands were measured on the validated profiles)."""
    if note := training_band_note(hw):
        return note
    band = getattr(est, "error_band", None)
    if not band:
        return None
    low, high = band
    return f"published runs took {low:+.0%} to {high:+.0%} of the estimated time (validation, held-out runs)"


def _any_estimate(need: TrainingNeed):
    return next(iter(need.estimates.values()))


# physical and financial limits are worth listing whenever they bind; other rows only when they cost money
_LIMIT_FAMILIES = families_in("limit")
_BUDGET_FAMILIES = frozenset({"budget_capex", "budget_capex_year", "budget_opex"})
NEAR_BINDING = 0.05
"""A budget within this share of its limit, priced by the LP around the plan, is listed as binding."""


def binding_constraints(
    built: BuiltModel, prices: dict[str, float], data: ProblemData | None = None
) -> list[dict[str, Any]]:
    """Rows with no room left at the plan, with their shadow prices (USD of NPV per unit of the row).

    Limits (power, space, budgets, shares, demand) are listed when they bind; rules that only forbid an
    option (export, lead time, residency, vendors) when forbidding it raises the cost. A row about hardware the
    country cannot have for another reason (a vendor its policy excludes, a SKU sold only in other markets, an
    end of sale before the decision) is left out: relaxing it alone would change nothing.
    """
    out = []
    for name, row in built.rows.items():
        family, ids = parse_row_name(name)
        meta = FAMILIES[family]
        if not meta.soft or (data is not None and _out_of_reach(data, family, ids)):
            continue
        lhs = value(row.lhs)
        price = prices.get(name)
        # a budget the plan nearly spends binds around it even where whole units leave a little over (97 % used:
        # the LP around the plan prices it, and a reader wants to know what more of it would save)
        near = family in _BUDGET_FAMILIES and price is not None and abs(price) > 1e-6
        slack = abs(lhs - row.rhs)
        if slack > BINDING_TOLERANCE * max(1.0, abs(row.rhs)) + 1e-6 and not (
            near and slack <= NEAR_BINDING * abs(row.rhs)
        ):
            continue
        if family not in _LIMIT_FAMILIES and (price is None or abs(price) < 1e-6):
            continue
        if abs(row.rhs) < 1e-9 and abs(lhs) < 1e-9 and (price is None or abs(price) < 1e-6):
            continue  # an option ruled out that the plan would not use anyway: it shapes nothing
        entry = {
            "constraint": name,
            "family": family,
            "category": meta.category,
            "ids": list(ids),
            "lhs": lhs,
            "rhs": row.rhs,
            "unit": meta.unit,
        }
        entry["shadow_price_usd"] = price
        entry["message"] = _price_message(meta, ids, price)
        out.append(entry)
    return sorted(out, key=lambda e: -abs(e["shadow_price_usd"] or 0.0))


def _out_of_reach(data: ProblemData, family: str, ids: tuple[str, ...]) -> bool:
    """True if a row names hardware the country cannot have whatever this row says."""
    hardware = [data.hardware[i] for i in ids if i in data.hardware]
    if not hardware:
        return False
    hw = hardware[0]
    allowed = data.spec.policy.allowed_vendors
    if allowed and hw.vendor not in allowed and family != "vendor_allowed":
        return True
    # a row named by site group or by hardware alone (delivery capacity, vendor shares) reaches every site: such
    # a row about a China-only SKU in Vietnam is out of reach too
    sites = [data.spec.sites[i] for i in ids if i in data.spec.sites] or list(data.spec.sites.values())
    if hw.markets is not None and sites and all(s.jurisdiction not in hw.markets for s in sites):
        return True
    return family.startswith("lead_time") and quarters.earliest_order(hw, data.spec) is None


def _price_message(meta, ids, price: float | None) -> str:
    if price is None or abs(price) < 1e-9:
        return f"{meta.description.rstrip('.')} (at its limit; one more unit of it would not lower the cost)."
    return meta.price.format(ids=ids, price=format_price(abs(price)))


def format_price(amount: float) -> str:
    """A price with three significant figures below $1,000 ($0.340, $12.8), else $1.2 k / $3.4 M."""
    if amount >= 1000:
        return format_usd(amount)
    return f"${amount:.3g}" if amount >= 1 else f"${amount:.3f}"


def served_share(data: ProblemData, built: BuiltModel) -> dict[str, Any]:
    """How much of what was asked the plan delivers, per requirement family and overall.

    `share` is 1 minus the mean relative shortfall over every requirement row (demand per workload and year,
    training jobs, resilience); `demand_share` weighs serving demand by its output tokens, so one fine-tuning job
    does not count as much as a year of serving a population; `given_up` lists each requirement row left short
    (only a max_served plan leaves any)."""
    from planner.sizing.diagnose import shortfall_message

    rows = [(n, r) for n, r in built.rows.items() if r.family in REQUIREMENT_FAMILIES]
    if not rows:
        return {"share": 1.0, "demand_share": 1.0, "by_family": {}, "given_up": []}
    short = {n: max(0.0, r.rhs - value(r.lhs)) / max(abs(r.rhs), 1e-9) for n, r in rows}
    short = {n: min(1.0, s) if s > 1e-6 else 0.0 for n, s in short.items()}
    by_family: dict[str, list[float]] = {}
    for n, r in rows:
        by_family.setdefault(r.family, []).append(short[n])
    demand_rows = [(n, r) for n, r in rows if r.family == "demand_coverage"]
    asked = sum(r.rhs for _, r in demand_rows)
    met = sum(r.rhs * (1.0 - short[n]) for n, r in demand_rows)
    given_up = []
    for n, r in rows:
        if short[n] > 0:
            amount = r.rhs - value(r.lhs)
            given_up.append(
                {
                    "family": r.family,
                    "constraint": n,
                    "amount": amount,
                    "unit": FAMILIES[r.family].unit,
                    "message": shortfall_message(n, amount),
                }
            )
    return {
        "share": 1.0 - sum(short.values()) / len(short),
        "demand_share": met / asked if asked > 0 else 1.0,
        "by_family": {f: 1.0 - sum(v) / len(v) for f, v in sorted(by_family.items())},
        "given_up": given_up,
    }


def unplanned_workloads(data: ProblemData) -> list[dict[str, Any]]:
    """Each workload's demand with no capacity planned (the plan.json of an infeasible case)."""
    out = []
    for need in data.serving:
        spec = data.spec.workloads[need.workload]
        last = data.years[-1]
        by_year = [
            {
                "year": y,
                "demand_output_tokens_per_s": need.peak_output_tokens_per_s[y] if y in need.live else 0.0,
                "capacity_output_tokens_per_s": 0.0,
                "output_tokens_per_year": tokens_per_year(data, need, y),
                "live_quarters": sorted(need.live.get(y, ())),
            }
            for y in data.years
        ]
        unit = "output tokens/s at peak"
        out.append(
            {
                "name": need.workload,
                "kind": "serving",
                "model": spec.model,
                "demand": {"value": need.peak_output_tokens_per_s[last], "unit": unit, "year": last},
                "capacity": {"value": 0.0, "unit": unit, "year": last},
                **serving_facts(data, need),
                "by_year": by_year,
            }
        )
    for need in data.training:
        spec = data.spec.workloads[need.workload]
        flops = _any_estimate(need).model_flops
        out.append(
            {
                "name": need.workload,
                "kind": spec.kind,
                "model": spec.model,
                "tokens": spec.tokens,
                "year": need.year,
                "demand": {"value": flops, "unit": "FLOP", "deadline_days": spec.deadline_days},
                "capacity": {"value": 0.0, "unit": "FLOP"},
            }
        )
    order = list(data.spec.workloads)
    return sorted(out, key=lambda w: order.index(w["name"]))
