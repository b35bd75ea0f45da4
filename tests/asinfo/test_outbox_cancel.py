"""Cancelling what waits in the outbox: only work that cannot have reached Komet is withdrawn."""

from __future__ import annotations

from . import asinfokit


def _pending(topo) -> list[dict]:
    return topo.asinfo.json("GET", "/api/outbox", params={"state": "pending"})["items"]


def test_a_waiting_confirmation_is_withdrawn_and_never_reaches_komet(ip):
    order = asinfokit.synced_order(ip)
    ln = order["lines"][0]
    ip.komet.add_fault(kind="error", status=503, method="purchase.order.item.confirm")
    ip.asinfo.confirm_line(ln["id"], 1)
    item = _pending(ip)[0]
    cancelled = ip.asinfo.json("DELETE", f"/api/outbox/{item['id']}")
    assert cancelled["state"] == "cancelled"
    assert asinfokit.line(ip, ln["id"])["confirmState"] == "none"
    ip.komet.clear_faults()
    ip.asinfo.run_outbox()
    assert asinfokit.komet_line(ip, order["number"], ln["poItemId"])["quantityConfirmed"] == 0


def test_a_push_that_may_have_landed_cannot_be_withdrawn(ip):
    ready = asinfokit.ready_awb(ip)
    ip.komet.add_fault(kind="lost_response", method="purchase.order.items.awb.add", times=1)
    ip.asinfo.ship(ready["awb"]["id"])
    item = _pending(ip)[0]
    resp = ip.asinfo.request("DELETE", f"/api/outbox/{item['id']}")
    assert resp.status_code == 409
    assert resp.json()["error"]["field"] == "outboxId"
    assert "may already have reached Komet" in resp.json()["error"]["message"]
    assert _pending(ip)[0]["id"] == item["id"]


def test_a_delivered_item_cannot_be_cancelled(ip):
    order = asinfokit.synced_order(ip)
    ip.asinfo.confirm_line(order["lines"][0]["id"], 1)
    done = ip.asinfo.json("GET", "/api/outbox")["items"][0]
    resp = ip.asinfo.request("DELETE", f"/api/outbox/{done['id']}")
    assert resp.status_code == 409
    assert "only a waiting item can be cancelled" in resp.json()["error"]["message"]


def test_cancelling_an_unknown_item_answers_404(ip):
    asinfokit.synced_order(ip)
    resp = ip.asinfo.request("DELETE", "/api/outbox/999")
    assert resp.status_code == 404 and resp.json()["error"]["field"] == "outboxId"


def test_a_delete_whose_reply_was_lost_cannot_be_withdrawn(ip):
    """Komet may have cancelled the line already: withdrawing would leave ASINFO showing it open."""
    order = asinfokit.synced_order(ip)
    ln = order["lines"][0]
    ip.komet.add_fault(kind="lost_response", method="purchase.order.item.delete", times=1)
    ip.asinfo.delete_line(ln["id"])
    [item] = _pending(ip)
    resp = ip.asinfo.request("DELETE", f"/api/outbox/{item['id']}")
    assert resp.status_code == 409
    assert resp.json()["error"] == {
        "code": "conflict",
        "field": "outboxId",
        "message": "this delete may already have reached Komet: retry instead (a line Komet already "
        "cancelled is then recorded as deleted)",
    }
    assert _pending(ip)[0]["id"] == item["id"]
    ip.asinfo.run_outbox()
    assert asinfokit.line(ip, ln["id"])["kometStatus"] == "X"


def test_a_delete_komet_never_took_can_be_withdrawn(ip):
    order = asinfokit.synced_order(ip)
    ln = order["lines"][0]
    ip.komet.add_fault(kind="error", status=503, method="purchase.order.item.delete", times=1)
    ip.asinfo.delete_line(ln["id"])
    [item] = _pending(ip)
    assert ip.asinfo.json("DELETE", f"/api/outbox/{item['id']}")["state"] == "cancelled"
    assert asinfokit.komet_line(ip, order["number"], ln["poItemId"])["lineItemStatus"] != "X"
