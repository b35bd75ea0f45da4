"""The steps a scenario can take: every action of the importer (komet.*), the grower (asinfo.*), and
control (fault, clock, check). Each registers its name, a JSON Schema for its arguments, and one line of help."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from simkit.params import P, json_schema

VAR = {"type": "string", "pattern": r"^\$\{[^}]+\}$"}


@dataclass(frozen=True)
class Action:
    name: str
    run: Callable
    args: dict
    help: str


REGISTRY: dict[str, Action] = {}


def typed(schema: dict) -> dict:
    """A value of this type, or a ${variable} that will hold one."""
    return {"anyOf": [schema, VAR]}


def from_spec(specs: Iterable[P], leave: tuple[str, ...] = ()) -> dict[str, dict]:
    """Argument schemas read from a simulator's own parameter spec (one source for names, types, bounds and
    choices): what validate refuses is what the simulator would. Numbers may also be ${variables}."""
    out = {}
    for spec in specs:
        if spec.name not in leave:
            schema = json_schema(spec)
            out[spec.name] = schema if schema.get("type") in ("string", "boolean") else typed(schema)
    return out


def obj(props: dict | None = None, required: tuple = (), extra: bool = False) -> dict:
    schema: dict = {"type": "object", "properties": props or {}, "additionalProperties": extra}
    if required:
        schema["required"] = list(required)
    return schema


def action(name: str, args: dict | None = None, help: str = "") -> Callable:
    def register(fn: Callable) -> Callable:
        REGISTRY[name] = Action(name, fn, args if args is not None else obj(), help)
        return fn

    return register


def load_all() -> dict[str, Action]:
    from . import asinfo, control, interleave, komet, komet_vendor, waiting  # noqa: F401  (registration)

    return REGISTRY


# Shared argument shapes.
INT = {"type": "integer"}
STR = {"type": "string"}
REF = typed({"type": ["integer", "string", "object"]})  # a PO/line/vendor/... reference
PO = {"po": REF}
LINE = {"po": REF, "line": REF}
DATE = typed({"type": "string", "pattern": r"^(today|[+-]\d+d|\d{4}-\d{2}-\d{2})$"})
