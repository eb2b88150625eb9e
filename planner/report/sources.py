"""The appendix of assumptions: every catalog figure behind the plan with its source, date and confidence."""

from __future__ import annotations

from typing import Any

from planner.catalog import Catalog
from planner.perf.factors import unread_fields
from planner.report.fmt import num, num_sig
from planner.report.i18n import _
from planner.schema.catalog import CostLine, SourcedEntry

SKIP_FIELDS = {"price_as_of"}


def figure(value: float) -> str:
    """A catalog figure, readable, in the report's number format: 170,000 · 1,307 · 0.35 · 5.3."""
    if isinstance(value, int) or (abs(value) >= 1000 and value == int(value)):
        return num(value)
    if abs(value) >= 1000:
        return num(value, 1)
    return num_sig(value, 4)


def _numeric_fields(entry: SourcedEntry) -> list[tuple[str, float]]:
    out = []
    for name in type(entry).model_fields:
        if name in SKIP_FIELDS:
            continue
        v = getattr(entry, name)
        if isinstance(v, bool) or not isinstance(v, int | float):
            continue
        if v == 0 and isinstance(entry, CostLine):  # a cost line uses few of its fields
            continue
        out.append((name, v))
    return out


def _profile_table_rows(catalog: Catalog, section: str, entry: Any) -> list[dict[str, str]]:
    """A profile's figures held in tables (GEMM efficiency per precision, the decode-attention curve per
    accelerator), one row each, so every factor an estimate used stands in the appendix with its source."""
    rows = [_row(catalog, section, entry, f"gemm_efficiency[{p}]", v) for p, v in sorted(entry.gemm_efficiency.items())]
    for key, pts in sorted((entry.attention_bandwidth_curve or {}).items()):
        rows += [
            _row(catalog, section, entry, f"attention_bandwidth_curve[{key}, {num(b / 1e6)} MB]", e) for b, e in pts
        ]
    for prev, row in zip(rows, rows[1:], strict=False):  # one field's note once, on its first row
        if row["field"].split("[")[0] == prev["field"].split("[")[0]:
            row["note"] = ""
    return rows


def _row(catalog: Catalog, section: str, entry: SourcedEntry, field: str, value: Any) -> dict[str, str]:
    base = field.split("[")[0]
    src = entry.provenance(base)
    ref = catalog.references.get(src.ref)
    return {
        "section": section,
        "entry": entry.id,
        "name": getattr(entry, "name", entry.id),
        "field": field,
        "value": figure(value) if isinstance(value, int | float) else str(value),
        "source": ref.cite if ref else src.ref,
        "ref": src.ref,
        # a price is dated by the date it stands at (the price decline runs from it), not when it was recorded
        "as_of": (getattr(entry, "price_as_of", None) if base == "price_usd_per_unit" else None)
        or src.as_of
        or (ref.as_of if ref else ""),
        "confidence": src.confidence,
        "note": src.note or "",
    }


def used_entries(plan: dict[str, Any], catalog: Catalog) -> dict[str, list[str]]:
    """Catalog ids the plan rests on: purchased hardware, their efficiency profiles, models and languages."""
    hardware = sorted({a["hardware"] for a in plan.get("allocations", [])})
    profiles = sorted({catalog.hardware[h].efficiency_profile for h in hardware if h in catalog.hardware})
    models = sorted({w["model"] for w in plan.get("workloads", []) if w.get("model")})
    from planner.report.risks import plan_languages

    languages = [lang for lang in plan_languages(plan, catalog) if lang in catalog.languages]
    lines = sorted(catalog.cost_lines)  # the plan's snapshot holds the lines it was costed with
    return {
        "hardware": hardware,
        "efficiency_profiles": profiles,
        "models": models,
        "languages": languages,
        "cost_lines": lines,
    }


def assumptions(plan: dict[str, Any], catalog: Catalog) -> list[dict[str, Any]]:
    """Groups {title, entries: [{id, name, rows}], rows} of catalog figures with their sources."""
    used = used_entries(plan, catalog)
    titles = {
        "hardware": _("Hardware purchased"),
        "efficiency_profiles": _("Efficiency of the software stacks"),
        "models": _("Models"),
        "languages": _("Languages"),
        "cost_lines": _("Cost lines beyond hardware, energy and maintenance"),
    }
    groups = []
    tokenizers = sorted({catalog.models[m].tokenizer for m in used["models"] if m in catalog.models})
    for section, ids in used.items():
        entries = []
        for entry_id in ids:
            entry = catalog.section(section).get(entry_id)
            if entry is None:
                continue
            fields = _numeric_fields(entry)
            if section == "efficiency_profiles":  # only what an estimate reads: the figures the plan rests on
                unread = unread_fields(entry)
                fields = [(f, v) for f, v in fields if f not in unread]
            rows = [_row(catalog, section, entry, field, value) for field, value in fields]
            if section == "efficiency_profiles":
                rows += _profile_table_rows(catalog, section, entry)
            if section == "languages":
                rows += [
                    _row(catalog, section, entry, f"premium[{tok}]", entry.premium[tok])
                    for tok in tokenizers
                    if tok in entry.premium
                ]
            if rows:
                entries.append({"id": entry_id, "name": getattr(entry, "name", entry_id), "rows": rows})
        if entries:
            groups.append(
                {"title": titles[section], "entries": entries, "rows": [r for e in entries for r in e["rows"]]}
            )
    return groups


def references_used(groups: list[dict[str, Any]], catalog: Catalog) -> list[dict[str, str]]:
    """The references cited in the appendix, once each."""
    seen: dict[str, dict[str, str]] = {}
    for g in groups:
        for r in g["rows"]:
            ref = catalog.references.get(r["ref"])
            if r["ref"] not in seen and ref is not None:
                seen[r["ref"]] = {"id": r["ref"], "cite": ref.cite, "as_of": ref.as_of, "note": ref.note or ""}
    return sorted(seen.values(), key=lambda r: r["id"])
