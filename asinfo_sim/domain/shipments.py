"""Ship (A6): purchase.order.items.awb.add with the labels' box codes and lots, per-line results, splits
(newPOItemId) become new lines, and a push whose outcome is unknown is reconciled by reading the lines back
from Komet before any retry: nothing ships twice and nothing is dropped.

Here: the shipment queued, pushed and settled, and its views; what an answer does to each line in
`shipment_lines`, the read-back in `shipment_reconcile`; box codes changed afterwards in `relabelling`."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from ..komet_client import KometRefused, KometUnavailable, as_int
from ..messages import explain
from . import outbox
from .awbs import get_awb_row
from .errors import Conflict, NotFound
from .shipment_lines import _line_result, _shipped
from .shipment_reconcile import _reconcile

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld

    from ..komet_client import KometClient

EXISTS = "box code already exists"
ALREADY_SHIPPED = "has already been shipped"  # Komet's words for a line it shows Shipped


def _boxes_to_ship(c: sqlite3.Connection, awb: sqlite3.Row) -> list:
    """The AWB's boxes a shipment would send; refuses (Conflict, in words) when it cannot ship now."""
    if c.execute(
        "SELECT 1 FROM shipments WHERE awb_id = ? AND state IN ('pending', 'sent')", (awb["id"],)
    ).fetchone():
        raise Conflict("awbId", f"a shipment of AWB {awb['number']} is already on its way to Komet")
    boxes = c.execute(
        "SELECT b.*, l.komet_item_id FROM boxes b JOIN lines l ON l.id = b.line_id "
        "WHERE b.awb_id = ? AND b.state = 'assigned' ORDER BY b.id",
        (awb["id"],),
    ).fetchall()
    if not boxes:
        anything = c.execute("SELECT 1 FROM boxes WHERE awb_id = ?", (awb["id"],)).fetchone()
        why = "every box on it has shipped" if anything else "add confirmed boxes to it first"
        raise Conflict("awbId", f"AWB {awb['number']} has no boxes waiting to ship: {why}")
    unlabelled = [b["code"] for b in boxes if b["prints"] == 0]  # no label, no shipment (A11)
    if unlabelled:
        raise Conflict(
            "awbId",
            f"{len(unlabelled)} box(es) on AWB {awb['number']} have no label yet "
            f"({', '.join(unlabelled[:3])}{'…' if len(unlabelled) > 3 else ''}): print the labels "
            "first, the codes sent to Komet are the codes on the labels",
        )
    return boxes


def why_not_shippable(world: AsinfoWorld, account_id: int, awb_id: int) -> str | None:
    """Why Ship would be refused right now (the page disables its button and says so); None: it can ship."""
    with world.store.read() as c:
        try:
            _boxes_to_ship(c, get_awb_row(c, account_id, awb_id))
        except Conflict as exc:
            return exc.message
    return None


def ship_awb(world: AsinfoWorld, account_id: int, awb_id: int) -> dict:
    """Queue every box of the AWB not yet shipped (grouped by line) and push it now."""
    stamp = world.clock.stamp()
    with world.store.tx() as c:
        awb = get_awb_row(c, account_id, awb_id)
        boxes = _boxes_to_ship(c, awb)
        shipment_id = world.next_id("shipment")
        c.execute(
            "INSERT INTO shipments(id, account_id, awb_id, state, created_on, updated_on) "
            "VALUES (?,?,?,'pending',?,?)",
            (shipment_id, account_id, awb_id, stamp, stamp),
        )
        by_line: dict[int, list] = {}
        for b in boxes:
            by_line.setdefault(b["line_id"], []).append(b)
        for line_id, group in by_line.items():
            c.execute(
                "INSERT INTO shipment_lines(id, account_id, shipment_id, line_id, komet_item_id, box_codes, "
                "lot_number) VALUES (?,?,?,?,?,?,?)",
                (
                    world.next_id("shipment_line"),
                    account_id,
                    shipment_id,
                    line_id,
                    group[0]["komet_item_id"],
                    json.dumps([b["code"] for b in group]),
                    group[0]["lot_number"],
                ),
            )
        # On their way (A10): neither relabelled, nor taken off the AWB, until Komet has answered for them.
        c.execute(
            f"UPDATE boxes SET state = 'queued' WHERE id IN ({','.join('?' * len(boxes))})",
            [b["id"] for b in boxes],
        )
        item = outbox.enqueue(
            c, world, account_id, awb["connection_id"], "ship", shipment_id, {"shipmentId": shipment_id}
        )
    outbox.run(world, account_id, everything=True, only=[item])
    return get_shipment(world, account_id, shipment_id)


def deliver_ship(world: AsinfoWorld, client: KometClient, item: sqlite3.Row, payload: dict) -> str:
    shipment_id = payload["shipmentId"]
    shipment = world.store.row("SELECT * FROM shipments WHERE id = ?", (shipment_id,))
    awb = world.store.row("SELECT * FROM awbs WHERE id = ?", (shipment["awb_id"],))
    try:
        if (item["attempts"] > 0 or shipment["state"] == "sent") and world.plant != "skip-reconcile":
            _reconcile(world, client, shipment_id)  # before any retry: did the last push land?
        pending = world.store.all(
            "SELECT * FROM shipment_lines WHERE shipment_id = ? AND state = 'pending' ORDER BY id",
            (shipment_id,),
        )
        if pending:
            _push(world, client, shipment_id, awb, pending)
    except KometUnavailable as exc:  # the push that failed was counted when it was sent (_push)
        _shipment(world, shipment_id, "sent" if exc.maybe_processed else "pending", explain(exc))
        raise
    except KometRefused as exc:  # the connection, not the shipment (bad token, quota): it waits for a fix
        with world.store.tx() as c:
            c.execute(
                "UPDATE shipments SET last_error = ?, updated_on = ? WHERE id = ?",
                (explain(exc), world.clock.stamp(), shipment_id),
            )
        raise
    return _settle(world, shipment_id)


def _push(world: AsinfoWorld, client: KometClient, shipment_id: int, awb: sqlite3.Row, pending: list) -> None:
    items = [
        {
            "poItemId": sl["komet_item_id"],
            "awb": awb["number"],
            "shipDate": awb["ship_date"],
            "boxCodes": json.loads(sl["box_codes"]),
            "lotNumber": sl["lot_number"],
            **({"houseAWB": awb["hawb"]} if awb["hawb"] else {}),
        }
        for sl in pending
    ]
    _shipment(world, shipment_id, "sent", "", bump=True)
    try:
        reply = client.call("purchase.order.items.awb.add", poItems=items)
    except KometRefused as exc:
        if exc.quota_exhausted or "purchaseOrderItemDetailsAWBAddAPIResultList" not in exc.payload:
            _shipment(world, shipment_id, "pending", explain(exc))
            if exc.quota_exhausted or exc.connection_problem:
                raise
            for sl in pending:
                _line_result(world, sl, "refused", explain(exc))
            return
        reply = exc.payload  # every line refused: the per-line results are still there
    results = {
        as_int(r.get("poItemId")): r for r in reply.get("purchaseOrderItemDetailsAWBAddAPIResultList") or []
    }
    doubtful = []
    shipped_elsewhere: set[int] = set()
    for sl in pending:
        r = results.get(sl["komet_item_id"])
        message = str((r or {}).get("message", "")).lower()
        if r is None:
            doubtful.append(sl)
        elif str(r.get("status")) == "1":
            _shipped(world, sl, as_int(r.get("newPOItemId")))
        elif (EXISTS in message or ALREADY_SHIPPED in message) and world.plant != "skip-reconcile":
            # Perhaps our own earlier push landed after all: look before deciding. A push Komet finished after
            # we gave up can land between our read-back and this retry; then the line is Shipped already.
            doubtful.append(sl)
            if ALREADY_SHIPPED in message:
                shipped_elsewhere.add(sl["id"])
        else:
            _line_result(
                world, sl, "refused", f"Komet refused line {sl['komet_item_id']}: {r.get('message')}"
            )
    if doubtful:
        _reconcile(
            world, client, shipment_id, refuse_missing=True, shipped_elsewhere=frozenset(shipped_elsewhere)
        )


def _shipment(world: AsinfoWorld, shipment_id: int, state: str, error: str, bump: bool = False) -> None:
    with world.store.tx() as c:
        c.execute(
            "UPDATE shipments SET state = ?, last_error = ?, updated_on = ?"
            f"{', attempts = attempts + 1' if bump else ''}"
            " WHERE id = ?",
            (state, error, world.clock.stamp(), shipment_id),
        )


def _settle(world: AsinfoWorld, shipment_id: int) -> str:
    states = [
        r["state"]
        for r in world.store.all("SELECT state FROM shipment_lines WHERE shipment_id = ?", (shipment_id,))
    ]
    # Every line is decided by now: a push's doubtful lines are read back with refuse_missing, and a failed
    # call raises before we get here (the outbox then retries the whole item).
    final = (
        "shipped"
        if all(s == "shipped" for s in states)
        else "refused"
        if all(s == "refused" for s in states)
        else "partial"
    )
    _shipment(world, shipment_id, final, "")
    return "refused" if final == "refused" else "done"


def shipment_view(c: sqlite3.Connection, s: sqlite3.Row) -> dict:
    awb = c.execute("SELECT number FROM awbs WHERE id = ?", (s["awb_id"],)).fetchone()
    lines = c.execute("SELECT * FROM shipment_lines WHERE shipment_id = ? ORDER BY id", (s["id"],)).fetchall()
    return {
        "id": s["id"],
        "awbId": s["awb_id"],
        "awb": awb["number"],
        "state": s["state"],
        "attempts": s["attempts"],
        "lastError": s["last_error"],
        "createdOn": s["created_on"],
        "updatedOn": s["updated_on"],
        "lines": [
            {
                "lineId": sl["line_id"],
                "poItemId": sl["komet_item_id"],
                "boxCodes": json.loads(sl["box_codes"]),
                "lotNumber": sl["lot_number"],
                "state": sl["state"],
                "message": sl["message"],
                "newPOItemId": sl["new_komet_item_id"],
                "reconciled": bool(sl["reconciled"]),
            }
            for sl in lines
        ],
    }


def get_shipment(world: AsinfoWorld, account_id: int, shipment_id: int) -> dict:
    with world.store.read() as c:
        s = c.execute(
            "SELECT * FROM shipments WHERE id = ? AND account_id = ?", (shipment_id, account_id)
        ).fetchone()
        if s is None:
            raise NotFound("shipmentId", f"shipment {shipment_id} does not exist")
        return shipment_view(c, s)


def list_shipments(world: AsinfoWorld, account_id: int) -> list[dict]:
    with world.store.read() as c:
        return [
            shipment_view(c, s)
            for s in c.execute(
                "SELECT * FROM shipments WHERE account_id = ? ORDER BY id DESC", (account_id,)
            ).fetchall()
        ]
