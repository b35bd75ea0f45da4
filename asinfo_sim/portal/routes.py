"""The grower's portal: one blueprint, its pages in small modules (imported here to register them)."""

from __future__ import annotations

from flask import redirect, url_for
from werkzeug.wrappers import Response

from ..domain import connections
from . import awb_pages, connection_pages, label_pages, order_pages, shipment_pages
from .base import account_id, bp, world

__all__ = ["awb_pages", "bp", "connection_pages", "label_pages", "order_pages", "shipment_pages"]


@bp.get("/")
def home() -> Response:
    """The orders inbox, or Connections while there is no importer to pull orders from."""
    if connections.list_connections(world(), account_id()):
        return redirect(url_for("asinfo_portal.order_list"))
    return redirect(url_for("asinfo_portal.connection_list"))
