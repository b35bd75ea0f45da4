"""The grower's portal: AWBs, labels, shipments, farms and error pages (Flask test client, in process)."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from asinfo_sim.domain import orders as orders_domain
from asinfo_sim.komet_client import KometUnavailable

from ..testkit import field_error, flashes, follow, html, input_value, see_other
from .grower_portal_kit import BAD_AWB, GOOD_AWB, awb_with_boxes, confirm, first_order, print_labels

pytestmark = pytest.mark.parametrize("transport", ["in-process"], indirect=True)


# --- AWBs --------------------------------------------------------------------------------------------
def awb_form(pair, **values) -> dict:
    return {
        "connectionId": str(pair.grower["connection"]["id"]),
        "airline": "729",
        "number": "",
        "hawb": "",
        "cargoAgency": "",
        "origin": "BOG",
        "destination": "MIA",
        "shipDate": "2026-11-27",
        **values,
    }


def test_typed_awb_with_a_wrong_check_digit_is_refused_at_the_field(pair, portal):
    reply = see_other(portal, portal.post("/awbs/new", data=awb_form(pair, number=BAD_AWB, hawb="H-1")))
    assert reply.status_code == 400
    assert (
        field_error(html(reply), "number")
        == "Check digit should be 5, not 6 (serial 1234567 mod 7 = 5); a digit was probably mistyped"
    )
    assert input_value(html(reply), "number") == BAD_AWB and input_value(html(reply), "hawb") == "H-1"
    assert pair.asinfo.json("GET", "/api/awbs")["awbs"] == []


def test_typed_awb_with_a_good_check_digit_and_one_from_the_stock(pair, portal):
    stock = {a["prefix"]: a["stockLeft"] for a in pair.asinfo.json("GET", "/api/airlines")["airlines"]}
    assert f"729 Avianca Cargo — {stock['729']} numbers left" in html(portal.get("/awbs/new"))
    page = follow(
        portal, portal.post("/awbs/new", data=awb_form(pair, number=GOOD_AWB, cargoAgency="Cargo Master"))
    )
    assert "AWB 729-1234-5675" in page and "Cargo Master" in page
    follow(portal, portal.post("/awbs/new", data=awb_form(pair)))
    after = {a["prefix"]: a["stockLeft"] for a in pair.asinfo.json("GET", "/api/airlines")["airlines"]}
    assert after["729"] == stock["729"] - 1
    reply = see_other(portal, portal.post("/awbs/new", data=awb_form(pair, number=GOOD_AWB)))
    assert reply.status_code == 409 and "already exists" in field_error(html(reply), "number")


def test_new_awb_refuses_a_missing_airline_and_a_bad_date(pair, portal):
    reply = see_other(portal, portal.post("/awbs/new", data=awb_form(pair, airline="")))
    assert reply.status_code == 400 and field_error(html(reply), "airline")
    reply = see_other(portal, portal.post("/awbs/new", data=awb_form(pair, shipDate="tomorrow")))
    assert field_error(html(reply), "shipDate") == "The date the boxes fly, YYYY-MM-DD"


def test_adding_more_boxes_than_confirmed_is_refused_at_the_line(pair, portal):
    order = first_order(pair, portal)
    line = order["lines"][0]
    follow(portal, confirm(portal, order, line, 2))
    awb_id = int(
        portal.post("/awbs/new", data=awb_form(pair, shipDate=order["shipDate"]))
        .headers["Location"]
        .rsplit("/", 1)[1]
    )
    page = html(portal.get(f"/awbs/{awb_id}"))
    assert f'name="boxes-{line["id"]}"' in page and "All confirmed boxes of PO" in page
    reply = see_other(
        portal,
        portal.post(f"/awbs/{awb_id}/boxes", data={"line": str(line["id"]), f"boxes-{line['id']}": "3"}),
    )
    assert reply.status_code == 409
    assert "has 2 confirmed box(es) not yet on an AWB" in field_error(html(reply), f"boxes-{line['id']}")
    assert pair.asinfo.json("GET", f"/api/awbs/{awb_id}")["assignedBoxes"] == 0
    follow(
        portal,
        portal.post(f"/awbs/{awb_id}/boxes", data={"line": str(line["id"]), f"boxes-{line['id']}": "2"}),
    )
    awb = pair.asinfo.json("GET", f"/api/awbs/{awb_id}")
    assert awb["assignedBoxes"] == 2
    follow(portal, portal.post(f"/awbs/{awb_id}/boxes/{awb['boxes'][0]['boxCode']}/remove"))
    assert pair.asinfo.json("GET", f"/api/awbs/{awb_id}")["assignedBoxes"] == 1


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
    codes = {
        ln["id"]: [b["boxCode"] for b in awb["boxes"] if b["lineId"] == ln["id"]] for ln in (first, second)
    }
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
    assert (
        preview.status_code == 200 and preview.mimetype == "application/pdf" and preview.data[:5] == b"%PDF-"
    )
    assert {b["prints"] for b in pair.asinfo.json("GET", f"/api/awbs/{awb['id']}")["boxes"]} == {0}
    for code in (awb["boxes"][0]["boxCode"],):
        assert portal.get(f"/labels?boxCode={code}").status_code == 200
    assert portal.get(f"/labels?lineId={awb['boxes'][0]['lineId']}").status_code == 200
    reply = portal.get("/labels?boxCode=NOPE123")
    assert reply.status_code == 404 and "no boxes to print for boxCode NOPE123" in html(reply)


def test_preview_downloads_in_either_format_never_make_the_first_print_a_reprint(pair, portal):
    awb = awb_with_boxes(pair, portal, first_order(pair, portal))
    page = html(portal.get(f"/labels?awbId={awb['id']}"))
    for fmt in ("pdf", "zpl"):
        href = htmllib.unescape(re.search(rf'id="preview-{fmt}" href="([^"]+)"', page).group(1))
        assert portal.get(href).status_code == 200
    assert "Not printed yet" in page
    printed = portal.post("/labels/print", data={"awbId": str(awb["id"]), "format": "zpl"})
    assert printed.data.startswith(b"^XA") and b"^FDR^FS" not in printed.data  # the first physical labels
    assert {b["prints"] for b in pair.asinfo.json("GET", f"/api/awbs/{awb['id']}")["boxes"]} == {1}


def test_the_labels_page_lists_each_print_with_its_time_format_and_reprints(pair, portal):
    awb = awb_with_boxes(pair, portal, first_order(pair, portal))
    codes = [b["boxCode"] for b in awb["boxes"]]
    portal.post("/labels/print", data={"awbId": str(awb["id"]), "format": "zpl"})
    pair.clock_apply({"advance": "5m"})
    portal.post("/labels/print", data={"boxCode": codes[0], "format": "pdf"})
    jobs = pair.asinfo.json("GET", "/api/print-jobs")["printJobs"]
    assert [(j["format"], j["what"], j["boxCodes"], j["reprinted"]) for j in jobs] == [
        ("pdf", f"box {codes[0]}", codes[:1], codes[:1]),
        ("zpl", f"AWB {awb['number']}", codes, []),
    ]
    page = html(portal.get(f"/labels?awbId={awb['id']}"))
    rows = re.findall(r'<tr data-job-id="(\d+)" data-format="(\w+)">(.*?)</tr>', page, re.S)
    assert [(int(i), f) for i, f, _ in rows] == [(j["id"], j["format"]) for j in jobs]
    assert jobs[0]["at"].replace("T", " ")[:16] in rows[0][2] and "first print" in rows[1][2]
    last = re.search(rf'data-box-code="{codes[0]}">.*?class="nowrap small last-printed">([^<]*)<', page, re.S)
    assert last.group(1).strip().endswith("PDF")


def test_labels_download_is_an_attachment_and_a_second_print_is_marked_reprint(pair, portal):
    awb = awb_with_boxes(pair, portal, first_order(pair, portal))
    first = portal.post("/labels/print", data={"awbId": str(awb["id"]), "format": "zpl"})
    assert first.status_code == 200 and first.headers["Content-Disposition"].startswith("attachment;")
    assert first.data.startswith(b"^XA") and b"^FDR^FS" not in first.data
    second = portal.post("/labels/print", data={"awbId": str(awb["id"]), "format": "zpl"})
    assert second.data.count(b"^FDR^FS") == awb["assignedBoxes"]
    pdf = portal.post("/labels/print", data={"boxCode": awb["boxes"][0]["boxCode"], "format": "pdf"})
    assert pdf.mimetype == "application/pdf" and pdf.data[:5] == b"%PDF-"
    row = re.search(rf'<tr data-awb-id="{awb["id"]}">(.*?)</tr>', html(portal.get("/labels")), re.S).group(1)
    assert re.findall(r'class="num">(\d+)<', row) == [str(awb["assignedBoxes"])] * 3


def test_labels_print_of_an_unknown_format_is_refused_in_words(pair, portal):
    awb = awb_with_boxes(pair, portal, first_order(pair, portal))
    reply = portal.post("/labels/print", data={"awbId": str(awb["id"]), "format": "png"})
    assert reply.status_code == 400 and "format: one of pdf, zpl" in html(reply)


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
    for path, code in (
        ("/orders/999", 404),
        ("/awbs/999", 404),
        ("/no-such-page", 404),
        ("/labels?awbId=x", 400),
    ):
        reply = portal.get(path)
        assert (
            reply.status_code == code
            and "Traceback" not in html(reply)
            and 'class="error-code"' in html(reply)
        )

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
    assert "Komet is too slow: Komet did not answer within 10 s." in html(reply) and "Traceback" not in html(
        reply
    )


def ship_button(page: str) -> str:
    found = re.search(r'<button[^>]*id="ship-awb"[^>]*>', page, re.S)
    assert found
    return found.group(0)


def test_the_ship_button_is_disabled_with_the_reason_the_domain_would_refuse(pair, portal):
    order = first_order(pair, portal)
    empty = pair.asinfo.create_awb(pair.grower["connection"]["id"], order["shipDate"], airline="729")
    page = html(portal.get(f"/awbs/{empty['id']}"))
    assert "disabled" in ship_button(page) and "add confirmed boxes to it first" in page
    awb = awb_with_boxes(pair, portal, order)
    page = html(portal.get(f"/awbs/{awb['id']}"))
    assert "disabled" in ship_button(page) and "have no label yet" in ship_button(page)
    print_labels(portal, awb)
    assert "disabled" not in ship_button(html(portal.get(f"/awbs/{awb['id']}")))
    follow(portal, portal.post(f"/awbs/{awb['id']}/ship"))
    page = html(portal.get(f"/awbs/{awb['id']}"))
    assert "disabled" in ship_button(page) and "every box on it has shipped" in page
