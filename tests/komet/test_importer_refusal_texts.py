"""What the importer's actions say when they refuse, word for word and naming the field: a script or a person
acts on these (each closes a gap mutation testing found)."""

from __future__ import annotations


def _error(resp, status: int) -> dict:
    assert resp.status_code == status, resp.text
    return resp.json()["error"]


def test_a_purchase_order_that_does_not_exist_is_404_naming_id(komet):
    error = _error(komet.request("GET", "/__sim/komet/purchase-orders/987654"), 404)
    assert (error["field"], error["message"]) == ("id", "purchase order 987654 does not exist")


def test_cancelling_a_cancelled_po_is_a_conflict_on_status(komet, seeded):
    po = seeded["purchaseOrders"][0]
    komet.cancel(po["id"])
    error = _error(komet.request("POST", f"/__sim/komet/purchase-orders/{po['id']}/cancel"), 409)
    assert (error["field"], error["message"]) == ("status", "this purchase order is already cancelled")


def test_cancelling_a_po_with_shipped_lines_says_why(komet, kit):
    line = kit.confirmed_line()
    kit.ship(line)
    error = _error(komet.request("POST", f"/__sim/komet/purchase-orders/{line['poId']}/cancel"), 409)
    assert (error["field"], error["message"]) == (
        "status",
        "a purchase order with shipped lines cannot be cancelled",
    )


def test_changing_a_shipped_line_says_it_is_shipped(komet, kit):
    line = kit.confirmed_line()
    kit.ship(line)
    error = _error(
        komet.request("PATCH", f"/__sim/komet/lines/{line['poItemId']}", json={"totalBoxes": 9}), 409
    )
    assert error["message"] == f"line {line['poItemId']} is shipped and cannot be changed"


def test_changing_a_cancelled_line_says_it_is_cancelled(komet, seeded):
    item = seeded["purchaseOrders"][0]["poItemIds"][0]
    komet.cancel(seeded["purchaseOrders"][0]["id"])
    error = _error(komet.request("PATCH", f"/__sim/komet/lines/{item}", json={"totalBoxes": 9}), 409)
    assert error["message"] == f"line {item} is cancelled and cannot be changed"


def test_cancelling_a_purchase_order_that_does_not_exist_is_404_naming_id(komet):
    error = _error(komet.request("POST", "/__sim/komet/purchase-orders/987654/cancel"), 404)
    assert (error["field"], error["message"]) == ("id", "purchase order 987654 does not exist")


def test_receiving_at_a_position_too_long_names_the_position(komet, kit):
    line = kit.confirmed_line()
    kit.ship(line, ["POSLONG01"])
    error = _error(
        komet.request(
            "POST", "/__sim/komet/boxes/receive", json={"boxCodes": ["POSLONG01"], "position": "RACK1"}
        ),
        400,
    )
    assert error["field"] == "position" and "at most 4 characters" in error["message"]
