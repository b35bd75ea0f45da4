"""What every API module shares: the blueprint, the world, the grower account acted for, and the refusal
shape {"error": {"code", "message", "field"}} with its HTTP status."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from simkit.context import act_for

from ..domain.errors import HTTP_STATUS, BadInput, NotFound

bp = Blueprint("asinfo_api", __name__, url_prefix="/api")


def world():
    return current_app.extensions["kasim.world"]


def account_id() -> int:
    """The grower account acted for: X-Kasim-Namespace, ?account=, or the only account there is."""
    ns = request.headers.get("X-Kasim-Namespace") or request.args.get("account")
    known = world().namespaces()
    if ns is None:
        if len(known) != 1:
            raise BadInput(
                "account",
                "several grower accounts exist: say which with ?account=<id>"
                if known
                else "no grower account yet: seed one first (POST /__sim/seed)",
            )
        ns = known[0]
    if str(ns) not in known:
        raise NotFound("account", f"grower account {ns} does not exist")
    act_for(request.environ, ns)
    return int(ns)


@bp.before_request
def name_operation() -> None:
    """The journal and fault rules name each call by its operation (the endpoint's function name)."""
    request.environ["kasim.op"] = (request.endpoint or "").rsplit(".", 1)[-1] or None


@bp.errorhandler(BadInput)
def bad_input(exc: BadInput) -> tuple[Response, int]:
    return jsonify(exc.to_json()), HTTP_STATUS.get(exc.code, 400)
