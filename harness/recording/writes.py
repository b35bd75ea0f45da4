"""What the recorded writes made: the objects a replay will make again, and the ids and lots it must give them.

Each is keyed as the replies show it (a PO's and a line's id, a box's code, an AWB's digits) and holds the
order of the write that made it: an object a reply showed only after that write is the write's, not part of
the starting world.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from komet_sim.decisions import awb_key, lot_in_komet_range

from . import fields as F
from .format import Exchange

SHIP_ONE, SHIP_MANY = "purchase.order.item.awb.add", "purchase.order.items.awb.add"


@dataclass
class Creations:
    pos: dict[int, int] = field(default_factory=dict)
    po_numbers: dict[int, int] = field(default_factory=dict)
    items: dict[int, int] = field(default_factory=dict)
    boxes: dict[str, int] = field(default_factory=dict)
    awbs: dict[str, int] = field(default_factory=dict)
    awb_ids: set[int] = field(default_factory=set)  # ids later lists showed for the AWBs writes made
    komet_lots: list[int] = field(default_factory=list)  # lot numbers Komet gave (none was sent)


def _int(value) -> int | None:
    try:
        return F.convert(value, "int")
    except F.Refused:
        return None


def creations(exchanges: list[Exchange]) -> Creations:
    made = Creations()
    for ex in exchanges:
        if not ex.ok:
            continue
        order, body, params = ex.data["order"], ex.body, ex.params
        if ex.method == "purchase.order.create":
            for key, target in (("purchaseOrderId", made.pos), ("purchaseOrderNumber", made.po_numbers)):
                if (ident := _int(body.get(key))) is not None:
                    target.setdefault(ident, order)
            for item in body.get("purchaseOrderItemIds") or []:
                if (ident := _int(item)) is not None:
                    made.items.setdefault(ident, order)
        elif ex.method == SHIP_ONE:
            _shipped(made, order, params, body, lot_sent=params.get("lotNumber") is not None)
        elif ex.method == SHIP_MANY:
            sent = {_int(i.get("poItemId")): i for i in params.get("poItems") or [] if isinstance(i, dict)}
            for result in body.get("purchaseOrderItemDetailsAWBAddAPIResultList") or []:
                if not isinstance(result, dict) or str(result.get("status")) != "1":
                    continue
                request = sent.get(_int(result.get("poItemId")), {})
                _shipped(made, order, request, result, lot_sent=request.get("lotNumber") is not None)
                lot = str(result.get("lotNumber") or "")
                if request.get("lotNumber") is None and lot_in_komet_range(lot):
                    made.komet_lots.append(int(lot))
        elif ex.method == "box.code.change":
            results = body.get("boxes") or []
            for n, change in enumerate(params.get("boxes") or []):
                ok = (
                    n < len(results) and isinstance(results[n], dict) and str(results[n].get("status")) == "1"
                )
                if ok and isinstance(change, dict) and change.get("newBoxCode"):
                    made.boxes.setdefault(str(change["newBoxCode"]), order)
    return made


def _shipped(made: Creations, order: int, request: dict, reply: dict, lot_sent: bool) -> None:
    if request.get("awb"):
        made.awbs.setdefault(awb_key(str(request["awb"])), order)
    for code in reply.get("boxCodes") or request.get("boxCodes") or []:
        made.boxes.setdefault(str(code), order)
    if new := _int(reply.get("newPOItemId")):
        made.items.setdefault(new, order)
