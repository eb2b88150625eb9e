"""Semantic checks of a country spec against the catalog: every problem at once, each with file and line."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from planner.catalog import Catalog, unknown_id_issue
from planner.errors import Issue
from planner.schema.country import CountrySpec, ServingWorkload
from planner.validation import did_you_mean
from planner.yamlio import LoadedYaml


def run_checks(spec: CountrySpec, catalog: Catalog, loaded: LoadedYaml, *, contradictions: bool = True) -> list[Issue]:
    """All cross-reference and consistency problems of `spec`; with `contradictions`, also the rules that no plan
    can meet together (a data class no site satisfies, a vendor cap the vendors on offer cannot reach). Those are
    the user's mistake in their own file, but a built-in scenario applied to it (`planner compare`, the proposal's
    options) makes an option without a plan, which its solve reports, not an input error."""
    checks = (
        check_catalog_ids,
        check_site_hardware_ids,
        check_workload_years,
        check_site_power,
        check_electricity_price,
        check_policy,
        check_context_length,
        *((check_data_class_sites,) if contradictions else ()),
        check_resilience_sites,
        *((check_vendor_cap,) if contradictions else ()),
        check_time_and_costs,
    )
    return [issue for check in checks for issue in check(spec, catalog, loaded)]


def _issue(loaded: LoadedYaml, path: tuple, message: str, hint: str | None = None) -> Issue:
    return Issue(loaded.file, ".".join(str(p) for p in path), message, loaded.line_of(path), hint)


def _unknown(
    loaded: LoadedYaml, path: tuple, section: str, entry_id: str, catalog: Catalog, listed: Iterable[str] = ()
) -> Issue:
    if section == "languages" and (meant := _languages_of_country_code(entry_id, catalog, set(listed))):
        # `vn` for Vietnamese: a country code where a language code belongs (no spelling is close to `vi`)
        country, codes = meant
        which = (
            f"its language `{codes[0]}`"
            if len(codes) == 1
            else "one of its languages: " + ", ".join(f"`{c}`" for c in codes)
        )
        hint = f"`{entry_id}` is the country code of {country}: did you mean {which}? (languages take ISO 639 codes)"
        return _issue(loaded, path, f"unknown language `{entry_id}`", hint)
    return unknown_id_issue(
        loaded.file, ".".join(str(p) for p in path), section, entry_id, catalog.section(section), loaded.line_of(path)
    )


def _languages_of_country_code(code: str, catalog: Catalog, listed: set[str]) -> tuple[str, list[str]] | None:
    """(country name, its catalog languages the file does not list yet, most spoken first) if `code` is a catalog
    country's ISO 3166 code (`kz` beside `ru`: Kazakh, not Russian), else None."""
    for country in catalog.countries.values():
        if country.iso2 == code.upper():
            codes = sorted(country.languages, key=lambda k: -country.languages[k])
            codes = [c for c in codes if c in catalog.languages and c not in listed and c != code]
            if codes:
                return country.name, codes
    return None


def check_catalog_ids(spec: CountrySpec, catalog: Catalog, loaded: LoadedYaml) -> list[Issue]:
    """Models, hardware and languages named in the spec exist in the catalog."""
    issues = []
    for wid, workload in spec.workloads.items():
        if workload.model not in catalog.models:
            issues.append(_unknown(loaded, ("workloads", wid, "model"), "models", workload.model, catalog))
        if isinstance(workload, ServingWorkload) and workload.languages:
            for code in workload.languages:
                if code not in catalog.languages:
                    path = ("workloads", wid, "languages", code)
                    issues.append(_unknown(loaded, path, "languages", code, catalog, workload.languages))
    for i, hw in enumerate(spec.hardware or []):
        if hw not in catalog.hardware:
            issues.append(_unknown(loaded, ("hardware", i), "hardware", hw, catalog))
    for code in spec.languages:
        if code not in catalog.languages:
            issues.append(_unknown(loaded, ("languages", code), "languages", code, catalog, spec.languages))
    return issues


def check_site_hardware_ids(spec: CountrySpec, catalog: Catalog, loaded: LoadedYaml) -> list[Issue]:
    """Hardware offered in cloud regions and installed as brownfield exists in the catalog."""
    issues = []
    for sid, site in spec.sites.items():
        for hw in site.rent_usd_per_accelerator_hour:
            if hw not in catalog.hardware:
                path = ("sites", sid, "rent_usd_per_accelerator_hour", hw)
                issues.append(_unknown(loaded, path, "hardware", hw, catalog))
        for i, existing in enumerate(site.existing):
            path = ("sites", sid, "existing", i)
            if existing.hardware not in catalog.hardware:
                issues.append(_unknown(loaded, (*path, "hardware"), "hardware", existing.hardware, catalog))
            if existing.installed_year > spec.planning.start_year:
                msg = f"installed_year {existing.installed_year} is after the plan starts ({spec.planning.start_year})"
                issues.append(_issue(loaded, (*path, "installed_year"), msg, "existing units are already installed"))
    return issues


def check_policy(spec: CountrySpec, catalog: Catalog, loaded: LoadedYaml) -> list[Issue]:
    """Data classes named by workloads are defined; allowed vendors exist; resilience has sites to fail over to."""
    issues = []
    for wid, workload in spec.workloads.items():
        if workload.data_class and workload.data_class not in spec.data_locality:
            issues.append(_data_class_issue(loaded, wid, workload.data_class, list(spec.data_locality)))
    vendors = sorted({h.vendor for h in catalog.hardware.values()})
    for i, vendor in enumerate(spec.policy.allowed_vendors or []):
        if vendor not in vendors:
            msg = f"unknown vendor `{vendor}`"
            issues.append(_issue(loaded, ("policy", "allowed_vendors", i), msg, f"vendors: {', '.join(vendors)}"))
    if spec.policy.resilience_fraction and len(spec.sites) < 2:
        msg = "resilience needs at least two sites (a single site cannot survive its own loss)"
        issues.append(_issue(loaded, ("policy", "resilience_fraction"), msg, "add a site or remove the rule"))
    if spec.policy.min_allied_share and not spec.policy.allied_origins:
        msg = "min_allied_share needs allied_origins (ISO codes of domestic or allied supplier countries)"
        issues.append(_issue(loaded, ("policy", "allied_origins"), msg))
    return issues


def check_context_length(spec: CountrySpec, catalog: Catalog, loaded: LoadedYaml) -> list[Issue]:
    """A request (prompt plus answer, after the language premium) fits the model's context window."""
    from planner.perf import language_premium

    issues = []
    for wid, w in spec.workloads.items():
        if not isinstance(w, ServingWorkload) or w.model not in catalog.models:
            continue
        model = catalog.models[w.model]
        shares = w.languages or spec.languages
        if any(code not in catalog.languages for code in shares):
            continue
        premium, _ = language_premium(shares, model.tokenizer, catalog.languages)
        tokens = (w.input_tokens_per_request + w.output_tokens_per_request) * premium
        if tokens > model.context_tokens:
            msg = (
                f"a request of {tokens:,.0f} tokens (prompt + answer × language premium {premium:.2f}) does not fit "
                f"the {model.context_tokens:,}-token context of `{w.model}`"
            )
            issues.append(_issue(loaded, ("workloads", wid, "input_tokens_per_request"), msg, "shorten the requests"))
    return issues


def check_data_class_sites(spec: CountrySpec, catalog: Catalog, loaded: LoadedYaml) -> list[Issue]:
    """A workload's data class allows at least one of the file's sites (else nothing can run it anywhere)."""
    from planner.sizing.rules import site_allowed

    issues = []
    for wid, w in spec.workloads.items():
        rule = spec.data_locality.get(w.data_class) if w.data_class else None
        if rule is None or any(site_allowed(rule, site) for site in spec.sites.values()):
            continue
        wants = [
            f"jurisdictions {', '.join(rule.jurisdictions)}" if rule.jurisdictions is not None else "",
            f"site kinds {', '.join(rule.site_kinds)}" if rule.site_kinds is not None else "",
        ]
        there = ", ".join(f"{sid} ({site.jurisdiction}, {site.kind})" for sid, site in spec.sites.items())
        msg = (
            f"`{wid}` has data class `{w.data_class}`, which allows {' and '.join(x for x in wants if x)}; no site "
            f"of the file is one ({there})"
        )
        hint = f"add such a site, or widen data_locality.{w.data_class}"
        issues.append(_issue(loaded, ("workloads", wid, "data_class"), msg, hint))
    return issues


def check_vendor_cap(spec: CountrySpec, catalog: Catalog, loaded: LoadedYaml) -> list[Issue]:
    """vendor_max_share leaves room for every accelerator: the vendors on offer times the cap reach 100 %."""
    cap = spec.policy.vendor_max_share
    if not cap:
        return []
    from planner.sizing.data import hardware_on_offer

    vendors = {catalog.hardware[h].vendor for h in hardware_on_offer(spec, catalog) if h in catalog.hardware}
    if spec.policy.allowed_vendors is not None:
        vendors &= set(spec.policy.allowed_vendors)
    if not vendors or len(vendors) * cap >= 1.0 - 1e-9:
        return []
    msg = (
        f"no vendor may exceed {cap:.0%}, but the hardware on offer comes from {len(vendors)} vendor"
        f"{'s' if len(vendors) != 1 else ''} ({', '.join(sorted(vendors))}): together they may supply at most "
        f"{len(vendors) * cap:.0%} of what the plan needs"
    )
    need = math.ceil(1.0 / cap - 1e-9)
    hint = f"raise vendor_max_share to at least {1.0 / len(vendors):.0%}, or offer hardware of {need} vendors or more"
    return [_issue(loaded, ("policy", "vendor_max_share"), msg, hint)]


def check_resilience_sites(spec: CountrySpec, catalog: Catalog, loaded: LoadedYaml) -> list[Issue]:
    """Resilience needs every serving workload to have at least two sites its data class allows."""
    from planner.sizing.rules import site_allowed

    if not spec.policy.resilience_fraction:
        return []
    issues = []
    for wid, w in spec.workloads.items():
        if not isinstance(w, ServingWorkload):
            continue
        rule = spec.data_locality.get(w.data_class) if w.data_class else None
        allowed = [s for s, site in spec.sites.items() if site_allowed(rule, site)]
        if len(allowed) == 1 or (not allowed and rule is None):  # none at all: check_data_class_sites says so
            msg = (
                f"resilience needs `{wid}` to run at two sites or more, but its data class allows only "
                f"{', '.join(allowed) or 'none'}"
            )
            hint = "add a site its data class allows, widen data_locality, or lower policy.resilience_fraction"
            issues.append(_issue(loaded, ("policy", "resilience_fraction"), msg, hint))
    return issues


def check_workload_years(spec: CountrySpec, catalog: Catalog, loaded: LoadedYaml) -> list[Issue]:
    """Training jobs and yearly budgets fall inside the planning horizon."""
    issues = []
    years = spec.years
    for year in spec.budget.capex_usd_by_year:
        if year not in years:
            msg = f"capex budget for {year}, outside the planning horizon {years[0]}–{years[-1]}"
            issues.append(
                _issue(loaded, ("budget", "capex_usd_by_year", year), msg, "change the year or planning.years")
            )
    for wid, workload in spec.workloads.items():
        year = getattr(workload, "year", None)
        if year is not None and year not in years:
            msg = f"year {year} is outside the planning horizon {years[0]}–{years[-1]}"
            issues.append(_issue(loaded, ("workloads", wid, "year"), msg, "change the year or planning.years"))
        outside = False
        for key in ("earliest_start", "go_live"):  # dates of the quarters model: inside the horizon too
            day = getattr(workload, key, None)
            if day is not None and day.year not in years:
                outside = True
                msg = f"{key} {day.isoformat()} is outside the planning horizon {years[0]}–{years[-1]}"
                issues.append(_issue(loaded, ("workloads", wid, key), msg, "change the date or planning.years"))
        if not outside and year in (None, *years):
            issues += _run_past_horizon(spec, loaded, wid)
    return issues


def _run_past_horizon(spec: CountrySpec, loaded: LoadedYaml, wid: str) -> list[Issue]:
    """A training job given its full deadline from its start must end inside the plan: the sizing holds its units
    only in the plan's quarters, so a run spilling past them would be sized against quarters that do not exist."""
    from planner.sizing.quarters import earliest_start

    job = spec.workloads[wid]
    if isinstance(job, ServingWorkload):
        return []
    start = earliest_start(spec, wid)
    horizon_end = dt.date(spec.years[-1] + 1, 1, 1)  # exclusive, like a run's end
    days = max(1, math.ceil(job.deadline_days - 1e-9))  # as planner.sizing.quarters.run_end rounds it
    if days <= (horizon_end - start).days:
        return []
    key = "earliest_start" if job.earliest_start is not None else "start_week" if job.start_week else "deadline_days"
    msg = (
        f"the run ends after the planning horizon ({spec.years[0]}–{spec.years[-1]}): {start.isoformat()} + "
        f"{job.deadline_days:g} deadline_days goes past {spec.years[-1]}-12-31; earliest_start + deadline_days "
        "must fall within the horizon"
    )
    if days <= (horizon_end - dt.date(spec.years[0], 1, 1)).days:
        last_start = horizon_end - dt.timedelta(days=days)
        hint = f"start by {last_start.isoformat()} at the latest, shorten deadline_days, or extend planning.years"
    else:
        hint = "the deadline is longer than the whole plan: shorten deadline_days or extend planning.years"
    return [_issue(loaded, ("workloads", wid, key), msg, hint)]


def check_site_power(spec: CountrySpec, catalog: Catalog, loaded: LoadedYaml) -> list[Issue]:
    """A site too small for even one unit of any option is almost certainly a unit mistake (kW vs MW)."""
    issues = []
    options = [catalog.hardware[h] for h in (spec.hardware or catalog.hardware) if h in catalog.hardware]
    if not options:
        return issues
    smallest = min(h.power_kw_per_unit for h in options)
    for sid, site in spec.sites.items():
        if site.is_cloud:
            continue
        if site.power_kw < smallest * site.pue:
            msg = (
                f"power_kw {site.power_kw:g} cannot host a single unit of any hardware option "
                f"(smallest needs {smallest * site.pue:.1f} kW with PUE {site.pue:g})"
            )
            issues.append(_issue(loaded, ("sites", sid, "power_kw"), msg, "power_kw is in kilowatts: 2 MW = 2000"))
    return issues


ELECTRICITY_USUAL_MAX = 1.0
"""US dollars a kWh above any country's grid price (0.03-0.40 in catalogs/countries.yaml): most likely a slip."""
ELECTRICITY_MAX = 5.0
"""Above this no grid, generator or island tariff charges: an input error (cents, or the local currency)."""


def electricity_readings(price: float, jurisdiction: str, catalog: Catalog | None) -> list[str]:
    """What a price above any grid's was probably meant as: cents, or the site country's currency."""
    readings = [f"{price:g} cents, write {price / 100:g}"] if price / 100 <= ELECTRICITY_USUAL_MAX else []
    facts = catalog.countries.get(jurisdiction.lower()) if catalog is not None else None
    if facts and facts.usd_to_local and facts.currency and price / facts.usd_to_local <= ELECTRICITY_USUAL_MAX:
        readings.append(
            f"{price:g} {facts.currency} (at {facts.usd_to_local:,g} a dollar), write {price / facts.usd_to_local:.3g}"
        )
    return readings


def check_electricity_price(spec: CountrySpec, catalog: Catalog, loaded: LoadedYaml) -> list[Issue]:
    """A price above any tariff (900 written for 900 soum a kWh) is an error: a plan priced on it drops the site."""
    issues = []
    for sid, site in spec.sites.items():
        price = site.electricity_usd_per_kwh
        if price is None or price <= ELECTRICITY_MAX:
            continue
        readings = electricity_readings(price, site.jurisdiction, catalog)
        hint = "if you meant " + " or ".join(readings) if readings else "the price is in US dollars a kWh"
        msg = f"{price:g} US dollars a kWh is above any grid price (0.03-0.40 $/kWh)"
        issues.append(_issue(loaded, ("sites", sid, "electricity_usd_per_kwh"), msg, hint))
    return issues


def check_time_and_costs(spec: CountrySpec, catalog: Catalog, loaded: LoadedYaml) -> list[Issue]:
    """Cost-line changes name catalog lines; site phases fall within the plan; the plan does not start in the past."""
    from planner.sizing.rules import run_date

    issues = []
    for line_id in spec.costs:
        if line_id not in catalog.cost_lines:
            issues.append(_unknown(loaded, ("costs", line_id), "cost_lines", line_id, catalog))
    years = spec.years
    for sid, site in spec.sites.items():
        for key in ("power_kw_by_year", "racks_by_year"):
            for year in getattr(site, key):
                if not years[0] < year <= years[-1]:
                    msg = f"phase year {year} is outside the plan's years after the first ({years[0] + 1}–{years[-1]})"
                    base = "power_kw" if key == "power_kw_by_year" else "racks"
                    hint = (
                        f"give the first year's value as `{base}`" if year <= years[0] else "drop it or extend the plan"
                    )
                    issues.append(_issue(loaded, ("sites", sid, key, year), msg, hint))
    today = run_date()
    if spec.planning.start_year < today.year:
        msg = f"the plan starts in {spec.planning.start_year}, before this year ({today.year}): nothing can be had then"
        issues.append(
            _issue(
                loaded,
                ("planning", "start_year"),
                msg,
                f"start in {today.year} or later ({today.year + 1} if the purchases are still to be ordered)",
            )
        )
    return issues


def raw_reference_checks(data: dict, catalog: Catalog, loaded: LoadedYaml) -> list[Issue]:
    """The catalog-id and horizon checks on the raw mapping, for a document the schema rejected: a wrong model
    id or a year outside the plan is reported together with the schema's problems, not after they are fixed.
    Only values of the expected shape are looked at (the schema reports the rest)."""
    named: list[tuple[tuple, str, object]] = []  # (path, catalog section, id as written)
    for wid, w in _mapping(data.get("workloads")).items():
        w = _mapping(w)
        named.append((("workloads", wid, "model"), "models", w.get("model")))
        named += [(("workloads", wid, "languages", c), "languages", c) for c in _mapping(w.get("languages"))]
    hardware = data.get("hardware") if isinstance(data.get("hardware"), list) else []
    named += [(("hardware", i), "hardware", hw) for i, hw in enumerate(hardware)]
    named += [(("languages", c), "languages", c) for c in _mapping(data.get("languages"))]
    for sid, site in _mapping(data.get("sites")).items():
        site = _mapping(site)
        rents = _mapping(site.get("rent_usd_per_accelerator_hour"))
        named += [(("sites", sid, "rent_usd_per_accelerator_hour", hw), "hardware", hw) for hw in rents]
        existing = site.get("existing") if isinstance(site.get("existing"), list) else []
        for i, unit in enumerate(existing):
            named.append((("sites", sid, "existing", i, "hardware"), "hardware", _mapping(unit).get("hardware")))
    named += [(("costs", line), "cost_lines", line) for line in _mapping(data.get("costs"))]
    issues = [
        _unknown(loaded, path, section, entry, catalog)
        for path, section, entry in named
        if isinstance(entry, str) and entry not in catalog.section(section)
    ]
    return issues + _raw_years(data, _mapping(data.get("workloads")), loaded) + _raw_data_classes(data, loaded)


def _raw_data_classes(data: dict, loaded: LoadedYaml) -> list[Issue]:
    """Data classes the workloads name that `data_locality` does not define (when it is a plain mapping)."""
    classes = data.get("data_locality", {})
    if not isinstance(classes, dict):
        return []
    issues = []
    for wid, w in _mapping(data.get("workloads")).items():
        name = _mapping(w).get("data_class")
        if isinstance(name, str) and name not in classes:
            issues.append(_data_class_issue(loaded, wid, name, [str(c) for c in classes]))
    return issues


def _data_class_issue(loaded: LoadedYaml, wid: str, name: str, classes: list[str]) -> Issue:
    known = ", ".join(sorted(classes)) or "none defined"
    close = did_you_mean(name, classes)
    hint = f"did you mean `{close}`?" if close else "add it under data_locality"
    msg = f"data class `{name}` is not defined in data_locality ({known})"
    return _issue(loaded, ("workloads", wid, "data_class"), msg, hint)


def _mapping(value: object) -> dict:
    """`value` if it is a mapping, else an empty one (the schema reports it)."""
    return value if isinstance(value, dict) else {}


def _raw_years(data: dict, workloads: dict, loaded: LoadedYaml) -> list[Issue]:
    """Workload years outside the horizon, if `planning` gives one plainly."""
    planning = data.get("planning") if isinstance(data.get("planning"), dict) else {}
    start, count = planning.get("start_year"), planning.get("years", 1)
    if not (isinstance(start, int) and isinstance(count, int) and 1 <= count <= 15) or isinstance(start, bool):
        return []
    first, last = start, start + count - 1
    issues = []
    for wid, w in workloads.items():
        year = w.get("year") if isinstance(w, dict) else None
        if isinstance(year, int) and not isinstance(year, bool) and not first <= year <= last:
            msg = f"year {year} is outside the planning horizon {first}–{last}"
            issues.append(_issue(loaded, ("workloads", wid, "year"), msg, "change the year or planning.years"))
    return issues
