"""Control steps: faults, the virtual clock, and checks (values and the protocol invariants)."""

from __future__ import annotations

from simkit.control_plane import CLOCK_MOVE
from simkit.fault_kinds import KINDS as FAULT_KINDS
from simkit.faults import RULE

from ..context import CheckFailed, StepError, call
from ..invariants import check_all
from ..verdict import check_verdict
from . import action, from_spec, obj

FAULT = obj(
    {"app": {"enum": ["komet", "asinfo"]}, **from_spec(RULE, leave=("namespace",))}, required=("kind",)
)


def client(ctx, app: str):
    if app == "komet":
        return ctx.komet
    if ctx.asinfo is None:
        raise StepError(
            f"the {ctx.adapter.name} grower has no kasim control plane (faults need the ASINFO simulator)"
        )
    return ctx.asinfo


@action(
    "fault",
    FAULT,
    f"make Komet (or ASINFO) misbehave: {', '.join(FAULT_KINDS)}; by API method or route; times / probability",
)
def fault(ctx, a):
    rule = {k: v for k, v in a.items() if k != "app"}
    return call(ctx.topo.add_fault, client(ctx, a.get("app", "komet")), rule)


@action(
    "clear_faults",
    obj({"app": {"enum": ["komet", "asinfo", "both"]}}),
    "remove the faults (default: on both apps)",
)
def clear_faults(ctx, a):
    apps = ["komet", "asinfo"] if a.get("app", "both") == "both" else [a["app"]]
    return {"removed": sum(call(ctx.topo.remove_faults, client(ctx, app)) for app in apps)}


@action(
    "clock",
    obj(from_spec(CLOCK_MOVE, leave=("running",))),
    "move the one virtual clock of both sides: advance: 36h | 2d, or set: 2026-11-27T06:00:00",
)
def clock(ctx, a):
    if ("advance" in a) == ("set" in a):
        raise StepError("give advance: or set:")
    return call(ctx.topo.clock_apply, a)


@action(
    "check",
    {"anyOf": [{"enum": ["invariants", "verdict"]}, obj({"value": {}}, required=("value",))]},
    "check: invariants runs the protocol invariants now; check: verdict asks Komet's protocol verdict on the "
    "grower's traffic so far; check: {value: ${x}} puts a value under expect:",
)
def check(ctx, a):
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
