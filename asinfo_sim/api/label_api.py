"""/api/labels (a preview, not counted) and /api/print-jobs (a print, counted: the next one is a reprint; GET
lists the prints on record)."""

from __future__ import annotations

from flask import Response, jsonify

from simkit.openapi import describe
from simkit.web import parse_body, parse_query

from ..domain import printing
from .blueprint import account_id, bp, world

LABEL_MEDIA = {"application/pdf": {"type": "string", "format": "binary"}, "text/plain": {"type": "string"}}


@bp.get("/labels")
@describe(query=printing.PRINT, media=LABEL_MEDIA)
def preview_labels() -> Response:
    """A preview: renders what a print would, without counting it as printed."""
    query = parse_query(printing.PRINT)
    doc, ctype, name = printing.render(
        world(), account_id(), query["format"], False, **printing.chosen(query)
    )
    return Response(
        doc, mimetype=ctype.split(";")[0], headers={"Content-Disposition": f'inline; filename="{name}"'}
    )


@bp.post("/print-jobs")
@describe(body=printing.PRINT, media=LABEL_MEDIA)
def print_labels() -> Response:
    body = parse_body(printing.PRINT)
    doc, ctype, name = printing.render(world(), account_id(), body["format"], True, **printing.chosen(body))
    return Response(
        doc, mimetype=ctype.split(";")[0], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/print-jobs")
def list_print_jobs() -> Response:
    """Every print on record, newest first: when, format, the boxes printed and which were reprints."""
    return jsonify({"printJobs": printing.print_jobs(world(), account_id())})
