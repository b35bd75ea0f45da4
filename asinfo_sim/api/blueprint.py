"""What every API module shares: the blueprint, the world, the grower account acted for, and the refusal
shape {"error": {"code", "message", "field"}} with its HTTP status."""

from __future__ import annotations

from typing import cast

from flask import Blueprint, Response, jsonify, request

from simkit.web import current_namespace, current_world

from ..domain.errors import BadInput
from ..domain.world import AsinfoWorld

bp = Blueprint("asinfo_api", __name__, url_prefix="/api")


def world() -> AsinfoWorld:
    """The ASINFO world serving this request (simkit.web.current_world knows it only as a World)."""
    return cast(AsinfoWorld, current_world())


def account_id() -> int:
    """The grower account acted for (simkit.web's precedence: ?account=, X-Kasim-Namespace, the only one)."""
    return int(current_namespace("account", "grower account"))


@bp.before_request
def name_operation() -> None:
    """The journal and fault rules name each call by its operation (the endpoint's function name)."""
    request.environ["kasim.op"] = (request.endpoint or "").rsplit(".", 1)[-1] or None


@bp.errorhandler(BadInput)
def bad_input(exc: BadInput) -> tuple[Response, int]:
    return jsonify(exc.to_json()), exc.http_status
