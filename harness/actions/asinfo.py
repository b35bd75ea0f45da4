"""asinfo.*: what the grower does (connect, sync, confirm, AWB, labels, ship...) and queries of what the
grower shows. Each step resolves its references on Komet's side (a PO number, a poItemId, an AWB number) and
calls one operation of the grower adapter (harness.grower): ASINFO by default, or the user's own system."""

from __future__ import annotations

from ..context import StepError, call
from . import DATE, INT, LINE, PO, REF, STR, action, obj, typed

BOXES = typed({"anyOf": [{"type": "integer", "minimum": 0}, {"enum": ["all", "none"]}]})


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
    if "vendor" in a:
        vendor = ctx.vendor(a["vendor"])
    else:
        vendor = ctx.vendor({"id": token["vendorId"]} if token.get("vendorId") else 0)
    connection = call(
        ctx.adapter.connect,
        a.get("kometUrl", ctx.topo.komet_url),
        token["token"],
        a.get("companyId", ctx.company.get("companyId")),
        company_name=ctx.company.get("companyName", "Importer"),
        vendor=vendor,
        sync_days=a.get("syncDays"),
        customer_id=a.get("customerId"),
    )
    account = getattr(ctx.adapter, "account", None)  # ASINFO's: the invariants read its state
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
    _connection(ctx)
    body = {k: v for k, v in a.items() if k != "token"}
    if "token" in a:
        token = ctx.token(a["token"])
        body["token"] = token["token"]
        ctx.grower["token"] = token
    elif "kometUrl" in a and ctx.grower.get("token"):
        body["token"] = ctx.grower["token"]["token"]  # a grower moving the URL types the token again (A1)
    connection = call(ctx.adapter.update_connection, **body)
    ctx.grower["connection"] = connection
    return connection


@action("asinfo.test_connection", obj(), "Test connection: one cheap call; what is wrong, in words")
def test_connection(ctx, a):
    _connection(ctx)
    return call(ctx.adapter.test_connection)


@action(
    "asinfo.sync",
    obj(),
    "Sync now: pull the ship-date window from Komet (refused with the reason if Komet fails)",
)
def sync(ctx, a):
    _connection(ctx)
    return call(ctx.adapter.sync)


@action(
    "asinfo.confirm",
    obj({**PO, "line": REF, "boxes": BOXES}, required=("po", "boxes")),
    "confirm available boxes: one line (line + boxes) or a whole PO (boxes: all | none)",
)
def confirm(ctx, a):
    if "line" in a:
        if not isinstance(a["boxes"], int):
            raise StepError("a single line takes a number of boxes")
        return call(ctx.adapter.confirm_line, *ctx.line_ref(a["po"], a["line"]), a["boxes"])
    if isinstance(a["boxes"], int):
        raise StepError("a whole PO takes boxes: all or boxes: none (or give line:)")
    return call(ctx.adapter.confirm_order, ctx.po_number(a["po"]), a["boxes"])


@action("asinfo.delete_line", obj(LINE, required=("po", "line")), "the grower deletes a line it cannot fill")
def delete_line(ctx, a):
    return call(ctx.adapter.delete_line, *ctx.line_ref(a["po"], a["line"]))


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
        ctx.komet_po(a["po"])["shipDate"] if "po" in a else (ctx.company.get("shipDates") or [None])[0]
    )
    _connection(ctx)
    extra = {k: a[k] for k in ("hawb", "cargoAgency", "origin", "destination") if k in a}
    awb = call(
        ctx.adapter.create_awb,
        ctx.date(a.get("shipDate"), default_date),
        airline=None if "number" in a else str(a.get("airline", "729")).zfill(3),
        number=a.get("number"),
        **extra,
    )
    ctx.awbs.append(str(awb["number"]))
    return awb


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
    awb = ctx.awb_number(a["awb"])
    if "lines" in a:
        lines = [(*ctx.line_ref(spec["po"], spec["line"]), spec.get("boxes")) for spec in a["lines"]]
        return call(ctx.adapter.assign_boxes, awb, lines=lines)
    if "po" not in a:
        raise StepError("give po: (all its confirmed boxes) or lines: [...]")
    return call(ctx.adapter.assign_boxes, awb, po=ctx.po_number(a["po"]))


@action(
    "asinfo.unassign_boxes",
    obj({"awb": REF, "boxCode": STR, **LINE}, required=("awb",)),
    "take unshipped boxes off an AWB: one box (box: code) or every unshipped box of a line (po + line)",
)
def unassign_boxes(ctx, a):
    awb = ctx.awb_number(a["awb"])
    if "boxCode" in a:
        return call(ctx.adapter.unassign_boxes, awb, box=a["boxCode"])
    if "line" in a:
        return call(ctx.adapter.unassign_boxes, awb, line=ctx.line_ref(a.get("po"), a["line"]))
    raise StepError("take what off? give boxCode: <code>, or po: + line:")


@action(
    "asinfo.print_labels",
    obj({"awb": REF, "po": REF, "line": REF, "boxCode": STR, "format": {"enum": ["pdf", "zpl"]}}),
    "print labels (PDF or ZPL) of a whole AWB, one line (po + line) or one box",
)
def print_labels(ctx, a):
    fmt = a.get("format", "pdf")
    if "awb" in a:
        selection: dict = {"awb": ctx.awb_number(a["awb"])}
    elif "line" in a:
        selection = {"line": ctx.line_ref(a.get("po"), a["line"])}
    elif "boxCode" in a:
        selection = {"box": a["boxCode"]}
    else:
        raise StepError("print what? give awb:, po: + line:, or boxCode:")
    printed = call(ctx.adapter.print_labels, fmt, **selection)
    document = printed.document
    text = document.decode("utf-8", "replace") if fmt == "zpl" else ""
    labels = (
        text.count("^XA")
        if fmt == "zpl"
        else document.count(b"/Type /Page") - document.count(b"/Type /Pages")
    )
    saved = ctx.labels.save(document, fmt) if ctx.labels else None
    return {
        "format": fmt,
        "labels": labels,
        "bytes": len(document),
        "reprint": "^FDR^FS" in text,
        "file": saved,
        "zpl": text or None,
        "boxCodes": printed.codes,
    }


@action("asinfo.ship", obj({"awb": REF}, required=("awb",)), "send the AWB's boxes to Komet (items.awb.add)")
def ship(ctx, a):
    return call(ctx.adapter.ship, ctx.awb_number(a["awb"]))


@action(
    "asinfo.retry",
    obj({"due": {"type": "boolean"}}),
    "deliver what waits in the outbox now (due: true respects the backoff instead)",
)
def retry(ctx, a):
    return call(ctx.adapter.retry, a.get("due", False))


@action(
    "asinfo.relabel",
    obj({"boxCode": STR, "newBoxCode": STR}, required=("boxCode", "newBoxCode")),
    "change a box code (sent to Komet with box.code.change once shipped)",
)
def relabel(ctx, a):
    return call(ctx.adapter.relabel, a["boxCode"], a["newBoxCode"])


@action(
    "asinfo.settings",
    obj({"boxCodePattern": STR, "name": STR, "origin": STR}),
    "the grower account's settings",
)
def settings(ctx, a):
    return call(ctx.adapter.settings, **a)


@action(
    "asinfo.get_order", obj(PO, required=("po",)), "a PO as ASINFO has it, with its lines and their states"
)
def get_order(ctx, a):
    return call(ctx.adapter.get_order, ctx.po_number(a["po"]))


@action("asinfo.get_line", obj(LINE, required=("po", "line")), "one line as ASINFO has it")
def get_line(ctx, a):
    return call(ctx.adapter.get_line, *ctx.line_ref(a["po"], a["line"]))


@action("asinfo.orders", obj({"shipDate": DATE}), "the orders inbox")
def orders(ctx, a):
    return call(ctx.adapter.orders, ctx.date(a["shipDate"]) if "shipDate" in a else None)


@action("asinfo.get_awb", obj({"awb": REF}, required=("awb",)), "an AWB with its boxes")
def get_awb(ctx, a):
    return call(ctx.adapter.get_awb, ctx.awb_number(a["awb"]))


@action("asinfo.shipments", obj(), "shipments: push state, attempts, per-line results")
def shipments(ctx, a):
    return call(ctx.adapter.shipments)


@action("asinfo.outbox", obj(), "the outbox: writes waiting for Komet, with attempts and errors")
def outbox(ctx, a):
    return call(ctx.adapter.outbox)


@action("asinfo.sync_log", obj(), "the sync log, newest first")
def sync_log(ctx, a):
    return call(ctx.adapter.sync_log)


@action(
    "asinfo.cancel_outbox",
    obj({"kind": {"enum": ["confirm", "delete", "ship", "box_code"]}}),
    "withdraw the newest waiting write (of a kind: confirm, delete, ship, box_code); some cannot be",
)
def cancel_outbox(ctx, a):
    return call(ctx.adapter.cancel_outbox, a.get("kind"))
