"""The grower's view of the importer's POs: the orders inbox and a PO with its lines."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import TYPE_CHECKING

from .errors import NotFound

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld

PO_STATUS = {"PA": "Pending Approval", "A": "Approved", "CF": "Confirmed by Farm", "CA": "Cancelled"}
LINE_STATUS = {
    "P": "Pending",
    "PC": "Partially Confirmed",
    "C": "Confirmed",
    "S": "Shipped",
    "X": "Cancelled",
}


def line_view(r, assigned: int) -> dict:
    return {
        "id": r["id"],
        "orderId": r["order_id"],
        "poItemId": r["komet_item_id"],
        "product": r["product"],
        "productId": r["product_id"],
        "boxType": r["box_type"],
        "orderedBoxes": r["ordered"],
        "bunches": r["bunches"],
        "stemsBunch": r["stems_bunch"],
        "markCode": r["mark_code"],
        "customerName": r["customer_name"],
        "notes": r["notes"],
        "confirmedBoxes": r["confirmed"],
        "confirmState": r["confirm_state"],
        "confirmMessage": r["confirm_message"],
        "kometConfirmedBoxes": r["komet_confirmed"],
        "kometStatus": r["komet_status"],
        "kometStatusText": LINE_STATUS.get(r["komet_status"], r["komet_status"]),
        "assignedBoxes": assigned,
        "shippedBoxes": r["shipped"],
        "cancelled": bool(r["cancelled"]),
        "splitFrom": r["split_from"],
    }


def order_view(o, lines: list[dict], importer: str) -> dict:
    live = [ln for ln in lines if not ln["cancelled"]]
    states: dict[str, int] = defaultdict(int)
    for ln in live:
        states[ln["confirmState"]] += 1
    return {
        "id": o["id"],
        "connectionId": o["connection_id"],
        "importer": importer,
        "kometPoId": o["komet_po_id"],
        "number": o["number"],
        "shipDate": o["ship_date"],
        "vendorName": o["vendor_name"],
        "origin": o["origin"],
        "location": o["location_name"],
        "kometStatus": o["komet_status"],
        "kometStatusText": PO_STATUS.get(o["komet_status"], o["komet_status"]),
        "state": o["state"],
        "comments": o["comments"],
        "firstSeen": o["first_seen"],
        "lastChanged": o["last_synced"],  # the column is set only when a sync finds the PO new or changed
        "orderedBoxes": sum(ln["orderedBoxes"] for ln in live),
        "confirmedBoxes": sum(ln["confirmedBoxes"] or 0 for ln in live),
        "shippedBoxes": sum(ln["shippedBoxes"] for ln in live),
        "confirmations": dict(states),
        "lines": lines,
    }


def _lines(c: sqlite3.Connection, order_ids: list[int]) -> dict[int, list[dict]]:
    if not order_ids:
        return {}
    marks = ",".join("?" * len(order_ids))
    assigned = {
        r["line_id"]: r["n"]
        for r in c.execute(
            "SELECT b.line_id, count(*) AS n FROM boxes b JOIN lines l ON l.id = b.line_id "
            f"WHERE l.order_id IN ({marks}) "
            "GROUP BY b.line_id",
            order_ids,
        )
    }
    out: dict[int, list[dict]] = defaultdict(list)
    for r in c.execute(f"SELECT * FROM lines WHERE order_id IN ({marks}) ORDER BY order_id, id", order_ids):
        out[r["order_id"]].append(line_view(r, assigned.get(r["id"], 0)))
    return out


def list_orders(
    world: AsinfoWorld,
    account_id: int,
    ship_date: str | None = None,
    state: str | None = None,
    connection_id: int | None = None,
) -> list[dict]:
    where: list[str] = ["o.account_id = ?"]
    args: list[object] = [account_id]
    for column, value in (("o.ship_date", ship_date), ("o.state", state), ("o.connection_id", connection_id)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    with world.store.read() as c:
        rows = c.execute(
            "SELECT o.*, cn.name AS importer FROM orders o JOIN connections cn ON cn.id = o.connection_id "
            f"WHERE {' AND '.join(where)} ORDER BY o.ship_date, o.number",
            args,
        ).fetchall()
        lines = _lines(c, [r["id"] for r in rows])
        return [order_view(r, lines.get(r["id"], []), r["importer"]) for r in rows]


def get_order(world: AsinfoWorld, account_id: int, order_id: int) -> dict:
    with world.store.read() as c:
        row = c.execute(
            "SELECT o.*, cn.name AS importer FROM orders o JOIN connections cn ON cn.id = o.connection_id "
            "WHERE o.id = ? AND o.account_id = ?",
            (order_id, account_id),
        ).fetchone()
        if row is None:
            raise NotFound("orderId", f"purchase order {order_id} does not exist")
        return order_view(row, _lines(c, [order_id]).get(order_id, []), row["importer"])


def get_line(world: AsinfoWorld, account_id: int, line_id: int) -> dict:
    """One line as its order shows it (with what is assigned and confirmed)."""
    with world.store.read() as c:
        row = c.execute(
            "SELECT order_id FROM lines WHERE id = ? AND account_id = ?", (line_id, account_id)
        ).fetchone()
    if row is None:
        raise NotFound("lineId", f"line {line_id} does not exist")
    order = get_order(world, account_id, row["order_id"])
    return next(ln for ln in order["lines"] if ln["id"] == line_id)


def ship_dates(world: AsinfoWorld, account_id: int) -> list[str]:
    return [
        r["ship_date"]
        for r in world.store.all(
            "SELECT DISTINCT ship_date FROM orders WHERE account_id = ? ORDER BY ship_date", (account_id,)
        )
    ]
