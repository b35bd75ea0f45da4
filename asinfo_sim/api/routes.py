"""The JSON API: every portal action, for scripts. Thin: parse, one domain call, JSON."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, current_app, jsonify, request

from simkit.context import act_for
from simkit.web import json_body

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


def _int_arg(name: str) -> int | None:
    value = request.args.get(name)
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise BadInput(name, "must be a number")
    return int(value)


def _date_arg(name: str) -> str | None:
    value = request.args.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise BadInput(name, "a date YYYY-MM-DD") from None


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
    return jsonify(accounts.update_account(world(), account_id(), json_body()))


@bp.get("/connections")
def list_connections():
    return jsonify({"connections": connections.list_connections(world(), account_id())})


@bp.post("/connections")
def create_connection():
    return jsonify(connections.create_connection(world(), account_id(), json_body())), 201


@bp.get("/connections/<int:cid>")
def get_connection(cid: int):
    return jsonify(connections.get_connection(world(), account_id(), cid))


@bp.patch("/connections/<int:cid>")
def patch_connection(cid: int):
    return jsonify(connections.update_connection(world(), account_id(), cid, json_body()))


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
    return jsonify({"entries": sync.sync_log(world(), account_id(), _int_arg("connectionId"))})


# --- orders and confirmation ----------------------------------------------------------------------
@bp.get("/orders")
def list_orders():
    state = request.args.get("state")
    if state is not None and state not in ("open", "cancelled", "missing"):
        raise BadInput("state", "open, cancelled or missing")
    found = orders.list_orders(world(), account_id(), _date_arg("shipDate"), state, _int_arg("connectionId"))
    return jsonify({"orders": found, "shipDates": orders.ship_dates(world(), account_id())})


@bp.get("/orders/<int:order_id>")
def get_order(order_id: int):
    return jsonify(orders.get_order(world(), account_id(), order_id))


@bp.post("/orders/<int:order_id>/confirmation")
def confirm_order(order_id: int):
    body = json_body()
    unknown = sorted(set(body) - {"boxes", "lines"})
    if unknown or len(body) != 1:
        raise BadInput(unknown[0] if unknown else "boxes", 'give "boxes": "all" | "none", or "lines": [...]')
    aid = account_id()
    confirmations.confirm_order(world(), aid, order_id, body.get("boxes", body.get("lines")))
    return jsonify(orders.get_order(world(), aid, order_id))


@bp.post("/lines/<int:line_id>/confirmation")
def confirm_line(line_id: int):
    body = json_body()
    if set(body) != {"boxes"}:
        raise BadInput("boxes", 'send {"boxes": n}: the boxes available on this line (0 to ordered)')
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
    state = request.args.get("state")
    if state is not None and state not in ("pending", "done", "refused", "cancelled"):
        raise BadInput("state", "pending, done, refused or cancelled")
    return jsonify({"items": outbox.list_outbox(world(), account_id(), state)})


@bp.delete("/outbox/<int:item_id>")
def cancel_outbox_item(item_id: int):
    return jsonify(outbox.cancel(world(), account_id(), item_id))


@bp.post("/outbox/run")
def run_outbox():
    body = json_body(optional=True)
    if set(body) - {"all"} or not isinstance(body.get("all", False), bool):
        raise BadInput("all", "true runs every pending item now, ignoring backoff")
    aid = account_id()
    done = outbox.run(world(), aid, everything=body.get("all", False))
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
    body = json_body()
    unknown = sorted(set(body) - {"prefix", "firstSerial", "count"})
    if unknown:
        raise BadInput(unknown[0], "unknown field; AWB stock has prefix, firstSerial and count")
    return jsonify(
        awbs.add_stock(world(), account_id(), body.get("prefix"), body.get("firstSerial"), body.get("count"))
    ), 201


@bp.get("/awbs")
def list_awbs():
    return jsonify({"awbs": awbs.list_awbs(world(), account_id())})


@bp.post("/awbs")
def create_awb():
    return jsonify(awbs.create_awb(world(), account_id(), json_body())), 201


@bp.get("/awbs/<int:awb_id>")
def get_awb(awb_id: int):
    return jsonify(awbs.get_awb(world(), account_id(), awb_id))


@bp.post("/awbs/<int:awb_id>/boxes")
def assign_boxes(awb_id: int):
    body = json_body()
    aid = account_id()
    if set(body) == {"orderId"} and isinstance(body["orderId"], int):
        return jsonify(awbs.assign_order(world(), aid, awb_id, body["orderId"]))
    lines = body.get("lines")
    if set(body) != {"lines"} or not isinstance(lines, list) or not lines:
        raise BadInput("lines", 'give "lines": [{"lineId": ..., "boxes": ...}] or "orderId": ...')
    items = []
    for i, entry in enumerate(lines):
        if (
            not isinstance(entry, dict)
            or set(entry) != {"lineId", "boxes"}
            or not isinstance(entry["lineId"], int)
        ):
            raise BadInput(f"lines[{i}]", 'each entry is {"lineId": <id>, "boxes": <n>}')
        items.append((entry["lineId"], entry["boxes"]))
    return jsonify(awbs.assign(world(), aid, awb_id, items))


@bp.delete("/awbs/<int:awb_id>/boxes/<code>")
def unassign_box(awb_id: int, code: str):
    return jsonify(awbs.unassign(world(), account_id(), awb_id, code))


def _selection(source) -> dict:
    """What to print: awbId (a whole AWB), lineId (one line) or boxCode (one box)."""
    sel: dict = {"awb_id": None, "line_id": None, "box_code": None}
    for key, name in (("awbId", "awb_id"), ("lineId", "line_id")):
        value = source.get(key)
        if value in (None, ""):
            continue
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise BadInput(key, "must be a number")
        sel[name] = value
    if source.get("boxCode"):
        if not isinstance(source["boxCode"], str):
            raise BadInput("boxCode", "a box code, as printed on its label")
        sel["box_code"] = source["boxCode"]
    return sel


@bp.get("/labels")
def preview_labels():
    """A preview: renders what a print would, without counting it as printed."""
    doc, ctype, name = printing.render(
        world(), account_id(), request.args.get("format", "pdf"), False, **_selection(request.args)
    )
    return Response(
        doc, mimetype=ctype.split(";")[0], headers={"Content-Disposition": f'inline; filename="{name}"'}
    )


@bp.post("/print-jobs")
def print_labels():
    body = json_body()
    unknown = sorted(set(body) - {"awbId", "lineId", "boxCode", "format"})
    if unknown:
        raise BadInput(unknown[0], "unknown field; print awbId, lineId or boxCode, in format pdf or zpl")
    doc, ctype, name = printing.render(
        world(), account_id(), body.get("format", "pdf"), True, **_selection(body)
    )
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
    body = json_body()
    if set(body) != {"newCode"}:
        raise BadInput("newCode", 'send {"newCode": "..."}')
    return jsonify(shipments.relabel(world(), account_id(), code, body["newCode"]))
