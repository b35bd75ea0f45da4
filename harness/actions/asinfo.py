"""asinfo.*: what the grower does in its ASINFO portal (connect, sync, confirm, AWB, labels, ship...)
and queries of what ASINFO shows."""

from __future__ import annotations

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
    ctx.topo.align_grower_clock()  # the new account's clock starts where this scenario's Komet clock is
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
    if "vendor" in a:
        vendor = ctx.vendor(a["vendor"])
    else:
        vendor = ctx.vendor({"id": token["vendorId"]} if token.get("vendorId") else 0)
    account = ensure_account(ctx, vendor)
    connection = call(
        ctx.asinfo.connect,
        a.get("kometUrl", ctx.topo.komet_url),
        token["token"],
        a.get("companyId", ctx.company.get("companyId")),
        name=ctx.company.get("companyName", "Importer"),
        customer_id=a.get("customerId"),
        sync_days=a.get("syncDays"),
        background=False,  # a scenario syncs and retries when its steps say so, never behind them
    )
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
    connection = call(ctx.asinfo.update_connection, _connection(ctx)["id"], **body)
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
    return call(ctx.asinfo.delete_line, line["id"])


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
    extra = {k: a[k] for k in ("hawb", "cargoAgency", "origin", "destination") if k in a}
    return call(
        ctx.asinfo.create_awb,
        _connection(ctx)["id"],
        ctx.date(a.get("shipDate"), default_date),
        airline=None if "number" in a else str(a.get("airline", "729")).zfill(3),
        number=a.get("number"),
        **extra,
    )


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
            items.append((line["id"], spec.get("boxes", free)))
        return call(ctx.asinfo.assign, awb["id"], items)
    if "po" not in a:
        raise StepError("give po: (all its confirmed boxes) or lines: [...]")
    return call(ctx.asinfo.assign_order, awb["id"], ctx.asinfo_order(a["po"])["id"])


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
        result = call(ctx.asinfo.unassign, awb["id"], code)
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
    saved = ctx.labels.save(document, fmt) if ctx.labels else None
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
    return call(ctx.asinfo.relabel, a["box"], a["newCode"])


@action(
    "asinfo.settings",
    obj({"boxCodePattern": STR, "name": STR, "origin": STR}),
    "the grower account's settings",
)
def settings(ctx, a):
    return call(ctx.asinfo.update_account, **a)


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
    return call(ctx.asinfo.outbox)


@action("asinfo.sync_log", obj(), "the sync log, newest first")
def sync_log(ctx, a):
    return call(ctx.asinfo.sync_log)
