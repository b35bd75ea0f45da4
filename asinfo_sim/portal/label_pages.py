"""Labels (A5): preview a box, a line or a whole AWB (the PDF in the page, or either format downloaded: never
counted), and print it (one explicit action per format, counted: the next print of the same boxes is marked
"R", reprint); the page lists the prints of these boxes, when and in which format."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request, url_for

from simkit.params import parse

from ..domain import awbs, printing
from .base import account_id, bp, world

SELECTORS = ("awbId", "lineId", "boxCode")


def selection(source) -> dict:
    """awbId / lineId / boxCode from a query or a form (the API's spec), as printing.render takes them."""
    return printing.chosen(parse(printing.SELECTION, {key: source.get(key) for key in SELECTORS}))


def chosen_boxes(sel: dict) -> tuple[list[dict], dict | None]:
    """The boxes a selection prints, with their AWB (one AWB for a box or a line)."""
    if sel["awb_id"] is not None:
        awb = awbs.get_awb(world(), account_id(), sel["awb_id"])
        return awb["boxes"], awb
    for awb in awbs.list_awbs(world(), account_id()):
        boxes = [b for b in awb["boxes"] if b["lineId"] == sel["line_id"] or b["boxCode"] == sel["box_code"]]
        if boxes:
            return boxes, awb
    return [], None


def describe(sel: dict, awb: dict | None, boxes: list[dict]) -> str:
    if sel["awb_id"] is not None:
        return f"AWB {awb['number']}" if awb else f"AWB {sel['awb_id']}"
    if sel["line_id"] is not None:
        item = boxes[0]["poItemId"] if boxes else sel["line_id"]
        return f"line {item}"
    return f"box {sel['box_code']}"


@bp.get("/labels")
def labels() -> tuple[str, int]:
    sel = selection(request.args)
    summary = printing.print_summary(world(), account_id())
    if all(v is None for v in sel.values()):
        return render_template(
            "labels.html",
            sel=None,
            summary=summary,
            awbs=awbs.list_awbs(world(), account_id()),
            boxes=[],
            awb=None,
            query={},
            preview_url=None,
            what="",
            jobs=[],
            last_print={},
        ), 200
    printing.render(world(), account_id(), "zpl", False, **sel)  # refuses what cannot print, in its own words
    boxes, awb = chosen_boxes(sel)
    query: dict[str, Any] = {k: request.args.get(k) for k in SELECTORS if request.args.get(k)}
    preview = url_for("asinfo_api.preview_labels", **query, format="pdf", account=account_id())
    codes = [b["boxCode"] for b in boxes]
    return render_template(
        "labels.html",
        sel=sel,
        summary=summary,
        awbs=[],
        boxes=boxes,
        awb=awb,
        query=query,
        preview_url=preview,
        zpl_preview_url=url_for("asinfo_api.preview_labels", **query, format="zpl", account=account_id()),
        jobs=printing.print_jobs(world(), account_id(), codes),
        last_print=last_prints(printing.print_jobs(world(), account_id(), codes)),
        what=describe(sel, awb, boxes),
    ), 200


def last_prints(jobs: list[dict]) -> dict[str, dict]:
    """Box code → the latest print job that printed it (jobs come newest first)."""
    last: dict[str, dict] = {}
    for job in jobs:
        for code in job["boxCodes"]:
            last.setdefault(code, job)
    return last


@bp.post("/labels/print")
def labels_print() -> Response:
    """Print: the file as an attachment, counted, so printing the same boxes again makes reprints ("R")."""
    sel = selection(request.form)
    fmt = parse(printing.PRINT[-1:], {"format": request.form.get("format")})["format"]
    doc, ctype, name = printing.render(world(), account_id(), fmt, True, **sel)
    return Response(
        doc, mimetype=ctype.split(";")[0], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
