"""Shipments (A6): each push to Komet with its per-line results, Retry now, and the outbox queue; and the
Sync log (A2): every sync with its changes and, when it failed, the reason in words."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..domain import connections, outbox, shipments
from ..domain import sync_log as logbook  # this module's sync_log is the page
from ..domain.errors import BadInput
from .base import account_id, bp, world

OUTBOX_STATES = ("pending", "done", "refused", "cancelled")


@bp.get("/shipments")
def shipment_list() -> str:
    state = request.args.get("outbox") or None
    if state is not None and state not in OUTBOX_STATES:
        raise BadInput("outbox", f"one of {', '.join(OUTBOX_STATES)}")
    return render_template(
        "shipments.html",
        shipments=shipments.list_shipments(world(), account_id()),
        queue=outbox.list_outbox(world(), account_id(), state),
        outbox_state=state,
        states=OUTBOX_STATES,
        due=outbox.due_in(world(), account_id()),
    )


@bp.post("/shipments/retry")
def shipment_retry() -> Response:
    """Deliver every pending outbox item now, ignoring the backoff."""
    ran = outbox.run(world(), account_id(), everything=True)
    if not ran:
        flash("Nothing is waiting to reach Komet.", "info")
    else:
        outcomes: dict[str, int] = {}
        for item in ran:
            outcomes[item["outcome"]] = outcomes.get(item["outcome"], 0) + 1
        words = {
            "done": "delivered",
            "refused": "refused by Komet",
            "retry": "still waiting",
            "skipped": "already settled",
        }
        told = ", ".join(f"{n} {words.get(k, k)}" for k, n in outcomes.items())
        errors = sorted({item["error"] for item in ran if item.get("error")})
        category = "success" if set(outcomes) <= {"done", "skipped"} else "warning"
        flash(f"Retried {len(ran)} item(s): {told}." + (f" {errors[0]}" if errors else ""), category)
    return redirect(url_for("asinfo_portal.shipment_list"))


@bp.get("/sync-log")
def sync_log() -> str:
    raw = request.args.get("connectionId") or ""
    if raw and not raw.isdigit():
        raise BadInput("connectionId", "must be a number")
    chosen = int(raw) if raw else None
    known = connections.list_connections(world(), account_id())
    return render_template(
        "sync_log.html",
        entries=logbook.sync_log(world(), account_id(), chosen),
        names={c["id"]: c["name"] for c in known},
        connections=known,
        chosen=chosen,
    )
