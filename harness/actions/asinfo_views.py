"""What the grower shows: its orders, lines, AWBs, shipments, outbox and sync log, through its adapter (ASINFO's
by default). Reads never change anything."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..context import call
from . import A_AWB, A_LINE, A_PO, DATE, Arg, Returns, action
from .asinfo import LINE_RETURNS, ORDER_RETURNS
from .asinfo_shipping import AWB_RETURNS, SHIPMENT_EXAMPLE
from .shapes import ASINFO_ORDER, OUTBOX_ITEM, SHIPMENT, SYNC

if TYPE_CHECKING:
    from ..context import Ctx


def _each(fields: dict) -> dict:
    return {f"[].{k}": v for k, v in fields.items()}


@action(
    "asinfo.get_order",
    "a PO as ASINFO has it, with its lines and their states",
    {"po": A_PO},
    returns=ORDER_RETURNS,
    refuses=("a PO the grower has not synced",),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 2}
- asinfo.get_order: {po: 0}
  expect: {state: open, confirmedBoxes: 2, confirmations: {accepted: 1, none: 1}, lines: {$len: 2}}
""",
)
def get_order(ctx: Ctx, a):
    return call(ctx.adapter.get_order, ctx.po_number(a["po"]))


@action(
    "asinfo.get_line",
    "one line as ASINFO has it",
    {"po": A_PO, "line": A_LINE},
    returns=LINE_RETURNS,
    refuses=("a line the grower has not synced",),
    example="""
- asinfo.get_line: {po: 0, line: 0}
  expect: {confirmState: none, confirmedBoxes: null, orderedBoxes: 7}
""",
)
def get_line(ctx: Ctx, a):
    return call(ctx.adapter.get_line, *ctx.line_ref(a["po"], a["line"]))


@action(
    "asinfo.orders",
    "the orders inbox",
    {"shipDate": Arg(DATE, "only this ship date (YYYY-MM-DD, today, +Nd)", default="every ship date")},
    returns=Returns(
        "a list of orders, each as asinfo.get_order returns it",
        _each(ASINFO_ORDER),
        [{"number": "10001", "shipDate": "2026-11-27", "orderedBoxes": 17, "lines": ["…"]}],
    ),
    example="""
- asinfo.orders: {shipDate: +1d}
  save: {first: "[0].number"}
  expect: {$len: 1}
""",
)
def orders(ctx: Ctx, a):
    return call(ctx.adapter.orders, ctx.date(a["shipDate"]) if "shipDate" in a else None)


@action(
    "asinfo.get_awb",
    "an AWB with its boxes",
    {"awb": A_AWB},
    returns=AWB_RETURNS,
    refuses=("an AWB the grower does not have",),
    example="""
- asinfo.create_awb: {po: 0}
  save: awb
- asinfo.get_awb: {awb: "${awb}"}
  expect: {status: empty, assignedBoxes: 0, boxes: []}
""",
)
def get_awb(ctx: Ctx, a):
    return call(ctx.adapter.get_awb, ctx.awb_number(a["awb"]))


@action(
    "asinfo.shipments",
    "shipments: push state, attempts, per-line results, newest last",
    returns=Returns(
        "a list of shipments, each as asinfo.ship returns it", _each(SHIPMENT), [SHIPMENT_EXAMPLE]
    ),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 1}
- include: fragments/ship-po.yaml
- asinfo.shipments: {}
  expect: [{state: shipped, attempts: 1}]
""",
)
def shipments(ctx: Ctx, a):
    return call(ctx.adapter.shipments)


@action(
    "asinfo.outbox",
    "the outbox: writes to Komet, waiting or done, with attempts and errors",
    returns=Returns(
        "a list of writes, oldest first",
        _each(OUTBOX_ITEM),
        [
            {
                "kind": "confirm",
                "state": "done",
                "attempts": 1,
                "inDoubt": False,
                "payload": {"poItemId": 265001, "quantity": 1},
            }
        ],
    ),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 1}
- asinfo.outbox: {}
  expect: [{kind: confirm, state: done, attempts: 1, payload: {quantity: 1}}]
""",
)
def outbox(ctx: Ctx, a):
    return call(ctx.adapter.outbox)


@action(
    "asinfo.sync_log",
    "the sync log, newest first",
    returns=Returns(
        "a list of syncs, each as asinfo.sync returns it",
        _each(SYNC),
        [{"result": "ok", "changes": ["new PO 10001 (2026-11-27)"]}],
    ),
    example="""
- asinfo.sync_log: {}
  expect: [{result: ok, trigger: manual, counts: {newOrders: 1}}]
""",
)
def sync_log(ctx: Ctx, a):
    return call(ctx.adapter.sync_log)
