"""The sync's fast path (domain/sync_listing.py: a reply decoded and read once, ASINFO's rows read ahead and a PO
or line equal to its row passed over) does exactly what the plain path does: reading every reply afresh and
each PO and line by itself. Both run the same steps on worlds made the same way; what each sync answers, every
row, both journals (what ASINFO sent Komet, and when) must be the same."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from asinfo_sim.domain import sync as sync_module
from asinfo_sim.komet_client import Reply, ReplyMemo
from harness.engine import run_scenario
from harness.runner import Options, topology_factory
from harness.scenario import load_file
from simkit.middleware import world_of

from ..testkit import wire
from .asinfokit import line, ready_awb, synced_order, vendor_pos
from .test_sync import hide_po_from_vendors
from .test_sync_reading import ListedAs

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "scenarios" / "regressions").glob("*.yaml")
)


def plain(monkeypatch) -> None:
    """The plain path: every reply decoded afresh, no listing read whole, so nothing is read ahead."""
    monkeypatch.setattr(ReplyMemo, "get", lambda self, key: None)
    monkeypatch.setattr(sync_module, "read_whole", lambda reply: None)


def everything(topo) -> dict:
    """ASINFO's every row (sequences and sync log included) and both journals, as the worlds hold them."""
    komet, asinfo = (world_of(app) for app in topo.apps)
    return {
        "rows": asinfo.store.dump(),
        "asinfo": asinfo.journal.entries(),
        "komet": komet.journal.entries(),
    }


def both(monkeypatch, steps: Callable) -> tuple[dict, dict]:
    """`steps(topo, answers)` on a fresh pair along the fast path, then on another along the plain one."""
    runs = []
    for fast in (True, False):
        with monkeypatch.context() as m:
            if not fast:
                plain(m)
            topo = wire("in-process")
            try:
                answers: list = []
                steps(topo, answers)
                runs.append({"answers": answers, **everything(topo)})
            finally:
                topo.close()
    return runs[0], runs[1]


def sync(topo, answers: list) -> dict:
    resp = topo.asinfo.request("POST", "/api/sync")
    answers.append((resp.status_code, resp.json()))
    return resp.json()


def assert_same(fast: dict, slow: dict) -> None:
    assert fast["answers"] == slow["answers"]
    assert fast["rows"] == slow["rows"]
    assert fast["asinfo"] == slow["asinfo"]
    assert fast["komet"] == slow["komet"]


# --- each kind of change, synced twice over (the second sync reads replies the first one kept) ----------------


def _new_po(topo, answers):
    order = synced_order(topo)
    first = topo.asinfo.order(order["id"])["lines"][0]
    topo.komet.create_purchase_order(
        vendorId=topo.grower["vendor"]["id"],
        shipDate=order["shipDate"],
        status="Approved",
        lines=[{"productId": first["productId"], "boxTypeCode": "HB", "boxes": 3}],
    )


def _changed_quantity(topo, answers):
    ln = synced_order(topo)["lines"][0]
    topo.asinfo.confirm_line(ln["id"], 1)
    topo.komet.change_line(ln["poItemId"], totalBoxes=ln["orderedBoxes"] + 2)


def _changed_notes(topo, answers):
    ln = synced_order(topo)["lines"][1]
    topo.asinfo.confirm_line(ln["id"], 1)
    topo.komet.change_line(ln["poItemId"], notes="Extra sleeve")


def _unconfirmed_change_then_confirmed(topo, answers):
    """The importer changes a line the grower has not confirmed; after a sync, the grower confirms while Komet
    refuses every write (Komet's replies stay as they were)."""
    ln = synced_order(topo)["lines"][0]
    topo.komet.change_line(ln["poItemId"], totalBoxes=ln["orderedBoxes"] + 2)
    sync(topo, answers)
    topo.komet.add_fault(kind="error", method="purchase.order.item.confirm")
    topo.asinfo.confirm_line(ln["id"], 1)


def _cancelled_line(topo, answers):
    ln = synced_order(topo)["lines"][0]
    topo.asinfo.confirm_line(ln["id"], ln["orderedBoxes"])
    topo.komet.cancel_line(ln["poItemId"])


def _cancelled_po(topo, answers):
    topo.komet.cancel(synced_order(topo)["kometPoId"])


def _split_line(topo, answers):
    ready = ready_awb(topo)
    assert topo.asinfo.request("POST", f"/api/awbs/{ready['awb']['id']}/shipment").status_code == 201


def _deleted_line(topo, answers):
    ln = synced_order(topo)["lines"][0]
    topo.asinfo.delete_line(ln["id"])


def _missing_po(topo, answers):
    hide_po_from_vendors(topo, synced_order(topo)["kometPoId"])


def _po_listed_again(topo, answers):
    order = synced_order(topo)
    hide_po_from_vendors(topo, order["kometPoId"])
    sync(topo, answers)
    topo.komet.approve(order["kometPoId"])


def _confirmed_in_komet(topo, answers):
    ln = synced_order(topo)["lines"][0]
    topo.komet.vendor_confirm(topo.grower["vendor"]["id"], ln["poItemId"], 1)


def _late_confirmation(topo, answers):
    """A9: Komet processes an earlier confirmation of ours after the newer one."""
    ln = synced_order(topo)["lines"][0]
    topo.komet.add_fault(kind="late", method="purchase.order.item.confirm", times=1)
    topo.asinfo.confirm_line(ln["id"], 2)
    topo.asinfo.confirm_line(ln["id"], 1)
    topo.komet.release_held()


def _unchanged(topo, answers):
    synced_order(topo)


CHANGES = {
    "nothing": _unchanged,
    "new PO": _new_po,
    "changed quantity": _changed_quantity,
    "changed notes": _changed_notes,
    "unconfirmed change, then confirmed": _unconfirmed_change_then_confirmed,
    "cancelled line": _cancelled_line,
    "cancelled PO": _cancelled_po,
    "split line": _split_line,
    "deleted line": _deleted_line,
    "PO no longer listed": _missing_po,
    "PO listed again": _po_listed_again,
    "confirmed in Komet": _confirmed_in_komet,
    "late confirmation": _late_confirmation,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_sync_after_each_kind_of_change_is_the_plain_paths(monkeypatch, change):
    def steps(topo, answers):
        CHANGES[change](topo, answers)
        sync(topo, answers)
        sync(topo, answers)

    assert_same(*both(monkeypatch, steps))


@pytest.mark.parametrize("plant", ["sync-ignores-unconfirmed-change", "late-confirm-wins", "sync-stale-read"])
def test_a_sync_with_a_planted_bug_is_the_plain_paths(monkeypatch, plant):
    def steps(topo, answers):
        world_of(topo.apps[1]).plant = plant
        _unconfirmed_change_then_confirmed(topo, answers)
        sync(topo, answers)
        sync(topo, answers)
        topo.komet.clear_faults()
        _late_confirmation(topo, answers)
        sync(topo, answers)

    assert_same(*both(monkeypatch, steps))


# --- listings as Komet might send them ------------------------------------------------------------------------


def listed(topo, lists: Callable[[list[dict]], list[list[dict]]]) -> None:
    """Komet's answers to the next sync made of the POs it lists to the vendor now."""
    given = lists(vendor_pos(topo))
    world = topo.apps[1].extensions["kasim.world"]  # as test_sync_reading replaces it
    world.komet = lambda connection: ListedAs(given)


def _line_listed_twice(topo, answers):
    """A line listed on two POs, changed the first time and as before the second: the second is read against the
    row as the first left it (and a PO listed on two dates is taken once)."""
    sync(topo, answers)

    def lists(pos):
        first, second = pos[0], pos[1]
        detail = first["details"][0]
        changed = {**detail, "totalBoxes": int(detail["totalBoxes"]) + 1}
        first = {**first, "details": [changed, *first["details"][1:]]}
        second = {**second, "details": [*second["details"], detail]}
        return [[first, second], [{**first, "comments": "listed again"}]]

    listed(topo, lists)
    sync(topo, answers)


def _malformed(topo, answers):
    """A PO that is not an object, after one that changed: the sync fails whole, as it always did."""
    sync(topo, answers)

    def lists(pos):
        changed = {**pos[0], "comments": "changed"}
        return [[changed, "not a PO"]]

    listed(topo, lists)
    sync(topo, answers)


def _beyond_sqlite(topo, answers):
    """An id SQLite cannot hold, after a PO with a ship date it refuses: the first failure is the one seen."""
    sync(topo, answers)

    def lists(pos):
        bad_date = {**pos[0], "id": 990001, "shipDate": "someday", "details": []}
        huge = {**pos[1], "id": 2**70}
        return [[bad_date, huge]]

    listed(topo, lists)
    sync(topo, answers)


@pytest.mark.parametrize("case", [_line_listed_twice, _malformed, _beyond_sqlite], ids=lambda f: f.__name__)
def test_a_listing_as_komet_might_send_it_is_read_as_the_plain_path_reads_it(monkeypatch, case):
    fast, slow = both(monkeypatch, case)
    assert_same(fast, slow)


# --- every scenario ------------------------------------------------------------------------------------------


def _scenario_run(path: Path) -> list[dict]:
    """Each scenario of the file run in process: its status, both journals and ASINFO's rows at its end."""
    made = topology_factory(Options())
    runs = []
    for scenario in load_file(path):
        rows: list = []

        def factory(seed, plant, rows=rows):
            topo = made(seed, plant)
            close = topo.close

            def closing():
                rows.append(world_of(topo.apps[1]).store.dump())
                close()

            topo.close = closing
            return topo

        result = run_scenario(scenario, factory)
        runs.append({"status": result.status, "journals": result.journals, "rows": rows})
    return runs


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_scenario_runs_as_it_does_along_the_plain_path(monkeypatch, path):
    fast = _scenario_run(path)
    with monkeypatch.context() as m:
        plain(m)
        slow = _scenario_run(path)
    assert fast == slow


# --- the fast path is taken ----------------------------------------------------------------------------------


def test_a_sync_komet_answers_as_before_decodes_no_reply_and_applies_no_line(ip, monkeypatch):
    ip.asinfo.sync()
    import requests

    from asinfo_sim.domain import sync_lines

    decoded, applied = [], []
    json_of, apply_line = requests.Response.json, sync_lines._apply_line
    monkeypatch.setattr(
        requests.Response, "json", lambda self, **kw: decoded.append(1) or json_of(self, **kw)
    )
    monkeypatch.setattr(sync_lines, "_apply_line", lambda *a: applied.append(1) or apply_line(*a))
    entry = ip.asinfo.sync()["syncs"][0]
    assert entry["result"] == "ok" and not any(entry["counts"].values())
    # the harness's client decodes ASINFO's answer; ASINFO decodes none of Komet's
    assert (len(decoded), applied) == (1, [])
    ln = synced_order(ip)["lines"][0]
    ip.komet.change_line(ln["poItemId"], notes="Extra sleeve")
    ip.asinfo.sync()
    assert len(applied) == 1  # the changed line alone
    assert line(ip, ln["id"])["notes"] == "Extra sleeve"


def test_the_memo_keeps_the_newest_replies_up_to_its_bound():
    memo = ReplyMemo(max_bytes=40)
    first = memo.put((200, "utf-8", b"a" * 10), {"status": "1", "n": 1})
    assert memo.get((200, "utf-8", b"a" * 10)) is first
    assert memo.put((200, "utf-8", b"a" * 10), {"status": "1", "n": 1}) is first  # kept once
    assert memo.get((200, None, b"a" * 10)) is None  # another encoding is another reply
    for n in range(4):
        memo.put((200, "utf-8", bytes([n]) * 10), {"status": "1"})
    assert memo.get((200, "utf-8", b"a" * 10)) is None  # the oldest went
    assert memo.get((200, "utf-8", bytes([3]) * 10)) is not None
    huge = memo.put((200, "utf-8", b"h" * 11), {"status": "1"})  # over a quarter of the bound: not kept
    assert isinstance(huge, Reply) and memo.get((200, "utf-8", b"h" * 11)) is None


def test_a_sync_asks_komet_for_each_date_however_often_komet_answered_the_same(ip):
    """The memo saves decoding, never a call."""
    dates = [ip.asinfo.sync()["syncs"][0]["shipDates"] for _ in range(3)]
    asked = [
        e["request"]["body"]["date"]
        for e in ip.asinfo.journal()["entries"]
        if e.get("direction") == "out" and e["op"] == "purchase.order.list"
    ]
    assert asked == [d for ds in dates for d in ds]
