"""komet.await: wait for what Komet shows, for growers that act on their own schedule (they poll Komet and
confirm or ship without being told). In process the wait moves the virtual clock and lets the grower take its
turns (its adapter's tick); a grower of the user's on live servers is given real time. It fails with what
Komet last showed."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from simkit.clock import parse_duration

from ..context import CheckFailed, StepError
from . import A_PO, INT, LINE_DOC, REF, STR, Arg, Returns, action, typed

if TYPE_CHECKING:
    from ..context import Ctx

DURATION = typed({"type": ["string", "integer"]})
STEPS = 20  # how many looks a wait takes unless every: says


def _view(ctx: Ctx, a) -> dict:
    """What Komet shows now: one line, or a whole PO (its confirmed boxes and boxes added up)."""
    if "line" in a:
        line = ctx.komet_line(a["po"], a["line"])
        return {
            "status": line.get("lineItemStatus"),
            "confirmedBoxes": line.get("quantityConfirmed"),
            "shippedBoxes": len(line.get("boxes") or []),
        }
    po = ctx.komet_po(a["po"])
    live = [d for d in po["details"] if d.get("lineItemStatus") != "X"]
    return {
        "status": po.get("status"),
        "confirmedBoxes": sum(d.get("quantityConfirmed") or 0 for d in live),
        "shippedBoxes": sum(len(d.get("boxes") or []) for d in po["details"]),
    }


@action(
    "komet.await",
    "wait until Komet shows a line (po + line) or a PO (po) with this status, confirmed boxes or shipped boxes, "
    "within a time: the clock moves and the grower takes its turns",
    {
        "po": A_PO,
        "line": Arg(REF, LINE_DOC + "; without it, the whole PO"),
        "status": Arg(STR, "the status to wait for: a line's (P, PC, C, S, X) or a PO's (A, CF, CA)"),
        "confirmedBoxes": Arg(typed(INT), "boxes confirmed (on the line, or on the PO's live lines)"),
        "shippedBoxes": Arg(typed(INT), "boxes shipped (on the line, or on the PO)"),
        "within": Arg(
            DURATION, "how long to wait at most: 90s, 2m, 1h, 2d (seconds as a number)", required=True
        ),
        "every": Arg(DURATION, "how often to look", default=f"within / {STEPS}"),
    },
    returns=Returns(
        "what Komet showed when it matched, and how long that took",
        {
            "status": "the status Komet showed",
            "confirmedBoxes": "boxes confirmed",
            "shippedBoxes": "boxes shipped",
            "waited": 'how long the wait took, on the scenario\'s clock ("0s": at once)',
        },
        {"status": "C", "confirmedBoxes": 7, "shippedBoxes": 0, "waited": "30s"},
    ),
    refuses=(
        "fails (not refused) when Komet does not show it in time, with what Komet last showed",
        "nothing to wait for (no status:, confirmedBoxes: or shippedBoxes:)",
    ),
    example="""
- asinfo.confirm: {po: 0, line: 0, boxes: 1}
- komet.await: {po: 0, line: 0, status: PC, within: 2m}
  expect: {confirmedBoxes: 1, waited: 0s}
""",
)
def await_komet(ctx: Ctx, a):
    wanted = {k: a[k] for k in ("status", "confirmedBoxes", "shippedBoxes") if k in a}
    if not wanted:
        raise StepError("wait for what? give status:, confirmedBoxes: or shippedBoxes:")
    try:
        within = parse_duration(a["within"])
        every = parse_duration(a["every"]) if "every" in a else within / STEPS
    except ValueError as exc:
        raise StepError(str(exc)) from None
    if every <= timedelta(0):
        raise StepError("every: must be a positive duration")
    waited = timedelta(0)
    while True:
        ctx.fresh()
        with ctx.looking_up():
            seen = _view(ctx, a)
        if all(seen[k] == v for k, v in wanted.items()):
            return {**seen, "waited": f"{waited.total_seconds():g}s"}
        if waited >= within:
            shown = ", ".join(f"{k} {seen[k]!r}" for k in wanted)
            expected = ", ".join(f"{k} {v!r}" for k, v in wanted.items())
            raise CheckFailed(
                f"Komet did not show {expected} within {a['within']}",
                [f"Komet last showed: {shown}", f"waited {waited.total_seconds():g}s, looking every {every}"],
            )
        ctx.topo.wait(every)
        waited += every
        if ctx.adapter.supports("tick"):  # a grower that can be told to take its turn now
            ctx.adapter.tick()
