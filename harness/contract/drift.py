"""Field-level differences between a reply and the documented schema (`compare`), or between two replies to
one request (`differences`: a recorded real one and the simulator's): missing, extra, renamed, retyped.

A schema violation says "this is wrong"; a drift report says what changed, in the words of someone
comparing two versions of an API: `details[].prebookItemId` missing and `details[].prebookItemID` extra is
one field *renamed*; an integer that arrives as "42" is *retyped* integer → string. Arrays are walked item by
item and each difference is reported once per field, with how many items showed it. Between two replies,
a value that differs is one more kind of difference (the first one shown, with how many there were).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

Schema = dict[str, Any]
CHANGES = ("missing", "extra", "renamed", "retyped", "value")
ENVELOPE = ("status", "message")  # every Komet reply's own fields; "" is the reply itself


@dataclass
class Drift:
    change: str  # missing | extra | renamed | retyped | value
    path: str  # `purchaseOrders[].details[].poItemId`; "" for the reply itself
    expected: str
    actual: str
    count: int = 1
    envelope: bool = False  # about status/message or the reply itself rather than the method's payload
    example: bool = False  # `expected`/`actual` are the first of `count` differing values of this field

    @property
    def kind(self) -> str:
        return "envelope" if self.envelope else self.change

    @property
    def key(self) -> tuple:
        values = ("", "") if self.example else (self.expected, self.actual)
        return (self.change, self.path, *values, self.envelope)

    def __str__(self) -> str:
        where = self.path or "reply"
        times = f" (×{self.count}{', the first shown' if self.example else ''})" if self.count > 1 else ""
        if self.change == "missing":
            return f"{where}: missing{times}"
        if self.change == "extra":
            return f"{where}: extra field, not documented{times}"
        if self.change == "renamed":
            return f"{where}: renamed to {self.actual}{times}"
        if self.change == "retyped":
            return f"{where}: retyped {self.expected} → {self.actual}{times}"
        return f"{where}: expected {self.expected}, got {self.actual}{times}"


def merge(drifts: list[Drift]) -> list[Drift]:
    """The same difference seen in several replies is one drift, counted."""
    out: dict[tuple, Drift] = {}
    for d in drifts:
        if d.key in out:
            out[d.key].count += d.count
        else:
            out[d.key] = Drift(d.change, d.path, d.expected, d.actual, d.count, d.envelope, d.example)
    return sorted(out.values(), key=lambda d: (not d.envelope, CHANGES.index(d.change), d.path))


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _allowed(schema: Schema) -> list[str] | None:
    if "const" in schema:
        return [json_type(schema["const"])]
    if "enum" in schema:
        return sorted({json_type(v) for v in schema["enum"]})
    kind = schema.get("type")
    if kind is None:
        return None
    return [kind] if isinstance(kind, str) else list(kind)


def _type_ok(actual: str, allowed: list[str]) -> bool:
    return actual in allowed or (actual == "integer" and "number" in allowed)


def similar(a: str, b: str) -> bool:
    """Two field names one could be a rename of the other: same letters in another case or separator, or
    close spelling."""
    norm = a.lower().replace("_", "").replace("-", "")
    if norm == b.lower().replace("_", "").replace("-", ""):
        return True
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.8


@dataclass
class _Collector:
    found: dict[tuple, Drift] = field(default_factory=dict)

    def add(self, kind: str, path: str, expected: str, actual: str, example: bool = False) -> None:
        made = Drift(kind, path, expected, actual, example=example)
        if made.key in self.found:
            self.found[made.key].count += 1
        else:
            self.found[made.key] = made


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _fields(path: str, missing: list[str], extra: list[str], value: dict, out: _Collector) -> list[tuple]:
    """Report the fields one side lacks and the other has, pairing a missing one with a similar extra one as
    renamed; returns the renamed pairs (expected name, actual name) for the caller to compare further."""
    extra = list(extra)
    renamed = []
    for name in missing:
        match = next((e for e in extra if similar(name, e)), None)
        if match is not None:
            extra.remove(match)
            out.add("renamed", _join(path, name), name, match)
            renamed.append((name, match))
        else:
            out.add("missing", _join(path, name), name, "")
    for name in extra:
        out.add("extra", _join(path, name), "", json_type(value[name]))
    return renamed


def _walk(schema: Schema, value: Any, path: str, out: _Collector) -> None:
    for key in ("oneOf", "anyOf"):
        if key in schema:  # the alternative the value drifts least from
            trials = []
            for option in schema[key]:
                c = _Collector()
                _walk(option, value, path, c)
                trials.append(c)
            best = min(trials, key=lambda c: sum(d.count for d in c.found.values()))
            for d in best.found.values():
                for _ in range(d.count):
                    out.add(d.change, d.path, d.expected, d.actual)
            return
    allowed = _allowed(schema)
    actual = json_type(value)
    if allowed is not None and not _type_ok(actual, allowed):
        out.add("retyped", path, "/".join(allowed), actual)
        return
    if "const" in schema and value != schema["const"]:
        out.add("value", path, repr(schema["const"]), repr(value))
    elif "enum" in schema and value not in schema["enum"]:
        out.add("value", path, "one of " + ", ".join(map(repr, schema["enum"])), repr(value))
    if actual == "object" and "properties" in schema:
        props: dict[str, Schema] = schema["properties"]
        missing = [k for k in schema.get("required", []) if k not in value]
        extra = [k for k in value if k not in props] if schema.get("additionalProperties") is False else []
        for name, match in _fields(path, missing, extra, value, out):
            _walk(props[name], value[match], _join(path, name), out)
        for name, sub in props.items():
            if name in value:
                _walk(sub, value[name], _join(path, name), out)
    elif actual == "array" and "items" in schema:
        for item in value:
            _walk(schema["items"], item, path + "[]", out)


def compare(schema: Schema, value: Any, path: str = "") -> list[Drift]:
    """Every difference between `value` and `schema` (with $refs already inlined), each field once."""
    out = _Collector()
    _walk(schema, value, path, out)
    return merge(list(out.found.values()))


def _differ(expected: Any, actual: Any, path: str, out: _Collector) -> None:
    kinds = (json_type(expected), json_type(actual))
    if kinds[0] != kinds[1]:
        out.add("retyped", path, *kinds)
        return
    if isinstance(expected, dict):
        missing = [k for k in expected if k not in actual]
        extra = [k for k in actual if k not in expected]
        for name, match in _fields(path, missing, extra, actual, out):
            _differ(expected[name], actual[match], _join(path, name), out)
        for name, value in expected.items():
            if name in actual:
                _differ(value, actual[name], _join(path, name), out)
    elif isinstance(expected, list):
        if len(expected) != len(actual):
            out.add("value", path, f"{len(expected)} item(s)", f"{len(actual)} item(s)")
        for one, other in zip(expected, actual, strict=False):
            _differ(one, other, path + "[]", out)
    elif expected != actual:  # one entry per field (an id off everywhere is one difference, counted)
        out.add("value", path, repr(expected), repr(actual), example=path not in ENVELOPE)


def differences(expected: Any, actual: Any, path: str = "") -> list[Drift]:
    """Every difference between two replies — a recorded one and the simulator's to the same request: the
    same words as against a schema (missing, extra, renamed, retyped), and each value that differs (a list
    of another length, another message or status). Items of a list are compared in order."""
    out = _Collector()
    _differ(expected, actual, path, out)
    for d in out.found.values():
        d.envelope = d.path in ENVELOPE or d.path == ""
    return merge(list(out.found.values()))
