"""Komet's portal: one blueprint, its pages in small modules (imported here to register them): the importer's
pages and the vendor's (`vendor_*`)."""

from . import auth, new_order, order_pages, token_pages, transit_pages, vendor_pages, vendor_token_pages
from .base import bp

__all__ = [
    "auth",
    "bp",
    "new_order",
    "order_pages",
    "token_pages",
    "transit_pages",
    "vendor_pages",
    "vendor_token_pages",
]
