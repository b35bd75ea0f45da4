"""/api/account: the farm (name, origin, box code pattern)."""

from __future__ import annotations

from flask import Response, jsonify

from simkit.openapi import describe
from simkit.params import snake
from simkit.web import parse_body

from ..domain import accounts
from .blueprint import account_id, bp, world


@bp.get("/account")
def get_account() -> Response:
    return jsonify(accounts.get_account(world(), account_id()))


@bp.patch("/account")
@describe(body=accounts.ACCOUNT_CHANGES, partial=True)
def patch_account() -> Response:
    changes = parse_body(accounts.ACCOUNT_CHANGES, partial=True)
    return jsonify(accounts.update_account(world(), account_id(), **snake(changes)))
