"""drift.differences: two replies to one request compared field by field, in the words of the schema drift
report (missing, extra, renamed, retyped) plus the values that differ."""

from __future__ import annotations

from harness.contract.drift import differences

RECORDED = {
    "status": "1",
    "message": "OK",
    "purchaseOrders": [
        {"id": 1, "totalBoxes": 3, "totalCost": 9.0, "details": [{"poItemId": 11, "prebookItemId": 0}]},
        {"id": 2, "totalBoxes": 1, "totalCost": 2.5, "details": [{"poItemId": 21, "prebookItemId": 0}]},
    ],
}


def shown(expected, actual) -> list[str]:
    return [str(d) for d in differences(expected, actual)]


def test_the_same_reply_has_no_difference():
    assert differences(RECORDED, RECORDED) == []


def test_a_renamed_field_is_one_difference_counted_per_item():
    actual = {
        **RECORDED,
        "purchaseOrders": [
            {**po, "details": [{"poItemId": d["poItemId"], "prebookItemID": 0} for d in po["details"]]}
            for po in RECORDED["purchaseOrders"]
        ],
    }
    assert shown(RECORDED, actual) == [
        "purchaseOrders[].details[].prebookItemId: renamed to prebookItemID (×2)"
    ]


def test_missing_extra_and_retyped_fields():
    first = dict(RECORDED["purchaseOrders"][0])
    del first["totalCost"]
    first["grossWeight"] = 1.5
    first["totalBoxes"] = "3"
    actual = {**RECORDED, "purchaseOrders": [first, RECORDED["purchaseOrders"][1]]}
    assert shown(RECORDED, actual) == [
        "purchaseOrders[].totalCost: missing",
        "purchaseOrders[].grossWeight: extra field, not documented",
        "purchaseOrders[].totalBoxes: retyped integer → string",
    ]


def test_a_float_sent_as_an_integer_is_retyped():
    assert shown({"cost": 9.0}, {"cost": 9}) == ["cost: retyped number → integer"]


def test_values_messages_and_list_lengths_differ():
    actual = {
        "status": "0",
        "message": "Orders not found.",
        "purchaseOrders": [{**RECORDED["purchaseOrders"][0], "id": 5}],
    }
    assert shown(RECORDED, actual) == [
        "message: expected 'OK', got 'Orders not found.'",  # the envelope first
        "status: expected '1', got '0'",
        "purchaseOrders: expected 2 item(s), got 1 item(s)",
        "purchaseOrders[].id: expected 1, got 5",
    ]
    assert [d.envelope for d in differences(RECORDED, actual)] == [True, True, False, False]


def test_a_field_off_in_every_item_is_one_difference_with_its_first_example():
    actual = {
        **RECORDED,
        "purchaseOrders": [{**po, "id": po["id"] + 100} for po in RECORDED["purchaseOrders"]],
    }
    assert shown(RECORDED, actual) == ["purchaseOrders[].id: expected 1, got 101 (×2, the first shown)"]
