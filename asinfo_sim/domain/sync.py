"""Sync (A2): an idempotent pull of the ship-date window from Komet, upserting POs and lines by Komet id,
recording new, changed, cancelled, split and vanished ones in the sync log. Running it twice changes nothing.

All dates are fetched first and applied in one transaction: a sync that fails half-way writes nothing but
its log entry."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from ..komet_client import KometRefused, KometUnavailable, as_int
from ..messages import explain
from . import outbox
from .connections import get_row
from .errors import NotFound

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld

# What counts as a change of a PO. updatedOn is stored but not compared: the grower's own confirmations
# and shipments touch it, and the grower should not be told its own action changed the order.
ORDER_FIELDS = (
    "number",
    "ship_date",
    "vendor_id",
    "vendor_name",
    "origin",
    "location_name",
    "komet_status",
    "comments",
)
LINE_FIELDS = (
    "product_id",
    "product",
    "box_type",
    "ordered",
    "unit_type",
    "units",
    "bunches",
    "stems_bunch",
    "mark_code",
    "customer_name",
    "notes",
    "komet_status",
    "komet_confirmed",
    "cancelled",
)


def _order_values(po: dict) -> dict:
    return {
        "number": str(po.get("number")),
        "ship_date": str(po.get("shipDate"))[:10],
        "vendor_id": as_int(po.get("vendorId")),
        "vendor_name": _text(po.get("vendorName")),
        "origin": _text(po.get("origin")),
        "location_name": _text(po.get("locationName")),
        "komet_status": str(po.get("status")),
        "comments": _text(po.get("comments")) or "",
        "komet_updated_on": _text(po.get("updatedOn")),
    }


def _text(value) -> str | None:
    """Text fields as text: the real service (and type_drift) may send a numeric-looking one as a number."""
    return None if value is None else str(value)


def _line_values(d: dict, po_cancelled: bool) -> dict:
    status = str(d.get("lineItemStatus"))
    return {
        "product_id": as_int(d.get("productId")),
        "product": _text(d.get("productDescription")) or "",
        "box_type": _text(d.get("boxType")),
        "ordered": as_int(d.get("totalBoxes")) or 0,
        "unit_type": _text(d.get("unitType")),
        "units": as_int(d.get("units")),
        "bunches": as_int(d.get("bunches")) or 0,
        "stems_bunch": as_int(d.get("stemsBunch")) or 0,
        "mark_code": _text(d.get("markCode")),
        "customer_name": _text(d.get("customerName")),
        "notes": _text(d.get("notes")) or "",
        "komet_status": status,
        "komet_confirmed": as_int(d.get("quantityConfirmed")) or 0,
        "cancelled": int(status == "X" or po_cancelled),
    }


def sync_connection(world: AsinfoWorld, account_id: int, connection_id: int, trigger: str = "manual") -> dict:
    with world.sync_lock(connection_id):
        with world.store.read() as c:
            conn = get_row(c, account_id, connection_id)
        today = world.clock.today()
        dates = [(today + timedelta(days=i)).isoformat() for i in range(conn["sync_days"] + 1)]
        # A13: orders with work still open are followed until done, even once their ship date has passed (a late
        # shipment, an importer's late change): the window alone would leave them stale.
        dates += [
            r["ship_date"]
            for r in world.store.all(
                "SELECT DISTINCT o.ship_date FROM orders o JOIN lines l ON l.order_id = o.id WHERE o.connection_id = ? "
                "AND o.state = 'open' AND l.cancelled = 0 AND l.komet_status != 'S' AND o.ship_date < ? "
                "ORDER BY o.ship_date",
                (connection_id, dates[0]),
            )
        ]
        client = world.komet(conn)
        # Writes of ASINFO's own that complete after this mark may be missing from what Komet answers below:
        # such lines keep what the write told us (the next sync reads them again).
        mark = world.next_id("write")
        fetched: dict[str, list] = {}
        try:
            for d in dates:
                fetched[d] = client.call("purchase.order.list", date=d).get("purchaseOrders") or []
        except (KometRefused, KometUnavailable) as exc:
            return _log(world, account_id, connection_id, dates, "error", {}, [], explain(exc), trigger)
        with world.store.tx() as c:
            counts, changes, resend = _apply(c, world, conn, dates, fetched, mark)
            c.execute(
                "UPDATE connections SET last_sync_on = ? WHERE id = ?", (world.clock.stamp(), connection_id)
            )
    if resend:  # outside the sync lock: a delivery may take as long as Komet does
        outbox.run(world, account_id, everything=True, only=resend)
    return _log(world, account_id, connection_id, dates, "ok", counts, changes, "", trigger)


def sync_account(world: AsinfoWorld, account_id: int, trigger: str = "manual") -> list[dict]:
    ids = [
        r["id"]
        for r in world.store.all("SELECT id FROM connections WHERE account_id = ? ORDER BY id", (account_id,))
    ]
    if not ids:
        raise NotFound("connectionId", "no importer connection yet: add one first")
    return [sync_connection(world, account_id, cid, trigger) for cid in ids]


COUNTS = ("newOrders", "newLines", "changed", "cancelled", "split", "missing")


@dataclass
class LineChange:
    """What applying one Komet line did: which count it adds to, what the log says, what it queued."""

    count: str | None = None
    changes: list[str] = field(default_factory=list)
    queued: list[int] = field(default_factory=list)


def _apply(
    c: sqlite3.Connection, world: AsinfoWorld, conn, dates: list[str], fetched: dict, mark: int
) -> tuple[dict, list, list]:
    stamp = world.clock.stamp()
    counts = dict.fromkeys(COUNTS, 0)
    changes: list[str] = []
    queued: list[int] = []
    seen: set[int] = set()
    for pos in fetched.values():
        for po in pos:
            po_id = as_int(po.get("id"))
            if po_id is None or po_id in seen:
                continue
            seen.add(po_id)
            values = _order_values(po)
            state = "cancelled" if values["komet_status"] == "CA" else "open"
            old = c.execute(
                "SELECT * FROM orders WHERE connection_id = ? AND komet_po_id = ?", (conn["id"], po_id)
            ).fetchone()
            if old is None:
                order_id = world.next_id("order")
                c.execute(
                    f"INSERT INTO orders(id, account_id, connection_id, komet_po_id, {', '.join(values)}, state, "
                    f"first_seen, last_synced) VALUES (?,?,?,?{', ?' * len(values)}, ?, ?, ?)",
                    (order_id, conn["account_id"], conn["id"], po_id, *values.values(), state, stamp, stamp),
                )
                counts["newOrders"] += 1
                changes.append(f"new PO {values['number']} ({values['ship_date']})")
            else:
                order_id = old["id"]
                diff = [f for f in ORDER_FIELDS if old[f] != values[f]] + (
                    ["state"] if old["state"] != state else []
                )
                if diff:
                    sets = ", ".join(f"{f} = ?" for f in values)
                    c.execute(
                        f"UPDATE orders SET {sets}, state = ?, last_synced = ? WHERE id = ?",
                        (*values.values(), state, stamp, order_id),
                    )
                    if state == "cancelled" and old["state"] != "cancelled":
                        counts["cancelled"] += 1
                        changes.append(f"PO {values['number']} cancelled by the importer")
                    else:
                        counts["changed"] += 1
                        changes.append(f"PO {values['number']} changed: {', '.join(diff)}")
            for d in po.get("details") or []:
                done = _apply_line(
                    c, world, conn, order_id, values["number"], d, state == "cancelled", stamp, mark
                )
                if done.count:
                    counts[done.count] += 1
                changes += done.changes
                queued += done.queued
    for old in c.execute(
        f"SELECT * FROM orders WHERE connection_id = ? AND state != 'missing' AND ship_date IN "
        f"({','.join('?' * len(dates))})",
        (conn["id"], *dates),
    ).fetchall():
        if old["komet_po_id"] not in seen:
            c.execute("UPDATE orders SET state = 'missing', last_synced = ? WHERE id = ?", (stamp, old["id"]))
            counts["missing"] += 1
            changes.append(f"PO {old['number']} is no longer listed by Komet for {old['ship_date']}")
    return counts, changes, queued


def _apply_line(
    c: sqlite3.Connection,
    world: AsinfoWorld,
    conn,
    order_id: int,
    number: str,
    d: dict,
    po_cancelled: bool,
    stamp: str,
    mark: int,
) -> LineChange:
    item_id = as_int(d.get("poItemId"))
    if item_id is None:
        return LineChange()
    values = _line_values(d, po_cancelled)
    old = c.execute(
        "SELECT * FROM lines WHERE connection_id = ? AND komet_item_id = ?", (conn["id"], item_id)
    ).fetchone()
    if old is None:
        return _new_line(c, world, conn, order_id, number, item_id, values, stamp)
    if old["confirmed"] is None and world.plant == "sync-ignores-unconfirmed-change":  # planted bug
        values["ordered"] = old["ordered"]
    if old["written"] > mark and world.plant != "sync-stale-read":  # planted bug: the older read wins
        return LineChange()  # A16: our own write landed after Komet answered: this answer is older than it
    diff = [f for f in LINE_FIELDS if old[f] != values[f]]
    if not diff:
        return LineChange()
    sets = ", ".join(f"{f} = ?" for f in values)
    late = world.plant != "late-confirm-wins" and _late_confirmation(c, old, values)  # planted bug: not seen
    reset = (
        not late
        and old["confirmed"] is not None
        and (
            ("ordered" in diff and (values["komet_status"] == "P" or old["confirmed"] > values["ordered"]))
            # Komet reset what it had accepted from us to nothing: the importer changed the line (perhaps back
            # to the count we knew, so `ordered` shows no change). Any other difference is a real
            # disagreement, left visible (kometConfirmed) rather than papered over.
            or (
                old["confirm_state"] == "accepted"
                and old["confirmed"] > 0
                and values["komet_confirmed"] == 0
                and values["komet_status"] == "P"
            )
        )
    )
    done = LineChange()
    if late:
        # A9: Komet holds an older confirmation of ours that it processed after the newer one: send the newer
        # one again (the grower's latest word), and stop counting the old one as a possible late arrival.
        message = (
            f"Komet received an earlier confirmation ({values['komet_confirmed']}) after this one "
            f"({old['confirmed']}); sending {old['confirmed']} again."
        )
        c.execute(
            f"UPDATE lines SET {sets}, confirm_state = 'pending', confirm_message = ?, updated_on = ? WHERE id = ?",
            (*values.values(), message, stamp, old["id"]),
        )
        c.execute(
            "UPDATE outbox SET in_doubt = 0 WHERE kind = 'confirm' AND ref_id = ? AND state = 'cancelled'",
            (old["id"],),
        )
        done.queued.append(
            outbox.enqueue(
                c,
                world,
                old["account_id"],
                old["connection_id"],
                "confirm",
                old["id"],
                {"lineId": old["id"], "poItemId": item_id, "quantity": old["confirmed"]},
            )
        )
        done.changes.append(f"PO {number}: line {item_id}: {message}")
    elif reset:
        # A14: the grower must confirm again (in the same UPDATE: the old confirmation may exceed the new quantity),
        # a confirmation still waiting in the outbox is for the old quantity and is withdrawn, and boxes already
        # put on an AWB for the old confirmation come off it (they are no longer backed).
        message = (
            f"The importer changed the order from {old['ordered']} to {values['ordered']} boxes: confirm again."
            if old["ordered"] != values["ordered"]
            else "The importer changed this line and Komet reset its confirmation: confirm again."
        )
        c.execute(
            f"UPDATE lines SET {sets}, confirmed = NULL, confirm_state = 'none', confirm_message = ?, "
            "updated_on = ? WHERE id = ?",
            (*values.values(), message, stamp, old["id"]),
        )
        c.execute(
            "UPDATE outbox SET state = 'cancelled', last_error = ?, updated_on = ? WHERE kind = 'confirm' "
            "AND ref_id = ? AND state = 'pending'",
            (message, stamp, old["id"]),
        )
    else:
        outside = _changed_in_komet(old, values)  # A17: said in words, never adopted
        message = old["confirm_message"] if outside is None else outside
        c.execute(
            f"UPDATE lines SET {sets}, confirm_message = ?, updated_on = ? WHERE id = ?",
            (*values.values(), message, stamp, old["id"]),
        )
        if outside:
            done.changes.append(f"PO {number}: line {item_id}: {outside}")
    if values["cancelled"] and not old["cancelled"]:
        taken = _unassign(c, old["id"])
        done.count = "cancelled"
        done.changes.append(
            f"PO {number}: line {item_id} cancelled by the importer" + (f"; {taken}" if taken else "")
        )
        return done
    done.count = "changed"
    done.changes.insert(0, f"PO {number}: line {item_id} changed: {', '.join(diff)}")
    if reset:
        taken = _unassign(c, old["id"])
        if taken:
            done.changes.append(f"PO {number}: line {item_id}: {taken}")
    return done


OUTSIDE = "Changed in Komet, outside ASINFO (in Komet's vendor portal, or by the importer): "


def _changed_in_komet(old, values: dict) -> str | None:
    """A17: Komet's confirmed count moved without a write of ours (someone confirmed in Komet's vendor portal):
    the grower is told in words; its own confirmation stays as it is, since ASINFO cannot tell another person's
    confirmation from Komet mis-applying one of ours. "" clears the note once Komet agrees again; None: nothing
    to say."""
    n = values["komet_confirmed"]
    if n == old["komet_confirmed"] or values["cancelled"] or old["confirm_state"] in ("pending", "sent"):
        return None
    ours = old["confirm_message"].startswith(OUTSIDE)
    if old["confirm_state"] != "accepted":
        if n == 0:
            return "" if ours else None
        return (
            f"{OUTSIDE}Komet shows {n} of {values['ordered']} boxes confirmed; confirm here too to ship them."
        )
    if n == old["confirmed"]:
        return "" if ours else None
    return (
        f"{OUTSIDE}Komet holds {n} confirmed box(es), not the {old['confirmed']} confirmed here: confirm again "
        f"to send yours, or confirm {n} to agree."
    )


def _late_confirmation(c: sqlite3.Connection, old, values: dict) -> bool:
    """Komet's confirmed count is one an earlier confirmation of ours carried, one that was superseded while
    it might still reach Komet: it did, after the newer one. (Not when the importer changed the count: that
    resets the confirmation, see reset.)"""
    if old["confirm_state"] != "accepted" or old["confirmed"] is None or old["shipped"]:
        return False
    if (
        values["komet_confirmed"] == old["confirmed"]
        or values["ordered"] != old["ordered"]
        or values["cancelled"]
    ):
        return False
    for r in c.execute(
        "SELECT payload FROM outbox WHERE kind = 'confirm' AND ref_id = ? AND state = 'cancelled' AND in_doubt = 1",
        (old["id"],),
    ).fetchall():
        if json.loads(r["payload"])["quantity"] == values["komet_confirmed"]:
            return True
    return False


def _new_line(
    c: sqlite3.Connection,
    world: AsinfoWorld,
    conn,
    order_id: int,
    number: str,
    item_id: int,
    values: dict,
    stamp: str,
) -> LineChange:
    parent = c.execute(
        "SELECT line_id FROM shipment_lines WHERE new_komet_item_id = ? AND account_id = ?",
        (item_id, conn["account_id"]),
    ).fetchone()
    split_from = parent["line_id"] if parent else None
    cols = ", ".join(values)
    c.execute(
        f"INSERT INTO lines(id, account_id, connection_id, order_id, komet_item_id, {cols}, split_from, "
        f"updated_on) VALUES (?,?,?,?,?{', ?' * len(values)}, ?, ?)",
        (
            world.next_id("line"),
            conn["account_id"],
            conn["id"],
            order_id,
            item_id,
            *values.values(),
            split_from,
            stamp,
        ),
    )
    if split_from:
        return LineChange("split", [f"PO {number}: remainder of a partial shipment is line {item_id}"])
    return LineChange("newLines")


def _unassign(c: sqlite3.Connection, line_id: int) -> str:
    """Take a line's unshipped boxes off their AWB; say so in the change log."""
    rows = c.execute(
        "SELECT a.number FROM boxes b JOIN awbs a ON a.id = b.awb_id WHERE b.line_id = ? "
        "AND b.state = 'assigned'",
        (line_id,),
    ).fetchall()
    if not rows:
        return ""
    c.execute("DELETE FROM boxes WHERE line_id = ? AND state = 'assigned'", (line_id,))
    return f"{len(rows)} unshipped box(es) taken off AWB {rows[0]['number']}"


def _log(
    world: AsinfoWorld, account_id, connection_id, dates, result, counts, changes, error, trigger
) -> dict:
    log_id = world.next_id("sync_log")
    with world.store.tx() as c:
        c.execute(
            "INSERT INTO sync_log(id, account_id, connection_id, started_on, ship_dates, result, counts, changes, "
            "error, trigger) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                log_id,
                account_id,
                connection_id,
                world.clock.stamp(),
                json.dumps(dates),
                result,
                json.dumps(counts),
                json.dumps(changes[:500]),
                error,
                trigger,
            ),
        )
        row = c.execute("SELECT * FROM sync_log WHERE id = ?", (log_id,)).fetchone()
    return log_view(row)


def log_view(r) -> dict:
    return {
        "id": r["id"],
        "connectionId": r["connection_id"],
        "at": r["started_on"],
        "shipDates": json.loads(r["ship_dates"]),
        "result": r["result"],
        "counts": json.loads(r["counts"]),
        "changes": json.loads(r["changes"]),
        "error": r["error"],
        "trigger": r["trigger"],
    }


def sync_log(
    world: AsinfoWorld, account_id: int, connection_id: int | None = None, limit: int = 100
) -> list[dict]:
    args: list = [account_id]
    where = ""
    if connection_id is not None:
        where = " AND connection_id = ?"
        args.append(connection_id)
    rows = world.store.all(
        f"SELECT * FROM sync_log WHERE account_id = ?{where} ORDER BY id DESC LIMIT ?", (*args, limit)
    )
    return [log_view(r) for r in rows]
