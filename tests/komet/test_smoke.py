"""The documented sample flow runs in process and over a socket alike."""


def test_vendor_token_lists_its_purchase_orders(komet, seeded):
    vendor = seeded["vendors"][0]
    token = komet.create_token(vendor_id=vendor["id"])["token"]
    reply = komet.api("purchase.order.list", token, date=seeded["shipDates"][0])
    assert reply["status"] == "1"
    assert reply["purchaseOrders"], reply["message"]
    assert {po["vendorId"] for po in reply["purchaseOrders"]} == {vendor["id"]}
