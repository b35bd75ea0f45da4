"""The Komet simulator's OpenAPI 3.1 document, generated from the method table.

Every Komet method is one operation on `/api/<method>`: GET methods (and `login`) take query parameters,
POST methods a JSON body; `authenticationToken` travels with the other parameters, as Komet has it. Each
answers HTTP 200 with either its success (the method's payload, `status` typed and keys quoted as its sample
shows) or the refusal envelope `{"status": "0", "message"}`. Methods Komet has and kasim does not simulate
are listed with the refusal only. The control plane and the importer actions are documented from the routes.
"""

from __future__ import annotations

import copy
from typing import Any

from flask import Flask

from simkit import __version__
from simkit import openapi as oa
from simkit.params import P

from .. import replies
from ..messages import text
from ..methods import METHODS, NOT_SIMULATED, NUMBER, Method

Schema = dict[str, Any]
TOKEN = P("authenticationToken", "str", True, 50)
REFUSAL: Schema = {
    "type": "object",
    "description": 'Every refusal on every method: the string status "0" and a message saying why',
    "properties": {"status": {"const": "0"}, "message": {"type": "string"}},
    "required": ["status", "message"],
    "additionalProperties": False,
}
DIGITS: Schema = {"type": "string", "pattern": "^[0-9]+$"}


def quote(schema: Schema, keys: frozenset[str]) -> Schema:
    """The schema as the wire has it: integers under `keys` (at any depth) become strings of digits."""
    if schema.get("type") == "object":
        props = {}
        for name, sub in schema["properties"].items():
            if name in keys and sub.get("type") == "integer":
                enum = sub.get("enum")
                props[name] = {"type": "string", "enum": [str(v) for v in enum]} if enum else dict(DIGITS)
            else:
                props[name] = quote(sub, keys)
        return {**schema, "properties": props}
    if schema.get("type") == "array":
        return {**schema, "items": quote(schema["items"], keys)}
    return schema


def success_schema(method: Method) -> Schema:
    flags = [1, 0] if method.batch else [1]
    status = flags if method.status == NUMBER else [str(f) for f in flags]
    message: Schema = {"type": "string"}
    if method.empty:
        message = {"type": "string", "enum": [text("ok"), text(method.empty)]}
    payload = replies.obj(**method.reply)
    payload = quote(payload, method.quoted) if method.quoted else payload
    return {
        "type": "object",
        "properties": {
            "status": {"enum": status} if len(status) > 1 else {"const": status[0]},
            "message": message,
            **payload["properties"],
        },
        "required": ["status", "message", *payload["required"]],
        "additionalProperties": False,
    }


def _tokens(method: Method) -> str:
    if not method.auth:
        return "No token."
    return f"Token types the docs list: {', '.join(sorted(method.tokens))}."


def operation(method: Method) -> Schema:
    ref = {"$ref": f"#/components/schemas/{_schema_name(method.name)}"}
    op: Schema = {
        "operationId": method.name,
        "summary": method.summary,
        "description": " ".join(
            [
                _tokens(method),
                "Ticked by the ASINFO preset." if method.preset else "Not in the ASINFO preset.",
                f"`status` on success is a {method.status}.",
            ]
        ),
        "tags": ["Komet API"],
        "responses": {
            "200": oa.json_response(
                "The method's success or a refusal",
                {"oneOf": [ref, {"$ref": "#/components/schemas/Refusal"}]},
            ),
            "405": oa.json_response(
                "Called with another HTTP verb", {"$ref": "#/components/schemas/Refusal"}
            ),
        },
        "x-kasim-token-types": sorted(method.tokens),
        "x-kasim-asinfo-preset": method.preset,
        "x-kasim-status-type": method.status,
    }
    if method.empty:
        op["x-kasim-empty-message"] = text(method.empty)
    params = (TOKEN, *method.params) if method.auth else method.params
    if method.in_query:
        op["parameters"] = oa.query_parameters(params)
    else:
        op["requestBody"] = {"required": True, "content": {oa.JSON: {"schema": oa.object_schema(params)}}}
    return op


def not_simulated(name: str) -> Schema:
    return {
        "operationId": name,
        "summary": f"{name} exists in Komet but is not simulated by kasim",
        "tags": ["Komet API (not simulated)"],
        "responses": {
            "200": oa.json_response("Always the refusal saying so", {"$ref": "#/components/schemas/Refusal"})
        },
        "x-kasim-simulated": False,
    }


def _schema_name(method: str) -> str:
    return "".join(part.capitalize() for part in method.split(".")) + "Reply"


API_TAGS = [
    {"name": "Komet API", "description": "The documented methods, as a grower integration calls them"},
    {"name": "Komet API (not simulated)", "description": "Komet has them; kasim refuses saying so"},
]


def api_document() -> Schema:
    """The Komet API alone: what any Komet must answer (the contract `kasim contract` checks)."""
    paths: dict[str, Schema] = {}
    schemas: dict[str, Schema] = {"Refusal": REFUSAL}
    for method in METHODS.values():
        paths[f"/api/{method.name}"] = {method.verb.lower(): operation(method)}
        schemas[_schema_name(method.name)] = success_schema(method)
    for name, verb in NOT_SIMULATED.items():
        paths[f"/api/{name}"] = {verb.lower(): not_simulated(name)}
    doc = oa.document(
        "Komet Sales API — as kasim documents it",
        "komet-api",  # the served document says which kasim; this copy changes only with the contract
        "One operation per Komet method, from kasim's method table: verb, parameters with types and sizes, "
        "token types, and the reply of each (success typed as the method's sample shows, or the refusal).",
        paths,
        copy.deepcopy(API_TAGS),
    )
    doc["components"] = {"schemas": copy.deepcopy(schemas)}
    return doc


def build(app: Flask) -> Schema:
    """What the simulator serves: the Komet API, the importer's actions and the control plane."""
    doc = api_document()
    doc["info"].update(title="kasim — Komet Sales simulator", version=__version__)
    doc["info"]["description"] += (
        " Also the importer's actions under /__sim/komet and the /__sim control plane."
    )
    doc["paths"].update(oa.routes_paths(app, ("/__sim/komet",), "Importer actions"))
    doc["paths"].update(oa.routes_paths(app, ("/__sim/",), "Control plane", exclude=("/__sim/komet",)))
    doc["tags"] += [
        {"name": "Importer actions", "description": "What the importer does in Komet's UI, as JSON"},
        {"name": "Control plane", "description": "The /__sim routes both simulators share"},
    ]
    return doc
