"""The reads the harness makes only to resolve a reference (po: 0, a line of it): Komet's POs are read again in
a later step only when Komet's reply tag says its cached reads of the company could answer differently (a row
written, another day); where no tag is cheap, every step reads them. The built-in grower adapter resolves a PO
from ASINFO's order list (read again only once ASINFO's state tag changed), whose entries are the orders as
GET /api/orders/{id} shows them."""

from __future__ import annotations


def po_reads(ctx) -> int:
    return sum(e["request"]["path"] == "/__sim/komet/purchase-orders" for e in ctx.komet.journal()["entries"])


def test_an_unchanged_company_is_not_read_again_in_a_later_step(ctx):
    ctx.fresh()
    first = ctx.grower_pos()
    ctx.fresh()
    assert ctx.grower_pos() == first
    assert po_reads(ctx) == 1


def test_a_change_of_the_company_is_read_in_the_next_step(ctx):
    ctx.fresh()
    item = ctx.grower_pos()[0]["details"][0]
    ctx.komet.change_line(item["poItemId"], totalBoxes=int(item["totalBoxes"]) + 3)
    ctx.fresh()
    changed = next(d for d in ctx.grower_pos()[0]["details"] if d["poItemId"] == item["poItemId"])
    assert int(changed["totalBoxes"]) == int(item["totalBoxes"]) + 3
    assert po_reads(ctx) == 2


def test_calls_counted_against_the_quota_and_time_within_the_day_do_not_read_again(ctx):
    ctx.fresh()
    first = ctx.grower_pos()
    ctx.asinfo.sync(ctx.grower["connection"]["id"])  # Komet's API answers, and counts the calls
    ctx.topo.clock_apply({"advance": "1h"})
    ctx.fresh()
    assert ctx.grower_pos() == first
    assert po_reads(ctx) == 1


def test_the_next_day_is_read_again(ctx):
    ctx.fresh()
    ctx.grower_pos()
    ctx.topo.clock_apply({"advance": "1d"})
    ctx.fresh()
    ctx.grower_pos()
    assert po_reads(ctx) == 2


def test_without_a_reply_tag_every_step_reads_again(ctx, monkeypatch):
    monkeypatch.setattr(ctx.topo, "reply_tag", lambda client, namespace: None)
    for _ in range(2):
        ctx.fresh()
        ctx.grower_pos()
        ctx.grower_pos()  # within a step, once
    assert po_reads(ctx) == 2


def test_an_order_listed_is_the_order_as_shown_alone(ctx):
    ctx.asinfo.sync(ctx.grower["connection"]["id"])
    listed = ctx.asinfo.orders()
    assert listed
    for order in listed:
        assert order == ctx.asinfo.order(order["id"])


def order_reads(ctx) -> int:
    return sum(e["request"]["path"] == "/api/orders" for e in ctx.asinfo.journal()["entries"])


def test_the_adapter_reads_asinfos_orders_again_only_once_they_changed(ctx):
    adapter = ctx.topo.new_grower(7)
    adapter.account, adapter.connection = ctx.grower["account"], ctx.grower["connection"]
    adapter.sync()
    number = str(ctx.grower_pos()[0]["number"])
    line = adapter._order(number)["lines"][0]
    adapter._order(number)
    assert order_reads(ctx) == 1
    ctx.komet.change_line(line["poItemId"], totalBoxes=line["orderedBoxes"] + 2)
    adapter.sync()
    changed = next(ln for ln in adapter._order(number)["lines"] if ln["id"] == line["id"])
    assert changed["orderedBoxes"] == line["orderedBoxes"] + 2 and order_reads(ctx) == 2
