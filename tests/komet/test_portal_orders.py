"""The importer's portal: purchase orders, Confirmed & In transit, and error pages (Flask test client)."""

from __future__ import annotations

import re

import pytest

from komet_sim.decisions import PO_STATUS_TEXT
from komet_sim.domain import orders, tracking

from ..testkit import company_token, field_error, html, see_other
from .importer_portal_kit import api, api_client, po_ids, ship_first_line

# --- purchase orders ---------------------------------------------------------------------------------


def test_purchase_orders_by_ship_date(client, seeded):
    day = seeded["shipDates"][1]
    page = html(client.get(f"/purchase-orders?shipDate={day}"))
    numbers = [po["number"] for po in seeded["purchaseOrders"] if po["shipDate"] == day]
    assert numbers and all(f">{n}</a>" in page for n in numbers)
    assert PO_STATUS_TEXT["A"] in page
    other = [po["number"] for po in seeded["purchaseOrders"] if po["shipDate"] != day]
    assert not any(f">{n}</a>" in page for n in other)


def test_a_bad_ship_date_gets_a_friendly_page(client):
    reply = client.get("/purchase-orders?shipDate=tomorrow")
    assert reply.status_code == 400
    assert "shipDate: must be a date YYYY-MM-DD" in html(reply) and "Traceback" not in html(reply)


def test_purchase_order_detail_lists_its_lines(client, seeded):
    po = seeded["purchaseOrders"][0]
    page = html(client.get(f"/purchase-orders/{po['id']}"))
    for item_id in po["poItemIds"]:
        assert f'data-line-id="{item_id}"' in page
    assert "Pending" in page


def test_an_unknown_purchase_order_is_a_friendly_404(client):
    reply = client.get("/purchase-orders/1")
    assert reply.status_code == 404 and "purchase order 1 does not exist" in html(reply)


def new_po_form(seeded: dict, **lines0) -> dict:
    line = {
        "productId": "",
        "boxTypeCode": "HB",
        "boxes": "3",
        "customerId": str(seeded["customers"][0]["id"]),
        "cost": "",
    } | lines0
    form = {
        "vendorId": str(seeded["vendors"][0]["id"]),
        "shipDate": seeded["shipDates"][0],
        "status": "Pending Approval",
        "rows": "2",
        "action": "create",
    }
    form.update({f"lines-0-{k}": v for k, v in line.items()})
    form.update({"lines-1-boxTypeCode": "HB"})  # a blank row is ignored
    return form


def product_id(client) -> str:
    page = html(client.get("/purchase-orders/new"))
    found = re.search(r'name="lines-0-productId".*?<option value="(\d+)"', page, re.S)
    assert found, "no product to choose on the new-order page"
    return found.group(1)


def test_create_approve_and_cancel_a_purchase_order(client, seeded, komet_world):
    reply = client.post("/purchase-orders/new", data=new_po_form(seeded, productId=product_id(client)))
    assert reply.status_code == 302
    po_id = int(reply.headers["Location"].rsplit("/", 1)[1])
    me = orders.importer(komet_world, seeded["companyId"])
    po = orders.get_purchase_order(komet_world, me, po_id)
    assert po["status"] == "PA" and len(po["details"]) == 1 and po["details"][0]["totalBoxes"] == 3
    assert "Approve" in html(client.get(f"/purchase-orders?shipDate={po['shipDate']}"))

    client.post(f"/purchase-orders/{po_id}/approve", data={"next": "/purchase-orders"})
    assert orders.get_purchase_order(komet_world, me, po_id)["status"] == "A"

    client.post(f"/purchase-orders/{po_id}/cancel")
    po = orders.get_purchase_order(komet_world, me, po_id)
    assert po["status"] == "CA" and {line["lineItemStatus"] for line in po["details"]} == {"X"}
    assert "cancelled" in html(client.get(f"/purchase-orders/{po_id}"))


def test_approving_an_approved_purchase_order_is_refused(client, seeded, komet_world):
    po = seeded["purchaseOrders"][0]
    client.post(f"/purchase-orders/{po['id']}/approve")
    page = html(client.get(f"/purchase-orders/{po['id']}"))
    assert "was not approved: only a Pending Approval PO can be approved" in page
    me = orders.importer(komet_world, seeded["companyId"])
    assert orders.get_purchase_order(komet_world, me, po["id"])["status"] == "A"


def test_a_purchase_order_with_shipped_lines_cannot_be_cancelled(client, seeded, komet_world):
    po, _ = ship_first_line(client, seeded)
    client.post(f"/purchase-orders/{po['id']}/cancel")
    assert "shipped lines cannot be cancelled" in html(client.get(f"/purchase-orders/{po['id']}"))
    me = orders.importer(komet_world, seeded["companyId"])
    assert orders.get_purchase_order(komet_world, me, po["id"])["status"] != "CA"


def test_cancel_a_line(client, seeded, komet_world):
    po = seeded["purchaseOrders"][0]
    item_id = po["poItemIds"][1]
    client.post(f"/purchase-orders/{po['id']}/lines/{item_id}/cancel")
    me = orders.importer(komet_world, seeded["companyId"])
    lines = orders.get_purchase_order(komet_world, me, po["id"])["details"]
    assert next(line for line in lines if line["poItemId"] == item_id)["lineItemStatus"] == "X"


@pytest.mark.parametrize(
    ("change", "field", "form_key", "message"),
    [
        ({"boxes": "abc"}, "Line 1, boxes", "lines-0-boxes", "whole number, 1 or more"),
        ({"boxes": "0"}, "Line 1, boxes", "lines-0-boxes", "whole number, 1 or more"),
        ({"productId": ""}, "Line 1, product", "lines-0-productId", "needs productId"),
        ({"productId": "999999"}, "Line 1, product", "lines-0-productId", "999999"),
        ({"boxTypeCode": "ZZ"}, "Line 1, box type", "lines-0-boxTypeCode", "ZZ"),
        ({"cost": "cheap"}, "Line 1, unit cost", "lines-0-cost", "must be a number"),
        ({"vendorId": ""}, "Vendor", "vendorId", "choose the vendor"),
        ({"shipDate": "next week"}, "Ship date", "shipDate", "YYYY-MM-DD"),
        ({"status": "Confirmed"}, "Status", "status", "Pending Approval or Approved"),
    ],
)
def test_new_purchase_order_refusals_name_the_field_and_create_nothing(
    client, seeded, komet_world, change, field, form_key, message
):
    form = new_po_form(seeded, productId=product_id(client))
    for key, value in change.items():
        form[key if key in form and not key.startswith("lines") else f"lines-0-{key}"] = value
    before = po_ids(komet_world, seeded["companyId"])
    reply = see_other(client, client.post("/purchase-orders/new", data=form))
    page = html(reply)
    assert reply.status_code == 400
    assert f'<b class="refused-field">{field}</b>' in page
    shown = field_error(page, form_key)
    assert shown is not None and message.lower() in shown.lower()
    assert po_ids(komet_world, seeded["companyId"]) == before


def test_a_refused_line_is_named_by_the_row_number_the_form_shows(client, seeded):
    """Row 1 left blank, row 2 refused: the API calls it purchaseOrderItems[0], the form says Line 2."""
    form = new_po_form(seeded, productId=product_id(client))
    form.update(
        {f"lines-1-{k}": form.pop(f"lines-0-{k}") for k in ("productId", "boxTypeCode", "customerId")}
    )
    form.update({"lines-0-boxes": "", "lines-1-boxes": "0"})
    page = html(see_other(client, client.post("/purchase-orders/new", data=form)))
    assert '<b class="refused-field">Line 2, boxes</b>' in page and field_error(page, "lines-1-boxes")


def test_a_purchase_order_needs_a_line(client, seeded, komet_world):
    form = new_po_form(seeded)
    form.update({"lines-0-boxes": "", "lines-0-customerId": ""})
    before = po_ids(komet_world, seeded["companyId"])
    reply = see_other(client, client.post("/purchase-orders/new", data=form))
    assert reply.status_code == 400 and "at least one line" in field_error(html(reply), "purchaseOrderItems")
    assert po_ids(komet_world, seeded["companyId"]) == before


def test_add_line_without_javascript_keeps_the_form(client, seeded):
    form = new_po_form(seeded) | {"action": "add-line", "lines-0-boxes": "7"}
    page = html(client.post("/purchase-orders/new", data=form))
    assert (
        'name="lines-2-productId"' in page
        and 'name="lines-0-boxes" type="text" inputmode="numeric" size="4" value="7"' in page
    )


def test_confirmed_by_farm_shows_the_v_mark(client, seeded, komet_world):
    po = seeded["purchaseOrders"][0]
    token = company_token(api_client(client))
    me = orders.importer(komet_world, seeded["companyId"])
    for line in orders.get_purchase_order(komet_world, me, po["id"])["details"]:
        api(
            client,
            "purchase.order.item.confirm",
            {
                "authenticationToken": token,
                "poItemId": line["poItemId"],
                "quantityConfirmed": line["totalBoxes"],
            },
        )
    page = html(client.get(f"/purchase-orders?shipDate={po['shipDate']}"))
    row = re.search(rf'data-po-id="{po["id"]}".*?</tr>', page, re.S).group(0)
    assert "Confirmed by Farm" in row and 'class="v-mark"' in row


# --- confirmed & in transit --------------------------------------------------------------------------


def test_in_transit_lists_the_shipped_boxes_by_awb(client, seeded):
    _, codes = ship_first_line(client, seeded)
    page = html(client.get("/in-transit"))
    assert "729-1234-5675" in page or "72912345675" in page
    for code in codes:
        assert f'name="boxCode" value="{code}"' in page


def test_receive_moves_a_box_to_received(client, seeded, komet_world):
    _, codes = ship_first_line(client, seeded)
    reply = see_other(
        client, client.post("/in-transit/receive", data={"boxCode": codes[0], "position": "A1"})
    )
    assert reply.status_code == 200
    assert re.search(rf'data-box-code="{codes[0]}">.*?Received', html(reply), re.S)
    me = orders.importer(komet_world, seeded["companyId"])
    awb = tracking.confirmed_and_in_transit(komet_world, me)["awbs"][0]
    assert [b["boxCode"] for b in awb["received"]] == [codes[0]]
    assert awb["received"][0]["position"] == "A1" and awb["piecesReceived"] == 1
    assert [b["boxCode"] for b in awb["inTransit"]] == codes[1:]


def test_receiving_a_received_box_is_reported_per_box(client, seeded):
    _, codes = ship_first_line(client, seeded)
    client.post("/in-transit/receive", data={"boxCode": codes[0]})
    page = html(see_other(client, client.post("/in-transit/receive", data={"boxCode": [codes[0], "NOPE1"]})))
    assert re.search(rf'data-box-code="{codes[0]}">.*?Refused', page, re.S)
    assert re.search(r'data-box-code="NOPE1">.*?Refused', page, re.S)


@pytest.mark.parametrize(("data", "field"), [({}, "boxCodes"), ({"position": "TOO-LONG"}, "position")])
def test_receive_refusals_change_nothing(client, seeded, komet_world, data, field):
    _, codes = ship_first_line(client, seeded)
    if field == "position":
        data = {**data, "boxCode": codes[0]}
    awb_id = tracking.confirmed_and_in_transit(komet_world, orders.importer(komet_world, seeded["companyId"]))
    reply = see_other(
        client, client.post("/in-transit/receive", data={**data, "awbId": awb_id["awbs"][0]["awbId"]})
    )
    assert reply.status_code == 400 and field_error(html(reply), field)
    after = tracking.confirmed_and_in_transit(komet_world, orders.importer(komet_world, seeded["companyId"]))
    assert after["awbs"][0]["piecesReceived"] == 0


# --- errors ------------------------------------------------------------------------------------------


def test_unknown_pages_get_the_friendly_error_page(client):
    reply = client.get("/no/such/page")
    assert reply.status_code == 404 and "Back to the portal" in html(reply)


def test_wrong_verb_gets_the_friendly_error_page(client):
    reply = client.get("/in-transit/receive")
    assert reply.status_code == 405 and "Back to the portal" in html(reply)
