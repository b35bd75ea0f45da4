"""komet.get_* and the other reads: what the importer sees in Komet (its purchase orders, lines, boxes, AWBs,
company, tokens, and who confirmed a line). Reads never change anything and never count against the quota."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..context import StepError, call
from . import A_AWB, A_LINE, A_PO, PO_DOC, REF, Arg, Returns, action
from .komet import PO_RETURNS
from .shapes import COMPANY, CONFIRMATION, KOMET_AWB, KOMET_BOX, KOMET_LINE, TOKEN

if TYPE_CHECKING:
    from ..context import Ctx


@action(
    "komet.get_po",
    "the PO as the importer sees it in Komet, with its lines",
    {"po": A_PO},
    returns=PO_RETURNS,
    refuses=("a PO the world does not have (po: 3 of 2)",),
    example="""
- asinfo.confirm: {po: 0, boxes: all}
- komet.get_po: {po: 0}
  expect: {status: CF, details: {$len: 2, $each: {lineItemStatus: C}}}
""",
)
def get_po(ctx: Ctx, a):
    ctx.read_pos()
    return ctx.komet_po(a["po"])


@action(
    "komet.get_line",
    "one PO line as Komet has it (Komet's words: totalBoxes ordered, quantityConfirmed, lineItemStatus)",
    {"po": A_PO, "line": A_LINE},
    returns=Returns(
        "the line, as purchase.order.list sends it",
        KOMET_LINE,
        {
            "poItemId": 265001,
            "totalBoxes": 7,
            "quantityConfirmed": 1,
            "lineItemStatus": "PC",
            "boxType": "HB",
        },
    ),
    refuses=("a line the PO does not have",),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 1}
- komet.get_line: {po: 0, line: 0}
  expect: {lineItemStatus: PC, quantityConfirmed: 1}
""",
)
def get_line(ctx: Ctx, a):
    ctx.read_pos()
    return ctx.komet_line(a["po"], a["line"])


@action(
    "komet.get_boxes",
    "the boxes Komet knows (in transit and received), optionally of one AWB or PO",
    {
        "awb": Arg(REF, "only the boxes of this AWB (its number or a saved AWB)"),
        "po": Arg(REF, "only the boxes of this PO: " + PO_DOC),
    },
    returns=Returns(
        "a list of boxes",
        {**{f"[].{k}": v for k, v in KOMET_BOX.items()}, "[].awb": "the AWB number it flies on"},
        [{"boxCode": "HER0000001", "poNumber": "10001", "statusName": "In Transit", "awb": "729-3704-9353"}],
    ),
    example="""
- asinfo.confirm: {po: 0, boxes: all}
- include: fragments/ship-po.yaml
- komet.get_boxes: {awb: "${awb}"}
  expect: {$len: 17, $each: {statusName: In Transit, awb: "${awb.number}"}}
""",
)
def get_boxes(ctx: Ctx, a):
    transit = ctx.komet.in_transit()
    number = None
    if "awb" in a:
        number = a["awb"]["number"] if isinstance(a["awb"], dict) else str(a["awb"])
    po_number = ctx.po_number(a["po"]) if "po" in a else None
    boxes = []
    for awb in transit["awbs"]:
        if number and awb["awb"] != number:
            continue
        for box in awb["inTransit"] + awb["received"]:
            if po_number and str(box["poNumber"]) != po_number:
                continue
            boxes.append({**box, "awb": awb["awb"]})
    return boxes


@action(
    "komet.get_awb",
    "an AWB as Komet lists it (awb.details.list): pieces, pieces received, its boxes",
    {"awb": A_AWB},
    returns=Returns(
        "the AWB",
        KOMET_AWB,
        {
            "awb": "729-3704-9353",
            "pieces": 2,
            "piecesReceived": 0,
            "status": 1,
            "boxes": [{"boxCode": "HER0000001", "statusName": "In Transit"}],
        },
    ),
    refuses=("an AWB Komet does not have (nothing shipped on it yet)",),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 2}
- include: fragments/ship-po.yaml
- komet.get_awb: {awb: "${awb}"}
  expect: {pieces: 2, piecesReceived: 0, boxes: {$each: {boxCode: {$regex: "^HER"}}}}
""",
)
def get_awb(ctx: Ctx, a):
    number = a["awb"]["number"] if isinstance(a["awb"], dict) else str(a["awb"])
    for awb in ctx.komet.awbs():
        if awb["awb"] == number:  # awb.details.list says `code`; every step says boxCode
            boxes = [
                {"boxCode": b["code"], **{k: v for k, v in b.items() if k != "code"}} for b in awb["boxes"]
            ]
            return {**awb, "boxes": boxes}
    raise StepError(f"Komet has no AWB {number}")


@action(
    "komet.in_transit",
    "the importer's Confirmed & In transit screen: lines confirmed but not shipped, and boxes per AWB",
    returns=Returns(
        "what the screen shows",
        {
            "confirmed": "lines confirmed and not shipped: [{poNumber, poItemId, product, quantityConfirmed, "
            "status, ...}]",
            "awbs": "one per AWB: [{awb, awbId, origin, shipDate, arrivalDate, pieces, piecesReceived, open, "
            "inTransit, received}]",
            "awbs[].inTransit": "its boxes not yet received, each as komet.get_boxes returns them",
            "awbs[].received": "its boxes received",
            "inTransitBoxes": "boxes in transit on every AWB",
        },
        {
            "confirmed": [],
            "inTransitBoxes": 2,
            "awbs": [
                {
                    "awb": "729-3704-9353",
                    "pieces": 2,
                    "inTransit": [{"boxCode": "HER0000001"}],
                    "received": [],
                }
            ],
        },
    ),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 2}
- include: fragments/ship-po.yaml
- komet.in_transit: {}
  expect: {inTransitBoxes: 2, awbs: [{awb: "${awb.number}", inTransit: {$len: 2}}]}
""",
)
def in_transit(ctx: Ctx, a):
    return ctx.komet.in_transit()


@action(
    "komet.company",
    "the importer's company: ID, paid users, daily limit, calls today, profile",
    returns=Returns(
        "the company",
        COMPANY,
        {"companyId": 2870, "dailyLimit": 3000, "callsToday": 8, "profile": "documented"},
    ),
    example="""
- komet.company: {}
  expect: {profile: documented, dailyLimit: 3000, callsToday: {$gt: 0}}
""",
)
def company(ctx: Ctx, a):
    return ctx.komet.company()


@action(
    "komet.tokens",
    "the importer's Tokens list: every token, with who made it (madeBy: importer or vendor) and when the vendor "
    "sent it",
    returns=Returns(
        "a list of tokens",
        {f"[].{k}": v for k, v in TOKEN.items() if not k.endswith("?")},
        [{"id": 1, "type": "Vendor", "madeBy": "importer", "sentOn": None}],
    ),
    example="""
- komet.tokens: {}
  expect: [{type: Vendor, madeBy: importer}]
""",
)
def tokens(ctx: Ctx, a):
    return call(ctx.komet.tokens)


@action(
    "komet.confirmations",
    "who confirmed a line and where (the vendor portal or the API), oldest first, as the importer sees it",
    {
        "po": A_PO,
        "line": A_LINE,
        "last": Arg(
            {"type": "boolean"}, "true: the latest confirmation only (null if none)", default="false"
        ),
    },
    returns=Returns(
        "a list of confirmations, oldest first (last: true, the latest alone)",
        {f"[].{k}": v for k, v in CONFIRMATION.items()},
        [
            {
                "poItemId": 265001,
                "quantityConfirmed": 2,
                "via": "api",
                "where": "the API",
                "who": "Vendor token #1 “Vendor token”",
            }
        ],
    ),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 2}
- komet.confirmations: {po: 0, line: 0, last: true}
  expect: {via: api, quantityConfirmed: 2, tokenMadeBy: importer}
""",
)
def confirmations(ctx: Ctx, a):
    found = call(ctx.komet.line_confirmations, ctx.komet_line(a["po"], a["line"])["poItemId"])
    return (found[-1] if found else None) if a.get("last") else found
