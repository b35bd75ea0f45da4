"""/api/<method>: transport rules (K1), authentication and authorisation (K4), limits (K5), envelope (K3).

The API is a plain WSGI app in front of the Flask app that serves everything else (portal, importer actions,
control plane): a Flask request context, session and hooks cost more than a whole read answered from the
reply cache. It keeps what Flask gave it: the host and origin checks and the framing headers of
`simkit.security`, and an envelope for every error, a crash included (logged, never a traceback).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Request, Response

from simkit import security
from simkit.context import act_for
from simkit.errors import BadInput
from simkit.journal import MAX_MEMO_LENGTH, SECRETS_ENV
from simkit.params import ParamError, parse

from .. import wire
from ..decisions import MAX_REQUEST_BYTES, token_type_may_call
from ..domain import companies, errors, tokens
from ..messages import text
from ..methods import METHODS, NOT_SIMULATED, Method
from . import handlers

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld

PREFIX = "/api/"
VERBS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
JSON = "application/json"
FRAMING = tuple(security.HEADERS.items())
log = logging.getLogger("kasim.komet")


def serialise(body: dict) -> bytes:
    """The bytes of a reply: the json module's, keys in the order the reply was built (docs/komet-api.md)."""
    return json.dumps(body, ensure_ascii=False).encode()


class Answer(NamedTuple):
    """A reply of the API: status, the JSON bytes, and any header besides the ones every reply carries."""

    status: int
    data: bytes
    headers: tuple[tuple[str, str], ...] = ()

    def response(self) -> Response:
        """As a Response, for Flask's own error handlers on /api."""
        return Response(self.data, self.status, list(self.headers), mimetype=JSON)


def envelope(body: dict | bytes, status: int = 200, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    return Answer(status, body if isinstance(body, bytes) else serialise(body), headers)


def http_error(code: int, name: str) -> Answer:
    """An HTTP-level error on /api (no route, a verb no method has, a bad Host): the documented envelope."""
    if code == 404:
        message = text("method_not_found")
    elif code in (413, 414, 431):  # a request the server refused as too large, before the app saw it
        message = text("request_too_large")
    else:
        message = f"{name}."
    return envelope(wire.failure(message), code)


class Api:
    """`/api/<method>` for the Flask app `app` (whose extensions hold the world); every other path goes to
    `inner`, the Flask app's own WSGI callable."""

    def __init__(self, app, inner: Callable):
        self.app = app
        self.inner = inner

    def __call__(self, environ: dict, start_response: Callable):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX) or len(path) == len(PREFIX):
            return self.inner(environ, start_response)
        request = Request(environ)
        try:
            security.check_request(request)
            if request.method not in VERBS:
                answer = http_error(405, "Method Not Allowed")
            else:
                answer = call(self.app.extensions["kasim.world"], request, path[len(PREFIX) :])
        except HTTPException as exc:
            answer = http_error(exc.code or 500, exc.name)
        except OverflowError:  # a number bigger than SQLite holds: bad input, not a crash
            answer = http_error(400, "Bad Request")
        except Exception:
            log.exception("unexpected error on %s %s", request.method, path)
            answer = http_error(500, "Internal error")
        # Status line and headers as werkzeug's Response writes them, without building one.
        headers = [
            ("Content-Type", JSON),
            ("Content-Length", str(len(answer.data))),
            *FRAMING,
            *answer.headers,
        ]
        start_response(f"{answer.status} {HTTP_STATUS_CODES.get(answer.status, 'UNKNOWN').upper()}", headers)
        return [] if request.method == "HEAD" else [answer.data]


def call(world: KometWorld, request: Request, method: str) -> Answer:
    request.environ["kasim.op"] = method
    try:
        return envelope(dispatch(world, request, method))
    except ParamError as exc:
        return _refusal(errors.from_param_error(exc))
    except errors.KometError as exc:
        return _refusal(exc)
    except BadInput as exc:
        name = exc.field or "request"
        return envelope(wire.failure(text("invalid_param", name=name, reason=exc.message)))


def _refusal(exc: errors.KometError) -> Answer:
    allow = (("Allow", str(exc.values["verb"])),) if isinstance(exc, errors.WrongVerb) else ()
    # a 405 must say what is allowed (RFC 9110)
    return envelope(wire.failure(exc.message), exc.http_status, allow)


def _body(request: Request) -> bytes:
    length = request.content_length
    if (length is None and not request.environ.get("wsgi.input_terminated")) or length == 0:
        return b""  # neither a length nor a chunked body, or an empty one: there is none
    if length is not None:
        if length > MAX_REQUEST_BYTES:
            raise errors.RequestTooLarge()
        return request.get_data(cache=True)
    data = request.stream.read(MAX_REQUEST_BYTES + 1)  # chunked: read no more than the limit allows
    if len(data) > MAX_REQUEST_BYTES:
        raise errors.RequestTooLarge()
    return data


_QUERIES: dict[
    str, tuple[tuple[str, str], ...]
] = {}  # a query string -> its parameters (the first of each name)
MAX_QUERIES_KEPT = 1024


def _query(request: Request) -> dict:
    """The query string's parameters as werkzeug reads them, remembered per query string: a client repeats
    its reads (bounded in number and in length)."""
    query = request.environ.get("QUERY_STRING", "")
    found = _QUERIES.get(query)
    if found is None:
        found = tuple(request.args.items())
        if len(query) <= MAX_MEMO_LENGTH:
            if len(_QUERIES) >= MAX_QUERIES_KEPT:
                _QUERIES.clear()
            _QUERIES[query] = found
    return dict(found)


def dispatch(world: KometWorld, request: Request, name: str) -> dict | bytes:
    if len(request.environ.get("QUERY_STRING", "")) > MAX_REQUEST_BYTES:  # latin-1: a character per byte
        raise errors.RequestTooLarge()
    body = _body(request)
    method = METHODS.get(name)
    if method is None:
        if name in NOT_SIMULATED:
            raise errors.NotSimulated(method=name)
        raise errors.MethodNotFound()
    if request.method != method.verb:
        raise errors.WrongVerb(method=name, verb=method.verb)
    raw: dict = _query(request)
    if method.verb == "POST" and body.strip():
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested beyond parsing
            raise errors.MalformedJson() from None
        if not isinstance(data, dict):
            raise errors.BodyNotObject()
        raw.update(data)  # K1: the query string may carry parameters too; the body wins
    token = raw.pop("authenticationToken", None)
    if isinstance(token, str):  # whatever key spelling or place it came in, the journal blanks it (S3)
        request.environ.setdefault(SECRETS_ENV, set()).add(token)
    if not method.auth:
        return getattr(handlers, method.handler)(world, None, parse(method.params, raw))
    if token is None or token == "":
        raise errors.MissingParam(field="authenticationToken", name="authenticationToken")
    caller = tokens.authenticate(world, token)
    act_for(request.environ, caller.company_id)
    request.environ["kasim.caller"] = (
        caller.token_id
    )  # the journal says which token called (the verdict's key)
    if name not in caller.methods:
        raise errors.MethodNotEnabled(method=name)
    if not token_type_may_call(caller.profile, caller.type, method.tokens):
        raise errors.TokenTypeRefused(method=name, type=caller.type)
    # A read asked before in this state is answered from the reply cache: its parameters parsed then (a reply is
    # kept only for parameters that parse), so they are not parsed again.
    stored = _stored(world, caller, method, raw) if method.verb == "GET" else None
    params = parse(method.params, raw) if stored is None else {}
    # K18, one transaction: the call counts against the quota only if it goes through; a refusal changes nothing,
    # and that includes a batch none of whose lines went through (its reply says status 0).
    try:
        with world.store.tx():
            companies.consume_quota(world, caller.company_id)
            if stored is not None:
                return stored
            if method.verb == "GET":  # a read: computed now, and kept for the next one in this state
                return _read(world, caller, method, raw, params)
            return _handled(world, caller, method, params)
    except _Refused as refused:
        if world.plant == "quota-counts-refused":  # planted bug: the refused call is counted all the same
            companies.consume_quota(world, caller.company_id)
        return refused.body


def _handled(world: KometWorld, caller: tokens.Caller, method: Method, params: dict) -> dict:
    body = getattr(handlers, method.handler)(world, caller, params)
    if str(body.get("status")) == "0":
        raise _Refused(body)
    return body


def _key(caller: tokens.Caller, method: Method, raw: dict) -> tuple[str, tuple]:
    """Where a read's reply is filed: it depends on the caller's company (its rows and its day: the world's
    reply_state), on what the token may see, and on the parameters as sent."""
    namespace = str(caller.company_id)
    key = (
        method.name,
        caller.type,
        caller.vendor_id,
        caller.customer_id,
        caller.profile,
        *sorted(raw.items()),
    )
    return namespace, key


def _stored(world: KometWorld, caller: tokens.Caller, method: Method, raw: dict) -> bytes | None:
    """The reply kept for this read in the company's current state, if any: the bytes of a consistent state
    (filed under it), whatever is written meanwhile."""
    namespace, key = _key(caller, method, raw)
    return world.replies.get(namespace, world.reply_state(namespace), key)


def _read(world: KometWorld, caller: tokens.Caller, method: Method, raw: dict, params: dict) -> bytes:
    """A read's reply computed once per state of the company, then served as the same bytes. Inside the call's
    transaction, so no write lands between the state read and the reply computed from it."""
    namespace, key = _key(caller, method, raw)
    return world.cached_reply(namespace, key, lambda: serialise(_handled(world, caller, method, params)))


class _Refused(Exception):
    """Rolls back a handled call whose reply is a refusal."""

    def __init__(self, body: dict):
        super().__init__(body.get("message"))
        self.body = body
