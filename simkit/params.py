"""Declarative parameter specs and their parser: the one way both simulators validate input.

A spec names each parameter, its kind and its size; `parse` turns a raw mapping (query string or JSON body)
into typed values or raises `ParamError` naming the parameter and the reason. Unknown, missing and mistyped
parameters are all refused. Query values arrive as strings; JSON values may be numbers or numeric strings
(Komet's own samples send both). Each simulator maps `ParamError` to its own wire shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from .clock import parse_datetime, parse_duration
from .errors import BadInput

MAX_INTEGER = 2**63 - 1  # the largest id SQLite stores

Kind = Literal[
    "str",
    "int",
    "date",
    "bool",
    "decimal",
    "list",
    "objects",
    "object",
    "json",
    "csv_int",
    "csv_str",
    "duration",
    "datetime",
]
Problem = Literal["missing", "unknown", "invalid"]
_ABSENT = object()


class ParamError(BadInput):
    """A parameter refused: `problem` says whether it is missing, unknown or invalid, `reason` why."""

    def __init__(self, field: str, problem: Problem, reason: str = ""):
        self.problem = problem
        self.reason = reason or {"missing": "required", "unknown": "unknown parameter"}.get(problem, "")
        super().__init__(field, self.reason)
        self.field: str = field


@dataclass(frozen=True)
class P:
    """One parameter: its wire name, kind, whether required, and what its value may be.

    size: characters for strings, digits for integers. low/high: bounds of a number. choices: the values a
    string may take. check: a last conversion of the typed value (ValueError's text is the reason). reason:
    the words of every refusal of this parameter's value, when the generic ones would not help a user.
    default: the value when absent (absent parameters without one are left out). lenient: a number may come
    as text even in a JSON body (an id a person copied). For a list, low/high bound its length. empty=False
    refuses an empty string instead of taking it as not given (a rule whose route is "" must not match all)."""

    name: str
    kind: Kind
    required: bool = False
    size: int | None = None
    fields: tuple[P, ...] = ()
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    check: Callable[[Any], Any] | None = None
    reason: str | None = None
    default: Any = _ABSENT
    lenient: bool = False
    empty: bool = True  # an empty string counts as not given; False: it is refused


def _bad(name: str, reason: str) -> ParamError:
    return ParamError(name, "invalid", reason)


def _str(name: str, value: Any, size: int | None, strict: bool = False) -> str:
    if isinstance(value, bool) or not isinstance(value, str if strict else str | int):
        raise _bad(name, "expected a string")
    text = str(value)
    if size is not None and len(text) > size:
        raise _bad(name, f"at most {size} characters")
    return text


def _int(name: str, value: Any, size: int | None, strict: bool = False) -> int:
    if not strict and isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _bad(name, "expected a whole number")
    if size is not None and len(str(value)) > size:
        raise _bad(name, f"at most {size} digits")
    if value > MAX_INTEGER:  # 20 digits can exceed what an id column holds: refuse it, never crash on it
        raise _bad(name, f"at most {MAX_INTEGER}")
    return value


def _date(name: str, value: Any) -> str:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise _bad(name, "expected a date YYYY-MM-DD")


def _bool(name: str, value: Any, strict: bool = False) -> bool:
    if isinstance(value, bool):
        return value
    if strict:
        raise _bad(name, "expected true or false")
    text = str(value).strip().lower()
    if text in ("1", "true"):
        return True
    if text in ("0", "false"):
        return False
    raise _bad(name, "expected true/false or 1/0")


def _decimal(name: str, value: Any, strict: bool = False) -> float:
    if isinstance(value, bool) or (strict and not isinstance(value, int | float)):
        raise _bad(name, "expected a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _bad(name, "expected a number") from None
    if number < 0 or number != number or number in (float("inf"),):
        raise _bad(name, "expected a number, 0 or more")
    return number


def _csv(name: str, value: Any, convert: Callable[[str, Any], Any]) -> list[Any]:
    parts = (
        value if isinstance(value, list) else str(value).split(",") if isinstance(value, str | int) else None
    )
    if parts is None:
        raise _bad(name, "expected a comma-separated list")
    items = [p.strip() if isinstance(p, str) else p for p in parts]
    items = [p for p in items if p != ""]
    if not items:
        raise _bad(name, "expected at least one value")
    return [convert(name, p) for p in items]


def _duration(name: str, value: Any) -> timedelta:
    if not isinstance(value, str | int | float):
        raise _bad(name, "expected a duration such as '36h', '2d' or '1d12h'")
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise _bad(name, str(exc)) from None


def _datetime(name: str, value: Any) -> datetime:
    if not isinstance(value, str):
        raise _bad(name, "expected a date-time such as 2026-11-27T06:00:00")
    try:
        return parse_datetime(value)
    except ValueError as exc:
        raise _bad(name, str(exc)) from None


def _typed(spec: P, name: str, value: Any, strict: bool) -> Any:
    kind = spec.kind
    if kind == "str":
        return _str(name, value, spec.size, strict)
    if kind == "int":
        return _int(name, value, spec.size, strict)
    if kind == "date":
        return _date(name, value)
    if kind == "bool":
        return _bool(name, value, strict)
    if kind == "decimal":
        return _decimal(name, value, strict)
    if kind == "duration":
        return _duration(name, value)
    if kind == "datetime":
        return _datetime(name, value)
    if kind == "csv_int":
        return _csv(name, value, lambda n, v: _int(n, v, 20, strict))
    if kind == "csv_str":
        return _csv(name, value, lambda n, v: _str(n, v, spec.size, strict))
    if kind == "list":
        if not isinstance(value, list):
            raise _bad(name, "expected an array of strings")
        items = [_str(f"{name}[{i}]", v, spec.size, strict) for i, v in enumerate(value)]
        for i, item in enumerate(items):
            if not item.strip():  # a blank box code would be a box nobody can scan or name again
                raise _bad(f"{name}[{i}]", "expected a non-empty string")
        return items
    if kind == "objects":
        if not isinstance(value, list) or not value:
            raise _bad(name, "expected a non-empty array of objects")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise _bad(f"{name}[{i}]", "expected an object")
            out.append(parse(spec.fields, item, f"{name}[{i}].", strict=strict))
        return out
    if kind == "json":  # any JSON value: the spec's check (or the domain) reads it
        return value
    if kind == "object":
        if not isinstance(value, dict):
            raise _bad(name, "expected an object")
        return parse(spec.fields, value, f"{name}.", strict=strict) if spec.fields else value
    raise TypeError(f"unknown parameter kind {kind}")  # a bug in a spec, not in the input


def _bounded(spec: P, name: str, value: Any) -> Any:
    """The rules beyond the type: bounds, choices, the spec's own check."""
    if isinstance(value, list):
        if spec.low is not None and len(value) < spec.low:
            raise _bad(name, f"expected at least {_plain(spec.low)} item(s)")
        if spec.high is not None and len(value) > spec.high:
            raise _bad(name, f"expected at most {_plain(spec.high)} items")
    elif (spec.low is not None and value < spec.low) or (spec.high is not None and value > spec.high):
        what = "a whole number" if spec.kind == "int" else "a number"
        low, high = (_plain(b) for b in (spec.low, spec.high))
        if spec.high is None:
            raise _bad(name, f"{what}, {low} or more")
        raise _bad(
            name, f"{what} from {low} to {high}" if spec.low is not None else f"{what}, at most {high}"
        )
    if spec.choices and value not in spec.choices:
        raise _bad(name, f"one of {', '.join(spec.choices)}")
    if spec.check is not None:
        try:
            return spec.check(value)
        except ValueError as exc:
            raise _bad(name, exc.message if isinstance(exc, BadInput) else str(exc)) from None
    return value


def _plain(bound: float | None) -> str:
    return str(int(bound)) if bound is not None and bound == int(bound) else str(bound)


def _convert(spec: P, name: str, value: Any, strict: bool) -> Any:
    try:
        return _bounded(spec, name, _typed(spec, name, value, strict and not spec.lenient))
    except ParamError as exc:
        if spec.reason is None or exc.field != name:  # a nested field keeps its own words
            raise
        raise _bad(name, spec.reason) from None


def _blank(spec: P, value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "" and spec.kind != "list")


def parse(
    specs: tuple[P, ...],
    raw: Mapping[str, Any],
    prefix: str = "",
    *,
    strict: bool = False,
    partial: bool = False,
) -> dict[str, Any]:
    """Validated values by name; absent optional parameters are left out (or take their default).

    strict: JSON types must match (an int is a number and never true/false, a string is a string); without
    it, numbers and booleans may arrive as text (query strings, forms, Komet's own samples). partial: an
    update, where nothing is required and defaults do not apply; a parameter given blank comes back as None
    (cleared), unless it is required or has a default: then it cannot be cleared and is refused."""
    known = {s.name for s in specs}
    for key in raw:
        if key not in known:
            raise ParamError(prefix + key, "unknown")
    out: dict[str, Any] = {}
    for spec in specs:
        name = prefix + spec.name
        value = raw.get(spec.name)
        if not spec.empty and isinstance(value, str) and not value.strip():
            raise _bad(name, "must not be empty")
        if _blank(spec, value):
            given = spec.name in raw
            if partial and given and (spec.required or spec.default is not _ABSENT):
                raise ParamError(name, "missing")  # an update cannot clear what must have a value
            if partial and given:
                out[spec.name] = None  # cleared
            elif spec.required and not partial:
                raise ParamError(name, "missing")
            elif spec.default is not _ABSENT and not partial:
                out[spec.name] = spec.default
            continue
        out[spec.name] = _convert(spec, name, value, strict)
    return out


_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def snake(values: Mapping[str, Any]) -> dict[str, Any]:
    """Wire names as Python keyword arguments: {"shipDate": d} → {"ship_date": d}."""
    return {_CAMEL.sub("_", key).lower(): value for key, value in values.items()}


_JSON_TYPES: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "int": {"type": "integer", "minimum": 0},
    "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    "bool": {"type": "boolean"},
    "decimal": {"type": "number", "minimum": 0},
    "list": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "objects": {"type": "array", "minItems": 1, "items": {"type": "object"}},
    "object": {"type": "object"},
    "json": {},
    "csv_int": {"type": ["string", "array"]},
    "csv_str": {"type": ["string", "array"]},
    "duration": {"type": ["string", "number"]},
    "datetime": {"type": "string"},
}


def json_schema(spec: P) -> dict[str, Any]:
    """The JSON Schema of one parameter as a strict JSON body takes it: its type, bounds, size and choices, so
    a file validated elsewhere (a scenario) refuses what the simulator would (its `check` is not expressed)."""
    schema = dict(_JSON_TYPES[spec.kind])
    bounds = ("minItems", "maxItems") if spec.kind == "list" else ("minimum", "maximum")
    for key, value in zip(bounds, (spec.low, spec.high), strict=True):
        if value is not None:
            schema[key] = int(value) if value == int(value) else value
    if spec.size is not None and spec.kind == "str":
        schema["maxLength"] = spec.size
    if spec.choices:
        schema["enum"] = list(spec.choices)
    if spec.kind in ("objects", "object") and spec.fields:
        item = {
            "type": "object",
            "properties": {f.name: json_schema(f) for f in spec.fields},
            "required": [f.name for f in spec.fields if f.required],
            "additionalProperties": False,
        }
        schema = {**schema, "items": item} if spec.kind == "objects" else item
    return schema
