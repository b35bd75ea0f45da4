"""How a field of a Komet reply becomes a column of komet_sim's state, and what it must be to be accepted.

One table per kind of object a reply shows: its wire name → (column, kind). Fields komet_sim computes from
others (totals, names joined from master data, a box's status text) are `COMPUTED`; nested lists are walked
by the importer. Any other field of a recorded object is one kasim does not model: it is kept as recorded
(K28). `tests/recording` checks that every field of komet_sim's reply schemas is mapped or computed here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

COMPUTED = "computed"  # komet_sim derives it; nothing to store
NESTED = "nested"  # a list the importer walks (details, boxes, breakdowns, customFields)

# kinds: int (an integer), ref (an id, 0 = none), str, text (a string or null), num, flag (0/1), stamp, date,
# and ("enum", values).
PURCHASE_ORDER = {
    "id": ("id", "int"),
    "number": ("number", "str"),
    "shipDate": ("ship_date", "date"),
    "vendorId": ("vendor_id", "int"),
    "vendorName": COMPUTED,
    "origin": COMPUTED,
    "locationId": ("location_id", "ref"),
    "locationName": COMPUTED,
    "status": ("status", ("enum", ("PA", "A", "CF", "CA"))),
    "totalBoxes": COMPUTED,
    "totalCost": COMPUTED,
    "comments": ("comments", "str"),
    "createdOn": ("created_on", "stamp"),
    "updatedOn": ("updated_on", "stamp"),
    "details": NESTED,
}
LINE = {
    "poItemId": ("id", "int"),
    "productId": ("product_id", "ref"),
    "productDescription": ("product_description", "str"),
    "boxType": COMPUTED,  # the box type's code: the line keeps the box type's id
    "totalBoxes": ("total_boxes", "int"),
    "quantityConfirmed": ("quantity_confirmed", "int"),
    "unitType": ("unit_type", "str"),
    "units": ("units", "int"),
    "bunches": ("bunches", "int"),
    "stemsBunch": ("stems_bunch", "int"),
    "totalUnits": COMPUTED,
    "unitCost": ("unit_cost", "num"),
    "totalCost": COMPUTED,
    "markCode": ("mark_code", "text"),
    "notes": ("notes", "str"),
    "lineItemStatus": ("status", ("enum", ("P", "PC", "C", "S", "X"))),
    "orderType": ("order_type", "str"),
    "standingOrder": ("standing_order", "text"),
    "prebook": ("prebook", "text"),
    "prebookItemId": ("prebook_item_id", "ref"),
    "prebookTruckDate": ("prebook_truck_date", "text"),
    "customerId": ("customer_id", "ref"),
    "customerName": COMPUTED,
    "carrierId": ("carrier_id", "ref"),
    "carrierName": COMPUTED,
    "referenceNumber": ("reference_number", "text"),
    "customField1": ("custom_field1", "text"),
    "breakdowns": NESTED,
    "customFields": NESTED,
    "boxes": NESTED,
}
BOX = {
    "boxCode": ("code", "str"),
    "lotNumber": ("lot_number", "str"),
    "statusId": ("status_id", ("enum", (1, 2))),
    "statusName": COMPUTED,
    "position": ("position", "text"),
}
BREAKDOWN = {
    "productId": ("product_id", "ref"),
    "productDescription": ("product_description", "str"),
    "bunches": ("bunches", "int"),
    "stemsBunch": ("stems_bunch", "int"),
    "cost": ("cost", "num"),
}
CUSTOM_FIELD = {
    "customFieldId": ("custom_field_id", "int"),
    "customFieldValueId": ("custom_field_value_id", "int"),
    "fieldName": ("field_name", "str"),
    "value": ("value", "str"),
}
VENDOR = {
    "id": ("id", "int"),
    "name": ("name", "str"),
    "code": ("code", "str"),
    "portOrigin": ("port_origin", "str"),
    "active": ("active", "flag"),
    "cargoMasterCode": ("cargo_master_code", "text"),
}
CUSTOMER = {
    "id": ("id", "int"),
    "accountingCode": ("accounting_code", "text"),
    "name": ("name", "str"),
    "code": ("code", "str"),
    "active": ("active", "flag"),
    "salesPerson": ("sales_person", "text"),
    "salesPersonId": ("sales_person_id", "ref"),
    "customerType": ("customer_type", "text"),
    "updatedOn": ("updated_on", "stamp"),
}
PRODUCT = {
    "id": ("id", "int"),
    "description": ("description", "str"),
    "active": ("active", "flag"),
    "category": ("category", "text"),
    "divisionId": ("division_id", "ref"),
    "divisionDescription": ("division_description", "text"),
    "variety": ("variety", "text"),
    "color": ("color", "text"),
    "grade": ("grade", "text"),
    "legacyCode": ("legacy_code", "text"),
    "tags": ("tags", "text"),
}
BOXTYPE = {
    "id": ("id", "int"),
    "code": ("code", "str"),
    "kometNetworkName": ("komet_network_name", "text"),
    "kometNetworkId": ("komet_network_id", "ref"),
    "fbe": ("fbe", "num"),
}
CARRIER = {
    "id": ("id", "int"),
    "code": ("code", "str"),
    "name": ("name", "str"),
    "active": ("active", "flag"),
    "street": ("street", "text"),
    "city": ("city", "text"),
    "state": ("state", "text"),
    "zipCode": ("zip_code", "text"),
    "country": ("country", "text"),
    "phone": ("phone", "text"),
    "kometNetworkName": ("komet_network_name", "text"),
    "kometNetworkId": ("komet_network_id", "ref"),
}
LOCATION = {"id": ("id", "int"), "name": ("name", "str"), "code": ("code", "str")}
AWB = {
    "awbId": ("id", "int"),
    "awb": ("awb", "str"),
    "origin": ("origin", "str"),
    "shipDate": ("ship_date", "date"),
    "arrivalDate": ("arrival_date", "date"),
    "pieces": COMPUTED,
    "piecesReceived": COMPUTED,
    "boxesCodes": COMPUTED,
    "locationCode": ("location_code", "text"),
    "status": COMPUTED,
    "boxes": NESTED,
}
AWB_BOX = {  # awb.details.list's boxes: what links a box to its AWB and its line
    "code": ("code", "str"),
    "unitCost": COMPUTED,
    "carrierName": COMPUTED,
    "carrierCode": COMPUTED,
    "truckDate": COMPUTED,
    "shipToId": COMPUTED,
    "poItemId": ("po_item_id", "int"),
    "lotNumber": ("lot_number", "str"),
    "houseAWB": ("house_awb", "text"),
    "statusId": ("status_id", ("enum", (1, 2))),
    "statusName": COMPUTED,
}
# Master-data lists: method → (reply key, spec, table).
LISTS = {
    "vendor.list": ("vendors", VENDOR, "vendors"),
    "customer.list": ("customers", CUSTOMER, "customers"),
    "product.list": ("products", PRODUCT, "products"),
    "boxtype.list": ("boxtypes", BOXTYPE, "boxtypes"),
    "carrier.list": ("carriers", CARRIER, "carriers"),
    "location.list": ("locations", LOCATION, "locations"),
}

STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")


class Refused(ValueError):
    """A recorded value komet_sim cannot hold; the message says what it should be."""


def convert(value: Any, kind) -> Any:
    """A recorded value as its column holds it. Numbers sent as strings ("42") are read as numbers (the
    contract replay reports the retyping); anything else that does not fit is Refused."""
    if isinstance(kind, tuple):
        allowed = kind[1]
        if isinstance(allowed[0], int):
            value = convert(value, "int")
        if value not in allowed:
            raise Refused(f"{value!r} is not one of {', '.join(map(str, allowed))}")
        return value
    if kind in ("int", "ref", "flag"):
        if value is None and kind == "ref":
            return None
        number = _integer(value)
        if kind == "ref":
            return number or None  # 0 is "none" (K22)
        if kind == "flag" and number not in (0, 1):
            raise Refused(f"{value!r} is not 0 or 1")
        return number
    if kind == "num":
        if isinstance(value, bool) or value is None:
            raise Refused(f"{value!r} is not a number")
        try:
            return float(value) if isinstance(value, str) else value + 0
        except (TypeError, ValueError):
            raise Refused(f"{value!r} is not a number") from None
    if kind == "text":
        return None if value is None else _string(value)
    if kind == "str":
        return _string(value)
    if kind == "date":
        text = _string(value)
        try:
            date.fromisoformat(text)
        except ValueError:
            raise Refused(f"{value!r} is not a date (YYYY-MM-DD)") from None
        return text
    if kind == "stamp":
        text = _string(value)
        if not STAMP.match(text):
            raise Refused(f"{value!r} is not a time (YYYY-MM-DDThh:mm:ss)")
        return text
    raise AssertionError(f"unknown kind {kind!r}")


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise Refused(f"{value!r} is not an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    raise Refused(f"{value!r} is not an integer")


def _string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise Refused(f"{value!r} is not a text")


def unmodelled(obj: dict, spec: dict) -> dict:
    """The fields of a recorded object kasim does not model, in their recorded order (K28)."""
    return {k: v for k, v in obj.items() if k not in spec}
