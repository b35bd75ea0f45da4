"""Purchase orders as `purchase.order.list` shows them: headers, details[], boxes[], breakdowns[],
customFields[] (field names from docs/komet-api.md A1). Built with one query per level, never per row; fields
a recording showed that kasim does not model follow the modelled ones (K28, `extras`)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import TYPE_CHECKING

from ..decisions import BOX_STATUS_TEXT, reference
from . import extras

if TYPE_CHECKING:
    pass

LINE_SQL = """
SELECT i.*, p.description AS product_name, p.unknown AS product_unknown, b.code AS box_code,
       cu.name AS customer_name, ca.name AS carrier_name
FROM po_items i
LEFT JOIN products p ON p.id = i.product_id
LEFT JOIN boxtypes b ON b.id = i.box_type_id
LEFT JOIN customers cu ON cu.id = i.customer_id
LEFT JOIN carriers ca ON ca.id = i.carrier_id
WHERE i.po_id IN ({marks}) ORDER BY i.po_id, i.id
"""

PO_SQL = """
SELECT po.*, v.name AS vendor_name, v.port_origin AS origin, l.name AS location_name
FROM purchase_orders po
JOIN vendors v ON v.id = po.vendor_id
LEFT JOIN locations l ON l.id = po.location_id
"""


def _money(value: float) -> float:
    return round(value + 0.0, 2)


def line_view(r: sqlite3.Row, boxes: list, breakdowns: list, custom: list) -> dict:
    total_units = r["units"] * r["total_boxes"]
    view = {
        "poItemId": r["id"],
        "productId": reference(r["product_id"]),
        "productDescription": r["product_description"],
        "boxType": r["box_code"],
        "totalBoxes": r["total_boxes"],
        "quantityConfirmed": r["quantity_confirmed"],
        "unitType": r["unit_type"],
        "units": r["units"],
        "bunches": r["bunches"],
        "stemsBunch": r["stems_bunch"],
        "totalUnits": total_units,
        "unitCost": r["unit_cost"],
        "totalCost": _money(total_units * r["unit_cost"]),
        "markCode": r["mark_code"],
        "notes": r["notes"],
        "lineItemStatus": r["status"],
        "orderType": r["order_type"],
        "standingOrder": r["standing_order"],
        "prebook": r["prebook"],
        "prebookItemId": reference(r["prebook_item_id"]),
        "prebookTruckDate": r["prebook_truck_date"],
        "customerId": reference(r["customer_id"]),
        "customerName": r["customer_name"],
        "carrierId": reference(r["carrier_id"]),
        "carrierName": r["carrier_name"],
        "referenceNumber": r["reference_number"],
        "customField1": r["custom_field1"],
        "breakdowns": breakdowns,
        "customFields": custom,
    }
    if r["status"] == "S":  # boxes[] only once the grower has shipped (docs/komet-api.md A1)
        view["boxes"] = boxes
    return view


def box_view(r: sqlite3.Row) -> dict:
    return {
        "boxCode": r["code"],
        "lotNumber": r["lot_number"],
        "statusId": r["status_id"],
        "statusName": BOX_STATUS_TEXT[r["status_id"]],
        "position": r["position"],
    }


def purchase_orders(c: sqlite3.Connection, po_rows: list, line_filter=None) -> list[dict]:
    """Full views of the given PO rows (from PO_SQL). `line_filter(row) -> bool` keeps some lines only;
    then POs left without lines are dropped. Header totals always count every live line."""
    if not po_rows:
        return []
    ids = [r["id"] for r in po_rows]
    marks = ",".join("?" * len(ids))
    all_lines = c.execute(LINE_SQL.format(marks=marks), ids).fetchall()
    totals: dict[int, list[float]] = defaultdict(lambda: [0, 0.0])
    for r in all_lines:
        if r["status"] != "X":
            totals[r["po_id"]][0] += r["total_boxes"]
            totals[r["po_id"]][1] += r["units"] * r["total_boxes"] * r["unit_cost"]
    lines = [r for r in all_lines if line_filter is None or line_filter(r)]
    item_ids = [r["id"] for r in lines]
    kept = extras.load(c, po_rows[0]["company_id"], extras.ENTITIES[:5])
    more = {entity: kept.get(entity, {}) for entity in extras.ENTITIES[:5]}
    boxes, breakdowns, custom = defaultdict(list), defaultdict(list), defaultdict(list)
    if item_ids:
        imarks = ",".join("?" * len(item_ids))
        for b in c.execute(f"SELECT * FROM boxes WHERE po_item_id IN ({imarks}) ORDER BY id", item_ids):
            boxes[b["po_item_id"]].append(extras.merged(box_view(b), more["boxes"].get(b["id"])))
        for b in c.execute(f"SELECT * FROM breakdowns WHERE po_item_id IN ({imarks}) ORDER BY id", item_ids):
            view = {
                "productId": reference(b["product_id"]),
                "productDescription": b["product_description"],
                "bunches": b["bunches"],
                "stemsBunch": b["stems_bunch"],
                "cost": b["cost"],
            }
            breakdowns[b["po_item_id"]].append(extras.merged(view, more["breakdowns"].get(b["id"])))
        for f in c.execute(
            f"SELECT * FROM custom_fields WHERE po_item_id IN ({imarks}) ORDER BY id", item_ids
        ):
            view = {
                "customFieldId": f["custom_field_id"],
                "customFieldValueId": f["custom_field_value_id"],
                "fieldName": f["field_name"],
                "value": f["value"],
            }
            custom[f["po_item_id"]].append(extras.merged(view, more["custom_fields"].get(f["id"])))
    by_po = defaultdict(list)
    for r in lines:
        view = line_view(r, boxes[r["id"]], breakdowns[r["id"]], custom[r["id"]])
        by_po[r["po_id"]].append(extras.merged(view, more["po_items"].get(r["id"])))
    result = []
    for po in po_rows:
        details = by_po.get(po["id"], [])
        if line_filter is not None and not details:
            continue
        boxes_total, cost_total = totals[po["id"]]
        header = {
            "id": po["id"],
            "number": po["number"],
            "shipDate": po["ship_date"],
            "vendorId": po["vendor_id"],
            "vendorName": po["vendor_name"],
            "origin": po["origin"],
            "locationId": reference(po["location_id"]),
            "locationName": po["location_name"],
            "status": po["status"],
            "totalBoxes": boxes_total,
            "totalCost": _money(cost_total),
            "comments": po["comments"],
            "createdOn": po["created_on"],
            "updatedOn": po["updated_on"],
            "details": details,
        }
        result.append(extras.merged(header, more["purchase_orders"].get(po["id"])))
    return result
