"""asinfo.*: what the grower does in its ASINFO portal (connect, sync, confirm, AWB, labels, ship...)
and queries of what ASINFO shows."""

from __future__ import annotations

import contextlib

from ..context import StepError, call
from . import DATE, INT, LINE, PO, REF, STR, action, obj, typed

BOXES = typed({"anyOf": [{"type": "integer", "minimum": 0}, {"enum": ["all", "none"]}]})


def ensure_account(ctx, vendor: dict) -> dict:
    """The grower's ASINFO account is the farm the token belongs to; made on first connect."""
    if ctx.grower and ctx.grower.get("account"):
        return ctx.grower["account"]
    account = call(
        ctx.asinfo.seed,
        seed=ctx.seed,
        reset=False,
        farmName=vendor["name"],
        farmCode=vendor["code"],
        origin=vendor.get("portOrigin", "BOG"),
    )
    ctx.asinfo.namespace = str(account["accountId"])
    if ctx.topo.mode == "live":  # the new account's clock starts where this scenario's Komet clock is
        with contextlib.suppress(Exception):  # a real Komet has no clock to follow
            now = ctx.komet.json("GET", "/__sim/clock", params={"namespace": ctx.komet.namespace})["now"]
            ctx.asinfo.json("POST", "/__sim/clock", {"set": now}, params={"namespace": ctx.asinfo.namespace})
    return account


@action(
    "asinfo.connect",
    obj(
        {
            "token": REF,
            "vendor": REF,
            "syncDays": typed(INT),
            "companyId": typed(INT),
            "kometUrl": STR,
            "customerId": STR,
        }
    ),
    "the grower adds the importer's connection: Komet URL, Vendor token, company ID",
)
def connect(ctx, a):
    token = ctx.token(a.get("token"))
    vendor = ctx.vendor(a["vendor"] if "vendor" in a else token.get("vendorId") or 0)
    account = ensure_account(ctx, vendor)
    body = {
        "name": ctx.world.get("companyName", "Importer"),
        "kometUrl": a.get("kometUrl", ctx.topo.komet_url),
        "token": token["token"],
        "companyId": a.get("companyId", ctx.world.get("companyId")),
        "background": False,
    }  # a scenario syncs and retries when its steps say so, never behind them
    for key in ("syncDays", "customerId"):
        if key in a:
            body[key] = a[key]
    connection = call(ctx.asinfo.json, "POST", "/api/connections", body)
    ctx.grower = {"vendor": vendor, "token": token, "account": account, "connection": connection}
    return connection


def _connection(ctx) -> dict:
    if not ctx.grower or not ctx.grower.get("connection"):
        raise StepError("the grower is not connected yet: add an asinfo.connect step first")
    return ctx.grower["connection"]


@action(
    "asinfo.update_connection",
    obj({"token": REF, "companyId": typed(INT), "kometUrl": STR, "syncDays": typed(INT)}),
    "edit the connection (a new token after the importer replaced it, another URL...)",
)
def update_connection(ctx, a):
    body = {k: v for k, v in a.items() if k != "token"}
    if "token" in a:
        token = ctx.token(a["token"])
        body["token"] = token["token"]
        ctx.grower["token"] = token
    connection = call(ctx.asinfo.json, "PATCH", f"/api/connections/{_connection(ctx)['id']}", body)
    ctx.grower["connection"] = connection
    return connection


@action("asinfo.test_connection", obj(), "Test connection: one cheap call; what is wrong, in words")
def test_connection(ctx, a):
    return call(ctx.asinfo.test_connection, _connection(ctx)["id"])


@action(
    "asinfo.sync",
    obj(),
    "Sync now: pull the ship-date window from Komet (refused with the reason if Komet fails)",
)
def sync(ctx, a):
    reply = call(ctx.asinfo.sync, _connection(ctx)["id"])
    return reply["syncs"][0]


@action(
    "asinfo.confirm",
    obj({**PO, "line": REF, "boxes": BOXES}, required=("po", "boxes")),
    "confirm available boxes: one line (line + boxes) or a whole PO (boxes: all | none)",
)
def confirm(ctx, a):
    if "line" in a:
        if not isinstance(a["boxes"], int):
            raise StepError("a single line takes a number of boxes")
        line = ctx.asinfo_line(a["po"], a["line"])
        return call(ctx.asinfo.confirm_line, line["id"], a["boxes"])
    if isinstance(a["boxes"], int):
        raise StepError("a whole PO takes boxes: all or boxes: none (or give line:)")
    order = ctx.asinfo_order(a["po"])
    return call(ctx.asinfo.confirm_order, order["id"], a["boxes"])


@action("asinfo.delete_line", obj(LINE, required=("po", "line")), "the grower deletes a line it cannot fill")
def delete_line(ctx, a):
    line = ctx.asinfo_line(a["po"], a["line"])
    return call(ctx.asinfo.json, "DELETE", f"/api/lines/{line['id']}")


@action(
    "asinfo.create_awb",
    obj(
        {
            "airline": typed({"type": ["string", "integer"]}),
            "number": STR,
            "hawb": STR,
            "cargoAgency": STR,
            "origin": STR,
            "destination": STR,
            "shipDate": DATE,
            "po": REF,
        }
    ),
    "a new AWB: the airline's next stock number (default 729 Avianca Cargo) or a typed number",
)
def create_awb(ctx, a):
    default_date = (
        ctx.komet_po(a["po"])["shipDate"] if "po" in a else (ctx.world.get("shipDates") or [None])[0]
    )
    body = {"connectionId": _connection(ctx)["id"], "shipDate": ctx.date(a.get("shipDate"), default_date)}
    if "number" in a:
        body["number"] = a["number"]
    else:
        body["airline"] = str(a.get("airline", "729")).zfill(3)
    for key in ("hawb", "cargoAgency", "origin", "destination"):
        if key in a:
            body[key] = a[key]
    return call(ctx.asinfo.json, "POST", "/api/awbs", body)


@action(
    "asinfo.assign_boxes",
    obj(
        {
            "awb": REF,
            "po": REF,
            "lines": {
                "type": "array",
                "minItems": 1,
                "items": obj(
                    {**LINE, "boxes": typed({"type": "integer", "minimum": 1})}, required=("po", "line")
                ),
            },
        },
        required=("awb",),
    ),
    "put confirmed boxes on an AWB: every confirmed box of a PO (po:), or some lines (lines: [{po, line, boxes}])",
)
def assign_boxes(ctx, a):
    awb = ctx.awb(a["awb"])
    if "lines" in a:
        items = []
        for spec in a["lines"]:
            line = ctx.asinfo_line(spec["po"], spec["line"])
            free = (line["confirmed"] or 0) - line["assigned"]
            items.append({"lineId": line["id"], "boxes": spec.get("boxes", free)})
        return call(ctx.asinfo.json, "POST", f"/api/awbs/{awb['id']}/boxes", {"lines": items})
    if "po" not in a:
        raise StepError("give po: (all its confirmed boxes) or lines: [...]")
    order = ctx.asinfo_order(a["po"])
    return call(ctx.asinfo.json, "POST", f"/api/awbs/{awb['id']}/boxes", {"orderId": order["id"]})


@action(
    "asinfo.unassign_boxes",
    obj({"awb": REF, "box": STR, **LINE}, required=("awb",)),
    "take unshipped boxes off an AWB: one box (box: code) or every unshipped box of a line (po + line)",
)
def unassign_boxes(ctx, a):
    awb = ctx.awb(a["awb"])
    if "box" in a:
        codes = [a["box"]]
    elif "line" in a:
        line = ctx.asinfo_line(a.get("po"), a["line"])
        codes = [b["code"] for b in awb["boxes"] if b["lineId"] == line["id"] and b["state"] != "shipped"]
        if not codes:
            raise StepError(f"AWB {awb['number']} has no unshipped box of line {line['poItemId']}")
    else:
        raise StepError("take what off? give box: <code>, or po: + line:")
    result = awb
    for code in codes:
        result = call(ctx.asinfo.json, "DELETE", f"/api/awbs/{awb['id']}/boxes/{code}")
    return result


@action(
    "asinfo.print_labels",
    obj({"awb": REF, "po": REF, "line": REF, "box": STR, "format": {"enum": ["pdf", "zpl"]}}),
    "print labels (PDF or ZPL) of a whole AWB, one line (po + line) or one box",
)
def print_labels(ctx, a):
    fmt = a.get("format", "pdf")
    if "awb" in a:
        selection = {"awbId": ctx.awb(a["awb"])["id"]}
    elif "line" in a:
        selection = {"lineId": ctx.asinfo_line(a.get("po"), a["line"])["id"]}
    elif "box" in a:
        selection = {"boxCode": a["box"]}
    else:
        raise StepError("print what? give awb:, po: + line:, or box:")
    document = call(ctx.asinfo.print_labels, fmt, **selection)
    text = document.decode("utf-8", "replace") if fmt == "zpl" else ""
    labels = (
        text.count("^XA")
        if fmt == "zpl"
        else document.count(b"/Type /Page") - document.count(b"/Type /Pages")
    )
    saved = ctx.recorder.save_label(document, fmt) if ctx.recorder else None
    return {
        "format": fmt,
        "labels": labels,
        "bytes": len(document),
        "reprint": "^FDR^FS" in text,
        "file": saved,
        "zpl": text or None,
    }


@action("asinfo.ship", obj({"awb": REF}, required=("awb",)), "send the AWB's boxes to Komet (items.awb.add)")
def ship(ctx, a):
    return call(ctx.asinfo.ship, ctx.awb(a["awb"])["id"])


@action(
    "asinfo.retry",
    obj({"due": {"type": "boolean"}}),
    "deliver what waits in the outbox now (due: true respects the backoff instead)",
)
def retry(ctx, a):
    return call(ctx.asinfo.run_outbox, not a.get("due", False))


@action(
    "asinfo.relabel",
    obj({"box": STR, "newCode": STR}, required=("box", "newCode")),
    "change a box code (sent to Komet with box.code.change once shipped)",
)
def relabel(ctx, a):
    return call(ctx.asinfo.json, "POST", f"/api/boxes/{a['box']}/relabel", {"newCode": a["newCode"]})


@action(
    "asinfo.settings",
    obj({"boxCodePattern": STR, "name": STR, "origin": STR}),
    "the grower account's settings",
)
def settings(ctx, a):
    return call(ctx.asinfo.json, "PATCH", "/api/account", a)


@action(
    "asinfo.get_order", obj(PO, required=("po",)), "a PO as ASINFO has it, with its lines and their states"
)
def get_order(ctx, a):
    return ctx.asinfo_order(a["po"])


@action("asinfo.get_line", obj(LINE, required=("po", "line")), "one line as ASINFO has it")
def get_line(ctx, a):
    return ctx.asinfo_line(a["po"], a["line"])


@action("asinfo.orders", obj({"shipDate": DATE}), "the orders inbox")
def orders(ctx, a):
    return ctx.asinfo.orders(ctx.date(a["shipDate"]) if "shipDate" in a else None)


@action("asinfo.get_awb", obj({"awb": REF}, required=("awb",)), "an AWB with its boxes")
def get_awb(ctx, a):
    return ctx.awb(a["awb"])


@action("asinfo.shipments", obj(), "shipments: push state, attempts, per-line results")
def shipments(ctx, a):
    return ctx.asinfo.shipments()


@action("asinfo.outbox", obj(), "the outbox: writes waiting for Komet, with attempts and errors")
def outbox(ctx, a):
    return call(ctx.asinfo.json, "GET", "/api/outbox")["items"]


@action("asinfo.sync_log", obj(), "the sync log, newest first")
def sync_log(ctx, a):
    return call(ctx.asinfo.json, "GET", "/api/sync-log")["entries"]
