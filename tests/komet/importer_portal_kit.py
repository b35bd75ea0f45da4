"""The importer portal's steps for its tests: sign-in, reading its forms, a line shipped through the API
(reading pages is testkit's)."""

from __future__ import annotations

import re

from harness.clients import KometSimClient
from komet_sim.domain import orders

from ..testkit import PASSWORD, company_token


def sign_in(client, seeded: dict, role: str = "Admin"):
    user = next(u for u in seeded["users"] if u["role"] == role)
    reply = client.post("/login", data={"username": user["username"], "password": PASSWORD})
    assert reply.status_code == 302, reply.data
    return client


def checked_methods(page: str) -> list[str]:
    return re.findall(r'name="methods" value="([^"]+)" checked', page)


def po_ids(world, company_id: int) -> list[int]:
    me = orders.importer(world, company_id)
    return [
        po["id"]
        for d in orders.ship_dates(world, company_id)
        for po in orders.list_purchase_orders(world, me, {"date": d})
    ]


def api_client(client) -> KometSimClient:
    """A KometSimClient on the same app as a portal test client (for the importer's JSON actions)."""
    return KometSimClient("http://komet.test", app=client.application)


def api(client, method: str, body: dict) -> dict:
    reply = client.post(f"/api/{method}", json=body)
    data = reply.get_json()
    assert data["status"] in ("1", 1), data
    return data


def ship_first_line(client, seeded: dict, boxes: int = 2) -> tuple[dict, list[str]]:
    """Confirm and ship the first seeded PO's first line through the API; returns (po, box codes)."""
    po = seeded["purchaseOrders"][0]
    item_id = po["poItemIds"][0]
    token = company_token(api_client(client))
    detail = client.get(f"/__sim/komet/purchase-orders/{po['id']}").get_json()
    ordered = next(line["totalBoxes"] for line in detail["details"] if line["poItemId"] == item_id)
    boxes = min(boxes, ordered)
    api(
        client,
        "purchase.order.item.confirm",
        {"authenticationToken": token, "poItemId": item_id, "quantityConfirmed": boxes},
    )
    codes = [f"TB{n:05d}" for n in range(1, boxes + 1)]
    api(
        client,
        "purchase.order.item.awb.add",
        {
            "authenticationToken": token,
            "poItemId": item_id,
            "awb": "729-1234-5675",
            "shipDate": po["shipDate"],
            "boxCodes": codes,
        },
    )
    return po, codes
