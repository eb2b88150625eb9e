"""Load the bundled catalog and user catalog directories, check cross-references, look entries up."""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue
from planner.resources import bundled_dir
from planner.schema.catalog import (
    CatalogFile,
    CostLine,
    Country,
    EfficiencyProfile,
    Hardware,
    Language,
    Model,
    Reference,
    SourcedEntry,
)
from planner.validation import did_you_mean, validate_document
from planner.yamlio import MAX_FILE_BYTES, LoadedYaml, load_yaml

SECTIONS = ("hardware", "efficiency_profiles", "models", "languages", "countries", "cost_lines")


@dataclass
class Catalog:
    """Every catalog entry by id, with the file (and line) it came from."""

    references: dict[str, Reference] = field(default_factory=dict)
    hardware: dict[str, Hardware] = field(default_factory=dict)
    efficiency_profiles: dict[str, EfficiencyProfile] = field(default_factory=dict)
    models: dict[str, Model] = field(default_factory=dict)
    languages: dict[str, Language] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    cost_lines: dict[str, CostLine] = field(default_factory=dict)
    origin: dict[tuple[str, str], tuple[str, int | None]] = field(default_factory=dict)
    file_hashes: dict[str, str] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        """Entries of one section by id."""
        return getattr(self, name)

    def lookup(self, section: str, entry_id: str) -> Any:
        """An entry by id, or an InputError that suggests a close id."""
        entries = self.section(section)
        if entry_id in entries:
            return entries[entry_id]
        raise InputError([unknown_id_issue("<catalog>", "", section, entry_id, entries)])


def unknown_id_issue(
    file: str, path: str, section: str, entry_id: str, known: Iterable[str], line: int | None = None
) -> Issue:
    """An Issue for an id that is not in the catalog, with a did-you-mean hint."""
    noun = {
        "hardware": "hardware",
        "efficiency_profiles": "efficiency profile",
        "models": "model",
        "languages": "language",
        "countries": "country",
        "cost_lines": "cost line",
        "references": "reference",
    }[section]
    close = did_you_mean(entry_id, known)
    listing = f"`planner catalog list {section}`" if section in SECTIONS else "the references section"
    hint = f"did you mean `{close}`? (see {listing})" if close else f"see {listing}"
    if section == "languages" and not close:  # a language the catalog lacks (Nigerian Pidgin): the two ways on
        hint += (
            "; to plan for it, add it in a catalog directory passed with --catalog (docs/catalog.md), or fold its "
            "share into a language the catalog has"
        )
    return Issue(file, path, f"unknown {noun} `{entry_id}`", line=line, hint=hint)


def load_catalog(extra_dirs: Iterable[Path] = ()) -> Catalog:
    """Bundled catalog, then each user directory in order; a later entry with the same id replaces an earlier one."""
    catalog = Catalog()
    issues: list[Issue] = []
    lines: dict[tuple[str, str], tuple[LoadedYaml, int]] = {}
    for directory in [bundled_dir("catalogs"), *map(Path, extra_dirs)]:
        if not directory.is_dir():
            issues.append(Issue(str(directory), "", "catalog directory not found"))
            continue
        for file in sorted(directory.rglob("*.yaml")) + sorted(directory.rglob("*.yml")):
            try:
                _merge_file(catalog, file, lines)
            except InputError as exc:
                issues.extend(exc.issues)
    if not issues:
        issues.extend(_cross_reference_issues(catalog, lines))
    if issues:
        raise InputError(issues)
    return catalog


def _merge_file(catalog: Catalog, file: Path, lines: dict[tuple[str, str], tuple[LoadedYaml, int]]) -> None:
    loaded, digest = _load_catalog_yaml(file)
    parsed = validate_document(CatalogFile, loaded)
    catalog.file_hashes[str(file)] = digest
    issues = []
    for ref_id in parsed.references:  # docs/catalog.md: reference ids are unique across all files
        same = catalog.references.get(ref_id) == parsed.references[ref_id]  # a copied file cites alike: fine
        if ("references", ref_id) in catalog.origin and not same:
            where, line = catalog.origin[("references", ref_id)]
            msg = f"reference `{ref_id}` is already defined at {where}:{line}"
            hint = "reference ids are unique across all catalog files: give this one another id"
            issues.append(Issue(str(file), f"references.{ref_id}", msg, loaded.line_of(("references", ref_id)), hint))
    catalog.references.update(parsed.references)
    for ref_id in parsed.references:
        catalog.origin[("references", ref_id)] = (str(file), loaded.line_of(("references", ref_id)))
    for section in SECTIONS:
        first: dict[str, int] = {}
        for index, entry in enumerate(getattr(parsed, section)):
            if entry.id in first:  # a later directory replaces an entry; one file naming it twice is a slip
                earlier = loaded.line_of((section, first[entry.id]))
                msg = f"`{entry.id}` is defined twice in this file (first at line {earlier})"
                hint = "keep one entry per id in a file (an entry in a later --catalog directory replaces it)"
                issues.append(Issue(str(file), f"{section}[{index}].id", msg, loaded.line_of((section, index)), hint))
            first.setdefault(entry.id, index)
            catalog.section(section)[entry.id] = entry
            lines[(section, entry.id)] = (loaded, index)
            catalog.origin[(section, entry.id)] = (str(file), loaded.line_of((section, index)))
    if issues:
        raise InputError(issues)


# ------------------------------------------------------------------------------------------- parse cache
# Parsing the catalog YAML with line tracking is most of the time of a one-shot command (`planner estimate
# serve`): the parsed data and line table of each file are kept on disk, keyed on the SHA-256 of the file's
# bytes, so an edited file is parsed again and a cached one is never stale. The cache holds plain data only
# (dicts, lists, text, numbers, dates) and is read with an unpickler that refuses every other type; any
# problem with it (missing, corrupt, read-only directory) falls back to parsing. PLANNER_CACHE_DIR=off
# disables it.

_CACHE_FORMAT = "catalog-parse-1"
_CACHE_KEEP = 64  # cache files kept (one per distinct file content); older ones are removed
_PARSE_MEMO: dict[tuple[str, str], LoadedYaml] = {}


def _cache_dir() -> Path | None:
    setting = os.environ.get("PLANNER_CACHE_DIR", "")
    if setting.lower() in {"off", "0", "none"}:
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "planner"


def _load_catalog_yaml(file: Path) -> tuple[LoadedYaml, str]:
    """The parsed file (from the cache when its bytes are unchanged) and the SHA-256 of its bytes."""
    try:
        with open(file, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return load_yaml(file), ""  # load_yaml words the error
    digest = hashlib.sha256(raw).hexdigest()
    if len(raw) > MAX_FILE_BYTES:
        return load_yaml(file), digest  # refused there, with the message
    name = str(file)
    memo = _PARSE_MEMO.get((name, digest))
    if memo is None:
        memo = _read_cached(digest, name)
    if memo is None:
        memo = load_yaml(file)
        _write_cached(digest, memo)
    if len(_PARSE_MEMO) >= _CACHE_KEEP:
        _PARSE_MEMO.pop(next(iter(_PARSE_MEMO)))
    _PARSE_MEMO[(name, digest)] = memo
    # validation may not change what it is given, but a copy keeps the memo safe from any caller that does
    return LoadedYaml(name, _plain_copy(memo.data), dict(memo.lines)), digest


def _cache_file(digest: str) -> Path | None:
    directory = _cache_dir()
    return None if directory is None else directory / f"{_parser_key()}-{digest}.pickle"


@lru_cache(maxsize=1)
def _parser_key() -> str:
    """The parser's identity: the cache format, PyYAML's version and the bytes of planner/yamlio.py, so a
    change to the parsing rules (a new refusal, a new resolver) never serves a file parsed by the old ones."""
    import yaml

    from planner import yamlio

    rules = hashlib.sha256(Path(yamlio.__file__).read_bytes()).hexdigest()[:16]
    return f"{_CACHE_FORMAT}-{yaml.__version__}-{rules}"


class _PlainUnpickler(pickle.Unpickler):
    """Unpickles plain data only: a cache file that holds anything else is refused (and re-parsed)."""

    _ALLOWED = {("datetime", n) for n in ("date", "datetime", "time", "timedelta", "timezone")}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._ALLOWED:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


def _read_cached(digest: str, name: str) -> LoadedYaml | None:
    path = _cache_file(digest)
    if path is None:
        return None
    try:
        payload = _PlainUnpickler(io.BytesIO(path.read_bytes())).load()
        data, lines = payload["data"], payload["lines"]
        if payload.get("sha256") != digest or not isinstance(lines, dict):
            return None
    except Exception:  # noqa: BLE001 - a missing or damaged cache file only means parsing again
        return None
    return LoadedYaml(name, data, lines)


def _write_cached(digest: str, loaded: LoadedYaml) -> None:
    path = _cache_file(digest)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        payload = {"sha256": digest, "data": loaded.data, "lines": loaded.lines}
        temporary.write_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)  # atomic: a concurrent reader sees the old file or the new one
        cached = sorted(path.parent.glob(f"{_CACHE_FORMAT}-*.pickle"), key=lambda p: p.stat().st_mtime)
        for stale in cached[:-_CACHE_KEEP]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass


def _plain_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_copy(v) for v in value]
    return value


def _cross_reference_issues(catalog: Catalog, lines: dict[tuple[str, str], tuple[LoadedYaml, int]]) -> list[Issue]:
    """Ids one entry names that no entry defines."""
    issues: list[Issue] = []

    def need(section: str, entry_id: str, field_path: tuple[Any, ...], target: str, target_id: str) -> None:
        if target_id in catalog.section(target):
            return
        loaded, index = lines[(section, entry_id)]
        path = (section, index, *field_path)
        dotted = ".".join(str(p) for p in path)
        issues.append(
            unknown_id_issue(loaded.file, dotted, target, target_id, catalog.section(target), loaded.line_of(path))
        )

    for section in SECTIONS:
        for entry_id, entry in catalog.section(section).items():
            _check_sources(entry, section, entry_id, need)
    for hw_id, hw in catalog.hardware.items():
        need("hardware", hw_id, ("efficiency_profile",), "efficiency_profiles", hw.efficiency_profile)
        if hw.bundled_model:
            need("hardware", hw_id, ("bundled_model",), "models", hw.bundled_model)
        for i, rule in enumerate(hw.export_rules):
            need("hardware", hw_id, ("export_rules", i, "ref"), "references", rule.ref)
    return issues + _quota_issues(catalog, lines)


def _quota_issues(catalog: Catalog, lines: dict[tuple[str, str], tuple[LoadedYaml, int]]) -> list[Issue]:
    """A licence quota is one cap: every rule naming it states the same `max_accelerators` (else the plan's cap
    would depend on which members a country shortlists), and its name is no hardware id (one namespace of pools)."""
    caps: dict[str, dict[int | None, tuple[str, int]]] = {}
    for hw_id, hw in catalog.hardware.items():
        for i, rule in enumerate(hw.export_rules):
            if rule.quota:
                caps.setdefault(rule.quota, {}).setdefault(rule.max_accelerators, (hw_id, i))
    issues = []
    for quota, by_cap in sorted(caps.items()):
        (hw_id, i), *_ = by_cap.values()
        loaded, index = lines[("hardware", hw_id)]
        path = ("hardware", index, "export_rules", i, "quota")
        dotted = ".".join(str(p) for p in path)
        if len(by_cap) > 1 or None in by_cap:
            stated = ", ".join(f"{cap} (`{h}`)" for cap, (h, _i) in by_cap.items())
            msg = f"quota `{quota}` is stated with different caps: {stated}"
            hint = "give every rule naming one quota the same max_accelerators"
            issues.append(Issue(loaded.file, dotted, msg, loaded.line_of(path), hint))
        if quota in catalog.hardware:
            msg = f"quota `{quota}` has the id of a hardware entry"
            issues.append(Issue(loaded.file, dotted, msg, loaded.line_of(path), "name quotas apart from hardware"))
    return issues


def _check_sources(entry: SourcedEntry, section: str, entry_id: str, need: Any) -> None:
    need(section, entry_id, ("source", "ref"), "references", entry.source.ref)
    for name, src in entry.sources.items():
        need(section, entry_id, ("sources", name, "ref"), "references", src.ref)


def catalog_snapshot(
    catalog: Catalog,
    *,
    hardware: Iterable[str] = (),
    models: Iterable[str] = (),
    languages: Iterable[str] = (),
    countries: Iterable[str] = (),
    cost_lines: Iterable[str] = (),
) -> CatalogFile:
    """The entries a plan used, with what they depend on (efficiency profiles, bundled models, references), as
    one catalog file: a plan carries it so it renders the same after the catalog changes."""

    def pick(section: str, ids: Iterable[str]) -> list[Any]:  # in the catalog's own order, as reports list them
        wanted = set(ids)
        return [entry for entry_id, entry in catalog.section(section).items() if entry_id in wanted]

    hw = pick("hardware", hardware)
    picked: dict[str, list[Any]] = {
        "hardware": hw,
        "efficiency_profiles": pick("efficiency_profiles", {e.efficiency_profile for e in hw}),
        "models": pick("models", set(models) | {e.bundled_model for e in hw if e.bundled_model}),
        "languages": pick("languages", languages),
        "countries": pick("countries", countries),
        "cost_lines": pick("cost_lines", cost_lines),
    }
    refs: set[str] = set()
    for entries in picked.values():
        for entry in entries:
            refs |= {entry.source.ref, *(s.ref for s in entry.sources.values())}
            refs |= {rule.ref for rule in getattr(entry, "export_rules", [])}
    references = {r: catalog.references[r] for r in sorted(refs) if r in catalog.references}
    return CatalogFile(references=references, **picked)


def catalog_from_file(snapshot: CatalogFile) -> Catalog:
    """A Catalog holding exactly the entries of one catalog file (a plan's snapshot)."""
    catalog = Catalog(references=dict(snapshot.references))
    for section in SECTIONS:
        catalog.section(section).update({entry.id: entry for entry in getattr(snapshot, section)})
    return catalog
