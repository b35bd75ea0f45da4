"""OpenAPI 3.1 documents built from what the apps already declare, and the /openapi.json and /docs routes.

Parameter specs (`simkit.params.P`) become JSON Schemas here, so a parameter's type and size are written once.
Routes that are not described by a table are documented from the Flask URL map: a view function may carry
`openapi` metadata (`describe`), and every route gets at least its path, verb, path parameters and the
error envelope it answers with. /docs renders the document with Swagger UI from the `flask-swagger-ui`
wheel: every asset is served by the app itself, nothing comes from the internet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from .params import MAX_INTEGER, P

Schema = dict[str, Any]
OPENAPI_VERSION = "3.1.0"
JSON = "application/json"
DOCS = "/docs"  # where Swagger UI renders the document

ERROR: Schema = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": ["string", "null"]},
            },
            "required": ["code", "message", "field"],
        }
    },
    "required": ["error"],
}


def value_schema(spec: P) -> Schema:
    """The JSON Schema of the values `simkit.params.parse` accepts for this spec (their documented form)."""
    schema = _typed_schema(spec)
    if spec.choices:
        schema["enum"] = list(spec.choices)
    bounds = ("minItems", "maxItems") if schema.get("type") == "array" else ("minimum", "maximum")
    for key, bound in zip(bounds, (spec.low, spec.high), strict=True):
        if bound is not None:
            schema[key] = int(bound) if bound == int(bound) else bound
    return schema


def _typed_schema(spec: P) -> Schema:
    kind = spec.kind
    if kind == "str":
        return _sized({"type": "string"}, "maxLength", spec.size)
    if kind == "int":
        top = MAX_INTEGER if spec.size is None else min(10**spec.size - 1, MAX_INTEGER)
        return {"type": "integer", "minimum": 0, "maximum": top}
    if kind == "duration":
        return {"type": "string", "description": "a duration such as 36h, 2d or 90m"}
    if kind == "datetime":
        return {"type": "string", "description": "YYYY-MM-DDThh:mm:ss"}
    if kind == "json":
        return {}
    if kind == "object":
        return object_schema(spec.fields) if spec.fields else {"type": "object"}
    if kind == "date":
        return {"type": "string", "format": "date"}
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "decimal":
        return {"type": "number", "minimum": 0}
    if kind == "list":
        return {"type": "array", "items": _sized({"type": "string", "minLength": 1}, "maxLength", spec.size)}
    if kind == "csv_int":
        return {"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 0}}
    if kind == "csv_str":
        return {"type": "array", "minItems": 1, "items": _sized({"type": "string"}, "maxLength", spec.size)}
    if kind == "objects":
        return {"type": "array", "minItems": 1, "items": object_schema(spec.fields)}
    raise TypeError(f"unknown parameter kind {kind}")


def _sized(schema: Schema, key: str, size: int | None) -> Schema:
    return {**schema, key: size} if size is not None else schema


def _described(schema: Schema, spec: P) -> Schema:
    """A spec's `reason` (the words of its refusals) says what the value must be: its description."""
    return {**schema, "description": spec.reason} if spec.reason and "description" not in schema else schema


def object_schema(
    specs: Iterable[P], extra: dict[str, Schema] | None = None, required: Iterable[str] = ()
) -> Schema:
    """A JSON body: the specs' properties (plus `extra`), closed, as parse refuses unknown names."""
    specs = tuple(specs)
    props = {**{s.name: _described(value_schema(s), s) for s in specs}, **(extra or {})}
    needed = [*required, *(s.name for s in specs if s.required)]
    schema: Schema = {"type": "object", "properties": props, "additionalProperties": False}
    if needed:
        schema["required"] = needed
    return schema


def query_parameters(specs: Iterable[P]) -> list[Schema]:
    """OpenAPI parameters `in: query` (lists comma-separated: style form, explode false)."""
    out = []
    for spec in specs:
        param: Schema = {"name": spec.name, "in": "query", "required": spec.required}
        param["schema"] = value_schema(spec)
        if spec.kind in ("csv_int", "csv_str"):
            param.update(style="form", explode=False)
        if spec.reason:
            param["description"] = spec.reason
        out.append(param)
    return out


def json_response(description: str, schema: Schema) -> Schema:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def describe(
    summary: str = "",
    body: Iterable[P] | None = None,
    query: Iterable[P] | None = None,
    reply: Schema | None = None,
    status: int | str = "2XX",
    media: dict[str, Schema] | None = None,
    errors: dict[str, Schema] | None = None,
    partial: bool = False,
    links: dict[str, tuple[str, str]] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Attach what the document says of a route to its view function (read by `routes_paths`): `media`
    replaces the JSON reply with other content types; `errors` adds error replies beyond the 4XX envelope;
    `links` name the operations the reply leads to: {name: (operationId, path parameter)}, fed the reply's
    `id` (what Schemathesis's stateful phase follows)."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.openapi = {  # type: ignore[attr-defined]
            "summary": summary,
            "body": tuple(body) if body is not None else None,
            "query": tuple(query) if query is not None else None,
            "reply": reply,
            "status": status,
            "media": media,
            "errors": errors or {},
            "partial": partial,
            "links": links or {},
        }
        return view

    return mark


_CONVERTER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _path_and_params(rule: str) -> tuple[str, list[Schema]]:
    params = []

    def swap(m: re.Match[str]) -> str:
        converter, name = m.group(1) or "string", m.group(2)
        schema: Schema = {"type": "integer", "minimum": 0} if converter == "int" else {"type": "string"}
        any_of = re.search(rf"<any\(([^)]*)\):{name}>", rule)
        if any_of:
            schema = {"type": "string", "enum": [v.strip() for v in any_of.group(1).split(",")]}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"

    return _CONVERTER.sub(swap, rule), params


def routes_paths(
    app: Flask, prefixes: tuple[str, ...], tag: str | None = None, exclude: tuple[str, ...] = ()
) -> dict[str, Schema]:
    """Paths for every route under `prefixes`, from the URL map and each view's `describe` metadata."""
    paths: dict[str, Schema] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(prefixes) or (exclude and rule.rule.startswith(exclude)):
            continue
        view = app.view_functions[rule.endpoint]
        meta = getattr(view, "openapi", {})
        path, params = _path_and_params(rule.rule)
        for verb in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            done = json_response("Done", meta.get("reply") or {"type": ["object", "array"]})
            if meta.get("media"):
                done = {
                    "description": "Done",
                    "content": {k: {"schema": v} for k, v in meta["media"].items()},
                }
            if meta.get("links"):
                done["links"] = {
                    name: {"operationId": target, "parameters": {param: "$response.body#/id"}}
                    for name, (target, param) in meta["links"].items()
                }
            op: Schema = {
                "operationId": f"{rule.endpoint}.{verb.lower()}",
                "summary": meta.get("summary") or (view.__doc__ or "").strip().split("\n")[0],
                "responses": {
                    str(meta.get("status", "2XX")): done,
                    "4XX": json_response("Refused: the field at fault and why", ERROR),
                    **{
                        code: json_response("Failed", schema)
                        for code, schema in meta.get("errors", {}).items()
                    },
                },
            }
            if tag:
                op["tags"] = [tag]
            query = meta.get("query")
            if params or query:
                op["parameters"] = params + query_parameters(query or ())
            body = meta.get("body")
            if body is not None:
                schema = object_schema(body)
                if meta.get("partial"):  # an update: nothing is required
                    schema.pop("required", None)
                op["requestBody"] = {"required": True, "content": {JSON: {"schema": schema}}}
            paths.setdefault(path, {})[verb.lower()] = op
    return paths


def document(
    title: str, version: str, description: str, paths: dict[str, Schema], tags: list[Schema]
) -> Schema:
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version, "description": description},
        "tags": tags,
        "paths": paths,
    }


def docs_blueprints(build: Callable[[Flask], Schema], title: str) -> list[Blueprint]:
    """/openapi.json (built once, on first request) and /docs (Swagger UI from the installed wheel, loaded at the
    first /docs request: importing it looks up its own version, a cost every start would pay for a page few
    open)."""
    bp = Blueprint("openapi", __name__)
    cache: dict[str, Schema] = {}

    @bp.get("/openapi.json")
    def openapi_json() -> Response:
        if "doc" not in cache:
            cache["doc"] = build(current_app)
        return jsonify(cache["doc"])

    # The blueprint Swagger UI's own would be (its name and URLs: templates link to swagger_ui.show), handing
    # each request to a small app that holds Swagger UI's blueprint, made when /docs is first asked for.
    ui = Blueprint("swagger_ui", __name__, url_prefix=DOCS)
    made: list[Flask] = []

    @ui.route("/")
    @ui.route("/<path:path>")
    def show(path: str | None = None) -> ResponseReturnValue:
        """Swagger UI: its page and assets, served by the app itself."""
        if not made:  # two first requests at once may both make one: either serves
            made.append(swagger_ui_app(title))
        reply = Response.from_app(made[0], request.environ)
        if reply.status_code == 404:  # an asset it does not have: refused as this app refuses any page
            reply.close()
            abort(404)
        return reply

    return [bp, ui]


def swagger_ui_app(title: str) -> Flask:
    """A Flask app serving only Swagger UI's blueprint (flask-swagger-ui) at /docs, rendering /openapi.json."""
    from flask_swagger_ui import get_swaggerui_blueprint

    app = Flask(__name__, static_folder=None, template_folder=None)
    # validatorUrl None: Swagger UI would otherwise send the document to an online validator.
    app.register_blueprint(
        get_swaggerui_blueprint(
            DOCS, "/openapi.json", config={"app_name": title, "validatorUrl": None, "deepLinking": True}
        )
    )
    return app
