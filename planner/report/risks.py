"""Risks: those plan.json lists, plus what the plan and the catalog reveal about it.

Derived risks: vendor concentration (accelerators per vendor), lead times of purchased hardware, catalog
estimates that drive the result, and languages with little web text for training.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from planner.catalog import Catalog
from planner.perf.factors import unread_fields
from planner.report.fmt import date_long, language_name, num, num_short, pct, share_pct
from planner.report.i18n import N_
from planner.report.tr import _

LOW_RESOURCE_TOKENS_B = 10.0
LONG_LEAD_WEEKS = 20
DRIVING_FIELDS = (
    "price_usd_per_unit",
    "power_kw_per_unit",
    "bf16_tflops_per_chip",
    "fp8_tflops_per_chip",
    "hbm_gb_per_chip",
    "hbm_tb_s_per_chip",
    "lead_time_weeks",
)
PROFILE_FIELDS = (
    "gemm_efficiency",
    "bandwidth_efficiency",
    "decode_overhead_ms",
    "programme_efficiency",
    "memory_efficiency",
    "compute_efficiency",
)
FIELD_LABELS = {
    "price_usd_per_unit": N_("price"),
    "power_kw_per_unit": N_("power"),
    "bf16_tflops_per_chip": N_("BF16 throughput"),
    "fp8_tflops_per_chip": N_("FP8 throughput"),
    "hbm_gb_per_chip": N_("memory size"),
    "hbm_tb_s_per_chip": N_("memory bandwidth"),
    "lead_time_weeks": N_("lead time"),
    "gemm_efficiency": N_("GEMM efficiency"),
    "bandwidth_efficiency": N_("memory bandwidth efficiency"),
    "programme_efficiency": N_("programme efficiency"),
    "memory_efficiency": N_("memory efficiency"),
    "compute_efficiency": N_("compute efficiency"),
    "decode_overhead_ms": N_("decode overhead"),
}


VENDOR_NAMES = {"nvidia": "NVIDIA", "amd": "AMD", "intel": "Intel", "huawei": "Huawei", "google": "Google"}


def vendor_name(vendor_id: str) -> str:
    """Display name of a catalog vendor id: nvidia -> NVIDIA."""
    return VENDOR_NAMES.get(vendor_id, vendor_id.replace("_", " ").title())


def vendor_shares(plan: dict[str, Any], catalog: Catalog) -> list[dict[str, Any]]:
    """Accelerators per vendor in the last year's fleet, largest first: {vendor, accelerators, share, peak,
    capex_share}; `peak` is the vendor's highest share in any year and its year (the cap holds in every year).

    The shares are plan.json's `vendor_shares`, not recomputed here.
    """
    raw = plan.get("vendor_shares") or {}
    shares = {v: s["accelerators"] for v, s in raw.items() if s["accelerators"] > 0 or s.get("peak_accelerators")}
    last = plan["years"][-1]
    counts: dict[str, int] = {}
    for r in plan.get("installed") or []:
        if r["year"] == last:
            hw = catalog.hardware.get(r["hardware"])
            vendor = hw.vendor if hw else "unknown"
            counts[vendor] = counts.get(vendor, 0) + r["accelerators"]
    return [
        {
            "vendor": vendor_name(v),
            "accelerators": num(counts.get(v, 0)),
            "share": share_pct(f),
            "fraction": f,
            "peak": _peak_share(raw[v]),
            # beside the count: a few cheap accelerators can meet a cap on counts (the spend says so)
            "capex_share": share_pct(raw[v].get("capex", 0.0)),
        }
        for v, f in sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _peak_share(share: dict[str, Any]) -> str:
    """A vendor's highest share in any year, with the year ("70% (2027)"); "" in a plan.json without it."""
    if share.get("peak_year") is None:
        return ""
    return _("%(share)s (%(year)s)", share=share_pct(share.get("peak_accelerators", 0.0)), year=share["peak_year"])


def lead_times(plan: dict[str, Any], catalog: Catalog) -> list[dict[str, Any]]:
    """Per hardware type: lead time and the latest order date for its first year of service."""
    first: dict[str, dict[str, Any]] = {}
    for a in plan.get("allocations", []):
        if a.get("acquisition", "buy") != "buy":  # rented capacity has no lead time
            continue
        seen = first.get(a["hardware"])
        if seen is None or (a["year"], a.get("order_by") or "") < (seen["year"], seen.get("order_by") or ""):
            first[a["hardware"]] = a
    rows = []
    for h, a in sorted(first.items(), key=lambda kv: (kv[1]["year"], kv[0])):
        hw = catalog.hardware.get(h)
        if hw is None:
            continue
        year, weeks = a["year"], hw.lead_time_weeks
        # the plan's own dates (the sizing core knows the decision date); 1 January less the lead time for a plan
        # written before they were kept
        order_by = _date(a.get("order_by")) or dt.date(year, 1, 1) - dt.timedelta(weeks=weeks)
        works_from = _date(a.get("in_service_from")) or dt.date(year, 1, 1)
        rows.append(
            {
                "hardware": hw.name.split(" (")[0],
                "hardware_id": h,
                "weeks": num(weeks),
                "weeks_value": weeks,
                "first_year": str(year),
                "order_by": date_long(order_by),
                "order_by_iso": order_by.isoformat(),
                "works_from": works_from.isoformat(),
                "late": works_from > dt.date(year, 1, 1),
                "confidence": hw.provenance("lead_time_weeks").confidence,
            }
        )
    return rows


def _date(text: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def plan_languages(plan: dict[str, Any], catalog: Catalog) -> list[str]:
    """Language ids of the plan (plan.json `languages` if present, else the country's catalog entry)."""
    langs = plan.get("languages")
    if isinstance(langs, dict):
        return list(langs)
    if isinstance(langs, list):
        return [lang if isinstance(lang, str) else lang.get("id", "") for lang in langs]
    iso2 = (plan.get("country") or {}).get("iso2")
    for country in catalog.countries.values():
        if country.iso2 == iso2:
            return list(country.languages)
    return []


def risks(plan: dict[str, Any], catalog: Catalog) -> list[dict[str, str]]:
    """Every risk as {kind, message, source}: plan.json's first, then the derived ones."""
    out = [
        {"kind": r.get("kind", "risk"), "message": plan_risk_message(r.get("message", "")), "source": "plan"}
        for r in plan.get("risks") or []
    ]
    shares = vendor_shares(plan, catalog)
    if shares and shares[0]["fraction"] >= 0.5:
        top = shares[0]
        values = {"share": top["share"], "count": top["accelerators"], "vendor": top["vendor"]}
        message = (
            _(
                "%(share)s of the accelerators (%(count)s) come from %(vendor)s — a single supplier; a supply or "
                "export-control change at that vendor affects most of the programme.",
                **values,
            )
            if len(shares) == 1
            else _(
                "%(share)s of the accelerators (%(count)s) come from %(vendor)s; a supply or export-control change "
                "at that vendor affects most of the programme.",
                **values,
            )
        )
        out.append({"kind": "vendor concentration", "message": message, "source": "derived"})
    out += _site_concentration(plan)
    out += _sites_at_their_limit(plan)
    out += _owned_outside_policy(plan, catalog)
    # the day the plan was made for (PLANNER_TODAY when pinned), not the clock of whoever renders it
    provenance = plan.get("provenance") or {}
    created = str(provenance.get("as_of") or provenance.get("created_utc", ""))[:10]
    for lt in lead_times(plan, catalog):
        values = {
            "hardware": lt["hardware"],
            "weeks": num(lt["weeks_value"]),
            "confidence": _(lt["confidence"]),
            "order_by": lt["order_by"],
            "year": lt["first_year"],
        }
        if lt["late"]:
            message = _(
                "%(hardware)s: %(weeks)s weeks from order to delivery (%(confidence)s); ordered by %(order_by)s, it "
                "works from %(works_from)s, not from 1 January %(year)s: a longer delivery delays the service "
                "further.",
                works_from=date_long(lt["works_from"]),
                **values,
            )
        elif created and lt["order_by_iso"] < created:
            message = _(
                "%(hardware)s: %(weeks)s weeks from order to delivery (%(confidence)s); the order date for service "
                "in %(year)s (%(order_by)s) is already past on the day this plan was made (%(created)s).",
                created=created,
                **values,
            )
        elif lt["weeks_value"] >= LONG_LEAD_WEEKS:
            message = _(
                "%(hardware)s: %(weeks)s weeks from order to delivery (%(confidence)s); order by %(order_by)s to "
                "have it in service in %(year)s.",
                **values,
            )
        else:
            continue
        # the register rates a date already missed as likely; it reads this flag, not the (translated) sentence
        past = lt["late"] or bool(created and lt["order_by_iso"] < created)
        out.append({"kind": "lead time", "message": message, "source": "derived", "past": "yes" if past else ""})
    out += _estimate_risks(plan, catalog)
    out += _language_risks(plan, catalog)
    out += _training_text_risks(plan, catalog)
    return out


# plan.json's risk sentences (planner/sizing/extract.py, always English), matched to be said again in the
# report's language; a sentence no pattern knows is shown as it is
_EXPORT_RISK = re.compile(
    r"(?P<units>[\d,]+) × `(?P<hardware>[^`]+)` at (?P<sites>.+) \((?P<years>[^()]+)\) rely on "
    r"(?P<what>an export licence|a rule that carries legal risk) \((?P<rule>.*)\)"
)
_ROADMAP_RISK = re.compile(
    r"(?P<units>[\d,]+) × `(?P<hardware>[^`]+)` rely on an announced product"
    r"(?:, first deliveries announced for (?P<date>\d{4}-\d{2}-\d{2}))?: its performance, price and date are "
    r"the vendor's announcements, not shipping figures"
)

_IDLE_RISK = re.compile(
    r"(?P<units>[\d,]+) × `(?P<hardware>[^`]+)` neither serve nor train in any year: they are bought only to keep "
    r"the vendor shares within `(?P<rule>[^`]+)`"
)
_DILUTING_RISK = re.compile(
    r"`(?P<hardware>[^`]+)` is (?P<chips>[\d.]+%) of the accelerators in service in (?P<year>\d{4}) but serves "
    r"(?P<tokens>[\d.]+%) of the output tokens: it keeps the vendor shares within `(?P<rule>[^`]+)` more than it "
    r"does work"
)
_STANDBY_RISK = re.compile(
    r"(?P<units>[\d,]+) × `(?P<hardware>[^`]+)` neither serve nor train in any year: they stand by for resilience "
    r"and count towards the vendor shares within `(?P<rule>[^`]+)`"
)


_IDLE_YEARS_RISK = re.compile(
    r"(?P<units>[\d,]+) × `(?P<hardware>[^`]+)` at `(?P<site>[^`]+)` bought for (?P<year>\d{4}) neither serve nor "
    r"train in (?P<when>[\d–]+): (?:that year|those years) they count towards the vendor shares within "
    r"`(?P<rule>[^`]+)` and do no work"
)


_VENDOR_SHARE_RISKS = (
    (
        _IDLE_YEARS_RISK,
        N_(
            "%(units)s × `%(hardware)s` at `%(site)s` bought for %(year)s neither serve nor train in %(when)s: "
            "they count towards the vendor shares within `%(rule)s` and do no work then"
        ),
    ),
    (
        _IDLE_RISK,
        N_(
            "%(units)s × `%(hardware)s` neither serve nor train in any year: they are bought only to keep the vendor "
            "shares within `%(rule)s`"
        ),
    ),
    (
        _DILUTING_RISK,
        N_(
            "`%(hardware)s` is %(chips)s of the accelerators in service in %(year)s but serves %(tokens)s of the "
            "output tokens: it keeps the vendor shares within `%(rule)s` more than it does work"
        ),
    ),
    (
        _STANDBY_RISK,
        N_(
            "%(units)s × `%(hardware)s` neither serve nor train in any year: they stand by for resilience and count "
            "towards the vendor shares within `%(rule)s`"
        ),
    ),
)
"""The vendor-share risks of planner/sizing/extract.py, as parsed from plan.json and said in the report's language."""


def _local_figure(name: str, text: str) -> str:
    """A count or a percentage parsed from plan.json's English sentence ("1,024", "0.02%"), written as the report's
    language writes it ("1 024", "0,02 %"); anything else as it is."""
    if name == "units":
        return num(int(text.replace(",", "")))
    if name in ("chips", "tokens") and text.endswith("%"):
        figure = text[:-1]
        return pct(float(figure) / 100.0, len(figure.partition(".")[2]))
    return text


def plan_risk_message(message: str) -> str:
    """A risk sentence of plan.json in the report's language."""
    for pattern, template in _VENDOR_SHARE_RISKS:  # each pattern's groups are its template's placeholders
        if m := pattern.fullmatch(message):
            return _(template, **{k: _local_figure(k, v) for k, v in m.groupdict().items()})
    if m := _EXPORT_RISK.fullmatch(message):
        values = {k: m[k] for k in ("units", "hardware", "sites", "years", "rule")}
        if m["what"] == "an export licence":
            return _(
                "%(units)s × `%(hardware)s` at %(sites)s (%(years)s) rely on an export licence (%(rule)s)", **values
            )
        return _(
            "%(units)s × `%(hardware)s` at %(sites)s (%(years)s) rely on a rule that carries legal risk (%(rule)s)",
            **values,
        )
    if m := _ROADMAP_RISK.fullmatch(message):
        if m["date"]:
            return _(
                "%(units)s × `%(hardware)s` rely on an announced product, first deliveries announced for %(date)s: "
                "its performance, price and date are the vendor's announcements, not shipping figures",
                units=m["units"],
                hardware=m["hardware"],
                date=m["date"],
            )
        return _(
            "%(units)s × `%(hardware)s` rely on an announced product: its performance, price and date are the "
            "vendor's announcements, not shipping figures",
            units=m["units"],
            hardware=m["hardware"],
        )
    return message


def _estimate_risks(plan: dict[str, Any], catalog: Catalog) -> list[dict[str, str]]:
    """One line per purchased hardware and per software-stack profile whose driving figures are estimates."""
    out = []
    profiles: list[str] = []
    for h in sorted({a["hardware"] for a in plan.get("allocations", [])}):
        hw = catalog.hardware.get(h)
        if hw is None:
            continue
        if hw.efficiency_profile not in profiles:
            profiles.append(hw.efficiency_profile)
        fields = [
            f for f in DRIVING_FIELDS if getattr(hw, f, None) is not None and hw.provenance(f).confidence == "estimate"
        ]
        if fields:
            out.append(_estimate_line(hw.name.split(" (")[0], fields))
    for pid in profiles:
        profile = catalog.efficiency_profiles.get(pid)
        if profile is None:
            continue
        unread = unread_fields(profile)
        fields = [
            f
            for f in PROFILE_FIELDS
            if f not in unread
            and getattr(profile, f, None) not in (None, {})
            and profile.provenance(f).confidence == "estimate"
        ]
        if fields:
            out.append(_estimate_line(_("Software stack %(name)s", name=profile.name), fields))
    return out


def _estimate_line(what: str, fields: list[str]) -> dict[str, str]:
    labels = ", ".join(_(FIELD_LABELS[f]) if f in FIELD_LABELS else f for f in fields)
    message = (
        _("%(what)s: %(labels)s is an estimate, not measured or list figures.", what=what, labels=labels)
        if len(fields) == 1
        else _("%(what)s: %(labels)s are estimates, not measured or list figures.", what=what, labels=labels)
    )
    return {"kind": "estimate", "message": message, "source": "catalog"}


def _owned_outside_policy(plan: dict[str, Any], catalog: Catalog) -> list[dict[str, str]]:
    """Brownfield units of a vendor `allowed_vendors` leaves out: the rule limits purchases, so they keep working
    until they retire, and the reader of an 'only Huawei' plan should know."""
    allowed = (plan.get("policy") or {}).get("allowed_vendors")
    if not allowed:
        return []
    out = []
    for e in plan.get("existing") or []:
        hw = catalog.hardware.get(e["hardware"])
        if hw is None or hw.vendor in allowed:
            continue
        out.append(
            {
                "kind": "policy",
                "message": _(
                    "%(units)s × `%(hardware)s` already owned at `%(site)s` keep working until %(last)s: "
                    "`allowed_vendors` limits what is bought, not hardware the country has.",
                    units=num(e["units"]),
                    hardware=e["hardware"],
                    site=e["site"],
                    last=e.get("last_year_in_service", ""),
                ),
                "source": "derived",
            }
        )
    return out


def _site_concentration(plan: dict[str, Any]) -> list[dict[str, str]]:
    """Every serving workload served from one site in some years while the file has others and sets no
    resilience rule: losing that site stops the service (the plan keeps no spare capacity elsewhere)."""
    sites = (plan.get("names") or {}).get("sites") or {}
    if (plan.get("policy") or {}).get("resilience_fraction") or len(sites) < 2:
        return []
    by_year: dict[int, set[str]] = {}
    for w in plan.get("workloads", []):
        for p in w.get("placements") or []:
            if p.get("units", 0) > 1e-9:
                by_year.setdefault(p["year"], set()).add(p["site"])
    alone: dict[str, list[int]] = {}
    for y, where in sorted(by_year.items()):
        if len(where) == 1:
            alone.setdefault(next(iter(where)), []).append(y)
    return [
        {
            "kind": "single site",
            "message": _(
                "In %(years)s every serving workload runs at one site, `%(site)s`: losing it stops the service "
                "(no resilience rule is set, so the plan keeps no spare capacity elsewhere).",
                years=", ".join(map(str, years)),
                site=site,
            ),
            "source": "derived",
        }
        for site, years in sorted(alone.items(), key=lambda kv: kv[1][0])
    ]


FULL_SITE = 0.98
"""A site drawing this share of its power (or filling this share of its space) has no room left to grow."""


def _sites_at_their_limit(plan: dict[str, Any]) -> list[dict[str, str]]:
    """Bought sites whose power or space the plan fills in some year: demand above the forecast, a replacement
    unit or the next year's growth has no room there."""
    full: dict[str, list[int]] = {}
    for u in plan.get("sites") or []:
        power = u.get("power_limit_kw") and u["facility_power_kw"] >= FULL_SITE * u["power_limit_kw"]
        space = u.get("rack_units_limit") and u["rack_units"] >= FULL_SITE * u["rack_units_limit"]
        if power or space:
            full.setdefault(u["site"], []).append(u["year"])
    return [
        {
            "kind": "site at its limit",
            "message": _(
                "In %(years)s the plan fills `%(site)s` to its power or space limit: demand above the forecast, "
                "a replacement unit or further growth has no room there.",
                years=", ".join(map(str, years)),
                site=site,
            ),
            "source": "derived",
        }
        for site, years in sorted(full.items(), key=lambda kv: kv[1][0])
    ]


def _language_risks(plan: dict[str, Any], catalog: Catalog) -> list[dict[str, str]]:
    out = []
    for lang_id in plan_languages(plan, catalog):
        lang = catalog.languages.get(lang_id)
        if lang is None or lang.web_tokens_b_english_equivalent is None:
            continue
        if lang.web_tokens_b_english_equivalent < LOW_RESOURCE_TOKENS_B:
            out.append(
                {
                    "kind": "training data",
                    "message": _(
                        "%(language)s has about %(tokens)s billion tokens of web text (English-equivalent), under "
                        "%(limit)s billion: a national model may need curated or licensed text for it.",
                        language=language_name(lang_id, lang.name, start=True),
                        tokens=num_short(lang.web_tokens_b_english_equivalent),  # 0.02, not 0.0
                        limit=num(LOW_RESOURCE_TOKENS_B),
                    ),
                    "source": "catalog",
                }
            )
    return out


MAIN_LANGUAGE_SHARE = 0.25
"""A programme language this large a share of its users is one its national model is trained for."""


def _training_text_risks(plan: dict[str, Any], catalog: Catalog) -> list[dict[str, str]]:
    """A pretraining job that asks for more tokens than the web holds in a main language of the programme: the
    text is read several times over, or curated, licensed, translated or synthetic text makes it up."""
    langs = plan.get("languages") if isinstance(plan.get("languages"), dict) else {}
    out = []
    for w in plan.get("workloads", []):
        tokens = w.get("tokens")
        if w.get("kind") != "pretraining" or not tokens:
            continue
        for lang_id, share in sorted(langs.items()):
            lang = catalog.languages.get(lang_id)
            web = lang.web_tokens_b_english_equivalent if lang is not None else None
            if lang_id == "en" or share < MAIN_LANGUAGE_SHARE or web is None or tokens <= web * 1e9:
                continue
            out.append(
                {
                    "kind": "training data",
                    "message": _(
                        "`%(job)s` trains on %(tokens)s billion tokens, %(times)s× the %(web)s billion tokens of "
                        "%(language)s web text (English-equivalent): in %(language)s the text is read several times "
                        "over, or curated, licensed, translated or synthetic text makes up the rest.",
                        job=w["name"],
                        tokens=num_short(tokens / 1e9),
                        times=num_short(tokens / (web * 1e9)),
                        web=num_short(web),
                        language=language_name(lang_id, lang.name),
                    ),
                    "source": "catalog",
                }
            )
    return out


# --- risk register: likelihood, impact, mitigation, and what the plan does about each risk ---

_LEVELS = ("low", "medium", "high")


def _level(name: str) -> str:
    return {"low": _("Low"), "medium": _("Medium"), "high": _("High")}[name]


def _can_rent(plan: dict[str, Any]) -> bool:
    """Whether the plan could bridge a late delivery with rent: it rents already, or the country file has a cloud
    region (a site the plan names that is not one of its bought sites) and its policy does not forbid renting."""
    if any(a.get("acquisition", "buy") != "buy" for a in plan.get("allocations", [])):
        return True
    if (plan.get("policy") or {}).get("acquisition") == "buy_only":
        return False
    bought = {s["site"] for s in plan.get("sites", [])}
    return any(site not in bought for site in (plan.get("names") or {}).get("sites", {}))


def _roadmap_mitigation(plan: dict[str, Any], catalog: Catalog) -> str:
    """Wait for first deliveries, unless the plan's own order date for the product comes before them (then the
    order rests on the announcement, and the contract must carry the risk)."""
    early = []
    for a in plan.get("allocations") or []:
        hw = catalog.hardware.get(a["hardware"])
        first = hw.available_from.isoformat() if hw and a.get("roadmap") and hw.available_from else None
        if first and a.get("order_by") and a["order_by"] < first:
            early.append((a["order_by"], first))
    if early:
        order_by, first = min(early)
        return _(
            "the plan orders it by %(order)s, before the announced first deliveries (%(first)s): order on the "
            "announcement with delivery-or-refund terms, or keep the shipping model as the fallback",
            order=order_by,
            first=first,
        )
    return _("order only after first deliveries are confirmed; keep the shipping model as the fallback")


def _roadmap_response(plan: dict[str, Any]) -> str:
    """What the plan's own allocations do with announced hardware: from which year it relies on it."""
    years = sorted({a["year"] for a in plan.get("allocations") or [] if a.get("roadmap")})
    if not years:
        return _("the plan buys no announced hardware")
    if years[0] == (plan.get("years") or [years[0]])[0]:
        return _(
            "the plan relies on announced hardware from its first year (%(year)s): a late delivery delays it",
            year=years[0],
        )
    return _("the plan relies on announced hardware from %(year)s, not in its first year", year=years[0])


def _fixed_row(kind: str) -> dict[str, str] | None:
    """Likelihood, impact, mitigation and response of the kinds of risk whose row does not depend on the plan."""
    rows = {
        "estimate": {
            "likelihood": "medium",
            "impact": "medium",
            "mitigation": _("ask for binding quotes and run a benchmark on the programme's models before the tender"),
            "response": _(
                "the sensitivity section shows the plan re-solved with prices ±20 % and "
                "throughput within its validation band"
            ),
        },
        "idle": {
            "likelihood": "high",
            "impact": "medium",
            "mitigation": _(
                "raise the vendor cap, or offer another vendor's hardware that can do the work, so that no money "
                "is spent on idle units"
            ),
            "response": _("the plan meets the cap's letter: these units count towards the shares and do no work"),
        },
        "standby": {
            "likelihood": "medium",
            "impact": "low",
            "mitigation": _(
                "check that the standby units are where the resilience rule needs them, or let another vendor's "
                "hardware stand by, so that they do not only fill the vendor shares"
            ),
            "response": _(
                "the plan keeps these units for the resilience rule; they serve only if another site is lost"
            ),
        },
        "diluting": {
            "likelihood": "high",
            "impact": "medium",
            "mitigation": _(
                "raise the vendor cap, or give this hardware work it does well, so that its accelerators count for "
                "more than the vendor shares"
            ),
            "response": _(
                "the plan meets the cap's letter: these accelerators count towards the shares and serve little"
            ),
        },
        "policy": {
            "likelihood": "high",
            "impact": "low",
            "mitigation": _("retire them earlier if the policy must hold for owned hardware too"),
            "response": _("the plan counts them as capacity until they retire"),
        },
        "site at its limit": {
            "likelihood": "medium",
            "impact": "medium",
            "mitigation": _(
                "secure more power or space at the site before that year, or add a site to the country file"
            ),
            "response": _("the plan uses the site's power and space up to the limits the country file gives"),
        },
        "single site": {
            "likelihood": "low",
            "impact": "high",
            "mitigation": _(
                "set policy.resilience_fraction so that another site can serve part of the peak if one is lost"
            ),
            "response": _("none: the file sets no resilience rule"),
        },
        "training data": {
            "likelihood": "high",
            "impact": "medium",
            "mitigation": _("budget for curating and licensing text in the language"),
            "response": _("the compute plan assumes the corpus exists; it does not buy the data"),
        },
    }
    return rows.get(kind)


def risk_register(plan: dict[str, Any], catalog: Catalog, items: list[dict[str, str]]) -> list[dict[str, str]]:
    """Each risk of `risks()` with its likelihood, impact, mitigation and what the plan does about it.

    Likelihood and impact are judgements by kind of risk, scaled by what the plan exposes (the share of
    accelerators affected); the plan's response names the rule or figure of this plan that bears on it."""
    policy = plan.get("policy") or {}
    allocs = plan.get("allocations") or []
    total = sum(a["accelerators"] for a in allocs) or 1
    out = []
    for r in items:
        kind = r["kind"]
        exposed = sum(a["accelerators"] for a in allocs if a.get("export_status") == kind) / total
        if kind in ("licence_required", "legal_risk"):
            row = {
                "likelihood": "medium" if kind == "licence_required" else "high",
                "impact": "high" if exposed >= 0.5 else "medium",
                "mitigation": _(
                    "apply for the licences at the decision date; keep a qualified second source "
                    "that needs none; write delivery-or-refund terms into the contracts"
                ),
                "response": _(
                    "%(share)s of the accelerators acquired depend on this kind of export rule; the country file "
                    "accepts such hardware (the option without it is among the options considered)",
                    share=pct(exposed),
                ),
            }
        elif kind == "roadmap":
            row = {
                "likelihood": "medium",
                "impact": "medium",
                "mitigation": _roadmap_mitigation(plan, catalog),
                "response": _roadmap_response(plan),
            }
        elif kind == "vendor concentration":
            row = {
                "likelihood": "medium",
                "impact": "high",
                "mitigation": _(
                    "qualify a second vendor's stack on the programme's models before the second year's order"
                ),
                "response": _("the vendor cap of %(cap)s holds", cap=pct(policy["vendor_max_share"]))
                if policy.get("vendor_max_share")
                else _("no vendor cap is set in the country file"),
            }
        elif kind == "lead time":
            past = bool(r.get("past"))
            row = {
                "likelihood": "high" if past else "medium",
                "impact": "medium",
                "mitigation": _("bridge with rented capacity until the delivery; order on the dates in the timeline")
                if _can_rent(plan)
                else _(
                    "order on the dates in the timeline and write delivery dates with penalties into the contracts "
                    "(the country file has no cloud region the plan may rent in)"
                ),
                "response": _("order dates are in the timeline; the plan only buys what can arrive in time"),
            }
        else:
            row = _fixed_row(kind) or {"likelihood": "medium", "impact": "medium", "mitigation": "", "response": ""}
        out.append(
            {
                "kind": r["kind"],
                "kind_label": risk_kind_label(r["kind"]),
                "message": r["message"],
                "likelihood": _level(row["likelihood"]),
                "impact": _level(row["impact"]),
                "likelihood_id": row["likelihood"],
                "impact_id": row["impact"],
                "mitigation": row["mitigation"],
                "response": row["response"],
            }
        )
    # one row per kind of risk (and likelihood): the same mitigation need not be read ten times
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for row in out:
        key = (row["kind"], row["likelihood_id"])
        if key in merged:
            merged[key]["messages"].append(row["message"])
        else:
            merged[key] = {**row, "messages": [row["message"]]}
    order = {lvl: i for i, lvl in enumerate(_LEVELS)}
    return sorted(merged.values(), key=lambda x: -(order[x["likelihood_id"]] + order[x["impact_id"]]))


def risk_kind_label(kind: str) -> str:
    """A risk's kind in words."""
    labels = {
        "licence_required": _("export licence"),
        "legal_risk": _("legal risk"),
        "roadmap": _("announced hardware"),
        "vendor concentration": _("vendor concentration"),
        "lead time": _("lead time"),
        "estimate": _("estimate"),
        "training data": _("training data"),
        "single site": _("single site"),
        "site at its limit": _("site at its limit"),
        "policy": _("vendor policy"),
        "idle": _("idle hardware"),
        "standby": _("standby hardware"),
        "diluting": _("hardware that serves little"),
    }
    return labels.get(kind, kind.replace("_", " "))
