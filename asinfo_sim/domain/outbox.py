"""The outbox (A3, A6): every write to Komet is queued here first and delivered in order; transport
failures retry with backoff on the virtual clock, forever; Komet's refusals stop and are shown. A refusal
that is about the connection (a bad token, a method not enabled, the daily quota) is not the write's fault:
it waits too, until the grower or the importer fixes the connection (A8).

Deliveries for one thing (one line's confirmation, one shipment) run one at a time, so the background worker
and an API request never push the same write twice, and a newer confirmation always lands after an older one
(A9)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from simkit.clock import parse_datetime

from ..decisions import backoff, next_utc_day
from ..komet_client import KometRefused, KometUnavailable
from ..messages import explain

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld


def _handler(kind: str):
    """deliver(world, client, item, payload) -> "done" | "refused", per kind of write; a write
    that cannot be told yet raises KometUnavailable (retried after the backoff)."""
    from . import confirmations, relabelling, shipments

    return {
        "confirm": confirmations.deliver_confirm,
        "delete": confirmations.deliver_delete,
        "ship": shipments.deliver_ship,
        "box_code": relabelling.deliver_box_code,
    }[kind]


def enqueue(
    c: sqlite3.Connection,
    world: AsinfoWorld,
    account_id: int,
    connection_id: int,
    kind: str,
    ref_id: int,
    payload: dict,
) -> int:
    """Queue a write. A confirmation sets, it does not add: a newer one supersedes the older ones still
    waiting (one being sent right now finishes first, see deliver)."""
    stamp = world.clock.stamp()
    if kind == "confirm" and world.plant != "confirm-out-of-order":  # planted bug: the older one stays
        c.execute(
            "UPDATE outbox SET state = 'cancelled', last_error = 'superseded by a newer confirmation', "
            "updated_on = ? WHERE account_id = ? AND kind = 'confirm' AND ref_id = ? AND state = 'pending'",
            (stamp, account_id, ref_id),
        )
    item_id = world.next_id("outbox")
    c.execute(
        "INSERT INTO outbox(id, account_id, connection_id, kind, ref_id, payload, state, next_attempt_on, "
        "created_on, updated_on) VALUES (?,?,?,?,?,?,'pending',?,?,?)",
        (item_id, account_id, connection_id, kind, ref_id, json.dumps(payload), stamp, stamp, stamp),
    )
    return item_id


def outbox_view(r) -> dict:
    return {
        "id": r["id"],
        "connectionId": r["connection_id"],
        "kind": r["kind"],
        "refId": r["ref_id"],
        "payload": json.loads(r["payload"]),
        "state": r["state"],
        "attempts": r["attempts"],
        "nextAttemptOn": r["next_attempt_on"],
        "lastError": r["last_error"],
        "inDoubt": bool(r["in_doubt"]),
        "createdOn": r["created_on"],
        "updatedOn": r["updated_on"],
    }


def list_outbox(world: AsinfoWorld, account_id: int, state: str | None = None) -> list[dict]:
    args: list = [account_id]
    where = ""
    if state:
        where = " AND state = ?"
        args.append(state)
    return [
        outbox_view(r)
        for r in world.store.all(f"SELECT * FROM outbox WHERE account_id = ?{where} ORDER BY id", args)
    ]


def run(
    world: AsinfoWorld,
    account_id: int | None = None,
    everything: bool = False,
    only: list[int] | None = None,
    background_only: bool = False,
) -> list[dict]:
    """Deliver what is due (or, with everything=True, every pending item now, ignoring backoff)."""
    now = world.clock.stamp()
    where: list[str] = ["state = 'pending'"]
    args: list[object] = []
    if background_only:
        where.append("connection_id IN (SELECT id FROM connections WHERE background = 1)")
    if not everything:
        where.append("next_attempt_on <= ?")
        args.append(now)
    if account_id is not None:
        where.append("account_id = ?")
        args.append(account_id)
    if only is not None:
        where.append(f"id IN ({','.join('?' * len(only))})" if only else "0")
        args.extend(only)
    order = "id DESC" if world.plant == "confirm-out-of-order" else "id"  # planted bug: newest first
    rows = world.store.all(f"SELECT * FROM outbox WHERE {' AND '.join(where)} ORDER BY {order}", args)
    return [deliver(world, r) for r in rows]


def deliver(world: AsinfoWorld, item) -> dict:
    """One delivery at a time per thing written (a line, a shipment, a box): a second caller waits for the
    first, then finds the item done (never pushed twice) or sends the newer write after the older one."""
    with world.delivery_lock(item["kind"], item["ref_id"]):
        return _deliver(world, item)


def _deliver(world: AsinfoWorld, item) -> dict:
    current = world.store.one("SELECT * FROM outbox WHERE id = ?", (item["id"],))
    if current is None or current["state"] != "pending":
        return {"id": item["id"], "kind": item["kind"], "outcome": "skipped"}
    error = world.komet_hold(current["connection_id"])
    if error is not None:  # Komet asked this connection to wait (429 Retry-After): a newer write waits too
        _retry(world, current["id"], current["attempts"], world.komet_wait[current["connection_id"]], error)
        return {"id": current["id"], "kind": current["kind"], "outcome": "retry", "error": error}
    conn = world.store.one("SELECT * FROM connections WHERE id = ?", (current["connection_id"],))
    client = world.komet(conn)
    attempts = current["attempts"] + 1
    try:
        outcome = _handler(current["kind"])(world, client, current, json.loads(current["payload"]))
    except KometUnavailable as exc:
        honour = exc.retry_after and world.plant != "ignore-retry-after"  # planted bug: Retry-After ignored
        wait = timedelta(seconds=exc.retry_after) if honour and exc.retry_after else backoff(attempts)
        _retry(world, current["id"], attempts, world.clock.now() + wait, explain(exc), exc.maybe_processed)
        return {"id": current["id"], "kind": current["kind"], "outcome": "retry", "error": explain(exc)}
    except KometRefused as exc:
        if exc.quota_exhausted or exc.connection_problem:  # not the write's fault: wait for a fix, don't drop
            when = (
                next_utc_day(world.clock.now())
                if exc.quota_exhausted
                else world.clock.now() + backoff(attempts)
            )
            if world.plant == "connection-refusal-no-wait":  # planted bug: due again at once
                when = world.clock.now()
            _retry(world, current["id"], attempts, when, explain(exc))
            return {"id": current["id"], "kind": current["kind"], "outcome": "retry", "error": explain(exc)}
        _finish(world, current["id"], "refused", attempts, explain(exc))
        return {"id": current["id"], "kind": current["kind"], "outcome": "refused", "error": explain(exc)}
    _finish(world, current["id"], outcome, attempts, "")
    return {"id": current["id"], "kind": current["kind"], "outcome": outcome}


def _finish(world: AsinfoWorld, item_id: int, outcome: str, attempts: int, error: str) -> None:
    """A superseded item (cancelled while it was being sent) stays cancelled."""
    state = {"done": "done", "refused": "refused"}[outcome]
    with world.store.tx() as c:
        c.execute(
            "UPDATE outbox SET state = ?, attempts = ?, last_error = ?, updated_on = ? "
            "WHERE id = ? AND state = 'pending'",
            (state, attempts, error, world.clock.stamp(), item_id),
        )


def _retry(
    world: AsinfoWorld, item_id: int, attempts: int, when: datetime, error: str, in_doubt: bool = False
) -> None:
    """Due again at `when`. An attempt that may have reached Komet marks the item in doubt for good: Komet
    may still apply it later, after a newer write (see sync)."""
    with world.store.tx() as c:
        c.execute(
            "UPDATE outbox SET attempts = ?, next_attempt_on = ?, last_error = ?, updated_on = ?, "
            "in_doubt = max(in_doubt, ?) WHERE id = ? AND state = 'pending'",
            (
                attempts,
                when.strftime("%Y-%m-%dT%H:%M:%S"),
                error,
                world.clock.stamp(),
                int(in_doubt),
                item_id,
            ),
        )


def due_in(world: AsinfoWorld, account_id: int | None = None) -> float | None:
    """Seconds until the next pending item is due (None when nothing waits)."""
    args = [] if account_id is None else [account_id]
    row = world.store.one(
        "SELECT min(next_attempt_on) AS due FROM outbox WHERE state = 'pending'"
        + ("" if account_id is None else " AND account_id = ?"),
        args,
    )
    if not row or not row["due"]:
        return None
    return max(0.0, (parse_datetime(row["due"]) - world.clock.now()).total_seconds())


def cancel(world: AsinfoWorld, account_id: int, item_id: int) -> dict:
    """Withdraw a write that has not reached Komet. A push that may already have landed cannot be withdrawn
    (retrying reads the lines back first); a relabel is undone by relabelling, not by forgetting it."""
    from .errors import Conflict, NotFound

    stamp = world.clock.stamp()
    with world.store.tx() as c:
        item = c.execute(
            "SELECT * FROM outbox WHERE id = ? AND account_id = ?", (item_id, account_id)
        ).fetchone()
        if item is None:
            raise NotFound("outboxId", f"outbox item {item_id} does not exist")
        if item["state"] != "pending":
            raise Conflict(
                "outboxId", f"outbox item {item_id} is {item['state']}: only a waiting item can be cancelled"
            )
        if item["kind"] == "box_code":
            raise Conflict(
                "outboxId",
                "a box code change cannot be forgotten (the label already shows it): "
                "relabel the box back instead",
            )
        if item["kind"] == "delete" and item["in_doubt"]:
            raise Conflict(
                "outboxId",
                "this delete may already have reached Komet: retry instead (a line Komet already "
                "cancelled is then recorded as deleted)",
            )
        if item["kind"] == "ship":
            shipment = c.execute("SELECT state FROM shipments WHERE id = ?", (item["ref_id"],)).fetchone()
            if shipment["state"] == "sent":
                raise Conflict(
                    "outboxId",
                    "this push may already have reached Komet: retry instead (ASINFO reads "
                    "the lines back before pushing again)",
                )
            c.execute(
                "UPDATE shipments SET state = 'refused', last_error = 'cancelled by the grower', updated_on = ? "
                "WHERE id = ?",
                (stamp, item["ref_id"]),
            )
            from .shipment_lines import release_boxes

            for sl in c.execute(
                "SELECT * FROM shipment_lines WHERE shipment_id = ? AND state = 'pending'", (item["ref_id"],)
            ).fetchall():
                release_boxes(c, sl)
            c.execute(
                "UPDATE shipment_lines SET state = 'refused', message = 'cancelled by the grower' "
                "WHERE shipment_id = ? AND state = 'pending'",
                (item["ref_id"],),
            )
        if item["kind"] == "confirm":  # back to what Komet last accepted
            c.execute(
                "UPDATE lines SET confirmed = CASE WHEN komet_confirmed > 0 THEN komet_confirmed END, "
                "confirm_state = CASE WHEN komet_confirmed > 0 THEN 'accepted' ELSE 'none' END, "
                "confirm_message = 'a newer confirmation was cancelled before it reached Komet', updated_on = ? "
                "WHERE id = ?",
                (stamp, item["ref_id"]),
            )
        c.execute("UPDATE outbox SET state = 'cancelled', updated_on = ? WHERE id = ?", (stamp, item_id))
        return outbox_view(c.execute("SELECT * FROM outbox WHERE id = ?", (item_id,)).fetchone())
