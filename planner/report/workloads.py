"""Capacity against demand, training placements, site power, and the charts of a plan."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from planner.catalog import Catalog
from planner.perf.serving_bands import ANNOUNCED
from planner.perf.training import TRAINING_ANNOUNCED, TRAINING_UNCALIBRATED
from planner.plan_notes import (
    HEADROOM_NOTE,
    PREMIUM_FALLBACK_NOTE,
    PREMIUM_PARITY_NOTE,
    PREMIUM_PROXY_NOTES,
    PREMIUM_SHARES_NOTE,
)
from planner.report import charts, i18n
from planner.report.fmt import days_text, dec, format_usd, kw, num, num_short, pct, scientific
from planner.report.i18n import N_, _, ngettext
from planner.report.names import humanize

if TYPE_CHECKING:
    from planner.plan import Names


# plan.json's accuracy sentences (planner/perf/serving_bands.py, planner/sizing/extract.py; always English), matched
# to be said again in the report's language; a sentence no pattern knows is shown as it is
_SERVING_BAND = re.compile(
    r"±(?P<median>\d+) % \(max (?P<max>\d+) %\), validated on (?P<runs>\d+) held-out runs"
    r"(?: of (?P<kind>dense|MoE) models)?"
)
_TRAINING_BAND = re.compile(
    r"published runs took (?P<low>[+-]\d+%) to (?P<high>[+-]\d+%) of the estimated time \(validation, held-out runs\)"
)
_UNCALIBRATED = "uncalibrated: no published serving run validates this profile"
_FEW_RUNS = re.compile(
    r"uncalibrated: only (?P<n>\d+) published serving run\(s\) check this profile, too few for an error band"
)


def band_text(text: str) -> str:
    """An estimate's accuracy note from plan.json in the report's language."""
    if m := _SERVING_BAND.fullmatch(text):
        figures = {"median": m["median"], "max": m["max"], "runs": m["runs"]}
        if m["kind"] == "dense":
            return _("±%(median)s %% (max %(max)s %%), validated on %(runs)s held-out runs of dense models", **figures)
        if m["kind"] == "MoE":
            return _("±%(median)s %% (max %(max)s %%), validated on %(runs)s held-out runs of MoE models", **figures)
        return _("±%(median)s %% (max %(max)s %%), validated on %(runs)s held-out runs", **figures)
    if m := _TRAINING_BAND.fullmatch(text):
        return _(
            "published runs took %(low)s to %(high)s of the estimated time (validation, held-out runs)",
            low=m["low"],
            high=m["high"],
        )
    if text == _UNCALIBRATED:
        return _("uncalibrated: no published serving run validates this profile")
    if text == ANNOUNCED:
        return _("uncalibrated: announced hardware, no published serving run on it")
    if text == TRAINING_ANNOUNCED:
        return _("announced hardware: no published training run on it validates the estimate")
    if text == TRAINING_UNCALIBRATED:
        return _("uncalibrated: no published training run on this chip and software stack validates the estimate")
    if m := _FEW_RUNS.fullmatch(text):
        n = int(m["n"])
        return ngettext(
            "uncalibrated: only %(num)s published serving run checks this profile, too few for an error band",
            "uncalibrated: only %(num)s published serving runs check this profile, too few for an error band",
            n,
        ) % {"num": n}
    return text


def short_name(catalog: Catalog, h: str) -> str:
    """The catalog name without its parenthesised detail: "NVIDIA GB200 NVL72"."""
    hw = catalog.hardware.get(h)
    return hw.name.split(" (")[0] if hw else h


# kinds of training job in words (plan.json keeps the ids)
TRAINING_KINDS = {"pretraining": N_("pretraining"), "fine_tuning": N_("fine-tuning")}


# Why a hardware option cannot serve a workload (plan.json `not_offered`: a code and its figures), said in the
# report's language; a code not listed here is shown in plan.json's English
_PRECISION_REASONS = {
    "": N_(
        "%(accelerator)s (%(hardware)s) has no native %(precision)s units; it computes natively in %(native)s: "
        "choose one of those (or set allow_precision_substitution: true on the workload to run at one of those and "
        "say so)"
    ),
    "weights": N_(
        "%(accelerator)s (%(hardware)s) has no native %(precision)s units for the weights; it computes natively in "
        "%(native)s: choose one of those (or set allow_precision_substitution: true on the workload to run at one of "
        "those and say so)"
    ),
    "KV cache": N_(
        "%(accelerator)s (%(hardware)s) has no native %(precision)s units for the KV cache; it computes natively in "
        "%(native)s: choose one of those (or set allow_precision_substitution: true on the workload to run at one of "
        "those and say so)"
    ),
}
_REASONS = {
    "no_fit": N_("weights and one sequence's KV cache do not fit the scale-up domain"),
    "no_fit_domains": N_(
        "weights and one sequence's KV cache do not fit the scale-up domain nor %(domains)s domains over scale-out"
    ),
    "no_fit_layout": N_("weights and one sequence's KV cache do not fit layout %(layout)s"),
    "ttft_floor": N_("TTFT target %(target)s ms below the prefill floor %(floor)s ms"),
    "tpot_floor": N_("TPOT target %(target)s ms below the floor %(floor)s ms"),
    "ttft_wait_floor": N_(
        "TTFT target %(target)s ms below the floor %(floor)s ms (the prompt's prefill and the wait for the step in "
        "flight)"
    ),
    "larger_than_sites": N_("one unit needs %(kw)s kW of facility power, more than any site has (%(site_kw)s kW)"),
    "no_site_takes_it": N_(
        "no site can take it (it needs liquid cooling, or more power per rack than any site allows)"
    ),
    "latency_pair": N_(
        "at the TPOT target %(tpot)s ms only %(batch)s sequences run at once, too few for requests to wait less than "
        "the TTFT target %(ttft)s ms allows"
    ),
}
# options listed by name under a workload; the rest are counted (plan.json lists every one)
NOT_OFFERED_SHOWN = 5


def _figure(value: float) -> str:
    """A figure in the locale's digits with the decimals it was given (12, 11.6, 0.5), as `:g` writes it."""
    text = f"{value:g}"
    digits = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return num(value, digits)


def reason_text(code: str, values: dict[str, Any], english: str) -> str:
    """A serving estimate's reason for not serving in the report's language (`english` where the code is unknown)."""
    shown = {k: (_figure(v) if isinstance(v, int | float) else v) for k, v in values.items()}
    if code == "precision" and values.get("tensor", "") in _PRECISION_REASONS:
        return _(_PRECISION_REASONS[values.get("tensor", "")], **shown)
    if code == "latency_pair" and values.get("batch") == 1:  # one sequence: the singular sentence
        return _(
            "at the TPOT target %(tpot)s ms only one sequence runs at once, too few for requests to wait less than "
            "the TTFT target %(ttft)s ms allows",
            **shown,
        )
    if code in _REASONS:
        return _(_REASONS[code], **shown)
    return english


def _why(entry: dict[str, Any], names: Names) -> dict[str, str]:
    """A plan.json `not_offered` entry as the two fields its sentences take: the hardware's name and the reason."""
    reason = reason_text(entry.get("code", ""), entry.get("values") or {}, entry["reason"])
    return {"hardware": names.hw(entry["hardware"]), "why": humanize(reason, names)}


def not_offered_notes(workload: dict[str, Any], names: Names) -> list[str]:
    """One sentence per hardware option that cannot serve the workload (the first few), then how many more."""
    entries = workload.get("not_offered") or []
    out = [_("%(hardware)s cannot serve it: %(why)s", **_why(o, names)) for o in entries[:NOT_OFFERED_SHOWN]]
    if (more := len(entries) - NOT_OFFERED_SHOWN) > 0:
        out.append(
            ngettext(
                "and %(count)s more option cannot serve it (plan.json lists each)",
                "and %(count)s more options cannot serve it (plan.json lists each)",
                more,
            )
            % {"count": num(more)}
        )
    return out


def _reasons(reasons: list[dict[str, Any]], names: Names, shown: int = 3) -> str:
    """The first options' reasons, `name: why; ...`, and how many more."""
    text = "; ".join(_("%(hardware)s: %(why)s", **_why(r, names)) for r in reasons[:shown])
    if (more := len(reasons) - shown) > 0:
        text += " " + ngettext("(and %(count)s more option)", "(and %(count)s more options)", more) % {
            "count": num(more)
        }
    return text


def shortfall_text(s: dict[str, Any], names: Names) -> str:
    """A diagnosis shortfall in the report's language where plan.json gives it as a code, else its English."""
    code, v = s.get("code", ""), s.get("values") or {}
    reasons = _reasons(s.get("reasons") or [], names)
    if code == "unservable":
        return _(
            "no hardware option can serve %(workload)s: %(reasons)s",
            workload=names.workload(v["workload"]),
            reasons=reasons,
        )
    if code == "no_allowed_vendor":
        args = {"vendors": v["vendors"], "workload": names.workload(v["workload"]), "able": humanize(v["able"], names)}
        if reasons:
            return _(
                "no hardware of the allowed vendors (%(vendors)s) can serve %(workload)s: %(reasons)s; the hardware "
                "that can (%(able)s) is from other vendors",
                reasons=reasons,
                **args,
            )
        return _(
            "no hardware of the allowed vendors (%(vendors)s) can serve %(workload)s (none is in the catalog or the "
            "country file's list); the hardware that can (%(able)s) is from other vendors",
            **args,
        )
    if code == "training_deadline":
        args = {"workload": names.workload(v["workload"]), "deadline": num(v["deadline"])}
        if "fastest" in v:
            return _(
                "no hardware option can finish %(workload)s within its %(deadline)s-day deadline; the fastest "
                "option, %(fastest)s, needs %(days)s days",
                fastest=names.hw(v["fastest"]),
                days=num(v["days"]),
                **args,
            )
        return _("no hardware option can finish %(workload)s within its %(deadline)s-day deadline", **args)
    return humanize(_family_shortfall(s), names)


def _family_shortfall(s: dict[str, Any]) -> str:
    """A shortfall plan.json words with its family's template, said again in the report's language; any other
    sentence (a special case the sizing layer words itself) as plan.json has it."""
    from planner.sizing.diagnose import shortfall_message
    from planner.sizing.rows import FAMILIES

    row, message = s.get("constraint") or "", s.get("message") or ""
    family = FAMILIES.get(s.get("family") or "")
    if not row or family is None or not family.shortfall or i18n.current() == i18n.DEFAULT:
        return message  # English: the sentence the terminal printed, word for word
    try:
        english = shortfall_message(row, s["amount"])
        reason = message[len(english) :] if message.startswith(english) else None
        said = _export_reason(reason) if reason else ""
        if reason is None or said is None:
            return message
        return shortfall_message(row, s["amount"], _, _amount_text) + said
    except (IndexError, KeyError, ValueError):
        return message


_EXPORT_REASONS = (
    (
        re.compile(
            r": it needs an export licence in (?P<where>\w+)(?P<note> \(.*\))?; "
            r"`policy\.allow_licence_required: true` accepts it"
        ),
        N_(": it needs an export licence in %(where)s%(note)s; `policy.allow_licence_required: true` accepts it"),
    ),
    (
        re.compile(
            r": its use in (?P<where>\w+) carries legal risk(?P<note> \(.*\))?; "
            r"`policy\.allow_legal_risk: true` accepts it"
        ),
        N_(": its use in %(where)s carries legal risk%(note)s; `policy.allow_legal_risk: true` accepts it"),
    ),
    (
        re.compile(r": it may not be exported to (?P<where>\w+)(?P<note> \(.*\))?"),
        N_(": it may not be exported to %(where)s%(note)s"),
    ),
)


def _export_reason(reason: str) -> str | None:
    """The export reason planner/sizing/diagnose.py appends to a shortfall, in the report's language (the rule's own
    note stays as the catalog writes it); None for any other text."""
    for pattern, template in _EXPORT_REASONS:
        if m := pattern.fullmatch(reason):
            return _(template, where=m["where"], note=m["note"] or "")
    return None


def _amount_text(amount: float, unit: str) -> str:
    """A shortfall's amount in the report's number format (planner.sizing.diagnose.format_amount in English)."""
    if unit.startswith("USD"):
        return format_usd(amount)
    if unit == "kW":
        return kw(amount) if amount >= 10 else f"{num_short(float(f'{amount:.2g}'))} kW"  # two figures, as in English
    return num(amount) if amount >= 10 or abs(amount - round(amount)) < 1e-6 else num(amount, 2)


def _plan_note(note: str, names: Names) -> str:
    """A workload note of plan.json in the report's language where it is one the report knows."""
    if note == HEADROOM_NOTE:
        return _("Sized with headroom for planning.confidence: capacity above the planned demand.")
    if note in PREMIUM_PROXY_NOTES:
        return humanize(_(note), names)
    for template in (PREMIUM_FALLBACK_NOTE, PREMIUM_PARITY_NOTE, PREMIUM_SHARES_NOTE):
        if m := _template_pattern(template).fullmatch(note):
            return humanize(_(template, **m.groupdict()), names)
    return humanize(note, names)


def _template_pattern(template: str) -> re.Pattern[str]:
    """A `%(name)s` template as a pattern whose named groups recover the fields of a sentence built from it."""
    parts = re.split(r"%\((\w+)\)s", template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)))


def serving(plan: dict[str, Any], names: Names) -> list[dict[str, Any]]:
    out = []
    for w in plan.get("workloads", []):
        if w["kind"] != "serving" or not w.get("by_year"):
            continue
        rows = []
        for y in w.get("by_year", []):
            d, c = y["demand_output_tokens_per_s"], y["capacity_output_tokens_per_s"]
            # the whole fleet serving it, spare units included (a plan.json of an earlier release: the assigned)
            installed = max(y.get("installed_output_tokens_per_s") or 0.0, c)
            rows.append(
                {
                    "year": str(y["year"]),
                    "demand": num(d),
                    "capacity": num(installed),
                    "cover": pct(installed / d) if d > 0 else "–",
                    "met": c >= d * (1 - 1e-6),
                }
            )
        utilisation = (plan.get("planning") or {}).get("serving_utilisation")
        notes = []
        if utilisation and utilisation < 1:  # capacity counts each unit at the target, not at its full estimate
            notes.append(
                _(
                    "Installed capacity counts each unit at the planning utilisation target, %(u)s of its estimated "
                    "throughput: the hardware could serve up to %(x)s times the figures shown.",
                    u=pct(utilisation),
                    x=dec(1 / utilisation, 2),
                )
            )
        if "language_premium" in w:
            notes.append(
                _(
                    "Token counts include a language premium of ×%(premium)s (the tokenizer of %(model)s needs "
                    "more tokens for the programme's languages than for English).",
                    premium=dec(w["language_premium"], 2),
                    model=names.model(w["model"]),
                )
            )
        notes += [_plan_note(str(n), names) for n in w.get("notes") or []]
        notes += not_offered_notes(w, names)
        used = sorted({p["hardware"] for p in w.get("placements") or []})
        for h in used:
            point = w.get("per_unit", {}).get(h) or {}
            if band := point.get("error_band"):
                notes.append(_("Throughput of %(hardware)s: %(band)s.", hardware=names.hw(h), band=band_text(band)))
            if point.get("layout"):
                notes.append(
                    _(
                        "%(hardware)s serves with replicas of %(chips)s accelerators laid out %(layout)s, %(batch)s "
                        "requests in flight each.",
                        hardware=names.hw(h),
                        chips=num(point["chips_per_replica"]),
                        layout=point["layout"],
                        batch=num(point["batch"]),
                    )
                )
            if swap := point.get("precision_substitution"):
                notes.append(
                    _(
                        "%(hardware)s has no native units for the requested precision and serves at another one, as "
                        "the workload allows (%(substitution)s).",
                        hardware=names.hw(h),
                        substitution=swap,
                    )
                )
        layouts = [(w.get("per_unit", {}).get(h) or {}).get("layout") or "" for h in used]
        if any(re.search(r"pp=([2-9]|\d\d)", lay) for lay in layouts):
            notes.append(
                _(
                    "Pipeline-parallel layouts are estimated without pipeline bubbles or per-stage scheduling: "
                    "published serving runs mostly use tensor parallelism alone, and on the MLPerf Llama 2 70B runs "
                    "the model reads about %(gap)s higher with its own layout than with the submissions' (see "
                    "docs/performance-model.md).",
                    gap=pct(0.10),
                )
            )
        out.append({"name": names.workload(w["name"]), "model": names.model(w["model"]), "rows": rows, "notes": notes})
    return out


def training(plan: dict[str, Any], names: Names) -> list[dict[str, str]]:
    out = []
    for w in plan.get("workloads", []):
        if w["kind"] == "serving":
            continue
        p = w.get("placement")
        demand = w.get("demand") or {}
        row = {
            "name": names.workload(w["name"]),
            "kind": _(TRAINING_KINDS[w["kind"]]) if w["kind"] in TRAINING_KINDS else w["kind"].replace("_", " "),
            "model": names.model(w["model"]),
            "year": str(w.get("year", "")),
            "compute": f"{scientific(demand['value'])} FLOP" if "value" in demand else "",
            "deadline": days_text(demand["deadline_days"], 0) if "deadline_days" in demand else "",
            "placement": _("not placed"),
            "days": "",
            "hours": "",
            "efficiency": "",
        }
        if p:
            row["placement"] = _(
                "%(units)s × %(hardware)s at %(site)s",
                units=num(p["units"]),
                hardware=names.hw(p["hardware"]),
                site=names.site(p["site"]),
            )
            row["days"] = days_text(p["wall_days"], 1)
            row["hours"] = num(p["accelerator_hours"])
            goodput = pct(p["goodput"], 0 if p["goodput"] >= 0.9995 or p["goodput"] < 0.9 else 1)  # 99.7 %, not 100
            row["efficiency"] = _("MFU %(mfu)s, goodput %(goodput)s", mfu=pct(p["mfu"]), goodput=goodput)
            if p.get("error_band"):
                row["efficiency"] += f"; {band_text(p['error_band'])}"
        out.append(row)
    return out


def sites(plan: dict[str, Any], names: Names) -> list[dict[str, str]]:
    return [
        {
            "site": names.site(s["site"]),
            "name": "",  # the site column already shows its name
            "year": str(s["year"]),
            "power": kw(s["facility_power_kw"]),
            "limit": kw(s["power_limit_kw"]),
            "power_pct": pct(s["facility_power_kw"] / s["power_limit_kw"]) if s["power_limit_kw"] else "–",
            "space": f"{num(s['rack_units'])} / {num(s['rack_units_limit'])} U",
        }
        for s in plan.get("sites", [])
    ]


def plan_charts(plan: dict[str, Any], names: Names) -> dict[str, Any]:
    years = plan["years"]
    by_year = plan.get("costs_by_year", [])
    out: dict[str, Any] = {"cost": None, "capacity": {}, "power": None}
    if by_year:
        out["cost"] = charts.cost_chart(
            [y["year"] for y in by_year], [y["capex_usd"] for y in by_year], [y["opex_usd"] for y in by_year]
        )
    for w in plan.get("workloads", []):
        if w["kind"] == "serving" and w.get("by_year"):
            rows = w["by_year"]
            out["capacity"][names.workload(w["name"])] = charts.capacity_chart(
                names.workload(w["name"]),
                [r["year"] for r in rows],
                [r["demand_output_tokens_per_s"] for r in rows],
                [max(r.get("installed_output_tokens_per_s") or 0.0, r["capacity_output_tokens_per_s"]) for r in rows],
            )
    sites = plan.get("sites", [])
    if sites:
        labels = list(dict.fromkeys(names.site(s["site"]) for s in sites))
        out["power"] = charts.power_chart(
            labels,
            years,
            {(names.site(s["site"]), s["year"]): s["facility_power_kw"] for s in sites},
            {(names.site(s["site"]), s["year"]): s["power_limit_kw"] for s in sites},
        )
    return out
