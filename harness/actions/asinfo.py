"""asinfo.*: what the grower does with its connection and its orders (connect, sync, confirm, retry...). Each step
resolves its references on Komet's side (a PO number, a poItemId) and calls one operation of the grower adapter
(harness.grower): ASINFO by default, or the user's own system. AWBs, labels and shipping are in
asinfo_shipping.py; what the grower shows, in asinfo_views.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..context import StepError, call
from . import A_PO, INT, LINE_DOC, REF, STR, TOKEN_DOC, VENDOR_DOC, Arg, Returns, action, typed
from .shapes import ASINFO_LINE, ASINFO_ORDER, CONNECTION, OUTBOX_ITEM, SYNC

if TYPE_CHECKING:
    from ..context import Ctx

BOXES = typed({"anyOf": [{"type": "integer", "minimum": 0}, {"enum": ["all", "none"]}]})
CONNECTION_EXAMPLE = {
    "id": 1,
    "companyId": 2870,
    "kometUrl": "http://komet.kasim.test",
    "status": "untested",
    "syncDays": 7,
    "token": "qcz9…by",
}
LINE_EXAMPLE = {
    "id": 1,
    "poItemId": 265001,
    "orderedBoxes": 7,
    "confirmedBoxes": 2,
    "confirmState": "accepted",
    "kometConfirmedBoxes": 2,
    "kometStatus": "PC",
    "assignedBoxes": 0,
    "shippedBoxes": 0,
}
LINE_RETURNS = Returns("the line as ASINFO has it", ASINFO_LINE, LINE_EXAMPLE)
ORDER_RETURNS = Returns(
    "the order with its lines",
    ASINFO_ORDER,
    {
        "number": "10001",
        "state": "open",
        "orderedBoxes": 17,
        "confirmedBoxes": 0,
        "confirmations": {"none": 2},
        "lines": [LINE_EXAMPLE],
    },
)
SYNC_RETURNS = Returns(
    "the sync's entry in the sync log",
    SYNC,
    {
        "result": "ok",
        "counts": {"newOrders": 1, "newLines": 2, "changed": 0, "cancelled": 0, "split": 0, "missing": 0},
        "changes": ["new PO 10001 (2026-11-27)"],
        "error": "",
    },
)


@action(
    "asinfo.connect",
    "the grower adds the importer's connection: Komet URL, Vendor token, company ID (world: grower: connected "
    "does this for you)",
    {
        "token": Arg(REF, TOKEN_DOC, default="the last token made"),
        "vendor": Arg(REF, VENDOR_DOC + ": whose farm the grower is", default="the token's vendor"),
        "syncDays": Arg(typed(INT), "how many ship dates ahead a sync reads", default="7"),
        "companyId": Arg(typed(INT), "the importer's company ID", default="the world's"),
        "kometUrl": Arg(STR, "the Komet to talk to", default="the scenario's Komet"),
        "customerId": Arg(STR, "the importer's customer id at the grower"),
    },
    returns=Returns("the connection", CONNECTION, CONNECTION_EXAMPLE),
    refuses=(
        "the same importer (Komet URL and company ID) connected twice",
        "a company ID or URL that is not valid",
    ),
    world="""world:
  komet: {vendors: 1, shipDays: 1, posPerDay: 1, linesPerPo: 2}
  grower: token""",
    example="""
- asinfo.connect: {syncDays: 3}
  expect: {status: untested, syncDays: 3}
- asinfo.sync: {}
  expect: {result: ok}
""",
)
def connect(ctx: Ctx, a):
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


def _grower(ctx: Ctx) -> dict:
    """The connected grower (token, vendor, account, connection); refused while it is not connected."""
    if not ctx.grower or not ctx.grower.get("connection"):
        raise StepError("the grower is not connected yet: add an asinfo.connect step first")
    return ctx.grower


def _connection(ctx: Ctx) -> dict:
    return _grower(ctx)["connection"]


@action(
    "asinfo.update_connection",
    "edit the connection (a new token after the importer replaced it, another URL, another window)",
    {
        "token": Arg(REF, TOKEN_DOC),
        "companyId": Arg(typed(INT), "the importer's company ID"),
        "kometUrl": Arg(STR, "the Komet to talk to"),
        "syncDays": Arg(typed(INT), "how many ship dates ahead a sync reads"),
    },
    returns=Returns(
        "the connection (its status back to untested)", CONNECTION, {**CONNECTION_EXAMPLE, "syncDays": 14}
    ),
    refuses=("the grower is not connected yet", "a value that is not valid (syncDays out of range...)"),
    example="""
- asinfo.update_connection: {syncDays: 14}
  expect: {syncDays: 14, status: untested}
""",
)
def update_connection(ctx: Ctx, a):
    grower = _grower(ctx)
    body = {k: v for k, v in a.items() if k != "token"}
    if "token" in a:
        token = ctx.token(a["token"])
        body["token"] = token["token"]
        grower["token"] = token
    elif "kometUrl" in a and grower.get("token"):
        body["token"] = grower["token"]["token"]  # a grower moving the URL types the token again (A1)
    connection = call(ctx.adapter.update_connection, **body)
    grower["connection"] = connection
    return connection


@action(
    "asinfo.test_connection",
    "Test connection: one cheap call to Komet; what is wrong, in words",
    returns=Returns(
        "whether it worked, in words, and the connection",
        {
            "ok": "true when Komet accepted the token",
            "message": "what happened, in words",
            "connection": "the connection, as asinfo.connect returns it",
        },
        {"ok": True, "message": "Connected: Komet accepted the token.", "connection": CONNECTION_EXAMPLE},
    ),
    example="""
- asinfo.test_connection: {}
  expect: {ok: true, connection: {status: ok}}
- komet.delete_token: {}
- asinfo.test_connection: {}
  expect: {ok: false, message: {$contains: "does not recognise this token"}}
""",
)
def test_connection(ctx: Ctx, a):
    _connection(ctx)
    return call(ctx.adapter.test_connection)


@action(
    "asinfo.sync",
    "Sync now: pull the ship-date window from Komet (refused with the reason if Komet fails)",
    returns=SYNC_RETURNS,
    refuses=(
        "Komet unreachable, failing or refusing the token: the reason in words (the sync log keeps it too)",
    ),
    example="""
- komet.create_po: {lines: [{boxes: 3}]}
- asinfo.sync: {}
  expect: {result: ok, counts: {newOrders: 1, newLines: 1}}
""",
)
def sync(ctx: Ctx, a):
    _connection(ctx)
    return call(ctx.adapter.sync)


@action(
    "asinfo.confirm",
    "confirm available boxes: one line (line + boxes), or a whole PO (boxes: all | none)",
    {
        "po": A_PO,
        "line": Arg(REF, LINE_DOC + "; without it, the whole PO"),
        "boxes": Arg(
            BOXES,
            "one line: how many boxes the grower can ship (0..ordered; fewer than ordered is a partial "
            "confirmation); a whole PO: all (every line in full) or none (0 on every line)",
            required=True,
        ),
    },
    returns=Returns(
        "the line as ASINFO has it once Komet answered (a whole PO: the order, as asinfo.get_order returns it)",
        ASINFO_LINE,
        LINE_EXAMPLE,
        also=ORDER_RETURNS,
    ),
    refuses=(
        "more boxes than ordered (at most N, the boxes ordered on the line)",
        "a line shipped or cancelled",
        "a number for a whole PO, or all/none for one line",
    ),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 2}
  expect: {confirmState: accepted, confirmedBoxes: 2, kometStatus: PC}
- asinfo.confirm: {po: 0, line: 0, boxes: 99}
  refused: at most 7
""",
)
def confirm(ctx: Ctx, a):
    if "line" in a:
        if not isinstance(a["boxes"], int):
            raise StepError("a single line takes a number of boxes")
        return call(ctx.adapter.confirm_line, *ctx.line_ref(a["po"], a["line"]), a["boxes"])
    if isinstance(a["boxes"], int):
        raise StepError("a whole PO takes boxes: all or boxes: none (or give line:)")
    return call(ctx.adapter.confirm_order, ctx.po_number(a["po"]), a["boxes"])


@action(
    "asinfo.delete_line",
    "the grower deletes a line it cannot fill (purchase.order.item.delete); Komet cancels it",
    {"po": A_PO, "line": Arg(REF, LINE_DOC, required=True)},
    returns=LINE_RETURNS,
    refuses=("a line with boxes on an AWB", "a line already shipped or cancelled"),
    example="""
- asinfo.delete_line: {po: 0, line: 1}
  expect: {cancelled: true, kometStatus: X}
- komet.get_line: {po: 0, line: 1}
  expect: {lineItemStatus: X}
""",
)
def delete_line(ctx: Ctx, a):
    return call(ctx.adapter.delete_line, *ctx.line_ref(a["po"], a["line"]))


@action(
    "asinfo.retry",
    "deliver what waits in the outbox now, whatever its backoff (due: true: only what is due)",
    {"due": Arg({"type": "boolean"}, "only the writes whose backoff has passed", default="false")},
    returns=Returns(
        "what ran and what still waits",
        {
            "ran": "[{id, kind, outcome, error}]: each write tried. kind: confirm, delete, ship or box_code; "
            "outcome: done, retry (it waits again; error says why), refused (for good; error says why) or "
            "skipped (done or withdrawn meanwhile)",
            "pending": "writes still waiting",
            "nextDueInSeconds": "when the next is due, or null",
        },
        {"ran": [{"id": 1, "kind": "confirm", "outcome": "done"}], "pending": 0, "nextDueInSeconds": None},
    ),
    example="""
- fault: {kind: error, method: purchase.order.item.confirm, status: 500, times: 1}
- asinfo.confirm: {po: 0, line: 0, boxes: 1}
  expect: {confirmState: sent}
- asinfo.retry: {}
  expect: {ran: [{kind: confirm, outcome: done}], pending: 0}
""",
)
def retry(ctx: Ctx, a):
    return call(ctx.adapter.retry, a.get("due", False))


@action(
    "asinfo.settings",
    "the grower account's settings",
    {
        "boxCodePattern": Arg(
            STR, "how box codes are made: {farm} and {seq} (e.g. {farm}{seq:07d}); letters and digits only"
        ),
        "name": Arg(STR, "the farm's name (on the labels)"),
        "origin": Arg(STR, "the airport the farm ships from"),
    },
    returns=Returns(
        "the grower's account",
        {
            "accountId": "the account's id",
            "name": "the farm's name",
            "farmCode": "the farm's code (the {farm} of box codes)",
            "country": "the farm's country",
            "origin": "the airport it ships from",
            "boxCodePattern": "how box codes are made",
            "createdOn": "when the account was made",
        },
        {
            "accountId": 501,
            "name": "Hacienda El Rosal S.A.S.",
            "farmCode": "HER",
            "boxCodePattern": "{farm}{seq:06d}",
        },
    ),
    refuses=("a box code pattern without {seq}",),
    example="""
- asinfo.settings: {boxCodePattern: "{farm}{seq:06d}"}
- asinfo.confirm: {po: 0, line: 0, boxes: 1}
- include: fragments/ship-po.yaml
- asinfo.get_awb: {awb: "${awb}"}
  expect: {boxes: [{boxCode: {$regex: "^[A-Z]+[0-9]{6}$"}}]}
""",
)
def settings(ctx: Ctx, a):
    return call(ctx.adapter.settings, **a)


@action(
    "asinfo.cancel_outbox",
    "withdraw the newest waiting write to Komet (of one kind); some cannot be withdrawn",
    {
        "kind": Arg(
            {"enum": ["confirm", "delete", "ship", "box_code"]},
            "only a write of this kind: confirm, delete, ship or box_code",
            default="any kind",
        )
    },
    returns=Returns(
        "the write withdrawn, as asinfo.outbox lists it",
        OUTBOX_ITEM,
        {"kind": "confirm", "state": "cancelled", "attempts": 1},
    ),
    refuses=("no waiting write (of that kind)", "a write Komet may already have done (its reply was lost)"),
    example="""
- fault: {kind: error, method: purchase.order.item.confirm, status: 500}
- asinfo.confirm: {po: 0, line: 0, boxes: 1}
- asinfo.cancel_outbox: {kind: confirm}
  expect: {kind: confirm, state: cancelled}
- clear_faults: {}
""",
)
def cancel_outbox(ctx: Ctx, a):
    return call(ctx.adapter.cancel_outbox, a.get("kind"))
