"""The importer's own actions as JSON under /__sim/komet: POs, lines, receiving; bad bodies never a 500."""

from __future__ import annotations

import pytest

# --- importer actions -------------------------------------------------------------------------------------


def test_the_importer_creates_a_pending_approval_po_and_approves_it(komet, kit, vendor, seeded):
    po = komet.create_purchase_order(
        vendorId=vendor["id"],
        shipDate=seeded["shipDates"][0],
        lines=[{"productCode": kit.product_code(), "boxTypeCode": "QB", "boxes": 2}],
    )
    assert po["status"] == "PA" and po["details"][0]["lineItemStatus"] == "P"
    assert komet.approve(po["id"])["status"] == "A"


def test_approving_twice_is_a_conflict(komet, kit, seeded):
    po = seeded["purchaseOrders"][0]
    resp = komet.request("POST", f"/__sim/komet/purchase-orders/{po['id']}/approve")
    assert resp.status_code == 409
    error = resp.json()["error"]
    assert error["field"] == "status"
    assert error["message"] == "only a Pending Approval PO can be approved (this one is A)"


def test_cancelling_a_po_cancels_its_lines(komet, kit, seeded):
    po = seeded["purchaseOrders"][0]
    cancelled = komet.cancel(po["id"])
    assert cancelled["status"] == "CA" and {d["lineItemStatus"] for d in cancelled["details"]} == {"X"}


def test_a_po_with_shipped_lines_cannot_be_cancelled(komet, kit):
    line = kit.confirmed_line()
    kit.ship(line)
    assert komet.request("POST", f"/__sim/komet/purchase-orders/{line['poId']}/cancel").status_code == 409


def test_the_importer_adds_and_changes_lines(komet, kit, seeded):
    po = seeded["purchaseOrders"][0]
    added = komet.add_line(po["id"], productCode=kit.product_code(), boxTypeCode="HB", boxes=4)
    new = added["details"][-1]
    assert (new["totalBoxes"], new["lineItemStatus"]) == (4, "P")
    kit.confirm({"poItemId": new["poItemId"], "totalBoxes": 4})
    changed = komet.change_line(new["poItemId"], totalBoxes=6, notes="more")
    line = next(d for d in changed["details"] if d["poItemId"] == new["poItemId"])
    assert (line["totalBoxes"], line["quantityConfirmed"], line["lineItemStatus"], line["notes"]) == (
        6,
        0,
        "P",
        "more",
    )


def test_line_changes_refuse_bad_values(komet, seeded):
    item = seeded["purchaseOrders"][0]["poItemIds"][0]
    before = komet.state()
    for body, field in [
        ({"totalBoxes": 0}, "totalBoxes"),
        ({"colour": "red"}, "colour"),
        ({"unitCost": -1}, "unitCost"),
        ({"totalBoxes": 10**30}, "totalBoxes"),
        ({"notes": ["x"]}, "notes"),
        ({"notes": ""}, "body"),  # nothing left to change (was a 500, found by kasim explore)
        ({}, "body"),
    ]:
        resp = komet.request("PATCH", f"/__sim/komet/lines/{item}", json=body)
        assert resp.status_code == 400 and resp.json()["error"]["field"] == field, body
    assert komet.state() == before


def test_importer_po_creation_refuses_bad_input(komet, vendor, seeded):
    resp = komet.request(
        "POST",
        "/__sim/komet/purchase-orders",
        json={"vendorId": vendor["id"], "shipDate": "someday", "lines": []},
    )
    assert resp.status_code == 400
    resp = komet.request(
        "POST",
        "/__sim/komet/purchase-orders",
        json={"vendorId": 1, "shipDate": "2026-11-27", "lines": [{"productId": 1}]},
    )
    assert resp.status_code in (400, 404)


def test_the_importer_receives_boxes_and_reads_in_transit(komet, kit):
    codes = kit.shipped_boxes(count=2)
    assert komet.in_transit()["inTransitBoxes"] == 2
    results = komet.receive([codes[0], "NOPE"], position="C3")["results"]
    assert results == [
        {"boxCode": codes[0], "status": "received"},
        {"boxCode": "NOPE", "status": "refused", "message": "Box code does not exist"},
    ]
    view = komet.in_transit()
    assert view["inTransitBoxes"] == 1 and view["awbs"][0]["piecesReceived"] == 1


def test_the_importer_lists_awbs_with_boxes(komet, kit):
    codes = kit.shipped_boxes(count=2)
    awbs = komet.awbs()
    assert [b["code"] for b in awbs[0]["boxes"]] == codes


def test_importer_actions_refuse_bad_bodies(komet):
    before = komet.state()
    for verb, path, body in [
        ("POST", "/__sim/komet/boxes/receive", {"boxCodes": []}),
        ("POST", "/__sim/komet/boxes/receive", {"boxCodes": ["A"], "position": "RACK1"}),
        ("PATCH", "/__sim/komet/products/10001", {"unknown": "yes"}),
        ("POST", "/__sim/komet/purchase-orders/500001/lines", {"boxes": 1}),
    ]:
        assert komet.request(verb, path, json=body).status_code == 400, (path, body)
    assert komet.state() == before


def test_importer_ids_too_large_for_any_row_are_refused_not_crashed(komet):
    for verb, path in [
        ("GET", "/__sim/komet/purchase-orders/99999999999999999999999"),
        ("PATCH", "/__sim/komet/lines/99999999999999999999999"),
        ("DELETE", "/__sim/komet/tokens/99999999999999999999999"),
    ]:
        resp = komet.request(verb, path, json={"notes": "x"})
        assert resp.status_code in (400, 404), (path, resp.status_code)


def test_a_control_plane_body_that_is_not_json_is_400(komet):
    resp = komet.request("POST", "/__sim/seed", data="{nope", headers={"Content-Type": "application/json"})
    assert resp.status_code == 400 and resp.json()["error"]["field"] == "body"


def test_an_unknown_control_route_is_json_404(komet):
    resp = komet.request("GET", "/__sim/nothing")
    assert resp.status_code == 404 and resp.headers["Content-Type"].startswith("application/json")


# --- bad input on the importer's JSON never gives a 500 --------------------------------------------------

ODD = [None, "", -1, 0, 2**63, 10**30, 1.5, True, [1], {"a": 1}, "x" * 300, "2026-02-30", "\u0000"]
_LINE = {"productCode": "CSRED23", "boxTypeCode": "HB", "boxes": 2}
IMPORTER_BODIES = [
    ("POST", "/__sim/komet/purchase-orders", {"vendorId": 3401, "shipDate": "2026-11-27", "lines": [_LINE]}),
    (
        "POST",
        "/__sim/komet/purchase-orders/500001/lines",
        {
            **_LINE,
            "productId": 10001,
            "productDescription": "x",
            "boxTypeId": 1056,
            "unitType": "Stem",
            "bunches": 1,
            "stemsBunch": 1,
            "units": 1,
            "cost": 1,
            "unitCost": 1,
            "markCode": "M",
            "notes": "n",
            "customerId": 23401,
            "prebookItemId": 1,
            "breakdowns": [],
            "orderType": "P",
            "carrierId": 1360,
        },
    ),
    ("PATCH", "/__sim/komet/lines/265001", {"totalBoxes": 2, "notes": "n", "unitCost": 1, "markCode": "M"}),
    (
        "POST",
        "/__sim/komet/tokens",
        {"type": "Company", "vendorId": 3401, "customerId": 23401, "description": "x", "methods": "all"},
    ),
    ("PATCH", "/__sim/komet/company", {"paidUsers": 1, "quotaPerUser": 1, "profile": "strict"}),
    ("POST", "/__sim/komet/boxes/receive", {"boxCodes": ["A"], "position": "A1"}),
    ("POST", "/__sim/clock", {"advance": "1h", "set": "2026-11-26T06:00:00", "running": False}),
    (
        "POST",
        "/__sim/faults",
        {
            "kind": "latency",
            "delay": "1ms",
            "route": "/nothing",
            "method": "x",
            "httpMethod": "GET",
            "namespace": "1",
            "times": 1,
            "probability": 1,
            "status": 500,
            "jitter": "1ms",
            "retryAfter": 1,
            "description": "d",
        },
    ),
]


@pytest.mark.parametrize("verb, path, body", IMPORTER_BODIES, ids=[f"{v} {p}" for v, p, _ in IMPORTER_BODIES])
def test_odd_values_in_importer_bodies_never_give_a_500(komet_local, verb, path, body):
    for field in body:
        for value in ODD:
            resp = komet_local.request(verb, path, json={**body, field: value})
            assert resp.status_code < 500, (field, value, resp.text)
            if resp.status_code < 300 and path == "/__sim/faults":
                komet_local.clear_faults()  # a fault that fired on the next call would hide what it answers


def test_odd_values_in_seed_options_never_give_a_500(komet_local):
    for field in (
        "seed",
        "vendors",
        "customers",
        "products",
        "shipDays",
        "posPerDay",
        "linesPerPo",
        "paidUsers",
        "firstShipDay",
        "reset",
        "profile",
        "quotaPerUser",
        "companyName",
    ):
        for value in ODD:
            small = {"seed": 1, "vendors": 1, "customers": 1, "products": 1, "shipDays": 1, "posPerDay": 1}
            resp = komet_local.request("POST", "/__sim/seed", json={**small, field: value})
            assert resp.status_code < 500, (field, value, resp.text)


def _nulls(value, path="") -> list[str]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nulls(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nulls(v, f"{path}[{i}]")]
    return [path] if value is None else []


def test_a_po_made_by_the_importer_has_no_null_integer_on_the_wire(komet, kit, vendor, seeded):
    """K22: a typed client loads purchase.order.list into integer columns; an unset reference is 0."""
    po = komet.create_purchase_order(
        vendorId=vendor["id"],
        shipDate=seeded["shipDates"][0],
        lines=[{"productCode": kit.product_code(), "boxTypeCode": "QB", "boxes": 2}],
    )
    komet.approve(po["id"])
    [listed] = komet.api("purchase.order.list", kit.company_token, number=po["number"])["purchaseOrders"]
    line = listed["details"][0]
    assert (listed["locationId"], line["prebookItemId"], line["carrierId"], line["customerId"]) == (
        0,
        0,
        0,
        0,
    )
    ids = [p for p in _nulls(listed) if p.endswith("Id")]
    assert ids == []


def test_an_empty_line_change_is_refused_and_changes_nothing(komet, kit):
    """Found by the Schemathesis run: PATCH with nothing to change was a 500 (an UPDATE setting nothing)."""
    item = kit.pending_line()["poItemId"]
    before = komet.state()
    resp = komet.request("PATCH", f"/__sim/komet/lines/{item}", json={})
    assert resp.status_code == 400 and resp.json()["error"]["field"] == "body"
    assert "nothing to change" in resp.json()["error"]["message"]
    assert komet.state() == before


def test_the_importer_po_list_shows_every_write_at_once_and_is_the_same_bytes_until_one(
    komet, kit, seeded, komet_world
):
    """The list is answered from the reply cache while the company's state is the same (and by shipDate)."""
    day = seeded["shipDates"][0]
    first = komet.request("GET", "/__sim/komet/purchase-orders").content
    of_day = komet.request("GET", "/__sim/komet/purchase-orders", params={"shipDate": day}).json()
    assert {po["shipDate"] for po in of_day["purchaseOrders"]} == {day}
    hits = komet_world.replies.hits
    assert komet.request("GET", "/__sim/komet/purchase-orders").content == first
    assert komet_world.replies.hits == hits + 1  # from the cache, not computed again
    po = seeded["purchaseOrders"][0]
    komet.cancel(po["id"])
    after = komet.request("GET", "/__sim/komet/purchase-orders").json()["purchaseOrders"]
    assert next(p for p in after if p["id"] == po["id"])["status"] == "CA"
    of_day = komet.request("GET", "/__sim/komet/purchase-orders", params={"shipDate": day}).json()
    assert next(p for p in of_day["purchaseOrders"] if p["id"] == po["id"])["status"] == "CA"
