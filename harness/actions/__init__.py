"""The steps a scenario can take: every action of the importer (komet.*), the vendor in Komet's vendor portal
(komet.vendor_*), the grower (asinfo.*), and control (fault, clock, check, ...).

Each step is documented where it is registered, and only there: its one line of help, every argument (its
JSON Schema, whether it is required, its default and meaning), what it returns (the fields, with an example),
what it refuses, and a YAML example that runs. `kasim actions NAME`, docs/scenarios.md and the descriptions in
`kasim schema` are all rendered from these registrations (harness/reference.py); tests run every example and
check that the fields documented are the fields returned."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from simkit.params import P, json_schema

VAR = {"type": "string", "pattern": r"^\$\{[^}]+\}$"}


@dataclass(frozen=True)
class Arg:
    """One argument of a step: its JSON Schema, what it means, whether it must be given, and what it is when it
    is not (in words: "the grower's token", "pdf")."""

    schema: dict
    doc: str
    required: bool = False
    default: str | None = None


@dataclass(frozen=True)
class Returns:
    """What a step returns (what expect: matches and save: reads): a sentence, every field with its meaning
    (`lines[].state` for a field of the items of a list; `[].id` for the items of a list result), and an example
    (shortened: lists may show one item, and fields may be left out)."""

    doc: str
    fields: dict[str, str] = field(default_factory=dict)
    example: Any = None
    also: Returns | None = None  # another shape it returns in another use (asinfo.confirm of a whole PO)

    def all_fields(self) -> dict[str, str]:
        return {**self.fields, **(self.also.all_fields() if self.also else {})}


@dataclass(frozen=True)
class Action:
    name: str
    run: Callable
    args: dict  # the JSON Schema of the step's arguments, with each argument's description
    help: str
    params: dict[str, Arg] = field(default_factory=dict)
    returns: Returns | None = None
    refuses: tuple[str, ...] = ()
    example: str = ""  # steps (YAML) that run in EXAMPLE_WORLD unless `world` says otherwise
    world: str = ""  # the example's world: section, when the default will not do

    @property
    def side(self) -> str:
        return side_of(self.name)


SIDES = {
    "komet": "Komet: the importer's actions and what Komet shows",
    "vendor": "Komet's vendor portal: what a vendor does itself in Komet",
    "asinfo": "The grower (ASINFO, or your system through its adapter)",
    "control": "Control: faults, the clock, checks, interleavings",
}


def side_of(name: str) -> str:
    if name.startswith("komet.vendor_"):
        return "vendor"
    if name.startswith("komet."):
        return "komet"
    if name.startswith("asinfo."):
        return "asinfo"
    return "control"


# The world every example runs in unless it says otherwise: one vendor, one ship date, one PO of two lines, and
# the grower connected and synced.
EXAMPLE_WORLD = """world:
  komet: {vendors: 1, shipDays: 1, posPerDay: 1, linesPerPo: 2}
  grower: connected"""


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


def described(schema: Any, doc: str, default: str | None = None) -> dict:
    """A copy of the schema with its description (what editors show on hover)."""
    text = doc + (f" (default: {default})" if default else "")
    return {**schema, "description": text}


def action(
    name: str,
    help: str,
    args: dict[str, Arg] | None = None,
    *,
    schema: dict | None = None,
    returns: Returns | None = None,
    refuses: Iterable[str] = (),
    example: str = "",
    world: str = "",
) -> Callable:
    """Register a step. `args` documents each argument; `schema` replaces the object schema built from them
    for the few steps whose arguments are not an object of named arguments (check, background)."""
    params = args or {}

    def register(fn: Callable) -> Callable:
        built = obj(
            {k: described(a.schema, a.doc, a.default) for k, a in params.items()},
            required=tuple(k for k, a in params.items() if a.required),
        )
        REGISTRY[name] = Action(
            name,
            fn,
            schema if schema is not None else built,
            help,
            params,
            returns,
            tuple(refuses),
            example.strip("\n"),
            world.strip("\n"),
        )
        return fn

    return register


def load_all() -> dict[str, Action]:
    from . import (  # noqa: F401  (registration)
        asinfo,
        asinfo_shipping,
        asinfo_views,
        control,
        interleave,
        komet,
        komet_api,
        komet_setup,
        komet_vendor,
        komet_views,
        waiting,
    )

    return REGISTRY


# Shared argument shapes.
INT = {"type": "integer"}
STR = {"type": "string"}
REF = typed({"type": ["integer", "string", "object"]})  # a PO/line/vendor/... reference
PO = {"po": REF}
LINE = {"po": REF, "line": REF}
DATE = typed({"type": "string", "pattern": r"^(today|[+-]\d+d|\d{4}-\d{2}-\d{2})$"})

# Shared arguments: how a step names a PO, a line, an AWB... (harness/context.py resolves them).
PO_DOC = (
    "the purchase order: 0 is the grower's first PO (in the order Komet made them), {id: N} its Komet id, "
    '"10001" its number, or a saved PO (${po})'
)
LINE_DOC = "the line: 0 is the PO's first line, {poItemId: N} names one by its Komet id, or a saved line"
AWB_DOC = 'the AWB: 0 is the first this scenario made, its number ("729-1234-5675"), or a saved AWB (${awb})'
VENDOR_DOC = "the vendor: 0 is the world's first, {id: N}, or its code or name"
TOKEN_DOC = "a token: a saved token (${token}), its id, or its text"
A_PO = Arg(REF, PO_DOC, required=True)
A_LINE = Arg(REF, LINE_DOC, required=True)
A_AWB = Arg(REF, AWB_DOC, required=True)
