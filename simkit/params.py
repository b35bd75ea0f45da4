"""Declarative parameter specs and their parser: the one way both simulators validate input.

A spec names each parameter, its kind and its size; `parse` turns a raw mapping (query string or JSON body)
into typed values or raises `ParamError` naming the parameter and the reason. Unknown, missing and mistyped
parameters are all refused. Query values arrive as strings; JSON values may be numbers or numeric strings
(Komet's own samples send both). Each simulator maps `ParamError` to its own wire shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from .errors import BadInput

MAX_INTEGER = 2**63 - 1  # the largest id SQLite stores

Kind = Literal["str", "int", "date", "bool", "decimal", "list", "objects", "csv_int", "csv_str"]
Problem = Literal["missing", "unknown", "invalid"]


class ParamError(BadInput):
    """A parameter refused: `problem` says whether it is missing, unknown or invalid, `reason` why."""

    def __init__(self, field: str, problem: Problem, reason: str = ""):
        self.problem = problem
        self.reason = reason or {"missing": "required", "unknown": "unknown parameter"}.get(problem, "")
        super().__init__(field, self.reason)
        self.field: str = field


@dataclass(frozen=True)
class P:
    name: str
    kind: Kind
    required: bool = False
    size: int | None = None  # characters for strings, digits for integers
    fields: tuple[P, ...] = ()


def _bad(name: str, reason: str) -> ParamError:
    return ParamError(name, "invalid", reason)


def _str(name: str, value: Any, size: int | None) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _bad(name, "expected a string")
    value = str(value)
    if size is not None and len(value) > size:
        raise _bad(name, f"at most {size} characters")
    return value


def _int(name: str, value: Any, size: int | None) -> int:
    if isinstance(value, str) and value.strip().isdigit():
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


def _bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true"):
        return True
    if text in ("0", "false"):
        return False
    raise _bad(name, "expected true/false or 1/0")


def _decimal(name: str, value: Any) -> float:
    if isinstance(value, bool):
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


def _convert(spec: P, name: str, value: Any) -> Any:
    kind = spec.kind
    if kind == "str":
        return _str(name, value, spec.size)
    if kind == "int":
        return _int(name, value, spec.size)
    if kind == "date":
        return _date(name, value)
    if kind == "bool":
        return _bool(name, value)
    if kind == "decimal":
        return _decimal(name, value)
    if kind == "csv_int":
        return _csv(name, value, lambda n, v: _int(n, v, 20))
    if kind == "csv_str":
        return _csv(name, value, lambda n, v: _str(n, v, spec.size))
    if kind == "list":
        if not isinstance(value, list):
            raise _bad(name, "expected an array of strings")
        items = [_str(f"{name}[{i}]", v, spec.size) for i, v in enumerate(value)]
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
            out.append(parse(spec.fields, item, f"{name}[{i}]."))
        return out
    raise TypeError(f"unknown parameter kind {kind}")  # a bug in a spec, not in the input


def parse(specs: tuple[P, ...], raw: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Validated values by name; absent optional parameters are left out."""
    known = {s.name for s in specs}
    for key in raw:
        if key not in known:
            raise ParamError(prefix + key, "unknown")
    out: dict[str, Any] = {}
    for spec in specs:
        name = prefix + spec.name
        value = raw.get(spec.name)
        if value is None or (isinstance(value, str) and value.strip() == "" and spec.kind != "list"):
            if spec.required:
                raise ParamError(name, "missing")
            continue
        out[spec.name] = _convert(spec, name, value)
    return out
