"""Controlled interleavings: a step that runs while a Komet request is held (`background`), and `release`,
which lets held requests go (a `late` request is processed only then; a `hold` reply is sent only then).

With the fault kinds `late` and `hold` these make the orderings of a busy production system happen on
purpose, in one scenario, every time: a confirmation that lands after the client gave up and after a newer
one; a sync whose read of Komet is overtaken by a confirmation before it is applied."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from ..context import Refused, StepError, call
from . import Arg, Returns, action, load_all

if TYPE_CHECKING:
    from ..context import Ctx

WAIT_SECONDS = 20.0  # how long `background` waits for its step to reach the held request
POLL_SECONDS = 0.005


@action(
    "background",
    "start one step (e.g. {asinfo.sync: {}}) and go on once it waits on a request a hold or late fault keeps; "
    "`release` lets it finish",
    {"<step>": Arg({}, "one step and its arguments, as it would be written alone: {asinfo.sync: {}}")},
    schema={"type": "object", "minProperties": 1, "maxProperties": 1},
    returns=Returns(
        "the step started, and whether it is waiting",
        {"step": "its name", "waiting": "true while it waits on the held request"},
        {"step": "asinfo.sync", "waiting": True},
    ),
    refuses=("a step that is not a step, or background/release themselves",),
    example="""
- fault: {kind: hold, method: purchase.order.list, times: 1}
- background: {asinfo.sync: {}}
  expect: {waiting: true}
- komet.change_line: {po: 0, line: 0, boxes: 9}
- release: {}
  expect: {released: 1, background: [{step: asinfo.sync}]}
""",
)
def background(ctx: Ctx, a):
    ((name, args),) = a.items()
    actions = load_all()
    if name not in actions or name in ("background", "release"):
        raise StepError(f"background: {name!r} is not a step that can run in the background")
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["result"] = actions[name].run(ctx, args or {})
        except Refused as exc:
            outcome["refused"] = exc.message
        except Exception as exc:  # reported by `release`, which the scenario reaches next
            outcome["error"] = f"{type(exc).__name__}: {exc}"

    before = ctx.topo.held(ctx.komet)
    thread = threading.Thread(target=work, name=f"kasim-background-{name}", daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT_SECONDS
    while (
        thread.is_alive()
        and ctx.topo.wait_held(ctx.komet, before, POLL_SECONDS) <= before
        and time.monotonic() < deadline
    ):
        pass  # a step that ends without reaching a held request (refused first) is seen at the next look
    ctx.background.append((name, thread, outcome))
    return {"step": name, "waiting": thread.is_alive()}


@action(
    "release",
    "let the requests a late or hold fault keeps go (late: processed now; hold: the reply is sent), then "
    "wait for the background steps",
    {"app": Arg({"enum": ["komet", "asinfo"]}, "whose held requests", default="komet")},
    returns=Returns(
        "how many requests were let go, and how each background step ended",
        {"released": "requests let go", "background": "[{step, result}] or [{step, refused}]"},
        {"released": 1, "background": [{"step": "asinfo.sync", "result": {"result": "ok"}}]},
    ),
    refuses=("fails when a background step failed (not refused), with its error",),
    example="""
- fault: {kind: hold, method: purchase.order.list, times: 1}
- background: {asinfo.sync: {}}
- release: {}
  expect: {released: 1, background: [{step: asinfo.sync, result: {result: ok}}]}
""",
)
def release(ctx: Ctx, a):
    client = ctx.asinfo if a.get("app") == "asinfo" else ctx.komet
    if client is None:
        raise StepError(f"the {ctx.adapter.name} grower has no kasim control plane to release requests on")
    released = call(client.release_held, ctx.topo.scope(client))["released"]
    finished = []
    while ctx.background:
        name, thread, outcome = ctx.background.pop(0)
        thread.join(WAIT_SECONDS)
        if "error" in outcome:
            raise StepError(f"the background step {name} failed: {outcome['error']}")
        finished.append({"step": name, **outcome})
    return {"released": released, "background": finished}
