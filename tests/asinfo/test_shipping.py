"""Ship (A6) through the API: labels first, the labels' codes and lots go to Komet, per-line results,
refusals recorded in words, a second AWB for the remainder, and relabelling a shipped box."""

from __future__ import annotations

from .asinfokit import asinfo_state, connection_id, komet_box_codes, komet_line, ready_awb


def ship(topo, awb_id: int):
    return topo.asinfo.request("POST", f"/api/awbs/{awb_id}/shipment")


def test_an_awb_whose_labels_are_not_printed_does_not_ship(ip):
    ready = ready_awb(ip)
    ip.asinfo.json("DELETE", f"/api/awbs/{ready['awb']['id']}/boxes/{ready['codes'][-1]}")
    ip.asinfo.assign(ready["awb"]["id"], [(ready["part"]["id"], 1)])  # a box put back after printing
    before = asinfo_state(ip)
    resp = ship(ip, ready["awb"]["id"])
    assert resp.status_code == 409
    assert "no label yet" in resp.json()["error"]["message"]
    assert asinfo_state(ip) == before


def test_shipping_answers_201_with_every_line_shipped(ip):
    ready = ready_awb(ip)
    resp = ship(ip, ready["awb"]["id"])
    assert resp.status_code == 201
    assert resp.json()["state"] == "shipped"
    assert {ln["poItemId"] for ln in resp.json()["lines"]} == {
        ready["full"]["poItemId"],
        ready["part"]["poItemId"],
    }


def test_after_shipping_the_awb_and_its_boxes_read_shipped(ip):
    ready = ready_awb(ip)
    ship(ip, ready["awb"]["id"])
    awb = ip.asinfo.json("GET", f"/api/awbs/{ready['awb']['id']}")
    assert awb["status"] == "shipped"
    assert {b["state"] for b in awb["boxes"]} == {"shipped"}


def test_komet_gets_the_labels_lot_numbers(ip):
    ready = ready_awb(ip)
    ship(ip, ready["awb"]["id"])
    lots = {b["boxCode"]: b["lotNumber"] for b in ready["awb"]["boxes"]}
    detail = komet_line(ip, ready["order"]["number"], ready["full"]["poItemId"])
    assert {b["boxCode"]: b["lotNumber"] for b in detail["boxes"]} == {
        c: lot for c, lot in lots.items() if c in {b["boxCode"] for b in detail["boxes"]}
    }
    assert len(detail["boxes"]) == ready["full"]["orderedBoxes"]


def test_komet_gets_the_house_awb(ip):
    order_awb = ready_awb(ip)
    # a second AWB with a HAWB for another PO's line
    other = next(o for o in ip.asinfo.orders() if o["id"] != order_awb["order"]["id"])
    ln = other["lines"][0]
    ip.asinfo.confirm_line(ln["id"], 1)
    awb = ip.asinfo.create_awb(connection_id(ip), other["shipDate"], airline="985", hawb="EC-000123")
    ip.asinfo.assign(awb["id"], [(ln["id"], 1)])
    ip.asinfo.print_labels("zpl", awbId=awb["id"])
    ship(ip, awb["id"])
    transit = ip.komet.in_transit()
    boxes = [b for a in transit["awbs"] for b in a["inTransit"] if b["poItemId"] == ln["poItemId"]]
    assert [b["houseAWB"] for b in boxes] == ["EC-000123"]


def test_an_awb_ships_once(ip):
    ready = ready_awb(ip)
    ship(ip, ready["awb"]["id"])
    resp = ship(ip, ready["awb"]["id"])
    assert resp.status_code == 409
    assert "no boxes waiting to ship" in resp.json()["error"]["message"]


def test_an_awb_whose_shipment_is_still_on_its_way_is_refused_by_name(ip):
    """Komet failed the first try, so the shipment waits in the outbox: shipping the AWB again is a 409 naming
    awbId, in words, and changes nothing."""
    ready = ready_awb(ip)
    ip.komet.add_fault(kind="error", status=503, method="purchase.order.items.awb.add", times=1)
    ship(ip, ready["awb"]["id"])
    before = asinfo_state(ip)
    resp = ship(ip, ready["awb"]["id"])
    assert resp.status_code == 409
    error = resp.json()["error"]
    assert error["field"] == "awbId"
    assert f"a shipment of AWB {ready['awb']['number']} is already on its way to Komet" in error["message"]
    assert asinfo_state(ip) == before


def test_a_line_komet_refuses_is_recorded_refused_with_komets_message(ip):
    ready = ready_awb(ip)
    ip.komet.cancel_line(ready["part"]["poItemId"])  # the importer cancels it; ASINFO has not synced yet
    shipment = ship(ip, ready["awb"]["id"]).json()
    states = {ln["poItemId"]: (ln["state"], ln["message"]) for ln in shipment["lines"]}
    assert states[ready["full"]["poItemId"]][0] == "shipped"
    assert states[ready["part"]["poItemId"]][0] == "refused"
    assert "Komet refused line" in states[ready["part"]["poItemId"]][1]
    assert shipment["state"] == "partial"


def test_a_refused_line_leaves_no_box_of_it_in_komet(ip):
    ready = ready_awb(ip)
    ip.komet.cancel_line(ready["part"]["poItemId"])
    ship(ip, ready["awb"]["id"])
    codes = komet_box_codes(ip, ready["order"]["number"], ready["order"]["shipDate"])
    assert sorted(codes["lines"]) == sorted(c for c in ready["codes"][: ready["full"]["orderedBoxes"]])


def test_a_shipment_komet_refuses_whole_ends_refused_in_the_outbox_too(ip):
    """Every line refused: the shipment is refused, and so is its outbox item (not done), so the grower's
    list of writes that failed shows it."""
    ready = ready_awb(ip)
    for ln in (ready["full"], ready["part"]):
        ip.komet.cancel_line(ln["poItemId"])
    assert ship(ip, ready["awb"]["id"]).json()["state"] == "refused"
    [item] = ip.asinfo.json("GET", "/api/outbox", params={"state": "refused"})["items"]
    assert item["kind"] == "ship"


def test_the_remainder_line_can_be_confirmed_and_shipped_on_another_awb(ip):
    ready = ready_awb(ip)
    shipment = ship(ip, ready["awb"]["id"]).json()
    [remainder_id] = [ln["newPOItemId"] for ln in shipment["lines"] if ln["newPOItemId"]]
    lines = ip.asinfo.order(ready["order"]["id"])["lines"]
    remainder = next(ln for ln in lines if ln["poItemId"] == remainder_id)
    ip.asinfo.confirm_line(remainder["id"], remainder["orderedBoxes"])
    awb = ip.asinfo.create_awb(connection_id(ip), ready["order"]["shipDate"], airline="985")
    ip.asinfo.assign(awb["id"], [(remainder["id"], remainder["orderedBoxes"])])
    ip.asinfo.print_labels("pdf", awbId=awb["id"])
    second = ship(ip, awb["id"]).json()
    assert second["state"] == "shipped"
    assert komet_line(ip, ready["order"]["number"], remainder_id)["lineItemStatus"] == "S"
    codes = komet_box_codes(ip, ready["order"]["number"], ready["order"]["shipDate"])
    assert (
        sum(codes["lines"].values())
        == ready["order"]["lines"][0]["orderedBoxes"] + ready["part"]["orderedBoxes"]
    )


def test_relabelling_a_shipped_box_changes_its_code_in_komet(ip):
    ready = ready_awb(ip)
    ship(ip, ready["awb"]["id"])
    old = ready["codes"][0]
    answer = ip.asinfo.json("POST", f"/api/boxes/{old}/relabel", {"newCode": "RELABEL01"})
    assert answer["sentToKomet"] is True
    codes = komet_box_codes(ip, ready["order"]["number"], ready["order"]["shipDate"])["lines"]
    assert "RELABEL01" in codes and old not in codes


def test_relabelling_sends_its_change_and_leaves_other_waiting_writes_waiting(ip):
    """A relabel goes to Komet at once; a confirmation waiting out its backoff after a 503 keeps waiting."""
    ready = ready_awb(ip)
    ship(ip, ready["awb"]["id"])
    other = next(o for o in ip.asinfo.orders() if o["state"] == "open" and o["id"] != ready["order"]["id"])
    ip.komet.add_fault(kind="error", status=503, method="purchase.order.item.confirm", times=1)
    ip.asinfo.confirm_line(other["lines"][0]["id"], 1)
    [waiting] = ip.asinfo.json("GET", "/api/outbox", params={"state": "pending"})["items"]
    answer = ip.asinfo.json("POST", f"/api/boxes/{ready['codes'][0]}/relabel", {"newCode": "RELABEL02"})
    assert answer["sentToKomet"] is True
    [still] = ip.asinfo.json("GET", "/api/outbox", params={"state": "pending"})["items"]
    assert (still["id"], still["attempts"]) == (waiting["id"], waiting["attempts"])


def test_relabelling_to_a_code_already_used_is_refused(ip):
    ready = ready_awb(ip)
    resp = ip.asinfo.request(
        "POST", f"/api/boxes/{ready['codes'][0]}/relabel", json={"newCode": ready["codes"][1]}
    )
    assert resp.status_code == 409
    assert resp.json()["error"]["field"] == "newCode"


def test_a_shipped_box_cannot_come_off_its_awb(ip):
    ready = ready_awb(ip)
    ship(ip, ready["awb"]["id"])
    resp = ip.asinfo.request("DELETE", f"/api/awbs/{ready['awb']['id']}/boxes/{ready['codes'][0]}")
    assert resp.status_code == 409
    assert "has shipped" in resp.json()["error"]["message"]


def test_a_shipped_line_cannot_be_confirmed_again(ip):
    ready = ready_awb(ip)
    ship(ip, ready["awb"]["id"])
    resp = ip.asinfo.request("POST", f"/api/lines/{ready['full']['id']}/confirmation", json={"boxes": 1})
    assert resp.status_code == 409
    assert "already shipped" in resp.json()["error"]["message"]
