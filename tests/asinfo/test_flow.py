"""The whole flow, in process and over real sockets: connect → test → sync → confirm one line fully and one
partly → AWB (729) → assign → labels (PDF and ZPL) → ship → what the importer sees in Komet."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pytest

from .asinfokit import connection_id, importer_token, komet_line, komet_po, synced_order

PARTIAL = 4
ZPL_BARCODE = re.compile(r"\^BC[^^]*(?:\^FH[^^]*)?\^FD(.*?)\^FS")


def pdf_codes(pdf: bytes, expected: list[str]) -> list[str | None]:
    """The box code printed on each page, in page order (one label per page)."""
    doc = pdfium.PdfDocument(pdf)
    found: list[str | None] = []
    for i in range(len(doc)):
        text = doc[i].get_textpage().get_text_range()
        found.append(next((c for c in expected if re.search(rf"(?m)^{c}\s*$", text)), None))
    return found


@pytest.fixture
def flow(pair) -> dict:
    """Runs the grower's side of the flow through ASINFO's API and keeps what each step answered."""
    a = pair.asinfo
    cid = connection_id(pair)
    tested = a.test_connection(cid)
    first_sync = a.sync()["syncs"][0]
    order = synced_order(pair)
    full, part = order["lines"][0], order["lines"][1]
    a.confirm_line(full["id"], full["orderedBoxes"])
    a.confirm_line(part["id"], PARTIAL)
    awb = a.create_awb(cid, order["shipDate"], airline="729")
    awb = a.assign(awb["id"], [(full["id"], full["orderedBoxes"]), (part["id"], PARTIAL)])
    codes = [b["boxCode"] for b in awb["boxes"]]
    pdf = a.print_labels("pdf", awbId=awb["id"])
    zpl = a.print_labels("zpl", awbId=awb["id"]).decode("utf-8")
    shipment = a.ship(awb["id"])
    return {
        "pair": pair,
        "tested": tested,
        "first_sync": first_sync,
        "order": order,
        "full": full,
        "part": part,
        "awb": awb,
        "codes": codes,
        "pdf": pdf,
        "zpl": zpl,
        "shipment": shipment,
    }


def test_connection_test_says_connected_in_words(flow):
    assert flow["tested"]["ok"] is True
    assert flow["tested"]["message"].startswith("Connected:")
    assert flow["tested"]["connection"]["status"] == "ok"


def test_first_sync_brings_the_vendors_purchase_orders(flow):
    pair = flow["pair"]
    vendor = pair.grower["vendor"]["id"]
    expected = {
        po["number"]
        for d in pair.world["shipDates"]
        for po in pair.komet.api("purchase.order.list", importer_token(pair), date=d)["purchaseOrders"]
        if int(po["vendorId"]) == vendor
    }
    assert flow["first_sync"]["result"] == "ok"
    assert {o["number"] for o in pair.asinfo.orders()} == expected


def test_labels_carry_the_assigned_box_codes_in_pdf_and_zpl(flow):
    assert len(flow["codes"]) == flow["full"]["orderedBoxes"] + PARTIAL
    assert pdf_codes(flow["pdf"], flow["codes"]) == flow["codes"]
    assert ZPL_BARCODE.findall(flow["zpl"]) == flow["codes"]


def test_shipment_is_recorded_shipped_line_by_line(flow):
    shipment = flow["shipment"]
    assert shipment["state"] == "shipped"
    assert [ln["state"] for ln in shipment["lines"]] == ["shipped", "shipped"]
    assert sorted(c for ln in shipment["lines"] for c in ln["boxCodes"]) == sorted(flow["codes"])


def test_komet_shows_both_lines_shipped(flow):
    pair, number = flow["pair"], flow["order"]["number"]
    for ln, boxes in ((flow["full"], flow["full"]["orderedBoxes"]), (flow["part"], PARTIAL)):
        detail = komet_line(pair, number, ln["poItemId"])
        assert detail["lineItemStatus"] == "S"
        assert int(detail["totalBoxes"]) == boxes


def test_komet_in_transit_holds_exactly_the_labelled_codes_under_the_awb(flow):
    transit = flow["pair"].komet.in_transit()
    [awb] = [
        a for a in transit["awbs"] if a["awb"].replace("-", "") == flow["awb"]["number"].replace("-", "")
    ]
    assert sorted(b["boxCode"] for b in awb["inTransit"]) == sorted(flow["codes"])
    assert transit["inTransitBoxes"] == len(flow["codes"])


def test_awb_list_through_a_company_token_has_exactly_the_labelled_codes(flow):
    pair = flow["pair"]
    reply = pair.komet.api("awb.list", importer_token(pair), shipDate=flow["order"]["shipDate"])
    [awb] = reply["awbs"]
    assert awb["awb"].replace("-", "") == flow["awb"]["number"].replace("-", "")
    assert sorted(awb["boxesCodes"].split(",")) == sorted(flow["codes"])
    assert int(awb["pieces"]) == len(flow["codes"])


def test_the_remainder_of_the_partial_line_is_a_new_pending_line_in_komet(flow):
    pair, part = flow["pair"], flow["part"]
    [split] = [ln for ln in flow["shipment"]["lines"] if ln["poItemId"] == part["poItemId"]]
    assert split["newPOItemId"] is not None
    remainder = komet_line(pair, flow["order"]["number"], split["newPOItemId"])
    assert remainder["lineItemStatus"] == "P"
    assert int(remainder["totalBoxes"]) == part["orderedBoxes"] - PARTIAL
    assert int(remainder["productId"]) == part["productId"]


def test_the_fully_shipped_line_leaves_no_remainder(flow):
    [full] = [ln for ln in flow["shipment"]["lines"] if ln["poItemId"] == flow["full"]["poItemId"]]
    assert full["newPOItemId"] is None


def test_asinfo_shows_the_remainder_as_a_pending_line_split_from_the_partial_one(flow):
    pair, part = flow["pair"], flow["part"]
    lines = pair.asinfo.order(flow["order"]["id"])["lines"]
    [remainder] = [ln for ln in lines if ln["splitFrom"] == part["id"]]
    assert remainder["kometStatus"] == "P"
    assert remainder["orderedBoxes"] == part["orderedBoxes"] - PARTIAL
    assert remainder["confirmedBoxes"] is None


def test_a_sync_after_shipping_changes_nothing_asinfo_already_knows(flow):
    pair = flow["pair"]
    before = pair.asinfo.order(flow["order"]["id"])
    entry = pair.asinfo.sync()["syncs"][0]
    assert entry["result"] == "ok"
    assert entry["changes"] == [], entry["changes"]
    assert pair.asinfo.order(flow["order"]["id"])["lines"] == before["lines"]


def test_a_sync_picks_up_a_split_made_in_komet_without_touching_anything_else(pair):
    """The remainder split in Komet (the grower's ASINFO never heard the reply) arrives by sync, once."""
    order = synced_order(pair)
    part = order["lines"][1]
    pair.asinfo.confirm_line(part["id"], PARTIAL)
    # the split is made behind ASINFO's back: the Vendor token ships through the Komet API directly
    reply = pair.komet.api(
        "purchase.order.item.awb.add",
        pair.grower["token"]["token"],
        poItemId=part["poItemId"],
        awb="729-12345675",
        shipDate=order["shipDate"],
        boxCodes=["EXT0001", "EXT0002"],
    )
    assert str(reply["status"]) == "1", reply
    before = {o["id"]: o for o in pair.asinfo.orders()}
    entry = pair.asinfo.sync()["syncs"][0]
    assert entry["counts"]["newLines"] + entry["counts"]["split"] == 1
    assert entry["counts"]["newOrders"] == entry["counts"]["cancelled"] == entry["counts"]["missing"] == 0
    after = {o["id"]: o for o in pair.asinfo.orders()}
    assert {k: v for k, v in after.items() if k != order["id"]} == {
        k: v for k, v in before.items() if k != order["id"]
    }
    new = [
        ln
        for ln in after[order["id"]]["lines"]
        if ln["poItemId"] not in {x["poItemId"] for x in order["lines"]}
    ]
    assert [(ln["orderedBoxes"], ln["kometStatus"]) for ln in new] == [(part["orderedBoxes"] - 2, "P")]


def test_running_sync_twice_changes_nothing(flow):
    pair = flow["pair"]
    pair.asinfo.sync()
    state = pair.asinfo.state()
    entry = pair.asinfo.sync()["syncs"][0]
    assert entry["changes"] == [] and not any(entry["counts"].values())
    after = pair.asinfo.state()
    for snapshot in (state, after):
        snapshot["tables"].pop("sync_log")
        snapshot["tables"]["connections"] = [
            {k: v for k, v in c.items() if k != "last_sync_on"} for c in snapshot["tables"]["connections"]
        ]
    assert after == state


def test_komet_po_total_keeps_every_box_ordered(flow):
    """Shipped part + remainder add up to what the importer ordered: nothing lost in the split."""
    pair, number = flow["pair"], flow["order"]["number"]
    po = komet_po(pair, number)
    assert sum(int(d["totalBoxes"]) for d in po["details"]) == flow["order"]["orderedBoxes"]
