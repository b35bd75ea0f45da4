"""/api/<method>: transport rules (K1), authentication and authorisation (K4), limits (K5), envelope (K3)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, request

from simkit.context import act_for
from simkit.errors import BadInput
from simkit.params import ParamError, parse
from simkit.web import current_world

from .. import wire
from ..decisions import MAX_REQUEST_BYTES, token_type_may_call
from ..domain import companies, errors, tokens
from ..messages import text
from ..methods import METHODS, NOT_SIMULATED
from . import handlers

bp = Blueprint("komet_api", __name__)
VERBS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def envelope(body: dict, status: int = 200) -> Response:
    request.environ["kasim.reply"] = body  # the journal keeps this object rather than parsing the bytes again
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


@bp.route("/api/<path:method>", methods=VERBS, provide_automatic_options=False)
def call(method: str) -> Response:
    world = current_world()
    request.environ["kasim.op"] = method
    try:
        return envelope(dispatch(world, method))
    except ParamError as exc:
        return _refusal(errors.from_param_error(exc))
    except errors.KometError as exc:
        return _refusal(exc)
    except BadInput as exc:
        name = exc.field or "request"
        return envelope(wire.failure(text("invalid_param", name=name, reason=exc.message)))


def _refusal(exc: errors.KometError) -> Response:
    reply = envelope(wire.failure(exc.message), exc.http_status)
    if isinstance(exc, errors.WrongVerb):
        reply.headers["Allow"] = str(exc.values["verb"])  # a 405 must say what is allowed (RFC 9110)
    return reply


def _body() -> bytes:
    if request.content_length is not None:
        if request.content_length > MAX_REQUEST_BYTES:
            raise errors.RequestTooLarge()
        return request.get_data(cache=True)
    data = request.stream.read(MAX_REQUEST_BYTES + 1)  # chunked: read no more than the limit allows
    if len(data) > MAX_REQUEST_BYTES:
        raise errors.RequestTooLarge()
    return data


def dispatch(world, name: str) -> dict:
    if len(request.query_string) > MAX_REQUEST_BYTES:
        raise errors.RequestTooLarge()
    body = _body()
    method = METHODS.get(name)
    if method is None:
        if name in NOT_SIMULATED:
            raise errors.NotSimulated(method=name)
        raise errors.MethodNotFound()
    if request.method != method.verb:
        raise errors.WrongVerb(method=name, verb=method.verb)
    raw: dict = dict(request.args.items())
    if method.verb == "POST" and body.strip():
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise errors.MalformedJson() from None
        if not isinstance(data, dict):
            raise errors.BodyNotObject()
        raw.update(data)  # K1: the query string may carry parameters too; the body wins
    token = raw.pop("authenticationToken", None)
    handler = getattr(handlers, method.handler)
    if not method.auth:
        return handler(world, None, parse(method.params, raw))
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
    params = parse(method.params, raw)
    # K18, one transaction: the call counts against the quota only if it goes through; a refusal changes nothing,
    # and that includes a batch none of whose lines went through (its reply says status 0).
    try:
        with world.store.tx():
            companies.consume_quota(world, caller.company_id)
            body = handler(world, caller, params)
            if str(body.get("status")) == "0":
                raise _Refused(body)
    except _Refused as refused:
        if world.plant == "quota-counts-refused":  # planted bug: the refused call is counted all the same
            companies.consume_quota(world, caller.company_id)
        return refused.body
    return body


class _Refused(Exception):
    """Rolls back a handled call whose reply is a refusal."""

    def __init__(self, body: dict):
        super().__init__(body.get("message"))
        self.body = body
