"""New purchase order: vendor, ship date, status and one or more lines, through `creation.importer_create`."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from simkit.errors import BadInput
from simkit.forms import refused, take_refused

from ..domain import catalog, creation, errors, orders
from .base import bp, caller, company_id, signed_in, world
from .order_pages import default_ship_date

LINE_FIELDS = ("productId", "boxTypeCode", "boxes", "customerId", "cost")
START_ROWS, MAX_ROWS = 3, 50
STATUSES = ("Pending Approval", "Approved")
LINE_FIELD = re.compile(r"^purchaseOrderItems\[(\d+)\]\.(\w+)")


def _rows() -> int:
    raw = request.form.get("rows", "")
    return min(max(int(raw), 1), MAX_ROWS) if raw.isdigit() else START_ROWS


def _read_form() -> dict:
    lines = [
        {key: request.form.get(f"lines-{i}-{key}", "").strip() for key in LINE_FIELDS} for i in range(_rows())
    ]
    return {
        "vendorId": request.form.get("vendorId", "").strip(),
        "shipDate": request.form.get("shipDate", "").strip(),
        "status": request.form.get("status", STATUSES[0]),
        "comments": request.form.get("comments", "").strip(),
        "lines": lines,
    }


def _whole(value: str, field: str, what: str) -> int:
    if not value.isdigit():
        raise BadInput(field, f"choose a {what} from the list")
    return int(value)


def build_order(form: dict, rows: list[int]) -> dict:
    """The order `importer_create` takes; `rows` gets, for each of its lines, the form row it came from.
    Rows left blank (no product, boxes, customer or cost) are skipped."""
    if not form["vendorId"]:
        raise BadInput("vendorId", "choose the vendor")
    order: dict = {
        "vendorId": _whole(form["vendorId"], "vendorId", "vendor"),
        "shipDate": form["shipDate"],
        "status": form["status"],
    }
    if form["comments"]:
        order["comments"] = form["comments"]
    items: list[dict] = []
    for row, line in enumerate(form["lines"]):
        if not any(line[key] for key in LINE_FIELDS if key != "boxTypeCode"):
            continue
        where = f"purchaseOrderItems[{len(items)}]"
        rows.append(row)
        item: dict = {}
        if line["productId"]:
            item["productId"] = _whole(line["productId"], f"{where}.productId", "product")
        if line["boxTypeCode"]:
            item["boxTypeCode"] = line["boxTypeCode"]
        if line["boxes"]:
            item["boxes"] = line["boxes"]  # the domain checks it (a whole number, 1 or more)
        if line["customerId"]:
            item["customerId"] = _whole(line["customerId"], f"{where}.customerId", "customer")
        if line["cost"]:
            try:
                item["cost"] = float(line["cost"])
            except ValueError:
                raise BadInput(f"{where}.cost", "must be a number, 0 or more") from None
        items.append(item)
    order["purchaseOrderItems"] = items
    return order


FIELD_WORDS = {
    "vendorId": "Vendor",
    "shipDate": "Ship date",
    "status": "Status",
    "comments": "Comments",
    "purchaseOrderItems": "Lines",
    "productId": "product",
    "boxTypeCode": "box type",
    "boxes": "boxes",
    "customerId": "customer",
    "cost": "unit cost",
}


def field_label(field: str, rows: list[int]) -> str:
    """A refused field as the form labels it: `purchaseOrderItems[1].boxes` of form row 2 → "Line 2, boxes"
    (the API's 0-based index is not the row number the form shows)."""
    match = LINE_FIELD.match(field)
    if match and int(match.group(1)) < len(rows):
        return f"Line {rows[int(match.group(1))] + 1}, {FIELD_WORDS.get(match.group(2), match.group(2))}"
    return FIELD_WORDS.get(field, field)


def form_key(field: str, rows: list[int]) -> str:
    """Where on the form a refused field is: `purchaseOrderItems[0].boxes` → the row it came from."""
    match = LINE_FIELD.match(field)
    if match and int(match.group(1)) < len(rows):
        return f"lines-{rows[int(match.group(1))]}-{match.group(2)}"
    return field


def _render(
    form: dict,
    errors_: dict[str, str] | None = None,
    refused: tuple[str, str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    me = caller()
    return render_template(
        "po_new.html",
        form=form,
        errors=errors_ or {},
        refused=refused,
        statuses=STATUSES,
        vendors=catalog.list_vendors(world(), me, {}),
        products=catalog.list_products(world(), me, {}),
        boxtypes=catalog.list_boxtypes(world(), me, {}),
        customers=catalog.list_customers(world(), me, {}),
    ), status


@bp.route("/purchase-orders/new", methods=["GET", "POST"])
@signed_in
def new_purchase_order() -> tuple[str, int] | Response:
    if request.method == "GET":
        kept = take_refused()
        if kept:  # a refused order, after the redirect: what was typed and why (field, then in words)
            (typed, said), errors_, status = kept
            return _render(typed, errors_, said, status)
        raw = request.args.get("shipDate")
        ship_date = (
            orders.check_ship_date(raw)
            if raw
            else default_ship_date(orders.ship_dates(world(), company_id()))
        )
        blank = dict.fromkeys(LINE_FIELDS, "")
        form: dict = {
            "vendorId": "",
            "shipDate": ship_date,
            "status": STATUSES[0],
            "comments": "",
            "lines": [dict(blank, boxTypeCode="HB") for _ in range(START_ROWS)],
        }
        return _render(form)
    form = _read_form()
    if request.form.get("action") == "add-line":
        if len(form["lines"]) < MAX_ROWS:
            form["lines"].append(dict.fromkeys(LINE_FIELDS, "") | {"boxTypeCode": "HB"})
        return _render(form)
    rows: list[int] = []
    try:
        order = build_order(form, rows)
        po = creation.importer_create(world(), caller(), order)
    except (BadInput, errors.KometError) as exc:
        field = exc.field or "form"
        said = (field_label(field, rows), exc.message)
        return refused(
            url_for("komet_portal.new_purchase_order"),
            (form, said),
            {form_key(field, rows): exc.message},
            400,
        )
    flash(f"Purchase order {po['number']} created for {po['vendorName']} ({po['shipDate']}).", "success")
    return redirect(url_for("komet_portal.purchase_order", po_id=po["id"]))
