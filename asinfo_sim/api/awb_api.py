"""/api/airlines, /api/awb-stock, /api/awbs and their boxes (A4)."""

from __future__ import annotations

from flask import Response, jsonify

from simkit.openapi import describe
from simkit.params import snake
from simkit.web import parse_body

from ..domain import awbs
from ..domain.errors import BadInput
from .blueprint import account_id, bp, world


@bp.get("/airlines")
def get_airlines() -> Response:
    return jsonify({"airlines": awbs.airlines(world(), account_id())})


@bp.get("/awb-stock")
def list_stock() -> Response:
    return jsonify({"stock": awbs.list_stock(world(), account_id())})


@bp.post("/awb-stock")
@describe(body=awbs.STOCK)
def add_stock() -> tuple[Response, int]:
    stock = parse_body(awbs.STOCK)
    made = awbs.add_stock(world(), account_id(), stock["prefix"], stock["firstSerial"], stock["count"])
    return jsonify(made), 201


@bp.get("/awbs")
def list_awbs() -> Response:
    return jsonify({"awbs": awbs.list_awbs(world(), account_id())})


@bp.post("/awbs")
@describe(body=awbs.NEW_AWB, status=201, links={"GetAwb": ("asinfo_api.get_awb.get", "awb_id")})
def create_awb() -> tuple[Response, int]:
    values = parse_body(awbs.NEW_AWB)
    return jsonify(awbs.create_awb(world(), account_id(), **snake(values))), 201


@bp.get("/awbs/<int:awb_id>")
def get_awb(awb_id: int) -> Response:
    return jsonify(awbs.get_awb(world(), account_id(), awb_id))


@bp.post("/awbs/<int:awb_id>/boxes")
@describe(body=awbs.ASSIGN)
def assign_boxes(awb_id: int) -> Response:
    body = parse_body(awbs.ASSIGN)
    if len(body) != 1:
        raise BadInput("lines", 'give "lines": [{"lineId": ..., "boxes": ...}] or "orderId": ...')
    aid = account_id()
    if "orderId" in body:
        return jsonify(awbs.assign_order(world(), aid, awb_id, body["orderId"]))
    items = [(entry["lineId"], entry["boxes"]) for entry in body["lines"]]
    return jsonify(awbs.assign(world(), aid, awb_id, items))


@bp.delete("/awbs/<int:awb_id>/boxes/<code>")
def unassign_box(awb_id: int, code: str) -> Response:
    return jsonify(awbs.unassign(world(), account_id(), awb_id, code))
