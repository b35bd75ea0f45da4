"""New purchase orders and lines: the importer's (portal, /__sim/komet) and `purchase.order.create` (K11)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simkit.errors import BadInput

from . import errors
from .catalog import find_one
from .orders import check_ship_date, get_purchase_order, refresh_po
from .shipping import ship_line
from .tokens import Caller

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld

# Bunches per box when a line does not say (docs/domain.md §3.2: HB ≈ 300 stems of 25-stem bunches, QB ≈ 125).
DEFAULT_BUNCHES = {"FB": 24, "HB": 12, "QB": 5, "EB": 2}
STATUS_CODES = {"Pending Approval": "PA", "PA": "PA", "Approved": "A", "A": "A"}
UNIT_TYPES = ("Stem", "Bunch")
ORDER_TYPES = ("P", "S", "D")
LINE_KEYS = {
    "productId",
    "productCode",
    "productDescription",
    "boxTypeId",
    "boxTypeCode",
    "boxes",
    "unitType",
    "bunches",
    "stemsBunch",
    "units",
    "cost",
    "unitCost",
    "markCode",
    "notes",
    "customerId",
    "prebookItemId",
    "breakdowns",
    "orderType",
    "carrierId",
}


def _int(line: dict, key: str, where: str, minimum: int = 0, default=None):
    value = line.get(key, default)
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise BadInput(f"{where}.{key}", f"must be a whole number, {minimum} or more")
    return value


def _product(
    c: sqlite3.Connection, world: KometWorld, company_id: int, line: dict, where: str
) -> tuple[int, str]:
    """K11: productId, or productCode / productDescription. A known code with another description makes a
    vendor alias (the line keeps that text); an unknown product is created UNKNOWN (it cannot ship)."""
    desc = line.get("productDescription")
    if line.get("productId") is not None:
        row = find_one(c, "products", company_id, ident=line["productId"])
        if row is None:
            raise errors.ProductNotFound(field=f"{where}.productId", ref=line["productId"])
        return row["id"], desc or row["description"]
    row = None
    if line.get("productCode"):
        row = find_one(c, "products", company_id, code=line["productCode"], code_column="legacy_code")
    elif desc:
        row = c.execute(
            "SELECT * FROM products WHERE company_id = ? AND lower(description) = lower(?)",
            (company_id, desc),
        ).fetchone()
    else:
        raise BadInput(f"{where}.productId", "a line needs productId, productCode or productDescription")
    if row is not None:
        return row["id"], desc or row["description"]
    product_id = world.next_id("product")
    c.execute(
        "INSERT INTO products(id, company_id, description, legacy_code, active, unknown) VALUES (?,?,?,?,1,1)",
        (product_id, company_id, desc or line["productCode"], line.get("productCode")),
    )
    return product_id, desc or line["productCode"]


def _line_values(
    c: sqlite3.Connection, world: KometWorld, caller: Caller, line: dict, where: str, carrier_id
) -> dict:
    if not isinstance(line, dict):
        raise BadInput(where, "each line is an object")
    unknown = sorted(set(line) - LINE_KEYS)
    if unknown:
        raise BadInput(f"{where}.{unknown[0]}", "unknown field on a purchase order line")
    if line.get("prebookItemId") is not None:
        raise errors.PrebookItemNotFound(field=f"{where}.prebookItemId", ref=line["prebookItemId"])
    company_id = caller.company_id
    product_id, description = _product(c, world, company_id, line, where)
    if line.get("boxTypeId") is None and not line.get("boxTypeCode"):
        raise BadInput(
            f"{where}.boxTypeCode", "a line needs a box type (boxTypeCode such as HB, or boxTypeId)"
        )
    box = find_one(c, "boxtypes", company_id, ident=line.get("boxTypeId"), code=line.get("boxTypeCode"))
    if box is None:
        raise errors.BoxTypeNotFound(
            field=f"{where}.boxTypeCode", ref=line.get("boxTypeCode") or line.get("boxTypeId")
        )
    boxes = _int(line, "boxes", where, 1)
    if boxes is None:
        raise BadInput(f"{where}.boxes", "how many boxes this line orders (1 or more)")
    unit_type = line.get("unitType", "Stem")
    if unit_type not in UNIT_TYPES:
        raise BadInput(f"{where}.unitType", "must be Stem or Bunch")
    stems = _int(line, "stemsBunch", where, 1, 25)
    bunches = _int(line, "bunches", where, 1, DEFAULT_BUNCHES.get(box["code"].upper(), 10))
    units = _int(line, "units", where, 1, bunches * stems if unit_type == "Stem" else bunches)
    cost = line.get("cost", line.get("unitCost", 0))
    if not isinstance(cost, int | float) or isinstance(cost, bool) or cost < 0:
        raise BadInput(f"{where}.cost", "must be a number, 0 or more")
    customer = None
    if line.get("customerId") is not None:
        customer = find_one(c, "customers", company_id, ident=line["customerId"])
        if customer is None:
            raise errors.CustomerNotFound(field=f"{where}.customerId", ref=line["customerId"])
    mark = line.get("markCode") or (customer["mark_code"] if customer else None)
    if line.get("orderType", "P") not in ORDER_TYPES:
        raise BadInput(f"{where}.orderType", "must be P (prebook), S (standing order) or D (double)")
    breakdowns = line.get("breakdowns") or []
    if not isinstance(breakdowns, list):
        raise BadInput(f"{where}.breakdowns", "must be a list")
    return {
        "product_id": product_id,
        "product_description": description,
        "box_type_id": box["id"],
        "total_boxes": boxes,
        "unit_type": unit_type,
        "units": units,
        "bunches": bunches,
        "stems_bunch": stems,
        "unit_cost": float(cost),
        "mark_code": mark,
        "notes": str(line.get("notes") or ""),
        "customer_id": customer["id"] if customer else None,
        "order_type": line.get("orderType", "P"),
        "carrier_id": line.get("carrierId", carrier_id),
        "breakdowns": breakdowns,
    }


def _insert_line(
    c: sqlite3.Connection,
    world: KometWorld,
    company_id: int,
    po_id: int,
    values: dict,
    stamp: str,
    where: str,
) -> int:
    item_id = world.next_id("po_item")
    breakdowns = values.pop("breakdowns")
    cols = ", ".join(values)
    c.execute(
        f"INSERT INTO po_items(id, company_id, po_id, {cols}, quantity_confirmed, status, created_on, "
        f"updated_on) VALUES (?, ?, ?{', ?' * len(values)}, 0, 'P', ?, ?)",
        (item_id, company_id, po_id, *values.values(), stamp, stamp),
    )
    for j, b in enumerate(breakdowns):
        if not isinstance(b, dict):
            raise BadInput(f"{where}.breakdowns[{j}]", "each breakdown is an object")
        pid, desc = _product(c, world, company_id, b, f"{where}.breakdowns[{j}]")
        c.execute(
            "INSERT INTO breakdowns(id, company_id, po_item_id, product_id, product_description, bunches, "
            "stems_bunch, cost) VALUES (?,?,?,?,?,?,?,?)",
            (
                world.next_id("breakdown"),
                company_id,
                item_id,
                pid,
                desc,
                _int(b, "bunches", f"{where}.breakdowns[{j}]", 1, 1),
                _int(b, "stemsBunch", f"{where}.breakdowns[{j}]", 1, 25),
                float(b.get("cost", 0) or 0),
            ),
        )
    return item_id


def create_purchase_order(world: KometWorld, caller: Caller, order: dict, status: str = "A") -> dict:
    """A standalone PO. Vendor by vendorId or vendorCode (never both); a Vendor caller's own vendor always
    wins (K4). With `awbNumber` the lines are confirmed and shipped on that AWB at once (K11)."""
    if caller.is_vendor:
        vendor_ref: dict[str, Any] = {"ident": caller.vendor_id}
    else:
        if order.get("vendorId") is not None and order.get("vendorCode"):
            raise errors.VendorIdOrCode(field="vendorId")
        if order.get("vendorId") is None and not order.get("vendorCode"):
            raise BadInput("vendorId", "choose the vendor (vendorId or vendorCode)")
        vendor_ref = {"ident": order.get("vendorId"), "code": order.get("vendorCode")}
    ship_date = check_ship_date(order.get("shipDate"))
    lines = order.get("purchaseOrderItems", order.get("lines"))
    if not isinstance(lines, list) or not lines:
        raise BadInput("purchaseOrderItems", "a purchase order needs at least one line")
    stamp = world.clock.stamp()
    company_id = caller.company_id
    with world.store.tx() as c:
        vendor = find_one(c, "vendors", company_id, **vendor_ref)
        if vendor is None:
            raise errors.VendorNotFound(
                field="vendorId", ref=vendor_ref.get("ident") or vendor_ref.get("code")
            )
        location_id = None
        if order.get("companyLocationCode"):
            loc = find_one(c, "locations", company_id, code=order["companyLocationCode"])
            if loc is None:
                raise errors.LocationNotFound(field="companyLocationCode", ref=order["companyLocationCode"])
            location_id = loc["id"]
        elif order.get("locationId") is not None:
            loc = find_one(c, "locations", company_id, ident=order["locationId"])
            if loc is None:
                raise errors.LocationNotFound(field="locationId", ref=order["locationId"])
            location_id = loc["id"]
        carrier_id = None
        if order.get("carrierId") is not None or order.get("carrierCode"):
            carrier = find_one(
                c, "carriers", company_id, ident=order.get("carrierId"), code=order.get("carrierCode")
            )
            if carrier is None:
                raise errors.CarrierNotFound(
                    field="carrierId", ref=order.get("carrierId") or order.get("carrierCode")
                )
            carrier_id = carrier["id"]
        if order.get("purchaseOrderNumber"):
            po = c.execute(
                "SELECT * FROM purchase_orders WHERE company_id = ? AND lower(number) = lower(?)",
                (company_id, str(order["purchaseOrderNumber"])),
            ).fetchone()
            if po is None or po["vendor_id"] != vendor["id"]:
                raise errors.PurchaseOrderNotFound(
                    field="purchaseOrderNumber", number=order["purchaseOrderNumber"]
                )
            if po["status"] == "CA":
                raise errors.PurchaseOrderCancelled(field="purchaseOrderNumber", number=po["number"])
            po_id, number = po["id"], po["number"]
        else:
            po_id = world.next_id("po")
            number = str(world.next_id("po_number"))
            c.execute(
                "INSERT INTO purchase_orders(id, company_id, number, ship_date, vendor_id, location_id, carrier_id,"
                " status, customer_po, comments, created_on, updated_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    po_id,
                    company_id,
                    number,
                    ship_date,
                    vendor["id"],
                    location_id,
                    carrier_id,
                    status,
                    order.get("customerPO"),
                    str(order.get("comments") or ""),
                    stamp,
                    stamp,
                ),
            )
        item_ids = []
        for i, line in enumerate(lines):
            where = f"purchaseOrderItems[{i}]"
            values = _line_values(c, world, caller, line, where, carrier_id)
            item_ids.append(_insert_line(c, world, company_id, po_id, values, stamp, where))
        awb = order.get("awbNumber") or order.get("AWB Number")
        if awb:
            awb = _existing_awb(c, company_id, str(awb))
            for item_id in item_ids:
                boxes = c.execute("SELECT total_boxes FROM po_items WHERE id = ?", (item_id,)).fetchone()[0]
                c.execute(
                    "UPDATE po_items SET quantity_confirmed = ?, status = 'C' WHERE id = ?", (boxes, item_id)
                )
                ship_line(c, world, caller, item_id, awb, ship_date, None, None)
        refresh_po(c, po_id, stamp)
    return {"purchaseOrderId": po_id, "purchaseOrderNumber": number, "purchaseOrderItemIds": item_ids}


AWB_SHORT_DIGITS = 4  # the docs' "AWB Number" on purchase.order.create: the AWB's last four digits


def _existing_awb(c: sqlite3.Connection, company_id: int, awb: str) -> str:
    """An AWB given by its last digits is the AWB already known that ends so; else it is used as given."""
    if awb.isdigit() and len(awb) == AWB_SHORT_DIGITS:
        row = c.execute(
            "SELECT awb FROM awbs WHERE company_id = ? AND awb_digits LIKE ? ORDER BY id DESC",
            (company_id, f"%{awb}"),
        ).fetchone()
        if row:
            return row["awb"]
    return awb


def add_line(world: KometWorld, caller: Caller, po_id: int, line: dict) -> dict:
    """The importer adds a line to one of its POs."""
    stamp = world.clock.stamp()
    with world.store.tx() as c:
        po = c.execute(
            "SELECT * FROM purchase_orders WHERE id = ? AND company_id = ?", (po_id, caller.company_id)
        ).fetchone()
        if po is None:
            raise BadInput("id", f"purchase order {po_id} does not exist", "not_found")
        if po["status"] == "CA":
            raise BadInput("status", "a cancelled purchase order takes no new lines", "conflict")
        values = _line_values(c, world, caller, line, "line", po["carrier_id"])
        _insert_line(c, world, caller.company_id, po_id, values, stamp, "line")
        refresh_po(c, po_id, stamp)
    return get_purchase_order(world, caller, po_id)


def importer_create(world: KometWorld, caller: Caller, order: dict) -> dict:
    """A PO made in the importer's portal: Pending Approval unless it says Approved."""
    status = STATUS_CODES.get(order.get("status", "Pending Approval"))
    if status is None:
        raise BadInput("status", "a new purchase order is Pending Approval or Approved")
    known = {
        "vendorId",
        "vendorCode",
        "shipDate",
        "lines",
        "purchaseOrderItems",
        "status",
        "comments",
        "locationId",
        "companyLocationCode",
        "carrierId",
        "carrierCode",
        "customerPO",
    }
    unknown = sorted(set(order) - known)
    if unknown:
        raise BadInput(unknown[0], "unknown field on a purchase order")
    made = create_purchase_order(world, caller, order, status)
    return get_purchase_order(world, caller, made["purchaseOrderId"])


@dataclass(frozen=True)
class RecordedOrder:
    """A PO with every field already decided, as an importer's back office holds it (seeded worlds): Approved,
    its lines as po_items columns (with their breakdowns, and the Sleeve custom field when there is one)."""

    vendor_id: int
    ship_date: str
    location_id: int
    carrier_id: int
    comments: str
    lines: tuple[dict[str, Any], ...]


def record_purchase_order(world: KometWorld, company_id: int, order: RecordedOrder) -> dict:
    stamp = world.clock.stamp()
    po_id = world.next_id("po")
    number = str(world.next_id("po_number"))
    with world.store.tx() as c:
        c.execute(
            "INSERT INTO purchase_orders(id, company_id, number, ship_date, vendor_id, location_id, carrier_id, "
            "status, comments, created_on, updated_on) VALUES (?,?,?,?,?,?,?,'A',?,?,?)",
            (
                po_id,
                company_id,
                number,
                order.ship_date,
                order.vendor_id,
                order.location_id,
                order.carrier_id,
                order.comments,
                stamp,
                stamp,
            ),
        )
        item_ids = []
        for values in order.lines:
            item_id = _insert_line(c, world, company_id, po_id, dict(values), stamp, "seed")
            sleeve = values.get("custom_field1")
            if sleeve:
                c.execute(
                    "INSERT INTO custom_fields(id, company_id, po_item_id, custom_field_id, "
                    "custom_field_value_id, field_name, value) VALUES (?,?,?,?,?,?,?)",
                    (
                        world.next_id("custom_field"),
                        company_id,
                        item_id,
                        1,
                        10 + len(sleeve),
                        "Sleeve",
                        sleeve,
                    ),
                )
            item_ids.append(item_id)
    return {"id": po_id, "number": number, "poItemIds": item_ids}
