"""The vendor portal through the Flask test client (docs/decisions.md K24, K26): sign-in, choosing the importer,
seeing only its own POs, Confirm POs (To Confirm, Confirm Shipments) and every refusal."""

from __future__ import annotations

import re

import pytest

from komet_sim.domain import orders

from ..testkit import PASSWORD, html


@pytest.fixture
def partner(komet_world, seeded) -> dict:
    """A second importer buying from the seed-7 company's first vendor too."""
    return komet_world.seed_world(
        {"seed": 7, "reset": False, "vendors": 2, "shipDays": 1, "linkCompany": seeded["companyId"]}
    )


def vendor_client(komet_app, seeded, index: int = 0):
    client = komet_app.test_client()
    reply = client.post(
        "/login", data={"username": seeded["vendorUsers"][index]["username"], "password": PASSWORD}
    )
    assert reply.status_code == 302, html(reply)
    return client, reply


def flashes(page: str) -> list[str]:
    return re.findall(r'class="flash flash-\w+" role="status">([^<]*)<', page)


def line_ids(page: str) -> list[int]:
    return [int(x) for x in re.findall(r'<tr data-line-id="(\d+)"', page)]


def importer_line(world, company_id: int, item_id: int) -> dict:
    me = orders.importer(world, company_id)
    with world.store.read() as c:
        row = orders.get_item(c, me, item_id)
    return {"confirmed": row["quantity_confirmed"], "status": row["status"], "ordered": row["total_boxes"]}


def vendor_lines(komet_world, seeded, index: int = 0) -> list[dict]:
    """The first vendor's lines of its first ship date, as the importer sees them."""
    me = orders.importer(komet_world, seeded["companyId"])
    vendor = seeded["vendors"][index]
    found = orders.list_purchase_orders(
        komet_world, me, {"date": seeded["shipDates"][0], "vendorId": vendor["id"]}
    )
    return [line for po in found for line in po["details"]]


# --- sign-in and the importer ----------------------------------------------------------------------------


def test_a_vendor_with_one_importer_goes_straight_to_confirm_pos(komet_app, seeded):
    client, reply = vendor_client(komet_app, seeded)
    assert reply.headers["Location"] == "/vendor"
    page = client.get("/vendor/purchase-orders")
    assert page.status_code == 200
    assert "Confirm POs" in html(page)
    assert seeded["companyName"] in html(page)


def test_a_vendor_of_several_importers_selects_one(komet_app, seeded, partner):
    client, _ = vendor_client(komet_app, seeded)
    asked = client.get("/vendor/purchase-orders")
    assert asked.headers["Location"].startswith("/vendor/importers")
    chooser = html(client.get("/vendor/importers"))
    assert re.findall(r'data-company-id="(\d+)"', chooser) == [
        str(seeded["companyId"]),
        str(partner["companyId"]),
    ]
    chose = client.post("/vendor/importers", data={"companyId": str(partner["companyId"])})
    assert chose.headers["Location"] == "/vendor/purchase-orders"
    page = html(client.get("/vendor/purchase-orders", query_string={"shipDate": partner["shipDates"][0]}))
    assert partner["companyName"] in page
    theirs = {
        i
        for po in partner["purchaseOrders"]
        if po["vendorId"] == partner["vendors"][0]["id"]
        for i in po["poItemIds"]
    }
    assert set(line_ids(page)) == theirs


def test_choosing_an_importer_the_vendor_is_not_linked_to_is_refused(komet_app, seeded, partner):
    client, _ = vendor_client(komet_app, seeded, index=1)
    refused = client.post("/vendor/importers", data={"companyId": str(partner["companyId"])})
    assert refused.headers["Location"] == "/vendor/importers"
    assert "Choose one of the importers listed." in flashes(html(client.get("/vendor/importers")))


def test_the_vendor_sees_only_its_own_lines(komet_app, komet_world, seeded):
    client, _ = vendor_client(komet_app, seeded)
    page = html(client.get("/vendor/purchase-orders", query_string={"shipDate": seeded["shipDates"][0]}))
    mine = {line["poItemId"] for line in vendor_lines(komet_world, seeded)}
    assert mine and set(line_ids(page)) == mine


def test_the_vendor_never_sees_pending_approval_pos(komet_app, komet_world, seeded):
    """K6: a vendor sees a PO once it is Approved, in its portal as through its token."""
    po = next(p for p in seeded["purchaseOrders"] if p["vendorId"] == seeded["vendors"][0]["id"])
    with komet_world.store.tx() as c:
        c.execute("UPDATE purchase_orders SET status = 'PA' WHERE id = ?", (po["id"],))
    client, _ = vendor_client(komet_app, seeded)
    page = html(client.get("/vendor/purchase-orders", query_string={"shipDate": po["shipDate"]}))
    assert f'data-po-number="{po["number"]}"' not in page


def test_a_vendor_cannot_open_the_importers_pages(komet_app, seeded):
    client, _ = vendor_client(komet_app, seeded)
    for path in ("/purchase-orders", "/setup/tokens", "/profile", "/in-transit"):
        assert client.get(path).status_code == 403


def test_an_importer_user_cannot_open_the_vendor_pages(komet_app, seeded):
    client = komet_app.test_client()
    client.post("/login", data={"username": seeded["users"][0]["username"], "password": PASSWORD})
    assert client.get("/vendor/purchase-orders").status_code == 403


def test_signed_out_vendor_pages_redirect_to_login(komet_app):
    reply = komet_app.test_client().get("/vendor/purchase-orders")
    assert reply.headers["Location"].startswith("/login?next=/vendor/purchase-orders")


def test_after_sign_in_the_vendor_returns_to_the_vendor_page_asked_for(komet_app, seeded):
    client = komet_app.test_client()
    login = seeded["vendorUsers"][0]["username"]
    wanted = f"/vendor/purchase-orders?shipDate={seeded['shipDates'][-1]}"
    reply = client.post("/login", data={"username": login, "password": PASSWORD, "next": wanted})
    assert reply.headers["Location"] == wanted
    elsewhere = komet_app.test_client().post(
        "/login", data={"username": login, "password": PASSWORD, "next": "/profile"}
    )
    assert elsewhere.headers["Location"] == "/vendor"


def test_a_vendor_with_a_wrong_password_is_refused(komet_app, seeded):
    client = komet_app.test_client()
    reply = client.post("/login", data={"username": seeded["vendorUsers"][0]["username"], "password": "nope"})
    assert reply.status_code == 303 and client.get(reply.headers["Location"]).status_code == 401


def test_the_sign_in_page_shows_vendor_logins(komet_app, seeded):
    page = html(komet_app.test_client().get("/login"))
    assert seeded["vendorUsers"][0]["username"] in page


def test_a_vendor_whose_importers_were_reset_is_signed_out(komet_app, seeded):
    client, _ = vendor_client(komet_app, seeded)
    client.post("/__sim/reset")
    reply = client.get("/vendor/purchase-orders")
    assert reply.headers["Location"] == "/login"


# --- Confirm POs -------------------------------------------------------------------------------------------


def test_confirm_pos_opens_on_the_vendors_next_ship_date(komet_app, seeded):
    """K26: today when something of the vendor's ships today; a seeded world's POs start tomorrow."""
    client, _ = vendor_client(komet_app, seeded)
    page = html(client.get("/vendor/purchase-orders"))
    assert f'name="shipDate" value="{seeded["shipDates"][0]}"' in page


def test_to_confirm_fewer_than_ordered_partly_confirms_the_line(komet_app, komet_world, seeded):
    line = next(x for x in vendor_lines(komet_world, seeded) if x["totalBoxes"] > 1)
    client, _ = vendor_client(komet_app, seeded)
    back = client.post(
        f"/vendor/lines/{line['poItemId']}/confirm", data={"boxes": "1", "shipDate": seeded["shipDates"][0]}
    )
    assert back.headers["Location"] == f"/vendor/purchase-orders?shipDate={seeded['shipDates'][0]}"
    assert importer_line(komet_world, seeded["companyId"], line["poItemId"]) == {
        "confirmed": 1,
        "status": "PC",
        "ordered": line["totalBoxes"],
    }
    assert f"Line {line['poItemId']}: 1 box(es) confirmed (Partially Confirmed)." in flashes(
        html(client.get(back.headers["Location"]))
    )


def test_to_confirm_all_boxes_confirms_the_line_and_sets_not_adds(komet_app, komet_world, seeded):
    line = vendor_lines(komet_world, seeded)[0]
    client, _ = vendor_client(komet_app, seeded)
    for _ in range(2):
        client.post(f"/vendor/lines/{line['poItemId']}/confirm", data={"boxes": str(line["totalBoxes"])})
    assert (
        importer_line(komet_world, seeded["companyId"], line["poItemId"])["confirmed"] == line["totalBoxes"]
    )
    assert importer_line(komet_world, seeded["companyId"], line["poItemId"])["status"] == "C"


@pytest.mark.parametrize("boxes", ["", "-1", "two", "1.5", "123456"])
def test_to_confirm_takes_a_whole_number(komet_app, komet_world, seeded, boxes):
    line = vendor_lines(komet_world, seeded)[0]
    client, _ = vendor_client(komet_app, seeded)
    back = client.post(f"/vendor/lines/{line['poItemId']}/confirm", data={"boxes": boxes})
    assert "To Confirm takes a whole number" in flashes(html(client.get(back.headers["Location"])))[0]
    assert importer_line(komet_world, seeded["companyId"], line["poItemId"])["confirmed"] == 0


def test_to_confirm_more_than_ordered_is_refused_with_komets_reason(komet_app, komet_world, seeded):
    line = vendor_lines(komet_world, seeded)[0]
    client, _ = vendor_client(komet_app, seeded)
    back = client.post(
        f"/vendor/lines/{line['poItemId']}/confirm", data={"boxes": str(line["totalBoxes"] + 1)}
    )
    message = flashes(html(client.get(back.headers["Location"])))[0]
    assert message.startswith(f"Line {line['poItemId']} was not confirmed:")
    assert importer_line(komet_world, seeded["companyId"], line["poItemId"])["confirmed"] == 0


def test_another_vendors_line_does_not_exist_for_the_vendor(komet_app, komet_world, seeded):
    theirs = vendor_lines(komet_world, seeded, index=1)[0]
    client, _ = vendor_client(komet_app, seeded)
    back = client.post(f"/vendor/lines/{theirs['poItemId']}/confirm", data={"boxes": "1"})
    assert "does not exist" in flashes(html(client.get(back.headers["Location"])))[0]
    assert importer_line(komet_world, seeded["companyId"], theirs["poItemId"])["confirmed"] == 0


def test_confirm_shipments_confirms_pending_lines_in_full_and_keeps_partial_ones(
    komet_app, komet_world, seeded
):
    lines = vendor_lines(komet_world, seeded)
    partial = next(x for x in lines if x["totalBoxes"] > 1)
    client, _ = vendor_client(komet_app, seeded)
    client.post(f"/vendor/lines/{partial['poItemId']}/confirm", data={"boxes": "1"})
    back = client.post("/vendor/confirm-shipments", data={"shipDate": seeded["shipDates"][0]})
    assert f"Confirm Shipments: {len(lines) - 1} pending line(s) confirmed in full." in flashes(
        html(client.get(back.headers["Location"]))
    )
    for line in lines:
        now = importer_line(komet_world, seeded["companyId"], line["poItemId"])
        expected = 1 if line is partial else line["totalBoxes"]
        assert now["confirmed"] == expected


def test_confirm_shipments_touches_only_the_pos_the_search_finds(komet_app, komet_world, seeded):
    client, _ = vendor_client(komet_app, seeded)
    client.post("/vendor/confirm-shipments", data={"shipDate": seeded["shipDates"][0]})
    me = orders.importer(komet_world, seeded["companyId"])
    later = orders.list_purchase_orders(komet_world, me, {"date": seeded["shipDates"][1]})
    assert all(line["quantityConfirmed"] == 0 for po in later for line in po["details"])
    others = vendor_lines(komet_world, seeded, index=1)
    assert all(line["quantityConfirmed"] == 0 for line in others)


def test_confirm_shipments_with_nothing_pending_says_so(komet_app, seeded):
    client, _ = vendor_client(komet_app, seeded)
    client.post("/vendor/confirm-shipments", data={"shipDate": seeded["shipDates"][0]})
    back = client.post("/vendor/confirm-shipments", data={"shipDate": seeded["shipDates"][0]})
    assert "Confirm Shipments: no pending line in this search." in flashes(
        html(client.get(back.headers["Location"]))
    )


def test_the_status_search_finds_lines_of_that_status(komet_app, komet_world, seeded):
    line = vendor_lines(komet_world, seeded)[0]
    client, _ = vendor_client(komet_app, seeded)
    client.post(f"/vendor/lines/{line['poItemId']}/confirm", data={"boxes": str(line["totalBoxes"])})
    page = html(
        client.get(
            "/vendor/purchase-orders", query_string={"shipDate": seeded["shipDates"][0], "status": "C"}
        )
    )
    assert line_ids(page) == [line["poItemId"]]


@pytest.mark.parametrize(
    ("query", "field"), [({"status": "Z"}, "status"), ({"shipDate": "2026-13-01"}, "shipDate")]
)
def test_a_bad_search_is_a_400_naming_the_field(komet_app, seeded, query, field):
    client, _ = vendor_client(komet_app, seeded)
    reply = client.get("/vendor/purchase-orders", query_string=query)
    assert reply.status_code == 400
    assert f"{field}:" in html(reply)
