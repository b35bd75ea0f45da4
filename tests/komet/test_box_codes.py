"""box.code.change (docs/komet-api.md A5, K9): grower label codes replace Komet's box codes."""

from __future__ import annotations

import pytest

from .kometkit import refusal


def _change(komet, token, *pairs) -> dict:
    return komet.api(
        "box.code.change", token, boxes=[{"currentBoxCode": cur, "newBoxCode": new} for cur, new in pairs]
    )


def _codes_of(kit, item_id: int) -> list[str]:
    return [b["boxCode"] for b in kit.line(item_id)["boxes"]]


def test_sample_request_gets_the_documented_reply(komet, kit):
    line = kit.new_line(boxes=2)
    kit.confirm(line)
    kit.ship(line, ["KS001001", "KS001002"])
    reply = _change(
        komet, kit.company_token, ("KS001001", "PT991001"), ("KS001002", "PT991002"), ("KS001003", "PT991003")
    )
    assert reply == {
        "status": "1",
        "message": "2 boxes were successfully updated. 1 boxes could not be updated",
        "boxes": [
            {"newBoxCode": "PT991001", "status": "1", "message": "success"},
            {"newBoxCode": "PT991002", "status": "1", "message": "success"},
            {"newBoxCode": "PT991003", "status": "0", "message": "Box code does not exist"},
        ],
    }


def test_changed_codes_replace_the_old_ones_everywhere(komet, kit):
    line = kit.new_line(boxes=2)
    kit.confirm(line)
    kit.ship(line, ["KS001001", "KS001002"])
    _change(komet, kit.company_token, ("KS001001", "PT991001"))
    assert _codes_of(kit, line["poItemId"]) == ["PT991001", "KS001002"]
    awb = komet.api("awb.list", kit.company_token, shipDate=line["shipDate"])["awbs"][0]
    assert awb["boxesCodes"] == "PT991001,KS001002"


def test_generated_codes_can_be_replaced_by_label_codes(komet, kit):
    line = kit.confirmed_line(min_boxes=1)
    generated = kit.ship(line)["boxCodes"]
    labels = [f"LBL{i}" for i in range(len(generated))]
    reply = _change(komet, kit.company_token, *zip(generated, labels, strict=True))
    assert reply["status"] == "1" and all(b["status"] == "1" for b in reply["boxes"])
    assert _codes_of(kit, line["poItemId"]) == labels


def test_an_old_code_is_free_again_after_the_change(komet, kit):
    first, second = kit.new_line(boxes=1), kit.new_line(boxes=1)
    kit.confirm(first)
    kit.confirm(second)
    kit.ship(first, ["KS1"])
    _change(komet, kit.company_token, ("KS1", "PT1"))
    kit.ship(second, ["KS1"])
    assert _codes_of(kit, second["poItemId"]) == ["KS1"]


def test_a_new_code_already_taken_is_refused_per_box(komet, kit):
    line = kit.new_line(boxes=2)
    kit.confirm(line)
    kit.ship(line, ["A1", "A2"])
    with kit.unchanged():
        reply = _change(komet, kit.company_token, ("A1", "A2"))
    assert reply == {
        "status": "0",
        "message": "0 boxes were successfully updated. 1 boxes could not be updated",
        "boxes": [{"newBoxCode": "A2", "status": "0", "message": "Box code already exists"}],
    }


def test_two_boxes_renamed_to_one_code_in_a_batch_only_the_first_wins(komet, kit):
    line = kit.new_line(boxes=2)
    kit.confirm(line)
    kit.ship(line, ["A1", "A2"])
    reply = _change(komet, kit.company_token, ("A1", "Z9"), ("A2", "Z9"))
    assert [(b["status"], b["message"]) for b in reply["boxes"]] == [
        ("1", "success"),
        ("0", "Box code already exists"),
    ]
    assert _codes_of(kit, line["poItemId"]) == ["Z9", "A2"]


def test_changing_a_code_to_itself_succeeds_and_changes_nothing(komet, kit):
    line = kit.new_line(boxes=1)
    kit.confirm(line)
    kit.ship(line, ["A1"])
    reply = _change(komet, kit.company_token, ("A1", "A1"))
    assert reply["boxes"] == [{"newBoxCode": "A1", "status": "1", "message": "success"}]
    assert _codes_of(kit, line["poItemId"]) == ["A1"]


def test_unknown_boxes_only_is_a_refusal_that_changes_nothing(komet, kit):
    with kit.unchanged():
        reply = _change(komet, kit.company_token, ("NOPE1", "PT1"), ("NOPE2", "PT2"))
    assert reply["status"] == "0"
    assert reply["message"] == "0 boxes were successfully updated. 2 boxes could not be updated"
    assert {b["message"] for b in reply["boxes"]} == {"Box code does not exist"}


def test_a_vendor_token_changes_its_own_boxes(komet, kit, vendor, vendor_token):
    codes = kit.shipped_boxes(vendor["id"], count=1)
    reply = _change(komet, vendor_token, (codes[0], "MINE1"))
    assert reply["boxes"][0]["status"] == "1"


def test_another_vendors_box_does_not_exist_for_a_vendor_token(komet, kit, other_vendor, vendor_token):
    codes = kit.shipped_boxes(other_vendor["id"], count=1, prefix="OV")
    with kit.unchanged():
        reply = _change(komet, vendor_token, (codes[0], "THEIRS1"))
    assert reply["boxes"] == [{"newBoxCode": "THEIRS1", "status": "0", "message": "Box code does not exist"}]


def test_boxes_is_required(komet, kit):
    with kit.unchanged():
        reply = komet.api("box.code.change", kit.company_token)
    assert reply == refusal("missing_param", name="boxes")


@pytest.mark.parametrize("missing", ["currentBoxCode", "newBoxCode"])
def test_each_box_needs_both_codes(komet, kit, missing):
    box = {"currentBoxCode": "A1", "newBoxCode": "B1"}
    box.pop(missing)
    with kit.unchanged():
        reply = komet.api("box.code.change", kit.company_token, boxes=[box])
    assert reply == refusal("missing_param", name=f"boxes[0].{missing}")


def test_a_new_code_longer_than_twenty_characters_is_refused(komet, kit):
    with kit.unchanged():
        reply = komet.api(
            "box.code.change", kit.company_token, boxes=[{"currentBoxCode": "A1", "newBoxCode": "X" * 21}]
        )
    assert reply == refusal("invalid_param", name="boxes[0].newBoxCode", reason="at most 20 characters")


def test_an_unknown_box_field_is_refused(komet, kit):
    with kit.unchanged():
        reply = komet.api(
            "box.code.change",
            kit.company_token,
            boxes=[{"currentBoxCode": "A1", "newBoxCode": "B1", "boxCode": "A1"}],
        )
    assert reply == refusal("unknown_param", name="boxes[0].boxCode")
