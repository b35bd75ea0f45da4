"""purchase.order.list (docs/komet-api.md A1, K6): the sample request, the totals, the required parameters and
their refusals. The filters, and what a Vendor token sees, are in test_purchase_order_filters.py."""

from __future__ import annotations

import re

import pytest

from .kometkit import every_po, refusal

STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

HEADER_TYPES = {
    "id": int,
    "number": str,
    "shipDate": str,
    "vendorId": int,
    "vendorName": str,
    "origin": str,
    "locationId": int,
    "locationName": str,
    "status": str,
    "totalBoxes": int,
    "totalCost": (int, float),
    "comments": str,
    "createdOn": str,
    "updatedOn": str,
    "details": list,
}
LINE_TYPES = {
    "poItemId": int,
    "productId": int,
    "productDescription": str,
    "boxType": str,
    "totalBoxes": int,
    "quantityConfirmed": int,
    "unitType": str,
    "units": int,
    "bunches": int,
    "stemsBunch": int,
    "totalUnits": int,
    "unitCost": (int, float),
    "totalCost": (int, float),
    "markCode": str,
    "notes": str,
    "lineItemStatus": str,
    "orderType": str,
    "standingOrder": (str, type(None)),
    "prebook": str,
    "prebookItemId": int,
    "prebookTruckDate": str,
    "customerId": int,
    "customerName": str,
    "carrierId": int,
    "carrierName": str,
    "referenceNumber": str,
    "customField1": (str, type(None)),
    "breakdowns": list,
    "customFields": list,
}


# --- the documented sample ----------------------------------------------------------------------------


def test_sample_request_returns_purchase_orders_with_documented_header_fields(komet, kit, seeded):
    reply = komet.api("purchase.order.list", kit.company_token, date=seeded["shipDates"][0])
    assert reply["status"] == "1" and reply["message"] == "OK"
    assert reply["purchaseOrders"]
    for po in reply["purchaseOrders"]:
        assert set(po) == set(HEADER_TYPES)
        for key, kind in HEADER_TYPES.items():
            assert isinstance(po[key], kind), (key, po[key])
        assert po["shipDate"] == seeded["shipDates"][0]
        assert po["status"] in ("PA", "A", "CF", "CA")
        assert STAMP.match(po["createdOn"]) and STAMP.match(po["updatedOn"])


def test_sample_request_returns_lines_with_documented_fields_and_no_boxes_before_shipping(komet, kit, seeded):
    reply = komet.api("purchase.order.list", kit.company_token, date=seeded["shipDates"][0])
    lines = [ln for po in reply["purchaseOrders"] for ln in po["details"]]
    assert lines
    for ln in lines:
        assert set(ln) == set(LINE_TYPES), set(ln) ^ set(LINE_TYPES)
        for key, kind in LINE_TYPES.items():
            assert isinstance(ln[key], kind), (key, ln[key])
        assert ln["lineItemStatus"] in ("P", "PC", "C", "S", "X")
        assert ln["unitType"] in ("Stem", "Bunch") and ln["orderType"] in ("P", "S", "D")
        assert DATE.match(ln["prebookTruckDate"])


def test_line_totals_are_units_times_boxes_and_units_times_cost(kit):
    for po in every_po(kit):
        for ln in po["details"]:
            assert ln["totalUnits"] == ln["units"] * ln["totalBoxes"]
            assert ln["totalCost"] == pytest.approx(ln["totalUnits"] * ln["unitCost"], abs=0.01)


def test_header_totals_add_up_the_live_lines(kit):
    for po in every_po(kit):
        live = [ln for ln in po["details"] if ln["lineItemStatus"] != "X"]
        assert po["totalBoxes"] == sum(ln["totalBoxes"] for ln in live)
        assert po["totalCost"] == pytest.approx(sum(ln["totalCost"] for ln in live), abs=0.01)


def test_a_cancelled_line_leaves_the_header_totals(komet, kit):
    line = kit.pending_line()
    before = next(po for po in every_po(kit) if po["id"] == line["poId"])
    reply = komet.api("purchase.order.item.delete", kit.company_token, poItemId=line["poItemId"])
    assert reply == {"status": "1", "message": "OK"}
    after = next(po for po in every_po(kit) if po["id"] == line["poId"])
    assert after["totalBoxes"] == before["totalBoxes"] - line["totalBoxes"]


def test_shipped_lines_carry_their_boxes(kit):
    line = kit.confirmed_line(min_boxes=2)
    kit.ship(line, ["PT1001", "PT1002"], lotNumber="234232")
    shipped = kit.line(line["poItemId"])
    assert shipped["lineItemStatus"] == "S"
    assert shipped["boxes"] == [
        {
            "boxCode": "PT1001",
            "lotNumber": "234232",
            "statusId": 1,
            "statusName": "In Transit",
            "position": None,
        },
        {
            "boxCode": "PT1002",
            "lotNumber": "234232",
            "statusId": 1,
            "statusName": "In Transit",
            "position": None,
        },
    ]


def test_lines_not_shipped_have_no_boxes_key(kit):
    line = kit.confirmed_line()
    assert "boxes" not in kit.line(line["poItemId"])


# --- required parameters ------------------------------------------------------------------------------


def test_neither_date_nor_number_is_refused(komet, kit):
    with kit.unchanged():
        reply = komet.api("purchase.order.list", kit.company_token)
    assert (
        reply == refusal("date_or_number") == {"status": "0", "message": "Either date or number is required."}
    )


def test_number_alone_is_enough(komet, kit, seeded):
    po = seeded["purchaseOrders"][0]
    reply = komet.api("purchase.order.list", kit.company_token, number=po["number"])
    assert reply["status"] == "1"
    assert [p["id"] for p in reply["purchaseOrders"]] == [po["id"]]


def test_awb_id_alone_is_enough(komet, kit):
    line = kit.confirmed_line()
    shipped = kit.ship(line)
    awb_id = komet.api("awb.list", kit.company_token, shipDate=line["shipDate"])["awbs"][0]["awbId"]
    reply = komet.api("purchase.order.list", kit.company_token, awbId=awb_id)
    assert reply["status"] == "1"
    details = [ln for po in reply["purchaseOrders"] for ln in po["details"]]
    assert [ln["poItemId"] for ln in details] == [line["poItemId"]]
    assert [b["boxCode"] for b in details[0]["boxes"]] == shipped["boxCodes"]


def test_inbound_truck_id_alone_is_enough_and_finds_nothing(komet, kit):
    reply = komet.api("purchase.order.list", kit.company_token, inboundTruckId=5)
    assert reply == {"status": "1", "message": "Orders not found.", "purchaseOrders": []}


def test_an_empty_result_says_orders_not_found(komet, kit):
    reply = komet.api("purchase.order.list", kit.company_token, date="2030-01-01")
    assert reply == {"status": "1", "message": "Orders not found.", "purchaseOrders": []}


def test_a_malformed_date_is_refused_naming_the_parameter(komet, kit):
    with kit.unchanged():
        for value in ("2026-13-01", "27/11/2026", "tomorrow", "2026-11-31", "20261127"):
            reply = komet.api("purchase.order.list", kit.company_token, date=value)
            assert reply == refusal("invalid_param", name="date", reason="expected a date YYYY-MM-DD"), value


def test_a_cancelled_po_is_listed_as_ca_with_its_lines_cancelled(komet, kit, seeded, vendor_token):
    po = seeded["purchaseOrders"][0]
    komet.cancel(po["id"])
    for token in (kit.company_token, vendor_token):
        [listed] = kit.orders(token, date=po["shipDate"], status="Cancelled")
        assert listed["id"] == po["id"] and listed["status"] == "CA"
        assert {ln["lineItemStatus"] for ln in listed["details"]} == {"X"}
