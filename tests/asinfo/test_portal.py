"""The grower's portal pages, through the Flask test client (in process): one test per rule and per refusal.

Every page calls the same domain functions as the JSON API, so the checks read the outcome back through the
API (pair.asinfo) and through Komet itself (pair.komet)."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from ..testkit import field_error, flashes, follow, html, input_value, see_other
from .asinfokit import komet_line
from .grower_portal_kit import awb_with_boxes, confirm, first_order, synced

pytestmark = pytest.mark.parametrize("transport", ["in-process"], indirect=True)


# --- pages -------------------------------------------------------------------------------------------
def test_every_page_renders_with_the_farm_name_in_the_header(pair, portal):
    order = first_order(pair, portal)
    awb = awb_with_boxes(pair, portal, order)
    farm = pair.grower["account"]["account"]["name"]
    for path in (
        "/connections",
        "/connections/new",
        f"/connections/{pair.grower['connection']['id']}/edit",
        "/orders",
        "/orders?shipDate=all",
        f"/orders/{order['id']}",
        "/awbs",
        "/awbs/new",
        f"/awbs/{awb['id']}",
        "/labels",
        f"/labels?awbId={awb['id']}",
        "/shipments",
        "/sync-log",
    ):
        reply = portal.get(path)
        assert reply.status_code == 200, (path, html(reply)[:500])
        assert farm in htmllib.unescape(html(reply)), path
    assert portal.get("/").headers["Location"].endswith("/orders")


def test_home_sends_a_grower_without_connections_to_connections(pair, portal):
    follow(portal, portal.post(f"/connections/{pair.grower['connection']['id']}/delete"))
    assert portal.get("/").headers["Location"].endswith("/connections")
    assert "No importer connected yet" in html(portal.get("/connections"))


# --- connections -------------------------------------------------------------------------------------
def test_connection_list_shows_url_company_masked_token_and_status(pair, portal):
    token = pair.grower["token"]["token"]
    page = html(portal.get("/connections"))
    assert pair.komet_url in page and str(pair.world["companyId"]) in page
    assert token not in page and f"{token[:4]}…{token[-2:]}" in page


def test_new_connection_refuses_bad_input_at_the_field_keeps_what_was_typed_and_saves_nothing(pair, portal):
    before = pair.asinfo.connections()
    typed = {
        "name": "Second importer",
        "kometUrl": "not a url",
        "token": "abc",
        "companyId": "77",
        "customerId": "",
        "syncDays": "7",
    }
    reply = see_other(portal, portal.post("/connections/new", data=typed))
    assert reply.status_code == 400
    assert field_error(html(reply), "kometUrl").startswith("The Komet base URL")
    assert (
        input_value(html(reply), "name") == "Second importer"
        and input_value(html(reply), "kometUrl") == "not a url"
    )
    reply = see_other(
        portal,
        portal.post(
            "/connections/new", data={**typed, "kometUrl": "https://komet.example", "syncDays": "99"}
        ),
    )
    assert field_error(html(reply), "syncDays") == "How many days ahead to sync, 0 to 60"
    assert pair.asinfo.connections() == before


def test_new_connection_is_saved_and_the_same_importer_twice_is_refused(pair, portal):
    body = {
        "name": "Other",
        "kometUrl": pair.komet_url,
        "token": pair.grower["token"]["token"],
        "companyId": str(pair.world["companyId"]),
        "customerId": "",
        "syncDays": "3",
    }
    reply = see_other(portal, portal.post("/connections/new", data=body))
    assert reply.status_code == 409
    assert "already connected" in field_error(html(reply), "companyId")
    page = follow(
        portal, portal.post("/connections/new", data={**body, "companyId": "12345", "customerId": "F-9"})
    )
    assert (
        "success",
        "Connection to Other saved. Test it, then sync to see its purchase orders.",
    ) in flashes(page)
    made = pair.asinfo.connections()[-1]
    assert (made["companyId"], made["customerId"], made["syncDays"]) == (12345, "F-9", 3)


def test_edit_keeps_the_token_when_left_empty(pair, portal):
    cid = pair.grower["connection"]["id"]
    page = html(portal.get(f"/connections/{cid}/edit"))
    assert input_value(page, "token") == ""
    follow(
        portal,
        portal.post(
            f"/connections/{cid}/edit",
            data={
                "name": "Renamed",
                "kometUrl": pair.komet_url,
                "token": "",
                "companyId": str(pair.world["companyId"]),
                "customerId": "C-1",
                "syncDays": "5",
            },
        ),
    )
    assert pair.asinfo.test_connection(cid)["ok"] is True
    saved = pair.asinfo.connections()[0]
    assert (saved["name"], saved["customerId"], saved["syncDays"]) == ("Renamed", "C-1", 5)


def test_test_connection_says_in_words_what_is_wrong(pair, portal):
    cid = pair.grower["connection"]["id"]
    page = follow(portal, portal.post(f"/connections/{cid}/test"))
    assert any(k == "success" and "Connected: Komet accepted the token" in t for k, t in flashes(page))
    follow(
        portal,
        portal.post(
            f"/connections/{cid}/edit",
            data={
                "name": "Importer",
                "kometUrl": pair.komet_url,
                "token": "x" * 26,
                "companyId": str(pair.world["companyId"]),
                "customerId": "",
                "syncDays": "7",
            },
        ),
    )
    page = follow(portal, portal.post(f"/connections/{cid}/test"))
    assert any(k == "error" and "Komet does not recognise this token" in t for k, t in flashes(page))
    assert 'data-state="error"' in page


def test_test_connection_says_when_komet_is_unreachable(pair, portal):
    cid = pair.grower["connection"]["id"]
    follow(
        portal,
        portal.post(
            f"/connections/{cid}/edit",
            data={
                "name": "Importer",
                "kometUrl": "http://127.0.0.1:9",
                "token": pair.grower["token"]["token"],  # a new URL needs the token again (A1)
                "companyId": str(pair.world["companyId"]),
                "customerId": "",
                "syncDays": "7",
            },
        ),
    )
    page = follow(portal, portal.post(f"/connections/{cid}/test"))
    assert any(
        k == "error" and "Komet is unreachable at http://127.0.0.1:9" in t and "Check the Komet URL" in t
        for k, t in flashes(page)
    )


def test_sync_now_on_a_connection_pulls_its_orders(pair, portal):
    page = follow(portal, portal.post(f"/connections/{pair.grower['connection']['id']}/sync"))
    assert any(k == "success" and "new POs" in t for k, t in flashes(page))
    assert pair.asinfo.orders()


def test_a_komet_that_fails_is_shown_in_words_on_sync_and_in_the_sync_log(pair, portal):
    pair.komet.add_fault(kind="error", status=500, method="purchase.order.list")
    page = follow(portal, portal.post("/sync", data={"next": "/sync-log"}))
    assert any(
        k == "error" and "Komet is having trouble: Komet answered HTTP 500" in t for k, t in flashes(page)
    )
    assert 'data-result="error"' in page and "sync-error" in page
    assert pair.asinfo.orders() == []


def test_delete_connection_refuses_while_work_waits_for_komet(pair, portal):
    order = first_order(pair, portal)
    line = order["lines"][0]
    pair.komet.add_fault(kind="reset", method="purchase.order.item.confirm")
    follow(portal, confirm(portal, order, line, 1))
    page = follow(portal, portal.post(f"/connections/{pair.grower['connection']['id']}/delete"))
    assert any(k == "error" and "still waiting to reach Komet" in t for k, t in flashes(page))
    assert pair.asinfo.connections()


# --- orders and the confirm form -----------------------------------------------------------------------
def test_orders_inbox_has_ship_date_tabs_and_each_po_with_its_counts(pair, portal):
    orders = synced(pair, portal)
    dates = sorted({o["shipDate"] for o in orders})
    page = html(portal.get("/orders"))
    for d in dates:
        assert f"shipDate={d}" in page
    shown = re.findall(r'data-order-id="(\d+)"', page)
    assert shown and all(o["shipDate"] == dates[0] for o in orders if str(o["id"]) in shown)
    assert "Approved" in page and "not confirmed" in page
    assert portal.get("/orders?shipDate=27-11-2026").status_code == 400


def test_confirm_more_than_ordered_is_refused_at_the_field_and_changes_nothing(pair, portal):
    order = first_order(pair, portal)
    line = order["lines"][0]
    reply = see_other(portal, confirm(portal, order, line, line["orderedBoxes"] + 1))
    assert reply.status_code == 400
    assert (
        field_error(html(reply), f"boxes-{line['id']}")
        == f"At most {line['orderedBoxes']} (the boxes ordered on line {line['poItemId']})"
    )
    assert input_value(html(reply), f"boxes-{line['id']}") == str(line["orderedBoxes"] + 1)
    after = pair.asinfo.order(order["id"])["lines"][0]
    assert (after["confirmState"], after["confirmedBoxes"]) == ("none", None)
    assert komet_line(pair, order["number"], line["poItemId"])["lineItemStatus"] == "P"
    assert pair.asinfo.json("GET", "/api/outbox")["items"] == []


def test_confirm_that_is_not_a_number_is_refused_at_the_field(pair, portal):
    order = first_order(pair, portal)
    line = order["lines"][1]
    reply = see_other(portal, confirm(portal, order, line, "two"))
    assert reply.status_code == 400
    assert field_error(html(reply), f"boxes-{line['id']}").startswith("Available boxes: a whole number")
    assert pair.asinfo.order(order["id"])["lines"][1]["confirmState"] == "none"


def test_confirm_one_line_fully_and_one_partly_reaches_komet(pair, portal):
    order = first_order(pair, portal)
    first, second = order["lines"][:2]
    page = follow(portal, confirm(portal, order, first, first["orderedBoxes"]))
    assert (
        "success",
        f"Komet accepted the confirmation (line {first['poItemId']}: "
        f"{first['orderedBoxes']} of {first['orderedBoxes']}).",
    ) in flashes(page)
    follow(portal, confirm(portal, order, second, 1))
    assert komet_line(pair, order["number"], first["poItemId"])["lineItemStatus"] == "C"
    assert komet_line(pair, order["number"], second["poItemId"])["lineItemStatus"] == "PC"
    page = html(portal.get(f"/orders/{order['id']}"))
    assert page.count('data-state="accepted"') == 2 and "Partially Confirmed" in page


def test_confirm_all_and_confirm_none(pair, portal):
    order = first_order(pair, portal)
    follow(portal, portal.post(f"/orders/{order['id']}/confirm", data={"action": "all"}))
    lines = pair.asinfo.order(order["id"])["lines"]
    assert [(ln["confirmedBoxes"], ln["confirmState"]) for ln in lines] == [
        (ln["orderedBoxes"], "accepted") for ln in lines
    ]
    assert pair.komet.purchase_order(order["kometPoId"])["status"] == "CF"
    follow(portal, portal.post(f"/orders/{order['id']}/confirm", data={"action": "none"}))
    assert {ln["confirmedBoxes"] for ln in pair.asinfo.order(order["id"])["lines"]} == {0}


def test_a_confirmation_komet_cannot_take_yet_waits_and_says_why(pair, portal):
    order = first_order(pair, portal)
    line = order["lines"][0]
    pair.komet.add_fault(kind="error", status=503, method="purchase.order.item.confirm", times=1)
    page = follow(portal, confirm(portal, order, line, 2))
    assert any(k == "warning" and "waiting to reach Komet" in t and "HTTP 503" in t for k, t in flashes(page))
    assert 'data-state="pending"' in page
    follow(portal, portal.post("/shipments/retry"))
    assert pair.asinfo.order(order["id"])["lines"][0]["confirmState"] == "accepted"


def test_delete_line_cancels_it_in_komet_and_greys_it(pair, portal):
    order = first_order(pair, portal)
    line = order["lines"][1]
    page = follow(portal, portal.post(f"/orders/{order['id']}/lines/{line['id']}/delete"))
    assert any(k == "success" and "Komet cancelled it" in t for k, t in flashes(page))
    assert komet_line(pair, order["number"], line["poItemId"])["lineItemStatus"] == "X"
    row = re.search(rf'<tr data-line-id="{line["id"]}"[^>]*class="([^"]*)"', page)
    assert "muted-row" in row.group(1)
    assert f'name="boxes-{line["id"]}"' not in page
    reply = see_other(portal, confirm(portal, order, line, 1))
    assert reply.status_code == 409 and "you deleted it" in html(reply)
    assert re.search(r"class=\"form-error\"[^>]*>Nothing was confirmed: line \d+ is cancelled", html(reply))
