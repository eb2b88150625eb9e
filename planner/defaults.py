"""Country facts from the catalog as defaults: site PUE and electricity price, and traffic shares by language.

A country.yaml value always wins; every default that is used is recorded (plan.json `defaults_applied`) with the
catalog entry and its confidence, so a proposal can show which figures were not the user's own.
"""

from __future__ import annotations

from typing import Any

from planner.catalog import Catalog
from planner.errors import Issue
from planner.schema.country import CountrySpec
from planner.yamlio import LoadedYaml


def apply_country_defaults(
    spec: CountrySpec, catalog: Catalog, loaded: LoadedYaml
) -> tuple[CountrySpec, list[dict[str, Any]], list[Issue]]:
    """(spec with defaults filled in, what was filled, problems where no default exists)."""
    applied: list[dict[str, Any]] = []
    issues: list[Issue] = []
    sites = {}
    for sid, site in spec.sites.items():
        updates: dict[str, Any] = {}
        if not site.is_cloud and None in (site.pue, site.electricity_usd_per_kwh, site.grid_gco2_per_kwh):
            facts = catalog.countries.get(site.jurisdiction.lower())
            if facts is None:
                missing = [f for f in ("pue", "electricity_usd_per_kwh") if getattr(site, f) is None]
                if not missing:  # only the carbon intensity: emissions are then not reported for this site
                    sites[sid] = site
                    continue
                msg = f"{' and '.join(missing)} missing, and the catalog has no country facts for {site.jurisdiction}"
                line = loaded.line_of(("sites", sid))
                hint = (
                    "give them in the site, or add the country to a catalog directory of your own and pass it with "
                    "--catalog DIR (docs/catalog.md)"
                )
                issues.append(Issue(loaded.file, f"sites.{sid}", msg, line, hint))
                sites[sid] = site
                continue
            if site.pue is None:
                updates["pue"] = facts.pue[site.facility]
                applied.append(_record(f"sites.{sid}.pue", updates["pue"], facts, "pue"))
            if site.grid_gco2_per_kwh is None:
                updates["grid_gco2_per_kwh"] = facts.grid_gco2_per_kwh
                applied.append(
                    _record(f"sites.{sid}.grid_gco2_per_kwh", facts.grid_gco2_per_kwh, facts, "grid_gco2_per_kwh")
                )
            if site.electricity_usd_per_kwh is None:
                updates["electricity_usd_per_kwh"] = facts.electricity_usd_per_kwh
                applied.append(
                    _record(
                        f"sites.{sid}.electricity_usd_per_kwh",
                        facts.electricity_usd_per_kwh,
                        facts,
                        "electricity_usd_per_kwh",
                    )
                )
        sites[sid] = site.model_copy(update=updates) if updates else site
    update: dict[str, Any] = {"sites": sites}
    if spec.languages is None:
        shares = _language_shares(spec, catalog)
        if shares:
            update["languages"] = shares
            facts = catalog.countries[spec.country.iso2.lower()]
            applied.append(_record("languages", shares, facts, "languages"))
        else:
            msg = f"languages missing, and the catalog has no language facts for {spec.country.iso2}"
            issues.append(Issue(loaded.file, "languages", msg, loaded.line_of(()), "give traffic shares by language"))
    filled = spec.model_copy(update=update)
    return filled, applied + cost_defaults(filled, catalog), issues


def cost_defaults(spec: CountrySpec, catalog: Catalog) -> list[dict[str, Any]]:
    """The cost figures a plan takes from somewhere other than the user or a local catalog fact.

    Per jurisdiction of the owned and colocated sites: the staff salary (the country's, or none, so staff are not
    costed), colocation rent (the country's, or the catalog's general rate) and fit-out (one construction cost
    per kW for every country)."""
    changes = {k: v for k, v in spec.costs.items() if v is not False}
    lines = [line for line_id, line in catalog.cost_lines.items() if spec.costs.get(line_id) is not False]
    user_salary = any(c and c.staff_usd_per_fte_year for c in changes.values())
    out: list[dict[str, Any]] = []
    for j in sorted({site.jurisdiction for site in spec.sites.values() if not site.is_cloud}):
        kinds = {site.kind for site in spec.sites.values() if site.jurisdiction == j}
        facts = catalog.countries.get(j.lower())
        staffed = [line for line in lines if line.kind == "staff" and line.applies_to in ("*", *kinds)]
        if staffed and not user_salary:
            if facts and facts.staff_usd_per_fte_year:
                out.append(
                    _record(f"staff salary ({j})", facts.staff_usd_per_fte_year, facts, "staff_usd_per_fte_year")
                )
            else:
                source = (
                    f"no salary for {j} in the country catalog: operations staff at its sites are not costed; "
                    "set costs.staff_platform.staff_usd_per_fte_year"
                )
                out.append({"field": f"staff salary ({j})", "value": 0, "source": source, "confidence": "estimate"})
        for line in lines:
            if line.id in changes and _sets_amount(changes[line.id]):
                continue
            if line.kind == "colocation" and "colocation" in kinds and facts and facts.colocation_usd_per_kw_month:
                rate = facts.colocation_usd_per_kw_month
                out.append(_record(f"colocation rent per kW-month ({j})", rate, facts, "colocation_usd_per_kw_month"))
            if (
                line.kind == "colocation"
                and "colocation" in kinds
                and not (facts and facts.colocation_usd_per_kw_month)
            ):
                where = f"the catalog's general rate, no local figure for {j}"
                out.append(_line_record(f"colocation rent per kW-month ({j})", line.opex_usd_per_kw_month, line, where))
            if line.kind == "fitout" and line.applies_to in ("*", *kinds) and line.capex_usd_per_kw:
                where = "one construction cost for every country; use a local figure"
                out.append(_line_record(f"fit-out per kW ({j})", line.capex_usd_per_kw, line, where))
    return out


def _sets_amount(change: Any) -> bool:
    """True if a country.yaml `costs` entry gives the line's amount itself (not only, say, its scope)."""
    fields = change.model_dump(exclude_none=True) if change is not None else {}
    return any(k in fields for k in ("opex_usd_per_kw_month", "capex_usd_per_kw"))


def _line_record(field: str, value: Any, line, where: str) -> dict[str, Any]:
    return {
        "field": field,
        "value": value,
        "source": f"cost line `{line.id}` ({where})",
        "confidence": line.source.confidence,
    }


def _language_shares(spec: CountrySpec, catalog: Catalog) -> dict[str, float] | None:
    """The country's main languages in the language catalog, weighted by their users, summing to 1."""
    facts = catalog.countries.get(spec.country.iso2.lower())
    if facts is None:
        return None
    users = {code: share for code, share in facts.languages.items() if code in catalog.languages and share > 0}
    total = sum(users.values())
    return {code: round(share / total, 4) for code, share in sorted(users.items())} if total else None


def _record(field: str, value: Any, facts, source_field: str) -> dict[str, Any]:
    src = facts.provenance(source_field)
    return {"field": field, "value": value, "source": f"country catalog `{facts.id}`", "confidence": src.confidence}
