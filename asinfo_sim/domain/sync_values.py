"""Sync (A2), reading Komet: a purchase order and a line of `purchase.order.list` as the values of ASINFO's
columns, and which of those columns count as a change."""

from __future__ import annotations

from ..komet_client import as_int

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
