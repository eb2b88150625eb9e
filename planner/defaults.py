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
                issues.append(Issue(loaded.file, f"sites.{sid}", msg, line, "give them in the site"))
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
    return spec.model_copy(update=update), applied, issues


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
