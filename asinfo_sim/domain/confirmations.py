"""Confirm (A3): the grower enters available boxes per line (0..ordered), per line or a whole PO; the
confirmation goes to Komet through the outbox. A line shows pending / sent / accepted / refused."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from ..komet_client import KometRefused, KometUnavailable
from ..messages import explain
from . import outbox
from .errors import BadInput, Conflict, NotFound

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld

DELETED_BY_GROWER = "deleted by the grower"
ALREADY_CANCELLED = "is already cancelled"


def get_line(c: sqlite3.Connection, account_id: int, line_id: int):
    row = c.execute(
        "SELECT l.*, o.number AS po_number, o.state AS order_state FROM lines l "
        "JOIN orders o ON o.id = l.order_id WHERE l.id = ? AND l.account_id = ?",
        (line_id, account_id),
    ).fetchone()
    if row is None:
        raise NotFound("lineId", f"line {line_id} does not exist")
    return row


def _check(c: sqlite3.Connection, line, boxes, field: str) -> int:
    """Lines are named by their Komet line number: the number the grower sees on every screen."""
    item = line["komet_item_id"]
    if not isinstance(boxes, int) or isinstance(boxes, bool) or boxes < 0:
        raise BadInput(field, "available boxes: a whole number, 0 or more")
    if line["cancelled"] or line["order_state"] == "cancelled":
        who = (
            "you deleted it" if line["confirm_message"] == DELETED_BY_GROWER else "cancelled by the importer"
        )
        raise Conflict(field, f"line {item} is cancelled ({who})")
    if line["komet_status"] == "S" or line["shipped"]:
        raise Conflict(field, f"line {item} has already shipped")
    refuse_while_deleting(c, line, field, "confirm the line")
    if boxes > line["ordered"]:
        raise BadInput(field, f"at most {line['ordered']} (the boxes ordered on line {item})")
    assigned = c.execute("SELECT count(*) FROM boxes WHERE line_id = ?", (line["id"],)).fetchone()[0]
    if boxes < assigned:
        raise Conflict(
            field,
            f"{assigned} box(es) of line {item} are already on an AWB; "
            "take them off the AWB before confirming fewer",
        )
    return boxes


def delete_waiting(c: sqlite3.Connection, line_id: int) -> sqlite3.Row | None:
    """The grower's delete of the line, queued in the outbox (perhaps already applied by Komet: its reply may
    be lost), or None."""
    return c.execute(
        "SELECT in_doubt FROM outbox WHERE kind = 'delete' AND ref_id = ? AND state = 'pending'", (line_id,)
    ).fetchone()


def refuse_while_deleting(c: sqlite3.Connection, line, field: str, instead: str) -> None:
    """A line whose delete waits is neither confirmed nor shipped; a delete in doubt cannot be withdrawn."""
    waiting, item = delete_waiting(c, line["id"]), line["komet_item_id"]
    if waiting is not None and waiting["in_doubt"]:
        raise Conflict(
            field,
            f"you deleted line {item} and Komet may already have cancelled it: retry the delete in the outbox",
        )
    if waiting is not None:
        raise Conflict(
            field,
            f"you deleted line {item} and the delete waits to reach Komet: cancel it in the outbox to {instead} "
            "instead",
        )


def confirm(world: AsinfoWorld, account_id: int, items: list[tuple[int, int]]) -> list[int]:
    """All lines are checked before any is changed; then each is queued and delivered at once."""
    stamp = world.clock.stamp()
    queued = []
    with world.store.tx() as c:
        for i, (line_id, boxes) in enumerate(items):
            field = "boxes" if len(items) == 1 else f"lines[{i}].boxes"
            line = get_line(c, account_id, line_id)
            _check(c, line, boxes, field)
        for line_id, boxes in items:
            line = get_line(c, account_id, line_id)
            c.execute(
                "UPDATE lines SET confirmed = ?, confirm_state = 'pending', confirm_message = '', updated_on = ? "
                "WHERE id = ?",
                (boxes, stamp, line_id),
            )
            queued.append(
                outbox.enqueue(
                    c,
                    world,
                    account_id,
                    line["connection_id"],
                    "confirm",
                    line_id,
                    {"lineId": line_id, "poItemId": line["komet_item_id"], "quantity": boxes},
                )
            )
    outbox.run(world, account_id, everything=True, only=queued)
    return [line_id for line_id, _ in items]


def confirm_order(world: AsinfoWorld, account_id: int, order_id: int, boxes: str | list | None) -> list[int]:
    """A whole PO: "all" confirms every open line fully, "none" confirms zero, or a list of {lineId, boxes}."""
    lines = world.store.all(
        "SELECT * FROM lines WHERE order_id = ? AND account_id = ? ORDER BY id", (order_id, account_id)
    )
    if not world.store.one("SELECT 1 FROM orders WHERE id = ? AND account_id = ?", (order_id, account_id)):
        raise NotFound("orderId", f"purchase order {order_id} does not exist")
    with world.store.read() as c:
        open_lines = [
            r
            for r in lines
            if not r["cancelled"]
            and not r["shipped"]
            and r["komet_status"] != "S"
            and delete_waiting(c, r["id"]) is None
        ]
    if boxes in ("all", "none"):
        if not open_lines:
            raise Conflict("boxes", "this purchase order has no open line to confirm")
        return confirm(
            world, account_id, [(r["id"], r["ordered"] if boxes == "all" else 0) for r in open_lines]
        )
    if not isinstance(boxes, list) or not boxes:
        raise BadInput("lines", 'give "boxes": "all" or "none", or "lines": [{"lineId": ..., "boxes": ...}]')
    own = {r["id"] for r in lines}
    items: list[tuple[int, int]] = []
    for i, entry in enumerate(boxes):
        if not isinstance(entry, dict) or set(entry) != {"lineId", "boxes"}:
            raise BadInput(f"lines[{i}]", 'each entry is {"lineId": ..., "boxes": ...}')
        if not isinstance(entry["lineId"], int) or isinstance(entry["lineId"], bool):
            raise BadInput(f"lines[{i}].lineId", "a line id (a number)")
        if any(line_id == entry["lineId"] for line_id, _ in items):
            raise BadInput(
                f"lines[{i}].lineId", f"line {entry['lineId']} is given twice; give each line once"
            )
        if entry["lineId"] not in own:
            raise NotFound(f"lines[{i}].lineId", f"line {entry['lineId']} is not on this purchase order")
        items.append((entry["lineId"], entry["boxes"]))
    return confirm(world, account_id, items)


def deliver_confirm(world: AsinfoWorld, client, item, payload: dict) -> str:
    line_id = payload["lineId"]
    try:
        client.call(
            "purchase.order.item.confirm", poItemId=payload["poItemId"], quantityConfirmed=payload["quantity"]
        )
    except KometUnavailable as exc:
        _set(world, line_id, "sent" if exc.maybe_processed else "pending", explain(exc))
        raise
    except KometRefused as exc:
        if exc.quota_exhausted or exc.connection_problem:  # it waits for the connection to be fixed
            _set(world, line_id, "pending", explain(exc))
            raise
        _set(world, line_id, "refused", explain(exc))
        return "refused"
    with world.store.tx() as c:
        c.execute(
            "UPDATE lines SET confirm_state = 'accepted', confirm_message = '', komet_confirmed = ?, "
            "komet_status = CASE WHEN ? = 0 THEN 'P' WHEN ? < ordered THEN 'PC' ELSE 'C' END, written = ?, "
            "updated_on = ? WHERE id = ? AND confirmed = ?",
            (
                payload["quantity"],
                payload["quantity"],
                payload["quantity"],
                world.next_id("write"),
                world.clock.stamp(),
                line_id,
                payload["quantity"],
            ),
        )
    return "done"


def _set(world: AsinfoWorld, line_id: int, state: str, message: str) -> None:
    with world.store.tx() as c:
        c.execute(
            "UPDATE lines SET confirm_state = ?, confirm_message = ?, updated_on = ? WHERE id = ?",
            (state, message, world.clock.stamp(), line_id),
        )


def delete_line(world: AsinfoWorld, account_id: int, line_id: int) -> int:
    """The grower removes a line it cannot fill (purchase.order.item.delete, queued like any write)."""
    with world.store.tx() as c:
        line = get_line(c, account_id, line_id)
        if line["shipped"] or line["komet_status"] == "S":
            raise Conflict("lineId", f"line {line['komet_item_id']} has already shipped")
        if line["cancelled"]:
            raise Conflict("lineId", f"line {line['komet_item_id']} is already cancelled")
        if c.execute("SELECT 1 FROM boxes WHERE line_id = ?", (line_id,)).fetchone():
            raise Conflict("lineId", f"line {line['komet_item_id']} has boxes on an AWB; take them off first")
        item = outbox.enqueue(
            c,
            world,
            account_id,
            line["connection_id"],
            "delete",
            line_id,
            {"lineId": line_id, "poItemId": line["komet_item_id"]},
        )
    outbox.run(world, account_id, everything=True, only=[item])
    return line_id


def deliver_delete(world: AsinfoWorld, client, item, payload: dict) -> str:
    try:
        client.call("purchase.order.item.delete", poItemId=payload["poItemId"])
    except KometRefused as exc:
        # A15: after an attempt whose reply was lost, "already cancelled" is our own delete having landed.
        if not (item["in_doubt"] and ALREADY_CANCELLED in exc.message.lower()):
            raise
    with world.store.tx() as c:
        c.execute(
            "UPDATE lines SET cancelled = 1, komet_status = 'X', confirm_message = ?, written = ?, updated_on = ? "
            "WHERE id = ?",
            (DELETED_BY_GROWER, world.next_id("write"), world.clock.stamp(), payload["lineId"]),
        )
    return "done"
