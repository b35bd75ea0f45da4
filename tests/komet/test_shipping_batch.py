"""purchase.order.items.awb.add (docs/komet-api.md A4, K8): per-line results, each line on its own, and the
batch's refusals. The one-line method is in test_shipping.py."""

from __future__ import annotations

from .kometkit import SAMPLE_AWB, SAMPLE_CODES, awb_list, refusal


def _batch(komet, token, items, **extra) -> dict:
    return komet.api("purchase.order.items.awb.add", token, poItems=items, **extra)


def test_batch_sample_request_gets_per_line_results(komet, kit, vendor):
    a, b = kit.new_line(vendor["id"], boxes=3), kit.new_line(vendor["id"], boxes=3)
    kit.confirm(a)
    kit.confirm(b)
    reply = _batch(
        komet,
        kit.company_token,
        [
            {
                "poItemId": a["poItemId"],
                "awb": SAMPLE_AWB,
                "houseAWB": "09234-4776-2024",
                "shipDate": a["shipDate"],
                "boxCodes": SAMPLE_CODES,
                "lotNumber": "234232",
            },
            {
                "poItemId": b["poItemId"],
                "awb": SAMPLE_AWB,
                "shipDate": b["shipDate"],
                "boxCodes": ["73992801", "73992802", "73992803"],
                "lotNumber": "234233",
            },
        ],
        vendorId=vendor["id"],
    )
    assert reply["status"] == 1
    assert reply["message"] == "2 items were successfully added to the AWB. 0 items could not be added"
    assert reply["purchaseOrderItemDetailsAWBAddAPIResultList"] == [
        {
            "poItemId": a["poItemId"],
            "status": 1,
            "message": "OK",
            "boxCodes": SAMPLE_CODES,
            "lotNumber": "234232",
        },
        {
            "poItemId": b["poItemId"],
            "status": 1,
            "message": "OK",
            "boxCodes": ["73992801", "73992802", "73992803"],
            "lotNumber": "234233",
        },
    ]


def test_batch_stores_the_house_awb_per_line(komet, kit, vendor):
    a = kit.confirmed_line(vendor["id"])
    _batch(
        komet,
        kit.company_token,
        [{"poItemId": a["poItemId"], "awb": SAMPLE_AWB, "houseAWB": "HAWB-1", "shipDate": a["shipDate"]}],
        vendorId=vendor["id"],
    )
    details = komet.api("awb.details.list", kit.company_token, shipDate=a["shipDate"])["awbs"][0]
    assert {b["houseAWB"] for b in details["boxes"]} == {"HAWB-1"}


def test_batch_returns_the_new_line_of_a_split_per_line(komet, kit, vendor):
    line = kit.new_line(vendor["id"], boxes=4)
    kit.confirm(line)
    reply = _batch(
        komet,
        kit.company_token,
        [
            {
                "poItemId": line["poItemId"],
                "awb": SAMPLE_AWB,
                "shipDate": line["shipDate"],
                "boxCodes": ["PT1"],
            }
        ],
        vendorId=vendor["id"],
    )
    result = reply["purchaseOrderItemDetailsAWBAddAPIResultList"][0]
    assert kit.line(result["newPOItemId"])["totalBoxes"] == 3


def test_batch_lines_succeed_or_fail_on_their_own(komet, kit, vendor):
    good, pending = kit.new_line(vendor["id"], boxes=2), kit.new_line(vendor["id"], boxes=2)
    kit.confirm(good)
    reply = _batch(
        komet,
        kit.company_token,
        [
            {"poItemId": good["poItemId"], "awb": SAMPLE_AWB, "shipDate": good["shipDate"]},
            {"poItemId": pending["poItemId"], "awb": SAMPLE_AWB, "shipDate": pending["shipDate"]},
        ],
        vendorId=vendor["id"],
    )
    assert reply["status"] == 1
    assert reply["message"] == "1 items were successfully added to the AWB. 1 items could not be added"
    failed = reply["purchaseOrderItemDetailsAWBAddAPIResultList"][1]
    assert failed == {
        "poItemId": pending["poItemId"],
        "status": 0,
        "message": refusal("not_confirmed", id=pending["poItemId"])["message"],
        "boxCodes": [],
        "lotNumber": None,
    }
    assert kit.line(good["poItemId"])["lineItemStatus"] == "S"
    assert kit.line(pending["poItemId"])["lineItemStatus"] == "P"


def test_a_failed_batch_line_undoes_only_itself(komet, kit, vendor):
    a, b = kit.new_line(vendor["id"], boxes=1), kit.new_line(vendor["id"], boxes=1)
    kit.confirm(a)
    kit.confirm(b)
    reply = _batch(
        komet,
        kit.company_token,
        [
            {"poItemId": a["poItemId"], "awb": SAMPLE_AWB, "shipDate": a["shipDate"], "boxCodes": ["PT9"]},
            {"poItemId": b["poItemId"], "awb": SAMPLE_AWB, "shipDate": b["shipDate"], "boxCodes": ["PT9"]},
        ],
        vendorId=vendor["id"],
    )
    results = reply["purchaseOrderItemDetailsAWBAddAPIResultList"]
    assert [r["status"] for r in results] == [1, 0]
    assert results[1]["message"] == "Box code already exists"
    assert kit.line(b["poItemId"])["lineItemStatus"] == "C"
    assert awb_list(komet, kit, a["shipDate"])[0]["boxesCodes"] == "PT9"


def test_a_batch_in_which_every_line_fails_is_refused_and_changes_nothing(komet, kit, vendor):
    pending = kit.new_line(vendor["id"], boxes=2)
    with kit.unchanged():
        reply = _batch(
            komet,
            kit.company_token,
            [{"poItemId": pending["poItemId"], "awb": SAMPLE_AWB, "shipDate": pending["shipDate"]}],
            vendorId=vendor["id"],
        )
    assert reply["status"] == 0
    assert reply["message"] == "0 items were successfully added to the AWB. 1 items could not be added"


def test_batch_with_a_company_token_needs_vendor_id(komet, kit):
    line = kit.confirmed_line()
    with kit.unchanged():
        reply = _batch(
            komet,
            kit.company_token,
            [{"poItemId": line["poItemId"], "awb": SAMPLE_AWB, "shipDate": line["shipDate"]}],
        )
    assert reply == refusal("vendor_required")


def test_batch_with_a_vendor_token_needs_no_vendor_id(komet, kit, vendor, vendor_token):
    line = kit.confirmed_line(vendor["id"])
    reply = _batch(
        komet, vendor_token, [{"poItemId": line["poItemId"], "awb": SAMPLE_AWB, "shipDate": line["shipDate"]}]
    )
    assert reply["status"] == 1


def test_batch_lines_of_another_vendor_than_vendor_id_do_not_exist(komet, kit, vendor, other_vendor):
    line = kit.confirmed_line(other_vendor["id"])
    with kit.unchanged():
        reply = _batch(
            komet,
            kit.company_token,
            [{"poItemId": line["poItemId"], "awb": SAMPLE_AWB, "shipDate": line["shipDate"]}],
            vendorId=vendor["id"],
        )
    assert (
        reply["purchaseOrderItemDetailsAWBAddAPIResultList"][0]["message"]
        == refusal("item_not_found", id=line["poItemId"])["message"]
    )


def test_batch_missing_a_line_field_names_it(komet, kit, vendor):
    line = kit.confirmed_line(vendor["id"])
    with kit.unchanged():
        reply = _batch(
            komet,
            kit.company_token,
            [{"poItemId": line["poItemId"], "shipDate": line["shipDate"]}],
            vendorId=vendor["id"],
        )
    assert reply == refusal("missing_param", name="poItems[0].awb")


def test_batch_with_an_unknown_line_field_names_it(komet, kit, vendor):
    line = kit.confirmed_line(vendor["id"])
    with kit.unchanged():
        reply = _batch(
            komet,
            kit.company_token,
            [{"poItemId": line["poItemId"], "awb": SAMPLE_AWB, "shipDate": line["shipDate"], "hawb": "X"}],
            vendorId=vendor["id"],
        )
    assert reply == refusal("unknown_param", name="poItems[0].hawb")


def test_batch_po_items_must_be_a_non_empty_array_of_objects(komet, kit, vendor):
    with kit.unchanged():
        for items in ([], {}, "7828", [7828]):
            reply = _batch(komet, kit.company_token, items, vendorId=vendor["id"])
            field = "poItems[0]" if items == [7828] else "poItems"
            reason = "expected an object" if items == [7828] else "expected a non-empty array of objects"
            assert reply == refusal("invalid_param", name=field, reason=reason), items
