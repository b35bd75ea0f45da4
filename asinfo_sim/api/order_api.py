"""/api/orders and /api/lines: the POs pulled from Komet, and confirming their lines (A3)."""

from __future__ import annotations

from flask import Response, jsonify

from simkit.openapi import describe
from simkit.params import P
from simkit.web import parse_body, parse_query

from ..domain import confirmations, orders
from ..domain.errors import BadInput
from .blueprint import account_id, bp, world

ORDER_QUERY = (
    P("shipDate", "date", reason="a date YYYY-MM-DD"),
    P("state", "str", choices=("open", "cancelled", "missing")),
    P("connectionId", "int", reason="must be a number"),
)
CONFIRM_ORDER = (  # one of the two
    P("boxes", "str", choices=("all", "none")),
    P("lines", "objects", fields=(P("lineId", "int", True), P("boxes", "int", True))),
)
CONFIRM_LINE = (P("boxes", "int", True, reason="the boxes available on this line (0 to ordered)"),)


@bp.get("/orders")
@describe(query=ORDER_QUERY)
def list_orders() -> Response:
    query = parse_query(ORDER_QUERY)
    found = orders.list_orders(
        world(), account_id(), query.get("shipDate"), query.get("state"), query.get("connectionId")
    )
    return jsonify({"orders": found, "shipDates": orders.ship_dates(world(), account_id())})


@bp.get("/orders/<int:order_id>")
def get_order(order_id: int) -> Response:
    return jsonify(orders.get_order(world(), account_id(), order_id))


@bp.post("/orders/<int:order_id>/confirmation")
@describe(body=CONFIRM_ORDER)
def confirm_order(order_id: int) -> Response:
    body = parse_body(CONFIRM_ORDER)
    if len(body) != 1:
        raise BadInput("boxes", 'give "boxes": "all" | "none", or "lines": [...]')
    aid = account_id()
    confirmations.confirm_order(world(), aid, order_id, body.get("boxes", body.get("lines")))
    return jsonify(orders.get_order(world(), aid, order_id))


@bp.get("/lines/<int:line_id>")
def get_line(line_id: int) -> Response:
    return jsonify(orders.get_line(world(), account_id(), line_id))


@bp.post("/lines/<int:line_id>/confirmation")
@describe(body=CONFIRM_LINE)
def confirm_line(line_id: int) -> Response:
    boxes = parse_body(CONFIRM_LINE)["boxes"]
    aid = account_id()
    confirmations.confirm(world(), aid, [(line_id, boxes)])
    return jsonify(orders.get_line(world(), aid, line_id))


@bp.delete("/lines/<int:line_id>")
def delete_line(line_id: int) -> Response:
    aid = account_id()
    confirmations.delete_line(world(), aid, line_id)
    return jsonify(orders.get_line(world(), aid, line_id))
