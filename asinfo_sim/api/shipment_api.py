"""/api/awbs/<id>/shipment, /api/shipments and relabelling a box (A6)."""

from __future__ import annotations

from flask import Response, jsonify

from simkit.openapi import describe
from simkit.params import P
from simkit.web import parse_body

from ..domain import relabelling, shipments
from .blueprint import account_id, bp, world

RELABEL = (P("newCode", "str", True),)


@bp.post("/awbs/<int:awb_id>/shipment")
def ship(awb_id: int) -> tuple[Response, int]:
    made = shipments.ship_awb(world(), account_id(), awb_id)
    return jsonify(made), 201 if made["state"] in ("shipped", "partial", "refused") else 202


@bp.get("/shipments")
def list_shipments() -> Response:
    return jsonify({"shipments": shipments.list_shipments(world(), account_id())})


@bp.get("/shipments/<int:shipment_id>")
def get_shipment(shipment_id: int) -> Response:
    return jsonify(shipments.get_shipment(world(), account_id(), shipment_id))


@bp.post("/boxes/<code>/relabel")
@describe(body=RELABEL)
def relabel(code: str) -> Response:
    new_code = parse_body(RELABEL)["newCode"]
    return jsonify(relabelling.relabel(world(), account_id(), code, new_code))
