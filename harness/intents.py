"""What the grower last asked for, against what Komet holds once the sync is quiet. The grower's word on a
line is the last confirmation its system took (ASINFO's API answered it), in the order the grower gave them,
which is not the order Komet may receive them in (a retry, a request Komet finishes after its client gave
up). When nobody else has written to the line since, Komet must not end up holding a count the grower gave
earlier and then replaced: that is a confirmation applied out of order and never put right.

And the other way round: a confirmation Komet holds that is the grower's own (the last one Komet accepted
on the line, from the grower system, nobody else writing to it since) is one the grower holds as accepted.
A sync that takes it for the importer's reset (reading Komet before the confirmation and applying the read
after it) drops it, and no later sync puts it back.

Read from both journals and the two states only to map ids; it never asks ASINFO what it meant."""

from __future__ import annotations

import re
from typing import NamedTuple

from .exchanges import GROWER_AGENT, others_writes

LINE_CONFIRM = re.compile(r"/api/lines/(\d+)/confirmation")
ORDER_CONFIRM = re.compile(r"/api/orders/(\d+)/confirmation")
OUTBOX_CANCEL = re.compile(r"/api/outbox/(\d+)")


class Word(NamedTuple):
    tick: int
    boxes: int | None  # None: the grower's word is not a count this check can read (a whole PO, a withdrawal)


def grower_words(asinfo: dict, asinfo_entries: list[dict]) -> dict[int, list[Word]] | None:
    """ASINFO line id → the grower's answered confirmations of it, oldest first. None when the grower also
    worked through the portal (its forms are not read here, so no line's last word is known)."""
    order_lines: dict[int, list[int]] = {}
    for ln in asinfo["lines"]:
        order_lines.setdefault(ln["order_id"], []).append(ln["id"])
    outbox_lines = {i["id"]: i["ref_id"] for i in asinfo["outbox"] if i["kind"] == "confirm"}
    words: dict[int, list[Word]] = {}
    for e in asinfo_entries:
        request, status = e["request"], (e.get("response") or {}).get("status")
        if e.get("direction") != "in" or request["method"] not in ("POST", "DELETE") or status != 200:
            continue
        path, tick = request["path"], e.get("begin", 0)
        if not path.startswith(("/api/", "/__sim")):
            return None
        if m := LINE_CONFIRM.fullmatch(path):
            boxes = (request.get("body") or {}).get("boxes")
            words.setdefault(int(m[1]), []).append(Word(tick, boxes if isinstance(boxes, int) else None))
        elif m := ORDER_CONFIRM.fullmatch(path):
            for line_id in order_lines.get(int(m[1]), []):
                words.setdefault(line_id, []).append(Word(tick, None))
        elif (m := OUTBOX_CANCEL.fullmatch(path)) and int(m[1]) in outbox_lines:
            words.setdefault(outbox_lines[int(m[1])], []).append(Word(tick, None))
    return words


def superseded_confirmations(komet: dict, asinfo: dict, logs: dict[str, list[dict]]) -> list[str]:
    """A line Komet holds at a count the grower replaced, nobody else having written to it since."""
    words = grower_words(asinfo, logs["asinfo"])
    if not words:
        return []
    items = {i["id"]: i for i in komet["po_items"]}
    changes = others_writes(komet, logs["komet"])
    problems = []
    for ln in asinfo["lines"]:
        said = words.get(ln["id"], [])
        item = items.get(ln["komet_item_id"])
        if not said or said[-1].boxes is None or item is None or item["status"] in ("S", "X"):
            continue
        last = said[-1]
        unknown = max((w.tick for w in said if w.boxes is None), default=-1)
        earlier = {w.boxes for w in said[:-1] if w.tick > unknown and w.boxes != last.boxes}
        if any(tick >= last.tick and item["id"] in lines for tick, lines in changes):
            continue  # the importer (or another caller) changed the line after the grower's last word
        if item["quantity_confirmed"] in earlier:
            problems.append(
                f"line {item['id']}: Komet holds {item['quantity_confirmed']} confirmed, a count the grower "
                f"replaced with {last.boxes}"
            )
    return problems


def unheld_confirmations(komet: dict, asinfo: dict, logs: dict[str, list[dict]]) -> list[str]:
    """Lines Komet holds confirmed by the grower's own last word that ASINFO does not hold as accepted."""
    own: dict[int, int] = {}  # Komet line id -> tick of the grower's last confirmation Komet accepted
    for e in logs["komet"]:
        body, reply = e["request"].get("body"), ((e.get("response") or {}).get("body") or {})
        if (
            e["request"]["path"] == "/api/purchase.order.item.confirm"
            and str(e.get("agent", "")).startswith(GROWER_AGENT)
            and isinstance(body, dict)
            and str(body.get("poItemId", "")).isdigit()
            and isinstance(reply, dict)
            and str(reply.get("status")) == "1"
        ):
            # the grower's word dates from when it sent it, not from when Komet got to a late one
            own[int(body["poItemId"])] = e.get("sent", e.get("begin", 0))
    items = {i["id"]: i for i in komet["po_items"]}
    changes = others_writes(komet, logs["komet"])
    problems = []
    for ln in asinfo["lines"]:
        item = items.get(ln["komet_item_id"])
        if item is None or item["status"] not in ("C", "PC") or not item["quantity_confirmed"]:
            continue
        tick = own.get(item["id"])
        if tick is None or any(t >= tick and item["id"] in lines for t, lines in changes):
            continue  # not the grower's word, or someone changed the line since
        if ln["confirm_state"] != "accepted":
            problems.append(
                f"line {item['id']}: Komet holds the grower's own confirmation of {item['quantity_confirmed']}, "
                f"which ASINFO holds as {ln['confirm_state']}"
            )
    return problems
