"""What each write's outcome leaves behind: a refused delete or box code change, cancels of every kind,
retries after lost replies (with several POs on one AWB), the outbox's waiting times, and the exact keys
of the replies the harness and a person read. Each closes a gap mutation testing found."""

from __future__ import annotations

import threading
from datetime import datetime

from asinfo_sim.domain import outbox
from asinfo_sim.worker import Worker

from . import asinfokit


def _outbox(topo, state=None) -> list[dict]:
    return topo.asinfo.json("GET", "/api/outbox", params={"state": state} if state else None)["items"]


def _seconds_until_due(item: dict) -> float:
    return (
        datetime.fromisoformat(item["nextAttemptOn"]) - datetime.fromisoformat(item["updatedOn"])
    ).total_seconds()


def test_a_refused_delete_is_refused_in_the_outbox_and_the_line_is_left_as_it_was(ip):
    order = asinfokit.synced_order(ip)
    ln = order["lines"][0]
    ip.komet.json("DELETE", f"/__sim/komet/lines/{ln['poItemId']}")  # the importer cancelled it first
    resp = ip.asinfo.request("DELETE", f"/api/lines/{ln['id']}")
    assert resp.status_code < 500
    [item] = _outbox(ip)
    assert item["kind"] == "delete" and item["state"] == "refused"
    assert "already cancelled" in item["lastError"]
    assert asinfokit.line(ip, ln["id"])["confirmMessage"] != "deleted by the grower"


def test_a_refused_box_code_change_is_refused_in_the_outbox(ip):
    ready = asinfokit.ready_awb(ip)
    ip.asinfo.ship(ready["awb"]["id"])
    code, other = ready["codes"][0], ready["codes"][1]
    # Komet already holds the new code (another box of ours): box.code.change refuses it per box.
    ip.komet.add_fault(kind="error", status=503, method="box.code.change", times=1)
    resp = ip.asinfo.request("POST", f"/api/boxes/{code}/relabel", json={"newCode": "NEWCODE01"})
    assert resp.status_code == 200
    ip.komet.api(
        "box.code.change",
        asinfokit.company_token(ip.komet),
        boxes=[{"currentBoxCode": other, "newBoxCode": "NEWCODE01"}],
    )
    ran = ip.asinfo.run_outbox()
    assert [r["outcome"] for r in ran["ran"]] == ["refused"]
    [item] = [i for i in _outbox(ip) if i["kind"] == "box_code"]
    assert (item["state"], item["lastError"]) == (
        "refused",
        "Komet refused box.code.change: Box code already exists",
    )


def test_a_waiting_box_code_change_cannot_be_cancelled(ip):
    ready = asinfokit.ready_awb(ip)
    ip.asinfo.ship(ready["awb"]["id"])
    ip.komet.add_fault(kind="error", status=503, method="box.code.change", times=1)
    ip.asinfo.request("POST", f"/api/boxes/{ready['codes'][0]}/relabel", json={"newCode": "WAIT0001"})
    [item] = _outbox(ip, "pending")
    resp = ip.asinfo.request("DELETE", f"/api/outbox/{item['id']}")
    assert resp.status_code == 409 and "relabel the box back" in resp.json()["error"]["message"]
    assert _outbox(ip, "pending")[0]["id"] == item["id"]


def test_a_ship_that_never_reached_komet_is_withdrawn_and_its_boxes_come_back(ip):
    ready = asinfokit.ready_awb(ip)
    ip.komet.add_fault(kind="error", status=503, method="purchase.order.items.awb.add", times=1)
    ip.asinfo.ship(ready["awb"]["id"])
    [item] = _outbox(ip, "pending")
    cancelled = ip.asinfo.json("DELETE", f"/api/outbox/{item['id']}")
    assert cancelled["state"] == "cancelled"
    [shipment] = ip.asinfo.json("GET", "/api/shipments")["shipments"]
    assert shipment["state"] == "refused" and shipment["lastError"] == "cancelled by the grower"
    assert {ln["state"] for ln in shipment["lines"]} == {"refused"}
    awb = ip.asinfo.json("GET", f"/api/awbs/{ready['awb']['id']}")
    assert {b["state"] for b in awb["boxes"]} == {"assigned"}


def test_an_awb_with_two_pos_whose_reply_is_lost_ends_shipped_after_the_read_back(ip):
    ip.asinfo.sync()
    orders = [o for o in ip.asinfo.orders() if o["state"] == "open"]
    first = orders[0]
    second = next(o for o in orders[1:] if o["shipDate"] == first["shipDate"])
    for o in (first, second):
        ip.asinfo.confirm_order(o["id"], "all")
    awb = ip.asinfo.create_awb(asinfokit.connection_id(ip), first["shipDate"], airline="729")
    for o in (first, second):
        ip.asinfo.json("POST", f"/api/awbs/{awb['id']}/boxes", {"orderId": o["id"]})
    ip.asinfo.print_labels("zpl", awbId=awb["id"])
    ip.komet.add_fault(kind="lost_response", method="purchase.order.items.awb.add", times=1)
    ip.asinfo.ship(awb["id"])
    ip.asinfo.run_outbox()
    [shipment] = ip.asinfo.json("GET", "/api/shipments")["shipments"]
    assert shipment["state"] == "shipped"
    assert all(ln["reconciled"] for ln in shipment["lines"])
    assert {ln["lineId"] for ln in shipment["lines"]} == {
        ln["id"] for o in (first, second) for ln in o["lines"]
    }


def test_a_refusal_about_the_connection_waits_for_the_backoff(ip):
    order = asinfokit.synced_order(ip)
    ip.komet.json("DELETE", f"/__sim/komet/tokens/{ip.grower['token']['id']}")
    ip.asinfo.confirm_line(order["lines"][0]["id"], 1)
    [item] = _outbox(ip, "pending")
    assert _seconds_until_due(item) == 5  # the first backoff step, after now (not before)
    ip.asinfo.run_outbox(False)
    [item] = _outbox(ip, "pending")
    assert item["attempts"] == 1  # not due yet: nothing was sent again


def test_a_push_waiting_to_reconcile_waits_for_the_backoff(ip):
    ready = asinfokit.ready_awb(ip)
    ip.komet.add_fault(kind="lost_response", method="purchase.order.items.awb.add", times=1)
    ip.komet.add_fault(kind="reset", method="purchase.order.list", times=1)
    ip.asinfo.ship(ready["awb"]["id"])
    ip.asinfo.run_outbox()  # the read-back meets the reset: it must wait, later than now
    [item] = _outbox(ip, "pending")
    assert item["attempts"] == 2 and _seconds_until_due(item) == 10


def test_the_sync_keeps_komets_bunches_and_stems(ip):
    order = asinfokit.synced_order(ip)
    for ln in order["lines"]:
        komet = asinfokit.komet_line(ip, order["number"], ln["poItemId"])
        assert (ln["bunches"], ln["stemsBunch"]) == (komet["bunches"], komet["stemsBunch"])
        assert ln["bunches"] > 0


def test_the_keys_of_the_outbox_run_shipment_and_sync_log_replies(ip):
    ready = asinfokit.ready_awb(ip)
    ran = ip.asinfo.json("POST", "/api/outbox/run", {"all": True})
    assert set(ran) == {"ran", "pending", "nextDueInSeconds"}
    shipment = ip.asinfo.ship(ready["awb"]["id"])
    assert set(shipment) == {
        "id",
        "awbId",
        "awb",
        "state",
        "attempts",
        "lastError",
        "createdOn",
        "updatedOn",
        "lines",
    }
    assert set(shipment["lines"][0]) == {
        "lineId",
        "poItemId",
        "boxCodes",
        "lotNumber",
        "state",
        "message",
        "newPOItemId",
        "reconciled",
    }
    [log] = ip.asinfo.json("GET", "/api/sync-log")["entries"][:1]
    assert set(log) == {
        "id",
        "connectionId",
        "at",
        "shipDates",
        "result",
        "counts",
        "changes",
        "error",
        "trigger",
    }
    assert set(log["counts"]) == {"newOrders", "newLines", "changed", "cancelled", "split", "missing"}
    [item] = _outbox(ip)[:1]
    assert set(item) == {
        "id",
        "connectionId",
        "kind",
        "refId",
        "payload",
        "state",
        "attempts",
        "nextAttemptOn",
        "lastError",
        "inDoubt",
        "createdOn",
        "updatedOn",
    }


def test_the_sync_log_counts_each_change_once(ip):
    order = asinfokit.synced_order(ip)
    ln = order["lines"][0]
    ip.komet.json("PATCH", f"/__sim/komet/lines/{ln['poItemId']}", {"totalBoxes": 1})
    [log] = ip.asinfo.sync()["syncs"]
    assert log["counts"]["changed"] == 1
    assert [c for c in log["changes"] if str(ln["poItemId"]) in c] == [
        f"PO {order['number']}: line {ln['poItemId']} changed: ordered"
    ]
    assert asinfokit.line(ip, ln["id"])["orderedBoxes"] == 1


def test_a_read_back_takes_the_remainder_of_the_same_product_not_a_line_of_the_same_size(ip):
    order = asinfokit.synced_order(ip, lines=3)
    part, other = order["lines"][0], order["lines"][1]
    assert part["orderedBoxes"] >= 2
    ip.asinfo.confirm_line(part["id"], 1)
    # Another line of the PO, already known to ASINFO, now has exactly the remainder's size.
    ip.komet.json(
        "PATCH", f"/__sim/komet/lines/{other['poItemId']}", {"totalBoxes": part["orderedBoxes"] - 1}
    )
    awb = ip.asinfo.create_awb(asinfokit.connection_id(ip), order["shipDate"], airline="729")
    ip.asinfo.assign(awb["id"], [(part["id"], 1)])
    ip.asinfo.print_labels("zpl", awbId=awb["id"])
    ip.komet.add_fault(kind="lost_response", method="purchase.order.items.awb.add", times=1)
    ip.asinfo.ship(awb["id"])
    ip.asinfo.run_outbox()
    [shipment] = ip.asinfo.json("GET", "/api/shipments")["shipments"]
    [sl] = shipment["lines"]
    known = {ln["poItemId"] for ln in order["lines"]}
    [remainder] = [
        d for d in asinfokit.komet_po(ip, order["number"])["details"] if d["poItemId"] not in known
    ]
    assert (shipment["state"], sl["newPOItemId"]) == ("shipped", remainder["poItemId"])


def test_a_relabel_whose_late_request_lands_after_the_read_back_is_done_not_refused(ip):
    ready = asinfokit.ready_awb(ip)
    ip.asinfo.ship(ready["awb"]["id"])
    code = ready["codes"][0]
    ip.komet.add_fault(kind="late", method="box.code.change", times=1)  # Komet applies it only when released
    ip.asinfo.request("POST", f"/api/boxes/{code}/relabel", json={"newCode": "LATE0001"})
    # The retry reads the line back (old code: the late change has not landed), then sends again.
    ip.komet.add_fault(kind="hold", method="purchase.order.list", times=1)
    runner = threading.Thread(target=ip.asinfo.run_outbox)
    runner.start()
    while len(ip.komet.faults()["held"]) < 2:
        runner.join(0.005)
    ip.komet.release_held()  # oldest first: the late change lands, then the read-back's (old) reply
    runner.join(30)
    [item] = [i for i in _outbox(ip) if i["kind"] == "box_code"]
    assert (item["state"], item["lastError"]) == ("done", "")
    codes = asinfokit.komet_box_codes(ip, ready["order"]["number"], ready["order"]["shipDate"])["lines"]
    assert "LATE0001" in codes and code not in codes


def test_a_push_komet_refuses_as_a_whole_refuses_every_line_with_komets_words(ip, monkeypatch):
    # The simulator's Komet refuses a whole push only for the token or the quota; a real one may refuse a
    # parameter it checks more strictly. ASINFO must refuse each line with Komet's words, not fail.
    from asinfo_sim.komet_client import KometClient, KometRefused

    ready = asinfokit.ready_awb(ip)
    call = KometClient.call

    def refusing(self, method, **params):
        if method == "purchase.order.items.awb.add":
            raise KometRefused(method, "Invalid houseAWB: at most 20 characters", {"status": "0"})
        return call(self, method, **params)

    monkeypatch.setattr(KometClient, "call", refusing)
    shipment = ip.asinfo.ship(ready["awb"]["id"])
    assert shipment["state"] == "refused"
    expected = "Komet refused purchase.order.items.awb.add: Invalid houseAWB: at most 20 characters"
    assert [(ln["state"], ln["message"]) for ln in shipment["lines"]] == [("refused", expected)] * 2
    awb = ip.asinfo.json("GET", f"/api/awbs/{ready['awb']['id']}")
    assert {b["state"] for b in awb["boxes"]} == {"assigned"}  # the boxes come back to be shipped again


def test_a_line_whose_delete_waits_is_not_confirmed_by_confirm_all_nor_alone(ip):
    order = asinfokit.synced_order(ip)
    gone, kept = order["lines"][0], order["lines"][1]
    ip.komet.add_fault(kind="lost_response", method="purchase.order.item.delete", times=1)
    ip.asinfo.request("DELETE", f"/api/lines/{gone['id']}")  # Komet deleted it; ASINFO never heard
    resp = ip.asinfo.request("POST", f"/api/lines/{gone['id']}/confirmation", json={"boxes": 1})
    assert resp.status_code == 409
    assert resp.json()["error"]["message"] == (
        f"you deleted line {gone['poItemId']} and Komet may already have cancelled it: retry the delete in the "
        "outbox"
    )
    ip.asinfo.confirm_order(order["id"], "all")
    lines = {ln["id"]: ln for ln in ip.asinfo.order(order["id"])["lines"]}
    assert lines[gone["id"]]["confirmedBoxes"] is None
    assert lines[kept["id"]]["confirmedBoxes"] == kept["orderedBoxes"]


def test_a_line_whose_delete_waits_for_komet_says_it_can_be_withdrawn(ip):
    order = asinfokit.synced_order(ip)
    gone = order["lines"][0]
    ip.komet.add_fault(kind="error", status=503, method="purchase.order.item.delete", times=1)
    ip.asinfo.request("DELETE", f"/api/lines/{gone['id']}")  # Komet never took it
    resp = ip.asinfo.request("POST", f"/api/lines/{gone['id']}/confirmation", json={"boxes": 1})
    assert resp.status_code == 409
    assert resp.json()["error"]["message"] == (
        f"you deleted line {gone['poItemId']} and the delete waits to reach Komet: cancel it in the outbox to "
        "confirm the line instead"
    )


def test_a_confirmed_line_whose_delete_waits_does_not_go_on_an_awb(ip):
    """Its boxes would reach Komet after the delete: a push Komet refuses (the line is cancelled)."""
    order = asinfokit.synced_order(ip)
    gone, kept = order["lines"][0], order["lines"][1]
    ip.asinfo.confirm_order(order["id"], "all")
    ip.komet.add_fault(kind="lost_response", method="purchase.order.item.delete", times=1)
    ip.asinfo.request("DELETE", f"/api/lines/{gone['id']}")
    awb = ip.asinfo.create_awb(asinfokit.connection_id(ip), order["shipDate"], airline="729")
    resp = ip.asinfo.request(
        "POST", f"/api/awbs/{awb['id']}/boxes", json={"lines": [{"lineId": gone["id"], "boxes": 1}]}
    )
    assert resp.status_code == 409
    assert resp.json()["error"]["field"] == "lines[0].lineId"
    assert "Komet may already have cancelled it" in resp.json()["error"]["message"]
    boxes = ip.asinfo.json("POST", f"/api/awbs/{awb['id']}/boxes", {"orderId": order["id"]})["boxes"]
    assert {b["poItemId"] for b in boxes} == {ln["poItemId"] for ln in order["lines"]} - {gone["poItemId"]}
    assert kept["poItemId"] in {b["poItemId"] for b in boxes}


def test_a_delivery_that_finds_its_item_already_done_sends_nothing_and_says_skipped(ip):
    """Two deliveries of one item (the worker's and a Run now) wait for each other: the second finds the item
    done, sends nothing and says so."""
    order = asinfokit.synced_order(ip)
    ip.asinfo.confirm_line(order["lines"][0]["id"], 1)
    world = ip.apps[1].extensions["kasim.world"]
    item = world.store.one("SELECT * FROM outbox WHERE kind = 'confirm'")
    assert item["state"] == "done"
    before = len(ip.komet.journal()["entries"])
    assert outbox.deliver(world, item) == {"id": item["id"], "kind": "confirm", "outcome": "skipped"}
    assert len(ip.komet.journal()["entries"]) == before


def test_the_background_worker_delivers_a_failed_write_only_once_its_backoff_is_over(ip):
    order = asinfokit.synced_order(ip)
    ip.komet.add_fault(kind="error", status=503, method="purchase.order.item.confirm", times=1)
    ip.asinfo.confirm_line(order["lines"][0]["id"], 1)
    [waiting] = _outbox(ip, "pending")
    worker = Worker(ip.apps[1].extensions["kasim.world"], 0)  # one step at a time, never started
    worker.step()
    [still] = _outbox(ip, "pending")
    assert (still["id"], still["attempts"]) == (waiting["id"], waiting["attempts"])
    ip.clock_apply({"advance": "1h"})
    worker.step()
    assert _outbox(ip, "pending") == []
    assert asinfokit.line(ip, order["lines"][0]["id"])["confirmState"] == "accepted"
