"""ASINFO's JSON API under /api/… (ours to design: nouns, status codes, errors naming the field).

One module per resource, as the portal is split; each route is thin: parse (simkit.params, with the spec next
to the domain function it feeds) → one domain call → reply. Importing the modules registers their routes.
"""

from . import (
    account_api,
    awb_api,
    connection_api,
    label_api,
    order_api,
    outbox_api,
    shipment_api,
    sync_log_api,
)
from .blueprint import bp

__all__ = [
    "account_api",
    "awb_api",
    "bp",
    "connection_api",
    "label_api",
    "order_api",
    "outbox_api",
    "shipment_api",
    "sync_log_api",
]
