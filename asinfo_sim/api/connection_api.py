"""/api/connections: the importers this farm sells to; Test connection; Sync now (one, or all)."""

from __future__ import annotations

from flask import Response, jsonify

from simkit.openapi import ERROR, describe
from simkit.params import snake
from simkit.web import parse_body

from ..domain import connections, sync
from .blueprint import account_id, bp, world

# A sync that could not read Komet: the error, and what each connection's sync did.
SYNC_FAILED = {**ERROR, "properties": {**ERROR["properties"], "syncs": {"type": "array"}}}


@bp.get("/connections")
def list_connections() -> Response:
    return jsonify({"connections": connections.list_connections(world(), account_id())})


@bp.post("/connections")
@describe(body=connections.CONNECTION)
def create_connection() -> tuple[Response, int]:
    values = parse_body(connections.CONNECTION)
    return jsonify(connections.create_connection(world(), account_id(), **snake(values))), 201


@bp.get("/connections/<int:cid>")
def get_connection(cid: int) -> Response:
    return jsonify(connections.get_connection(world(), account_id(), cid))


@bp.patch("/connections/<int:cid>")
@describe(body=connections.CONNECTION, partial=True)
def patch_connection(cid: int) -> Response:
    changes = parse_body(connections.CONNECTION, partial=True)
    return jsonify(connections.update_connection(world(), account_id(), cid, **snake(changes)))


@bp.delete("/connections/<int:cid>")
def delete_connection(cid: int) -> Response:
    return jsonify(connections.delete_connection(world(), account_id(), cid))


@bp.post("/connections/<int:cid>/test")
def test_connection(cid: int) -> Response:
    return jsonify(connections.test_connection(world(), account_id(), cid))


@bp.post("/connections/<int:cid>/sync")
@describe(errors={"502": SYNC_FAILED})
def sync_connection(cid: int) -> Response | tuple[Response, int]:
    return _sync_answer([sync.sync_connection(world(), account_id(), cid)])


@bp.post("/sync")
@describe(errors={"502": SYNC_FAILED})
def sync_all() -> Response | tuple[Response, int]:
    return _sync_answer(sync.sync_account(world(), account_id()))


def _sync_answer(entries: list[dict]) -> Response | tuple[Response, int]:
    """A sync that could not reach Komet is a 502 naming why, with every connection's entry."""
    failed = [e for e in entries if e["result"] == "error"]
    if failed:
        body = {
            "error": {"code": "komet_unavailable", "message": failed[0]["error"], "field": None},
            "syncs": entries,
        }
        return jsonify(body), 502
    return jsonify({"syncs": entries})
