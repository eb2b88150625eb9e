"""`planner catalog`: list catalog entries and show one entry with every figure's source.

Output uses only typer and the standard library. `list --json` and `show --json` are meant for
scripts: every entry carries its id, its figures and a `provenance` mapping (field -> ref, cite,
as_of, confidence, note).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from planner.errors import EXIT_INPUT, EXIT_USAGE, InputError, echo

catalog_app = typer.Typer(
    help="List and show catalog entries with their sources.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

SECTION_NAMES = ("hardware", "models", "languages", "countries", "efficiency_profiles", "cost_lines")
_NOT_FIGURES = {"id", "source", "sources", "export_rules"}
ESTIMATE_MARK = "~"

CatalogDirs = Annotated[
    list[Path] | None,
    typer.Option("--catalog", help="Extra catalog directory (repeatable); its entries override bundled ones."),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]

# Units derived from field-name endings (longest match first).
_UNIT_SUFFIXES = (
    ("_usd_per_unit_year", "USD per unit and year"),
    ("_fraction_per_year", "fraction of price per year"),
    ("_tflops_per_chip", "TFLOPS per chip (dense)"),
    ("_tops_per_chip", "TOPS per chip (dense)"),
    ("_tb_s_per_chip", "TB/s per chip"),
    ("_gb_s_per_chip", "GB/s per chip, one direction"),
    ("_gb_per_chip", "GB per chip"),
    ("_kw_per_unit", "kW per unit (at the wall)"),
    ("_usd_per_unit", "USD per unit"),
    ("_usd_per_kwh", "USD/kWh"),
    ("_gco2_per_kwh", "gCO2e/kWh"),
    ("_b_english_equivalent", "billion English-equivalent tokens"),
    ("_per_unit", "per unit"),
    ("_domain_chips", "chips"),
    ("_weeks", "weeks"),
    ("_tokens", "tokens"),
    ("_params_b", "billion parameters"),
    ("_b", "billion parameters"),
    ("_m", "million"),
    ("_ms", "ms"),
    ("_mfu", "fraction of peak"),
    ("_efficiency", "fraction"),
    ("_fraction", "fraction"),
)
_UNIT_EXACT = {
    "rack_units": "U (rack units)",
    "chips_per_unit": "chips",
    "params_active_b": "billion parameters (per token)",
    "vocab_size": "tokens",
    "layers": "layers",
    "hidden_size": "dimensions",
    "attention_heads": "heads",
    "kv_heads": "heads",
    "head_dim": "dimensions per head",
    "kv_lora_rank": "dimensions (latent)",
    "qk_rope_head_dim": "dimensions",
    "routed_experts": "experts per MoE layer",
    "experts_per_token": "experts",
    "goodput": "fraction of wall-clock time",
    "premium": "tokens relative to English",
    "languages": "fraction of population",
    "pue": "PUE (facility / IT power)",
}


def unit_of(field: str) -> str:
    """Unit of a catalog figure, from its field name."""
    if field in _UNIT_EXACT:
        return _UNIT_EXACT[field]
    for suffix, unit in _UNIT_SUFFIXES:
        if field.endswith(suffix):
            return unit
    return ""


def _load(catalog_dirs: list[Path] | None) -> Any:
    from planner.catalog import load_catalog

    try:
        return load_catalog(catalog_dirs or [])
    except InputError as exc:
        echo(exc.format(), err=True)
        raise typer.Exit(EXIT_INPUT) from None


def _is_figure(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, dict) and bool(value) and all(isinstance(v, int | float) for v in value.values())


def _provenance(cat: Any, entry: Any, field: str) -> dict[str, Any]:
    src = entry.provenance(field)
    ref = cat.references.get(src.ref)
    return {
        "ref": src.ref,
        "cite": ref.cite if ref else None,
        "as_of": src.as_of or (ref.as_of if ref else None),
        "confidence": src.confidence,
        "note": src.note,
    }


def entry_record(cat: Any, section: str, entry: Any) -> dict[str, Any]:
    """An entry as a JSON-ready dict: id, every field, and provenance of every figure."""
    data = entry.model_dump(mode="json", exclude={"source", "sources"})
    record: dict[str, Any] = {"id": data.pop("id"), "section": section, **data}
    file, line = cat.origin.get((section, entry.id), (None, None))
    record["defined_in"] = f"{file}:{line}" if file and line else file
    record["provenance"] = {
        name: _provenance(cat, entry, name)
        for name, value in data.items()
        if name not in _NOT_FIGURES and _is_figure(value) and name in entry.model_fields_set
    }
    return record


def _fmt_number(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "-" if value is None else str(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:,.6g}"
    return str(value)


def _cell(entry: Any, field: str) -> str:
    value = getattr(entry, field)
    text = _fmt_number(value)
    if value is not None and entry.provenance(field).confidence == "estimate":
        text = ESTIMATE_MARK + text
    return text


_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "hardware": [
        ("vendor", "vendor"),
        ("kind", "kind"),
        ("chips_per_unit", "chips"),
        ("bf16_tflops_per_chip", "BF16 TF/chip"),
        ("hbm_gb_per_chip", "mem GB/chip"),
        ("hbm_tb_s_per_chip", "TB/s/chip"),
        ("power_kw_per_unit", "kW/unit"),
        ("price_usd_per_unit", "USD/unit"),
        ("efficiency_profile", "efficiency profile"),
    ],
    "models": [
        ("params_total_b", "total B"),
        ("params_active_b", "active B"),
        ("layers", "layers"),
        ("attention", "attn"),
        ("kv_heads", "kv heads"),
        ("context_tokens", "context"),
        ("tokenizer", "tokenizer"),
    ],
    "languages": [
        ("name", "name"),
        ("script", "script"),
        ("web_tokens_b_english_equivalent", "web tokens B (en-eq)"),
    ],
    "countries": [
        ("name", "name"),
        ("population_m", "pop. M"),
        ("electricity_usd_per_kwh", "USD/kWh"),
        ("grid_gco2_per_kwh", "gCO2/kWh"),
    ],
    "efficiency_profiles": [
        ("training_mfu", "train MFU"),
        ("moe_training_mfu", "MoE MFU"),
        ("goodput", "goodput"),
        ("memory_efficiency", "mem eff"),
        ("compute_efficiency", "compute eff"),
        ("decode_overhead_ms", "decode ms"),
    ],
    "cost_lines": [
        ("kind", "kind"),
        ("applies_to", "applies to"),
        ("capex_usd_per_accelerator", "capex/acc"),
        ("opex_usd_per_accelerator_year", "opex/acc-yr"),
        ("capex_usd_per_kw", "capex/kW"),
        ("opex_usd_per_kw_month", "USD/kW-mo"),
        ("fte_per_mw", "FTE/MW"),
        ("fte_per_100_units", "FTE/100u"),
        ("min_fte", "min FTE"),
        ("capex_usd_per_pb", "capex/PB"),
    ],
}


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def _section_table(cat: Any, section: str) -> list[str]:
    entries = cat.section(section)
    title = f"{section} ({len(entries)})"
    if not entries:
        return [title, "  (none)"]
    columns = _COLUMNS[section]
    rows = [["id", *[label for _, label in columns]]]
    for entry in sorted(entries.values(), key=lambda e: e.id):
        cells = [entry.id]
        for field, _ in columns:
            value = getattr(entry, field)
            cells.append(_cell(entry, field) if _is_figure(value) else _fmt_number(value))
        if section == "languages":
            premium = entry.premium.get("median_modern")
            cells.insert(3, _fmt_number(premium))
        rows.append(cells)
    if section == "languages":
        rows[0].insert(3, "premium (median)")
    return [title, *("  " + line for line in _table(rows))]


@catalog_app.command("list")
def list_entries(
    section: Annotated[
        str | None,
        typer.Argument(
            help="hardware, models, languages, countries, efficiency_profiles or cost_lines (default: all)."
        ),
    ] = None,
    as_json: JsonFlag = False,
    catalog: CatalogDirs = None,
) -> None:
    """List catalog entries: a compact table per section, or every figure with its provenance (--json)."""
    if section is not None and section not in SECTION_NAMES:
        echo(f"error: unknown section `{section}`; use one of {', '.join(SECTION_NAMES)}", err=True)
        raise typer.Exit(EXIT_USAGE)
    cat = _load(catalog)
    sections = [section] if section else list(SECTION_NAMES)
    if as_json:
        doc = {
            name: [entry_record(cat, name, e) for e in sorted(cat.section(name).values(), key=lambda e: e.id)]
            for name in sections
        }
        echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    blocks = ["\n".join(_section_table(cat, name)) for name in sections]
    echo("\n\n".join(blocks))
    echo(
        f"\n{ESTIMATE_MARK} = estimate (derived, guessed or from conflicting sources); "
        "`planner catalog show ID` gives sources and notes."
    )


def _find(cat: Any, entry_id: str) -> list[tuple[str, Any]]:
    return [(name, cat.section(name)[entry_id]) for name in SECTION_NAMES if entry_id in cat.section(name)]


def _show_lines(cat: Any, section: str, entry: Any) -> list[str]:
    record = entry_record(cat, section, entry)
    lines = [f"{entry.id} ({section}): {getattr(entry, 'name', entry.id)}"]
    if record["defined_in"]:
        lines.append(f"  defined in {record['defined_in']}")
    skip = ("id", "section", "name", "defined_in", "provenance", "export_rules")
    defaults = []
    for key, value in record.items():
        if key in skip or key in record["provenance"] or value in (None, "", [], {}):
            continue
        if _is_figure(value):
            defaults.append(f"{key} = {_fmt_number(value)}")
        else:
            lines.append(f"  {key}: {value}")
    lines += ["", f"  figures ({ESTIMATE_MARK} = estimate, * = measured or vendor figure):"]
    lines += _figure_lines(record)
    if defaults:
        lines.append(f"  schema defaults (not set by the entry): {', '.join(defaults)}")
    if section == "models":
        lines.append(f"  derived: KV cache {kv_bytes_per_token(entry):,} bytes per token at 2 bytes per value")
    lines += _export_lines(cat, record.get("export_rules") or [])
    lines += _source_lines(cat, record)
    estimates = [f for f, p in record["provenance"].items() if p["confidence"] == "estimate"]
    lines.append("")
    if estimates:
        lines.append(f"  {len(estimates)} estimate(s): {', '.join(estimates)}; check the notes before relying on them.")
    else:
        lines.append("  no estimates in this entry.")
    return lines


def kv_bytes_per_token(model: Any, bytes_per_value: int = 2) -> int:
    """KV-cache bytes per token: 2·layers·kv_heads·head_dim·bytes (GQA/MHA) or layers·(rank+rope)·bytes (MLA)."""
    if model.attention == "mla":
        return model.layers * (model.kv_lora_rank + model.qk_rope_head_dim) * bytes_per_value
    return 2 * model.layers * model.kv_heads * model.head_dim * bytes_per_value


def _figure_lines(record: dict[str, Any]) -> list[str]:
    """One line per figure, its source named by reference id and date (the citations follow the entry once:
    an entry's figures mostly share two or three sources)."""
    lines = []
    for field, prov in record["provenance"].items():
        value = record[field]
        bullet = ESTIMATE_MARK if prov["confidence"] == "estimate" else "*"
        if isinstance(value, dict):
            shown = ", ".join(f"{k}: {_fmt_number(v)}" for k, v in value.items())
        else:
            shown = _fmt_number(value)
        unit = f" [{unit_of(field)}]" if unit_of(field) else ""
        lines.append(f"  {bullet} {field} = {shown}{unit}  ({prov['confidence']})")
        lines.append(f"      source: {prov['ref']} (as of {prov['as_of']})")
        if prov["note"]:
            lines.append(f"      note: {prov['note']}")
    return lines


def _source_lines(cat: Any, record: dict[str, Any]) -> list[str]:
    """Each reference the entry's figures and export rules cite, once."""
    cited = {p["ref"]: p["cite"] for p in record["provenance"].values()}
    for rule in record.get("export_rules") or []:
        ref = cat.references.get(rule["ref"])
        cited.setdefault(rule["ref"], ref.cite if ref else "(no citation in the catalog)")
    return ["", "  sources:", *(f"  {ref}: {cite}" for ref, cite in cited.items())] if cited else []


def _export_lines(cat: Any, rules: list[dict[str, Any]]) -> list[str]:
    if not rules:
        return []
    lines = ["", "  export rules (destination: status, period; reference):"]
    for rule in rules:
        period = _period(rule["from_date"], rule["until_date"])
        lines.append(f"  * {', '.join(rule['destinations'])}: {rule['status']}{period}")
        if rule["note"]:
            lines.append(f"      note: {rule['note']}")
        lines.append(f"      source: {rule['ref']}")
    return lines


def _period(start: str | None, end: str | None) -> str:
    if start and end:
        return f", {start} to {end}"
    if start:
        return f", from {start}"
    if end:
        return f", until {end}"
    return ""


@catalog_app.command("show")
def show_entry(
    entry_id: Annotated[
        str, typer.Argument(metavar="ID", help="Id of a hardware, model, language, country or efficiency profile.")
    ],
    as_json: JsonFlag = False,
    catalog: CatalogDirs = None,
) -> None:
    """Show one entry: every figure with its unit, source, date and confidence; estimates are marked.

    An id used in several sections (e.g. `my`: Burmese and Malaysia) shows every match; with --json
    one match prints an object and several print a list.
    """
    from planner.validation import did_you_mean

    cat = _load(catalog)
    matches = _find(cat, entry_id) or _find(cat, entry_id.lower())  # NG for the country `ng`
    if not matches:
        known = [i for name in SECTION_NAMES for i in cat.section(name)]
        close = did_you_mean(entry_id, known)
        hint = f"; did you mean `{close}`?" if close else ""
        echo(f"error: no catalog entry `{entry_id}`{hint} (see `planner catalog list`)", err=True)
        raise typer.Exit(EXIT_INPUT)
    if as_json:
        records = [entry_record(cat, name, e) for name, e in matches]
        echo(json.dumps(records[0] if len(records) == 1 else records, indent=2, ensure_ascii=False))
        return
    blocks = ["\n".join(_show_lines(cat, name, e)) for name, e in matches]
    echo("\n\n".join(blocks))
