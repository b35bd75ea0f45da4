"""Shipping (K8): lines onto AWBs with box codes and lot numbers, an AWB created on first use, splits.
Box codes and their changes (K9) are in `box_codes`, warehouse receipt in `receiving`, the AWB lists (K12)
in `awb_lists`."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING

from simkit.ids import digits

from ..decisions import (
    AWB_ARRIVAL_AFTER,
    BOX_CODE_DIGITS,
    BOX_CODE_PREFIX,
    SHIPPABLE_LINE_STATUSES,
    awb_is_open,
    awb_key,
    lot_in_komet_range,
)
from . import errors
from .box_codes import _code_taken
from .orders import get_item, refresh_po
from .tokens import Caller

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld


def _awb(
    c: sqlite3.Connection,
    world: KometWorld,
    caller: Caller,
    awb: str,
    ship_date: str,
    origin: str,
    location_code: str | None,
):
    """The AWB with this number, created on first use (K8); a closed one takes no more boxes."""
    key = awb_key(awb)
    row = c.execute(
        "SELECT * FROM awbs WHERE company_id = ? AND awb_digits = ?", (caller.company_id, key)
    ).fetchone()
    if row is None:
        awb_id = world.next_id("awb")
        arrival = (date.fromisoformat(ship_date) + AWB_ARRIVAL_AFTER).isoformat()
        c.execute(
            "INSERT INTO awbs(id, company_id, awb, awb_digits, origin, ship_date, arrival_date, location_code, "
            "created_on) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                awb_id,
                caller.company_id,
                awb.strip(),
                key,
                origin,
                ship_date,
                arrival,
                location_code,
                world.clock.stamp(),
            ),
        )
        row = c.execute("SELECT * FROM awbs WHERE id = ?", (awb_id,)).fetchone()
    elif row["ship_date"] != ship_date:  # an AWB keeps the ship date of its first use (K14)
        if caller.is_vendor and not _vendor_on_awb(c, row["id"], caller.vendor_id):
            raise errors.AwbShipDateOther(awb=awb, given=ship_date)  # another vendor's date is theirs (K8)
        raise errors.AwbShipDate(awb=awb, existing=row["ship_date"], given=ship_date)
    if not awb_is_open(date.fromisoformat(row["ship_date"]), world.clock.today()):
        raise errors.AwbClosed(awb=awb)
    return row


def _vendor_on_awb(c: sqlite3.Connection, awb_id: int, vendor_id: int | None) -> bool:
    return (
        c.execute(
            "SELECT 1 FROM boxes b JOIN po_items i ON i.id = b.po_item_id JOIN purchase_orders po "
            "ON po.id = i.po_id WHERE b.awb_id = ? AND po.vendor_id = ? LIMIT 1",
            (awb_id, vendor_id),
        ).fetchone()
        is not None
    )


def _new_box_code(c: sqlite3.Connection, world: KometWorld, company_id: int) -> str:
    while True:
        n = world.next_id("box_code")
        code = BOX_CODE_PREFIX + digits(world.seed, f"box:{company_id}", n, BOX_CODE_DIGITS)
        if not c.execute(
            "SELECT 1 FROM boxes WHERE company_id = ? AND code = ?", (company_id, code)
        ).fetchone():
            return code


def _next_lot(c: sqlite3.Connection, company_id: int) -> str:
    c.execute("UPDATE companies SET lot_sequence = lot_sequence + 1 WHERE company_id = ?", (company_id,))
    return str(
        c.execute("SELECT lot_sequence FROM companies WHERE company_id = ?", (company_id,)).fetchone()[0]
    )


def ship_line(
    c: sqlite3.Connection,
    world: KometWorld,
    caller: Caller,
    item_id: int,
    awb: str,
    ship_date: str,
    box_codes: list[str] | None,
    lot_number: str | None,
    house_awb: str | None = None,
    vendor_id: int | None = None,
) -> dict:
    """One line onto an AWB, inside the caller's transaction. Raises a KometError and writes nothing
    when a rule refuses."""
    item = get_item(c, caller, item_id)
    if vendor_id is not None and item["vendor_id"] != vendor_id:
        raise errors.ItemNotFound(id=item_id)
    if item["status"] == "S":
        raise errors.AlreadyShipped(id=item_id)
    if item["status"] == "X" or item["po_status"] == "CA":
        raise errors.ItemCancelled(id=item_id)
    if item["status"] not in SHIPPABLE_LINE_STATUSES:
        raise errors.NotConfirmed(id=item_id)
    product = c.execute("SELECT unknown FROM products WHERE id = ?", (item["product_id"],)).fetchone()
    if product is None or product["unknown"]:
        raise errors.ProductUnknown(product=item["product_description"])
    confirmed = item["quantity_confirmed"]
    count = len(box_codes) if box_codes is not None else confirmed
    if count == 0:
        raise errors.NoBoxes(id=item_id)
    if count > confirmed:
        raise errors.TooManyBoxes(boxes=count, id=item_id, confirmed=confirmed)
    if box_codes is not None:
        seen: set[str] = set()
        for code in box_codes:
            if code in seen:
                raise errors.BoxCodeRepeated(code=code)
            seen.add(code)
            if (
                _code_taken(c, caller.company_id, item["vendor_id"], code)
                and world.plant != "reused-box-code"  # planted bug: a code Komet holds is taken again
            ):
                raise errors.BoxCodeExists()
    if lot_number is not None and lot_in_komet_range(lot_number):
        raise errors.LotInKometRange(lot=lot_number)
    vendor = c.execute("SELECT port_origin FROM vendors WHERE id = ?", (item["vendor_id"],)).fetchone()
    location = c.execute(
        "SELECT l.code FROM purchase_orders po LEFT JOIN locations l ON l.id = po.location_id "
        "WHERE po.id = ?",
        (item["po_id"],),
    ).fetchone()
    awb_row = _awb(c, world, caller, awb, ship_date, vendor["port_origin"], location["code"])
    lot = lot_number if lot_number is not None else _next_lot(c, caller.company_id)
    codes = (
        list(box_codes)
        if box_codes is not None
        else [_new_box_code(c, world, caller.company_id) for _ in range(count)]
    )
    stamp = world.clock.stamp()
    new_item_id = None
    if count < item["total_boxes"]:
        new_item_id = _split(c, world, item, item["total_boxes"] - count, stamp)
    for code in codes:
        c.execute(
            # planted bug reused-box-code: the reply says shipped, the reused code's box is silently not kept
            f"INSERT {'OR IGNORE ' if world.plant == 'reused-box-code' else ''}INTO boxes(id, company_id, code, "
            "po_item_id, awb_id, house_awb, lot_number, status_id, "
            "shipped_on) VALUES (?,?,?,?,?,?,?,1,?)",
            (world.next_id("box"), caller.company_id, code, item_id, awb_row["id"], house_awb, lot, stamp),
        )
    c.execute(
        "UPDATE po_items SET status = 'S', total_boxes = ?, quantity_confirmed = ?, awb_id = ?, house_awb = ?, "
        "lot_number = ?, updated_on = ? WHERE id = ?",
        (
            item["total_boxes"] if world.plant == "split-keeps-full" else count,  # planted bug: not reduced
            count,
            awb_row["id"],
            house_awb,
            lot,
            stamp,
            item_id,
        ),
    )
    refresh_po(c, item["po_id"], stamp)
    result = {"poItemId": item_id, "boxCodes": codes, "lotNumber": lot, "awbId": awb_row["id"]}
    if new_item_id is not None:
        result["newPOItemId"] = new_item_id
    return result


def splits(world: KometWorld, company_id: int, po_id: int) -> dict[int, int]:
    """K8 as the importer's PO page shows it: each remainder line of the PO → the line it was split from."""
    return {
        r["id"]: r["split_from"]
        for r in world.store.all(
            "SELECT id, split_from FROM po_items WHERE po_id = ? AND company_id = ? AND split_from IS NOT NULL",
            (po_id, company_id),
        )
    }


def _split(c: sqlite3.Connection, world: KometWorld, item, remainder: int, stamp: str) -> int:
    """K8: the shipped part keeps poItemId; the rest becomes a new Pending line."""
    new_id = world.next_id("po_item")
    skip = {"id", "vendor_id", "po_status", "po_number", "po_ship_date"}
    columns = [k for k in item.keys() if k not in skip]  # noqa: SIM118 (sqlite3.Row iterates values)
    values = {k: item[k] for k in columns}
    values.update(
        total_boxes=remainder,
        quantity_confirmed=0,
        status="P",
        awb_id=None,
        house_awb=None,
        lot_number=None,
        split_from=item["id"],
        created_on=stamp,
        updated_on=stamp,
    )
    c.execute(
        f"INSERT INTO po_items(id, {', '.join(columns)}) VALUES (?{', ?' * len(columns)})",
        (new_id, *values.values()),
    )
    for table, seq, cols in (
        ("breakdowns", "breakdown", "product_id, product_description, bunches, stems_bunch, cost"),
        ("custom_fields", "custom_field", "custom_field_id, custom_field_value_id, field_name, value"),
    ):
        for row in c.execute(
            f"SELECT company_id, {cols} FROM {table} WHERE po_item_id = ?", (item["id"],)
        ).fetchall():
            c.execute(
                f"INSERT INTO {table}(id, po_item_id, company_id, {cols}) VALUES (?, ?{', ?' * len(row)})",
                (world.next_id(seq), new_id, *tuple(row)),
            )
    return new_id


def ship_one(
    world: KometWorld, caller: Caller, item_id: int, awb: str, ship_date: str, box_codes, lot_number
) -> dict:
    """`purchase.order.item.awb.add`."""
    with world.store.tx() as c:
        return ship_line(c, world, caller, item_id, awb, ship_date, box_codes, lot_number)


def ship_many(world: KometWorld, caller: Caller, items: list[dict], vendor_id: int | None) -> list[dict]:
    """`purchase.order.items.awb.add`: each line succeeds or fails on its own (per-line results)."""
    results = []
    with world.store.tx():
        for it in items:
            try:
                with world.store.savepoint() as c:
                    done = ship_line(
                        c,
                        world,
                        caller,
                        it["poItemId"],
                        it["awb"],
                        it["shipDate"],
                        it.get("boxCodes"),
                        it.get("lotNumber"),
                        it.get("houseAWB"),
                        vendor_id,
                    )
                done.pop("awbId")
                results.append({"poItemId": it["poItemId"], "status": 1, "message": "OK", **done})
            except errors.KometError as exc:
                results.append(
                    {
                        "poItemId": it["poItemId"],
                        "status": 0,
                        "message": exc.message,
                        "boxCodes": [],
                        "lotNumber": None,
                    }
                )
    return results
