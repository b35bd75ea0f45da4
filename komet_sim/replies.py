"""What each Komet method answers on success: the payload beside `status` and `message`, as JSON Schema.

Field names and order follow the docs' samples and the third-party clients that read the real replies
(docs/komet-api.md). The schemas are written with the values' natural types; `komet_sim.methods` says which
keys a method's sample quotes ("id": "1"), and the published schema (OpenAPI) quotes them from that fact.
Objects are closed: a field nobody documented is drift. A documented integer is never null (docs/decisions.md
K22): a reference that is not set is 0, which is never an id.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

INT: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}
STR: Schema = {"type": "string"}
TEXT: Schema = {"type": ["string", "null"]}  # a text the record may not have
DATE: Schema = {"type": "string", "format": "date"}
STAMP: Schema = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"}  # YYYY-MM-DDThh:mm:ss
FLAG: Schema = {"type": "integer", "enum": [0, 1]}  # the docs' boolean:1
STRINGS: Schema = {"type": "array", "items": STR}


class Optional:
    """A property that is present only sometimes (e.g. boxes[] once a line has shipped)."""

    def __init__(self, schema: Schema):
        self.schema = schema


def obj(**props: Schema | Optional) -> Schema:
    """A closed object; every property is required unless wrapped in Optional."""
    return {
        "type": "object",
        "properties": {k: v.schema if isinstance(v, Optional) else v for k, v in props.items()},
        "required": [k for k, v in props.items() if not isinstance(v, Optional)],
        "additionalProperties": False,
    }


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def enum(*values: str | int) -> Schema:
    return {"type": "string" if isinstance(values[0], str) else "integer", "enum": list(values)}


BOX = obj(boxCode=STR, lotNumber=STR, statusId=enum(1, 2), statusName=STR, position=TEXT)
BREAKDOWN = obj(productId=INT, productDescription=STR, bunches=INT, stemsBunch=INT, cost=NUMBER)
CUSTOM_FIELD = obj(customFieldId=INT, customFieldValueId=INT, fieldName=STR, value=STR)
LINE = obj(
    poItemId=INT,
    productId=INT,
    productDescription=STR,
    boxType=TEXT,
    totalBoxes=INT,
    quantityConfirmed=INT,
    unitType=STR,
    units=INT,
    bunches=INT,
    stemsBunch=INT,
    totalUnits=INT,
    unitCost=NUMBER,
    totalCost=NUMBER,
    markCode=TEXT,
    notes=STR,
    lineItemStatus=enum("P", "PC", "C", "S", "X"),
    orderType=STR,
    standingOrder=TEXT,
    prebook=TEXT,
    prebookItemId=INT,
    prebookTruckDate=TEXT,
    customerId=INT,
    customerName=TEXT,
    carrierId=INT,
    carrierName=TEXT,
    referenceNumber=TEXT,
    customField1=TEXT,
    breakdowns=array(BREAKDOWN),
    customFields=array(CUSTOM_FIELD),
    boxes=Optional(array(BOX)),  # only once the line has shipped
)
PURCHASE_ORDER = obj(
    id=INT,
    number=STR,
    shipDate=DATE,
    vendorId=INT,
    vendorName=STR,
    origin=STR,
    locationId=INT,
    locationName=TEXT,
    status=enum("PA", "A", "CF", "CA"),
    totalBoxes=INT,
    totalCost=NUMBER,
    comments=STR,
    createdOn=STAMP,
    updatedOn=STAMP,
    details=array(LINE),
)
SHIPPED_LINE = obj(
    poItemId=INT,
    status=enum(0, 1),
    message=STR,
    boxCodes=STRINGS,
    lotNumber=TEXT,  # nothing assigned on a line that failed
    newPOItemId=Optional(INT),
)
CHANGED_BOX = obj(newBoxCode=STR, status=enum(0, 1), message=STR)
BOXTYPE = obj(id=INT, code=STR, kometNetworkName=TEXT, kometNetworkId=INT, fbe=NUMBER)
PRODUCT = obj(
    id=INT,
    description=STR,
    active=FLAG,
    category=TEXT,
    divisionId=INT,
    divisionDescription=TEXT,
    variety=TEXT,
    color=TEXT,
    grade=TEXT,
    legacyCode=TEXT,
    tags=TEXT,
)
VENDOR = obj(id=INT, name=STR, code=STR, portOrigin=STR, active=FLAG, cargoMasterCode=Optional(STR))
CARRIER = obj(
    id=INT,
    code=STR,
    name=STR,
    active=FLAG,
    street=TEXT,
    city=TEXT,
    state=TEXT,
    zipCode=TEXT,
    country=TEXT,
    phone=TEXT,
    kometNetworkName=TEXT,
    kometNetworkId=INT,
)
LOCATION = obj(id=INT, name=STR, code=STR)
CUSTOMER = obj(
    id=INT,
    accountingCode=TEXT,
    name=STR,
    code=STR,
    active=FLAG,
    salesPerson=TEXT,
    salesPersonId=INT,
    customerType=TEXT,
    updatedOn=STAMP,
)
_AWB_FIELDS: dict[str, Schema] = {
    "awbId": INT,
    "awb": STR,
    "origin": STR,
    "shipDate": DATE,
    "arrivalDate": DATE,
    "pieces": INT,
    "piecesReceived": INT,
    "boxesCodes": STR,
    "locationCode": TEXT,
    "status": enum(0, 1),
}
AWB = obj(**_AWB_FIELDS)
AWB_BOX = obj(
    code=STR,
    unitCost=NUMBER,
    carrierName=TEXT,
    carrierCode=TEXT,
    truckDate=TEXT,
    shipToId=INT,
    poItemId=INT,
    lotNumber=STR,
    houseAWB=TEXT,
    statusId=enum(1, 2),
    statusName=STR,
)
AWB_DETAILS = obj(**_AWB_FIELDS, boxes=array(AWB_BOX))

# The payload of each method's success reply, by property (beside status and message).
LOGIN = {"apiKey": STR}
PURCHASE_ORDERS = {"purchaseOrders": array(PURCHASE_ORDER)}
SHIPPED_ONE = {"boxCodes": STRINGS, "newPOItemId": Optional(INT)}
SHIPPED_MANY = {"purchaseOrderItemDetailsAWBAddAPIResultList": array(SHIPPED_LINE)}
CHANGED_BOXES = {"boxes": array(CHANGED_BOX)}
CREATED = {"purchaseOrderId": INT, "purchaseOrderNumber": STR, "purchaseOrderItemIds": array(INT)}
BOXTYPES = {"boxtypes": array(BOXTYPE)}
PRODUCTS = {"products": array(PRODUCT)}
VENDORS = {"vendors": array(VENDOR)}
CARRIERS = {"carriers": array(CARRIER)}
LOCATIONS = {"locations": array(LOCATION)}
CUSTOMERS = {"customers": array(CUSTOMER)}
AWBS = {"awbs": array(AWB)}
AWBS_DETAILED = {"awbs": array(AWB_DETAILS)}
NOTHING: dict[str, Schema] = {}
