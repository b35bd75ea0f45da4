"""The web edges both simulators share: reading a request's JSON body and parameters with simkit.params.

A JSON route takes a JSON object sent as application/json and nothing else: a form-encoded or text/plain
body where JSON is expected is refused here, in one place, with a BadInput naming `body`.
"""

from __future__ import annotations

from typing import Any

from flask import request

from .errors import BadInput
from .params import P, parse


def json_body(optional: bool = False) -> dict[str, Any]:
    """The request's JSON object; `optional`: an empty body is {}."""
    raw = request.get_data(cache=True)
    if optional and not raw.strip():
        return {}
    if not request.is_json:
        raise BadInput("body", "expected a JSON object sent as application/json")
    data = request.get_json(silent=True)
    if data is None:
        raise BadInput("body", "expected a JSON object: the body is not valid JSON")
    if not isinstance(data, dict):
        raise BadInput("body", "expected a JSON object")
    return data


def parse_body(
    specs: tuple[P, ...], *, optional: bool = False, partial: bool = False, lenient: bool = False
) -> dict[str, Any]:
    """The JSON body checked against `specs`: JSON types strictly (a number is never a string or true),
    unless `lenient` (bodies shaped like Komet's API, whose own samples send numbers as text)."""
    return parse(specs, json_body(optional), strict=not lenient, partial=partial)


# Query parameters that choose whose data a request acts on; every route accepts them.
ROUTING_PARAMS = ("namespace", "account")


def parse_query(specs: tuple[P, ...]) -> dict[str, Any]:
    """The query string checked against `specs` (its values are text: numbers and booleans are read)."""
    raw = {k: v for k, v in request.args.items() if k not in ROUTING_PARAMS}
    return parse(specs, raw)
