"""Confirm (A3): per line and per PO; 0 allowed; more than ordered refused naming the field; the outbox
retries transport failures with backoff on the virtual clock and never loses a confirmation; each line
shows pending / sent / accepted / refused (with Komet's message); a daily quota waits for the next UTC day."""

from __future__ import annotations

import pytest

from .asinfokit import asinfo_state, closed_port, connection_id, komet_line, komet_po, line, synced_order


@pytest.fixture
def order(ip) -> dict:
    return synced_order(ip, lines=3)


def outbox(topo, state: str | None = "pending") -> list[dict]:
    return topo.asinfo.json("GET", "/api/outbox", params={"state": state} if state else None)["items"]


def run(topo) -> dict:
    """What the background worker does: deliver what is due now (backoff respected)."""
    return topo.asinfo.json("POST", "/api/outbox/run", {})


def in_komet(topo, order, ln) -> tuple[int, str]:
    detail = komet_line(topo, order["number"], ln["poItemId"])
    return int(detail["quantityConfirmed"]), detail["lineItemStatus"]


# --- per line and per PO ---------------------------------------------------------------------


def test_confirming_a_line_fully_is_accepted_and_komet_marks_it_confirmed(ip, order):
    ln = order["lines"][0]
    answer = ip.asinfo.confirm_line(ln["id"], ln["orderedBoxes"])
    assert (answer["confirmedBoxes"], answer["confirmState"], answer["kometStatus"]) == (
        ln["orderedBoxes"],
        "accepted",
        "C",
    )
    assert in_komet(ip, order, ln) == (ln["orderedBoxes"], "C")


def test_confirming_part_of_a_line_makes_it_partially_confirmed_in_komet(ip, order):
    ln = order["lines"][0]
    ip.asinfo.confirm_line(ln["id"], ln["orderedBoxes"] - 1)
    assert in_komet(ip, order, ln) == (ln["orderedBoxes"] - 1, "PC")


def test_zero_boxes_is_a_valid_confirmation(ip, order):
    ln = order["lines"][0]
    answer = ip.asinfo.confirm_line(ln["id"], 0)
    assert (answer["confirmedBoxes"], answer["confirmState"]) == (0, "accepted")
    assert in_komet(ip, order, ln) == (0, "P")


def test_a_new_confirmation_replaces_the_old_one(ip, order):
    ln = order["lines"][0]
    ip.asinfo.confirm_line(ln["id"], 3)
    ip.asinfo.confirm_line(ln["id"], 2)
    assert in_komet(ip, order, ln)[0] == 2


def test_confirming_a_whole_po_with_all_confirms_every_line_and_komet_marks_the_po(ip, order):
    answer = ip.asinfo.confirm_order(order["id"], "all")
    assert [(ln["confirmedBoxes"], ln["confirmState"]) for ln in answer["lines"]] == [
        (ln["orderedBoxes"], "accepted") for ln in order["lines"]
    ]
    assert komet_po(ip, order["number"])["status"] == "CF"


def test_confirming_a_whole_po_with_none_confirms_zero_everywhere(ip, order):
    answer = ip.asinfo.confirm_order(order["id"], "none")
    assert [ln["confirmedBoxes"] for ln in answer["lines"]] == [0] * len(order["lines"])
    assert all(in_komet(ip, order, ln) == (0, "P") for ln in order["lines"])


def test_confirming_a_po_with_a_list_sets_each_listed_line_only(ip, order):
    first, second, third = order["lines"][:3]
    answer = ip.asinfo.confirm_order(
        order["id"], [{"lineId": first["id"], "boxes": 1}, {"lineId": second["id"], "boxes": 0}]
    )
    confirmed = {ln["id"]: ln["confirmedBoxes"] for ln in answer["lines"]}
    assert (confirmed[first["id"]], confirmed[second["id"]], confirmed[third["id"]]) == (1, 0, None)


# --- refused before anything changes ----------------------------------------------------------


def test_more_than_ordered_is_refused_naming_the_field_and_nothing_changes(ip, order):
    ln = order["lines"][0]
    before = asinfo_state(ip)
    resp = ip.asinfo.request(
        "POST", f"/api/lines/{ln['id']}/confirmation", json={"boxes": ln["orderedBoxes"] + 1}
    )
    assert resp.status_code == 400
    assert resp.json()["error"]["field"] == "boxes"
    assert str(ln["orderedBoxes"]) in resp.json()["error"]["message"]
    assert asinfo_state(ip) == before
    assert in_komet(ip, order, ln) == (0, "P")


def test_one_bad_line_in_a_po_confirmation_refuses_all_of_it(ip, order):
    first, second = order["lines"][:2]
    before = asinfo_state(ip)
    resp = ip.asinfo.request(
        "POST",
        f"/api/orders/{order['id']}/confirmation",
        json={
            "lines": [
                {"lineId": first["id"], "boxes": 1},
                {"lineId": second["id"], "boxes": second["orderedBoxes"] + 5},
            ]
        },
    )
    assert resp.status_code == 400
    assert resp.json()["error"]["field"] == "lines[1].boxes"
    assert asinfo_state(ip) == before
    assert in_komet(ip, order, first) == (0, "P")


def test_a_line_given_twice_in_a_po_confirmation_is_refused(ip, order):
    first = order["lines"][0]
    resp = ip.asinfo.request(
        "POST",
        f"/api/orders/{order['id']}/confirmation",
        json={"lines": [{"lineId": first["id"], "boxes": 1}, {"lineId": first["id"], "boxes": 2}]},
    )
    assert resp.status_code == 400
    assert resp.json()["error"]["field"] == "lines[1].lineId"


def test_fewer_boxes_than_already_on_an_awb_is_refused(ip, order):
    ln = order["lines"][0]
    ip.asinfo.confirm_line(ln["id"], 3)
    awb = ip.asinfo.create_awb(connection_id(ip), order["shipDate"])
    ip.asinfo.assign(awb["id"], [(ln["id"], 3)])
    resp = ip.asinfo.request("POST", f"/api/lines/{ln['id']}/confirmation", json={"boxes": 2})
    assert resp.status_code == 409
    assert "already on an AWB" in resp.json()["error"]["message"]


# --- the outbox: retries with backoff, never loses a confirmation ------------------------------


def test_a_confirmation_komet_could_not_take_waits_in_the_outbox(ip, order):
    ln = order["lines"][0]
    ip.komet.add_fault(kind="error", method="purchase.order.item.confirm", times=1)
    answer = ip.asinfo.confirm_line(ln["id"], 2)
    assert answer["confirmState"] == "sent"  # a 500 may have been processed: not known to be accepted
    assert "Komet is having trouble" in answer["confirmMessage"]
    [item] = outbox(ip)
    assert (item["kind"], item["payload"]["quantity"], item["attempts"]) == ("confirm", 2, 1)


def test_the_outbox_waits_for_the_backoff_before_retrying(ip, order):
    ln = order["lines"][0]
    ip.komet.add_fault(kind="error", method="purchase.order.item.confirm", times=1)
    ip.asinfo.confirm_line(ln["id"], 2)
    assert outbox(ip)[0]["nextAttemptOn"] == "2026-11-26T06:00:05"
    assert run(ip)["ran"] == []  # not due yet
    assert line(ip, ln["id"])["confirmState"] == "sent"


def test_the_outbox_delivers_once_the_clock_passes_the_backoff(ip, order):
    ln = order["lines"][0]
    ip.komet.add_fault(kind="error", method="purchase.order.item.confirm", times=1)
    ip.asinfo.confirm_line(ln["id"], 2)
    ip.clock_apply({"advance": "1m"})
    assert [r["outcome"] for r in run(ip)["ran"]] == ["done"]
    assert line(ip, ln["id"])["confirmState"] == "accepted"
    assert in_komet(ip, order, ln) == (2, "PC")


def test_the_backoff_grows_with_each_failed_attempt(ip, order):
    ln = order["lines"][0]
    ip.komet.add_fault(kind="error", method="purchase.order.item.confirm", times=3)
    ip.asinfo.confirm_line(ln["id"], 2)
    waits = []
    for _ in range(2):
        waits.append(run(ip)["nextDueInSeconds"])
        ip.clock_apply({"advance": f"{int(waits[-1])}s"})
        run(ip)
    waits.append(run(ip)["nextDueInSeconds"])
    assert waits[0] < waits[1] < waits[2]


def test_a_long_outage_never_loses_the_confirmation(ip, order):
    ln = order["lines"][0]
    ip.komet.add_fault(kind="error", method="purchase.order.item.confirm", times=12)
    ip.asinfo.confirm_line(ln["id"], 2)
    for _ in range(12):
        ip.clock_apply({"advance": "15m"})
        run(ip)
    assert line(ip, ln["id"])["confirmState"] == "accepted"
    assert in_komet(ip, order, ln) == (2, "PC")
    assert outbox(ip) == []


def test_komet_unreachable_leaves_the_confirmation_pending_then_delivers_it(ip, order):
    ln = order["lines"][0]
    url = ip.asinfo.connections()[0]["kometUrl"]
    cid = connection_id(ip)
    token = ip.grower["token"]["token"]  # a new URL needs the token again (A1)
    ip.asinfo.json(
        "PATCH", f"/api/connections/{cid}", {"kometUrl": f"http://127.0.0.1:{closed_port()}", "token": token}
    )
    answer = ip.asinfo.confirm_line(ln["id"], 1)
    assert answer["confirmState"] == "pending"  # never reached Komet
    assert "unreachable" in answer["confirmMessage"]
    ip.asinfo.json("PATCH", f"/api/connections/{cid}", {"kometUrl": url, "token": token})
    ip.clock_apply({"advance": "1m"})
    run(ip)
    assert line(ip, ln["id"])["confirmState"] == "accepted"


def test_a_newer_confirmation_replaces_a_queued_one(ip, order):
    ln = order["lines"][0]
    ip.komet.add_fault(kind="error", method="purchase.order.item.confirm", times=2)
    ip.asinfo.confirm_line(ln["id"], 2)
    ip.asinfo.confirm_line(ln["id"], 3)
    assert [item["payload"]["quantity"] for item in outbox(ip)] == [3]
    ip.clock_apply({"advance": "1m"})
    run(ip)
    assert in_komet(ip, order, ln)[0] == 3


def test_rate_limiting_retries_after_komets_retry_after(ip, order):
    ln = order["lines"][0]
    ip.komet.add_fault(kind="rate_limit", method="purchase.order.item.confirm", times=1, retryAfter=30)
    ip.asinfo.confirm_line(ln["id"], 1)
    assert outbox(ip)[0]["nextAttemptOn"] == "2026-11-26T06:00:30"


def test_a_retry_after_holds_every_waiting_write_of_the_connection(ip, order):
    """The outbox shows when each write will really go: a 429 one write meets holds the others too, even
    once that write is cancelled."""
    first, second = order["lines"][:2]
    ip.komet.add_fault(kind="error", status=503, method="purchase.order.item.confirm", times=1)
    ip.asinfo.confirm_line(first["id"], 1)
    assert outbox(ip)[0]["nextAttemptOn"] == "2026-11-26T06:00:05"  # the backoff after one attempt
    ip.komet.add_fault(kind="rate_limit", method="purchase.order.item.confirm", times=1, retryAfter=90)
    ip.asinfo.confirm_line(second["id"], 1)
    waiting = {item["refId"]: item for item in outbox(ip)}
    ip.asinfo.json("DELETE", f"/api/outbox/{waiting[second['id']]['id']}")
    assert [item["nextAttemptOn"] for item in outbox(ip)] == ["2026-11-26T06:01:30"]


# --- refused by Komet ---------------------------------------------------------------------------


def _cancel_in_komet_only(ip, ln) -> None:
    """The importer cancels the line in Komet; ASINFO has not synced, so it still offers it."""
    ip.komet.cancel_line(ln["poItemId"])


def test_komet_refusing_shows_refused_with_komets_message(ip, order):
    ln = order["lines"][0]
    _cancel_in_komet_only(ip, ln)
    answer = ip.asinfo.confirm_line(ln["id"], 1)
    assert answer["confirmState"] == "refused"
    assert "is cancelled and cannot be confirmed" in answer["confirmMessage"]
    assert outbox(ip) == []
    assert outbox(ip, "refused")[0]["payload"]["quantity"] == 1


def test_a_refused_confirmation_is_not_retried(ip, order):
    ln = order["lines"][0]
    _cancel_in_komet_only(ip, ln)
    ip.asinfo.confirm_line(ln["id"], 1)
    ip.clock_apply({"advance": "1h"})
    run(ip)
    assert line(ip, ln["id"])["confirmState"] == "refused"
    assert in_komet(ip, order, ln) == (0, "X")


def test_a_refused_line_cannot_go_on_an_awb(ip, order):
    ln = order["lines"][0]
    _cancel_in_komet_only(ip, ln)
    ip.asinfo.confirm_line(ln["id"], 1)
    awb = ip.asinfo.create_awb(connection_id(ip), order["shipDate"])
    resp = ip.asinfo.request(
        "POST", f"/api/awbs/{awb['id']}/boxes", json={"lines": [{"lineId": ln["id"], "boxes": 1}]}
    )
    assert resp.status_code == 409
    assert "refused" in resp.json()["error"]["message"]


# --- refused for the connection, not the confirmation: it waits for the fix ------------------------


def test_a_token_komet_refuses_leaves_the_confirmation_waiting_with_the_reason(ip, order):
    ln = order["lines"][0]
    ip.komet.json("PATCH", "/__sim/komet/company", {"profile": "strict"})
    answer = ip.asinfo.confirm_line(ln["id"], 1)
    assert answer["confirmState"] == "pending"
    assert "cannot be used with a Vendor token" in answer["confirmMessage"]
    assert [i["payload"]["quantity"] for i in outbox(ip)] == [1]


def test_once_the_connection_is_fixed_the_waiting_confirmation_arrives(ip, order):
    ln = order["lines"][0]
    ip.komet.json("PATCH", "/__sim/komet/company", {"profile": "strict"})
    ip.asinfo.confirm_line(ln["id"], 1)
    ip.komet.json("PATCH", "/__sim/komet/company", {"profile": "documented"})
    ip.clock_apply({"advance": "1h"})
    run(ip)
    assert line(ip, ln["id"])["confirmState"] == "accepted"
    assert in_komet(ip, order, ln) == (1, "PC")


def test_a_newer_confirmation_supersedes_a_waiting_one_and_komet_ends_with_the_newer(ip, order):
    ln = order["lines"][0]
    ip.komet.add_fault(kind="error", status=503, method="purchase.order.item.confirm")
    ip.asinfo.confirm_line(ln["id"], 1)
    ip.asinfo.confirm_line(ln["id"], 2)
    assert [i["payload"]["quantity"] for i in outbox(ip)] == [2]
    assert outbox(ip, "cancelled")[0]["lastError"] == "superseded by a newer confirmation"
    ip.komet.clear_faults()
    ip.clock_apply({"advance": "1h"})
    run(ip)
    assert (line(ip, ln["id"])["confirmState"], in_komet(ip, order, ln)) == ("accepted", (2, "PC"))


# --- the daily quota ------------------------------------------------------------------------------


@pytest.fixture
def quota_spent(ip, order):
    ip.komet.json("PATCH", "/__sim/komet/company", {"quotaPerUser": 1, "paidUsers": 1})
    ln = order["lines"][0]
    answer = ip.asinfo.confirm_line(ln["id"], 1)
    return ln, answer


def test_an_exhausted_daily_quota_keeps_the_confirmation_pending_with_a_reason(quota_spent):
    _, answer = quota_spent
    assert answer["confirmState"] == "pending"
    assert "daily Komet API limit is used up" in answer["confirmMessage"]


def test_an_exhausted_daily_quota_waits_until_the_next_utc_day(ip, quota_spent):
    assert outbox(ip)[0]["nextAttemptOn"] == "2026-11-27T00:00:00"
    ip.clock_apply({"set": "2026-11-26T23:59:00"})
    assert run(ip)["ran"] == []


def test_after_midnight_utc_the_queued_confirmation_goes_through(ip, order, quota_spent):
    ln, _ = quota_spent
    ip.clock_apply({"set": "2026-11-27T00:00:01"})
    assert [r["outcome"] for r in run(ip)["ran"]] == ["done"]
    assert line(ip, ln["id"])["confirmState"] == "accepted"


def test_running_the_whole_outbox_ignores_the_backoff(ip, order):
    ln = order["lines"][0]
    ip.komet.add_fault(kind="error", method="purchase.order.item.confirm", times=1)
    ip.asinfo.confirm_line(ln["id"], 2)
    ran = ip.asinfo.run_outbox(everything=True)
    assert [r["outcome"] for r in ran["ran"]] == ["done"]
    assert line(ip, ln["id"])["confirmState"] == "accepted"


def test_a_line_the_grower_cannot_fill_is_cancelled_in_komet(ip, order):
    ln = order["lines"][0]
    answer = ip.asinfo.json("DELETE", f"/api/lines/{ln['id']}")
    assert (answer["cancelled"], answer["kometStatus"]) == (True, "X")
    assert in_komet(ip, order, ln)[1] == "X"
