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

from .actions import DATE, STR, described, from_spec, load_all, obj, typed

NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
DATE_FORMAT = "kasim-date"  # a YYYY-MM-DD that exists on the calendar (the pattern alone lets 2026-13-40 by)
# A seeded Komet world as the seed endpoint takes it (sizes with their bounds, profile, quota, company name);
# the scenario's own seed and whether to reset are the engine's to give.
KOMET_WORLD = from_spec(SEED_OPTIONS, leave=("seed", "reset"))
SEED = json_schema(next(p for p in SEED_OPTIONS if p.name == "seed"))
SYNC_DAYS = from_spec(CONNECTION)["syncDays"]
FORMATS = FormatChecker(formats=())

# What each part of a scenario file means (editors show these; docs/scenarios.md lists them).
TOP = {
    "name": "what the scenario shows, as a sentence (its id in reports, -k and FILE::NAME)",
    "description": "why it matters and what it proves, in a few sentences",
    "tags": "words for -k and pytest marks (komet-observable: it checks only what Komet shows, so it runs "
    "against any grower)",
    "seed": "the seed of the world and of every seeded choice (same seed, same run); kasim run --seed overrides it",
    "world": "what exists before the first step: the importer's Komet company, its POs, and the grower",
    "vars": "variables for ${…}, e.g. {boxes: 3}",
    "cases": "run the scenario once per case: each {name, …variables}; its id becomes NAME[case]",
    "steps": "what happens, in order: each step names one action (kasim actions lists them)",
    "expect": "steps run after the last one, to check the end state",
    "skip": "why the scenario does not run now (reported as skipped)",
    "xfail": "why the scenario is expected to fail (a pass is reported as news)",
}
WORLD = {
    "komet": "a seeded Komet company: its sizes (vendors, customers, products, shipDays, posPerDay, linesPerPo, "
    "paidUsers, firstShipDay), profile, quotaPerUser, companyName",
    "state": "or: a Komet snapshot (GET /__sim/state) saved next to the scenario",
    "plant": "a known bug planted in a simulator, to prove a check catches it: {komet: NAME} and/or "
    "{asinfo: NAME} (kasim explore --plant names them)",
    "purchaseOrders": "POs the importer makes before the first step, each as komet.create_po takes it (posPerDay: "
    "0 leaves only these)",
    "grower": "connected (a Vendor token with the ASINFO preset, the connection, a first sync), token (the token "
    "only), none; or {vendor, methods, connect, sync, syncDays}",
}
KOMET_WORLD_DOCS = {
    "vendors": "vendors (growers) the importer buys from; the grower is vendor 0",
    "customers": "the importer's customers (with their marks)",
    "products": "products in the catalogue",
    "shipDays": "ship dates with POs, one a day",
    "posPerDay": "POs per ship date, spread over the vendors in turn (vendor 0 gets the first)",
    "linesPerPo": "lines per PO",
    "paidUsers": "paid users: the daily API quota is paidUsers × quotaPerUser",
    "firstShipDay": "days from today to the first ship date",
    "profile": "documented (Komet as its docs say) or strict (also the Company-only rules the docs mention)",
    "quotaPerUser": "API calls per paid user per day",
    "companyName": "the importer's name",
    "linkCompany": "a company whose first vendors this one buys from too (a grower with two importers)",
    "linkVendors": "how many of that company's vendors (with linkCompany)",
}


@FORMATS.checks(DATE_FORMAT, raises=ValueError)
def _real_date(value) -> bool:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        date.fromisoformat(value)
    return True


STEP_FIELDS = {
    "include": "a fragment's steps, spliced in here (looked for next to this file, then at the library root)",
    "with": "the fragment's parameters: {po: 1}",
    "name": "what this step does, in words (shown in reports instead of the action)",
    "save": "keep the result: save: awb (all of it), or save: {n: number, first: lines[0].id} (JMESPath)",
    "expect": "what the result must match: objects match partly, lists in any order; $len, $contains... "
    "(docs/scenarios.md)",
    "refused": "the step must be refused, for a reason containing this text (/regex/ for a pattern)",
}


def step_schema() -> dict:
    props = {
        name: described(_nullable(a.args), f"{a.help}. kasim actions {name} shows it whole.")
        for name, a in load_all().items()
    }
    props.update(
        {
            k: described(v, STEP_FIELDS[k])
            for k, v in {
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
            }.items()
        }
    )
    return {"type": "object", "properties": props, "additionalProperties": False, "minProperties": 1}


def _default(name: str) -> str | None:
    spec = next((p for p in SEED_OPTIONS if p.name == name), None)
    default = getattr(spec, "default", None)
    return str(default) if isinstance(default, int | str) and not isinstance(default, bool) else None


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
    sizes = {k: described(v, KOMET_WORLD_DOCS.get(k, k), _default(k)) for k, v in KOMET_WORLD.items()}
    world_props = {
        "komet": obj(sizes),
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
    world = obj({k: described(v, WORLD[k]) for k, v in world_props.items()})
    return _dated(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://kasim.dev/scenario.schema.json",
            "title": "kasim scenario",
            "type": "object",
            "required": ["name", "steps"],
            "additionalProperties": False,
            "properties": {
                k: described(v, TOP[k])
                for k, v in {
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
                }.items()
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
