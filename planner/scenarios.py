"""Overrides and scenarios, in the spirit of Calliope.

- An override is a named set of dotted keys and values (`budget.capex_usd: 90e6`).
- A scenario is a named list of overrides or other scenarios, applied in order.
- Precedence: the base file < the scenario's overrides (in list order) < `--set key=value`.
- Two overrides of one scenario that set the same key are an error, as is a key set twice by --set.
- Built-in hardware scenarios (ascend_only, nvidia_only, ...) work for any country; a country's own
  override of the same name refines the built-in one (its keys win).
Every applied change is recorded as (key, old, new, source) for plan.json and the report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from planner.errors import InputError, Issue, shown
from planner.validation import did_you_mean
from planner.yamlio import parse_yaml, plain_copy

BASELINE = "baseline"
MAX_NESTING = 16
"""Scenarios within scenarios, at most this deep."""
MAX_CHECKED = 1000
"""`validate` checks every scenario and override by itself; a file with more is refused."""

BUILTIN_OVERRIDES: dict[str, dict[str, Any]] = {
    # a single-vendor fleet cannot obey a vendor-share cap, so these lift it
    "ascend_only": {"policy.allowed_vendors": ["huawei"], "policy.vendor_max_share": None},
    "nvidia_only": {"policy.allowed_vendors": ["nvidia"], "policy.vendor_max_share": None},
    "amd_only": {"policy.allowed_vendors": ["amd"], "policy.vendor_max_share": None},
    "mixed_vendor_cap": {"policy.vendor_max_share": 0.5},
    "rent_only": {"policy.acquisition": "rent_only"},
    "no_licensed_hardware": {"policy.allow_licence_required": False},
}
BUILTIN_DESCRIPTIONS = {
    "ascend_only": "only Huawei Ascend hardware",
    "nvidia_only": "only NVIDIA hardware",
    "amd_only": "only AMD hardware",
    "mixed_vendor_cap": "no vendor above 50 % of the accelerators",
    "rent_only": "rent in cloud regions only; nothing bought",
    "no_licensed_hardware": "nothing that needs an export licence for the destination",
}


@dataclass(frozen=True)
class AppliedOverride:
    """One change made to the base document."""

    key: str
    old: Any
    new: Any
    source: str
    created: str | None = None
    """The first mapping this change had to create (e.g. `sites.new_dc`), if any."""

    def to_json(self) -> dict[str, Any]:
        """Plain-dict form for plan.json."""
        return asdict(self)


def scenario_names(doc: dict[str, Any]) -> list[str]:
    """Every scenario or override a user can ask for by name in this document."""
    return sorted(set(BUILTIN_OVERRIDES) | set(doc.get("overrides") or {}) | set(doc.get("scenarios") or {}))


def resolve(
    doc: dict[str, Any],
    scenario: str | None,
    sets: list[str],
    file: str = "country.yaml",
    origins: dict[str, str] | None = None,
) -> tuple[dict[str, Any], list[AppliedOverride]]:
    """The document with the scenario's overrides and then `--set` values applied, and what changed."""
    check_definitions(doc, file, origins or {})
    out = plain_copy(doc)
    applied: list[AppliedOverride] = []
    if scenario and scenario != BASELINE:
        where = dict(origins or {})
        for key, value, source in _scenario_changes(doc, scenario, file, where):
            applied.append(_apply(out, key, value, source, where.get(source, file)))
    seen: set[str] = set()
    for text in sets:
        key, value = parse_set(text)
        if key in seen:
            raise InputError([Issue("--set", key, "set twice on the command line", hint="keep one --set per key")])
        seen.add(key)
        applied.append(_apply(out, key, value, "--set", "--set"))
    return out, applied


def check_definitions(doc: dict[str, Any], file: str, origins: dict[str, str]) -> None:
    """`overrides` maps names to mappings of dotted keys; `scenarios` maps names to lists of names."""
    issues = []
    overrides, scenarios = doc.get("overrides") or {}, doc.get("scenarios") or {}
    for section, value, shape in (
        ("overrides", overrides, "a mapping of names"),
        ("scenarios", scenarios, "a mapping of names"),
    ):
        if not isinstance(value, dict):
            issues.append(Issue(file, section, f"`{section}` must be {shape}, not {type(value).__name__}"))
    if isinstance(overrides, dict):
        for name, body in overrides.items():
            if not isinstance(body, dict):
                msg = f"override `{name}` must map dotted keys to values (e.g. budget.capex_usd: 90e6)"
                issues.append(Issue(origins.get(name, file), f"overrides.{name}", msg))
    if isinstance(scenarios, dict):
        for name, parts in scenarios.items():
            if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
                msg = f"scenario `{name}` must be a list of override or scenario names"
                issues.append(Issue(origins.get(name, file), f"scenarios.{name}", msg))
    if issues:
        raise InputError(issues)


def layered_sets(*layers: list[str]) -> list[str]:
    """--set values of several layers, a later layer's value for a key replacing an earlier one's: a sensitivity
    change or a sweep moves a key the user may have set too (`--set workloads.chat.users=3e6`, then users +20 %),
    and two --set of one key are an input error."""
    merged: dict[str, str] = {}
    for layer in layers:
        for text in layer:
            merged.pop(text.partition("=")[0].strip(), None)
            merged[text.partition("=")[0].strip()] = text
    return list(merged.values())


def parse_set(text: str) -> tuple[str, Any]:
    """`budget.capex_usd=90e6` -> ("budget.capex_usd", 90000000.0); the value is read as YAML."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise InputError([Issue("--set", text, "expected KEY=VALUE", hint="e.g. --set budget.capex_usd=90e6")])
    try:
        return key, parse_yaml(raw or "null", "--set").data
    except InputError as exc:  # the value is one line of YAML: name the key, not "line 1"
        raise InputError([Issue("--set", shown(key), i.message, None, i.hint) for i in exc.issues]) from None


def _scenario_changes(doc: dict[str, Any], name: str, file: str, origins: dict[str, str]) -> list[tuple[str, Any, str]]:
    """(key, value, source) of every override the scenario names, in order; conflicts are errors."""
    changes: list[tuple[str, Any, str]] = []
    owner: dict[str, str] = {}
    for override in _expand(doc, name, file, (), origins, {}):
        for key, value in _override_body(doc, override).items():
            if key in owner and owner[key] != override:
                msg = f"scenario `{shown(name)}`: overrides `{shown(owner[key])}` and `{shown(override)}` both set "
                msg += f"`{shown(key)}`"
                hint = "remove the key from one of them"
                raise InputError([Issue(origins.get(name, file), f"scenarios.{shown(name)}", msg, hint=hint)])
            owner[key] = override
            changes.append((key, value, override))
    return changes


def _expand(
    doc: dict[str, Any],
    name: str,
    file: str,
    stack: tuple[str, ...],
    origins: dict[str, str],
    memo: dict[str, list[str]],
) -> list[str]:
    """Override names a scenario stands for, following nested scenarios; each override once, at its first place.

    (Applying an override again later changes nothing: two overrides of a scenario may not set the same key.)
    `memo` keeps each nested scenario's expansion, so a scenario named twice at every level costs no more than once.
    """
    if name in stack:
        chain = " -> ".join(shown(s, 40) for s in [*stack, name])
        msg = f"scenario `{shown(name)}` includes itself ({chain})"
        raise InputError([Issue(origins.get(name, file), f"scenarios.{shown(name)}", msg)])
    if name in memo:
        return memo[name]
    if len(stack) > MAX_NESTING:
        root = stack[0]
        msg = f"scenario `{shown(root)}` nests scenarios more than {MAX_NESTING} levels deep"
        hint = "list the overrides a scenario needs instead of chains of scenarios"
        raise InputError([Issue(origins.get(root, file), f"scenarios.{shown(root)}", msg, hint=hint)])
    scenarios = doc.get("scenarios") or {}
    if name in scenarios:
        out: list[str] = []
        for part in scenarios[name]:
            for override in _expand(doc, part, origins.get(name, file), (*stack, name), origins, memo):
                if override not in out:
                    out.append(override)
        memo[name] = out
        return out
    if name in (doc.get("overrides") or {}) or name in BUILTIN_OVERRIDES:
        return [name]
    close = did_you_mean(name, scenario_names(doc))
    names = scenario_names(doc)
    known = ", ".join(shown(n, 40) for n in names[:30]) + (f" and {len(names) - 30} more" if len(names) > 30 else "")
    hint = f"did you mean `{close}`?" if close else f"known: {known}"
    raise InputError([Issue(file, "scenarios", f"unknown scenario or override `{shown(name)}`", hint=hint)])


def _override_body(doc: dict[str, Any], name: str) -> dict[str, Any]:
    """The built-in override of that name, refined by the country's own (its keys win)."""
    body = dict(BUILTIN_OVERRIDES.get(name, {}))
    body.update((doc.get("overrides") or {}).get(name) or {})
    return body


def _apply(doc: dict[str, Any], key: str, value: Any, source: str, file: str) -> AppliedOverride:
    """Set a dotted key in place, creating missing mappings; return what changed."""
    parts = key.split(".")
    if len(parts) > MAX_NESTING or not all(parts):
        msg = f"`{shown(key)}` is not a dotted key of country.yaml"
        raise InputError([Issue(file, shown(key), msg, hint=f"e.g. budget.capex_usd (override source: {source})")])
    node = doc
    created = None
    for i, part in enumerate(parts[:-1]):
        child = node.get(part)
        if child is None:
            child = node[part] = {}
            created = created or ".".join(parts[: i + 1])
        if not isinstance(child, dict):
            where = ".".join(parts[: i + 1])
            msg = f"cannot set `{key}`: `{where}` is not a mapping"
            raise InputError([Issue(file, key, msg, hint=f"override source: {source}")])
        node = child
    old = node.get(parts[-1])
    node[parts[-1]] = value
    return AppliedOverride(key, plain_copy(old), plain_copy(value), source, created)
