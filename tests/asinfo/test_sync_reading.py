"""What the sync takes from Komet's replies: Komet's words as Komet sends them (never a placeholder of ASINFO's
own), and its lists read as given (a PO listed twice or without an id, a PO cancelled whole, a date with a time,
more changes than the log keeps)."""

from __future__ import annotations

from asinfo_sim.komet_client import Reply

from .asinfokit import komet_line, line, synced_order, vendor_pos


def sync(topo) -> dict:
    return topo.asinfo.sync()["syncs"][0]


def test_a_synced_line_carries_komets_words_for_it(ip):
    """What the grower packs by: the product, box type, mark and customer Komet sends, as Komet sends them."""
    order = synced_order(ip)
    words = ("product", "boxType", "markCode", "customerName")
    for ln in order["lines"]:
        theirs = komet_line(ip, order["number"], ln["poItemId"])
        assert [ln[k] for k in words] == [
            theirs["productDescription"],
            theirs["boxType"],
            theirs["markCode"],
            theirs["customerName"],
        ]
    assert all(ln["markCode"] for ln in order["lines"])  # the seeded importer marks every line


def edit_komet_line(topo, item_id: int, **columns) -> None:
    """Komet's line as a starting state could have it (no importer action empties these): its row edited."""
    state = topo.komet.state(namespace=topo.komet.namespace)
    [row] = [r for r in state["tables"]["po_items"] if r["id"] == item_id]
    row.update(columns)
    topo.komet.put_state(state)


def test_a_line_komet_sends_without_a_description_shows_none(ip):
    """ASINFO shows Komet's text as Komet sends it: an empty product description stays empty, never a
    placeholder of ASINFO's own."""
    order = synced_order(ip)
    ln = order["lines"][0]
    assert ln["product"]  # Komet's seeded lines carry a description
    edit_komet_line(ip, ln["poItemId"], product_description="")
    sync(ip)
    assert line(ip, ln["id"])["product"] == ""


def test_a_line_komet_sends_without_notes_or_bunches_shows_none(ip):
    """No notes stay no notes, and no bunch count stays 0: ASINFO invents neither a text nor a count."""
    order = synced_order(ip)
    ln = order["lines"][0]
    ip.komet.change_line(ln["poItemId"], notes="Extra sleeve")
    sync(ip)
    assert (line(ip, ln["id"])["notes"], line(ip, ln["id"])["bunches"] > 0) == ("Extra sleeve", True)
    edit_komet_line(ip, ln["poItemId"], notes="", bunches=0)
    sync(ip)
    assert (line(ip, ln["id"])["notes"], line(ip, ln["id"])["bunches"]) == ("", 0)


class ListedAs:
    """A Komet client whose purchase.order.list answers are given, one list per call in the order asked."""

    def __init__(self, lists: list[list[dict]]):
        self.lists = list(lists)

    def call(self, method: str, **params) -> dict:
        assert method == "purchase.order.list", method
        return {"status": "1", "purchaseOrders": self.lists.pop(0) if self.lists else []}

    def read(self, method: str, memo, /, **params) -> Reply:
        """What a sync asks: the reply, never kept (each is given once)."""
        return Reply(self.call(method, **params))


def test_a_po_listed_twice_or_without_an_id_is_taken_once_or_not_at_all(ip, monkeypatch):
    """Komet's lists are read as given: a PO without an id is skipped, one listed on two days is taken once, and
    the POs after either are taken all the same."""
    first, second = vendor_pos(ip)[:2]
    no_id = {k: v for k, v in first.items() if k != "id"}
    lists = [[first, no_id, second], [first]]
    world = ip.apps[1].extensions["kasim.world"]
    monkeypatch.setattr(world, "komet", lambda connection: ListedAs(lists))
    entry = sync(ip)
    assert entry["counts"]["newOrders"] == 2
    assert sorted(o["kometPoId"] for o in ip.asinfo.orders()) == sorted([int(first["id"]), int(second["id"])])


def test_a_po_komet_lists_cancelled_has_every_line_cancelled_whatever_their_own_status(ip, monkeypatch):
    """A cancelled PO's lines are cancelled in ASINFO even where Komet's reply leaves a line's own status as it
    was (this simulator marks them X too; the PO's status is what says it)."""
    order = synced_order(ip)
    [listed] = [po for po in vendor_pos(ip) if int(po["id"]) == order["kometPoId"]]
    cancelled = {**listed, "status": "CA"}
    world = ip.apps[1].extensions["kasim.world"]
    asked = sync(ip)["shipDates"]  # the days a sync asks for, in order
    lists = [[cancelled] if day == listed["shipDate"][:10] else [] for day in asked]
    monkeypatch.setattr(world, "komet", lambda connection: ListedAs(lists))
    sync(ip)
    now = ip.asinfo.order(order["id"])
    assert now["state"] == "cancelled"
    assert all(ln["cancelled"] for ln in now["lines"])


def test_a_ship_date_komet_sends_with_a_time_is_kept_as_the_day(ip, monkeypatch):
    """The day is what ASINFO keeps of a ship date Komet sends with a time of day (2026-11-27T00:00:00)."""
    first = vendor_pos(ip)[0]
    day = first["shipDate"][:10]
    world = ip.apps[1].extensions["kasim.world"]
    monkeypatch.setattr(
        world, "komet", lambda connection: ListedAs([[{**first, "shipDate": day + "T00:00:00"}]])
    )
    sync(ip)
    [order] = ip.asinfo.orders()
    assert order["shipDate"] == day


def test_the_sync_log_keeps_the_first_500_changes_of_a_sync(ip, monkeypatch):
    first = vendor_pos(ip)[0]
    many = [{**first, "id": 900000 + i, "number": f"M{i}", "details": []} for i in range(501)]
    world = ip.apps[1].extensions["kasim.world"]
    monkeypatch.setattr(world, "komet", lambda connection: ListedAs([many]))
    entry = sync(ip)
    assert entry["counts"]["newOrders"] == 501
    assert len(entry["changes"]) == 500
