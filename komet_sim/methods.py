"""The method table: every Komet API method described once.

Each entry says how the method is called (verb, documented parameters with their types and sizes), who may
call it (the token types the docs list), how its success reply looks (the payload schema, the type of
`status`, the keys its sample quotes, the message of an empty list) and whether the ASINFO preset ticks it.
Everything else derives from here: the routes, the wire typing (`wire.py`), the token tables and the preset
(tokens, portal), the OpenAPI document, the harness's clients and ASINFO's copy of the verbs
(`asinfo_sim/komet_methods.py`, checked by a test). A method's handler is the function of the same name in
`api/handlers.py` (dots become underscores).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

from simkit.params import P

from . import replies as r

COMPANY = frozenset({"Company"})
COMPANY_VENDOR = frozenset({"Company", "Vendor"})
STRING: Final = "string"
NUMBER: Final = "number"


@dataclass(frozen=True)
class Method:
    """One Komet API method as the docs describe it: verb, parameters, token types and reply typing."""

    name: str
    verb: Literal["GET", "POST"]
    params: tuple[P, ...]
    reply: dict = field(default_factory=dict)  # payload properties of a success (replies.py)
    tokens: frozenset[str] = COMPANY_VENDOR  # token types the docs list for it
    status: Literal["string", "number"] = STRING  # type of `status` on success, as its sample shows
    quoted: frozenset[str] = frozenset()  # payload keys whose values the sample quotes, at any depth
    preset: bool = False  # ticked by the ASINFO preset (K15)
    batch: bool = False  # per-item results; a batch none of whose items succeeded answers status 0
    empty: str | None = None  # messages.py key of the reply when the list is empty
    auth: bool = True  # needs authenticationToken (all but login)
    query: bool = False  # parameters in the URL even though it is a POST (login)
    summary: str = ""

    @property
    def handler(self) -> str:
        return self.name.replace(".", "_")

    @property
    def in_query(self) -> bool:
        """Parameters travel in the query string (GET, and login) rather than a JSON body."""
        return self.verb == "GET" or self.query


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
        r.LOGIN,
        tokens=frozenset(),
        auth=False,
        query=True,
        summary="A user's API key (apiKey) from a username and password",
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
        r.PURCHASE_ORDERS,
        preset=True,
        empty="orders_not_found",
        summary="Purchase orders with their lines, by ship date, number, AWB or filters",
    ),
    Method(
        "purchase.order.item.confirm",
        "POST",
        (P("poItemId", "int", True, 20), P("quantityConfirmed", "int", True, 5)),
        tokens=COMPANY,
        preset=True,
        summary="Set the boxes the grower confirms on a PO line",
    ),
    Method(
        "purchase.order.item.awb.add",
        "POST",
        SHIP_ITEM,
        r.SHIPPED_ONE,
        status=NUMBER,
        preset=True,
        summary="Ship one PO line on an AWB (a remainder becomes newPOItemId)",
    ),
    Method(
        "purchase.order.items.awb.add",
        "POST",
        (
            P("poItems", "objects", True, fields=(*SHIP_ITEM, P("houseAWB", "str", size=25))),
            P("vendorId", "int", size=20),
        ),
        r.SHIPPED_MANY,
        status=NUMBER,
        preset=True,
        batch=True,
        summary="Ship several PO lines on AWBs, with a result per line",
    ),
    Method(
        "purchase.order.item.delete",
        "POST",
        (P("poItemId", "int", True, 20),),
        preset=True,
        summary="Cancel a PO line",
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
        r.CREATED,
        preset=True,
        summary="Create a purchase order (or add lines to one)",
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
        r.CHANGED_BOXES,
        quoted=frozenset({"status"}),
        preset=True,
        batch=True,
        summary="Replace Komet's box codes with the grower's label codes, with a result per box",
    ),
    Method(
        "boxtype.list",
        "GET",
        (P("id", "int", size=20), P("code", "str", size=3)),
        r.BOXTYPES,
        preset=True,
        empty="boxtypes_not_found",
        summary="Box types, ordered by code",
    ),
    Method(
        "product.list",
        "GET",
        (P("id", "int", size=20), P("description", "str", size=200), P("legacyCode", "str", size=50)),
        r.PRODUCTS,
        quoted=frozenset({"id", "divisionId"}),
        preset=True,
        empty="products_not_found",
        summary="Products, ordered by description",
    ),
    Method(
        "carrier.list",
        "GET",
        (P("id", "int", size=20), P("name", "str", size=200), P("code", "str", size=10), P("active", "bool")),
        r.CARRIERS,
        preset=True,
        empty="carriers_not_found",
        summary="Carriers",
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
        r.CUSTOMERS,
        quoted=frozenset({"id", "active"}),
        preset=True,
        empty="customers_not_found",
        summary="Customers",
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
        r.VENDORS,
        tokens=COMPANY,
        quoted=frozenset({"id"}),
        preset=True,
        empty="vendors_not_found",
        summary="Vendors",
    ),
    Method(
        "location.list",
        "GET",
        (P("id", "int", size=20), P("name", "str", size=200), P("code", "str", size=10)),
        r.LOCATIONS,
        tokens=COMPANY,
        quoted=frozenset({"id"}),
        preset=True,
        empty="locations_not_found",
        summary="The company's locations, ordered by name",
    ),
    Method(
        "awb.list",
        "GET",
        AWB_FILTERS,
        r.AWBS,
        tokens=COMPANY,
        status=NUMBER,
        empty="awbs_not_found",
        summary="AWBs by the last four digits or ship date, with pieces and pieces received",
    ),
    Method(
        "awb.details.list",
        "GET",
        AWB_FILTERS,
        r.AWBS_DETAILED,
        tokens=COMPANY,
        status=NUMBER,
        empty="awbs_not_found",
        summary="AWBs with their boxes",
    ),
    Method(
        "box.warehouse.receive",
        "POST",
        (P("boxCode", "str", True, 20), P("position", "str", size=4), P("companyLocationId", "int", size=20)),
        tokens=COMPANY,
        summary="Receive a box at the warehouse (it stops being in transit)",
    ),
]
METHODS: dict[str, Method] = {m.name: m for m in _TABLE}

# Derived tables (each a view of the one above).
TOKEN_METHODS: tuple[str, ...] = tuple(m.name for m in _TABLE if m.auth)  # what a token can enable
DOCUMENTED_TOKEN_TYPES: dict[str, frozenset[str]] = {m.name: m.tokens for m in _TABLE if m.auth}
ASINFO_PRESET: tuple[str, ...] = tuple(m.name for m in _TABLE if m.preset)
GET_METHODS: frozenset[str] = frozenset(m.name for m in _TABLE if m.verb == "GET")

# Methods the Komet docs publish that kasim does not simulate, with their documented verbs: they answer a
# refusal that says so, not "Method not found." (K23; docs/komet-api.md lists them).
NOT_SIMULATED: dict[str, str] = {
    "prebook.create": "POST",
    "prebook.details.list": "GET",
    "prebook.item.delete": "POST",
    "purchase.order.mixed.create": "POST",
    "purchase.order.va.details.list": "GET",
    "purchase.order.item.price.update": "POST",
    "box.externalcode.update": "POST",
    "box.move.awb": "GET",
    "box.warehouse.ship": "POST",
    "box.invoice.shipment.confirm": "POST",
    "company.location.list": "GET",
    "awb.future.list": "GET",
    "inventory.add": "POST",
    "invoice.list": "GET",
    "invoice.confirm": "POST",
    "invoice.pdf.get": "GET",
    "vendor.availability.items.list": "POST",
}
