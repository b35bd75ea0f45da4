"""/api/sync-log: what each sync pulled, changed or failed on."""

from __future__ import annotations

from flask import Response, jsonify

from simkit.openapi import describe
from simkit.params import P
from simkit.web import parse_query

from ..domain import sync_log
from .blueprint import account_id, bp, world

SYNC_LOG_QUERY = (P("connectionId", "int", reason="must be a number"),)


@bp.get("/sync-log")
@describe(query=SYNC_LOG_QUERY)
def get_sync_log() -> Response:
    connection_id = parse_query(SYNC_LOG_QUERY).get("connectionId")
    return jsonify({"entries": sync_log.sync_log(world(), account_id(), connection_id)})
