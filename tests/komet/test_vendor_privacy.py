"""A Vendor token's refusals say nothing of another vendor's boxes or AWBs (K8): box codes are unique per vendor,
and an AWB's ship date is not told to a vendor with no boxes on it."""

from __future__ import annotations

from .kometkit import awb_for, refusal


def _vendor_line(kit, vendor_id: int, ship_date: str | None = None) -> dict:
    line = kit.new_line(vendor_id, boxes=1, ship_date=ship_date)
    kit.confirm(line)
    return line


def _ship(komet, token: str, line: dict, codes: list[str], awb: str | None = None, ship_date=None) -> dict:
    return komet.api(
        "purchase.order.item.awb.add",
        token,
        poItemId=line["poItemId"],
        awb=awb or awb_for(line["shipDate"]),
        shipDate=ship_date or line["shipDate"],
        boxCodes=codes,
    )


def test_a_vendor_may_use_a_code_another_vendor_used(komet, kit, vendor, other_vendor):
    kit.ship(_vendor_line(kit, vendor["id"]), ["SHARED01"])
    theirs = kit.vendor_token(other_vendor["id"])
    reply = _ship(komet, theirs, _vendor_line(kit, other_vendor["id"]), ["SHARED01"])
    assert reply["status"] == 1, reply


def test_a_vendor_may_rename_a_box_to_a_code_another_vendor_used(komet, kit, vendor, other_vendor):
    kit.ship(_vendor_line(kit, vendor["id"]), ["SHARED02"])
    theirs = kit.vendor_token(other_vendor["id"])
    assert _ship(komet, theirs, _vendor_line(kit, other_vendor["id"]), ["OWN02"])["status"] == 1
    reply = komet.api(
        "box.code.change", theirs, boxes=[{"currentBoxCode": "OWN02", "newBoxCode": "SHARED02"}]
    )
    assert reply["boxes"] == [{"newBoxCode": "SHARED02", "status": "1", "message": "success"}]


def test_a_vendors_own_code_is_still_refused_when_used_again(komet, kit, other_vendor):
    token = kit.vendor_token(other_vendor["id"])
    assert _ship(komet, token, _vendor_line(kit, other_vendor["id"]), ["MINE03"])["status"] == 1
    again = _vendor_line(kit, other_vendor["id"])
    with kit.unchanged():
        reply = _ship(komet, token, again, ["MINE03"])
    assert reply == refusal("box_code_exists")


def test_the_importer_is_told_a_code_two_vendors_use_is_ambiguous(komet, kit, vendor, other_vendor):
    kit.ship(_vendor_line(kit, vendor["id"]), ["SHARED04"])
    theirs = kit.vendor_token(other_vendor["id"])
    assert _ship(komet, theirs, _vendor_line(kit, other_vendor["id"]), ["SHARED04"])["status"] == 1
    with kit.unchanged():
        reply = komet.api("box.warehouse.receive", kit.company_token, boxCode="SHARED04")
    assert reply == refusal("box_code_ambiguous", code="SHARED04")


def test_a_vendor_is_not_told_another_vendors_awb_ship_date(komet, kit, seeded, vendor, other_vendor):
    first, second = seeded["shipDates"][:2]
    awb = awb_for(first)
    kit.ship(_vendor_line(kit, vendor["id"], first), ["DATE05"], awb=awb)
    theirs = kit.vendor_token(other_vendor["id"])
    line = _vendor_line(kit, other_vendor["id"], second)
    with kit.unchanged():
        reply = _ship(komet, theirs, line, ["DATE06"], awb=awb)
    assert reply == refusal("awb_ship_date_other", awb=awb, given=second)
    assert first not in reply["message"]


def test_the_importer_and_the_awbs_own_vendor_are_told_its_ship_date(komet, kit, seeded, vendor):
    first, second = seeded["shipDates"][:2]
    awb = awb_for(first)
    kit.ship(_vendor_line(kit, vendor["id"], first), ["DATE07"], awb=awb)
    line = _vendor_line(kit, vendor["id"], second)
    expected = refusal("awb_ship_date", awb=awb, existing=first, given=second)
    assert _ship(komet, kit.company_token, line, ["DATE08"], awb=awb) == expected
    assert _ship(komet, kit.vendor_token(vendor["id"]), line, ["DATE08"], awb=awb) == expected
