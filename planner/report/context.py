"""Turn plan.json (and the catalog entries it used) into the view model every report format shows.

Templates only format; every number, label and sentence is decided here (and in the small modules
`economics`, `risks`, `sources` and `charts`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.catalog import Catalog
from planner.report.economics import cost_line_table, unit_costs
from planner.report.fmt import (
    accelerators_text,
    country_name,
    dec,
    format_usd,
    kw,
    money_m,
    num,
    num_short,
    num_sig,
    pct,
    tokens_rate,
    units_text,
    usd_exact,
    with_local_name,
)
from planner.report.glossary import glossary
from planner.report.i18n import N_
from planner.report.mix import id_appendix, mix_charts
from planner.report.names import humanize
from planner.report.proposal import proposal_context
from planner.report.rent import quarters_label, rented_years
from planner.report.risks import lead_times, risk_register, risks, vendor_shares
from planner.report.rules import binding_groups
from planner.report.sources import assumptions, references_used
from planner.report.timeline import timeline_chart, timeline_events, timeline_rows
from planner.report.tr import _, ngettext
from planner.report.workloads import plan_charts, serving, shortfall_text, sites, training
from planner.sizing.diagnose import remedy_lines

if TYPE_CHECKING:
    from planner.plan import Names, Plan


def status_label(status: str) -> str:
    """A plan's status in words (in the report's language)."""
    labels = {
        "optimal": _("Optimal plan"),
        "feasible": _("Feasible plan (not proven optimal)"),
        "infeasible": _("No plan"),
    }
    return labels.get(status, status)


def report_context(typed: Plan, proposal: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything a report shows, already formatted (HTML, PDF, Markdown and the workbook share it).

    It reads the typed plan only, and the catalog entries the plan carries (not today's catalog); with
    `proposal` (proposal.json's content: options and sensitivity solved for this plan) it is the full proposal."""
    catalog = typed.catalog_view()
    names = typed.names
    plan = typed.as_dict()
    infeasible = plan["status"] == "infeasible"
    diagnosis, remedies = remedy_lines(plan.get("diagnosis"), lambda s: shortfall_text(s, names), _, usd_exact)
    diagnosis = [humanize(line, names) for line in diagnosis]
    remedies = [humanize(line, names) for line in remedies]
    groups = assumptions(plan, catalog)
    ctx: dict[str, Any] = {
        "title": _("Sovereign AI deployment plan"),
        "country": with_local_name(plan["country"]),
        "status": plan["status"],
        "status_label": status_label(plan["status"]),
        "infeasible": infeasible,
        "period": _period(plan["years"]),
        "created": plan.get("provenance", {}).get("created_utc", ""),
        "headline": _headline(plan, diagnosis),
        "summary": _infeasible_summary(plan, names, diagnosis, remedies) if infeasible else _summary(plan, names),
        "key_figures": [] if infeasible else _key_figures(plan),
        "bom": _bom(plan, catalog, names),
        "bom_total": _bom_total(plan),
        "existing": [
            {
                "site": names.site(e["site"]),
                "hardware": names.hw(e["hardware"]),
                "units": num(e["units"]),
                "installed": str(e["installed_year"]),
                "retires": str(e["last_year_in_service"] + 1),
            }
            for e in plan.get("existing") or []
        ],
        "costs_by_year": _costs_by_year(plan),
        "cost_total": _cost_total(plan),
        "cost_lines": cost_line_table(plan, catalog),
        "unit_costs": unit_costs(plan, catalog),
        "serving": serving(plan, names),
        "training": training(plan, names),
        "sites": sites(plan, names),
        "binding": binding_groups(plan.get("binding_constraints") or [], names),
        "diagnosis": diagnosis,
        "remedies": remedies,
        "risks": risk_register(
            plan, catalog, [{**r, "message": humanize(r["message"], names)} for r in risks(plan, catalog)]
        ),
        "vendor_shares": vendor_shares(plan, catalog),
        "lead_times": lead_times(plan, catalog),
        "assumptions": groups,
        "references": references_used(groups, catalog),
        "provenance": _provenance(plan),
        "charts": plan_charts(plan, names),
        "rule_costs": _rule_costs(plan),
        "defaults": [
            {
                "field": d["field"],
                "value": _plain(d["value"])
                if not isinstance(d["value"], dict)
                else ", ".join(f"{k} {pct(v)}" for k, v in d["value"].items()),
                "source": d["source"],
                "confidence": d["confidence"],
            }
            for d in plan.get("defaults_applied") or []
        ],
        "average_load": pct(plan.get("planning", {}).get("average_power_fraction", 0.7)),
        "scenario": plan.get("scenario") or "",
        "overrides": [
            {"key": a["key"], "change": f"{_plain(a['old'])} → {_plain(a['new'])}", "source": a["source"]}
            for a in plan.get("applied_overrides") or []
        ],
    }
    events = timeline_events(plan, names)
    ctx["timeline"] = {"rows": timeline_rows(events), "chart": timeline_chart(events, plan["years"])}
    ctx["mix"] = mix_charts(plan, catalog, names)
    ctx["ids"] = id_appendix(names)
    ctx["glossary"] = glossary()
    ctx["proposal"] = proposal_context(typed, proposal)
    # the Monte Carlo evaluation (planner/uncertainty), rendered by templates/proposal/_uncertainty.html.j2
    ctx["uncertainty"] = plan.get("uncertainty")
    ctx["workload_names"] = dict(names.workloads)
    if ctx["proposal"] and ctx["proposal"]["budget"] and not infeasible:
        ctx["summary"][3]["items"].insert(1, _budget_line(ctx["proposal"]["budget"][0]))
    ctx["toc"] = _toc(ctx)
    return ctx


def _budget_line(row: dict[str, str]) -> str:
    return _("%(used)s of the %(envelope)s capital budget (%(share)s); %(headroom)s left", **row)


def _period(years: list[int]) -> str:
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def _headline(plan: dict[str, Any], diagnosis: list[str]) -> str:
    name = country_name(plan["country"])
    if plan["status"] == "infeasible":
        return _(
            "No plan for %(name)s meets every requirement within the limits given. The diagnosis below says what "
            "is short and which single change would make a plan possible.",
            name=name,
        )
    t = plan["totals"]
    years = plan["years"]
    if years[0] == years[-1]:
        when = _("in %(year)s", year=years[0])
    else:
        when = _("between %(first)s and %(last)s", first=years[0], last=years[-1])
    bought = {
        "acc": num(t["accelerators_bought"]),
        "units": num(t["units_bought"]),
        "capex": format_usd(t["capex_usd"]),
        "when": when,
    }
    if t["accelerators_bought"] and t["accelerators_rented_peak"]:
        what = _(
            "buys %(acc)s accelerators in %(units)s units for %(capex)s of capital expenditure %(when)s and rents "
            "up to %(rented)s more in cloud regions",
            rented=num(t["accelerators_rented_peak"]),
            **bought,
        )
    elif t["accelerators_rented_peak"]:
        what = _(
            "rents up to %(rented)s accelerators in cloud regions %(when)s, buying none",
            rented=num(t["accelerators_rented_peak"]),
            when=when,
        )
    else:
        what = _("buys %(acc)s accelerators in %(units)s units for %(capex)s of capital expenditure %(when)s", **bought)
    return _(
        "%(name)s %(what)s; at its peak the fleet in service is %(acc)s accelerators; running it costs up to "
        "%(opex)s a year, and the whole programme %(npv)s in today's money (net present cost).",
        name=name,
        what=what,
        acc=num(t["accelerators"]),
        opex=format_usd(t["opex_usd_per_year"]),
        npv=format_usd(t["npv_usd"]),
    )


def _held(allocs: list[dict[str, Any]], key: str) -> dict[Any, dict[str, list[int]]]:
    """By hardware or site, how its units are had -> [units, accelerators]: every unit bought, and the rented ones
    as its busiest rented year holds them (a rental is renewed each year: adding the years counted each rented unit
    once a year, and the split of each kind at its own busiest year counted 31 + 1 + 18 against a total of 32)."""
    out: dict[Any, dict[str, list[int]]] = {}
    rented: dict[tuple[Any, int], dict[str, list[int]]] = {}
    for a in allocs:
        how = "rent_quarters" if a.get("acquisition") == "rent" and a.get("quarters") else a.get("acquisition", "buy")
        table = out.setdefault(a[key], {}) if how == "buy" else rented.setdefault((a[key], a["year"]), {})
        into = table.setdefault(how, [0, 0])
        into[0] += a["units"]
        into[1] += a["accelerators"]
    peak: dict[Any, tuple[int, dict[str, list[int]]]] = {}
    for (group, _year), kinds in rented.items():
        acc = sum(v[1] for v in kinds.values())
        if acc > peak.get(group, (0, {}))[0]:
            peak[group] = (acc, kinds)
    for group, (_acc, kinds) in peak.items():
        out.setdefault(group, {}).update({how: list(v) for how, v in kinds.items()})
    return out


def _units_held(allocs: list[dict[str, Any]], key: str) -> dict[Any, list[int]]:
    """[units, accelerators] by hardware or site, bought and rented (at the busiest rented year) together."""
    return {
        g: [sum(v[0] for v in ways.values()), sum(v[1] for v in ways.values())]
        for g, ways in _held(allocs, key).items()
    }


def _ways_held(allocs: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Hardware -> units by how they are had, adding up to `_units_held`'s count."""
    return {h: {how: v[0] for how, v in ways.items()} for h, ways in _held(allocs, "hardware").items()}


OPEX_WORDS = {
    "energy": N_("electricity"),
    "maintenance": N_("maintenance"),
    "licences": N_("licences"),
    "staff": N_("staff"),
    "colocation": N_("colocation"),
    "rent": N_("rent"),
    "storage": N_("storage"),
}


def _opex_words(plan: dict[str, Any]) -> str:
    """The operating cost lines the plan pays, in words (no "rent" in a plan that rents nothing)."""
    paid = {line for y in plan.get("costs_by_year", []) for line, usd in (y.get("opex_lines_usd") or {}).items() if usd}
    words = [_(word) for line, word in OPEX_WORDS.items() if line in paid] or [_(OPEX_WORDS["energy"])]
    return _(", ").join(words)


def _summary(plan: dict[str, Any], names: Names) -> list[dict[str, Any]]:
    """Executive summary: what, where, when, for how much, what it serves."""
    allocs = plan.get("allocations", [])
    by_hw = _units_held(allocs, "hardware")
    by_site = _units_held(allocs, "site")
    by_year: dict[int, float] = {}
    for a in allocs:
        by_year[a["year"]] = by_year.get(a["year"], 0.0) + a["capex_usd"]
    units_by = _ways_held(allocs)

    def how(h: str) -> str:
        return acquisition_note(units_by.get(h, {}))

    # hardware bought only for the vendor shares (idle in every year; idle in some years is in the risks only)
    idle = {
        r["hardware"]
        for r in plan.get("risks") or []
        if r.get("kind") == "idle" and "in any year: they are bought only" in r["message"]
    }
    what = [
        _(
            "%(units)s × %(hardware)s (%(acc)s%(how)s)",
            units=num(u),
            hardware=names.hw(h),
            acc=accelerators_text(c),
            how=how(h),
        )
        + (_(" — idle: bought only to meet the vendor-share rule (see Risks)") if h in idle else "")
        for h, (u, c) in sorted(by_hw.items(), key=lambda kv: -kv[1][1])
    ]
    where = [
        _("%(site)s: %(units)s, %(acc)s", site=names.site(site), units=units_text(u), acc=accelerators_text(c))
        for site, (u, c) in sorted(by_site.items())
    ]
    # a year's capital expenditure as the cost table gives it: hardware with its fabric and fit-out, and storage
    by_year = {c["year"]: c["capex_usd"] for c in plan.get("costs_by_year", []) if c["capex_usd"] > 0.5} or by_year
    order_by: dict[int, str] = {}
    for a in allocs:
        if a.get("order_by"):
            order_by[a["year"]] = min(order_by.get(a["year"], a["order_by"]), a["order_by"])
    when = [
        _("%(year)s: %(usd)s of purchases, ordered by %(date)s", year=y, usd=format_usd(c), date=order_by[y])
        if y in order_by
        else _("%(year)s: %(usd)s of purchases", year=y, usd=format_usd(c))
        for y, c in sorted(by_year.items())
    ]
    t = plan["totals"]
    cost = [
        _("Capital expenditure %(usd)s", usd=format_usd(t["capex_usd"])),
        _(
            "Operating cost up to %(usd)s a year (%(lines)s)",
            usd=format_usd(t["opex_usd_per_year"]),
            lines=_opex_words(plan),
        ),
        ngettext(
            "Total cost of ownership %(tco)s over %(n)s year (undiscounted); net present cost %(npv)s",
            "Total cost of ownership %(tco)s over %(n)s years (undiscounted); net present cost %(npv)s",
            len(plan["years"]),
        )
        % {"tco": format_usd(t["tco_usd"]), "n": len(plan["years"]), "npv": format_usd(t["npv_usd"])},
    ]
    if t.get("emissions_tco2_per_year"):
        cost.append(
            _(
                "Emissions up to %(t)s t CO2e a year from the sites' electricity (grid-average carbon intensity)",
                t=num(t["emissions_tco2_per_year"]),
            )
        )
    elif "emissions_tco2_per_year" in t and t["emissions_tco2_per_year"] is None and plan.get("status") != "infeasible":
        cost.append(
            _(
                "Emissions not counted: a site in use has no grid carbon intensity (give grid_gco2_per_kwh for "
                "the site in the country file)"
            )
        )
    serves = []
    for w in plan.get("workloads", []):
        if w["kind"] == "serving" and w.get("by_year"):
            last = w["by_year"][-1]
            serves.append(
                _(
                    "%(workload)s (%(model)s): %(rate)s at the busy hour in %(year)s",
                    workload=names.workload(w["name"]),
                    model=names.model(w["model"]),
                    rate=tokens_rate(last["demand_output_tokens_per_s"]),
                    year=last["year"],
                )
            )
        elif w.get("placement"):
            p = w["placement"]
            serves.append(
                _(
                    "%(workload)s (%(kind)s of %(model)s): %(days)s days on %(acc)s accelerators in %(year)s",
                    workload=names.workload(w["name"]),
                    kind=job_kind(w["kind"]),
                    model=names.model(w["model"]),
                    days=num_short(p["wall_days"]),
                    acc=num(p["accelerators"]),
                    year=w["year"],
                )
            )
    return [
        {"label": _("What to acquire"), "items": what or [_("nothing")]},
        {"label": _("Where"), "items": where or [_("no site")]},
        {"label": _("When"), "items": when or [_("no purchases")]},
        {"label": _("For how much"), "items": cost},
        {"label": _("What it serves"), "items": serves or [_("no workload")]},
    ]


def acquisition_note(units: dict[str, int]) -> str:
    """How one hardware is had, after its accelerator count: "" when all bought, else each way in words
    (`rent_quarters`: units rented on demand for some quarters of a year, not for the whole year)."""
    if set(units) <= {"buy"}:
        return ""
    if len(units) == 1:
        only = {
            "rent": _("all rented: at the busiest year"),
            "rent_quarters": _("all rented on demand for some quarters"),
            "reserve_3y": _("all reserved for 3 years: at the busiest year"),
            "rent_hours": _("all rented by the hour for training"),
        }
        return ", " + only[next(iter(units))]
    words = {
        "buy": lambda n: _("%(n)s bought", n=n),
        "rent": lambda n: _("%(n)s rented (busiest year)", n=n),
        "rent_quarters": lambda n: _("%(n)s rented on demand for some quarters", n=n),
        "reserve_3y": lambda n: _("%(n)s reserved for 3 years (busiest year)", n=n),
        "rent_hours": lambda n: _("%(n)s rented by the hour for training", n=n),
    }
    return ", " + ", ".join(words[k](num(v)) for k, v in units.items() if k in words)


def job_kind(kind: str) -> str:
    """pretraining / fine tuning, in words."""
    return {"pretraining": _("pretraining"), "fine_tuning": _("fine-tuning")}.get(kind, kind.replace("_", " "))


def _infeasible_summary(
    plan: dict[str, Any], names: Names, diagnosis: list[str], remedies: list[str]
) -> list[dict[str, Any]]:
    """What was asked, what is short, and what would make a plan possible, for a plan that does not exist."""
    asked = []
    for w in plan.get("workloads", []):
        demand = w.get("demand") or {}
        if w["kind"] == "serving" and demand:
            asked.append(
                _(
                    "%(workload)s (%(model)s): %(rate)s at the busy hour in %(year)s",
                    workload=names.workload(w["name"]),
                    model=names.model(w["model"]),
                    rate=tokens_rate(demand["value"]),
                    year=demand["year"],
                )
            )
        elif demand:
            asked.append(
                _(
                    "%(workload)s (%(kind)s of %(model)s) within %(days)s days",
                    workload=names.workload(w["name"]),
                    kind=job_kind(w["kind"]),
                    model=names.model(w["model"]),
                    days=f"{demand['deadline_days']:g}",
                )
            )
    return [
        {"label": _("What was asked"), "items": asked or [_("no workload")]},
        {"label": _("What is short"), "items": diagnosis or [_("see the diagnosis")]},
        {
            "label": _("What would make a plan possible"),
            "items": remedies or [_("relaxing several limits together")],
        },
    ]


def _key_figures(plan: dict[str, Any]) -> list[tuple[str, str]]:
    t = plan["totals"]
    figures = [
        (_("Capital expenditure"), format_usd(t["capex_usd"])),
        (_("Operating cost, peak year"), _("%(amount)s / year", amount=format_usd(t["opex_usd_per_year"]))),
        (_("Net present cost"), format_usd(t["npv_usd"])),
        (_("Accelerators in service, peak year"), num(t["accelerators"])),
        (_("IT power at own sites, peak year"), kw(t["power_kw"])),
    ]
    if t.get("power_kw_rented"):
        figures.append((_("IT power of rented capacity, most in any year"), kw(t["power_kw_rented"])))
    return figures


def _bom(plan: dict[str, Any], catalog: Catalog, names: Names) -> list[dict[str, Any]]:
    rows = []
    for a in sorted(plan.get("allocations", []), key=lambda a: (a["site"], a["year"], a["hardware"])):
        hw = catalog.hardware.get(a["hardware"])
        src = hw.provenance("price_usd_per_unit") if hw else None
        ref = catalog.references.get(src.ref) if src else None
        rows.append(
            {
                "site": names.site(a["site"]),
                "site_id": a["site"],
                "year": str(a["year"]),
                "hardware": names.hw(a["hardware"]),
                "hardware_full": hw.name if hw else a["hardware"],
                "hardware_id": a["hardware"],
                "vendor": hw.vendor if hw else "",
                "units": num(a["units"]),
                "accelerators": num(a["accelerators"]),
                "unit_price": _unit_price(a, hw),
                "unit_price_usd": a.get("unit_price_usd"),
                "price_confidence": src.confidence if src else "",
                "price_source": ref.cite if ref else (src.ref if src else ""),
                "price_as_of": ((hw.price_as_of if hw else None) or (src.as_of if src else "")) or "",
                "capex": usd_exact(a["capex_usd"]),
                "capex_usd": a["capex_usd"],
                "power": kw(a["power_kw"]) if a.get("acquisition", "buy") == "buy" else _("– (provider)"),
            }
        )
    for y in plan.get("costs_by_year", []):  # storage for the training jobs' data and checkpoints is bought too
        storage = y.get("capex_lines_usd", {}).get("storage", 0.0)
        if storage:
            rows.append(_storage_row(y["year"], storage))
    return rows


def _storage_row(year: int, usd: float) -> dict[str, Any]:
    return {
        "site": "–",
        "site_id": "",
        "year": str(year),
        "hardware": _("Storage for training data and checkpoints"),
        "hardware_full": _("Storage for training data and checkpoints (cost line)"),
        "hardware_id": "",
        "vendor": "",
        "units": "–",
        "accelerators": "–",
        "unit_price": "",
        "unit_price_usd": None,
        "price_confidence": "estimate",
        "price_source": "catalog cost lines (Appendix A)",
        "price_as_of": "",
        "capex": usd_exact(usd),
        "capex_usd": usd,
        "power": "–",
    }


def _unit_price(allocation: dict[str, Any], hw: Any) -> str:
    """Purchase price, or for a rented unit its rent and how it is billed (a year, quarters on demand, a job)."""
    how = allocation.get("acquisition")
    units = allocation.get("units") or 0
    per_unit = format_usd(allocation["opex_usd_per_year"] / units) if units else ""
    if how == "rent" and allocation.get("quarters"):
        return _(
            "on demand %(quarters)s: %(usd)s a unit",
            quarters=quarters_label(allocation["quarters"], allocation["year"]),
            usd=per_unit,
        )
    if how == "rent":
        return _("rent %(usd)s a unit for %(year)s", usd=per_unit, year=allocation["year"])
    if how == "reserve_3y":
        return _("reserved 3 years: %(usd)s a unit-year", usd=per_unit)
    if how == "rent_hours":
        return _("by the hour: %(usd)s for the job", usd=format_usd(allocation["opex_usd_per_year"]))
    # capex per unit: the hardware at that year's price with its fabric and fit-out, so units x unit = capex
    return usd_exact(allocation["capex_usd"] / units) if units else ""


def _bom_total(plan: dict[str, Any]) -> dict[str, str]:
    """The totals row: what is acquired (bought units, and rented unit-years), capex, and the plan's IT power at
    its own sites in the peak year (rented cloud capacity draws on the provider's power)."""
    t = plan["totals"]
    allocs = plan.get("allocations", [])
    bought = [a for a in allocs if a.get("acquisition", "buy") == "buy"]
    rented = [a for a in allocs if a.get("acquisition", "buy") != "buy"]
    return {
        "units": num(sum(a["units"] for a in bought)),
        "accelerators": num(sum(a["accelerators"] for a in bought)),
        "capex": usd_exact(t["capex_usd"]),
        "power": kw(t["power_kw"]),
        # rented unit-years and hourly units are not owned: a row of their own, not added to the total
        "rented_units": num_short(sum(a["units"] * rented_years(a) for a in rented)) if rented else "",
        "rented_accelerators": num_short(sum(a["accelerators"] * rented_years(a) for a in rented)) if rented else "",
    }


def _costs_by_year(plan: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "year": str(y["year"]),
            "capex": money_m(y["capex_usd"], 2),
            "opex": money_m(y["opex_usd"], 2),
            "total": money_m(y["capex_usd"] + y["opex_usd"], 2),
            "discounted": money_m((y["capex_usd"] + y["opex_usd"]) * y.get("discount_factor", 1.0), 2),
            "accelerators": num(y["installed_accelerators"]),
            "power": kw(y["it_power_kw"]),
        }
        for y in plan.get("costs_by_year", [])
    ]


def _cost_total(plan: dict[str, Any]) -> dict[str, str]:
    years = plan.get("costs_by_year", [])
    capex = sum(y["capex_usd"] for y in years)
    opex = sum(y["opex_usd"] for y in years)
    residual = plan["totals"].get("residual_value_usd", 0.0)
    discounted = sum((y["capex_usd"] + y["opex_usd"]) * y.get("discount_factor", 1.0) for y in years)
    return {
        "capex": money_m(capex, 2),
        "opex": money_m(opex, 2),
        "total": money_m(capex + opex, 2),
        "discounted": money_m(discounted, 2),
        "residual": money_m(residual, 2) if residual else "",
        "residual_discounted": money_m(discounted - plan["totals"]["npv_usd"], 2) if residual else "",
        "npv": money_m(plan["totals"]["npv_usd"], 2),
    }


def _provenance(plan: dict[str, Any]) -> list[tuple[str, str]]:
    p = plan.get("provenance", {})
    s = plan.get("solver", {})
    gap = s.get("mip_gap")
    solver = f"{s.get('name', '?')} via PuLP {p.get('pulp_version', '?')}, {dec(s.get('runtime_s', 0), 2)} s"
    if gap is not None:
        solver += ", " + _("optimality gap %(gap)s", gap=pct(gap, 2))
    return [
        ("Planner version", str(plan.get("planner_version", ""))),
        ("Input file", str(p.get("input_file", ""))),
        ("Input sha256", str(plan.get("inputs_sha256", ""))),
        ("Catalog sha256", str(p.get("catalog_sha256", ""))),
        ("Solver", solver),
        ("Python", str(p.get("python", ""))),
        ("Created (UTC)", str(p.get("created_utc", ""))),
    ]


def _toc(ctx: dict[str, Any]) -> list[tuple[str, str]]:
    proposal = ctx["proposal"] or {}
    sections = [
        ("summary", _("Executive summary"), True),
        ("requirements", _("Requirements as stated"), bool(proposal.get("requirements"))),
        ("diagnosis", _("Diagnosis: why no plan exists"), ctx["infeasible"]),
        ("bom", _("Bill of materials"), bool(ctx["bom"])),
        ("costs", _("Costs"), bool(ctx["costs_by_year"])),
        ("capacity", _("Capacity against demand"), bool(ctx["serving"] or ctx["training"])),
        ("power", _("Power and space per site"), bool(ctx["sites"])),
        ("timeline", _("Timeline"), bool(ctx["timeline"]["rows"])),
        ("options", _("Options considered"), bool(proposal.get("options", {}).get("rows"))),
        ("sensitivity", _("Sensitivity"), bool(proposal.get("sensitivity"))),
        ("uncertainty", _("Uncertainty"), bool(ctx["uncertainty"])),
        ("rules", _("Rules that shaped the plan"), bool(ctx["binding"])),
        ("rule-costs", _("What each sovereignty rule costs"), bool(ctx["rule_costs"])),
        ("overrides", _("Scenario: changes to the country file"), bool(ctx["overrides"])),
        ("defaults", _("Values taken from the catalog"), bool(ctx["defaults"])),
        ("risks", _("Risks"), bool(ctx["risks"] or ctx["lead_times"])),
        ("assumptions", _("Appendix A: assumptions and sources"), bool(ctx["assumptions"])),
        ("provenance", _("Appendix B: provenance"), True),
        ("ids", _("Appendix C: ids in country.yaml"), bool(ctx["ids"])),
        ("terms", _("Appendix D: terms used"), True),
    ]
    return [(sid, title) for sid, title, shown in sections if shown]


def _rule_costs(plan: dict[str, Any]) -> list[dict[str, str]]:
    """What each sovereignty rule costs: NPV with the rule minus NPV without it (from `--rule-costs`)."""
    rows = []
    for r in plan.get("rule_costs") or []:
        if r["cost_usd"] is not None:
            cost = format_usd(r["cost_usd"]) if abs(r["cost_usd"]) >= 1 else "nothing"
        elif r["status_without"] == "infeasible":
            cost = "no plan exists even without it"
        else:
            cost = "the plan needs it relaxed to exist"
        rows.append({"rule": r["rule"].replace("_", " "), "description": r["description"], "cost": cost})
    return rows


def _plain(value: Any) -> str:
    """A YAML-like rendering of an override value: none, [huawei], 90000000."""
    if value is None:
        return "none"
    if isinstance(value, list):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return num(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return num_sig(value, 6)
    return str(value)
