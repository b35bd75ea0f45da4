"""asinfo.*: what the grower does to ship: make an AWB, put boxes on it, print their labels, ship, relabel. Each
calls one operation of the grower adapter (harness.grower)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..context import StepError, call
from . import A_AWB, DATE, LINE, LINE_DOC, PO_DOC, REF, STR, Arg, Returns, action, obj, typed
from .asinfo import _connection
from .shapes import ASINFO_AWB, SHIPMENT

if TYPE_CHECKING:
    from ..context import Ctx

AWB_RETURNS = Returns(
    "the AWB as ASINFO has it",
    ASINFO_AWB,
    {
        "number": "729-3704-9353",
        "airline": "Avianca Cargo",
        "status": "open",
        "assignedBoxes": 2,
        "shippedBoxes": 0,
        "boxes": [{"boxCode": "HER0000001", "poItemId": 265001, "state": "assigned", "prints": 0}],
    },
)
SHIPMENT_EXAMPLE = {
    "awb": "729-3704-9353",
    "state": "shipped",
    "attempts": 1,
    "lastError": "",
    "lines": [
        {
            "poItemId": 265001,
            "boxCodes": ["HER0000001", "HER0000002"],
            "state": "shipped",
            "newPOItemId": 265003,
            "reconciled": False,
        }
    ],
}


@action(
    "asinfo.create_awb",
    "a new AWB: the airline's next stock number (default 729 Avianca Cargo) or a typed number",
    {
        "airline": Arg(
            typed({"type": ["string", "integer"]}),
            "the airline's prefix (729, 045...) or name: its next stock number",
            default="729",
        ),
        "number": Arg(STR, "a typed AWB number instead (prefix-serial-check: 729-1234-5675)"),
        "hawb": Arg(STR, "house AWB"),
        "cargoAgency": Arg(STR, "cargo agency"),
        "origin": Arg(STR, "airport of departure", default="the farm's"),
        "destination": Arg(STR, "airport of arrival", default="MIA"),
        "shipDate": Arg(
            DATE, "the ship date (YYYY-MM-DD, today, +Nd)", default="the PO's, else the world's first"
        ),
        "po": Arg(REF, "a PO whose ship date the AWB takes: " + PO_DOC),
    },
    returns=AWB_RETURNS,
    refuses=(
        "a typed number whose check digit is wrong (the seventh digit is the serial mod 7)",
        "an airline with no stock numbers left (add stock in ASINFO's AWB stock page)",
        "an AWB number already used",
    ),
    example="""
- asinfo.create_awb: {po: 0, airline: 729}
  save: awb
  expect: {number: {$regex: "^729-"}, status: empty, assignedBoxes: 0}
- asinfo.create_awb: {po: 0, number: 729-1234-5674}
  refused: check digit
""",
)
def create_awb(ctx: Ctx, a):
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
    "put confirmed boxes on an AWB: every confirmed box of a PO (po:), or some lines (lines: [{po, line, boxes}])",
    {
        "awb": A_AWB,
        "po": Arg(REF, "every confirmed box of this PO not yet on an AWB: " + PO_DOC),
        "lines": Arg(
            {
                "type": "array",
                "minItems": 1,
                "items": obj(
                    {**LINE, "boxes": typed({"type": "integer", "minimum": 1})}, required=("po", "line")
                ),
            },
            "or: some lines, each {po, line, boxes} (boxes: how many; left out: every confirmed box not yet on "
            "an AWB)",
        ),
    },
    returns=AWB_RETURNS,
    refuses=(
        "more boxes than the line has confirmed and not yet on an AWB",
        "a line already on another AWB (one AWB per Komet line, A12)",
        "a line whose confirmation Komet has not accepted",
        "an AWB with another ship date",
    ),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 2}
- asinfo.create_awb: {po: 0}
  save: awb
- asinfo.assign_boxes: {awb: "${awb}", lines: [{po: 0, line: 0, boxes: 2}]}
  expect: {assignedBoxes: 2, boxes: {$each: {state: assigned, prints: 0}}}
""",
)
def assign_boxes(ctx: Ctx, a):
    awb = ctx.awb_number(a["awb"])
    if "lines" in a:
        lines = [(*ctx.line_ref(spec["po"], spec["line"]), spec.get("boxes")) for spec in a["lines"]]
        return call(ctx.adapter.assign_boxes, awb, lines=lines)
    if "po" not in a:
        raise StepError("give po: (all its confirmed boxes) or lines: [...]")
    return call(ctx.adapter.assign_boxes, awb, po=ctx.po_number(a["po"]))


@action(
    "asinfo.unassign_boxes",
    "take unshipped boxes off an AWB: one box (boxCode) or every unshipped box of a line (po + line)",
    {
        "awb": A_AWB,
        "boxCode": Arg(STR, "the box to take off"),
        "po": Arg(REF, "with line: the line's PO: " + PO_DOC),
        "line": Arg(REF, "or: every unshipped box of this line: " + LINE_DOC),
    },
    returns=AWB_RETURNS,
    refuses=("a box already shipped or on its way to Komet (A10)", "a box not on this AWB"),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 2}
- asinfo.create_awb: {po: 0}
  save: awb
- asinfo.assign_boxes: {awb: "${awb}", po: 0}
- asinfo.unassign_boxes: {awb: "${awb}", po: 0, line: 0}
  expect: {assignedBoxes: 0, status: empty}
""",
)
def unassign_boxes(ctx: Ctx, a):
    awb = ctx.awb_number(a["awb"])
    if "boxCode" in a:
        return call(ctx.adapter.unassign_boxes, awb, box=a["boxCode"])
    if "line" in a:
        return call(ctx.adapter.unassign_boxes, awb, line=ctx.line_ref(a.get("po"), a["line"]))
    raise StepError("take what off? give boxCode: <code>, or po: + line:")


@action(
    "asinfo.print_labels",
    "print the box labels (PDF or ZPL) of a whole AWB, one line (po + line) or one box: the print that counts "
    "(a reprint is marked R)",
    {
        "awb": Arg(REF, "every box of this AWB: its number, 0 for the first made, or a saved AWB"),
        "po": Arg(REF, "with line: the line's PO: " + PO_DOC),
        "line": Arg(REF, "or: every box of this line: " + LINE_DOC),
        "boxCode": Arg(STR, "or: one box"),
        "format": Arg(
            {"enum": ["pdf", "zpl"]}, "pdf (a page per label) or zpl (Zebra printers)", default="pdf"
        ),
    },
    returns=Returns(
        "what was printed",
        {
            "format": "pdf or zpl",
            "labels": "how many labels",
            "bytes": "the document's size",
            "reprint": "true when these labels were printed before (ZPL shows R on them)",
            "boxCodes": "the codes of the boxes printed",
            "zpl": "the ZPL text (null for a PDF)",
            "file": "where the labels were saved (with --report), else null",
        },
        {
            "format": "zpl",
            "labels": 2,
            "reprint": False,
            "boxCodes": ["HER0000001", "HER0000002"],
            "zpl": "^XA…^XZ",
            "file": None,
        },
    ),
    refuses=("nothing to print (no boxes on the AWB or line)", "a box code the grower does not have"),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 2}
- asinfo.create_awb: {po: 0}
  save: awb
- asinfo.assign_boxes: {awb: "${awb}", po: 0}
- asinfo.print_labels: {awb: "${awb}", format: zpl}
  expect: {labels: 2, reprint: false, zpl: {$contains: "Box 1 of 2"}}
""",
)
def print_labels(ctx: Ctx, a):
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


@action(
    "asinfo.ship",
    "send the AWB's boxes to Komet (purchase.order.items.awb.add); a line shipped in part splits in Komet",
    {"awb": A_AWB},
    returns=Returns("the shipment", SHIPMENT, SHIPMENT_EXAMPLE),
    refuses=(
        "boxes whose labels were never printed (A11)",
        "an AWB with no boxes waiting to ship",
        "Komet refusing it: the shipment is refused with Komet's reason (see asinfo.shipments)",
    ),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 2}
- asinfo.create_awb: {po: 0}
  save: awb
- asinfo.assign_boxes: {awb: "${awb}", po: 0}
- asinfo.print_labels: {awb: "${awb}"}
- asinfo.ship: {awb: "${awb}"}
  expect: {state: shipped, attempts: 1, lines: [{state: shipped, boxCodes: {$len: 2}, newPOItemId: {$type: integer}}]}
""",
)
def ship(ctx: Ctx, a):
    return call(ctx.adapter.ship, ctx.awb_number(a["awb"]))


@action(
    "asinfo.relabel",
    "change a box's code (sent to Komet with box.code.change once shipped); print its new label before the "
    "scenario ends",
    {
        "boxCode": Arg(STR, "the box's code now", required=True),
        "newBoxCode": Arg(STR, "its new code", required=True),
    },
    returns=Returns(
        "the box",
        {"boxCode": "its new code", "…": "the rest of the box, as asinfo.get_awb lists it"},
        {"boxCode": "NEW0001", "state": "shipped", "prints": 0},
    ),
    refuses=("a code another box has", "a box on its way to Komet (A10)"),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 1}
- include: fragments/ship-po.yaml
- asinfo.get_awb: {awb: "${awb}"}
  save: {old: "boxes[0].boxCode"}
- asinfo.relabel: {boxCode: "${old}", newBoxCode: NEW0001}
- asinfo.print_labels: {boxCode: NEW0001}
- komet.get_line: {po: 0, line: 0}
  expect: {boxes: [{boxCode: NEW0001}]}
""",
)
def relabel(ctx: Ctx, a):
    return call(ctx.adapter.relabel, a["boxCode"], a["newBoxCode"])
