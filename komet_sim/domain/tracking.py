"""The importer's view of what the grower did (K12): confirmed lines, and boxes in transit by AWB."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..decisions import BOX_STATUS_TEXT, LINE_STATUS_TEXT, awb_is_open
from . import errors, receiving
from .tokens import Caller

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld


def confirmed_and_in_transit(world: KometWorld, caller: Caller, ship_date: str | None = None) -> dict:
    args: list = [caller.company_id]
    date_clause = ""
    if ship_date:
        date_clause = " AND po.ship_date = ?"
        args.append(ship_date)
    with world.store.read() as c:
        lines = c.execute(
            "SELECT i.id, i.product_description, i.total_boxes, i.quantity_confirmed, i.status, i.mark_code, "
            "po.id AS po_id, po.number, po.ship_date, v.name AS vendor_name FROM po_items i "
            "JOIN purchase_orders po ON po.id = i.po_id JOIN vendors v ON v.id = po.vendor_id "
            f"WHERE i.company_id = ? AND i.status IN ('C', 'PC'){date_clause} ORDER BY po.ship_date, po.id, i.id",
            args,
        ).fetchall()
        boxes = c.execute(
            "SELECT b.code, b.lot_number, b.status_id, b.house_awb, b.position, a.id AS awb_id, a.awb, a.ship_date, "
            "a.arrival_date, a.origin, i.id AS po_item_id, i.product_description, po.number, v.name AS vendor_name "
            "FROM boxes b JOIN awbs a ON a.id = b.awb_id JOIN po_items i ON i.id = b.po_item_id "
            "JOIN purchase_orders po ON po.id = i.po_id JOIN vendors v ON v.id = po.vendor_id "
            f"WHERE b.company_id = ?{date_clause.replace('po.ship_date', 'a.ship_date')} "
            "ORDER BY a.ship_date, a.id, b.id",
            args,
        ).fetchall()
    today = world.clock.today()
    awbs: dict[int, dict] = {}
    for b in boxes:
        awb = awbs.setdefault(
            b["awb_id"],
            {
                "awbId": b["awb_id"],
                "awb": b["awb"],
                "shipDate": b["ship_date"],
                "arrivalDate": b["arrival_date"],
                "origin": b["origin"],
                "open": awb_is_open(date.fromisoformat(b["ship_date"]), today),
                "pieces": 0,
                "piecesReceived": 0,
                "inTransit": [],
                "received": [],
            },
        )
        awb["pieces"] += 1
        view = {
            "boxCode": b["code"],
            "lotNumber": b["lot_number"],
            "houseAWB": b["house_awb"],
            "poNumber": b["number"],
            "poItemId": b["po_item_id"],
            "product": b["product_description"],
            "vendor": b["vendor_name"],
            "statusName": BOX_STATUS_TEXT[b["status_id"]],
            "position": b["position"],
        }
        if b["status_id"] == 2:
            awb["piecesReceived"] += 1
            awb["received"].append(view)
        else:
            awb["inTransit"].append(view)
    return {
        "confirmed": [
            {
                "poItemId": r["id"],
                "poId": r["po_id"],
                "poNumber": r["number"],
                "shipDate": r["ship_date"],
                "vendor": r["vendor_name"],
                "product": r["product_description"],
                "totalBoxes": r["total_boxes"],
                "quantityConfirmed": r["quantity_confirmed"],
                "status": LINE_STATUS_TEXT[r["status"]],
                "markCode": r["mark_code"],
            }
            for r in lines
        ],
        "awbs": list(awbs.values()),
        "inTransitBoxes": sum(len(a["inTransit"]) for a in awbs.values()),
    }


def receive_boxes(
    world: KometWorld,
    caller: Caller,
    codes: list[str],
    position: str | None = None,
    location_id: int | None = None,
) -> list[dict]:
    """The portal's Receive button: each box on its own; a failure is reported, not raised."""
    position = receiving.check_position(position)  # checked once, before any box moves
    results = []
    for code in codes:
        try:
            receiving.receive_box(world, caller, code, position, location_id)
            results.append({"boxCode": code, "status": "received"})
        except errors.KometError as exc:
            results.append({"boxCode": code, "status": "refused", "message": exc.message})
    return results
