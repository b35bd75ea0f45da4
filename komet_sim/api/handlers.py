"""One function per API method, named after it: validated params in, one domain call, envelope out."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .. import wire
from ..decisions import FUTURE_INVENTORY_MAX_SPAN, line_status_filter, po_status_filter
from ..domain import awb_lists, box_codes, catalog, creation, errors, orders, receiving, shipping, tokens
from ..domain.tokens import Caller
from ..messages import text
from ..methods import METHODS

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld


def login(world: KometWorld, caller: None, p: dict) -> dict:
    return wire.success("login", text("ok"), {"apiKey": tokens.login(world, p["username"], p["password"])})


def purchase_order_list(world: KometWorld, caller: Caller, p: dict) -> dict:
    by_id = p.get("awbId") is not None or p.get("inboundTruckId") is not None
    if not by_id and not p.get("date") and not p.get("number"):
        raise errors.DateOrNumber(field="date")
    if p.get("status"):
        code = po_status_filter(p["status"])
        if code is None:
            raise errors.InvalidParam(
                field="status",
                name="status",
                reason="use Confirmed by Farm, Approved, Pending Approval or Cancelled",
            )
        p["status"] = code
    if p.get("statusLine"):
        code = line_status_filter(p["statusLine"])
        if code is None:
            raise errors.InvalidParam(
                field="statusLine",
                name="statusLine",
                reason="use Pending, Partial Confirmed, Confirmed, Shipped or Cancelled",
            )
        p["statusLine"] = code
    start, end = p.get("futureInventoryAvailableFrom"), p.get("futureInventoryAvailableTo")
    if start and end:
        span = date.fromisoformat(end) - date.fromisoformat(start)
        if span < span.__class__(0) or span > FUTURE_INVENTORY_MAX_SPAN:
            raise errors.FutureSpan(field="futureInventoryAvailableTo")
    return _listing("purchase.order.list", "purchaseOrders", orders.list_purchase_orders(world, caller, p))


def purchase_order_item_confirm(world: KometWorld, caller: Caller, p: dict) -> dict:
    orders.confirm_item(world, caller, p["poItemId"], p["quantityConfirmed"])
    return wire.success("purchase.order.item.confirm", text("ok"))


def purchase_order_item_awb_add(world: KometWorld, caller: Caller, p: dict) -> dict:
    done = shipping.ship_one(
        world, caller, p["poItemId"], p["awb"], p["shipDate"], p.get("boxCodes"), p.get("lotNumber")
    )
    payload = {"boxCodes": done["boxCodes"]}
    if "newPOItemId" in done:
        payload["newPOItemId"] = done["newPOItemId"]
    return wire.success("purchase.order.item.awb.add", text("ok"), payload)


def purchase_order_items_awb_add(world: KometWorld, caller: Caller, p: dict) -> dict:
    vendor_id = None
    if not caller.is_vendor:
        if p.get("vendorId") is None:
            raise errors.VendorRequired(field="vendorId")
        vendor_id = p["vendorId"]
    results = shipping.ship_many(world, caller, p["poItems"], vendor_id)
    ok = sum(1 for r in results if r["status"] == 1)
    return wire.success(
        "purchase.order.items.awb.add",
        text("items_summary", ok=ok, failed=len(results) - ok),
        {"purchaseOrderItemDetailsAWBAddAPIResultList": results},
        ok=ok > 0,
    )


def box_code_change(world: KometWorld, caller: Caller, p: dict) -> dict:
    results = box_codes.change_box_codes(world, caller, p["boxes"])
    ok = sum(1 for r in results if r["status"] == 1)
    return wire.success(
        "box.code.change",
        text("boxes_summary", ok=ok, failed=len(results) - ok),
        {"boxes": results},
        ok=ok > 0,
    )


def purchase_order_item_delete(world: KometWorld, caller: Caller, p: dict) -> dict:
    orders.delete_item(world, caller, p["poItemId"])
    return wire.success("purchase.order.item.delete", text("ok"))


def purchase_order_create(world: KometWorld, caller: Caller, p: dict) -> dict:
    if "AWB Number" in p:
        p.setdefault("awbNumber", p.pop("AWB Number"))
    if not caller.is_vendor and p.get("vendorId") is None and not p.get("vendorCode"):
        raise errors.MissingParam(field="vendorId", name="vendorId")  # required unless a Vendor token
    made = creation.create_purchase_order(world, caller, p)
    return wire.success("purchase.order.create", text("po_created"), made)


def _listing(method: str, key: str, items: list[dict]) -> dict:
    """A list reply; an empty list says so in its message, as the method table decides per method."""
    empty = METHODS[method].empty
    message = text(empty) if empty and not items else text("ok")
    return wire.success(method, message, {key: items})


def boxtype_list(world: KometWorld, caller: Caller, p: dict) -> dict:
    return _listing("boxtype.list", "boxtypes", catalog.list_boxtypes(world, caller, p))


def product_list(world: KometWorld, caller: Caller, p: dict) -> dict:
    return _listing("product.list", "products", catalog.list_products(world, caller, p))


def vendor_list(world: KometWorld, caller: Caller, p: dict) -> dict:
    return _listing("vendor.list", "vendors", catalog.list_vendors(world, caller, p))


def carrier_list(world: KometWorld, caller: Caller, p: dict) -> dict:
    return _listing("carrier.list", "carriers", catalog.list_carriers(world, caller, p))


def location_list(world: KometWorld, caller: Caller, p: dict) -> dict:
    return _listing("location.list", "locations", catalog.list_locations(world, caller, p))


def customer_list(world: KometWorld, caller: Caller, p: dict) -> dict:
    return _listing("customer.list", "customers", catalog.list_customers(world, caller, p))


def _awbs(world: KometWorld, caller: Caller, p: dict, details: bool) -> dict:
    if not p.get("awb") and not p.get("shipDate"):
        raise errors.AwbOrShipDate(field="awb")
    if p.get("awb") and not p["awb"].isdigit():
        raise errors.InvalidParam(field="awb", name="awb", reason="the last four digits of the AWB")
    method = "awb.details.list" if details else "awb.list"
    return _listing(method, "awbs", awb_lists.list_awbs(world, caller, p, details))


def awb_list(world: KometWorld, caller: Caller, p: dict) -> dict:
    return _awbs(world, caller, p, details=False)


def awb_details_list(world: KometWorld, caller: Caller, p: dict) -> dict:
    return _awbs(world, caller, p, details=True)


def box_warehouse_receive(world: KometWorld, caller: Caller, p: dict) -> dict:
    receiving.receive_box(world, caller, p["boxCode"], p.get("position"), p.get("companyLocationId"))
    return wire.success("box.warehouse.receive", text("success"))
