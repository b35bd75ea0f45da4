"""komet.vendor_*: what a vendor does itself in Komet's vendor portal (its own token, Confirm POs), as its login at
the scenario's importer (docs/decisions.md K24–K27)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..context import call
from . import A_LINE, A_PO, DATE, PO_DOC, REF, STR, TOKEN_DOC, VENDOR_DOC, Arg, Returns, action, typed
from .komet import PO_EXAMPLE
from .komet_setup import A_METHODS
from .shapes import KOMET_PO, TOKEN

if TYPE_CHECKING:
    from ..context import Ctx

A_VENDOR = Arg(REF, VENDOR_DOC, default="the grower's vendor")
SEARCH = {
    "vendor": A_VENDOR,
    "shipDate": Arg(DATE, "only POs of this ship date (YYYY-MM-DD, today, +Nd)", default="every ship date"),
    "po": Arg(REF, "only this PO: " + PO_DOC),
    "status": Arg({"enum": ["P", "PC", "C", "S"]}, "only POs with lines in this status"),
}
TOKEN_RETURNS = Returns(
    "the token as the importer's Tokens list shows it",
    TOKEN,
    {
        "id": 2,
        "type": "Vendor",
        "madeBy": "vendor",
        "madeByUser": "vendor@her3401.example",
        "sentOn": "2026-11-26T06:00:00",
    },
)
SHIPMENTS_LINE = {"poItemId": 265001, "quantityConfirmed": 7, "lineItemStatus": "C"}


def _search(ctx: Ctx, a) -> dict:
    search = {}
    if "shipDate" in a:
        search["shipDate"] = ctx.date(a["shipDate"])
    if "po" in a:
        search["number"] = ctx.po_number(a["po"])
    if "status" in a:
        search["status"] = a["status"]
    return search


@action(
    "komet.vendor_create_token",
    "the vendor makes its own Vendor token in its portal and sends it to the importer; it replaces any token of "
    "that vendor, whoever made it (K25)",
    {
        "vendor": A_VENDOR,
        "methods": A_METHODS,
        "description": Arg(
            STR, "the token's description", default='"ASINFO integration (made by the vendor)"'
        ),
        "send": Arg(
            {"type": "boolean"}, "send it to the importer at once (false: keep it unsent)", default="true"
        ),
    },
    returns=TOKEN_RETURNS,
    refuses=("methods a vendor cannot grant itself (AWB lists, warehouse receipt)",),
    example="""
- komet.vendor_create_token: {}
  save: token
  expect: {madeBy: vendor, sentOn: {$type: string}, replaced: 1}
- asinfo.update_connection: {token: "${token}"}
- asinfo.sync: {}
  expect: {result: ok}
""",
)
def vendor_create_token(ctx: Ctx, a):
    vendor = ctx.vendor(a.get("vendor"))
    token = call(
        ctx.komet.vendor_create_token,
        vendor["id"],
        a.get("description", "ASINFO integration (made by the vendor)"),
        a.get("methods", "asinfo"),
    )
    if a.get("send", True):
        token = {**token, **call(ctx.komet.vendor_send_token, vendor["id"], token["id"])}
    ctx.tokens.append(token)
    return token


@action(
    "komet.vendor_send_token",
    "the vendor sends a token it made to the importer",
    {"token": Arg(REF, TOKEN_DOC, default="the last token made")},
    returns=TOKEN_RETURNS,
    refuses=("a token the vendor did not make",),
    example="""
- komet.vendor_create_token: {send: false}
  save: made
  expect: {sentOn: null}
- komet.vendor_send_token: {token: "${made}"}
  expect: {sentOn: {$type: string}}
""",
)
def vendor_send_token(ctx: Ctx, a):
    token = ctx.token(a.get("token"))
    return call(ctx.komet.vendor_send_token, token["vendorId"], token["id"])


@action(
    "komet.vendor_revoke_token",
    "the vendor revokes a token it made; it fails at once for whoever holds it",
    {"token": Arg(REF, TOKEN_DOC, default="the grower's token")},
    returns=Returns("how many tokens were revoked", {"deleted": "1"}, {"deleted": 1}),
    refuses=("a token the vendor did not make (the importer's)",),
    example="""
- komet.vendor_create_token: {}
  save: token
- asinfo.update_connection: {token: "${token}"}
- komet.vendor_revoke_token: {}
- asinfo.sync: {}
  refused: does not recognise this token
""",
)
def vendor_revoke_token(ctx: Ctx, a):
    token = ctx.token(a.get("token"))
    return call(ctx.komet.vendor_revoke_token, token["vendorId"], token["id"])


@action(
    "komet.vendor_tokens",
    "the tokens the vendor sees in its portal (its own and the importer's, shortened)",
    {"vendor": A_VENDOR},
    returns=Returns(
        "a list of tokens (the text shortened)",
        {f"[].{k}": v for k, v in TOKEN.items() if not k.endswith("?")},
        [{"id": 1, "type": "Vendor", "madeBy": "importer", "token": "qcz9…"}],
    ),
    example="""
- komet.vendor_tokens: {}
  expect: [{madeBy: importer, token: {$regex: "…$"}}]
""",
)
def vendor_tokens(ctx: Ctx, a):
    return call(ctx.komet.vendor_tokens, ctx.vendor(a.get("vendor"))["id"])


@action(
    "komet.vendor_purchase_orders",
    "Confirm POs: the POs a vendor's search finds",
    SEARCH,
    returns=Returns(
        "a list of POs, each as komet.get_po returns it",
        {f"[].{k}": v for k, v in KOMET_PO.items()},
        [PO_EXAMPLE],
    ),
    example="""
- komet.vendor_purchase_orders: {status: P}
  expect: {$len: 1, $each: {vendorId: "${grower.vendor.id}"}}
""",
)
def vendor_purchase_orders(ctx: Ctx, a):
    return call(ctx.komet.vendor_purchase_orders, ctx.vendor(a.get("vendor"))["id"], **_search(ctx, a))


@action(
    "komet.vendor_confirm",
    "the vendor types To Confirm on one line in Komet's vendor portal (fewer than ordered: partly confirmed)",
    {
        "po": A_PO,
        "line": A_LINE,
        "boxes": Arg(typed({"type": "integer", "minimum": 0}), "boxes confirmed", required=True),
    },
    returns=Returns(
        "the line's new state",
        {
            "poItemId": "the line",
            "quantityConfirmed": "boxes confirmed",
            "lineItemStatus": "PC or C (P for 0)",
        },
        {"poItemId": 265001, "quantityConfirmed": 1, "lineItemStatus": "PC"},
    ),
    refuses=("more boxes than ordered", "a shipped or cancelled line"),
    example="""
- komet.vendor_confirm: {po: 0, line: 0, boxes: 1}
  expect: {lineItemStatus: PC}
- komet.confirmations: {po: 0, line: 0, last: true}
  expect: {via: portal}
""",
)
def vendor_confirm(ctx: Ctx, a):
    po = ctx.komet_po(a["po"])
    line = ctx.komet_line(a["po"], a["line"])
    return call(ctx.komet.vendor_confirm, int(po["vendorId"]), line["poItemId"], a["boxes"])


@action(
    "komet.vendor_confirm_shipments",
    "Confirm Shipments: every Pending line of the POs the vendor's search finds, in full (a partial count stays)",
    SEARCH,
    returns=Returns(
        "what was confirmed and what was refused",
        {"confirmed": "[{poItemId, quantityConfirmed, lineItemStatus}]", "refused": "[{poItemId, message}]"},
        {"confirmed": [SHIPMENTS_LINE], "refused": []},
    ),
    example="""
- komet.vendor_confirm_shipments: {}
  expect: {confirmed: {$len: 2, $each: {lineItemStatus: C}}, refused: []}
- asinfo.sync: {}
  expect: {result: ok, changes: {$contains: {$contains: "confirm here too"}}}
""",
)
def vendor_confirm_shipments(ctx: Ctx, a):
    return call(ctx.komet.vendor_confirm_shipments, ctx.vendor(a.get("vendor"))["id"], **_search(ctx, a))
