"""What ASINFO's refusals say, word for word, and the exact keys of an outbox retry: a grower reads these to
know what to do next, so a changed word is a changed answer (each closes a gap mutation testing found)."""

from __future__ import annotations

from harness.clients import AsinfoSimClient
from harness.topology import ASINFO_IN_PROCESS

from . import asinfokit


def test_a_sync_before_any_connection_says_to_add_one(ip):
    account = ip.asinfo.seed(seed=8, reset=False, farmName="Finca Dos", farmCode="FD")["accountId"]
    second = AsinfoSimClient(ASINFO_IN_PROCESS, app=ip.apps[1])
    resp = second.request("POST", "/api/sync", headers={"X-Kasim-Namespace": str(account)})
    assert resp.status_code == 404
    assert resp.json()["error"] == {
        "code": "not_found",
        "field": "connectionId",
        "message": "no importer connection yet: add one first",
    }


def test_shipping_unlabelled_boxes_says_to_print_the_labels_first(ip):
    order = asinfokit.synced_order(ip)
    ln = order["lines"][0]
    ip.asinfo.confirm_line(ln["id"], 2)
    awb = ip.asinfo.create_awb(asinfokit.connection_id(ip), order["shipDate"], airline="729")
    awb = ip.asinfo.assign(awb["id"], [(ln["id"], 2)])
    resp = ip.asinfo.request("POST", f"/api/awbs/{awb['id']}/shipment")
    assert resp.status_code == 409
    error = resp.json()["error"]
    codes = ", ".join(b["boxCode"] for b in awb["boxes"])
    assert error["field"] == "awbId"
    assert error["message"] == (
        f"2 box(es) on AWB {awb['number']} have no label yet ({codes}): print the labels first, "
        "the codes sent to Komet are the codes on the labels"
    )


def test_a_new_box_code_that_no_barcode_carries_is_refused_saying_what_it_may_hold(ip):
    ready = asinfokit.ready_awb(ip)
    resp = ip.asinfo.request("POST", f"/api/boxes/{ready['codes'][0]}/relabel", json={"newCode": "AB-12"})
    assert resp.status_code == 400
    assert resp.json()["error"]["field"] == "newCode"
    assert resp.json()["error"]["message"] == (
        "the new box code: plain letters A-Z and digits only, at most 20 characters "
        "(a Code 128 barcode carries nothing else)"
    )


def test_a_new_box_code_of_21_characters_is_refused_and_20_are_taken(ip):
    ready = asinfokit.ready_awb(ip)
    first, second = ready["codes"][:2]
    resp = ip.asinfo.request("POST", f"/api/boxes/{first}/relabel", json={"newCode": "A" * 21})
    assert resp.status_code == 400 and resp.json()["error"]["field"] == "newCode"
    resp = ip.asinfo.request("POST", f"/api/boxes/{second}/relabel", json={"newCode": "B" * 20})
    assert resp.status_code == 200, resp.text


def test_an_outbox_run_reports_a_retry_with_exactly_its_keys(ip):
    order = asinfokit.synced_order(ip)
    ln = order["lines"][0]
    ip.komet.add_fault(kind="error", status=503, method="purchase.order.item.confirm", times=2)
    ip.asinfo.confirm_line(ln["id"], 1)
    [item] = ip.asinfo.outbox("pending")
    [ran] = ip.asinfo.run_outbox()["ran"]
    assert set(ran) == {"id", "kind", "outcome", "error"}
    assert (ran["id"], ran["kind"], ran["outcome"]) == (item["id"], "confirm", "retry")
    assert "503" in ran["error"]


def test_a_write_held_back_by_komets_retry_after_reports_exactly_its_keys(ip):
    order = asinfokit.synced_order(ip)
    first, second = order["lines"][0], order["lines"][1]
    ip.komet.add_fault(kind="rate_limit", method="purchase.order.item.confirm", times=1, retryAfter=300)
    ip.asinfo.confirm_line(first["id"], 1)  # Komet: 429, wait 300 s
    ip.asinfo.confirm_line(second["id"], 1)  # waits too, without a call
    ran = ip.asinfo.run_outbox()["ran"]
    assert len(ran) == 2 and all(set(r) == {"id", "kind", "outcome", "error"} for r in ran)
    assert {(r["kind"], r["outcome"]) for r in ran} == {("confirm", "retry")}
    assert all("Retry-After" in r["error"] for r in ran)


def test_a_write_waiting_for_a_token_that_works_reports_exactly_its_keys(ip):
    order = asinfokit.synced_order(ip)
    ln = order["lines"][0]
    ip.komet.delete_token(ip.grower["token"]["id"])  # the importer revoked the grower's token
    ip.asinfo.confirm_line(ln["id"], 1)
    [ran] = ip.asinfo.run_outbox()["ran"]
    assert set(ran) == {"id", "kind", "outcome", "error"}
    assert (ran["kind"], ran["outcome"]) == ("confirm", "retry")
    assert "authentication token" in ran["error"].lower()


def test_more_than_three_unlabelled_boxes_are_named_three_and_an_ellipsis(ip):
    order = asinfokit.synced_order(ip)
    ln = next(ln for ln in order["lines"] if ln["orderedBoxes"] >= 4)
    ip.asinfo.confirm_line(ln["id"], 4)
    awb = ip.asinfo.create_awb(asinfokit.connection_id(ip), order["shipDate"], airline="729")
    awb = ip.asinfo.assign(awb["id"], [(ln["id"], 4)])
    message = ip.asinfo.request("POST", f"/api/awbs/{awb['id']}/shipment").json()["error"]["message"]
    first_three = ", ".join(b["boxCode"] for b in awb["boxes"][:3])
    assert message.startswith(f"4 box(es) on AWB {awb['number']} have no label yet ({first_three}…): ")


def test_cancelling_an_outbox_item_that_does_not_exist_names_it(ip):
    asinfokit.synced_order(ip)
    resp = ip.asinfo.request("DELETE", "/api/outbox/987654")
    assert resp.status_code == 404
    error = resp.json()["error"]
    assert (error["field"], error["message"]) == ("outboxId", "outbox item 987654 does not exist")


def test_a_push_that_may_have_reached_komet_cannot_be_cancelled_and_says_to_retry(ip):
    ready = asinfokit.ready_awb(ip)
    ip.komet.add_fault(kind="lost_response", method="purchase.order.items.awb.add", times=1)
    ip.asinfo.ship(ready["awb"]["id"])
    [item] = ip.asinfo.outbox("pending")
    resp = ip.asinfo.request("DELETE", f"/api/outbox/{item['id']}")
    assert resp.status_code == 409
    assert resp.json()["error"]["message"] == (
        "this push may already have reached Komet: retry instead (ASINFO reads the lines back before "
        "pushing again)"
    )


def test_shipping_an_empty_awb_says_to_add_confirmed_boxes(ip):
    order = asinfokit.synced_order(ip)
    awb = ip.asinfo.create_awb(asinfokit.connection_id(ip), order["shipDate"], airline="729")
    resp = ip.asinfo.request("POST", f"/api/awbs/{awb['id']}/shipment")
    assert resp.status_code == 409
    assert resp.json()["error"]["message"] == (
        f"AWB {awb['number']} has no boxes waiting to ship: add confirmed boxes to it first"
    )


def test_relabelling_a_box_whose_last_change_is_still_waiting_names_the_box_code(ip):
    ready = asinfokit.ready_awb(ip)
    ip.asinfo.ship(ready["awb"]["id"])
    code = ready["codes"][0]
    ip.komet.add_fault(kind="error", status=503, method="box.code.change", times=1)
    ip.asinfo.request("POST", f"/api/boxes/{code}/relabel", json={"newCode": "WAITING01"})
    resp = ip.asinfo.request("POST", "/api/boxes/WAITING01/relabel", json={"newCode": "WAITING02"})
    assert resp.status_code == 409
    error = resp.json()["error"]
    assert (error["field"], error["message"]) == (
        "boxCode",
        "box WAITING01's last code change has not reached Komet yet: retry it first",
    )


def test_relabelling_a_box_on_its_way_to_komet_names_the_box_code(ip):
    ready = asinfokit.ready_awb(ip)
    ip.komet.add_fault(kind="error", status=503, method="purchase.order.items.awb.add", times=1)
    ip.asinfo.ship(ready["awb"]["id"])  # the push waits in the outbox: its boxes are queued
    code = ready["codes"][0]
    resp = ip.asinfo.request("POST", f"/api/boxes/{code}/relabel", json={"newCode": "QUEUED01"})
    assert resp.status_code == 409
    error = resp.json()["error"]
    assert (error["field"], error["message"]) == (
        "boxCode",
        f"box {code} is on its way to Komet: wait for the shipment's answer",
    )


def test_a_confirmation_komet_reset_without_a_new_count_says_so(ip):
    order = asinfokit.synced_order(ip)
    ln = order["lines"][0]
    ip.asinfo.confirm_line(ln["id"], ln["orderedBoxes"])
    for boxes in (ln["orderedBoxes"] + 1, ln["orderedBoxes"]):  # changed, then back to the count ASINFO knew
        ip.komet.json("PATCH", f"/__sim/komet/lines/{ln['poItemId']}", {"totalBoxes": boxes})
    ip.asinfo.sync()
    assert asinfokit.line(ip, ln["id"])["confirmMessage"] == (
        "The importer changed this line and Komet reset its confirmation: confirm again."
    )
