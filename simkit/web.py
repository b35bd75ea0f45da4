"""The web edges both simulators share: the world a request is served by, the namespace it acts for, and
its JSON body and parameters read with simkit.params.

A JSON route takes a JSON object sent as application/json and nothing else: a form-encoded or text/plain
body where JSON is expected is refused here, in one place, with a BadInput naming `body`.

Which namespace (a Komet company, an ASINFO grower account) a request acts for, in one precedence:
1. the query: `?namespace=<id>` (ASINFO also reads `?account=<id>`, its word for it);
2. the `X-Kasim-Namespace` header (what the harness's clients send);
3. what the user chose earlier in a portal (its session), where there is one;
4. the only namespace there is.
An unknown namespace is a 404 naming the field; none, or several and none chosen, a 400. The control plane is
the one exception, on purpose: it reads the query only (`header=False`), and no namespace there means all of
them, so a routing header can never silently narrow a reset, a fault clear or a journal.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from .context import act_for
from .errors import BadInput
from .params import P, parse
from .world import World

NAMESPACE_HEADER = "X-Kasim-Namespace"
NAMESPACE_ENVIRON = "HTTP_X_KASIM_NAMESPACE"  # where WSGI puts it
# Query parameters that choose whose data a request acts on; every route accepts them.
ROUTING_PARAMS = ("namespace", "account")


def current_world() -> World:
    """The world of the app serving this request (a harness may install a fresh one between runs)."""
    world: World = current_app.extensions["kasim.world"]
    return world


class NoNamespace(BadInput):
    """No namespace can be picked: `asked` is unknown (404), or none was named and there is not exactly one
    (400). `known` lists those there are, for a page that lets the user choose."""

    def __init__(self, field: str, message: str, known: list[str], asked: str | None):
        super().__init__(field, message, "not_found" if asked is not None or not known else "invalid")
        self.known = known
        self.asked = asked


def requested_namespace(*, header: bool = True) -> str | None:
    """The namespace a request names (steps 1 and 2 of the precedence above), or None."""
    args = request.args
    for name in ROUTING_PARAMS:
        # `in` first: args.get finds a name that is not there by raising, inside
        if name in args and args.get(name):
            return args[name]
    return (request.environ.get(NAMESPACE_ENVIRON) or None) if header else None


def current_namespace(field: str, noun: str, remembered: str | None = None) -> str:
    """The namespace this request acts for (the precedence above), now acted for: the journal files the
    request there and the clock applies its offset. `field` and `noun` name it in refusals ("account",
    "grower account")."""
    known = current_world().namespaces()
    asked = requested_namespace()
    chosen = asked or (remembered if remembered in known else None)
    if chosen is None:
        if len(known) != 1:
            hint = f"say which with ?{field}=<id>" if field in ROUTING_PARAMS else "say which"
            message = (
                f"several {noun}s exist: {hint}"
                if known
                else f"no {noun} yet: seed one first (POST /__sim/seed)"
            )
            raise NoNamespace(field, message, known, None)
        chosen = known[0]
    if str(chosen) not in known:
        raise NoNamespace(field, f"{noun} {chosen} does not exist", known, str(chosen))
    act_for(request.environ, chosen)
    return str(chosen)


def json_body(optional: bool = False) -> dict[str, Any]:
    """The request's JSON object; `optional`: an empty body is {}."""
    raw = request.get_data(cache=True)
    if optional and not raw.strip():
        return {}
    if not request.is_json:
        raise BadInput("body", "expected a JSON object sent as application/json")
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # silent=True catches ValueError only
        raise BadInput("body", "expected a JSON object: the body is nested too deeply to read") from None
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


def parse_query(specs: tuple[P, ...]) -> dict[str, Any]:
    """The query string checked against `specs` (its values are text: numbers and booleans are read)."""
    raw = {k: v for k, v in request.args.items() if k not in ROUTING_PARAMS}
    return parse(specs, raw)
