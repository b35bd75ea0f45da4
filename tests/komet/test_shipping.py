"""purchase.order.item.awb.add (docs/komet-api.md A3, K8): the sample, the rules and the refusals. The batch
method, purchase.order.items.awb.add, is in test_shipping_batch.py."""

from __future__ import annotations

import re

import pytest

from .kometkit import SAMPLE_AWB, SAMPLE_CODES, awb_list, refusal


def _ship(komet, token, line, **params) -> dict:
    body = {"poItemId": line["poItemId"], "awb": SAMPLE_AWB, "shipDate": line["shipDate"], **params}
    return komet.api("purchase.order.item.awb.add", token, **body)


# --- purchase.order.item.awb.add: the sample and the rules --------------------------------------------


def test_sample_request_gets_the_documented_reply(komet, kit):
    line = kit.new_line(boxes=3)
    kit.confirm(line)
    reply = _ship(komet, kit.company_token, line, boxCodes=SAMPLE_CODES, lotNumber="234232")
    assert reply == {"status": 1, "message": "OK", "boxCodes": SAMPLE_CODES}


def test_shipping_marks_the_line_shipped_with_its_boxes_in_transit(komet, kit):
    line = kit.new_line(boxes=3)
    kit.confirm(line)
    _ship(komet, kit.company_token, line, boxCodes=SAMPLE_CODES, lotNumber="234232")
    after = kit.line(line["poItemId"])
    assert after["lineItemStatus"] == "S"
    assert [(b["boxCode"], b["lotNumber"], b["statusName"]) for b in after["boxes"]] == [
        (code, "234232", "In Transit") for code in SAMPLE_CODES
    ]


def test_without_box_codes_the_confirmed_count_ships_with_generated_codes(komet, kit):
    line = kit.new_line(boxes=4)
    kit.confirm(line, 4)
    reply = _ship(komet, kit.company_token, line)
    assert reply["status"] == 1 and len(reply["boxCodes"]) == 4
    assert all(re.fullmatch(r"KS\d{7}", code) for code in reply["boxCodes"])
    assert len(set(reply["boxCodes"])) == 4


def test_shipping_fewer_boxes_than_ordered_splits_the_line(komet, kit):
    line = kit.new_line(boxes=5)
    kit.confirm(line, 5)
    reply = _ship(komet, kit.company_token, line, boxCodes=["PT1", "PT2"])
    assert reply["status"] == 1 and isinstance(reply["newPOItemId"], int)
    shipped, rest = kit.line(line["poItemId"]), kit.line(reply["newPOItemId"])
    assert (shipped["totalBoxes"], shipped["quantityConfirmed"], shipped["lineItemStatus"]) == (2, 2, "S")
    assert (rest["totalBoxes"], rest["quantityConfirmed"], rest["lineItemStatus"]) == (3, 0, "P")
    assert rest["poId"] == line["poId"] and rest["productId"] == line["productId"]


def test_a_partially_confirmed_line_ships_its_confirmed_boxes_and_splits_the_rest(komet, kit):
    line = kit.new_line(boxes=5)
    kit.confirm(line, 2)
    reply = _ship(komet, kit.company_token, line)
    assert len(reply["boxCodes"]) == 2
    assert kit.line(reply["newPOItemId"])["totalBoxes"] == 3


def test_a_full_shipment_returns_no_new_line(komet, kit):
    line = kit.new_line(boxes=2)
    kit.confirm(line)
    assert "newPOItemId" not in _ship(komet, kit.company_token, line)


def test_the_first_use_of_an_awb_number_creates_the_awb(komet, kit, vendor):
    line = kit.new_line(vendor["id"], boxes=3)
    kit.confirm(line)
    _ship(komet, kit.company_token, line, boxCodes=SAMPLE_CODES)
    awbs = awb_list(komet, kit, line["shipDate"])
    assert [(a["awb"], a["origin"], a["pieces"], a["boxesCodes"]) for a in awbs] == [
        (SAMPLE_AWB, vendor["portOrigin"], 3, ",".join(SAMPLE_CODES))
    ]


def test_the_same_awb_written_without_hyphens_is_the_same_awb(komet, kit):
    first, second = kit.new_line(boxes=1), kit.new_line(boxes=1)
    kit.confirm(first)
    kit.confirm(second)
    _ship(komet, kit.company_token, first)
    _ship(komet, kit.company_token, second, awb=SAMPLE_AWB.replace("-", ""))
    awbs = awb_list(komet, kit, first["shipDate"])
    assert len(awbs) == 1 and awbs[0]["pieces"] == 2


def test_a_lot_number_outside_komets_range_is_kept(komet, kit):
    line = kit.new_line(boxes=1)
    kit.confirm(line)
    _ship(komet, kit.company_token, line, lotNumber="999")
    assert kit.line(line["poItemId"])["boxes"][0]["lotNumber"] == "999"


def test_without_a_lot_number_the_company_sequence_assigns_one(komet, kit):
    first, second = kit.new_line(boxes=1), kit.new_line(boxes=1)
    kit.confirm(first)
    kit.confirm(second)
    _ship(komet, kit.company_token, first)
    _ship(komet, kit.company_token, second)
    lots = [int(kit.line(ln["poItemId"])["boxes"][0]["lotNumber"]) for ln in (first, second)]
    assert 1000 <= lots[0] < lots[1] <= 99999


# --- refusals -----------------------------------------------------------------------------------------


def test_a_pending_line_cannot_ship(komet, kit):
    line = kit.new_line(boxes=2)
    with kit.unchanged():
        reply = _ship(komet, kit.company_token, line)
    assert reply == refusal("not_confirmed", id=line["poItemId"])


def test_more_box_codes_than_confirmed_are_refused(komet, kit):
    line = kit.new_line(boxes=3)
    kit.confirm(line, 2)
    with kit.unchanged():
        reply = _ship(komet, kit.company_token, line, boxCodes=SAMPLE_CODES)
    assert reply == refusal("too_many_boxes", boxes=3, id=line["poItemId"], confirmed=2)


def test_an_empty_box_code_list_ships_nothing_and_is_refused(komet, kit):
    line = kit.confirmed_line()
    with kit.unchanged():
        reply = _ship(komet, kit.company_token, line, boxCodes=[])
    assert reply == refusal("no_boxes", id=line["poItemId"])


def test_a_box_code_already_used_is_refused(komet, kit):
    first, second = kit.new_line(boxes=1), kit.new_line(boxes=1)
    kit.confirm(first)
    kit.confirm(second)
    _ship(komet, kit.company_token, first, boxCodes=["PT777"])
    with kit.unchanged():
        reply = _ship(komet, kit.company_token, second, boxCodes=["PT777"])
    assert reply == refusal("box_code_exists") == {"status": "0", "message": "Box code already exists"}


def test_a_blind_retry_of_a_shipment_is_visible(komet, kit):
    line = kit.new_line(boxes=2)
    kit.confirm(line)
    assert _ship(komet, kit.company_token, line, boxCodes=["PT1", "PT2"])["status"] == 1
    with kit.unchanged():
        reply = _ship(komet, kit.company_token, line, boxCodes=["PT1", "PT2"])
    assert reply == refusal("already_shipped", id=line["poItemId"])


def test_a_box_code_twice_in_one_request_is_refused(komet, kit):
    line = kit.new_line(boxes=2)
    kit.confirm(line)
    with kit.unchanged():
        reply = _ship(komet, kit.company_token, line, boxCodes=["PT5", "PT5"])
    assert reply == refusal("box_code_repeated", code="PT5")


def test_a_lot_number_inside_komets_range_is_refused(komet, kit):
    line = kit.confirmed_line()
    with kit.unchanged():
        reply = _ship(komet, kit.company_token, line, lotNumber="5000")
    assert reply == refusal("lot_in_komet_range", lot="5000")


@pytest.mark.parametrize("lot", ["1000", "99999"])
def test_the_lot_range_bounds_are_inside(komet, kit, lot):
    line = kit.confirmed_line()
    assert _ship(komet, kit.company_token, line, lotNumber=lot) == refusal("lot_in_komet_range", lot=lot)


def test_an_unknown_product_cannot_ship(komet, kit):
    line = kit.new_line(boxes=2)
    kit.confirm(line)
    komet.json("PATCH", f"/__sim/komet/products/{line['productId']}", {"unknown": True})
    with kit.unchanged():
        reply = _ship(komet, kit.company_token, line)
    assert reply == refusal("product_unknown", product=line["productDescription"])


def test_a_shipped_line_cannot_ship_again(komet, kit):
    line = kit.confirmed_line()
    kit.ship(line)
    with kit.unchanged():
        reply = _ship(komet, kit.company_token, line, awb="729-1234-5675")
    assert reply == refusal("already_shipped", id=line["poItemId"])


def test_a_cancelled_line_cannot_ship(komet, kit):
    line = kit.new_line(boxes=2)
    kit.confirm(line)
    komet.api("purchase.order.item.delete", kit.company_token, poItemId=line["poItemId"])
    with kit.unchanged():
        reply = _ship(komet, kit.company_token, line)
    assert reply == refusal("item_cancelled", id=line["poItemId"])


def test_an_awb_keeps_its_ship_date(komet, kit, seeded):
    first = kit.new_line(boxes=1)
    later = kit.new_line(boxes=1, ship_date=seeded["shipDates"][1])
    kit.confirm(first)
    kit.confirm(later)
    _ship(komet, kit.company_token, first)
    with kit.unchanged():
        reply = _ship(komet, kit.company_token, later)
    assert reply == refusal(
        "awb_ship_date", awb=SAMPLE_AWB, existing=first["shipDate"], given=later["shipDate"]
    )


def test_an_awb_closes_two_days_after_its_ship_date(komet, kit):
    first, second = kit.new_line(boxes=1), kit.new_line(boxes=1)
    kit.confirm(first)
    kit.confirm(second)
    _ship(komet, kit.company_token, first)
    komet.clock(set=f"{first['shipDate']}T23:59:59")
    komet.clock(advance="1d")
    assert awb_list(komet, kit, first["shipDate"])[0]["status"] == 1
    komet.clock(advance="1s")
    with kit.unchanged():
        reply = _ship(komet, kit.company_token, second)
    assert reply == refusal("awb_closed", awb=SAMPLE_AWB)
    assert awb_list(komet, kit, first["shipDate"])[0]["status"] == 0


def test_an_unknown_line_does_not_exist(komet, kit, seeded):
    with kit.unchanged():
        reply = komet.api(
            "purchase.order.item.awb.add",
            kit.company_token,
            poItemId=42,
            awb=SAMPLE_AWB,
            shipDate=seeded["shipDates"][0],
        )
    assert reply == refusal("item_not_found", id=42)


def test_another_vendors_line_does_not_exist_for_a_vendor_token(komet, kit, other_vendor, vendor_token):
    line = kit.new_line(other_vendor["id"], boxes=1)
    kit.confirm(line)
    with kit.unchanged():
        reply = _ship(komet, vendor_token, line)
    assert reply == refusal("item_not_found", id=line["poItemId"])


@pytest.mark.parametrize("missing", ["poItemId", "awb", "shipDate"])
def test_a_missing_parameter_is_named(komet, kit, missing):
    line = kit.confirmed_line()
    params = {"poItemId": line["poItemId"], "awb": SAMPLE_AWB, "shipDate": line["shipDate"]}
    params.pop(missing)
    with kit.unchanged():
        reply = komet.api("purchase.order.item.awb.add", kit.company_token, **params)
    assert reply == refusal("missing_param", name=missing)


def test_a_mistyped_parameter_is_refused(komet, kit):
    line = kit.confirmed_line()
    with kit.unchanged():
        for name, value, reason in [
            ("boxCodes", "PT1,PT2", "expected an array of strings"),
            ("boxCodes", ["x" * 21], "at most 20 characters"),
            ("boxCodes", [{"code": "PT1"}], "expected a string"),
            ("boxCodes", ["", "PT2"], "expected a non-empty string"),
            ("boxCodes", ["  "], "expected a non-empty string"),
            ("shipDate", "2026/11/27", "expected a date YYYY-MM-DD"),
            ("awb", "1" * 26, "at most 25 characters"),
            ("awb", ["729-1234-5675"], "expected a string"),
            ("lotNumber", "12345678901", "at most 10 characters"),
        ]:
            params = {
                "poItemId": line["poItemId"],
                "awb": SAMPLE_AWB,
                "shipDate": line["shipDate"],
                name: value,
            }
            reply = komet.api("purchase.order.item.awb.add", kit.company_token, **params)
            field = f"{name}[0]" if name == "boxCodes" and isinstance(value, list) else name
            assert reply == refusal("invalid_param", name=field, reason=reason), (name, value)
