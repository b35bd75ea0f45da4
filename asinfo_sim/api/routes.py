"""The JSON API: every portal action, for scripts. Thin: parse, one domain call, JSON."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from simkit.context import act_for
from simkit.params import P, snake
from simkit.web import parse_body, parse_query

from ..domain import accounts, awbs, confirmations, connections, orders, outbox, printing, shipments, sync
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


ORDER_QUERY = (
    P("shipDate", "date", reason="a date YYYY-MM-DD"),
    P("state", "str", choices=("open", "cancelled", "missing")),
    P("connectionId", "int", reason="must be a number"),
)
SYNC_LOG_QUERY = (P("connectionId", "int", reason="must be a number"),)
CONFIRM_ORDER = (
    P("boxes", "str", choices=("all", "none")),
    P("lines", "objects", fields=(P("lineId", "int", True), P("boxes", "int", True))),
)
CONFIRM_LINE = (P("boxes", "int", True, reason="the boxes available on this line (0 to ordered)"),)
OUTBOX_QUERY = (P("state", "str", choices=("pending", "done", "refused", "cancelled")),)
OUTBOX_RUN = (P("all", "bool", default=False, reason="true runs every pending item now, ignoring backoff"),)
RELABEL = (P("newCode", "str", True),)


@bp.before_request
def name_operation() -> None:
    """The journal and fault rules name each call by its operation (the endpoint's function name)."""
    request.environ["kasim.op"] = (request.endpoint or "").rsplit(".", 1)[-1] or None


@bp.errorhandler(BadInput)
def bad_input(exc: BadInput):
    return jsonify(exc.to_json()), HTTP_STATUS.get(exc.code, 400)


# --- account and connections ----------------------------------------------------------------------
@bp.get("/account")
def get_account():
    return jsonify(accounts.get_account(world(), account_id()))


@bp.patch("/account")
def patch_account():
    changes = parse_body(accounts.ACCOUNT_CHANGES, partial=True)
    return jsonify(accounts.update_account(world(), account_id(), **snake(changes)))


@bp.get("/connections")
def list_connections():
    return jsonify({"connections": connections.list_connections(world(), account_id())})


@bp.post("/connections")
def create_connection():
    values = parse_body(connections.CONNECTION)
    return jsonify(connections.create_connection(world(), account_id(), **snake(values))), 201


@bp.get("/connections/<int:cid>")
def get_connection(cid: int):
    return jsonify(connections.get_connection(world(), account_id(), cid))


@bp.patch("/connections/<int:cid>")
def patch_connection(cid: int):
    changes = parse_body(connections.CONNECTION, partial=True)
    return jsonify(connections.update_connection(world(), account_id(), cid, **snake(changes)))


@bp.delete("/connections/<int:cid>")
def delete_connection(cid: int):
    return jsonify(connections.delete_connection(world(), account_id(), cid))


@bp.post("/connections/<int:cid>/test")
def test_connection(cid: int):
    return jsonify(connections.test_connection(world(), account_id(), cid))


@bp.post("/connections/<int:cid>/sync")
def sync_connection(cid: int):
    entry = sync.sync_connection(world(), account_id(), cid)
    return _sync_answer([entry])


@bp.post("/sync")
def sync_all():
    return _sync_answer(sync.sync_account(world(), account_id()))


def _sync_answer(entries: list[dict]):
    failed = [e for e in entries if e["result"] == "error"]
    if failed:
        body = {
            "error": {"code": "komet_unavailable", "message": failed[0]["error"], "field": None},
            "syncs": entries,
        }
        return jsonify(body), 502
    return jsonify({"syncs": entries})


@bp.get("/sync-log")
def get_sync_log():
    connection_id = parse_query(SYNC_LOG_QUERY).get("connectionId")
    return jsonify({"entries": sync.sync_log(world(), account_id(), connection_id)})


# --- orders and confirmation ----------------------------------------------------------------------
@bp.get("/orders")
def list_orders():
    query = parse_query(ORDER_QUERY)
    found = orders.list_orders(
        world(), account_id(), query.get("shipDate"), query.get("state"), query.get("connectionId")
    )
    return jsonify({"orders": found, "shipDates": orders.ship_dates(world(), account_id())})


@bp.get("/orders/<int:order_id>")
def get_order(order_id: int):
    return jsonify(orders.get_order(world(), account_id(), order_id))


@bp.post("/orders/<int:order_id>/confirmation")
def confirm_order(order_id: int):
    body = parse_body(CONFIRM_ORDER)
    if len(body) != 1:
        raise BadInput("boxes", 'give "boxes": "all" | "none", or "lines": [...]')
    aid = account_id()
    confirmations.confirm_order(world(), aid, order_id, body.get("boxes", body.get("lines")))
    return jsonify(orders.get_order(world(), aid, order_id))


@bp.post("/lines/<int:line_id>/confirmation")
def confirm_line(line_id: int):
    body = parse_body(CONFIRM_LINE)
    aid = account_id()
    confirmations.confirm(world(), aid, [(line_id, body["boxes"])])
    return jsonify(_line(aid, line_id))


def _line(aid: int, line_id: int) -> dict:
    with world().store.read() as c:
        row = confirmations.get_line(c, aid, line_id)
    order = orders.get_order(world(), aid, row["order_id"])
    return next(ln for ln in order["lines"] if ln["id"] == line_id)


@bp.get("/lines/<int:line_id>")
def get_line(line_id: int):
    return jsonify(_line(account_id(), line_id))


@bp.delete("/lines/<int:line_id>")
def delete_line(line_id: int):
    aid = account_id()
    confirmations.delete_line(world(), aid, line_id)
    return jsonify(_line(aid, line_id))


@bp.get("/outbox")
def get_outbox():
    state = parse_query(OUTBOX_QUERY).get("state")
    return jsonify({"items": outbox.list_outbox(world(), account_id(), state)})


@bp.delete("/outbox/<int:item_id>")
def cancel_outbox_item(item_id: int):
    return jsonify(outbox.cancel(world(), account_id(), item_id))


@bp.post("/outbox/run")
def run_outbox():
    everything = parse_body(OUTBOX_RUN, optional=True)["all"]
    aid = account_id()
    done = outbox.run(world(), aid, everything=everything)
    return jsonify(
        {
            "ran": done,
            "pending": len(outbox.list_outbox(world(), aid, "pending")),
            "nextDueInSeconds": outbox.due_in(world(), aid),
        }
    )


# --- AWBs, labels, shipments ------------------------------------------------------------------------
@bp.get("/airlines")
def get_airlines():
    return jsonify({"airlines": awbs.airlines(world(), account_id())})


@bp.post("/awb-stock")
def add_stock():
    stock = parse_body(awbs.STOCK)
    made = awbs.add_stock(world(), account_id(), stock["prefix"], stock["firstSerial"], stock["count"])
    return jsonify(made), 201


@bp.get("/awbs")
def list_awbs():
    return jsonify({"awbs": awbs.list_awbs(world(), account_id())})


@bp.post("/awbs")
def create_awb():
    values = parse_body(awbs.NEW_AWB)
    return jsonify(awbs.create_awb(world(), account_id(), **snake(values))), 201


@bp.get("/awbs/<int:awb_id>")
def get_awb(awb_id: int):
    return jsonify(awbs.get_awb(world(), account_id(), awb_id))


@bp.post("/awbs/<int:awb_id>/boxes")
def assign_boxes(awb_id: int):
    body = parse_body(awbs.ASSIGN)
    if len(body) != 1:
        raise BadInput("lines", 'give "lines": [{"lineId": ..., "boxes": ...}] or "orderId": ...')
    aid = account_id()
    if "orderId" in body:
        return jsonify(awbs.assign_order(world(), aid, awb_id, body["orderId"]))
    items = [(entry["lineId"], entry["boxes"]) for entry in body["lines"]]
    return jsonify(awbs.assign(world(), aid, awb_id, items))


@bp.delete("/awbs/<int:awb_id>/boxes/<code>")
def unassign_box(awb_id: int, code: str):
    return jsonify(awbs.unassign(world(), account_id(), awb_id, code))


@bp.get("/labels")
def preview_labels():
    """A preview: renders what a print would, without counting it as printed."""
    query = parse_query(printing.PRINT)
    doc, ctype, name = printing.render(
        world(), account_id(), query["format"], False, **printing.chosen(query)
    )
    return Response(
        doc, mimetype=ctype.split(";")[0], headers={"Content-Disposition": f'inline; filename="{name}"'}
    )


@bp.post("/print-jobs")
def print_labels():
    body = parse_body(printing.PRINT)
    doc, ctype, name = printing.render(world(), account_id(), body["format"], True, **printing.chosen(body))
    return Response(
        doc, mimetype=ctype.split(";")[0], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.post("/awbs/<int:awb_id>/shipment")
def ship(awb_id: int):
    made = shipments.ship_awb(world(), account_id(), awb_id)
    return jsonify(made), 201 if made["state"] in ("shipped", "partial", "refused") else 202


@bp.get("/shipments")
def list_shipments():
    return jsonify({"shipments": shipments.list_shipments(world(), account_id())})


@bp.get("/shipments/<int:shipment_id>")
def get_shipment(shipment_id: int):
    return jsonify(shipments.get_shipment(world(), account_id(), shipment_id))


@bp.post("/boxes/<code>/relabel")
def relabel(code: str):
    new_code = parse_body(RELABEL)["newCode"]
    return jsonify(shipments.relabel(world(), account_id(), code, new_code))
