"""komet.vendor_*: what a vendor does itself in Komet's vendor portal (its own token, Confirm POs), as its login at
the scenario's importer; and komet.confirmations: who confirmed a line and where, as the importer sees it
(docs/decisions.md K24–K27)."""

from __future__ import annotations

from ..context import call
from . import DATE, LINE, PO, REF, STR, action, obj, typed
from .komet import METHODS

SEARCH = {"vendor": REF, "shipDate": DATE, "po": REF, "status": {"enum": ["P", "PC", "C", "S"]}}


def _search(ctx, a) -> dict:
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
    obj({"vendor": REF, "methods": METHODS, "description": STR, "send": {"type": "boolean"}}),
    "the vendor makes its own Vendor token in its portal (ASINFO preset by default) and sends it to the importer "
    "(send: false keeps it unsent); it replaces any token of that vendor, whoever made it",
)
def vendor_create_token(ctx, a):
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
    obj({"token": REF}),
    "the vendor sends a token it made to the importer (default: the last one made)",
)
def vendor_send_token(ctx, a):
    token = ctx.token(a.get("token"))
    return call(ctx.komet.vendor_send_token, token["vendorId"], token["id"])


@action(
    "komet.vendor_revoke_token",
    obj({"token": REF}),
    "the vendor revokes a token it made (default: the grower's); it fails at once for whoever holds it",
)
def vendor_revoke_token(ctx, a):
    token = ctx.token(a.get("token"))
    return call(ctx.komet.vendor_revoke_token, token["vendorId"], token["id"])


@action(
    "komet.vendor_tokens",
    obj({"vendor": REF}),
    "the tokens the vendor sees in its portal (its own and the importer's)",
)
def vendor_tokens(ctx, a):
    return call(ctx.komet.vendor_tokens, ctx.vendor(a.get("vendor"))["id"])


@action(
    "komet.vendor_purchase_orders",
    obj(SEARCH),
    "Confirm POs: the POs a vendor's search finds (shipDate, po, status; none: every ship date)",
)
def vendor_purchase_orders(ctx, a):
    return call(ctx.komet.vendor_purchase_orders, ctx.vendor(a.get("vendor"))["id"], **_search(ctx, a))


@action(
    "komet.vendor_confirm",
    obj({**LINE, "boxes": typed({"type": "integer", "minimum": 0})}, required=("po", "line", "boxes")),
    "the vendor types To Confirm on one line in Komet's vendor portal (fewer than ordered: partly confirmed)",
)
def vendor_confirm(ctx, a):
    po = ctx.komet_po(a["po"])
    line = ctx.komet_line(a["po"], a["line"])
    return call(ctx.komet.vendor_confirm, int(po["vendorId"]), line["poItemId"], a["boxes"])


@action(
    "komet.vendor_confirm_shipments",
    obj(SEARCH),
    "Confirm Shipments: every Pending line of the POs the vendor's search finds, in full (a partial count stays)",
)
def vendor_confirm_shipments(ctx, a):
    return call(ctx.komet.vendor_confirm_shipments, ctx.vendor(a.get("vendor"))["id"], **_search(ctx, a))


@action(
    "komet.tokens",
    obj(),
    "the importer's Tokens list: every token, with who made it (madeBy: importer or vendor) and when the vendor "
    "sent it",
)
def tokens(ctx, a):
    return call(ctx.komet.tokens)


@action(
    "komet.confirmations",
    obj({**PO, "line": REF, "last": {"type": "boolean"}}, required=("po", "line")),
    "who confirmed a line and where (the vendor portal or the API), oldest first, as the importer sees it "
    "(last: true gives the latest only)",
)
def confirmations(ctx, a):
    found = call(ctx.komet.line_confirmations, ctx.komet_line(a["po"], a["line"])["poItemId"])
    return (found[-1] if found else None) if a.get("last") else found
