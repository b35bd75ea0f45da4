"""Sync (A2): an idempotent pull of the ship-date window from Komet, upserting POs and lines by Komet id,
recording new, changed, cancelled, split and vanished ones in the sync log. Running it twice changes nothing.

All dates are fetched first and applied in one transaction: a sync that fails half-way writes nothing but
its log entry. Here: the pull, and each PO upserted or marked missing; Komet's reply read as our columns in
`sync_values` (once per reply, and against rows read ahead: `sync_listing`), each line applied in `sync_lines`,
the log in `sync_log`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from ..komet_client import KometRefused, KometUnavailable, Reply
from ..messages import explain
from . import outbox
from .connections import get_row
from .errors import NotFound
from .sync_listing import ListedPo, listed_pos, read_ahead, read_whole
from .sync_log import _log
from .sync_values import LINE_FIELDS, ORDER_FIELDS

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld


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
        fetched: dict[str, Reply] = {}
        try:
            for d in dates:
                fetched[d] = client.read("purchase.order.list", world.komet_reads, date=d)
        except (KometRefused, KometUnavailable) as exc:
            return _log(world, account_id, connection_id, dates, "error", {}, [], explain(exc), trigger)
        with world.store.tx() as c:
            counts, changes, resend = _apply(c, world, conn, dates, fetched, mark)
            c.execute(
                "UPDATE connections SET last_sync_on = ? WHERE id = ?", (world.clock.stamp(), connection_id)
            )
            if not resend:  # nothing to deliver in between: the log joins the transaction
                return _log(world, account_id, connection_id, dates, "ok", counts, changes, "", trigger)
    # outside the sync lock: a delivery may take as long as Komet does
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


def _apply(
    c: sqlite3.Connection, world: AsinfoWorld, conn: sqlite3.Row, dates: list[str], fetched: dict, mark: int
) -> tuple[dict, list, list]:
    from .sync_lines import _apply_line  # with the first sync: a start need not create its dataclass

    stamp = world.clock.stamp()
    counts = dict.fromkeys(COUNTS, 0)
    changes: list[str] = []
    queued: list[int] = []
    seen: set[int] = set()
    listings, orders, lines = _read(c, conn["id"], fetched, seen)
    for po in listings:
        values = po.values
        # A PO or a line equal to its row read ahead is left as it is (nothing below would change it); any other is
        # read again whole: a line's writes touch only its own row, and each is read ahead once.
        ahead = orders.pop(po.po_id, None)
        if ahead is not None and ahead[1:] == po.compared:
            order_id = ahead[0]
        else:
            order_id = _apply_order(c, world, conn, po, stamp, counts, changes)
        for ln in po.lines:
            if lines.pop(ln.item_id, None) == ln.compared:
                continue
            old = c.execute(
                "SELECT * FROM lines WHERE connection_id = ? AND komet_item_id = ?", (conn["id"], ln.item_id)
            ).fetchone()
            done = (
                _apply_line(  # a copy of the values: the listing's are shared, and a planted bug edits them
                    c, world, conn, order_id, values["number"], ln.item_id, dict(ln.values), old, stamp, mark
                )
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


def _read(
    c: sqlite3.Connection, connection_id: int, fetched: dict[str, Reply], seen: set[int]
) -> tuple[Iterable[ListedPo], dict[int, tuple], dict[int, tuple]]:
    """Komet's POs, each as first listed (their ids added to `seen`), and the orders and lines ASINFO holds for
    them, read ahead. A listing that cannot be read whole is read lazily, with nothing read ahead."""
    whole = [read_whole(reply) for reply in fetched.values()]
    if any(listing is None for listing in whole):
        pos = (
            p for reply in fetched.values() for p in listed_pos(reply.body.get("purchaseOrders") or [], seen)
        )
        return pos, {}, {}
    firsts = []
    for listing in whole:
        for po in listing or ():
            if po.po_id not in seen:
                seen.add(po.po_id)
                firsts.append(po)
    orders = read_ahead(c, "orders", "komet_po_id", ("id", *ORDER_FIELDS, "state"), connection_id, list(seen))
    items = [ln.item_id for po in firsts for ln in po.lines]
    return firsts, orders, read_ahead(c, "lines", "komet_item_id", LINE_FIELDS, connection_id, items)


def _apply_order(
    c: sqlite3.Connection,
    world: AsinfoWorld,
    conn: sqlite3.Row,
    po: ListedPo,
    stamp: str,
    counts: dict,
    changes: list[str],
) -> int:
    """A PO onto its order, new or changed; returns the order's id."""
    values, state = po.values, po.state
    old = c.execute(
        "SELECT * FROM orders WHERE connection_id = ? AND komet_po_id = ?", (conn["id"], po.po_id)
    ).fetchone()
    if old is None:
        order_id = world.next_id("order")
        c.execute(
            f"INSERT INTO orders(id, account_id, connection_id, komet_po_id, {', '.join(values)}, state, "
            f"first_seen, last_synced) VALUES (?,?,?,?{', ?' * len(values)}, ?, ?, ?)",
            (order_id, conn["account_id"], conn["id"], po.po_id, *values.values(), state, stamp, stamp),
        )
        counts["newOrders"] += 1
        changes.append(f"new PO {values['number']} ({values['ship_date']})")
        return order_id
    diff = [f for f in ORDER_FIELDS if old[f] != values[f]] + (["state"] if old["state"] != state else [])
    if diff:
        sets = ", ".join(f"{f} = ?" for f in values)
        c.execute(
            f"UPDATE orders SET {sets}, state = ?, last_synced = ? WHERE id = ?",
            (*values.values(), state, stamp, old["id"]),
        )
        if state == "cancelled" and old["state"] != "cancelled":
            counts["cancelled"] += 1
            changes.append(f"PO {values['number']} cancelled by the importer")
        else:
            counts["changed"] += 1
            changes.append(f"PO {values['number']} changed: {', '.join(diff)}")
    return int(old["id"])
