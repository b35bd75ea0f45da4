"""Control steps: faults, the virtual clock, and checks (values and the protocol invariants)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simkit.control_plane import CLOCK_MOVE
from simkit.fault_kinds import KINDS as FAULT_KINDS
from simkit.faults import RULE

from ..context import CheckFailed, StepError, call
from ..invariants import check_all
from ..verdict import check_verdict
from . import Arg, Returns, action, from_spec, obj
from .shapes import FAULT

if TYPE_CHECKING:
    from ..context import Ctx

RULE_DOCS = {
    "kind": "what goes wrong: " + ", ".join(FAULT_KINDS),
    "method": "only this Komet API method (purchase.order.item.confirm...)",
    "route": "only this path (/api/awbs...)",
    "httpMethod": "only this HTTP verb",
    "status": "the HTTP status an error answers (500, 503...)",
    "retryAfter": "the Retry-After seconds a rate_limit sends",
    "seconds": "how long latency waits, or a timeout or late holds",
    "jitter": "random extra latency in seconds (seeded)",
    "times": "how many requests it hits, then it is spent (left out: every one)",
    "probability": "the chance it hits each request (0..1, seeded: the same every run)",
    "description": "a note shown with the rule",
}


def client(ctx: Ctx, app: str):
    if app == "komet":
        return ctx.komet
    if ctx.asinfo is None:
        raise StepError(
            f"the {ctx.adapter.name} grower has no kasim control plane (faults need the ASINFO simulator)"
        )
    return ctx.asinfo


@action(
    "fault",
    f"make Komet (or ASINFO) misbehave: {', '.join(FAULT_KINDS)}; by API method or route; times / probability",
    {
        "app": Arg({"enum": ["komet", "asinfo"]}, "which app misbehaves", default="komet"),
        **{
            name: Arg(schema, RULE_DOCS.get(name, name), required=name == "kind")
            for name, schema in from_spec(RULE, leave=("namespace",)).items()
        },
    },
    returns=Returns(
        "the rule as the app keeps it",
        FAULT,
        {
            "id": 1,
            "kind": "error",
            "status": 500,
            "times": 2,
            "method": "purchase.order.items.awb.add",
            "hits": 0,
        },
    ),
    refuses=(
        "an unknown kind, or a field the kind does not take (status on a timeout...)",
        "faults on a grower with no kasim control plane",
    ),
    example="""
- fault: {kind: error, method: purchase.order.item.confirm, status: 500, times: 1}
  expect: {kind: error, times: 1, hits: 0}
- asinfo.confirm: {po: 0, line: 0, boxes: 1}
  expect: {confirmState: sent, confirmMessage: {$contains: "having trouble"}}
- asinfo.retry: {}
- asinfo.get_line: {po: 0, line: 0}
  expect: {confirmState: accepted}
""",
)
def fault(ctx: Ctx, a):
    rule = {k: v for k, v in a.items() if k != "app"}
    return call(ctx.topo.add_fault, client(ctx, a.get("app", "komet")), rule)


@action(
    "clear_faults",
    "remove the faults (default: on both apps)",
    {"app": Arg({"enum": ["komet", "asinfo", "both"]}, "whose faults", default="both")},
    returns=Returns("how many rules were removed", {"removed": "a number"}, {"removed": 1}),
    example="""
- fault: {kind: timeout, method: purchase.order.list}
- clear_faults: {}
  expect: {removed: 1}
- asinfo.sync: {}
  expect: {result: ok}
""",
)
def clear_faults(ctx: Ctx, a):
    apps = ["komet", "asinfo"] if a.get("app", "both") == "both" else [a["app"]]
    return {"removed": sum(call(ctx.topo.remove_faults, client(ctx, app)) for app in apps)}


@action(
    "clock",
    "move the one virtual clock of both sides: advance: 36h | 2d, or set: 2026-11-27T06:00:00",
    {
        name: Arg(
            schema,
            {"advance": "how far: 90s, 30m, 36h, 2d", "set": "to this time (ISO, forward only)"}.get(
                name, name
            ),
        )
        for name, schema in from_spec(CLOCK_MOVE, leave=("running",)).items()
    },
    returns=Returns(
        "the time now",
        {"now": "the time (ISO)", "today": "the date", "running": "false: the clock moves only when told"},
        {"now": "2026-11-27T18:00:00", "today": "2026-11-27", "running": False},
    ),
    refuses=("both advance: and set:, or neither", "a time in the past"),
    example="""
- clock: {advance: 36h}
  expect: {now: {$regex: "T18:00:00$"}}
""",
)
def clock(ctx: Ctx, a):
    if ("advance" in a) == ("set" in a):
        raise StepError("give advance: or set:")
    return call(ctx.topo.clock_apply, a)


@action(
    "check",
    "check: invariants runs the protocol invariants now; check: verdict asks Komet's protocol verdict on the "
    "grower's traffic so far; check: {value: ${x}} puts a value under expect:",
    {"value": Arg({}, "any value (usually ${...}) for expect: to match")},
    schema={"anyOf": [{"enum": ["invariants", "verdict"]}, obj({"value": {}}, required=("value",))]},
    returns=Returns(
        "invariants: {invariants: ok}; verdict: {verdict: ok}; value: the value itself",
        {
            "invariants?": "ok (check: invariants)",
            "verdict?": "ok (check: verdict)",
            "…": "check: {value}: the value",
        },
        {"invariants": "ok"},
    ),
    refuses=("fails (not refused) with every invariant or rule broken, one a line",),
    example="""
- check: invariants
  expect: {invariants: ok}
- asinfo.orders: {}
  save: orders
- check: {value: "${length(orders[0].lines)}"}
  expect: 2
""",
)
def check(ctx: Ctx, a):
    if a == "verdict":
        broken = check_verdict(ctx)
        if broken:
            raise CheckFailed("the grower broke protocol rules (kasim verdict):", [f"- {b}" for b in broken])
        return {"verdict": "ok"}
    if a == "invariants":
        problems = check_all(ctx)
        if problems:
            raise CheckFailed("invariants broken:", [f"- {p}" for p in problems])
        return {"invariants": "ok"}
    return a["value"]
