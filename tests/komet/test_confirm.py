"""purchase.order.item.confirm (docs/komet-api.md A2, K7)."""

from __future__ import annotations

import pytest

from .kometkit import refusal


def test_sample_request_gets_the_documented_reply(komet, kit):
    line = kit.new_line(boxes=7)
    reply = komet.api(
        "purchase.order.item.confirm", kit.company_token, poItemId=line["poItemId"], quantityConfirmed=7
    )
    assert reply == {"status": "1", "message": "OK"}
    assert isinstance(reply["status"], str)


def test_confirming_all_boxes_makes_the_line_confirmed(kit):
    line = kit.new_line(boxes=4)
    kit.confirm(line, 4)
    after = kit.line(line["poItemId"])
    assert (after["quantityConfirmed"], after["lineItemStatus"]) == (4, "C")


def test_confirming_fewer_boxes_makes_the_line_partially_confirmed(kit):
    line = kit.new_line(boxes=4)
    kit.confirm(line, 3)
    after = kit.line(line["poItemId"])
    assert (after["quantityConfirmed"], after["lineItemStatus"]) == (3, "PC")


def test_confirm_sets_the_count_rather_than_adding_to_it(kit):
    line = kit.new_line(boxes=5)
    kit.confirm(line, 2)
    kit.confirm(line, 3)
    assert kit.line(line["poItemId"])["quantityConfirmed"] == 3


def test_confirming_zero_boxes_puts_the_line_back_to_pending(kit):
    line = kit.new_line(boxes=5)
    kit.confirm(line, 5)
    kit.confirm(line, 0)
    after = kit.line(line["poItemId"])
    assert (after["quantityConfirmed"], after["lineItemStatus"]) == (0, "P")


def test_numeric_strings_are_accepted_as_the_samples_send_them(komet, kit):
    line = kit.new_line(boxes=5)
    reply = komet.api(
        "purchase.order.item.confirm",
        kit.company_token,
        poItemId=str(line["poItemId"]),
        quantityConfirmed="2",
    )
    assert reply == {"status": "1", "message": "OK"}
    assert kit.line(line["poItemId"])["quantityConfirmed"] == 2


def test_the_po_becomes_confirmed_by_farm_when_every_line_is_confirmed(kit, seeded):
    po = kit.orders(number=seeded["purchaseOrders"][0]["number"])[0]
    for ln in po["details"][:-1]:
        kit.confirm(ln)
        assert kit.orders(number=po["number"])[0]["status"] == "A"
    kit.confirm(po["details"][-1])
    assert kit.orders(number=po["number"])[0]["status"] == "CF"


def test_a_po_goes_back_to_approved_when_a_line_is_confirmed_down(kit, seeded):
    po = kit.orders(number=seeded["purchaseOrders"][0]["number"])[0]
    for ln in po["details"]:
        kit.confirm(ln)
    kit.confirm(po["details"][0], 0)
    assert kit.orders(number=po["number"])[0]["status"] == "A"


def test_cancelled_lines_do_not_hold_back_confirmed_by_farm(komet, kit, seeded):
    po = kit.orders(number=seeded["purchaseOrders"][0]["number"])[0]
    komet.api("purchase.order.item.delete", kit.company_token, poItemId=po["details"][0]["poItemId"])
    for ln in po["details"][1:]:
        kit.confirm(ln)
    assert kit.orders(number=po["number"])[0]["status"] == "CF"


def test_vendor_token_may_confirm_its_own_line_in_the_documented_profile(kit, vendor, vendor_token):
    line = kit.new_line(vendor["id"], boxes=2)
    kit.confirm(line, 2, token=vendor_token)
    assert kit.line(line["poItemId"])["lineItemStatus"] == "C"


# --- refusals -----------------------------------------------------------------------------------------


def test_more_boxes_than_ordered_is_refused(komet, kit):
    line = kit.new_line(boxes=3)
    with kit.unchanged():
        reply = komet.api(
            "purchase.order.item.confirm", kit.company_token, poItemId=line["poItemId"], quantityConfirmed=4
        )
    assert reply == refusal("over_confirm", quantity=4, id=line["poItemId"], ordered=3)


def test_a_shipped_line_cannot_be_confirmed(komet, kit):
    line = kit.confirmed_line()
    kit.ship(line)
    with kit.unchanged():
        reply = komet.api(
            "purchase.order.item.confirm", kit.company_token, poItemId=line["poItemId"], quantityConfirmed=1
        )
    assert reply == refusal("confirm_shipped", id=line["poItemId"])


def test_a_cancelled_line_cannot_be_confirmed(komet, kit):
    line = kit.new_line(boxes=3)
    komet.api("purchase.order.item.delete", kit.company_token, poItemId=line["poItemId"])
    with kit.unchanged():
        reply = komet.api(
            "purchase.order.item.confirm", kit.company_token, poItemId=line["poItemId"], quantityConfirmed=1
        )
    assert reply == refusal("confirm_cancelled", id=line["poItemId"])


def test_a_line_of_a_cancelled_po_cannot_be_confirmed(komet, kit):
    line = kit.new_line(boxes=3)
    komet.cancel(line["poId"])
    with kit.unchanged():
        reply = komet.api(
            "purchase.order.item.confirm", kit.company_token, poItemId=line["poItemId"], quantityConfirmed=1
        )
    assert reply == refusal("confirm_cancelled", id=line["poItemId"])


def test_an_ecommerce_line_awaiting_checkout_cannot_be_confirmed(komet, kit):
    line = kit.new_line(boxes=3)
    state = komet.state()
    for row in state["tables"]["po_items"]:
        if row["id"] == line["poItemId"]:
            row["ecommerce_pending"] = 1
    komet.put_state(state)
    with kit.unchanged():
        reply = komet.api(
            "purchase.order.item.confirm", kit.company_token, poItemId=line["poItemId"], quantityConfirmed=1
        )
    assert reply == refusal("ecommerce_pending")
    assert "60 minutes" in reply["message"]


def test_an_unknown_line_does_not_exist(komet, kit):
    with kit.unchanged():
        reply = komet.api("purchase.order.item.confirm", kit.company_token, poItemId=1, quantityConfirmed=1)
    assert (
        reply
        == refusal("item_not_found", id=1)
        == {"status": "0", "message": "Purchase order item 1 does not exist."}
    )


def test_another_vendors_line_does_not_exist_for_a_vendor_token(komet, kit, other_vendor, vendor_token):
    line = kit.new_line(other_vendor["id"], boxes=3)
    with kit.unchanged():
        reply = komet.api(
            "purchase.order.item.confirm", vendor_token, poItemId=line["poItemId"], quantityConfirmed=1
        )
    assert reply == refusal("item_not_found", id=line["poItemId"])


def test_a_pending_approval_line_does_not_exist_for_a_vendor_token(komet, kit, vendor, vendor_token, seeded):
    po = komet.create_purchase_order(
        vendorId=vendor["id"],
        shipDate=seeded["shipDates"][0],
        lines=[{"productCode": kit.product_code(), "boxTypeCode": "HB", "boxes": 2}],
    )
    item = po["details"][0]["poItemId"]
    with kit.unchanged():
        reply = komet.api("purchase.order.item.confirm", vendor_token, poItemId=item, quantityConfirmed=1)
    assert reply == refusal("item_not_found", id=item)


@pytest.mark.parametrize("missing", ["poItemId", "quantityConfirmed"])
def test_a_missing_parameter_is_named(komet, kit, missing):
    line = kit.new_line(boxes=3)
    params = {"poItemId": line["poItemId"], "quantityConfirmed": 1}
    params.pop(missing)
    with kit.unchanged():
        reply = komet.api("purchase.order.item.confirm", kit.company_token, **params)
    assert reply == refusal("missing_param", name=missing)


def test_a_mistyped_quantity_is_refused(komet, kit):
    line = kit.new_line(boxes=3)
    with kit.unchanged():
        for value, reason in [
            ("seven", "expected a whole number"),
            (-1, "expected a whole number"),
            (2.5, "expected a whole number"),
            (True, "expected a whole number"),
            ([1], "expected a whole number"),
            ({"n": 1}, "expected a whole number"),
            (123456, "at most 5 digits"),
        ]:
            reply = komet.api(
                "purchase.order.item.confirm",
                kit.company_token,
                poItemId=line["poItemId"],
                quantityConfirmed=value,
            )
            assert reply == refusal("invalid_param", name="quantityConfirmed", reason=reason), value


def test_an_extra_parameter_is_refused(komet, kit):
    line = kit.new_line(boxes=3)
    with kit.unchanged():
        reply = komet.api(
            "purchase.order.item.confirm",
            kit.company_token,
            poItemId=line["poItemId"],
            quantityConfirmed=1,
            quantity=1,
        )
    assert reply == refusal("unknown_param", name="quantity")


def test_a_po_item_id_beyond_any_integer_column_is_refused_not_crashed(komet, kit):
    with kit.unchanged():
        reply = komet.api(
            "purchase.order.item.confirm",
            kit.company_token,
            poItemId=99999999999999999999,
            quantityConfirmed=1,
        )
    assert reply == refusal("invalid_param", name="poItemId", reason=f"at most {2**63 - 1}")
