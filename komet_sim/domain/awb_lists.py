"""AWB lists (K12): `awb.list` and `awb.details.list`, each AWB with its boxes; a Vendor caller sees only
its own."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..decisions import BOX_STATUS_TEXT, awb_is_open, reference
from . import extras
from .tokens import Caller

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld


def list_awbs(world: KometWorld, caller: Caller, f: dict, details: bool = False) -> list[dict]:
    """`awb.list` / `awb.details.list`: `awb` is the last four digits; a Vendor caller sees only its boxes."""
    where: list[str] = ["a.company_id = ?"]
    args: list[object] = [caller.company_id]
    if f.get("awb"):
        where.append("a.awb_digits LIKE ?")
        args.append(f"%{f['awb']}")
    if f.get("shipDate"):
        where.append("a.ship_date = ?")
        args.append(f["shipDate"])
    if f.get("originCode"):
        where.append("lower(a.origin) = lower(?)")
        args.append(f["originCode"])
    if f.get("locationCode"):
        where.append("lower(a.location_code) = lower(?)")
        args.append(f["locationCode"])
    today = world.clock.today()
    out = []
    with world.store.read() as c:
        awbs = c.execute(
            f"SELECT a.* FROM awbs a WHERE {' AND '.join(where)} ORDER BY a.ship_date, a.id", args
        ).fetchall()
        kept = extras.load(c, caller.company_id, ("awbs",)).get("awbs", {}) if awbs else {}
        by_awb: dict[int, list] = {a["id"]: [] for a in awbs}
        if awbs:  # every AWB's boxes in one query, not one per AWB
            for b in c.execute(
                "SELECT b.*, i.unit_cost, i.units, ca.name AS carrier_name, ca.code AS carrier_code, "
                "i.customer_id, po.vendor_id, i.prebook_truck_date FROM boxes b "
                "JOIN po_items i ON i.id = b.po_item_id JOIN purchase_orders po ON po.id = i.po_id "
                f"LEFT JOIN carriers ca ON ca.id = i.carrier_id WHERE b.awb_id IN ({','.join('?' * len(awbs))}) "
                "ORDER BY b.id",
                list(by_awb),
            ):
                by_awb[b["awb_id"]].append(b)
        for a in awbs:
            boxes = by_awb[a["id"]]
            if caller.is_vendor:
                boxes = [b for b in boxes if b["vendor_id"] == caller.vendor_id]
                if not boxes:
                    continue
            view = {
                "awbId": a["id"],
                "awb": a["awb"],
                "origin": a["origin"],
                "shipDate": a["ship_date"],
                "arrivalDate": a["arrival_date"],
                "pieces": len(boxes),
                "piecesReceived": sum(1 for b in boxes if b["status_id"] == 2),
                "boxesCodes": ",".join(b["code"] for b in boxes),
                "locationCode": a["location_code"],
                "status": 1 if awb_is_open(date.fromisoformat(a["ship_date"]), today) else 0,
            }
            if details:
                view["boxes"] = [
                    {
                        "code": b["code"],
                        "unitCost": b["unit_cost"],
                        "carrierName": b["carrier_name"],
                        "carrierCode": b["carrier_code"],
                        "truckDate": b["prebook_truck_date"],
                        "shipToId": reference(b["customer_id"]),
                        "poItemId": b["po_item_id"],
                        "lotNumber": b["lot_number"],
                        "houseAWB": b["house_awb"],
                        "statusId": b["status_id"],
                        "statusName": BOX_STATUS_TEXT[b["status_id"]],
                    }
                    for b in boxes
                ]
            out.append(extras.merged(view, kept.get(a["id"])))
    return out
