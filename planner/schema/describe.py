"""A readable listing of every key of country.yaml: path, type, default and meaning (`planner schema --text`)."""

from __future__ import annotations

import types
import typing
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import PydanticUndefined


def describe(model: type[BaseModel], prefix: str = "") -> list[str]:
    """One line per key, nested models indented under their key."""
    lines = []
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        nested = _models_in(field.annotation)
        shown = (
            (field.json_schema_extra or {}).get("shown_default") if isinstance(field.json_schema_extra, dict) else None
        )
        default = "" if field.is_required() else f" = {shown or _default(field.default)}"
        required = "  (required)" if field.is_required() else ""
        lines.append(f"{path}: {_type_name(field.annotation)}{default}{required}")
        if field.description:
            lines.append(f"    {' '.join(field.description.split())}")
        for sub in nested:
            key = _key_name(field.annotation)
            label = f"  [{sub.__name__}]" if len(nested) > 1 else ""
            if label:
                lines.append(f"  {path}.{key}{label}")
            lines += ["  " + line for line in describe(sub, f"{path}.{key}." if key else f"{path}.")]
    return lines


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        for model in _models_in(arg):
            if model not in out:
                out.append(model)
    return out


def _key_name(annotation: Any) -> str:
    """`<id>` for mappings keyed by id, `[i]` for lists, nothing for a plain nested model."""
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in get_args(annotation):
            key = _key_name(arg)
            if key:
                return key
        return ""
    if origin is dict:
        return "<id>"
    if origin is list:
        return "[i]"
    if origin is typing.Annotated:
        return _key_name(get_args(annotation)[0])
    return ""


def _type_name(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _type_name(get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_name(a) for a in get_args(annotation))
    if origin is typing.Literal:
        return " | ".join(str(a) for a in get_args(annotation))
    if origin is dict:
        key, val = get_args(annotation)
        return f"mapping of {_type_name(key)} to {_type_name(val)}"
    if origin is list:
        return f"list of {_type_name(get_args(annotation)[0])}"
    if annotation is type(None):
        return "none"
    return getattr(annotation, "__name__", str(annotation))


def _default(value: Any) -> str:
    if value is PydanticUndefined:
        return "?"
    if isinstance(value, BaseModel):
        return "{…}"
    return repr(value) if not isinstance(value, str) else value
