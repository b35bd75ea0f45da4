"""purchase.order.list (docs/komet-api.md A1, K6): every filter, alone and combined, and what a Vendor token
sees. The sample, the totals and the required parameters are in test_purchase_order_list.py."""

from __future__ import annotations

import pytest

from .kometkit import every_po, refusal


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


def test_date_matches_the_vendor_ship_date_exactly(kit, seeded):
    for day in seeded["shipDates"]:
        pos = kit.orders(date=day)
        assert pos and {po["shipDate"] for po in pos} == {day}


def test_number_takes_several_comma_separated_values(kit, seeded):
    wanted = [seeded["purchaseOrders"][0], seeded["purchaseOrders"][-1]]
    pos = kit.orders(number=",".join(p["number"] for p in wanted))
    assert sorted(p["id"] for p in pos) == sorted(p["id"] for p in wanted)


def test_vendor_id_is_an_exact_filter(kit, vendor):
    everything = every_po(kit)
    expected = [po for po in everything if po["vendorId"] == vendor["id"]]
    _assert_selects(_filtered(kit, vendorId=vendor["id"]), expected, everything)


def test_vendor_is_a_case_insensitive_like_on_the_name(kit, vendor):
    everything = every_po(kit)
    part = vendor["name"].split()[1].upper()  # one word of the name, in another case
    expected = [po for po in everything if part.lower() in po["vendorName"].lower()]
    _assert_selects(_filtered(kit, vendor=part), expected, everything)


def test_vendor_also_matches_the_vendor_code(kit, vendor):
    everything = every_po(kit)
    expected = [po for po in everything if po["vendorId"] == vendor["id"]]
    _assert_selects(_filtered(kit, vendor=vendor["code"].lower()), expected, everything)


def test_origin_is_an_exact_case_insensitive_filter(kit):
    everything = every_po(kit)
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
    everything = every_po(kit)
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
    everything = every_po(kit)
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
    everything = every_po(kit)
    customer = seeded["customers"][0]["id"]
    expected = _keep_lines(everything, lambda po, ln: ln["customerId"] == customer)
    _assert_selects(_filtered(kit, customerId=customer), expected, everything)


def test_product_is_a_case_insensitive_like_on_the_description(kit):
    everything = every_po(kit)
    word = everything[0]["details"][0]["productDescription"].split()[-2].upper()  # e.g. the colour
    expected = _keep_lines(everything, lambda po, ln: word.lower() in ln["productDescription"].lower())
    _assert_selects(_filtered(kit, product=word), expected, everything)


def test_prebook_is_an_exact_filter(kit):
    everything = every_po(kit)
    prebook = everything[0]["details"][0]["prebook"]
    expected = _keep_lines(everything, lambda po, ln: ln["prebook"] == prebook)
    _assert_selects(_filtered(kit, prebook=prebook), expected, everything)
    assert _filtered(kit, prebook=prebook[:-1]) == []


def test_purchase_order_item_ids_select_those_lines(kit):
    everything = every_po(kit)
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
    everything = every_po(kit)
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


# --- what a Vendor token sees --------------------------------------------------------------------------


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
