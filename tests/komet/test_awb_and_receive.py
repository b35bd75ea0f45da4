"""awb.list, awb.details.list (docs/komet-api.md C2) and box.warehouse.receive (docs/komet-api.md C3, K12):
in transit vs received."""

from __future__ import annotations

import pytest

from .kometkit import SAMPLE_AWB, awb_for, refusal

AWB_TYPES = {
    "awbId": int,
    "awb": str,
    "origin": str,
    "shipDate": str,
    "arrivalDate": str,
    "pieces": int,
    "piecesReceived": int,
    "boxesCodes": str,
    "locationCode": str,
    "status": int,
}


@pytest.fixture
def shipment(kit, vendor):
    """Three boxes of the first vendor on the sample AWB."""
    line = kit.new_line(vendor["id"], boxes=3)
    kit.confirm(line)
    kit.ship(line, ["KS2342342", "KS0284353", "KS3450923"], awb=SAMPLE_AWB)
    return {**line, "codes": ["KS2342342", "KS0284353", "KS3450923"]}


def test_awb_list_sample_reply_has_the_documented_fields_and_numeric_status(komet, kit, vendor, shipment):
    reply = komet.api("awb.list", kit.company_token, awb="0048")
    assert (reply["status"], reply["message"]) == (1, "OK")
    [awb] = reply["awbs"]
    assert set(awb) == set(AWB_TYPES)
    for key, kind in AWB_TYPES.items():
        assert isinstance(awb[key], kind), key
    assert {
        k: awb[k]
        for k in (
            "awb",
            "origin",
            "shipDate",
            "pieces",
            "piecesReceived",
            "boxesCodes",
            "status",
            "locationCode",
        )
    } == {
        "awb": SAMPLE_AWB,
        "origin": vendor["portOrigin"],
        "shipDate": shipment["shipDate"],
        "pieces": 3,
        "piecesReceived": 0,
        "boxesCodes": ",".join(shipment["codes"]),
        "status": 1,
        "locationCode": "MIA",
    }


def test_awb_arrives_the_day_after_it_ships(komet, kit, shipment):
    [awb] = komet.api("awb.list", kit.company_token, shipDate=shipment["shipDate"])["awbs"]
    assert (awb["shipDate"], awb["arrivalDate"]) == (shipment["shipDate"], "2026-11-28")


def test_awb_list_needs_awb_or_ship_date(komet, kit):
    with kit.unchanged():
        reply = komet.api("awb.list", kit.company_token)
    assert reply == refusal("awb_or_ship_date")


def test_awb_list_awb_filter_is_the_last_four_digits(komet, kit, shipment):
    assert len(komet.api("awb.list", kit.company_token, awb="0048")["awbs"]) == 1
    assert komet.api("awb.list", kit.company_token, awb="0047")["awbs"] == []


@pytest.mark.parametrize(
    "value, reason", [("00ab", "the last four digits of the AWB"), ("00481", "at most 4 characters")]
)
def test_awb_list_refuses_an_awb_filter_that_is_not_four_digits(komet, kit, value, reason):
    with kit.unchanged():
        reply = komet.api("awb.list", kit.company_token, awb=value)
    assert reply == refusal("invalid_param", name="awb", reason=reason)


def test_awb_list_filters_by_origin_and_location_code(komet, kit, vendor, shipment):
    day = shipment["shipDate"]
    assert (
        len(
            komet.api("awb.list", kit.company_token, shipDate=day, originCode=vendor["portOrigin"].lower())[
                "awbs"
            ]
        )
        == 1
    )
    other = next(p for p in ("BOG", "MDE", "UIO") if p != vendor["portOrigin"])
    assert komet.api("awb.list", kit.company_token, shipDate=day, originCode=other)["awbs"] == []
    assert len(komet.api("awb.list", kit.company_token, shipDate=day, locationCode="mia")["awbs"]) == 1
    assert komet.api("awb.list", kit.company_token, shipDate=day, locationCode="DOR")["awbs"] == []


def test_awb_details_list_adds_the_boxes(komet, kit, shipment):
    reply = komet.api("awb.details.list", kit.company_token, shipDate=shipment["shipDate"])
    assert reply["status"] == 1
    [awb] = reply["awbs"]
    assert [b["code"] for b in awb["boxes"]] == shipment["codes"]
    for box in awb["boxes"]:
        assert isinstance(box["unitCost"], int | float) and isinstance(box["carrierName"], str)
        assert isinstance(box["carrierCode"], str) and isinstance(box["truckDate"], str | None)
        assert box["shipToId"] == shipment["customerId"]


def test_awb_lists_for_a_vendor_token_show_only_its_boxes(
    komet, kit, vendor, other_vendor, shipment, vendor_token
):
    theirs = kit.new_line(other_vendor["id"], boxes=2)
    kit.confirm(theirs)
    kit.ship(theirs, ["THEIR1", "THEIR2"], awb=SAMPLE_AWB)
    assert komet.api("awb.list", kit.company_token, awb="0048")["awbs"][0]["pieces"] == 5
    mine = komet.api("awb.details.list", vendor_token, shipDate=shipment["shipDate"])["awbs"]
    assert [b["code"] for a in mine for b in a["boxes"]] == shipment["codes"]
    assert [
        a["boxesCodes"] for a in komet.api("awb.list", vendor_token, shipDate=shipment["shipDate"])["awbs"]
    ] == [",".join(shipment["codes"])]


# --- box.warehouse.receive ----------------------------------------------------------------------------


def test_receive_sample_request_gets_the_documented_reply(komet, kit, shipment):
    reply = komet.api(
        "box.warehouse.receive", kit.company_token, boxCode=shipment["codes"][0], position="A12"
    )
    assert reply == {"status": "1", "message": "success"}


def test_a_received_box_is_no_longer_in_transit(komet, kit, shipment, seeded):
    komet.api(
        "box.warehouse.receive",
        kit.company_token,
        boxCode=shipment["codes"][0],
        position="A12",
        companyLocationId=seeded["locations"][0]["id"],
    )
    boxes = kit.line(shipment["poItemId"])["boxes"]
    assert [(b["statusId"], b["statusName"], b["position"]) for b in boxes] == [
        (2, "Received", "A12"),
        (1, "In Transit", None),
        (1, "In Transit", None),
    ]
    [awb] = komet.api("awb.list", kit.company_token, shipDate=shipment["shipDate"])["awbs"]
    assert (awb["pieces"], awb["piecesReceived"]) == (3, 1)


def test_the_importer_sees_in_transit_boxes_until_received(komet, kit, shipment):
    assert komet.in_transit()["inTransitBoxes"] == 3
    komet.api("box.warehouse.receive", kit.company_token, boxCode=shipment["codes"][1])
    assert komet.in_transit()["inTransitBoxes"] == 2


def test_a_box_cannot_be_received_twice(komet, kit, shipment):
    komet.api("box.warehouse.receive", kit.company_token, boxCode=shipment["codes"][0])
    with kit.unchanged():
        reply = komet.api("box.warehouse.receive", kit.company_token, boxCode=shipment["codes"][0])
    assert reply == refusal("box_already_received", code=shipment["codes"][0])


def test_an_unknown_box_cannot_be_received(komet, kit):
    with kit.unchanged():
        reply = komet.api("box.warehouse.receive", kit.company_token, boxCode="NOPE")
    assert reply == refusal("box_not_found") == {"status": "0", "message": "Box code does not exist"}


def test_an_unknown_location_is_refused(komet, kit, shipment):
    with kit.unchanged():
        reply = komet.api(
            "box.warehouse.receive", kit.company_token, boxCode=shipment["codes"][0], companyLocationId=4
        )
    assert reply == refusal("location_not_found", ref=4)


def test_a_position_longer_than_four_characters_is_refused(komet, kit, shipment):
    with kit.unchanged():
        reply = komet.api(
            "box.warehouse.receive", kit.company_token, boxCode=shipment["codes"][0], position="RACK1"
        )
    assert reply == refusal("invalid_param", name="position", reason="at most 4 characters")


def test_receive_needs_a_box_code(komet, kit):
    with kit.unchanged():
        reply = komet.api("box.warehouse.receive", kit.company_token, position="A1")
    assert reply == refusal("missing_param", name="boxCode")


def test_another_vendors_box_does_not_exist_for_a_vendor_token(komet, kit, other_vendor, vendor_token):
    codes = kit.shipped_boxes(other_vendor["id"], count=1, prefix="OV")
    with kit.unchanged():
        reply = komet.api("box.warehouse.receive", vendor_token, boxCode=codes[0])
    assert reply == refusal("box_not_found")


def test_awb_list_by_ship_date_leaves_out_the_awbs_of_other_days(komet, kit, seeded, vendor):
    first, second = seeded["shipDates"][:2]
    for day, code in ((first, "DAYONE01"), (second, "DAYTWO01")):
        line = kit.new_line(vendor["id"], boxes=1, ship_date=day)
        kit.confirm(line)
        kit.ship(line, [code], awb=awb_for(day))
    listed = komet.api("awb.list", kit.company_token, shipDate=first)["awbs"]
    assert [(a["awb"], a["shipDate"]) for a in listed] == [(awb_for(first), first)]
