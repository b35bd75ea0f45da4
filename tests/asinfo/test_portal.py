"""The grower's portal pages, through the Flask test client (in process): one test per rule and per refusal.

Every page calls the same domain functions as the JSON API, so the checks read the outcome back through the
API (pair.asinfo) and through Komet itself (pair.komet)."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from asinfo_sim.domain import orders as orders_domain
from asinfo_sim.komet_client import KometUnavailable

pytestmark = pytest.mark.parametrize("transport", ["in-process"], indirect=True)

GOOD_AWB = "729-12345675"
BAD_AWB = "729-12345676"


# --- helpers -----------------------------------------------------------------------------------------
@pytest.fixture
def portal(pair):
    """A browser-less grower on the ASINFO portal of the connected pair."""
    if pair.apps is None:
        pytest.skip("the portal tests drive the app in process")
    return pair.apps[1].test_client()


def html(reply) -> str:
    return reply.get_data(as_text=True)


def field_error(page: str, field: str) -> str | None:
    """The message shown next to a form field (data-field), or None."""
    match = re.search(rf'class="field-error" data-field="{re.escape(field)}"[^>]*>([^<]*)<', page)
    return htmllib.unescape(match.group(1)) if match else None


def flashes(page: str) -> list[tuple[str, str]]:
    return [(kind, htmllib.unescape(text)) for kind, text in
            re.findall(r'class="flash flash-(\w+)" role="status">([^<]*)<', page)]


def input_value(page: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
    return htmllib.unescape(match.group(1)) if match else None


def follow(portal, reply) -> str:
    assert reply.status_code == 302, html(reply)[:2000]
    return html(portal.get(reply.headers["Location"]))


def synced(pair, portal) -> list[dict]:
    follow(portal, portal.post("/sync"))
    return pair.asinfo.orders()


def first_order(pair, portal) -> dict:
    """The first PO with at least two open lines, after a sync."""
    return next(o for o in synced(pair, portal) if len(o["lines"]) >= 2)


def komet_line(pair, item_id: int, po_id: int) -> dict:
    po = pair.komet.purchase_order(po_id)
    return next(d for d in po["details"] if int(d["poItemId"]) == item_id)


def confirm(portal, order: dict, line: dict, boxes) -> object:
    return portal.post(f"/orders/{order['id']}/confirm", data={"action": f"line-{line['id']}",
                                                                f"boxes-{line['id']}": str(boxes)})


def awb_with_boxes(pair, portal, order: dict) -> dict:
    """Confirm the first line fully and the second partly, make an AWB (729 stock), add the PO's boxes."""
    first, second = order["lines"][:2]
    follow(portal, confirm(portal, order, first, first["ordered"]))
    follow(portal, confirm(portal, order, second, second["ordered"] - 1))
    reply = portal.post("/awbs/new", data={"connectionId": str(pair.grower["connection"]["id"]), "airline": "729",
                                           "number": "", "shipDate": order["shipDate"], "origin": "BOG",
                                           "destination": "MIA", "hawb": "", "cargoAgency": ""})
    assert reply.status_code == 302, html(reply)
    awb_id = int(reply.headers["Location"].rsplit("/", 1)[1])
    follow(portal, portal.post(f"/awbs/{awb_id}/boxes", data={"orderId": str(order["id"])}))
    return pair.asinfo.json("GET", f"/api/awbs/{awb_id}")


def print_labels(portal, awb: dict) -> bytes:
    reply = portal.post("/labels/print", data={"awbId": str(awb["id"]), "format": "pdf"})
    assert reply.status_code == 200, html(reply)[:1000]
    return reply.data


# --- pages -------------------------------------------------------------------------------------------
def test_every_page_renders_with_the_farm_name_in_the_header(pair, portal):
    order = first_order(pair, portal)
    awb = awb_with_boxes(pair, portal, order)
    farm = pair.grower["account"]["account"]["name"]
    for path in ("/connections", "/connections/new", f"/connections/{pair.grower['connection']['id']}/edit",
                 "/orders", "/orders?shipDate=all", f"/orders/{order['id']}", "/awbs", "/awbs/new",
                 f"/awbs/{awb['id']}", "/labels", f"/labels?awbId={awb['id']}", "/shipments", "/sync-log"):
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
    typed = {"name": "Second importer", "kometUrl": "not a url", "token": "abc", "companyId": "77",
             "customerId": "", "syncDays": "7"}
    reply = portal.post("/connections/new", data=typed)
    assert reply.status_code == 400
    assert field_error(html(reply), "kometUrl").startswith("The Komet base URL")
    assert input_value(html(reply), "name") == "Second importer" and input_value(html(reply), "kometUrl") == "not a url"
    reply = portal.post("/connections/new", data={**typed, "kometUrl": "https://komet.example", "syncDays": "99"})
    assert field_error(html(reply), "syncDays") == "How many days ahead to sync, 0 to 60"
    assert pair.asinfo.connections() == before


def test_new_connection_is_saved_and_the_same_importer_twice_is_refused(pair, portal):
    body = {"name": "Other", "kometUrl": pair.komet_url, "token": pair.grower["token"]["token"],
            "companyId": str(pair.world["companyId"]), "customerId": "", "syncDays": "3"}
    reply = portal.post("/connections/new", data=body)
    assert reply.status_code == 409
    assert "already connected" in field_error(html(reply), "companyId")
    page = follow(portal, portal.post("/connections/new", data={**body, "companyId": "12345", "customerId": "F-9"}))
    assert ("success", "Connection to Other saved. Test it, then sync to see its purchase orders.") in flashes(page)
    made = pair.asinfo.connections()[-1]
    assert (made["companyId"], made["customerId"], made["syncDays"]) == (12345, "F-9", 3)


def test_edit_keeps_the_token_when_left_empty(pair, portal):
    cid = pair.grower["connection"]["id"]
    page = html(portal.get(f"/connections/{cid}/edit"))
    assert input_value(page, "token") == ""
    follow(portal, portal.post(f"/connections/{cid}/edit", data={
        "name": "Renamed", "kometUrl": pair.komet_url, "token": "", "companyId": str(pair.world["companyId"]),
        "customerId": "C-1", "syncDays": "5"}))
    assert pair.asinfo.test_connection(cid)["ok"] is True
    saved = pair.asinfo.connections()[0]
    assert (saved["name"], saved["customerId"], saved["syncDays"]) == ("Renamed", "C-1", 5)


def test_test_connection_says_in_words_what_is_wrong(pair, portal):
    cid = pair.grower["connection"]["id"]
    page = follow(portal, portal.post(f"/connections/{cid}/test"))
    assert any(k == "success" and "Connected: Komet accepted the token" in t for k, t in flashes(page))
    follow(portal, portal.post(f"/connections/{cid}/edit", data={
        "name": "Importer", "kometUrl": pair.komet_url, "token": "x" * 26, "companyId": str(pair.world["companyId"]),
        "customerId": "", "syncDays": "7"}))
    page = follow(portal, portal.post(f"/connections/{cid}/test"))
    assert any(k == "error" and "Komet does not recognise this token" in t for k, t in flashes(page))
    assert 'data-state="error"' in page


def test_test_connection_says_when_komet_is_unreachable(pair, portal):
    cid = pair.grower["connection"]["id"]
    follow(portal, portal.post(f"/connections/{cid}/edit", data={
        "name": "Importer", "kometUrl": "http://127.0.0.1:9", "token": "", "companyId": str(pair.world["companyId"]),
        "customerId": "", "syncDays": "7"}))
    page = follow(portal, portal.post(f"/connections/{cid}/test"))
    assert any(k == "error" and "Komet is unreachable at http://127.0.0.1:9" in t and "Check the Komet URL" in t
               for k, t in flashes(page))


def test_sync_now_on_a_connection_pulls_its_orders(pair, portal):
    page = follow(portal, portal.post(f"/connections/{pair.grower['connection']['id']}/sync"))
    assert any(k == "success" and "new POs" in t for k, t in flashes(page))
    assert pair.asinfo.orders()


def test_a_komet_that_fails_is_shown_in_words_on_sync_and_in_the_sync_log(pair, portal):
    pair.komet.add_fault(kind="error", status=500, method="purchase.order.list")
    page = follow(portal, portal.post("/sync", data={"next": "/sync-log"}))
    assert any(k == "error" and "Komet is having trouble: Komet answered HTTP 500" in t for k, t in flashes(page))
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
    assert "Approved" in page and "none" in page
    assert portal.get("/orders?shipDate=27-11-2026").status_code == 400


def test_confirm_more_than_ordered_is_refused_at_the_field_and_changes_nothing(pair, portal):
    order = first_order(pair, portal)
    line = order["lines"][0]
    reply = confirm(portal, order, line, line["ordered"] + 1)
    assert reply.status_code == 400
    assert field_error(html(reply), f"boxes-{line['id']}") == \
        f"At most {line['ordered']} (the boxes ordered on line {line['poItemId']})"
    assert input_value(html(reply), f"boxes-{line['id']}") == str(line["ordered"] + 1)
    after = pair.asinfo.order(order["id"])["lines"][0]
    assert (after["confirmState"], after["confirmed"]) == ("none", None)
    assert komet_line(pair, line["poItemId"], order["kometPoId"])["lineItemStatus"] == "P"
    assert pair.asinfo.json("GET", "/api/outbox")["items"] == []


def test_confirm_that_is_not_a_number_is_refused_at_the_field(pair, portal):
    order = first_order(pair, portal)
    line = order["lines"][1]
    reply = confirm(portal, order, line, "two")
    assert reply.status_code == 400
    assert field_error(html(reply), f"boxes-{line['id']}").startswith("Available boxes: a whole number")
    assert pair.asinfo.order(order["id"])["lines"][1]["confirmState"] == "none"


def test_confirm_one_line_fully_and_one_partly_reaches_komet(pair, portal):
    order = first_order(pair, portal)
    first, second = order["lines"][:2]
    page = follow(portal, confirm(portal, order, first, first["ordered"]))
    assert ("success", f"Komet accepted the confirmation (line {first['poItemId']}: "
                       f"{first['ordered']} of {first['ordered']}).") in flashes(page)
    follow(portal, confirm(portal, order, second, 1))
    assert komet_line(pair, first["poItemId"], order["kometPoId"])["lineItemStatus"] == "C"
    assert komet_line(pair, second["poItemId"], order["kometPoId"])["lineItemStatus"] == "PC"
    page = html(portal.get(f"/orders/{order['id']}"))
    assert page.count('data-state="accepted"') == 2 and "Partially Confirmed" in page


def test_confirm_all_and_confirm_none(pair, portal):
    order = first_order(pair, portal)
    follow(portal, portal.post(f"/orders/{order['id']}/confirm", data={"action": "all"}))
    lines = pair.asinfo.order(order["id"])["lines"]
    assert [(ln["confirmed"], ln["confirmState"]) for ln in lines] == [(ln["ordered"], "accepted") for ln in lines]
    assert pair.komet.purchase_order(order["kometPoId"])["status"] == "CF"
    follow(portal, portal.post(f"/orders/{order['id']}/confirm", data={"action": "none"}))
    assert {ln["confirmed"] for ln in pair.asinfo.order(order["id"])["lines"]} == {0}


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
    assert komet_line(pair, line["poItemId"], order["kometPoId"])["lineItemStatus"] == "X"
    row = re.search(rf'<tr data-line-id="{line["id"]}"[^>]*class="([^"]*)"', page)
    assert "muted-row" in row.group(1)
    assert f'name="boxes-{line["id"]}"' not in page
    reply = confirm(portal, order, line, 1)
    assert reply.status_code == 409 and "you deleted it" in html(reply)
    assert re.search(r"class=\"form-error\"[^>]*>Nothing was confirmed: line \d+ is cancelled", html(reply))


# --- AWBs --------------------------------------------------------------------------------------------
def awb_form(pair, **values) -> dict:
    return {"connectionId": str(pair.grower["connection"]["id"]), "airline": "729", "number": "", "hawb": "",
            "cargoAgency": "", "origin": "BOG", "destination": "MIA", "shipDate": "2026-11-27", **values}


def test_typed_awb_with_a_wrong_check_digit_is_refused_at_the_field(pair, portal):
    reply = portal.post("/awbs/new", data=awb_form(pair, number=BAD_AWB, hawb="H-1"))
    assert reply.status_code == 400
    assert field_error(html(reply), "number") == \
        "Check digit should be 5, not 6 (serial 1234567 mod 7 = 5); a digit was probably mistyped"
    assert input_value(html(reply), "number") == BAD_AWB and input_value(html(reply), "hawb") == "H-1"
    assert pair.asinfo.json("GET", "/api/awbs")["awbs"] == []


def test_typed_awb_with_a_good_check_digit_and_one_from_the_stock(pair, portal):
    stock = {a["prefix"]: a["stockLeft"] for a in pair.asinfo.json("GET", "/api/airlines")["airlines"]}
    assert f"729 Avianca Cargo — {stock['729']} numbers left" in html(portal.get("/awbs/new"))
    page = follow(portal, portal.post("/awbs/new", data=awb_form(pair, number=GOOD_AWB, cargoAgency="Cargo Master")))
    assert "AWB 729-1234-5675" in page and "Cargo Master" in page
    follow(portal, portal.post("/awbs/new", data=awb_form(pair)))
    after = {a["prefix"]: a["stockLeft"] for a in pair.asinfo.json("GET", "/api/airlines")["airlines"]}
    assert after["729"] == stock["729"] - 1
    reply = portal.post("/awbs/new", data=awb_form(pair, number=GOOD_AWB))
    assert reply.status_code == 409 and "already exists" in field_error(html(reply), "number")


def test_new_awb_refuses_a_missing_airline_and_a_bad_date(pair, portal):
    reply = portal.post("/awbs/new", data=awb_form(pair, airline=""))
    assert reply.status_code == 400 and field_error(html(reply), "airline")
    reply = portal.post("/awbs/new", data=awb_form(pair, shipDate="tomorrow"))
    assert field_error(html(reply), "shipDate") == "The date the boxes fly, YYYY-MM-DD"


def test_adding_more_boxes_than_confirmed_is_refused_at_the_line(pair, portal):
    order = first_order(pair, portal)
    line = order["lines"][0]
    follow(portal, confirm(portal, order, line, 2))
    awb_id = int(portal.post("/awbs/new", data=awb_form(pair, shipDate=order["shipDate"])).headers["Location"]
                 .rsplit("/", 1)[1])
    page = html(portal.get(f"/awbs/{awb_id}"))
    assert f'name="boxes-{line["id"]}"' in page and "All confirmed boxes of PO" in page
    reply = portal.post(f"/awbs/{awb_id}/boxes", data={"line": str(line["id"]), f"boxes-{line['id']}": "3"})
    assert reply.status_code == 409
    assert "has 2 confirmed box(es) not yet on an AWB" in field_error(html(reply), f"boxes-{line['id']}")
    assert pair.asinfo.json("GET", f"/api/awbs/{awb_id}")["boxCount"] == 0
    follow(portal, portal.post(f"/awbs/{awb_id}/boxes", data={"line": str(line["id"]), f"boxes-{line['id']}": "2"}))
    awb = pair.asinfo.json("GET", f"/api/awbs/{awb_id}")
    assert awb["boxCount"] == 2
    follow(portal, portal.post(f"/awbs/{awb_id}/boxes/{awb['boxes'][0]['code']}/remove"))
    assert pair.asinfo.json("GET", f"/api/awbs/{awb_id}")["boxCount"] == 1


def test_ship_from_the_awb_page_reaches_komet_with_the_labels_box_codes(pair, portal):
    order = first_order(pair, portal)
    awb = awb_with_boxes(pair, portal, order)
    first, second = order["lines"][:2]
    page = follow(portal, portal.post(f"/awbs/{awb['id']}/ship"))
    assert any(k == "error" and "have no label yet" in t for k, t in flashes(page))
    assert pair.asinfo.shipments() == []
    print_labels(portal, awb)
    page = follow(portal, portal.post(f"/awbs/{awb['id']}/ship"))
    assert any(k == "success" and "shipped" in t for k, t in flashes(page))
    assert 'data-state="shipped"' in page
    codes = {ln["id"]: [b["code"] for b in awb["boxes"] if b["lineId"] == ln["id"]] for ln in (first, second)}
    po = pair.komet.purchase_order(order["kometPoId"])
    details = {int(d["poItemId"]): d for d in po["details"]}
    for ln in (first, second):
        shipped = details[ln["poItemId"]]
        assert shipped["lineItemStatus"] == "S"
        assert sorted(b["boxCode"] for b in shipped["boxes"]) == sorted(codes[ln["id"]])
    remainder = [d for i, d in details.items() if i not in {ln["poItemId"] for ln in order["lines"]}]
    assert [(d["lineItemStatus"], int(d["totalBoxes"])) for d in remainder] == [("P", 1)]
    assert f"remainder became line {remainder[0]['poItemId']}" in page
    follow(portal, portal.post("/sync"))
    assert f"remainder of line {second['poItemId']}" in html(portal.get(f"/orders/{order['id']}"))
    again = follow(portal, portal.post(f"/awbs/{awb['id']}/ship"))
    assert any(k == "error" and "no boxes waiting to ship" in t for k, t in flashes(again))


def test_a_ship_komet_refuses_to_take_waits_and_retry_now_delivers_it(pair, portal):
    order = first_order(pair, portal)
    awb = awb_with_boxes(pair, portal, order)
    print_labels(portal, awb)
    pair.komet.add_fault(kind="error", status=502, method="purchase.order.items.awb.add", times=1)
    page = follow(portal, portal.post(f"/awbs/{awb['id']}/ship"))
    assert any(k == "warning" and "Komet is having trouble" in t for k, t in flashes(page))
    assert 'data-state="pending"' in page and "last-error" in page
    page = follow(portal, portal.post("/shipments/retry"))
    assert any("1 delivered" in t for _, t in flashes(page))
    assert pair.asinfo.shipments()[0]["state"] == "shipped"


# --- labels ------------------------------------------------------------------------------------------
def test_labels_page_previews_the_pdf_without_counting_a_print(pair, portal):
    awb = awb_with_boxes(pair, portal, first_order(pair, portal))
    page = html(portal.get(f"/labels?awbId={awb['id']}"))
    src = htmllib.unescape(re.search(r'<iframe[^>]*id="label-preview"[^>]*src="([^"]+)"', page).group(1))
    assert src.startswith("/api/labels?") and "format=pdf" in src and f"awbId={awb['id']}" in src
    preview = portal.get(src)
    assert preview.status_code == 200 and preview.mimetype == "application/pdf" and preview.data[:5] == b"%PDF-"
    assert {b["prints"] for b in pair.asinfo.json("GET", f"/api/awbs/{awb['id']}")["boxes"]} == {0}
    for code in (awb["boxes"][0]["code"],):
        assert portal.get(f"/labels?boxCode={code}").status_code == 200
    assert portal.get(f"/labels?lineId={awb['boxes'][0]['lineId']}").status_code == 200
    reply = portal.get("/labels?boxCode=NOPE123")
    assert reply.status_code == 404 and "no boxes to print for boxCode NOPE123" in html(reply)


def test_labels_download_is_an_attachment_and_a_second_print_is_marked_reprint(pair, portal):
    awb = awb_with_boxes(pair, portal, first_order(pair, portal))
    first = portal.post("/labels/print", data={"awbId": str(awb["id"]), "format": "zpl"})
    assert first.status_code == 200 and first.headers["Content-Disposition"].startswith("attachment;")
    assert first.data.startswith(b"^XA") and b"^FDR^FS" not in first.data
    second = portal.post("/labels/print", data={"awbId": str(awb["id"]), "format": "zpl"})
    assert second.data.count(b"^FDR^FS") == awb["boxCount"]
    pdf = portal.post("/labels/print", data={"boxCode": awb["boxes"][0]["code"], "format": "pdf"})
    assert pdf.mimetype == "application/pdf" and pdf.data[:5] == b"%PDF-"
    row = re.search(rf'<tr data-awb-id="{awb["id"]}">(.*?)</tr>', html(portal.get("/labels")), re.S).group(1)
    assert re.findall(r'class="num">(\d+)<', row) == [str(awb["boxCount"])] * 3


def test_labels_print_of_an_unknown_format_is_refused_in_words(pair, portal):
    awb = awb_with_boxes(pair, portal, first_order(pair, portal))
    reply = portal.post("/labels/print", data={"awbId": str(awb["id"]), "format": "png"})
    assert reply.status_code == 400 and "format: pdf or zpl" in html(reply)


# --- accounts, errors --------------------------------------------------------------------------------
def test_several_farms_choose_one_with_account_and_it_is_remembered(pair, portal):
    other = pair.asinfo.seed(seed=8, reset=False, farmName="Rosas del Sur", origin="UIO")
    page = html(portal.get("/orders"))
    assert "Choose a farm" in page and "Rosas del Sur" in page
    page = html(portal.get(f"/connections?account={other['accountId']}"))
    assert "Rosas del Sur" in page and "No importer connected yet" in page
    assert "Rosas del Sur" in html(portal.get("/awbs"))
    reply = portal.get("/orders?account=999")
    assert reply.status_code == 404 and "There is no grower account 999" in html(reply)


def test_error_pages_never_show_a_traceback(pair, portal, monkeypatch):
    for path, code in (("/orders/999", 404), ("/awbs/999", 404), ("/no-such-page", 404), ("/labels?awbId=x", 400)):
        reply = portal.get(path)
        assert reply.status_code == code and "Traceback" not in html(reply) and 'class="error-code"' in html(reply)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(orders_domain, "list_orders", broken)
    reply = portal.get("/orders")
    assert reply.status_code == 500
    assert "unexpected error" in html(reply) and "Traceback" not in html(reply) and "boom" not in html(reply)


def test_a_komet_failure_no_domain_function_caught_is_a_page_in_words(pair, portal, monkeypatch):
    def down(*args, **kwargs):
        raise KometUnavailable("purchase.order.list", "timeout", "Komet did not answer within 10 s.")

    monkeypatch.setattr(orders_domain, "list_orders", down)
    reply = portal.get("/orders")
    assert reply.status_code == 502
    assert "Komet is too slow: Komet did not answer within 10 s." in html(reply) and "Traceback" not in html(reply)
