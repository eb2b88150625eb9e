"""Turn pydantic validation errors into Issues with file, line, field path and a hint."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from planner.errors import MAX_LISTED, InputError, Issue, shown
from planner.yamlio import LoadedYaml, dotted_path

M = TypeVar("M", bound=BaseModel)


def validate_document(model: type[M], loaded: LoadedYaml) -> M:
    """Validate a loaded YAML document against a schema; raise InputError listing every problem."""
    if not isinstance(loaded.data, dict):
        got = "an empty file" if loaded.data is None else type(loaded.data).__name__
        msg = f"expected a mapping of keys to values at the top level, got {got}"
        raise InputError([Issue(loaded.file, "", msg, line=1)])
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        raise InputError(issues_from_validation(exc, loaded, field_names(model))) from None


def issues_from_validation(
    exc: ValidationError, loaded: LoadedYaml, known_keys: frozenset[str] = frozenset()
) -> list[Issue]:
    """One Issue per pydantic error, pointing at the offending line."""
    issues = []
    errors = [e for e in exc.errors(include_url=False, include_context=True, include_input=True) if _relevant(e)]
    for index, err in enumerate(errors):
        loc = _drop_union_tags(err["loc"], loaded.data)
        if index < MAX_LISTED:
            message, hint = _describe(err, loc, known_keys)
        else:  # never shown (only counted): skip the did-you-mean search, slow over 100,000 unknown keys
            message, hint = err["type"], None
        issues.append(Issue(loaded.file, dotted_path(loc), message, line=loaded.line_of(loc), hint=hint))
    return issues


_MEMBER = re.compile(r"^(?:[A-Z][A-Za-z0-9]*|literal\[.*\]|function-.*)$")
"""How pydantic names the member of a plain union in an error's loc (`CostLineOverride`, `literal[False]`)."""


def _relevant(err: dict[str, Any]) -> bool:
    """Of a plain union's per-member errors keep those of the member the value was meant for: a mapping is
    checked against the model, anything else against the literal (`costs: {staff: false}`)."""
    member = next((p for p in err["loc"] if isinstance(p, str) and _MEMBER.match(p)), None)
    if member is None:
        return True
    literal = member.startswith("literal[")
    meant_as_mapping = err["type"] != "model_type" if not literal else False
    if literal:  # the literal's error matters only if the value was not a mapping at all
        return not isinstance(err.get("input"), dict)
    return meant_as_mapping


def _drop_union_tags(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """pydantic puts the discriminator value (e.g. 'serving') into loc; keep only real keys."""
    out: list[Any] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
        if in_dict or in_list:
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and part in _UNION_TAGS and node.get("kind") == part:
            continue  # the tag names the union member, not a key: stay on this mapping
        elif isinstance(part, str) and _MEMBER.match(part):
            continue  # a plain union's member name (`CostLineOverride`), not a key
        else:
            out.append(part)
            node = None
    return tuple(out)


_UNION_TAGS = ("pretraining", "fine_tuning", "serving")


def field_names(model: type[BaseModel]) -> frozenset[str]:
    """Every key the schema knows, at any depth (for did-you-mean on unknown keys)."""
    names: set[str] = set()
    stack: list[Any] = [model]
    seen: set[Any] = set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            for name, field in current.model_fields.items():
                names.add(name)
                stack.append(field.annotation)
        else:
            stack.extend(get_args(current))
    return frozenset(names)


def _fixed_wording(kind: str, err: dict[str, Any]) -> tuple[str, str | None] | None:
    """Errors whose wording does not depend on the field."""
    if kind == "missing":
        return "required field is missing", None
    if kind == "literal_error" and str(err.get("ctx", {}).get("expected")) == "False":  # `X | Literal[False]`
        return f"expected the fields to change or `false`, got `{shown(err['input'])}`", "`false` leaves it out"
    if kind == "union_tag_invalid":
        expected = err.get("ctx", {}).get("expected_tags", "")
        return f"unknown workload kind; expected one of {expected}", None
    if kind == "union_tag_not_found":
        return "workload needs a `kind`", "one of pretraining, fine_tuning, serving"
    if kind == "literal_error" and isinstance(err.get("input"), str):
        expected = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        close = next((e for e in expected if e.lower() == err["input"].strip().lower()), None)
        close = close or did_you_mean(err["input"], expected)
        if close:  # `method: LoRA` for `lora`
            return f"`{shown(err['input'])}` is not one of {', '.join(expected)}", f"did you mean `{close}`?"
    if kind == "list_type" and isinstance(err.get("input"), str | int | float) and not isinstance(err["input"], bool):
        one = shown(err["input"])  # `jurisdictions: MY` for `[MY]`: the one item the user meant
        return f"expected a list, got `{one}`", f"write `[{one}]` for a list of one; several go as `[{one}, ...]`"
    return None


def _unknown_key_hint(field: str, known_keys: frozenset[str]) -> str:
    if field.isdigit():  # `{power_kw: 1,5}`: in a { } mapping the comma ends the entry, and 5 reads as a key
        return (
            f"a number as a key: inside {{ }} a comma separates entries, so a decimal comma splits the value before "
            f"it (`1,{field}` reads as 1 and a key `{field}`); write a decimal point (1.{field})"
        )
    close = did_you_mean(field, known_keys) if len(field) <= 64 else None
    if close == field:  # a real key, written in the wrong section
        return f"`{close}` belongs in another section; `planner schema --text` lists each section's keys"
    if close:
        return f"did you mean `{close}`?"
    return "remove it or check its spelling; `planner schema --text` lists the keys"


def _describe(err: dict[str, Any], loc: tuple[Any, ...], known_keys: frozenset[str]) -> tuple[str, str | None]:
    kind = err["type"]
    field = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        return f"unknown key `{shown(field)}`", _unknown_key_hint(str(field), known_keys)
    fixed = _fixed_wording(kind, err)
    if fixed:
        return fixed
    if kind == "string_pattern_mismatch" and "[a-z]" in str(err.get("ctx", {}).get("pattern", "")):
        snake = re.sub(r"_+", "_", re.sub(r"[^a-z0-9]", "_", str(err["input"])[:64].lower())).strip("_")
        return f"`{shown(err['input'])}` is not a valid id", f"use lower_snake_case, e.g. `{shown(snake)}`"
    if kind == "string_pattern_mismatch" and "[A-Z]{2}" in str(err.get("ctx", {}).get("pattern", "")):
        return _country_code_wording(str(err["input"]))
    if kind.startswith(("date_", "datetime_")) and isinstance(err.get("input"), str):
        return f"`{shown(err['input'])}` is not a date", _date_hint(str(field), str(err["input"]))
    msg = err["msg"]
    bound = next((err.get("ctx", {}).get(k) for k in ("le", "ge", "lt", "gt") if k in err.get("ctx", {})), None)
    if isinstance(bound, int | float) and abs(bound) >= 1e6:  # 1e+18, not 1000000000000000000
        for written in {str(bound), str(int(bound)) if float(bound).is_integer() else str(bound)}:
            msg = msg.replace(written, f"{bound:g}")
        if kind in ("less_than_equal", "less_than"):
            msg += "; larger numbers are almost certainly a mistake"
    if "input" in err and kind not in ("value_error",) and not isinstance(err["input"], dict | list):
        got = err["input"]
        msg = f"{msg} (got '{shown(got)}')" if isinstance(got, str) else f"{msg} (got {shown(got)})"
    if kind == "value_error":
        msg = msg.removeprefix("Value error, ")
    named = next((str(p) for p in reversed(loc) if isinstance(p, str)), str(field))  # `power_kw_by_year`, not 2028
    return msg, _unit_hint(kind, named, err.get("input"), bound)


# field-name suffix -> (the unit in words, what a unit written after the number multiplies it by)
_UNITS: dict[str, tuple[str, dict[str, float]]] = {
    "_kw": ("kilowatts", {"w": 1e-3, "kw": 1, "mw": 1e3, "gw": 1e6}),
    "_usd": (
        "US dollars",
        {"usd": 1, "$": 1, "k": 1e3, "m": 1e6, "mn": 1e6, "mm": 1e6, "b": 1e9, "bn": 1e9}
        | {"thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9},
    ),
    "_ms": ("milliseconds", {"us": 1e-3, "µs": 1e-3, "ms": 1, "s": 1e3, "sec": 1e3, "min": 6e4}),
    "_s": ("seconds", {"ms": 1e-3, "s": 1, "sec": 1, "min": 60, "h": 3600}),
    "_gb": ("gigabytes", {"mb": 1e-3, "gb": 1, "tb": 1e3}),
    "_days": ("days", {"d": 1, "day": 1, "days": 1, "w": 7, "week": 7, "weeks": 7}),
    "_weeks": ("weeks", {"w": 1, "week": 1, "weeks": 1}),
}

# a count written with a magnitude suffix, for fields that carry no unit of their own (tokens, users)
_COUNT_SUFFIXES = {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "t": 1e12} | {
    "thousand": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "trillion": 1e12,
}

_WITH_UNIT = re.compile(r"^\s*\$?\s*(\d[\d,_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*([A-Za-zµ$]*)\s*$")
"""A number followed by a unit: '1.5MW', '2 s', '90M', '$4,000'."""


def _unit_of(field: str) -> tuple[str, dict[str, float]] | None:
    """The unit a field's name declares: its quantity comes before `_per_` and `_by_year` (`capex_usd_per_kw` is
    dollars, `power_kw_by_year` kilowatts)."""
    head = field.split("_per_")[0].removesuffix("_by_year")
    return next((unit for suffix, unit in _UNITS.items() if head.endswith(suffix)), None)


def _country_code_wording(written: str) -> tuple[str, str]:
    """What is wrong with a country code that is not two upper-case letters, and what to write."""
    if re.fullmatch(r"[A-Za-z]{2}", written):  # ng: the code, in the wrong case
        return f"`{shown(written)}` is in lower case: ISO 3166 codes are upper case", f"write `{written.upper()}`"
    if re.fullmatch(r"[A-Za-z]{3}", written):  # VNM: the alpha-3 code
        return (
            f"`{shown(written)}` looks like an ISO 3166 alpha-3 code; this field takes the alpha-2 code",
            "two upper-case letters (VN for Vietnam, not VNM; MY for Malaysia, not MYS)",
        )
    return f"`{shown(written)}` is not an ISO 3166 alpha-2 code", "two upper-case letters, e.g. MY"


def _out_of_range_hint(kind: str, field: str, value: Any, bound: Any) -> str | None:
    """For a number outside its field's range the way a person gets it wrong: a minus sign, a percentage where a
    fraction belongs, a PUE in percent, a site with no power."""
    if kind in ("greater_than", "greater_than_equal") and isinstance(value, int | float) and value < 0:
        unit = _unit_of(field)
        return f"`{field}` is an amount{f' in {unit[0]}' if unit else ''}: write it without the minus sign"
    if kind == "greater_than" and value == 0 and field.startswith("power_kw"):  # a site without power yet
        return (
            "a site's facility power in kW must be above 0: give the power of its first phase, or leave out a "
            "site that has none in the plan's first year"
        )
    fraction = bound == 1 or (bound is not None and bound < 1 and field.endswith(("rate", "fraction", "share")))
    if kind in ("less_than_equal", "less_than") and fraction and isinstance(value, int | float) and 1 < value <= 100:
        return f"`{field}` is a fraction of 1: write {value / 100:g} for {value:g} %"
    pue = field.split(".")[-1] == "pue" or ".pue." in f".{field}."
    if kind in ("less_than_equal", "less_than") and pue and isinstance(value, int | float) and 100 < value <= 300:
        return f"PUE is facility power over IT power (1.1-2.0 as a rule): write {value / 100:g} for {value:g} %"
    growth = field.startswith("growth") and isinstance(value, int | float) and 1 < value <= 1000
    if kind in ("less_than_equal", "less_than") and growth:
        return f"`{field}` is a fraction a year: write {value / 100:g} for {value:g} % a year"
    return None


def _unit_hint(kind: str, field: str, value: Any, bound: Any = None) -> str | None:
    """For a number written with a unit or separators ('1.5MW', '1,500,000'): say what to write instead, in the
    field's own unit ('1.5 MW is 1500 in kilowatts')."""
    ranged = _out_of_range_hint(kind, field, value, bound)
    if ranged:
        return ranged
    if not kind.startswith(("float_", "int_")) or not isinstance(value, str):
        return None
    unit = _unit_of(field)
    match = _WITH_UNIT.match(value)
    if match:
        number, decimal_comma = _number_written(match.group(1))
        written = match.group(2)
        factor = unit[1].get(written.lower()) if unit and written else None
        if factor is not None:
            plain = f"{number * factor:.12g}"
            return f"{match.group(1)} {written} is {plain} in {unit[0]}: write the plain number"
        count = _COUNT_SUFFIXES.get(written.lower()) if not unit and written else None
        if count is not None:  # tokens: 200B, users: 1.5M
            exponent = {1e3: 3, 1e6: 6, 1e9: 9, 1e12: 12}[count]
            gap = " " if len(written) > 2 else ""  # 1.5M, 50 million
            return f"{match.group(1)}{gap}{written} is {number * count:.12g}: write {number:g}e{exponent}"
        if decimal_comma:  # 0,14 or 1,7: the decimal separator is a point
            return f"write {number:.12g}{written and ' ' + written}: the decimal separator is a point, not a comma"
        if not written:  # only separators: the same number without them
            if re.fullmatch(r"\d{1,3},\d{3}", match.group(1)):  # 1,500: thousands, or 1.5 with a decimal comma
                alt = float(match.group(1).replace(",", "."))
                return f"write {number:.12g} (or {alt:g} if the comma was a decimal comma), without separators"
            return f"write {number:.12g} (or {number:g}), without thousands separators"
    name = f" in {unit[0]}" if unit else ""
    return f"`{field}` takes a plain number{name}, without units or thousands separators"


def _number_written(text: str) -> tuple[float, bool]:
    """The number in '1,500,000', '1_000' or '0,14', and whether its comma is a decimal comma (a group after a
    comma that is not three digits, '0,14', '1,7', '2,5', or a zero before it, '0,140')."""
    groups = text.replace("_", "").split(",")
    three = len(groups[1].split("e")[0].split("E")[0]) == 3 if len(groups) == 2 else True
    if len(groups) == 2 and "." not in text and (not three or groups[0].lstrip("$") in ("", "0")):
        return float(".".join(groups)), True  # 0,140 cannot be thousands
    return float("".join(groups)), False


_QUARTERLIKE = re.compile(r"^\s*\d{4}\s*-?\s*[Qq]\d+\s*$")


def _date_hint(field: str, written: str) -> str:
    """How to write a date; the quarter form only where the field takes it (`go_live`)."""
    quarters = field == "go_live"
    form = "a date YYYY-MM-DD or a quarter like 2027Q3" if quarters else "a date YYYY-MM-DD, e.g. 2027-07-01"
    if quarters and _QUARTERLIKE.match(written):
        return f"quarters run Q1–Q4; write {form}"
    return f"write {form}"


def _sharing_a_rare_part(name: str, choices: list[str]) -> list[str]:
    """The one choice that shares with `name` a part of an id no other choice has (`h200_8x` -> `hgx_h200`, where
    spelling alone finds `mi300x_8x`: `8x` ends many ids, `h200` only one); none if that is not one choice."""
    parts = [p for p in re.split(r"[_\-\s.]+", name.lower()) if len(p) >= 3]
    found = set()
    for part in parts:
        having = [c for c in choices if part in re.split(r"[_\-\s.]+", c.lower())]
        if len(having) == 1:
            found.add(having[0])
    return list(found) if len(found) == 1 else []


def did_you_mean(name: str, choices: Iterable[str]) -> str | None:
    """A close match for a mistyped id, if there is one."""
    if len(name) > 100:  # not a typo of an id; and difflib is slow on long strings
        return None
    choices = list(choices)
    # a near spelling first (`user` -> `users`, `b200_nvl72` -> `gb200_nvl72`), then a part only one id has
    # (`h200_8x` -> `hgx_h200`, where spelling alone finds `mi300x_8x`), then a looser spelling
    close = (
        difflib.get_close_matches(name, choices, n=1, cutoff=0.8)
        or _sharing_a_rare_part(name, choices)
        or difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    )
    if not close:
        close = [c for c in choices if c.startswith(name) or name.startswith(c)][:1]
    return close[0] if close else None
