"""purchase.order.list (docs/komet-api.md A1, K6): the sample request, every filter, the rules and refusals."""

from __future__ import annotations

import re

import pytest

from .kometkit import refusal

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


def _every_po(kit) -> list[dict]:
    return [po for day in kit.seeded["shipDates"] for po in kit.orders(date=day)]


def _keep_lines(pos: list[dict], keep) -> list[dict]:
    """What a line-level filter should return: matching lines only, POs without one left out."""
    out = []
    for po in pos:
        details = [ln for ln in po["details"] if keep(po, ln)]
        if details:
            out.append({**po, "details": details})
    return out


def _filtered(kit, **filters) -> list[dict]:
    return [po for day in kit.seeded["shipDates"] for po in kit.orders(date=day, **filters)]


def _assert_selects(got: list[dict], expected: list[dict], everything: list[dict]) -> None:
    """The filter returned exactly the expected POs, and that is neither nothing nor everything."""
    assert got == expected
    assert expected, "the filter value should match something in the seeded world"
    assert len(expected) < len(everything) or sum(len(p["details"]) for p in expected) < sum(
        len(p["details"]) for p in everything
    ), "the filter value should leave something out"


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
    for po in _every_po(kit):
        for ln in po["details"]:
            assert ln["totalUnits"] == ln["units"] * ln["totalBoxes"]
            assert ln["totalCost"] == pytest.approx(ln["totalUnits"] * ln["unitCost"], abs=0.01)


def test_header_totals_add_up_the_live_lines(kit):
    for po in _every_po(kit):
        live = [ln for ln in po["details"] if ln["lineItemStatus"] != "X"]
        assert po["totalBoxes"] == sum(ln["totalBoxes"] for ln in live)
        assert po["totalCost"] == pytest.approx(sum(ln["totalCost"] for ln in live), abs=0.01)


def test_a_cancelled_line_leaves_the_header_totals(komet, kit):
    line = kit.pending_line()
    before = next(po for po in _every_po(kit) if po["id"] == line["poId"])
    reply = komet.api("purchase.order.item.delete", kit.company_token, poItemId=line["poItemId"])
    assert reply == {"status": "1", "message": "OK"}
    after = next(po for po in _every_po(kit) if po["id"] == line["poId"])
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


# --- filters ------------------------------------------------------------------------------------------


def test_date_matches_the_vendor_ship_date_exactly(kit, seeded):
    for day in seeded["shipDates"]:
        pos = kit.orders(date=day)
        assert pos and {po["shipDate"] for po in pos} == {day}


def test_number_takes_several_comma_separated_values(kit, seeded):
    wanted = [seeded["purchaseOrders"][0], seeded["purchaseOrders"][-1]]
    pos = kit.orders(number=",".join(p["number"] for p in wanted))
    assert sorted(p["id"] for p in pos) == sorted(p["id"] for p in wanted)


def test_vendor_id_is_an_exact_filter(kit, vendor):
    everything = _every_po(kit)
    expected = [po for po in everything if po["vendorId"] == vendor["id"]]
    _assert_selects(_filtered(kit, vendorId=vendor["id"]), expected, everything)


def test_vendor_is_a_case_insensitive_like_on_the_name(kit, vendor):
    everything = _every_po(kit)
    part = vendor["name"].split()[1].upper()  # one word of the name, in another case
    expected = [po for po in everything if part.lower() in po["vendorName"].lower()]
    _assert_selects(_filtered(kit, vendor=part), expected, everything)


def test_vendor_also_matches_the_vendor_code(kit, vendor):
    everything = _every_po(kit)
    expected = [po for po in everything if po["vendorId"] == vendor["id"]]
    _assert_selects(_filtered(kit, vendor=vendor["code"].lower()), expected, everything)


def test_origin_is_an_exact_case_insensitive_filter(kit):
    everything = _every_po(kit)
    for origin in ("BOG", "MDE", "UIO"):
        expected = [po for po in everything if po["origin"] == origin]
        assert _filtered(kit, origin=origin.lower()) == expected
    assert {po["origin"] for po in everything} <= {"BOG", "MDE", "UIO"}


def test_location_id_is_an_exact_filter(komet, kit, seeded, vendor):
    other = seeded["locations"][1]
    komet.create_purchase_order(
        vendorId=vendor["id"],
        shipDate=seeded["shipDates"][0],
        status="Approved",
        locationId=other["id"],
        lines=[{"productCode": _a_product_code(komet, kit), "boxTypeCode": "HB", "boxes": 2}],
    )
    everything = _every_po(kit)
    expected = [po for po in everything if po["locationId"] == other["id"]]
    _assert_selects(_filtered(kit, locationId=other["id"]), expected, everything)


def test_customer_po_number_is_an_exact_case_insensitive_filter(komet, kit, seeded, vendor):
    made = komet.create_purchase_order(
        vendorId=vendor["id"],
        shipDate=seeded["shipDates"][0],
        status="Approved",
        customerPO="CPO-77A",
        lines=[{"productCode": _a_product_code(komet, kit), "boxTypeCode": "QB", "boxes": 1}],
    )
    pos = kit.orders(date=seeded["shipDates"][0], customerPONumber="cpo-77a")
    assert [po["id"] for po in pos] == [made["id"]]
    assert kit.orders(date=seeded["shipDates"][0], customerPONumber="CPO-77") == []


def test_status_takes_the_documented_text(komet, kit, seeded, vendor):
    made = komet.create_purchase_order(
        vendorId=vendor["id"],
        shipDate=seeded["shipDates"][0],
        lines=[{"productCode": _a_product_code(komet, kit), "boxTypeCode": "HB", "boxes": 3}],
    )
    assert made["status"] == "PA"
    pending = kit.orders(date=seeded["shipDates"][0], status="Pending Approval")
    assert [po["id"] for po in pending] == [made["id"]]
    approved = kit.orders(date=seeded["shipDates"][0], status="approved")
    assert approved and {po["status"] for po in approved} == {"A"}


def test_status_confirmed_by_farm_finds_fully_confirmed_pos(kit, seeded):
    po = seeded["purchaseOrders"][0]
    for ln in kit.orders(number=po["number"])[0]["details"]:
        kit.confirm(ln)
    found = kit.orders(date=po["shipDate"], status="Confirmed by Farm")
    assert [p["id"] for p in found] == [po["id"]] and found[0]["status"] == "CF"


def test_without_status_every_status_is_returned_including_pending_approval(komet, kit, seeded, vendor):
    made = komet.create_purchase_order(
        vendorId=vendor["id"],
        shipDate=seeded["shipDates"][0],
        lines=[{"productCode": _a_product_code(komet, kit), "boxTypeCode": "HB", "boxes": 3}],
    )
    assert made["id"] in [po["id"] for po in kit.orders(date=seeded["shipDates"][0])]


def test_an_unknown_status_text_is_refused(komet, kit, seeded):
    with kit.unchanged():
        reply = komet.api(
            "purchase.order.list", kit.company_token, date=seeded["shipDates"][0], status="Shipped"
        )
    assert reply == refusal(
        "invalid_param",
        name="status",
        reason="use Confirmed by Farm, Approved, Pending Approval or Cancelled",
    )


def test_status_line_selects_lines_by_their_status(kit):
    full = kit.pending_line(min_boxes=2)
    kit.confirm(full)
    partial = kit.pending_line(min_boxes=2)
    kit.confirm(partial, 1)
    shipped = kit.confirmed_line()
    kit.ship(shipped)
    kit.komet.api("purchase.order.item.delete", kit.company_token, poItemId=kit.pending_line()["poItemId"])
    everything = _every_po(kit)
    for text, code in [
        ("Pending", "P"),
        ("Confirmed", "C"),
        ("Partial Conf", "PC"),
        ("Partial Confirmed", "PC"),
        ("Shipped", "S"),
        ("cancelled", "X"),
    ]:
        expected = _keep_lines(everything, lambda po, ln, code=code: ln["lineItemStatus"] == code)
        _assert_selects(_filtered(kit, statusLine=text), expected, everything)


def test_an_unknown_status_line_text_is_refused(komet, kit, seeded):
    with kit.unchanged():
        reply = komet.api(
            "purchase.order.list", kit.company_token, date=seeded["shipDates"][0], statusLine="Lost"
        )
    assert reply == refusal(
        "invalid_param",
        name="statusLine",
        reason="use Pending, Partial Confirmed, Confirmed, Shipped or Cancelled",
    )


def test_customer_id_selects_lines_of_that_customer(kit, seeded):
    everything = _every_po(kit)
    customer = seeded["customers"][0]["id"]
    expected = _keep_lines(everything, lambda po, ln: ln["customerId"] == customer)
    _assert_selects(_filtered(kit, customerId=customer), expected, everything)


def test_product_is_a_case_insensitive_like_on_the_description(kit):
    everything = _every_po(kit)
    word = everything[0]["details"][0]["productDescription"].split()[-2].upper()  # e.g. the colour
    expected = _keep_lines(everything, lambda po, ln: word.lower() in ln["productDescription"].lower())
    _assert_selects(_filtered(kit, product=word), expected, everything)


def test_prebook_is_an_exact_filter(kit):
    everything = _every_po(kit)
    prebook = everything[0]["details"][0]["prebook"]
    expected = _keep_lines(everything, lambda po, ln: ln["prebook"] == prebook)
    _assert_selects(_filtered(kit, prebook=prebook), expected, everything)
    assert _filtered(kit, prebook=prebook[:-1]) == []


def test_purchase_order_item_ids_select_those_lines(kit):
    everything = _every_po(kit)
    wanted = {everything[0]["details"][0]["poItemId"], everything[-1]["details"][-1]["poItemId"]}
    expected = _keep_lines(everything, lambda po, ln: ln["poItemId"] in wanted)
    _assert_selects(
        _filtered(kit, purchaseOrderItemIds=",".join(map(str, sorted(wanted)))), expected, everything
    )


def test_purchase_order_item_ids_must_be_numbers(komet, kit, seeded):
    with kit.unchanged():
        reply = komet.api(
            "purchase.order.list",
            kit.company_token,
            date=seeded["shipDates"][0],
            purchaseOrderItemIds="265001,abc",
        )
    assert reply == refusal("invalid_param", name="purchaseOrderItemIds", reason="expected a whole number")


def test_filters_combine(kit, vendor, seeded):
    everything = _every_po(kit)
    customer = seeded["customers"][1]["id"]
    expected = _keep_lines(
        [po for po in everything if po["vendorId"] == vendor["id"]],
        lambda po, ln: ln["customerId"] == customer,
    )
    assert _filtered(kit, vendorId=vendor["id"], customerId=customer) == expected


def test_future_inventory_window_of_four_days_is_accepted(komet, kit, seeded):
    reply = komet.api(
        "purchase.order.list",
        kit.company_token,
        date=seeded["shipDates"][0],
        futureInventoryAvailableFrom="2026-11-27",
        futureInventoryAvailableTo="2026-12-01",
    )
    assert reply["status"] == "1"


@pytest.mark.parametrize("start, end", [("2026-11-27", "2026-12-02"), ("2026-12-01", "2026-11-27")])
def test_future_inventory_window_over_four_days_or_backwards_is_refused(komet, kit, seeded, start, end):
    with kit.unchanged():
        reply = komet.api(
            "purchase.order.list",
            kit.company_token,
            date=seeded["shipDates"][0],
            futureInventoryAvailableFrom=start,
            futureInventoryAvailableTo=end,
        )
    assert reply == refusal("future_span")


# --- vendor tokens -------------------------------------------------------------------------------------


def test_vendor_token_sees_only_its_vendor(komet, kit, vendor, vendor_token, seeded):
    for day in seeded["shipDates"]:
        pos = kit.orders(vendor_token, date=day)
        assert pos and {po["vendorId"] for po in pos} == {vendor["id"]}


def test_vendor_token_ignores_vendor_id(kit, vendor, other_vendor, vendor_token, seeded):
    day = seeded["shipDates"][0]
    assert kit.orders(vendor_token, date=day, vendorId=other_vendor["id"]) == kit.orders(
        vendor_token, date=day
    )


def test_vendor_token_does_not_see_pending_approval_pos(komet, kit, vendor, vendor_token, seeded):
    made = komet.create_purchase_order(
        vendorId=vendor["id"],
        shipDate=seeded["shipDates"][0],
        lines=[{"productCode": _a_product_code(komet, kit), "boxTypeCode": "HB", "boxes": 3}],
    )
    assert made["id"] not in [po["id"] for po in kit.orders(vendor_token, date=seeded["shipDates"][0])]
    komet.approve(made["id"])
    assert made["id"] in [po["id"] for po in kit.orders(vendor_token, date=seeded["shipDates"][0])]


def _a_product_code(komet, kit) -> str:
    return komet.api("product.list", kit.company_token)["products"][0]["legacyCode"]


def test_a_cancelled_po_is_listed_as_ca_with_its_lines_cancelled(komet, kit, seeded, vendor_token):
    po = seeded["purchaseOrders"][0]
    komet.cancel(po["id"])
    for token in (kit.company_token, vendor_token):
        [listed] = kit.orders(token, date=po["shipDate"], status="Cancelled")
        assert listed["id"] == po["id"] and listed["status"] == "CA"
        assert {ln["lineItemStatus"] for ln in listed["details"]} == {"X"}
