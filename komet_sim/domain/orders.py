"""Purchase orders and their lines: listing (K6), confirmation (K7), deletion (K10), and the importer's
own actions (create, approve, cancel, change a line)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING

from simkit.errors import BadInput

from ..decisions import VENDOR_SEES_PO_STATUSES, line_status, po_status
from . import confirmations, errors, views
from .catalog import like_pattern
from .tokens import Caller

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld


def importer(world: KometWorld, company_id: int) -> Caller:
    """The importer acting in its own portal: a Company caller with every right."""
    row = world.store.one("SELECT profile FROM companies WHERE company_id = ?", (company_id,))
    if row is None:
        raise BadInput("companyId", f"company {company_id} does not exist", "not_found")
    return Caller(
        token_id=0,
        company_id=company_id,
        type="Company",
        vendor_id=None,
        customer_id=None,
        methods=frozenset(),
        profile=row["profile"],
    )


def refresh_po(c: sqlite3.Connection, po_id: int, stamp: str) -> None:
    """Recompute the PO header status from its live lines (K7) and touch updatedOn."""
    po = c.execute("SELECT status FROM purchase_orders WHERE id = ?", (po_id,)).fetchone()
    live = [
        r["status"]
        for r in c.execute("SELECT status FROM po_items WHERE po_id = ? AND status != 'X'", (po_id,))
    ]
    c.execute(
        "UPDATE purchase_orders SET status = ?, updated_on = ? WHERE id = ?",
        (po_status(po["status"], live), stamp, po_id),
    )


def get_item(c: sqlite3.Connection, caller: Caller, item_id: int):
    """A line the caller may see; another vendor's line does not exist for a Vendor token."""
    row = c.execute(
        "SELECT i.*, po.vendor_id, po.status AS po_status, po.number AS po_number, "
        "po.ship_date AS po_ship_date FROM po_items i JOIN purchase_orders po ON po.id = i.po_id "
        "WHERE i.id = ? AND i.company_id = ?",
        (item_id, caller.company_id),
    ).fetchone()
    if row is None or not _visible(caller, row["vendor_id"], row["po_status"]):
        raise errors.ItemNotFound(id=item_id)
    return row


def _visible(caller: Caller, vendor_id: int, status: str) -> bool:
    if caller.is_vendor:
        return vendor_id == caller.vendor_id and status in VENDOR_SEES_PO_STATUSES
    return True


def list_purchase_orders(world: KometWorld, caller: Caller, f: dict) -> list[dict]:
    """`purchase.order.list` with every documented filter (K19). PO-level filters select POs; line-level
    filters (customerId, product, prebook, awbId, statusLine, purchaseOrderItemIds) select lines, and a
    PO none of whose lines match is left out."""
    where: list[str] = ["po.company_id = ?"]
    args: list[object] = [caller.company_id]
    if caller.is_vendor:
        if world.plant != "vendor-sees-all":  # planted bug: another vendor's POs leak to this token
            where.append("po.vendor_id = ?")
            args.append(caller.vendor_id)
        where.append(f"po.status IN ({','.join('?' * len(VENDOR_SEES_PO_STATUSES))})")
        args.extend(VENDOR_SEES_PO_STATUSES)
    if f.get("inboundTruckId") is not None:
        return []  # inbound trucks are not simulated: no PO is ever on one (K19)
    awb_only = f.get("awbId") is not None
    if awb_only:  # only the POs with a line on that AWB (indexed), not the whole company
        where.append("po.id IN (SELECT po_id FROM po_items WHERE awb_id = ?)")
        args.append(f["awbId"])
    else:
        if f.get("date"):
            where.append("po.ship_date = ?")
            args.append(f["date"])
        if f.get("number"):
            where.append(f"lower(po.number) IN ({','.join('?' * len(f['number']))})")
            args.extend(n.lower() for n in f["number"])
        for param, column in (("vendorId", "po.vendor_id"), ("locationId", "po.location_id")):
            if f.get(param) is not None and not (param == "vendorId" and caller.is_vendor):
                where.append(f"{column} = ?")
                args.append(f[param])
        if f.get("vendor") and not caller.is_vendor:
            where.append("(v.name LIKE ? ESCAPE '\\' OR v.code LIKE ? ESCAPE '\\')")
            args.extend([like_pattern(f["vendor"])] * 2)
        for param, column in (("origin", "v.port_origin"), ("customerPONumber", "po.customer_po")):
            if f.get(param):
                where.append(f"lower({column}) = lower(?)")
                args.append(f[param])
        if f.get("status"):
            where.append("po.status = ?")
            args.append(f["status"])
    line_filter = _line_filter(f, awb_only)
    with world.store.read() as c:
        rows = c.execute(
            views.PO_SQL + " WHERE " + " AND ".join(where) + " ORDER BY po.ship_date, po.id", args
        ).fetchall()
        return views.purchase_orders(c, rows, line_filter)


def _line_filter(f: dict, awb_only: bool):
    tests = []
    if awb_only:
        tests.append(lambda r: r["awb_id"] == f["awbId"])
    else:
        if f.get("customerId") is not None:
            tests.append(lambda r: r["customer_id"] == f["customerId"])
        if f.get("product"):
            needle = f["product"].lower()
            tests.append(lambda r: needle in r["product_description"].lower())
        if f.get("prebook"):
            tests.append(lambda r: (r["prebook"] or "").lower() == f["prebook"].lower())
        if f.get("statusLine"):
            tests.append(lambda r: r["status"] == f["statusLine"])
        if f.get("purchaseOrderItemIds"):
            wanted = set(f["purchaseOrderItemIds"])
            tests.append(lambda r: r["id"] in wanted)
    if not tests:
        return None
    return lambda r: all(t(r) for t in tests)


def confirm_item(world: KometWorld, caller: Caller, item_id: int, quantity: int) -> dict:
    """K7: sets (not adds) the confirmed boxes, 0..ordered."""
    stamp = world.clock.stamp()
    with world.store.tx() as c:
        item = get_item(c, caller, item_id)
        if item["status"] == "S":
            raise errors.ConfirmShipped(id=item_id)
        if item["status"] == "X" or item["po_status"] == "CA":
            raise errors.ConfirmCancelled(id=item_id)
        if item["ecommerce_pending"]:
            raise errors.EcommercePending()
        if world.plant == "confirm-adds":  # planted bug: adds instead of setting (K7: it sets)
            quantity = min(quantity + item["quantity_confirmed"], item["total_boxes"])
        if quantity > item["total_boxes"]:
            raise errors.OverConfirm(quantity=quantity, id=item_id, ordered=item["total_boxes"])
        status = line_status(quantity, item["total_boxes"])
        c.execute(
            "UPDATE po_items SET quantity_confirmed = ?, status = ?, updated_on = ? WHERE id = ?",
            (quantity, status, stamp, item_id),
        )
        refresh_po(c, item["po_id"], stamp)
        confirmations.record(world, c, caller, item_id, item["quantity_confirmed"], quantity, stamp)  # K27
    return {"poItemId": item_id, "quantityConfirmed": quantity, "lineItemStatus": status}


def delete_item(world: KometWorld, caller: Caller, item_id: int) -> dict:
    """K10: the line is cancelled (X), not erased; a shipped line refuses."""
    stamp = world.clock.stamp()
    with world.store.tx() as c:
        item = get_item(c, caller, item_id)
        if item["status"] == "S":
            raise errors.DeleteShipped(id=item_id)
        if item["status"] == "X":
            raise errors.AlreadyCancelled(id=item_id)
        c.execute("UPDATE po_items SET status = 'X', updated_on = ? WHERE id = ?", (stamp, item_id))
        refresh_po(c, item["po_id"], stamp)
    return {"poItemId": item_id, "lineItemStatus": "X"}


# --- the importer's own actions (portal and /__sim/komet/...) -----------------------------------------


def get_purchase_order(world: KometWorld, caller: Caller, po_id: int) -> dict:
    with world.store.read() as c:
        rows = c.execute(
            views.PO_SQL + " WHERE po.id = ? AND po.company_id = ?", (po_id, caller.company_id)
        ).fetchall()
        if not rows or not _visible(caller, rows[0]["vendor_id"], rows[0]["status"]):
            raise BadInput("id", f"purchase order {po_id} does not exist", "not_found")
        return views.purchase_orders(c, rows)[0]


def ship_dates(world: KometWorld, company_id: int) -> list[str]:
    return [
        r["ship_date"]
        for r in world.store.all(
            "SELECT DISTINCT ship_date FROM purchase_orders WHERE company_id = ? ORDER BY ship_date",
            (company_id,),
        )
    ]


def set_po_status(world: KometWorld, caller: Caller, po_id: int, action: str) -> dict:
    """approve: Pending Approval → Approved; cancel: any live PO → Cancelled (its open lines with it)."""
    stamp = world.clock.stamp()
    with world.store.tx() as c:
        po = c.execute(
            "SELECT * FROM purchase_orders WHERE id = ? AND company_id = ?", (po_id, caller.company_id)
        ).fetchone()
        if po is None:
            raise BadInput("id", f"purchase order {po_id} does not exist", "not_found")
        if action == "approve":
            if po["status"] != "PA":
                raise BadInput(
                    "status",
                    f"only a Pending Approval PO can be approved (this one is {po['status']})",
                    "conflict",
                )
            c.execute("UPDATE purchase_orders SET status = 'A', updated_on = ? WHERE id = ?", (stamp, po_id))
            refresh_po(c, po_id, stamp)
        elif action == "cancel":
            if po["status"] == "CA":
                raise BadInput("status", "this purchase order is already cancelled", "conflict")
            if c.execute("SELECT 1 FROM po_items WHERE po_id = ? AND status = 'S'", (po_id,)).fetchone():
                raise BadInput(
                    "status", "a purchase order with shipped lines cannot be cancelled", "conflict"
                )
            c.execute("UPDATE po_items SET status = 'X', updated_on = ? WHERE po_id = ?", (stamp, po_id))
            c.execute("UPDATE purchase_orders SET status = 'CA', updated_on = ? WHERE id = ?", (stamp, po_id))
        else:
            raise BadInput("action", "must be approve or cancel")
    return get_purchase_order(world, caller, po_id)


LINE_CHANGES = {
    "totalBoxes": "total_boxes",
    "notes": "notes",
    "unitCost": "unit_cost",
    "markCode": "mark_code",
}


def change_line(world: KometWorld, caller: Caller, item_id: int, changes: dict) -> dict:
    """The importer edits an open line (`changes`: LINE_CHANGES keys, typed by the caller's spec); a new box
    count resets the grower's confirmation (K20: it must confirm again) so nothing confirmed is silently more
    than ordered."""
    if not changes:  # (an empty text counts as not given) — found by kasim explore: this was a 500
        raise BadInput("body", f"nothing to change: give one of {', '.join(LINE_CHANGES)}")
    boxes = changes.get("totalBoxes")
    stamp = world.clock.stamp()
    with world.store.tx() as c:
        item = get_item(c, caller, item_id)
        if item["status"] in ("S", "X"):
            raise BadInput(
                "poItemId",
                f"line {item_id} is {'shipped' if item['status'] == 'S' else 'cancelled'}"
                " and cannot be changed",
                "conflict",
            )
        sets = {column: changes[key] for key, column in LINE_CHANGES.items() if key in changes}
        if not sets:  # found by Schemathesis: an empty change was an UPDATE with nothing to set, a 500
            raise BadInput("body", f"nothing to change: give {', '.join(LINE_CHANGES)}")
        if boxes is not None and boxes != item["total_boxes"]:
            sets.update(quantity_confirmed=0, status="P")  # a new count must be confirmed again
        # One statement: the confirmation resets together with the count, so the row never holds more
        # confirmed than ordered, even for an instant.
        c.execute(
            f"UPDATE po_items SET {', '.join(f'{col} = ?' for col in sets)}, updated_on = ? WHERE id = ?",
            (*sets.values(), stamp, item_id),
        )
        refresh_po(c, item["po_id"], stamp)
    return get_purchase_order(world, caller, item["po_id"])


def check_ship_date(value) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise BadInput("shipDate", "must be a date YYYY-MM-DD") from None
