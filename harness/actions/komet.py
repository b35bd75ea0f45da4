"""komet.*: the importer's purchasing in Komet (POs and their lines, as its Purchasing screens do) and the
warehouse's receipt. Its Setup screens (tokens, settings, products) are in komet_setup.py, any API call as a
grower would make it in komet_api.py, what Komet shows in komet_views.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..context import Refused, StepError, call
from . import (
    A_LINE,
    A_PO,
    DATE,
    INT,
    LINE_DOC,
    PO_DOC,
    REF,
    STR,
    VENDOR_DOC,
    Arg,
    Returns,
    action,
    typed,
)
from .shapes import KOMET_PO

if TYPE_CHECKING:
    from ..context import Ctx

PO_EXAMPLE = {
    "id": 500001,
    "number": "10001",
    "shipDate": "2026-11-27",
    "status": "A",
    "vendorId": 3401,
    "totalBoxes": 17,
    "details": [{"poItemId": 265001, "totalBoxes": 7, "quantityConfirmed": 0, "lineItemStatus": "P"}],
}
PO_RETURNS = Returns(
    "the PO as the importer sees it in Komet, as komet.get_po returns it", KOMET_PO, PO_EXAMPLE
)


def _product_id(ctx: Ctx, ref) -> int:
    """product: N is the Nth of the importer's catalogue; {id: N} (or a saved line's productId) names one."""
    if isinstance(ref, dict) and ("id" in ref or "productId" in ref):
        return int(ref["id"] if "id" in ref else ref["productId"])
    if isinstance(ref, int) and not isinstance(ref, bool):
        with ctx.looking_up():  # the importer's own catalogue: no API quota, no token, not drawn
            products = call(ctx.komet.products)
        if not 0 <= ref < len(products):
            raise StepError(
                f"no product #{ref}: the catalogue has {len(products)} (product: {{id: N}} names one by id)"
            )
        return int(products[ref]["id"])
    raise StepError(f"{ref!r} is not a product: give its index, {{id: N}} or a saved line")


PRODUCT = Arg(
    REF,
    "the product: 0 is the catalogue's first, {id: N} by id, or text: a product Komet does not know yet "
    "(its description)",
    default="0",
)
LINE_ARGS = {
    "product": PRODUCT,
    "boxType": Arg(STR, "box type code (FB, HB, QB, EB)", default="HB"),
    "boxes": Arg(typed(INT), "boxes ordered", required=True),
    "customer": Arg(REF, "the customer the boxes are for: 0 is the world's first, {id: N}, or its code"),
    "unitCost": Arg(typed({"type": "number"}), "price per unit", default="0"),
    "bunches": Arg(typed(INT), "bunches per box", default="the product's"),
    "stemsBunch": Arg(typed(INT), "stems per bunch", default="the product's"),
    "markCode": Arg(STR, "the customer's mark printed on each box"),
    "notes": Arg(STR, "notes for the grower"),
}
LINE_SPEC = {
    "type": "object",
    "properties": {k: a.schema for k, a in LINE_ARGS.items()},
    "required": ["boxes"],
    "additionalProperties": False,
}


def _line(ctx: Ctx, spec: dict) -> dict:
    line = {"boxTypeCode": spec.get("boxType", "HB"), "boxes": spec["boxes"]}
    product = spec.get("product", 0)
    if isinstance(product, str):
        line["productDescription"] = product  # a product Komet does not have yet, by its description
    else:
        line["productId"] = _product_id(ctx, product)
    if "customer" in spec:
        line["customerId"] = ctx.customer(spec["customer"])["id"]
    for key, target in (
        ("unitCost", "cost"),
        ("bunches", "bunches"),
        ("stemsBunch", "stemsBunch"),
        ("markCode", "markCode"),
        ("notes", "notes"),
    ):
        if key in spec:
            line[target] = spec[key]
    return line


@action(
    "komet.create_po",
    "the importer creates a purchase order (Approved unless status says Pending Approval)",
    {
        "vendor": Arg(REF, VENDOR_DOC, default="the grower's vendor, else 0"),
        "shipDate": Arg(DATE, "the ship date: YYYY-MM-DD, today, or +Nd / -Nd", default="the world's first"),
        "status": Arg({"enum": ["Approved", "Pending Approval"]}, "its status", default="Approved"),
        "lines": Arg(
            {"type": "array", "items": LINE_SPEC, "minItems": 1},
            "its lines, each {product, boxType, boxes, customer, unitCost, bunches, stemsBunch, markCode, notes} "
            "as komet.add_line takes them (boxes required)",
            required=True,
        ),
        "comments": Arg(STR, "comments for the grower"),
    },
    returns=PO_RETURNS,
    refuses=("a vendor, product or customer the world does not have", "a box count below 1"),
    example="""
- komet.create_po:
    shipDate: +2d
    lines: [{product: 0, boxes: 3}, {product: 1, boxType: QB, boxes: 2, unitCost: 0.35}]
  save: order
  expect: {status: A, totalBoxes: 5, details: {$len: 2}}
- asinfo.sync: {}
- asinfo.get_order: {po: "${order}"}
  expect: {orderedBoxes: 5}
""",
)
def create_po(ctx: Ctx, a):
    vendor = ctx.vendor(a.get("vendor"))
    ship_date = ctx.date(a.get("shipDate"), (ctx.company.get("shipDates") or [ctx.today().isoformat()])[0])
    order = {
        "vendorId": vendor["id"],
        "shipDate": ship_date,
        "status": a.get("status", "Approved"),
        "lines": [_line(ctx, spec) for spec in a["lines"]],
    }
    if "comments" in a:
        order["comments"] = a["comments"]
    return call(ctx.komet.create_purchase_order, **order)


@action(
    "komet.approve_po",
    "the importer approves a Pending Approval PO (the grower sees it from the next sync)",
    {"po": A_PO},
    returns=PO_RETURNS,
    refuses=("a PO that is not Pending Approval",),
    example="""
- komet.create_po: {status: Pending Approval, lines: [{boxes: 2}]}
  save: order
- komet.approve_po: {po: "${order}"}
  expect: {status: A}
""",
)
def approve_po(ctx: Ctx, a):
    return call(ctx.komet.approve, ctx.komet_po(a["po"])["id"])


@action(
    "komet.cancel_po",
    "the importer cancels a PO (and its open lines)",
    {"po": A_PO},
    returns=PO_RETURNS,
    refuses=("a PO already cancelled", "a PO with shipped lines"),
    example="""
- komet.cancel_po: {po: 0}
  expect: {status: CA, details: {$each: {lineItemStatus: X}}}
""",
)
def cancel_po(ctx: Ctx, a):
    return call(ctx.komet.cancel, ctx.komet_po(a["po"])["id"])


@action(
    "komet.change_line",
    "the importer edits a line; a new box count resets the grower's confirmation (K20)",
    {
        "po": Arg(REF, PO_DOC, required=True),
        "line": Arg(REF, LINE_DOC, required=True),
        "boxes": Arg(typed(INT), "the new number of boxes ordered"),
        "notes": Arg(STR, "new notes"),
        "unitCost": Arg(typed({"type": "number"}), "new price per unit"),
        "markCode": Arg(STR, "new mark"),
    },
    returns=PO_RETURNS,
    refuses=("nothing to change", "a shipped or cancelled line", "a box count below 1"),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 2}
- komet.change_line: {po: 0, line: 0, boxes: 9, notes: two sleeves}
  expect: {details: {$contains: {totalBoxes: 9, quantityConfirmed: 0, notes: two sleeves}}}
""",
)
def change_line(ctx: Ctx, a):
    item = ctx.komet_line(a["po"], a["line"])["poItemId"]
    changes = {k: a[k] for k in ("notes", "unitCost", "markCode") if k in a}
    if "boxes" in a:
        changes["totalBoxes"] = a["boxes"]
    return call(ctx.komet.change_line, item, **changes)


@action(
    "komet.add_line",
    "the importer adds a line to a PO",
    {"po": A_PO, **LINE_ARGS},
    returns=PO_RETURNS,
    refuses=("a cancelled PO", "a product or customer the world does not have"),
    example="""
- komet.add_line: {po: 0, product: 2, boxes: 4}
  expect: {details: {$len: 3}}
""",
)
def add_line(ctx: Ctx, a):
    spec = {k: v for k, v in a.items() if k != "po"}
    return call(ctx.komet.add_line, ctx.komet_po(a["po"])["id"], **_line(ctx, spec))


@action(
    "komet.cancel_line",
    "the importer cancels one line",
    {"po": A_PO, "line": A_LINE},
    returns=Returns(
        "the line's id and new status",
        {"poItemId": "the line", "lineItemStatus": "X (cancelled)"},
        {"poItemId": 265002, "lineItemStatus": "X"},
    ),
    refuses=("a shipped line", "a line already cancelled"),
    example="""
- komet.cancel_line: {po: 0, line: 1}
  expect: {lineItemStatus: X}
""",
)
def cancel_line(ctx: Ctx, a):
    return call(ctx.komet.cancel_line, ctx.komet_line(a["po"], a["line"])["poItemId"])


@action(
    "komet.receive",
    "the warehouse receives boxes (by code, or every in-transit box of an AWB): In Transit → Received",
    {
        "boxCodes": Arg(
            typed({"type": "array", "items": STR, "minItems": 1}), "the codes of the boxes received"
        ),
        "awb": Arg(REF, "or: every box in transit on this AWB (its number or a saved AWB)"),
        "position": Arg(STR, "the rack position the boxes are put in (4 characters)"),
    },
    returns=Returns(
        "one result per box",
        {"results": "[{boxCode, status: received}]"},
        {"results": [{"boxCode": "HER0000001", "status": "received"}]},
    ),
    refuses=("a box code Komet does not have", "a box already received", "neither boxCodes: nor awb:"),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 2}
- include: fragments/ship-po.yaml
- komet.receive: {awb: "${awb}", position: A01}
  expect: {results: {$len: 2, $each: {status: received}}}
- komet.get_line: {po: 0, line: 0}
  expect: {boxes: {$each: {statusName: Received, position: A01}}}
""",
)
def receive(ctx: Ctx, a):
    codes = a.get("boxCodes")
    if codes is None:
        if "awb" not in a:
            raise StepError("give boxCodes: [codes] or awb: <number>")
        number = a["awb"]["number"] if isinstance(a["awb"], dict) else str(a["awb"])
        transit = ctx.komet.in_transit()
        codes = [b["boxCode"] for awb in transit["awbs"] if awb["awb"] == number for b in awb["inTransit"]]
        if not codes:
            raise StepError(f"no boxes in transit on AWB {number}")
    result = call(ctx.komet.receive, codes, a.get("position"))
    refused = [r for r in result["results"] if r["status"] != "received"]
    if refused:
        raise Refused(refused[0]["message"], result)
    return result
