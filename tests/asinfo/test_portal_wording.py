"""The grower's pages in words a user reads: confirmation counts without "none", the last change and the last
sync told apart, Test connection not counting today's POs, a Komet failure said once."""

from __future__ import annotations

import re

import pytest

from ..testkit import flashes, follow, html
from .grower_portal_kit import confirm, first_order

pytestmark = pytest.mark.parametrize("transport", ["in-process"], indirect=True)


def fact(page: str, dd_id: str) -> str:
    found = re.search(rf'<dd id="{dd_id}">([^<]*)</dd>', page)
    assert found
    return found.group(1)


def test_confirmation_counts_say_not_confirmed_never_none(pair, portal):
    order = first_order(pair, portal)
    follow(portal, confirm(portal, order, order["lines"][0], 1))
    page = html(portal.get(f"/orders/{order['id']}"))
    rest = len([ln for ln in order["lines"] if not ln["cancelled"]]) - 1
    assert fact(page, "confirmation-summary") == f"1 accepted by Komet · {rest} not confirmed"
    listing = html(portal.get("/orders?shipDate=all"))
    assert " none<" not in listing and "not confirmed" in listing


def test_last_sync_is_the_last_sync_and_last_changed_the_last_change(pair, portal):
    order = first_order(pair, portal)
    first_sync = pair.asinfo.json("GET", f"/api/orders/{order['id']}")["lastChanged"]
    pair.clock_apply({"advance": "2h"})
    follow(portal, portal.post("/sync"))  # nothing changed in Komet
    page = html(portal.get(f"/orders/{order['id']}"))
    synced = pair.asinfo.json("GET", "/api/connections")["connections"][0]["lastSyncOn"]
    assert synced > first_sync
    assert fact(page, "last-sync") == synced.replace("T", " ")[:16]
    assert f"<dd>{first_sync.replace('T', ' ')[:16]}</dd>" in page  # Last changed: still the first sync


def test_test_connection_does_not_count_todays_purchase_orders(pair, portal):
    cid = pair.grower["connection"]["id"]
    page = follow(portal, portal.post(f"/connections/{cid}/test"))
    [(kind, text)] = [f for f in flashes(page) if f[0] in ("success", "error")]
    assert kind == "success" and "purchase order(s) for" not in text
    assert text.endswith("Sync now to pull the purchase orders shipping from today to 7 day(s) ahead.")


def test_a_komet_500_is_called_trouble_once(pair, portal):
    pair.komet.add_fault(kind="error", status=500, method="purchase.order.list")
    page = follow(portal, portal.post("/sync"))
    [(_, text)] = [f for f in flashes(page) if f[0] == "error"]
    assert text.count("having trouble") == 1 and text.count("retr") == 1
