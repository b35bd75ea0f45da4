"""AWBs (A4) through the API: numbers from stock and typed by hand pass the mod-7 check digit; stock runs
out with a clear answer; only boxes confirmed and accepted by Komet go on an AWB; a Komet line on one AWB."""

from __future__ import annotations

import pytest

from asinfo_sim.awb_numbers import parse_awb

from .asinfokit import asinfo_state, connection_id, synced_order


def create(topo, **body):
    body = {"connectionId": connection_id(topo), "shipDate": "2026-11-27", **body}
    return topo.asinfo.request("POST", "/api/awbs", json=body)


def stock_left(topo, prefix: str) -> int:
    return next(
        a["stockLeft"] for a in topo.asinfo.json("GET", "/api/airlines")["airlines"] if a["prefix"] == prefix
    )


@pytest.fixture
def confirmed(ip) -> dict:
    """A PO whose first line is confirmed (3 boxes) and accepted, and an empty AWB for its ship date."""
    order = synced_order(ip)
    ln = order["lines"][0]
    ip.asinfo.confirm_line(ln["id"], 3)
    awb = ip.asinfo.create_awb(connection_id(ip), order["shipDate"])
    return {"order": order, "line": ln, "awb": awb}


def assign(topo, awb_id: int, lines: list[tuple[int, int]]):
    return topo.asinfo.request(
        "POST", f"/api/awbs/{awb_id}/boxes", json={"lines": [{"lineId": lid, "boxes": n} for lid, n in lines]}
    )


# --- numbers ----------------------------------------------------------------------------------


def test_a_number_from_stock_has_a_valid_check_digit_and_the_airlines_prefix(ip):
    made = create(ip, airline="985").json()
    parsed = parse_awb(made["number"])
    assert parsed.prefix == "985"
    assert parsed.check == parsed.serial % 7
    assert made["airline"] == "LATAM Cargo Colombia"


def test_numbers_come_from_the_stock_in_order_and_stock_goes_down(ip):
    stock = next(s for s in ip.grower["account"]["awbStock"] if s["prefix"] == "729")
    left = stock_left(ip, "729")
    first, second = (create(ip, airline="729").json()["number"] for _ in range(2))
    assert parse_awb(first).serial == stock["firstSerial"]
    assert parse_awb(second).serial == stock["firstSerial"] + 1
    assert stock_left(ip, "729") == left - 2


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("729-12345675", "729-1234-5675"),
        ("985-48216302", "985-4821-6302"),
        ("729 1234 5675", "729-1234-5675"),
    ],
)
def test_a_typed_number_with_the_right_check_digit_is_accepted(ip, typed, shown):
    resp = create(ip, number=typed)
    assert resp.status_code == 201
    assert resp.json()["number"] == shown


def test_a_typed_number_with_a_wrong_check_digit_is_refused_with_the_reason(ip):
    before = asinfo_state(ip)
    resp = create(ip, number="729-12345676")
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["field"] == "number"
    assert "check digit should be 5, not 6" in error["message"]
    assert asinfo_state(ip) == before


@pytest.mark.parametrize("typed", ["729-1234567", "ABC-12345675", None, ["729-12345675"]])
def test_a_typed_number_that_is_not_an_awb_is_refused_at_number(ip, typed):
    resp = create(ip, number=typed)
    assert resp.status_code == 400
    assert resp.json()["error"]["field"] == "number"


def test_the_same_number_twice_is_refused(ip):
    assert create(ip, number="729-12345675").status_code == 201
    resp = create(ip, number="72912345675")
    assert resp.status_code == 409
    assert resp.json()["error"]["field"] == "number"


def test_an_exhausted_stock_is_refused_naming_the_airline_and_nothing_is_saved(ip):
    ip.asinfo.json("POST", "/api/awb-stock", {"prefix": "145", "firstSerial": 100, "count": 1})
    assert create(ip, airline="145").status_code == 201
    before = asinfo_state(ip)
    resp = create(ip, airline="145")
    assert resp.status_code == 409
    assert resp.json()["error"]["field"] == "airline"
    assert "no AWB numbers left" in resp.json()["error"]["message"]
    assert asinfo_state(ip) == before


def test_an_airline_without_stock_is_refused(ip):
    resp = create(ip, airline="810")
    assert resp.status_code == 409
    assert "Amerijet" in resp.json()["error"]["message"]


def test_a_stock_number_already_typed_by_hand_is_skipped(ip):
    ip.asinfo.json("POST", "/api/awb-stock", {"prefix": "145", "firstSerial": 200, "count": 3})
    assert create(ip, number="145-00002004").status_code == 201  # serial 200 (check 4): the stock's first
    drawn = create(ip, airline="145")
    assert drawn.status_code == 201, drawn.text
    assert parse_awb(drawn.json()["number"]).serial == 201


def test_added_stock_lists_its_first_and_last_numbers_with_check_digits(ip):
    made = ip.asinfo.json("POST", "/api/awb-stock", {"prefix": "369", "firstSerial": 7000001, "count": 2})
    assert (made["first"], made["last"]) == ("369-7000-0011", "369-7000-0022")


def test_an_awb_keeps_hawb_agency_origin_and_destination(ip):
    made = create(ip, airline="729", hawb="EC-000123", cargoAgency="Cargo Master", origin="BOG").json()
    assert (made["hawb"], made["cargoAgency"], made["origin"], made["destination"]) == (
        "EC-000123",
        "Cargo Master",
        "BOG",
        "MIA",
    )


def test_an_awb_flies_from_the_farms_origin_unless_told(ip):
    assert create(ip, airline="729").json()["origin"] == ip.grower["account"]["account"]["origin"]


# --- boxes on an AWB ----------------------------------------------------------------------------


def test_confirmed_boxes_get_the_growers_box_codes_and_one_lot(ip, confirmed):
    awb = assign(ip, confirmed["awb"]["id"], [(confirmed["line"]["id"], 3)]).json()
    farm = ip.grower["account"]["account"]["farmCode"]
    assert [b["boxCode"] for b in awb["boxes"]] == [f"{farm}{n:07d}" for n in (1, 2, 3)]
    assert len({b["lotNumber"] for b in awb["boxes"]}) == 1
    assert int(awb["boxes"][0]["lotNumber"]) > 99999  # clear of Komet's reserved 1000-99999


def test_an_unconfirmed_line_cannot_go_on_an_awb(ip, confirmed):
    other = confirmed["order"]["lines"][1]
    before = asinfo_state(ip)
    resp = assign(ip, confirmed["awb"]["id"], [(other["id"], 1)])
    assert resp.status_code == 409
    assert resp.json()["error"]["field"] == "lines[0].lineId"
    assert asinfo_state(ip) == before


def test_a_confirmation_komet_has_not_accepted_yet_cannot_go_on_an_awb(ip, confirmed):
    other = confirmed["order"]["lines"][1]
    ip.komet.add_fault(kind="error", method="purchase.order.item.confirm", times=1)
    ip.asinfo.confirm_line(other["id"], 2)
    resp = assign(ip, confirmed["awb"]["id"], [(other["id"], 1)])
    assert resp.status_code == 409
    assert "no confirmation accepted by Komet yet" in resp.json()["error"]["message"]


def test_a_zero_confirmation_puts_no_box_on_an_awb(ip, confirmed):
    other = confirmed["order"]["lines"][1]
    ip.asinfo.confirm_line(other["id"], 0)
    assert assign(ip, confirmed["awb"]["id"], [(other["id"], 1)]).status_code == 409


def test_more_boxes_than_confirmed_are_refused(ip, confirmed):
    assign(ip, confirmed["awb"]["id"], [(confirmed["line"]["id"], 2)])
    resp = assign(ip, confirmed["awb"]["id"], [(confirmed["line"]["id"], 2)])
    assert resp.status_code == 409
    assert resp.json()["error"]["field"] == "lines[0].boxes"
    assert "1 confirmed box(es) not yet on an AWB" in resp.json()["error"]["message"]


def test_a_komet_line_goes_on_one_awb_only(ip, confirmed):
    assign(ip, confirmed["awb"]["id"], [(confirmed["line"]["id"], 1)])
    second = ip.asinfo.create_awb(connection_id(ip), confirmed["order"]["shipDate"])
    before = asinfo_state(ip)
    resp = assign(ip, second["id"], [(confirmed["line"]["id"], 1)])
    assert resp.status_code == 409
    assert confirmed["awb"]["number"] in resp.json()["error"]["message"]
    assert asinfo_state(ip) == before


def test_adding_more_boxes_of_a_line_to_its_own_awb_keeps_its_lot(ip, confirmed):
    assign(ip, confirmed["awb"]["id"], [(confirmed["line"]["id"], 1)])
    awb = assign(ip, confirmed["awb"]["id"], [(confirmed["line"]["id"], 2)]).json()
    assert awb["assignedBoxes"] == 3
    assert len({b["lotNumber"] for b in awb["boxes"]}) == 1


def test_assigning_a_whole_po_takes_every_accepted_box_not_yet_on_an_awb(ip, confirmed):
    other = confirmed["order"]["lines"][1]
    ip.asinfo.confirm_line(other["id"], 2)
    awb = ip.asinfo.json(
        "POST", f"/api/awbs/{confirmed['awb']['id']}/boxes", {"orderId": confirmed["order"]["id"]}
    )
    assert sorted((b["lineId"]) for b in awb["boxes"]) == [confirmed["line"]["id"]] * 3 + [other["id"]] * 2


def test_a_box_taken_off_an_awb_frees_its_confirmed_place(ip, confirmed):
    awb = assign(ip, confirmed["awb"]["id"], [(confirmed["line"]["id"], 3)]).json()
    code = awb["boxes"][0]["boxCode"]
    after = ip.asinfo.json("DELETE", f"/api/awbs/{awb['id']}/boxes/{code}")
    assert code not in [b["boxCode"] for b in after["boxes"]]
    assert assign(ip, awb["id"], [(confirmed["line"]["id"], 1)]).status_code == 200


def test_one_bad_line_in_an_assignment_assigns_nothing(ip, confirmed):
    other = confirmed["order"]["lines"][1]
    before = asinfo_state(ip)
    resp = assign(ip, confirmed["awb"]["id"], [(confirmed["line"]["id"], 1), (other["id"], 1)])
    assert resp.status_code == 409
    assert resp.json()["error"]["field"] == "lines[1].lineId"
    assert asinfo_state(ip) == before
