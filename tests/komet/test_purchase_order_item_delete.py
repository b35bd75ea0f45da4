"""purchase.order.item.delete (docs/komet-api.md A6, K10): a line cancelled, never erased, and the refusals.
purchase.order.create is in test_purchase_order_create.py."""

from __future__ import annotations

from .kometkit import refusal


def test_delete_sample_request_gets_the_documented_reply(komet, kit):
    line = kit.new_line()
    assert komet.api("purchase.order.item.delete", kit.company_token, poItemId=line["poItemId"]) == {
        "status": "1",
        "message": "OK",
    }


def test_delete_cancels_the_line_without_erasing_it(komet, kit):
    line = kit.new_line()
    komet.api("purchase.order.item.delete", kit.company_token, poItemId=line["poItemId"])
    assert kit.line(line["poItemId"])["lineItemStatus"] == "X"


def test_delete_takes_its_parameters_from_the_query_string_too(komet, kit):
    line = kit.new_line()
    resp = komet.request(
        "POST",
        "/api/purchase.order.item.delete",
        params={"authenticationToken": kit.company_token, "poItemId": line["poItemId"]},
    )
    assert resp.json() == {"status": "1", "message": "OK"}
    assert kit.line(line["poItemId"])["lineItemStatus"] == "X"


def test_deleting_the_last_open_line_can_make_the_po_confirmed_by_farm(komet, kit, seeded):
    po = kit.orders(number=seeded["purchaseOrders"][0]["number"])[0]
    for ln in po["details"][:-1]:
        kit.confirm(ln)
    komet.api("purchase.order.item.delete", kit.company_token, poItemId=po["details"][-1]["poItemId"])
    assert kit.orders(number=po["number"])[0]["status"] == "CF"


def test_a_vendor_token_deletes_its_own_line(komet, kit, vendor, vendor_token):
    line = kit.new_line(vendor["id"])
    assert komet.api("purchase.order.item.delete", vendor_token, poItemId=line["poItemId"])["status"] == "1"


def test_a_shipped_line_cannot_be_deleted(komet, kit):
    line = kit.confirmed_line()
    kit.ship(line)
    with kit.unchanged():
        reply = komet.api("purchase.order.item.delete", kit.company_token, poItemId=line["poItemId"])
    assert reply == refusal("delete_shipped", id=line["poItemId"])


def test_a_cancelled_line_cannot_be_deleted_again(komet, kit):
    line = kit.new_line()
    komet.api("purchase.order.item.delete", kit.company_token, poItemId=line["poItemId"])
    with kit.unchanged():
        reply = komet.api("purchase.order.item.delete", kit.company_token, poItemId=line["poItemId"])
    assert reply == refusal("already_cancelled", id=line["poItemId"])


def test_deleting_an_unknown_line_is_refused(komet, kit):
    with kit.unchanged():
        reply = komet.api("purchase.order.item.delete", kit.company_token, poItemId=77)
    assert reply == refusal("item_not_found", id=77)


def test_another_vendors_line_does_not_exist_for_a_vendor_token(komet, kit, other_vendor, vendor_token):
    line = kit.new_line(other_vendor["id"])
    with kit.unchanged():
        reply = komet.api("purchase.order.item.delete", vendor_token, poItemId=line["poItemId"])
    assert reply == refusal("item_not_found", id=line["poItemId"])


def test_delete_needs_po_item_id(komet, kit):
    with kit.unchanged():
        reply = komet.api("purchase.order.item.delete", kit.company_token)
    assert reply == refusal("missing_param", name="poItemId")
