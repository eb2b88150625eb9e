"""The proposal's view model: recommendation, requirements as stated, options considered, sensitivity.

It reads the plan and proposal.json (`planner.proposal.analyse`: the inputs, the options solved as `planner
compare` solves them, the sensitivity points); every figure shown is one of theirs, formatted here. The
templates under templates/proposal/ only lay it out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.report import proposal_charts
from planner.report.fmt import (
    _plural_count,
    days_text,
    format_usd,
    kw,
    language_name,
    num,
    num_short,
    num_sig,
    pct,
    racks_text,
    stopped_status,
    usd_sig,
    years_text,
)
from planner.report.risks import vendor_name
from planner.report.tr import _, ngettext
from planner.scenarios import BASELINE

if TYPE_CHECKING:
    from planner.catalog import Catalog
    from planner.plan import Names, Plan

PRICE_UNCERTAINTY = 0.20
"""Catalog prices are list prices or estimates, ±20–30 %: a smaller difference in cost is not a reason alone."""
FULL = 0.9995


def proposal_context(typed: Plan, analysis: dict[str, Any] | None) -> dict[str, Any] | None:
    """The proposal sections (None for the short form or a proposal.json of another plan)."""
    if not analysis:
        return None
    plan = typed.as_dict()
    names = typed.names
    catalog = typed.catalog_view()
    inputs = analysis.get("inputs") or {}
    options = options_view(analysis, names, catalog, plan.get("alternatives"))
    sensitivity = sensitivity_view(analysis, plan)
    return {
        "recommendation": recommendation(plan, inputs, options, sensitivity),
        "requirements": requirements(inputs, plan, names, catalog),
        "workload_inputs": workload_inputs(inputs, names),
        "budget": budget_use(inputs, plan),
        "options": options,
        "sensitivity": sensitivity,
    }


# --- requirements as stated ---------------------------------------------------------------------------------


def _site_kind(kind: str) -> str:
    labels = {
        "own_dc": _("own data centre"),
        "colocation": _("colocation"),
        "sovereign_cloud": _("sovereign cloud"),
        "foreign_cloud": _("foreign cloud"),
    }
    return labels.get(kind, kind.replace("_", " "))


def budget_use(inputs: dict[str, Any], plan: dict[str, Any]) -> list[dict[str, str]]:
    """Each budget envelope of the country file and how much of it the plan uses."""
    budget = inputs.get("budget") or {}
    t = plan["totals"]
    rows = []
    if budget.get("capex_usd"):
        rows.append(_envelope(_("Capital budget over the horizon"), budget["capex_usd"], t["capex_usd"]))
    if budget.get("opex_usd_per_year"):
        rows.append(
            _envelope(_("Operating budget per year (peak year)"), budget["opex_usd_per_year"], t["opex_usd_per_year"])
        )
    by_year = {str(y["year"]): y["capex_usd"] for y in plan.get("costs_by_year", [])}
    for year, env in sorted((budget.get("capex_usd_by_year") or {}).items()):
        rows.append(_envelope(_("Capital budget in %(year)s", year=year), env, by_year.get(str(year), 0.0)))
    return rows


def _envelope(label: str, envelope: float, used: float) -> dict[str, str]:
    """One budget row: the envelope, what the plan uses of it, its share and what is left."""
    return {
        "label": label,
        "envelope": format_usd(envelope),
        "used": format_usd(used),
        "share": pct(used / envelope),
        "headroom": format_usd(envelope - used),
    }


def _decision_words(stated: dict[str, Any], plan: dict[str, Any]) -> str:
    """The day orders can first be placed, and why when it is not the day the country file gives (that day has
    passed: no order can be placed before the plan is made)."""
    used = str(plan.get("planning", {}).get("decision_date", ""))
    given = stated.get("decision_date")
    if given and str(given) != used:
        return _(
            "%(used)s (the country file gives %(given)s, which has passed: orders from the day the plan was made)",
            used=used,
            given=str(given),
        )
    return used


def requirements(inputs: dict[str, Any], plan: dict[str, Any], names: Names, catalog: Catalog) -> list[dict]:
    """Every input the plan rests on, in words and numbers, grouped as a programme office states them."""
    if not inputs:
        return []
    p = inputs.get("planning") or {}
    years = plan["years"]
    programme = [
        (_("Country"), f"{inputs['country']['name']} ({inputs['country']['iso2']})"),  # as written
        (
            _("Planning horizon"),
            _("%(first)s to %(last)s (%(years)s)", first=years[0], last=years[-1], years=years_text(len(years))),
        ),
        (_("Decision (first orders)"), _decision_words(p, plan)),
        (_("Hardware life"), years_text(p.get("hardware_life_years"))),
        (_("Discount rate"), pct(p.get("discount_rate", 0.0))),
        (_("Serving utilisation target"), pct(p.get("serving_utilisation", 0.7))),
        (
            _("Objective"),
            _("lowest net present cost that meets every requirement")
            if p.get("objective", "min_cost") == "min_cost"
            else _("serve as much as possible, then at lowest cost"),
        ),
    ]
    budget = inputs.get("budget") or {}
    money = [(_("Capital budget"), format_usd(budget["capex_usd"]) if budget.get("capex_usd") else _("none given"))]
    if budget.get("opex_usd_per_year"):
        money.append((_("Operating budget per year"), format_usd(budget["opex_usd_per_year"])))
    for year, env in sorted((budget.get("capex_usd_by_year") or {}).items()):
        money.append((_("Capital budget in %(year)s", year=year), format_usd(env)))
    langs = [
        (
            language_name(code, catalog.languages[code].name if code in catalog.languages else code, start=True),
            pct(share),
        )
        for code, share in sorted((inputs.get("languages") or {}).items(), key=lambda kv: -kv[1])
    ]
    residency = _residency_lines(inputs.get("data_locality") or {})
    policy = _policy_lines(inputs.get("policy") or {})
    sites = [(names.site(sid), _site_facts(site)) for sid, site in (inputs.get("sites") or {}).items()]
    shortlist = ", ".join(names.hw(h) for h in inputs.get("hardware") or []) or _("every catalog option")
    groups = [
        {"title": _("Programme"), "rows": programme},
        {"title": _("Budget"), "rows": money},
        {"title": _("Languages (share of serving traffic)"), "rows": langs},
        {"title": _("Data residency classes"), "rows": residency},
        {"title": _("Policies"), "rows": policy},
        {"title": _("Sites"), "rows": sites},
        {"title": _("Hardware shortlist"), "rows": [(_("Options compared"), shortlist)]},
    ]
    return [g for g in groups if g["rows"]]


def _residency_lines(locality: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for cls, rule in locality.items():
        parts = []
        if rule.get("jurisdictions"):
            parts.append(_("in %(places)s", places=", ".join(rule["jurisdictions"])))
        if rule.get("site_kinds"):
            parts.append(_("at %(kinds)s", kinds=", ".join(_site_kind(k) for k in rule["site_kinds"])))
        rows.append((cls.replace("_", " ").capitalize(), "; ".join(parts) or _("anywhere")))
    return rows


CHANCE_NOTED_BELOW = 0.9
"""A Monte Carlo share of futures meeting every requirement below this is said beside the recommendation."""


def _chance_note(plan: dict[str, Any]) -> str | None:
    """Where a Monte Carlo ran and the plan meets every requirement in few of its futures, the recommendation says
    so: 'meets every requirement' holds at the planned figures only."""
    u = plan.get("uncertainty") or {}
    met = u.get("all_met")
    if met is None or met >= CHANCE_NOTED_BELOW or u.get("sizing"):
        return None
    return _(
        "At the planned figures only: over %(n)s sampled futures every requirement is met in %(met)s of them (see "
        "Uncertainty); `planning.confidence` sizes the plan for a chance instead.",
        n=num(u.get("samples", 0)),
        met=pct(met),
    )


def _rules_met(plan: dict[str, Any]) -> str:
    """What the recommended plan meets: the requirements, and the rules the country file sets (only those)."""
    policy = plan.get("policy") or {}
    rules = []
    if any(w.get("data_class") for w in plan.get("workloads", [])):
        rules.append(_("data residency"))
    if any(policy.get(k) for k in ("allowed_vendors", "vendor_max_share", "min_allied_share")):
        rules.append(_("vendors"))
    if policy.get("resilience_fraction"):
        rules.append(_("resilience"))
    if not rules:
        return _(
            "It meets every requirement of the country file: all serving demand at the latency targets and each "
            "training job within its deadline (the file sets no data-residency, vendor or resilience rule)."
        )
    return _(
        "It meets every requirement of the country file: all serving demand at the latency targets, each "
        "training job within its deadline, and the rules it sets (%(rules)s).",
        rules=", ".join(rules),
    )


def _site_facts(s: dict[str, Any]) -> str:
    facts = [_site_kind(s.get("kind", "own_dc")), s.get("jurisdiction", "")]
    if s.get("power_kw"):
        facts.append(_("%(kw)s power", kw=kw(s["power_kw"])))
    if s.get("racks"):
        facts.append(racks_text(s["racks"]))
    if s.get("pue"):
        facts.append(_("PUE %(pue)s", pue=num_sig(s["pue"], 3)))
    if s.get("electricity_usd_per_kwh"):
        facts.append(_("electricity %(price)s/kWh", price=usd_sig(s["electricity_usd_per_kwh"], 3)))
    if s.get("max_accelerators"):
        n = s["max_accelerators"]
        facts.append(
            ngettext("up to %(num)s accelerator for rent", "up to %(num)s accelerators for rent", _plural_count(n))
            % {"num": num(n)}
        )
    for year, kw_ in sorted((s.get("power_kw_by_year") or {}).items()):
        facts.append(_("%(kw)s from %(year)s", kw=kw(kw_), year=year))
    return ", ".join(f for f in facts if f)


def _policy_lines(policy: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    if policy.get("allowed_vendors"):
        rows.append((_("Vendors allowed"), ", ".join(vendor_name(v) for v in policy["allowed_vendors"])))
    if policy.get("vendor_max_share") is not None:
        rows.append(
            (
                _("Largest vendor's share"),
                _("at most %(share)s of the accelerators", share=pct(policy["vendor_max_share"])),
            )
        )
    if policy.get("min_allied_share") is not None:
        rows.append((_("Allied origin"), _("at least %(share)s", share=pct(policy["min_allied_share"]))))
    if policy.get("resilience_fraction") is not None:
        rows.append(
            (
                _("Resilience"),
                _(
                    "serving survives the loss of any one site at %(share)s of peak",
                    share=pct(policy["resilience_fraction"]),
                ),
            )
        )
    rows.append(
        (
            _("Hardware needing an export licence"),
            _("allowed (flagged as a risk)") if policy.get("allow_licence_required", True) else _("excluded"),
        )
    )
    rows.append(
        (
            _("Hardware relying on a rule with legal risk"),
            _("allowed (flagged as a risk)") if policy.get("allow_legal_risk", True) else _("excluded"),
        )
    )
    acquisition = policy.get("acquisition", "any")
    rows.append(
        (
            _("Acquisition"),
            {"any": _("buy or rent, whichever costs less"), "rent_only": _("rent only"), "buy_only": _("buy only")}.get(
                acquisition, acquisition
            ),
        )
    )
    return rows


def workload_inputs(inputs: dict[str, Any], names: Names) -> list[dict[str, str]]:
    """One row per workload: what it is and the numbers it was given."""
    rows = []
    for wid, w in (inputs.get("workloads") or {}).items():
        model = names.model(w["model"])
        if w["kind"] == "serving":
            latency = []
            if w.get("ttft_ms"):
                latency.append(_("first token within %(ms)s ms", ms=num(w["ttft_ms"])))
            if w.get("tpot_ms"):
                latency.append(_("%(ms)s ms per further token", ms=num(w["tpot_ms"])))
            facts = [
                ngettext(
                    "%(users)s users, %(n)s request a day each",
                    "%(users)s users, %(n)s requests a day each",
                    _plural_count(w["requests_per_user_per_day"]),
                )
                % {"users": num(w["users"]), "n": num_short(w["requests_per_user_per_day"])},
                _(
                    "%(i)s input and %(o)s output tokens per request",
                    i=num(w["input_tokens_per_request"]),
                    o=num(w["output_tokens_per_request"]),
                ),
                _("busy hour %(f)s× the average", f=f"{w.get('peak_factor', 3):g}"),
            ]
            if w.get("output_tokens_cv"):
                facts.append(
                    _(
                        "answer lengths spread (standard deviation %(cv)s× the mean): running requests hold longer "
                        "answers than the mean",
                        cv=f"{w['output_tokens_cv']:g}",
                    )
                )
            if w.get("allow_precision_substitution"):
                facts.append(_("hardware without the precision's native units may serve at another one"))
            if latency:
                facts.append(
                    _("latency (%(pct)s): %(targets)s", pct=w.get("latency_target", "p95"), targets=", ".join(latency))
                )
            if w.get("growth_per_year"):
                facts.append(_("demand grows %(g)s a year", g=pct(w["growth_per_year"])))
            facts.append(_("precision %(p)s", p=w.get("precision", "bf16").upper()))
            kind = _("Serving")
        else:
            facts = [
                _(
                    "%(t)s billion training tokens within %(days)s",
                    t=num_short(w["tokens"] / 1e9),
                    days=days_text(w["deadline_days"], 0 if float(w["deadline_days"]).is_integer() else 1),
                )
            ]
            if w.get("year"):
                facts.append(_("in %(year)s", year=w["year"]))
            kind = _("Pretraining") if w["kind"] == "pretraining" else _("Fine-tuning")
        if w.get("data_class"):
            facts.append(_("data class %(c)s", c=w["data_class"].replace("_", " ")))
        rows.append({"name": names.workload(wid), "kind": kind, "model": model, "facts": "; ".join(facts)})
    return rows


# --- options considered -------------------------------------------------------------------------------------


def option_label(name: str, recommended: str) -> str:
    """A scenario as a reader names it."""
    labels = {
        BASELINE: _("The plan as specified (the country file as written)"),
        "ascend_only": _("Only Huawei Ascend hardware"),
        "nvidia_only": _("Only NVIDIA hardware"),
        "amd_only": _("Only AMD hardware"),
        "mixed_vendor_cap": _("No vendor above 50 % of the accelerators"),
        "rent_only": _("Rent in cloud regions only, buy nothing"),
        "no_licensed_hardware": _("Nothing that needs an export licence"),
    }
    label = labels.get(name) or name.replace("_", " ").capitalize()
    return label


def options_view(
    analysis: dict[str, Any], names: Names, catalog: Catalog, alternatives: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    result = analysis.get("options") or {}
    entries = result.get("scenarios") or []
    recommended = analysis.get("recommended", BASELINE)
    rec = next((e for e in entries if e["name"] == recommended), None)
    rec_npv = rec["totals"]["npv_usd"] if rec and rec["status"] != "infeasible" else None
    rows = []
    for e in entries:
        feasible = e["status"] != "infeasible"
        t = e["totals"]
        row = {
            "id": e["name"],
            "label": option_label(e["name"], recommended),
            "recommended": e["name"] == recommended and feasible,  # a plan that does not exist is not recommended
            "feasible": feasible,
            "status": _("Optimal") if e["status"] == "optimal" else (_stopped(e) if feasible else _("No plan")),
            "gap": e.get("mip_gap") or 0.0,  # how far from the best this solve may be
            "npv": format_usd(t["npv_usd"]) if feasible else _("no plan"),
            "capex": format_usd(t["capex_usd"]) if feasible else _("no plan"),
            "opex": format_usd(t["opex_usd_per_year"]) if feasible else _("no plan"),
            "accelerators": num(t["accelerators"]) if feasible else _("no plan"),
            "power": kw(t["power_kw"]) if feasible else _("no plan"),
            "npv_usd": t["npv_usd"] if feasible else None,
            "capex_usd": t["capex_usd"] if feasible else None,
            "delta": _delta(t["npv_usd"], rec_npv) if feasible and rec_npv and e["name"] != recommended else "",
            "service": _("every requirement met") if feasible else _short_of(e, names),
            "risk": _option_risk(e, names) if feasible else "",
            "gives_up": _gives_up(e) if e["name"] != recommended else _("nothing: it keeps every rule"),
        }
        rows.append(row)
    ranked = sorted((r for r in rows if r["feasible"]), key=lambda r: r["npv_usd"])
    chart = proposal_charts_npv(rows)
    left = [option_label(u["option"], recommended) for u in analysis.get("not_solved") or [] if u.get("option")]
    return {
        "rows": rows,
        "chart": chart,
        "reason": _reason(rows, ranked),
        "alternatives": _alternatives(alternatives),
        "recommended": recommended,
        "not_solved": _not_solved_text(left),
    }


def _not_solved_text(left: list[str]) -> str:
    """Which proposal solves stopped without a plan within the time limit (left out of the table and charts)."""
    if not left:
        return ""
    return _(
        "Not solved within the solver's time limit, so left out: %(items)s (raise --time-limit to include them).",
        items="; ".join(left),
    )


def short_label(name: str) -> str:
    """An option's name short enough for a chart's axis."""
    labels = {
        BASELINE: _("As specified"),
        "ascend_only": _("Huawei Ascend only"),
        "nvidia_only": _("NVIDIA only"),
        "amd_only": _("AMD only"),
        "mixed_vendor_cap": _("Vendor cap 50 %"),
        "rent_only": _("Rent only"),
        "no_licensed_hardware": _("No export licence"),
    }
    return labels.get(name) or name.replace("_", " ").capitalize()


def proposal_charts_npv(rows: list[dict[str, Any]]) -> Any:
    from planner.report.charts import scenario_npv_chart

    return scenario_npv_chart(
        [short_label(r["id"]) for r in rows], [r["npv_usd"] for r in rows], [r["capex_usd"] for r in rows]
    )


def _delta(npv: float, ref: float) -> str:
    d = (npv - ref) / ref
    sign = "+" if d >= 0 else "−"
    return f"{sign}{format_usd(abs(npv - ref))} ({sign}{pct(abs(d), 1)})"


def _short_of(e: dict[str, Any], names: Names) -> str:
    """Why an option has no plan: what would have to give way (from its diagnosis), in words."""
    from planner.report.names import humanize
    from planner.report.workloads import shortfall_text
    from planner.sizing.diagnose import remedy_lines
    from planner.sizing.rows import FAMILIES

    short = remedy_lines(e.get("diagnosis"), lambda s: shortfall_text(s, names))[0]
    # a family's rule in the report's language (its wording is marked for the catalogs in planner/sizing/families);
    # remedies stated as a change to make (a latency target) name no rule that gives way
    remedies = (e.get("diagnosis") or {}).get("remedies") or []
    gives = [
        _(FAMILIES[r["family"]].description)
        if r["family"] in FAMILIES
        else _("what was asked (serving demand, training jobs, resilience)")
        for r in remedies
        if not r.get("text") and not r.get("code")
    ]
    if gives:
        rules = "; ".join(_lower_first(g).rstrip(".。") for g in gives)
        return _("no plan: one of these would have to give way: %(rules)s", rules=rules)
    return _("no plan meets the requirements: %(why)s", why=humanize(short[0], names)) if short else _("no plan")


def _stopped(e: dict[str, Any]) -> str:
    """A plan the solver stopped on before proving it optimal, with its gap (as `planner compare` words it)."""
    gap = e.get("mip_gap")
    return stopped_status(gap) if gap else _("Feasible")


def _lower_first(text: str) -> str:
    """A sentence's first letter in lower case to run on after a colon, unless it starts an acronym ("IT power")."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _option_risk(e: dict[str, Any], names: Names) -> str:
    """Supply and export risk, software maturity and lock-in of one option, from its own figures."""
    shares = {v: s["accelerators"] for v, s in (e.get("vendor_shares") or {}).items() if s["accelerators"] > 0}
    parts = []
    if shares:
        top, share = max(shares.items(), key=lambda kv: kv[1])
        if len(shares) == 1:
            parts.append(_("single vendor (%(v)s): full lock-in", v=vendor_name(top)))
        else:
            parts.append(_("largest vendor %(v)s at %(s)s", v=vendor_name(top), s=pct(share)))
    # a share kept by units that do no work is not diversity: say which (a trial's option read "NVIDIA at 50 %"
    # with idle inference boxes making up the rest)
    weak = sorted({r["hardware"] for r in e.get("vendor_share_risks") or []})
    if weak:
        parts.append(
            _(
                "the vendor shares count units that do little or no work (%(hardware)s)",
                hardware=", ".join(names.hw(h) for h in weak),
            )
        )
    bought = [a for a in e.get("allocations") or []]
    total = sum(a["accelerators"] for a in bought) or 1
    licensed = sum(a["accelerators"] for a in bought if a.get("export_status") in ("licence_required", "legal_risk"))
    if licensed:
        parts.append(
            _("%(s)s of the accelerators depend on an export licence or a contested rule", s=pct(licensed / total))
        )
    else:
        parts.append(_("no export licence needed"))
    band = e.get("serving_band")  # the fleet's band as its capacity section states it (dense or MoE per model)
    if band:
        if band[1] > 0:
            parts.append(_("part of the software stack is not validated against published runs"))
        else:
            parts.append(_("software stack validated to ±%(e)s on published runs", e=pct(band[0])))
    return "; ".join(parts)


def _gives_up(e: dict[str, Any]) -> str:
    """What the option changes in the country file, in words."""
    out = []
    for o in e.get("applied_overrides") or []:
        key, old, new = o["key"], o.get("old"), o.get("new")
        if key == "policy.vendor_max_share":
            if new is None:
                out.append(_("lifts the cap of %(s)s on one vendor", s=pct(old)) if old is not None else "")
            else:
                out.append(_("caps each vendor at %(s)s", s=pct(new)))
        elif key == "policy.allowed_vendors":
            out.append(_("gives up every vendor but %(v)s", v=", ".join(vendor_name(v) for v in new or [])))
        elif key == "policy.acquisition":
            out.append(_("owns no hardware: everything is rented") if new == "rent_only" else _("rents nothing"))
        elif key == "policy.allow_licence_required":
            out.append(_("gives up every option that needs an export licence") if not new else "")
        else:
            out.append(f"{key}: {old} → {new}")
    return "; ".join(x for x in out if x) or _("no change to the country file")


def _reason(rows: list[dict[str, Any]], ranked: list[dict[str, Any]]) -> str:
    """One line on why the recommended option, honest about differences smaller than the uncertainty."""
    rec = next((r for r in rows if r["recommended"]), None)
    if rec is None or not rec["feasible"]:
        if ranked:
            return _(
                "No plan meets the country file as written; the cheapest option that has a plan is "
                "“%(o)s”, at %(npv)s.",
                o=ranked[0]["label"],
                npv=ranked[0]["npv"],
            )
        return _("No option considered has a plan; see the diagnosis.")
    others = [r for r in ranked if not r["recommended"]]
    # an option whose plan costs exactly the same is the same plan: the recommended one already keeps to it
    same = [r for r in others if abs(r["npv_usd"] - rec["npv_usd"]) <= 1e-9 * max(abs(rec["npv_usd"]), 1.0)]
    others = [r for r in others if r not in same]
    kept = (
        " "
        + _(
            "The recommended plan already meets %(o)s (the same plan, at the same cost).",
            o=", ".join(f"“{r['label']}”" for r in same),
        )
        if same
        else ""
    )
    if not others:
        return (_("It is the only option considered that has a plan.") if not same else "") + kept.strip()
    closest = min(others, key=lambda r: abs(r["npv_usd"] - rec["npv_usd"]))
    gap = (closest["npv_usd"] - rec["npv_usd"]) / rec["npv_usd"]
    unproven = max(closest.get("gap", 0.0), rec.get("gap", 0.0))  # the solves' own uncertainty
    if abs(gap) <= unproven:
        return (
            _(
                "“%(o)s” costs %(d)s, within the %(g)s by which these solves are proven optimal (they stopped at their "
                "time limit): the two cannot be ranked on cost; solve them longer (`--time-limit`) to rank them.",
                o=closest["label"],
                d=_signed_pct(gap),
                g=pct(unproven, 1),
            )
            + kept
        )
    cheaper = [r for r in others if r["npv_usd"] < rec["npv_usd"]]
    if abs(gap) < PRICE_UNCERTAINTY:
        text = _(
            "“%(o)s” costs %(d)s, less than the ±20–30 %% by which the catalog's price of each hardware may be "
            "off (list prices or estimates, each on its own): cost alone does not decide between them. The "
            "recommended plan is the cheapest that keeps every rule of the country file as written; choose between "
            "the two on supply and export risk, software maturity and lock-in (see the options considered).",
            o=closest["label"],
            d=_signed_pct(gap),
        )
    else:
        text = _(
            "The next option, “%(o)s”, costs %(d)s, more than the ±20–30 %% by which the catalog's price of each "
            "hardware may be off.",
            o=closest["label"],
            d=_signed_pct(gap),
        )
    if cheaper:
        text += " " + _(
            "Cheaper options exist only by breaking a rule of the country file (%(o)s).",
            o=", ".join(f"“{r['label']}”" for r in cheaper),
        )
    return text + kept


def _signed_pct(fraction: float) -> str:
    if abs(fraction) < 0.0005:
        return _("the same")
    return _("%(p)s more", p=pct(fraction, 1)) if fraction > 0 else _("%(p)s less", p=pct(-fraction, 1))


def _alternatives(alternatives: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    """Near-optimal plans (plan.alternatives), when the alternatives evaluation ran."""
    out = []
    for a in alternatives or []:
        if isinstance(a, dict) and {"label", "npv_usd", "capex_usd", "differs_by"} <= set(a):
            differs = a["differs_by"]
            out.append(
                {
                    "label": str(a["label"]),
                    "npv": format_usd(float(a["npv_usd"])),
                    "capex": format_usd(float(a["capex_usd"])),
                    "differs_by": ", ".join(map(str, differs)) if isinstance(differs, list) else str(differs),
                }
            )
    return out


# --- sensitivity ------------------------------------------------------------------------------------------


def factor_label(
    factor: str, low: dict[str, Any] | None, high: dict[str, Any] | None, uncalibrated: float = 0.0
) -> str:
    """A sensitivity row's name; `uncalibrated`: the share of serving capacity no published run validates, for which
    the throughput band assumes 30 %."""
    amount = (high or low or {}).get("amount", 0.0)
    throughput = (
        _(
            "Serving throughput ±%(p)s (validation band; %(u)s of the capacity is on hardware no published run "
            "validates, taken at ±30 %%)",
            p=pct(abs(amount)),
            u=pct(uncalibrated),
        )
        if uncalibrated > 0.005
        else _("Serving throughput ±%(p)s (validation band)", p=pct(abs(amount)))
    )
    labels = {
        "hardware_prices": _("Hardware prices (purchase and rent) ±%(p)s", p=pct(abs(amount))),
        "throughput": throughput,
        "demand": _("Serving demand (users) ±%(p)s", p=pct(abs(amount))),
        "electricity": _("Electricity price ±%(p)s", p=pct(abs(amount))),
        "discount_rate": _(
            "Discount rate %(lo)s / %(hi)s",
            lo=pct((low or {}).get("amount", 0.0)),
            hi=pct((high or {}).get("amount", 0.0)),
        ),
    }
    return labels.get(factor, factor)


def sensitivity_view(analysis: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any] | None:
    sens = analysis.get("sensitivity") or {}
    points = sens.get("points") or []
    base = sens.get("base") or {}
    if not points or base.get("npv_usd") is None:
        return None
    unsolved = {p["factor"] for p in points if p.get("status") == "not_solved"}
    by_factor: dict[str, dict[str, dict[str, Any]]] = {}
    asked: dict[str, dict[str, dict[str, Any]]] = {}  # every point, for the label's amounts
    for p in points:  # a point whose solve stopped without a plan is left out (and said so below the table)
        by_factor.setdefault(p["factor"], {})
        asked.setdefault(p["factor"], {})[p["side"]] = p
        if p.get("status") != "not_solved":
            by_factor[p["factor"]][p["side"]] = p
    base_npv = base["npv_usd"]
    rows = []
    for factor, sides in by_factor.items():
        low, high = sides.get("low"), sides.get("high")
        vals = [p["npv_usd"] for p in (low, high) if p and p.get("npv_usd") is not None]
        swing = max((abs(v - base_npv) for v in vals), default=float("inf"))
        if factor in unsolved:  # a side without a solve is not "no plan": listed below the table, not charted
            swing = -1.0
        rows.append(
            {
                "factor": factor,
                "label": factor_label(
                    factor,
                    asked[factor].get("low"),
                    asked[factor].get("high"),
                    sens.get("throughput_uncalibrated_share") or 0.0,
                ),
                "low_npv": low.get("npv_usd") if low else None,
                "high_npv": high.get("npv_usd") if high else None,
                "low_served": low.get("demand_share") if low else None,
                "high_served": high.get("demand_share") if high else None,
                "low": _point_text(low, base_npv),
                "high": _point_text(high, base_npv),
                "swing": swing,
            }
        )
    rows.sort(key=lambda r: -r["swing"])
    fmt_m = lambda v: f"${v / 1e6:,.1f} M"  # noqa: E731 - a formatter passed to the chart
    npv_chart = proposal_charts.tornado_chart(
        _("Net present cost when one assumption changes"),
        _("net present cost, US$ million"),
        [(r["label"], r["low_npv"], r["high_npv"]) for r in rows if r["factor"] not in unsolved],
        base_npv,
        fmt_m,
        (_("assumption lower"), _("assumption higher")),
        _("no plan"),
    )
    served = [(r["label"], r["low_served"], r["high_served"]) for r in rows if r["factor"] not in unsolved]
    varied = any(v is not None and v < FULL for _l, a, b in served for v in (a, b)) or any(
        v is None for _l, a, b in served for v in (a, b)
    )
    served_chart = (
        proposal_charts.tornado_chart(
            _("Share of serving demand met when one assumption changes"),
            _("serving demand met (%)"),
            [(label, a * 100 if a is not None else None, b * 100 if b is not None else None) for label, a, b in served],
            (base.get("demand_share") or 1.0) * 100,
            lambda v: f"{v:.1f} %",
            (_("assumption lower"), _("assumption higher")),
            _("no plan"),
        )
        if varied
        else None
    )
    lo_p = next((r for r in rows if r["factor"] == "hardware_prices"), None)
    side = {"low": _("lower"), "high": _("higher")}
    left = [
        f"{next(r['label'] for r in rows if r['factor'] == p['factor'])} ({side.get(p['side'], p['side'])})"
        for p in points
        if p.get("status") == "not_solved"
    ]
    return {
        "not_solved": _not_solved_text(left),
        "rows": rows,
        "npv_chart": npv_chart,
        "served_chart": served_chart,
        "all_served": not varied,
        "base_npv": format_usd(base_npv),
        "price_swing": (
            f"{_pct_change(lo_p['low_npv'], base_npv)} / {_pct_change(lo_p['high_npv'], base_npv)}" if lo_p else ""
        ),
    }


def _pct_change(v: float | None, base: float) -> str:
    if v is None:
        return _("no plan")
    d = (v - base) / base
    return f"{'+' if d >= 0 else '−'}{pct(abs(d), 1)}"


def _point_text(p: dict[str, Any] | None, base: float) -> dict[str, str]:
    if not p:
        return {"npv": "–", "change": "", "served": "–", "capex": "–"}
    if p.get("npv_usd") is None:
        return {"npv": _("no plan"), "change": "", "served": _("no plan"), "capex": "–"}
    share = p.get("demand_share")
    return {
        "npv": format_usd(p["npv_usd"]),
        "change": _pct_change(p["npv_usd"], base),
        "served": pct(share) if share is not None and share < FULL else _("all"),
        "capex": format_usd(p["capex_usd"]),
    }


# --- recommendation -----------------------------------------------------------------------------------------


def recommendation(
    plan: dict[str, Any], inputs: dict[str, Any], options: dict[str, Any], sensitivity: dict[str, Any] | None
) -> dict[str, Any]:
    """The executive summary's recommendation and its reasons."""
    rec = next((r for r in options["rows"] if r["recommended"]), None)
    if plan["status"] == "infeasible" or rec is None or not rec["feasible"]:
        return {
            "text": _(
                "No plan meets every requirement as stated: decide first which requirement gives way "
                "(the diagnosis lists the single changes that make a plan possible)."
            ),
            "reasons": [options["reason"]],
        }
    t = plan["totals"]
    what = _("the plan as specified") if rec["id"] == BASELINE else f"“{rec['label']}”"
    years = len(plan["years"])
    text = ngettext(
        "Adopt %(o)s: %(capex)s of capital expenditure, a net present cost of %(npv)s over %(n)s year.",
        "Adopt %(o)s: %(capex)s of capital expenditure, a net present cost of %(npv)s over %(n)s years.",
        years,
    ) % {"o": what, "capex": format_usd(t["capex_usd"]), "npv": format_usd(t["npv_usd"]), "n": years}
    reasons = [_rules_met(plan)]
    budget = (inputs.get("budget") or {}).get("capex_usd")
    if budget:
        reasons.append(
            _(
                "It uses %(used)s of the %(env)s capital budget (%(share)s), leaving %(left)s.",
                used=format_usd(t["capex_usd"]),
                env=format_usd(budget),
                share=pct(t["capex_usd"] / budget),
                left=format_usd(budget - t["capex_usd"]),
            )
        )
    reasons.append(options["reason"])
    chance = _chance_note(plan)
    if chance:
        reasons.append(chance)
    if sensitivity and sensitivity["rows"]:
        top = sensitivity["rows"][0]
        reasons.append(
            _(
                "Its cost depends most on %(f)s: %(lo)s / %(hi)s of net present cost.",
                f=top["label"][:1].lower() + top["label"][1:],
                lo=top["low"]["change"] or top["low"]["npv"],
                hi=top["high"]["change"] or top["high"]["npv"],
            )
        )
    return {"text": text, "reasons": reasons}
