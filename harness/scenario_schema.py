"""The JSON Schema of a scenario file (and of a fragment), built from the action registry so a new action is
never missing from it, and the validators that check files against it. Turning the validators' errors into
messages a person can act on is schema_messages' job."""

from __future__ import annotations

import re
from datetime import date

from jsonschema import Draft202012Validator, FormatChecker

from asinfo_sim.domain.connections import CONNECTION
from komet_sim.seeding import SEED_OPTIONS
from simkit.params import json_schema

from .actions import DATE, STR, from_spec, load_all, obj, typed

NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
DATE_FORMAT = "kasim-date"  # a YYYY-MM-DD that exists on the calendar (the pattern alone lets 2026-13-40 by)
# A seeded Komet world as the seed endpoint takes it (sizes with their bounds, profile, quota, company name);
# the scenario's own seed and whether to reset are the engine's to give.
KOMET_WORLD = from_spec(SEED_OPTIONS, leave=("seed", "reset"))
SEED = json_schema(next(p for p in SEED_OPTIONS if p.name == "seed"))
SYNC_DAYS = from_spec(CONNECTION)["syncDays"]
FORMATS = FormatChecker(formats=())


@FORMATS.checks(DATE_FORMAT, raises=ValueError)
def _real_date(value) -> bool:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        date.fromisoformat(value)
    return True


def step_schema() -> dict:
    props = {name: _nullable(a.args) for name, a in load_all().items()}
    props.update(
        {
            "include": STR,
            "with": {"type": "object"},
            "name": STR,
            "save": {
                "anyOf": [
                    {"type": "string", "pattern": NAME},
                    {"type": "object", "propertyNames": {"pattern": NAME}, "additionalProperties": STR},
                ]
            },
            "expect": {},
            "refused": {"type": "string", "minLength": 1},
        }
    )
    return {"type": "object", "properties": props, "additionalProperties": False, "minProperties": 1}


def _nullable(args: dict) -> dict:
    """`- asinfo.sync:` (nothing after the colon) is the same as `asinfo.sync: {}` when nothing is required."""
    if args.get("type") == "object" and not args.get("required"):
        return {**args, "type": ["object", "null"]}
    return args


def _dated(schema):
    """A copy of the schema whose date fields also check that the date exists."""
    if isinstance(schema, dict):
        if schema == DATE["anyOf"][0]:
            return {**schema, "format": DATE_FORMAT}
        return {k: _dated(v) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_dated(v) for v in schema]
    return schema


def _plants_by_side() -> dict[str, list[str]]:
    from .plants import registry

    sides: dict[str, list[str]] = {"komet": [], "asinfo": []}
    for plant in registry().values():
        sides[plant.side].append(plant.name)
    return sides


def scenario_schema() -> dict:
    step = {"$ref": "#/$defs/step"}
    actions = load_all()
    world = obj(
        {
            "komet": obj(KOMET_WORLD),
            "state": STR,
            "plant": obj({side: {"enum": names} for side, names in _plants_by_side().items()}),
            "purchaseOrders": {"type": "array", "items": actions["komet.create_po"].args},
            "grower": {
                "anyOf": [
                    {"enum": ["connected", "token", "none"]},
                    obj(
                        {
                            "vendor": typed({"type": ["integer", "string"]}),
                            "methods": actions["komet.create_token"].args["properties"]["methods"],
                            "connect": {"type": "boolean"},
                            "sync": {"type": "boolean"},
                            "syncDays": SYNC_DAYS,
                        }
                    ),
                ]
            },
        }
    )
    return _dated(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://kasim.dev/scenario.schema.json",
            "title": "kasim scenario",
            "type": "object",
            "required": ["name", "steps"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "description": STR,
                "tags": {"type": "array", "items": {"type": "string", "pattern": r"^[A-Za-z0-9_-]+$"}},
                "seed": SEED,
                "world": world,
                "vars": {"type": "object", "propertyNames": {"pattern": NAME}},
                "cases": {
                    "type": "array",
                    "minItems": 1,
                    "items": obj(
                        {"name": {"type": "string", "minLength": 1}}, required=("name",), extra=True
                    ),
                },
                "steps": {"type": "array", "minItems": 1, "items": step},
                "expect": {"type": "array", "items": step},
                "skip": STR,
                "xfail": STR,
            },
            "$defs": {"step": step_schema()},
        }
    )


def fragment_schema() -> dict:
    return _dated(
        {
            "type": "object",
            "required": ["steps"],
            "additionalProperties": False,
            "properties": {
                "description": STR,
                "params": {"type": "object", "propertyNames": {"pattern": NAME}},
                "steps": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}},
            },
            "$defs": {"step": step_schema()},
        }
    )


_validators: dict[str, Draft202012Validator] = {}


def validator(kind: str = "scenario") -> Draft202012Validator:
    if kind not in _validators:
        schema = scenario_schema() if kind == "scenario" else fragment_schema()
        _validators[kind] = Draft202012Validator(schema, format_checker=FORMATS)
    return _validators[kind]
