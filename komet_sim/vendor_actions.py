"""The vendor's portal actions as JSON under /__sim/komet/vendors/<vendorId>/… (K24–K26), for scripts and the
harness: the same domain functions as the vendor's pages, acting as the vendor's login at the importer named by
?namespace= (or the only one). The importer's view of who confirmed a line is here too (K27)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from simkit.errors import BadInput
from simkit.params import P, ParamError
from simkit.web import parse_body, parse_query

from . import importer_actions
from .domain import confirm_pos, confirmations, errors, orders, vendor_tokens, vendor_users
from .domain.tokens import Caller

bp = Blueprint("komet_vendor", __name__, url_prefix="/__sim/komet")

NEW_TOKEN = (
    P("description", "str", True, size=200),
    P("methods", "json", default="asinfo"),  # a list of method names, "asinfo" or "all" (K25)
)
SEARCH = (
    P("shipDate", "date"),
    P("number", "str", size=10),
    P("status", "str", choices=confirm_pos.VENDOR_LINE_STATUSES),
)
TO_CONFIRM = (P("boxes", "int", True, size=5),)

# The importer actions' refusals, in the same shape: {"error": {"code", "message", "field"}}.
bp.register_error_handler(BadInput, importer_actions.bad_input)
bp.register_error_handler(ParamError, importer_actions.bad_param)
bp.register_error_handler(errors.KometError, importer_actions.refused)


def _caller(vendor_id: int) -> Caller:
    world = current_app.extensions["kasim.world"]
    company_id = importer_actions.company_id()
    return vendor_users.vendor_caller(
        world, vendor_users.login_of(world, company_id, vendor_id)["username"], company_id
    )


def _world():
    return current_app.extensions["kasim.world"]


@bp.get("/vendors/<int:vendor_id>/login")
def login(vendor_id: int):
    """The vendor's login and every importer it is linked to (never its password)."""
    found = vendor_users.login_of(_world(), importer_actions.company_id(), vendor_id)
    return jsonify({**found, "importers": vendor_users.links(_world(), found["username"])})


@bp.get("/vendors/<int:vendor_id>/tokens")
def list_tokens(vendor_id: int):
    return jsonify({"tokens": vendor_tokens.list_mine(_world(), _caller(vendor_id))})


@bp.post("/vendors/<int:vendor_id>/tokens")
def create_token(vendor_id: int):
    body = parse_body(NEW_TOKEN)
    return jsonify(
        vendor_tokens.create(_world(), _caller(vendor_id), body["description"], body["methods"])
    ), 201


@bp.post("/vendors/<int:vendor_id>/tokens/<int:token_id>/send")
def send_token(vendor_id: int, token_id: int):
    return jsonify(vendor_tokens.send(_world(), _caller(vendor_id), token_id))


@bp.delete("/vendors/<int:vendor_id>/tokens/<int:token_id>")
def revoke_token(vendor_id: int, token_id: int):
    return jsonify(vendor_tokens.revoke(_world(), _caller(vendor_id), token_id))


@bp.get("/vendors/<int:vendor_id>/purchase-orders")
def purchase_orders(vendor_id: int):
    """Confirm POs: what the vendor's search finds (no shipDate: every ship date)."""
    f = parse_query(SEARCH)
    found = confirm_pos.search(
        _world(), _caller(vendor_id), f.get("shipDate"), f.get("number"), f.get("status")
    )
    return jsonify({"purchaseOrders": found})


@bp.post("/vendors/<int:vendor_id>/lines/<int:item_id>/confirm")
def confirm_line(vendor_id: int, item_id: int):
    """To Confirm + Enter on one line."""
    boxes = parse_body(TO_CONFIRM)["boxes"]
    return jsonify(confirm_pos.confirm_line(_world(), _caller(vendor_id), item_id, boxes))


@bp.post("/vendors/<int:vendor_id>/confirm-shipments")
def confirm_shipments(vendor_id: int):
    """Confirm Shipments for a search: its body is the search (shipDate, number, status)."""
    f = parse_body(SEARCH, optional=True)
    done = confirm_pos.confirm_shipments(
        _world(), _caller(vendor_id), f.get("shipDate"), f.get("number"), f.get("status")
    )
    return jsonify(done)


@bp.get("/lines/<int:item_id>/confirmations")
def line_confirmations(item_id: int):
    """The importer's view: every confirmation of one of its lines, who made it and where (K27)."""
    company_id = importer_actions.company_id()
    with _world().store.read() as c:
        orders.get_item(c, orders.importer(_world(), company_id), item_id)  # another company's line: 404
    return jsonify({"confirmations": confirmations.of_line(_world(), company_id, item_id)})
