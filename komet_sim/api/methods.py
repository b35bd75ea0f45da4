"""The method table: every API method with its HTTP verb, documented parameters and handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from simkit.params import P

from . import handlers as h


@dataclass(frozen=True)
class Method:
    name: str
    verb: str
    params: tuple[P, ...]
    handler: Callable
    auth: bool = True


SHIP_ITEM = (
    P("poItemId", "int", True, 20),
    P("awb", "str", True, 25),
    P("shipDate", "date", True),
    P("boxCodes", "list", size=20),
    P("lotNumber", "str", size=10),
)
LINE = (
    P("prebookItemId", "int", size=20),
    P("productId", "int", size=20),
    P("productCode", "str", size=20),
    P("productDescription", "str", size=200),
    P("boxTypeId", "int", size=20),
    P("boxTypeCode", "str", size=3),
    P("boxes", "int", size=5),
    P("unitType", "str", size=5),
    P("bunches", "int", size=5),
    P("stemsBunch", "int", size=5),
    P("units", "int", size=10),
    P("cost", "decimal"),
    P("markCode", "str", size=20),
    P("notes", "str", size=200),
    P("customerId", "int", size=20),
    P(
        "breakdowns",
        "objects",
        fields=(
            P("productId", "int", size=20),
            P("productCode", "str", size=20),
            P("productDescription", "str", size=200),
            P("bunches", "int", size=5),
            P("stemsBunch", "int", size=5),
            P("cost", "decimal"),
        ),
    ),
)
AWB_FILTERS = (
    P("awb", "str", size=4),
    P("shipDate", "date"),
    P("originCode", "str", size=5),
    P("locationCode", "str", size=10),
)

_TABLE = [
    Method(
        "login",
        "POST",
        (P("username", "str", True, 100), P("password", "str", True, 100)),
        h.login,
        auth=False,
    ),
    Method(
        "purchase.order.list",
        "GET",
        (
            P("date", "date"),
            P("futureInventoryAvailableFrom", "date"),
            P("futureInventoryAvailableTo", "date"),
            P("vendor", "str", size=50),
            P("vendorId", "int", size=10),
            P("customerId", "int", size=20),
            P("customerPONumber", "str", size=20),
            P("product", "str", size=100),
            P("number", "csv_str", size=10),
            P("origin", "str", size=4),
            P("prebook", "str", size=10),
            P("awbId", "int", size=20),
            P("inboundTruckId", "int", size=20),
            P("locationId", "int", size=10),
            P("status", "str", size=20),
            P("statusLine", "str", size=20),
            P("purchaseOrderItemIds", "csv_int"),
        ),
        h.purchase_order_list,
    ),
    Method(
        "purchase.order.item.confirm",
        "POST",
        (P("poItemId", "int", True, 20), P("quantityConfirmed", "int", True, 5)),
        h.purchase_order_item_confirm,
    ),
    Method("purchase.order.item.awb.add", "POST", SHIP_ITEM, h.purchase_order_item_awb_add),
    Method(
        "purchase.order.items.awb.add",
        "POST",
        (
            P("poItems", "objects", True, fields=(*SHIP_ITEM, P("houseAWB", "str", size=25))),
            P("vendorId", "int", size=20),
        ),
        h.purchase_order_items_awb_add,
    ),
    Method(
        "box.code.change",
        "POST",
        (
            P(
                "boxes",
                "objects",
                True,
                fields=(P("currentBoxCode", "str", True, 20), P("newBoxCode", "str", True, 20)),
            ),
        ),
        h.box_code_change,
    ),
    Method(
        "purchase.order.item.delete", "POST", (P("poItemId", "int", True, 20),), h.purchase_order_item_delete
    ),
    Method(
        "purchase.order.create",
        "POST",
        (
            P("shipDate", "date", True),
            P("vendorId", "int", size=20),
            P("vendorCode", "str", size=20),
            P("companyLocationCode", "str", size=10),
            P("carrierId", "int", size=20),
            P("carrierCode", "str", size=20),
            P("AWB Number", "str", size=25),
            P("awbNumber", "str", size=25),
            P("purchaseOrderNumber", "str", size=10),
            P("purchaseOrderItems", "objects", True, fields=LINE),
        ),
        h.purchase_order_create,
    ),
    Method("boxtype.list", "GET", (P("id", "int", size=20), P("code", "str", size=3)), h.boxtype_list),
    Method(
        "product.list",
        "GET",
        (P("id", "int", size=20), P("description", "str", size=200), P("legacyCode", "str", size=50)),
        h.product_list,
    ),
    Method(
        "vendor.list",
        "GET",
        (
            P("id", "int", size=20),
            P("name", "str", size=200),
            P("code", "str", size=10),
            P("portOrigin", "str", size=4),
            P("includeInactive", "bool"),
        ),
        h.vendor_list,
    ),
    Method(
        "carrier.list",
        "GET",
        (P("id", "int", size=20), P("name", "str", size=200), P("code", "str", size=10), P("active", "bool")),
        h.carrier_list,
    ),
    Method(
        "location.list",
        "GET",
        (P("id", "int", size=20), P("name", "str", size=200), P("code", "str", size=10)),
        h.location_list,
    ),
    Method(
        "customer.list",
        "GET",
        (
            P("id", "int", size=20),
            P("name", "str", size=200),
            P("code", "str", size=10),
            P("salesPersonId", "int", size=20),
            P("includeInactive", "bool"),
            P("locationId", "int", size=20),
            P("updateAsOf", "date"),
        ),
        h.customer_list,
    ),
    Method("awb.list", "GET", AWB_FILTERS, h.awb_list),
    Method("awb.details.list", "GET", AWB_FILTERS, h.awb_details_list),
    Method(
        "box.warehouse.receive",
        "POST",
        (P("boxCode", "str", True, 20), P("position", "str", size=4), P("companyLocationId", "int", size=20)),
        h.box_warehouse_receive,
    ),
]
METHODS: dict[str, Method] = {m.name: m for m in _TABLE}
