"""/api/outbox: every write on its way to Komet; cancel one, or run the due ones now."""

from __future__ import annotations

from flask import Response, jsonify

from simkit.openapi import describe
from simkit.params import P
from simkit.web import parse_body, parse_query

from ..domain import outbox
from .blueprint import account_id, bp, world

OUTBOX_QUERY = (P("state", "str", choices=("pending", "done", "refused", "cancelled")),)
OUTBOX_RUN = (P("all", "bool", default=False, reason="true runs every pending item now, ignoring backoff"),)


@bp.get("/outbox")
@describe(query=OUTBOX_QUERY)
def get_outbox() -> Response:
    state = parse_query(OUTBOX_QUERY).get("state")
    return jsonify({"items": outbox.list_outbox(world(), account_id(), state)})


@bp.delete("/outbox/<int:item_id>")
def cancel_outbox_item(item_id: int) -> Response:
    return jsonify(outbox.cancel(world(), account_id(), item_id))


@bp.post("/outbox/run")
@describe(body=OUTBOX_RUN)
def run_outbox() -> Response:
    everything = parse_body(OUTBOX_RUN, optional=True)["all"]
    aid = account_id()
    done = outbox.run(world(), aid, everything=everything)
    return jsonify(
        {
            "ran": done,
            "pending": len(outbox.list_outbox(world(), aid, "pending")),
            "nextDueInSeconds": outbox.due_in(world(), aid),
        }
    )
