"""The importer's own actions as JSON under /__sim/komet/… (the real Komet has no public API for them).

Same domain functions as the portal pages: a person clicking and a script posting cannot diverge.
"""

from __future__ import annotations

from typing import cast

from flask import Blueprint, Response, jsonify

from simkit.errors import BadInput, http_status
from simkit.openapi import describe
from simkit.params import P, ParamError, snake
from simkit.web import current_namespace, current_world, parse_body, parse_query

from .decisions import PROFILES
from .domain import awb_lists, catalog, companies, creation, errors, orders, tokens, tracking
from .domain.world import KometWorld
from .methods import LINE

bp = Blueprint("komet_importer", __name__, url_prefix="/__sim/komet")


def world() -> KometWorld:
    """The Komet world serving this request (simkit.web.current_world knows it only as a World)."""
    return cast(KometWorld, current_world())


# The importer's bodies, typed like the API's (docs/komet-api.md names and sizes): bad input is a 400 naming the field.
IMPORTER_LINE = (
    *LINE,
    P("unitCost", "decimal"),
    P("orderType", "str", size=1),
    P("carrierId", "int", size=20),
)
IMPORTER_PO = (
    P("vendorId", "int", size=20),
    P("vendorCode", "str", size=20),
    P("shipDate", "date", True),
    P("lines", "objects", fields=IMPORTER_LINE),
    P("purchaseOrderItems", "objects", fields=IMPORTER_LINE),
    P("status", "str", size=20),
    P("comments", "str", size=200),
    P("locationId", "int", size=20),
    P("companyLocationCode", "str", size=10),
    P("carrierId", "int", size=20),
    P("carrierCode", "str", size=20),
    P("customerPO", "str", size=20),
)
COMPANY_CHANGES = (  # required: a PATCH may leave any out, but none can be cleared
    P("paidUsers", "int", True, low=1, high=10**9),
    P("quotaPerUser", "int", True, low=1, high=10**9),
    P("profile", "str", True, choices=PROFILES),
)
NEW_TOKEN = (
    P("type", "str"),  # the domain says which types exist, in its own words
    P("vendorId", "int", low=1),
    P("customerId", "int", low=1),
    P("description", "str", default=""),
    P("methods", "json"),  # a list of method names, "asinfo" or "all": tokens.resolve_methods reads it
)
RECEIVE = (P("boxCodes", "list", True, low=1), P("position", "str"))
PRODUCT_MAPPING = (
    P("unknown", "bool", True, reason='send {"unknown": true} to unmap a product, false to map it again'),
)
SHIP_DATE_QUERY = (P("shipDate", "date"),)
LINE_CHANGE = (  # orders.LINE_CHANGES: what an importer may change on an open line
    P("totalBoxes", "int", low=1, size=5),
    P("notes", "str", size=200),
    P("unitCost", "decimal"),
    P("markCode", "str", size=20),
)


def company_id() -> int:
    """The company acted for (simkit.web's precedence: ?namespace=, X-Kasim-Namespace, the only one)."""
    return int(current_namespace("namespace", "company"))


def _caller():
    return orders.importer(world(), company_id())


@bp.errorhandler(BadInput)
def bad_input(exc: BadInput) -> tuple[Response, int]:
    return jsonify(exc.to_json()), exc.http_status


@bp.errorhandler(ParamError)
def bad_param(exc: ParamError) -> tuple[Response, int]:
    return refused(errors.from_param_error(exc))


@bp.errorhandler(errors.KometError)
def refused(exc: errors.KometError) -> tuple[Response, int]:
    body = {"error": {"code": exc.code, "message": exc.message, "field": exc.field}}
    return jsonify(body), http_status(exc.code)


@bp.get("/company")
def get_company():
    company = companies.get_company(world(), company_id())
    return jsonify(
        {
            "companyId": company["company_id"],
            "name": company["name"],
            "code": company["code"],
            "paidUsers": company["paid_users"],
            "quotaPerUser": company["quota_per_user"],
            "dailyLimit": company["daily_limit"],
            "callsToday": company["calls_today"],
            "profile": company["profile"],
        }
    )


@bp.patch("/company")
@describe(body=COMPANY_CHANGES, partial=True)
def patch_company():
    companies.update_company(world(), company_id(), **snake(parse_body(COMPANY_CHANGES, partial=True)))
    return get_company()


@bp.post("/tokens")
@describe(body=NEW_TOKEN)
def create_token():
    body = parse_body(NEW_TOKEN)
    made = tokens.create_token(
        world(),
        company_id(),
        body.get("type"),
        body["description"],
        body.get("methods"),
        body.get("vendorId"),
        body.get("customerId"),
    )
    return jsonify(made), 201


@bp.get("/tokens")
def list_tokens():
    return jsonify({"tokens": tokens.list_tokens(world(), company_id())})


@bp.delete("/tokens/<int:token_id>")
def delete_token(token_id: int):
    return jsonify(tokens.delete_token(world(), company_id(), token_id))


@bp.get("/purchase-orders")
@describe(query=SHIP_DATE_QUERY)
def list_purchase_orders():
    f: dict = {}
    ship_date = parse_query(SHIP_DATE_QUERY).get("shipDate")
    if ship_date:
        f["date"] = ship_date
    w, caller = world(), _caller()

    def computed() -> bytes:
        found = orders.list_purchase_orders(w, caller, f)
        return jsonify(
            {"purchaseOrders": found, "shipDates": orders.ship_dates(w, caller.company_id)}
        ).get_data()

    # From the reply cache, as the API's reads are: the harness asks for this list after most steps, and half of
    # them change nothing in Komet.
    with w.store.read():
        body = w.cached_reply(str(caller.company_id), ("importer purchase-orders", ship_date), computed)
    return Response(body, mimetype="application/json")


@bp.post("/purchase-orders")
@describe(
    body=IMPORTER_PO,
    status=201,
    links={
        "GetPurchaseOrder": ("komet_importer.get_purchase_order.get", "po_id"),
        "ApproveOrCancel": ("komet_importer.po_action.post", "po_id"),
        "AddLine": ("komet_importer.add_line.post", "po_id"),
    },
)
def create_purchase_order():
    return jsonify(creation.importer_create(world(), _caller(), parse_body(IMPORTER_PO, lenient=True))), 201


@bp.get("/purchase-orders/<int:po_id>")
def get_purchase_order(po_id: int):
    return jsonify(orders.get_purchase_order(world(), _caller(), po_id))


@bp.post("/purchase-orders/<int:po_id>/<any(approve, cancel):action>")
def po_action(po_id: int, action: str):
    return jsonify(orders.set_po_status(world(), _caller(), po_id, action))


@bp.post("/purchase-orders/<int:po_id>/lines")
@describe(body=IMPORTER_LINE)
def add_line(po_id: int):
    return jsonify(creation.add_line(world(), _caller(), po_id, parse_body(IMPORTER_LINE, lenient=True))), 201


@bp.patch("/lines/<int:item_id>")
@describe(body=LINE_CHANGE)
def change_line(item_id: int):
    return jsonify(orders.change_line(world(), _caller(), item_id, parse_body(LINE_CHANGE, lenient=True)))


@bp.delete("/lines/<int:item_id>")
def cancel_line(item_id: int):
    return jsonify(orders.delete_item(world(), _caller(), item_id))


@bp.get("/in-transit")
@describe(query=SHIP_DATE_QUERY)
def in_transit():
    ship_date = parse_query(SHIP_DATE_QUERY).get("shipDate")
    return jsonify(tracking.confirmed_and_in_transit(world(), _caller(), ship_date))


@bp.get("/awbs")
def awbs():
    return jsonify({"awbs": awb_lists.list_awbs(world(), _caller(), {}, details=True)})


@bp.post("/boxes/receive")
@describe(body=RECEIVE)
def receive():
    body = parse_body(RECEIVE)
    return jsonify(
        {"results": tracking.receive_boxes(world(), _caller(), body["boxCodes"], body.get("position"))}
    )


@bp.get("/products")
def list_products():
    """The importer's catalogue (the same list product.list gives, without spending API quota)."""
    return jsonify({"products": catalog.list_products(world(), _caller(), {})})


@bp.patch("/products/<int:product_id>")
@describe(body=PRODUCT_MAPPING)
def patch_product(product_id: int):
    unknown = parse_body(PRODUCT_MAPPING)["unknown"]
    return jsonify(catalog.set_unknown(world(), company_id(), product_id, unknown))
