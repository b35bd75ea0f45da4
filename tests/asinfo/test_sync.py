"""Sync (A2): new, changed, cancelled, split and vanished POs and lines; idempotent; a Komet that fails
half-way through leaves nothing half-applied, says why in words and logs it; the next sync recovers."""

from __future__ import annotations

from .asinfokit import asinfo_state, line, synced_order, vendor_pos


def sync(topo) -> dict:
    return topo.asinfo.sync()["syncs"][0]


def without_log(state: dict) -> dict:
    state["tables"].pop("sync_log")
    return state


def hide_po_from_vendors(topo, po_id: int) -> None:
    """Komet no longer lists the PO to the vendor (back to Pending Approval) — there is no importer action for
    that, so the Komet state is edited, as a scenario's starting state would be."""
    state = topo.komet.state(namespace=topo.komet.namespace)
    [row] = [r for r in state["tables"]["purchase_orders"] if r["id"] == po_id]
    row["status"] = "PA"
    topo.komet.put_state(state)


# --- what a sync brings ------------------------------------------------------------------------


def test_first_sync_creates_every_po_and_line_of_the_vendor_in_the_window(ip):
    pos = vendor_pos(ip)
    entry = sync(ip)
    assert entry["result"] == "ok"
    assert entry["counts"]["newOrders"] == len(pos)
    assert entry["counts"]["newLines"] == sum(len(po["details"]) for po in pos)
    assert sorted(o["kometPoId"] for o in ip.asinfo.orders()) == sorted(int(po["id"]) for po in pos)


def test_sync_covers_today_and_the_next_sync_days(ip):
    ip.asinfo.json("PATCH", f"/api/connections/{ip.grower['connection']['id']}", {"syncDays": 1})
    entry = sync(ip)
    assert entry["shipDates"] == ["2026-11-26", "2026-11-27"]
    assert {o["shipDate"] for o in ip.asinfo.orders()} == {"2026-11-27"}


def test_another_vendors_orders_never_arrive(ip):
    sync(ip)
    assert {o["vendorName"] for o in ip.asinfo.orders()} == {ip.grower["vendor"]["name"]}


def test_a_line_the_importer_changed_resets_the_growers_confirmation_with_a_message(ip):
    order = synced_order(ip)
    ln = order["lines"][0]
    ip.asinfo.confirm_line(ln["id"], ln["orderedBoxes"])
    ip.komet.change_line(ln["poItemId"], totalBoxes=ln["orderedBoxes"] + 3)
    entry = sync(ip)
    assert entry["counts"]["changed"] == 1
    assert any(str(ln["poItemId"]) in c for c in entry["changes"])
    now = line(ip, ln["id"])
    assert now["orderedBoxes"] == ln["orderedBoxes"] + 3
    assert (now["confirmedBoxes"], now["confirmState"]) == (None, "none")
    assert "confirm again" in now["confirmMessage"]


def test_an_order_lowered_below_a_confirmation_still_queued_withdraws_it(ip):
    """The grower confirmed 7 while Komet was down; the importer lowers the line to 2: the sync must not
    trip over 7 > 2, and the queued confirmation for 7 must not go out."""
    order = synced_order(ip)
    ln = order["lines"][0]
    ip.komet.add_fault(kind="error", method="purchase.order.item.confirm", times=1)
    ip.asinfo.confirm_line(ln["id"], ln["orderedBoxes"])
    ip.komet.change_line(ln["poItemId"], totalBoxes=2)
    resp = ip.asinfo.request("POST", "/api/sync")
    assert resp.status_code == 200, resp.text
    now = line(ip, ln["id"])
    assert (now["orderedBoxes"], now["confirmedBoxes"], now["confirmState"]) == (2, None, "none")
    assert ip.asinfo.json("GET", "/api/outbox", params={"state": "pending"})["items"] == []
    ip.asinfo.run_outbox()
    assert line(ip, ln["id"])["confirmState"] == "none"


def test_an_order_raised_above_a_confirmation_still_queued_withdraws_it(ip):
    """The grower confirmed while Komet was down, and the importer then raised the line: the count confirmed is
    no longer an answer to what Komet asks (A14), so the grower must confirm again and the queued one never goes
    out, though it is below the new count."""
    order = synced_order(ip)
    ln = order["lines"][0]
    ip.komet.add_fault(kind="error", method="purchase.order.item.confirm", times=1)
    ip.asinfo.confirm_line(ln["id"], ln["orderedBoxes"])
    ip.komet.change_line(ln["poItemId"], totalBoxes=ln["orderedBoxes"] + 3)
    assert ip.asinfo.request("POST", "/api/sync").status_code == 200
    now = line(ip, ln["id"])
    assert (now["orderedBoxes"], now["confirmedBoxes"], now["confirmState"]) == (
        ln["orderedBoxes"] + 3,
        None,
        "none",
    )
    assert ip.asinfo.json("GET", "/api/outbox", params={"state": "pending"})["items"] == []
    ip.asinfo.run_outbox()
    assert line(ip, ln["id"])["confirmState"] == "none"


def test_a_line_changed_in_two_ways_names_both_in_the_sync_log(ip):
    order = synced_order(ip)
    ln = order["lines"][0]
    ip.komet.change_line(ln["poItemId"], totalBoxes=ln["orderedBoxes"] + 1, notes="Extra sleeve")
    entry = sync(ip)
    assert f"PO {order['number']}: line {ln['poItemId']} changed: ordered, notes" in entry["changes"]


def test_a_sync_that_sends_a_confirmation_again_leaves_other_waiting_writes_waiting(ip):
    """A9: the sync sends the grower's newer confirmation again at once; a confirmation of another line, waiting
    out its backoff after a 503, keeps waiting for its turn."""
    order = synced_order(ip)
    first, second = order["lines"][0], order["lines"][1]
    ip.komet.add_fault(kind="late", method="purchase.order.item.confirm", times=1)
    ip.asinfo.confirm_line(first["id"], 2)  # Komet keeps it past the client's timeout
    ip.asinfo.confirm_line(first["id"], 1)
    ip.komet.release_held()  # Komet processes the earlier one only now: it holds 2
    ip.komet.add_fault(kind="error", status=503, method="purchase.order.item.confirm", times=1)
    ip.asinfo.confirm_line(second["id"], 1)
    [waiting] = ip.asinfo.json("GET", "/api/outbox", params={"state": "pending"})["items"]
    entry = sync(ip)
    assert any(c.endswith("sending 1 again.") for c in entry["changes"])
    assert line(ip, first["id"])["kometConfirmedBoxes"] == 1
    [still] = ip.asinfo.json("GET", "/api/outbox", params={"state": "pending"})["items"]
    assert (still["id"], still["attempts"]) == (waiting["id"], waiting["attempts"])


def test_komet_taking_our_confirmation_late_is_not_reported_as_a_change_outside_asinfo(ip):
    """A17 speaks of a count someone else confirmed in Komet; a confirmation of ours still in doubt ("sent")
    that Komet took late is ours, and is not reported as someone else's."""
    order = synced_order(ip)
    ln = order["lines"][0]
    ip.komet.add_fault(kind="late", method="purchase.order.item.confirm", times=1)
    assert ip.asinfo.confirm_line(ln["id"], 1)["confirmState"] == "sent"
    ip.komet.release_held()  # Komet processes it only now
    sync(ip)
    assert "outside ASINFO" not in line(ip, ln["id"])["confirmMessage"]


def test_a_change_to_another_field_keeps_the_confirmation(ip):
    order = synced_order(ip)
    ln = order["lines"][0]
    ip.asinfo.confirm_line(ln["id"], 1)
    ip.komet.change_line(ln["poItemId"], notes="Extra sleeve")
    assert sync(ip)["counts"]["changed"] == 1
    now = line(ip, ln["id"])
    assert now["notes"] == "Extra sleeve"
    assert (now["confirmedBoxes"], now["confirmState"]) == (1, "accepted")


def test_a_cancelled_po_is_recorded_cancelled_with_all_its_lines(ip):
    order = synced_order(ip)
    ip.komet.cancel(order["kometPoId"])
    entry = sync(ip)
    assert entry["counts"]["cancelled"] >= 1
    assert f"PO {order['number']} cancelled by the importer" in entry["changes"]
    now = ip.asinfo.order(order["id"])
    assert now["state"] == "cancelled"
    assert all(ln["cancelled"] for ln in now["lines"])


def test_a_po_changed_in_two_ways_names_both_in_the_sync_log(ip):
    order = synced_order(ip)
    state = ip.komet.state(namespace=ip.komet.namespace)
    [row] = [r for r in state["tables"]["purchase_orders"] if r["id"] == order["kometPoId"]]
    row["comments"] = "Deliver by noon"
    row["number"] = row["number"] + "-B"
    ip.komet.put_state(state)
    entry = sync(ip)
    assert f"PO {order['number']}-B changed: number, comments" in entry["changes"]


def test_a_cancelled_line_is_recorded_cancelled_and_its_siblings_stay(ip):
    order = synced_order(ip)
    gone = order["lines"][0]
    ip.komet.cancel_line(gone["poItemId"])
    entry = sync(ip)
    assert entry["counts"]["cancelled"] == 1
    lines = {ln["id"]: ln for ln in ip.asinfo.order(order["id"])["lines"]}
    assert lines[gone["id"]]["cancelled"] is True
    assert lines[gone["id"]]["kometStatus"] == "X"
    assert not any(ln["cancelled"] for lid, ln in lines.items() if lid != gone["id"])


def test_a_cancelled_line_cannot_be_confirmed(ip):
    order = synced_order(ip)
    gone = order["lines"][0]
    ip.komet.cancel_line(gone["poItemId"])
    sync(ip)
    resp = ip.asinfo.request("POST", f"/api/lines/{gone['id']}/confirmation", json={"boxes": 1})
    assert resp.status_code == 409
    assert "cancelled" in resp.json()["error"]["message"]


def test_a_new_line_added_by_the_importer_arrives_on_its_po(ip):
    order = synced_order(ip)
    template = order["lines"][0]
    ip.komet.add_line(
        order["kometPoId"],
        productId=template["productId"],
        boxTypeCode=template["boxType"],
        boxes=3,
        unitType="Stem",
        bunches=10,
        stemsBunch=25,
        cost=0.5,
    )
    entry = sync(ip)
    assert entry["counts"]["newLines"] == 1
    assert len(ip.asinfo.order(order["id"])["lines"]) == len(order["lines"]) + 1


def test_a_po_komet_stops_listing_is_marked_missing_not_deleted(ip):
    order = synced_order(ip)
    hide_po_from_vendors(ip, order["kometPoId"])
    entry = sync(ip)
    assert entry["counts"]["missing"] == 1
    assert any("no longer listed" in c for c in entry["changes"])
    assert ip.asinfo.order(order["id"])["state"] == "missing"


def test_a_missing_po_that_comes_back_is_open_again(ip):
    order = synced_order(ip)
    hide_po_from_vendors(ip, order["kometPoId"])
    sync(ip)
    ip.komet.approve(order["kometPoId"])
    sync(ip)
    assert ip.asinfo.order(order["id"])["state"] == "open"


def test_sync_twice_changes_nothing(ip):
    sync(ip)
    before = without_log(asinfo_state(ip))
    entry = sync(ip)
    assert entry["changes"] == [] and not any(entry["counts"].values())
    assert without_log(asinfo_state(ip)) == before


# --- Komet failing during a sync ---------------------------------------------------------------


def fail_from_third_call(topo, kind: str = "error") -> None:
    """Komet answers the first two purchase.order.list calls, then fails every later one."""
    topo.komet.add_fault(kind="latency", method="purchase.order.list", times=2, delay="1ms")
    topo.komet.add_fault(kind=kind, method="purchase.order.list")


def test_komet_failing_mid_sync_answers_502_with_a_message_in_words(ip):
    fail_from_third_call(ip)
    resp = ip.asinfo.request("POST", "/api/sync")
    assert resp.status_code == 502
    error = resp.json()["error"]
    assert error["code"] == "komet_unavailable"
    assert "Komet is having trouble" in error["message"] and "HTTP 500" in error["message"]


def test_komet_failing_mid_sync_applies_nothing(ip):
    sync(ip)
    first_day = next(o for o in ip.asinfo.orders() if o["shipDate"] == "2026-11-27")
    ip.komet.cancel(first_day["kometPoId"])  # a change on a date the sync reads before Komet fails
    before = without_log(asinfo_state(ip))
    fail_from_third_call(ip)
    assert ip.asinfo.request("POST", "/api/sync").status_code == 502
    assert without_log(asinfo_state(ip)) == before
    calls = [
        (e["request"]["body"]["date"], e["response"]["status"])
        for e in ip.asinfo.journal()["entries"]
        if e.get("direction") == "out" and e["op"] == "purchase.order.list"
    ][-3:]
    assert calls == [("2026-11-26", 200), ("2026-11-27", 200), ("2026-11-28", 500)]  # the change was read


def test_komet_failing_mid_sync_is_in_the_sync_log(ip):
    fail_from_third_call(ip, kind="reset")
    ip.asinfo.request("POST", "/api/sync")
    [entry] = ip.asinfo.json("GET", "/api/sync-log")["entries"]
    assert entry["result"] == "error"
    assert "connection to Komet broke" in entry["error"]
    assert entry["counts"] == {} and entry["changes"] == []


def test_the_sync_after_komet_recovers_applies_everything(ip):
    sync(ip)
    first_day = next(o for o in ip.asinfo.orders() if o["shipDate"] == "2026-11-27")
    ip.komet.cancel(first_day["kometPoId"])
    fail_from_third_call(ip)
    ip.asinfo.request("POST", "/api/sync")
    ip.komet.clear_faults()
    entry = sync(ip)
    assert entry["result"] == "ok"
    assert ip.asinfo.order(first_day["id"])["state"] == "cancelled"
    assert [e["result"] for e in ip.asinfo.json("GET", "/api/sync-log")["entries"]] == ["ok", "error", "ok"]


def test_a_token_komet_refuses_fails_the_sync_in_words(ip):
    ip.asinfo.json("PATCH", f"/api/connections/{ip.grower['connection']['id']}", {"token": "q" * 26})
    resp = ip.asinfo.request("POST", "/api/sync")
    assert resp.status_code == 502
    assert "does not recognise this token" in resp.json()["error"]["message"]
